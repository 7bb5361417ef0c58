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
  /** Undefined: any host. */
  allowedHosts: string[] | undefined;
}

/**
 * Why a callback URL may not be used, or undefined when it may. Checked when a project is submitted and
 * again before every send, so narrowing WEBHOOK_ALLOWED_HOSTS also stops callbacks already queued.
 */
export function callbackUrlProblem(url: string, policy: CallbackPolicy): string | undefined {
  if (!URL.canParse(url)) return 'is not an absolute URL';
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return 'must be an http or https URL';
  if (parsed.username || parsed.password) return 'must not carry a user name or password';
  const { allowedHosts } = policy;
  if (!allowedHosts) return undefined;
  // URL lower-cases the host and drops a default port, so `host` is the form the list is compared with.
  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const allowed = allowedHosts.some((h) => h === hostname || h === parsed.host);
  return allowed ? undefined : `host ${parsed.host} is not in WEBHOOK_ALLOWED_HOSTS`;
}
