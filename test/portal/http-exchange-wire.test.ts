/**
 * One HTTP exchange on the wire (main/core/portal/http.ts) against real loopback servers: what is
 * sent, what is read back, the body cap, and how each kind of failure is reported — in particular
 * whether the request could have reached the portal (`delivery`), which decides whether a write
 * such as a confirm may be retried (real-portal-notes §2 on proxies and private CAs).
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent, ProxyAgent, type Dispatcher } from 'undici';
import { createAgent, DEFAULT_HTTP_LIMITS, httpGet, httpPost, type HttpLimits, type HttpOptions } from '../../main/core/portal/http';
import { PortalError } from '../../main/core/portal/errors';
import { makeLoopbackCertificate } from '../harness/test-cert';

const LIMITS: HttpLimits = { connectTimeoutMs: 2_000, requestTimeoutMs: 8_000, maxResponseBytes: 1_000 };
const UA = 'B24Notify-test/1.0';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Registers a server for closing, destroying any socket still open (held requests). */
async function listen(server: Server | ReturnType<typeof createNetServer>): Promise<number> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.destroy();
    server.close(() => resolve());
  }));
  return (server.address() as AddressInfo).port;
}

interface Seen { method: string; headers: IncomingMessage['headers']; body: string }

async function portal(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ url: string; seen: Seen[]; arrived: Promise<void> }> {
  const seen: Seen[] = [];
  let signalArrival: () => void = () => undefined;
  const arrived = new Promise<void>((resolve) => (signalArrival = resolve));
  const listener: RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      signalArrival();
      handler(req, res);
    });
  };
  const port = await listen(createServer(listener));
  return { url: `http://127.0.0.1:${port}/rest/1/code/im.notify.get.json`, seen, arrived };
}

function options(extra: Partial<HttpOptions> = {}): HttpOptions {
  const dispatcher = new Agent({ connect: { timeout: LIMITS.connectTimeoutMs } });
  cleanups.push(() => dispatcher.close());
  return { dispatcher, limits: LIMITS, userAgent: UA, ...extra };
}

async function failure(promise: Promise<unknown>): Promise<PortalError> {
  const error = await promise.then(() => undefined, (reason: unknown) => reason);
  expect(error).toBeInstanceOf(PortalError);
  return error as PortalError;
}

const hold = (): void => undefined; // a portal that never answers

describe('what goes on the wire', () => {
  it('posts a form urlencoded, a JSON body as JSON, both asking for JSON with the app’s user agent', async () => {
    const server = await portal((_req, res) => res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end('{"result":true}'));
    const formReply = await httpPost(server.url, { form: { ID: '5', ACTION: 'Y' } }, options());
    const jsonReply = await httpPost(server.url, { json: { ID: [5, 6] } }, options());
    expect(server.seen.map((s) => [s.method, s.headers['content-type'], s.headers.accept, s.headers['user-agent'], s.body])).toEqual([
      ['POST', 'application/x-www-form-urlencoded', 'application/json', UA, 'ID=5&ACTION=Y'],
      ['POST', 'application/json', 'application/json', UA, '{"ID":[5,6]}'],
    ]);
    expect(formReply).toEqual({ status: 200, location: undefined, contentType: 'application/json; charset=utf-8', bodyText: '{"result":true}' });
    expect(jsonReply.bodyText).toBe('{"result":true}');
  });

  it('fetches an avatar with a bodiless GET asking for images, and returns its bytes and type', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const server = await portal((_req, res) => res.writeHead(200, { 'content-type': 'image/png' }).end(png));
    const reply = await httpGet(server.url, options());
    expect(reply).toEqual({ status: 200, contentType: 'image/png', body: png });
    const [request] = server.seen;
    expect(request).toMatchObject({ method: 'GET', body: '' });
    expect(request?.headers).toMatchObject({ accept: 'image/*', 'user-agent': UA });
    expect(request?.headers['content-length']).toBeUndefined();
    expect(request?.headers['transfer-encoding']).toBeUndefined();
  });

  it('reports an answer without a content type as an empty type, not as missing', async () => {
    const server = await portal((_req, res) => res.writeHead(204).end());
    const reply = await httpPost(server.url, { form: {} }, options());
    expect(reply).toMatchObject({ status: 204, contentType: '', bodyText: '' });
  });
});

