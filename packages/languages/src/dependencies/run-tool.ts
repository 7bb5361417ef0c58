import { spawn } from 'node:child_process';

export interface ToolRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

const KEEP_CHARS = 32_000;

/**
 * Runs pip or npm (never package code: each language's flags see to that) with a time limit, its own
 * process group killed at the limit, and the tail of its output kept.
 */
export function runTool(
  argv: string[],
  opts: { cwd: string; env: Record<string, string>; timeoutMs: number },
): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    if (!cmd) return reject(new Error('empty command'));
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout = (stdout + d.toString()).slice(-KEEP_CHARS);
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-KEEP_CHARS);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }, opts.timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut });
    });
  });
}

/** One GET with a time limit; `unreachable` for a refused connection, a timeout or a 5xx. */
export async function probeUrl(
  url: string,
  timeoutMs: number,
): Promise<{ kind: 'answered'; status: number; body: string } | { kind: 'unreachable'; detail: string }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    const body = await res.text();
    if (res.status >= 500) return { kind: 'unreachable', detail: `HTTP ${res.status} from ${url}` };
    return { kind: 'answered', status: res.status, body };
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const detail =
      (err as Error).name === 'TimeoutError'
        ? `no answer within ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (err as Error).message);
    return { kind: 'unreachable', detail: `${detail} (${url})` };
  }
}
