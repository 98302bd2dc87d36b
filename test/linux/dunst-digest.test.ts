/**
 * The digest after quiet time through a real notification daemon (issue 17): dunst under Xvfb,
 * the real hub, engine and presenter on the simulator. Nothing reaches dunst during quiet time;
 * when it ends exactly one popup does, and clicking it in dunst opens the window at the first
 * item waiting (the confirm).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { QUIET_CHECK_MS } from '../../main/core/notifier/popup-presenter';
import { DbusNotifier } from '../../main/linux/dbus-notifier';
import { SystemQuiet } from '../../main/linux/system-quiet';
import { canStartDunst, NO_DUNST, startDunstSession } from '../harness/dunst-session';
import { pollOnce, presenterSetup } from '../harness/presenter-harness';
import { pollUntil } from '../harness/processes';

const canStart = canStartDunst();
if (!canStart) console.log(`dunst-digest.test.ts ${NO_DUNST}`);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe.skipIf(!canStart)('the digest after quiet time, in dunst', () => {
  it('shows nothing while quiet, one popup when quiet ends, and its click opens the window at the confirm', async () => {
    const dunst = await startDunstSession();
    cleanups.push(() => dunst.close());
    const notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: dunst.bus.address });
    cleanups.push(() => notifier.dispose());
    const s = await presenterSetup(cleanups, { notifier, settings: { doNotDisturb: { mode: 'on' } } });
    s.portal.addPersonal({ text: 'Looks good', module: 'blog', event: 'comment' });
    const invite = s.portal.addConfirm({ title: 'Planning', text: 'Friday 10:00', module: 'calendar', event: 'invite' });
    await pollOnce(s);
    await s.clock.advance(QUIET_CHECK_MS);
    expect(await dunst.displayedCount()).toBe(0);

    s.settings.doNotDisturb = { mode: 'off' };
    await s.clock.advance(QUIET_CHECK_MS);
    await pollUntil(async () => (await dunst.displayedCount()) === 1, 'the digest in dunst');
    await dunst.clickFirst();
    await pollUntil(() => s.openWindow.mock.calls.length > 0, 'the window opened from the digest');
    expect(s.openWindow).toHaveBeenLastCalledWith({ accountId: 'acme', notificationId: invite.id });
    await pollUntil(async () => (await dunst.displayedCount()) === 0, 'the clicked digest to close');
  });

  it('follows dunst\'s own pause: nothing is sent while it is paused, one digest after it resumes', async () => {
    const dunst = await startDunstSession();
    cleanups.push(() => dunst.close());
    const notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: dunst.bus.address });
    cleanups.push(() => notifier.dispose());
    const system = await SystemQuiet.start({ busAddress: dunst.bus.address, gsettings: false });
    cleanups.push(async () => system.dispose());
    const s = await presenterSetup(cleanups, { notifier, osDoNotDisturb: () => system.quiet });
    await dunst.setPaused(true);
    await pollUntil(() => system.quiet, 'dunst paused, seen');
    for (const text of ['One', 'Two', 'Three']) s.portal.addConfirm({ title: text, text });
    await pollOnce(s);
    await s.clock.advance(QUIET_CHECK_MS);
    await dunst.setPaused(false);
    await pollUntil(() => !system.quiet, 'dunst resumed, seen');
    await s.clock.advance(QUIET_CHECK_MS);
    await pollUntil(async () => (await dunst.displayedCount()) >= 1, 'the digest in dunst');
    // Had the three popups been sent during the pause, dunst would show them all on resuming.
    expect(await dunst.displayedCount()).toBe(1);
  });

  it('dunst lists actions in a menu, so a confirm\'s popup also offers "Snooze 1 hour"; choosing it snoozes the item', async () => {
    const dunst = await startDunstSession();
    cleanups.push(() => dunst.close());
    const notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: dunst.bus.address });
    cleanups.push(() => notifier.dispose());
    expect(notifier.capabilities).toMatchObject({ buttons: true, moreActions: true });
    const s = await presenterSetup(cleanups, { notifier });
    const invite = s.portal.addConfirm({ title: 'Planning', text: 'Friday 10:00' });
    await pollOnce(s);
    await pollUntil(async () => (await dunst.displayedCount()) === 1, 'the popup in dunst');
    await dunst.pressViaDunst('b24-notify:snooze');
    await pollUntil(() => s.hub.snapshot().accounts[0]?.snoozed?.[invite.id] !== undefined, 'the item snoozed');
    expect(s.hub.snapshot().accounts[0]?.snoozed?.[invite.id]).toBe(s.clock.now() + 60 * 60 * 1000);
    expect(s.portal.confirmLog).toEqual([]);
    await pollUntil(async () => (await dunst.displayedCount()) === 0, 'the popup gone');
  });
});