describe('the body cap (maxResponseBytes)', () => {
  it('accepts a body of exactly the cap, declared or chunked', async () => {
    const body = 'x'.repeat(LIMITS.maxResponseBytes);
    const declared = await portal((_req, res) => res.writeHead(200, { 'content-length': String(body.length) }).end(body));
    const chunked = await portal((_req, res) => {
      res.writeHead(200);
      res.write(body.slice(0, 500));
      res.end(body.slice(500));
    });
    expect((await httpPost(declared.url, { form: {} }, options())).bodyText).toBe(body);
    expect((await httpPost(chunked.url, { form: {} }, options())).bodyText).toBe(body);
  });

  it('refuses a chunked body one byte over the cap', async () => {
    const server = await portal((_req, res) => {
      res.writeHead(200);
      res.end('x'.repeat(LIMITS.maxResponseBytes + 1));
    });
    expect(await failure(httpPost(server.url, { form: {} }, options()))).toMatchObject({
      kind: 'transient', code: 'RESPONSE_TOO_LARGE', status: 200, delivery: 'unknown',
    });
  });

  it('gives up on a declared oversize body at once instead of waiting for it', async () => {
    // 10 MB announced, 16 bytes sent, then silence: only the declared length can end this early.
    const server = await portal((_req, res) => {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
      res.write('{"result":"xxxxx');
    });
    const started = Date.now();
    expect(await failure(httpPost(server.url, { form: {} }, options()))).toMatchObject({ code: 'RESPONSE_TOO_LARGE', status: 200 });
    expect(Date.now() - started).toBeLessThan(LIMITS.requestTimeoutMs / 2);
  });
});

describe('cancelling and timing out', () => {
  it('passes the caller’s own abort reason on untouched, without waiting for the timeout', async () => {
    const server = await portal(hold);
    const controller = new AbortController();
    const reason = new Error('account removed');
    const pending = httpPost(server.url, { form: {} }, options({ signal: controller.signal })).then(() => undefined, (error: unknown) => error);
    await server.arrived;
    controller.abort(reason);
    expect(await pending).toBe(reason);
  });

  it('reports a portal that never answers as a timeout that may have been processed', async () => {
    const server = await portal(hold);
    const limits = { ...LIMITS, requestTimeoutMs: 300 };
    expect(await failure(httpPost(server.url, { form: {} }, options({ limits })))).toMatchObject({ kind: 'transient', code: 'TIMEOUT', delivery: 'unknown' });
  });

  it('treats the dispatcher’s own header or body timeout as a portal timeout too', async () => {
    const silent = await portal(hold);
    const stalled = await portal((_req, res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('{"result":');
    });
    const strict = new Agent({ headersTimeout: 200, bodyTimeout: 200 });
    cleanups.push(() => strict.close());
    for (const url of [silent.url, stalled.url]) {
      expect(await failure(httpPost(url, { form: {} }, { ...options(), dispatcher: strict }))).toMatchObject({ code: 'TIMEOUT', delivery: 'unknown' });
    }
  });

  it('reports a TLS handshake that never completes as a connect timeout: nothing was sent', async () => {
    const port = await listen(createNetServer(hold)); // accepts TCP, never answers the ClientHello
    const limits = { ...DEFAULT_HTTP_LIMITS, connectTimeoutMs: 200, requestTimeoutMs: 5_000 };
    const agent = createAgent(limits);
    cleanups.push(() => agent.close());
    expect(await failure(httpPost(`https://127.0.0.1:${port}/rest/`, { form: {} }, { dispatcher: agent, limits, userAgent: UA }))).toMatchObject({
      kind: 'transient', code: 'TIMEOUT', delivery: 'not-processed',
    });
  });
});

