/**
 * All connected portals in one place: the window and tray read one snapshot, and every user action
 * names its account so it reaches the right portal (ids are only unique per portal).
 */
import { Emitter } from '../emitter';
import type { AccountEngine, ActionOutcome, PendingAction } from '../engine/account-engine';
import type { Activity } from '../engine/schedule';
import type { NotificationCategory } from '../notifications/categories';
import type { PortalImage } from '../portal/client';
import type { AccountState, ActionSource, InboxItem } from '../engine/state';
import type { Clock } from '../clock';
import type { Storage } from '../storage/storage';
import { Snoozes, type SnoozeChoice } from './snoozes';

export interface AccountSnapshot {
  accountId: string;
  name: string;
  /** The portal's label colour, "#rrggbb". */
  color?: string;
  state: AccountState;
  /** Snoozed items still in the inbox: notification id → wake time (epoch ms). Absent when none. */
  snoozed?: Record<number, number>;
}

export interface AccountLabel {
  name: string;
  color: string;
}

const DEFAULT_LABEL_COLOR = '#2f80ed';

/** Something the user must hear about once, outside any one portal (storage problems, say). */
export interface AppNotice {
  id: string;
  message: string;
}

export interface HubSnapshot {
  accounts: AccountSnapshot[];
  /** Until the user dismisses them; absent when there are none. */
  notices?: AppNotice[];
  /** Sum over portals; each portal's count is capped at 100 ("99+"). */
  unreadCount: number;
}

/** Which items of one portal's inbox changed (engine InboxChange with the items themselves). */
export interface AccountInboxChange {
  accountId: string;
  put: InboxItem[];
  removed: readonly number[];
}

export type HubEvents = {
  /** `inbox`: set when the change came from one portal's engine (state-feed.ts sends only that). */
  changed: [snapshot: HubSnapshot, inbox?: AccountInboxChange];
  announced: [accountId: string, items: InboxItem[]];
  actionSettled: [accountId: string, notificationId: number, outcome: ActionOutcome];
  removed: [accountId: string, notificationIds: number[]];
  /** The user snoozed an item: its popup, if any, goes until it wakes. */
  snoozed: [accountId: string, notificationId: number];
  /** One exchange with a portal finished (schedules, tests, benchmarks). */
  polled: [accountId: string, ok: boolean];
};

/** An action named an account the hub does not have. */
export class UnknownAccountError extends Error {
  override readonly name = 'UnknownAccountError';
}

interface Entry {
  name: string;
  color: string;
  engine: AccountEngine;
  unsubscribe: () => void;
}

export class NotificationHub {
  readonly #entries = new Map<string, Entry>();
  readonly #events: Emitter<HubEvents>;
  #userPaused = false;
  #activity: Activity = 'active';
  #notices: AppNotice[] = [];
  #noticeCount = 0;
  #snoozes: Snoozes | undefined;

  constructor(onListenerError?: (error: unknown) => void) {
    this.#events = new Emitter(onListenerError);
  }

  on<E extends keyof HubEvents>(event: E, listener: (...args: HubEvents[E]) => void): () => void {
    return this.#events.on(event, listener);
  }

