/**
 * What the window is sent (main/core/app/state-feed.ts, messages of main/shared/state-messages.ts)
 * as portals come and go, notices and avatars arrive, and the window asks for its first screenful.
 * The window here applies every message as the renderer does (test/harness/window-feed.ts); the
 * oracle is the hub's own snapshot, and a resync counts as a failure to follow by changes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AvatarStore } from '../../main/core/app/avatar-store';
import { NotificationHub, type HubSnapshot } from '../../main/core/app/hub';
import { StateFeed } from '../../main/core/app/state-feed';
import { applyStateMessage } from '../../main/shared/state-messages';
import { nextEvent } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { portalWithEngine } from '../harness/portal-engine';
import { windowOf } from '../harness/window-feed';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Connected = Awaited<ReturnType<typeof portalWithEngine>>;

/** A portal with `count` system notifications, its engine started and synced once. */
async function syncedPortal(accountId: string, clock: FakeClock, count: number): Promise<Connected> {
  const connected = await portalWithEngine(accountId, clock, cleanups);
  for (let n = 0; n < count; n += 1) connected.portal.addSystem({ text: `${accountId} item ${n}` });
  const polled = nextEvent(connected.engine, 'polled');
  connected.engine.start();
  await polled;
  return connected;
}

const plain = (snapshot: HubSnapshot): unknown => JSON.parse(JSON.stringify(snapshot));

describe('portals coming and going', () => {
  it('a portal that synced before it was connected shows at once with its whole inbox; connected again after removal, it is sent whole again', async () => {
    const clock = new FakeClock();
    const hub = new NotificationHub();
    const window = windowOf(new StateFeed(hub));

    const first = await syncedPortal('acme', clock, 2);
    hub.add('Acme', first.engine);
    expect(window.state().snapshot.accounts[0]?.state.inbox).toHaveLength(2);
    expect(plain(window.state().snapshot)).toEqual(plain(hub.snapshot()));

    await hub.remove('acme');
    expect(window.state().snapshot.accounts).toEqual([]);
    const again = await syncedPortal('acme', clock, 3);
    hub.add('Acme', again.engine);
    expect(window.state().snapshot.accounts[0]?.state.inbox).toHaveLength(3);
    expect(plain(window.state().snapshot)).toEqual(plain(hub.snapshot()));
    expect(window.resyncs).toBe(0);
  });

  it('a change of connection alone sends the portal’s card, not an inbox change', async () => {
    const clock = new FakeClock();
    const acme = await syncedPortal('acme', clock, 2);
    const hub = new NotificationHub();
    hub.add('Acme', acme.engine);
    const window = windowOf(new StateFeed(hub));
    hub.setUserPaused(true);
    const last = window.messages.at(-1);
    expect(last).toMatchObject({ kind: 'delta', accounts: [{ accountId: 'acme', state: { connection: { status: 'paused' } } }] });
    expect(last?.kind === 'delta' && last.inbox).toEqual([]);
  });
});

describe('app notices', () => {
  it('reach the window with the change, and leave it when dismissed', () => {
    const hub = new NotificationHub();
    const window = windowOf(new StateFeed(hub));
    hub.addNotice('Settings could not be saved.');
    expect(window.state().snapshot.notices).toEqual([{ id: 'notice-1', message: 'Settings could not be saved.' }]);
    hub.dismissNotice('notice-1');
    expect(window.state().snapshot.notices).toBeUndefined();
    expect(window.resyncs).toBe(0);
  });
});

describe('on-premise avatars in the window (issue 12)', () => {
  it('an avatar fetched later reaches an open window with a change; a window opened afterwards gets it in the full state', async () => {
    const clock = new FakeClock();
    const acme = await portalWithEngine('acme', clock, cleanups);
    acme.portal.addPersonal({ text: 'A comment on your task', authorId: 3 });
    const hub = new NotificationHub();
    const avatars = new AvatarStore(hub);
    const feed = new StateFeed(hub, avatars);
    const url = `${acme.portal.origin}/upload/main/avatar-3.png`;
    // Nothing fetched yet: the full state carries no avatar map at all.
    expect(feed.full()).not.toHaveProperty('avatars');
    expect(feed.full(10)).not.toHaveProperty('avatars');

    const open = windowOf(feed);
    const fetched = new Promise<void>((resolve) => avatars.onAvatar(() => resolve()));
    hub.add('Acme', acme.engine);
    const polled = nextEvent(acme.engine, 'polled');
    acme.engine.start();
    await polled;
    await fetched;
    expect(open.state().avatars[url]).toMatch(/^data:image\/png;base64,/);
    expect(open.resyncs).toBe(0);

    expect(windowOf(feed).state().avatars).toEqual({ [url]: open.state().avatars[url] });
    expect(feed.full(10).avatars).toEqual({ [url]: open.state().avatars[url] });
  });
});

describe('the first screenful', () => {
  it('is partial when any portal has more items than asked for, and whole when every inbox fits, even exactly', async () => {
    const clock = new FakeClock();
    const acme = await syncedPortal('acme', clock, 5);
    const beta = await syncedPortal('beta', clock, 2);
    const hub = new NotificationHub();
    hub.add('Acme', acme.engine);
    hub.add('Beta', beta.engine);
    const feed = new StateFeed(hub);

    const screen = applyStateMessage(undefined, JSON.parse(JSON.stringify(feed.full(3))));
    expect(screen).toMatchObject({ partial: true });
    expect(screen !== 'resync' && screen !== 'stale' && screen.snapshot.accounts.map((account) => account.state.inbox.length)).toEqual([3, 2]);
    expect(feed.full(5)).not.toHaveProperty('partial');
    expect(feed.full(50)).not.toHaveProperty('partial');
    expect(feed.full(5).snapshot.accounts.map((account) => account.state.inbox.length)).toEqual([5, 2]);
  });
});
