import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MANUAL_QUEUE, QUEUE_NAMES, WEBHOOK_QUEUE } from '@hardfix/contracts';
import { loadEnv } from '@hardfix/core';
import { createRedisFixture } from '@hardfix/testkit';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startApi } from '../src/server.js';
import { silentLogger, TOKEN, test } from './helper.js';

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

describe('Bull Board at /admin/queues', () => {
  test('asks for a login, refuses a wrong password, and serves the board with the API token', async ({
    api,
  }) => {
    const none = await api.app.inject({ method: 'GET', url: '/admin/queues' });
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm="hardfix"/);
    expect(none.json()).toMatchObject({ error: 'unauthorized' });

    const wrong = await api.app.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: basic('admin', 'not-the-token') },
    });
    expect(wrong.statusCode).toBe(401);
    // A bearer token is for scripts; the board wants the browser login.
    const bearer = await api.app.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(bearer.statusCode).toBe(401);

    const page = await api.app.inject({
      method: 'GET',
      url: '/admin/queues',
      headers: { authorization: basic('admin', TOKEN) },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
  });

  test('its JSON API lists every stage queue, the manual queue and the webhooks queue, and its write routes need the login, not a bearer token', async ({
    api,
  }) => {
    const listed = await api.app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { authorization: basic('admin', TOKEN) },
    });
    expect(listed.statusCode).toBe(200);
    const names = (listed.json() as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual([...QUEUE_NAMES, MANUAL_QUEUE, WEBHOOK_QUEUE].sort());

    const unauthenticated = await api.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/generation/pause',
    });
    expect(unauthenticated.statusCode).toBe(401);
    const paused = await api.app.inject({
      method: 'PUT',
      url: '/admin/queues/api/queues/generation/pause',
      headers: { authorization: basic('admin', TOKEN) },
    });
    expect(paused.statusCode).toBe(200);
    expect(await api.queues.generation.isPaused()).toBe(true);
  });

  it('in a real headless Chromium: logs in and sees every stage queue, the manual queue and the webhooks queue', async () => {
    const redis = await createRedisFixture();
    const deliveryDir = await mkdtemp(join(tmpdir(), 'hardfix-board-'));
    const env = loadEnv({
      REDIS_URL: redis.url,
      QUEUE_PREFIX: redis.prefix,
      HOST: '127.0.0.1',
      PORT: '0',
      API_TOKEN: TOKEN,
      DELIVERY_DIR: deliveryDir,
      LOG_LEVEL: 'silent',
    });
    const running = await startApi(env, silentLogger);
    const userDataDir = await mkdtemp(join(tmpdir(), 'hardfix-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      httpCredentials: { username: 'admin', password: TOKEN },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${running.url}/admin/queues`);
      expect(response?.status()).toBe(200);
      for (const name of [...QUEUE_NAMES, MANUAL_QUEUE, WEBHOOK_QUEUE]) {
        await page.getByText(name, { exact: true }).first().waitFor({ timeout: 15_000 });
      }
      expect(await page.title()).toContain('Hard Fix');
      if (process.env.BOARD_SCREENSHOT) await page.screenshot({ path: process.env.BOARD_SCREENSHOT });
    } finally {
      await context.close();
      await running.close();
      await redis.cleanup();
      await rm(userDataDir, { recursive: true, force: true });
      await rm(deliveryDir, { recursive: true, force: true });
    }
  });
});
