/**
 * Renewing an OAuth sign-in (real-portal-notes §2, credentials.ts): what is sent to the auth server,
 * where the rotated pair goes, where the next renewal goes, and what a failed renewal says. The
 * auth server is a scripted `post`, so each test sees exactly the requests the app would make.
 * All tokens here are obvious placeholders, never real-looking secrets.
 */
import { describe, expect, it } from 'vitest';
import type { OAuthCredentials, OAuthTokens } from '../../main/core/portal/credentials';
import { PortalError } from '../../main/core/portal/errors';
import type { HttpBody, HttpReply } from '../../main/core/portal/http';
import { Redactor } from '../../main/core/portal/redact';
import { TokenRenewal } from '../../main/core/portal/token-renewal';
import { rejection } from '../harness/waits';

const FALLBACK = 'https://oauth.bitrix.info/oauth/token/';
const OTHER_AUTH = 'https://oauth.bitrix24.tech/oauth/token/';
const NOW = 1_700_000_000_000;

interface Sent {
  url: string;
  form: Record<string, string>;
}

function reply(body: unknown, status = 200): HttpReply {
  return { status, location: undefined, contentType: 'application/json', bodyText: typeof body === 'string' ? body : JSON.stringify(body) };
}

const grant = (n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  access_token: `access-placeholder-${n}`,
  refresh_token: `refresh-placeholder-${n}`,
  expires_in: 3600,
  ...extra,
});

/** A renewal wired to a scripted auth server; `answers` are used in order, one per POST. */
function setup(answers: (() => Promise<HttpReply>)[], credentialExtra: Partial<OAuthCredentials> = {}) {
  const sent: Sent[] = [];
  const logs: string[] = [];
  const stored: OAuthTokens[] = [];
  const storedUrls: string[] = [];
  const secrets: string[] = [];
  const endpoints: unknown[] = [];
  const credentials: OAuthCredentials = {
    kind: 'oauth',
    origin: 'https://portal.example',
    clientId: 'app.placeholder',
    clientSecret: 'client-secret-placeholder',
    tokens: { accessToken: 'access-placeholder-0', refreshToken: 'refresh-placeholder-0' },
    onTokens: (tokens) => {
      stored.push(tokens);
    },
    onTokenUrl: (url) => storedUrls.push(url),
    ...credentialExtra,
  };
  const renewal = new TokenRenewal(credentials, FALLBACK, ['oauth.bitrix.info', 'oauth.bitrix24.tech'], {
    post: (url: string, body: HttpBody) => {
      sent.push({ url, form: 'form' in body ? body.form : {} });
      const next = answers.shift();
      if (!next) throw new Error('unexpected request to the auth server');
      return next();
    },
    redactor: new Redactor(),
    log: (level, message) => logs.push(`${level}: ${message}`),
    now: () => NOW,
    addSecrets: (...values) => secrets.push(...values),
    followClientEndpoint: (endpoint) => endpoints.push(endpoint),
  });
  return { renewal, credentials, sent, logs, stored, storedUrls, secrets, endpoints };
}

const answer = (body: unknown, status = 200) => () => Promise.resolve(reply(body, status));

