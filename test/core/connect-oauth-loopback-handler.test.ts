/**
 * The loopback handler that receives the portal's answer to a sign-in (§4.3 step 2 of
 * ../shared/docs/bitrix24-notify-api.md; real-portal-notes §2: the portal redirects to the
 * handler registered on the application with `code` and the `state` it was sent). Only that
 * answer counts; the browser is told what happened; the handler is closed once the wait ends.
 */
import { createServer, type Server } from 'node:http';
import { getEventListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError } from '../../main/core/app/connect';
import { OAUTH_HANDLER_URL } from '../../main/core/app/connect-oauth';
import { oauthSetup, signInBrowser, type BrowserVisit } from '../harness/oauth-sign-in';
import { pollUntil } from '../harness/processes';
import { rejection } from '../harness/waits';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const refusal = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, ConnectError);

/** What the app asked the portal for: the handler address and the state of this attempt. */
function askedFor(authorizeUrl: string): { handler: string; state: string } {
  const url = new URL(authorizeUrl);
  return { handler: url.searchParams.get('redirect_uri') ?? '', state: url.searchParams.get('state') ?? '' };
}

async function visit(url: string, visits: BrowserVisit[]): Promise<void> {
  const reply = await fetch(url);
  visits.push({ url, status: reply.status, body: await reply.text(), contentType: reply.headers.get('content-type') });
}

async function occupy(port: number, host: string): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return server;
}

