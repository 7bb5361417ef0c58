import { lookup } from 'node:dns/promises';
import {
  addressProblem,
  callbackUrlProblem,
  type Env,
  literalAddress,
  PUBLIC_ONLY,
  parseAllowedHosts,
} from '@hardfix/core';
import { badRequest } from '../errors/http-error.js';
import { withTimeout } from './with-timeout.js';

/** How long a submission waits for its callback host's name to resolve before it is taken anyway. */
const LOOKUP_WAIT_MS = 2_000;

/**
 * A callback needs a key to sign with and a host the operator allows. Refused up front (400) rather
 * than accepted and never sent: the caller learns now, not a day of silent retries later. A host name
 * that resolves to an address callbacks may not reach (loopback, private, …) is refused too; one that
 * does not resolve from here, or not in time, is taken: the sender resolves and checks it again before
 * every delivery (the worker's pinned lookup), which is what keeps a callback off internal addresses.
 */
export async function checkCallbackUrl(
  env: Pick<Env, 'WEBHOOK_SECRET' | 'WEBHOOK_ALLOWED_HOSTS'>,
  url: string | undefined,
): Promise<void> {
  if (url === undefined) return;
  if (!env.WEBHOOK_SECRET)
    throw badRequest(
      'body.callbackUrl: webhooks are off on this service (WEBHOOK_SECRET is not set), so there is no key to sign them with',
    );
  const allowedHosts = parseAllowedHosts(env.WEBHOOK_ALLOWED_HOSTS);
  const problem = callbackUrlProblem(url, { allowedHosts });
  if (problem) throw badRequest(`body.callbackUrl: ${problem}`);
  const { hostname } = new URL(url);
  if (allowedHosts || literalAddress(hostname)) return;
  const addresses = await resolved(hostname);
  const refused = addresses.map(addressProblem).find((p) => p !== undefined);
  if (refused) throw badRequest(`body.callbackUrl: host ${hostname} resolves to ${refused}; ${PUBLIC_ONLY}`);
}

/** The host's addresses; none when it does not resolve from here, or not in time (the send checks again). */
function resolved(hostname: string): Promise<string[]> {
  return withTimeout(
    lookup(hostname, { all: true, verbatim: true }).then((all) => all.map((a) => a.address)),
    LOOKUP_WAIT_MS,
    () => new Error(`${hostname} did not resolve in ${LOOKUP_WAIT_MS} ms`),
  ).catch(() => []);
}
