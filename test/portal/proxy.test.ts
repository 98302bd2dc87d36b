/**
 * Proxy routing: the PAC-style answer of `session.resolveProxy`, the environment, NO_PROXY and
 * loopback, and a PortalClient whose requests really go through a CONNECT proxy written here, in
 * front of the portal simulator serving HTTPS.
 *
 * The portal is addressed as `portal.test` (loopback is never proxied, so a proxied portal needs
 * a name). Nothing leaves loopback: the test proxy tunnels only to `portal.test`, which it maps to
 * 127.0.0.1, and direct connections use a DNS answer given to the connector.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type LookupFunction, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { EventEmitter } from 'node:events';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PortalClient, type PortalClientOptions } from '../../main/core/portal';
import { ProxyRouter, decideProxy, parsePacResult, type ProxyEnv, type ProxyRouterOptions } from '../../main/core/portal/proxy';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { portalFailure } from '../harness/waits';

const PORTAL_HOST = 'portal.test';

// For the Electron adapter at the end: Chromium's answer and the power events, without Electron.
const electronFake = vi.hoisted(() => ({ systemAnswer: 'DIRECT', asked: [] as string[] }));
vi.mock('electron', async () => {
  const { EventEmitter: Emitter } = await import('node:events');
  return {
    session: {
      defaultSession: {
        resolveProxy: async (url: string) => {
          electronFake.asked.push(url);
          return electronFake.systemAnswer;
        },
      },
    },
    powerMonitor: new Emitter(),
  };
});

/** A throwaway certificate for portal.test and 127.0.0.1, made with the openssl CLI. */
function makeCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'b24-proxy-cert-'));
  try {
    const [keyPath, certPath] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', `/CN=${PORTAL_HOST}`, '-addext', `subjectAltName=DNS:${PORTAL_HOST},IP:127.0.0.1`],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The test's own DNS: portal.test is 127.0.0.1, nothing else exists. */
const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
  if (hostname !== PORTAL_HOST) {
    callback(Object.assign(new Error(`test DNS knows only ${PORTAL_HOST}`), { code: 'ENOTFOUND' }));
  } else if (options.all) {
    callback(null, [{ address: '127.0.0.1', family: 4 }]);
  } else {
    callback(null, '127.0.0.1', 4);
  }
}) as unknown as LookupFunction;

