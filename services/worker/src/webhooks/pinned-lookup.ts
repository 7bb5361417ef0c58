import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressProblem } from '@hardfix/core';

/** Resolves a host name to all its addresses (dns.lookup by default: what Node itself would use). */
export type Resolve = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname) =>
  new Promise((resolve, reject) =>
    dnsLookup(hostname, { all: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))),
  );

/** A callback host that resolved to an address callbacks may not go to. */
export class BlockedAddressError extends Error {
  readonly code = 'blocked_address';
  constructor(hostname: string, problem: string) {
    super(
      `host ${hostname} resolves to an address callbacks may not reach (${problem}); callbacks go only to public addresses unless WEBHOOK_ALLOWED_HOSTS names the host`,
    );
    this.name = 'BlockedAddressError';
  }
}

/**
 * A `lookup` for the socket that connects to a callback: it resolves the name once and hands the socket
 * exactly the addresses it got. With `publicOnly` it first refuses the name when any of those addresses
 * is not public, so the check and the connection use one answer: a name that resolves to a public
 * address for a check and to 127.0.0.1 a moment later (DNS rebinding) cannot slip through between them.
 */
export function pinnedLookup(resolve: Resolve, publicOnly: boolean): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (all) => {
        if (publicOnly)
          for (const a of all) {
            const problem = addressProblem(a.address);
            if (problem) return callback(new BlockedAddressError(hostname, problem), '', 0);
          }
        const family = options.family === 4 || options.family === 6 ? options.family : undefined;
        const addresses = family ? all.filter((a) => a.family === family) : all;
        const first = addresses[0];
        if (!first) {
          const err = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
          return callback(err, '', 0);
        }
        if (options.all) return (callback as (e: null, a: LookupAddress[]) => void)(null, addresses);
        return callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}
