import { readFileSync } from 'node:fs';

/** Whether each verification runs under cgroup memory and pids limits, and why not. */
export interface CgroupLimits {
  applied: boolean;
  /** One line: what was found, for /status and the log. */
  reason: string;
}

/**
 * Without a cgroup, the limits are per process (RLIMIT_AS, RLIMIT_NPROC) and per mount (sized tmpfs):
 * the processes of one verification together can hold their count times the memory limit. A cgroup
 * v2 `memory.max` would bound them together, tmpfs and shared memory included. This reports what the
 * host offers; applying such limits is not implemented (README, The sandbox).
 */
export function cgroupLimits(): CgroupLimits {
  const own = read('/proc/self/cgroup')
    ?.split('\n')
    .find((l) => l.startsWith('0::'))
    ?.slice(3);
  if (own === undefined)
    return { applied: false, reason: 'no cgroup v2 hierarchy for this process (cgroup v1 only)' };
  const mount = read('/proc/self/mountinfo')
    ?.split('\n')
    .map((l) => l.split(' '))
    .find((f) => f[f.indexOf('-') + 1] === 'cgroup2')?.[4];
  if (mount === undefined) return { applied: false, reason: 'cgroup v2 is not mounted' };
  const controllers = (read(`${mount}${own === '/' ? '' : own}/cgroup.controllers`) ?? '')
    .trim()
    .split(/\s+/);
  const missing = ['memory', 'pids'].filter((c) => !controllers.includes(c));
  if (missing.length > 0)
    return {
      applied: false,
      reason: `cgroup v2 at ${mount} offers no ${missing.join(' or ')} controller to this process (on a hybrid host they are bound to cgroup v1)`,
    };
  return {
    applied: false,
    reason: `cgroup v2 with the memory and pids controllers is available at ${mount}${own}, but per-verification cgroup limits are not implemented`,
  };
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
