/**
 * Windows toasts, in the real main bundle under the Electron stand-in reporting win32 (issue 14,
 * fix 2): a button or a reply on a live toast answers the portal without popping the window
 * (handleActivation runs in addition to the toast's own events), a plain click opens it, a toast
 * the app no longer holds (after a restart, from the Action Center) opens it too; toasts carry a
 * stable id of at most 64 characters; Notification.isSupported() is asked right after ready so
 * cold-start clicks reach the app.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appHome, launchApp, launchConnected, type AppHome, type RunningApp, type StandinEvent } from '../electron-standin/driver';
import type { PortalSim } from '../portal-sim';
import type { ConfirmButtonInput } from '../portal-sim/types';
import { pollUntil } from '../harness/processes';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Buttons = ConfirmButtonInput[];
const JOIN_OR_NOT: Buttons = [{ title: 'Join', value: 'Y', type: 'accept' }, { title: 'No', value: 'N', type: 'cancel' }];

async function windowsAppWithConfirm(buttons: Buttons = JOIN_OR_NOT): Promise<{ app: RunningApp; portal: PortalSim; toast: StandinEvent; accountId: string; notificationId: number }> {
  const { app, portal, accountId } = await launchConnected({ B24_STANDIN_PLATFORM: 'win32' }, cleanups);
  // The first poll was the baseline; the confirm arrives on the next one.
  const added = portal.addConfirm({ title: 'Join the group?', text: 'Marketing', buttons });
  await app.command('closeWindow');
  expect(await app.command('invoke', 'b24:poll:now', {})).toMatchObject({ ok: true });
  const toast = await Promise.race([app.event('notification-show'), app.event('notification-failed').then((failed) => Promise.reject(new Error(`the toast failed: ${JSON.stringify(failed)}`)))]);
  return { app, portal, toast, accountId, notificationId: added.id };
}

const windowShows = (app: RunningApp): number => app.events.filter((event) => event.name === 'window-show').length;

describe('Windows toasts (stand-in, win32)', () => {
  it('a button on a live toast answers the portal and does not pop the window', async () => {
    const { app, portal, toast } = await windowsAppWithConfirm();
    expect(toast).toMatchObject({ actions: ['Join', 'No', 'Snooze 1 hour'], id: expect.stringMatching(/^.{1,64}$/) });
    expect(await app.command('notificationSupportAsked')).toBe(true);
    const shownBefore = windowShows(app);
    await app.command('toast', toast.index, { type: 'action', actionIndex: 0 });
    await pollUntil(() => portal.confirmLog.length > 0, 'the confirm at the portal');
    expect(portal.confirmLog).toEqual([expect.objectContaining({ value: 'Y' })]);
    // A round trip: anything the activation would have done has happened by the time this answers.
    await app.command('state');
    expect(windowShows(app)).toBe(shownBefore);
  });

  it('a plain click opens the window', async () => {
    const { app, toast } = await windowsAppWithConfirm();
    const shownBefore = windowShows(app);
    await app.command('toast', toast.index, { type: 'click' });
    await app.event('window-show');
    await app.command('state');
    expect(windowShows(app)).toBe(shownBefore + 1);
  });

  it('a toast from before this start (cold start, Action Center) opens the window: the item is in the inbox', async () => {
    const home: AppHome = appHome({ B24_STANDIN_PLATFORM: 'win32' });
    cleanups.push(() => home.cleanup());
    const app = launchApp(home);
    cleanups.push(() => app.kill());
    await app.event('window-show');
    await app.command('closeWindow');
    await app.command('coldToast', { type: 'action', actionIndex: 0 });
    await app.command('state');
    expect(windowShows(app)).toBe(2);
    expect((await app.state()).windows[0]?.visible).toBe(true);
  });
});

describe('what Windows does with toasts later (stand-in, win32)', () => {
  it('a confirm with five buttons still shows, with four: the reminder toast\'s own Dismiss takes the fifth of five action slots', async () => {
    const five: Buttons = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri'].map((day) => ({ title: day, value: day, type: 'accept' }));
    const { app, toast } = await windowsAppWithConfirm(five);
    expect(toast).toMatchObject({ actions: ['Mon', 'Tue', 'Wed', 'Thu'], timeoutType: 'never' });
    await app.command('state');
    expect(app.events.filter((event) => event.name === 'notification-failed')).toEqual([]);
  });

  it('a toast has room for "Snooze 1 hour" after the buttons: it snoozes the item, answers nothing and pops nothing up', async () => {
    const { app, portal, toast, accountId, notificationId } = await windowsAppWithConfirm();
    const shownBefore = windowShows(app);
    await app.command('toast', toast.index, { type: 'action', actionIndex: 2 });
    await pollUntil(async () => {
      const state = await app.command<{ value: { snapshot: { accounts: { accountId: string; snoozed?: Record<string, number> }[] } } }>('invoke', 'b24:state:get', null);
      return state.value.snapshot.accounts.find((account) => account.accountId === accountId)?.snoozed?.[notificationId] !== undefined;
    }, 'the item snoozed');
    expect(portal.confirmLog).toEqual([]);
    expect(windowShows(app)).toBe(shownBefore);
  });

  it('a toast Windows hid to the Action Center is let go: a button pressed there later still opens the window', async () => {
    const { app, portal, toast } = await windowsAppWithConfirm();
    await app.command('toastGone', toast.index, 'timedOut');
    const shownBefore = windowShows(app);
    // Minutes later, from the Action Center; the app no longer holds the toast (it may be collected),
    // so only handleActivation reports it.
    await app.command('toast', toast.index, { type: 'action', actionIndex: 0 }, false);
    await app.event('window-show');
    await app.command('state');
    expect(windowShows(app)).toBe(shownBefore + 1);
    expect(portal.confirmLog).toEqual([]);
  });

  it('answering in the window takes the item\'s toast out of the Action Center', async () => {
    const { app, portal, toast, accountId, notificationId } = await windowsAppWithConfirm();
    expect(await app.command('actionCenter')).toEqual([toast.id]);
    expect(await app.command('invoke', 'b24:action:confirm', { accountId, notificationId, value: 'N' })).toMatchObject({ ok: true });
    await pollUntil(() => portal.confirmLog.length > 0, 'the confirm at the portal');
    await pollUntil(async () => (await app.command<string[]>('actionCenter')).length === 0 || undefined, 'the toast out of the Action Center');
  });
});

describe('a toast the system refused (stand-in, win32)', () => {
  it('one refused toast does not take the buttons away from the next', async () => {
    const { app, portal } = await launchConnected({ B24_STANDIN_PLATFORM: 'win32', B24_STANDIN_FAIL_TOASTS: '1' }, cleanups);
    portal.addConfirm({ title: 'First?', text: 'refused by the system', buttons: JOIN_OR_NOT });
    expect(await app.command('invoke', 'b24:poll:now', {})).toMatchObject({ ok: true });
    await app.event('notification-failed');
    portal.addConfirm({ title: 'Second?', text: 'shown', buttons: JOIN_OR_NOT });
    expect(await app.command('invoke', 'b24:poll:now', {})).toMatchObject({ ok: true });
    const shown = await app.event('notification-show');
    expect(shown).toMatchObject({ title: expect.stringContaining('Second?'), actions: ['Join', 'No', 'Snooze 1 hour'] });
  });
});

describe('launch at login on Windows (stand-in, win32)', () => {
  it('Settings reads back "on" after turning it on: getLoginItemSettings gets the same --hidden args (docs/api/app.md)', async () => {
    const home: AppHome = appHome({ B24_STANDIN_PLATFORM: 'win32' });
    cleanups.push(() => home.cleanup());
    const app = launchApp(home);
    cleanups.push(() => app.kill());
    await app.event('window-show');
    const before = await app.command<{ ok: boolean; value: { autostart: { supported: boolean; enabled: boolean } } }>('invoke', 'b24:settings:get', null);
    expect(before.value.autostart).toEqual({ supported: true, enabled: false });
    const after = await app.command<{ ok: boolean; value: { autostart: { enabled: boolean } } }>('invoke', 'b24:settings:autostart', { enabled: true });
    expect(after).toMatchObject({ ok: true, value: { autostart: { enabled: true } } });
    // Read again from the system, as a later Settings view would.
    const reread = await app.command<{ value: { autostart: { enabled: boolean } } }>('invoke', 'b24:settings:get', null);
    expect(reread.value.autostart.enabled).toBe(true);
  });
});
