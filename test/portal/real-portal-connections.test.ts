/**
 * Connections as real portals answer them (issue 12, real-portal-notes §2–§3): what the connect
 * form says about what was typed, the same portal and user connected twice, "Https required.",
 * a batch sub-call over its operating limit, and the 60 s cap on one request.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { ConnectError, connectWebhook, reconnectWebhook } from '../../main/core/app/connect';
import { NotificationHub } from '../../main/core/app/hub';
import { MAX_REQUEST_TIMEOUT_MS, PortalClient, httpLimitsFor } from '../../main/core/portal/client';
import { PortalError } from '../../main/core/portal/errors';
import { parsePortalInput } from '../../main/core/portal/portal-url';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { hubWhere, rejection } from '../harness/waits';
import { startPortalSim, type PortalSim, type PortalSimOptions } from '../portal-sim';
import { simWebhookCredentials } from '../harness/sim-credentials';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(options: PortalSimOptions = {}): Promise<PortalSim> {
  const portal = await startPortalSim(options);
  cleanups.push(() => portal.close());
  return portal;
}

function setup(): { accounts: AccountStore; hub: NotificationHub; deps: ReturnType<typeof connectDeps> } {
  const storage = tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  cleanups.push(() => hub.stopAll());
  return { accounts, hub, deps: connectDeps({ accounts, hub, storage }) };
}

const refusal = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, ConnectError);

describe('what the connect form says', () => {
  it('calls a single word "not a web address", not a portal’s address', async () => {
    expect(() => parsePortalInput('garbage')).toThrow(/not a web address/);
    const { deps } = setup();
    expect(await refusal(connectWebhook('garbage', deps))).toMatchObject({ reason: 'not-a-url', message: expect.stringMatching(/not a web address/) });
    // Real addresses and the simulator's loopback names still parse.
    expect(parsePortalInput('acme.bitrix24.com')).toMatchObject({ kind: 'portal', origin: 'https://acme.bitrix24.com' });
    expect(parsePortalInput('http://localhost:8080/rest/1/abcd/')).toMatchObject({ kind: 'webhook' });
  });

  it('refuses the same portal and user a second time, naming the connection that exists', async () => {
    const portal = await sim({ webhookCode: 'firstcode1234' });
    const { accounts, deps } = setup();
    const first = await connectWebhook(portal.webhookUrl, deps);
    const requests = portal.requestLog.length;
    // Another webhook of the same user on the same portal is the same inbox.
    const again = await refusal(connectWebhook(`${portal.origin}/rest/${portal.userId}/othercode5678/`, deps));
    expect(again).toMatchObject({ reason: 'already-connected', details: { name: first.name } });
    expect(again.message).toContain(`already connected as “${first.name}”`);
    expect(accounts.list()).toHaveLength(1);
    expect(portal.requestLog.length - requests).toBeLessThanOrEqual(1); // nothing but polling went out
  });
});

describe('"Https required." (401 INVALID_REQUEST)', () => {
  it('is a configuration error with its own message, at connect and on a call, never retried', async () => {
    const portal = await sim({ requireHttps: true });
    const { deps } = setup();
    const error = await refusal(connectWebhook(portal.webhookUrl, deps));
    expect(error).toMatchObject({ reason: 'config', message: expect.stringMatching(/only over HTTPS/) });
    const client = new PortalClient({ credentials: simWebhookCredentials(portal), backoffBaseMs: 1 });
    cleanups.push(() => client.close());
    const before = portal.requestLog.length;
    const failure = await client.call('im.notify.get').catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(PortalError);
    expect(failure).toMatchObject({ kind: 'config', code: 'INVALID_REQUEST' });
    expect(portal.requestLog.length - before).toBe(1);
  });
});

describe('limits as the current docs describe them', () => {
  it('a batch sub-call refused with OPERATION_TIME_LIMIT (HTTP 200) holds that method until its reset', async () => {
    // im.notify.get costs 2 s of a 1 s budget: after one call the portal refuses it for a while.
    const portal = await sim({ operating: { limitSec: 1, costSec: { 'im.notify.get': 2 } } });
    const client = new PortalClient({ credentials: simWebhookCredentials(portal), maxLimitWaitMs: 0 });
    cleanups.push(() => client.close());
    await client.call('im.notify.get');
    const batch = await client.batch({ get: { method: 'im.notify.get' }, counters: { method: 'im.counters.get' } });
    expect(batch.errors.get).toMatchObject({ kind: 'operating-limited', code: 'OPERATION_TIME_LIMIT', retryAt: expect.any(Number) });
    expect(batch.results.counters).toBeDefined();
    // Held: the next call of that method is not even sent.
    const sent = portal.requestLog.length;
    await expect(client.call('im.notify.get')).rejects.toMatchObject({ kind: 'operating-limited' });
    expect(portal.requestLog.length).toBe(sent);
    // Another method is not held.
    await client.call('im.counters.get');
  });

  it('never waits longer than the portal’s own 60 s cap on one request', () => {
    expect(httpLimitsFor({ requestTimeoutMs: 600_000 }).requestTimeoutMs).toBe(MAX_REQUEST_TIMEOUT_MS);
    expect(httpLimitsFor({ requestTimeoutMs: 5_000 }).requestTimeoutMs).toBe(5_000);
    expect(httpLimitsFor().requestTimeoutMs).toBeLessThanOrEqual(60_000);
  });
});

describe('reconnecting a portal with a new webhook', () => {
  it('keeps name, colour, muted categories and the unsent answer; refuses another portal or user', async () => {
    const portal = await sim({ webhookCode: 'oldcode12345' });
    const { accounts, hub, deps } = setup();
    const account = await connectWebhook(portal.webhookUrl, deps);
    await hubWhere(hub, (s) => s.accounts[0]?.state.connection.status === 'ok');
    accounts.update(account.id, { name: 'Office', color: '#123abc', mutedCategories: ['tasks|comment'] });
    const invite = portal.addConfirm({ text: 'Join?', tag: 'GROUP|3' });
    hub.pollNow(account.id);
    await hubWhere(hub, (s) => s.accounts[0]?.state.inbox.some((item) => item.id === invite.id) ?? false);
    // The old webhook is deleted on the portal: the click waits, the portal asks for a reconnect.
    portal.injectFault({ kind: 'error', code: 'INVALID_CREDENTIALS', description: 'Invalid request credentials', status: 401 }, { times: Infinity });
    void hub.confirm(account.id, invite.id, 'Y', 'window');
    await hubWhere(hub, (s) => s.accounts[0]?.state.connection.status === 'auth-needed');
    expect(portal.confirmLog).toEqual([]);

    const restart = (stored: Parameters<typeof deps.start>[0]): Promise<void> => hub.remove(stored.id).then(() => deps.start(stored));
    const other = await refusal(reconnectWebhook(account.id, `${portal.origin}/rest/${portal.userId + 1}/newcode67890/`, { accounts, restart }));
    expect(other).toMatchObject({ reason: 'other-portal' });
    expect(await refusal(reconnectWebhook(account.id, 'https://elsewhere.bitrix24.com/rest/1/newcode67890/', { accounts, restart }))).toMatchObject({ reason: 'other-portal' });

    portal.clearFaults();
    const settled = new Promise<void>((resolve) => hub.on('actionSettled', (_id, notificationId) => notificationId === invite.id && resolve()));
    await reconnectWebhook(account.id, portal.webhookUrl, { accounts, restart });
    await settled;
    expect(portal.confirmLog.map((entry) => [entry.id, entry.value])).toEqual([[invite.id, 'Y']]);
    expect(accounts.get(account.id)).toMatchObject({ id: account.id, name: 'Office', color: '#123abc', mutedCategories: ['tasks|comment'] });
    expect(accounts.list()).toHaveLength(1);
  });
});
