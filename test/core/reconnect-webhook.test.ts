/**
 * Reconnect (a portal's card in Settings): a connected webhook portal gets a new webhook URL. Only
 * the same portal and user are accepted, the portal is asked for `im` again with the app's own
 * client options (its proxy and CA trust), and a box the user allowed plain HTTP keeps that
 * choice (issue 12: REST_APAUTH_ALLOW_HTTP, MOD rest/lib/apauth/auth.php:50, real-portal-notes §2).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { AccountStore, type AccountConfig } from '../../main/core/accounts/account-store';
import { ConnectError, reconnectWebhook } from '../../main/core/app/connect';
import { NotificationHub } from '../../main/core/app/hub';
import type { PortalClientOptions, PortalLogLevel } from '../../main/core/portal/client';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { namedHostAgent } from '../harness/named-host';
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
  reconnect: (accountId: string, url: string) => Promise<AccountConfig>;
}

async function world(simOptions: PortalSimOptions = {}, clientOptions: Partial<PortalClientOptions> = { log: () => undefined }): Promise<World> {
  const portal = await startPortalSim(simOptions);
  const storage = tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  cleanups.push(() => portal.close(), () => hub.stopAll());
  const lines: World['lines'] = [];
  const heard = clientOptions.log ? { log: (level: PortalLogLevel, message: string) => void lines.push({ level, message }) } : {};
  const deps = connectDeps({ accounts, hub, storage, clientOptions: { ...clientOptions, ...heard } });
  return { portal, accounts, lines, reconnect: (accountId, url) => reconnectWebhook(accountId, url, deps) };
}

/** The portal's webhook as stored before the user deleted it on the portal. */
function storeOldWebhook(w: World, extra: { origin?: string; allowHttp?: boolean } = {}): Promise<AccountConfig> {
  return w.accounts.add({ name: 'Office', auth: 'webhook', origin: extra.origin ?? w.portal.origin, webhookUserId: w.portal.userId, code: 'oldcode12345', ...(extra.allowHttp ? { allowHttp: true } : {}) });
}

const refusal = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, ConnectError);

