import { FAILURE_CLASSES, type FailureClass, STRATEGY_TIERS, type StrategyTier } from '@hardfix/contracts';
import { tierForAttempt, tierRange } from '@hardfix/core';
import { oracleModel, parseBlockCode } from '@hardfix/testkit';
import { describe, expect, it } from 'vitest';
import type { FailedAttempt } from './attempts-section.js';
import { type HardFixPromptInput, hardFixPrompt, MAX_CANDIDATES_SHOWN } from './hard-fix-prompt.js';
import { TIER_INSTRUCTIONS } from './strategy-tiers.js';

const block = {
  file: 'main.py',
  startLine: 40,
  endLine: 43,
  code: 'def total(items):\n    return sum(item.price for item in items\n\n',
};

function promptFor(
  n: number,
  previousCandidates: FailedAttempt[] = [],
  more: Partial<HardFixPromptInput> = {},
) {
  return hardFixPrompt({
    name: 'shop',
    language: 'python',
    request: 'Sum the prices of a basket of items.',
    tier: tierForAttempt(n, 20),
    tierAttempts: tierRange(tierForAttempt(n, 20), 20),
    attemptNumber: n,
    error: { type: 'SyntaxError', message: "'(' was never closed", file: 'main.py', line: 41 },
    block,
    fileContent: 'import sys\n\n\ndef total(items):\n    return 0\n',
    previousCandidates,
    ...more,
  });
}

/** A failed hard-fix candidate as the worker passes it: its patch and what it produced. */
function candidate(n: number, code: string, extra: Partial<FailedAttempt> = {}): FailedAttempt {
  return {
    n,
    files: [],
    patch: { file: 'main.py', startLine: 40, endLine: 43, code },
    error: { type: 'NameError', message: `name 'price_${n}' is not defined`, file: 'main.py', line: 41 },
    ...extra,
  };
}

/** One error of each kind, as the sandbox reports it (type, and the step that failed). */
const ERROR_OF: Record<FailureClass, HardFixPromptInput['error']> = {
  syntax: { type: 'SyntaxError', message: "'(' was never closed", phase: 'compile' },
  runtime: { type: 'TypeError', message: "unsupported operand type(s) for +: 'int' and 'str'", phase: 'run' },
  assertion: { type: 'AssertionError', message: '-1 != 3', phase: 'test' },
  limit: {
    type: 'Timeout',
    message: 'verification exceeded the time limit of 20000 ms during run',
    phase: 'run',
  },
  'no-tests': { type: 'NoTestsRan', message: 'the tests never ran' },
};

