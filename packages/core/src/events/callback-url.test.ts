import { describe, expect, it } from 'vitest';
import { callbackUrlProblem, parseAllowedHosts } from './callback-url.js';

describe('callbackUrlProblem', () => {
  it('allows any http(s) host when no list is set', () => {
    expect(parseAllowedHosts(undefined)).toBeUndefined();
    expect(parseAllowedHosts(' , ')).toBeUndefined();
    expect(callbackUrlProblem('https://anywhere.example/x', { allowedHosts: undefined })).toBeUndefined();
    expect(callbackUrlProblem('file:///etc/passwd', { allowedHosts: undefined })).toBe(
      'must be an http or https URL',
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
