/**
 * OAuth as real portals and auth servers behave (issue 12, real-portal-notes §2): the token
 * response names the portal's REST base (client_endpoint), the auth server that answered
 * (server_endpoint, a host other than the portal's), the portal and the user; the portal sends the
 * sign-in to the handler registered on the application and never calls back on a refusal.
 * Real HTTP on loopback: the simulator's portal on 127.0.0.1 and its auth server on 127.0.0.2.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { ConnectError } from '../../main/core/app/connect';
import { connectOAuth, type OAuthConnectDeps } from '../../main/core/app/connect-oauth';
import { NotificationHub } from '../../main/core/app/hub';
import { PortalClient } from '../../main/core/portal/client';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { rejection } from '../harness/waits';
import { pollUntil } from '../harness/processes';
import { startPortalSim, type PortalSimOptions } from '../portal-sim';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Plays the user's browser: opens the sign-in page and follows its redirect, if any. */
const opened: string[] = [];
async function browser(url: string): Promise<void> {
  opened.push(url);
  const signIn = await fetch(url, { redirect: 'manual' });
  const location = signIn.headers.get('location');
  if (location) await fetch(location).catch(() => undefined);
}

async function setup(options: PortalSimOptions = {}) {
  const portal = await startPortalSim({ authServerHost: '127.0.0.2', ...options });
  cleanups.push(() => portal.close());
  const storage = tempStorage().open();
  const accounts = new AccountStore(storage, new ProcessSecretBox());
  const hub = new NotificationHub();
  cleanups.push(() => hub.stopAll());
  const authHost = new URL(portal.authTokenUrl ?? portal.tokenUrl).host;
  const deps: OAuthConnectDeps = {
    ...connectDeps({ accounts, hub, storage, clientOptions: { trustedAuthHosts: [authHost] } }),
    openExternal: browser,
    // The app starts at the fallback (the portal plays oauth.bitrix.info here); the answer names the other host.
    tokenUrl: portal.tokenUrl,
    approvalTimeoutMs: 5_000,
  };
  const connect = (extra: Partial<OAuthConnectDeps> = {}, address = portal.origin) => connectOAuth({ portal: address, clientId: 'local.sim.app', clientSecret: 'sim-secret' }, { ...deps, ...extra });
  return { portal, accounts, hub, connect, authHost };
}

const refusal = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, ConnectError);

