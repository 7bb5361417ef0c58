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
    const { system, user } = generationPrompt({ name: 'resizer', language, request: 'Resize images.\n' });

    expect(system).toMatch(/write_files/);
    expect(user.startsWith(`Project: resizer\nLanguage: ${language}\n\n## Request\nResize images.\n`)).toBe(
      true,
    );
    expect(user).toContain(entry);
    expect(user).toMatch(/standard library|built-in modules only/);
    expect(user).toMatch(/exit with status 0/);
    expect(user).toMatch(/they must pass/);
    expect(user).toMatch(/Do not read standard input, do not use the network/);
  });

  it('asks java for public class Main', () => {
    expect(generationPrompt({ name: 'j', language: 'java', request: 'r' }).user).toContain(
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
  it('carries the diagnosis, the plan and the earlier errors', () => {
    const { system, user } = smartRetryPrompt({
      name: 'resizer',
      language: 'python',
      request: 'Resize',
      attempts,
      analysis: { diagnosis: 'PIL is not in the standard library', plan: 'Write a PPM resizer by hand' },
    });

    expect(system).toMatch(/write_files/);
    expect(user.startsWith('Project: resizer\nLanguage: python\n\n## Request\nResize\n')).toBe(true);
    expect(user).toContain('PIL is not in the standard library');
    expect(user).toContain('## Plan you must follow\nWrite a PPM resizer by hand');
    expect(user).toContain("name 'Image' is not defined");
    expect(user).toMatch(/Do not repeat the code that produced these errors/);
  });
});
