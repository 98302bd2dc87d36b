/**
 * The popup policy at its edges (issue 18's survivors in popup-presenter.ts), fast: the hub's
 * events and calls through a stand-in with the hub's own Emitter (main/core/app/hub.ts HubEvents),
 * the OS as a recording notifier, virtual time. The oracle is what would be on screen, what reaches
 * the hub, and what the log says. The same policy against the real hub, engine and simulator is
 * popup-presenter.test.ts and popup-presenter-more.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { Emitter } from '../../main/core/emitter';
import type { AccountSnapshot, HubEvents, HubSnapshot, NotificationHub } from '../../main/core/app/hub';
import type { ActionOutcome } from '../../main/core/engine/account-engine';
import type { InboxItem } from '../../main/core/engine/state';
import type { NotifierCapabilities } from '../../main/core/notifier/notifier';
import { FOLLOW_UP_VISIBLE_MS, PopupPresenter, QUIET_CHECK_MS, parsePopupKey, type PopupPresenterOptions, type PopupSettings } from '../../main/core/notifier/popup-presenter';
import { DIGEST_KEY } from '../../main/core/notifier/quiet-digest';
import { FakeClock } from '../harness/fake-clock';
import { FakeNotifier } from '../harness/fake-notifier';

type Shape = Partial<Pick<InboxItem, 'title' | 'text' | 'kind' | 'canAnswer' | 'settingName' | 'author'>> & { id: number; buttons?: { value: string; label: string }[] };
const item = (shape: Shape): InboxItem =>
  ({
    title: '',
    text: `Text ${shape.id}`,
    kind: 'plain',
    canAnswer: false,
    settingName: 'im|default',
    author: undefined,
    read: false,
    action: undefined,
    buttons: shape.kind === 'confirm' ? [{ value: 'Y', label: 'Accept' }, { value: 'N', label: 'Decline' }] : [],
    ...shape,
  }) as unknown as InboxItem;

/** The hub as the presenter sees it: its events, its snapshot, and the calls a popup makes. */
class HubStandIn {
  readonly events = new Emitter<HubEvents>();
  accounts: AccountSnapshot[] = [{ accountId: 'acme', name: 'Acme', state: { inbox: [] } } as unknown as AccountSnapshot];
  readonly calls: string[] = [];
  outcome: () => Promise<ActionOutcome> = async () => ({ kind: 'confirm', value: 'Y', status: 'done', resultMessages: [] }) as unknown as ActionOutcome;
  markReadFails = false;
  snoozeFails = false;
  on = this.events.on.bind(this.events);
  snapshot = (): HubSnapshot => ({ accounts: this.accounts, unreadCount: 0 });
  confirm = (accountId: string, id: number, value: string): Promise<ActionOutcome> => {
    this.calls.push(`confirm ${accountId} ${id} ${value}`);
    return this.outcome();
  };
  answer = (accountId: string, id: number, text: string): Promise<ActionOutcome> => {
    this.calls.push(`answer ${accountId} ${id} ${text}`);
    return this.outcome();
  };
  markRead = (accountId: string, ids: number[]): void => {
    if (this.markReadFails) throw new Error('no such portal');
    this.calls.push(`read ${accountId} ${ids.join(',')}`);
  };
  snooze = (accountId: string, id: number, until: { kind: string }): number => {
    if (this.snoozeFails) throw new Error('already answered');
    this.calls.push(`snooze ${accountId} ${id} ${until.kind}`);
    return 0;
  };
}

/** Records every close asked for, shown or not. */
class RecordingNotifier extends FakeNotifier {
  readonly closeCalls: string[] = [];
  failShow = false;
  failClose = false;
  override async show(popup: Parameters<FakeNotifier['show']>[0]): Promise<void> {
    if (this.failShow) throw new Error('the OS refused');
    return super.show(popup);
  }
  override async close(key: string): Promise<void> {
    this.closeCalls.push(key);
    if (this.failClose) throw new Error('already gone');
    return super.close(key);
  }
}

