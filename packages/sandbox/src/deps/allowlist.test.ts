import { describe, expect, it } from 'vitest';
import { Allowlist } from './allowlist.js';

const ECOSYSTEMS = [
  { ecosystem: 'pypi', normalize: (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-') },
  { ecosystem: 'npm', normalize: (n: string) => n.toLowerCase() },
];

describe('DEPENDENCY_ALLOWLIST', () => {
  it('* or an empty list allows any package', () => {
    for (const raw of ['*', '', ' , ']) {
      const list = new Allowlist(raw, ECOSYSTEMS);
      expect(list.any).toBe(true);
      expect(list.allows('anything', 'npm')).toBe(true);
      expect(list.listed).toEqual([]);
    }
  });

  it('a bare name is allowed in every ecosystem, in its normal form there', () => {
    const list = new Allowlist('Pillow, typing_extensions', ECOSYSTEMS);
    expect(list.allows('pillow', 'pypi')).toBe(true);
    expect(list.allows('typing-extensions', 'pypi')).toBe(true);
    expect(list.allows('PILLOW', 'npm')).toBe(true);
    expect(list.allows('requests', 'pypi')).toBe(false);
  });

  it('a scoped name only in its ecosystem: PyPI requests is not npm requests', () => {
    const list = new Allowlist('pypi:requests, npm:left-pad, lodash', ECOSYSTEMS);
    expect(list.allows('requests', 'pypi')).toBe(true);
    expect(list.allows('requests', 'npm')).toBe(false);
    expect(list.allows('left-pad', 'npm')).toBe(true);
    expect(list.allows('left-pad', 'pypi')).toBe(false);
    expect(list.listed).toEqual(['pypi:requests', 'npm:left-pad', 'lodash']);
    expect(list.listedFor('pypi')).toEqual(['requests', 'lodash']);
    expect(list.listedFor('npm')).toEqual(['left-pad', 'lodash']);
  });

  it('a scope that is no ecosystem is refused with what to write instead', () => {
    expect(() => new Allowlist('pip:requests', ECOSYSTEMS)).toThrow(
      'DEPENDENCY_ALLOWLIST: "pip:requests" names no package ecosystem this service installs from (pypi, npm); write pypi:requests or npm:requests, or requests for all',
    );
  });
});
