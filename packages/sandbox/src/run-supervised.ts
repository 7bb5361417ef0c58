import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { Readable } from 'node:stream';
import { CappedOutput } from './capped-output.js';
import { COPY_FAILED, STATUS_FD, stepFds } from './supervisor-script.js';
import type { RunResult } from './types.js';

export interface RunSupervisedOptions {
  /** The whole command line: bash (closing inherited descriptors) prlimit [bwrap ...] /bin/sh -c <supervisor script>. */
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  uid?: number;
  gid?: number;
  stepCount: number;
  timeoutMs: number;
  outputBytes: number;
  drainBytes: number;
  /** Runs after the process tree is killed, before the result is returned (e.g. sweep a uid's processes). */
  afterKill?: () => Promise<void>;
}

export interface SupervisedResult {
  /** One result per step that started, in order. */
  steps: RunResult[];
  /** Set when the sandbox itself did not come up (or the project could not be copied in): not the program's doing. */
  fault?: string;
  /**
   * Set when the status channel said something the supervisor never says (a line out of order, a step
   * reported twice, a flood): the program reached the channel, so no step's reported status counts.
   */
  tampered?: string;
  timedOut: boolean;
  outputLimitExceeded: boolean;
  durationMs: number;
}

/** More status output than any run's `R`, `B i` and `E i <status>` lines add up to. */
const STATUS_BYTES = 4096;

/** How long the pipes may stay open after the supervisor exited before they are cut. */
const PIPE_GRACE_MS = 1_000;

const SIGNALS = new Map(Object.entries(constants.signals).map(([name, n]) => [n, name as NodeJS.Signals]));

/**
 * Spawns the supervisor in its own process group, reads each step's output from its own pipe, and
 * kills the whole tree at the deadline or on an output flood. Resolves (never rejects) once the tree
 * is gone and the pipes are closed.
 */
