/**
 * FROZEN BASELINE for `npm run bench` (issue 15): the engine as it was before it was split into
 * triggers / page reader / reconcile / action queue (main/core/engine at 3228345), kept only so
 * one bench run can show CPU per idle poll before and after side by side. Not used by the app;
 * do not edit or fix it.
 */
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { accountKey } from '../../main/core/accounts/keys';
import { systemClock, type Clock } from '../../main/core/clock';
import { Emitter } from '../../main/core/emitter';
import { mergeSeenCategories, parseNotifySchema, type NotificationCategory } from '../../main/core/notifications/categories';
import { parseNotifyPage, type PortalNotification } from '../../main/core/notifications/model';
import { htmlToPlain, renderPlain, renderRich } from '../../main/core/text/bbcode';
import type { BatchCommand, PortalClient } from '../../main/core/portal/client';
import { PortalError } from '../../main/core/portal/errors';
import type { Storage } from '../../main/core/storage/storage';
import { Outbox, type OutboxEntry } from '../../main/core/engine/outbox';
import { DEFAULT_BUCKET } from '../../main/core/portal/leaky-bucket';
import { DEFAULT_POLL_INTERVAL_MS, budgetFloorMs, clampPollInterval, nextPollDelayMs, stopsPolling, type Activity } from '../../main/core/engine/schedule';
import { compareInbox, type AccountState, type ActionSource, type ActionState, type ConnectionState, type InboxItem } from '../../main/core/engine/state';

export const PAGE_LIMIT = 50;
/** Pages one poll may read while catching up (e.g. after the app was closed for a while). */
export const MAX_PAGES_PER_POLL = 4;
export const MAX_ANSWER_CHARS = 5_000;
/** How long an answered confirm stays visible with the portal's answer after it left the portal. */
export const RESULT_VISIBLE_MS = 5 * 60_000;
/** One batch holds at most 50 commands; one is the refresh. */
const MAX_ACTIONS_PER_FLUSH = 49;

export type ActionRefusal =
  | 'unknown-item'
  | 'not-a-confirm'
  | 'unknown-value'
  | 'already-answered'
  | 'cannot-answer'
  | 'empty-answer'
  | 'answer-too-long'
  | 'answer-in-progress';

/** A user action the engine refused without sending anything. */
export class ActionRefused extends Error {
  override readonly name = 'ActionRefused';
  constructor(
    readonly reason: ActionRefusal,
    message: string,
  ) {
    super(message);
  }
}

export type ActionOutcome = Extract<ActionState, { status: 'done' | 'failed' }>;

/** An answer still in the outbox: what removing its portal would throw away. */
export interface PendingAction {
  notificationId: number;
  kind: 'confirm' | 'answer';
  value: string;
  /** The item's title or text, as the inbox shows it; empty if the item is gone. */
  title: string;
  createdAt: number;
}

export type AccountEngineEvents = {
  /** Whatever changed; the full state for the window and tray. */
  changed: [state: AccountState];
  /** Notifications newer than any announced before: show them. Each id comes here once, ever. */
  announced: [items: InboxItem[]];
  /** An answer reached a definite outcome (close its popup, show the result). */
  actionSettled: [notificationId: number, outcome: ActionOutcome];
  /** Items that left the portal (answered or deleted elsewhere): close their popups. */
  removed: [notificationIds: number[]];
  /** One exchange with the portal finished (for schedules, tests and benchmarks). */
  polled: [ok: boolean];
};

export interface AccountEngineOptions {
  accountId: string;
  client: PortalClient;
  storage: Storage;
  clock?: Clock;
  pollIntervalMs?: number;
  /** The inbox keeps at most this many items (the oldest non-confirms go first). */
  maxInboxItems?: number;
  /** Where a throwing event listener is reported. */
  onListenerError?: (error: unknown) => void;
  /** The portal's sustained request rate (its bucket's drain); polling keeps to 1/20 of it. */
  sustainedRequestsPerSec?: number;
}

const HighWaterMarkSchema = v.pipe(v.number(), v.integer(), v.minValue(0));

/**
 * Ranges of the regular section not read yet: ids strictly between `downToId` and `belowId` arrived
 * after the last complete read, but a poll could not read that far (more than its page budget of
 * news, or a later page failed). Later polls read them with their spare pages and announce them.
 */
const GapSchema = v.object({ belowId: v.pipe(v.number(), v.integer(), v.minValue(1)), downToId: v.pipe(v.number(), v.integer(), v.minValue(0)) });
type Gap = v.InferOutput<typeof GapSchema>;
const GapListSchema = v.array(GapSchema);
/** Gaps kept at most; a portal this far behind gives up its oldest unread range. */
const MAX_GAPS = 8;
/** A LAST_ID above every id: with LAST_TYPE 3 the regular section is read from its newest item. */
const REGULAR_SECTION_TOP = Number.MAX_SAFE_INTEGER;

