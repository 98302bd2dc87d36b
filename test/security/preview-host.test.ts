/**
 * Attacks on the preview host (`npm run preview` / `npm run demo`), as another local process or a
 * web page in the user's browser would make them. Each request is sent raw over a socket so that
 * nothing on the client side normalises the path or the Host header before the server sees it.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../harness/preview/server';

/** Sends one raw HTTP/1.1 request and resolves with the status code (or 'closed' if none came). */
function rawRequest(port: number, requestLine: string, headers: Record<string, string>): Promise<{ status: number | 'closed'; body: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      resolve({ status: match ? Number(match[1]) : 'closed', body: received.split('\r\n\r\n').slice(1).join('\r\n\r\n') });
    });
    const lines = [requestLine, ...Object.entries({ connection: 'close', ...headers }).map(([k, v]) => `${k}: ${v}`)];
    // write, not end: a half-closed client lets Node's server drop the socket before an async reply.
    socket.write(lines.join('\r\n') + '\r\n\r\n');
  });
}

describe('the preview host under attack', () => {
  let root: string;
  let preview: Preview;
  let port: number;
  let host: string;

  beforeAll(async () => {
    // A build folder and a sibling whose name starts with the same letters, holding a secret.
    root = mkdtempSync(join(tmpdir(), 'b24-preview-host-'));
    mkdirSync(join(root, 'renderer'));
    mkdirSync(join(root, 'renderer-private'));
    writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>window</title>');
    writeFileSync(join(root, 'renderer-private', 'secret.txt'), 'TOP-SECRET');
    writeFileSync(join(root, 'outside.txt'), 'OUTSIDE');
    preview = await startPreview({ rendererDir: join(root, 'renderer'), popups: false });
    port = Number(new URL(preview.url).port);
    host = `127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await preview?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves its own page to its own Host (the control case)', async () => {
    const reply = await rawRequest(port, 'GET / HTTP/1.1', { host });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('<title>window</title>');
    expect((await rawRequest(port, 'GET / HTTP/1.1', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('answers a broken percent-encoding with 400 and stays up', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      expect((await rawRequest(port, 'GET /%E0%A4%A HTTP/1.1', { host })).status).toBe(400);
      expect((await rawRequest(port, 'GET /%ZZ HTTP/1.1', { host })).status).toBe(400);
      // The host still answers the next request.
      expect((await rawRequest(port, 'GET / HTTP/1.1', { host })).status).toBe(200);
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it.each([
    '/..%2frenderer-private/secret.txt',
    '/..%2Frenderer-private%2Fsecret.txt',
    '/%2e%2e/renderer-private/secret.txt',
    '/..%2f..%2foutside.txt',
    '/..%5crenderer-private%5csecret.txt',
    '/%00/index.html',
  ])('never reads outside the build folder: %s', async (path) => {
    const reply = await rawRequest(port, `GET ${path} HTTP/1.1`, { host });
    expect(reply.status).not.toBe(200);
    expect(reply.body).not.toContain('TOP-SECRET');
    expect(reply.body).not.toContain('OUTSIDE');
  });

  it.each([
    ['a foreign name', () => 'evil.example'],
    ['a foreign name on our port', () => `evil.example:${port}`],
    ['our address without the port', () => '127.0.0.1'],
    ['another loopback address', () => `127.0.0.2:${port}`],
    ['no Host at all', () => ''],
  ])(
    'refuses a page reached under another Host name (DNS rebinding): %s',
    async (_label, hostOf) => {
      const foreignHost = hostOf();
      const reply = await rawRequest(port, 'GET / HTTP/1.1', foreignHost ? { host: foreignHost } : {});
      expect(reply.status).toBe(foreignHost ? 403 : 400);
      expect(reply.body).not.toContain('<title>window</title>');
    },
  );

  it('refuses the window bridge under another Host name, even with the token and a matching Origin', async () => {
    const token = new URL(preview.url).hash.slice(1);
    const foreign = `evil.example:${port}`;
    const reply = await rawRequest(port, `GET /bridge?token=${token} HTTP/1.1`, {
      host: foreign,
      origin: `http://${foreign}`,
      upgrade: 'websocket',
      connection: 'Upgrade',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    });
    expect(reply.status).toBe(403);
  });
});
