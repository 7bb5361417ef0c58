/** `redis+cluster://` (or `rediss+cluster://` for TLS) names a Redis Cluster by some of its nodes. */
const CLUSTER_URL = /^(rediss?)\+cluster:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/?#]+)\/?$/;

export interface ClusterUrl {
  tls: boolean;
  username?: string | undefined;
  password?: string | undefined;
  nodes: { host: string; port: number }[];
}

/**
 * Parses `redis+cluster://[user:password@]host:port[,host:port...]`; undefined for a plain redis://
 * URL. Throws on a cluster URL it cannot read, naming the bad part.
 */
export function parseClusterUrl(url: string): ClusterUrl | undefined {
  if (!isClusterUrl(url)) return undefined;
  const m = CLUSTER_URL.exec(url);
  if (!m) throw new Error('must be redis+cluster://[user:password@]host:port[,host:port...]');
  const [, scheme, user, password, hosts = ''] = m;
  const nodes = hosts.split(',').map((node) => {
    const at = node.lastIndexOf(':');
    const port = Number(node.slice(at + 1));
    if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535)
      throw new Error(`cluster node "${node}" must be host:port`);
    return { host: node.slice(0, at).replace(/^\[|\]$/g, ''), port };
  });
  return {
    tls: scheme === 'rediss',
    username: user ? decodeURIComponent(user) : undefined,
    password: password ? decodeURIComponent(password) : undefined,
    nodes,
  };
}

/**
 * Whether every key `<prefix>:...` lands in one Redis Cluster slot: the prefix holds a hash tag (Redis
 * hashes only what lies between the first `{` and the next `}`, when that is not empty), e.g. `{hardfix}`.
 */
export function isHashTagged(prefix: string): boolean {
  const open = prefix.indexOf('{');
  return open >= 0 && prefix.indexOf('}', open + 1) > open + 1;
}

export const isClusterUrl = (url: string) => /^rediss?\+cluster:/.test(url);