interface FetchedPages {
  items: PortalNotification[];
  skipped: number;
  totalUnread: number | undefined;
  /** The confirm section was read to its end. */
  confirmsComplete: boolean;
  /** Regular items with ids at or above this were all read (0: all of them). */
  regularCoveredFrom: number;
  /** Items read from earlier gaps this poll: announced if not seen before. */
  gapItemIds: Set<number>;
  /** A later page was refused until then (rate or operating limit). */
  retryAt: number | undefined;
  /** The unread ranges after this poll, newest first. */
  gaps: Gap[];
}

/** Marks and dismissals waiting for the next exchange. Idempotent: a failure just puts them back. */
interface Chores {
  readIds: Set<number>;
  readAll: boolean;
  deleteIds: Set<number>;
}

function noChores(): Chores {
  return { readIds: new Set(), readAll: false, deleteIds: new Set() };
}

function hasChores(chores: Chores): boolean {
  return chores.readAll || chores.readIds.size > 0 || chores.deleteIds.size > 0;
}

interface Waiter {
  promise: Promise<ActionOutcome>;
  resolve: (outcome: ActionOutcome) => void;
}

/** What the engine needs of a push channel (main/core/push/push-channel.ts). */
export interface EnginePush {
  start(): void;
  stop(): void;
  reconnect(reason: string): void;
}

export class AccountEngine {
  readonly accountId: string;
  readonly #client: PortalClient;
  readonly #storage: Storage;
  readonly #clock: Clock;
  readonly #events: Emitter<AccountEngineEvents>;
  readonly #outbox: Outbox;
  readonly #maxInboxItems: number;
  readonly #hwmKey: string;
  readonly #gapsKey: string;
  #gaps: Gap[];
  #pollIntervalMs: number;
  /** Set while the portal's push channel is healthy: polling is only a safety net then (issue 16). */
  #safetyPollMs: number | undefined;
  #push: EnginePush | undefined;
  #highWaterMark: number | undefined;
  #inbox = new Map<number, InboxItem>();
  /** The inbox in display order, kept until the inbox changes: state is read on every event. */
  #sortedInbox: InboxItem[] | undefined;
  /** When each answered item's result was recorded, to keep it visible for a while. */
  #settledAt = new Map<number, number>();
  #waiters = new Map<number, Waiter>();
  #chores = noChores();
  #connection: ConnectionState = { status: 'connecting' };
  #unreadCount = 0;
  #lastSyncAt: number | undefined;
  #skippedItems = 0;
  #consecutiveFailures = 0;
  #retryAt: number | undefined;
  #stoppedByError = false;
  #suspended = false;
  #online = true;
  #userPaused = false;
  #activity: Activity = 'active';
  readonly #floorMs: number;
  #running = false;
  #loop: Promise<void> | undefined;
  #stopController = new AbortController();
  #wakeController = new AbortController();

  constructor(options: AccountEngineOptions) {
    this.accountId = options.accountId;
    this.#client = options.client;
    this.#storage = options.storage;
    this.#clock = options.clock ?? systemClock;
    this.#events = new Emitter(options.onListenerError);
    this.#pollIntervalMs = clampPollInterval(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
    this.#maxInboxItems = options.maxInboxItems ?? 2_000;
    this.#floorMs = budgetFloorMs(options.sustainedRequestsPerSec ?? DEFAULT_BUCKET.drainPerSec);
    this.#hwmKey = accountKey(this.accountId, 'highWaterMark');
    this.#outbox = new Outbox(this.#storage, accountKey(this.accountId, 'outbox'));
    this.#highWaterMark = this.#storage.read(this.#hwmKey, HighWaterMarkSchema);
    this.#gapsKey = accountKey(this.accountId, 'catchUp');
    this.#gaps = this.#storage.read(this.#gapsKey, GapListSchema) ?? [];
  }

