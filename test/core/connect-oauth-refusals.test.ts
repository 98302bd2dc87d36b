/**
 * What an OAuth connection refuses, and the words it says: an address that does not answer as a
 * Bitrix24 portal (a portal answers an unauthenticated REST call with its JSON error,
 * NO_AUTH_FOUND, §6 of ../shared/docs/bitrix24-notify-api.md), an unreachable portal or auth
 * server, and an auth server that refuses the code (§4.3: /oauth/token/ errors).
 */
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError } from '../../main/core/app/connect';
import { LogRedactor } from '../../main/core/log/redact';
import { oauthSetup } from '../harness/oauth-sign-in';
import { rejection } from '../harness/waits';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const refusal = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, ConnectError);

/** A loopback port nothing listens on any more. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('an address that does not answer as a Bitrix24 portal', () => {
  const answers = {
    'an HTML page': { body: '<html><body>Welcome</body></html>', contentType: 'text/html' },
    'JSON null': { body: 'null', contentType: 'application/json' },
    'a JSON string': { body: '"portal"', contentType: 'application/json' },
    'JSON with neither error nor result': { body: '{"status":"ok"}', contentType: 'application/json' },
  };
  for (const [what, answer] of Object.entries(answers)) {
    it(`is refused when the REST call gets ${what}, before any browser tab opens`, async () => {
      const setup = await oauthSetup(cleanups);
      setup.portal.injectFault({ kind: 'status', status: 200, ...answer }, { restMethod: 'scope' });
      const host = new URL(setup.portal.origin).host;

      const error = await refusal(setup.connect());

      expect(error.reason).toBe('not-a-portal');
      expect(error.message).toBe(`${host} does not answer as a Bitrix24 portal. Check the address (for example https://your.bitrix24.com) and try again.`);
      expect(error.details).toEqual({ host });
      expect(setup.visits).toEqual([]);
    });
  }

  it('is refused when the REST call is redirected elsewhere', async () => {
    const setup = await oauthSetup(cleanups);
    setup.portal.injectFault({ kind: 'redirect', location: 'https://www.example.com/' }, { restMethod: 'scope' });
    const error = await refusal(setup.connect());
    expect(error.reason).toBe('not-a-portal');
    expect(setup.visits).toEqual([]);
  });

  it('an answer with a result is a portal too, and the sign-in goes on', async () => {
    const setup = await oauthSetup(cleanups);
    setup.portal.injectFault({ kind: 'status', status: 200, body: '{"result":["im"]}', contentType: 'application/json' }, { restMethod: 'scope' });
    await expect(setup.connect()).resolves.toMatchObject({ auth: 'oauth' });
  });

  it('an unreachable address keeps the words that say so', async () => {
    const setup = await oauthSetup(cleanups);
    const error = await refusal(setup.connect({ portal: `http://127.0.0.1:${await closedPort()}` }));
    expect(error.reason).toBe('transient');
    expect(error.message).toMatch(/^Cannot reach the portal/);
    expect(setup.visits).toEqual([]);
  });
});

describe('the code exchange', () => {
  it('names the auth server’s reason, or the HTTP status when it gives none', async () => {
    const setup = await oauthSetup(cleanups);
    const wrong = await refusal(setup.connect({ clientSecret: 'not-the-secret' }));
    expect(wrong.reason).toBe('auth');
    expect(wrong.message).toBe('The portal refused the sign-in (invalid_client). Check the client ID and secret, and try again.');

    setup.portal.injectFault({ kind: 'html', status: 502 }, { restMethod: 'oauth.token' });
    const page = await refusal(setup.connect());
    expect(page.reason).toBe('auth');
    expect(page.message).toBe('The portal refused the sign-in (HTTP 502). Check the client ID and secret, and try again.');
    expect(setup.accounts.list()).toEqual([]);
  });

  it('an unreachable auth server keeps the words that say so', async () => {
    const setup = await oauthSetup(cleanups);
    const error = await refusal(setup.connect({}, { tokenUrl: `http://127.0.0.1:${await closedPort()}/oauth/token/` }));
    expect(error.reason).toBe('transient');
    expect(error.message).toMatch(/^Cannot reach the portal/);
    expect(setup.accounts.list()).toEqual([]);
  });

  it('accepts a client ID and secret pasted with spaces around them', async () => {
    const setup = await oauthSetup(cleanups);
    const account = await setup.connect({ clientId: ' local.sim.app\n', clientSecret: '  sim-secret\t' });
    expect(account).toMatchObject({ auth: 'oauth', clientId: 'local.sim.app' });
    await expect(setup.accounts.credentials(account.id)).resolves.toMatchObject({ clientSecret: 'sim-secret' });
  });

  it('asks for both fields when one is blank, before contacting the portal', async () => {
    const setup = await oauthSetup(cleanups);
    const error = await refusal(setup.connect({ clientSecret: '   ' }));
    expect(error.reason).toBe('missing-client');
    expect(error.message).toBe('Enter the application’s client ID and client secret from Bitrix24.');
    expect(setup.portal.requestLog).toEqual([]);
  });

  it('keeps the one-time code and the client secret out of later log lines', async () => {
    const redactor = new LogRedactor();
    const setup = await oauthSetup(cleanups, { clientOptions: { registerSecret: (secret) => redactor.add(secret) } });
    let code = '';
    const browser = async (url: string): Promise<void> => {
      const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
      code = new URL(location).searchParams.get('code') ?? '';
      await fetch(location);
    };
    await setup.connect({}, { openExternal: browser });
    expect(code).not.toBe('');
    expect(redactor.redact(`the auth server echoed ${code} and sim-secret`)).not.toMatch(new RegExp(`${code}|sim-secret`));
  });

  it('calls REST at the typed address when client_endpoint is not a URL', async () => {
    const setup = await oauthSetup(cleanups);
    setup.portal.setClientEndpoint('not a url');
    const account = await setup.connect();
    expect(account.origin).toBe(setup.portal.origin);
  });
});
