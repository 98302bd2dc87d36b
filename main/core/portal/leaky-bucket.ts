import type { Clock } from '../clock';

export interface LeakyBucketOptions {
  /** How many requests fit at once (Bitrix24 cloud: 50; Enterprise: 250). */
  capacity: number;
  /** How fast the bucket drains (Bitrix24 cloud: 2/s; Enterprise: 5/s). */
  drainPerSec: number;
}

/** Bitrix24's documented non-Enterprise limit, which the portal enforces per portal and IP. */
export const DEFAULT_BUCKET: LeakyBucketOptions = { capacity: 50, drainPerSec: 2 };

/**
 * The portal's own leaky bucket mirrored on our side, so the app never trips 503
 * QUERY_LIMIT_EXCEEDED by itself. Waiters are served in order through one promise chain, so a
 * burst of callers sleeps one timer at a time instead of waking each other up.
 *
 * We fill to 90% of the portal's capacity (at least one slot less): requests paced perfectly on
 * our side can arrive bunched (a first burst delayed by connection set-up lands together with the
 * next paced one), and the portal counts arrivals, not departures.
 */
export class LeakyBucket {
  #level = 0;
  readonly #usableCapacity: number;
  #updatedAt: number;
  #tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly options: LeakyBucketOptions,
    private readonly clock: Clock,
  ) {
    if (!(options.capacity >= 1) || !(options.drainPerSec > 0)) {
      throw new RangeError('A leaky bucket needs capacity ≥ 1 and drainPerSec > 0');
    }
    this.#updatedAt = clock.now();
    this.#usableCapacity = Math.max(1, options.capacity - Math.max(1, Math.floor(options.capacity * 0.1)));
  }

  /** How many requests we let through at once: the portal's capacity less the headroom. */
  get usableCapacity(): number {
    return this.#usableCapacity;
  }

  get level(): number {
    this.#drain();
    return this.#level;
  }

  get drainPerSec(): number {
    return this.options.drainPerSec;
  }

  /** Waits until one more request fits, then counts it. */
  acquire(signal?: AbortSignal): Promise<void> {
    const turn = this.#tail.then(() => this.#take(signal));
    this.#tail = turn.catch(() => undefined);
    return turn;
  }

  /** The portal said we are over its limit: assume its bucket is full and wait for it to drain. */
  saturate(): void {
    this.#drain();
    this.#level = this.#usableCapacity;
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = this.#delayMs();
      if (waitMs <= 0) {
        this.#level += 1;
        return;
      }
      await this.clock.sleep(waitMs, signal);
    }
  }

  #delayMs(): number {
    this.#drain();
    const excess = this.#level + 1 - this.#usableCapacity;
    return excess <= 0 ? 0 : Math.ceil((excess / this.options.drainPerSec) * 1000);
  }

  #drain(): void {
    const now = this.clock.now();
    const drained = ((now - this.#updatedAt) / 1000) * this.options.drainPerSec;
    this.#level = Math.max(0, this.#level - drained);
    this.#updatedAt = now;
  }
}
