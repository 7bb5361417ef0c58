import { runMonitor } from './monitor.js';

// `pnpm monitor`: Ctrl-C ends the live view cleanly (exit 0, prompt on a fresh line).
const stop = new AbortController();
process.once('SIGINT', () => stop.abort());
const code = await runMonitor({
  argv: process.argv.slice(2),
  envUrl: process.env.HARDFIX_URL,
  envToken: process.env.HARDFIX_TOKEN,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  signal: stop.signal,
});
process.exitCode = code;
