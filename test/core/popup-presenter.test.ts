/**
 * The popup policy end to end through the real simulator, engine and hub, with a recording
 * notifier standing in for the OS.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { isQuietTime, type DoNotDisturb } from '../../main/core/notifier/do-not-disturb';
import { FOLLOW_UP_VISIBLE_MS } from '../../main/core/notifier/popup-presenter';
import { PortalClient } from '../../main/core/portal';
import { startPortalSim } from '../portal-sim';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeNotifier } from '../harness/fake-notifier';
import { pollOnce, presenterSetup, type PresenterSetup } from '../harness/presenter-harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Setup = PresenterSetup;

const setup = (options: Parameters<typeof presenterSetup<FakeNotifier>>[1] = {}): Promise<Setup> => presenterSetup<FakeNotifier>(cleanups, options);
const poll = pollOnce;

describe('PopupPresenter', () => {
  it('shows a new confirm with its buttons; a press confirms once, closes it and shows the answer briefly', async () => {
    const s = await setup();
    const invite = s.portal.addConfirm({
      title: 'Invitation to join group &quot;Marketing&quot;',
      text: 'Join [URL=/workgroups/group/12/]Marketing[/URL]?',
      buttons: [{ title: 'Accept', value: 'Y', type: 'accept' }, { title: 'Decline', value: 'N', type: 'cancel' }],
    });
    await poll(s);
    const key = `acme:${invite.id}`;
    expect(s.notifier.shown.get(key)).toMatchObject({
      title: 'Invitation to join group "Marketing"',
      body: 'Join Marketing?',
      buttons: [{ value: 'Y', label: 'Accept' }, { value: 'N', label: 'Decline' }],
    });
    s.notifier.press(key, 'Y');
    await vi.waitFor(() => expect(s.notifier.shown.has(`${key}:result`)).toBe(true));
    expect(s.portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'Y', via: 'rest' })]);
    expect(s.notifier.shown.has(key)).toBe(false);
    expect(s.notifier.shown.get(`${key}:result`)).toMatchObject({ body: 'You chose "Accept"', buttons: [] });
    await s.clock.advance(FOLLOW_UP_VISIBLE_MS);
    await vi.waitFor(() => expect(s.notifier.shown.has(`${key}:result`)).toBe(false));
  });

  it('gives up to five confirms their own popups and coalesces the rest', async () => {
    const s = await setup();
    const confirms = Array.from({ length: 7 }, (_, i) => s.portal.addConfirm({ title: `Invite ${i}`, text: 'Join?' }).id);
    for (let i = 0; i < 3; i += 1) s.portal.addPersonal({ text: `Note ${i}` });
    await poll(s);
    await vi.waitFor(() => expect(s.notifier.shown.has('acme:new')).toBe(true)); // shown in order, the summary last
    const keys = [...s.notifier.shown.keys()];
    expect(keys.filter((key) => /^acme:\d+$/.test(key))).toHaveLength(5);
    expect(s.notifier.shown.get('acme:more-confirms')).toMatchObject({ title: '2 more need your answer', buttons: [] });
    expect(s.notifier.shown.get('acme:new')).toMatchObject({ title: '3 new notifications', buttons: [] });
    expect(confirms.slice(2).every((id) => s.notifier.shown.has(`acme:${id}`))).toBe(true); // the newest five
  });

  it('closes the popup of an item answered elsewhere, or in the window', async () => {
    const s = await setup();
    const a = s.portal.addConfirm({ text: 'A?' });
    const b = s.portal.addConfirm({ text: 'B?' });
    await poll(s);
    s.portal.answerInBrowser(a.id, 'Y');
    await poll(s);
    expect(s.notifier.shown.has(`acme:${a.id}`)).toBe(false);
    await s.hub.confirm('acme', b.id, 'N', 'window');
    expect(s.notifier.shown.has(`acme:${b.id}`)).toBe(false);
    expect(s.notifier.closed).toEqual([`acme:${a.id}`, `acme:${b.id}`]);
  });

  it('shows nothing and plays nothing in do-not-disturb, but keeps the item and the count', async () => {
    const s = await setup({ settings: { doNotDisturb: { mode: 'on' }, sound: true } });
    const invite = s.portal.addConfirm({ text: 'Join?' });
    await poll(s);
    expect(s.notifier.history).toEqual([]);
    expect(s.playSound).not.toHaveBeenCalled();
    expect(s.engine.state.inbox.map((item) => item.id)).toContain(invite.id);
    expect(s.hub.snapshot().unreadCount).toBe(1);
    s.settings.doNotDisturb = { mode: 'off' };
    s.portal.addPersonal({ text: 'Later' });
    await poll(s);
    expect(s.notifier.history).toHaveLength(1);
    expect(s.playSound).toHaveBeenCalledTimes(1);
  });

  it('without button support shows the confirm without buttons and a click opens the window at it', async () => {
    const s = await setup({ notifier: new FakeNotifier({ buttons: false, reply: false }) });
    const invite = s.portal.addConfirm({ text: 'Join?' });
    await poll(s);
    expect(s.notifier.shown.get(`acme:${invite.id}`)?.buttons).toEqual([]);
    s.notifier.click(`acme:${invite.id}`);
    expect(s.openWindow).toHaveBeenCalledWith({ accountId: 'acme', notificationId: invite.id });
    s.notifier.click('acme:new');
    expect(s.openWindow).toHaveBeenLastCalledWith(undefined);
  });

  it('offers an inline reply where the OS has one, and elsewhere a click opens the item with its reply box', async () => {
    const inline = await setup({ notifier: new FakeNotifier({ buttons: true, reply: true }) });
    const asked = inline.portal.addPersonal({ text: 'Can you join?', quickReply: true });
    await poll(inline);
    expect(inline.notifier.shown.get(`acme:${asked.id}`)?.reply).toBeDefined();

    const plain = await setup({ notifier: new FakeNotifier({ buttons: true, reply: false }) });
    const question = plain.portal.addPersonal({ text: 'Lunch?', quickReply: true });
    await poll(plain);
    expect(plain.notifier.shown.get(`acme:${question.id}`)?.reply).toBeUndefined();
    plain.notifier.click(`acme:${question.id}`);
    expect(plain.openWindow).toHaveBeenLastCalledWith({ accountId: 'acme', notificationId: question.id, reply: true });
    // An item without a reply opens plainly.
    const notice = plain.portal.addPersonal({ text: 'FYI' });
    await poll(plain);
    plain.notifier.click(`acme:${notice.id}`);
    expect(plain.openWindow).toHaveBeenLastCalledWith({ accountId: 'acme', notificationId: notice.id });
  });

  it('names the portal in popups when more than one is connected', async () => {
    const s = await setup();
    const other = await startPortalSim();
    const client = new PortalClient({ credentials: { kind: 'webhook', origin: other.origin, userId: other.userId, code: other.webhookCode } });
    const engine = new AccountEngine({ accountId: 'beta', client, storage: tempStorage().open(), clock: s.clock });
    cleanups.push(async () => {
      await client.close();
      await other.close();
    });
    s.hub.add('Beta', engine);
    const polled = nextEvent(engine, 'polled');
    engine.start();
    await polled;
    const invite = other.addConfirm({ title: 'Meeting', text: 'At 10?' });
    const both = Promise.all([nextEvent(engine, 'polled'), nextEvent(s.engine, 'polled')]);
    await s.clock.advance(engine.pollIntervalMs);
    await both;
    expect(s.notifier.shown.get(`beta:${invite.id}`)?.title).toBe('Beta: Meeting');
  });
});

describe('do-not-disturb schedule', () => {
  const night: DoNotDisturb = { mode: 'schedule', fromMinute: 22 * 60, toMinute: 7 * 60 };
  it.each([
    [21, 59, false],
    [22, 0, true],
    [3, 0, true],
    [6, 59, true],
    [7, 0, false],
    [12, 0, false],
  ])('%i:%i is quiet: %s', (hours, minutes, quiet) => {
    expect(isQuietTime(night, new Date(2026, 2, 3, hours, minutes))).toBe(quiet);
  });
  it('handles a daytime period, on, off, and an empty period', () => {
    expect(isQuietTime({ mode: 'schedule', fromMinute: 9 * 60, toMinute: 17 * 60 }, new Date(2026, 2, 3, 12, 0))).toBe(true);
    expect(isQuietTime({ mode: 'schedule', fromMinute: 9 * 60, toMinute: 17 * 60 }, new Date(2026, 2, 3, 18, 0))).toBe(false);
    expect(isQuietTime({ mode: 'on' }, new Date())).toBe(true);
    expect(isQuietTime({ mode: 'off' }, new Date())).toBe(false);
    expect(isQuietTime({ mode: 'schedule', fromMinute: 600, toMinute: 600 }, new Date(2026, 2, 3, 10, 0))).toBe(false);
  });
});

describe('clicking a popup marks it read (issue 17)', () => {
  it('a click on a popup (not a button) opens the window at the item and marks it read on the portal; not with the setting off, never a confirm', async () => {
    const s = await setup();
    const note = s.portal.addPersonal({ text: 'Report ready' });
    const invite = s.portal.addConfirm({ text: 'Join?' });
    await poll(s);
    s.notifier.click(`acme:${note.id}`);
    expect(s.openWindow).toHaveBeenLastCalledWith({ accountId: 'acme', notificationId: note.id });
    // The mark goes out with the next exchange; the portal's own record is the oracle.
    await poll(s);
    expect(s.portal.get(note.id)?.notify_read).toBe('Y');
    s.notifier.click(`acme:${invite.id}`);
    await poll(s);
    expect(s.portal.get(invite.id)?.notify_read).toBe('N'); // confirms stay unread until answered

    const off = await setup({ settings: { markReadOnPopupClick: false } });
    const other = off.portal.addPersonal({ text: 'Another report' });
    await poll(off);
    off.notifier.click(`acme:${other.id}`);
    await poll(off);
    expect(off.openWindow).toHaveBeenLastCalledWith({ accountId: 'acme', notificationId: other.id });
    expect(off.portal.get(other.id)?.notify_read).toBe('N');
  });
});
