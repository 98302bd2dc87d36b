/**
 * What AccountsService (main/core/app/accounts-service.ts) refuses, and what it answers for a
 * portal that is not running: the window shows these refusals' messages (core/ipc/dispatcher.ts
 * turns them into 'refused' replies), and the settings page reads pending answers, muted and
 * break-through categories from here. Real store, hub and engine factory on simulators.
 */
import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { UnknownAccountIdError } from '../../main/core/accounts/account-store';
import { accountKey } from '../../main/core/accounts/keys';
import { PortalNotMovedError, PortalNotRunningError } from '../../main/core/app/accounts-service';
import { OutboxEntrySchema, type OutboxEntry } from '../../main/core/engine/outbox';
import { portalsWorld } from '../harness/portals-world';
import { hubWhere, rejection } from '../harness/waits';
import { startForwarder } from '../soak/forwarder';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('"Use the new address"', () => {
  it('is refused for a portal that is gone, and for one that is off (it has reported nothing)', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    const gone = await rejection(w.portals.useMovedAddress('no-such-portal'), UnknownAccountIdError);
    expect(gone.message).toMatch(/not connected any more/);

    await w.portals.update(account.id, { enabled: false });
    const off = await rejection(w.portals.useMovedAddress(account.id), PortalNotMovedError);
    expect(off).toMatchObject({ name: 'PortalNotMovedError', message: expect.stringMatching(/has not reported a new address/) });
    expect(w.accounts.get(account.id)?.origin).toBe(account.origin);
  });

  it('takes the address the portal itself reported, not the state of another portal listed before it', async () => {
    const w = await portalsWorld(cleanups);
    const acme = await w.connect('Acme');
    const beta = await w.connect('Beta');
    // Another host (127.0.0.2) with Beta's data behind it, as in test/security/redirects.test.ts.
    const elsewhere = await startForwarder(new URL(beta.sim.origin), '127.0.0.2');
    cleanups.push(() => elsewhere.close());
    await w.portals.startAll();
    const statusOf = (s: ReturnType<typeof w.hub.snapshot>, id: string): string | undefined => s.accounts.find((entry) => entry.accountId === id)?.state.connection.status;
    await hubWhere(w.hub, (s) => statusOf(s, acme.account.id) === 'ok' && statusOf(s, beta.account.id) === 'ok');

    beta.sim.injectFault({ kind: 'redirect', status: 301, location: `${elsewhere.origin}/rest/1/${beta.sim.webhookCode}/im.notify.get` }, { restMethod: 'im.notify.get' });
    w.hub.pollNow(beta.account.id);
    await hubWhere(w.hub, (s) => statusOf(s, beta.account.id) === 'portal-moved');

    const moved = await w.portals.useMovedAddress(beta.account.id);
    expect(moved.origin).toBe(elsewhere.origin);
    expect(w.accounts.get(beta.account.id)?.origin).toBe(elsewhere.origin);
    expect(w.accounts.get(acme.account.id)?.origin).toBe(acme.sim.origin);
    expect(w.hub.has(beta.account.id)).toBe(true);
  });
});

describe('a portal that is not running', () => {
  it('cannot list its categories: the user is told to turn it on', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    await w.portals.update(account.id, { enabled: false });
    let refused: unknown;
    try {
      await w.portals.categories(account.id);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(PortalNotRunningError);
    expect(refused).toMatchObject({ name: 'PortalNotRunningError', message: 'Turn this portal on to see its categories.' });
  });

  it('lists the answers its outbox still holds on disk before the user removes it', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    await w.portals.update(account.id, { enabled: false });
    // Left by the last session: an accepted invitation the portal was down for.
    const waiting: OutboxEntry = { actionId: 'a1', kind: 'confirm', notificationId: 77, value: 'Y', createdAt: 1_700_000_000_000, attempts: 2, phase: 'pending' };
    w.storage.write(accountKey(account.id, 'outbox'), v.array(OutboxEntrySchema), [waiting]);

    expect(w.portals.pendingActions(account.id)).toEqual([{ notificationId: 77, kind: 'confirm', value: 'Y', title: '', createdAt: 1_700_000_000_000 }]);
    const other = await w.connect('Beta');
    await w.portals.update(other.account.id, { enabled: false });
    expect(w.portals.pendingActions(other.account.id)).toEqual([]);
  });
});

describe('muted and break-through categories', () => {
  it('hold from the first start after a restart, per portal, and are off for a portal not known', async () => {
    const before = await portalsWorld(cleanups);
    const acme = await before.connect('Acme');
    const beta = await before.connect('Beta');
    before.accounts.update(acme.account.id, { mutedCategories: ['tasks|comment'], breakThroughCategories: ['calendar|invite'] });
    // The app started again on the same settings file.
    const w = await portalsWorld(cleanups, { store: before.store });
    const { portals } = w;

    expect(portals.isMuted(acme.account.id, 'tasks|comment')).toBe(true);
    expect(portals.breaksThrough(acme.account.id, 'calendar|invite')).toBe(true);
    expect(portals.breaksThrough(acme.account.id, 'tasks|comment')).toBe(false);
    expect(portals.isMuted(beta.account.id, 'tasks|comment')).toBe(false);
    expect(portals.breaksThrough(beta.account.id, 'calendar|invite')).toBe(false);
    expect(portals.breaksThrough('no-such-portal', 'calendar|invite')).toBe(false);

    await portals.update(beta.account.id, { breakThroughCategories: ['im|mention'] });
    expect(portals.breaksThrough(beta.account.id, 'im|mention')).toBe(true);
  });
});
