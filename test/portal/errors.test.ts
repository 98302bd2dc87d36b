import { describe, expect, it } from 'vitest';
import { PortalError, kindForCode, type PortalErrorKind } from '../../main/core/portal';

describe('kindForCode', () => {
  it.each<[string, number | undefined, string | undefined, PortalErrorKind]>([
    ['INVALID_CREDENTIALS', 401, undefined, 'auth'],
    ['INVALID_CREDENTIALS', 403, undefined, 'auth'], // docs and server disagree on the status
    ['NO_AUTH_FOUND', 401, undefined, 'auth'],
    ['expired_token', 401, undefined, 'auth'],
    ['invalid_grant', 400, undefined, 'auth'],
    ['insufficient_scope', 401, undefined, 'scope'],
    ['insufficient_scope', 403, undefined, 'scope'],
    ['ACCESS_DENIED', 401, 'REST is available only on commercial plans.', 'plan'],
    ['ACCESS_DENIED', 401, 'REST is available only by subscription.', 'plan'],
    ['ACCESS_DENIED', 403, 'Access denied! Client ID not specified', 'invalid-request'],
    ['PAYMENT_REQUIRED', 402, undefined, 'plan'],
    ['QUERY_LIMIT_EXCEEDED', 503, undefined, 'rate-limited'],
    ['OVERLOAD_LIMIT', 401, undefined, 'rate-limited'],
    ['OPERATION_TIME_LIMIT', 429, undefined, 'operating-limited'],
    ['INTERNAL_SERVER_ERROR', 500, undefined, 'transient'],
    ['ERROR_METHOD_NOT_FOUND', 404, undefined, 'invalid-request'],
    ['ID_ERROR', 400, undefined, 'invalid-request'],
    ['SOMETHING_NEW', 502, undefined, 'transient'],
    ['SOMETHING_NEW', 400, undefined, 'invalid-request'],
  ])('%s (HTTP %s) is %s', (code, status, description, kind) => {
    expect(kindForCode(code, status, description)).toBe(kind);
  });

  it('gives every kind a user message that says what to do', () => {
    const kinds: PortalErrorKind[] = ['auth', 'scope', 'plan', 'rate-limited', 'operating-limited', 'transient', 'invalid-request'];
    const messages = kinds.map((kind) => new PortalError({ kind, code: 'X', delivery: 'not-processed' }).userMessage);
    expect(new Set(messages).size).toBe(kinds.length);
    expect(messages[0]).toMatch(/Reconnect/);
    expect(messages[1]).toMatch(/“im”/);
    expect(new PortalError({ kind: 'auth', code: 'invalid_grant', delivery: 'not-processed' }).userMessage).toMatch(/Sign in again/);
  });
});
