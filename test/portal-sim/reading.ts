/**
 * Read state and counters (§1.4, §2.4-§2.6, §6): CIMNotify::MarkNotifyRead / MarkNotifyUnRead and
 * Reader::readAll. Confirms are excluded only by read-all; the single and list paths have no
 * confirm filter in MOD.
 */
import type { NotificationStore } from './store';

/** CounterOverflowService: counters at or above 100 are reported as exactly 100. */
export const COUNTER_OVERFLOW = 100;

export function unreadCounter(store: NotificationStore, userId: number): number {
  return Math.min(store.unreadCount(userId), COUNTER_OVERFLOW);
}

/** Reader::readAll: everything but confirms; returns the new (capped) counter. */
export function readAll(store: NotificationStore, userId: number): number {
  const changed: number[] = [];
  for (const record of store.forUser(userId)) {
    if (record.type !== 1 && !record.read) {
      record.read = true;
      changed.push(record.id);
    }
  }
  store.readChanged(userId, changed);
  return unreadCounter(store, userId);
}

/** MarkNotifyRead: id 0 reads all; otherwise this id, or this id and every newer one. */
export function markRead(store: NotificationStore, userId: number, id: number, thisAndNewer: boolean): void {
  if (id < 0) return;
  if (id === 0) {
    readAll(store, userId);
    return;
  }
  const changed: number[] = [];
  for (const record of store.forUser(userId)) {
    if ((thisAndNewer ? record.id >= id : record.id === id) && !record.read) {
      record.read = true;
      changed.push(record.id);
    }
  }
  store.readChanged(userId, changed);
}

/** MarkNotifyUnRead: also unreads every notification sharing the start notification's tag. */
export function markUnread(store: NotificationStore, userId: number, id: number, thisAndNewer: boolean): void {
  if (id <= 0) return;
  const start = store.findOwned(userId, id);
  if (!start) return;
  const changed: number[] = [];
  for (const record of store.forUser(userId)) {
    const inRange = thisAndNewer ? record.id >= id : record.id === id;
    const sameTag = start.tag !== '' && record.tag === start.tag;
    if ((inRange || sameTag) && record.read) {
      record.read = false;
      changed.push(record.id);
    }
  }
  store.readChanged(userId, changed, 'notifyUnread');
}
