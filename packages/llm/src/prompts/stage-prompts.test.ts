import { describe, expect, it } from 'vitest';
import { analysisPrompt } from './analysis-prompt.js';
import { generationPrompt } from './generation-prompt.js';
import { smartRetryPrompt } from './smart-retry-prompt.js';

const attempts = [
  {
    n: 2,
    files: [{ path: 'main.py', content: 'from PIL import Image\nImage.open("x")\n' }],
    error: { type: 'ModuleNotFoundError', message: "No module named 'PIL'" },
    output: 'Traceback (most recent call last):\n  File "main.py", line 1',
  },
  {
    n: 1,
    files: [{ path: 'main.py', content: 'Image.open("x")\n' }],
    error: { type: 'NameError', message: "name 'Image' is not defined" },
  },
];

describe('generationPrompt', () => {
  it.each([
    ['python', 'main.py'],
    ['javascript', 'index.js'],
    ['java', 'Main.java'],
  ] as const)('asks for a complete %s project with %s as entry', (language, entry) => {
    const prompt = generationPrompt({ name: 'resizer', language, request: 'Resize images.\n' });
    const context = prompt.context ?? '';

    expect(prompt.system).toMatch(/write_files/);
    expect(
      context.startsWith(`Project: resizer\nLanguage: ${language}\n\n## Request\nResize images.\n`),
    ).toBe(true);
    expect(context).toContain(entry);
    expect(context).toMatch(/standard library|built-in modules only/);
    expect(context).toMatch(/exit with status 0/);
    expect(context).toMatch(/must pass; they become the project's specification/);
    expect(context).toMatch(/Do not read standard input, do not use the network/);
    expect(prompt.user).toMatch(/test file included/);
  });

  it.each([
    ['python', 'test_<module>.py with unittest'],
    ['javascript', '<module>.test.js with node:test'],
    ['java', '<Name>Test.java with a public static void main'],
  ] as const)('asks %s for a test file named as the verifier runs it (%s)', (language, naming) => {
    const { context } = generationPrompt({ name: 'calc', language, request: 'add numbers' });
    expect(context).toContain(`Include a small test file, ${naming}`);
    expect(context).toContain('checks the behaviour the request states');
  });

  it('asks java for public class Main', () => {
    expect(generationPrompt({ name: 'j', language: 'java', request: 'r' }).context).toContain(
      'public class Main',
    );
  });
});

describe('analysisPrompt', () => {
  it('shows every failed attempt in order with its code and error, and asks for the report', () => {
    const { system, user } = analysisPrompt({
      name: 'resizer',
      language: 'python',
      request: 'Resize',
      attempts,
    });

    expect(system).toMatch(/report_analysis/);
    expect(user.startsWith('Project: resizer\nLanguage: python\n')).toBe(true);
    expect(user).toContain('## Failed attempts (2)');
    expect(user.indexOf('### Attempt 1: NameError')).toBeLessThan(
      user.indexOf('### Attempt 2: ModuleNotFoundError'),
    );
    expect(user).toContain("Error: No module named 'PIL'");
    expect(user).toContain('```python\nfrom PIL import Image');
    expect(user).toContain('Traceback (most recent call last)');
    expect(user).toMatch(/confidence: from 0 to 1/);
  });
});

describe('smartRetryPrompt', () => {
  const input = {
    name: 'resizer',
    language: 'python' as const,
    request: 'Resize',
    attempts,
    analysis: { diagnosis: 'PIL is not in the standard library', plan: 'Write a PPM resizer by hand' },
  };

  it('carries the diagnosis, the plan and the earlier errors', () => {
    const { system, user, context } = smartRetryPrompt({ ...input, tests: [] });

    expect(system).toMatch(/write_files/);
    expect(context?.startsWith('Project: resizer\nLanguage: python\n\n## Request\nResize\n')).toBe(true);
    expect(context).toContain('This project has no test files, and none may be added now');
    expect(user).toContain('PIL is not in the standard library');
    expect(user).toContain('## Plan you must follow\nWrite a PPM resizer by hand');
    expect(user).toContain("name 'Image' is not defined");
    expect(user).toMatch(/Do not repeat the code that produced these errors/);
  });

  it("names each attempt's failing test and its assertion, with the output tail", () => {
    const failing = {
      n: 1,
      files: [],
      error: { type: 'AssertionError', message: '-1 != 3' },
      output: `${'noise\n'.repeat(2_000)}AssertionError: -1 != 3`,
      test: {
        name: 'test_add (test_calc.T.test_add)',
        file: 'test_calc.py',
        line: 7,
        assertion: 'self.assertEqual(add(1, 2), 3)',
      },
    };
    const { user } = smartRetryPrompt({ ...input, attempts: [failing], tests: [] });
    expect(user).toContain(
      'Failing test: test_add (test_calc.T.test_add) in test_calc.py line 7, asserting `self.assertEqual(add(1, 2), 3)`',
    );
    expect(user).toContain('Output (tail):\n```\n…');
    expect(user.length).toBeLessThan(5_000);
  });

  it("shows where each attempt's error was raised and how many of its tests passed", () => {
    const failing = {
      n: 1,
      files: [{ path: 'calc.py', content: 'def add(a, b):\n    return a - b\n' }],
      error: { type: 'AssertionError', message: '-1 != 3', file: 'calc.py', line: 2 },
      tests: { run: 2, passed: 1, failed: 1 },
    };
    const { user } = smartRetryPrompt({ ...input, attempts: [failing], tests: [] });
    expect(user).toContain(
      '### Attempt 1: AssertionError\n\nError: -1 != 3 (at calc.py line 2)\n\nTests: 1 of 2 passed',
    );
    expect(user).toContain('Code of attempt 1:\n\n### calc.py');
  });

  it('shows the tests as the fixed spec and asks to leave them out of the answer', () => {
    const test = { path: 'test_resize.py', content: 'import unittest\n' };
    const { context, user } = smartRetryPrompt({ ...input, tests: [test] });
    expect(context).toContain('The test files (test_resize.py) are the specification and are fixed');
    expect(context).toContain(
      '## Tests (the specification, fixed)\n### test_resize.py\n```python\nimport unittest',
    );
    expect(context).not.toContain('Include a small test file');
    expect(user).toContain('without the test files');
  });
});
