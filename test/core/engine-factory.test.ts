/**
 * How a stored portal comes to life (start-accounts.ts engineFactory), seen from the portal and the
 * app: the poll interval the settings give, the log, instant delivery only for a webhook portal
 * that allows it and only on the app's own route (issue 16; the push server and `pull.config.get`
 * of the simulator, push-config.ts), the push channel's ids taught to the log's redactor, a proxy
 * route change reopening the socket, and an OAuth server's new REST address kept (client_endpoint,
 * real-portal-notes §2).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore, type AccountConfig } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import { NotificationHub } from '../../main/core/app/hub';
import { engineFactory, type EngineFactoryOptions } from '../../main/core/app/start-accounts';
import { LogRedactor } from '../../main/core/log/redact';
import type { PortalLogLevel } from '../../main/core/portal/client';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { clockedPortal } from '../harness/clocked-portal';
import { tempStorage } from '../harness/engine-harness';
import { pollUntil } from '../harness/processes';
import { startPushPortal } from '../harness/push-portal';
import type { PortalSim } from '../portal-sim';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Store, hub and service around `options`; `run` starts one stored account and waits for its first poll. */
function app(options: EngineFactoryOptions = {}): { accounts: AccountStore; hub: NotificationHub; run: (account: AccountConfig) => Promise<void> } {
  const storage = tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  cleanups.push(() => hub.stopAll());
  const portals = new AccountsService({ accounts, hub, storage, createEngine: engineFactory(accounts, storage, options) });
  const run = async (account: AccountConfig): Promise<void> => {
    const polled = new Promise<void>((resolve) => {
      const off = hub.on('polled', (id) => id === account.id && (off(), resolve()));
    });
    await portals.startConnected(account);
    await polled;
  };
  return { accounts, hub, run };
}

const asked = (portal: PortalSim, method: string): number => portal.requestLog.filter((entry) => entry.restMethod === method).length;

async function pushPortal() {
  const open: { close(): Promise<void> | void }[] = [];
  cleanups.push(async () => {
    for (const item of open.reverse()) await item.close();
  });
  const { portal, push, agent } = await startPushPortal(open);
  return { portal, push, dispatcherFactory: () => Promise.resolve({ dispatcher: agent }) };
}

describe('the poll interval', () => {
  it('is the one the settings give when the portal starts', async () => {
    const w = await clockedPortal(cleanups, { pollIntervalMs: () => 10_000 });
    await w.pollAfter(() => w.clock.advance(10_000));
    expect(w.polls()).toBe(2);
  });
});

describe('instant delivery', () => {
  it('a webhook portal opens its push channel on the app’s route; the log hears the client and the channel, and learns its ids', async () => {
    const { portal, push, dispatcherFactory } = await pushPortal();
    const lines: { level: PortalLogLevel; message: string }[] = [];
    const redactor = new LogRedactor();
    let routeChanged: ((origin: string) => void) | undefined;
    const { accounts, hub, run } = app({
      log: (level, message) => void lines.push({ level, message }),
      clientOptions: { dispatcherFactory, registerSecret: (secret) => redactor.add(secret) },
      onRouteChange: (listener) => {
        routeChanged = listener;
        return () => (routeChanged = undefined);
      },
    });
    await run(await accounts.add({ name: 'Acme', auth: 'webhook', origin: portal.origin, webhookUserId: portal.userId, code: portal.webhookCode }));
    await pollUntil(() => hub.snapshot().accounts[0]?.state.instant === 'on' && push.openSockets === 1, 'instant delivery on');
    expect(lines).toContainEqual({ level: 'debug', message: expect.stringMatching(/^POST .* → HTTP 200/) });
    expect(lines).toContainEqual({ level: 'info', message: expect.stringMatching(/^push: /) });
    expect(redactor.redact(`joined ${push.privateChannelId}`)).not.toContain(push.privateChannelId);

    // The proxy settings changed the route to this portal: the socket is opened again on it.
    expect(push.connectQueries).toHaveLength(1);
    routeChanged?.(portal.origin);
    await pollUntil(() => push.connectQueries.length === 2 && push.openSockets === 1, 'the socket reopened');
  });

  it('a webhook portal with instant delivery turned off polls only', async () => {
    const { portal, push, dispatcherFactory } = await pushPortal();
    const { accounts, hub, run } = app({ clientOptions: { dispatcherFactory } });
    const account = await accounts.add({ name: 'Acme', auth: 'webhook', origin: portal.origin, webhookUserId: portal.userId, code: portal.webhookCode });
    await run(accounts.update(account.id, { instant: false }));
    expect(asked(portal, 'im.notify.get')).toBeGreaterThan(0);
    expect(asked(portal, 'pull.config.get')).toBe(0);
    expect(push.connectQueries).toEqual([]);
    expect(hub.snapshot().accounts[0]?.state.instant).toBeUndefined();
  });

  it('an OAuth portal never asks for a push channel (pull.config.get is for webhooks only)', async () => {
    const { portal, push, dispatcherFactory } = await pushPortal();
    const { accounts, hub, run } = app({ clientOptions: { dispatcherFactory } });
    const account = await accounts.add({ name: 'Signed in', auth: 'oauth', origin: portal.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret', tokens: portal.issueTokens(), tokenUrl: portal.tokenUrl });
    expect(account.instant).toBe(true);
    await run(account);
    expect(asked(portal, 'im.notify.get')).toBeGreaterThan(0);
    expect(asked(portal, 'pull.config.get')).toBe(0);
    expect(push.connectQueries).toEqual([]);
    // Its card has no instant-delivery line at all.
    expect(hub.snapshot().accounts[0]?.state.instant).toBeUndefined();
  });
});

describe('an OAuth portal that moved', () => {
  it('keeps the REST address its OAuth server named on renewal', async () => {
    const { portal } = await pushPortal();
    const { accounts, run } = app();
    const account = await accounts.add({ name: 'Signed in', auth: 'oauth', origin: portal.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret', tokens: portal.issueTokens(), tokenUrl: portal.tokenUrl });
    const moved = `http://localhost:${new URL(portal.origin).port}`;
    portal.setClientEndpoint(`${moved}/rest/`);
    portal.expireAccessTokens();
    await run(account);
    await pollUntil(() => accounts.get(account.id)?.origin === moved, 'the new address stored');
  });
});
