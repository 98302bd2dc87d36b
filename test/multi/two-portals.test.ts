/**
 * Two portals at once, each a real simulator on loopback, through the real account store, hub,
 * engines and popup presenter (a recording notifier stands in for the OS): equal notification ids
 * on both, clicks routed to the right portal exactly once, one portal failing while the other
 * keeps working, muted categories, disabling, and removal with its pending answers.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore, type AccountConfig } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import { NotificationHub } from '../../main/core/app/hub';
import { engineFactory } from '../../main/core/app/start-accounts';
import type { AccountState } from '../../main/core/engine/state';
import { PopupPresenter } from '../../main/core/notifier/popup-presenter';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { tempStorage, type TempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { FakeNotifier } from '../harness/fake-notifier';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Portal {
  sim: PortalSim;
  account: AccountConfig;
}

interface World {
  clock: FakeClock;
  store: TempStorage;
  accounts: AccountStore;
  hub: NotificationHub;
  portals: AccountsService;
  notifier: FakeNotifier;
  opened: unknown[];
  acme: Portal;
  beta: Portal;
}

async function world(): Promise<World> {
  const clock = new FakeClock(new Date(2026, 2, 3, 12, 0).getTime());
  const store = tempStorage();
  const storage = store.open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  const portals = new AccountsService({
    accounts,
    hub,
    storage,
    createEngine: engineFactory(accounts, storage, { clock, clientOptions: { clock, maxAttempts: 1 } }),
  });
  const notifier = new FakeNotifier();
  const opened: unknown[] = [];
  const presenter = new PopupPresenter({
    hub,
    notifier,
    clock,
    settings: () => ({ doNotDisturb: { mode: 'off' }, sound: false }),
    openWindow: (target) => opened.push(target),
    isMuted: (accountId, settingName) => portals.isMuted(accountId, settingName),
  });
  const connect = async (name: string): Promise<Portal> => {
    const sim = await startPortalSim({ now: () => clock.now() });
    const account = await accounts.add({ name, auth: 'webhook', origin: sim.origin, webhookUserId: sim.userId, code: sim.webhookCode });
    return { sim, account };
  };
  const acme = await connect('Acme');
  const beta = await connect('Beta');
  cleanups.push(async () => {
    presenter.dispose();
    await hub.stopAll();
    await acme.sim.close();
    await beta.sim.close();
  });
  return { clock, store, accounts, hub, portals, notifier, opened, acme, beta };
}

function engineOf(hub: NotificationHub, accountId: string): AccountState {
  const account = hub.snapshot().accounts.find((entry) => entry.accountId === accountId);
  if (!account) throw new Error(`no account ${accountId} in the hub`);
  return account.state;
}

/** Resolves when each named portal (all running ones by default) has finished one exchange after `act`. */
async function afterExchanges(hub: NotificationHub, act: () => unknown, accountIds = hub.snapshot().accounts.map((a) => a.accountId)): Promise<void> {
  const pending = accountIds.map(
    (accountId) =>
      new Promise<void>((resolve) => {
        const off = hub.on('polled', (id) => {
          if (id !== accountId) return;
          off();
          resolve();
        });
      }),
  );
  await act();
  await Promise.all(pending);
}

async function startBoth(w: World): Promise<void> {
  await afterExchanges(w.hub, () => w.portals.startAll(), [w.acme.account.id, w.beta.account.id]);
}

async function pollBoth(w: World, accountIds?: string[]): Promise<void> {
  await afterExchanges(w.hub, () => w.clock.advance(30_000), accountIds);
}

function confirmsAt(sim: PortalSim): { id: number; value: string }[] {
  return sim.confirmLog.map(({ id, value }) => ({ id, value }));
}

