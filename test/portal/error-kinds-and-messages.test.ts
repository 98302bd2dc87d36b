/**
 * What the app decides from a portal failure (its kind: retry, stop, ask the user) and what it
 * tells the user. Codes and statuses come from ../shared/docs/bitrix24-notify-api.md §4.6 and
 * ../shared/docs/real-portal-notes.md §2; our own codes (NETWORK_ERROR, TIMEOUT, …) from the client.
 */
import { describe, expect, it } from 'vitest';
import { PortalError, kindForCode, type PortalErrorKind } from '../../main/core/portal';
import type { PortalErrorInit } from '../../main/core/portal/errors';

const message = (init: Omit<PortalErrorInit, 'delivery'>): string => new PortalError({ delivery: 'not-processed', ...init }).userMessage;

describe('which kind a portal failure is', () => {
  it.each<[string, number | undefined, string | undefined, PortalErrorKind]>([
    // "Https required." is 401 INVALID_REQUEST (real-portal-notes §2): a configuration problem, not a bad call.
    ['INVALID_REQUEST', 401, 'Https required.', 'config'],
    ['INVALID_REQUEST', 400, 'HTTPS REQUIRED', 'config'],
    // Any other INVALID_REQUEST is an ordinary refused request.
    ['INVALID_REQUEST', 400, 'Parameter "ID" is wrong', 'invalid-request'],
    ['INVALID_REQUEST', 400, undefined, 'invalid-request'],
    // The text alone does not make a config problem: another code quoting it stays what it is.
    ['ERROR_ARGUMENT', 400, 'Https required.', 'invalid-request'],
    // ACCESS_DENIED means "no REST on this plan" only when the text says so (§4.6).
    ['ACCESS_DENIED', 401, 'REST is available only on commercial plans.', 'plan'],
    ['ACCESS_DENIED', 403, 'Requires an active SUBSCRIPTION', 'plan'],
    ['ACCESS_DENIED', 403, undefined, 'invalid-request'],
    // Wrapped server failures are temporary whatever status they came with (ERROR_CORE: 400/500).
    ['ERROR_CORE', 400, 'SQL query error!', 'transient'],
    ['WRONG_ENCODING', 200, undefined, 'transient'],
    ['CONNECTION_ERROR', undefined, undefined, 'transient'],
    // Unknown codes: only a server failure or a request timeout is worth retrying.
    ['SOMETHING_NEW', 500, undefined, 'transient'],
    ['SOMETHING_NEW', 408, undefined, 'transient'],
    ['SOMETHING_NEW', 499, undefined, 'invalid-request'],
    ['SOMETHING_NEW', undefined, undefined, 'invalid-request'],
    ['PORTAL_DELETED', 403, undefined, 'auth'],
    ['WRONG_AUTH_TYPE', 403, undefined, 'auth'],
  ])('%s (HTTP %s, %s) is %s', (code, status, description, kind) => {
    expect(kindForCode(code, status, description)).toBe(kind);
  });
});

