/**
 * When the next poll comes, as the portal and the person would see it (engine/schedule.ts): the
 * interval the user chose within its bounds, backing off after failures up to five minutes, the
 * portal's own "not before", stretching as the operating-time budget runs low, and which errors
 * stop polling until the user acts. Pure functions, no clock.
 */
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_POLL_INTERVAL_MS,
  MAX_BACKOFF_MS,
  MAX_POLL_INTERVAL_MS,
  MIN_POLL_INTERVAL_MS,
  clampPollInterval,
  nextPollDelayMs,
  stopsPolling,
  type ScheduleInput,
} from '../../main/core/engine/schedule';
import type { PortalErrorKind } from '../../main/core/portal/errors';

const base: ScheduleInput = { intervalMs: 30_000, consecutiveFailures: 0, retryAt: undefined, nowMs: 1_000_000, operatingPressure: 0 };

describe('the interval the user chose', () => {
  it('is kept within 10 s and 15 min, in whole milliseconds; nonsense falls back to the default', () => {
    expect(clampPollInterval(1)).toBe(MIN_POLL_INTERVAL_MS);
    expect(clampPollInterval(10_000)).toBe(10_000);
    expect(clampPollInterval(45_000.4)).toBe(45_000);
    expect(clampPollInterval(MAX_POLL_INTERVAL_MS + 1)).toBe(MAX_POLL_INTERVAL_MS);
    for (const nonsense of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) expect(clampPollInterval(nonsense)).toBe(DEFAULT_POLL_INTERVAL_MS);
  });
});

describe('after failures', () => {
  it('doubles the wait with each failure in a row, from the interval, up to five minutes', () => {
    const delays = [0, 1, 2, 3, 4, 5, 6].map((failures) => nextPollDelayMs({ ...base, consecutiveFailures: failures }));
    expect(delays).toEqual([30_000, 30_000, 60_000, 120_000, 240_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
  });

  it('never polls before the portal’s own “not before”, and never sooner than the interval', () => {
    expect(nextPollDelayMs({ ...base, retryAt: base.nowMs + 95_000 })).toBe(95_000);
    expect(nextPollDelayMs({ ...base, retryAt: base.nowMs + 5_000 })).toBe(30_000);
    expect(nextPollDelayMs({ ...base, retryAt: base.nowMs - 60_000 })).toBe(30_000);
    // The longest of the three reasons wins.
    expect(nextPollDelayMs({ ...base, consecutiveFailures: 3, retryAt: base.nowMs + 100_000 })).toBe(120_000);
  });
});

describe('the operating-time budget', () => {
  it('up to half used changes nothing; past it the interval stretches, to four times when it is all used', () => {
    const delays = [0, 0.5, 0.6, 0.75, 1].map((pressure) => nextPollDelayMs({ ...base, operatingPressure: pressure }));
    expect(delays).toEqual([30_000, 30_000, 48_000, 75_000, 120_000]);
  });
});

describe('errors that stop polling', () => {
  it('those that need the user: sign-in, permission, plan, a moved portal, its configuration, its certificate', () => {
    const all: PortalErrorKind[] = ['auth', 'scope', 'plan', 'rate-limited', 'operating-limited', 'transient', 'invalid-request', 'moved', 'config', 'certificate'];
    expect(all.filter(stopsPolling)).toEqual(['auth', 'scope', 'plan', 'moved', 'config', 'certificate']);
  });
});