interface TestProxy {
  address: string;
  /** `host:port` of every tunnel opened. */
  tunnels: string[];
  /** CONNECTs answered 407. */
  refused: number;
  /** The Proxy-Authorization header of each CONNECT. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

/** A real HTTP CONNECT proxy on loopback; with `credentials`, it wants Basic proxy auth. */
async function startProxy(credentials?: { user: string; password: string }): Promise<TestProxy> {
  const sockets = new Set<Socket>();
  const expected = credentials ? `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}` : undefined;
  const proxy: Omit<TestProxy, 'address' | 'close'> = { tunnels: [], refused: 0, authorizations: [] };
  const server: Server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    proxy.authorizations.push(req.headers['proxy-authorization']);
    if (expected && req.headers['proxy-authorization'] !== expected) {
      proxy.refused += 1;
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = (req.url ?? '').split(':');
    if (host !== PORTAL_HOST) {
      client.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const upstream = netConnect(Number(port), '127.0.0.1', () => {
      proxy.tunnels.push(`${host}:${port}`);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.once('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(proxy, {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  });
}

let certificate: { key: string; cert: string };
let portal: PortalSim;
/** The simulator under its proxied name. */
let portalOrigin: string;

beforeAll(async () => {
  certificate = makeCertificate();
  portal = await startPortalSim({ tls: certificate });
  portalOrigin = `https://${PORTAL_HOST}:${new URL(portal.origin).port}`;
});

afterAll(async () => {
  await portal?.close();
});

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function proxyServer(credentials?: { user: string; password: string }): Promise<TestProxy> {
  const started = await startProxy(credentials);
  open.push(started);
  return started;
}

interface Setup {
  router: ProxyRouter;
  client: PortalClient;
  logLines: string[];
  /** URLs the fake resolveProxy was asked about. */
  asked: string[];
}

function setup(
  system: string | undefined,
  env: ProxyEnv = {},
  origin = portalOrigin,
  routerOptions: Partial<ProxyRouterOptions> = {},
  clientOptions: Partial<PortalClientOptions> = {},
): Setup {
  const logLines: string[] = [];
  const asked: string[] = [];
  const router = new ProxyRouter({
    ...(system === undefined
      ? {}
      : {
          resolveProxy: async (url: string) => {
            asked.push(url);
            return system;
          },
        }),
    env,
    connect: { ca: certificate.cert, lookup },
    log: (level, message) => logLines.push(`${level} ${message}`),
    ...routerOptions,
  });
  const client = new PortalClient({
    credentials: { kind: 'webhook', origin, userId: portal.userId, code: portal.webhookCode },
    dispatcherFactory: router.dispatcherFactory,
    maxAttempts: 1,
    log: (level, message) => logLines.push(`${level} ${message}`),
    ...clientOptions,
  });
  open.push(client, router);
  return { router, client, logLines, asked };
}

describe('parsePacResult', () => {
  it('reads DIRECT, PROXY, HTTPS and SOCKS entries, with default ports and IPv6', () => {
    expect(parsePacResult('DIRECT')).toEqual([{ type: 'direct' }]);
    expect(parsePacResult('PROXY proxy.corp:3128')).toEqual([{ type: 'http', host: 'proxy.corp', port: 3128 }]);
    expect(parsePacResult(' HTTPS secure.corp:8443 ;PROXY fallback.corp; DIRECT')).toEqual([
      { type: 'https', host: 'secure.corp', port: 8443 },
      { type: 'http', host: 'fallback.corp', port: 80 },
      { type: 'direct' },
    ]);
    expect(parsePacResult('SOCKS5 socks.corp:1080; DIRECT')).toEqual([{ type: 'unsupported', scheme: 'SOCKS5', address: 'socks.corp:1080' }, { type: 'direct' }]);
    expect(parsePacResult('PROXY [::1]:8080')).toEqual([{ type: 'http', host: '[::1]', port: 8080 }]);
    expect(parsePacResult('PROXY bad:99999; ;')).toEqual([{ type: 'unsupported', scheme: 'PROXY', address: 'bad:99999' }]);
    expect(parsePacResult('')).toEqual([]);
  });
});

describe('decideProxy', () => {
  const portalUrl = new URL('https://acme.bitrix24.com');

  it('takes the first usable system entry, skipping SOCKS with a warning', () => {
    const warnings: string[] = [];
    expect(decideProxy(portalUrl, 'SOCKS5 socks.corp:1080; PROXY proxy.corp:3128; DIRECT', {}, warnings)).toEqual({
      via: 'proxy',
      source: 'system',
      proxyUrl: 'http://proxy.corp:3128/',
      address: 'proxy.corp:3128',
    });
    expect(warnings).toEqual([expect.stringMatching(/SOCKS5 proxy at socks\.corp:1080 is not supported/)]);
    expect(decideProxy(portalUrl, 'HTTPS secure.corp:8443', {})).toMatchObject({ via: 'proxy', proxyUrl: 'https://secure.corp:8443/' });
  });

  it('falls back to the environment when the system says DIRECT, offers only SOCKS, or was not asked', () => {
    const env = { HTTPS_PROXY: 'http://env.corp:8080' };
    for (const system of ['DIRECT', 'SOCKS5 socks.corp:1080', undefined]) {
      expect(decideProxy(portalUrl, system, env), String(system)).toMatchObject({ via: 'proxy', source: 'env', address: 'env.corp:8080' });
    }
    expect(decideProxy(portalUrl, 'DIRECT', {})).toEqual({ via: 'direct', source: 'system' });
    expect(decideProxy(portalUrl, undefined, {})).toEqual({ via: 'direct', source: 'none' });
  });

  it('reads the environment as undici does: lower case first, HTTP_PROXY for https too, a bare host:port as http', () => {
    expect(decideProxy(portalUrl, undefined, { https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2' })).toMatchObject({ address: 'lower:1' });
    expect(decideProxy(portalUrl, undefined, { HTTP_PROXY: 'plain.corp:3128' })).toMatchObject({ proxyUrl: 'http://plain.corp:3128/' });
    const warnings: string[] = [];
    expect(decideProxy(portalUrl, undefined, { HTTPS_PROXY: 'socks5://s:1080' }, warnings)).toEqual({ via: 'direct', source: 'none' });
    expect(warnings).toEqual([expect.stringMatching(/SOCKS5 proxy at s:1080 from the environment is not supported/)]);
  });

  it('honours NO_PROXY: exact hosts, domain suffixes, ports and *', () => {
    const proxied = { HTTPS_PROXY: 'http://env.corp:8080' };
    for (const noProxy of ['acme.bitrix24.com', '.bitrix24.com', '*.bitrix24.com', 'bitrix24.com', 'other.org, acme.bitrix24.com:443', '*']) {
      expect(decideProxy(portalUrl, 'DIRECT', { ...proxied, NO_PROXY: noProxy }), noProxy).toEqual({ via: 'direct', source: 'env' });
    }
    for (const noProxy of ['other.org', 'acme.bitrix24.com:8443', 'trix24.com']) {
      expect(decideProxy(portalUrl, 'DIRECT', { ...proxied, no_proxy: noProxy }), noProxy).toMatchObject({ via: 'proxy' });
    }
  });

  it('never proxies loopback, whatever the system or the environment say', () => {
    for (const origin of ['https://127.0.0.1:8443', 'http://localhost:3000', 'https://[::1]:8443']) {
      expect(decideProxy(new URL(origin), 'PROXY proxy.corp:3128', { HTTPS_PROXY: 'http://env.corp:8080' })).toEqual({ via: 'direct', source: 'loopback' });
    }
  });

  it('lends the system proxy the credentials of HTTPS_PROXY when both name the same proxy', () => {
    const env = { HTTPS_PROXY: 'http://alice:s3cret%21@proxy.corp:3128' };
    expect(decideProxy(portalUrl, 'PROXY proxy.corp:3128', env)).toMatchObject({ proxyUrl: 'http://alice:s3cret%21@proxy.corp:3128/', address: 'proxy.corp:3128' });
    expect(decideProxy(portalUrl, 'PROXY other.corp:3128', env)).toMatchObject({ proxyUrl: 'http://other.corp:3128/' });
  });
});

describe('a PortalClient through ProxyRouter', () => {
  it('goes through the tunnel of the system proxy and succeeds', async () => {
    const proxy = await proxyServer();
    const { client, logLines } = setup(`PROXY ${proxy.address}`);
    const before = portal.requestLog.length;
    await expect(client.call('scope')).resolves.toMatchObject({ result: expect.arrayContaining(['im']) });
    await client.call('im.notify.get');
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(new Set(proxy.tunnels)).toEqual(new Set([`${PORTAL_HOST}:${new URL(portalOrigin).port}`]));
    expect(portal.requestLog.slice(before).map((entry) => entry.restMethod)).toEqual(['scope', 'im.notify.get']);
    expect(logLines).toContain(`info requests to ${portalOrigin} go through the proxy at ${proxy.address} (system settings)`);
  });

  it('connects directly when the system says DIRECT and the environment has no proxy', async () => {
    const proxy = await proxyServer();
    const { client } = setup('DIRECT');
    await expect(client.call('scope')).resolves.toBeDefined();
    expect(proxy.tunnels).toEqual([]);
  });

  it('uses HTTPS_PROXY when the system says DIRECT, unless NO_PROXY names the portal', async () => {
    const proxy = await proxyServer();
    const viaEnv = setup('DIRECT', { HTTPS_PROXY: `http://${proxy.address}` });
    await expect(viaEnv.client.call('scope')).resolves.toBeDefined();
    expect(proxy.tunnels).toHaveLength(1);

    const excluded = setup('DIRECT', { HTTPS_PROXY: `http://${proxy.address}`, NO_PROXY: '.test' });
    await expect(excluded.client.call('scope')).resolves.toBeDefined();
    expect(proxy.tunnels).toHaveLength(1);
    expect(excluded.logLines).toContain(`info requests to ${portalOrigin} go direct (NO_PROXY)`);
  });

  it('never sends a loopback portal through the proxy', async () => {
    const proxy = await proxyServer();
    const { client, asked } = setup(`PROXY ${proxy.address}`, { HTTPS_PROXY: `http://${proxy.address}` }, portal.origin);
    await expect(client.call('scope')).resolves.toBeDefined();
    expect(proxy.tunnels).toEqual([]);
    expect(asked).toEqual([]); // not even asked
  });

  it('skips a SOCKS entry with a warning and takes the next one', async () => {
    const proxy = await proxyServer();
    const onlySocks = setup('SOCKS5 127.0.0.1:1');
    await expect(onlySocks.client.call('scope')).resolves.toBeDefined();
    expect(onlySocks.logLines).toEqual(expect.arrayContaining([expect.stringMatching(/^warn proxy for .*SOCKS5 proxy at 127\.0\.0\.1:1 is not supported; skipped/), `info requests to ${portalOrigin} go direct (system settings)`]));
    const socksThenHttp = setup(`SOCKS5 127.0.0.1:1; PROXY ${proxy.address}`);
    await expect(socksThenHttp.client.call('scope')).resolves.toBeDefined();
    expect(proxy.tunnels).toHaveLength(1);
  });

  it('turns a 407 into a clear error, tried once, with nothing reaching the portal', async () => {
    const proxy = await proxyServer({ user: 'alice', password: 'pa55-w0rd' });
    // Default attempts: a demand for a password is not retried within the call.
    const { client } = setup(`PROXY ${proxy.address}`, {}, portalOrigin, {}, { maxAttempts: 3, backoffBaseMs: 1 });
    const before = portal.requestLog.length;
    const error = await portalFailure(client.call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'transient', code: 'PROXY_AUTH_REQUIRED', status: 407, delivery: 'not-processed', proxy: proxy.address });
    expect(error.userMessage).toMatch(new RegExp(`^The proxy at ${proxy.address.replace(/\./g, '\\.')} asks for a sign-in \\(407\\)\\. Put its user and password in HTTPS_PROXY`));
    expect(proxy.refused).toBe(1);
    expect(proxy.tunnels).toEqual([]);
    expect(portal.requestLog.length).toBe(before);
  });

  it('signs in with the credentials of HTTPS_PROXY, and never prints them, even when they are wrong', async () => {
    const proxy = await proxyServer({ user: 'alice', password: 'pa55-w0rd' });
    const good = setup(`PROXY ${proxy.address}`, { HTTPS_PROXY: `http://alice:pa55-w0rd@${proxy.address}` });
    await expect(good.client.call('scope')).resolves.toBeDefined();
    expect(proxy.tunnels).toHaveLength(1);
    expect(proxy.authorizations.at(-1)).toBe(`Basic ${Buffer.from('alice:pa55-w0rd').toString('base64')}`);

    const wrong = setup('DIRECT', { HTTPS_PROXY: `http://alice:wr0ng-pa55@${proxy.address}` });
    const error = await portalFailure(wrong.client.call('scope'));
    expect(error.code).toBe('PROXY_AUTH_REQUIRED');
    const printed = [error.message, error.userMessage, String(error), inspect(error), JSON.stringify(error), ...good.logLines, ...wrong.logLines].join('\n');
    expect(printed).toContain(proxy.address);
    for (const secret of ['pa55-w0rd', 'wr0ng-pa55', Buffer.from('alice:pa55-w0rd').toString('base64')]) expect(printed).not.toContain(secret);
  });

  it('says so when the proxy will not open the tunnel (502)', async () => {
    const proxy = await proxyServer();
    // The test proxy tunnels only to portal.test.
    const { client } = setup(`PROXY ${proxy.address}`, {}, `https://elsewhere.test:${new URL(portalOrigin).port}`);
    const error = await portalFailure(client.call('scope'));
    expect(error).toMatchObject({ kind: 'transient', code: 'PROXY_REFUSED', status: 502, delivery: 'not-processed', proxy: proxy.address });
    expect(error.userMessage).toBe(`The proxy at ${proxy.address} did not let the connection to the portal through (HTTP 502). Retrying automatically; if it persists, check the proxy settings.`);
  });

  it('says which proxy it could not reach', async () => {
    const proxy = await proxyServer();
    const address = proxy.address;
    await proxy.close();
    const { client } = setup(`PROXY ${address}`);
    const error = await portalFailure(client.call('scope'));
    expect(error).toMatchObject({ code: 'NETWORK_ERROR', delivery: 'not-processed', proxy: address });
    expect(error.userMessage).toBe(`Cannot reach the portal through the proxy at ${address}. Check the network connection and the proxy settings; retrying automatically.`);
  });

  it('asks the system once per origin until refresh(), and logs a decision only when it changes', async () => {
    const proxy = await proxyServer();
    let answer = 'DIRECT';
    const asked: string[] = [];
    const { client, logLines, router } = setup(undefined, {}, portalOrigin, {
      resolveProxy: async (url) => {
        asked.push(url);
        return answer;
      },
    });
    await client.call('scope');
    await client.call('scope');
    expect(asked).toEqual([`${portalOrigin}/`]);
    answer = `PROXY ${proxy.address}`; // e.g. the laptop joined the office network
    router.refresh();
    await client.call('scope');
    expect(asked).toHaveLength(2);
    expect(proxy.tunnels).toHaveLength(1);
    router.refresh();
    await client.call('scope');
    expect(logLines.filter((line) => line.startsWith('info requests to'))).toEqual([
      `info requests to ${portalOrigin} go direct (system settings)`,
      `info requests to ${portalOrigin} go through the proxy at ${proxy.address} (system settings)`,
    ]);
  });

  it('re-asks the system once a decision is older than maxAgeMs, and survives a failing resolveProxy', async () => {
    let nowMs = 0;
    let calls = 0;
    const { client, logLines } = setup(undefined, {}, portalOrigin, {
      now: () => nowMs,
      maxAgeMs: 1_000,
      resolveProxy: async () => {
        calls += 1;
        throw new Error('network service gone');
      },
    });
    await expect(client.call('scope')).resolves.toBeDefined();
    nowMs = 999;
    await client.call('scope');
    expect(calls).toBe(1);
    nowMs = 1_000;
    await client.call('scope');
    expect(calls).toBe(2);
    expect(logLines).toContain(`warn proxy for ${portalOrigin}: the system proxy could not be read (network service gone)`);
  });
});

describe('the Electron adapter', () => {
  it('asks session.resolveProxy for the portal, and asks again after resume or unlock', async () => {
    const { powerMonitor } = (await import('electron')) as unknown as { powerMonitor: EventEmitter };
    const { createSystemProxyRouter } = await import('../../main/electron/proxy');
    const proxy = await proxyServer();
    electronFake.systemAnswer = `PROXY ${proxy.address}`;
    const router = createSystemProxyRouter(() => undefined);
    open.push(router);
    await expect(router.decisionFor(portalOrigin)).resolves.toMatchObject({ via: 'proxy', source: 'system', address: proxy.address });
    await router.decisionFor(portalOrigin);
    expect(electronFake.asked).toEqual([`${portalOrigin}/`]);
    electronFake.systemAnswer = 'DIRECT';
    powerMonitor.emit('resume');
    // The system now says DIRECT (what follows depends on this machine's HTTPS_PROXY, read by the adapter).
    await expect(router.decisionFor(portalOrigin)).resolves.not.toMatchObject({ via: 'proxy', source: 'system' });
    powerMonitor.emit('unlock-screen');
    await router.decisionFor(portalOrigin);
    expect(electronFake.asked).toHaveLength(3);
  });
});
