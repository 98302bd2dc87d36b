import type { Clock } from '../../main/core/clock';

interface Timer {
  dueAt: number;
  resolve: () => void;
}

/**
 * A clock the test drives: `sleep` resolves only when `advance` moves time past its due point,
 * so schedules are checked without real waiting.
 */
export class FakeClock implements Clock {
  #now: number;
  #timers: Timer[] = [];

  constructor(startMs = Date.UTC(2026, 2, 3, 9, 0, 0)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  /** How far away the earliest pending timer is, in ms; undefined when none is pending. */
  get nextDueInMs(): number | undefined {
    if (this.#timers.length === 0) return undefined;
    return Math.min(...this.#timers.map((timer) => timer.dueAt)) - this.#now;
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer: Timer = { dueAt: this.#now + Math.max(0, delayMs), resolve };
      this.#timers.push(timer);
      signal?.addEventListener(
        'abort',
        () => {
          this.#timers = this.#timers.filter((t) => t !== timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }

  /**
   * The computer sleeps for `deltaMs`: the wall clock moves on, but timers do not count the time
   * (Node's timers run on the monotonic clock, which stands still in suspend on Linux: libuv
   * uv_now / CLOCK_MONOTONIC), so every pending timer is that much later.
   */
  suspendFor(deltaMs: number): void {
    this.#now += deltaMs;
    for (const timer of this.#timers) timer.dueAt += deltaMs;
  }

  /** Moves time forward, firing due timers in order and letting their continuations run. */
  async advance(deltaMs: number): Promise<void> {
    const target = this.#now + deltaMs;
    for (;;) {
      await flushMicrotasks();
      const next = this.#timers.filter((t) => t.dueAt <= target).sort((a, b) => a.dueAt - b.dueAt)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.dueAt);
      next.resolve();
    }
    this.#now = target;
    await flushMicrotasks();
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await Promise.resolve();
}
