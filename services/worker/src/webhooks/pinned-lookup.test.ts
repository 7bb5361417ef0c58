import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { BlockedAddressError, pinnedLookup, systemResolve } from './pinned-lookup.js';

function lookUp(publicOnly: boolean, hostname: string, all: boolean) {
  return new Promise<{ err: Error | null; result: unknown }>((resolve) =>
    pinnedLookup(systemResolve, publicOnly)(hostname, { all }, (err, address, family) =>
      resolve({ err, result: all ? address : { address, family } }),
    ),
  );
}

describe('pinnedLookup, through the system resolver', () => {
  it('refuses a name whose address is loopback, with or without `all`', async () => {
    for (const all of [true, false]) {
      const { err } = await lookUp(true, 'localhost', all);
      expect(err).toBeInstanceOf(BlockedAddressError);
      expect(err?.message).toMatch(
        /^host localhost resolves to an address callbacks may not reach \((127\.0\.0\.1|::1) is a loopback address\)/,
      );
    }
  });

  it('hands the socket the addresses it resolved when the host may be anywhere', async () => {
    const { err, result } = await lookUp(false, 'localhost', true);
    expect(err).toBeNull();
    expect((result as LookupAddress[]).map((a) => a.address)).toContain('127.0.0.1');
  });
});