describe('reconnectWebhook refuses', () => {
  it('a portal that is not connected (any more): other-portal, telling the user to sign in again', async () => {
    const w = await world();
    const error = await refusal(w.reconnect('no-such-account', w.portal.webhookUrl));
    expect(error).toMatchObject({ reason: 'other-portal', message: 'This portal is not connected by a webhook; sign in to it again instead.' });
    expect(w.portal.requestLog).toEqual([]);
  });

  it('an OAuth portal: it is signed in to again, not given a webhook', async () => {
    const w = await world();
    const pair = w.portal.issueTokens();
    const oauth = await w.accounts.add({ name: 'Signed in', auth: 'oauth', origin: w.portal.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret', tokens: pair, tokenUrl: w.portal.tokenUrl });
    expect(await refusal(w.reconnect(oauth.id, w.portal.webhookUrl))).toMatchObject({ reason: 'other-portal', message: expect.stringMatching(/not connected by a webhook; sign in to it again/) });
    await expect(w.accounts.credentials(oauth.id)).resolves.toMatchObject({ kind: 'oauth' });
  });

  it('another user’s webhook on the same portal, naming the card and its host', async () => {
    const w = await world();
    const account = await storeOldWebhook(w);
    const host = new URL(w.portal.origin).host;
    const error = await refusal(w.reconnect(account.id, `${w.portal.origin}/rest/${w.portal.userId + 1}/newcode67890/`));
    expect(error).toMatchObject({ reason: 'other-portal', details: { name: 'Office', host } });
    expect(error.message).toBe(`This webhook belongs to another portal or user than “Office”. Paste a webhook of the same user on ${host}, or add it as a new portal.`);
    await expect(w.accounts.credentials(account.id)).resolves.toMatchObject({ code: 'oldcode12345' });
  });

  it('plain http to a remote host for a portal that was never allowed it', async () => {
    const w = await world();
    const account = await storeOldWebhook(w);
    expect(await refusal(w.reconnect(account.id, 'http://box.example.com/rest/1/newcode67890/'))).toMatchObject({ reason: 'https-required' });
  });

  it('on a box allowed plain HTTP, an http webhook of another user is another inbox, not an https problem', async () => {
    const w = await world();
    const boxOrigin = `http://box.example.com:${new URL(w.portal.origin).port}`;
    const account = await storeOldWebhook(w, { origin: boxOrigin, allowHttp: true });
    const error = await refusal(w.reconnect(account.id, `${boxOrigin}/rest/${w.portal.userId + 1}/newcode67890/`));
    expect(error).toMatchObject({ reason: 'other-portal', details: { name: 'Office', host: new URL(boxOrigin).host } });
  });

  it('a new webhook without im, in the words used at connect', async () => {
    const w = await world({ scopes: ['crm'] });
    const account = await storeOldWebhook(w);
    const error = await refusal(w.reconnect(account.id, w.portal.webhookUrl));
    expect(error).toMatchObject({ reason: 'missing-im', message: expect.stringMatching(/^This webhook lacks the “im”.*it has: crm\./) });
  });
});

describe('reconnectWebhook accepts', () => {
  it('over https with the app’s CA trust, and logs the reconnection', async () => {
    const { key, cert } = makeLoopbackCertificate();
    const agent = new Agent({ connect: { ca: cert } });
    cleanups.push(() => agent.close());
    const w = await world({ tls: { key, cert } }, { dispatcherFactory: () => Promise.resolve({ dispatcher: agent }), log: () => undefined });
    const account = await storeOldWebhook(w);
    const updated = await w.reconnect(account.id, w.portal.webhookUrl);
    await expect(w.accounts.credentials(account.id)).resolves.toMatchObject({ code: w.portal.webhookCode });
    expect(w.lines).toContainEqual({ level: 'info', message: `reconnected Office (webhook) as account ${updated.id}` });
    expect(w.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  it('over https for a box that was allowed plain HTTP: the consent to plain HTTP ends with the http address', async () => {
    const { key, cert } = makeLoopbackCertificate();
    const agent = new Agent({ connect: { ca: cert } });
    cleanups.push(() => agent.close());
    const w = await world({ tls: { key, cert } }, { dispatcherFactory: () => Promise.resolve({ dispatcher: agent }), log: () => undefined });
    const account = await storeOldWebhook(w, { origin: w.portal.origin.replace('https:', 'http:'), allowHttp: true });
    const updated = await w.reconnect(account.id, w.portal.webhookUrl);
    expect(updated.origin).toBe(w.portal.origin);
    expect(updated.allowHttp).toBeUndefined();
    expect(w.accounts.get(account.id)?.allowHttp).toBeUndefined();
  });

  it('the same user’s new webhook on a box allowed plain HTTP, reached by its name', async () => {
    const { agent, dispatcherFactory } = namedHostAgent('box.example.com');
    cleanups.push(() => agent.close());
    const w = await world({}, { dispatcherFactory, log: () => undefined });
    const boxOrigin = `http://box.example.com:${new URL(w.portal.origin).port}`;
    const account = await storeOldWebhook(w, { origin: boxOrigin, allowHttp: true });
    const updated = await w.reconnect(account.id, `${boxOrigin}/rest/${w.portal.userId}/${w.portal.webhookCode}/`);
    expect(updated).toMatchObject({ id: account.id, origin: boxOrigin, allowHttp: true });
    await expect(w.accounts.credentials(account.id)).resolves.toMatchObject({ code: w.portal.webhookCode, allowHttp: true });
    expect(w.portal.requestLog.filter((entry) => entry.restMethod === 'scope')).toHaveLength(1);
    // As at connect: the log says the code now travels in clear, by the user's choice.
    expect(w.lines).toContainEqual({ level: 'warn', message: 'Office is reconnected over unencrypted HTTP, as the user chose: its webhook code travels in clear' });
  });

  it('without any log given by the app', async () => {
    const w = await world({}, { maxAttempts: 1 });
    const account = await storeOldWebhook(w);
    await expect(w.reconnect(account.id, w.portal.webhookUrl)).resolves.toMatchObject({ id: account.id });
    await expect(w.accounts.credentials(account.id)).resolves.toMatchObject({ code: w.portal.webhookCode });
  });

  it('without any log given by the app, a box allowed plain HTTP too (nothing to warn into)', async () => {
    const w = await world({}, { maxAttempts: 1 });
    const account = await storeOldWebhook(w, { allowHttp: true });
    await expect(w.reconnect(account.id, w.portal.webhookUrl)).resolves.toMatchObject({ id: account.id, allowHttp: true });
  });
});