describe('hardFixPrompt', () => {
  const expected: [number, StrategyTier, string][] = [
    [1, 'conservative', 'Fix syntax errors only. Keep all logic intact.'],
    [5, 'conservative', 'Remove TODO comments and placeholders. Ensure proper indentation and brackets.'],
    [6, 'moderate', 'Rewrite the problematic section.'],
    [10, 'moderate', 'Use only the standard library and the packages the project may declare.'],
    [11, 'aggressive', 'Complete rewrite of this code block. Take a DIFFERENT, SIMPLER approach'],
    [15, 'aggressive', 'that still does everything the request and the tests require.'],
    [16, 'nuclear', 'START FROM SCRATCH for this section.'],
    [
      20,
      'nuclear',
      'The simplest implementation that still does everything the request and the tests require.',
    ],
  ];

  it.each(expected)(
    'attempt %i names the %s tier and, for a syntax error, its seed instructions',
    (n, tier, phrase) => {
      const { user } = promptFor(n);

      expect(user).toContain(`## Strategy: ${tier} (hard-fix attempt ${n};`);
      expect(user).toContain('The failure: the code does not compile (a syntax or compile error).');
      expect(user).toContain(TIER_INSTRUCTIONS[tier].syntax);
      expect(user).toContain(phrase);
      for (const other of STRATEGY_TIERS) {
        if (other !== tier) expect(user).not.toContain(TIER_INSTRUCTIONS[other].syntax);
      }
    },
  );

  const tierAndClass = STRATEGY_TIERS.flatMap((tier) => FAILURE_CLASSES.map((kind) => [tier, kind] as const));

  it.each(tierAndClass)('the %s tier gives a %s failure its own instruction', (tier, kind) => {
    const n = { conservative: 2, moderate: 7, aggressive: 12, nuclear: 17 }[tier];
    const { user } = promptFor(n, [], { error: ERROR_OF[kind] });

    expect(user).toContain(`## Strategy: ${tier} (hard-fix attempt ${n};`);
    expect(user).toContain(TIER_INSTRUCTIONS[tier][kind]);
    for (const other of FAILURE_CLASSES) {
      if (other !== kind) expect(user).not.toContain(TIER_INSTRUCTIONS[tier][other]);
    }
    if (kind !== 'syntax') {
      expect(user).not.toMatch(/syntax errors only/i);
      expect(user).not.toContain('parse cleanly');
    }
  });

  it('a failing assertion is never told to fix syntax errors only, at any attempt', () => {
    for (let n = 1; n <= 20; n++) {
      const { user } = promptFor(n, [], { error: ERROR_OF.assertion });
      expect(user).not.toMatch(/syntax/i);
      expect(user).toContain("The failure: a test's expectation is not met (a failing assertion).");
    }
    expect(promptFor(1, [], { error: ERROR_OF.assertion }).user).toContain(
      'Fix the logic the failing test checks',
    );
  });

  it('a SyntaxError raised while running (JSON.parse) is a runtime error, not a typo', () => {
    const { user } = promptFor(1, [], {
      error: { type: 'SyntaxError', message: 'Unexpected token } in JSON at position 5', phase: 'run' },
    });
    expect(user).toContain(TIER_INSTRUCTIONS.conservative.runtime);
    expect(user).not.toMatch(/syntax errors only/i);
  });

  it('no tier licenses dropping behaviour: "simpler" is a simpler way to pass the same tests', () => {
    const all = STRATEGY_TIERS.flatMap((tier) => Object.values(TIER_INSTRUCTIONS[tier])).join(' ');
    expect(all).not.toMatch(/basic functionality only|Absolute minimal|Remove incomplete/);
    for (const tier of ['aggressive', 'nuclear'] as const) {
      for (const text of Object.values(TIER_INSTRUCTIONS[tier]))
        expect(text).toContain('still does everything the request and the tests require');
    }
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
      tierAttempts: '1-5',
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

  it('shows each earlier candidate with its line range, the error, failing test, test counts and output it produced', () => {
    const first = 'def total(items):\n\n\n    return 0';
    const { user } = promptFor(7, [
      candidate(1, first, {
        error: { type: 'AssertionError', message: '0 != 12', file: 'main.py', line: 41 },
        test: {
          name: 'test_total',
          file: 'test_main.py',
          line: 9,
          assertion: 'self.assertEqual(total(b), 12)',
        },
        tests: { run: 2, passed: 1, failed: 1 },
        output: `${'noise\n'.repeat(1_000)}AssertionError: 0 != 12`,
        kept: false,
      }),
      candidate(2, 'def total(items):\n    return price_2', { kept: true }),
    ]);

    expect(user).toContain('## Earlier candidates that did not work (2): do not repeat them');
    expect(user).toMatch(/Do not propose any of them again, nor a variant that fails the same way/);
    expect(user).toContain(
      `### Attempt 1: AssertionError\n\nError: 0 != 12 (at main.py line 41)\n\nTests: 1 of 2 passed\n\nFailing test: test_total in test_main.py line 9, asserting \`self.assertEqual(total(b), 12)\``,
    );
    expect(user).toContain('Output (tail):\n```\n…');
    expect(user).toContain('AssertionError: 0 != 12\n```');
    expect(user).toContain(`It replaced main.py lines 40-43 with:\n\`\`\`python\n${first}\n\`\`\``);
    expect(user).toContain('Reverted: it got no further');
    expect(user).toContain(
      "### Attempt 2: NameError\n\nError: name 'price_2' is not defined (at main.py line 41)",
    );
    expect(user).toContain('Kept: it got further than the files it patched');
    // The output is capped per candidate.
    expect(user.length).toBeLessThan(5_000);
    // The candidates come after the block, fenced: the block is still the one to replace.
    expect(user.indexOf('<block>')).toBeLessThan(user.indexOf('## Earlier candidates'));
    expect(user).toContain('a candidate below marked Reverted is not in it');
    expect(parseBlockCode(user)).toBe(block.code.replace(/\n$/, ''));
  });

  it(`shows the last ${MAX_CANDIDATES_SHOWN} candidates in full and lists the older ones by their error`, () => {
    const many = Array.from({ length: MAX_CANDIDATES_SHOWN + 2 }, (_, i) =>
      candidate(i + 1, `def total(items):\n    return price_${i + 1}`),
    );
    const { user } = promptFor(9, many.reverse());

    expect(user).toContain(`## Earlier candidates that did not work (${MAX_CANDIDATES_SHOWN + 2})`);
    expect(user).toContain(
      "Older candidates, not shown in full:\n- attempt 1: NameError: name 'price_1' is not defined\n- attempt 2: NameError: name 'price_2' is not defined",
    );
    expect(user).not.toContain('### Attempt 2:');
    expect(user).toContain('### Attempt 3:');
    expect(user.indexOf('### Attempt 3:')).toBeLessThan(
      user.indexOf(`### Attempt ${MAX_CANDIDATES_SHOWN + 2}:`),
    );
  });

  it('after several review rounds, the oldest candidates are only counted', () => {
    const many = Array.from({ length: 40 }, (_, i) => candidate(i + 1, `x = ${i + 1}`));
    const { user } = promptFor(3, many);
    expect(user).toContain(
      'Older candidates, not shown in full:\n- 20 more before these\n- attempt 21: NameError',
    );
    expect(user).not.toContain('attempt 20:');
    expect(user.length).toBeLessThan(12_000);
  });

  it("carries the analysis's diagnosis and plan in the cached context, the same for every attempt", () => {
    const analysis = { diagnosis: 'prices are strings', plan: 'convert each price with float()' };
    const first = promptFor(1, [], { analysis });
    const later = promptFor(8, [candidate(1, 'x = 1'), candidate(2, 'x = 2')], { analysis });

    expect(first.context).toContain(
      '## Failure analysis (made before hard fix)\nWritten before hard fix began, for the whole project: use what bears on the block you repair.\nDiagnosis: prices are strings\nPlan: convert each price with float()',
    );
    expect(first.user).not.toContain('prices are strings');
    // Candidates, tiers and errors change the user part only: the cached prefix stays the same.
    expect(later.context).toBe(first.context);
    expect(later.system).toBe(first.system);
    expect(promptFor(1).context).not.toContain('## Failure analysis');
  });

  it('has no candidates section on a first attempt', () => {
    expect(promptFor(1).user).not.toContain('Earlier replacements');
  });
});

describe('why this block (issue 24)', () => {
  it('the prompt says why its block was chosen, next to the block', () => {
    const reason =
      'This block was chosen because it holds a caller in the failing stack (frame 2 from the innermost, line 41).';
    const { user } = promptFor(3, [], { blockReason: reason });
    expect(user).toContain(`## Block to replace: main.py lines 40-43\n${reason}`);
  });

  it("the test kit's oracle model answers the correct text of the range the real prompt shows", async () => {
    const fixed = [
      'import sys',
      ...Array.from({ length: 38 }, (_, i) => `# ${i}`),
      'def total(items):',
      '    return sum(i.price for i in items)',
      '',
      '',
      'x = 1',
    ];
    const oracle = oracleModel(new Map([['shop', [{ path: 'main.py', content: `${fixed.join('\n')}\n` }]]]));
    const { user } = promptFor(1);
    const request = {
      toolName: 'replace_block',
      system: '',
      messages: [],
      userText: user,
      projectName: 'shop',
      language: 'python',
      body: {},
      headers: {},
    };
    expect(await oracle(request)).toMatchObject({
      tool: { code: 'def total(items):\n    return sum(i.price for i in items)\n\n' },
    });
    expect(await oracle({ ...request, projectName: 'other' })).toBeUndefined();
  });
});
