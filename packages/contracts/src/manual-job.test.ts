import { describe, expect, it } from 'vitest';
import { lastPipelineError } from './manual-job.js';
import { type Attempt, type Project, REFUSED_UNRUN } from './project.js';

const failed = (stage: Attempt['stage'], n: number, type: string): Attempt => ({
  n,
  stage,
  outcome: 'failed',
  error: { type, message: `${type} happened`, signature: `sig-${type}` },
  at: '2026-12-02T00:00:00.000Z',
});

describe('lastPipelineError', () => {
  it('is the last error a candidate ran into, past refusals and the reviewer’s own failures', () => {
    const attempts = [
      failed('import', 1, 'NameError'),
      failed('hard-fix', 1, 'TypeError'),
      failed('hard-fix', 2, REFUSED_UNRUN.duplicate),
      failed('hard-fix', 3, REFUSED_UNRUN.specChanged),
      failed('hard-fix', 4, REFUSED_UNRUN.invalidAnswer),
      failed('manual', 1, 'SyntaxError'),
    ];
    expect(lastPipelineError({ attempts } as Project)?.type).toBe('TypeError');
    expect(lastPipelineError({ attempts: attempts.slice(2) } as Project)).toBeUndefined();
  });
});