describe('what the user is told', () => {
  it('a closed portal says so and asks to remove it, not to reconnect', () => {
    const text = message({ kind: 'auth', code: 'PORTAL_DELETED', status: 403 });
    expect(text).toBe('This portal has been closed or deleted. Remove it or connect another one.');
  });

  it('a connection type the portal refuses for notifications names the kinds that work', () => {
    const text = message({ kind: 'auth', code: 'WRONG_AUTH_TYPE', status: 403 });
    expect(text).toBe(
      'The portal does not accept this kind of connection for notifications. Connect with an inbound webhook or an OAuth app.',
    );
  });

  it('rejected credentials ask to reconnect', () => {
    expect(message({ kind: 'auth', code: 'INVALID_CREDENTIALS', status: 401 })).toMatch(/rejected the credentials.*Reconnect the portal in Settings/);
  });

  it('a manual block (OVERLOAD_LIMIT) does not promise a quick resume; "too many requests" does', () => {
    // OVERLOAD_LIMIT is a manual block of the app or webhook (§4.6), lifted only by the portal.
    expect(message({ kind: 'rate-limited', code: 'OVERLOAD_LIMIT', status: 503 })).toBe(
      'The portal has blocked this app’s requests for now. Notifications will resume when the portal lifts the block.',
    );
    expect(message({ kind: 'rate-limited', code: 'QUERY_LIMIT_EXCEEDED', status: 503 })).toBe(
      'The portal is receiving too many requests. Notifications will resume automatically in a moment.',
    );
  });

  it('an operating-time limit says the pause is minutes long and resumes by itself', () => {
    expect(message({ kind: 'operating-limited', code: 'OPERATION_TIME_LIMIT', status: 429 })).toBe(
      'The portal has paused this request type for a few minutes (operating-time limit). It will resume automatically.',
    );
  });

  it('each temporary failure says what went wrong in its own words', () => {
    expect(message({ kind: 'transient', code: 'TIMEOUT' })).toBe('The portal did not answer in time. Retrying automatically.');
    expect(message({ kind: 'transient', code: 'INVALID_RESPONSE', status: 502 })).toBe(
      'The portal answered with an unexpected page (HTTP 502); a proxy or maintenance may be in the way. Retrying automatically.',
    );
    expect(message({ kind: 'transient', code: 'INVALID_RESPONSE' })).toBe(
      'The portal answered with an unexpected page; a proxy or maintenance may be in the way. Retrying automatically.',
    );
    expect(message({ kind: 'transient', code: 'RESPONSE_TOO_LARGE' })).toBe('The portal’s answer was too large to accept.');
    expect(message({ kind: 'transient', code: 'NETWORK_ERROR' })).toBe(
      'Cannot reach the portal. Check the network connection; retrying automatically.',
    );
    expect(message({ kind: 'transient', code: 'INTERNAL_SERVER_ERROR', status: 500 })).toBe(
      'The portal had a temporary problem. Retrying automatically.',
    );
  });

  it('a temporary failure that went through a proxy names the proxy only when it is about the network', () => {
    expect(message({ kind: 'transient', code: 'NETWORK_ERROR', proxy: 'proxy.corp:3128' })).toBe(
      'Cannot reach the portal through the proxy at proxy.corp:3128. Check the network connection and the proxy settings; retrying automatically.',
    );
    // A portal-side failure is not the proxy's fault, even when a proxy is in use.
    expect(message({ kind: 'transient', code: 'ERROR_CORE', status: 500, proxy: 'proxy.corp:3128' })).toBe(
      'The portal had a temporary problem. Retrying automatically.',
    );
  });

  it('a proxy asking for a password shows where to put it, with the proxy’s own address', () => {
    const withProxy = message({ kind: 'transient', code: 'PROXY_AUTH_REQUIRED', status: 407, proxy: 'proxy.corp:3128' });
    expect(withProxy).toContain('The proxy at proxy.corp:3128 asks for a sign-in (407).');
    expect(withProxy).toContain('HTTPS_PROXY (http://user:password@proxy.corp:3128)');
    const unknownProxy = message({ kind: 'transient', code: 'PROXY_AUTH_REQUIRED', status: 407 });
    expect(unknownProxy).toContain('The proxy at your network asks for a sign-in (407).');
    expect(unknownProxy).toContain('(http://user:password@host:port)');
  });

  it('a proxy refusing the tunnel names the proxy and its status', () => {
    expect(message({ kind: 'transient', code: 'PROXY_REFUSED', status: 403, proxy: 'proxy.corp:3128' })).toBe(
      'The proxy at proxy.corp:3128 did not let the connection to the portal through (HTTP 403). Retrying automatically; if it persists, check the proxy settings.',
    );
    expect(message({ kind: 'transient', code: 'PROXY_REFUSED' })).toBe(
      'The proxy at your network did not let the connection to the portal through. Retrying automatically; if it persists, check the proxy settings.',
    );
  });

  it('a certificate problem names the host and issuer and says who must act', () => {
    const certificate = { host: 'portal.corp.local', issuer: 'Corp Root CA' };
    expect(message({ kind: 'certificate', code: 'ERR_TLS_CERT_ALTNAME_INVALID', certificate })).toBe(
      "The certificate portal.corp.local presents, issued by “Corp Root CA”, is for another name. Check the portal's address; if it is right, ask the portal's administrator to fix the certificate.",
    );
    for (const code of ['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']) {
      expect(message({ kind: 'certificate', code, certificate }), code).toBe(
        "The certificate of portal.corp.local, issued by “Corp Root CA”, is outside its validity dates. Check this computer's clock; if it is right, ask the portal's administrator to renew the certificate.",
      );
    }
    expect(message({ kind: 'certificate', code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', certificate: { host: 'portal.corp.local' } })).toBe(
      "This computer does not trust the certificate of portal.corp.local. If your company uses its own certificate authority, install it in the system's certificate store (your administrator knows it), then choose Try again. B24 Notify never connects to a portal it cannot verify.",
    );
  });

  it('a certificate problem whose details are unknown still reads well', () => {
    expect(message({ kind: 'certificate', code: 'SELF_SIGNED_CERT_IN_CHAIN' })).toMatch(/^This computer does not trust the certificate of the portal\. /);
    expect(message({ kind: 'certificate', code: 'CERT_HAS_EXPIRED' })).toMatch(/^The certificate of the portal is outside its validity dates\. /);
  });

  it('a redirect names where the portal points, and an unsafe one says credentials stay home', () => {
    expect(message({ kind: 'moved', code: 'UNSAFE_REDIRECT', movedTo: 'http://10.0.0.5' })).toBe(
      "The portal answered with a redirect to http://10.0.0.5, where B24 Notify will not send your credentials (not https, or a local address). Check the portal's address and reconnect it in Settings.",
    );
    expect(message({ kind: 'moved', code: 'UNSAFE_REDIRECT' })).toMatch(/^The portal answered with a redirect to another address, where /);
    expect(message({ kind: 'moved', code: 'MOVED', movedTo: 'https://new.bitrix24.com' })).toBe(
      'The portal answered that it moved to https://new.bitrix24.com. Use the new address?',
    );
    expect(message({ kind: 'moved', code: 'MOVED' })).toBe('The portal answered that it moved to another address. Use the new address?');
  });

  it('a refused request quotes the portal’s own reason when it gave one', () => {
    expect(message({ kind: 'invalid-request', code: 'ERROR_METHOD_NOT_FOUND', status: 404, description: 'Method not found!' })).toBe(
      'The portal refused the request: Method not found!.',
    );
    expect(message({ kind: 'invalid-request', code: 'ID_ERROR', status: 400 })).toBe('The portal refused the request.');
  });

  it('every kind and special code has its own message, none of them empty', () => {
    const inits: Omit<PortalErrorInit, 'delivery'>[] = [
      { kind: 'auth', code: 'INVALID_CREDENTIALS' },
      { kind: 'auth', code: 'invalid_grant' },
      { kind: 'auth', code: 'PORTAL_DELETED' },
      { kind: 'auth', code: 'WRONG_AUTH_TYPE' },
      { kind: 'scope', code: 'insufficient_scope' },
      { kind: 'plan', code: 'PAYMENT_REQUIRED' },
      { kind: 'rate-limited', code: 'QUERY_LIMIT_EXCEEDED' },
      { kind: 'rate-limited', code: 'OVERLOAD_LIMIT' },
      { kind: 'operating-limited', code: 'OPERATION_TIME_LIMIT' },
      { kind: 'transient', code: 'TIMEOUT' },
      { kind: 'transient', code: 'RESPONSE_TOO_LARGE' },
      { kind: 'transient', code: 'NETWORK_ERROR' },
      { kind: 'transient', code: 'ERROR_CORE' },
      { kind: 'config', code: 'INVALID_REQUEST' },
      { kind: 'invalid-request', code: 'ID_ERROR' },
    ];
    const messages = inits.map(message);
    for (const text of messages) expect(text.length).toBeGreaterThan(20);
    expect(new Set(messages).size).toBe(inits.length);
  });
});
