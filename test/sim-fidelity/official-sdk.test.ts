/**
 * The simulator proven against an independent client: Bitrix24's official JS SDK
 * (@bitrix24/b24jssdk) talks to it through a webhook as it would to a real portal. The SDK
 * insists on HTTPS, so the simulator serves TLS with a certificate made for this run.
 */
import https from 'node:https';
import { B24Hook } from '@bitrix24/b24jssdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNotifyPage } from '../../main/core/notifications/model';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { makeLoopbackCertificate } from '../harness/test-cert';

let portal: PortalSim;
let b24: B24Hook;
let previousCa: unknown;

beforeAll(async () => {
  const certificate = makeLoopbackCertificate();
  portal = await startPortalSim({ tls: certificate });
  // The SDK uses axios over Node's https global agent: trust our throwaway CA there only.
  previousCa = https.globalAgent.options.ca;
  https.globalAgent.options.ca = certificate.cert;
  expect(portal.webhookUrl.startsWith('https://127.0.0.1:')).toBe(true);
  b24 = B24Hook.fromWebhookUrl(portal.webhookUrl);
  b24.offClientSideWarning();
});

afterAll(async () => {
  https.globalAgent.options.ca = previousCa as string | undefined;
  await portal?.close();
});

describe('the simulator through @bitrix24/b24jssdk', () => {
  it('serves im.notify.get in the shape the SDK and our model read', async () => {
    const invite = portal.addConfirm({ title: 'Invitation to join group &quot;Marketing&quot;', text: 'Join [URL=/workgroups/group/12/]Marketing[/URL]' });
    portal.addPersonal({ text: 'Hello from a colleague', authorId: 2 });
    const response = await b24.actions.v2.call.make({ method: 'im.notify.get', params: { LIMIT: 10 } });
    expect(response.isSuccess).toBe(true);
    const data = response.getData();
    expect(data?.time).toMatchObject({ start: expect.any(Number), finish: expect.any(Number), duration: expect.any(Number) });
    const result = data?.result as { notifications: Record<string, unknown>[]; total_unread_count: number; users: unknown[] };
    expect(result.total_unread_count).toBe(2);
    expect(result.notifications[0]).toMatchObject({ id: invite.id, notify_type: 1, notify_read: 'N' });
    const buttons = JSON.parse(result.notifications[0]?.notify_buttons as string) as { COMMAND_PARAMS: string; TEXT: string }[];
    expect(buttons.map((button) => button.COMMAND_PARAMS)).toEqual([`${invite.id}|Y`, `${invite.id}|N`]);
    const page = parseNotifyPage(result);
    expect(page.skipped).toBe(0);
    expect(page.items[0]).toMatchObject({ kind: 'confirm', title: 'Invitation to join group "Marketing"' });
    expect(page.items[1]).toMatchObject({ kind: 'from-user', author: expect.objectContaining({ id: 2 }) });
  });

  it('confirms through the SDK, and reports an unknown id as the portal does (200, result_message false)', async () => {
    const invite = portal.addConfirm({ text: 'Meeting at 10?' });
    const accepted = await b24.actions.v2.call.make({ method: 'im.notify.confirm', params: { NOTIFY_ID: invite.id, NOTIFY_VALUE: 'Y' } });
    expect(accepted.isSuccess).toBe(true);
    expect((accepted.getData()?.result as { result_message: string[] }).result_message).toHaveLength(1);
    expect(portal.get(invite.id)).toBeUndefined();
    const again = await b24.actions.v2.call.make({ method: 'im.notify.confirm', params: { NOTIFY_ID: invite.id, NOTIFY_VALUE: 'Y' } });
    expect(again.isSuccess).toBe(true);
    expect(again.getData()?.result).toEqual({ result_message: false });
  });

  it('parses an error response as the SDK expects (code, status and description)', async () => {
    const failed = b24.actions.v2.call.make({ method: 'im.notify.confirm', params: { NOTIFY_ID: 0, NOTIFY_VALUE: 'Y' } });
    await expect(failed).rejects.toMatchObject({ name: 'AjaxError', code: 'ID_ERROR', message: "Notification ID can't be empty" });
    await failed.catch((error: { status?: number; _status?: number }) => expect(error.status ?? error._status).toBe(400));
  });

  it('runs a batch through the SDK with results per command', async () => {
    const invite = portal.addConfirm({ text: 'Join?' });
    const batch = await b24.actions.v2.batch.make({
      calls: {
        counters: { method: 'im.counters.get' },
        confirm: { method: 'im.notify.confirm', params: { NOTIFY_ID: invite.id, NOTIFY_VALUE: 'N' } },
        list: { method: 'im.notify.get', params: { LIMIT: 5 } },
      },
      options: { isHaltOnError: false },
    });
    expect(batch.isSuccess).toBe(true);
    const data = batch.getData() as Record<string, unknown>;
    expect(data.counters).toMatchObject({ TYPE: expect.objectContaining({ NOTIFY: expect.any(Number) }) });
    expect(data.confirm).toMatchObject({ result_message: [expect.any(String)] });
    // Commands run in order: the list already lacks the confirm answered just before it.
    expect((data.list as { notifications: { id: number }[] }).notifications.map((n) => n.id)).not.toContain(invite.id);
    expect(portal.confirmLog.at(-1)).toMatchObject({ id: invite.id, value: 'N', via: 'rest' });
    expect(portal.requestLog.at(-1)).toMatchObject({ restMethod: 'batch', status: 200 });
  });
});
