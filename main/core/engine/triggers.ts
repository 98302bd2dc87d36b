/**
 * Triggers: when the engine syncs next. The user's interval, the person's activity, sleep and the
 * network, failures and the portal's own "not before", push hints and the safety poll while push is
 * healthy, and user actions that want out at once. No I/O: the schedule itself is the pure
 * `nextPollDelayMs` (schedule.ts); this class keeps its inputs and the wake-up signal.
 */
import type { Clock } from '../clock';
import type { PortalError } from '../portal/errors';
import { clampPollInterval, nextPollDelayMs, stopsPolling, type Activity } from './schedule';

export interface TriggerOptions {
  clock: Clock;
  pollIntervalMs: number;
  /** The shortest interval the portal's request budget allows (schedule.budgetFloorMs). */
  floorMs: number;
  /** 0–1: how close polling is to the portal's operating-time limit for `im.notify.get`. */
  operatingPressure: () => number;
}

/** Why nothing is polled, as the connection line says it; undefined while polling may run. */
export type BlockedReason = 'offline' | 'paused' | undefined;

export class SyncTriggers {
  readonly #clock: Clock;
  readonly #floorMs: number;
  readonly #operatingPressure: () => number;
  #pollIntervalMs: number;
  /** Set while the portal's push channel is healthy: polling is only a safety net then (issue 16). */
  #safetyPollMs: number | undefined;
  #consecutiveFailures = 0;
  #retryAt: number | undefined;
  #stoppedByError = false;
  #suspended = false;
  #online = true;
  #userPaused = false;
  #activity: Activity = 'active';
  #wakeController = new AbortController();

  constructor(options: TriggerOptions) {
    this.#clock = options.clock;
    this.#floorMs = options.floorMs;
    this.#operatingPressure = options.operatingPressure;
    this.#pollIntervalMs = clampPollInterval(options.pollIntervalMs);
  }

  get pollIntervalMs(): number {
    return this.#pollIntervalMs;
  }

  get activity(): Activity {
    return this.#activity;
  }

  get consecutiveFailures(): number {
    return this.#consecutiveFailures;
  }

  setPollInterval(intervalMs: number): void {
    this.#pollIntervalMs = clampPollInterval(intervalMs);
    this.wake();
  }

  /**
   * A push hint: sync soon. Never lifts an error stop nor skips a wait the portal or a failure
   * asked for; a hint during a sync causes one more sync, not one per hint.
   */
  requestSync(): void {
    if (this.#stoppedByError || this.#consecutiveFailures > 0 || this.#retryAt !== undefined) return;
    this.wake();
  }

  /** `undefined`: poll at the user's interval; a number: the push channel is healthy, poll this seldom. */
  setSafetyPoll(intervalMs: number | undefined): void {
    const wasSafety = this.#safetyPollMs !== undefined;
    this.#safetyPollMs = intervalMs;
    // Push just failed: sync once now for anything it may have missed, then poll as usual.
    if (wasSafety && intervalMs === undefined) this.wake();
  }

  /** Sync now (window opened, screen unlocked, user pressed Retry). Also lifts an error stop. */
  pollNow(): void {
    this.#stoppedByError = false;
    this.#consecutiveFailures = 0;
    this.#retryAt = undefined;
    this.wake();
  }

  setSystemState(change: { suspended?: boolean; online?: boolean }): void {
    if (change.suspended !== undefined) this.#suspended = change.suspended;
    if (change.online !== undefined) this.#online = change.online;
  }

  setActivity(activity: Activity): void {
    this.#activity = activity;
  }

  setUserPaused(paused: boolean): void {
    this.#userPaused = paused;
  }

  blockedReason(): BlockedReason {
    if (!this.#online) return 'offline';
    return this.#suspended || this.#userPaused || this.#activity === 'locked' ? 'paused' : undefined;
  }

  /**
   * Nothing to exchange with the portal now. A locked screen holds back polls, not answers (or
   * marks) the user already made: those still go out.
   */
  idle(hasWork: boolean): boolean {
    if (this.#stoppedByError) return true;
    if (this.blockedReason() === undefined) return false;
    const onlyLocked = !this.#suspended && this.#online && !this.#userPaused;
    return !(onlyLocked && hasWork);
  }

  /** A clean exchange; `deferred`: the portal put off one of our answers or marks (back off for it). */
  succeeded(deferred: boolean, retryAt: number | undefined): void {
    this.#consecutiveFailures = deferred ? this.#consecutiveFailures + 1 : 0;
    // A later page the portal refused for a while: the next poll waits for the portal's time.
    this.#retryAt = retryAt;
  }

  failed(error: PortalError): void {
    this.#consecutiveFailures += 1;
    this.#retryAt = error.retryAt;
    if (stopsPolling(error.kind)) this.#stoppedByError = true;
  }

  /** How long until the next sync; pending work after a clean exchange goes at once. */
  nextDelayMs(hasWork: boolean): number {
    if (this.idle(hasWork)) return Number.MAX_SAFE_INTEGER;
    // An answer or chore waiting to go out goes at once after a clean exchange; after a failure it
    // waits for the schedule, so a portal that keeps refusing is not hammered.
    if (this.#consecutiveFailures === 0 && hasWork) return 0;
    return nextPollDelayMs({
      intervalMs: Math.max(this.#pollIntervalMs, this.#safetyPollMs ?? 0),
      consecutiveFailures: this.#consecutiveFailures,
      retryAt: this.#retryAt,
      nowMs: this.#clock.now(),
      operatingPressure: this.#operatingPressure(),
      activity: this.#activity === 'idle' ? 'idle' : 'active',
      floorMs: this.#floorMs,
    });
  }

  /** Sleeps until the next sync is due, a trigger fires, or `stop` aborts. */
  async waitForNext(hasWork: boolean, stop: AbortSignal): Promise<void> {
    const delayMs = this.nextDelayMs(hasWork);
    if (delayMs === 0) return;
    await this.#clock.sleep(delayMs, AbortSignal.any([this.#wakeController.signal, stop])).catch(() => undefined);
  }

  /** Called at the start of each round: a trigger from now on wakes the next wait. */
  arm(): void {
    this.#wakeController = new AbortController();
  }

  wake(): void {
    this.#wakeController.abort();
  }
}
