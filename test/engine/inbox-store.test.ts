/**
 * The inbox as the engine holds it (engine/inbox-store.ts): display order that follows every
 * change, and the change the window is told about: what was put, what was removed, once each.
 */
import { describe, expect, it } from 'vitest';
import { InboxStore } from '../../main/core/engine/inbox-store';
import type { InboxItem } from '../../main/core/engine/state';

const item = (id: number, kind: 'confirm' | 'plain' = 'plain', dateMs = id * 1000): InboxItem => ({ id, kind, dateMs, action: undefined }) as unknown as InboxItem;

describe('InboxStore', () => {
  it('keeps confirms first, then newest first, after every put and drop', () => {
    const inbox = new InboxStore();
    inbox.put(item(1));
    inbox.put(item(3));
    expect(inbox.sorted.map((entry) => entry.id)).toEqual([3, 1]);
    inbox.put(item(0, 'plain', 9_000)); // an older id, sent later: newest by date first
    expect(inbox.sorted.map((entry) => entry.id)).toEqual([0, 3, 1]);
    inbox.drop(0);
    inbox.put(item(2, 'confirm'));
    expect(inbox.sorted.map((entry) => entry.id)).toEqual([2, 3, 1]);
    inbox.drop(3);
    expect(inbox.sorted.map((entry) => entry.id)).toEqual([2, 1]);
    inbox.setAction(1, { status: 'pending' } as never);
    expect(inbox.sorted.find((entry) => entry.id === 1)?.action).toEqual({ status: 'pending' });
  });

  it('tells each change once: put and removed ids, and nothing when nothing changed', () => {
    const inbox = new InboxStore();
    inbox.put(item(1));
    inbox.put(item(2));
    expect(inbox.takeChange()).toEqual({ put: [1, 2], removed: [] });
    expect(inbox.takeChange()).toEqual({ put: [], removed: [] });
    inbox.drop(1);
    inbox.drop(99); // not there: nothing to tell
    expect(inbox.takeChange()).toEqual({ put: [], removed: [1] });
  });

  it('an item removed and put back in one change is put, not removed; put then removed is removed', () => {
    const inbox = new InboxStore();
    inbox.put(item(1));
    inbox.takeChange();
    inbox.drop(1);
    inbox.put(item(1));
    expect(inbox.takeChange()).toEqual({ put: [1], removed: [] });
    inbox.put(item(2));
    inbox.drop(2);
    expect(inbox.takeChange()).toEqual({ put: [], removed: [2] });
  });

  it('forgets when a dropped item was settled; an action on an item that is gone changes nothing', () => {
    const inbox = new InboxStore();
    inbox.put(item(1));
    inbox.settledAt.set(1, 5);
    inbox.drop(1);
    expect(inbox.settledAt.has(1)).toBe(false);
    inbox.takeChange();
    inbox.setAction(1, { status: 'pending' } as never);
    expect(inbox.get(1)).toBeUndefined();
    expect(inbox.takeChange()).toEqual({ put: [], removed: [] });
  });
});
