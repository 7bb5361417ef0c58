/** Resource limits applied to every sandboxed command. */
export interface SandboxLimits {
  /**
   * RLIMIT_DATA in bytes. Used instead of RLIMIT_AS because the JVM and V8 reserve huge
   * virtual ranges they never touch; RLIMIT_DATA counts only writable private memory.
   * @defaultValue 512 MiB
   */
  memoryBytes: number;
  /** RLIMIT_NPROC (processes and threads of the sandbox uid). @defaultValue 128 */
  processes: number;
  /** RLIMIT_NOFILE. @defaultValue 256 */
  openFiles: number;
  /** RLIMIT_FSIZE: largest file the program may write. @defaultValue 16 MiB */
  fileSizeBytes: number;
  /** Bytes of stdout and of stderr kept for the result. @defaultValue 64 KiB */
  outputBytes: number;
  /**
   * Bytes of output (stdout + stderr) read before the run is killed as a flood. Reading past
   * `outputBytes` keeps a chatty but finite program working; this bound stops an endless one early.
   * @defaultValue 8 MiB
   */
  drainBytes: number;
}

export const DEFAULT_LIMITS: SandboxLimits = {
  memoryBytes: 512 * 1024 * 1024,
  // JVM threads count against RLIMIT_NPROC too: javac alone starts ~20.
  processes: 128,
  openFiles: 256,
  fileSizeBytes: 16 * 1024 * 1024,
  outputBytes: 64 * 1024,
  drainBytes: 8 * 1024 * 1024,
};

export function prlimitArgs(limits: SandboxLimits): string[] {
  return [
    `--nproc=${limits.processes}`,
    `--data=${limits.memoryBytes}`,
    `--nofile=${limits.openFiles}`,
    `--fsize=${limits.fileSizeBytes}`,
    // A core dump of a 512 MiB process would be written into the workspace.
    '--core=0',
  ];
}
