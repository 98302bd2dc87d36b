/**
 * A simulated portal with the pull_channel permission and its push server attached (every change
 * of the user's notifications published as the im module does), plus one undici Agent for REST and
 * the socket. `open` gets what closes it all, in order.
 */
import { Agent } from 'undici';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { startPushServer, type PushServer } from '../portal-sim/push-server';

export async function startPushPortal(open: { close(): Promise<void> | void }[]): Promise<{ portal: PortalSim; push: PushServer; agent: Agent }> {
  const portal = await startPortalSim({ scopes: ['im', 'pull_channel'] });
  open.push(portal);
  const push = await startPushServer();
  open.push(push);
  open.push({ close: portal.attachPushServer(push) });
  const agent = new Agent();
  open.push(agent);
  return { portal, push, agent };
}