function setup(options: { capabilities?: NotifierCapabilities; settings?: Partial<PopupSettings>; presenter?: Partial<PopupPresenterOptions> } = {}) {
  const hub = new HubStandIn();
  const notifier = new RecordingNotifier(options.capabilities ?? { buttons: true, reply: false });
  const clock = new FakeClock(new Date(2026, 11, 7, 12, 0).getTime()); // a Monday noon
  const settings: PopupSettings = { doNotDisturb: { mode: 'off' }, sound: false, ...options.settings };
  const openWindow = vi.fn();
  const playSound = vi.fn();
  const log: string[] = [];
  const presenter = new PopupPresenter({
    hub: hub as unknown as NotificationHub,
    notifier,
    clock,
    settings: () => settings,
    openWindow,
    playSound,
    log: (line) => void log.push(line),
    ...options.presenter,
  });
  const announce = async (items: InboxItem[], accountId = 'acme'): Promise<void> => {
    hub.events.emit('announced', accountId, items);
    await clock.advance(0);
  };
  return { hub, notifier, clock, settings, openWindow, playSound, log, presenter, announce };
}

describe('popup keys', () => {
  it('an item key names its portal and notification; summaries, follow-ups and the digest name none', () => {
    expect(parsePopupKey('acme:12')).toEqual({ accountId: 'acme', notificationId: 12 });
    expect(parsePopupKey('a:b:12')).toEqual({ accountId: 'a:b', notificationId: 12 });
    for (const key of ['acme:12:result', 'acme:new', 'acme:more-confirms', ':12', 'acme12', 'acme:12x', 'acme:99999999999999999999', DIGEST_KEY]) expect(parsePopupKey(key)).toBeUndefined();
  });
});

describe('what a popup says', () => {
  it('a heading from the title, else the author, else what it is', async () => {
    const s = setup();
    await s.announce([item({ id: 1, title: 'Meeting' }), item({ id: 2, kind: 'confirm' })]);
    await s.announce([item({ id: 3, author: { id: 5, name: 'Ann Lee' } as InboxItem['author'] })]);
    await s.announce([item({ id: 4 })]);
    expect([...s.notifier.shown.values()].map((popup) => popup.title)).toEqual(['Needs your answer', 'Meeting', 'Ann Lee', 'New notification']);
  });

  it('a confirm has its buttons and, where there is room, a snooze; other items have neither', async () => {
    const s = setup({ capabilities: { buttons: true, reply: false, moreActions: true } });
    await s.announce([item({ id: 1, kind: 'confirm' })]);
    await s.announce([item({ id: 2 })]);
    expect(s.notifier.shown.get('acme:1')).toEqual({
      key: 'acme:1',
      title: 'Needs your answer',
      body: 'Text 1',
      buttons: [{ value: 'Y', label: 'Accept' }, { value: 'N', label: 'Decline' }],
      urgency: 'normal',
      category: 'im.received',
      snooze: { label: 'Snooze 1 hour' },
    });
    expect(s.notifier.shown.get('acme:2')).toEqual({ key: 'acme:2', title: 'New notification', body: 'Text 2', buttons: [], urgency: 'normal', category: 'im.received' });
  });

  it('without room for more actions, a confirm has no snooze; with an inline reply, a question has its box', async () => {
    const s = setup({ capabilities: { buttons: true, reply: true } });
    await s.announce([item({ id: 1, kind: 'confirm' })]);
    await s.announce([item({ id: 2, canAnswer: true })]);
    expect(s.notifier.shown.get('acme:1')?.snooze).toBeUndefined();
    expect(s.notifier.shown.get('acme:2')?.reply).toEqual({ placeholder: 'Reply…' });
  });

  it('exactly five confirms get five popups and no summary; a sixth is summed up by itself', async () => {
    const s = setup();
    await s.announce([1, 2, 3, 4, 5].map((id) => item({ id, kind: 'confirm', title: `Q${id}` })));
    expect([...s.notifier.shown.keys()]).toEqual(['acme:1', 'acme:2', 'acme:3', 'acme:4', 'acme:5']);
    await s.announce([6, 7, 8, 9, 10, 11].map((id) => item({ id, kind: 'confirm', title: `Q${id}` })));
    expect(s.notifier.shown.get('acme:more-confirms')).toEqual({ key: 'acme:more-confirms', title: '1 more need your answer', body: 'Q11', buttons: [], urgency: 'low', category: 'im.received' });
  });

  it('a summary lists three, then an ellipsis only when there are more; titles first, else the text', async () => {
    const s = setup();
    await s.announce([item({ id: 1, title: 'One' }), item({ id: 2, text: '[b]Two[/b]' }), item({ id: 3, title: 'Three' })]);
    expect(s.notifier.shown.get('acme:new')).toMatchObject({ title: '3 new notifications', body: 'One\nTwo\nThree', urgency: 'low', category: 'im.received' });
    await s.announce([1, 2, 3, 4].map((id) => item({ id: 10 + id, title: `N${id}` })));
    expect(s.notifier.shown.get('acme:new')?.body).toBe('N1\nN2\nN3\n…');
  });

  it('names the portal when several are connected, and its own name in the answer’s follow-up', async () => {
    const s = setup();
    s.hub.accounts = [
      { accountId: 'acme', name: 'Acme', state: { inbox: [] } } as unknown as AccountSnapshot,
      { accountId: 'beta', name: 'Beta', state: { inbox: [] } } as unknown as AccountSnapshot,
    ];
    await s.announce([item({ id: 1, kind: 'confirm', title: 'Join?' })], 'beta');
    expect(s.notifier.shown.get('beta:1')?.title).toBe('Beta: Join?');
    s.notifier.press('beta:1', 'Y');
    await s.clock.advance(0);
    expect(s.hub.calls).toEqual(['confirm beta 1 Y']);
    expect(s.notifier.shown.get('beta:1:result')).toEqual({ key: 'beta:1:result', title: 'Beta: Join?', body: 'Answer sent.', buttons: [], urgency: 'low', silent: true });
  });

  it('an item of a portal that is gone meanwhile still pops up, unnamed', async () => {
    const s = setup();
    s.hub.accounts = [
      { accountId: 'acme', name: 'Acme', state: { inbox: [] } } as unknown as AccountSnapshot,
      { accountId: 'beta', name: 'Beta', state: { inbox: [] } } as unknown as AccountSnapshot,
    ];
    await s.announce([item({ id: 1, title: 'Hi' })], 'gone');
    expect(s.notifier.shown.get('gone:1')?.title).toBe('Hi');
  });
});

