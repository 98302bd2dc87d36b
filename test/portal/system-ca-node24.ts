/**
 * Run by system-ca.test.ts in a Node that has tls.getCACertificates (22.15+/24, Electron 45's):
 * one poll of a simulator whose certificate comes from a private CA, through the app's default
 * agent (portal/http.ts createAgent → portal/trust.ts), trusting only what Node and the system
 * store hold. Prints "ok" or the error kind.
 */
import { readFileSync } from 'node:fs';
import { PortalClient } from '../../main/core/portal/client';
import { PortalError } from '../../main/core/portal/errors';
import { startPortalSim } from '../portal-sim';

const { key, cert } = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as { key: string; cert: string };
const portal = await startPortalSim({ tls: { key, cert }, restApAuthAllowHttp: true });
const client = new PortalClient({ credentials: { kind: 'webhook', origin: portal.origin, userId: portal.userId, code: portal.webhookCode } });
try {
  await client.call('im.notify.get');
  console.log('ok');
} catch (error) {
  console.log(error instanceof PortalError ? error.kind : String(error));
} finally {
  await client.close();
  await portal.close();
}
