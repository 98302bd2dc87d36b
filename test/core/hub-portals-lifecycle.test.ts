/**
 * Portals joining and leaving the hub (main/core/app/hub.ts) and the actions that name one portal
 * or all of them, against the portal simulator over loopback with virtual time: what the window
 * and popups are told, what each portal is asked, and what is refused.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationHub, UnknownAccountError, type HubSnapshot } from '../../main/core/app/hub';
import { Logger } from '../../main/core/log/logger';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { portalWithEngine } from '../harness/portal-engine';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Connected = Awaited<ReturnType<typeof portalWithEngine>>;

/** Starts the engine and waits for its first exchange with the portal. */
async function synced({ engine }: Connected): Promise<void> {
  const polled = nextEvent(engine, 'polled');
  engine.start();
  await polled;
}

const unread = (snapshot: HubSnapshot): Record<string, number> => Object.fromEntries(snapshot.accounts.map((account) => [account.accountId, account.state.unreadCount]));

describe('connecting a portal', () => {
  it('the same portal connected twice is refused; the first connection stays as it was', async () => {
    const acme = await portalWithEngine('acme', new FakeClock(), cleanups);
    const hub = new NotificationHub();
    hub.add('Acme', acme.engine);
    expect(() => hub.add('Acme again', acme.engine, '#ff0000')).toThrow('Account acme is already connected');
    expect(hub.snapshot().accounts).toMatchObject([{ accountId: 'acme', name: 'Acme', color: '#2f80ed' }]);
  });

  it('while the user has paused notifications, a newly connected portal is paused too and asks its portal nothing until resumed', async () => {
    const acme = await portalWithEngine('acme', new FakeClock(), cleanups);
    const hub = new NotificationHub();
    hub.setUserPaused(true);
    hub.add('Acme', acme.engine);
    acme.engine.start();
    expect(hub.snapshot().accounts[0]?.state.connection).toEqual({ status: 'paused' });
    expect(acme.portal.requestLog).toEqual([]);

    const polled = nextEvent(acme.engine, 'polled');
    hub.setUserPaused(false);
    await polled;
    expect(hub.snapshot().accounts[0]?.state.connection).toEqual({ status: 'ok' });
  });

  it('counts the person as at the computer until the shell says otherwise', async () => {
    const acme = await portalWithEngine('acme', new FakeClock(), cleanups);
    new NotificationHub().add('Acme', acme.engine);
    expect(acme.engine.activity).toBe('active');
  });
});

describe('settings and system state for every portal', () => {
  it('the poll interval reaches the connected portals; a pause by the user and a locked screen reach those connected later too', async () => {
    const clock = new FakeClock();
    const acme = await portalWithEngine('acme', clock, cleanups);
    const beta = await portalWithEngine('beta', clock, cleanups);
    const hub = new NotificationHub();
    hub.add('Acme', acme.engine);
    hub.setPollInterval(120_000);
    expect(acme.engine.pollIntervalMs).toBe(120_000);

    expect(hub.userPaused).toBe(false);
    hub.setUserPaused(true);
    expect(hub.userPaused).toBe(true);
    expect(hub.snapshot().accounts[0]?.state.connection).toEqual({ status: 'paused' });
    hub.setUserPaused(false);
    expect(hub.userPaused).toBe(false);

    // A locked screen: no syncs anywhere, shown as paused (core/engine/schedule.ts Activity).
    hub.setActivity('locked');
    hub.add('Beta', beta.engine);
    expect(hub.snapshot().accounts.map((account) => account.state.connection.status)).toEqual(['paused', 'paused']);
  });

  it('a resume without snoozing set up syncs the portals at once', async () => {
    const acme = await portalWithEngine('acme', new FakeClock(), cleanups);
    const hub = new NotificationHub();
    hub.add('Acme', acme.engine);
    await synced(acme);
    hub.setSystemState({ suspended: true });
    expect(hub.snapshot().accounts[0]?.state.connection).toEqual({ status: 'paused' });
    const polled = nextEvent(acme.engine, 'polled');
    hub.setSystemState({ suspended: false });
    await polled;
    expect(hub.snapshot().accounts[0]?.state.connection).toEqual({ status: 'ok' });
  });
});

