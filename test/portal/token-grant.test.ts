/**
 * Reading an auth server's token response (oauth-token.ts; real-portal-notes §2, b24jssdk
 * oauth/auth.ts): what the app keeps from it (token pair, expiry, portal REST base, portal and
 * user ids) and which auth server it will send the refresh token to next. What this returns is
 * what connect-oauth stores on the account, so a field wrongly kept or dropped is user-visible.
 * Tokens are placeholders; hosts other than Bitrix24's are made-up examples.
 */
import { describe, expect, it } from 'vitest';
import { BITRIX24_AUTH_HOSTS, parseTokenGrant, tokenUrlFor } from '../../main/core/portal/oauth-token';

const NOW = 1_700_000_000_000;
const pair = { access_token: 'access-placeholder', refresh_token: 'refresh-placeholder' };
const parse = (extra: Record<string, unknown>, trusted: readonly string[] = BITRIX24_AUTH_HOSTS) => parseTokenGrant({ ...pair, ...extra }, NOW, trusted);

describe('which replies are a token response', () => {
  it.each([
    ['null', null],
    ['a list', [pair]],
    ['a string', 'access_token=x'],
    ['an access token that is not text', { ...pair, access_token: 5 }],
    ['a refresh token that is not text', { ...pair, refresh_token: 5 }],
    ['an empty access token', { ...pair, access_token: '' }],
    ['an empty refresh token', { ...pair, refresh_token: '' }],
    ['no refresh token', { access_token: 'access-placeholder' }],
    ['no access token', { refresh_token: 'refresh-placeholder' }],
  ])('%s is not one', (_name, body) => {
    expect(parseTokenGrant(body, NOW, BITRIX24_AUTH_HOSTS)).toBeUndefined();
  });

  it('a bare token pair keeps only the pair (no expiry, portal, user or auth server invented)', () => {
    expect(parse({})).toStrictEqual({ tokens: { accessToken: 'access-placeholder', refreshToken: 'refresh-placeholder' } });
  });

  it('a full response as oauth.bitrix.info sends it keeps everything it names', () => {
    const grant = parse({
      expires_in: 3600,
      client_endpoint: 'https://portal.example/rest/',
      server_endpoint: 'https://oauth.bitrix24.tech/rest/',
      member_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      user_id: 7,
    });
    expect(grant).toStrictEqual({
      tokens: { accessToken: 'access-placeholder', refreshToken: 'refresh-placeholder', expiresAt: NOW + 3_600_000 },
      clientEndpoint: 'https://portal.example/rest/',
      tokenUrl: 'https://oauth.bitrix24.tech/oauth/token/',
      memberId: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
      userId: 7,
    });
  });
});

describe('when the access token ends', () => {
  const expiresAt = (extra: Record<string, unknown>) => parse(extra)?.tokens.expiresAt;

  it('counts expires_in seconds from now', () => {
    expect(expiresAt({ expires_in: 3600 })).toBe(NOW + 3_600_000);
  });

  it('falls back to expires, a Unix time in seconds', () => {
    expect(expiresAt({ expires: 1_700_003_600 })).toBe(1_700_003_600_000);
    expect(expiresAt({ expires_in: 0, expires: 1_700_003_600 })).toBe(1_700_003_600_000);
    expect(expiresAt({ expires_in: -5, expires: 1_700_003_600 })).toBe(1_700_003_600_000);
    expect(expiresAt({ expires_in: '3600', expires: 1_700_003_600 })).toBe(1_700_003_600_000);
  });

  it.each([[{ expires_in: 0 }], [{ expires_in: -1 }], [{ expires_in: '3600' }], [{ expires: 0 }], [{ expires: -1 }], [{ expires: '1700003600' }]])(
    'does not guess an end from %j',
    (extra) => {
      expect(parse(extra)?.tokens).toStrictEqual({ accessToken: 'access-placeholder', refreshToken: 'refresh-placeholder' });
    },
  );
});

