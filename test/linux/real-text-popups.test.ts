/**
 * Real portal text in the Linux popup (issue 12): the same items the window test shows, from a
 * simulator that processes text as the server does, through the engine, the popup presenter and
 * DbusNotifier to dbusmock's notification daemon on a private session bus. The popup says, as
 * text, what Bitrix's own notification centre says: entities decoded once, mentions by name,
 * a literal <b> kept literal (escaped for a daemon that renders markup), the portal's HTML answer
 * as plain text, a deleted author by a neutral label.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationHub } from '../../main/core/app/hub';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PopupPresenter } from '../../main/core/notifier/popup-presenter';
import { PortalClient } from '../../main/core/portal';
import { DbusNotifier } from '../../main/linux/dbus-notifier';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { canStartSessionBus, NO_SESSION_BUS, startSessionBus, type NotifyCall } from '../harness/dbus-session';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { pollUntil } from '../harness/processes';
import { simWebhookCredentials } from '../harness/sim-credentials';

const withBus = canStartSessionBus();
if (!withBus) console.log(`real-text-popups.test.ts ${NO_SESSION_BUS}`);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Sim → client → engine → hub → presenter → DbusNotifier on a bus whose daemon has `capabilities`. */
interface PopupApp {
  portal: PortalSim;
  /** Adds items on the portal and lets one poll bring them. */
  arrive(fill: (portal: PortalSim) => void): Promise<void>;
  calls(): Promise<NotifyCall[]>;
  press(serverId: number, key: string): Promise<void>;
}

async function popupsFor(capabilities: string[]): Promise<PopupApp> {
  const bus = await startSessionBus();
  cleanups.push(() => bus.close());
  await bus.startDaemon(capabilities);
  const clock = new FakeClock();
  const portal = await startPortalSim();
  const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
  const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), clock });
  const hub = new NotificationHub();
  const notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: bus.address });
  const presenter = new PopupPresenter({ hub, notifier, clock, settings: () => ({ doNotDisturb: { mode: 'off' }, sound: false }), openWindow: () => undefined });
  hub.add('Main', engine);
  cleanups.push(async () => {
    presenter.dispose();
    await hub.stopAll();
    await notifier.dispose();
    await client.close();
    await portal.close();
  });
  // The first poll is the baseline: nothing pops up for what was already there.
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
  return {
    portal,
    async arrive(fill) {
      fill(portal);
      const polled = nextEvent(engine, 'polled');
      await clock.advance(engine.pollIntervalMs);
      await polled;
    },
    calls: () => bus.notifyCalls(),
    press: (serverId, key) => bus.pressButton(serverId, key),
  };
}

describe.skipIf(!withBus)('real portal text in Linux popups (dbusmock)', () => {
  it('shows decoded text, the mention by name and a literal <b> as text; the portal’s HTML answer as plain text', async () => {
    const app = await popupsFor(['actions', 'body']);
    let confirmId = 0;
    await app.arrive((portal) => {
      confirmId = portal.addConfirm({ title: 'Invitation to group &quot;Marketing&quot;', text: 'Join &quot;Marketing&quot;?', tag: 'GROUP|5', resultMessage: 'You joined <b>&quot;Marketing&quot;</b>.<br>Welcome!' }).id;
    });
    const popup = await pollUntil(async () => (await app.calls())[0], 'the confirm popup');
    expect(popup).toMatchObject({ summary: 'Invitation to group "Marketing"', body: 'Join "Marketing"?' });

    await app.press(1, 'Y');
    await pollUntil(() => app.portal.confirmLog.some((entry) => entry.id === confirmId), 'the confirm at the portal');
    const answer = await pollUntil(async () => (await app.calls())[1], 'the follow-up popup');
    expect(answer.body).toBe('You joined "Marketing".\nWelcome!');
    // The follow-up names the item and its portal (issue 17), not just the app.
    expect(answer.summary).toBe('Main: Invitation to group "Marketing"');
  });

  it('names the mentioned person, keeps a literal <b> as text (escaped for a markup daemon) and labels a deleted author neutrally', async () => {
    const app = await popupsFor(['actions', 'body', 'body-markup']);
    await app.arrive((portal) => {
      portal.addPersonal({ text: '[USER=5][/USER] moved deal &laquo;AT&amp;T &lt;b&gt;Q4&lt;/b&gt;&raquo; &mdash; see https://x.example/?a=1&copy=2', authorId: 3 });
    });
    const moved = await pollUntil(async () => (await app.calls())[0], 'the mention popup');
    // The daemon renders markup, so the literal text arrives escaped and shows as written:
    // "Peter Novak moved deal «AT&T <b>Q4</b>» — see https://x.example/?a=1&copy=2".
    expect(moved.body).toBe('Peter Novak moved deal «AT&amp;T &lt;b&gt;Q4&lt;/b&gt;» — see https://x.example/?a=1&amp;copy=2');

    await app.arrive((portal) => {
      portal.addUser({ id: 9, name: 'Former Colleague' });
      portal.addPersonal({ text: 'left a comment on the task', authorId: 9 });
      portal.deleteUser(9);
    });
    const orphan = await pollUntil(async () => (await app.calls())[1], 'the deleted author popup');
    expect(orphan).toMatchObject({ summary: 'Deleted user', body: 'left a comment on the task' });
  });
});
