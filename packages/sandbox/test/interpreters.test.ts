import { realpathSync } from 'node:fs';
import { chmod, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_INTERPRETERS, resolveInterpreters } from '../src/interpreters.js';

/** As in the official node images: python and the JDK from Debian, no /usr/bin/node. */
const NO_USR_BIN_NODE = { ...DEFAULT_INTERPRETERS, node: '/nonexistent/usr/bin/node' };

let outsideUsr: string;
let nodeOutsideUsr: string;
beforeAll(async () => {
  outsideUsr = await mkdtemp(join(tmpdir(), 'hardfix-interpreters-'));
  nodeOutsideUsr = join(outsideUsr, 'node');
  await copyFile('/usr/bin/true', nodeOutsideUsr);
  await chmod(nodeOutsideUsr, 0o755);
});
afterAll(async () => {
  await rm(outsideUsr, { recursive: true, force: true });
});

describe('resolveInterpreters', () => {
  it('without /usr/bin/node, uses the service’s own node when it lives under /usr (/usr/local/bin in the node images)', () => {
    // Any executable under /usr stands in for the image's /usr/local/bin/node.
    const ownNode = realpathSync('/usr/bin/true');
    const { interpreters, missing } = resolveInterpreters({}, { defaults: NO_USR_BIN_NODE, ownNode });
    expect(missing).not.toContain('node');
    expect(interpreters.node).toBe(ownNode);
  });

  it('does not fall back to a node outside /usr: the sandbox mounts /usr only, so it would not exist there', () => {
    const { interpreters, missing } = resolveInterpreters(
      {},
      { defaults: NO_USR_BIN_NODE, ownNode: nodeOutsideUsr },
    );
    expect(missing).toContain('node');
    expect(interpreters.node).toBe(NO_USR_BIN_NODE.node);
  });

  it('a path the operator chose is used as given, never replaced by the fallback', () => {
    const { interpreters, missing } = resolveInterpreters(
      { node: '/nonexistent/node' },
      { defaults: NO_USR_BIN_NODE },
    );
    expect(missing).toEqual(['node']);
    expect(interpreters.node).toBe('/nonexistent/node');
  });
});
