import type { Clock } from '../clock';

/** The `time` object Bitrix24 appends to every successful response (§4.4). */
export interface PortalTime {
  start?: number;
  finish?: number;
  duration?: number;
  processing?: number;
  date_start?: string;
  date_finish?: string;
  /** Unix seconds when the oldest one-minute bucket of this method's budget expires. */
  operating_reset_at?: number;
  /** Seconds this method has run for this app or webhook over the last 10 minutes. */
  operating?: number;
}

/** Bitrix24 cloud's documented per-method budget: 480 s of execution per 10 minutes. */
export const DEFAULT_OPERATING_LIMIT_SEC = 480;
const MINIMUM_BLOCK_MS = 10_000;
const NEAR_LIMIT_MARGIN_SEC = 5;
const ADAPTIVE_FROM_RATIO = 0.8;
const ADAPTIVE_MAX_DELAY_MS = 7_000;

interface MethodState {
  operatingSec: number;
  resetAtMs: number | undefined;
  blockedUntilMs: number;
  /** What one one-minute bucket is taken to hold: the last report spread evenly over the window. */
  bucketSec: number;
}

/** The budget is kept in one-minute buckets over 10 minutes (real-portal-notes §3, DOCS limits.md). */
const BUCKET_MS = 60_000;
const BUCKETS_PER_WINDOW = 10;

/**
 * Tracks each method's `time.operating` and slows down before the portal blocks it with 429
 * OPERATION_TIME_LIMIT: a full stop until `operating_reset_at` near the limit, a small adaptive
 * delay past 80% (the same thresholds as the official JS SDK).
 */
export class OperatingLimiter {
  readonly #methods = new Map<string, MethodState>();

  constructor(
    private readonly limitSec: number,
    private readonly clock: Clock,
  ) {}

  record(method: string, time: PortalTime | undefined): void {
    if (!time || typeof time.operating !== 'number' || !Number.isFinite(time.operating)) return;
    const state = this.#state(method);
    state.operatingSec = time.operating;
    state.resetAtMs = typeof time.operating_reset_at === 'number' ? time.operating_reset_at * 1000 : undefined;
    state.bucketSec = time.operating / BUCKETS_PER_WINDOW;
  }

  /**
   * Time has passed since the portal last told us: at each reset only the oldest one-minute bucket
   * drops, not the whole budget (real-portal-notes §3). Which bucket held how much is unknown, so
   * each is taken to hold an even share, and the next one expires a minute later.
   */
  #rollForward(state: MethodState, now: number): void {
    if (state.resetAtMs === undefined) {
      state.operatingSec = 0;
      return;
    }
    while (state.resetAtMs <= now && state.operatingSec > 0) {
      state.operatingSec = Math.max(0, state.operatingSec - state.bucketSec);
      if (state.operatingSec < 1e-9) state.operatingSec = 0;
      state.resetAtMs += BUCKET_MS;
    }
  }

  /** The portal refused with 429: nothing for this method until the budget frees up. */
  block(method: string): number {
    const state = this.#state(method);
    const now = this.clock.now();
    const resetMs = state.resetAtMs !== undefined ? state.resetAtMs + 1000 : 0;
    state.blockedUntilMs = Math.max(now + MINIMUM_BLOCK_MS, resetMs);
    return state.blockedUntilMs;
  }

  /** How long to wait before calling `method` again; 0 when free. */
  delayMs(method: string): number {
    const state = this.#methods.get(method);
    if (!state) return 0;
    const now = this.clock.now();
    if (state.blockedUntilMs > now) return state.blockedUntilMs - now;
    this.#rollForward(state, now);
    if (state.resetAtMs === undefined || state.operatingSec === 0) return 0;
    if (state.operatingSec >= this.limitSec - NEAR_LIMIT_MARGIN_SEC) return state.resetAtMs + 1000 - now;
    if (state.operatingSec >= this.limitSec * ADAPTIVE_FROM_RATIO) {
      return Math.min(ADAPTIVE_MAX_DELAY_MS, Math.round((state.resetAtMs - now) * 0.01));
    }
    return 0;
  }

  /** 0 (idle) to 1 (at the limit): lets a poller stretch its interval before anything is blocked. */
  pressure(method: string): number {
    const state = this.#methods.get(method);
    if (!state) return 0;
    const now = this.clock.now();
    if (state.blockedUntilMs > now) return 1;
    this.#rollForward(state, now);
    if (state.resetAtMs === undefined) return 0;
    return Math.min(1, state.operatingSec / this.limitSec);
  }

  #state(method: string): MethodState {
    let state = this.#methods.get(method);
    if (!state) {
      state = { operatingSec: 0, resetAtMs: undefined, blockedUntilMs: 0, bucketSec: 0 };
      this.#methods.set(method, state);
    }
    return state;
  }
}
