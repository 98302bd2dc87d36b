/**
 * Snoozing an item (issue 17): the real hub and engine on the portal simulator over loopback,
 * virtual time. A snoozed item leaves the counts and "needs your answer", pops up again when it
 * wakes (after a restart, and after the computer slept through the wake time too), and simply goes
 * when it is answered or deleted elsewhere meanwhile. Wake times: local time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { NotificationHub } from '../../main/core/app/hub';
import { MAX_SNOOZE_MS, SnoozeTimeError, wakeTime } from '../../main/core/app/snoozes';
import { AccountEngine } from '../../main/core/engine/account-engine';
import type { InboxItem } from '../../main/core/engine/state';
import { PortalClient } from '../../main/core/portal';
import { inboxSections, mergeInbox } from '../../renderer/src/lib/inbox';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { nextEvent, tempStorage, type TempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { simWebhookCredentials } from '../harness/sim-credentials';

const HOUR_MS = 3_600_000;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('wake times (local time)', () => {
  // Wednesday 4 March 2026, 18:30 local.
  const wednesdayEvening = new Date(2026, 2, 4, 18, 30).getTime();
  const mondayMorning = new Date(2026, 2, 9, 8, 0).getTime();

  it('an hour, tomorrow 9:00, the next Monday 9:00 (from a Monday: a week later)', () => {
    expect(wakeTime({ kind: 'hour' }, wednesdayEvening)).toBe(wednesdayEvening + HOUR_MS);
    expect(wakeTime({ kind: 'tomorrow' }, wednesdayEvening)).toBe(new Date(2026, 2, 5, 9, 0).getTime());
    expect(wakeTime({ kind: 'monday' }, wednesdayEvening)).toBe(new Date(2026, 2, 9, 9, 0).getTime());
    expect(wakeTime({ kind: 'monday' }, mondayMorning)).toBe(new Date(2026, 2, 16, 9, 0).getTime());
    // Across a month's end.
    expect(wakeTime({ kind: 'tomorrow' }, new Date(2026, 2, 31, 23, 59).getTime())).toBe(new Date(2026, 3, 1, 9, 0).getTime());
  });

  it('a chosen time must be to come, and within a year', () => {
    expect(wakeTime({ kind: 'at', atMs: wednesdayEvening + 5 * 60_000 }, wednesdayEvening)).toBe(wednesdayEvening + 5 * 60_000);
    expect(() => wakeTime({ kind: 'at', atMs: wednesdayEvening }, wednesdayEvening)).toThrow(SnoozeTimeError);
    expect(() => wakeTime({ kind: 'at', atMs: wednesdayEvening - 1 }, wednesdayEvening)).toThrow(SnoozeTimeError);
    expect(() => wakeTime({ kind: 'at', atMs: wednesdayEvening + MAX_SNOOZE_MS + 1 }, wednesdayEvening)).toThrow(SnoozeTimeError);
    expect(() => wakeTime({ kind: 'at', atMs: Number.NaN }, wednesdayEvening)).toThrow(SnoozeTimeError);
  });
});

interface Running {
  hub: NotificationHub;
  engine: AccountEngine;
  announced: InboxItem[][];
}

/** A hub with one engine on `portal`, its storage in `store`, synced once. */
async function runningHub(portal: PortalSim, store: TempStorage, clock: FakeClock): Promise<Running> {
  const client = new PortalClient({ credentials: simWebhookCredentials(portal) });
  const storage = store.open();
  // Polls far apart: virtual hours pass here, and each sync is asked for explicitly.
  const engine = new AccountEngine({ accountId: 'acme', client, storage, clock, pollIntervalMs: 12 * HOUR_MS });
  const hub = new NotificationHub();
  hub.useSnoozes(storage, clock);
  hub.add('Acme', engine);
  const announced: InboxItem[][] = [];
  hub.on('announced', (_accountId, items) => announced.push(items));
  cleanups.push(async () => {
    await hub.stopAll();
    await client.close();
  });
  const synced = nextEvent(engine, 'polled');
  engine.start();
  await synced;
  return { hub, engine, announced };
}

async function syncNow(engine: AccountEngine): Promise<void> {
  const synced = nextEvent(engine, 'polled');
  engine.pollNow();
  await synced;
}

async function simulator(): Promise<PortalSim> {
  const portal = await startPortalSim();
  cleanups.push(() => portal.close());
  return portal;
}

