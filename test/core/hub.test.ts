import { StateFeed } from '../../main/core/app/state-feed';
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationHub } from '../../main/core/app/hub';
import type { AccountsService } from '../../main/core/app/accounts-service';
import type { SettingsService } from '../../main/core/app/settings-service';
import { createIpcDispatcher } from '../../main/core/ipc/dispatcher';
import { hubIpcHandlers } from '../../main/core/ipc/handlers';
import { IpcChannels } from '../../main/shared/ipc-contract';
import { nextEvent, stateWhere } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { portalWithEngine as sharedPortalWithEngine } from '../harness/portal-engine';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function portalWithEngine(accountId: string, clock: FakeClock): ReturnType<typeof sharedPortalWithEngine> {
  return sharedPortalWithEngine(accountId, clock, cleanups);
}

describe('NotificationHub', () => {
  it('routes a click to the right portal when both have a notification with the same id', async () => {
    const clock = new FakeClock();
    const a = await portalWithEngine('acme', clock);
    const b = await portalWithEngine('beta', clock);
    const inviteA = a.portal.addConfirm({ text: 'Acme: join?' });
    const inviteB = b.portal.addConfirm({ text: 'Beta: join?' });
    expect(inviteA.id).toBe(inviteB.id); // ids are only unique per portal
    const hub = new NotificationHub();
    hub.add('Acme', a.engine);
    hub.add('Beta', b.engine);
    const synced = Promise.all([nextEvent(a.engine, 'polled'), nextEvent(b.engine, 'polled')]);
    a.engine.start();
    b.engine.start();
    await synced;
    expect(hub.snapshot()).toMatchObject({ unreadCount: 2, accounts: [{ accountId: 'acme', name: 'Acme' }, { accountId: 'beta', name: 'Beta' }] });

    const dispatch = createIpcDispatcher(
      hubIpcHandlers({
        hub,
        feed: new StateFeed(hub),
        appInfo: () => ({ version: 'test', platform: 'linux' }),
        connectWebhook: () => Promise.reject(new Error('not used')),
        reconnectWebhook: () => Promise.reject(new Error('not used')),
        reconnectOAuth: () => Promise.reject(new Error('not used')),
        connectOAuth: () => Promise.reject(new Error('not used')),
        settings: {} as SettingsService,
        portals: {} as AccountsService,
      }),
    );
    await expect(dispatch(IpcChannels.confirm, { accountId: 'beta', notificationId: inviteB.id, value: 'N' })).resolves.toEqual({ ok: true, value: { queued: true } });
    await stateWhere(b.engine, (state) => state.inbox.find((item) => item.id === inviteB.id)?.action?.status === 'done', 'the answer on beta');
    expect(b.portal.confirmLog).toEqual([expect.objectContaining({ id: inviteB.id, value: 'N' })]);
    expect(a.portal.confirmLog).toEqual([]);
    expect(a.portal.get(inviteA.id)).toBeDefined();

    await expect(dispatch(IpcChannels.confirm, { accountId: 'gamma', notificationId: 1, value: 'Y' })).resolves.toMatchObject({ ok: false, error: { code: 'refused' } });
    await expect(dispatch(IpcChannels.confirm, { accountId: 'acme', notificationId: inviteA.id, value: 'MAYBE' })).resolves.toMatchObject({ ok: false, error: { code: 'unknown-value' } });
    await hub.stopAll();
    expect(hub.snapshot().accounts).toEqual([]);
  });
});
