import { describe, expect, it } from 'vitest';
import { applyEditPattern } from './apply-edit-pattern.js';
import { type EditPattern, patternHash } from './edit-pattern.js';
import { learnEditPattern } from './learn-edit-pattern.js';

const learn = (
  language: 'python' | 'javascript' | 'java',
  message: string,
  originalCode: string,
  workingCode: string,
) => learnEditPattern({ language, message, originalCode, workingCode });

const apply = (
  pattern: EditPattern,
  language: 'python' | 'javascript' | 'java',
  path: string,
  content: string,
) => applyEditPattern(pattern, { language, files: [{ path, content }], file: path })?.files[0]?.content;

describe('learnEditPattern', () => {
  it('learns a local import as an import, anchored on the missing name', () => {
    const p = learn(
      'python',
      "name 'math' is not defined",
      'def area(r):\n    return math.pi * r * r',
      'def area(r):\n    import math\n    return math.pi * r * r',
    );
    expect(p).toEqual({ anchor: 'math', edits: [{ kind: 'import', line: 'import math' }] });
  });

  it('learns a member rename with its dot, not the receiver', () => {
    const p = learn(
      'python',
      "'list' object has no attribute 'push'",
      'for w in words:\n    seen.push(w)',
      'for w in words:\n    seen.append(w)',
    );
    expect(p).toEqual({
      anchor: 'push',
      edits: [{ kind: 'rewrite', before: ['.', 'push'], after: ['.append'] }],
    });
  });

  it('abstracts the names an edit moves around into metavariables', () => {
    const p = learn(
      'python',
      "'dict' object has no attribute 'has_key'",
      '    if counts.has_key(word):',
      '    if word in counts:',
    );
    expect(p?.edits).toEqual([
      { kind: 'rewrite', before: [0, '.', 'has_key', '(', 1, ')'], after: [1, ' in ', 0] },
    ]);
    expect(
      apply(
        p as EditPattern,
        'python',
        'x.py',
        'while table.has_key(k + 1):\n    pass\nok = registry.has_key(name)\n',
      ),
    ).toBe('while table.has_key(k + 1):\n    pass\nok = name in registry\n');
  });

  it('widens an insertion to the anchor, and does not apply it twice', () => {
    const p = learn(
      'java',
      'cannot find symbol: variable length (receiver String)',
      '        int n = name.length;',
      '        int n = name.length();',
    ) as EditPattern;
    expect(p.edits).toEqual([{ kind: 'rewrite', before: ['.', 'length'], after: ['.length()'] }]);
    expect(
      apply(p, 'java', 'A.java', 'class A { int f(String t, String u) { return t.length + u.length(); } }'),
    ).toBe('class A { int f(String t, String u) { return t.length() + u.length(); } }');
  });

  it('gives up on a restructured block and on bounded inputs', () => {
    expect(
      learn('python', "name 'x' is not defined", 'a = 1\nb = x', 'def f():\n    return 1\n\nb = f()\nc = 2'),
    ).toBeUndefined();
    const huge = 'x = 1\n'.repeat(50_000);
    expect(learn('python', "name 'x' is not defined", huge, `${huge}y = 2\n`)).toBeUndefined();
  });

  it('learns no rewrite that is not about what the error named, and ignores spacing-only changes', () => {
    expect(learn('python', 'invalid syntax', 'if x == 1\n    go()', 'if x == 1:\n    go()')).toBeUndefined();
    expect(learn('python', "name 'y' is not defined", 'z = x + 1', 'z = x + 2')).toBeUndefined();
    expect(
      learn(
        'python',
        "name 'xrange' is not defined",
        'a  =  1\nfor i in xrange(3):',
        'a = 1\nfor i in range(3):',
      ),
    ).toEqual({ anchor: 'xrange', edits: [{ kind: 'rewrite', before: ['xrange'], after: ['range'] }] });
  });

  it('gives the same pattern, and hash, for the same mistake in two programs', () => {
    const a = learn(
      'javascript',
      'words.contains is not a function',
      '  if (words.contains(w)) n++;',
      '  if (words.includes(w)) n++;',
    );
    const b = learn(
      'javascript',
      'tags.contains is not a function',
      'return tags.contains("x") ? 1 : 0;',
      'return tags.includes("x") ? 1 : 0;',
    );
    expect(a).toEqual(b);
    expect(patternHash(a as EditPattern)).toBe(patternHash(b as EditPattern));
  });
});

describe('applyEditPattern', () => {
  it("puts an import where the language's imports go", () => {
    const py: EditPattern = {
      anchor: 'Counter',
      edits: [{ kind: 'import', line: 'from collections import Counter' }],
    };
    expect(apply(py, 'python', 'm.py', '"""Doc."""\nimport os\n\n\ndef f():\n    return Counter()\n')).toBe(
      '"""Doc."""\nimport os\nfrom collections import Counter\n\n\ndef f():\n    return Counter()\n',
    );
    expect(apply(py, 'python', 'm.py', '#!/usr/bin/env python3\n"""Doc\nmore."""\n\nx = Counter()\n')).toBe(
      '#!/usr/bin/env python3\n"""Doc\nmore."""\nfrom collections import Counter\n\nx = Counter()\n',
    );
    const js: EditPattern = { edits: [{ kind: 'import', line: "const assert = require('assert');" }] };
    expect(apply(js, 'javascript', 'index.js', "'use strict';\n\nfunction f() {\n  assert(1);\n}\n")).toBe(
      "'use strict';\nconst assert = require('assert');\n\nfunction f() {\n  assert(1);\n}\n",
    );
    const java: EditPattern = { edits: [{ kind: 'import', line: 'import java.util.ArrayList;' }] };
    expect(
      apply(java, 'java', 'app/Main.java', 'package app;\n\nimport java.util.List;\n\nclass Main {}\n'),
    ).toBe('package app;\n\nimport java.util.List;\nimport java.util.ArrayList;\n\nclass Main {}\n');
    // Already there: nothing to do.
    expect(apply(py, 'python', 'm.py', 'from collections import Counter\nx = Counter()\n')).toBeUndefined();
  });

  it('renames a name, not a member or a string of the same spelling, and never edits a test file', () => {
    const p = learn(
      'python',
      "name 'xrange' is not defined",
      'for i in xrange(n):',
      'for i in range(n):',
    ) as EditPattern;
    expect(apply(p, 'python', 'a.py', 'for j in xrange(3):\n    obj.xrange(j, "xrange")\n')).toBe(
      'for j in range(3):\n    obj.xrange(j, "xrange")\n',
    );
    expect(apply(p, 'python', 'test_a.py', 'for j in xrange(3):\n    pass\n')).toBeUndefined();
  });
});
