import { type Attempt, PROJECT_STATUSES, type Project, STAGES } from '@hardfix/contracts';
import { describe, expect, it } from 'vitest';
import { ENTRY_STATES, isLegalState, type ProjectState, STAGES_BY_STATUS } from './states.js';
import { moveTo, type StateEvent } from './transitions.js';

const LEGAL: ProjectState[] = PROJECT_STATUSES.flatMap((status) =>
  STAGES_BY_STATUS[status].map((stage) => ({ status, stage })),
);
const label = (s: ProjectState) => `${s.status}/${s.stage}`;

function projectIn(state: ProjectState, extra: Partial<Project> = {}): Project {
  return {
    id: 'p1',
    name: 'p1',
    language: 'python',
    ...state,
    attempts: [],
    usage: {
      calls: 2,
      inputTokens: 100,
      outputTokens: 50,
      cacheWriteTokens: 10,
      cacheReadTokens: 5,
      costMicroUsd: 700,
    },
    createdAt: '2026-12-01T00:00:00.000Z',
    updatedAt: '2026-12-01T00:00:00.000Z',
    version: 3,
    ...extra,
  };
}

/**
 * For each event, every state it moves a project from and where to; from every other legal state
 * it is refused. Written out in full so that a change to the machine shows here as a changed row.
 */
const TABLE: { event: StateEvent; moves: Record<string, string> }[] = [
  {
    event: { type: 'attempt-started', stage: 'generation', n: 1 },
    moves: { 'queued/generation': 'generating/generation', 'retrying/generation': 'generating/generation' },
  },
  {
    event: { type: 'attempt-started', stage: 'generation', n: 2 },
    moves: { 'queued/generation': 'retrying/generation', 'generating/generation': 'retrying/generation' },
  },
  // Already showing it: nothing to write.
  { event: { type: 'attempt-started', stage: 'smart-retry', n: 1 }, moves: {} },
  { event: { type: 'attempt-started', stage: 'hard-fix', n: 4 }, moves: {} },
  { event: { type: 'attempt-started', stage: 'import', n: 1 }, moves: {} },
  {
    event: { type: 'escalate', from: 'generation' },
    moves: {
      'queued/generation': 'smart-retry/smart-retry',
      'generating/generation': 'smart-retry/smart-retry',
      'retrying/generation': 'smart-retry/smart-retry',
    },
  },
  {
    event: { type: 'escalate', from: 'smart-retry' },
    moves: { 'smart-retry/smart-retry': 'hard-fix/hard-fix' },
  },
  { event: { type: 'escalate', from: 'import' }, moves: { 'queued/import': 'hard-fix/hard-fix' } },
  // Hard fix gives up to a person (`exhausted`), and nobody escalates out of review.
  { event: { type: 'escalate', from: 'hard-fix' }, moves: {} },
  { event: { type: 'escalate', from: 'manual' }, moves: {} },
  { event: { type: 'exhausted' }, moves: { 'hard-fix/hard-fix': 'manual-review/manual' } },
  {
    event: { type: 'budget-reached' },
    moves: {
      'queued/generation': 'manual-review/manual',
      'queued/import': 'manual-review/manual',
      'generating/generation': 'manual-review/manual',
      'retrying/generation': 'manual-review/manual',
      'smart-retry/smart-retry': 'manual-review/manual',
      'hard-fix/hard-fix': 'manual-review/manual',
    },
  },
  {
    event: { type: 'delivered', path: '/d/p1', at: '2026-12-01T01:00:00.000Z' },
    moves: {
      'queued/generation': 'delivered/generation',
      'queued/import': 'delivered/import',
      'generating/generation': 'delivered/generation',
      'retrying/generation': 'delivered/generation',
      'smart-retry/smart-retry': 'delivered/smart-retry',
      'hard-fix/hard-fix': 'delivered/hard-fix',
      // A reviewer's files (resolve).
      'manual-review/manual': 'delivered/manual',
    },
  },
  { event: { type: 'review-retry' }, moves: { 'manual-review/manual': 'hard-fix/hard-fix' } },
  { event: { type: 'review-abandon', reason: 'no' }, moves: { 'manual-review/manual': 'abandoned/manual' } },
];

