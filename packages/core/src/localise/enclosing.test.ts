import { describe, expect, it } from 'vitest';
import { candidateBlocks } from './candidates.js';
import { definitionAt, enclosingFunction } from './enclosing.js';

describe('the definition around a line, in brace languages', () => {
  it('knows a go function by its header, with a bare, slice, pointer or tuple return type', () => {
    const go = [
      'package main', // 1
      '',
      'func count(xs []int) int {', // 3
      '\tn := 0',
      '\tfor _, x := range xs {',
      '\t\tif x < 0 {',
      '\t\t\tn++',
      '\t\t}',
      '\t}',
      '\treturn n',
      '}', // 11
      '',
      'func names(m map[string]int) []string {', // 13
      '\treturn nil',
      '}',
      '',
      'func (s *Store) find(id int) (*Item, error) {', // 17
      '\treturn nil, nil',
      '}',
    ].join('\n');
    expect(enclosingFunction(go, 7)).toEqual({ startLine: 3, endLine: 11 });
    expect(definitionAt(go, 3)).toEqual({ startLine: 3, endLine: 11 });
    expect(definitionAt(go, 13)).toEqual({ startLine: 13, endLine: 15 });
    expect(definitionAt(go, 17)).toEqual({ startLine: 17, endLine: 19 });
    // A control statement is not a definition.
    expect(definitionAt(go, 6)).toBeUndefined();
  });

  it('still knows java, typescript and javascript headers', () => {
    const java = 'class A {\n  int twice(int x) throws Exception {\n    return 2 * x;\n  }\n}';
    expect(definitionAt(java, 2)).toEqual({ startLine: 2, endLine: 4 });
    const ts = 'export function f(a: number): number {\n  return a;\n}';
    expect(definitionAt(ts, 1)).toEqual({ startLine: 1, endLine: 3 });
    const js = 'function g(a) {\n  return a;\n}';
    expect(definitionAt(js, 1)).toEqual({ startLine: 1, endLine: 3 });
  });
});

describe('a fix that lives in the file header', () => {
  it("go's `undefined: strings` shows the block from line 1, where the imports are; another error does not", () => {
    const main = [
      'package main',
      '',
      'import (',
      '\t"fmt"',
      ')',
      '',
      'func shout(s string) string {',
      '\treturn strings.ToUpper(s) + "!"',
      '}',
      '',
      'func main() {',
      '\tfmt.Println(shout("go"))',
      '}',
    ].join('\n');
    const files = [{ path: 'main.go', content: main }];
    const missing = { type: 'CompileError', message: 'undefined: strings', file: 'main.go', line: 8 };
    expect(candidateBlocks(missing, files, 'go')[0]).toMatchObject({ file: 'main.go', startLine: 1 });
    const other = { type: 'CompileError', message: 'undefined: shoutt', file: 'main.go', line: 8 };
    expect(candidateBlocks(other, files, 'go')[0]?.startLine).toBeGreaterThan(1);
  });
});
