/** One event of `go test -json` (cmd/test2json): a test's start, output line or result. */
export interface TestEvent {
  Action: string;
  Package?: string;
  Test?: string;
  Output?: string;
}

/** The events in a test step's output; lines that are not events (the go command's own stderr) are skipped. */
export function testEvents(output: string): TestEvent[] {
  const events: TestEvent[] = [];
  for (const line of output.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line) as TestEvent;
      if (e && typeof e.Action === 'string') events.push(e);
    } catch {
      // A line cut by the output bound, or not JSON after all: not an event.
    }
  }
  return events;
}

/**
 * The output as a person would have read it without -json: each event's output text in order, and the
 * lines that were no events as they were (build errors, `# pkg` headers).
 */
export function plainOutput(output: string): string {
  const out: string[] = [];
  for (const line of output.split('\n')) {
    if (line.startsWith('{')) {
      try {
        const e = JSON.parse(line) as TestEvent;
        if (e && typeof e.Action === 'string') {
          if (e.Action === 'output' && typeof e.Output === 'string') out.push(e.Output.replace(/\n$/, ''));
          continue;
        }
      } catch {
        // Not an event: kept as it was.
      }
    }
    out.push(line);
  }
  return out.join('\n');
}

const TERMINAL = new Set(['pass', 'fail', 'skip']);

/** Results of top-level tests (a subtest, `TestA/case`, is part of its parent's result). */
export function testResults(events: readonly TestEvent[]): TestEvent[] {
  return events.filter((e) => TERMINAL.has(e.Action) && e.Test !== undefined && !e.Test.includes('/'));
}

/** Results of whole packages: the go command's `ok` / `FAIL` line for each. */
export function packageResults(events: readonly TestEvent[]): TestEvent[] {
  return events.filter((e) => TERMINAL.has(e.Action) && e.Test === undefined);
}
