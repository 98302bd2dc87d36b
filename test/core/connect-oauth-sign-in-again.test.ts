/**
 * Signing a connected OAuth portal in again (reconnectOAuth) after its refresh token was revoked:
 * the same account keeps its application and gets new sealed tokens, renewals go to the auth
 * server the account already knows (or the one the answer names), and a sign-in as another
 * portal or user is refused (real-portal-notes §2: member_id names the portal, user_id the user).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore, type AccountConfig } from '../../main/core/accounts/account-store';
import { ConnectError } from '../../main/core/app/connect';
import type { PortalCredentials } from '../../main/core/portal/credentials';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { oauthSetup, SIM_APP, type OAuthSetup } from '../harness/oauth-sign-in';
import { pollUntil } from '../harness/processes';
import { rejection } from '../harness/waits';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const refusal = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, ConnectError);

async function accessTokenOf(setup: OAuthSetup, accountId: string): Promise<string> {
  const credentials = (await setup.accounts.credentials(accountId)) as Extract<PortalCredentials, { kind: 'oauth' }>;
  return credentials.tokens.accessToken;
}

/** An OAuth account as an older version stored it, or as another sign-in left it. */
function storeAccount(setup: OAuthSetup, extra: { name: string; memberId?: string; oauthUserId?: number }): Promise<AccountConfig> {
  return setup.accounts.add({ auth: 'oauth', origin: setup.portal.origin, ...SIM_APP, tokens: { accessToken: `stale-access-${extra.name}`, refreshToken: `stale-refresh-${extra.name}` }, ...extra });
}

describe('signing an OAuth portal in again', () => {
  it('keeps the account, seals new tokens, renews where the account already renews, polls again, and logs it', async () => {
    const trusted: string[] = [];
    const logged: string[] = [];
    const setup = await oauthSetup(cleanups, { sim: { authServerHost: '127.0.0.2' }, clientOptions: { trustedAuthHosts: trusted, log: (level, message) => void logged.push(`${level}: ${message}`) } });
    const authHost = new URL(setup.portal.authTokenUrl!).host;
    trusted.push(authHost);
    const account = await setup.connect();
    expect(account.tokenUrl).toBe(setup.portal.authTokenUrl);
    const before = await accessTokenOf(setup, account.id);
    setup.portal.revokeRefreshTokens();

    const again = await setup.reconnect(account.id);

    expect(again).toMatchObject({ id: account.id, name: account.name, memberId: account.memberId, oauthUserId: 1 });
    expect(setup.accounts.list()).toHaveLength(1);
    const after = await accessTokenOf(setup, account.id);
    expect(after).not.toBe(before);
    // The code went to the auth server the account renews at, not to the app's fallback.
    const exchanges = setup.portal.requestLog.filter((entry) => entry.restMethod === 'oauth.token');
    expect(exchanges.map((entry) => entry.host)).toEqual([new URL(setup.portal.tokenUrl).host, authHost]);
    expect(logged).toContain(`info: signed in again to ${account.name} (oauth) as account ${account.id}`);
    const polled = setup.portal.requestLog.length;
    setup.hub.pollNow(account.id);
    await pollUntil(() => setup.portal.requestLog.slice(polled).some((entry) => entry.restMethod === 'im.notify.get' && entry.auth === 'oauth'), 'a poll with the new token');
  });

  it('a portal stored before the auth server named it signs in again and learns where to renew', async () => {
    const trusted: string[] = [];
    const setup = await oauthSetup(cleanups, { sim: { authServerHost: '127.0.0.2' }, clientOptions: { trustedAuthHosts: trusted } });
    trusted.push(new URL(setup.portal.authTokenUrl!).host);
    const legacy = await storeAccount(setup, { name: 'legacy.example' });

    const again = await setup.reconnect(legacy.id);

    expect(again.tokenUrl).toBe(setup.portal.authTokenUrl);
    expect(setup.accounts.get(legacy.id)?.tokenUrl).toBe(setup.portal.authTokenUrl);
    expect(await accessTokenOf(setup, legacy.id)).not.toBe('stale-access-legacy.example');
    // Without a stored token URL the code goes to the one the app was given.
    expect(setup.portal.requestLog.filter((entry) => entry.restMethod === 'oauth.token').map((entry) => entry.host)).toEqual([new URL(setup.portal.tokenUrl).host]);
  });

  it('refuses a sign-in as another portal or another user, keeping the old tokens, and accepts the same user', async () => {
    const setup = await oauthSetup(cleanups, { clientOptions: false });
    const first = await setup.connect();
    const memberId = first.memberId!;
    const otherPortal = await storeAccount(setup, { name: 'other-portal.example', memberId: 'a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5', oauthUserId: 1 });
    const otherUser = await storeAccount(setup, { name: 'other-user.example', memberId, oauthUserId: 7 });

    for (const account of [otherPortal, otherUser]) {
      const error = await refusal(setup.reconnect(account.id));
      expect(error.reason).toBe('other-portal');
      expect(error.message).toBe(`You signed in as another user or portal than “${account.name}”. Sign in as the same user, or add it as a new portal.`);
      expect(error.details).toEqual({ name: account.name });
      expect(await accessTokenOf(setup, account.id)).toBe(`stale-access-${account.name}`);
    }

    // Same portal and user, and an account that never learnt its member_id: both sign in again.
    const legacy = await storeAccount(setup, { name: 'legacy.example' });
    await expect(setup.reconnect(first.id)).resolves.toMatchObject({ id: first.id });
    await expect(setup.reconnect(legacy.id)).resolves.toMatchObject({ id: legacy.id });
    expect(await accessTokenOf(setup, legacy.id)).not.toBe('stale-access-legacy.example');
  });

  it('refuses a webhook portal, a removed portal and a lost secret before any browser tab opens', async () => {
    const setup = await oauthSetup(cleanups);
    const account = await setup.connect();
    const webhook = await setup.accounts.add({ name: 'hook.example', auth: 'webhook', origin: setup.portal.origin, webhookUserId: 1, code: 'abcdef123' });
    const opened = setup.visits.length;
    const exchanged = setup.portal.tokenLog.length;

    for (const id of [webhook.id, 'no-such-account']) {
      const error = await refusal(setup.reconnect(id));
      expect(error.reason).toBe('other-portal');
      expect(error.message).toBe('This portal is not connected by an application; paste a new webhook URL instead.');
    }
    // Another secret box cannot open what this one sealed (a reset keychain, another machine).
    const lostSecrets = new AccountStore(setup.storage, new ProcessSecretBox());
    const lost = await refusal(setup.reconnect(account.id, { accounts: lostSecrets }));
    expect(lost.reason).toBe('missing-client');
    expect(lost.message).toBe('The application’s secret is not available any more. Disconnect the portal and connect it again.');

    expect(setup.visits.length).toBe(opened);
    expect(setup.portal.tokenLog.length).toBe(exchanged);
  });
});
