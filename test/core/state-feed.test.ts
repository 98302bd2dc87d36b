/**
 * The window fed by changes (issue 15): main/core/app/state-feed.ts builds the messages from a real
 * hub and engine against the portal simulator; main/shared/state-messages.ts applies them as the
 * window does. The oracle is the hub's own whole snapshot: after any sequence of changes, the
 * window's state rebuilt from the messages must equal it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationHub, type HubSnapshot } from '../../main/core/app/hub';
import { AvatarStore } from '../../main/core/app/avatar-store';
import { StateFeed } from '../../main/core/app/state-feed';
import { applyStateMessage, type StateMessage, type WindowState } from '../../main/shared/state-messages';
import { windowOf } from '../harness/window-feed';
import { nextEvent, stateWhere } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { portalWithEngine as sharedPortalWithEngine } from '../harness/portal-engine';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function portalWithEngine(accountId: string, clock: FakeClock): ReturnType<typeof sharedPortalWithEngine> {
  return sharedPortalWithEngine(accountId, clock, cleanups);
}

const plain = (snapshot: HubSnapshot): unknown => JSON.parse(JSON.stringify(snapshot));

describe('the window fed by changes', () => {
  it('rebuilds exactly the hub’s snapshot from changes: new items, answers, reads, removals, a second portal', async () => {
    const clock = new FakeClock();
    const a = await portalWithEngine('acme', clock);
    const hub = new NotificationHub();
    const feed = new StateFeed(hub);
    const window = windowOf(feed);
    hub.add('Acme', a.engine);
    const invite = a.portal.addConfirm({ text: 'Join [B]Marketing[/B]?' });
    const notes = [1, 2, 3].map((n) => a.portal.addSystem({ text: `Report ${n} ready` }));
    const first = nextEvent(a.engine, 'polled');
    a.engine.start();
    await first;
    expect(plain(window.state().snapshot)).toEqual(plain(hub.snapshot()));

    // One new notification: one small change, not the inbox again.
    const before = window.messages.length;
    const fresh = a.portal.addSystem({ text: 'Build #42 [URL=https://ci.example.com/42]failed[/URL]' });
    const polled = nextEvent(a.engine, 'polled');
    await clock.advance(a.engine.pollIntervalMs);
    await polled;
    const sent = window.messages.slice(before);
    const items = sent.flatMap((message) => (message.kind === 'delta' ? message.inbox.flatMap((delta) => delta.put.map((item) => item.id)) : []));
    expect(items).toEqual([fresh.id]);
    expect(sent.reduce((bytes, message) => bytes + JSON.stringify(message).length, 0)).toBeLessThan(5_000);
    expect(plain(window.state().snapshot)).toEqual(plain(hub.snapshot()));

    // An answer, a read, a dismissal, something answered elsewhere, a second portal.
    await hub.confirm('acme', invite.id, 'Y', 'window');
    hub.markRead('acme', [notes[0]!.id]);
    hub.dismiss('acme', notes[1]!.id);
    a.portal.deleteInBrowser(notes[2]!.id);
    const b = await portalWithEngine('beta', clock);
    b.portal.addConfirm({ text: 'Beta: lunch?' });
    const bFirst = nextEvent(b.engine, 'polled');
    hub.add('Beta', b.engine, '#ff0000');
    b.engine.start();
    await bFirst;
    const polledAgain = nextEvent(a.engine, 'polled');
    await clock.advance(a.engine.pollIntervalMs);
    await polledAgain;
    await stateWhere(a.engine, (s) => s.connection.status === 'ok', 'acme polling');
    hub.relabel('beta', { name: 'Beta Corp' });
    expect(plain(window.state().snapshot)).toEqual(plain(hub.snapshot()));
    await hub.remove('beta');
    expect(plain(window.state().snapshot)).toEqual(plain(hub.snapshot()));
    expect(window.resyncs).toBe(0);
  });

  it('a lost, late or malformed change makes the window ask for the whole state once; an old one is ignored', () => {
    const snapshot: HubSnapshot = { accounts: [], unreadCount: 0 };
    const base: WindowState = { version: 5, snapshot, partial: false, avatars: {} };
    const delta = (version: number): StateMessage => ({ kind: 'delta', version, accounts: [], unreadCount: 0, inbox: [] });
    expect(applyStateMessage(base, delta(7))).toBe('resync'); // 6 was lost
    expect(applyStateMessage(base, delta(5))).toBe('stale');
    expect(applyStateMessage(base, delta(6))).toMatchObject({ version: 6 });
    expect(applyStateMessage(undefined, delta(1))).toBe('resync');
    expect(applyStateMessage(base, { kind: 'delta', version: 6, accounts: [], unreadCount: 0, inbox: [{ accountId: 'a', put: [{ id: 'x' }], removed: [] }] })).toBe('resync');
    expect(applyStateMessage(base, { kind: 'delta', version: 6, accounts: [{ accountId: 'new', name: 'New', state: {} }], unreadCount: 0, inbox: [] })).toBe('resync');
    expect(applyStateMessage(base, 'garbage')).toBe('resync');
    expect(applyStateMessage(base, { kind: 'full', version: 4, snapshot })).toBe('stale');
    expect(applyStateMessage(base, { kind: 'full', version: 9, snapshot })).toMatchObject({ version: 9 });
  });

  it('asks for the first screenful first: that many items per portal, marked partial', async () => {
    const clock = new FakeClock();
    const a = await portalWithEngine('acme', clock);
    for (let n = 0; n < 30; n += 1) a.portal.addSystem({ text: `Item ${n}` });
    const hub = new NotificationHub();
    const feed = new StateFeed(hub);
    hub.add('Acme', a.engine);
    const first = nextEvent(a.engine, 'polled');
    a.engine.start();
    await first;
    const screen = feed.full(10);
    expect(screen.partial).toBe(true);
    expect(screen.snapshot.accounts[0]!.state.inbox.map((item) => item.id)).toEqual(hub.snapshot().accounts[0]!.state.inbox.slice(0, 10).map((item) => item.id));
    expect(feed.full().partial).toBeUndefined();
  });
});

describe('on-premise avatars (issue 12)', () => {
  it('fetches an avatar on the portal’s own host once, through its client, as a data: URL; removing a portal meanwhile raises no listener error', async () => {
    const clock = new FakeClock();
    const a = await portalWithEngine('acme', clock);
    const errors: unknown[] = [];
    const hub = new NotificationHub((error) => errors.push(error));
    const avatars = new AvatarStore(hub, (error) => errors.push(error));
    const fetched = new Promise<string>((resolve) => avatars.onAvatar((url) => resolve(url)));
    hub.add('Acme', a.engine);
    a.portal.addPersonal({ text: 'with an avatar on the portal’s host', authorId: 3 });
    const first = nextEvent(a.engine, 'polled');
    a.engine.start();
    await first;
    expect(await fetched).toBe(`${a.portal.origin}/upload/main/avatar-3.png`);
    expect(avatars.all()[`${a.portal.origin}/upload/main/avatar-3.png`]).toMatch(/^data:image\/png;base64,/);
    // Removed while its avatar may still be on its way: refused quietly.
    const b = await portalWithEngine('beta', clock);
    hub.add('Beta', b.engine);
    b.portal.addPersonal({ text: 'another', authorId: 5 });
    const polled = nextEvent(b.engine, 'polled');
    b.engine.start();
    await polled;
    await hub.remove('beta');
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toEqual([]);
  });
});
