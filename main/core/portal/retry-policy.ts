/**
 * When a failed call is tried again: only where the portal certainly did not act on it, or the
 * method is safe to repeat; after the portal's "too many requests" our bucket agrees with it first.
 */
import type { PortalError } from './errors';
import type { LeakyBucket } from './leaky-bucket';

export interface RetryPolicy {
  backoffBaseMs: number;
  backoffMaxMs: number;
  maxLimitWaitMs: number;
  /** For jitter. */
  random: () => number;
}

/** How long to wait before the next attempt, or undefined when this error must not be retried. */
export function retryDelayMs(
  error: PortalError,
  retry: 'idempotent' | 'safe-only',
  attemptNumber: number,
  policy: RetryPolicy,
  context: { nowMs: number; bucket: LeakyBucket | undefined },
): number | undefined {
  switch (error.kind) {
    case 'rate-limited': {
      if (error.code !== 'QUERY_LIMIT_EXCEEDED') return undefined; // OVERLOAD_LIMIT is a manual block
      // The portal says its bucket is full: ours must agree, then back off on top.
      context.bucket?.saturate();
      const drainMs = context.bucket ? 1000 / context.bucket.drainPerSec : 0;
      return backoffMs(attemptNumber, Math.max(policy.backoffBaseMs, drainMs), policy);
    }
    case 'operating-limited':
      // The limiter now holds the method until its reset; the client's budget wait does the waiting.
      return error.retryAt !== undefined && error.retryAt - context.nowMs <= policy.maxLimitWaitMs ? 0 : undefined;
    case 'transient':
      // Neither a too-large answer nor a proxy's demand for a password changes within seconds.
      if (error.code === 'RESPONSE_TOO_LARGE' || error.code === 'PROXY_AUTH_REQUIRED') return undefined;
      return retry === 'idempotent' || error.delivery === 'not-processed' ? backoffMs(attemptNumber, policy.backoffBaseMs, policy) : undefined;
    default:
      return undefined;
  }
}

/** Exponential, capped, with ±20% jitter so several clients do not retry in step. */
function backoffMs(attemptNumber: number, baseMs: number, policy: RetryPolicy): number {
  const raw = Math.min(policy.backoffMaxMs, baseMs * 2 ** (attemptNumber - 1));
  return Math.max(0, Math.round(raw * (0.8 + 0.4 * policy.random())));
}
