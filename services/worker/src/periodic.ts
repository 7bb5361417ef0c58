/**
 * Runs `task` every `intervalMs` until closed, never two at once (a slow pass is not stacked on by the
 * next tick); a failed pass goes to `onError` and the next tick tries again. The timer does not keep
 * the process alive.
 */
export function runEvery(
  intervalMs: number,
  task: () => Promise<unknown>,
  onError: (err: unknown) => void,
): { close(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    task()
      .catch(onError)
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { close: () => clearInterval(timer) };
}
