/**
 * DbusNotifier against a real daemon: dunst under Xvfb. A button pressed in dunst's menu must
 * come back as `action`, and the popup must go once we close it (dunst keeps it up otherwise).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Popup } from '../../main/core/notifier/notifier';
import { DbusNotifier } from '../../main/linux/dbus-notifier';
import { canStartDunst, NO_DUNST, startDunstSession, type DunstSession } from '../harness/dunst-session';
import { pollUntil } from '../harness/processes';
import { nextEvent } from './notifier-events';

const canStart = canStartDunst();
if (!canStart) console.log(`dunst.test.ts ${NO_DUNST}`);

const invitation: Popup = {
  key: 'main:42',
  title: 'Meeting at 10',
  body: 'Anna invites you to the planning meeting',
  buttons: [
    { value: 'Y', label: 'Accept' },
    { value: 'N', label: 'Decline' },
  ],
  urgency: 'normal',
  category: 'im.received',
};

describe.skipIf(!canStart)('DbusNotifier against dunst', () => {
  // One Xvfb + bus + dunst for the file: starting them is the slow part.
  let dunst: DunstSession;
  let notifier: DbusNotifier;
  beforeAll(async () => {
    dunst = await startDunstSession();
    notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: dunst.bus.address });
  });
  afterAll(async () => {
    await notifier?.dispose();
    await dunst?.close();
  });

  /** Shows `popup` and waits until dunst has it on screen (dunst draws on its next cycle). */
  async function shown(popup: Popup, count = 1): Promise<void> {
    await notifier.show(popup);
    await pollUntil(async () => (await dunst.displayedCount()) === count, `dunst to display ${count} popup(s)`);
  }

  it('dunst offers actions, so buttons are on', () => {
    expect(notifier.capabilities).toEqual({ buttons: true, reply: false, moreActions: true });
  });

  it('Accept pressed in dunst reaches us as action(key, "Y"), and our close takes the popup down', async () => {
    await shown(invitation);
    const acted = nextEvent(notifier, 'action');
    await dunst.pressViaDunst('Y');
    expect(await acted).toEqual(['main:42', 'Y']);
    await pollUntil(async () => (await dunst.displayedCount()) === 0, 'the answered popup to close');
  });

  it('a click on the popup runs its default action: opened', async () => {
    await shown({ ...invitation, key: 'main:43' });
    const opened = nextEvent(notifier, 'opened');
    await dunst.clickFirst();
    expect(await opened).toEqual(['main:43']);
    await pollUntil(async () => (await dunst.displayedCount()) === 0, 'the clicked popup to close');
  });

  it('a popup the user closes in dunst is dismissed; one we close is not', async () => {
    await shown({ ...invitation, key: 'main:44' });
    const dismissed = nextEvent(notifier, 'dismissed');
    await dunst.closeNewest();
    expect(await dismissed).toEqual(['main:44']);

    await shown({ ...invitation, key: 'main:45', buttons: [] });
    const dismissedKeys: string[] = [];
    const off = notifier.on('dismissed', (key) => dismissedKeys.push(key));
    await notifier.close('main:45');
    await pollUntil(async () => (await dunst.displayedCount()) === 0, 'our closed popup to go');
    // Barrier: a later user close is reported, so dunst's reason-3 signal for ours was read first.
    await shown({ ...invitation, key: 'main:46' });
    const barrier = nextEvent(notifier, 'dismissed');
    await dunst.closeNewest();
    expect(await barrier).toEqual(['main:46']);
    off();
    expect(dismissedKeys).toEqual(['main:46']);
  });
});
