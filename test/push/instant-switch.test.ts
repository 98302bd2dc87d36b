/**
 * Instant delivery can be turned off per portal (issue 16): the portal starts again without its
 * push channel (the push server sees the socket close; the card shows no instant line) and keeps
 * polling; turned on again, the channel comes back. Real store, service, engine, client and
 * undici WebSocket against the simulator and its push server.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import { connectWebhook } from '../../main/core/app/connect';
import { NotificationHub } from '../../main/core/app/hub';
import { engineFactory } from '../../main/core/app/start-accounts';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { tempStorage } from '../harness/engine-harness';
import { pollUntil } from '../harness/processes';
import { startPushPortal } from '../harness/push-portal';

const open: { close(): Promise<void> | void }[] = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) await item.close();
});

describe('instant delivery, per portal', () => {
  it('turned off: the portal runs on without its push channel; turned on: the channel is back', async () => {
    const { portal, push, agent } = await startPushPortal(open);
    const storage = tempStorage().open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const hub = new NotificationHub();
    open.push({ close: () => hub.stopAll() });
    const clientOptions = { dispatcherFactory: () => Promise.resolve({ dispatcher: agent }) };
    const portals = new AccountsService({ accounts, hub, storage, createEngine: engineFactory(accounts, storage, { clientOptions }) });
    const connected = await connectWebhook(portal.webhookUrl, { accounts, start: (account) => portals.startConnected(account), clientOptions });
    const instantOf = (): string | undefined => hub.snapshot().accounts[0]?.state.instant;
    await pollUntil(() => instantOf() === 'on' && push.openSockets === 1, 'instant delivery on');
    expect(accounts.get(connected.id)?.instant).toBe(true);

    await portals.update(connected.id, { instant: false });
    await pollUntil(() => push.openSockets === 0, 'the push socket closed');
    expect(accounts.get(connected.id)?.instant).toBe(false);
    expect(hub.has(connected.id)).toBe(true);
    expect(instantOf()).toBeUndefined();
    // Still polling: a new notification arrives with the next poll the user asks for.
    const note = portal.addPersonal({ text: 'Still here' });
    hub.pollNow(connected.id);
    await pollUntil(() => hub.snapshot().accounts[0]?.state.inbox.some((item) => item.id === note.id) === true, 'the note by polling');

    await portals.update(connected.id, { instant: true });
    await pollUntil(() => instantOf() === 'on' && push.openSockets === 1, 'instant delivery on again');
  });
});
