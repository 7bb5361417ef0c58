import { describe, expect, it } from 'vitest';
import { generationPrompt, hardFixPrompt } from './index.js';

const block = { file: 'main.py', startLine: 1, endLine: 1, code: 'from PIL import Image' };
const hardFix = (dependencies?: Parameters<typeof hardFixPrompt>[0]['dependencies']) =>
  hardFixPrompt({
    name: 'resizer',
    language: 'python',
    request: 'resize an image',
    tier: 'conservative',
    tierAttempts: '1-5',
    attemptNumber: 1,
    error: { type: 'ModuleNotFoundError', message: "No module named 'PIL'", file: 'main.py', line: 1 },
    block,
    previousCandidates: [],
    ...(dependencies ? { dependencies } : {}),
  });

describe('the prompts state the dependency policy', () => {
  it('generation: the allowed packages, any package, or the standard library only', () => {
    const listed = generationPrompt({
      name: 'p',
      language: 'python',
      request: 'r',
      dependencies: { mode: 'list', allowed: ['Pillow', 'numpy'] },
    });
    expect(listed.context).toMatch(
      /Only these third-party packages may be used \(any other is refused\): Pillow, numpy; declare each in requirements\.txt/,
    );
    const any = generationPrompt({
      name: 'p',
      language: 'javascript',
      request: 'r',
      dependencies: { mode: 'any' },
    });
    expect(any.context).toMatch(
      /Third-party packages may be used: declare each in package\.json "dependencies"/,
    );
    const off = generationPrompt({
      name: 'p',
      language: 'python',
      request: 'r',
      dependencies: { mode: 'off' },
    });
    expect(off.context).toMatch(/Python 3 standard library only: no third-party packages/);
    expect(off.context).not.toMatch(/requirements\.txt/);
    const java = generationPrompt({
      name: 'p',
      language: 'java',
      request: 'r',
      dependencies: { mode: 'any' },
    });
    expect(java.context).toMatch(/Standard library only/);
  });

  it('hard fix: a missing module is repaired by declaring its distribution through replace_block.dependencies', () => {
    const allowed = hardFix({ mode: 'any' });
    expect(allowed.system).toMatch(
      /PIL -> Pillow, cv2 -> opencv-python, yaml -> PyYAML, bs4 -> beautifulsoup4/,
    );
    expect(allowed.context).toMatch(/## Packages\nThird-party packages may be used/);
    expect(allowed.user).toMatch(/and `dependencies`, requirement lines to add to the manifest/);
    const off = hardFix();
    expect(off.context).toMatch(/## Packages\nPython 3 standard library only/);
    expect(off.user).not.toMatch(/`dependencies`/);
  });
});
