/**
 * Starting, renaming, recolouring, turning off and on, and switching instant delivery of portals
 * through AccountsService (main/core/app/accounts-service.ts), with the real store, hub and engine
 * factory on simulators. The oracle is what the window is sent (the hub's published snapshots),
 * what the app reports per portal, and what is stored.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { portalsWorld, lateKeychain, timesGone } from '../harness/portals-world';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const names = (w: { hub: { snapshot(): { accounts: { name: string }[] } } }): string[] => w.hub.snapshot().accounts.map((account) => account.name);

describe('starting the stored portals', () => {
  it('starts the enabled ones in the stored order, reports one whose secret cannot be opened, and does not even open a disabled one', async () => {
    const before = await portalsWorld(cleanups);
    const acme = await before.connect('Acme');
    const beta = await before.connect('Beta');
    // The app started again: its process secret box is new, so the secrets sealed before cannot be opened.
    const w = await portalsWorld(cleanups, { store: before.store });
    const gamma = await w.connect('Gamma');
    w.accounts.update(beta.account.id, { enabled: false });

    expect(w.portals.list().map((account) => [account.name, account.enabled])).toEqual([
      ['Acme', true],
      ['Beta', false],
      ['Gamma', true],
    ]);
    await w.portals.startAll();
    expect(names(w)).toEqual(['Gamma']);
    // Only Acme is reported: Beta is off, so its secret was never asked for.
    expect(w.errors.map((entry) => entry.accountId)).toEqual([acme.account.id]);
    expect(gamma.account.id).not.toBe(acme.account.id);
  });

  it('says a portal that already runs is running, and leaves it as it was', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    await expect(w.portals.start(account)).resolves.toBe(true);
    await expect(w.portals.start(account)).resolves.toBe(true);
    await w.portals.startConnected(account);
    expect(names(w)).toEqual(['Acme']);
    expect(timesGone(w.published, account.id)).toBe(0);
    expect(w.errors).toEqual([]);
  });

  it('does not start a portal turned off while its secret was being opened, and says so without an error', async () => {
    const keychain = lateKeychain();
    const w = await portalsWorld(cleanups, { createEngine: keychain.createEngine });
    const { account } = await w.connect('Acme');
    const starting = w.portals.start(account);
    w.accounts.update(account.id, { enabled: false });
    keychain.open();
    await expect(starting).resolves.toBe(false);
    expect(names(w)).toEqual([]);
    expect(w.errors).toEqual([]);
  });

  it('lets the connect flow finish quietly when the new portal was removed while its secret was being opened', async () => {
    const keychain = lateKeychain();
    const w = await portalsWorld(cleanups, { createEngine: keychain.createEngine });
    const { account } = await w.connect('Acme');
    const starting = w.portals.startConnected(account);
    await w.portals.remove(account.id);
    keychain.open();
    await expect(starting).resolves.toBeUndefined();
    const alsoRemoved = (await w.connect('Beta')).account;
    const again = w.portals.start(alsoRemoved);
    await w.portals.remove(alsoRemoved.id);
    await expect(again).resolves.toBe(false);
    expect(w.errors).toEqual([]);
    expect(names(w)).toEqual([]);
  });
});

describe('changing a running portal', () => {
  it('shows a new name or colour at once, keeps the portal running, and keeps the other label as it was', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    await w.portals.start(account);

    await w.portals.update(account.id, { name: 'Acme HQ' });
    expect(w.hub.snapshot().accounts).toEqual([expect.objectContaining({ name: 'Acme HQ', color: account.color })]);
    await w.portals.update(account.id, { color: '#123abc' });
    expect(w.hub.snapshot().accounts).toEqual([expect.objectContaining({ name: 'Acme HQ', color: '#123abc' })]);
    expect(w.accounts.get(account.id)).toMatchObject({ name: 'Acme HQ', color: '#123abc' });
    // Renaming is not a restart: the window never saw the portal go.
    expect(timesGone(w.published, account.id)).toBe(0);
  });

  it('sends the window nothing new when only a muted category changes (the card shows no categories)', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    await w.portals.start(account);
    const sent = w.published.length;
    await w.portals.update(account.id, { mutedCategories: ['tasks|comment'] });
    expect(w.published.length).toBe(sent);
    expect(w.portals.isMuted(account.id, 'tasks|comment')).toBe(true);
  });

  it('starts the portal again when instant delivery is switched, and keeps it running', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    await w.portals.start(account);
    await w.portals.update(account.id, { instant: false });
    // The engine is rebuilt with (or without) its push channel: the portal left the list and came back.
    expect(timesGone(w.published, account.id)).toBe(1);
    expect(names(w)).toEqual(['Acme']);
    expect(w.accounts.get(account.id)?.instant).toBe(false);
    await w.portals.update(account.id, { instant: true });
    expect(timesGone(w.published, account.id)).toBe(2);
    expect(names(w)).toEqual(['Acme']);
  });

  it('starts a portal turned on together with an instant-delivery change once, not twice', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    await w.portals.update(account.id, { enabled: false });
    await w.portals.update(account.id, { enabled: true, instant: false });
    expect(names(w)).toEqual(['Acme']);
    expect(timesGone(w.published, account.id)).toBe(0);
  });

  it('does not start a stopped portal when only its instant delivery changes', async () => {
    const w = await portalsWorld(cleanups);
    const { account } = await w.connect('Acme');
    await w.portals.update(account.id, { enabled: false });
    await w.portals.update(account.id, { instant: false });
    expect(names(w)).toEqual([]);
  });
});
