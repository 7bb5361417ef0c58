import { describe, expect } from 'vitest';
import { AUTH, type TestApi, test } from './helper.js';

async function post(api: TestApi, payload: unknown) {
  return api.app.inject({
    method: 'POST',
    url: '/projects/import',
    headers: AUTH,
    payload: payload as object,
  });
}

const main = { path: 'main.py', content: 'print(1)\n' };

describe('manifests are read on arrival', () => {
  test('an import with a bad requirements.txt or package.json is a 400 naming the line; a good one is accepted', async ({
    api,
  }) => {
    const cases: [string, string, { path: string; content: string }, RegExp][] = [
      [
        'url',
        'python',
        { path: 'requirements.txt', content: 'Pillow\nhttps://evil.example/x.whl\n' },
        /requirements\.txt line 2: .* is not a package name or name==version/,
      ],
      ['option', 'python', { path: 'requirements.txt', content: '--extra-index-url http://x\n' }, /line 1/],
      ['range', 'python', { path: 'requirements.txt', content: 'numpy>=1.0\n' }, /line 1/],
      [
        'twice',
        'python',
        { path: 'requirements.txt', content: 'Pillow\npillow\n' },
        /pillow is declared twice/,
      ],
      [
        'many',
        'python',
        { path: 'requirements.txt', content: Array.from({ length: 51 }, (_, i) => `p${i}`).join('\n') },
        /declares 51 packages; at most 50/,
      ],
      [
        'big',
        'python',
        { path: 'requirements.txt', content: `# ${'x'.repeat(17_000)}\n` },
        /larger than 16384 bytes/,
      ],
      [
        'git',
        'javascript',
        { path: 'package.json', content: '{"dependencies":{"x":"git+https://evil.example/x.git"}}' },
        /dependency x: .* is not a version or range/,
      ],
      [
        'name',
        'javascript',
        { path: 'package.json', content: '{"dependencies":{"../x":"1.0.0"}}' },
        /is not a package name/,
      ],
      [
        'json',
        'javascript',
        { path: 'package.json', content: '{"dependencies":' },
        /package\.json is not JSON/,
      ],
    ];
    for (const [name, language, manifest, message] of cases) {
      const files = language === 'python' ? [main, manifest] : [{ path: 'index.js', content: '' }, manifest];
      const res = await post(api, { name: `bad-${name}`, language, files });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().message, name).toMatch(message);
    }
    const ok = await post(api, {
      name: 'good',
      language: 'python',
      files: [main, { path: 'requirements.txt', content: '# images\nPillow==10.0.0\nPyYAML\n' }],
    });
    expect(ok.statusCode).toBe(202);
  });
});
