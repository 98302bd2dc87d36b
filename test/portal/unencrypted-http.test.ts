/**
 * Per-portal "allow unencrypted HTTP" (issue 12): some on-premise boxes accept webhooks over plain
 * HTTP because their administrator defined REST_APAUTH_ALLOW_HTTP (MOD rest/lib/apauth/auth.php:50,
 * real-portal-notes §2). Off by default: a remote http:// address is refused unless the user
 * allows it for that portal, knowing the webhook code travels in clear. The "remote" host is
 * box.example.com, resolved to the simulator on loopback by the test's own dispatcher.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { ConnectError, connectWebhook } from '../../main/core/app/connect';
import { NotificationHub } from '../../main/core/app/hub';
import { PortalUrlError, parsePortalInput } from '../../main/core/portal/portal-url';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { namedHostAgent } from '../harness/named-host';
import { pollUntil } from '../harness/processes';
import { startPortalSim } from '../portal-sim';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('allow unencrypted HTTP, per portal', () => {
  it('refuses a remote http:// address unless allowed', () => {
    expect(() => parsePortalInput('http://box.example.com/rest/1/abcdef123/')).toThrow(PortalUrlError);
    expect(parsePortalInput('http://box.example.com/rest/1/abcdef123/', { allowHttp: true })).toMatchObject({ kind: 'webhook', origin: 'http://box.example.com' });
    // https stays https, whatever the choice.
    expect(parsePortalInput('https://box.example.com/rest/1/abcdef123/', { allowHttp: true }).origin).toBe('https://box.example.com');
  });

  it('connects and polls a box over plain HTTP only when the user allowed it, and keeps the choice', async () => {
    const portal = await startPortalSim();
    cleanups.push(() => portal.close());
    const { agent, dispatcherFactory } = namedHostAgent('box.example.com');
    cleanups.push(() => agent.close());
    const storage = tempStorage().open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const hub = new NotificationHub();
    cleanups.push(() => hub.stopAll());
    const deps = connectDeps({ accounts, hub, storage, clientOptions: { dispatcherFactory } });
    const boxWebhook = `http://box.example.com:${new URL(portal.origin).port}/rest/${portal.userId}/${portal.webhookCode}/`;

    const refused = await connectWebhook(boxWebhook, deps).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(ConnectError);
    expect(refused).toMatchObject({ reason: 'https-required' });
    expect(portal.requestLog).toEqual([]);

    const account = await connectWebhook(boxWebhook, deps, { allowHttp: true });
    expect(account).toMatchObject({ origin: `http://box.example.com:${new URL(portal.origin).port}`, allowHttp: true });
    await pollUntil(() => portal.requestLog.some((entry) => entry.restMethod === 'im.notify.get'), 'a poll over plain HTTP');
    await expect(accounts.credentials(account.id)).resolves.toMatchObject({ kind: 'webhook', allowHttp: true });
  });
});