  add(name: string, engine: AccountEngine, color: string = DEFAULT_LABEL_COLOR): void {
    const id = engine.accountId;
    if (this.#entries.has(id)) throw new Error(`Account ${id} is already connected`);
    const subscriptions = [
      engine.on('changed', (_state, change) => {
        const put = change.put.flatMap((itemId) => engine.item(itemId) ?? []);
        this.#reviewSnoozes(id, put, change.removed);
        this.#events.emit('changed', this.snapshot(), { accountId: id, put, removed: change.removed });
      }),
      engine.on('announced', (items) => this.#events.emit('announced', id, items)),
      engine.on('actionSettled', (notificationId, outcome) => this.#events.emit('actionSettled', id, notificationId, outcome)),
      engine.on('removed', (ids) => this.#events.emit('removed', id, ids)),
      engine.on('polled', (ok) => this.#events.emit('polled', id, ok)),
    ];
    this.#entries.set(id, { name, color, engine, unsubscribe: () => subscriptions.forEach((off) => off()) });
    if (this.#userPaused) engine.setUserPaused(true);
    engine.setActivity(this.#activity);
    this.#snoozes?.load(id);
    this.#events.emit('changed', this.snapshot());
  }

  /** Snoozing (core/app/snoozes.ts), stored per account in `storage`, woken on `clock`. */
  useSnoozes(storage: Storage, clock: Clock): void {
    this.#snoozes = new Snoozes({
      storage,
      clock,
      onChange: () => this.#events.emit('changed', this.snapshot()),
      onWake: (accountId, ids) => this.#wake(accountId, ids),
    });
    for (const id of this.#entries.keys()) this.#snoozes.load(id);
  }

  /** Hides an item until `choice` (it pops up again then); returns the wake time. */
  snooze(accountId: string, notificationId: number, choice: SnoozeChoice): number {
    const engine = this.#engine(accountId);
    if (!this.#snoozes) throw new Error('Snoozing is not available.');
    if (!engine.item(notificationId)) throw new UnknownAccountError('That notification is not there any more.');
    const wakeAtMs = this.#snoozes.snooze(accountId, notificationId, choice);
    this.#events.emit('snoozed', accountId, notificationId);
    return wakeAtMs;
  }

  unsnooze(accountId: string, notificationId: number): void {
    this.#snoozes?.unsnooze(accountId, notificationId);
  }

  /** Detaches and stops one portal's engine. */
  async remove(accountId: string): Promise<void> {
    const entry = this.#entries.get(accountId);
    if (!entry) return;
    this.#entries.delete(accountId);
    entry.unsubscribe();
    await entry.engine.stop();
    this.#events.emit('changed', this.snapshot());
  }

  snapshot(): HubSnapshot {
    const accounts = [...this.#entries.entries()].map(([accountId, entry]) => this.#withSnoozes({ accountId, name: entry.name, color: entry.color, state: entry.engine.state }, entry.engine));
    const unreadCount = accounts.reduce((sum, account) => sum + account.state.unreadCount, 0);
    return this.#notices.length > 0 ? { accounts, unreadCount, notices: [...this.#notices] } : { accounts, unreadCount };
  }

  /** Tells the window something it shows until dismissed (the same message is not repeated). */
  addNotice(message: string): void {
    if (this.#notices.some((notice) => notice.message === message)) return;
    this.#noticeCount += 1;
    this.#notices.push({ id: `notice-${this.#noticeCount}`, message });
    this.#events.emit('changed', this.snapshot());
  }

  dismissNotice(id: string): void {
    const before = this.#notices.length;
    this.#notices = this.#notices.filter((notice) => notice.id !== id);
    if (this.#notices.length !== before) this.#events.emit('changed', this.snapshot());
  }

  has(accountId: string): boolean {
    return this.#entries.has(accountId);
  }

  /** A portal was renamed or recoloured. */
  relabel(accountId: string, label: Partial<AccountLabel>): void {
    const entry = this.#entries.get(accountId);
    if (!entry) return;
    if (label.name !== undefined) entry.name = label.name;
    if (label.color !== undefined) entry.color = label.color;
    this.#events.emit('changed', this.snapshot());
  }

  /** Shows the portals in this order (ids not connected are ignored; unnamed ones go last). */
  reorder(accountIds: string[]): void {
    const current = [...this.#entries.keys()];
    const ordered = [...accountIds.filter((id) => this.#entries.has(id)), ...current.filter((id) => !accountIds.includes(id))];
    // Every start asks for the stored order; only a real change is worth a new snapshot.
    if (ordered.every((id, index) => current[index] === id)) return;
    const entries = ordered.map((id) => [id, this.#entries.get(id)!] as const);
    this.#entries.clear();
    for (const [id, entry] of entries) this.#entries.set(id, entry);
    this.#events.emit('changed', this.snapshot());
  }

  pendingActions(accountId: string): PendingAction[] {
    return this.#engine(accountId).pendingActions();
  }

  categories(accountId: string): Promise<NotificationCategory[]> {
    return this.#engine(accountId).categories();
  }

  portalImage(accountId: string, url: string): Promise<PortalImage> {
    return this.#engine(accountId).portalImage(url);
  }

  confirm(accountId: string, notificationId: number, value: string, source: ActionSource): Promise<ActionOutcome> {
    return this.#engine(accountId).confirm(notificationId, value, source);
  }

  answer(accountId: string, notificationId: number, text: string, source: ActionSource): Promise<ActionOutcome> {
    return this.#engine(accountId).answer(notificationId, text, source);
  }

  pollNow(accountId?: string): void {
    if (accountId !== undefined) this.#engine(accountId).pollNow();
    else for (const entry of this.#entries.values()) entry.engine.pollNow();
  }

  markRead(accountId: string, notificationIds: number[]): void {
    this.#engine(accountId).markRead(notificationIds);
  }

  markAllRead(accountId?: string): void {
    if (accountId !== undefined) this.#engine(accountId).markAllRead();
    else for (const entry of this.#entries.values()) entry.engine.markAllRead();
  }

  dismiss(accountId: string, notificationId: number): void {
    this.#engine(accountId).dismiss(notificationId);
  }

  setPollInterval(intervalMs: number): void {
    for (const entry of this.#entries.values()) entry.engine.setPollInterval(intervalMs);
  }

  /** The user paused notifications (tray menu): no polling anywhere until resumed. */
  get userPaused(): boolean {
    return this.#userPaused;
  }

  setUserPaused(paused: boolean): void {
    this.#userPaused = paused;
    for (const entry of this.#entries.values()) entry.engine.setUserPaused(paused);
  }

  /** Whether the person is at the computer (idle time, screen lock), for every portal's schedule. */
  setActivity(activity: Activity): void {
    this.#activity = activity;
    for (const entry of this.#entries.values()) entry.engine.setActivity(activity);
  }

  /** System sleep and network, from the shell, for every portal. */
  setSystemState(change: { suspended?: boolean; online?: boolean }): void {
    for (const entry of this.#entries.values()) entry.engine.setSystemState(change);
    // Timers do not run while the computer sleeps: what fell due meanwhile wakes now.
    if (change.suspended === false) this.#snoozes?.checkNow();
  }

  async stopAll(): Promise<void> {
    this.#snoozes?.stop();
    await Promise.all([...this.#entries.keys()].map((id) => this.remove(id)));
  }

  /** Snoozed items leave the counts (the tray's and the window's) and travel with the account. */
  #withSnoozes(account: AccountSnapshot, engine: AccountEngine): AccountSnapshot {
    const book = this.#snoozes?.of(account.accountId);
    if (!book || book.size === 0) return account;
    const snoozed: Record<number, number> = {};
    let unreadSnoozed = 0;
    for (const [id, wakeAtMs] of book) {
      const item = engine.item(id);
      if (!item) continue;
      snoozed[id] = wakeAtMs;
      if (!item.read) unreadSnoozed += 1;
    }
    return { ...account, state: { ...account.state, unreadCount: Math.max(0, account.state.unreadCount - unreadSnoozed) }, snoozed };
  }

  /** A snoozed item answered, read or deleted (here or elsewhere) is no longer snoozed; due ones wake once their portal has synced. */
  #reviewSnoozes(accountId: string, put: readonly InboxItem[], removed: readonly number[]): void {
    const snoozes = this.#snoozes;
    const book = snoozes?.of(accountId);
    if (!snoozes || !book || book.size === 0) return;
    const settled = put.filter((item) => item.read || item.action?.status === 'done').map((item) => item.id);
    snoozes.prune(accountId, [...removed, ...settled].filter((id) => book.has(id)));
    snoozes.checkNow();
  }

  /** Snoozed items whose time came pop up again ('announced'), unless they went meanwhile. */
  #wake(accountId: string, ids: number[]): void {
    const engine = this.#entries.get(accountId)?.engine;
    // Not running, or not synced since the start: the items may not be known yet; the next check wakes them.
    if (!engine || engine.state.lastSyncAt === undefined) return;
    const items = ids.flatMap((id) => engine.item(id) ?? []).filter((item) => !item.read && item.action?.status !== 'done');
    this.#snoozes?.woke(accountId, ids);
    if (items.length > 0) this.#events.emit('announced', accountId, items);
  }

  #engine(accountId: string): AccountEngine {
    const entry = this.#entries.get(accountId);
    if (!entry) throw new UnknownAccountError('That portal is not connected any more.');
    return entry.engine;
  }
}
