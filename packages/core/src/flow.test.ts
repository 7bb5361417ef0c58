import { STAGES, STRATEGY_TIERS } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { escalationOf, FLOW, maxAttemptsOf, tierForAttempt, tierRange } from './flow.js';

const tiersOfRound = (max: number) => Array.from({ length: max }, (_, i) => tierForAttempt(i + 1, max));

describe('the flow table', () => {
  it('with HARD_FIX_MAX_ATTEMPTS=8 all four tiers run, two attempts each', () => {
    expect(tiersOfRound(8)).toEqual([
      'conservative',
      'conservative',
      'moderate',
      'moderate',
      'aggressive',
      'aggressive',
      'nuclear',
      'nuclear',
    ]);
  });

  it("with 20 the bands are the seed's 1-5, 6-10, 11-15, 16-20", () => {
    expect(STRATEGY_TIERS.map((t) => tierRange(t, 20))).toEqual(['1-5', '6-10', '11-15', '16-20']);
    expect(tierForAttempt(5, 20)).toBe('conservative');
    expect(tierForAttempt(6, 20)).toBe('moderate');
    expect(tierForAttempt(16, 20)).toBe('nuclear');
  });

  it('every tier runs, in order, whatever the maximum (from 4 up)', () => {
    for (let max = 4; max <= 60; max++) {
      const round = tiersOfRound(max);
      expect([...new Set(round)], `max ${max}`).toEqual([...STRATEGY_TIERS]);
      // Bands are quarters: none is more than one attempt longer than another.
      const lengths = STRATEGY_TIERS.map((t) => round.filter((x) => x === t).length);
      expect(Math.max(...lengths) - Math.min(...lengths), `max ${max}`).toBeLessThanOrEqual(1);
    }
  });

  it('with fewer attempts than tiers, the round starts conservative and some tiers get none', () => {
    expect(tiersOfRound(1)).toEqual(['conservative']);
    expect(tiersOfRound(2)).toEqual(['conservative', 'aggressive']);
    expect(tierRange('moderate', 2)).toBe('none');
    expect(tiersOfRound(3)).toEqual(['conservative', 'moderate', 'aggressive']);
  });

  it('refuses attempt numbers and maxima below 1', () => {
    expect(() => tierForAttempt(0, 20)).toThrow(RangeError);
    expect(() => tierForAttempt(1, 0)).toThrow(RangeError);
    expect(() => tierForAttempt(1.5, 20)).toThrow(RangeError);
  });

  it('escalates generation → smart retry → hard fix → manual review; an import goes to hard fix', () => {
    expect(escalationOf('generation')).toBe('smart-retry');
    expect(escalationOf('smart-retry')).toBe('hard-fix');
    expect(escalationOf('import')).toBe('hard-fix');
    expect(escalationOf('hard-fix')).toBeUndefined();
    expect(FLOW['hard-fix'].escalatesTo).toBe('manual-review');
    expect(FLOW.manual.escalatesTo).toBe('nobody');
  });

  it('every stage is in the table, and the escalation reaches manual review from every pipeline stage', () => {
    expect(Object.keys(FLOW).sort()).toEqual([...STAGES].sort());
    for (const start of ['generation', 'import'] as const) {
      const seen = new Set<string>();
      let stage: (typeof STAGES)[number] | undefined = start;
      while (stage) {
        expect(seen.has(stage), `a loop at ${stage}`).toBe(false);
        seen.add(stage);
        const to = escalationOf(stage);
        if (!to) break;
        stage = to;
      }
      expect(FLOW[stage ?? 'manual'].escalatesTo).toBe('manual-review');
    }
  });

  it('reads each stage’s attempt limit from its setting', () => {
    const env = { NORMAL_RETRIES: 3, HARD_FIX_MAX_ATTEMPTS: 8 };
    expect(maxAttemptsOf('generation', env)).toBe(3);
    expect(maxAttemptsOf('hard-fix', env)).toBe(8);
    expect(maxAttemptsOf('smart-retry', env)).toBe(1);
  });
});
