/**
 * One portal's notification engine: it syncs, keeps the inbox, announces what is new exactly once,
 * and is the only way a user's answer reaches the portal (`confirm`, `answer`).
 *
 * It wires its parts and owns the state: triggers.ts says when to sync, sync.ts and page-reader.ts
 * do the one exchange per tick, reconcile.ts (pure) says what changed, action-queue.ts holds the
 * answers, marks and dismissals until the portal settles them.
 */
import { accountKey } from '../accounts/keys';
import { systemClock, type Clock } from '../clock';
import { Emitter } from '../emitter';
import { mergeSeenCategories, parseNotifySchema, type NotificationCategory } from '../notifications/categories';
import type { PortalClient, PortalImage } from '../portal/client';
import { PortalError } from '../portal/errors';
import { DEFAULT_BUCKET } from '../portal/leaky-bucket';
import { renderRich } from '../text/bbcode';
import { ActionQueue } from './action-queue';
import { checkAnswer, checkConfirm, checkConfirmValue, checkDismiss } from './action-refusal';
import { connectionFor } from './connection';
import { Outbox } from './outbox';
import { reconcile, type ActionOutcome } from './reconcile';
import { DEFAULT_POLL_INTERVAL_MS, budgetFloorMs, type Activity } from './schedule';
import type { AccountEngineEvents, AccountEngineOptions, EnginePush, PendingAction } from './engine-api';
import { InboxStore } from './inbox-store';
import type { AccountState, ActionSource, ActionState, ConnectionState, InboxItem } from './state';
import { PollPlan } from './poll-plan';
import { exchange, SyncCursor } from './sync';
import { SyncTriggers } from './triggers';

export { MAX_PAGES_PER_POLL, PAGE_LIMIT } from './page-reader';
export { RESULT_VISIBLE_MS, type ActionOutcome } from './reconcile';
export { ActionRefused, MAX_ANSWER_CHARS, type ActionRefusal } from './action-refusal';
export type { AccountEngineEvents, AccountEngineOptions, EnginePush, PendingAction } from './engine-api';
export type { InboxChange } from './inbox-store';

export class AccountEngine {
  readonly accountId: string;
  readonly #client: PortalClient;
  readonly #clock: Clock;
  readonly #events: Emitter<AccountEngineEvents>;
  readonly #queue: ActionQueue;
  readonly #cursor: SyncCursor;
  readonly #pollPlan = new PollPlan();
  readonly #triggers: SyncTriggers;
  readonly #maxInboxItems: number;
  #push: EnginePush | undefined;
  readonly #inbox = new InboxStore();
  #connection: ConnectionState = { status: 'connecting' };
  #unreadCount = 0;
  #lastSyncAt: number | undefined;
  #skippedItems = 0;
  #instant: AccountState['instant'];
  #running = false;
  #loop: Promise<void> | undefined;
  #stopController = new AbortController();

