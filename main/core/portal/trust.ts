/**
 * Which certificate authorities the app trusts, and what to say when a portal's certificate is
 * not among them. On-premise portals often use a company CA (or sit behind a TLS-inspecting
 * proxy) that the browser trusts through the operating system's store but Node's bundled list
 * does not; Node 22.15+/24 (Electron 45) reads the OS store with `tls.getCACertificates('system')`
 * (real-portal-notes §2). Where that function is missing (Node 20 here), Node's own list applies.
 */
import * as tls from 'node:tls';

/** The part of `node:tls` this needs; injectable so the OS path is testable on any Node. */
export interface CaSource {
  getCACertificates?: (type: 'default' | 'system' | 'bundled' | 'extra') => string[];
  rootCertificates: readonly string[];
}

/**
 * Node's default list (bundled plus NODE_EXTRA_CA_CERTS) and the OS store, or undefined when this
 * Node cannot read the OS store (then undici uses Node's default as before).
 */
export function trustedCaCertificates(source: CaSource = tls as unknown as CaSource): string[] | undefined {
  if (typeof source.getCACertificates !== 'function') return undefined;
  return [...new Set([...source.getCACertificates('default'), ...systemCertificates(source)])];
}

function systemCertificates(source: CaSource): string[] {
  try {
    return source.getCACertificates?.('system') ?? [];
  } catch {
    return []; // an unreadable store must not cost the bundled list
  }
}

let cached: { ca: string[] | undefined } | undefined;

/** Computed once per process: reading the OS store is not free, and it does not change under us. */
export function defaultTrustedCa(): string[] | undefined {
  cached ??= { ca: trustedCaCertificates() };
  return cached.ca;
}

/**
 * TLS failures that mean "this computer does not trust the portal's certificate" (Node's
 * X509 verify codes and the host-name check): not a network problem, and retrying cannot fix it.
 */
export const UNTRUSTED_CERTIFICATE_CODES: ReadonlySet<string> = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Who issued the certificate a host presents, for the message (O or CN of the issuer). The
 * connection is made only to read it: nothing is sent, and it is closed at once.
 */
export function certificateIssuer(host: string, port: number, timeoutMs = 3_000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host, port, servername: /^[\d.]+$|:/.test(host) ? undefined : host, rejectUnauthorized: false, timeout: timeoutMs });
    const done = (issuer: string | undefined): void => {
      socket.destroy();
      resolve(issuer);
    };
    socket.once('secureConnect', () => {
      const issuer = socket.getPeerCertificate()?.issuer as Record<string, string | string[]> | undefined;
      const name = issuer?.O ?? issuer?.CN;
      done(Array.isArray(name) ? name.join(', ') : name);
    });
    socket.once('timeout', () => done(undefined));
    socket.once('error', () => done(undefined));
  });
}
