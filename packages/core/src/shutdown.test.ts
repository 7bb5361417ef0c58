import { describe, expect, it } from 'vitest';
import { closeInSteps } from './shutdown.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('closeInSteps', () => {
  it('runs the steps in order and names the one that is slow, while it is', async () => {
    const order: string[] = [];
    const slow: [string, number][] = [];
    await closeInSteps(
      [
        ['quick', async () => order.push('quick')],
        ['slow', () => sleep(130).then(() => order.push('slow'))],
        ['last', async () => order.push('last')],
      ],
      (step, waitedMs) => slow.push([step, waitedMs]),
      50,
    );
    expect(order).toEqual(['quick', 'slow', 'last']);
    expect(slow.map(([step]) => step)).toEqual(['slow', 'slow']);
    expect(slow[1]?.[1]).toBeGreaterThanOrEqual(100);
  });

  it('stops at a step that fails, and reports nothing once it has', async () => {
    const slow: string[] = [];
    const ran: string[] = [];
    await expect(
      closeInSteps(
        [
          ['fails', () => sleep(20).then(() => Promise.reject(new Error('boom')))],
          ['after', async () => ran.push('after')],
        ],
        (step) => slow.push(step),
        50,
      ),
    ).rejects.toThrow('boom');
    await sleep(120);
    expect(ran).toEqual([]);
    expect(slow).toEqual([]);
  });
});
