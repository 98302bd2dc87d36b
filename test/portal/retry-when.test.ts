/**
 * Which failed portal calls are tried again, and after how long. Limits are from
 * ../shared/docs/real-portal-notes.md §3 and bitrix24-notify-api.md §4.6 (OVERLOAD_LIMIT is a manual
 * block; QUERY_LIMIT_EXCEEDED means the portal's leaky bucket is full, cloud drain 2/s).
 */
import { describe, expect, it } from 'vitest';
import { PortalError, type PortalErrorKind } from '../../main/core/portal';
import { LeakyBucket } from '../../main/core/portal/leaky-bucket';
import { retryDelayMs, type RetryPolicy } from '../../main/core/portal/retry-policy';
import { FakeClock } from '../harness/fake-clock';

const NOW = Date.UTC(2026, 2, 3, 9, 0, 0);

/** random() = 0.5 puts the jitter at its middle: the delay is the plain exponential backoff. */
function policy(overrides: Partial<RetryPolicy> = {}): RetryPolicy {
  return { backoffBaseMs: 100, backoffMaxMs: 5_000, maxLimitWaitMs: 60_000, random: () => 0.5, ...overrides };
}

function failure(kind: PortalErrorKind, code: string, extra: { retryAt?: number; delivery?: 'not-processed' | 'unknown' } = {}): PortalError {
  return new PortalError({ kind, code, delivery: extra.delivery ?? 'not-processed', retryAt: extra.retryAt });
}

const noBucket = { nowMs: NOW, bucket: undefined };

describe('temporary failures', () => {
  const timeout = failure('transient', 'TIMEOUT');

  it('back off exponentially from the base delay: 100, 200, 400, 800 ms', () => {
    const delays = [1, 2, 3, 4].map((attempt) => retryDelayMs(timeout, 'idempotent', attempt, policy(), noBucket));
    expect(delays).toEqual([100, 200, 400, 800]);
  });

  it('never wait longer than the cap, however many attempts failed', () => {
    expect(retryDelayMs(timeout, 'idempotent', 7, policy(), noBucket)).toBe(5_000);
    expect(retryDelayMs(timeout, 'idempotent', 30, policy(), noBucket)).toBe(5_000);
  });

  it('spread each delay by ±20% so several clients do not retry in step', () => {
    const at = (random: number): number | undefined => retryDelayMs(timeout, 'idempotent', 3, policy({ random: () => random }), noBucket);
    expect(at(0)).toBe(320);
    expect(at(0.25)).toBe(360);
    expect(at(0.5)).toBe(400);
    expect(at(1)).toBe(480);
  });

  it('are not retried when the portal may already have acted and the call is not safe to repeat', () => {
    const unknownFate = failure('transient', 'TIMEOUT', { delivery: 'unknown' });
    expect(retryDelayMs(unknownFate, 'safe-only', 1, policy(), noBucket)).toBeUndefined();
    expect(retryDelayMs(unknownFate, 'idempotent', 1, policy(), noBucket)).toBe(100);
    expect(retryDelayMs(failure('transient', 'NETWORK_ERROR'), 'safe-only', 1, policy(), noBucket)).toBe(100);
  });

  it('an answer too large or a proxy asking for a password is not retried: neither changes within seconds', () => {
    for (const code of ['RESPONSE_TOO_LARGE', 'PROXY_AUTH_REQUIRED']) {
      expect(retryDelayMs(failure('transient', code), 'idempotent', 1, policy(), noBucket), code).toBeUndefined();
    }
  });
});