describe('the legal (status, stage) pairs', () => {
  it('pair every status with the stages that can own it, and nothing else', () => {
    expect(LEGAL.map(label)).toEqual([
      'queued/generation',
      'queued/import',
      'generating/generation',
      'retrying/generation',
      'smart-retry/smart-retry',
      'hard-fix/hard-fix',
      'manual-review/manual',
      'delivered/generation',
      'delivered/smart-retry',
      'delivered/hard-fix',
      'delivered/import',
      'delivered/manual',
      'abandoned/manual',
    ]);
    const all = PROJECT_STATUSES.flatMap((status) => STAGES.map((stage) => ({ status, stage })));
    expect(all.filter(isLegalState)).toEqual(LEGAL);
  });

  it('every entry state is legal', () => {
    for (const state of Object.values(ENTRY_STATES)) expect(isLegalState(state)).toBe(true);
  });
});

describe('moveTo: every event from every legal state', () => {
  for (const { event, moves } of TABLE) {
    it(`${JSON.stringify(event)}`, () => {
      for (const state of LEGAL) {
        const after = moveTo(projectIn(state), event);
        const expected = moves[label(state)];
        expect(after && label(after), `from ${label(state)}`).toBe(expected);
        if (after) expect(isLegalState(after)).toBe(true);
      }
    });
  }

  it('the table covers every kind of event', () => {
    const kinds = new Set(TABLE.map((row) => row.event.type));
    expect([...kinds].sort()).toEqual(
      [
        'attempt-started',
        'budget-reached',
        'delivered',
        'escalate',
        'exhausted',
        'review-abandon',
        'review-retry',
      ].sort(),
    );
  });
});

describe('what each move writes besides the state', () => {
  const hardFix = (n: number): Attempt => ({ n, stage: 'hard-fix', outcome: 'failed', at: 'x' });
  const parked = { reason: 'LLM not configured', at: 'x' };

  it('hard fix after the smart retry starts its round after the highest attempt number; a parked reason stays', () => {
    const after = moveTo(projectIn({ status: 'smart-retry', stage: 'smart-retry' }, { parked }), {
      type: 'escalate',
      from: 'smart-retry',
    });
    expect(after).toMatchObject({ hardFixBase: 0, parked });
  });

  it("a reviewer's retry: a new round after the last attempt, a fresh budget, no reason left over", () => {
    const before = projectIn(
      { status: 'manual-review', stage: 'manual' },
      { attempts: [hardFix(1), hardFix(20)], hardFixBase: 0, reviewReason: 'budget', parked },
    );
    const after = moveTo(before, { type: 'review-retry' });
    expect(after).toMatchObject({ hardFixBase: 20, budgetFrom: { tokens: 165, costMicroUsd: 700 } });
    expect(after?.reviewReason).toBeUndefined();
    expect(after?.parked).toBeUndefined();
    // A later round counts from the base, even with no attempt recorded in the round before.
    const again = moveTo(projectIn({ status: 'manual-review', stage: 'manual' }, { hardFixBase: 40 }), {
      type: 'review-retry',
    });
    expect(again?.hardFixBase).toBe(40);
  });

  it('abandon keeps the reason; the budget stop says why and clears a parked reason; delivery records where', () => {
    expect(
      moveTo(projectIn({ status: 'manual-review', stage: 'manual' }), {
        type: 'review-abandon',
        reason: 'spam',
      })?.abandonReason,
    ).toBe('spam');
    const stopped = moveTo(projectIn({ status: 'hard-fix', stage: 'hard-fix' }, { parked }), {
      type: 'budget-reached',
    });
    expect(stopped).toMatchObject({ reviewReason: 'budget' });
    expect(stopped?.parked).toBeUndefined();
    const delivered = moveTo(projectIn({ status: 'generating', stage: 'generation' }, { parked }), {
      type: 'delivered',
      path: '/d/p1',
      at: 't',
    });
    expect(delivered).toMatchObject({ delivery: { path: '/d/p1', at: 't' } });
    expect(delivered?.parked).toBeUndefined();
  });

  it('leaves the project it is given as it was', () => {
    const before = projectIn({ status: 'manual-review', stage: 'manual' });
    const copy = structuredClone(before);
    moveTo(before, { type: 'review-retry' });
    expect(before).toEqual(copy);
  });
});