describe('two portals at once', () => {
  it('keeps equal ids apart: each popup names its portal and each click confirms on its own portal exactly once', async () => {
    const w = await world();
    await startBoth(w);
    const onAcme = w.acme.sim.addConfirm({ title: 'Join Marketing?', text: 'Acme invitation' });
    const onBeta = w.beta.sim.addConfirm({ title: 'Meeting at 3?', text: 'Beta invitation' });
    expect(onAcme.id).toBe(onBeta.id);
    await pollBoth(w);

    const acmeKey = `${w.acme.account.id}:${onAcme.id}`;
    const betaKey = `${w.beta.account.id}:${onBeta.id}`;
    expect(w.notifier.shown.get(acmeKey)?.title).toBe('Acme: Join Marketing?');
    expect(w.notifier.shown.get(betaKey)?.title).toBe('Beta: Meeting at 3?');

    // A press on Beta's popup reaches Beta only.
    const betaValue = w.notifier.shown.get(betaKey)!.buttons[0]!.value;
    await afterExchanges(w.hub, () => w.notifier.press(betaKey, betaValue), [w.beta.account.id]);
    expect(confirmsAt(w.beta.sim)).toEqual([{ id: onBeta.id, value: betaValue }]);
    expect(confirmsAt(w.acme.sim)).toEqual([]);

    // A click in the window on Acme's item reaches Acme only.
    const acmeValue = engineOf(w.hub, w.acme.account.id).inbox[0]!.buttons.at(-1)!.value;
    const outcome = await w.hub.confirm(w.acme.account.id, onAcme.id, acmeValue, 'window');
    expect(outcome.status).toBe('done');
    expect(confirmsAt(w.acme.sim)).toEqual([{ id: onAcme.id, value: acmeValue }]);
    expect(confirmsAt(w.beta.sim)).toEqual([{ id: onBeta.id, value: betaValue }]);

    // Later polls send nothing again.
    await pollBoth(w);
    await pollBoth(w);
    expect(w.acme.sim.confirmLog).toHaveLength(1);
    expect(w.beta.sim.confirmLog).toHaveLength(1);
  });

  it('lets one portal fail with 503s and then auth errors while the other keeps delivering and confirming', async () => {
    const w = await world();
    await startBoth(w);
    w.acme.sim.injectFault({ kind: 'error', code: 'INTERNAL_SERVER_ERROR', status: 503 }, { times: Infinity });

    const invite = w.beta.sim.addConfirm({ title: 'Beta invite', text: 'Still here' });
    await pollBoth(w);
    expect(engineOf(w.hub, w.acme.account.id).connection.status).toBe('error');
    expect(engineOf(w.hub, w.beta.account.id).connection.status).toBe('ok');
    expect(w.notifier.shown.has(`${w.beta.account.id}:${invite.id}`)).toBe(true);

    const outcome = await w.hub.confirm(w.beta.account.id, invite.id, engineOf(w.hub, w.beta.account.id).inbox[0]!.buttons[0]!.value, 'window');
    expect(outcome.status).toBe('done');
    expect(w.beta.sim.confirmLog).toHaveLength(1);

    // Now Acme's webhook is revoked: auth errors stop its polling until the user acts.
    w.acme.sim.clearFaults();
    w.acme.sim.injectFault({ kind: 'error', code: 'INVALID_CREDENTIALS', status: 401 }, { times: Infinity });
    await afterExchanges(w.hub, () => w.hub.pollNow(w.acme.account.id), [w.acme.account.id]);
    expect(engineOf(w.hub, w.acme.account.id).connection.status).toBe('auth-needed');
    const later = w.beta.sim.addPersonal({ text: 'Beta keeps going' });
    await afterExchanges(w.hub, () => w.clock.advance(5 * 60_000), [w.beta.account.id]);
    expect(engineOf(w.hub, w.beta.account.id).inbox.map((item) => item.id)).toContain(later.id);
    expect(w.hub.snapshot().accounts.map((account) => account.state.connection.status)).toEqual(['auth-needed', 'ok']);
  });

  it('lets a muted category into the inbox and the count, never into a popup; other categories still pop up', async () => {
    const w = await world();
    await w.portals.update(w.acme.account.id, { mutedCategories: ['tasks|comment'] });
    await startBoth(w);
    const muted = w.acme.sim.addPersonal({ text: 'New comment in task 12', module: 'tasks', event: 'comment' });
    const loud = w.acme.sim.addPersonal({ text: 'You are invited', module: 'calendar', event: 'invite' });
    const sameCategoryElsewhere = w.beta.sim.addPersonal({ text: 'Beta comment', module: 'tasks', event: 'comment' });
    await pollBoth(w);

    const acme = engineOf(w.hub, w.acme.account.id);
    expect(acme.inbox.map((item) => item.id).sort()).toEqual([muted.id, loud.id].sort());
    expect(acme.unreadCount).toBe(2);
    const popupText = w.notifier.history.map((popup) => `${popup.key} ${popup.title} ${popup.body}`).join('\n');
    expect(popupText).not.toContain('New comment in task 12');
    expect(w.notifier.history.some((popup) => popup.key === `${w.acme.account.id}:${loud.id}`)).toBe(true);
    // Muting is per portal: Beta's comment in the same category still pops up.
    expect(w.notifier.history.some((popup) => popup.key === `${w.beta.account.id}:${sameCategoryElsewhere.id}`)).toBe(true);
  });

  it('names categories from im.notify.schema.get, with ones only seen in the inbox added', async () => {
    const w = await world();
    await startBoth(w);
    w.acme.sim.addPersonal({ text: 'From a custom module', module: 'crm', event: 'mention' });
    await pollBoth(w);
    const categories = await w.portals.categories(w.acme.account.id);
    expect(categories).toEqual(expect.arrayContaining([{ id: 'calendar|invite', moduleName: 'Calendar', name: 'Meeting invitations' }, { id: 'crm|mention', moduleName: 'crm', name: 'crm|mention' }]));
    expect(w.acme.sim.requestLog.some((entry) => entry.restMethod === 'im.notify.schema.get')).toBe(true);
  });

  it('disables a portal (no more requests) and enables it again', async () => {
    const w = await world();
    await startBoth(w);
    await w.portals.update(w.acme.account.id, { enabled: false });
    expect(w.hub.snapshot().accounts.map((account) => account.name)).toEqual(['Beta']);
    const before = w.acme.sim.requestLog.length;
    await pollBoth(w, [w.beta.account.id]);
    await pollBoth(w, [w.beta.account.id]);
    expect(w.acme.sim.requestLog.length).toBe(before);

    await afterExchanges(w.hub, () => w.portals.update(w.acme.account.id, { enabled: true }), [w.acme.account.id]);
    // Back in its place in the user's order.
    expect(w.hub.snapshot().accounts.map((account) => account.name)).toEqual(['Acme', 'Beta']);
    expect(w.acme.sim.requestLog.length).toBe(before + 1);
  });

  it('lists pending answers before removal, then deletes exactly that portal’s secret and outbox', async () => {
    const w = await world();
    await startBoth(w);
    const invite = w.acme.sim.addConfirm({ title: 'Join Sales?', text: 'Acme invitation' });
    await pollBoth(w);
    // Acme goes down: the answer waits in the outbox.
    w.acme.sim.injectFault({ kind: 'drop' }, { times: Infinity });
    const accept = engineOf(w.hub, w.acme.account.id).inbox[0]!.buttons[0]!;
    void w.hub.confirm(w.acme.account.id, invite.id, accept.value, 'window');
    await afterExchanges(w.hub, () => undefined, [w.acme.account.id]);

    expect(w.portals.pendingActions(w.acme.account.id)).toEqual([expect.objectContaining({ notificationId: invite.id, kind: 'confirm', value: accept.label, title: 'Join Sales?' })]);
    expect(w.portals.pendingActions(w.beta.account.id)).toEqual([]);

    const acmeId = w.acme.account.id;
    await w.portals.remove(acmeId);
    const file = readFileSync(w.store.filePath, 'utf8');
    expect(Object.keys(JSON.parse(file) as object).filter((key) => key.includes(acmeId))).toEqual([]);
    expect(file).not.toContain(w.acme.sim.webhookCode);
    await expect(w.accounts.credentials(acmeId)).rejects.toThrow();
    await expect(w.accounts.credentials(w.beta.account.id)).resolves.toMatchObject({ code: w.beta.sim.webhookCode });
    expect(() => w.hub.pollNow(acmeId)).toThrow(/not connected/);

    // Nothing more reaches the removed portal, even once it is back; the other keeps polling.
    w.acme.sim.clearFaults();
    const before = w.acme.sim.requestLog.length;
    await pollBoth(w, [w.beta.account.id]);
    expect(w.acme.sim.requestLog.length).toBe(before);
    expect(w.acme.sim.confirmLog).toEqual([]);
  });
});
