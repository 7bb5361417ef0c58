import { addressProblem, literalAddress } from './callback-address.js';

/** WEBHOOK_ALLOWED_HOSTS as a list: lower-cased host names, or `host:port` to pin a port too. */
export function parseAllowedHosts(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const hosts = value
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  return hosts.length ? hosts : undefined;
}

export interface CallbackPolicy {
  /**
   * Undefined: any host whose address is public (checked again after DNS, see publicOnlyLookup in the
   * worker). A list: only these hosts, at whatever address they have: the operator named them.
   */
  allowedHosts: string[] | undefined;
}

export const PUBLIC_ONLY =
  'callbacks go only to public addresses unless WEBHOOK_ALLOWED_HOSTS names the host';

/** True when the operator named this URL's host (or host:port) in WEBHOOK_ALLOWED_HOSTS. */
export function isAllowedHost(url: URL, policy: CallbackPolicy): boolean {
  // URL lower-cases the host and drops a default port, so `host` is the form the list is compared with.
  const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return policy.allowedHosts?.some((h) => h === hostname || h === url.host) ?? false;
}

/**
 * Why a callback URL may not be used, or undefined when it may. Checked when a project is submitted and
 * again before every send, so narrowing WEBHOOK_ALLOWED_HOSTS also stops callbacks already queued.
 * Without a list, an address written in the URL must be public (URL has already turned `2130706433`,
 * `127.1` and `0x7f000001` into `127.0.0.1`), and `localhost` is refused by name; any other name is
 * judged by the address it resolves to, when the webhook is sent.
 */
export function callbackUrlProblem(url: string, policy: CallbackPolicy): string | undefined {
  if (!URL.canParse(url)) return 'is not an absolute URL';
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  if (policy.allowedHosts)
    return isAllowedHost(parsed, policy) ? undefined : `host ${parsed.host} is not in WEBHOOK_ALLOWED_HOSTS`;
  const address = literalAddress(parsed.hostname);
  if (address) {
    const problem = addressProblem(address);
    return problem ? `host ${problem}; ${PUBLIC_ONLY}` : undefined;
  }
  const name = parsed.hostname.replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost'))
    return `host ${parsed.hostname} is a loopback name; ${PUBLIC_ONLY}`;
  return undefined;
}