describe('the portal and user the response names', () => {
  it('keeps the portal REST base only when it is non-empty text', () => {
    expect(parse({ client_endpoint: 'https://portal.example/rest/' })?.clientEndpoint).toBe('https://portal.example/rest/');
    expect(parse({ client_endpoint: '' })).not.toHaveProperty('clientEndpoint');
    expect(parse({ client_endpoint: 42 })).not.toHaveProperty('clientEndpoint');
  });

  it('keeps a member id of up to 64 letters and digits, nothing else', () => {
    expect(parse({ member_id: 'abc123' })?.memberId).toBe('abc123');
    expect(parse({ member_id: 'a'.repeat(64) })?.memberId).toBe('a'.repeat(64));
    for (const bad of ['a'.repeat(65), '', '-abc', 'abc-', 'ab/cd', 12345]) expect(parse({ member_id: bad }), String(bad)).not.toHaveProperty('memberId');
  });

  // Only plain digits count: Number() would also read ' 7', '+7', '1e3', '0x10' or [7] as numbers.
  it('keeps a positive whole user id, given as a number or as digits', () => {
    expect(parse({ user_id: 7 })?.userId).toBe(7);
    expect(parse({ user_id: '42' })?.userId).toBe(42);
    for (const bad of [0, -3, 1.5, 2 ** 60, '0', '7a', 'a7', '-7', '+7', ' 7', '7 ', '1e3', '0x10', '', 'seven', null, true, [7]]) expect(parse({ user_id: bad }), String(bad)).not.toHaveProperty('userId');
  });
});

describe('where the refresh token may be sent next', () => {
  it.each([
    ['https://oauth.bitrix.info/rest/', 'https://oauth.bitrix.info/oauth/token/'],
    ['https://oauth.bitrix24.tech/rest/', 'https://oauth.bitrix24.tech/oauth/token/'],
    ['https://oauth.bitrix24.tech', 'https://oauth.bitrix24.tech/oauth/token/'],
  ])('a Bitrix24 auth server %s is followed', (endpoint, expected) => {
    expect(tokenUrlFor(endpoint, BITRIX24_AUTH_HOSTS)).toBe(expected);
    expect(parse({ server_endpoint: endpoint })?.tokenUrl).toBe(expected);
  });

  it.each([
    ['a host nobody trusts', 'https://oauth.evil.example/rest/'],
    ['a look-alike host', 'https://oauth.bitrix.info.evil.example/rest/'],
    ['plain http to a Bitrix24 host', 'http://oauth.bitrix.info/rest/'],
    ['another scheme', 'ftp://oauth.bitrix.info/rest/'],
    ['a user name in the address', 'https://someone@oauth.bitrix.info/rest/'],
    ['a password in the address', 'https://:pw@oauth.bitrix.info/rest/'],
    ['not an address', 'oauth.bitrix.info'],
    ['nothing', undefined],
    ['a number', 443],
    // A list is not an address even though it prints as one.
    ['a list holding an address', ['https://oauth.bitrix.info/rest/']],
  ])('%s is never sent a refresh token', (_name, endpoint) => {
    expect(tokenUrlFor(endpoint, BITRIX24_AUTH_HOSTS)).toBeUndefined();
    expect(parse({ server_endpoint: endpoint })).not.toHaveProperty('tokenUrl');
  });

  it('a loopback auth server added by the caller (the simulator) may speak http', () => {
    expect(tokenUrlFor('http://127.0.0.2:8443/rest/', ['127.0.0.2:8443'])).toBe('http://127.0.0.2:8443/oauth/token/');
    expect(tokenUrlFor('http://localhost:8443/rest/', ['localhost:8443'])).toBe('http://localhost:8443/oauth/token/');
    expect(tokenUrlFor('http://[::1]:8443/rest/', ['[::1]:8443'])).toBe('http://[::1]:8443/oauth/token/');
  });

  it('a trusted host that only looks like loopback must still use https', () => {
    for (const host of ['auth127.example', 'mylocalhost', 'localhost.example', '10.0.0.127.nip.example']) {
      expect(tokenUrlFor(`http://${host}/rest/`, [host]), host).toBeUndefined();
      expect(tokenUrlFor(`https://${host}/rest/`, [host]), host).toBe(`https://${host}/oauth/token/`);
    }
  });

  it('a loopback host still has to be on the trusted list', () => {
    expect(tokenUrlFor('http://127.0.0.2:8443/rest/', BITRIX24_AUTH_HOSTS)).toBeUndefined();
  });
});
