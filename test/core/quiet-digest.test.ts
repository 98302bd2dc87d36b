/**
 * The digest after quiet time (issue 17): the real hub and engine on the simulator, virtual time,
 * a recording notifier for the OS. During quiet time nothing pops up; when it ends, one popup tells
 * per portal what still waits, by kind, and opens the window at the first item (a confirm first).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DIGEST_KEY } from '../../main/core/notifier/quiet-digest';
import { QUIET_CHECK_MS } from '../../main/core/notifier/popup-presenter';
import { pollOnce, presenterSetup } from '../harness/presenter-harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the digest after quiet time', () => {
  it('nothing pops up while quiet; when it ends, one digest counts what still waits and opens the window at the first confirm', async () => {
    const s = await presenterSetup(cleanups, { settings: { doNotDisturb: { mode: 'on' } } });
    s.portal.addPersonal({ text: 'Looks good', module: 'tasks', event: 'comment' });
    s.portal.addPersonal({ text: 'See the draft', module: 'blog', event: 'comment' });
    const invite = s.portal.addConfirm({ title: 'Planning', text: 'Friday 10:00', module: 'calendar', event: 'invite' });
    const deleted = s.portal.addPersonal({ text: 'Deleted meanwhile', module: 'im', event: 'mention' });
    const readHere = s.portal.addPersonal({ text: 'Read in the window', module: 'im', event: 'mention' });
    const snoozed = s.portal.addPersonal({ text: 'Snoozed', module: 'im', event: 'mention' });
    await pollOnce(s);
    expect(s.notifier.history).toEqual([]);

    s.portal.deleteInBrowser(deleted.id);
    s.hub.markRead('acme', [readHere.id]);
    s.hub.snooze('acme', snoozed.id, { kind: 'tomorrow' });
    await pollOnce(s);
    // Still quiet: a minute passes, nothing.
    await s.clock.advance(QUIET_CHECK_MS);
    expect(s.notifier.history).toEqual([]);

    s.settings.doNotDisturb = { mode: 'off' };
    await s.clock.advance(QUIET_CHECK_MS);
    expect(s.notifier.history).toEqual([expect.objectContaining({ key: DIGEST_KEY, title: 'While you were away', body: '1 invitation, 2 comments', buttons: [] })]);

    s.notifier.click(DIGEST_KEY);
    expect(s.openWindow).toHaveBeenLastCalledWith({ accountId: 'acme', notificationId: invite.id });
    // One digest: no popup follows for the items it told about.
    await s.clock.advance(10 * QUIET_CHECK_MS);
    expect(s.notifier.history).toHaveLength(1);
  });

  it('no digest when everything was dealt with meanwhile', async () => {
    const s = await presenterSetup(cleanups, { settings: { doNotDisturb: { mode: 'on' } } });
    const invite = s.portal.addConfirm({ title: 'Join?', text: 'Marketing' });
    await pollOnce(s);
    s.portal.answerInBrowser(invite.id, 'Y');
    await pollOnce(s);
    s.settings.doNotDisturb = { mode: 'off' };
    await s.clock.advance(QUIET_CHECK_MS);
    expect(s.notifier.history).toEqual([]);
  });

  it('a category let through quiet time pops up at once, without sound; the rest waits for the digest', async () => {
    const s = await presenterSetup(cleanups, {
      settings: { doNotDisturb: { mode: 'on' }, sound: true },
      breaksThrough: (_accountId, settingName) => settingName === 'calendar|invite',
    });
    const invite = s.portal.addConfirm({ title: 'Planning', text: 'Friday 10:00', module: 'calendar', event: 'invite' });
    s.portal.addPersonal({ text: 'Looks good', module: 'blog', event: 'comment' });
    await pollOnce(s);
    expect(s.notifier.history.map((popup) => [popup.key, popup.buttons.length])).toEqual([[`acme:${invite.id}`, 2]]);
    expect(s.playSound).not.toHaveBeenCalled();
    s.settings.doNotDisturb = { mode: 'off' };
    await s.clock.advance(QUIET_CHECK_MS);
    expect(s.notifier.history.at(-1)).toMatchObject({ key: DIGEST_KEY, body: '1 comment' });
  });

  it('what waits is kept across a restart during quiet time, and told when it ends', async () => {
    const s = await presenterSetup(cleanups, { settings: { doNotDisturb: { mode: 'on' } }, digestStorage: true });
    s.portal.addPersonal({ text: 'See the draft', module: 'blog', event: 'comment' });
    s.portal.addPersonal({ text: 'And this one', module: 'blog', event: 'comment' });
    await pollOnce(s);
    // The app quits and starts again (same storage); those items are not announced again.
    s.restartPresenter();
    s.settings.doNotDisturb = { mode: 'off' };
    await s.clock.advance(QUIET_CHECK_MS);
    expect(s.notifier.history).toEqual([expect.objectContaining({ key: DIGEST_KEY, body: '2 comments' })]);
  });
});
