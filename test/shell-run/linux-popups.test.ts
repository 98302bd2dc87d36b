/**
 * Linux popups from the real main bundle under the Electron stand-in, on a private session bus
 * with dbusmock's notification server (issue 14): a confirm pops up with its buttons, a button
 * pressed there answers the portal, and Quit closes the popups it leaves (no dead buttons on
 * screen) before the process ends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { launchConnected } from '../electron-standin/driver';
import { canStartSessionBus, NO_SESSION_BUS, startSessionBus } from '../harness/dbus-session';
import { pollUntil } from '../harness/processes';

const withBus = canStartSessionBus();
if (!withBus) console.log(`linux-popups.test.ts ${NO_SESSION_BUS}`);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!withBus)('Linux popups from the running bundle (dbusmock)', () => {
  it('answers a confirm from its popup, and Quit closes the popups left on screen', async () => {
    const bus = await startSessionBus();
    cleanups.push(() => bus.close());
    await bus.startDaemon(['actions', 'body']);
    const { app, portal } = await launchConnected({ DBUS_SESSION_BUS_ADDRESS: bus.address }, cleanups);

    const answered = portal.addConfirm({ title: 'Join the group?', text: 'Marketing' });
    portal.addConfirm({ title: 'Planning meeting?', text: 'Tomorrow 10:00' });
    expect(await app.command('invoke', 'b24:poll:now', {})).toMatchObject({ ok: true });
    const calls = await pollUntil(async () => {
      const notified = await bus.notifyCalls();
      return notified.length >= 2 && notified;
    }, 'two popups');
    expect(calls.map((call) => call.summary).sort()).toEqual(['Join the group?', 'Planning meeting?']);
    const joinId = calls.findIndex((call) => call.summary === 'Join the group?') + 1;
    await bus.pressButton(joinId, 'Y');
    await pollUntil(() => portal.confirmLog.some((entry) => entry.id === answered.id), 'the confirm at the portal');

    const closedBefore = (await bus.mockCalls('CloseNotification')).length;
    await app.command('clickTrayItem', 'Quit B24 Notify');
    expect(await app.exitCode).toBe(0);
    // The unanswered popup was closed before the process ended.
    expect((await bus.mockCalls('CloseNotification')).length).toBeGreaterThan(closedBefore);
  });
});
