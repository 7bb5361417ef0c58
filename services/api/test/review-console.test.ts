import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LANGUAGES, PROJECT_STATUSES } from '@hardfix/contracts';
import { keys } from '@hardfix/core';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, harnessPerTest } from '../../worker/test/harness.js';
import { BROKEN_AREA, FIXED_AREA, stillBroken } from '../../worker/test/programs.js';
import { CONSOLE_CSP } from '../src/plugins/app/console.js';

/**
 * The review console in a real headless Chromium (Debian's, at /usr/bin/chromium; nothing downloaded)
 * against the real API, a real worker verifying in the sandbox, and the real SDK talking to the local
 * fake Messages API. `CONSOLE_SCREENSHOTS=<dir>` also saves a screenshot of each page (docs/ has them).
 */
const SHOTS = process.env.CONSOLE_SCREENSHOTS;

/** A program whose error is markup: if the page ever put a project string in as HTML, this would run. */
const HOSTILE_MARKUP = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';
const HOSTILE = {
  path: 'main.py',
  content: `MSG = ${JSON.stringify(HOSTILE_MARKUP)}\n\nraise ValueError(MSG)\n`,
};
const hostileBlock = (i: number) =>
  `MSG = ${JSON.stringify(HOSTILE_MARKUP)}\n\nraise ValueError(MSG + " ${i}")`;

