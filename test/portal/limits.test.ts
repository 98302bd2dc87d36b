import { describe, expect, it } from 'vitest';
import { LeakyBucket } from '../../main/core/portal/leaky-bucket';
import { OperatingLimiter } from '../../main/core/portal/operating-limiter';
import { encodePhpQuery } from '../../main/core/portal/query-string';
import { FakeClock } from '../harness/fake-clock';

describe('LeakyBucket', () => {
  it('lets a burst up to its usable capacity through at once, then one request per drain interval', async () => {
    const clock = new FakeClock();
    const bucket = new LeakyBucket({ capacity: 4, drainPerSec: 2 }, clock);
    expect(bucket.usableCapacity).toBe(3);
    const granted: number[] = [];
    const start = clock.now();
    const all = Array.from({ length: 6 }, () => bucket.acquire().then(() => granted.push(clock.now() - start)));
    await clock.advance(0);
    expect(granted).toEqual([0, 0, 0]);
    await clock.advance(5_000);
    await Promise.all(all);
    expect(granted).toEqual([0, 0, 0, 500, 1000, 1500]);
  });

  it('never lets the level exceed capacity', async () => {
    const clock = new FakeClock();
    const bucket = new LeakyBucket({ capacity: 5, drainPerSec: 1 }, clock);
    expect(bucket.usableCapacity).toBe(4);
    expect(new LeakyBucket({ capacity: 50, drainPerSec: 2 }, clock).usableCapacity).toBe(45);
    let maxLevel = 0;
    const all = Array.from({ length: 20 }, () =>
      bucket.acquire().then(() => {
        maxLevel = Math.max(maxLevel, bucket.level);
      }),
    );
    await clock.advance(30_000);
    await Promise.all(all);
    expect(maxLevel).toBeLessThanOrEqual(5);
  });

  it('waits a full drain after the portal says it is over the limit', async () => {
    const clock = new FakeClock();
    const bucket = new LeakyBucket({ capacity: 5, drainPerSec: 2 }, clock);
    bucket.saturate();
    let done = false;
    const waiting = bucket.acquire().then(() => (done = true));
    await clock.advance(499);
    expect(done).toBe(false);
    await clock.advance(1);
    await waiting;
    expect(done).toBe(true);
  });

  it('stops waiting when the caller aborts', async () => {
    const clock = new FakeClock();
    const bucket = new LeakyBucket({ capacity: 2, drainPerSec: 1 }, clock);
    await bucket.acquire();
    const controller = new AbortController();
    const waiting = bucket.acquire(controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => new LeakyBucket({ capacity: 0, drainPerSec: 2 }, new FakeClock())).toThrow(RangeError);
    expect(() => new LeakyBucket({ capacity: 5, drainPerSec: 0 }, new FakeClock())).toThrow(RangeError);
  });
});

describe('OperatingLimiter', () => {
  it('is free below 80% of the limit and reports pressure', () => {
    const clock = new FakeClock();
    const limiter = new OperatingLimiter(480, clock);
    limiter.record('im.notify.get', { operating: 120, operating_reset_at: clock.now() / 1000 + 300 });
    expect(limiter.delayMs('im.notify.get')).toBe(0);
    expect(limiter.pressure('im.notify.get')).toBeCloseTo(0.25);
    expect(limiter.pressure('im.notify.confirm')).toBe(0);
  });

  it('adds a small delay past 80% and stops until the reset near the limit', () => {
    const clock = new FakeClock();
    const limiter = new OperatingLimiter(480, clock);
    const resetAtSec = clock.now() / 1000 + 300;
    limiter.record('im.notify.get', { operating: 400, operating_reset_at: resetAtSec });
    expect(limiter.delayMs('im.notify.get')).toBe(3_000); // 1% of 300 s
    limiter.record('im.notify.get', { operating: 476, operating_reset_at: resetAtSec });
    expect(limiter.delayMs('im.notify.get')).toBe(301_000);
  });

  it('at a reset lets only the oldest one-minute bucket go, not the whole figure (real-portal-notes §3)', async () => {
    const clock = new FakeClock();
    const limiter = new OperatingLimiter(480, clock);
    limiter.record('im.notify.get', { operating: 479, operating_reset_at: clock.now() / 1000 + 60 });
    expect(limiter.pressure('im.notify.get')).toBeCloseTo(479 / 480);
    // One bucket gone: still near the limit (the old figure was not forgotten wholesale).
    await clock.advance(61_000);
    expect(limiter.pressure('im.notify.get')).toBeCloseTo((479 - 47.9) / 480);
    expect(limiter.delayMs('im.notify.get')).toBeGreaterThan(0);
    // Each following minute another bucket goes; ten minutes after the first reset nothing is left.
    await clock.advance(9 * 60_000);
    expect(limiter.pressure('im.notify.get')).toBe(0);
    expect(limiter.delayMs('im.notify.get')).toBe(0);
  });

  it('blocks a method after a 429 until the reset plus a second, at least 10 s', () => {
    const clock = new FakeClock();
    const limiter = new OperatingLimiter(480, clock);
    expect(limiter.block('im.notify.get') - clock.now()).toBe(10_000);
    limiter.record('im.notify.confirm', { operating: 480, operating_reset_at: clock.now() / 1000 + 120 });
    expect(limiter.block('im.notify.confirm') - clock.now()).toBe(121_000);
    expect(limiter.pressure('im.notify.confirm')).toBe(1);
  });
});

describe('encodePhpQuery', () => {
  it('encodes nested arrays and objects with PHP brackets and skips null', () => {
    const query = encodePhpQuery({ IDS: [5, 6], FILTER: { TYPE: 'Y' }, SKIP: null, FLAG: true, TEXT: 'a&b c' });
    expect(decodeURIComponent(query)).toBe('IDS[0]=5&IDS[1]=6&FILTER[TYPE]=Y&FLAG=1&TEXT=a&b c');
    expect(query).toContain('TEXT=a%26b%20c');
  });
});
