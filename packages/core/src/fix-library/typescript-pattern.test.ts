import { describe, expect, it } from 'vitest';
import { applyEditPattern } from './apply-edit-pattern.js';
import type { EditPattern } from './edit-pattern.js';
import { learnEditPattern } from './learn-edit-pattern.js';

function learnt(pattern: EditPattern | undefined): EditPattern {
  if (!pattern) throw new Error('no pattern was learnt');
  return pattern;
}

/** TypeScript's edit patterns: learnt from one program's tsc error, applied in another program. */
describe('typescript edit patterns', () => {
  it('anchors a member rename on the member tsc names (TS2339), and carries it to another receiver', () => {
    const pattern = learnEditPattern({
      language: 'typescript',
      message: "Property 'contains' does not exist on type 'string'",
      originalCode: 'const hit: boolean = banned.some((w) => subject.contains(w));',
      workingCode: 'const hit: boolean = banned.some((w) => subject.includes(w));',
    });
    expect(pattern).toEqual({
      anchor: 'contains',
      edits: [{ kind: 'rewrite', before: ['.', 'contains'], after: ['.includes'] }],
    });
    const other =
      "class Log {\n  errors(line: string): boolean {\n    return line.toUpperCase().contains('ERROR');\n  }\n}\n";
    const applied = applyEditPattern(learnt(pattern), {
      language: 'typescript',
      files: [{ path: 'src/log.ts', content: other }],
      file: 'src/log.ts',
    });
    expect(applied?.files[0]?.content).toBe(other.replace('.contains(', '.includes('));
  });

  it("learns a missing ES import (TS2304) and puts it under the file's imports, never into a function", () => {
    const pattern = learnEditPattern({
      language: 'typescript',
      message: "Cannot find name 'createHash'",
      originalCode: "const digest = createHash('sha256').update('a').digest('hex');",
      workingCode:
        "import { createHash } from 'node:crypto';\nconst digest = createHash('sha256').update('a').digest('hex');",
    });
    expect(pattern).toEqual({
      anchor: 'createHash',
      edits: [{ kind: 'import', line: "import { createHash } from 'node:crypto';" }],
    });
    const other = [
      '#!/usr/bin/env node',
      "import { strictEqual } from 'node:assert';",
      "import type { Row } from './rows.js';",
      '',
      'export function key(row: Row): string {',
      "  return createHash('md5').update(row.name).digest('hex');",
      '}',
      '',
    ].join('\n');
    const applied = applyEditPattern(learnt(pattern), {
      language: 'typescript',
      files: [{ path: 'key.ts', content: other }],
      file: 'key.ts',
    });
    expect(applied?.files[0]?.content.split('\n').slice(0, 4)).toEqual([
      '#!/usr/bin/env node',
      "import { strictEqual } from 'node:assert';",
      "import type { Row } from './rows.js';",
      "import { createHash } from 'node:crypto';",
    ]);
  });

  it('never edits a *.test.ts file: the tests are the spec', () => {
    const pattern = {
      anchor: 'contains',
      edits: [{ kind: 'rewrite' as const, before: ['.', 'contains'], after: ['.includes'] }],
    };
    const applied = applyEditPattern(pattern, {
      language: 'typescript',
      files: [{ path: 'a.test.ts', content: "'ab'.contains('a');\n" }],
      file: 'a.test.ts',
    });
    expect(applied).toBeUndefined();
  });
});
