import { readdir, readFile } from 'node:fs/promises';

/**
 * SIGKILLs every process whose real uid is `uid`. Only for a uid that one run holds alone: without a
 * pid namespace, this is how a `setsid` + double-fork survivor of that run is found and ended.
 */
export async function killUidProcesses(uid: number): Promise<number> {
  let killed = 0;
  // Twice: a process may fork between the scan and the kill.
  for (let round = 0; round < 2; round++) {
    for (const pid of (await readdir('/proc')).filter((d) => /^\d+$/.test(d))) {
      const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
      if (!new RegExp(`^Uid:\\s+${uid}\\s`, 'm').test(status)) continue;
      try {
        process.kill(Number(pid), 'SIGKILL');
        killed++;
      } catch {
        // Gone already.
      }
    }
  }
  return killed;
}