// Each test starts the whole service and drives a browser: on a loaded two-core machine that is slow.
describe('review console at /ui/', { timeout: 120_000 }, () => {
  const startHarness = harnessPerTest();
  let context: BrowserContext;
  let userDataDir: string;

  beforeAll(async () => {
    userDataDir = await mkdtemp(join(tmpdir(), 'hardfix-console-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        '--disable-sync',
      ],
    });
  });
  afterAll(async () => {
    await context?.close();
    await rm(userDataDir, { recursive: true, force: true });
  });

  /**
   * Console errors and uncaught exceptions: a CSP violation ("Refused to execute …") shows up here.
   * Answers the test asks for (401 for a wrong token, 422 for a wrong fix) are logged as failed loads.
   */
  function watch(page: Page) {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    return problems;
  }

  it('is open, with a strict Content-Security-Policy, while the data it shows needs the token', async () => {
    const h = await startHarness();
    const page = await fetch(`${h.api.url}/ui/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).toContain('<script type="module" src="app.js"></script>');
    // No inline script: every <script> has a src.
    expect(html.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
    const script = await fetch(`${h.api.url}/ui/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    const bare = await fetch(`${h.api.url}/ui`, { redirect: 'manual' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/ui/');
    expect((await fetch(`${h.api.url}/ui/nothing-here.js`)).status).toBe(404);
    // Open means the page's own files only: nothing outside its folder.
    for (const outside of [
      '/ui/%2e%2e/app.ts',
      '/ui/..%2f..%2fpackage.json',
      '/ui/%2e%2e/%2e%2e/package.json',
    ]) {
      const res = await fetch(`${h.api.url}${outside}`);
      expect([400, 403, 404]).toContain(res.status);
      expect(await res.text()).not.toContain('@hardfix/api');
    }

    const id = (await h.post('/projects/import', { name: 'spec', language: 'python', files: [BROKEN_AREA] }))
      .body.id as string;
    for (const path of [`/projects/${id}/files`, `/projects/${id}/attempts`]) {
      expect((await fetch(`${h.api.url}${path}`)).status).toBe(401);
      expect((await h.get(path)).status).toBe(200);
    }
    expect((await h.get('/projects/nope/files')).status).toBe(404);
  });

  it('sign in, live list, a wrong fix shows the 422, the right fix delivers, abandon; project text never runs', async () => {
    const h = await startHarness({ HARD_FIX_MAX_ATTEMPTS: '2', RETRY_INTERVAL_MS: '10' });
    let i = 0;
    h.fake.setHandler((req) => {
      if (req.toolName !== 'replace_block') return undefined;
      return { tool: { code: req.userText.includes('hostile') ? hostileBlock(++i) : stillBroken(++i) } };
    });
    const stubborn = await h.importProject('stubborn', 'python', [BROKEN_AREA]);
    await h.waitForStatus(stubborn, ['manual-review']);

    // What the page reads: each attempt's failure and its diff against the attempt before it.
    const attempts = (await h.get(`/projects/${stubborn}/attempts`)).body.items as {
      stage: string;
      failure?: { type: string; output?: string };
      changes: { kind: string; files?: { path: string; change: string; diff?: string }[] };
    }[];
    expect(attempts.map((a) => [a.stage, a.changes.kind, a.failure?.type])).toEqual([
      ['import', 'first', 'NameError'],
      ['hard-fix', 'diff', 'NameError'],
      ['hard-fix', 'diff', 'NameError'],
    ]);
    expect(attempts[0]?.failure?.output).toContain('Traceback');
    expect(attempts[1]?.changes.files).toEqual([
      {
        path: 'main.py',
        change: 'modified',
        diff: '@@ -1,4 +1,4 @@\n def area(r):\n-    return PI * r * r\n+    return PI_1 * r * r\n \n print(area(2))',
      },
    ]);
    // Candidate 1 got no further, so it was reverted: candidate 2 patched the original files.
    expect(attempts[2]?.changes.files?.[0]?.diff).toContain(
      '-    return PI * r * r\n+    return PI_2 * r * r',
    );
    const source = (await h.get(`/projects/${stubborn}/files`)).body;
    expect(source).toMatchObject({
      files: [{ path: 'main.py', content: BROKEN_AREA.content }],
      lastFailure: { type: 'NameError', message: "name 'PI' is not defined" },
    });
    expect(source.prompt).toBeUndefined();

    const page = await context.newPage();
    const problems = watch(page);
    try {
      await page.goto(`${h.api.url}/ui/`);
      const tokenField = page.getByLabel('API token');
      await tokenField.fill('not-the-token');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Wrong API token.').waitFor();
      await tokenField.fill(API_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();

      const row = (name: string) =>
        page.locator('#review-list tr', { has: page.getByRole('link', { name }) });
      await row('stubborn').waitFor();
      expect(await row('stubborn').textContent()).toContain("NameError: name 'PI_2' is not defined");
      await expect.poll(() => page.locator('#live').textContent()).toBe('Live');
      // The token stays in this tab's sessionStorage and never goes into a URL.
      expect(await page.evaluate("sessionStorage.getItem('hardfix.apiToken')")).toBe(API_TOKEN);
      expect(page.url()).not.toContain(API_TOKEN);

      // Live: a project that arrives in review appears without a reload.
      const hostile = await h.importProject('hostile', 'python', [HOSTILE]);
      await row('hostile').waitFor({ timeout: 45_000 });
      await h.waitForStatus(hostile, ['manual-review']);
      // Its error is markup, shown as the text it is; nothing in it ran or became an element.
      await expect.poll(() => row('hostile').textContent()).toContain(`ValueError: ${HOSTILE_MARKUP}`);
      expect(await page.locator('main script, main img').count()).toBe(0);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'console-review-list.png'), fullPage: true });

      await page.getByRole('link', { name: 'stubborn' }).click();
      const status = page.locator('#project-status');
      await expect.poll(() => status.textContent()).toBe('manual-review');
      const editor = page.getByLabel('main.py', { exact: true });
      // The project's files: the original, since no candidate got further.
      expect(await editor.inputValue()).toBe(BROKEN_AREA.content);
      // Each attempt with what it changed against the files it patched.
      await page.getByText('#3 hard-fix 2').waitFor();
      const diffs = page.locator('.diff');
      expect(await diffs.count()).toBeGreaterThan(0);
      expect(await diffs.last().textContent()).toContain('+    return PI_2 * r * r');

      // A wrong fix: the 422's verification error is shown, and the editor keeps what was typed.
      await editor.fill(BROKEN_AREA.content);
      await page.getByRole('button', { name: 'Resolve' }).click();
      const result = page.locator('#resolve-result');
      await expect.poll(() => result.textContent(), { timeout: 30_000 }).toContain('The files do not verify');
      expect(await result.textContent()).toContain("NameError: name 'PI' is not defined");
      expect(await editor.inputValue()).toBe(BROKEN_AREA.content);
      expect(await status.textContent()).toBe('manual-review');
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'console-project-422.png'), fullPage: true });

      // The right fix delivers it, with a file the reviewer added.
      await editor.fill(FIXED_AREA.content);
      await page.getByLabel('New file path').fill('NOTES.txt');
      await page.getByRole('button', { name: 'Add file' }).click();
      await page.getByLabel('NOTES.txt', { exact: true }).fill('PI comes from math now.\n');
      await page.getByRole('button', { name: 'Resolve' }).click();
      await expect.poll(() => status.textContent(), { timeout: 30_000 }).toBe('delivered');
      // The event can announce it before the resolve request has its answer.
      await expect.poll(() => result.textContent()).toContain('Delivered to');
      expect((await h.store.mustGet(stubborn)).status).toBe('delivered');
      expect((await h.store.getFiles(stubborn)).files.map((f) => f.path).sort()).toEqual([
        'NOTES.txt',
        'main.py',
      ]);
      // The page re-renders on the delivered event and on the resolve answer, in either order.
      await expect.poll(() => page.getByRole('button', { name: 'Resolve' }).isVisible()).toBe(false);

      // The list: stubborn has left review; the hostile project's page shows its file as text.
      await page.getByRole('link', { name: 'Review', exact: true }).click();
      await row('hostile').waitFor();
      await expect.poll(() => row('stubborn').count()).toBe(0);
      await page.getByRole('link', { name: 'hostile' }).click();
      await expect.poll(() => status.textContent()).toBe('manual-review');
      await expect
        .poll(() => page.getByLabel('main.py', { exact: true }).inputValue())
        .toContain('<script>window.__pwned = 1</script>');
      await expect.poll(() => page.locator('.attempt').first().textContent()).toContain(HOSTILE_MARKUP);
      expect(await page.locator('main script, main img').count()).toBe(0);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'console-project.png'), fullPage: true });

      // Retry: back to hard fix with a fresh budget; two more attempts later it is in review again.
      await page.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => result.textContent()).toContain('Back to hard fix');
      await page.getByRole('heading', { name: 'Attempts (5)' }).waitFor({ timeout: 45_000 });
      await expect.poll(() => status.textContent()).toBe('manual-review');

      // Abandon needs a reason.
      await page.getByLabel('Reason for abandoning').fill('the program exists to raise');
      await page.getByRole('button', { name: 'Abandon' }).click();
      await expect.poll(() => status.textContent()).toBe('abandoned');
      expect(await h.store.mustGet(hostile)).toMatchObject({ abandonReason: 'the program exists to raise' });

      // Every project, any status, read-only.
      await page.getByRole('link', { name: 'Projects', exact: true }).click();
      await expect
        .poll(() => page.locator('#filter-status option').allTextContents())
        .toEqual(['All', ...PROJECT_STATUSES]);
      await page.getByRole('link', { name: 'stubborn' }).click();
      await expect.poll(() => status.textContent()).toBe('delivered');
      await expect.poll(() => page.getByRole('textbox').count()).toBe(0);
      await page
        .getByText(FIXED_AREA.content.split('\n')[0] as string)
        .first()
        .waitFor();

      // The library: the reviewer's fix, who used it, and Delete.
      await page.getByRole('link', { name: 'Library', exact: true }).click();
      const fix = page.locator('article.fix', { hasText: 'NameError' });
      await fix.waitFor();
      expect(await fix.textContent()).toContain('stubborn');
      // Its language filter offers what the API takes (the adapter registry, served in /ui/contracts.js).
      expect(await page.locator('#fix-language option').allTextContents()).toEqual(['All', ...LANGUAGES]);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'console-library.png'), fullPage: true });
      page.once('dialog', (dialog) => void dialog.accept());
      await fix.getByRole('button', { name: /^Delete the fix for NameError/ }).click();
      await expect.poll(() => fix.count()).toBe(0);
      expect((await h.get('/fixes')).body.total).toBe(0);

      // Nothing the projects carried ran, and the policy was never violated.
      expect(
        await page.evaluate(() => (globalThis as unknown as { __pwned?: number }).__pwned),
      ).toBeUndefined();
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  }, 240_000);

  it('keeps the token for the tab only: a reload stays signed in, another tab and Sign out do not', async () => {
    const h = await startHarness();
    const page = await context.newPage();
    const other = await context.newPage();
    try {
      await page.goto(`${h.api.url}/ui/`);
      if (SHOTS) await page.screenshot({ path: join(SHOTS, 'console-sign-in.png') });
      await page.getByLabel('API token').fill(API_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('No projects wait for review.').waitFor();
      await page.reload();
      await page.getByText('No projects wait for review.').waitFor();
      // sessionStorage belongs to one tab: a second tab of the same browser is asked for the token.
      await other.goto(`${h.api.url}/ui/`);
      await other.getByLabel('API token').waitFor();
      expect(await other.evaluate('sessionStorage.length')).toBe(0);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByLabel('API token').waitFor();
      expect(await page.evaluate("sessionStorage.getItem('hardfix.apiToken')")).toBeNull();
    } finally {
      await other.close();
      await page.close();
    }
  });

  it('a broken event stream is reopened with Last-Event-ID, so events sent in the gap still arrive', async () => {
    const h = await startHarness();
    const page = await context.newPage();
    // A network cut, from inside the page: the stream's body is passed through a stream the test can
    // break, and every GET /events records the Last-Event-ID it sends. (Init scripts are not page
    // content; the page's own policy still holds for everything else.)
    await page.addInitScript(() => {
      const w = globalThis as unknown as {
        __lastEventIds: (string | null)[];
        __cutEvents?: () => void;
        fetch: typeof fetch;
      };
      w.__lastEventIds = [];
      const realFetch = w.fetch.bind(w);
      w.fetch = async (input, init) => {
        const res = await realFetch(input, init);
        if (String(input) !== '/events' || !res.body) return res;
        w.__lastEventIds.push(new Headers(init?.headers).get('last-event-id'));
        let cut: TransformStreamDefaultController | undefined;
        const pass = new TransformStream({
          start: (controller) => {
            cut = controller;
          },
        });
        res.body.pipeTo(pass.writable).catch(() => undefined);
        w.__cutEvents = () => cut?.error(new Error('network cut'));
        return new Response(pass.readable, { status: res.status, headers: res.headers });
      };
    });
    /** A project that arrives in manual review: its status change writes the event. */
    const arrive = async (name: string) => {
      const created = await h.store.create({
        name,
        language: 'python',
        status: 'hard-fix',
        stage: 'hard-fix',
      });
      if (!created.created) throw new Error(`${name} exists`);
      await h.store.update(created.project.id, (p) => ({ ...p, status: 'manual-review', stage: 'manual' }));
    };
    const row = (name: string) => page.locator('#review-list tr', { has: page.getByRole('link', { name }) });
    try {
      await page.goto(`${h.api.url}/ui/`);
      await page.getByLabel('API token').fill(API_TOKEN);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.locator('#live').textContent()).toBe('Live');
      await arrive('first');
      await row('first').waitFor();
      const firstId = (await h.redis.redis.xrange(keys(h.env.QUEUE_PREFIX).events, '-', '+'))[0]?.[0];
      expect(firstId).toMatch(/^\d+-\d+$/);

      await page.evaluate(() => (globalThis as unknown as { __cutEvents: () => void }).__cutEvents());
      await expect.poll(() => page.locator('#live').textContent()).toMatch(/reconnecting/);
      await arrive('second');
      await row('second').waitFor();
      await expect.poll(() => page.locator('#live').textContent()).toBe('Live');
      expect(
        await page.evaluate(() => (globalThis as unknown as { __lastEventIds: unknown[] }).__lastEventIds),
      ).toEqual([null, firstId]);
    } finally {
      await page.close();
    }
  });
});
