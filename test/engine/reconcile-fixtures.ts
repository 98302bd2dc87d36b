/**
 * Small builders for example-based reconcile tests (reconcile-outbox.test.ts, reconcile-inbox.test.ts):
 * notifications as the model parser produces them, what one sync read, and what the engine knew.
 */
import type { OutboxEntry } from '../../main/core/engine/outbox';
import type { FetchedPages } from '../../main/core/engine/page-reader';
import type { KnownState } from '../../main/core/engine/reconcile';
import type { ActionState, InboxItem } from '../../main/core/engine/state';
import type { PortalNotification } from '../../main/core/notifications/model';

export const NOW = 10_000_000;

export function notification(id: number, confirm = false, change: Partial<PortalNotification> = {}): PortalNotification {
  return {
    id,
    kind: confirm ? 'confirm' : 'system',
    dateMs: id * 1000,
    title: '',
    text: `item ${id}`,
    module: 'im',
    event: 'default',
    settingName: 'im|default',
    tag: '',
    read: false,
    author: { id: 3, name: 'Anna', avatarUrl: undefined, color: undefined },
    buttons: confirm ? [{ value: 'Y', label: 'Accept', style: 'accept' }] : [],
    canAnswer: !confirm,
    ...change,
  };
}

/** The inbox item the engine holds for a notification it read before. */
export function held(item: PortalNotification, action?: ActionState): InboxItem {
  return { ...item, action, rich: [] };
}

/** A read of the whole list (both sections to their end) unless told otherwise. */
export function read(items: PortalNotification[], change: Partial<FetchedPages> = {}): FetchedPages {
  return { items, skipped: 0, totalUnread: 0, confirmsComplete: true, regularCoveredFrom: 0, gapItemIds: new Set(), retryAt: undefined, gaps: [], readAtMs: NOW, ...change };
}

export function known(inbox: InboxItem[], change: Partial<KnownState> = {}): KnownState {
  return {
    inbox: new Map(inbox.map((item) => [item.id, item])),
    highWaterMark: Math.max(0, ...inbox.map((item) => item.id)),
    settledAt: new Map(),
    outbox: [],
    chores: { readIds: new Set(), readAll: false, deleteIds: new Set() },
    maxInboxItems: 2_000,
    ...change,
  };
}

export function queued(notificationId: number, kind: OutboxEntry['kind'], phase: OutboxEntry['phase']): OutboxEntry {
  return { actionId: `a${notificationId}`, kind, notificationId, value: kind === 'confirm' ? 'Y' : 'Thanks', createdAt: NOW - 60_000, attempts: 1, phase };
}

/** Rendering is not what these tests look at. */
export const noRender = (): [] => [];
