import { readdir } from 'node:fs/promises';
import { describe, expect } from 'vitest';
import { AUTH, hardFixJobs, type TestApi, test } from './helper.js';

const MAIN = { path: 'main.py', content: 'print("hello")\n' };
/** What `git status` in the delivered folder would run (issue 21: shown to run before this rule). */
const FSMONITOR = { path: '.git/config', content: '[core]\n\tfsmonitor = "touch /tmp/pwned"\n' };

async function importWith(api: TestApi, files: { path: string; content: string }[], name = 'legacy') {
  return api.app.inject({
    method: 'POST',
    url: '/projects/import',
    headers: AUTH,
    payload: { name, language: 'python', files },
  });
}

describe('file paths that run code when a delivery is opened are refused on arrival', () => {
  test('.git/config in an import is a 400 naming the path and why; nothing is stored, queued or delivered', async ({
    api,
  }) => {
    const res = await importWith(api, [MAIN, FSMONITOR]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'invalid_request',
      message:
        'body.files.1.path: ".git/config" is refused: .git is another tool\'s control name, which runs code or reads settings when the delivered project is opened',
    });
    expect((await api.store.list(undefined, 10)).items).toEqual([]);
    expect(await hardFixJobs(api)).toEqual([]);
    expect(await readdir(api.deliveryDir)).toEqual([]);
  });

  test('every control folder or file, anywhere in the path and in any spelling a file system folds, is a 400', async ({
    api,
  }) => {
    const refused = [
      '.git/hooks/post-checkout',
      '.git',
      'lib/.git/config',
      '.GIT/config',
      '.git./config',
      '.git /config',
      'git~1/config',
      '.hg/hgrc',
      '.svn/entries',
      '.vscode/tasks.json',
      'src/.idea/workspace.xml',
      '.envrc',
      'app/.npmrc',
      '.pypirc',
    ];
    for (const path of refused) {
      const res = await importWith(api, [MAIN, { path, content: 'x\n' }]);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().message, path).toContain(`${JSON.stringify(path)} is refused`);
    }
    // Names that only look alike are ordinary files.
    const accepted = [
      '.gitignore',
      '.github/workflows/ci.yml',
      'git/config',
      '.vscode-notes.md',
      '..config.py',
    ];
    const ok = await importWith(
      api,
      [MAIN, ...accepted.map((path) => ({ path, content: 'x\n' }))],
      'look-alikes',
    );
    expect(ok.statusCode, ok.body).toBe(202);
  });

  test('a file named "..." is refused at the API (the sandbox would refuse it too), with the reason', async ({
    api,
  }) => {
    for (const path of ['...', 'lib/..../x.py']) {
      const res = await importWith(api, [MAIN, { path, content: 'x\n' }]);
      expect(res.statusCode, path).toBe(400);
      expect(res.json().message).toMatch(
        /^body\.files\.1\.path: must not contain a segment made only of dots$/,
      );
    }
    expect((await api.store.list(undefined, 10)).items).toEqual([]);
  });

  test('POST /review/:id/resolve refuses a control path with a 400 before anything is verified', async ({
    api,
  }) => {
    const created = await api.store.create({
      name: 'in-review',
      language: 'python',
      status: 'manual-review',
      stage: 'manual',
      files: { files: [MAIN] },
    });
    if (!created.created) throw new Error('name taken');
    const res = await api.app.inject({
      method: 'POST',
      url: `/review/${created.project.id}/resolve`,
      headers: AUTH,
      payload: { files: [MAIN, { path: '.vscode/tasks.json', content: '{"tasks":[]}' }] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(
      /^body\.files\.1\.path: "\.vscode\/tasks\.json" is refused: \.vscode /,
    );
    expect((await api.store.mustGet(created.project.id)).status).toBe('manual-review');
  });
});
