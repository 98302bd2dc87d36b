/**
 * Every channel of the window's IPC does what the window asks, through the real dispatcher, hub,
 * accounts and settings (the preview host's composition) on the portal simulator over loopback:
 * what the portal and the state show afterwards is the oracle, not which function was called.
 * Written for the survivors of the mutation run over main/core/ipc (issue 18).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../main/shared/ipc-contract';
import { startPreview, type Preview } from '../harness/preview/server';
import { pollUntil } from '../harness/processes';
import { startPortalSim, type PortalSim } from '../portal-sim';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(): Promise<PortalSim> {
  const portal = await startPortalSim();
  cleanups.push(() => portal.close());
  return portal;
}

async function previewOn(portal: PortalSim): Promise<{ preview: Preview; accountId: string }> {
  const preview = await startPreview({ webhook: portal.webhookUrl, popups: false });
  cleanups.push(() => preview.close());
  await pollUntil(() => preview.hub.snapshot().accounts[0]?.state.lastSyncAt !== undefined, 'the first sync');
  return { preview, accountId: preview.hub.snapshot().accounts[0]!.accountId };
}

async function call<T>(preview: Preview, channel: string, payload: unknown): Promise<T> {
  const result = (await preview.dispatch(channel, payload)) as IpcResult<T>;
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value;
}


describe('the window’s IPC, channel by channel', () => {
  it('state, app info, and the first screenful only when asked', async () => {
    const portal = await simulator();
    portal.addPersonal({ text: 'One' });
    portal.addPersonal({ text: 'Two' });
    const { preview } = await previewOn(portal);
    expect(await call(preview, 'b24:app:info', null)).toEqual({ version: 'preview', platform: process.platform });
    const first = await call<{ partial?: boolean; snapshot: { accounts: { state: { inbox: unknown[] } }[] } }>(preview, 'b24:state:get', { firstItems: 1 });
    expect(first.partial).toBe(true);
    expect(first.snapshot.accounts[0]?.state.inbox).toHaveLength(1);
    const whole = await call<{ partial?: boolean; snapshot: { accounts: { state: { inbox: unknown[] } }[] } }>(preview, 'b24:state:get', null);
    expect(whole.partial).toBeUndefined();
    expect(whole.snapshot.accounts[0]?.state.inbox).toHaveLength(2);
  });

  it('answers, replies, marks read (one and all) and dismisses on the portal', async () => {
    const portal = await simulator();
    const invite = portal.addConfirm({ title: 'Join?', text: 'Sales' });
    const question = portal.addPersonal({ text: 'Lunch?', quickReply: true });
    const one = portal.addPersonal({ text: 'One' });
    portal.addPersonal({ text: 'Two' });
    const gone = portal.addPersonal({ text: 'Dismiss me' });
    const { preview, accountId } = await previewOn(portal);

    expect(await call(preview, 'b24:action:confirm', { accountId, notificationId: invite.id, value: 'Y' })).toEqual({ queued: true });
    expect(await call(preview, 'b24:action:answer', { accountId, notificationId: question.id, text: 'Yes' })).toEqual({ queued: true });
    await pollUntil(() => portal.confirmLog.length === 1 && portal.answerLog.length === 1, 'the answer and the reply at the portal');
    expect(portal.confirmLog[0]).toMatchObject({ id: invite.id, value: 'Y' });

    expect(await call(preview, 'b24:items:mark-read', { accountId, notificationIds: [one.id] })).toBeNull();
    await pollUntil(() => portal.get(one.id)?.notify_read === 'Y', 'one read on the portal');
    expect(await call(preview, 'b24:items:dismiss', { accountId, notificationId: gone.id })).toBeNull();
    await pollUntil(() => portal.get(gone.id) === undefined, 'dismissed on the portal');
    expect(await call(preview, 'b24:items:mark-all-read', { accountId })).toBeNull();
    await pollUntil(() => portal.notifications().every((item) => item.notify_read === 'Y'), 'all read on the portal');
  });

  it('offline from the window holds polling; settings, order, notices, sign-in, categories and pending answers', async () => {
    const portal = await simulator();
    const other = await simulator();
    const { preview, accountId } = await previewOn(portal);
    expect(await call(preview, 'b24:system:online', { online: false })).toBeNull();
    await pollUntil(() => preview.hub.snapshot().accounts[0]?.state.connection.status === 'offline', 'offline');

    const view = await call<{ settings: { pollIntervalMs: number } }>(preview, 'b24:settings:get', null);
    expect(view.settings.pollIntervalMs).toBe(30_000);
    const updated = await call<{ settings: { pollIntervalMs: number } }>(preview, 'b24:settings:update', { pollIntervalMs: 60_000 });
    expect(updated.settings.pollIntervalMs).toBe(60_000);
    expect(preview.settings.current.pollIntervalMs).toBe(60_000);
    // The preview has no login items: the request reaches them and their refusal comes back.
    expect(await preview.dispatch('b24:settings:autostart', { enabled: true })).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong in B24 Notify; the details are in the log.' } });

    // A second portal, connected as the user allowed plain HTTP to it: its card says so.
    const second = await call<{ accountId: string }>(preview, 'b24:accounts:connect-webhook', { url: other.webhookUrl, allowHttp: true });
    const portals = await call<{ portals: { accountId: string; unencrypted: boolean }[] }>(preview, 'b24:settings:get', null);
    expect(portals.portals.find((entry) => entry.accountId === second.accountId)?.unencrypted).toBe(new URL(other.origin).protocol === 'http:');
    expect(portals.portals.find((entry) => entry.accountId === accountId)?.unencrypted).toBe(false);
    const reordered = await call<{ portals: { accountId: string }[] }>(preview, 'b24:accounts:reorder', { accountIds: [second.accountId, accountId] });
    expect(reordered.portals.map((entry) => entry.accountId)).toEqual([second.accountId, accountId]);
    expect(preview.hub.snapshot().accounts.map((account) => account.accountId)).toEqual([second.accountId, accountId]);

    preview.hub.addNotice('Something to know');
    const noticeId = preview.hub.snapshot().notices?.[0]?.id;
    expect(await call(preview, 'b24:notices:dismiss', { id: noticeId })).toBeNull();
    expect(preview.hub.snapshot().notices).toBeUndefined();

    expect(await call(preview, 'b24:accounts:cancel-sign-in', null)).toEqual({ cancelled: false });
    expect(await call(preview, 'b24:accounts:pending', { accountId })).toEqual([]);
    expect(Array.isArray(await call(preview, 'b24:accounts:categories', { accountId }))).toBe(true);
  });

  it('snooze and unsnooze, and each kind of refusal comes back with its own code and words', async () => {
    const portal = await simulator();
    const other = await simulator();
    const item = portal.addPersonal({ text: 'Later' });
    const { preview, accountId } = await previewOn(portal);

    const { wakeAtMs } = await call<{ wakeAtMs: number }>(preview, 'b24:items:snooze', { accountId, notificationId: item.id, until: { kind: 'hour' } });
    expect(wakeAtMs).toBeGreaterThan(Date.now() + 59 * 60_000);
    expect(preview.hub.snapshot().accounts[0]?.snoozed).toEqual({ [item.id]: wakeAtMs });
    expect(await call(preview, 'b24:items:unsnooze', { accountId, notificationId: item.id })).toBeNull();
    expect(preview.hub.snapshot().accounts[0]?.snoozed).toBeUndefined();

    expect(await preview.dispatch('b24:items:snooze', { accountId, notificationId: item.id, until: { kind: 'at', atMs: 1_000 } })).toEqual({
      ok: false,
      error: { code: 'invalid-time', message: 'Pick a time that is still to come.' },
    });
    expect(await preview.dispatch('b24:settings:update', { hotkey: 'Ctrl++B' })).toMatchObject({ ok: false, error: { code: 'hotkey', message: expect.stringMatching(/is not a shortcut/) } });
    expect(await preview.dispatch('b24:accounts:use-moved-address', { accountId })).toEqual({
      ok: false,
      error: { code: 'refused', message: 'This portal has not reported a new address that B24 Notify can use.' },
    });
    // A webhook portal cannot sign in again with OAuth.
    expect(await preview.dispatch('b24:accounts:reconnect-oauth', { accountId })).toMatchObject({ ok: false });

    // The portal itself refuses: its words, and the kind of refusal, reach the window.
    portal.injectFault({ kind: 'status', status: 401, body: JSON.stringify({ error: 'NO_AUTH_FOUND', error_description: 'Wrong authorization data' }) }, { restMethod: 'im.notify.schema.get', times: 5 });
    const refused = await preview.dispatch('b24:accounts:categories', { accountId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'portal-error', reason: expect.any(String), message: expect.any(String) } });

    // Reconnecting with a webhook of the same portal and user keeps the portal and returns the view.
    const view = await call<{ portals: { accountId: string }[] }>(preview, 'b24:accounts:reconnect-webhook', { accountId, url: portal.webhookUrl });
    expect(view.portals.map((entry) => entry.accountId)).toEqual([accountId]);
    expect(await preview.dispatch('b24:accounts:reconnect-webhook', { accountId, url: other.webhookUrl })).toMatchObject({ ok: false, error: { code: 'connect-failed' } });
  });
});