describe('sound, mutes and quiet time', () => {
  it('all items muted: no popup and no sound', async () => {
    const s = setup({ settings: { sound: true }, presenter: { isMuted: () => true } });
    await s.announce([item({ id: 1 })]);
    expect(s.notifier.history).toEqual([]);
    expect(s.playSound).not.toHaveBeenCalled();
  });

  it('with the sound on and no sound to play, popups still come', async () => {
    const s = setup({ settings: { sound: true }, presenter: { playSound: undefined } });
    await s.announce([item({ id: 1 })]);
    expect(s.notifier.shown.has('acme:1')).toBe(true);
  });

  it('the digest after quiet time: one popup that opens the window at its first item, with sound only if on', async () => {
    for (const sound of [true, false]) {
      const s = setup({ settings: { sound, doNotDisturb: { mode: 'on' } } });
      s.hub.accounts = [{ accountId: 'acme', name: 'Acme', state: { inbox: [item({ id: 1 }), item({ id: 2, kind: 'confirm' })] } } as unknown as AccountSnapshot];
      await s.announce([item({ id: 1 }), item({ id: 2, kind: 'confirm' })]);
      expect(s.notifier.history).toEqual([]);
      s.settings.doNotDisturb = { mode: 'off' };
      await s.clock.advance(QUIET_CHECK_MS);
      expect(s.notifier.history).toEqual([{ key: DIGEST_KEY, title: 'While you were away', body: '1 request for your answer, 1 notification', buttons: [], urgency: 'normal', category: 'im.received' }]);
      expect(s.playSound).toHaveBeenCalledTimes(sound ? 1 : 0);
      s.notifier.click(DIGEST_KEY);
      expect(s.openWindow).toHaveBeenCalledWith({ accountId: 'acme', notificationId: 2 });
      expect(s.hub.calls).toEqual([]);
    }
  });
});

