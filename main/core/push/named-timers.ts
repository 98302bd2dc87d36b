/**
 * One-shot timers by name on the app's clock (virtual in tests): setting a name again replaces its
 * timer, and a replaced or cleared timer never runs.
 */
import type { Clock } from '../clock';

export class NamedTimers {
  readonly #clock: Clock;
  readonly #timers = new Map<string, AbortController>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Runs `run` after `delayMs` unless the name is set again or cleared first, or `live()` says no. */
  set(name: string, delayMs: number, run: () => void, live: () => boolean = () => true): void {
    this.clear(name);
    const controller = new AbortController();
    this.#timers.set(name, controller);
    this.#clock.sleep(delayMs, controller.signal).then(
      () => {
        if (this.#timers.get(name) !== controller || !live()) return;
        this.#timers.delete(name);
        run();
      },
      () => undefined,
    );
  }

  clear(name: string): void {
    this.#timers.get(name)?.abort();
    this.#timers.delete(name);
  }

  clearAll(): void {
    for (const timer of this.#timers.values()) timer.abort();
    this.#timers.clear();
  }
}
