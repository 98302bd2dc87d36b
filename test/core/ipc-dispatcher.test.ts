import fc from 'fast-check';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { ActionRefused } from '../../main/core/engine/account-engine';
import { createIpcDispatcher, type IpcHandlers } from '../../main/core/ipc/dispatcher';
import { ALL_IPC_CHANNELS, IpcChannels } from '../../main/shared/ipc-contract';

function spyHandlers(): IpcHandlers {
  return {
    [IpcChannels.appInfo]: vi.fn(() => ({ version: '1', platform: 'linux' })),
    [IpcChannels.getState]: vi.fn(() => ({ kind: 'full' as const, version: 0, snapshot: { accounts: [], unreadCount: 0 } })),
    [IpcChannels.confirm]: vi.fn(() => ({ queued: true as const })),
    [IpcChannels.answer]: vi.fn(() => ({ queued: true as const })),
    [IpcChannels.pollNow]: vi.fn(() => null),
    [IpcChannels.connectWebhook]: vi.fn(async () => ({ accountId: 'acc', name: 'acme.bitrix24.com' })),
    [IpcChannels.connectOAuth]: vi.fn(async () => ({ accountId: 'acc', name: 'acme.bitrix24.com' })),
    [IpcChannels.markRead]: vi.fn(() => null),
    [IpcChannels.markAllRead]: vi.fn(() => null),
    [IpcChannels.dismiss]: vi.fn(() => null),
    [IpcChannels.snooze]: vi.fn(() => ({ wakeAtMs: 0 })),
    [IpcChannels.unsnooze]: vi.fn(() => null),
    [IpcChannels.setOnline]: vi.fn(() => null),
    [IpcChannels.getSettings]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.updateSettings]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.setAutostart]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.removePortal]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.updatePortal]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.reorderPortals]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.useMovedAddress]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.portalCategories]: vi.fn(async () => []),
    [IpcChannels.pendingAnswers]: vi.fn(async () => []),
    [IpcChannels.dismissNotice]: vi.fn(() => null),
    [IpcChannels.reconnectWebhook]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.reconnectOAuth]: vi.fn(() => Promise.reject(new Error('not used'))),
    [IpcChannels.cancelSignIn]: vi.fn(() => ({ cancelled: false })),
  };
}

describe('IPC dispatcher', () => {
  it('passes valid requests to their handler', async () => {
    const handlers = spyHandlers();
    const dispatch = createIpcDispatcher(handlers);
    const request = { accountId: 'acc-1', notificationId: 1502, value: 'Y' };
    await expect(dispatch(IpcChannels.confirm, request)).resolves.toEqual({ ok: true, value: { queued: true } });
    expect(handlers[IpcChannels.confirm]).toHaveBeenCalledWith(request);
    await expect(dispatch(IpcChannels.getState, null)).resolves.toMatchObject({ ok: true });
  });

  it('refuses unknown channels and malformed payloads without calling any handler', async () => {
    const handlers = spyHandlers();
    const dispatch = createIpcDispatcher(handlers);
    await expect(dispatch('b24:shell:exec', {})).resolves.toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
    for (const payload of [
      undefined,
      { accountId: 'acc', notificationId: '1502', value: 'Y' },
      { accountId: 'acc', notificationId: 1.5, value: 'Y' },
      { accountId: 'acc', notificationId: -1, value: 'Y' },
      { accountId: '../../etc', notificationId: 1, value: 'Y' },
      { accountId: 'acc', notificationId: 1, value: '' },
      { accountId: 'acc', notificationId: 1, value: 'Y', extra: 'x' },
      { accountId: 'acc', notificationId: 1, value: 'Y', __proto__: { polluted: true } },
    ]) {
      await expect(dispatch(IpcChannels.confirm, payload)).resolves.toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
    }
    expect(handlers[IpcChannels.confirm]).not.toHaveBeenCalled();
  });

  it('never throws and never reaches a handler with random payloads on any channel', async () => {
    const handlers = spyHandlers();
    const dispatch = createIpcDispatcher(handlers);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ALL_IPC_CHANNELS), fc.anything({ withNullPrototype: true, withMap: true, withSet: true }), async (channel, payload) => {
        const result = await dispatch(channel, payload);
        if (result.ok) expect(payload === null || typeof payload === 'object').toBe(true);
      }),
      { numRuns: 2000 },
    );
    expect(handlers[IpcChannels.confirm]).not.toHaveBeenCalled();
    expect(handlers[IpcChannels.answer]).not.toHaveBeenCalled();
    expect(handlers[IpcChannels.dismiss]).not.toHaveBeenCalled();
    expect(handlers[IpcChannels.removePortal]).not.toHaveBeenCalled();
    expect(handlers[IpcChannels.setAutostart]).not.toHaveBeenCalled();
  });

  it('turns refusals into clear errors and anything else into an internal error that is reported', async () => {
    const handlers = spyHandlers();
    handlers[IpcChannels.confirm] = () => {
      throw new ActionRefused('already-answered', 'This notification was already answered.');
    };
    handlers[IpcChannels.getState] = () => {
      throw new TypeError('boom');
    };
    const reported: unknown[] = [];
    const dispatch = createIpcDispatcher(handlers, (error) => reported.push(error));
    await expect(dispatch(IpcChannels.confirm, { accountId: 'a', notificationId: 1, value: 'Y' })).resolves.toEqual({
      ok: false,
      error: { code: 'already-answered', message: 'This notification was already answered.' },
    });
    await expect(dispatch(IpcChannels.getState, null)).resolves.toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(reported).toEqual([expect.any(TypeError)]);
  });

  it('will not compile without a handler for every channel', () => {
    const { [IpcChannels.pollNow]: _omitted, ...partial } = spyHandlers();
    // @ts-expect-error — a handler is missing, so this is not IpcHandlers.
    const incomplete: IpcHandlers = partial;
    expectTypeOf(incomplete).toEqualTypeOf<IpcHandlers>();
  });
});
