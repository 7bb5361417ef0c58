import type { StrategyTier } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { hardFixPrompt } from './hard-fix-prompt.js';
import { TIER_INSTRUCTIONS, tierForAttempt } from './strategy-tiers.js';

const block = {
  file: 'main.py',
  startLine: 40,
  endLine: 43,
  code: 'def total(items):\n    return sum(item.price for item in items\n\n',
};

function promptFor(n: number, previousCandidates: string[] = []) {
  return hardFixPrompt({
    name: 'shop',
    language: 'python',
    request: 'Sum the prices of a basket of items.',
    tier: tierForAttempt(n),
    attemptNumber: n,
    error: { type: 'SyntaxError', message: "'(' was never closed", file: 'main.py', line: 41 },
    block,
    fileContent: 'import sys\n\n\ndef total(items):\n    return 0\n',
    previousCandidates,
  });
}

describe('tierForAttempt', () => {
  it.each([
    [1, 'conservative'],
    [5, 'conservative'],
    [6, 'moderate'],
    [10, 'moderate'],
    [11, 'aggressive'],
    [15, 'aggressive'],
    [16, 'nuclear'],
    [20, 'nuclear'],
    [27, 'nuclear'],
  ] as const)('attempt %i is %s', (n, tier) => {
    expect(tierForAttempt(n)).toBe(tier);
  });

  it('refuses attempt numbers below 1', () => {
    expect(() => tierForAttempt(0)).toThrow(RangeError);
  });
});

describe('hardFixPrompt', () => {
  const expected: [number, StrategyTier, string][] = [
    [1, 'conservative', 'Fix syntax errors only. Keep all logic intact.'],
    [5, 'conservative', 'Remove TODO comments and placeholders. Ensure proper indentation and brackets.'],
    [6, 'moderate', 'Rewrite the problematic section.'],
    [10, 'moderate', 'Use only standard library functions.'],
    [11, 'aggressive', 'Complete rewrite of this code block. Take a DIFFERENT, SIMPLER approach'],
    [15, 'aggressive', 'that still does everything the request and the tests require.'],
    [16, 'nuclear', 'START FROM SCRATCH for this section.'],
    [
      20,
      'nuclear',
      'The simplest implementation that still does everything the request and the tests require.',
    ],
  ];

  it.each(expected)('attempt %i names the %s tier and its seed instructions', (n, tier, phrase) => {
    const { user } = promptFor(n);

    expect(user).toContain(`## Strategy: ${tier} (hard-fix attempt ${n};`);
    expect(user).toContain(TIER_INSTRUCTIONS[tier]);
    expect(user).toContain(phrase);
    for (const other of Object.keys(TIER_INSTRUCTIONS) as StrategyTier[]) {
      if (other !== tier) expect(user).not.toContain(TIER_INSTRUCTIONS[other]);
    }
  });

  it('no tier licenses dropping behaviour: "simpler" is a simpler way to pass the same tests', () => {
    const all = Object.values(TIER_INSTRUCTIONS).join(' ');
    expect(all).not.toMatch(/basic functionality only|Absolute minimal|Remove incomplete/);
    for (const n of [1, 6, 11, 16, 20]) {
      const { system } = promptFor(n);
      expect(system).toContain('A simpler fix means a simpler way to pass the same');
      expect(system).toContain('do not drop anything the request asks for');
    }
  });

  it('carries the request, the failing test and its assertion, the output tail, and the tests', () => {
    const { context, user } = hardFixPrompt({
      name: 'calc',
      language: 'python',
      request: 'Add two numbers.',
      tier: 'conservative',
      attemptNumber: 1,
      error: { type: 'AssertionError', message: '-1 != 3', file: 'calc.py', line: 1 },
      failingTest: {
        name: 'test_add (test_calc.CalcTest.test_add)',
        file: 'test_calc.py',
        line: 7,
        assertion: 'self.assertEqual(add(1, 2), 3)',
      },
      output: `${'x'.repeat(10_000)}\nAssertionError: -1 != 3`,
      block: { file: 'calc.py', startLine: 1, endLine: 2, code: 'def add(a, b):\n    return a - b' },
      tests: [{ path: 'test_calc.py', content: 'import unittest\n' }],
      otherFiles: [{ path: 'main.py', content: 'print(1)\n' }],
      previousCandidates: [],
    });
    expect(context?.startsWith('Project: calc\nLanguage: python\n\n## Request\nAdd two numbers.')).toBe(true);
    expect(context).toContain('## Tests (the specification; fixed)\n### test_calc.py');
    expect(context).toContain('## Other project files (unchanged)\n### main.py');
    expect(user).toContain(
      '## Failing test\nTest: test_add (test_calc.CalcTest.test_add)\nIn: test_calc.py line 7\nAssertion: self.assertEqual(add(1, 2), 3)',
    );
    expect(user).toContain('AssertionError: -1 != 3\n```');
    // The output is capped to its tail.
    expect(user.length).toBeLessThan(5_000);
  });

  it('shows the block with its line range and numbered lines, the error and the whole file', () => {
    const { system, user, context } = promptFor(3);

    expect(system).toMatch(/replace_block/);
    expect(context?.startsWith('Project: shop\nLanguage: python\n\n## Request\nSum the prices')).toBe(true);
    expect(user).toContain('## Block to replace: main.py lines 40-43');
    expect(user).toContain(
      '<block>\n40 | def total(items):\n41 |     return sum(item.price for item in items\n42 | \n</block>',
    );
    expect(user).toContain("SyntaxError: '(' was never closed\nAt: main.py line 41");
    expect(user).toContain('1 | import sys\n2 | \n3 | \n4 | def total(items):');
    expect(user).toContain('the new text for main.py lines 40-43');
  });

  it('lists earlier candidates verbatim so they are not repeated', () => {
    const first = 'def total(items):\n\n\n    return 0';
    const { user } = promptFor(7, [first, 'def total(items):\n    return 1']);

    expect(user).toContain('Earlier replacements that did not work (2)');
    expect(user).toContain(`### Candidate 1\n\`\`\`python\n${first}\n\`\`\``);
    expect(user).toContain('### Candidate 2');
  });

  it('has no candidates section on a first attempt', () => {
    expect(promptFor(1).user).not.toContain('Earlier replacements');
  });
});
