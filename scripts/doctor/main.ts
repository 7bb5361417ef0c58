/**
 * `pnpm run doctor`: one table of what the service needs on this machine and whether it has it, each
 * missing item with the command that fixes it. Exit code 1 when something this configuration needs is
 * missing (optional and warn rows do not count), 2 when the environment itself is invalid.
 */
import { EnvError, isRedisUrlSet, loadEnv } from '@hardfix/core';
import {
  type DoctorInput,
  directories,
  model,
  nodeVersion,
  pnpmVersion,
  redis,
  registries,
  sandbox,
  toolchains,
  userNamespaces,
} from './checks.js';
import { type CheckResult, renderTable } from './table.js';

let env: DoctorInput['env'];
try {
  env = loadEnv();
} catch (err) {
  if (!(err instanceof EnvError)) throw err;
  process.stdout.write(`environment: invalid: ${err.issues.join('; ')}\n`);
  process.exit(2);
}
const input: DoctorInput = {
  env,
  redisUrlSet: isRedisUrlSet(),
  path: process.env.PATH ?? '/usr/bin:/bin',
  anthropicKeySet: Boolean(env.ANTHROPIC_API_KEY),
  pipIndexUrl: process.env.PIP_INDEX_URL || undefined,
  npmRegistry: process.env.NPM_CONFIG_REGISTRY || process.env.npm_config_registry || undefined,
};

// Independent checks run together: the sandbox self-test and the registry probes take seconds each.
const [nodeRow, pnpmRow, redisRow, userns, box, registryRows, directoryRows, modelRow] = await Promise.all([
  nodeVersion(),
  pnpmVersion(),
  redis(input),
  userNamespaces(),
  sandbox(input),
  registries(input),
  directories(input),
  model(input),
]);
const rows: CheckResult[] = [
  nodeRow,
  pnpmRow,
  redisRow,
  ...box.rows.slice(0, 1),
  userns,
  ...box.rows.slice(1),
  ...(await toolchains(box.health, box.interpreters)),
  ...registryRows,
  ...directoryRows,
  modelRow,
];
process.stdout.write(`${renderTable(rows)}\n`);
const missing = rows.filter((r) => r.status === 'missing');
process.stdout.write(
  missing.length
    ? `\n${missing.length} needed item(s) missing: ${missing.map((r) => r.check).join(', ')}\n`
    : '\nEverything this configuration needs is here.\n',
);
process.exit(missing.length ? 1 : 0);
