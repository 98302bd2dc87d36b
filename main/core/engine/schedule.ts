/**
 * When to poll next. Pure, so the policy is tested without clocks.
 */
import type { PortalErrorKind } from '../portal/errors';

export const DEFAULT_POLL_INTERVAL_MS = 30_000;
export const MIN_POLL_INTERVAL_MS = 10_000;
export const MAX_POLL_INTERVAL_MS = 15 * 60_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

export function clampPollInterval(intervalMs: number): number {
  if (!Number.isFinite(intervalMs)) return DEFAULT_POLL_INTERVAL_MS;
  return Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, Math.round(intervalMs)));
}

/** Errors after which polling stops until the user acts: retrying cannot fix them. */
export function stopsPolling(kind: PortalErrorKind): boolean {
  return kind === 'auth' || kind === 'scope' || kind === 'plan';
}

export interface ScheduleInput {
  intervalMs: number;
  /** Failures in a row; 0 after a success. */
  consecutiveFailures: number;
  /** The portal's own "not before" (rate or operating limit), epoch ms. */
  retryAt: number | undefined;
  nowMs: number;
  /** 0–1: how close polling is to the method's operating-time limit. */
  operatingPressure: number;
}

/** Delay before the next poll, in ms. */
export function nextPollDelayMs(input: ScheduleInput): number {
  const interval = clampPollInterval(input.intervalMs);
  // Past half the operating budget, stretch the interval up to 4× as the pressure grows.
  const stretched = input.operatingPressure > 0.5 ? interval * (1 + 6 * (input.operatingPressure - 0.5)) : interval;
  const backoff = input.consecutiveFailures > 0 ? Math.min(MAX_BACKOFF_MS, interval * 2 ** (input.consecutiveFailures - 1)) : 0;
  const portalWait = input.retryAt !== undefined ? input.retryAt - input.nowMs : 0;
  return Math.round(Math.max(stretched, backoff, portalWait));
}
