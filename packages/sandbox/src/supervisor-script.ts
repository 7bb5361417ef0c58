/**
 * The shell script that runs a verification's steps inside one sandbox. One sandbox per verification
 * (not per step) so the workspace can be a sized tmpfs that lives from the compile step to the run
 * step, and so the pid namespace, whose init is this script's parent, ends every process the program
 * left behind when the script ends.
 *
 * File descriptors (opened by the host, inherited through prlimit and bwrap):
 * - 3: status lines from this script: `R` once the sandbox is up and the project is copied in,
 *   `B <i>` before step i, `E <i> <exit status>` after it;
 * - 4 + 2i, 5 + 2i: stdout and stderr of step i, so each step's output is its own.
 * Nothing above those is open: whatever the worker inherited was closed before the sandbox started
 * (close-inherited.ts).
 * Every step sees only its own two descriptors: the others are closed for it. It cannot copy them from
 * this script either (supervisor-shell.ts), and the host accepts only the exact line order this script
 * writes (run-supervised.ts).
 */
export interface ScriptStep {
  command: string[];
  env?: Record<string, string>;
  /** RLIMIT_AS for this step only, in bytes (prlimit lowers it for the step's process tree). */
  addressSpaceBytes: number;
}

export const STATUS_FD = 3;
export const stepFds = (i: number) => ({ out: 4 + 2 * i, err: 5 + 2 * i });

/** Exit status of the script when the project could not be copied into the workspace. */
export const COPY_FAILED = 125;

export interface SupervisorScriptOptions {
  steps: ScriptStep[];
  /** Where the read-only project files are (copied into `workdir` first); omitted when they are already there. */
  source?: string;
  workdir: string;
  prlimit: string;
}

export function supervisorScript(opts: SupervisorScriptOptions): string {
  const fds = [STATUS_FD, ...opts.steps.flatMap((_, i) => [stepFds(i).out, stepFds(i).err])];
  const lines = ['set -u'];
  if (opts.source !== undefined) {
    lines.push(
      `cp -R ${quote(`${opts.source}/.`)} ${quote(opts.workdir)} || { echo "copy failed" >&2; exit ${COPY_FAILED}; }`,
    );
  }
  lines.push(`echo R >&${STATUS_FD}`);
  opts.steps.forEach((step, i) => {
    const { out, err } = stepFds(i);
    const closeOthers = fds.map((fd) => `${fd}>&-`).join(' ');
    const env = Object.entries(step.env ?? {}).map(([k, v]) => `${assertName(k)}=${quote(v)}`);
    const argv = [opts.prlimit, `--as=${step.addressSpaceBytes}`, '--', ...step.command].map(quote);
    lines.push(
      `echo "B ${i}" >&${STATUS_FD}`,
      `${[...env, ...argv].join(' ')} </dev/null >&${out} 2>&${err} ${closeOthers}`,
      'rc=$?',
      `echo "E ${i} $rc" >&${STATUS_FD}`,
      '[ "$rc" -eq 0 ] || exit 0',
    );
  });
  lines.push('exit 0');
  return lines.join('\n');
}

/** Single-quotes a word for sh: nothing inside single quotes is special but the quote itself. */
export function quote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

function assertName(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid environment variable name ${name}`);
  return name;
}
