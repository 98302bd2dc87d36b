/**
 * What the window and tray are told about the hub itself (main/core/app/hub.ts): app notices shown
 * until dismissed, portals renamed or recoloured, and the order the user gave the portals. Each
 * change is published once as a new snapshot (the window redraws on it); no-ops publish nothing.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationHub, type HubSnapshot } from '../../main/core/app/hub';
import { FakeClock } from '../harness/fake-clock';
import { portalWithEngine } from '../harness/portal-engine';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A hub and every snapshot it publishes from now on. */
function watchedHub(): { hub: NotificationHub; published: HubSnapshot[] } {
  const hub = new NotificationHub();
  const published: HubSnapshot[] = [];
  hub.on('changed', (snapshot) => published.push(snapshot));
  return { hub, published };
}

/** A hub with these portals connected (engines not started), in this order. */
async function hubWith(...ids: string[]): Promise<{ hub: NotificationHub; published: HubSnapshot[] }> {
  const clock = new FakeClock();
  const watched = watchedHub();
  for (const id of ids) watched.hub.add(id.toUpperCase(), (await portalWithEngine(id, clock, cleanups)).engine, '#111111');
  watched.published.length = 0;
  return watched;
}

const order = (snapshot: HubSnapshot | undefined): string[] | undefined => snapshot?.accounts.map((account) => account.accountId);

describe('app notices', () => {
  it('are shown until dismissed; the same message is not repeated; dismissing one keeps the others', () => {
    const { hub, published } = watchedHub();
    expect(hub.snapshot().notices).toBeUndefined();

    hub.addNotice('Settings could not be saved.');
    expect(published.at(-1)?.notices).toEqual([{ id: 'notice-1', message: 'Settings could not be saved.' }]);
    hub.addNotice('Settings could not be saved.');
    expect(published).toHaveLength(1);
    expect(hub.snapshot().notices).toHaveLength(1);

    hub.addNotice('The stored accounts were unreadable and were set aside.');
    expect(published.at(-1)?.notices?.map((notice) => notice.message)).toEqual(['Settings could not be saved.', 'The stored accounts were unreadable and were set aside.']);

    hub.dismissNotice('notice-7'); // already gone (another window dismissed it): nothing to redraw
    expect(published).toHaveLength(2);

    hub.dismissNotice('notice-1');
    expect(published).toHaveLength(3);
    expect(published.at(-1)?.notices).toEqual([{ id: 'notice-2', message: 'The stored accounts were unreadable and were set aside.' }]);
    hub.dismissNotice('notice-2');
    expect(published).toHaveLength(4);
    expect(published.at(-1)?.notices).toBeUndefined();
  });
});

describe('a portal renamed or recoloured', () => {
  it('shows the new name or colour and keeps the other; an unknown portal is ignored', async () => {
    const { hub, published } = await hubWith('acme');
    hub.relabel('acme', { name: 'Acme Sales' });
    expect(published.at(-1)?.accounts).toMatchObject([{ accountId: 'acme', name: 'Acme Sales', color: '#111111' }]);
    hub.relabel('acme', { color: '#ff8800' });
    expect(published.at(-1)?.accounts).toMatchObject([{ accountId: 'acme', name: 'Acme Sales', color: '#ff8800' }]);
    expect(published).toHaveLength(2);

    // Removed meanwhile (the settings window still had it open): nothing happens.
    expect(() => hub.relabel('gone', { name: 'Gone', color: '#000000' })).not.toThrow();
    expect(published).toHaveLength(2);
    expect(hub.snapshot().accounts).toMatchObject([{ accountId: 'acme', name: 'Acme Sales', color: '#ff8800' }]);
  });
});

describe('the order of the portals', () => {
  it('follows the user’s order; ids not connected are ignored and unnamed portals keep their place at the end', async () => {
    const { hub, published } = await hubWith('acme', 'beta', 'gamma', 'delta');
    hub.reorder(['gamma', 'ghost', 'acme']);
    expect(published).toHaveLength(1);
    expect(order(published[0])).toEqual(['gamma', 'acme', 'beta', 'delta']);
    expect(order(hub.snapshot())).toEqual(['gamma', 'acme', 'beta', 'delta']);
  });

  it('a change further down the list is a change too', async () => {
    const { hub, published } = await hubWith('acme', 'beta', 'gamma');
    hub.reorder(['acme', 'gamma', 'beta']);
    expect(order(published.at(-1))).toEqual(['acme', 'gamma', 'beta']);
    expect(published).toHaveLength(1);
  });

  it('the stored order asked for at every start publishes nothing when it is the order already shown', async () => {
    const { hub, published } = await hubWith('acme', 'beta');
    hub.reorder(['acme', 'beta']);
    hub.reorder(['acme']);
    hub.reorder([]);
    expect(published).toEqual([]);
    expect(order(hub.snapshot())).toEqual(['acme', 'beta']);
  });
});
