/**
 * When to poll next. Pure, so the policy is tested without clocks.
 */
import type { PortalErrorKind } from '../portal/errors';

export const DEFAULT_POLL_INTERVAL_MS = 30_000;
export const MIN_POLL_INTERVAL_MS = 10_000;
export const MAX_POLL_INTERVAL_MS = 15 * 60_000;
export const MAX_BACKOFF_MS = 5 * 60_000;

/**
 * Polling may use at most this share of a portal's sustained request budget (its bucket's drain
 * rate): the rest stays for answers, the user's browser and the portal's other clients.
 */
export const POLL_BUDGET_SHARE = 1 / 20;
/** The user counts as active while the system has seen input within this time. */
export const ACTIVE_IDLE_THRESHOLD_MS = 3 * 60_000;
/** While the user is away the interval stretches this much (an away user reads nothing live). */
export const IDLE_INTERVAL_FACTOR = 4;
export const MIN_IDLE_INTERVAL_MS = 2 * 60_000;

/** Is the person at the computer? `locked` also covers a locked screen; sleep is handled apart. */
export type Activity = 'active' | 'idle' | 'locked';

export function activityFromIdleTime(idleMs: number, locked: boolean): Activity {
  if (locked) return 'locked';
  return idleMs < ACTIVE_IDLE_THRESHOLD_MS ? 'active' : 'idle';
}

/** The shortest poll interval a portal with this sustained rate allows us (1/20 of its budget). */
export function budgetFloorMs(sustainedRequestsPerSec: number): number {
  if (!(sustainedRequestsPerSec > 0)) return MAX_POLL_INTERVAL_MS;
  return Math.max(MIN_POLL_INTERVAL_MS, Math.ceil(1000 / (sustainedRequestsPerSec * POLL_BUDGET_SHARE)));
}

/** The interval for the user's setting and what the person is doing. */
export function effectiveIntervalMs(intervalMs: number, activity: Exclude<Activity, 'locked'>, floorMs: number = MIN_POLL_INTERVAL_MS): number {
  const base = Math.max(clampPollInterval(intervalMs), floorMs);
  if (activity === 'active') return base;
  return Math.min(MAX_POLL_INTERVAL_MS, Math.max(base * IDLE_INTERVAL_FACTOR, MIN_IDLE_INTERVAL_MS));
}

export function clampPollInterval(intervalMs: number): number {
  if (!Number.isFinite(intervalMs)) return DEFAULT_POLL_INTERVAL_MS;
  return Math.min(MAX_POLL_INTERVAL_MS, Math.max(MIN_POLL_INTERVAL_MS, Math.round(intervalMs)));
}

/** Errors after which polling stops until the user acts: retrying cannot fix them. */
export function stopsPolling(kind: PortalErrorKind): boolean {
  return kind === 'auth' || kind === 'scope' || kind === 'plan' || kind === 'moved' || kind === 'config' || kind === 'certificate';
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
  /** What the person is doing; 'active' when unknown. */
  activity?: Exclude<Activity, 'locked'>;
  /** The portal's floor from its request budget (see budgetFloorMs). */
  floorMs?: number;
}

/** Delay before the next poll, in ms. */
export function nextPollDelayMs(input: ScheduleInput): number {
  const interval = effectiveIntervalMs(input.intervalMs, input.activity ?? 'active', input.floorMs);
  // Past half the operating budget, stretch the interval up to 4× as the pressure grows.
  const stretched = input.operatingPressure > 0.5 ? interval * (1 + 6 * (input.operatingPressure - 0.5)) : interval;
  const backoff = input.consecutiveFailures > 0 ? Math.min(MAX_BACKOFF_MS, interval * 2 ** (input.consecutiveFailures - 1)) : 0;
  const portalWait = input.retryAt !== undefined ? input.retryAt - input.nowMs : 0;
  return Math.round(Math.max(stretched, backoff, portalWait));
}