describe('a snoozed item', () => {
  it('leaves the count and "needs your answer", and pops up again when it wakes', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const { hub, engine, announced } = await runningHub(portal, tempStorage(), clock);
    const invite = portal.addConfirm({ title: 'Planning?', text: 'Tomorrow 10:00' });
    await syncNow(engine);
    announced.length = 0;
    expect(hub.snapshot().unreadCount).toBe(1);

    const wakeAtMs = hub.snooze('acme', invite.id, { kind: 'hour' });
    expect(wakeAtMs).toBe(clock.now() + HOUR_MS);
    const snoozedView = hub.snapshot();
    expect(snoozedView.unreadCount).toBe(0);
    expect(snoozedView.accounts[0]?.state.unreadCount).toBe(0);
    expect(snoozedView.accounts[0]?.snoozed).toEqual({ [invite.id]: wakeAtMs });
    const sections = inboxSections(mergeInbox(snoozedView));
    expect(sections.confirms).toEqual([]);
    expect(sections.snoozed.map((entry) => [entry.item.id, entry.snoozedUntilMs])).toEqual([[invite.id, wakeAtMs]]);

    await clock.advance(HOUR_MS - 60_000);
    expect(announced).toEqual([]);
    await clock.advance(60_000);
    expect(announced.map((items) => items.map((item) => item.id))).toEqual([[invite.id]]);
    const awake = hub.snapshot();
    expect(awake.unreadCount).toBe(1);
    expect(awake.accounts[0]?.snoozed).toBeUndefined();
    expect(inboxSections(mergeInbox(awake)).confirms.map((entry) => entry.item.id)).toEqual([invite.id]);
  });

  it('answered in the window while snoozed, it leaves Snoozed at once', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const { hub, engine } = await runningHub(portal, tempStorage(), clock);
    const invite = portal.addConfirm({ title: 'Join?', text: 'Sales' });
    await syncNow(engine);
    hub.snooze('acme', invite.id, { kind: 'hour' });
    const settled = nextEvent(engine, 'actionSettled');
    await hub.confirm('acme', invite.id, 'Y', 'window');
    await settled;
    expect(hub.snapshot().accounts[0]?.snoozed).toBeUndefined();
  });

  it('answered or deleted elsewhere meanwhile, it simply goes: no popup', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const { hub, engine, announced } = await runningHub(portal, tempStorage(), clock);
    const answered = portal.addConfirm({ title: 'Join?', text: 'Marketing' });
    const deleted = portal.addPersonal({ text: 'A comment' });
    await syncNow(engine);
    announced.length = 0;
    hub.snooze('acme', answered.id, { kind: 'hour' });
    hub.snooze('acme', deleted.id, { kind: 'hour' });
    portal.answerInBrowser(answered.id, 'Y');
    portal.deleteInBrowser(deleted.id);
    await syncNow(engine);
    expect(hub.snapshot().accounts[0]?.snoozed).toBeUndefined();
    await clock.advance(2 * HOUR_MS);
    expect(announced).toEqual([]);
  });

  it('is kept across a restart, and wakes after it once the portal has synced', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const store = tempStorage();
    const first = await runningHub(portal, store, clock);
    const invite = portal.addConfirm({ title: 'Review?', text: 'Q3 plan' });
    await syncNow(first.engine);
    first.hub.snooze('acme', invite.id, { kind: 'tomorrow' });
    await first.hub.stopAll();

    // The app is closed overnight; started again after the wake time.
    await clock.advance(24 * HOUR_MS);
    const second = await runningHub(portal, store, clock);
    expect(second.announced.map((items) => items.map((item) => item.id))).toEqual([[invite.id]]);
    expect(second.hub.snapshot().accounts[0]?.snoozed).toBeUndefined();
  });

  it('wakes when the computer resumes, if it slept through the wake time', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const { hub, engine, announced } = await runningHub(portal, tempStorage(), clock);
    const invite = portal.addConfirm({ title: 'Sign?', text: 'Contract' });
    await syncNow(engine);
    announced.length = 0;
    hub.snooze('acme', invite.id, { kind: 'hour' });
    hub.setSystemState({ suspended: true });
    clock.suspendFor(8 * HOUR_MS);
    expect(announced).toEqual([]);
    hub.setSystemState({ suspended: false });
    expect(announced.map((items) => items.map((item) => item.id))).toEqual([[invite.id]]);
  });

  it('"show now" brings it back without a popup; a gone item cannot be snoozed', async () => {
    const portal = await simulator();
    const clock = new FakeClock();
    const { hub, engine, announced } = await runningHub(portal, tempStorage(), clock);
    const invite = portal.addConfirm({ title: 'Lunch?', text: 'Friday' });
    await syncNow(engine);
    announced.length = 0;
    hub.snooze('acme', invite.id, { kind: 'monday' });
    hub.unsnooze('acme', invite.id);
    expect(hub.snapshot().accounts[0]?.snoozed).toBeUndefined();
    expect(hub.snapshot().unreadCount).toBe(1);
    await clock.advance(8 * 24 * HOUR_MS);
    expect(announced).toEqual([]);
    expect(() => hub.snooze('acme', 999_999, { kind: 'hour' })).toThrow(/not there any more/);
  });
});
