import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { closeInSteps } from './shutdown.js';

describe('closeInSteps', () => {
  it('runs the steps in order and names the one that is slow, while it is', async () => {
    const order: string[] = [];
    const slow: [string, number][] = [];
    // The slow step ends once it has been reported twice: no race with the timer on a loaded machine.
    let reportedTwice: () => void = () => {};
    const twice = new Promise<void>((resolve) => {
      reportedTwice = resolve;
    });
    await closeInSteps(
      [
        ['quick', async () => order.push('quick')],
        ['slow', () => twice.then(() => order.push('slow'))],
        ['last', async () => order.push('last')],
      ],
      (step, waitedMs) => {
        slow.push([step, waitedMs]);
        if (slow.length === 2) reportedTwice();
      },
      50,
    );
    expect(order).toEqual(['quick', 'slow', 'last']);
    expect(slow.map(([step]) => step)).toEqual(['slow', 'slow']);
    // Timers may fire a millisecond early by Date.now(); the second report says a longer wait.
    expect(slow[0]?.[1]).toBeGreaterThanOrEqual(45);
    expect(slow[1]?.[1]).toBeGreaterThan(slow[0]?.[1] ?? Number.POSITIVE_INFINITY);
  });

  it('stops at a step that fails, and reports nothing once it has', async () => {
    const slow: string[] = [];
    const ran: string[] = [];
    // The clock is stepped by hand: every report the 20 ms period could make is due, without a sleep.
    vi.useFakeTimers();
    onTestFinished(() => void vi.useRealTimers());
    await expect(
      closeInSteps(
        [
          ['fails', () => Promise.reject(new Error('boom'))],
          ['after', async () => ran.push('after')],
        ],
        (step) => slow.push(step),
        20,
      ),
    ).rejects.toThrow('boom');
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual([]);
    expect(slow).toEqual([]);
  });
});
