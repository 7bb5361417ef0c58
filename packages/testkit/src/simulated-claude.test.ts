import { describe, expect, it } from 'vitest';
import type { FakeRequest } from './fake-anthropic-types.js';
import { parseBlockCode, parseRequestText, simulatedClaude } from './simulated-claude.js';

function request(toolName: string, userText: string): FakeRequest {
  const project = /^Project: (.+)$/m.exec(userText)?.[1];
  const language = /^Language: (.+)$/m.exec(userText)?.[1];
  return {
    toolName,
    system: '',
    messages: [],
    userText,
    projectName: project,
    language,
    body: {},
    headers: {},
  };
}

describe('simulated Claude', () => {
  it.each([
    ['python', 'main.py', /print\("hello-app: simulated program for: Print a greeting"\)/],
    ['javascript', 'index.js', /console\.log\("hello-app: simulated program for: Print a greeting"\)/],
    ['java', 'Main.java', /public class Main[\s\S]*System\.out\.println\("hello-app: simulated/],
    ['typescript', 'main.ts', /const message: string = "hello-app: simulated program for: Print a greeting"/],
  ])('writes a %s entry file derived from the request', (language, path, content) => {
    const reply = simulatedClaude(
      request(
        'write_files',
        `Project: hello-app\nLanguage: ${language}\n\n## Request\nPrint a greeting\n\n## Rules\nx`,
      ),
    );

    expect(reply).toMatchObject({ tool: { files: [{ path, content: expect.stringMatching(content) }] } });
  });

  it('keeps quotes and backslashes of the request out of the string literal', () => {
    const reply = simulatedClaude(
      request('write_files', 'Project: q\nLanguage: python\n\n## Request\nsay "hi" \\ and $HOME'),
    );

    expect(reply).toMatchObject({
      tool: { files: [{ content: expect.stringContaining('for: say hi  and HOME') }] },
    });
  });

  it('returns the hard-fix block unchanged, without its line-number gutter', () => {
    const text = 'Project: p\nLanguage: python\n\n<block>\n 9 | def f():\n10 |     return 1\n</block>\n';

    expect(parseBlockCode(text)).toBe('def f():\n    return 1');
    expect(simulatedClaude(request('replace_block', text))).toMatchObject({
      tool: { code: 'def f():\n    return 1' },
    });
  });

  it('reports a confident analysis and reads the request section up to the next heading', () => {
    expect(simulatedClaude(request('report_analysis', 'Project: p\nLanguage: java'))).toMatchObject({
      tool: { confidence: 0.9 },
    });
    expect(parseRequestText('Project: p\n\n## Request\nline one\nline two\n## Attempts\n...')).toBe(
      'line one\nline two',
    );
  });
});
