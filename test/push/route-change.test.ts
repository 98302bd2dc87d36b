/**
 * A proxy that appears, goes or moves changes the route to a portal; the push socket opened on the
 * old route must be opened again on the new one (issue 16: "proxy changes reconnect"). The router
 * tells when a decision for an origin changes (not on the first one); the engine's push channel
 * reconnects for its own portal only. Real router, engine, client, undici WebSocket and the
 * simulator's push server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal';
import { ProxyRouter, type ProxyEnv } from '../../main/core/portal/proxy';
import { attachEnginePush } from '../../main/core/push/engine-push';
import { startPushPortal } from '../harness/push-portal';
import { stateWhere, tempStorage } from '../harness/engine-harness';
import { pollUntil } from '../harness/processes';
import { simWebhookCredentials } from '../harness/sim-credentials';

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

describe('route changes', () => {
  it('the router tells when the route to an origin changes, not on its first decision', async () => {
    const env: ProxyEnv = {};
    const router = new ProxyRouter({ env });
    open.push(router);
    const changed: string[] = [];
    router.onRouteChange((origin) => changed.push(origin));
    await router.decisionFor('https://acme.bitrix24.com');
    expect(changed).toEqual([]);
    env.HTTPS_PROXY = 'http://proxy.example.com:3128';
    router.refresh();
    expect(await router.decisionFor('https://acme.bitrix24.com')).toMatchObject({ via: 'proxy' });
    expect(changed).toEqual(['https://acme.bitrix24.com']);
    router.refresh();
    await router.decisionFor('https://acme.bitrix24.com'); // the same route again: nothing to do
    expect(changed).toEqual(['https://acme.bitrix24.com']);
  });

  it('the push socket of that portal opens again, resuming from its last message; other portals’ changes leave it alone', async () => {
    const { portal, push, agent } = await startPushPortal(open);
    const client = new PortalClient({ credentials: simWebhookCredentials(portal), dispatcher: agent });
    open.push(client);
    const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), pollIntervalMs: 15 * 60_000 });
    const listeners = new Set<(origin: string) => void>();
    attachEnginePush({
      client,
      engine,
      dispatcherFactory: () => Promise.resolve({ dispatcher: agent }),
      onRouteChange: (listener) => {
        listeners.add(listener);
        return () => void listeners.delete(listener);
      },
    });
    open.push({ close: () => engine.stop() });
    engine.start();
    await stateWhere(engine, (state) => state.instant === 'on', 'instant delivery on');
    const note = portal.addPersonal({ text: 'Before the change' });
    await stateWhere(engine, (state) => state.inbox.some((item) => item.id === note.id), 'the pushed note');
    expect(push.connectQueries).toHaveLength(1);

    for (const listener of listeners) listener('https://other.bitrix24.com');
    expect(push.connectQueries).toHaveLength(1);
    for (const listener of listeners) listener(portal.origin);
    await pollUntil(() => push.connectQueries.length === 2 && push.openSockets === 1, 'the socket opened again');
    expect(push.connectQueries[1]?.get('mid')).toBeTruthy();

    await engine.stop();
    expect(listeners.size).toBe(0); // stopped engines stop listening
  });
});
