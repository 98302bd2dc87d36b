/**
 * What connecting a webhook tells the window and the log, against the simulator on loopback: the
 * refusal's kind, words and details (the window shows them in the user's language), the `scope`
 * answer read as a list of names (shared/docs/bitrix24-notify-api.md §7: `scope` lists the
 * webhook's permissions), one inbox per portal and user, no connection left open to a portal
 * that was refused, and the log lines of a connection over plain HTTP.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { AccountStore } from '../../main/core/accounts/account-store';
import { ConnectError, connectWebhook } from '../../main/core/app/connect';
import { NotificationHub } from '../../main/core/app/hub';
import type { PortalClientOptions, PortalLogLevel } from '../../main/core/portal/client';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { makeLoopbackCertificate } from '../harness/test-cert';
import { rejection } from '../harness/waits';
import { startPortalSim, type PortalSim, type PortalSimOptions } from '../portal-sim';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface World {
  portal: PortalSim;
  accounts: AccountStore;
  lines: { level: PortalLogLevel; message: string }[];
  connect: (url: string, options?: { allowHttp?: boolean }) => Promise<Awaited<ReturnType<typeof connectWebhook>>>;
}

async function world(options: PortalSimOptions = {}, clientOptions: Partial<PortalClientOptions> = {}): Promise<World> {
  const portal = await startPortalSim(options);
  const storage = tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  cleanups.push(() => portal.close(), () => hub.stopAll());
  const lines: World['lines'] = [];
  const log = (level: PortalLogLevel, message: string): void => void lines.push({ level, message });
  const deps = connectDeps({ accounts, hub, storage, clientOptions: { log, ...clientOptions } });
  return { portal, accounts, lines, connect: (url, connectOptions) => connectWebhook(url, deps, connectOptions) };
}

const refusal = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, ConnectError);

describe('a webhook without the im permission', () => {
  it('is refused as missing-im, naming what the webhook has, for the window to say', async () => {
    const { portal, connect, accounts } = await world({ scopes: ['crm', 'user'] });
    const error = await refusal(connect(portal.webhookUrl));
    expect(error.name).toBe('ConnectError');
    expect(error).toMatchObject({ reason: 'missing-im', details: { scopes: 'crm, user' } });
    expect(error.message).toBe('This webhook lacks the “im” (Chat and Notifications) permission — it has: crm, user. Add it in Bitrix24 and connect again.');
    expect(accounts.list()).toEqual([]);
  });

  it('with no permission at all, says so without an empty list', async () => {
    const { portal, connect } = await world({ scopes: [] });
    const error = await refusal(connect(portal.webhookUrl));
    expect(error).toMatchObject({ reason: 'missing-im', details: { scopes: '' } });
    expect(error.message).toBe('This webhook lacks the “im” (Chat and Notifications) permission. Add it in Bitrix24 and connect again.');
  });

  it('reads only names from the scope answer: anything else in it, or an answer that is no list, grants nothing', async () => {
    const { portal, connect } = await world();
    const answer = (result: unknown): void => portal.injectFault({ kind: 'status', status: 200, body: JSON.stringify({ result }), contentType: 'application/json' }, { restMethod: 'scope' });
    answer(['crm', 7, null, { im: true }]);
    expect(await refusal(connect(portal.webhookUrl))).toMatchObject({ reason: 'missing-im', details: { scopes: 'crm' }, message: expect.stringContaining('it has: crm. Add it') });
    answer({ im: true });
    const notAList = await refusal(connect(portal.webhookUrl));
    expect(notAList).toMatchObject({ reason: 'missing-im', details: { scopes: '' } });
    expect(notAList.message).not.toContain('it has');
  });

  it('leaves no connection open to the portal once refused', async () => {
    const { portal, connect } = await world({ scopes: ['crm'] });
    const port = Number(new URL(portal.origin).port);
    const toPortal: Socket[] = [];
    const onSocket = (message: unknown): void => {
      const { socket } = message as { socket: Socket };
      socket.once('connect', () => socket.remotePort === port && toPortal.push(socket));
    };
    subscribe('net.client.socket', onSocket);
    cleanups.push(() => void unsubscribe('net.client.socket', onSocket));
    await refusal(connect(portal.webhookUrl));
    expect(toPortal.length).toBeGreaterThan(0);
    expect(toPortal.filter((socket) => !socket.destroyed)).toEqual([]);
  });
});

describe('what else is refused before anything is stored', () => {
  it('a portal’s bare address is not-a-webhook', async () => {
    const { portal, connect, accounts } = await world();
    expect(await refusal(connect(portal.origin))).toMatchObject({ reason: 'not-a-webhook', message: expect.stringMatching(/portal’s address, not a webhook/) });
    expect(portal.requestLog).toEqual([]);
    expect(accounts.list()).toEqual([]);
  });

  it('a failure of the app’s own network set-up (the proxy router) is passed on as it is, not as a portal refusal', async () => {
    const broken = new Error('the proxy configuration script failed');
    const { portal, connect, accounts } = await world({}, { dispatcherFactory: () => Promise.reject(broken) });
    await expect(connect(portal.webhookUrl)).rejects.toBe(broken);
    expect(accounts.list()).toEqual([]);
  });

  it('the same portal and user again is already-connected, naming the connection; another user of that portal is another inbox', async () => {
    const { portal, connect, accounts } = await world();
    // A colleague's webhook on the same portal, connected earlier (user 2; the simulator's is user 1).
    const colleague = await accounts.add({ name: 'Colleague', auth: 'webhook', origin: portal.origin, webhookUserId: portal.userId + 1, code: 'colleaguecode1' });
    const mine = await connect(portal.webhookUrl);
    expect(accounts.list().map((account) => account.id)).toEqual([colleague.id, mine.id]);
    const requests = portal.requestLog.filter((entry) => entry.restMethod === 'scope').length;
    const again = await refusal(connect(`${portal.origin}/rest/${portal.userId}/othercode5678/`));
    expect(again).toMatchObject({ reason: 'already-connected', details: { name: mine.name } });
    expect(again.message).toBe(`This portal and user are already connected as “${mine.name}”. To give it a new webhook, use Reconnect in its card in Settings.`);
    expect(portal.requestLog.filter((entry) => entry.restMethod === 'scope')).toHaveLength(requests);
  });
});

describe('the log of a connection', () => {
  it('names the connected portal and its account, and warns when the user chose plain HTTP', async () => {
    const { portal, connect, lines } = await world();
    const account = await connect(portal.webhookUrl, { allowHttp: true });
    expect(account.allowHttp).toBe(true);
    expect(lines).toContainEqual({ level: 'info', message: `connected ${account.name} (webhook) as account ${account.id}` });
    expect(lines).toContainEqual({ level: 'warn', message: `${account.name} is connected over unencrypted HTTP, as the user chose: its webhook code travels in clear` });
  });

  it('gives no such warning when plain HTTP was not chosen', async () => {
    const { portal, connect, lines } = await world();
    await connect(portal.webhookUrl);
    expect(lines.filter((line) => line.message.includes('unencrypted'))).toEqual([]);
  });

  it('over https the choice of plain HTTP changes nothing: nothing stored, nothing warned', async () => {
    const { key, cert } = makeLoopbackCertificate();
    const agent = new Agent({ connect: { ca: cert } });
    cleanups.push(() => agent.close());
    const { portal, connect, lines } = await world({ tls: { key, cert } }, { dispatcherFactory: () => Promise.resolve({ dispatcher: agent }) });
    expect(portal.origin).toMatch(/^https:/);
    const account = await connect(portal.webhookUrl, { allowHttp: true });
    expect(account.allowHttp).toBeUndefined();
    expect(lines.filter((line) => line.message.includes('unencrypted'))).toEqual([]);
  });

  it('connects as well when the app gives no log at all', async () => {
    const portal = await startPortalSim();
    const storage = tempStorage().open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const hub = new NotificationHub();
    cleanups.push(() => portal.close(), () => hub.stopAll());
    const deps = connectDeps({ accounts, hub, storage, clientOptions: { maxAttempts: 1 } });
    await expect(connectWebhook(portal.webhookUrl, deps, { allowHttp: true })).resolves.toMatchObject({ allowHttp: true });
    expect(accounts.list()).toHaveLength(1);
  });
});
