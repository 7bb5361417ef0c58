import { describe, expect, it } from 'vitest';
import { applyProvenFix, makeFixPatch } from './fix-patch.js';

const block = (code: string, file = 'main.py') => ({
  file,
  startLine: 1,
  endLine: code.split('\n').length,
  code,
});

/** A fix as the library stores it, built from a failing block and the block that worked. */
function provenFix(original: string, working: string) {
  return { original_code: original, working_code: working, patch: makeFixPatch(original, working).patch };
}

describe('applyProvenFix', () => {
  // A fix learnt on one program, carried to another whose other lines and names differ.
  const carried = [
    {
      case: 'carries a missing python import to a program whose other lines and names all differ',
      original:
        'import os\n\ndef resize(path):\n    img = Image.open(path)\n    return img.resize((64, 64))\n',
      working:
        'import os\nfrom PIL import Image\n\ndef resize(path):\n    img = Image.open(path)\n    return img.resize((64, 64))\n',
      other:
        'import sys\nimport json\n\n\ndef thumbnail(src, size):\n    picture = Image.open(src)\n    picture.thumbnail(size)\n    return picture\n',
      expected:
        'import sys\nimport json\nfrom PIL import Image\n\n\ndef thumbnail(src, size):\n    picture = Image.open(src)\n    picture.thumbnail(size)\n    return picture\n',
    },
    {
      case: 'replaces a changed line found elsewhere in the block, keeping its indentation',
      original: 'def avg(xs):\n    return sum(xs) / len(xs)\n',
      working: 'def avg(xs):\n    return sum(xs) / max(len(xs), 1)\n',
      other:
        'class Stats:\n    def mean(self, xs):\n        print("mean")\n        return sum(xs) / len(xs)\n',
      expected:
        'class Stats:\n    def mean(self, xs):\n        print("mean")\n        return sum(xs) / max(len(xs), 1)\n',
    },
  ];
  for (const { case: name, original, working, other, expected } of carried)
    it(name, () => {
      expect(applyProvenFix(provenFix(original, working), block(other))).toBe(expected);
    });

  it('puts the import at the top of a block without imports', () => {
    const fix = provenFix(
      'x = Image.new("RGB", (1, 1))\n',
      'from PIL import Image\nx = Image.new("RGB", (1, 1))\n',
    );
    expect(applyProvenFix(fix, block('def f():\n    return Image.open("a.png")\n'))).toBe(
      'from PIL import Image\ndef f():\n    return Image.open("a.png")\n',
    );
  });

  it('carries a missing require to another node program and a missing import to another java class', () => {
    const js = provenFix(
      "'use strict';\nconst path = require('node:path');\nconsole.log(fs.readFileSync(path.join('a', 'b')));\n",
      "'use strict';\nconst path = require('node:path');\nconst fs = require('node:fs');\nconsole.log(fs.readFileSync(path.join('a', 'b')));\n",
    );
    expect(
      applyProvenFix(
        js,
        block("const os = require('node:os');\nfs.writeFileSync('out.txt', os.EOL);\n", 'index.js'),
      ),
    ).toBe(
      "const os = require('node:os');\nconst fs = require('node:fs');\nfs.writeFileSync('out.txt', os.EOL);\n",
    );

    const java = provenFix(
      'public class Main {\n  public static void main(String[] a) {\n    Scanner s = new Scanner(System.in);\n  }\n}\n',
      'import java.util.Scanner;\n\npublic class Main {\n  public static void main(String[] a) {\n    Scanner s = new Scanner(System.in);\n  }\n}\n',
    );
    const calc =
      'import java.io.IOException;\n\nclass Calc {\n  int read() { return new Scanner(System.in).nextInt(); }\n}\n';
    expect(applyProvenFix(java, block(calc, 'Calc.java'))).toBe(
      'import java.io.IOException;\nimport java.util.Scanner;\n\nclass Calc {\n  int read() { return new Scanner(System.in).nextInt(); }\n}\n',
    );
  });

  it('uses the working code for the same failing block, and the patch with an offset', () => {
    const original = 'a = 1\nb = c\nprint(a, b)\n';
    const working = 'a = 1\nc = 2\nb = c\nprint(a, b)\n';
    const fix = provenFix(original, working);
    expect(applyProvenFix(fix, block(original))).toBe(working);
    expect(applyProvenFix(fix, block(`# header\n# more\n${original}`))).toBe(`# header\n# more\n${working}`);
  });

  it('returns undefined when the change has no place in the block', () => {
    const fix = provenFix('total = count + 1\n', 'total = int(count) + 1\n');
    expect(applyProvenFix(fix, block('print("nothing alike")\n'))).toBeUndefined();
    // An import the block already has is no change at all.
    const imp = provenFix('x = Image\n', 'from PIL import Image\nx = Image\n');
    expect(applyProvenFix(imp, block('from PIL import Image\ny = Image\n'))).toBeUndefined();
    expect(applyProvenFix({ working_code: 'x' }, block('y\n'))).toBeUndefined();
  });
});

describe('makeFixPatch', () => {
  it('gives the same change hash to the same edit in different programs', () => {
    const a = makeFixPatch('import os\nx = Image\n', 'import os\nfrom PIL import Image\nx = Image\n');
    const b = makeFixPatch('def f():\n  return Image\n', 'from PIL import Image\ndef f():\n  return Image\n');
    const c = makeFixPatch('x = np\n', 'import numpy as np\nx = np\n');
    expect(a.changeHash).toBe(b.changeHash);
    expect(a.changeHash).not.toBe(c.changeHash);
    expect(a.patch).toContain('+from PIL import Image');
  });
});
