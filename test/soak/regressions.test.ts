/**
 * Bugs the fault and soak scenario found, each pinned by the smallest test that shows it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PortalClient } from '../../main/core/portal';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { simOAuthCredentials } from '../harness/sim-credentials';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function oauthClient(): Promise<{ portal: PortalSim; client: PortalClient }> {
  const portal = await startPortalSim();
  const client = new PortalClient({
    credentials: simOAuthCredentials(portal),
    backoffBaseMs: 1,
    random: () => 0.5,
  });
  cleanups.push(async () => {
    await client.close();
    await portal.close();
  });
  return { portal, client };
}

describe('found by the soak scenario', () => {
  it('a token renewal that fails for a moment (a 503 page) is tried again, not reported as rejected credentials', async () => {
    const { portal, client } = await oauthClient();
    portal.expireAccessTokens();
    portal.injectFault({ kind: 'html', status: 503 }, { restMethod: 'oauth.token' });
    // Before the fix the retry re-sent the expired token without renewing it, and the call ended in
    // expired_token, kind "auth": the engine stopped polling and asked the user to reconnect.
    await expect(client.call('im.notify.get')).resolves.toMatchObject({ result: expect.anything() });
    expect(portal.tokenLog.filter((entry) => entry.ok)).toHaveLength(1);
  });
});
