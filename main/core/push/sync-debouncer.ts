import type { Clock } from '../clock';

/**
 * Push is only a hint: a burst of notify events (one per notification, one per read, a mass
 * "read all") becomes ONE sync request after the burst settles for `delayMs`. What is shown
 * always comes from im.notify.get, never from the push payload.
 */
export class SyncDebouncer {
  #pending: AbortController | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly delayMs: number,
    private readonly fire: (reason: string) => void,
  ) {}

  request(reason: string): void {
    if (this.#pending) return;
    const pending = new AbortController();
    this.#pending = pending;
    this.clock.sleep(this.delayMs, pending.signal).then(
      () => {
        if (this.#pending === pending) this.#pending = undefined;
        this.fire(reason);
      },
      () => undefined,
    );
  }

  cancel(): void {
    this.#pending?.abort();
    this.#pending = undefined;
  }
}
