import { readdir, readFile } from 'node:fs/promises';

/** How long a sweep waits for SIGKILLed processes to be gone before it gives up and returns. */
const GONE_WITHIN_MS = 2_000;

/**
 * SIGKILLs every process whose real uid is `uid`, and waits until none is left alive (zombies are dead
 * already: they wait for whoever reaps orphans). Only for a uid that one run holds alone: without a pid
 * namespace, this is how a `setsid` + double-fork survivor of that run is found and ended. Waiting
 * matters because SIGKILL is not instant on a loaded host: the uid's lease is released after this, and
 * the next run on that uid must not share RLIMIT_NPROC with a process still exiting.
 */
export async function killUidProcesses(uid: number): Promise<number> {
  let killed = 0;
  const deadline = Date.now() + GONE_WITHIN_MS;
  for (;;) {
    const alive = await livingProcesses(uid);
    if (alive.length === 0 || Date.now() > deadline) return killed;
    for (const pid of alive) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // Gone already.
      }
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function livingProcesses(uid: number): Promise<number[]> {
  const pids: number[] = [];
  for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
    const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
    if (new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status) && !/^State:\s+Z/m.test(status))
      pids.push(Number(pid));
  }
  return pids;
}
