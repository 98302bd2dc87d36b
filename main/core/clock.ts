/**
 * Time as a dependency: the client's waits (bucket, backoff) and later the poller's schedule
 * go through this, so tests can drive time instead of sleeping.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `delayMs`; rejects with the signal's reason if it aborts first. */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
}

/** setTimeout's largest delay; Node runs anything longer after 1 ms (a busy loop for "forever"). */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (delayMs, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      let timer: ReturnType<typeof setTimeout>;
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      // Long waits (an idle engine waits "forever" for a wake-up) are chained timers of at most 24.8 days.
      const arm = (remainingMs: number): void => {
        timer = setTimeout(
          () => {
            if (remainingMs > MAX_TIMER_DELAY_MS) return arm(remainingMs - MAX_TIMER_DELAY_MS);
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.min(MAX_TIMER_DELAY_MS, Math.max(0, remainingMs)),
        );
      };
      arm(delayMs);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};