  constructor(options: AccountEngineOptions) {
    this.accountId = options.accountId;
    this.#client = options.client;
    this.#clock = options.clock ?? systemClock;
    this.#events = new Emitter(options.onListenerError);
    this.#maxInboxItems = options.maxInboxItems ?? 2_000;
    this.#cursor = new SyncCursor(options.storage, this.accountId);
    this.#triggers = new SyncTriggers({
      clock: this.#clock,
      pollIntervalMs: options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS,
      floorMs: budgetFloorMs(options.sustainedRequestsPerSec ?? DEFAULT_BUCKET.drainPerSec),
      operatingPressure: () => this.#client.operatingPressure('im.notify.get'),
    });
    this.#queue = new ActionQueue(new Outbox(options.storage, accountKey(this.accountId, 'outbox')), this.#clock, {
      actionState: (id, action) => this.#setAction(id, action),
      settled: (id, outcome) => {
        this.#inbox.settledAt.set(id, this.#clock.now());
        this.#events.emit('actionSettled', id, outcome);
      },
    });
  }

  on<E extends keyof AccountEngineEvents>(event: E, listener: (...args: AccountEngineEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  get state(): AccountState {
    return {
      accountId: this.accountId,
      portalOrigin: this.#client.origin,
      connection: this.#connection,
      inbox: this.#inbox.sorted,
      unreadCount: this.#unreadCount,
      lastSyncAt: this.#lastSyncAt,
      skippedItems: this.#skippedItems,
      ...(this.#instant ? { instant: this.#instant } : {}),
    };
  }

  /** One inbox item by id (what a window delta carries). */
  item(notificationId: number): InboxItem | undefined {
    return this.#inbox.get(notificationId);
  }

  get pollIntervalMs(): number {
    return this.#triggers.pollIntervalMs;
  }

  get activity(): Activity {
    return this.#triggers.activity;
  }

  /** Waiters whose action left the queue without an outcome: always 0 (the soak checks it). */
  get orphanedWaiters(): number {
    return this.#queue.orphanedWaiters();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#stopController = new AbortController();
    this.#loop = this.#run();
    this.#push?.start();
  }

  /** Stops syncing and abandons any request in flight; the outbox keeps what was not settled. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    this.#push?.stop();
    this.#stopController.abort(new Error('engine stopped'));
    this.#triggers.wake();
    await this.#loop;
    this.#queue.stop();
  }

  setPollInterval(intervalMs: number): void {
    this.#triggers.setPollInterval(intervalMs);
  }

  /** The portal's push channel runs with the engine and reconnects when the system comes back. */
  attachPush(push: EnginePush): void {
    this.#push = push;
  }

  /** What the portal's card says about instant delivery (the push channel reports it). */
  setInstantState(instant: AccountState['instant']): void {
    if (this.#instant === instant) return;
    this.#instant = instant;
    this.#emit();
  }

  /** A push hint: sync soon (see SyncTriggers.requestSync). */
  requestSync(): void {
    this.#triggers.requestSync();
  }

  setSafetyPoll(intervalMs: number | undefined): void {
    this.#triggers.setSafetyPoll(intervalMs);
  }

  /** Sync now (window opened, screen unlocked, user pressed Retry). Also lifts an error stop. */
  pollNow(): void {
    this.#triggers.pollNow();
  }

  /** What the shell knows about the system: asleep or awake, online or not. */
  setSystemState(change: { suspended?: boolean; online?: boolean }): void {
    const wasBlocked = this.#triggers.blockedReason() !== undefined;
    if (change.suspended === false || change.online === true) this.#push?.reconnect(change.suspended === false ? 'resumed' : 'online');
    this.#triggers.setSystemState(change);
    const blocked = this.#triggers.blockedReason();
    if (blocked) this.#setConnection({ status: blocked });
    // Back from sleep or offline: refresh at once, without the backoff of failures seen meanwhile.
    else if (wasBlocked) this.pollNow();
  }

  /**
   * What the person is doing: syncs come faster while they are at the computer, slower while they
   * are away, and not at all while the screen is locked; unlocking or coming back syncs at once.
   */
  setActivity(activity: Activity): void {
    if (activity === this.#triggers.activity) return;
    const wasBlocked = this.#triggers.blockedReason() !== undefined;
    this.#triggers.setActivity(activity);
    if (this.#triggers.blockedReason() !== undefined) {
      if (!wasBlocked) this.#setConnection({ status: 'paused' });
    } else if (wasBlocked || activity === 'active') {
      this.pollNow();
    }
  }

  setUserPaused(paused: boolean): void {
    this.#triggers.setUserPaused(paused);
    if (paused) this.#setConnection({ status: 'paused' });
    else this.pollNow();
  }

  /** Press a confirm button. Resolves with the portal's definite answer. */
  confirm(notificationId: number, value: string, _source: ActionSource = 'window'): Promise<ActionOutcome> {
    const item = this.#inbox.get(notificationId);
    checkConfirm(item);
    const joined = this.#queue.join(notificationId, 'confirm');
    if (joined) return joined;
    checkConfirmValue(item, value);
    return this.#enqueue(notificationId, 'confirm', value);
  }

  /** Send a quick reply (`im.notify.answer`). Resolves with the portal's definite answer. */
  answer(notificationId: number, text: string, _source: ActionSource = 'window'): Promise<ActionOutcome> {
    const reply = checkAnswer(this.#inbox.get(notificationId), text, this.#queue.find(notificationId) !== undefined);
    return this.#enqueue(notificationId, 'answer', reply);
  }

  /** Marks items read on the portal. Confirms stay unread until answered, as on the portal. */
  markRead(notificationIds: number[]): void {
    for (const id of notificationIds) {
      const item = this.#inbox.get(id);
      if (!item || item.kind === 'confirm' || item.read) continue;
      this.#inbox.put({ ...item, read: true });
      this.#queue.markRead(id);
      // Optimistic, as Bitrix24's own window does; the next refresh brings the portal's figure.
      this.#unreadCount = Math.max(0, this.#unreadCount - 1);
    }
    this.#emit();
    this.#triggers.wake();
  }

  markAllRead(): void {
    for (const item of this.#inbox.items.values()) {
      if (item.kind !== 'confirm' && !item.read) this.#inbox.put({ ...item, read: true });
    }
    this.#queue.markAllRead();
    this.#unreadCount = [...this.#inbox.items.values()].filter((item) => item.kind === 'confirm').length;
    this.#emit();
    this.#triggers.wake();
  }

  /** Deletes a notification on the portal (im.notify.delete); it leaves the inbox at once. */
  dismiss(notificationId: number): void {
    const item = this.#inbox.get(notificationId);
    checkDismiss(item, this.#queue.find(notificationId) !== undefined);
    this.#inbox.drop(notificationId);
    this.#queue.dismiss(notificationId);
    if (!item.read) this.#unreadCount = Math.max(0, this.#unreadCount - 1);
    this.#events.emit('removed', [notificationId]);
    this.#emit();
    this.#triggers.wake();
  }

  /** Answers not yet settled by the portal, oldest first. */
  pendingActions(): PendingAction[] {
    return this.#queue.pending((id) => this.#inbox.get(id));
  }

  /** An image on the portal's own host (an on-premise avatar), through the same client. */
  portalImage(url: string, signal?: AbortSignal): Promise<PortalImage> {
    return this.#client.image(url, signal);
  }

  /**
   * The portal's notification categories (`im.notify.schema.get`) with those seen in the inbox.
   * A read outside the sync loop, through the same client (bucket and limits included).
   */
  async categories(signal?: AbortSignal): Promise<NotificationCategory[]> {
    const seen = [...this.#inbox.items.values()].map((item) => item.settingName);
    const response = await this.#client.call('im.notify.schema.get', {}, signal ? { signal } : {});
    return mergeSeenCategories(parseNotifySchema(response.result), seen);
  }

  #enqueue(notificationId: number, kind: 'confirm' | 'answer', value: string): Promise<ActionOutcome> {
    const outcome = this.#queue.enqueue(notificationId, kind, value);
    this.#triggers.wake();
    return outcome;
  }

  async #run(): Promise<void> {
    while (this.#running) {
      this.#triggers.arm();
      if (!this.#triggers.idle(this.#queue.hasWork())) await this.#tick();
      if (!this.#running) break;
      await this.#triggers.waitForNext(this.#queue.hasWork(), this.#stopController.signal);
    }
  }

  /** One exchange with the portal, then its result applied to the state. */
  async #tick(): Promise<void> {
    try {
      const result = await exchange(this.#client, this.#queue, this.#cursor, this.#pollPlan, this.#clock.now(), this.#stopController.signal);
      this.#apply(result.fetched);
      // The portal answered, but if it put off one of our answers or marks, the schedule backs off for it.
      this.#triggers.succeeded(result.choresDeferred || this.#queue.putOff(result.flush), result.fetched.retryAt);
      this.#setConnection({ status: 'ok' });
      this.#events.emit('polled', true);
    } catch (error) {
      if (!this.#running) return; // stopped mid-request: not a portal problem
      // Anything else (a storage write failing, say) must not end the loop either.
      const portalError =
        error instanceof PortalError ? error : new PortalError({ kind: 'transient', code: 'INTERNAL_ERROR', description: String(error), delivery: 'unknown' });
      this.#triggers.failed(portalError);
      this.#setConnection(connectionFor(portalError));
      this.#events.emit('polled', false);
    }
  }

  /** Makes the inbox match what was read; announces what is new; settles answers verified by absence. */
  #apply(fetched: Parameters<typeof reconcile>[1]): void {
    const now = this.#clock.now();
    const origin = this.#client.origin;
    const inbox = this.#inbox;
    const known = { inbox: inbox.items, highWaterMark: this.#cursor.highWaterMark, settledAt: inbox.settledAt, outbox: this.#queue.entries, chores: this.#queue.chores, maxInboxItems: this.#maxInboxItems };
    const result = reconcile(known, fetched, now, (text) => renderRich(text, origin));
    for (const decision of result.decisions) {
      if ('resend' in decision) this.#queue.resend(decision.entry);
      else this.#queue.settle(decision.entry, decision.outcome);
    }
    for (const item of result.put) inbox.put(item);
    for (const id of [...result.removed, ...result.trimmed]) inbox.drop(id);
    this.#cursor.advance(fetched.gaps, result.highWaterMark);
    this.#unreadCount = fetched.totalUnread ?? 0;
    this.#skippedItems = fetched.skipped;
    this.#lastSyncAt = now;
    if (result.removed.length > 0) this.#events.emit('removed', result.removed);
    if (result.announce.length > 0) this.#events.emit('announced', result.announce);
  }

  #setAction(notificationId: number, action: ActionState): void {
    this.#inbox.setAction(notificationId, action);
    this.#emit();
  }

  #setConnection(connection: ConnectionState): void {
    this.#connection = connection;
    this.#emit();
  }

  #emit(): void {
    this.#events.emit('changed', this.state, this.#inbox.takeChange());
  }
}
