/**
 * What the window and tray show after a failed exchange (engine/connection.ts), for each kind of
 * portal error, with the portal's words and the details each state carries.
 */
import { describe, expect, it } from 'vitest';
import { connectionFor } from '../../main/core/engine/connection';
import { PortalError, type PortalErrorInit } from '../../main/core/portal/errors';

const error = (init: Partial<PortalErrorInit> & Pick<PortalErrorInit, 'kind'>): PortalError => new PortalError({ code: 'X', delivery: 'not-processed', ...init });

describe('the connection state for each failure', () => {
  it('needs the user for sign-in, permission, plan and configuration', () => {
    for (const [kind, status] of [['auth', 'auth-needed'], ['scope', 'scope-missing'], ['plan', 'plan-unavailable'], ['config', 'config-error']] as const) {
      const failure = error({ kind });
      expect(connectionFor(failure)).toEqual({ status, message: failure.userMessage });
    }
  });

  it('a certificate names its host and issuer, or says nothing of them when unknown', () => {
    const known = error({ kind: 'certificate', certificate: { host: 'b24.example.com', issuer: 'Example CA' } });
    expect(connectionFor(known)).toEqual({ status: 'certificate-error', message: known.userMessage, host: 'b24.example.com', issuer: 'Example CA' });
    expect(connectionFor(error({ kind: 'certificate' }))).toMatchObject({ host: '', issuer: undefined });
  });

  it('a moved portal offers its new address only when the portal named one', () => {
    expect(connectionFor(error({ kind: 'moved', code: 'PORTAL_MOVED', movedTo: 'https://new.bitrix24.com' }))).toMatchObject({ status: 'portal-moved', movedTo: 'https://new.bitrix24.com' });
    expect(connectionFor(error({ kind: 'moved', code: 'REDIRECT', movedTo: 'https://elsewhere.example' }))).toMatchObject({ status: 'portal-moved', movedTo: undefined });
  });

  it('limits say when to try again; anything else is an error that also may', () => {
    for (const kind of ['rate-limited', 'operating-limited'] as const) expect(connectionFor(error({ kind, retryAt: 5_000 }))).toMatchObject({ status: 'rate-limited', retryAt: 5_000 });
    for (const kind of ['transient', 'invalid-request'] as const) expect(connectionFor(error({ kind, retryAt: 7_000 }))).toMatchObject({ status: 'error', retryAt: 7_000 });
  });
});
