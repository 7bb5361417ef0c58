import { callbackUrlProblem, type Env, parseAllowedHosts } from '@hardfix/core';
import { badRequest } from '../errors/http-error.js';

/**
 * A callback needs a key to sign with and a host the operator allows. Refused up front (400) rather
 * than accepted and never sent: the caller learns now, not a day of silent retries later.
 */
export function checkCallbackUrl(
  env: Pick<Env, 'WEBHOOK_SECRET' | 'WEBHOOK_ALLOWED_HOSTS'>,
  url: string | undefined,
): void {
  if (url === undefined) return;
  if (!env.WEBHOOK_SECRET)
    throw badRequest(
      'body.callbackUrl: webhooks are off on this service (WEBHOOK_SECRET is not set), so there is no key to sign them with',
    );
  const problem = callbackUrlProblem(url, { allowedHosts: parseAllowedHosts(env.WEBHOOK_ALLOWED_HOSTS) });
  if (problem) throw badRequest(`body.callbackUrl: ${problem}`);
}
