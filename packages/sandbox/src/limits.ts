/** Resource limits applied to every sandboxed verification. */
export interface SandboxLimits {
  /**
   * Memory a program may use, in bytes. Enforced as RLIMIT_AS, which counts every mapping (shared
   * anonymous memory included, which RLIMIT_DATA does not). The JVM and V8 reserve address space they
   * never touch, so their steps get `runtimeReserveBytes` on top, and a heap flag of half this value so
   * they fail with their own readable error first.
   * @defaultValue 512 MiB
   */
  memoryBytes: number;
  /** Address space added for the JVM and V8 reservations (code cache, metaspace, thread stacks). @defaultValue 512 MiB */
  runtimeReserveBytes: number;
  /** RLIMIT_NPROC (processes and threads of the sandbox uid). @defaultValue 128 */
  processes: number;
  /** RLIMIT_NOFILE. @defaultValue 256 */
  openFiles: number;
  /** RLIMIT_FSIZE: largest file the program may write. @defaultValue 16 MiB */
  fileSizeBytes: number;
  /** Size of the workspace (a tmpfs under bubblewrap): project files plus what the program writes. @defaultValue 64 MiB */
  workspaceBytes: number;
  /** Size of the sandbox's /tmp. @defaultValue 32 MiB */
  tmpBytes: number;
  /** Size of the sandbox's /dev/shm (the rest of /dev is read-only). @defaultValue 16 MiB */
  shmBytes: number;
  /** Bytes of stdout and of stderr kept for the result. @defaultValue 64 KiB */
  outputBytes: number;
  /**
   * Bytes of output (stdout + stderr) read before the run is killed as a flood. Reading past
   * `outputBytes` keeps a chatty but finite program working; this bound stops an endless one early.
   * @defaultValue 8 MiB
   */
  drainBytes: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 512 * MiB,
  runtimeReserveBytes: 512 * MiB,
  // JVM threads count against RLIMIT_NPROC too: javac alone starts ~20.
  processes: 128,
  openFiles: 256,
  fileSizeBytes: 16 * MiB,
  workspaceBytes: 64 * MiB,
  tmpBytes: 32 * MiB,
  shmBytes: 16 * MiB,
  outputBytes: 64 * 1024,
  drainBytes: 8 * MiB,
};

/** Limits for the whole sandbox tree, set by prlimit before anything of the project runs. */
export function prlimitArgs(limits: SandboxLimits): string[] {
  return [
    `--nproc=${limits.processes}`,
    `--nofile=${limits.openFiles}`,
    `--fsize=${limits.fileSizeBytes}`,
    // A core dump of a 512 MiB process would be written into the workspace.
    '--core=0',
  ];
}

/** Heap flags get half the memory limit so the runtime fails with its own, readable, error first. */
export function heapMiB(limits: SandboxLimits): number {
  return Math.max(32, Math.floor(limits.memoryBytes / MiB / 2));
}
