import { describe, expect, it } from 'vitest';
import { isHashTagged, parseClusterUrl } from './redis-url.js';

describe('parseClusterUrl', () => {
  it('reads nodes, credentials and TLS', () => {
    expect(parseClusterUrl('rediss+cluster://u:p%40ss@10.0.0.1:7000,[::1]:7001')).toEqual({
      tls: true,
      username: 'u',
      password: 'p@ss',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: '::1', port: 7001 },
      ],
    });
  });

  it('leaves a plain URL alone', () => {
    expect(parseClusterUrl('redis://127.0.0.1:6379/2')).toBeUndefined();
  });

  it('names a bad node', () => {
    expect(() => parseClusterUrl('redis+cluster://a:1,b:x')).toThrow('cluster node "b:x" must be host:port');
  });
});

describe('isHashTagged', () => {
  it('follows Redis: the first { and the next }, with something between', () => {
    expect(isHashTagged('{hardfix}')).toBe(true);
    expect(isHashTagged('a{b}')).toBe(true);
    expect(isHashTagged('{{b}}')).toBe(true);
    expect(isHashTagged('hardfix')).toBe(false);
    expect(isHashTagged('{}x}')).toBe(false);
    expect(isHashTagged('}x{')).toBe(false);
  });
});
