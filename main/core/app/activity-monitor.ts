/**
 * Whether the person is at the computer, from the system's idle time (sampled) and screen-lock
 * events, reported only when it changes. The shell supplies the sources (Electron's powerMonitor);
 * the hub turns the result into each portal's poll schedule.
 */
import type { Clock } from '../clock';
import { activityFromIdleTime, type Activity } from '../engine/schedule';

export const ACTIVITY_SAMPLE_MS = 20_000;

export interface ActivityMonitorOptions {
  /** Seconds since the last keyboard or mouse input (powerMonitor.getSystemIdleTime). */
  idleSeconds: () => number;
  clock: Clock;
  onChange: (activity: Activity) => void;
  sampleMs?: number;
  /**
   * Whether the screen is locked, sampled with the idle time: on Linux Electron has no lock
   * events, only powerMonitor.getSystemIdleState(…) === 'locked' (electron-platform-notes §7).
   */
  isLocked?: () => boolean;
}

export class ActivityMonitor {
  readonly #options: ActivityMonitorOptions;
  #locked = false;
  #current: Activity = 'active';
  #stop = new AbortController();

  constructor(options: ActivityMonitorOptions) {
    this.#options = options;
  }

  get current(): Activity {
    return this.#current;
  }

  start(): void {
    this.#stop = new AbortController();
    void this.#loop(this.#stop.signal);
  }

  stop(): void {
    this.#stop.abort();
  }

  /** Screen lock events arrive at once; idle time is only sampled. */
  setLocked(locked: boolean): void {
    this.#locked = locked;
    this.sample();
  }

  sample(): void {
    let idleMs: number;
    try {
      idleMs = Math.max(0, this.#options.idleSeconds() * 1000);
    } catch {
      idleMs = 0; // No idle source on this system: treat the person as present (the safe side for a notifier).
    }
    let lockedNow = this.#locked;
    try {
      lockedNow ||= this.#options.isLocked?.() ?? false;
    } catch {
      // No lock source: events (where they exist) still tell.
    }
    const next = activityFromIdleTime(Number.isFinite(idleMs) ? idleMs : 0, lockedNow);
    if (next === this.#current) return;
    this.#current = next;
    this.#options.onChange(next);
  }

  async #loop(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.sample();
      await this.#options.clock.sleep(this.#options.sampleMs ?? ACTIVITY_SAMPLE_MS, signal).catch(() => undefined);
    }
  }
}