describe('a removed portal', () => {
  it('no longer reaches the window or the popups, even if its engine still changes', async () => {
    const acme = await portalWithEngine('acme', new FakeClock(), cleanups);
    const note = acme.portal.addSystem({ text: 'Report ready' });
    const hub = new NotificationHub();
    hub.add('Acme', acme.engine);
    await synced(acme);
    await hub.remove('acme');

    const heard: string[] = [];
    hub.on('changed', () => heard.push('changed'));
    hub.on('removed', () => heard.push('removed'));
    acme.engine.markRead([note.id]);
    acme.engine.dismiss(note.id);
    expect(acme.engine.state.inbox).toEqual([]); // the engine did change
    expect(heard).toEqual([]);
  });
});

describe('snoozing', () => {
  it('without storage for snoozes it is refused plainly, and "show now" does nothing', async () => {
    const acme = await portalWithEngine('acme', new FakeClock(), cleanups);
    const note = acme.portal.addSystem({ text: 'Report ready' });
    const hub = new NotificationHub();
    hub.add('Acme', acme.engine);
    await synced(acme);
    expect(() => hub.snooze('acme', note.id, { kind: 'hour' })).toThrow(new Error('Snoozing is not available.'));
    expect(() => hub.unsnooze('acme', note.id)).not.toThrow();
    expect(hub.snapshot().accounts[0]?.snoozed).toBeUndefined();
  });

  it('the window is told at once when an item is snoozed and when it is shown again', async () => {
    const clock = new FakeClock();
    const acme = await portalWithEngine('acme', clock, cleanups);
    const note = acme.portal.addSystem({ text: 'Report ready' });
    const hub = new NotificationHub();
    hub.useSnoozes(tempStorage().open(), clock);
    hub.add('Acme', acme.engine);
    await synced(acme);
    const published: HubSnapshot[] = [];
    hub.on('changed', (snapshot) => published.push(snapshot));

    const wakeAtMs = hub.snooze('acme', note.id, { kind: 'hour' });
    expect(published.at(-1)?.accounts[0]?.snoozed).toEqual({ [note.id]: wakeAtMs });
    expect(published.at(-1)?.unreadCount).toBe(0);
    hub.unsnooze('acme', note.id);
    expect(published.at(-1)?.accounts[0]?.snoozed).toBeUndefined();
    expect(published.at(-1)?.unreadCount).toBe(1);
  });
});

describe('actions on one portal or all', () => {
  it('"mark all read" on one portal leaves the other unread; without a portal it reads them all', async () => {
    const clock = new FakeClock();
    const acme = await portalWithEngine('acme', clock, cleanups);
    const beta = await portalWithEngine('beta', clock, cleanups);
    const acmeNote = acme.portal.addSystem({ text: 'Acme report' });
    const betaNote = beta.portal.addSystem({ text: 'Beta report' });
    const hub = new NotificationHub();
    hub.add('Acme', acme.engine);
    hub.add('Beta', beta.engine);
    await Promise.all([synced(acme), synced(beta)]);
    expect(unread(hub.snapshot())).toEqual({ acme: 1, beta: 1 });

    hub.markAllRead('acme');
    expect(unread(hub.snapshot())).toEqual({ acme: 0, beta: 1 });
    // "Refresh" syncs every portal: the mark reaches Acme's portal, Beta's item stays unread there.
    const bothPolled = Promise.all([nextEvent(acme.engine, 'polled'), nextEvent(beta.engine, 'polled')]);
    hub.pollNow();
    await bothPolled;
    expect(acme.portal.get(acmeNote.id)?.notify_read).toBe('Y');
    expect(beta.portal.get(betaNote.id)?.notify_read).toBe('N');

    hub.markAllRead();
    expect(unread(hub.snapshot())).toEqual({ acme: 0, beta: 0 });
  });

  it('an action for a portal that is not connected any more is refused with its own kind, which the log names', () => {
    const hub = new NotificationHub();
    const error = (() => {
      try {
        hub.markRead('gone', [1]);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(UnknownAccountError);
    const lines: string[] = [];
    new Logger({ sinks: [{ write: (line) => lines.push(line) }] }).warn('Mark read failed:', error);
    expect(lines[0]).toContain('UnknownAccountError: That portal is not connected any more.');
  });
});
