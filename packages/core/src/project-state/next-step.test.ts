import { QUEUES, STAGES } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { type FlowSettings, nextStep } from './next-step.js';
import { statusDuring } from './states.js';

const flow: FlowSettings = {
  normalRetries: 3,
  smartRetryMinConfidence: 0.7,
  hardFixMaxAttempts: 20,
  retryIntervalMs: 30_000,
};

describe('nextStep: every outcome of every stage', () => {
  it('generation: verified → deliver; failed before the last try → the next try, an interval later; the last → smart retry', () => {
    for (const n of [1, 2, 3])
      expect(nextStep({ stage: 'generation', n, verified: true }, flow)).toEqual({ kind: 'deliver' });
    expect(nextStep({ stage: 'generation', n: 1, verified: false }, flow)).toEqual({
      kind: 'next-attempt',
      queue: QUEUES.generation,
      n: 2,
      delayMs: 30_000,
    });
    expect(nextStep({ stage: 'generation', n: 2, verified: false }, flow)).toMatchObject({
      kind: 'next-attempt',
      n: 3,
    });
    expect(nextStep({ stage: 'generation', n: 3, verified: false }, flow)).toEqual({
      kind: 'move',
      to: 'smart-retry',
    });
    expect(nextStep({ stage: 'generation', n: 1, verified: false }, { ...flow, normalRetries: 1 })).toEqual({
      kind: 'move',
      to: 'smart-retry',
    });
  });

  it('smart retry: a confident analysis → the smart attempt; otherwise → hard fix; the attempt verified → deliver, failed → hard fix', () => {
    expect(nextStep({ stage: 'smart-retry', analysisConfidence: 0.7 }, flow)).toEqual({
      kind: 'smart-attempt',
    });
    expect(nextStep({ stage: 'smart-retry', analysisConfidence: 1 }, flow)).toEqual({
      kind: 'smart-attempt',
    });
    expect(nextStep({ stage: 'smart-retry', analysisConfidence: 0.69 }, flow)).toEqual({
      kind: 'move',
      to: 'hard-fix',
    });
    expect(nextStep({ stage: 'smart-retry', analysisConfidence: 0 }, flow)).toEqual({
      kind: 'move',
      to: 'hard-fix',
    });
    expect(nextStep({ stage: 'smart-retry', verified: true }, flow)).toEqual({ kind: 'deliver' });
    expect(nextStep({ stage: 'smart-retry', verified: false }, flow)).toEqual({
      kind: 'move',
      to: 'hard-fix',
    });
  });

  it('import: verified as it came → deliver; failed → hard fix', () => {
    expect(nextStep({ stage: 'import', verified: true }, flow)).toEqual({ kind: 'deliver' });
    expect(nextStep({ stage: 'import', verified: false }, flow)).toEqual({ kind: 'move', to: 'hard-fix' });
  });

  it('hard fix: verified → deliver; failed within the round → the next attempt number; the round used up → manual review', () => {
    expect(nextStep({ stage: 'hard-fix', n: 1, roundAttempt: 1, verified: true }, flow)).toEqual({
      kind: 'deliver',
    });
    expect(nextStep({ stage: 'hard-fix', n: 1, roundAttempt: 1, verified: false }, flow)).toEqual({
      kind: 'next-attempt',
      queue: QUEUES.hardFix,
      n: 2,
      delayMs: 30_000,
    });
    // A second round (after a reviewer's retry) keeps counting job numbers but gets 20 attempts again.
    expect(nextStep({ stage: 'hard-fix', n: 25, roundAttempt: 5, verified: false }, flow)).toMatchObject({
      kind: 'next-attempt',
      n: 26,
    });
    expect(nextStep({ stage: 'hard-fix', n: 20, roundAttempt: 20, verified: false }, flow)).toEqual({
      kind: 'manual-review',
      reason: 'exhausted',
    });
    expect(nextStep({ stage: 'hard-fix', n: 40, roundAttempt: 20, verified: false }, flow)).toMatchObject({
      kind: 'manual-review',
    });
  });

  it("a reviewer's attempt: verified → deliver; failed → nothing, a person decides (any n)", () => {
    expect(nextStep({ stage: 'manual', n: 1, verified: true }, flow)).toEqual({ kind: 'deliver' });
    for (const n of [1, 2, 9])
      expect(nextStep({ stage: 'manual', n, verified: false }, flow)).toEqual({ kind: 'wait' });
  });

  it('the budget reached, in any stage → manual review, reason budget', () => {
    for (const stage of STAGES)
      expect(nextStep({ stage, budgetReached: true }, flow)).toEqual({
        kind: 'manual-review',
        reason: 'budget',
      });
  });
});

describe('statusDuring', () => {
  it('names what a person sees while each stage works', () => {
    expect(statusDuring('generation', 1)).toBe('generating');
    expect(statusDuring('generation', 2)).toBe('retrying');
    expect(statusDuring('smart-retry', 1)).toBe('smart-retry');
    expect(statusDuring('hard-fix', 7)).toBe('hard-fix');
    expect(statusDuring('import', 1)).toBe('queued');
    expect(statusDuring('manual', 1)).toBe('manual-review');
  });
});
