import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../src/index.js';
import { file, makeSandbox, VERIFY_TIMEOUT_MS } from './helpers.js';

// The JVM is the slow part of the suite: one run per behaviour, nothing more.
let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await makeSandbox();
});

const verify = (files: { path: string; content: string }[], entry?: string) =>
  sandbox.verify({
    language: 'java',
    files,
    timeoutMs: VERIFY_TIMEOUT_MS,
    ...(entry ? { entry } : {}),
  });

describe('java verification', () => {
  it('compiles and runs a packaged entry well within the default 10 s budget', async () => {
    const result = await verify(
      [
        file(
          'src/app/App.java',
          'package app;',
          '',
          'public class App {',
          '  public static void main(String[] args) {',
          '    System.out.println(Greeter.greet("java"));',
          '  }',
          '}',
        ),
        file(
          'src/app/Greeter.java',
          'package app;',
          '',
          'class Greeter {',
          '  static String greet(String who) { return "hello " + who; }',
          '}',
        ),
      ],
      'src/app/App.java',
    );
    expect(result.ok).toBe(true);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile', 'run']);
    expect(result.steps[1]?.stdout).toBe('hello java\n');
  });

  it('extracts javac "cannot find symbol" with the symbol', async () => {
    const result = await verify([
      file(
        'Main.java',
        'public class Main {',
        '  public static void main(String[] args) {',
        '    int total = 1;',
        '    System.out.println(totl);',
        '  }',
        '}',
      ),
    ]);
    expect(result.steps.map((s) => s.phase)).toEqual(['compile']);
    expect(result.error).toMatchObject({
      type: 'CompileError',
      message: 'cannot find symbol: variable totl',
      file: 'Main.java',
      line: 4,
      block: { file: 'Main.java', startLine: 1, endLine: 6 },
    });
  });

  it('extracts an uncaught runtime exception at the project frame', async () => {
    const result = await verify([
      file(
        'Main.java',
        'public class Main {',
        '  public static void main(String[] args) {',
        '    System.out.println(Calc.ratio(5, 0));',
        '  }',
        '}',
      ),
      file(
        'Calc.java',
        'class Calc {',
        '  static int ratio(int a, int b) {',
        '    return a / b;',
        '  }',
        '}',
      ),
    ]);
    expect(result.steps.at(-1)?.phase).toBe('run');
    expect(result.error).toMatchObject({
      type: 'ArithmeticException',
      message: '/ by zero',
      file: 'Calc.java',
      line: 3,
    });
  });
});
