/**
 * The connections an OAuth sign-in makes itself (the portal check and the code exchange): they go
 * the way the app routes portal traffic (its dispatcher factory, e.g. the system proxy), a proxy
 * that cannot get through is named, and nothing stays connected once the attempt is over.
 *
 * The portal is addressed as acme.localhost: a loopback name (RFC 6761 §6.3; portal-url.ts accepts
 * plain http for it) that browsers resolve themselves and that only the test proxy maps to
 * 127.0.0.1, so a request that bypassed the proxy could not reach it.
 */
import { createServer, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { ProxyAgent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError } from '../../main/core/app/connect';
import type { RoutedDispatcher } from '../../main/core/portal/http';
import { oauthSetup, signInBrowser } from '../harness/oauth-sign-in';
import { pollUntil } from '../harness/processes';
import { rejection } from '../harness/waits';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const refusal = (promise: Promise<unknown>): Promise<ConnectError> => rejection(promise, ConnectError);

/** Starts `server` on loopback; it is closed (with every connection) after the test. */
const KEEP_ALIVE_MS = 600_000;

async function listening(server: Server): Promise<{ port: number; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  // Idle connections would be kept ten minutes (with `keep-alive: timeout=600` on each answer,
  // undici keeps them as long, capped by its keepAliveMaxTimeout of 600 s), so a connection gone
  // within seconds was closed by the app.
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, sockets };
}

/** A CONNECT proxy that knows only *.localhost (as 127.0.0.1); any other target gets 502. */
async function startProxy(events: string[]): Promise<string> {
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req, client: Socket, head: Buffer) => {
    const target = new URL(`http://${req.url ?? ''}`);
    events.push(`tunnel ${target.host}`);
    if (!target.hostname.endsWith('.localhost')) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const upstream = netConnect(Number(target.port), '127.0.0.1');
    upstream.once('connect', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).on('error', () => undefined);
      client.pipe(upstream).on('error', () => undefined);
    });
    upstream.once('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.once('error', () => upstream.destroy());
  });
  const { port } = await listening(server);
  return `127.0.0.1:${port}`;
}

/** The app's route to every portal: through the proxy, one dispatcher per route asked for. */
function throughProxy(proxy: string): (origin: string) => Promise<RoutedDispatcher> {
  return async () => {
    const dispatcher = new ProxyAgent(`http://${proxy}`);
    cleanups.push(() => dispatcher.close());
    return { dispatcher, proxy };
  };
}

/** Browsers resolve *.localhost to loopback themselves. */
const loopbackBrowser = (events: string[]) => {
  const browser = signInBrowser();
  return async (url: string): Promise<void> => {
    events.push('browser');
    const page = new URL(url);
    page.hostname = '127.0.0.1';
    await browser(page.href);
  };
};

describe('the connections of an OAuth sign-in', () => {
  it('checks the portal and exchanges the code through the proxy the app routes portal traffic through', async () => {
    const events: string[] = [];
    const proxy = await startProxy(events);
    const setup = await oauthSetup(cleanups, { clientOptions: { dispatcherFactory: throughProxy(proxy) } });
    const address = `http://acme.localhost:${new URL(setup.portal.origin).port}`;
    setup.portal.setClientEndpoint(`${address}/rest/`);

    // Not started: the portal's own polling would go through the proxy too, in between.
    const quiet = { start: async () => undefined, restart: async () => undefined };
    const account = await setup.connect({ portal: address }, { ...quiet, openExternal: loopbackBrowser(events), tokenUrl: `${address}/oauth/token/` });

    expect(account.origin).toBe(address);
    const host = new URL(address).host;
    // The portal check before the tab opens, the code exchange right after the portal's answer.
    expect(events.slice(0, 3)).toEqual([`tunnel ${host}`, 'browser', `tunnel ${host}`]);
    expect(setup.portal.tokenLog).toEqual([expect.objectContaining({ grantType: 'authorization_code', ok: true })]);

    // Signing in again goes the same way.
    setup.portal.revokeRefreshTokens();
    const before = events.length;
    await setup.reconnect(account.id, { ...quiet, openExternal: loopbackBrowser(events), tokenUrl: `${address}/oauth/token/` });
    expect(events.slice(before, before + 3)).toEqual([`tunnel ${host}`, 'browser', `tunnel ${host}`]);
  });

  it('names the proxy when it cannot reach the portal or the auth server', async () => {
    const proxy = await startProxy([]);
    const setup = await oauthSetup(cleanups, { clientOptions: { dispatcherFactory: throughProxy(proxy) } });
    const portal = await refusal(setup.connect({ portal: 'https://acme.bitrix24.com' }));
    expect(portal.message).toMatch(`The proxy at ${proxy} did not let the connection to the portal through (HTTP 502).`);

    // The portal is reached through the proxy; the auth server is not.
    const address = `http://acme.localhost:${new URL(setup.portal.origin).port}`;
    const authServer = await refusal(setup.connect({ portal: address }, { openExternal: loopbackBrowser([]), tokenUrl: 'https://oauth.bitrix.info/oauth/token/' }));
    expect(setup.portal.requestLog.map((entry) => entry.restMethod)).toEqual(['scope', 'oauth.authorize']);
    expect(authServer.message).toMatch(`The proxy at ${proxy} did not let the connection to the portal through (HTTP 502).`);
  });

  it('introduces itself as B24Notify, and leaves no connection open to a site that is not a portal nor to an auth server that refused', async () => {
    const agents: (string | undefined)[] = [];
    const site = await listening(
      createServer((req, res) => {
        agents.push(req.headers['user-agent']);
        res.writeHead(404, { 'content-type': 'text/html', 'keep-alive': 'timeout=600' }).end('<h1>Not Found</h1>');
      }),
    );
    const setup = await oauthSetup(cleanups);
    expect((await refusal(setup.connect({ portal: `http://127.0.0.1:${site.port}` }))).reason).toBe('not-a-portal');
    await pollUntil(() => site.sockets.size === 0, 'the portal check to hang up', 10_000);

    const authServer = await listening(
      createServer((req, res) => {
        agents.push(req.headers['user-agent']);
        res.writeHead(400, { 'content-type': 'application/json', 'keep-alive': 'timeout=600' }).end('{"error":"invalid_grant"}');
      }),
    );
    expect((await refusal(setup.connect({}, { tokenUrl: `http://127.0.0.1:${authServer.port}/oauth/token/` }))).reason).toBe('auth');
    await pollUntil(() => authServer.sockets.size === 0, 'the code exchange to hang up', 10_000);
    expect(agents).toEqual(['B24Notify', 'B24Notify']);
  });
});
