/**
 * What the app says about a portal whose certificate this computer does not trust (trust.ts;
 * real-portal-notes §2, on-premise portals with a company CA): who issued the certificate the
 * portal presents, read over a throwaway loopback TLS connection, and which CA lists are trusted.
 * Certificates are made with the openssl CLI at test time, as test/harness/test-cert.ts does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext, createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { canMakeCertificates } from '../harness/test-cert';
import { certificateIssuer, trustedCaCertificates, type CaSource } from '../../main/core/portal/trust';

/** A self-signed certificate (so its issuer is its own subject) for 127.0.0.1 and localhost. */
function selfSigned(subject: string): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'b24-issuer-'));
  try {
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', subject, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const servers: (TlsServer | TcpServer)[] = [];
const sockets: Socket[] = [];
afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function listen<T extends TlsServer | TcpServer>(server: T): Promise<number> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * A portal on 127.0.0.1 that, like a server with virtual hosts, presents `named` to a client that
 * sends a host name (SNI) and `plain` to one that sends none; records what it was sent.
 */
async function portal(plain: { key: string; cert: string }, named = plain) {
  const namesSent: string[] = [];
  const namedContext = createSecureContext(named);
  const server = createTlsServer({
    ...plain,
    SNICallback: (name, callback) => {
      namesSent.push(name);
      callback(null, namedContext);
    },
  });
  server.on('secureConnection', (socket) => sockets.push(socket));
  server.on('tlsClientError', () => undefined);
  return { port: await listen(server), namesSent };
}

describe.skipIf(!canMakeCertificates())('who issued the certificate a portal presents', () => {
  it('names the issuing organisation rather than the CA’s common name', async () => {
    const { port } = await portal(selfSigned('/O=Acme Corp/CN=Acme Issuing CA 2'));
    expect(await certificateIssuer('127.0.0.1', port)).toBe('Acme Corp');
  });

  it('names the common name when the issuer has no organisation', async () => {
    const { port } = await portal(selfSigned('/CN=Intranet Root'));
    expect(await certificateIssuer('127.0.0.1', port)).toBe('Intranet Root');
  });

  it('names every organisation when the issuer lists several', async () => {
    const { port } = await portal(selfSigned('/O=Acme Corp/O=Acme Security/CN=Acme Root'));
    expect(await certificateIssuer('127.0.0.1', port)).toBe('Acme Corp, Acme Security');
  });

  it('asks for the portal by name, so a server with several sites shows the portal’s certificate', async () => {
    const { port, namesSent } = await portal(selfSigned('/O=Default Site CA'), selfSigned('/O=Portal Site CA'));
    expect(await certificateIssuer('localhost', port)).toBe('Portal Site CA');
    expect(namesSent).toEqual(['localhost']);
  });

  it('does not send an IP address as a name (RFC 6066), so the server shows its default', async () => {
    const { port, namesSent } = await portal(selfSigned('/O=Default Site CA'), selfSigned('/O=Portal Site CA'));
    expect(await certificateIssuer('127.0.0.1', port)).toBe('Default Site CA');
    expect(namesSent).toEqual([]);
  });
});

describe('when the issuer cannot be read, the message goes without it', () => {
  it('a server that never answers the TLS hello is given up on after the timeout', async () => {
    // Accepts the connection and stays silent, as a stuck proxy would.
    const silent = createTcpServer((socket) => sockets.push(socket));
    const port = await listen(silent);
    const started = Date.now();
    expect(await certificateIssuer('127.0.0.1', port, 200)).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a refused connection gives no issuer and no unhandled error', async () => {
    const closed = createTcpServer();
    const port = await listen(closed);
    await new Promise((resolve) => closed.close(resolve));
    servers.splice(servers.indexOf(closed), 1);
    expect(await certificateIssuer('127.0.0.1', port, 2_000)).toBeUndefined();
  });
});

describe('which certificate authorities are trusted', () => {
  it('Node’s default list plus the system store, each certificate once', () => {
    // Each list answers only when asked for by its own name (Node 22.15+ tls.getCACertificates).
    const lists: Record<string, string[]> = { default: ['BUNDLED', 'EXTRA'], system: ['COMPANY', 'BUNDLED'], bundled: ['BUNDLED'], extra: ['EXTRA'] };
    const source: CaSource = { rootCertificates: ['BUNDLED'], getCACertificates: (type) => lists[type] ?? [] };
    expect(trustedCaCertificates(source)).toEqual(['BUNDLED', 'EXTRA', 'COMPANY']);
  });
});
