/**
 * Snoozed items and the counts, and wakes that find the portal not ready or the item gone
 * (main/core/app/hub.ts with core/app/snoozes.ts), on the portal simulator with virtual time.
 * The engine keeps no inbox across a restart (only its cursor and outbox are stored), so after a
 * start nothing is known of an item until the portal's first sync.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { appRun, type AppRun } from '../harness/snooze-app';

const HOUR_MS = 3_600_000;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function simulator(): Promise<PortalSim> {
  const portal = await startPortalSim();
  cleanups.push(() => portal.close());
  return portal;
}

async function sync({ engine }: AppRun): Promise<void> {
  const polled = nextEvent(engine, 'polled');
  engine.start();
  engine.pollNow();
  await polled;
}

describe('snoozed items and the counts', () => {
  it('only unread snoozed items leave the count; the others stay counted', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const app = appRun(portal, tempStorage(), clock, cleanups);
    const [first, , third] = [1, 2, 3].map((n) => portal.addSystem({ text: `Report ${n}` }));
    await sync(app);
    app.hub.markRead('acme', [third!.id]);
    expect(app.hub.snapshot().unreadCount).toBe(2);

    app.hub.snooze('acme', first!.id, { kind: 'hour' });
    app.hub.snooze('acme', third!.id, { kind: 'hour' }); // already read: it was not counted
    expect(app.hub.snapshot().unreadCount).toBe(1);
    expect(app.hub.snapshot().accounts[0]?.state.unreadCount).toBe(1);
    expect(Object.keys(app.hub.snapshot().accounts[0]?.snoozed ?? {}).map(Number).sort()).toEqual([first!.id, third!.id].sort());

    // When they wake, only the unread one pops up again.
    await clock.advance(HOUR_MS);
    expect(app.announced).toEqual([[first!.id]]);
    expect(app.hub.snapshot().accounts[0]?.snoozed).toBeUndefined();
  });

  it('an answered invitation snoozed before it left the inbox does not pop up again', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const app = appRun(portal, tempStorage(), clock, cleanups);
    const invite = portal.addConfirm({ title: 'Join?', text: 'Sales' });
    await sync(app);
    await app.hub.confirm('acme', invite.id, 'Y', 'window');
    expect(app.engine.item(invite.id)?.action?.status).toBe('done');
    app.announced.length = 0;
    app.hub.snooze('acme', invite.id, { kind: 'hour' });
    await clock.advance(HOUR_MS);
    expect(app.announced).toEqual([]);
  });
});

describe('a snooze that wakes', () => {
  it('for a portal removed meanwhile, does nothing', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const app = appRun(portal, tempStorage(), clock, cleanups);
    const invite = portal.addConfirm({ title: 'Join?', text: 'Sales' });
    await sync(app);
    app.hub.snooze('acme', invite.id, { kind: 'hour' });
    await app.hub.remove('acme');
    await clock.advance(2 * HOUR_MS);
    expect(app.announced).toEqual([]);
  });

  it('when the computer resumes right after a start, waits for the portal’s first sync and then pops up', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const store = tempStorage();
    const before = appRun(portal, store, clock, cleanups);
    const invite = portal.addConfirm({ title: 'Review?', text: 'Q3 plan' });
    await sync(before);
    before.hub.snooze('acme', invite.id, { kind: 'hour' });
    await before.hub.stopAll();

    await clock.advance(3 * HOUR_MS); // closed past the wake time
    const after = appRun(portal, store, clock, cleanups);
    after.hub.setSystemState({ suspended: false }); // the resume check comes before the first sync
    expect(after.announced).toEqual([]);
    await sync(after);
    expect(after.announced).toEqual([[invite.id]]);
    expect(after.hub.snapshot().accounts[0]?.snoozed).toBeUndefined();
  });

  it('for an item deleted on the portal while the app was closed, simply forgets it: no popup', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const store = tempStorage();
    const before = appRun(portal, store, clock, cleanups);
    const note = portal.addPersonal({ text: 'A comment' });
    await sync(before);
    before.hub.snooze('acme', note.id, { kind: 'hour' });
    await before.hub.stopAll();

    portal.deleteInBrowser(note.id);
    await clock.advance(3 * HOUR_MS);
    const after = appRun(portal, store, clock, cleanups);
    await sync(after);
    expect(after.announced).toEqual([]);
    expect(after.hub.snapshot().accounts[0]?.snoozed).toBeUndefined();
  });
});
