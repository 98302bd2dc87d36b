/**
 * The action queue: every answer the user gives goes through here. It owns the durable outbox, the
 * marks and dismissals not yet sent (chores), who is waiting for which answer, and the outcome each
 * one reaches.
 *
 * Invariant (issue 15): every click settles. A click is joined to the action already queued for its
 * item, or refused before anything is queued, or queued; a queued action leaves the outbox only
 * through `#settle`, which resolves everyone waiting for it. While it waits its item shows why
 * ('sending', or 'waiting' with the portal's reason). `stop()` answers every waiter (the action stays
 * queued for the next start).
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { BatchCommand, BatchResponse } from '../portal/client';
import { PortalError } from '../portal/errors';
import { htmlToPlain, renderPlain } from '../text/bbcode';
import type { PendingAction } from './engine-api';
import type { Outbox} from './outbox';
import { type OutboxEntry } from './outbox';
import type { ActionOutcome, Chores } from './reconcile';
import type { ActionKind, ActionState, InboxItem } from './state';

export interface ActionQueueEvents {
  /** The item's action changed (sending, waiting with a reason, or its outcome). */
  actionState(notificationId: number, action: ActionState): void;
  /** An action reached its outcome and left the outbox. */
  settled(notificationId: number, outcome: ActionOutcome): void;
}

/** What one flush takes out of the queue: sent together with the refresh in one batch. */
export interface Flush {
  entries: OutboxEntry[];
  chores: Chores;
  commands: Record<string, BatchCommand>;
}

/** One batch holds at most 50 commands; one is the refresh. */
const MAX_ACTIONS_PER_FLUSH = 49;

function noChores(): Chores {
  return { readIds: new Set(), readAll: false, deleteIds: new Set() };
}

export function hasChores(chores: Readonly<Chores>): boolean {
  return chores.readAll || chores.readIds.size > 0 || chores.deleteIds.size > 0;
}

interface Waiter {
  promise: Promise<ActionOutcome>;
  resolve: (outcome: ActionOutcome) => void;
}

export class ActionQueue {
  readonly #outbox: Outbox;
  readonly #clock: Clock;
  readonly #events: ActionQueueEvents;
  /** By action id: a click waits for its own action, a second click joins the first's. */
  readonly #waiters = new Map<string, Waiter>();
  #chores = noChores();

  constructor(outbox: Outbox, clock: Clock, events: ActionQueueEvents) {
    this.#outbox = outbox;
    this.#clock = clock;
    this.#events = events;
  }

  get entries(): readonly OutboxEntry[] {
    return this.#outbox.entries;
  }

  get chores(): Readonly<Chores> {
    return this.#chores;
  }

  find(notificationId: number): OutboxEntry | undefined {
    return this.#outbox.find(notificationId);
  }

  /** Something is waiting to go out: an action not sent yet, or a mark or dismissal. */
  hasWork(): boolean {
    return this.#outbox.entries.some((e) => e.phase === 'pending') || hasChores(this.#chores);
  }

  /** A second click on an item whose action is still queued joins that action. */
  join(notificationId: number, kind: ActionKind): Promise<ActionOutcome> | undefined {
    const entry = this.#outbox.find(notificationId);
    if (!entry || entry.kind !== kind) return undefined;
    return this.#waiterFor(entry.actionId).promise;
  }

  enqueue(notificationId: number, kind: ActionKind, value: string): Promise<ActionOutcome> {
    const actionId = randomUUID();
    // Durable before anything else: if the app dies from here on, the click is still in the outbox.
    this.#outbox.add({ actionId, kind, notificationId, value, createdAt: this.#clock.now(), attempts: 0, phase: 'pending' });
    const waiter = this.#waiterFor(actionId);
    this.#events.actionState(notificationId, { status: 'sending', kind, value });
    return waiter.promise;
  }

  markRead(notificationId: number): void {
    this.#chores.readIds.add(notificationId);
  }

  markAllRead(): void {
    this.#chores.readAll = true;
  }

  dismiss(notificationId: number): void {
    this.#chores.deleteIds.add(notificationId);
  }

