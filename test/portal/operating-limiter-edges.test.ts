/**
 * The per-method operating budget at its edges: the exact thresholds of the official JS SDK
 * (stop at limit − 5 s, slow down from 80 %), the instants a reset or a 429 block ends, and
 * `time` objects that carry no usable figure (self-hosted portals send no `operating` at all:
 * real-portal-notes §3, bitrix24-notify-api §4.4–4.5).
 */
import { describe, expect, it } from 'vitest';
import { OperatingLimiter, type PortalTime } from '../../main/core/portal/operating-limiter';
import { FakeClock } from '../harness/fake-clock';

const METHOD = 'im.notify.get';

function setUp(limitSec = 480): { clock: FakeClock; limiter: OperatingLimiter; inSec: (s: number) => number } {
  const clock = new FakeClock();
  return { clock, limiter: new OperatingLimiter(limitSec, clock), inSec: (s) => clock.now() / 1000 + s };
}

describe('OperatingLimiter thresholds', () => {
  it('stops a method at exactly 5 s below the limit until the reset plus a second', () => {
    const { limiter, inSec } = setUp();
    limiter.record(METHOD, { operating: 475, operating_reset_at: inSec(200) });
    expect(limiter.delayMs(METHOD)).toBe(201_000);
  });

  it('starts the adaptive delay at exactly 80 % of the limit', () => {
    const { limiter, inSec } = setUp();
    limiter.record(METHOD, { operating: 384, operating_reset_at: inSec(200) });
    expect(limiter.delayMs(METHOD)).toBe(2_000); // 1 % of the 200 s to the reset
    limiter.record(METHOD, { operating: 383.9, operating_reset_at: inSec(200) });
    expect(limiter.delayMs(METHOD)).toBe(0);
  });

  it('never holds a method that reported no time spent, even under a tiny configured budget', () => {
    const { limiter, inSec } = setUp(5);
    limiter.record(METHOD, { operating: 0, operating_reset_at: inSec(60) });
    expect(limiter.delayMs(METHOD)).toBe(0);
    // Without a reset time the figure cannot be placed in the window: nothing to wait for.
    limiter.record('im.notify.read', { operating: 3 });
    expect(limiter.delayMs('im.notify.read')).toBe(0);
  });
});

describe('OperatingLimiter over time', () => {
  it('drops the oldest bucket at the very instant of the reset, not a tick later', async () => {
    const { clock, limiter, inSec } = setUp();
    limiter.record(METHOD, { operating: 400, operating_reset_at: inSec(60) });
    await clock.advance(59_999);
    expect(limiter.pressure(METHOD)).toBeCloseTo(400 / 480);
    await clock.advance(1);
    expect(limiter.pressure(METHOD)).toBeCloseTo(360 / 480);
  });

  it('once the budget has drained, a 429 holds the method for the 10 s minimum only', async () => {
    const { clock, limiter, inSec } = setUp();
    limiter.record(METHOD, { operating: 10, operating_reset_at: inSec(1) });
    // Ten one-minute buckets later everything is gone; half a minute after that the portal
    // still refuses (another app's calls count too): the wait is not stretched to a future reset.
    await clock.advance(1_000 + 10 * 60_000 + 30_000);
    expect(limiter.pressure(METHOD)).toBe(0);
    expect(limiter.block(METHOD) - clock.now()).toBe(10_000);
  });

  it('when a 429 block ends the method is still slowed while its budget stays above 80 %', async () => {
    const { clock, limiter, inSec } = setUp();
    limiter.record(METHOD, { operating: 470, operating_reset_at: inSec(2) });
    expect(limiter.block(METHOD) - clock.now()).toBe(10_000);
    expect(limiter.pressure(METHOD)).toBe(1);
    await clock.advance(9_999);
    expect(limiter.delayMs(METHOD)).toBe(1);
    expect(limiter.pressure(METHOD)).toBe(1);
    await clock.advance(1);
    // One bucket (47 s) went at the reset: 423 s is still past 80 %; next reset 52 s away.
    expect(limiter.pressure(METHOD)).toBeCloseTo(423 / 480);
    expect(limiter.delayMs(METHOD)).toBe(520);
  });

  it('a 429 reports full pressure even when the last figure was low', () => {
    const { limiter, inSec } = setUp();
    limiter.record(METHOD, { operating: 12, operating_reset_at: inSec(30) });
    limiter.block(METHOD);
    expect(limiter.pressure(METHOD)).toBe(1);
  });
});

describe('OperatingLimiter and unusable time objects', () => {
  const unusable: [string, PortalTime | undefined][] = [
    ['no time object', undefined],
    ['a time object without operating (self-hosted portal)', { duration: 0.2, processing: 0.1 }],
    ['a non-numeric operating', { operating: '470' as unknown as number, operating_reset_at: 0 }],
    ['an infinite operating', { operating: Infinity }],
    ['a NaN operating', { operating: Number.NaN }],
  ];

  it.each(unusable)('keeps the last good figure after %s', (_label, time) => {
    const { limiter, inSec } = setUp();
    limiter.record(METHOD, { operating: 400, operating_reset_at: inSec(100) });
    expect(() => limiter.record(METHOD, time)).not.toThrow();
    expect(limiter.pressure(METHOD)).toBeCloseTo(400 / 480);
    expect(limiter.delayMs(METHOD)).toBe(1_000);
  });

  it('puts no pressure on a method whose report has no reset time', () => {
    const { limiter } = setUp();
    limiter.record(METHOD, { operating: 478 });
    expect(limiter.pressure(METHOD)).toBe(0);
    expect(limiter.delayMs(METHOD)).toBe(0);
  });
});
