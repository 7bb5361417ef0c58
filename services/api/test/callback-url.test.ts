import { lookup } from 'node:dns/promises';
import { hostname } from 'node:os';
import { addressProblem } from '@hardfix/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, createBody, startTestApi, type TestApi } from './helper.js';

const SECRET = 'api-test-secret-0123456789';
const FILES = [{ path: 'main.py', content: 'print(1)\n' }];

describe('callbackUrl on POST /projects and POST /projects/import', () => {
  let api: (TestApi & { close(): Promise<void> }) | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  const post = (url: string, payload: object) =>
    (api as TestApi).app.inject({ method: 'POST', url, headers: AUTH, payload });
  const routes: [string, (extra: Record<string, unknown>) => object][] = [
    ['/projects', (extra) => createBody(extra)],
    ['/projects/import', (extra) => ({ name: 'resizer', language: 'python', files: FILES, ...extra })],
  ];

  for (const [route, body] of routes) {
    it(`${route}: without WEBHOOK_SECRET a callbackUrl is a 400 that says so; nothing is stored`, async () => {
      api = await startTestApi();
      const res = await post(route, body({ callbackUrl: 'http://127.0.0.1:9/hook' }));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: 'invalid_request',
        message: expect.stringMatching(/^body\.callbackUrl: .*WEBHOOK_SECRET is not set/),
      });
      expect((await api.store.list(undefined, 10)).items).toEqual([]);
      // Without a callback the same request is fine.
      expect((await post(route, body({}))).statusCode).toBe(202);
    });

    it(`${route}: a host outside WEBHOOK_ALLOWED_HOSTS, a non-http URL, or a user:password is a 400 naming the field`, async () => {
      api = await startTestApi({
        env: { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOWED_HOSTS: 'hooks.example.com, 127.0.0.1:8443' },
      });
      const cases: [string, RegExp][] = [
        [
          'https://evil.example.net/hook',
          /^body\.callbackUrl: host evil\.example\.net is not in WEBHOOK_ALLOWED_HOSTS$/,
        ],
        [
          'http://127.0.0.1:9999/hook',
          /^body\.callbackUrl: host 127\.0\.0\.1:9999 is not in WEBHOOK_ALLOWED_HOSTS$/,
        ],
        ['ftp://hooks.example.com/hook', /^body\.callbackUrl: must be an http or https URL$/],
        ['not a url', /^body\.callbackUrl: must be an absolute URL$/],
        [
          'https://user:pw@hooks.example.com/hook',
          /^body\.callbackUrl: must not carry a user name or password$/,
        ],
      ];
      for (const [callbackUrl, message] of cases) {
        const res = await post(route, body({ callbackUrl }));
        expect(res.statusCode, callbackUrl).toBe(400);
        expect(res.json().message, callbackUrl).toMatch(message);
      }
      expect((await api.store.list(undefined, 10)).items).toEqual([]);

      const ok = await post(route, body({ callbackUrl: 'https://HOOKS.example.com/hardfix?team=7' }));
      expect(ok.statusCode).toBe(202);
      const project = await api.store.mustGet(ok.json().id);
      expect(project.callbackUrl).toBe('https://HOOKS.example.com/hardfix?team=7');
      // A retry of the same request is the same project; the same name with another callback is not.
      const again = await post(route, body({ callbackUrl: 'https://HOOKS.example.com/hardfix?team=7' }));
      expect(again.json().id).toBe(project.id);
      const other = await post(route, body({ callbackUrl: 'https://hooks.example.com/other' }));
      expect(other.statusCode).toBe(409);
      expect(other.json().message).toContain('callbackUrl');
      const pinned = await post(route, {
        ...(body({ callbackUrl: 'http://127.0.0.1:8443/hook' }) as object),
        name: 'pinned',
      });
      expect(pinned.statusCode).toBe(202);
    });
  }

  for (const [route, body] of routes) {
    it(`${route}: without WEBHOOK_ALLOWED_HOSTS, a loopback, private or link-local address is a 400 in every spelling`, async () => {
      api = await startTestApi({ env: { WEBHOOK_SECRET: SECRET } });
      const refused: [string, string][] = [
        ['http://2130706433:3918/', '127.0.0.1 is a loopback address'],
        ['http://127.1:3918/', '127.0.0.1 is a loopback address'],
        ['http://0x7f000001:3918/', '127.0.0.1 is a loopback address'],
        ['http://[::ffff:127.0.0.1]:3918/', '::ffff:7f00:1 is an IPv4-mapped address'],
        ['http://localhost:3918/', 'localhost is a loopback name'],
        ['http://api.localhost/', 'api.localhost is a loopback name'],
        ['http://[::1]/', '::1 is a loopback address'],
        ['http://0.0.0.0:6379/', '0.0.0.0 is an unspecified address'],
        ['http://10.1.2.3/', '10.1.2.3 is a private address'],
        ['http://192.168.0.1/', '192.168.0.1 is a private address'],
        ['http://169.254.169.254/latest/meta-data/', '169.254.169.254 is a link-local address'],
        ['http://[fd00::1]/', 'fd00::1 is a unique-local address'],
        ['http://[fe80::1]/', 'fe80::1 is a link-local address'],
        ['http://[64:ff9b::7f00:1]/', '64:ff9b::7f00:1 is a NAT64 address'],
      ];
      for (const [callbackUrl, why] of refused) {
        const res = await post(route, body({ callbackUrl }));
        expect(res.statusCode, callbackUrl).toBe(400);
        expect(res.json().message, callbackUrl).toBe(
          `body.callbackUrl: host ${why}; callbacks go only to public addresses unless WEBHOOK_ALLOWED_HOSTS names the host`,
        );
      }
      // A name that resolves to such an address (this machine's own name: /etc/hosts gives it a
      // loopback address here and in CI) is refused by the address it resolves to.
      const own = hostname();
      const address = (await lookup(own)).address;
      expect(addressProblem(address), `${own} should resolve to a non-public address here`).toBeDefined();
      const named = await post(route, body({ callbackUrl: `http://${own}:3918/hook` }));
      expect(named.statusCode).toBe(400);
      expect(named.json().message).toBe(
        `body.callbackUrl: host ${own} resolves to ${addressProblem(address)}; callbacks go only to public addresses unless WEBHOOK_ALLOWED_HOSTS names the host`,
      );
      expect((await api.store.list(undefined, 10)).items).toEqual([]);
      // A public address, or a name that does not resolve from here (judged again by its address when
      // the webhook is sent), is accepted.
      expect((await post(route, body({ callbackUrl: 'https://hooks.example.com/x' }))).statusCode).toBe(202);
      expect(
        (
          await post(route, {
            ...(body({ callbackUrl: 'http://93.184.215.14/x' }) as object),
            name: 'public',
          })
        ).statusCode,
      ).toBe(202);
    });
  }

  it('GET /projects/:id lists the events, and never shows the callback URL', async () => {
    api = await startTestApi({ env: { WEBHOOK_SECRET: SECRET, WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' } });
    const created = await post(
      '/projects',
      createBody({ callbackUrl: 'http://127.0.0.1:9/hook?token=secret' }),
    );
    const id = created.json().id as string;
    await api.store.update(id, (p) => ({ ...p, status: 'manual-review', stage: 'manual' }));
    const res = await api.app.inject({ method: 'GET', url: `/projects/${id}`, headers: AUTH });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('token=secret');
    const project = await api.store.mustGet(id);
    expect(res.json().events).toEqual([
      {
        id: `evt-${id}-${project.version}`,
        type: 'project.manual_review',
        projectId: id,
        name: 'resizer',
        status: 'manual-review',
        at: project.updatedAt,
        delivery: { state: 'pending', attempts: 0 },
      },
    ]);
    const list = await api.app.inject({ method: 'GET', url: '/projects', headers: AUTH });
    expect(list.body).not.toContain('token=secret');
  });
});
