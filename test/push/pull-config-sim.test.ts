/**
 * `pull.config.get` through the real PortalClient against the simulator over loopback: the
 * availability the portal card shows comes from the portal's own answers (scope error, OAuth
 * refusal, server_enabled:false), not from our belief about them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { PortalClient } from '../../main/core/portal';
import { fetchPushConfig } from '../../main/core/push/config';
import { startPortalSim, type PortalSim, type PortalSimOptions } from '../portal-sim';
import { startPushServer } from '../portal-sim/push-server';
import { simOAuthCredentials, simWebhookCredentials } from '../harness/sim-credentials';

const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function sim(options: PortalSimOptions): Promise<PortalSim> {
  const started = await startPortalSim(options);
  open.push(started);
  return started;
}

function client(portal: PortalSim, oauth = false): PortalClient {
  const made = new PortalClient({ credentials: oauth ? simOAuthCredentials(portal) : simWebhookCredentials(portal), maxAttempts: 1 });
  open.push(made);
  return made;
}

describe('pull.config.get on the simulated portal', () => {
  it('webhook without pull_channel: "add the permission"', async () => {
    const portal = await sim({ scopes: ['im'] });
    expect(await fetchPushConfig(client(portal), portal.origin)).toEqual({ status: 'no-permission' });
  });

  it('OAuth app: not offered (WRONG_AUTH_TYPE)', async () => {
    const portal = await sim({ scopes: ['im', 'pull_channel'] });
    expect(await fetchPushConfig(client(portal, true), portal.origin)).toEqual({ status: 'not-offered', reason: 'oauth' });
  });

  it('portal without a push server: not offered', async () => {
    const portal = await sim({ scopes: ['im', 'pull_channel'] });
    portal.setPushOffer('disabled');
    expect(await fetchPushConfig(client(portal), portal.origin)).toEqual({ status: 'not-offered', reason: 'server-disabled' });
  });

  it('with the permission and a push server: the channel to connect to', async () => {
    const portal = await sim({ scopes: ['im', 'pull_channel'] });
    const push = await startPushServer();
    open.push(push);
    portal.setPushOffer(push.config);
    const availability = await fetchPushConfig(client(portal), portal.origin);
    expect(availability.status).toBe('on');
    if (availability.status !== 'on') return;
    expect(availability.config.privateChannel.id).toBe(push.privateChannelId);
    expect(availability.config.clientId).toBe(push.clientId);
  });
});
