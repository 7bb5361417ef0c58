/**
 * Runs the fake Messages API with the simulated Claude until interrupted, for `pnpm demo`:
 *   tsx packages/testkit/src/serve.ts [port] [host]
 * Prints one line `ANTHROPIC_BASE_URL=<url>` on stdout so a script can read it. The host defaults to
 * 127.0.0.1; scripts/container-smoke.sh passes the host's own address so containers can reach it.
 */
import { startFakeAnthropic } from './fake-anthropic.js';

const port = Number(process.argv[2] ?? 0);
const host = process.argv[3];
const fake = await startFakeAnthropic({
  port: Number.isInteger(port) && port >= 0 ? port : 0,
  ...(host ? { host } : {}),
});
process.stdout.write(`ANTHROPIC_BASE_URL=${fake.url}\n`);
process.stderr.write('Simulated Claude endpoint: answers are canned, no real model is called.\n');

const stop = () => {
  fake.close().finally(() => process.exit(0));
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
