/**
 * The main bundle takes only the parts of undici the app uses (build/undici-lite.cjs, with HTTP/2,
 * SOCKS and form-data parsing left out; vite.config.ts mainAliases). This bundles the app's undici
 * imports exactly that way and runs each against loopback servers: a request through an Agent, one
 * through an HTTP proxy (ProxyAgent), and a WebSocket opened with a dispatcher, as the push channel
 * does. If the lite entry lost something the app needs, this fails, not a user's portal.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type * as UndiciTypes from 'undici';
import { mainAliases } from '../../vite.config';

type Lite = typeof UndiciTypes;
let lite: Lite;
let outDir: string;
const servers: { close(): void }[] = [];

beforeAll(async () => {
  outDir = mkdtempSync(join(tmpdir(), 'b24-undici-lite-'));
  await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { alias: mainAliases },
    build: {
      ssr: join(import.meta.dirname, 'fixtures', 'undici-entry.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'undici-lite.mjs' } },
    },
    ssr: { noExternal: true, target: 'node' },
  });
  lite = (await import(pathToFileURL(join(outDir, 'undici-lite.mjs')).href)) as Lite;
}, 60_000);

afterAll(() => {
  for (const server of servers) server.close();
  rmSync(outDir, { recursive: true, force: true });
});

async function listen(server: Server): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

describe('undici as the main bundle has it', () => {
  it('answers a request through an Agent', async () => {
    const port = await listen(createServer((req, res) => res.end(`hello ${req.method} ${req.url}`)));
    const agent = new lite.Agent();
    const response = await lite.request(`http://127.0.0.1:${port}/rest/im.notify.get`, { method: 'POST', dispatcher: agent, body: '{}' });
    expect(response.statusCode).toBe(200);
    expect(await response.body.text()).toBe('hello POST /rest/im.notify.get');
    await agent.close();
  });

  it('goes through an HTTP proxy with a ProxyAgent (a CONNECT tunnel, as for the portal)', async () => {
    const target = await listen(createServer((_req, res) => res.end('from the portal')));
    const tunnels: string[] = [];
    const proxyServer = createServer((_req, res) => res.writeHead(405).end());
    proxyServer.on('connect', (req, clientSocket: Socket, head: Buffer) => {
      tunnels.push(req.url ?? '');
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host, () => {
        clientSocket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(clientSocket);
        clientSocket.pipe(upstream);
      });
      upstream.on('error', () => clientSocket.destroy());
      clientSocket.on('error', () => upstream.destroy());
    });
    const proxyPort = await listen(proxyServer);
    const proxy = new lite.ProxyAgent(`http://127.0.0.1:${proxyPort}`);
    const response = await lite.request(`http://127.0.0.1:${target}/x`, { dispatcher: proxy });
    expect(await response.body.text()).toBe('from the portal');
    expect(tunnels).toEqual([`127.0.0.1:${target}`]);
    await proxy.close();
  });

  it('opens a WebSocket with a dispatcher, as the push channel does', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    servers.push(wss);
    await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
    wss.on('connection', (socket) => socket.send(JSON.stringify([{ text: { module_id: 'im', command: 'notifyAdd' } }])));
    const agent = new lite.Agent();
    const socket = new lite.WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}/sub/`, { dispatcher: agent });
    const message = await new Promise<string>((resolve, reject) => {
      socket.addEventListener('message', (event) => resolve(String(event.data)));
      socket.addEventListener('error', () => reject(new Error('socket error')));
    });
    expect(JSON.parse(message)).toEqual([{ text: { module_id: 'im', command: 'notifyAdd' } }]);
    socket.close();
    await agent.close();
  });
});