describe('OAuth against real auth-server behaviour', () => {
  it('renews at the auth host the token response names, and stores the portal and user it names', async () => {
    const { portal, accounts, hub, connect, authHost } = await setup();
    const account = await connect();
    expect(account).toMatchObject({ tokenUrl: portal.authTokenUrl, oauthUserId: 1, memberId: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect(accounts.get(account.id)?.tokenUrl).toBe(portal.authTokenUrl);
    // The code exchange went to the fallback; once told, renewals go to the named host only.
    await pollUntil(() => portal.requestLog.some((entry) => entry.restMethod === 'im.notify.get' && entry.auth === 'oauth'), 'the first poll');
    portal.expireAccessTokens();
    hub.pollNow(account.id);
    await pollUntil(() => portal.tokenLog.some((entry) => entry.grantType === 'refresh_token' && entry.ok), 'a renewal');
    const renewals = portal.requestLog.filter((entry) => entry.restMethod === 'oauth.token');
    expect(renewals.map((entry) => entry.host)).toEqual([new URL(portal.tokenUrl).host, authHost]);
  });

  it('an account still renewing at the fallback moves to the auth host a renewal names, and says so to be stored', async () => {
    const { portal, authHost } = await setup();
    const pair = portal.issueTokens();
    const told: string[] = [];
    const client = new PortalClient({
      credentials: {
        kind: 'oauth',
        origin: portal.origin,
        clientId: 'local.sim.app',
        clientSecret: 'sim-secret',
        tokens: { accessToken: pair.accessToken, refreshToken: pair.refreshToken },
        tokenUrl: portal.tokenUrl,
        onTokens: () => undefined,
        onTokenUrl: (tokenUrl) => told.push(tokenUrl),
      },
      trustedAuthHosts: [authHost],
    });
    cleanups.push(() => client.close());
    for (let round = 0; round < 2; round += 1) {
      portal.expireAccessTokens();
      await client.call('scope');
    }
    const renewals = portal.requestLog.filter((entry) => entry.restMethod === 'oauth.token');
    expect(renewals.map((entry) => entry.host)).toEqual([new URL(portal.tokenUrl).host, authHost]);
    expect(told).toEqual([portal.authTokenUrl]);
  });

  it('never sends a refresh token to an auth host that is not Bitrix24’s', async () => {
    const { portal } = await setup();
    const pair = portal.issueTokens();
    const client = new PortalClient({
      credentials: { kind: 'oauth', origin: portal.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret', tokens: { accessToken: pair.accessToken, refreshToken: pair.refreshToken }, tokenUrl: portal.tokenUrl, onTokens: () => undefined },
    });
    cleanups.push(() => client.close());
    for (let round = 0; round < 2; round += 1) {
      portal.expireAccessTokens();
      await client.call('scope');
    }
    expect(portal.requestLog.filter((entry) => entry.restMethod === 'oauth.token').map((entry) => entry.host)).toEqual([new URL(portal.tokenUrl).host, new URL(portal.tokenUrl).host]);
  });

  it('calls REST where client_endpoint says, and refuses the same portal and user twice', async () => {
    const { portal, connect } = await setup();
    const port = new URL(portal.origin).port;
    portal.setClientEndpoint(`http://localhost:${port}/rest/`);
    const account = await connect();
    expect(account.origin).toBe(`http://localhost:${port}`);
    await pollUntil(() => portal.requestLog.some((entry) => entry.restMethod === 'im.notify.get'), 'a poll at client_endpoint');
    const again = await refusal(connect());
    expect(again.reason).toBe('already-connected');
    expect(again.message).toMatch(/already connected as “localhost:\d+”/);
  });

  it('checks the address answers as a Bitrix24 portal before any browser tab opens', async () => {
    const site: Server = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'));
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => site.close(() => resolve())));
    const { connect, portal } = await setup();
    opened.length = 0;
    const error = await refusal(connect({}, `http://127.0.0.1:${(site.address() as AddressInfo).port}`));
    expect(error.reason).toBe('not-a-portal');
    expect(error.message).toMatch(/does not answer as a Bitrix24 portal/);
    expect(opened).toEqual([]);
    expect(portal.requestLog).toEqual([]);
  });

  it('a refused sign-in never calls back: Cancel ends the wait at once, and the wait gives up naming the handler URL', async () => {
    const { portal, connect, accounts } = await setup({ oauth: { clientId: 'local.sim.app', clientSecret: 'sim-secret', registeredHandlerUrl: 'http://127.0.0.1:47651/callback' } });
    portal.setSignInRefused(true);
    const cancel = new AbortController();
    const waiting = connect({ signal: cancel.signal, approvalTimeoutMs: 60_000 });
    await pollUntil(() => portal.requestLog.some((entry) => entry.restMethod === 'oauth.authorize'), 'the sign-in page');
    cancel.abort();
    const cancelled = await refusal(waiting);
    expect(cancelled.reason).toBe('sign-in-cancelled');

    const gaveUp = await refusal(connect({ approvalTimeoutMs: 300 }));
    expect(gaveUp.reason).toBe('approval-timeout');
    expect(gaveUp.message).toMatch(/handler URL is exactly http:\/\/127\.0\.0\.1:47651\/callback/);
    expect(accounts.list()).toEqual([]);
    expect(portal.tokenLog).toEqual([]);
  });

  it('the portal answers the handler registered on the application, not the redirect_uri sent', async () => {
    // The application's registered handler is elsewhere: the app's own listener never hears back.
    const { portal, connect } = await setup({ oauth: { clientId: 'local.sim.app', clientSecret: 'sim-secret', registeredHandlerUrl: 'http://127.0.0.1:9/elsewhere' } });
    const error = await refusal(connect({ approvalTimeoutMs: 500 }));
    expect(error.reason).toBe('approval-timeout');
    expect(portal.tokenLog).toEqual([]);
  });
});