describe('what the user does in a popup', () => {
  it('a press or a reply on a popup that is not an item opens the window; snoozing one does nothing', async () => {
    const s = setup();
    await s.announce([item({ id: 1 }), item({ id: 2 })]);
    s.notifier.press('acme:new', 'Y');
    s.notifier.reply('acme:new', 'hello');
    s.notifier.snooze('acme:new');
    await s.clock.advance(0);
    expect(s.openWindow).toHaveBeenCalledTimes(2);
    expect(s.openWindow).toHaveBeenCalledWith();
    expect(s.hub.calls).toEqual([]);
    expect(s.log).toEqual([]);
  });

  it('clicking a summary opens the window and marks nothing read', async () => {
    const s = setup();
    await s.announce([item({ id: 1 }), item({ id: 2 })]);
    s.notifier.click('acme:new');
    expect(s.openWindow).toHaveBeenCalledWith(undefined);
    expect(s.hub.calls).toEqual([]);
    expect(s.log).toEqual([]);
  });

  it('snooze from the popup asks the hub for an hour; a refusal is logged, not thrown', async () => {
    const s = setup({ capabilities: { buttons: true, reply: false, moreActions: true } });
    await s.announce([item({ id: 1, kind: 'confirm' })]);
    s.notifier.snooze('acme:1');
    expect(s.hub.calls).toEqual(['snooze acme 1 hour']);
    s.hub.snoozeFails = true;
    s.notifier.snooze('acme:1');
    expect(s.log).toEqual(['not snoozed: Error: already answered']);
  });

  it('a click whose mark-read fails (the portal was removed) is logged; the window still opens', async () => {
    const s = setup();
    await s.announce([item({ id: 1 })]);
    s.hub.markReadFails = true;
    s.notifier.click('acme:1');
    expect(s.openWindow).toHaveBeenCalledWith({ accountId: 'acme', notificationId: 1 });
    expect(s.log).toEqual(['not marked read: Error: no such portal']);
  });

  it('the follow-up says what the portal said: a failure, gone elsewhere, its messages, a refusal', async () => {
    const s = setup();
    const outcomes: (() => Promise<ActionOutcome>)[] = [
      async () => ({ status: 'failed', message: 'Portal is down' }) as unknown as ActionOutcome,
      async () => ({ status: 'done', gone: true, resultMessages: [] }) as unknown as ActionOutcome,
      async () => ({ status: 'done', resultMessages: ['You joined', 'Welcome'] }) as unknown as ActionOutcome,
      async () => {
        throw new Error('That answer is not offered.');
      },
    ];
    const bodies: string[] = [];
    for (const [index, outcome] of outcomes.entries()) {
      s.hub.outcome = outcome;
      const id = index + 1;
      await s.announce([item({ id, kind: 'confirm' })]);
      s.notifier.press(`acme:${id}`, 'Y');
      await s.clock.advance(0);
      bodies.push(s.notifier.shown.get(`acme:${id}:result`)?.body ?? '<none>');
      await s.clock.advance(FOLLOW_UP_VISIBLE_MS);
      expect(s.notifier.shown.has(`acme:${id}:result`)).toBe(false);
    }
    expect(bodies).toEqual(['Portal is down', 'Already answered elsewhere or no longer available.', 'You joined\nWelcome', 'That answer is not offered.']);
  });

  it('a press on a popup from before a restart still answers, under the app’s name', async () => {
    const s = setup();
    s.notifier.press('acme:7', 'N');
    await s.clock.advance(0);
    expect(s.hub.calls).toEqual(['confirm acme 7 N']);
    expect(s.notifier.shown.get('acme:7:result')?.title).toBe('B24 Notify');
  });
});

describe('closing, and what the OS says', () => {
  it('a popup the OS already dismissed is not closed again; one never shown is not closed at all', async () => {
    const s = setup();
    await s.announce([item({ id: 1 }), item({ id: 2, kind: 'confirm' })]);
    s.notifier.dismiss('acme:1');
    s.hub.events.emit('actionSettled', 'acme', 1, {} as ActionOutcome);
    s.hub.events.emit('removed', 'acme', [9]);
    await s.clock.advance(0);
    expect(s.notifier.closeCalls).toEqual([]);
    s.hub.events.emit('actionSettled', 'acme', 2, {} as ActionOutcome);
    await s.clock.advance(0);
    expect(s.notifier.closeCalls).toEqual(['acme:2']);
  });

  it('a popup the OS refused or cannot close is logged, and the next one is still shown', async () => {
    const s = setup();
    s.notifier.failShow = true;
    await s.announce([item({ id: 1 })]);
    s.notifier.failShow = false;
    await s.announce([item({ id: 2 })]);
    s.notifier.failClose = true;
    s.hub.events.emit('removed', 'acme', [2]);
    await s.clock.advance(0);
    expect(s.log).toEqual(['popup not shown: Error: the OS refused', 'popup not closed: Error: already gone']);
    expect(s.notifier.history.map((popup) => popup.key)).toEqual(['acme:2']);
  });

  it('says once why popups are unavailable', () => {
    const s = setup();
    expect(s.presenter.unavailableReason).toBeUndefined();
    s.notifier.unavailable('no notification daemon');
    expect(s.presenter.unavailableReason).toBe('no notification daemon');
    expect(s.log).toEqual(['popups unavailable: no notification daemon; answers stay in the tray window']);
  });

  it('after dispose, nothing more pops up', async () => {
    const s = setup();
    s.presenter.dispose();
    await s.announce([item({ id: 1 })]);
    s.notifier.press('acme:1', 'Y');
    await s.clock.advance(0);
    expect(s.notifier.history).toEqual([]);
    expect(s.hub.calls).toEqual([]);
  });
});
