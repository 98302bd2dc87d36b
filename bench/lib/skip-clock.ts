/**
 * Real time that can skip idle stretches: everything runs in real time (HTTP, D-Bus, the app's
 * own work), but the benchmark may jump over a wait in which nothing happens (the gap between two
 * polls, a bucket draining between two runs). Timers that fall due in a jump fire at once.
 */
import type { Clock } from '../../main/core/clock';
import { preciseNow } from './stats';

interface Timer {
  dueAt: number;
  resolve: () => void;
  handle: NodeJS.Timeout | undefined;
}

export class SkippableClock implements Clock {
  #offsetMs = 0;
  readonly #timers = new Set<Timer>();

  now(): number {
    return preciseNow() + this.#offsetMs;
  }

  /** Milliseconds skipped so far. */
  get skippedMs(): number {
    return this.#offsetMs;
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const timer: Timer = { dueAt: this.now() + Math.max(0, delayMs), resolve: () => undefined, handle: undefined };
      timer.resolve = () => {
        this.#timers.delete(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = (): void => {
        clearTimeout(timer.handle);
        this.#timers.delete(timer);
        reject(signal?.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#timers.add(timer);
      this.#arm(timer);
    });
  }

  /** The earliest pending timer's due time. */
  nextDueAt(): number | undefined {
    let next: number | undefined;
    for (const timer of this.#timers) if (next === undefined || timer.dueAt < next) next = timer.dueAt;
    return next;
  }

  /** Jumps forward to `at` (never back); timers due by then fire. */
  skipTo(at: number): void {
    const jump = at - this.now();
    if (jump <= 0) return;
    this.#offsetMs += jump;
    for (const timer of [...this.#timers]) {
      clearTimeout(timer.handle);
      this.#arm(timer);
    }
  }

  #arm(timer: Timer): void {
    const remaining = timer.dueAt - this.now();
    timer.handle = setTimeout(timer.resolve, Math.max(0, remaining));
  }
}
