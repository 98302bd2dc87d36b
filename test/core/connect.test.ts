import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { ConnectError, connectWebhook } from '../../main/core/app/connect';
import { connectOAuth } from '../../main/core/app/connect-oauth';
import { NotificationHub } from '../../main/core/app/hub';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { startPortalSim, type PortalSim, type PortalSimOptions } from '../portal-sim';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { pollUntil } from '../harness/processes';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: PortalSimOptions = {}): Promise<{ portal: PortalSim; connect: (url: string) => Promise<unknown>; accounts: AccountStore; hub: NotificationHub }> {
  const portal = await startPortalSim(options);
  const storage = tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  cleanups.push(async () => {
    await hub.stopAll();
    await portal.close();
  });
  return { portal, accounts, hub, connect: (url) => connectWebhook(url, connectDeps({ accounts, hub, storage })) };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ConnectError);
  return (error as ConnectError).message;
}

describe('connectWebhook', () => {
  it('checks the im scope with the portal, then stores the account and starts polling it', async () => {
    const { portal, connect, accounts, hub } = await setup();
    await connect(`${portal.webhookUrl}profile.json`);
    expect(accounts.list()).toEqual([expect.objectContaining({ auth: 'webhook', origin: portal.origin, webhookUserId: portal.userId })]);
    expect(portal.requestLog[0]).toMatchObject({ restMethod: 'scope' });
    expect(hub.snapshot().accounts).toHaveLength(1);
  });

  it('refuses plain http to a remote host, a bare portal address, and junk, with what to do', async () => {
    const { connect, accounts } = await setup();
    expect(await refusal(connect('http://acme.bitrix24.com/rest/1/abcdef123/'))).toMatch(/must start with https/);
    expect(await refusal(connect('https://acme.bitrix24.com/'))).toMatch(/not a webhook/);
    expect(await refusal(connect('not a url at all'))).toMatch(/does not look like a portal address|webhook URL/);
    expect(accounts.list()).toEqual([]);
  });

  it('refuses a webhook without im, naming the scopes it has', async () => {
    const { portal, connect, accounts } = await setup({ scopes: ['crm', 'user'] });
    expect(await refusal(connect(portal.webhookUrl))).toMatch(/lacks the “im”.*it has: crm, user/);
    expect(accounts.list()).toEqual([]);
  });

  it('refuses a wrong code or an unreachable portal with the portal’s reason', async () => {
    const { portal, connect } = await setup();
    expect(await refusal(connect(`${portal.origin}/rest/1/wrongcode999/`))).toMatch(/rejected the credentials/);
    const origin = portal.origin;
    await portal.close();
    expect(await refusal(connect(`${origin}/rest/1/abcdef123/`))).toMatch(/Cannot reach the portal/);
  });
});

describe('connectOAuth', () => {
  /** Plays the user's browser: opens the portal's sign-in page and follows its redirect. */
  const browser = async (url: string): Promise<void> => {
    const signIn = await fetch(url, { redirect: 'manual' });
    const location = signIn.headers.get('location');
    if (location) await fetch(location);
  };

  async function oauthSetup(options: PortalSimOptions = {}) {
    const { portal, accounts, hub } = await setup(options);
    const storage = tempStorage().open();
    const connect = (input: { clientId?: string; clientSecret?: string }, approvalTimeoutMs = 5_000) =>
      connectOAuth(
        { portal: portal.origin, clientId: input.clientId ?? 'local.sim.app', clientSecret: input.clientSecret ?? 'sim-secret' },
        { ...connectDeps({ accounts, hub, storage }), openExternal: browser, tokenUrl: portal.tokenUrl, approvalTimeoutMs },
      );
    return { portal, accounts, hub, connect };
  }

  it('signs in through the browser and a loopback redirect, seals the tokens, and polls with them', async () => {
    const { portal, accounts, hub, connect } = await oauthSetup();
    const account = await connect({});
    expect(account).toMatchObject({ auth: 'oauth', origin: portal.origin, clientId: 'local.sim.app' });
    expect(portal.tokenLog).toEqual([expect.objectContaining({ grantType: 'authorization_code', ok: true })]);
    await expect(accounts.credentials(account.id)).resolves.toMatchObject({ kind: 'oauth', tokens: { accessToken: expect.any(String) } });
    await pollUntil(() => portal.requestLog.some((entry) => entry.restMethod === 'im.notify.get' && entry.auth === 'oauth'), 'a poll with the token');
    expect(hub.snapshot().accounts).toHaveLength(1);
  });

  it('says what went wrong: a wrong secret, an app without im, no approval, missing fields', async () => {
    const { connect, accounts } = await oauthSetup();
    expect(await refusal(connect({ clientSecret: 'wrong' }))).toMatch(/refused the sign-in.*client ID and secret/);
    expect(await refusal(connect({ clientId: 'local.other' }, 300))).toMatch(/No answer from the portal.*handler URL is exactly http:\/\/127.0.0.1:47651\/callback/);
    expect(await refusal(connect({ clientId: ' ' }))).toMatch(/client ID and client secret/);
    expect(accounts.list()).toEqual([]);
    const noIm = await oauthSetup({ scopes: ['crm'] });
    expect(await refusal(noIm.connect({}))).toMatch(/application lacks the “im”.*it has: crm/);
  });
});
