/**
 * The engine's public shapes: its events, options, and what it needs of a push channel.
 */
import type { Clock } from '../clock';
import type { PortalClient } from '../portal/client';
import type { Storage } from '../storage/storage';
import type { InboxChange } from './inbox-store';
import type { ActionOutcome } from './reconcile';
import type { AccountState, InboxItem } from './state';

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
  /** Whatever changed: the full state (cheap to read: nothing is copied) and which items changed. */
  changed: [state: AccountState, change: InboxChange];
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

/** What the engine needs of a push channel (main/core/push/push-channel.ts). */
export interface EnginePush {
  start(): void;
  stop(): void;
  reconnect(reason: string): void;
}