  /** Takes what waits to go out; from here the portal may have the actions (phase 'sent'). */
  takeFlush(refresh: BatchCommand): Flush | undefined {
    const entries = this.#outbox.entries.filter((entry) => entry.phase === 'pending').slice(0, MAX_ACTIONS_PER_FLUSH);
    if (entries.length === 0 && !hasChores(this.#chores)) return undefined;
    const chores = this.#chores;
    this.#chores = noChores();
    const commands: Record<string, BatchCommand> = {};
    // Chores first: the refresh at the end then reflects them.
    if (chores.readIds.size > 0) commands.read = { method: 'im.notify.read.list', params: { IDS: [...chores.readIds], ACTION: 'Y' } };
    if (chores.readAll) commands.readAll = { method: 'im.notify.read.all' };
    if (chores.deleteIds.size > 0) commands.dismiss = { method: 'im.notify.delete', params: { ID: [...chores.deleteIds] } };
    for (const entry of entries) {
      // A crash before we hear back means "verify, don't resend".
      this.#outbox.update(entry.actionId, { phase: 'sent', attempts: entry.attempts + 1 });
      commands[entry.actionId] =
        entry.kind === 'confirm'
          ? { method: 'im.notify.confirm', params: { NOTIFY_ID: entry.notificationId, NOTIFY_VALUE: entry.value } }
          : { method: 'im.notify.answer', params: { NOTIFY_ID: entry.notificationId, ANSWER_TEXT: entry.value } };
    }
    commands.refresh = refresh;
    return { entries, chores, commands };
  }

  /** The whole batch failed: nothing or something may have reached the portal. */
  flushFailed(flush: Flush, error: unknown): void {
    this.#returnChores(flush.chores);
    if (!(error instanceof PortalError)) return; // aborted by stop: the outbox keeps them
    for (const entry of flush.entries) {
      if (error.delivery === 'not-processed') this.#waitAndResend(entry, error.userMessage);
      // Unknown fate: confirms are verified by the next refresh; answers need the user's decision.
      else this.#onUnknownDelivery(entry, error.userMessage);
    }
  }

  /** The portal answered the batch; returns whether a mark or dismissal was put off for now. */
  flushAnswered(flush: Flush, response: BatchResponse): { choresDeferred: boolean } {
    for (const entry of flush.entries) {
      const failure = response.errors[entry.actionId];
      if (failure) this.#onActionError(entry, failure);
      else this.#onActionResult(entry, response.results[entry.actionId]);
    }
    // A chore the portal put off for now goes again with the next exchange; one it refused is dropped.
    // A used-up operating-time budget is "not now" too (OPERATION_TIME_LIMIT inside the batch,
    // real-portal-notes.md §3): dropping the mark would bring the item back unread.
    const notNow = new Set(['transient', 'rate-limited', 'operating-limited']);
    const retryLater = (key: string): boolean => notNow.has(response.errors[key]?.kind ?? '');
    const putOff: Chores = {
      readIds: retryLater('read') ? flush.chores.readIds : new Set(),
      readAll: retryLater('readAll') && flush.chores.readAll,
      deleteIds: retryLater('dismiss') ? flush.chores.deleteIds : new Set(),
    };
    this.#returnChores(putOff);
    return { choresDeferred: hasChores(putOff) };
  }

  /** After the refresh was applied: one of the flush's actions is back to pending (put off, or resent). */
  putOff(flush: Flush | undefined): boolean {
    return !!flush && flush.entries.some((entry) => this.#outbox.entries.some((e) => e.actionId === entry.actionId && e.phase === 'pending'));
  }

  /** A confirm of unknown fate is still on the portal: it was never acted on, send it again. */
  resend(entry: OutboxEntry): void {
    this.#outbox.update(entry.actionId, { phase: 'pending' });
  }

  settle(entry: OutboxEntry, outcome: ActionOutcome): void {
    this.#outbox.remove(entry.actionId);
    this.#events.actionState(entry.notificationId, outcome);
    const waiter = this.#waiters.get(entry.actionId);
    this.#waiters.delete(entry.actionId);
    waiter?.resolve(outcome);
    this.#events.settled(entry.notificationId, outcome);
  }

  /** What is still queued, described with its item (button label, title) where the inbox has it. */
  pending(itemOf: (notificationId: number) => InboxItem | undefined): PendingAction[] {
    return this.#outbox.entries.map((entry) => {
      const item = itemOf(entry.notificationId);
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

  /** Callers stop waiting; the outbox keeps the actions for the next start. */
  stop(): void {
    for (const entry of this.#outbox.entries) {
      this.#waiters.get(entry.actionId)?.resolve({
        status: 'failed',
        kind: entry.kind,
        value: entry.value,
        message: 'The app stopped before the portal answered; the answer is kept and sent on the next start.',
      });
    }
    this.#waiters.clear();
  }

  /** Waiters whose action is no longer queued: must always be none (checked by tests and the soak). */
  orphanedWaiters(): number {
    return [...this.#waiters.keys()].filter((actionId) => !this.#outbox.entries.some((entry) => entry.actionId === actionId)).length;
  }

  #onActionResult(entry: OutboxEntry, result: unknown): void {
    const message = (result as { result_message?: unknown } | undefined)?.result_message;
    // The module's answer may carry a little HTML and entities: shown as plain text, never markup.
    const resultMessages = Array.isArray(message) ? message.filter((m): m is string => typeof m === 'string').map(htmlToPlain).filter(Boolean) : [];
    this.settle(entry, { status: 'done', kind: entry.kind, value: entry.value, resultMessages, gone: message === false });
  }

  #onActionError(entry: OutboxEntry, error: PortalError): void {
    if (error.kind === 'invalid-request') this.settle(entry, { status: 'failed', kind: entry.kind, value: entry.value, message: error.userMessage });
    else if (error.delivery === 'not-processed') this.#waitAndResend(entry, error.userMessage);
    else this.#onUnknownDelivery(entry, error.userMessage);
  }

  #waitAndResend(entry: OutboxEntry, message: string): void {
    this.#outbox.update(entry.actionId, { phase: 'pending' });
    this.#events.actionState(entry.notificationId, { status: 'waiting', kind: entry.kind, value: entry.value, message });
  }

  #onUnknownDelivery(entry: OutboxEntry, message: string): void {
    if (entry.kind === 'confirm') {
      this.#events.actionState(entry.notificationId, { status: 'waiting', kind: entry.kind, value: entry.value, message });
      return;
    }
    // A reply cannot be verified (the item stays on the portal); re-sending could post it twice.
    this.settle(entry, {
      status: 'failed',
      kind: entry.kind,
      value: entry.value,
      message: 'The portal may not have received this reply. Check the portal, or send it again.',
    });
  }

  #returnChores(chores: Chores): void {
    for (const id of chores.readIds) this.#chores.readIds.add(id);
    for (const id of chores.deleteIds) this.#chores.deleteIds.add(id);
    this.#chores.readAll ||= chores.readAll;
  }

  #waiterFor(actionId: string): Waiter {
    let waiter = this.#waiters.get(actionId);
    if (!waiter) {
      let resolve!: (outcome: ActionOutcome) => void;
      const promise = new Promise<ActionOutcome>((r) => (resolve = r));
      waiter = { promise, resolve };
      this.#waiters.set(actionId, waiter);
    }
    return waiter;
  }
}
