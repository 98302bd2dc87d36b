/**
 * The whole path on Linux with no Electron: portal simulator → engine → hub → popup presenter →
 * DbusNotifier → a notification server on a private session bus; a button pressed there comes
 * back as a confirm that reaches the simulator with the right NOTIFY_ID and NOTIFY_VALUE.
 * First against dbusmock (deterministic, exact Notify arguments), then against dunst under Xvfb.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationHub } from '../../main/core/app/hub';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { RESULT_VISIBLE_MS } from '../../main/core/engine/account-engine';
import { PopupPresenter } from '../../main/core/notifier/popup-presenter';
import { PortalClient } from '../../main/core/portal';
import { DbusNotifier } from '../../main/linux/dbus-notifier';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { canStartSessionBus, NO_SESSION_BUS, startSessionBus } from '../harness/dbus-session';
import { canStartDunst, NO_DUNST, startDunstSession } from '../harness/dunst-session';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { pollUntil } from '../harness/processes';
import { simWebhookCredentials } from '../harness/sim-credentials';

const withBus = canStartSessionBus();
const withDunst = canStartDunst();
if (!withBus) console.log(`end-to-end.test.ts ${NO_SESSION_BUS}`);
if (!withDunst) console.log(`end-to-end.test.ts ${NO_DUNST}`);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface App {
  portal: PortalSim;
  engine: AccountEngine;
  clock: FakeClock;
  notifier: DbusNotifier;
}

/** The app's core wired as the Electron shell wires it, on the given bus. */
async function startApp(busAddress: string): Promise<App> {
  const clock = new FakeClock();
  const portal = await startPortalSim();
  const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
  const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), clock });
  const hub = new NotificationHub();
  const notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress });
  const presenter = new PopupPresenter({
    hub,
    notifier,
    clock,
    settings: () => ({ doNotDisturb: { mode: 'off' }, sound: false }),
    openWindow: () => undefined,
  });
  hub.add('Main', engine);
  cleanups.push(async () => {
    presenter.dispose();
    await hub.stopAll();
    await notifier.dispose();
    await client.close();
    await portal.close();
  });
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
  return { portal, engine, clock, notifier };
}

async function poll(app: App, ms = app.engine.pollIntervalMs): Promise<void> {
  const polled = nextEvent(app.engine, 'polled');
  await app.clock.advance(ms);
  await polled;
}

/** The batch commands that carried a confirm to the portal. */
function confirmCommands(portal: PortalSim): string[] {
  return portal.requestLog.flatMap((entry) => (entry.batchCommands ?? []).filter((cmd) => cmd.startsWith('im.notify.confirm')));
}

describe.skipIf(!withBus)('Linux popups end to end (dbusmock)', () => {
  it('shows a new confirm with its buttons and delivers the pressed one to the portal exactly once', async () => {
    const bus = await startSessionBus();
    cleanups.push(() => bus.close());
    await bus.startDaemon(['actions', 'body']);
    const app = await startApp(bus.address);
    const invite = app.portal.addConfirm({
      title: 'Invitation to join group &quot;Marketing&quot;',
      text: 'You are invited to join group [URL=/workgroups/group/12/]Marketing[/URL]',
      buttons: [{ title: 'Accept', value: 'Y', type: 'accept' }, { title: 'Decline', value: 'N', type: 'cancel' }],
    });
    await poll(app);
    const [call] = await pollUntil(async () => {
      const calls = await bus.notifyCalls();
      return calls.length > 0 && calls;
    }, 'the popup');
    expect(call).toMatchObject({
      appName: 'B24 Notify',
      summary: 'Invitation to join group "Marketing"',
      body: 'You are invited to join group Marketing',
      actions: ['Y', 'Accept', 'N', 'Decline', 'default', 'Open'],
      expireTimeoutMs: 0,
    });

    await bus.pressButton(1, 'Y');
    await pollUntil(() => app.portal.confirmLog.length > 0, 'the confirm at the portal');
    expect(app.portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'Y', via: 'rest' })]);
    expect(confirmCommands(app.portal)).toEqual([`im.notify.confirm?NOTIFY_ID=${invite.id}&NOTIFY_VALUE=Y`]);
    // The popup is closed after the press, and the portal's answer follows without buttons.
    await pollUntil(async () => (await bus.mockCalls('CloseNotification')).length > 0, 'CloseNotification');
    const followUp = await pollUntil(async () => (await bus.notifyCalls())[1], 'the follow-up popup');
    expect(followUp).toMatchObject({ body: 'You chose "Accept"', actions: ['default', 'Open'] });
    await poll(app);
    expect(confirmCommands(app.portal)).toHaveLength(1);
  });
});

describe.skipIf(!withDunst)('Linux popups end to end (dunst under Xvfb)', () => {
  it('Accept pressed in dunst confirms on the portal and the item leaves the inbox', async () => {
    const dunst = await startDunstSession();
    cleanups.push(() => dunst.close());
    const app = await startApp(dunst.bus.address);
    const invite = app.portal.addConfirm({ title: 'Meeting at 10:00', text: 'Anna invites you to the planning meeting' });
    await poll(app);
    await pollUntil(async () => (await dunst.displayedCount()) === 1, 'the popup on screen');

    await dunst.pressViaDunst('Y');
    await pollUntil(() => app.portal.confirmLog.length > 0, 'the confirm at the portal');
    expect(app.portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'Y', via: 'rest' })]);
    expect(app.portal.get(invite.id)).toBeUndefined();
    await pollUntil(() => app.engine.state.inbox.find((item) => item.id === invite.id)?.action?.status === 'done', 'the answer in the inbox');
    // Shown as answered for a while, then gone from the inbox like from the portal.
    await poll(app, RESULT_VISIBLE_MS + app.engine.pollIntervalMs);
    expect(app.engine.state.inbox.find((item) => item.id === invite.id)).toBeUndefined();
    expect(confirmCommands(app.portal)).toHaveLength(1);
  });
});
