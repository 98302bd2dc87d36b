/**
 * What the window shows the moment the user acts, before the portal has answered: marks, "mark
 * all read" and dismissals change the inbox and the unread badge at once (as Bitrix24's own window
 * does), a second reply or a dismissal while an answer is on its way is refused, and popups get
 * closed exactly for what left. Also what the engine reads for the window: rendered text, the
 * inbox cap and the notification categories. Against the portal simulator over loopback.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AccountEngine, ActionRefused, type AccountEngineOptions } from '../../main/core/engine/account-engine';
import { PortalClient } from '../../main/core/portal';
import { startPortalSim, type PortalSim } from '../portal-sim';
import { nextEvent, tempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { simWebhookCredentials } from '../harness/sim-credentials';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sim(): Promise<PortalSim> {
  const portal = await startPortalSim();
  cleanups.push(() => portal.close());
  return portal;
}

/** A started engine on `portal`, after its first exchange. */
async function startedEngine(portal: PortalSim, clock = new FakeClock(), options: Partial<AccountEngineOptions> = {}): Promise<AccountEngine> {
  const client = new PortalClient({ credentials: simWebhookCredentials(portal), backoffBaseMs: 5, backoffMaxMs: 20, maxAttempts: 2 });
  const engine = new AccountEngine({ accountId: 'main', client, storage: tempStorage().open(), clock, ...options });
  cleanups.push(async () => {
    await engine.stop();
    await client.close();
  });
  const first = nextEvent(engine, 'polled');
  engine.start();
  await first;
  return engine;
}

function refusal(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof ActionRefused) return error.reason;
    throw error;
  }
  throw new Error('expected a refusal');
}

/** Each emission of 'removed' as it came (one emission closes one set of popups). */
function removedEmissions(engine: AccountEngine): number[][] {
  const emissions: number[][] = [];
  engine.on('removed', (ids) => emissions.push([...ids]));
  return emissions;
}

describe('AccountEngine: the inbox reacts to the user at once', () => {
  it('marks one item read and lowers the badge by one before the portal answers', async () => {
    const portal = await sim();
    portal.addConfirm({ text: 'Join?' });
    const first = portal.addPersonal({ text: 'One' });
    portal.addPersonal({ text: 'Two' });
    const engine = await startedEngine(portal);
    expect(engine.state.unreadCount).toBe(3);

    const polled = nextEvent(engine, 'polled');
    engine.markRead([first.id]);
    // Optimistic, like Bitrix24's own window (bitrix24-notify-api.md §2.5): no waiting for the round trip.
    expect(engine.state.unreadCount).toBe(2);
    expect(engine.item(first.id)?.read).toBe(true);
    await polled;
    expect(engine.state.unreadCount).toBe(2); // the portal's own figure agrees
  });

  it('"mark all read" shows every item but the open confirms read, and the badge counts the confirms, at once', async () => {
    const portal = await sim();
    const confirms = [portal.addConfirm({ text: 'Join A?' }).id, portal.addConfirm({ text: 'Join B?' }).id];
    const notes = [portal.addPersonal({ text: 'One' }).id, portal.addPersonal({ text: 'Two' }).id, portal.addSystem({ text: 'Three' }).id];
    const engine = await startedEngine(portal);
    expect(engine.state.unreadCount).toBe(5);

    const polled = nextEvent(engine, 'polled');
    engine.markAllRead();
    // im.notify.read.all leaves confirms unread (bitrix24-notify-api.md §2.6); the window says so before the portal does.
    const readById = new Map(engine.state.inbox.map((item) => [item.id, item.read]));
    expect(notes.map((id) => readById.get(id))).toEqual([true, true, true]);
    expect(confirms.map((id) => readById.get(id))).toEqual([false, false]);
    expect(engine.state.inbox).toHaveLength(5);
    expect(engine.state.unreadCount).toBe(2);
    await polled;
    expect(portal.get(notes[2]!)?.notify_read).toBe('Y');
    expect(engine.state.unreadCount).toBe(2);
  });

  it('dismissing lowers the badge only for an unread item, and closes that item’s popup once', async () => {
    const portal = await sim();
    portal.addConfirm({ text: 'Join?' });
    const seen = portal.addPersonal({ text: 'Seen' });
    const unseen = portal.addPersonal({ text: 'Not seen' });
    const engine = await startedEngine(portal);
    const polled = nextEvent(engine, 'polled');
    engine.markRead([seen.id]);
    await polled;
    expect(engine.state.unreadCount).toBe(2);

    const removed = removedEmissions(engine);
    engine.dismiss(seen.id);
    expect(engine.state.unreadCount).toBe(2);
    expect(removed).toEqual([[seen.id]]);
    engine.dismiss(unseen.id);
    expect(engine.state.unreadCount).toBe(1);
    expect(removed).toEqual([[seen.id], [unseen.id]]);
    expect(engine.state.inbox.map((item) => item.id)).not.toContain(unseen.id);
  });

  it('closes no popups on a poll where nothing left the portal', async () => {
    const portal = await sim();
    portal.addPersonal({ text: 'Stays' });
    const clock = new FakeClock();
    const engine = await startedEngine(portal, clock);
    const removed = removedEmissions(engine);
    portal.addPersonal({ text: 'Arrives' });
    const polled = nextEvent(engine, 'polled');
    await clock.advance(engine.pollIntervalMs);
    await polled;
    expect(engine.state.inbox).toHaveLength(2);
    expect(removed).toEqual([]);
  });
});

