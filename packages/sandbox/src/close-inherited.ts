/**
 * The command line that runs `argv` with every descriptor above `highestOwnFd` closed. The worker may
 * have been started holding descriptors it never opened (a process manager's log, a wrapper's file,
 * socket activation); Node passes on whatever is not close-on-exec, and bubblewrap passes the rest into
 * the sandbox, where the program could read or write them. The supervisor's shell (dash) cannot name a
 * descriptor above 9, so bash closes them (whatever their number, as read from /proc/self/fd) and then
 * becomes `argv`: nothing of the sandbox, prlimit and bubblewrap included, ever holds them.
 */
export function closeInheritedArgv(bash: string, highestOwnFd: number, argv: string[]): string[] {
  return [bash, '-c', CLOSE_ABOVE, 'hardfix-close-fds', String(highestOwnFd), ...argv];
}

// The glob's own directory descriptor is listed too, and already closed when the loop reaches it.
const CLOSE_ABOVE = [
  'keep=$1; shift',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash's parameter expansion, not a template
  'for fd in /proc/self/fd/*; do fd=${fd##*/}; if [ "$fd" -gt "$keep" ]; then exec {fd}>&-; fi; done 2>/dev/null',
  'exec "$@"',
].join('\n');
