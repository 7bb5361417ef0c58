import { spawn } from 'node:child_process';
import { CappedOutput } from './capped-output.js';
import type { RunResult } from './types.js';

export interface SpawnLimitedOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  timeoutMs: number;
  outputBytes: number;
  drainBytes: number;
}

/**
 * Spawns argv in its own process group and kills the whole group on timeout or output flood.
 * Resolves (never rejects) once the child has exited and its pipes are closed.
 */
export function spawnLimited(opts: SpawnLimitedOptions): Promise<RunResult> {
  const started = performance.now();
  const stdout = new CappedOutput(opts.outputBytes);
  const stderr = new CappedOutput(opts.outputBytes);
  let timedOut = false;
  let outputLimitExceeded = false;

  return new Promise((resolve) => {
    const [file, ...args] = opts.argv;
    if (file === undefined) throw new Error('spawnLimited: empty argv');
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      // A process group of its own, so one kill reaches every descendant that did not setsid.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(opts.uid === undefined ? {} : { uid: opts.uid }),
      ...(opts.gid === undefined ? {} : { gid: opts.gid }),
    });

    const killGroup = () => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };

    const timer = setTimeout(
      () => {
        timedOut = true;
        killGroup();
      },
      Math.max(1, opts.timeoutMs),
    );

    const onData = (sink: CappedOutput) => (chunk: Buffer) => {
      sink.push(chunk);
      if (!outputLimitExceeded && stdout.total + stderr.total > opts.drainBytes) {
        outputLimitExceeded = true;
        killGroup();
      }
    };
    child.stdout.on('data', onData(stdout));
    child.stderr.on('data', onData(stderr));

    let spawnError: Error | undefined;
    let settled = false;
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Descendants that outlived the leader (e.g. backgrounded) must not linger.
      killGroup();
      resolve({
        exitCode: code,
        signal,
        timedOut,
        outputLimitExceeded,
        stdout: stdout.text(),
        stderr: spawnError ? `${stderr.text()}${spawnError.message}\n` : stderr.text(),
        truncated: stdout.truncated || stderr.truncated,
        durationMs: Math.round(performance.now() - started),
      });
    };
    child.on('error', (err) => {
      spawnError = err;
      // A child that never started emits no 'close' on every Node version.
      if (child.pid === undefined) finish(null, null);
    });
    // 'close' waits for the pipes too; a grandchild that keeps them open is killed with the group.
    child.on('close', finish);
  });
}
