import { describe, expect, it } from 'vitest';
import { callbackUrlProblem, parseAllowedHosts } from './callback-url.js';

describe('callbackUrlProblem', () => {
  it('allows any http(s) host name when no list is set', () => {
    expect(parseAllowedHosts(undefined)).toBeUndefined();
    expect(parseAllowedHosts(' , ')).toBeUndefined();
    expect(callbackUrlProblem('https://anywhere.example/x', { allowedHosts: undefined })).toBeUndefined();
    expect(callbackUrlProblem('file:///etc/passwd', { allowedHosts: undefined })).toBe(
      'must be an http or https URL',
    );
  });

  it('without a list, refuses addresses that are not public (literal ones here; names after DNS, in the worker)', () => {
    const open = { allowedHosts: undefined };
    for (const url of [
      'http://2130706433:3918/',
      'http://127.1/',
      'http://0x7f000001/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:8.8.8.8]/',
      'http://localhost/',
      'http://LOCALHOST./',
      'http://172.16.0.1/',
      'http://100.64.0.1/',
      'http://[2002:7f00:1::]/',
    ])
      expect(callbackUrlProblem(url, open), url).toMatch(/; callbacks go only to public addresses/);
    expect(callbackUrlProblem('http://8.8.8.8/', open)).toBeUndefined();
    expect(callbackUrlProblem('http://[2606:4700::1111]/', open)).toBeUndefined();
    expect(callbackUrlProblem('http://localhost.example.com/', open)).toBeUndefined();
  });

  it('a host named in the list is allowed at any address, loopback included', () => {
    const policy = { allowedHosts: parseAllowedHosts('127.0.0.1,localhost') };
    expect(callbackUrlProblem('http://127.0.0.1:3918/', policy)).toBeUndefined();
    expect(callbackUrlProblem('http://localhost:3918/', policy)).toBeUndefined();
    // The list names hosts, not addresses: another spelling of 127.0.0.1 is the same host once parsed.
    expect(callbackUrlProblem('http://2130706433:3918/', policy)).toBeUndefined();
    expect(callbackUrlProblem('http://10.0.0.1/', policy)).toBe(
      'host 10.0.0.1 is not in WEBHOOK_ALLOWED_HOSTS',
    );
  });

  it('matches a host name on any port, or a host:port exactly, case-insensitively', () => {
    const policy = { allowedHosts: parseAllowedHosts('Hooks.Example.com,10.0.0.5:8080,::1') };
    expect(callbackUrlProblem('https://hooks.example.com:9443/x', policy)).toBeUndefined();
    expect(callbackUrlProblem('HTTP://HOOKS.EXAMPLE.COM/x', policy)).toBeUndefined();
    expect(callbackUrlProblem('http://10.0.0.5:8080/x', policy)).toBeUndefined();
    expect(callbackUrlProblem('http://[::1]:3000/x', policy)).toBeUndefined();
    expect(callbackUrlProblem('http://10.0.0.5:8081/x', policy)).toBe(
      'host 10.0.0.5:8081 is not in WEBHOOK_ALLOWED_HOSTS',
    );
    // A look-alike suffix or a user-info trick is not the allowed host.
    expect(callbackUrlProblem('https://hooks.example.com.evil.net/x', policy)).toMatch(/is not in/);
    expect(callbackUrlProblem('https://hooks.example.com@evil.net/x', policy)).toMatch(
      /user name or password/,
    );
  });
});