describe('AccountEngine: one answer at a time per notification', () => {
  it('refuses a second quick reply while the first is on its way, so the portal gets one', async () => {
    const portal = await sim();
    const question = portal.addPersonal({ text: 'Can you review?', quickReply: true });
    const engine = await startedEngine(portal);
    const first = engine.answer(question.id, 'Yes');
    expect(refusal(() => engine.answer(question.id, 'Yes, after lunch'))).toBe('answer-in-progress');
    await expect(first).resolves.toMatchObject({ status: 'done' });
    expect(portal.answerLog).toEqual([expect.objectContaining({ id: question.id, text: 'Yes' })]);
    expect(engine.orphanedWaiters).toBe(0);
  });

  it('refuses to dismiss a confirm whose answer is on its way, and keeps it in the inbox', async () => {
    const portal = await sim();
    const invite = portal.addConfirm({ text: 'Join?' });
    const engine = await startedEngine(portal);
    const outcome = engine.confirm(invite.id, 'Y');
    expect(refusal(() => engine.dismiss(invite.id))).toBe('answer-in-progress');
    expect(engine.item(invite.id)).toBeDefined();
    await expect(outcome).resolves.toMatchObject({ status: 'done' });
    expect(portal.confirmLog).toEqual([expect.objectContaining({ id: invite.id, value: 'Y' })]);
    expect(engine.orphanedWaiters).toBe(0);
  });
});

describe('AccountEngine: what it reads for the window', () => {
  it('renders BBCode links against the portal’s address', async () => {
    const portal = await sim();
    // Relative portal links are the norm in notification text (real-portal-notes §1).
    const note = portal.addPersonal({ text: 'See [URL=/workgroups/group/12/]Marketing[/URL]' });
    const engine = await startedEngine(portal);
    expect(engine.item(note.id)?.rich).toContainEqual({ type: 'link', href: `${portal.origin}/workgroups/group/12/`, children: [{ type: 'text', text: 'Marketing' }] });
  });

  it('keeps no more items than the inbox cap it was given, the newest first', async () => {
    const portal = await sim();
    const ids = Array.from({ length: 5 }, (_, i) => portal.addPersonal({ text: `n${i}` }).id);
    const engine = await startedEngine(portal, new FakeClock(), { maxInboxItems: 3 });
    expect(engine.state.inbox.map((item) => item.id).sort((a, b) => a - b)).toEqual(ids.slice(-3));
  });

  it('lists the portal’s notification categories, and sends nothing for a read the window already gave up', async () => {
    const portal = await sim();
    portal.addPersonal({ text: 'Hi' });
    const engine = await startedEngine(portal);
    const categories = await engine.categories();
    expect(categories).toContainEqual({ id: 'im|default', moduleName: 'Messenger', name: 'Notifications' });

    const schemaReads = (): number => portal.requestLog.filter((entry) => entry.restMethod === 'im.notify.schema.get').length;
    const before = schemaReads();
    const gaveUp = new AbortController();
    gaveUp.abort(new Error('window closed'));
    await expect(engine.categories(gaveUp.signal)).rejects.toThrow();
    expect(schemaReads()).toBe(before);
  });
});
