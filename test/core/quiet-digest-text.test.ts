/**
 * The digest's words and its bookkeeping, item by item (issue 18's survivors in quiet-digest.ts):
 * how each kind is counted and ordered, one line per portal when there are several, what no longer
 * waits is left out, an item held twice counts once, and what is held survives a restart within
 * its bound. The end-to-end path (quiet time on the simulator) is quiet-digest.test.ts.
 */
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import type { AccountSnapshot, HubSnapshot } from '../../main/core/app/hub';
import type { InboxItem } from '../../main/core/engine/state';
import { QuietDigest } from '../../main/core/notifier/quiet-digest';
import { tempStorage } from '../harness/engine-harness';

type Shape = { id: number; kind?: 'confirm' | 'plain'; settingName?: string; read?: boolean; action?: { status: string } };
const item = ({ id, kind = 'plain', settingName = 'im|default', read = false, action }: Shape): InboxItem => ({ id, kind, settingName, read, action }) as unknown as InboxItem;
const account = (accountId: string, items: Shape[], snoozed?: Record<number, number>): AccountSnapshot =>
  ({ accountId, name: accountId.toUpperCase(), state: { inbox: items.map(item) }, ...(snoozed ? { snoozed } : {}) }) as unknown as AccountSnapshot;
const snapshot = (...accounts: AccountSnapshot[]): HubSnapshot => ({ accounts, unreadCount: 0 });

describe('the digest’s words', () => {
  it('counts by kind: what needs an answer first, then the larger groups, in singular and plural', () => {
    const items: Shape[] = [
      { id: 1 },
      { id: 2, settingName: 'socialnetwork|comment' },
      { id: 3, settingName: 'blog|comment' },
      { id: 4, kind: 'confirm', settingName: 'im|default' },
      { id: 5, settingName: 'tasks|task_assigned' },
      { id: 6, settingName: 'tasks|task_assigned' },
      { id: 7, settingName: 'tasks|task_assigned' },
      { id: 8, settingName: 'im|mention' },
    ];
    const digest = new QuietDigest();
    digest.hold('a', items.map(item));
    expect(digest.take(snapshot(account('a', items)))).toEqual({
      title: 'While you were away',
      body: '1 request for your answer, 3 task updates, 2 comments, 1 notification, 1 mention',
      first: { accountId: 'a', notificationId: 4 },
    });
  });

  it('an invitation that asks for an answer is counted as an invitation, and still comes first', () => {
    const items: Shape[] = [
      { id: 1 },
      { id: 2 },
      { id: 3, kind: 'confirm', settingName: 'calendar|invite' },
      { id: 4, kind: 'confirm', settingName: 'calendar|invite' },
    ];
    const digest = new QuietDigest();
    digest.hold('a', items.map(item));
    expect(digest.take(snapshot(account('a', items)))).toMatchObject({ body: '2 invitations, 2 notifications', first: { notificationId: 3 } });
  });

  it('with several portals, one line each, named; the window opens at the first confirm of any', () => {
    const a: Shape[] = [{ id: 1 }, { id: 2 }];
    const b: Shape[] = [{ id: 1, settingName: 'forum|comment' }, { id: 9, kind: 'confirm' }];
    const c: Shape[] = [{ id: 5 }];
    const digest = new QuietDigest();
    digest.hold('a', a.map(item));
    digest.hold('b', b.map(item));
    // Nothing held from c: it has no line.
    expect(digest.take(snapshot(account('a', a), account('b', b), account('c', c)))).toEqual({
      title: 'While you were away',
      body: 'A: 2 notifications\nB: 1 request for your answer, 1 comment',
      first: { accountId: 'b', notificationId: 9 },
    });
  });

  it('several confirms that are not invitations: requests for your answer', () => {
    const items: Shape[] = [{ id: 1, kind: 'confirm' }, { id: 2, kind: 'confirm' }];
    const digest = new QuietDigest();
    digest.hold('a', items.map(item));
    expect(digest.take(snapshot(account('a', items)))?.body).toBe('2 requests for your answer');
  });

  it('without a confirm, the window opens at the first item held', () => {
    const items: Shape[] = [{ id: 7 }, { id: 8 }];
    const digest = new QuietDigest();
    digest.hold('a', items.map(item));
    expect(digest.take(snapshot(account('a', items)))?.first).toEqual({ accountId: 'a', notificationId: 7 });
  });
});

describe('what counts', () => {
  it('only what still waits: not read, not answered, not snoozed, still there; a failed answer still waits', () => {
    const items: Shape[] = [
      { id: 1, read: true },
      { id: 2, kind: 'confirm', action: { status: 'done' } },
      { id: 3 },
      { id: 4, kind: 'confirm', action: { status: 'failed' } },
      { id: 6 },
    ];
    const digest = new QuietDigest();
    digest.hold('a', [...items, { id: 5 }].map(item)); // 5 was deleted on the portal meanwhile
    expect(digest.take(snapshot(account('a', items, { 3: Date.now() + 60_000 })))).toMatchObject({ body: '1 request for your answer, 1 notification', first: { notificationId: 4 } });
  });

  it('nothing that still waits: no digest at all', () => {
    const digest = new QuietDigest();
    digest.hold('a', [item({ id: 1 })]);
    expect(digest.take(snapshot(account('a', [{ id: 1, read: true }])))).toBeUndefined();
  });

  it('an item held twice counts once; the same id on another portal is another item', () => {
    const digest = new QuietDigest();
    digest.hold('a', [item({ id: 1 })]);
    digest.hold('a', [item({ id: 1 }), item({ id: 2 })]);
    digest.hold('b', [item({ id: 1 })]);
    expect(digest.size).toBe(3);
    expect(digest.take(snapshot(account('a', [{ id: 1 }, { id: 2 }]), account('b', [{ id: 1 }])))?.body).toBe('A: 2 notifications\nB: 1 notification');
    expect(digest.size).toBe(0);
  });
});

describe('kept across a restart', () => {
  it('what is held is stored, and forgotten once told', () => {
    const store = tempStorage();
    new QuietDigest(store.open()).hold('a', [item({ id: 1 }), item({ id: 2 })]);
    const reopened = new QuietDigest(store.open());
    expect(reopened.size).toBe(2);
    expect(reopened.take(snapshot(account('a', [{ id: 1 }, { id: 2 }])))?.body).toBe('2 notifications');
    expect(store.open().read('digest:held', v.unknown())).toBeUndefined();
    expect(new QuietDigest(store.open()).size).toBe(0);
  });

  it('keeps at most the newest 5,000 on disk, however long the quiet', () => {
    const store = tempStorage();
    const digest = new QuietDigest(store.open());
    digest.hold('a', Array.from({ length: 5_001 }, (_, index) => item({ id: index + 1 })));
    const reopened = new QuietDigest(store.open());
    expect(reopened.size).toBe(5_000);
    expect(reopened.take(snapshot(account('a', [{ id: 1 }, { id: 2 }])))?.body).toBe('1 notification');
    expect(store.problems).toEqual([]);
  });
});
