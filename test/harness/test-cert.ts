import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificate {
  key: string;
  cert: string;
}

/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made with the openssl CLI at
 * test time (nothing secret is committed). Valid for one day.
 */
export function makeLoopbackCertificate(): TestCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'b24-cert-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyPath, '-out', certPath, '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface PrivateCaCertificate extends TestCertificate {
  /** The company CA's own certificate: what an administrator installs in the system's store. */
  caCert: string;
  caName: string;
}

/**
 * A portal certificate for 127.0.0.1 issued by a throwaway private CA, as on-premise portals
 * often have (real-portal-notes §2): Node's bundled list does not trust it, the system store may.
 */
export function makePrivateCaCertificate(caName = 'Acme Corp Internal CA'): PrivateCaCertificate {
  const dir = mkdtempSync(join(tmpdir(), 'b24-ca-'));
  const path = (name: string): string => join(dir, name);
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { stdio: 'ignore' });
  };
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    run(['req', '-x509', ...ec, '-keyout', path('ca.key'), '-out', path('ca.pem'), '-days', '1', '-subj', `/O=${caName}/CN=${caName}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
    run(['req', ...ec, '-keyout', path('key.pem'), '-out', path('req.csr'), '-subj', '/CN=127.0.0.1']);
    writeFileSync(path('ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n');
    run(['x509', '-req', '-in', path('req.csr'), '-CA', path('ca.pem'), '-CAkey', path('ca.key'), '-CAcreateserial', '-out', path('cert.pem'), '-days', '1', '-extfile', path('ext.cnf')]);
    return { key: readFileSync(path('key.pem'), 'utf8'), cert: readFileSync(path('cert.pem'), 'utf8'), caCert: readFileSync(path('ca.pem'), 'utf8'), caName };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Whether the openssl CLI is here (prerequisites.ts fails the run without it, unless skipping). */
export function canMakeCertificates(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