describe('network failures', () => {
  async function closedPort(): Promise<number> {
    const server = createNetServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('says a refused connection never reached the portal, naming the OS code', async () => {
    const port = await closedPort();
    expect(await failure(httpPost(`http://127.0.0.1:${port}/rest/`, { form: {} }, options()))).toMatchObject({
      kind: 'transient', code: 'NETWORK_ERROR', description: 'network error ECONNREFUSED', delivery: 'not-processed', proxy: undefined,
    });
  });

  it('names the proxy when the proxy itself cannot be reached', async () => {
    const port = await closedPort();
    const dispatcher = new ProxyAgent(`http://127.0.0.1:${port}`);
    cleanups.push(() => dispatcher.close());
    const proxy = `127.0.0.1:${port}`;
    expect(await failure(httpPost('https://portal.example.test/rest/', { form: {} }, { ...options(), dispatcher, proxy }))).toMatchObject({
      code: 'NETWORK_ERROR', description: `network error ECONNREFUSED (through the proxy at ${proxy})`, delivery: 'not-processed', proxy,
    });
  });

  /** A dispatcher whose connector fails with the given error (as a wrapping layer would). */
  function failingDispatcher(error: Error): Dispatcher {
    const agent = new Agent({ connect: (_options, callback) => callback(error, null) });
    cleanups.push(() => agent.close());
    return agent;
  }

  it('digs the socket code out of a wrapped error to tell that nothing was sent', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    // undici's generic 'UND_ERR' layer, and fetch's code-less "fetch failed" style of wrapping.
    for (const wrapped of [Object.assign(new Error('connection failed', { cause: refused }), { code: 'UND_ERR' }), new TypeError('fetch failed', { cause: refused })]) {
      expect(await failure(httpPost('http://127.0.0.1:9/rest/', { form: {} }, { ...options(), dispatcher: failingDispatcher(wrapped) }))).toMatchObject({
        code: 'NETWORK_ERROR', description: 'network error ECONNREFUSED', delivery: 'not-processed',
      });
    }
  });

  it('reports a failure without any code as a plain network error that may have been sent', async () => {
    // The chain ends in a null cause, as some wrappers leave it.
    const bare = new Error('something broke', { cause: new Error('deeper, still no code', { cause: null }) });
    expect(await failure(httpPost('http://127.0.0.1:9/rest/', { form: {} }, { ...options(), dispatcher: failingDispatcher(bare) }))).toMatchObject({
      code: 'NETWORK_ERROR', description: 'network error', delivery: 'unknown',
    });
  });
});

describe('TLS and proxies', () => {
  async function selfSignedPortal(): Promise<number> {
    const { key, cert } = makeLoopbackCertificate();
    return listen(createHttpsServer({ key, cert }, (_req, res) => res.end('{"result":true}')) as unknown as Server);
  }

  /** A CONNECT proxy on loopback: tunnels to 127.0.0.1, or answers every CONNECT with `refuse`. */
  async function connectProxy(refuse?: string): Promise<string> {
    const server = createServer((_req, res) => res.writeHead(405).end());
    server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
      if (refuse) {
        client.end(`HTTP/1.1 ${refuse}\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      const upstream = netConnect(Number((req.url ?? '').split(':')[1]), '127.0.0.1', () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client).pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      cleanups.push(() => void upstream.destroy());
    });
    return `127.0.0.1:${await listen(server)}`;
  }

  function viaProxy(proxy: string): HttpOptions {
    const dispatcher = new ProxyAgent(`http://${proxy}`);
    cleanups.push(() => dispatcher.close());
    return { ...options(), dispatcher, proxy };
  }

  it('names the untrusted certificate, not "cannot reach", for a self-signed portal', async () => {
    const port = await selfSignedPortal();
    expect(await failure(httpPost(`https://127.0.0.1:${port}/rest/`, { form: {} }, options()))).toMatchObject({
      kind: 'certificate', code: 'DEPTH_ZERO_SELF_SIGNED_CERT', description: 'TLS: DEPTH_ZERO_SELF_SIGNED_CERT', delivery: 'not-processed', proxy: undefined,
    });
  });

  it('through a proxy, still names the certificate and the proxy it went through', async () => {
    const port = await selfSignedPortal();
    const proxy = await connectProxy();
    const error = await failure(httpPost(`https://127.0.0.1:${port}/rest/`, { form: {} }, viaProxy(proxy)));
    expect(error).toMatchObject({ kind: 'certificate', description: 'TLS: DEPTH_ZERO_SELF_SIGNED_CERT', proxy, certificate: { host: `127.0.0.1:${port}` } });
    expect(error.certificate?.issuer).toBeUndefined();
  });

  it('says which proxy refused the tunnel and with which status', async () => {
    const proxy = await connectProxy('407 Proxy Authentication Required');
    expect(await failure(httpPost('https://127.0.0.1:9/rest/', { form: {} }, viaProxy(proxy)))).toMatchObject({
      code: 'PROXY_AUTH_REQUIRED', status: 407, delivery: 'not-processed', description: `the proxy at ${proxy} answered 407 to CONNECT`,
    });
  });
});