export function runSupervised(opts: RunSupervisedOptions): Promise<SupervisedResult> {
  const started = performance.now();
  const now = () => performance.now();
  const outputs = Array.from({ length: opts.stepCount }, () => ({
    out: new CappedOutput(opts.outputBytes),
    err: new CappedOutput(opts.outputBytes),
  }));
  const own = new CappedOutput(opts.outputBytes);
  const marks: { begin?: number; end?: number; status?: number }[] = outputs.map(() => ({}));
  let ready = false;
  let timedOut = false;
  let outputLimitExceeded = false;
  let statusBuffer = '';
  let tampered: string | undefined;
  /** The only line the supervisor can write next: `R`, then `B i` and `E i <status>` per step. */
  let expected: { tag: 'R' } | { tag: 'B' | 'E'; step: number } | { tag: 'none' } = { tag: 'R' };

  return new Promise((resolve) => {
    const [file, ...args] = opts.argv;
    if (file === undefined) throw new Error('runSupervised: empty argv');
    const fdCount = STATUS_FD + 1 + 2 * opts.stepCount;
    const child = spawn(file, args, {
      cwd: opts.cwd,
      env: opts.env,
      // A process group of its own, so one kill reaches every descendant that did not setsid; under
      // bubblewrap the pid namespace takes the rest with it.
      detached: true,
      stdio: Array.from({ length: fdCount }, (_, fd) => (fd === 0 ? 'ignore' : 'pipe')),
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

    let total = 0;
    const sink = (capped: CappedOutput) => (chunk: Buffer) => {
      capped.push(chunk);
      total += chunk.length;
      if (!outputLimitExceeded && total > opts.drainBytes) {
        outputLimitExceeded = true;
        killGroup();
      }
    };
    const stream = (fd: number) => child.stdio[fd] as Readable | null;
    stream(1)?.on('data', sink(own));
    stream(2)?.on('data', sink(own));
    outputs.forEach((o, i) => {
      stream(stepFds(i).out)?.on('data', sink(o.out));
      stream(stepFds(i).err)?.on('data', sink(o.err));
    });
    stream(STATUS_FD)?.on('data', (chunk: Buffer) => {
      // Only the supervisor writes here, a few bytes per step: more is someone else's doing.
      if (tampered) return;
      statusBuffer += chunk.toString('utf8');
      if (statusBuffer.length > STATUS_BYTES) {
        tampered = 'more status output than the supervisor writes';
        return;
      }
      let nl = statusBuffer.indexOf('\n');
      while (nl >= 0) {
        onStatus(statusBuffer.slice(0, nl).trim());
        statusBuffer = statusBuffer.slice(nl + 1);
        nl = statusBuffer.indexOf('\n');
      }
    });
    // A program can reach the channel (it runs as the supervisor's uid and may copy its descriptor with
    // pidfd_getfd) and write a passing status for itself. It cannot stop the supervisor from writing the
    // true one without killing it, so a forged line shows up as a line out of order or as a repeat, and
    // a killed supervisor as an unclean exit (see finish).
    const onStatus = (line: string) => {
      if (tampered) return;
      const match = /^(R|B (\d+)|E (\d+) (\d+))$/.exec(line);
      const tag = match?.[1]?.[0];
      const step = Number(match?.[2] ?? match?.[3]);
      if (!match || tag !== expected.tag || ('step' in expected && step !== expected.step)) {
        tampered = `unexpected status line ${JSON.stringify(line.slice(0, 40))}`;
        return;
      }
      if (tag === 'R') {
        ready = true;
        expected = opts.stepCount > 0 ? { tag: 'B', step: 0 } : { tag: 'none' };
        return;
      }
      const mark = marks[step];
      if (!mark) {
        tampered = `status for step ${step} of ${opts.stepCount}`;
        return;
      }
      if (tag === 'B') {
        mark.begin = now();
        expected = { tag: 'E', step };
        return;
      }
      mark.end = now();
      mark.status = Number(match[4]);
      // The script stops at the first step that fails.
      expected =
        mark.status === 0 && step + 1 < opts.stepCount ? { tag: 'B', step: step + 1 } : { tag: 'none' };
    };

    let spawnError: Error | undefined;
    let settled = false;
    const finish = async (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Whatever outlived the supervisor must not linger.
      killGroup();
      await opts.afterKill?.().catch(() => {});
      // The supervisor always ends with exit 0 (or COPY_FAILED before any step). Otherwise it was killed
      // (the deadline, a flood, or the program), and the status of the step it was in is not its word.
      if (code !== 0 || signal !== null) {
        const last = marks.findLast((m) => m.begin !== undefined);
        if (last) last.status = undefined;
      }
      const steps: RunResult[] = [];
      marks.forEach((mark, i) => {
        if (mark.begin === undefined) return;
        const o = outputs[i];
        const status = mark.status;
        const killed = status === undefined;
        steps.push({
          exitCode: killed ? null : status > 128 ? null : status,
          signal: killed ? 'SIGKILL' : status > 128 ? (SIGNALS.get(status - 128) ?? null) : null,
          timedOut: killed && timedOut,
          outputLimitExceeded: killed && outputLimitExceeded,
          stdout: o?.out.text() ?? '',
          stderr: o?.err.text() ?? '',
          truncated: (o?.out.truncated ?? false) || (o?.err.truncated ?? false),
          durationMs: Math.round((mark.end ?? now()) - mark.begin),
        });
      });
      const fault = spawnError
        ? `the sandbox could not be started: ${spawnError.message}`
        : !ready && !timedOut && !outputLimitExceeded
          ? `the sandbox did not come up (${describeExit(code, signal)}): ${own.text().trim().slice(-500) || 'no output'}`
          : code === COPY_FAILED && steps.length === 0
            ? `the project could not be copied into the workspace: ${own.text().trim().slice(-500)}`
            : undefined;
      resolve({
        steps,
        ...(fault ? { fault } : {}),
        ...(tampered ? { tampered } : {}),
        timedOut,
        outputLimitExceeded,
        durationMs: Math.round(now() - started),
      });
    };
    child.on('error', (err) => {
      spawnError = err;
      // A child that never started emits no 'close' on every Node version.
      if (child.pid === undefined) void finish(null, null);
    });
    // 'close' waits for every pipe too. A descendant that escaped the process group (setsid) and still
    // holds a pipe would keep it from coming: once the supervisor has exited, the tree is killed and the
    // pipes get a short grace to drain, then they are cut.
    child.on('exit', (code, signal) => {
      killGroup();
      void (opts.afterKill?.() ?? Promise.resolve())
        .catch(() => {})
        .then(() => {
          setTimeout(() => {
            for (const s of child.stdio) s?.destroy();
            void finish(code, signal);
          }, PIPE_GRACE_MS).unref();
        });
    });
    child.on('close', (code, signal) => void finish(code, signal));
  });
}

function describeExit(code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `killed by ${signal}` : `exit ${code}`;
}
