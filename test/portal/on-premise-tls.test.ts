/**
 * On-premise portals with a company CA (issue 12, real-portal-notes §2), over real TLS on
 * loopback: a certificate this computer does not trust is its own error (host, issuer, what to
 * do), stops polling and is never retried as "cannot reach"; with the CA in the system's store
 * (read through Node's tls.getCACertificates('system') where it exists, injected here because the
 * Node 20 of this machine lacks it) the same portal works.
 */
import * as tls from 'node:tls';
import { afterEach, describe, expect, it } from 'vitest';
import { Agent } from 'undici';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal/client';
import { trustedCaCertificates, type CaSource } from '../../main/core/portal/trust';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { simWebhookCredentials } from '../harness/sim-credentials';
import { portalFailure } from '../harness/waits';
import { canMakeCertificates, makePrivateCaCertificate } from '../harness/test-cert';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { startForwarder } from '../soak/forwarder';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const withOpenssl = canMakeCertificates();
if (!withOpenssl) console.log('on-premise-tls.test.ts skipped: no openssl');
const certificate = withOpenssl ? makePrivateCaCertificate() : { key: '', cert: '', caCert: '', caName: '' };

async function companyPortal(): Promise<PortalSim> {
  const portal = await startPortalSim({ tls: { key: certificate.key, cert: certificate.cert } });
  cleanups.push(() => portal.close());
  portal.addConfirm({ text: 'Join the group?' });
  return portal;
}


describe.skipIf(!withOpenssl)('a portal whose certificate comes from a company CA', () => {
  it('is a certificate error naming the host and issuer, not "cannot reach", and nothing was sent', async () => {
    const portal = await companyPortal();
    const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
    cleanups.push(() => client.close());
    const error = await portalFailure(client.call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'certificate', delivery: 'not-processed', certificate: { host: new URL(portal.origin).host, issuer: certificate.caName } });
    expect(error.userMessage).toMatch(new RegExp(`does not trust the certificate of 127\\.0\\.0\\.1:\\d+, issued by “${certificate.caName}”.*system's certificate store`));
    expect(error.userMessage).not.toMatch(/Cannot reach/);
    expect(portal.requestLog).toEqual([]);
  });

  it('stops polling with the certificate state; hours later not one more connection, until the user tries again', async () => {
    const portal = await companyPortal();
    // Every TCP connection to the portal passes this forwarder, which counts them.
    const forwarder = await startForwarder(new URL(portal.origin));
    cleanups.push(() => forwarder.close());
    const origin = forwarder.origin.replace('http:', 'https:'); // TLS passes through the forwarder
    const clock = new FakeClock();
    const client = new PortalClient({ credentials: { ...simWebhookCredentials(portal), origin }, clock });
    const engine = new AccountEngine({ accountId: 'box', client, storage: tempStorage().open(), clock });
    cleanups.push(async () => {
      await engine.stop();
      await client.close();
    });
    const polled = nextEvent(engine, 'polled');
    engine.start();
    await polled;
    expect(engine.state.connection).toMatchObject({ status: 'certificate-error', host: new URL(origin).host, issuer: certificate.caName });
    // The engine parks with nothing scheduled (a retry cannot fix trust): its only timer is the
    // "until woken" one, not a retry due within any backoff.
    while (clock.pendingTimers === 0) await clock.advance(0);
    expect(clock.nextDueInMs).toBeGreaterThan(365 * 24 * 60 * 60_000);
    const afterFailure = forwarder.connections;
    await clock.advance(3 * 60 * 60_000);
    expect(forwarder.connections).toBe(afterFailure);
    expect(engine.state.connection.status).toBe('certificate-error');
    // "Try again" (pollNow) is the user's way: one more attempt, same verdict.
    const again = nextEvent(engine, 'polled');
    engine.pollNow();
    await again;
    expect(forwarder.connections).toBeGreaterThan(afterFailure);
  });

  it('works once the CA is in the system store, read together with Node’s own list', async () => {
    const portal = await companyPortal();
    const systemStore: CaSource = {
      rootCertificates: tls.rootCertificates,
      getCACertificates: (type) => (type === 'system' ? [certificate.caCert] : [...tls.rootCertificates]),
    };
    const ca = trustedCaCertificates(systemStore);
    expect(ca).toContain(certificate.caCert);
    expect(ca?.length).toBe(tls.rootCertificates.length + 1);
    const dispatcher = new Agent({ connect: { ca } });
    const client = new PortalClient({ credentials: simWebhookCredentials(portal), dispatcher });
    cleanups.push(async () => {
      await client.close();
      await dispatcher.close();
    });
    const page = await client.call<{ notifications: unknown[] }>('im.notify.get');
    expect(page.result.notifications).toHaveLength(1);
  });

  it('keeps Node’s own list where this Node cannot read the system store, and survives an unreadable store', () => {
    expect(trustedCaCertificates({ rootCertificates: tls.rootCertificates })).toBeUndefined();
    const broken: CaSource = {
      rootCertificates: tls.rootCertificates,
      getCACertificates: (type) => {
        if (type === 'system') throw new Error('keychain locked');
        return [...tls.rootCertificates];
      },
    };
    expect(trustedCaCertificates(broken)).toEqual([...tls.rootCertificates]);
  });
});
