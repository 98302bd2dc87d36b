/**
 * The system clock's sleep: an idle engine waits "forever" (Number.MAX_SAFE_INTEGER ms) for a
 * wake-up, which setTimeout alone would turn into a 1 ms busy loop.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_TIMER_DELAY_MS, systemClock } from '../../main/core/clock';

afterEach(() => {
  vi.useRealTimers();
});

describe('systemClock.sleep', () => {
  it('never arms a timer longer than setTimeout allows, and a "forever" sleep does not resolve early', async () => {
    vi.useFakeTimers();
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const stop = new AbortController();
    let settled = false;
    const sleeping = systemClock.sleep(Number.MAX_SAFE_INTEGER, stop.signal).then(
      () => (settled = true),
      () => (settled = true),
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(MAX_TIMER_DELAY_MS);
    expect(settled).toBe(false);
    expect(Math.max(...setTimeoutSpy.mock.calls.map((call) => Number(call[1])))).toBeLessThanOrEqual(MAX_TIMER_DELAY_MS);
    stop.abort(new Error('woken'));
    await sleeping;
    expect(settled).toBe(true);
  });

  it('resolves after a normal delay and rejects with the signal’s reason when aborted', async () => {
    vi.useFakeTimers();
    const done = systemClock.sleep(50);
    await vi.advanceTimersByTimeAsync(50);
    await expect(done).resolves.toBeUndefined();
    const stop = new AbortController();
    const aborted = systemClock.sleep(10_000, stop.signal);
    stop.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
  });
});