  on<E extends keyof AccountEngineEvents>(event: E, listener: (...args: AccountEngineEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  get state(): AccountState {
    return {
      accountId: this.accountId,
      portalOrigin: this.#client.origin,
      connection: this.#connection,
      inbox: (this.#sortedInbox ??= [...this.#inbox.values()].sort(compareInbox)),
      unreadCount: this.#unreadCount,
      lastSyncAt: this.#lastSyncAt,
      skippedItems: this.#skippedItems,
      ...(this.#instant ? { instant: this.#instant } : {}),
    };
  }

  /** What the portal's card says about instant delivery (the push channel reports it). */
  setInstantState(instant: AccountState['instant']): void {
    if (this.#instant === instant) return;
    this.#instant = instant;
    this.#emit();
  }

  get pollIntervalMs(): number {
    return this.#pollIntervalMs;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopController = new AbortController();
    this.#loop = this.#run();
    this.#push?.start();
  }

  /** Stops polling and abandons any request in flight; the outbox keeps what was not settled. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#push?.stop();
    this.#stopController.abort(new Error('engine stopped'));
    this.#wakeController.abort();
    await this.#loop;
    // Callers stop waiting; the outbox keeps the actions for the next start.
    for (const entry of this.#outbox.entries) {
      this.#waiters.get(entry.notificationId)?.resolve({
        status: 'failed',
        kind: entry.kind,
        value: entry.value,
        message: 'The app stopped before the portal answered; the answer is kept and sent on the next start.',
      });
    }
    this.#waiters.clear();
  }

  setPollInterval(intervalMs: number): void {
    this.#pollIntervalMs = clampPollInterval(intervalMs);
    this.#wake();
  }

  /** The portal's push channel runs with the engine and reconnects when the system comes back. */
  #instant: AccountState['instant'];

  attachPush(push: EnginePush): void {
    this.#push = push;
  }

  /**
   * A push hint: sync soon. Never lifts an error stop nor skips a wait the portal or a failure
   * asked for; a hint during a sync causes one more sync, not one per hint.
   */
  requestSync(): void {
    if (this.#stoppedByError || this.#consecutiveFailures > 0 || this.#retryAt !== undefined) return;
    this.#wake();
  }

  /** `undefined`: poll at the user's interval; a number: the push channel is healthy, poll this seldom. */
  setSafetyPoll(intervalMs: number | undefined): void {
    const wasSafety = this.#safetyPollMs !== undefined;
    this.#safetyPollMs = intervalMs;
    // Push just failed: sync once now for anything it may have missed, then poll as usual.
    if (wasSafety && intervalMs === undefined) this.#wake();
  }

  /** Poll now (window opened, screen unlocked, user pressed Retry). Also lifts an error stop. */
  pollNow(): void {
    this.#stoppedByError = false;
    this.#consecutiveFailures = 0;
    this.#retryAt = undefined;
    this.#wake();
  }

  /** What the shell knows about the system: asleep or awake, online or not. */
  setSystemState(change: { suspended?: boolean; online?: boolean }): void {
    const wasBlocked = this.#blocked();
    if (change.suspended !== undefined) this.#suspended = change.suspended;
    if (change.suspended === false || change.online === true) this.#push?.reconnect(change.suspended === false ? 'resumed' : 'online');
    if (change.online !== undefined) this.#online = change.online;
    if (this.#blocked()) {
      this.#setConnection(!this.#online ? { status: 'offline' } : { status: 'paused' });
    } else if (wasBlocked) {
      // Back from sleep or offline: refresh at once, without the backoff of failures seen meanwhile.
      this.pollNow();
    }
  }

  /**
   * What the person is doing: polls come faster while they are at the computer, slower while they
   * are away, and not at all while the screen is locked; unlocking or coming back polls at once.
   */
  setActivity(activity: Activity): void {
    if (activity === this.#activity) return;
    const wasBlocked = this.#blocked();
    this.#activity = activity;
    if (this.#blocked()) {
      if (!wasBlocked) this.#setConnection({ status: 'paused' });
    } else if (wasBlocked || activity === 'active') {
      this.pollNow();
    }
  }

  get activity(): Activity {
    return this.#activity;
  }

  setUserPaused(paused: boolean): void {
    this.#userPaused = paused;
    if (paused) this.#setConnection({ status: 'paused' });
    else this.pollNow();
  }

  /** Press a confirm button. Resolves with the portal's definite answer. */
  confirm(notificationId: number, value: string, _source: ActionSource = 'window'): Promise<ActionOutcome> {
    const item = this.#inbox.get(notificationId);
    if (!item) throw new ActionRefused('unknown-item', 'This notification is no longer in the inbox.');
    if (item.kind !== 'confirm') throw new ActionRefused('not-a-confirm', 'This notification has no buttons to answer.');
    const joined = this.#join(notificationId, 'confirm');
    if (joined) return joined;
    if (item.action?.status === 'done') throw new ActionRefused('already-answered', 'This notification was already answered.');
    if (!item.buttons.some((button) => button.value === value)) {
      throw new ActionRefused('unknown-value', 'That is not one of this notification’s buttons.');
    }
    return this.#enqueue(item, 'confirm', value);
  }

  /** Send a quick reply (`im.notify.answer`). Resolves with the portal's definite answer. */
  answer(notificationId: number, text: string, _source: ActionSource = 'window'): Promise<ActionOutcome> {
    const item = this.#inbox.get(notificationId);
    if (!item) throw new ActionRefused('unknown-item', 'This notification is no longer in the inbox.');
    if (!item.canAnswer) throw new ActionRefused('cannot-answer', 'This notification does not accept a reply.');
    const reply = text.trim();
    if (!reply) throw new ActionRefused('empty-answer', 'Write a reply first.');
    if (Array.from(reply).length > MAX_ANSWER_CHARS) {
      throw new ActionRefused('answer-too-long', `A reply can be at most ${MAX_ANSWER_CHARS} characters.`);
    }
    if (this.#outbox.find(notificationId)) throw new ActionRefused('answer-in-progress', 'A reply to this notification is still being sent.');
    return this.#enqueue(item, 'answer', reply);
  }

  /** Marks items read on the portal. Confirms stay unread until answered, as on the portal. */
  markRead(notificationIds: number[]): void {
    for (const id of notificationIds) {
      const item = this.#inbox.get(id);
      if (!item || item.kind === 'confirm' || item.read) continue;
      this.#putItem(id, { ...item, read: true });
      this.#chores.readIds.add(id);
      // Optimistic, as Bitrix24's own window does; the next refresh brings the portal's figure.
      this.#unreadCount = Math.max(0, this.#unreadCount - 1);
    }
    this.#emit();
    this.#wake();
  }

  markAllRead(): void {
    for (const item of this.#inbox.values()) {
      if (item.kind !== 'confirm' && !item.read) this.#putItem(item.id, { ...item, read: true });
    }
    this.#chores.readAll = true;
    this.#unreadCount = [...this.#inbox.values()].filter((item) => item.kind === 'confirm').length;
    this.#emit();
    this.#wake();
  }

  /** Deletes a notification on the portal (im.notify.delete); it leaves the inbox at once. */
  dismiss(notificationId: number): void {
    const item = this.#inbox.get(notificationId);
    if (!item) throw new ActionRefused('unknown-item', 'This notification is no longer in the inbox.');
    if (this.#outbox.find(notificationId)) throw new ActionRefused('answer-in-progress', 'An answer to this notification is still being sent.');
    this.#dropItem(notificationId);
    this.#chores.deleteIds.add(notificationId);
    if (!item.read) this.#unreadCount = Math.max(0, this.#unreadCount - 1);
    this.#events.emit('removed', [notificationId]);
    this.#emit();
    this.#wake();
  }

  /** Answers not yet settled by the portal, oldest first. */
  pendingActions(): PendingAction[] {
    return this.#outbox.entries.map((entry) => {
      const item = this.#inbox.get(entry.notificationId);
      const label = item?.kind === 'confirm' ? item.buttons.find((button) => button.value === entry.value)?.label : undefined;
      return {
        notificationId: entry.notificationId,
        kind: entry.kind,
        value: label ?? entry.value,
        title: item ? item.title || renderPlain(item.text, 120) : '',
        createdAt: entry.createdAt,
      };
    });
  }

  /**
   * The portal's notification categories (`im.notify.schema.get`) with those seen in the inbox.
   * A read outside the poll loop, through the same client (bucket and limits included).
   */
  async categories(signal?: AbortSignal): Promise<NotificationCategory[]> {
    const seen = [...this.#inbox.values()].map((item) => item.settingName);
    const response = await this.#client.call('im.notify.schema.get', {}, signal ? { signal } : {});
    return mergeSeenCategories(parseNotifySchema(response.result), seen);
  }

  /** A second click on an item whose action is still in the outbox joins that action. */
  #join(notificationId: number, kind: 'confirm'): Promise<ActionOutcome> | undefined {
    const entry = this.#outbox.find(notificationId);
    if (!entry || entry.kind !== kind) return undefined;
    return this.#waiterFor(notificationId).promise;
  }

  #enqueue(item: InboxItem, kind: 'confirm' | 'answer', value: string): Promise<ActionOutcome> {
    // Durable before anything else: if the app dies from here on, the click is still in the outbox.
    this.#outbox.add({
      actionId: randomUUID(),
      kind,
      notificationId: item.id,
      value,
      createdAt: this.#clock.now(),
      attempts: 0,
      phase: 'pending',
    });
    const waiter = this.#waiterFor(item.id);
    this.#setAction(item.id, { status: 'sending', kind, value });
    this.#wake();
    return waiter.promise;
  }

  #waiterFor(notificationId: number): Waiter {
    let waiter = this.#waiters.get(notificationId);
    if (!waiter) {
      let resolve!: (outcome: ActionOutcome) => void;
      const promise = new Promise<ActionOutcome>((r) => (resolve = r));
      waiter = { promise, resolve };
      this.#waiters.set(notificationId, waiter);
    }
    return waiter;
  }

  #blocked(): boolean {
    return this.#suspended || !this.#online || this.#userPaused || this.#activity === 'locked';
  }

  /**
   * Nothing to exchange with the portal now. A locked screen holds back polls, not answers (or
   * marks) the user already made: those still go out.
   */
  #idle(): boolean {
    if (this.#stoppedByError) return true;
    if (!this.#blocked()) return false;
    const onlyLocked = !this.#suspended && this.#online && !this.#userPaused;
    return !(onlyLocked && this.#hasWork());
  }

  #hasWork(): boolean {
    return this.#outbox.entries.some((e) => e.phase === 'pending') || hasChores(this.#chores);
  }

  #wake(): void {
    this.#wakeController.abort();
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#wakeController = new AbortController();
      if (!this.#idle()) await this.#tick();
      if (!this.#running) break;
      const idle = this.#idle();
      const delayMs = idle
        ? Number.MAX_SAFE_INTEGER
        : nextPollDelayMs({
            intervalMs: Math.max(this.#pollIntervalMs, this.#safetyPollMs ?? 0),
            consecutiveFailures: this.#consecutiveFailures,
            retryAt: this.#retryAt,
            nowMs: this.#clock.now(),
            operatingPressure: this.#client.operatingPressure('im.notify.get'),
            activity: this.#activity === 'idle' ? 'idle' : 'active',
            floorMs: this.#floorMs,
          });
      // An answer or chore waiting to go out goes at once after a clean exchange; after a failure it
      // waits for the schedule, so a portal that keeps refusing is not hammered.
      if (!idle && this.#consecutiveFailures === 0 && this.#hasWork()) continue;
      await this.#clock.sleep(delayMs, AbortSignal.any([this.#wakeController.signal, this.#stopController.signal])).catch(() => undefined);
    }
  }

  /** One exchange with the portal: flush pending answers and chores with a refresh, or just refresh. */
  async #tick(): Promise<void> {
    const signal = this.#stopController.signal;
    const toSend = this.#outbox.entries.filter((entry) => entry.phase === 'pending').slice(0, MAX_ACTIONS_PER_FLUSH);
    const chores = this.#chores;
    this.#chores = noChores();
    try {
      const exchange =
        toSend.length > 0 || hasChores(chores)
          ? await this.#flush(toSend, chores, signal)
          : { refresh: (await this.#client.call('im.notify.get', { LIMIT: PAGE_LIMIT }, { signal })).result, choresDeferred: false };
      const fetched = await this.#readPages(exchange.refresh, signal);
      this.#apply(fetched);
      // The portal answered, but if it put off one of our answers or marks, the schedule backs off for it.
      const deferred = exchange.choresDeferred || toSend.some((entry) => this.#outbox.entries.some((e) => e.actionId === entry.actionId && e.phase === 'pending'));
      this.#consecutiveFailures = deferred ? this.#consecutiveFailures + 1 : 0;
      // A later page the portal refused for a while: the next poll waits for the portal's time.
      this.#retryAt = fetched.retryAt;
      this.#setConnection({ status: 'ok' });
      this.#events.emit('polled', true);
    } catch (error) {
      if (!this.#running) return; // stopped mid-request: not a portal problem
      // Anything else (a storage write failing, say) must not end the loop either.
      const portalError =
        error instanceof PortalError
          ? error
          : new PortalError({ kind: 'transient', code: 'INTERNAL_ERROR', description: String(error), delivery: 'unknown' });
      this.#onPortalError(portalError);
      this.#events.emit('polled', false);
    }
  }

  /** Sends the pending answers, the chores and the refresh in one batch; returns the refresh's result. */
  async #flush(entries: OutboxEntry[], chores: Chores, signal: AbortSignal): Promise<{ refresh: unknown; choresDeferred: boolean }> {
    const commands: Record<string, BatchCommand> = {};
    // Chores first: the refresh at the end then reflects them.
    if (chores.readIds.size > 0) commands.read = { method: 'im.notify.read.list', params: { IDS: [...chores.readIds], ACTION: 'Y' } };
    if (chores.readAll) commands.readAll = { method: 'im.notify.read.all' };
    if (chores.deleteIds.size > 0) commands.dismiss = { method: 'im.notify.delete', params: { ID: [...chores.deleteIds] } };
    for (const entry of entries) {
      // From here the portal may have it: a crash before we hear back means "verify, don't resend".
      this.#outbox.update(entry.actionId, { phase: 'sent', attempts: entry.attempts + 1 });
      commands[entry.actionId] =
        entry.kind === 'confirm'
          ? { method: 'im.notify.confirm', params: { NOTIFY_ID: entry.notificationId, NOTIFY_VALUE: entry.value } }
          : { method: 'im.notify.answer', params: { NOTIFY_ID: entry.notificationId, ANSWER_TEXT: entry.value } };
    }
    commands.refresh = { method: 'im.notify.get', params: { LIMIT: PAGE_LIMIT } };
    let response;
    try {
      response = await this.#client.batch(commands, { signal });
    } catch (error) {
      this.#returnChores(chores);
      if (error instanceof PortalError && error.delivery === 'not-processed') {
        for (const entry of entries) this.#outbox.update(entry.actionId, { phase: 'pending' });
        for (const entry of entries) this.#setAction(entry.notificationId, { status: 'waiting', kind: entry.kind, value: entry.value, message: error.userMessage });
      } else if (error instanceof PortalError) {
        // Unknown fate: confirms are verified by the next refresh; answers need the user's decision.
        for (const entry of entries) this.#onUnknownDelivery(entry, error.userMessage);
      }
      throw error;
    }
    for (const entry of entries) {
      const failure = response.errors[entry.actionId];
      if (failure) this.#onActionError(entry, failure);
      else this.#onActionResult(entry, response.results[entry.actionId]);
    }
    // A chore the portal put off for now goes again with the next exchange; one it refused is dropped.
    const retryLater = (key: string): boolean => response.errors[key]?.kind === 'transient' || response.errors[key]?.kind === 'rate-limited';
    const putOff: Chores = {
      readIds: retryLater('read') ? chores.readIds : new Set(),
      readAll: retryLater('readAll') && chores.readAll,
      deleteIds: retryLater('dismiss') ? chores.deleteIds : new Set(),
    };
    this.#returnChores(putOff);
    const refreshError = response.errors.refresh;
    if (refreshError) throw refreshError;
    return { refresh: response.results.refresh, choresDeferred: hasChores(putOff) };
  }

  #returnChores(chores: Chores): void {
    for (const id of chores.readIds) this.#chores.readIds.add(id);
    for (const id of chores.deleteIds) this.#chores.deleteIds.add(id);
    this.#chores.readAll ||= chores.readAll;
  }

  #onActionResult(entry: OutboxEntry, result: unknown): void {
    const message = (result as { result_message?: unknown } | undefined)?.result_message;
    // The module's answer may carry a little HTML and entities: shown as plain text, never markup.
    const resultMessages = Array.isArray(message) ? message.filter((m): m is string => typeof m === 'string').map(htmlToPlain).filter(Boolean) : [];
    this.#settle(entry, { status: 'done', kind: entry.kind, value: entry.value, resultMessages, gone: message === false });
  }

  #onActionError(entry: OutboxEntry, error: PortalError): void {
    if (error.kind === 'invalid-request') {
      this.#settle(entry, { status: 'failed', kind: entry.kind, value: entry.value, message: error.userMessage });
    } else if (error.delivery === 'not-processed') {
      this.#outbox.update(entry.actionId, { phase: 'pending' });
      this.#setAction(entry.notificationId, { status: 'waiting', kind: entry.kind, value: entry.value, message: error.userMessage });
    } else {
      this.#onUnknownDelivery(entry, error.userMessage);
    }
  }

  #onUnknownDelivery(entry: OutboxEntry, message: string): void {
    if (entry.kind === 'confirm') {
      this.#setAction(entry.notificationId, { status: 'waiting', kind: entry.kind, value: entry.value, message });
      return;
    }
    // A reply cannot be verified (the item stays on the portal); re-sending could post it twice.
    this.#settle(entry, {
      status: 'failed',
      kind: entry.kind,
      value: entry.value,
      message: 'The portal may not have received this reply. Check the portal, or send it again.',
    });
  }

  #settle(entry: OutboxEntry, outcome: ActionOutcome): void {
    this.#outbox.remove(entry.actionId);
    this.#settledAt.set(entry.notificationId, this.#clock.now());
    this.#setAction(entry.notificationId, outcome);
    const waiter = this.#waiters.get(entry.notificationId);
    this.#waiters.delete(entry.notificationId);
    waiter?.resolve(outcome);
    this.#events.emit('actionSettled', entry.notificationId, outcome);
  }