describe('renewing an OAuth sign-in', () => {
  it('sends the refresh token once, stores the rotated pair and keeps it out of the logs', async () => {
    const { renewal, credentials, sent, logs, stored, secrets, endpoints } = setup([answer(grant(1, { client_endpoint: 'https://portal.example/rest/' }))]);
    await renewal.renew('access-placeholder-0', undefined);
    expect(sent).toEqual([
      { url: FALLBACK, form: { grant_type: 'refresh_token', client_id: 'app.placeholder', client_secret: 'client-secret-placeholder', refresh_token: 'refresh-placeholder-0' } },
    ]);
    const rotated = { accessToken: 'access-placeholder-1', refreshToken: 'refresh-placeholder-1', expiresAt: NOW + 3_600_000 };
    expect(credentials.tokens).toEqual(rotated);
    expect(stored).toEqual([rotated]);
    expect(secrets).toEqual(['access-placeholder-1', 'refresh-placeholder-1']);
    expect(endpoints).toEqual(['https://portal.example/rest/']);
    expect(logs).toEqual(['info: OAuth tokens renewed']);
    expect(logs.join('\n')).not.toContain('placeholder');
  });

  it('a call that met the old token after the renewal finished does not renew again', async () => {
    // The rotated refresh token is single-use (credentials.ts §4.3): a second renewal would be wasted.
    const { renewal, sent } = setup([answer(grant(1))]);
    await renewal.renew('access-placeholder-0', undefined);
    await renewal.renew('access-placeholder-0', undefined);
    expect(sent).toHaveLength(1);
  });

  it('concurrent calls share one renewal, and a later expiry renews with the rotated token', async () => {
    const { renewal, sent } = setup([answer(grant(1)), answer(grant(2))]);
    await Promise.all([renewal.renew('access-placeholder-0', undefined), renewal.renew('access-placeholder-0', undefined)]);
    await renewal.renew('access-placeholder-1', undefined);
    expect(sent.map((request) => request.form.refresh_token)).toEqual(['refresh-placeholder-0', 'refresh-placeholder-1']);
  });

  it('moves to the auth server a response names, says so and stores it', async () => {
    const { renewal, credentials, sent, logs, storedUrls } = setup([answer(grant(1, { server_endpoint: 'https://oauth.bitrix24.tech/rest/' })), answer(grant(2))]);
    await renewal.renew('access-placeholder-0', undefined);
    expect(credentials.tokenUrl).toBe(OTHER_AUTH);
    expect(storedUrls).toEqual([OTHER_AUTH]);
    expect(logs).toContain('info: the OAuth server is now oauth.bitrix24.tech; tokens are renewed there');
    await renewal.renew('access-placeholder-1', undefined);
    expect(sent.map((request) => request.url)).toEqual([FALLBACK, OTHER_AUTH]);
  });

  it('moves to the named auth server even when nobody asked to be told', async () => {
    const { renewal, sent } = setup([answer(grant(1, { server_endpoint: 'https://oauth.bitrix24.tech/rest/' })), answer(grant(2))], { onTokenUrl: undefined });
    await renewal.renew('access-placeholder-0', undefined);
    await renewal.renew('access-placeholder-1', undefined);
    expect(sent.map((request) => request.url)).toEqual([FALLBACK, OTHER_AUTH]);
  });
});

describe('a renewal that fails', () => {
  it('an expired refresh token asks the user to sign in again and logs only the code', async () => {
    const { renewal, credentials, logs, stored } = setup([answer({ error: 'invalid_grant', error_description: 'Invalid grant' }, 400)]);
    const error = await rejection(renewal.renew('access-placeholder-0', undefined), PortalError);
    expect(error).toMatchObject({ kind: 'auth', code: 'invalid_grant', delivery: 'not-processed' });
    expect(error.userMessage).toBe('Your sign-in to the portal has expired. Sign in again in Settings.');
    expect(logs).toEqual(['warn: token renewal refused: invalid_grant']);
    expect(stored).toEqual([]);
    expect(credentials.tokens.accessToken).toBe('access-placeholder-0');
  });

  it('a network failure on the way says the original call was not processed', async () => {
    const lost = new PortalError({ kind: 'transient', code: 'NETWORK_ERROR', delivery: 'unknown' });
    const { renewal } = setup([() => Promise.reject(lost)]);
    const error = await rejection(renewal.renew('access-placeholder-0', undefined), PortalError);
    expect(error).toMatchObject({ kind: 'transient', code: 'NETWORK_ERROR', delivery: 'not-processed' });
  });

  it('an unexpected programming error is passed on as it is', async () => {
    const bug = new TypeError('boom');
    const { renewal } = setup([() => Promise.reject(bug)]);
    await expect(renewal.renew('access-placeholder-0', undefined)).rejects.toBe(bug);
  });

  it.each([
    ['an HTML error page', '<html>Bad gateway</html>', 502],
    ['a JSON null', 'null', 200],
    ['an error field that is not text', { error: 5 }, 200],
    ['an empty error field and no tokens', { error: '' }, 200],
    ['a reply without a refresh token', { access_token: 'access-placeholder-1' }, 200],
  ])('%s is an invalid response, retried later, and keeps the old pair', async (_name, body, status) => {
    const { renewal, credentials, stored } = setup([answer(body, status)]);
    const error = await rejection(renewal.renew('access-placeholder-0', undefined), PortalError);
    expect(error).toMatchObject({ kind: 'transient', code: 'INVALID_RESPONSE', status, delivery: 'not-processed' });
    expect(stored).toEqual([]);
    expect(credentials.tokens.refreshToken).toBe('refresh-placeholder-0');
  });

  it('after a failure the next expiry tries again', async () => {
    const { renewal, sent } = setup([answer('<html></html>', 502), answer(grant(1))]);
    await expect(renewal.renew('access-placeholder-0', undefined)).rejects.toBeInstanceOf(PortalError);
    await renewal.renew('access-placeholder-0', undefined);
    expect(sent).toHaveLength(2);
  });
});