describe('the loopback handler of an OAuth sign-in', () => {
  it('ignores other paths and other attempts’ states, thanks the browser, then stops listening', async () => {
    const setup = await oauthSetup(cleanups);
    const visits: BrowserVisit[] = [];
    let handler = '';
    const cancel = new AbortController();
    const browser = async (url: string): Promise<void> => {
      const asked = askedFor(url);
      handler = asked.handler;
      // Another tab, an old attempt, a stray request: each carries a code, none is this answer.
      await visit(`${asked.handler}?state=${'0'.repeat(32)}&code=forged`, visits);
      await visit(`${new URL('/favicon.ico', asked.handler).href}?state=${asked.state}&code=forged`, visits);
      await signInBrowser(visits)(url);
    };

    const account = await setup.connect({}, { openExternal: browser, signal: cancel.signal });

    expect(account.auth).toBe('oauth');
    expect(visits.map((each) => each.status)).toEqual([404, 404, 302, 200]);
    expect(visits[3]).toMatchObject({ body: '<p>B24 Notify is connected. You can close this tab.</p>', contentType: 'text/html; charset=utf-8' });
    expect(setup.portal.tokenLog).toEqual([expect.objectContaining({ grantType: 'authorization_code', ok: true })]);
    await expect(fetch(handler)).rejects.toThrow();
    expect(getEventListeners(cancel.signal, 'abort')).toEqual([]);
  });

  it('an answer without a code ends the wait as not approved, and the browser is told so', async () => {
    const setup = await oauthSetup(cleanups);
    const visits: BrowserVisit[] = [];
    let answered: Promise<void> | undefined;
    // Like the system's browser: the tab opens, and the portal's answer comes while the app waits.
    const browser = (url: string): void => {
      const asked = askedFor(url);
      answered = visit(`${asked.handler}?state=${asked.state}&error=access_denied`, visits);
    };

    const error = await refusal(setup.connect({}, { openExternal: browser }));
    await answered;

    expect(error.reason).toBe('approval-denied');
    expect(error.message).toBe('The portal did not approve the application.');
    expect(visits).toEqual([expect.objectContaining({ status: 200, body: '<p>The portal did not approve B24 Notify. You can close this tab.</p>' })]);
    expect(setup.portal.tokenLog).toEqual([]);
    expect(setup.accounts.list()).toEqual([]);
  });

  it('an answer that comes while the browser is still opening is read, not reported as unhandled', async () => {
    const setup = await oauthSetup(cleanups);
    const visits: BrowserVisit[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    cleanups.push(() => void process.off('unhandledRejection', onUnhandled));
    // A browser that returns only once the portal answered: shell.openExternal resolves when the
    // system has opened the link, which can be after a fast refusal.
    const slowBrowser = async (url: string): Promise<void> => {
      const asked = askedFor(url);
      await visit(`${asked.handler}?state=${asked.state}&error=access_denied`, visits);
      await new Promise((resolve) => setImmediate(resolve));
    };

    const error = await refusal(setup.connect({}, { openExternal: slowBrowser }));

    expect(error.reason).toBe('approval-denied');
    expect(unhandled).toEqual([]);
  });

  it('gives up after the time allowed, saying how long it waited and the handler URL to check', async () => {
    const setup = await oauthSetup(cleanups);
    setup.portal.setSignInRefused(true);

    const error = await refusal(setup.connect({}, { approvalTimeoutMs: 1_200 }));

    expect(error.reason).toBe('approval-timeout');
    expect(error.message).toMatch(/^No answer from the portal after 2 s\. If you approved, check that the application’s handler URL is exactly http:\/\/127\.0\.0\.1:47651\/callback;/);
    expect(error.details).toEqual({ handlerUrl: OAUTH_HANDLER_URL });
  });

  it('Cancel ends the wait at once; a cancelled attempt opens no browser tab at all', async () => {
    const setup = await oauthSetup(cleanups);
    setup.portal.setSignInRefused(true);
    const cancel = new AbortController();
    const waiting = setup.connect({}, { signal: cancel.signal, approvalTimeoutMs: 60_000 });
    await pollUntil(() => setup.visits.length > 0, 'the sign-in page');
    cancel.abort();
    const cancelled = await refusal(waiting);
    expect(cancelled.reason).toBe('sign-in-cancelled');
    expect(cancelled.message).toBe('Sign-in cancelled.');

    const opened = setup.visits.length;
    const again = await refusal(setup.connect({}, { signal: cancel.signal }));
    expect(again.reason).toBe('sign-in-cancelled');
    expect(setup.visits.length).toBe(opened);
  });

  it('Cancel ends the wait even while the browser call has not returned, and the handler stops listening', async () => {
    const setup = await oauthSetup(cleanups);
    const cancel = new AbortController();
    let asked = '';
    const hangingBrowser = (url: string): Promise<void> => {
      asked = url;
      return new Promise<void>(() => undefined);
    };
    const waiting = setup.connect({}, { openExternal: hangingBrowser, signal: cancel.signal, approvalTimeoutMs: 60_000 });
    await pollUntil(() => asked !== '', 'the browser asked to open the sign-in page');
    cancel.abort();
    expect((await refusal(waiting)).reason).toBe('sign-in-cancelled');

    // Its port is free again (with the fixed port, the next attempt would otherwise be refused as busy).
    await expect(fetch(askedFor(asked).handler)).rejects.toThrow('fetch failed');
  });

  it('listens on the fixed redirect port of 127.0.0.1 only, and names the port when it is taken', async () => {
    // A program on another loopback address does not hold 127.0.0.1's port.
    const elsewhere = await occupy(0, '127.0.0.2');
    const port = (elsewhere.address() as AddressInfo).port;
    const setup = await oauthSetup(cleanups);
    const account = await setup.connect({}, { redirectPort: port });
    expect(account.auth).toBe('oauth');
    expect(askedFor(setup.visits[0]!.url).handler).toBe(`http://127.0.0.1:${port}/callback`);

    await occupy(port, '127.0.0.1');
    const opened = setup.visits.length;
    const busy = await refusal(setup.connect({}, { redirectPort: port }));
    expect(busy.reason).toBe('redirect-port-busy');
    expect(busy.message).toBe(`Port ${port} on this computer is in use; close what uses it and try again.`);
    expect(setup.visits.length).toBe(opened);
  });
});