describe('"too many requests" (503 QUERY_LIMIT_EXCEEDED)', () => {
  const tooMany = failure('rate-limited', 'QUERY_LIMIT_EXCEEDED');

  it('fills our own bucket, so the next requests wait for the portal’s to drain', () => {
    const bucket = new LeakyBucket({ capacity: 50, drainPerSec: 2 }, new FakeClock(NOW));
    expect(bucket.level).toBe(0);
    retryDelayMs(tooMany, 'safe-only', 1, policy(), { nowMs: NOW, bucket });
    expect(bucket.level).toBe(bucket.usableCapacity);
  });

  it('waits at least one drain interval of the bucket (500 ms at 2/s) before trying again', () => {
    const bucket = new LeakyBucket({ capacity: 50, drainPerSec: 2 }, new FakeClock(NOW));
    expect(retryDelayMs(tooMany, 'safe-only', 1, policy(), { nowMs: NOW, bucket })).toBe(500);
    expect(retryDelayMs(tooMany, 'safe-only', 2, policy(), { nowMs: NOW, bucket })).toBe(1_000);
  });

  it('keeps the configured backoff when it is longer than a drain interval (Enterprise drains 5/s)', () => {
    const bucket = new LeakyBucket({ capacity: 250, drainPerSec: 5 }, new FakeClock(NOW));
    expect(retryDelayMs(tooMany, 'safe-only', 1, policy({ backoffBaseMs: 300 }), { nowMs: NOW, bucket })).toBe(300);
  });

  it('without a bucket, backs off from the base delay alone', () => {
    expect(retryDelayMs(tooMany, 'safe-only', 1, policy(), noBucket)).toBe(100);
  });

  it('a manual block (OVERLOAD_LIMIT) is never retried automatically', () => {
    const blocked = failure('rate-limited', 'OVERLOAD_LIMIT');
    const bucket = new LeakyBucket({ capacity: 50, drainPerSec: 2 }, new FakeClock(NOW));
    expect(retryDelayMs(blocked, 'idempotent', 1, policy(), { nowMs: NOW, bucket })).toBeUndefined();
    expect(retryDelayMs(blocked, 'idempotent', 1, policy(), noBucket)).toBeUndefined();
  });
});

describe('operating-time limit (429 OPERATION_TIME_LIMIT)', () => {
  it('is retried right away (the limiter does the waiting) when the reset is within the longest wait', () => {
    const soon = failure('operating-limited', 'OPERATION_TIME_LIMIT', { retryAt: NOW + 30_000 });
    expect(retryDelayMs(soon, 'safe-only', 1, policy(), noBucket)).toBe(0);
    const exactlyAtTheLimit = failure('operating-limited', 'OPERATION_TIME_LIMIT', { retryAt: NOW + 60_000 });
    expect(retryDelayMs(exactlyAtTheLimit, 'safe-only', 1, policy(), noBucket)).toBe(0);
  });

  it('is given up when the reset is further away, or the portal did not say when', () => {
    // The reset can be up to 10 minutes away (real-portal-notes §3): too long to hold a call open.
    const later = failure('operating-limited', 'OPERATION_TIME_LIMIT', { retryAt: NOW + 60_001 });
    expect(retryDelayMs(later, 'safe-only', 1, policy(), noBucket)).toBeUndefined();
    expect(retryDelayMs(failure('operating-limited', 'OPERATION_TIME_LIMIT'), 'idempotent', 1, policy(), noBucket)).toBeUndefined();
  });
});

describe('failures only the user or the portal can fix', () => {
  it.each<[PortalErrorKind, string]>([
    ['auth', 'INVALID_CREDENTIALS'],
    ['auth', 'expired_token'],
    ['scope', 'insufficient_scope'],
    ['plan', 'PAYMENT_REQUIRED'],
    ['invalid-request', 'ERROR_METHOD_NOT_FOUND'],
    ['config', 'INVALID_REQUEST'],
    ['certificate', 'CERT_HAS_EXPIRED'],
    ['moved', 'MOVED'],
  ])('%s (%s) is never retried, not even for a call safe to repeat', (kind, code) => {
    expect(retryDelayMs(failure(kind, code), 'idempotent', 1, policy(), noBucket)).toBeUndefined();
  });
});
