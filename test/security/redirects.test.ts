/**
 * Issue 13 §1: credentials never follow a redirect. A malicious or compromised portal module (or
 * anything that can make the portal answer 3xx) names another host in `Location`; before this fix
 * the client replayed the webhook code (in the path) and the OAuth token (in the body) there and
 * kept using that host. Two loopback addresses stand for two hosts: the portal on 127.0.0.1, the
 * attacker's host on 127.0.0.2 (a forwarder that counts connections, so "nothing was sent" is
 * measured, not assumed).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { AccountsService, PortalNotMovedError } from '../../main/core/app/accounts-service';
import { NotificationHub } from '../../main/core/app/hub';
import { engineFactory } from '../../main/core/app/start-accounts';
import { PortalClient, isAcceptableMove } from '../../main/core/portal/client';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { tempStorage } from '../harness/engine-harness';
import { hubWhere, portalFailure } from '../harness/waits';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { startForwarder, type Forwarder } from '../soak/forwarder';
import { simOAuthCredentials, simWebhookCredentials } from '../harness/sim-credentials';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).reverse().map((item) => item.close()));
});

async function portalAndElsewhere(): Promise<{ portal: PortalSim; elsewhere: Forwarder }> {
  const portal = await startPortalSim({ webhookCode: 'redirectcode12345' });
  open.push(portal);
  // Another host: same portal data behind it, so a request that reached it would also act.
  const elsewhere = await startForwarder(new URL(portal.origin), '127.0.0.2');
  open.push(elsewhere);
  return { portal, elsewhere };
}

describe('a redirect never carries a credential to another host', () => {
  it.each([301, 302, 303, 307, 308] as const)('webhook call answered %i: nothing is sent to the new host, the portal is reported moved', async (status) => {
    const { portal, elsewhere } = await portalAndElsewhere();
    const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
    open.push(client);
    portal.injectFault({ kind: 'redirect', status, location: `${elsewhere.origin}/rest/1/${portal.webhookCode}/im.notify.get` });
    const error = await portalFailure(client.call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'moved', code: 'PORTAL_MOVED', movedTo: elsewhere.origin, delivery: 'not-processed' });
    expect(error.userMessage).toContain(`moved to ${elsewhere.origin}`);
    expect(elsewhere.connections).toBe(0);
    // The client did not adopt the new origin: the next call goes to the portal it knows.
    expect(client.origin).toBe(portal.origin);
    await client.call('im.notify.get');
    expect(elsewhere.connections).toBe(0);
  });

  it('an OAuth call answered 307 (which would replay the body with the token) sends nothing to the new host', async () => {
    const { portal, elsewhere } = await portalAndElsewhere();
    const client = new PortalClient({ credentials: simOAuthCredentials(portal) });
    open.push(client);
    portal.injectFault({ kind: 'redirect', status: 307, location: `${elsewhere.origin}/rest/im.notify.get` });
    expect(await portalFailure(client.call('im.notify.get'))).toMatchObject({ kind: 'moved', movedTo: elsewhere.origin });
    expect(elsewhere.connections).toBe(0);
  });

  it('a confirm in a batch is not re-sent because of a redirect: it fails as not processed', async () => {
    const { portal, elsewhere } = await portalAndElsewhere();
    const item = portal.addConfirm({ text: 'Join the group?', tag: 'GROUP|1' });
    const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
    open.push(client);
    portal.injectFault({ kind: 'redirect', status: 307, location: `${elsewhere.origin}/rest/1/${portal.webhookCode}/batch` }, { restMethod: 'batch' });
    const error = await portalFailure(client.batch([{ method: 'im.notify.confirm', params: { ID: item.id, NOTIFY_VALUE: 'Y' } }, { method: 'im.notify.get' }]));
    expect(error).toMatchObject({ kind: 'moved', delivery: 'not-processed' });
    expect(portal.confirmLog).toEqual([]);
    expect(portal.requestLog.filter((entry) => entry.restMethod === 'batch')).toHaveLength(1);
    expect(elsewhere.connections).toBe(0);
  });

  it('a redirect to an address credentials must never go to is reported as unsafe, with no "use the new address"', async () => {
    const { portal } = await portalAndElsewhere();
    const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
    open.push(client);
    // From a loopback portal to a remote host: the same rule as remote → loopback, the other way.
    portal.injectFault({ kind: 'redirect', location: `https://portal.bitrix24.com.evil.example/rest/1/${portal.webhookCode}/im.notify.get` });
    expect(await portalFailure(client.call('im.notify.get'))).toMatchObject({ kind: 'moved', code: 'UNSAFE_REDIRECT' });
  });

  it('accepts a move only to https, never from https to http, never between loopback and a remote host', () => {
    const remote = new URL('https://acme.bitrix24.com');
    expect(isAcceptableMove(remote, new URL('https://acme.bitrix24.de'))).toBe(true);
    // A lookalike is still a move the user is asked about, with its full address shown.
    expect(isAcceptableMove(remote, new URL('https://acme.bitrix24.com.evil.example'))).toBe(true);
    expect(isAcceptableMove(remote, new URL('http://acme.bitrix24.de'))).toBe(false);
    expect(isAcceptableMove(remote, new URL('http://127.0.0.1:8080'))).toBe(false);
    expect(isAcceptableMove(remote, new URL('https://127.0.0.1:8443'))).toBe(false);
    expect(isAcceptableMove(remote, new URL('https://localhost'))).toBe(false);
    expect(isAcceptableMove(remote, new URL('https://user:pw@acme.bitrix24.de'))).toBe(false);
    const loopback = new URL('http://127.0.0.1:9000');
    expect(isAcceptableMove(loopback, new URL('http://127.0.0.2:9000'))).toBe(true);
    expect(isAcceptableMove(new URL('https://127.0.0.1:9000'), new URL('http://127.0.0.2:9000'))).toBe(false);
  });
});

describe('the portal stops until the user accepts the new address', () => {
  it('keeps the click, sends nothing elsewhere, and after "Use the new address" delivers it there exactly once', async () => {
    const { portal, elsewhere } = await portalAndElsewhere();
    const item = portal.addConfirm({ text: 'Join the group?', tag: 'GROUP|1' });
    const storage = tempStorage().open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const hub = new NotificationHub();
    const portals = new AccountsService({ accounts, hub, storage, createEngine: engineFactory(accounts, storage) });
    open.push({ close: () => hub.stopAll() });

    const account = await accounts.add({ name: 'Acme', auth: 'webhook', origin: portal.origin, webhookUserId: portal.userId, code: portal.webhookCode });
    await expect(portals.useMovedAddress(account.id)).rejects.toThrow(PortalNotMovedError);
    await portals.start(account);
    await hubWhere(hub, (s) => s.accounts[0]?.state.inbox.some((entry) => entry.id === item.id) ?? false);

    portal.injectFault({ kind: 'redirect', status: 307, location: `${elsewhere.origin}/rest/1/${portal.webhookCode}/batch` }, { restMethod: 'batch' });
    void hub.confirm(account.id, item.id, 'Y', 'window');
    const moved = await hubWhere(hub, (s) => s.accounts[0]?.state.connection.status === 'portal-moved');
    const connection = moved.accounts[0]!.state.connection;
    expect(connection).toMatchObject({ status: 'portal-moved', movedTo: elsewhere.origin });
    const waiting = await hubWhere(hub, (s) => s.accounts[0]?.state.inbox.find((entry) => entry.id === item.id)?.action?.status === 'waiting');
    expect(waiting.accounts[0]!.state.inbox.find((entry) => entry.id === item.id)?.action).toMatchObject({ status: 'waiting', value: 'Y' });
    expect(portal.confirmLog).toEqual([]);
    expect(elsewhere.connections).toBe(0);
    expect(accounts.get(account.id)?.origin).toBe(portal.origin);

    const settled = new Promise<void>((resolve) => hub.on('actionSettled', (_id, notificationId) => notificationId === item.id && resolve()));
    await portals.useMovedAddress(account.id);
    expect(accounts.get(account.id)?.origin).toBe(elsewhere.origin);
    await settled;
    expect(portal.confirmLog.map((entry) => [entry.id, entry.value])).toEqual([[item.id, 'Y']]);
    expect(elsewhere.connections).toBeGreaterThan(0);
    await hubWhere(hub, (s) => s.accounts[0]?.state.connection.status === 'ok');
  });
});