  /** Reads further pages only while they hold notifications we have never seen, and at most a few. */
  async #readPages(firstPage: unknown, signal: AbortSignal): Promise<FetchedPages> {
    const pages = [parseNotifyPage(firstPage, this.#clock.now())];
    const all = new Map<number, PortalNotification>();
    let rawCount = 0;
    const addPage = (page: ReturnType<typeof parseNotifyPage>): void => {
      for (const item of page.items) all.set(item.id, item);
      rawCount = page.items.length + page.skipped;
    };
    addPage(pages[0]!);
    let failure: PortalError | undefined;
    let confirmsSkipped = false;
    while (pages.length < MAX_PAGES_PER_POLL && rawCount >= PAGE_LIMIT) {
      const items = [...all.values()];
      const oldestRegular = Math.min(...items.filter((i) => i.kind !== 'confirm').map((i) => i.id));
      const reachedKnown = this.#highWaterMark === undefined || oldestRegular <= this.#highWaterMark;
      if (reachedKnown && items.some((i) => i.kind !== 'confirm')) break;
      const last = pages[pages.length - 1]!.items.at(-1);
      if (!last) break;
      // More open confirms than the page budget holds: the last page reads the newest regular items
      // instead (LAST_TYPE 3 from the top), so news behind a wall of confirms still arrives.
      const jump = pages.length === MAX_PAGES_PER_POLL - 1 && last.kind === 'confirm' && !items.some((i) => i.kind !== 'confirm');
      if (jump) confirmsSkipped = true;
      const page = await this.#nextPage(jump ? REGULAR_SECTION_TOP : last.id, jump || last.kind !== 'confirm' ? 3 : 1, signal);
      // A later page that fails keeps what the first ones brought; the rest becomes a gap.
      if (page instanceof PortalError) {
        failure = page;
        break;
      }
      pages.push(page);
      addPage(page);
    }
    const items = [...all.values()];
    const regular = items.filter((item) => item.kind !== 'confirm');
    const endReached = rawCount < PAGE_LIMIT && !failure;
    const oldestRegular = regular.length > 0 ? Math.min(...regular.map((i) => i.id)) : undefined;

    let gaps = this.#gaps;
    // News older than what this poll could read, but newer than what was read before.
    if (!endReached && this.#highWaterMark !== undefined && oldestRegular !== undefined && oldestRegular > this.#highWaterMark + 1) {
      gaps = [{ belowId: oldestRegular, downToId: this.#highWaterMark }, ...gaps].slice(0, MAX_GAPS);
    }
    // What this read brought from inside an older gap counts as found there (announced if unseen).
    const gapItemIds = new Set(regular.filter((item) => this.#gaps.some((gap) => item.id < gap.belowId && item.id > gap.downToId)).map((item) => item.id));
    // A portal that just refused a page is not asked for more in this poll.
    gaps = await this.#readGaps(gaps, failure ? 0 : MAX_PAGES_PER_POLL - pages.length, signal, (item) => {
      if (all.has(item.id)) return;
      all.set(item.id, item);
      gapItemIds.add(item.id);
    });
    return {
      items: [...all.values()],
      skipped: pages.reduce((sum, page) => sum + page.skipped, 0),
      totalUnread: pages[0]!.totalUnread,
      // Reaching the regular section by reading on means every confirm was read; jumping there does not.
      confirmsComplete: !confirmsSkipped && (endReached || regular.length > 0),
      regularCoveredFrom: endReached ? 0 : (oldestRegular ?? Number.MAX_SAFE_INTEGER),
      gapItemIds,
      gaps,
      retryAt: failure?.retryAt,
    };
  }

  /** One more page of the list, or the portal's refusal of it (the poll keeps what it has). */
  async #nextPage(lastId: number, lastType: 1 | 3, signal: AbortSignal): Promise<ReturnType<typeof parseNotifyPage> | PortalError> {
    try {
      const result = (await this.#client.call('im.notify.get', { LIMIT: PAGE_LIMIT, LAST_ID: lastId, LAST_TYPE: lastType }, { signal })).result;
      return parseNotifyPage(result, this.#clock.now());
    } catch (error) {
      if (signal.aborted || !(error instanceof PortalError)) throw error;
      return error;
    }
  }

  /** Reads unread ranges, newest first, with `pageBudget` pages; returns the ranges still unread. */
  async #readGaps(gaps: Gap[], pageBudget: number, signal: AbortSignal, found: (item: PortalNotification) => void): Promise<Gap[]> {
    if (gaps.length === 0 || pageBudget <= 0) return gaps;
    const remaining = [...gaps];
    let budget = pageBudget;
    while (budget > 0 && remaining.length > 0) {
      const gap = remaining[0]!;
      budget -= 1;
      const page = await this.#nextPage(gap.belowId, 3, signal);
      if (page instanceof PortalError) break;
      const inGap = page.items.filter((item) => item.kind !== 'confirm' && item.id < gap.belowId && item.id > gap.downToId);
      inGap.forEach(found);
      const lowest = Math.min(...page.items.filter((item) => item.kind !== 'confirm').map((item) => item.id));
      // A page that does not go below the gap's top (a portal ignoring LAST_ID) ends it too: never loop.
      const closed = page.items.length + page.skipped < PAGE_LIMIT || !Number.isFinite(lowest) || lowest <= gap.downToId + 1 || lowest >= gap.belowId;
      if (closed) remaining.shift();
      else remaining[0] = { ...gap, belowId: lowest };
    }
    return remaining;
  }

  /** Makes the inbox match the portal, announces what is new, settles answers verified by absence. */
  #apply(fetched: FetchedPages): void {
    const now = this.#clock.now();
    const fetchedIds = new Set(fetched.items.map((item) => item.id));
    const minConfirmSeen = Math.min(...fetched.items.filter((i) => i.kind === 'confirm').map((i) => i.id));
    // Whether this poll read far enough to know that an item missing from it is gone from the portal.
    const covered = (id: number, isConfirm: boolean): boolean =>
      isConfirm ? fetched.confirmsComplete || id > minConfirmSeen : id >= fetched.regularCoveredFrom;

    // Outbox first (after a restart the inbox is empty, but the outbox is not).
    for (const entry of this.#outbox.entries) {
      if (fetchedIds.has(entry.notificationId)) {
        // A confirm of unknown fate that is still on the portal was never acted on: send it again.
        if (entry.kind === 'confirm' && entry.phase === 'sent') this.#outbox.update(entry.actionId, { phase: 'pending' });
        continue;
      }
      const known = this.#inbox.get(entry.notificationId);
      if (covered(entry.notificationId, known ? known.kind === 'confirm' : entry.kind === 'confirm')) this.#onGoneWithPendingAction(entry);
    }

    const removed: number[] = [];
    for (const [id, item] of this.#inbox) {
      if (fetchedIds.has(id) || !covered(id, item.kind === 'confirm')) continue;
      const settledAt = this.#settledAt.get(id);
      // An item we just answered stays a while, showing the portal's answer.
      if (settledAt !== undefined && now - settledAt < RESULT_VISIBLE_MS && item.action?.status === 'done') continue;
      this.#dropItem(id);
      this.#settledAt.delete(id);
      removed.push(id);
    }

    const fresh: InboxItem[] = [];
    for (const item of fetched.items) {
      // A dismissal or mark still waiting to reach the portal wins over what the portal said.
      if (this.#chores.deleteIds.has(item.id)) continue;
      if (this.#chores.readIds.has(item.id) || (this.#chores.readAll && item.kind !== 'confirm')) item.read = true;
      const previous = this.#inbox.get(item.id);
      // Rendering is the costly part of an item: reuse it while the text is unchanged.
      const rich = previous && previous.text === item.text ? previous.rich : renderRich(item.text, this.#client.origin);
      const next: InboxItem = { ...item, action: previous?.action, rich };
      this.#putItem(item.id, next);
      const unseen = (this.#highWaterMark !== undefined && item.id > this.#highWaterMark) || (fetched.gapItemIds.has(item.id) && !previous);
      if (unseen) fresh.push(next);
    }
    for (const entry of this.#outbox.entries) {
      const item = this.#inbox.get(entry.notificationId);
      if (item && !item.action) this.#putItem(item.id, { ...item, action: { status: 'sending', kind: entry.kind, value: entry.value } });
    }
    this.#trimInbox();

    // Persist before announcing: a crash in between can lose a popup, never show one twice. The
    // unread ranges go first: a crash between the two writes then re-reads a range, never skips it.
    if (fetched.gaps !== this.#gaps) {
      this.#gaps = fetched.gaps;
      this.#storage.write(this.#gapsKey, GapListSchema, this.#gaps);
    }
    const maxFetchedId = Math.max(0, ...fetchedIds);
    if (this.#highWaterMark === undefined || maxFetchedId > this.#highWaterMark) {
      this.#highWaterMark = Math.max(this.#highWaterMark ?? 0, maxFetchedId);
      this.#storage.write(this.#hwmKey, HighWaterMarkSchema, this.#highWaterMark);
    }
    this.#unreadCount = fetched.totalUnread ?? 0;
    this.#skippedItems = fetched.skipped;
    this.#lastSyncAt = now;
    if (removed.length > 0) this.#events.emit('removed', removed);
    if (fresh.length > 0) this.#events.emit('announced', fresh.sort(compareInbox));
    this.#emit();
  }

  /** The item left the portal while we still held an answer for it. */
  #onGoneWithPendingAction(entry: OutboxEntry): void {
    if (entry.kind === 'confirm' && entry.phase === 'sent') {
      // Our confirm went through and we missed the reply: the portal acted on it.
      this.#settle(entry, { status: 'done', kind: entry.kind, value: entry.value, resultMessages: [], gone: false });
    } else {
      this.#settle(entry, { status: 'done', kind: entry.kind, value: entry.value, resultMessages: [], gone: true });
    }
  }

  #trimInbox(): void {
    if (this.#inbox.size <= this.#maxInboxItems) return;
    const oldestFirst = [...this.#inbox.values()].filter((item) => item.kind !== 'confirm').sort((a, b) => compareInbox(b, a));
    for (const item of oldestFirst.slice(0, this.#inbox.size - this.#maxInboxItems)) this.#dropItem(item.id);
  }

  #onPortalError(error: PortalError): void {
    this.#consecutiveFailures += 1;
    this.#retryAt = error.retryAt;
    if (stopsPolling(error.kind)) this.#stoppedByError = true;
    this.#setConnection(connectionFor(error));
  }

  #putItem(id: number, item: InboxItem): void {
    this.#inbox.set(id, item);
    this.#sortedInbox = undefined;
  }

  #dropItem(id: number): void {
    this.#inbox.delete(id);
    this.#sortedInbox = undefined;
  }

  #setAction(notificationId: number, action: ActionState): void {
    const item = this.#inbox.get(notificationId);
    if (item) this.#putItem(notificationId, { ...item, action });
    this.#emit();
  }

  #setConnection(connection: ConnectionState): void {
    this.#connection = connection;
    this.#emit();
  }

  #emit(): void {
    this.#events.emit('changed', this.state);
  }
}

/** What the window and tray show for a failed exchange. */
function connectionFor(error: PortalError): ConnectionState {
  const message = error.userMessage;
  switch (error.kind) {
    case 'auth':
      return { status: 'auth-needed', message };
    case 'scope':
      return { status: 'scope-missing', message };
    case 'plan':
      return { status: 'plan-unavailable', message };
    case 'config':
      return { status: 'config-error', message };
    case 'certificate':
      return { status: 'certificate-error', message, host: error.certificate?.host ?? '', issuer: error.certificate?.issuer };
    case 'moved':
      return { status: 'portal-moved', message, movedTo: error.code === 'PORTAL_MOVED' ? error.movedTo : undefined };
    case 'rate-limited':
    case 'operating-limited':
      return { status: 'rate-limited', message, retryAt: error.retryAt };
    default:
      return { status: 'error', message, retryAt: error.retryAt };
  }
}
