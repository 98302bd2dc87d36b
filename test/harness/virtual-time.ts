/**
 * Virtual time that runs itself: a Clock whose timers fire as soon as nothing else can happen.
 *
 * FakeClock needs a test to say how far to move; a long scenario (hours of polling, backoffs,
 * operating-limit holds, OAuth expiry) cannot know that in advance. Here a driver fires the
 * earliest timer whenever the process is quiet: no HTTP request in flight (undici reports each one
 * on its diagnostics channels, whoever makes it) and a few event-loop turns without one starting.
 * HTTP itself takes real time and no virtual time, so schedules are exact while every byte still
 * crosses a real socket.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Clock } from '../../main/core/clock';

interface Timer {
  dueAt: number;
  seq: number;
  resolve: () => void;
}

export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  /** Sorted by due time, then by order of creation. */
  #timers: Timer[] = [];
  #added: (() => void) | undefined;

  constructor(startMs = Date.UTC(2026, 2, 3, 9, 0, 0)) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  get pendingTimers(): number {
    return this.#timers.length;
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason as Error);
        return;
      }
      const onAbort = (): void => {
        const index = this.#timers.indexOf(timer);
        if (index >= 0) this.#timers.splice(index, 1);
        reject(signal?.reason as Error);
      };
      // The listener goes when the timer fires: long-lived signals would collect them otherwise.
      const timer: Timer = {
        dueAt: this.#now + Math.max(0, delayMs),
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const at = this.#timers.findIndex((t) => t.dueAt > timer.dueAt);
      this.#timers.splice(at < 0 ? this.#timers.length : at, 0, timer);
      signal?.addEventListener('abort', onAbort, { once: true });
      const added = this.#added;
      this.#added = undefined;
      added?.();
    });
  }

  /** When the earliest timer is due, if there is one. */
  nextDueAt(): number | undefined {
    return this.#timers[0]?.dueAt;
  }

  /** Moves time to the earliest timer and fires it; false when there is none. */
  fireNext(): boolean {
    const timer = this.#timers.shift();
    if (!timer) return false;
    this.#now = Math.max(this.#now, timer.dueAt);
    timer.resolve();
    return true;
  }

  /** Resolves when the next timer is registered. */
  timerAdded(): Promise<void> {
    return new Promise((resolve) => {
      const previous = this.#added;
      this.#added = () => {
        previous?.();
        resolve();
      };
    });
  }
}

/** HTTP requests made through undici (ours or node's fetch) that have not finished yet. */
export class HttpInFlight {
  readonly #requests = new Set<object>();
  readonly #ignored = new Set<string>();
  #waiters: (() => void)[] = [];
  /** Requests started since creation, for reports. */
  started = 0;

  readonly #onCreate = (message: unknown): void => {
    const request = (message as { request: { origin?: unknown } }).request;
    if (this.#ignored.size > 0 && request.origin !== undefined && this.#ignored.has(new URL(String(request.origin)).origin)) return;
    this.#requests.add(request);
    this.started += 1;
    this.#changed();
  };

  readonly #onDone = (message: unknown): void => {
    if (this.#requests.delete((message as { request: object }).request)) this.#changed();
  };

  constructor() {
    subscribe('undici:request:create', this.#onCreate);
    subscribe('undici:request:trailers', this.#onDone);
    subscribe('undici:request:error', this.#onDone);
  }

  /**
   * Requests to `origin` are not waited for: a push socket or a held long poll is open by design,
   * and virtual time must go on while it is (the push soak, test/soak/push-scenario.ts).
   */
  ignore(origin: string): void {
    this.#ignored.add(new URL(origin).origin);
  }

  get count(): number {
    return this.#requests.size;
  }

  /** Resolves at the next request that starts or ends. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  dispose(): void {
    unsubscribe('undici:request:create', this.#onCreate);
    unsubscribe('undici:request:trailers', this.#onDone);
    unsubscribe('undici:request:error', this.#onDone);
    this.#changed();
  }

  #changed(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

export interface TimeDriver {
  readonly clock: VirtualClock;
  readonly http: HttpInFlight;
  /** Timers fired so far. */
  readonly steps: number;
  /** Called after every step (a fired timer); checks stay cheap. */
  onStep(listener: () => void): () => void;
  stop(): Promise<void>;
}

/** Event-loop turns without a request starting before the process counts as quiet. */
const SETTLE_TURNS = 3;
/** Timers further out than this are "never" (an engine stopped until the user acts sleeps forever). */
const DEFAULT_MAX_JUMP_MS = 7 * 24 * 3600_000;

/**
 * Fires `clock`'s timers one at a time, each only once no HTTP request is in flight and the event
 * loop has turned a few times without one starting (so the continuation of the previous timer
 * has had its chance to reach the network).
 */
export function driveVirtualTime(clock: VirtualClock, http = new HttpInFlight(), maxJumpMs = DEFAULT_MAX_JUMP_MS): TimeDriver {
  let stopped = false;
  let steps = 0;
  const listeners = new Set<() => void>();
  let wakeStop: () => void = () => undefined;
  const stopSignal = new Promise<void>((resolve) => (wakeStop = resolve));

  const quiet = async (): Promise<boolean> => {
    for (let turn = 0; turn < SETTLE_TURNS; turn += 1) {
      await nextTurn();
      if (http.count > 0 || stopped) return false;
    }
    return true;
  };

  const loop = (async () => {
    while (!stopped) {
      if (http.count > 0) {
        await Promise.race([http.changed(), stopSignal]);
        continue;
      }
      if (!(await quiet())) continue;
      const dueAt = clock.nextDueAt();
      if (dueAt !== undefined && dueAt - clock.now() <= maxJumpMs && clock.fireNext()) {
        steps += 1;
        for (const listener of [...listeners]) listener();
      } else {
        await Promise.race([clock.timerAdded(), http.changed(), stopSignal]);
      }
    }
  })();

  return {
    clock,
    http,
    get steps() {
      return steps;
    },
    onStep(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async stop() {
      stopped = true;
      wakeStop();
      await loop;
      http.dispose();
    },
  };
}
