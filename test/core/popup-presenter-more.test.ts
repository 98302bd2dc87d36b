/**
 * More of what the popups do, found missing by the first mutation run over main/core/notifier:
 * a reply typed into a popup, the summary of a burst, and the sound. The portal is the simulator; the OS notifier a recording stand-in.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FakeNotifier } from '../harness/fake-notifier';
import { pollOnce, presenterSetup } from '../harness/presenter-harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('popups, continued', () => {
  it('a reply typed into the popup reaches the portal once as the answer, and the popup says it was sent', async () => {
    const s = await presenterSetup(cleanups, { notifier: new FakeNotifier({ buttons: true, reply: true }) });
    const asked = s.portal.addPersonal({ text: 'Can you join at 3?', quickReply: true });
    await pollOnce(s);
    const key = `acme:${asked.id}`;
    s.notifier.reply(key, 'Yes, see you');
    await vi.waitFor(() => expect(s.notifier.shown.has(`${key}:result`)).toBe(true));
    expect(s.portal.answerLog).toEqual([expect.objectContaining({ id: asked.id, text: 'Yes, see you' })]);
    expect(s.openWindow).not.toHaveBeenCalled();
  });

  it('a burst beyond what gets its own popup is summed up: three lines, then an ellipsis', async () => {
    const s = await presenterSetup(cleanups);
    for (let i = 0; i < 12; i += 1) s.portal.addPersonal({ text: `News number ${i}` });
    await pollOnce(s);
    const summaries = [...s.notifier.shown.values()].filter((popup) => popup.buttons.length === 0 && popup.body.split('\n').length > 1);
    expect(summaries.length).toBeGreaterThan(0);
    const lines = summaries[0]!.body.split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.at(-1)).toBe('…');
  });

  it('plays the sound once for new items when the setting is on, never when it is off or while quiet', async () => {
    const loud = await presenterSetup(cleanups, { settings: { sound: true } });
    loud.portal.addPersonal({ text: 'one' });
    loud.portal.addPersonal({ text: 'two' });
    await pollOnce(loud);
    expect(loud.playSound).toHaveBeenCalledTimes(1);

    const silent = await presenterSetup(cleanups, { settings: { sound: false } });
    silent.portal.addPersonal({ text: 'one' });
    await pollOnce(silent);
    expect(silent.playSound).not.toHaveBeenCalled();

    const quiet = await presenterSetup(cleanups, { settings: { sound: true, doNotDisturb: { mode: 'on' } } });
    quiet.portal.addPersonal({ text: 'one' });
    await pollOnce(quiet);
    expect(quiet.playSound).not.toHaveBeenCalled();
    expect(quiet.notifier.shown.size).toBe(0);
  });

  it('a snoozed item\'s popup goes at once and comes back, with its buttons, when it wakes', async () => {
    const s = await presenterSetup(cleanups);
    const invite = s.portal.addConfirm({ title: 'Planning?', text: 'Friday 10:00' });
    await pollOnce(s);
    const key = `acme:${invite.id}`;
    expect(s.notifier.shown.get(key)?.buttons.length).toBe(2);
    s.hub.snooze('acme', invite.id, { kind: 'hour' });
    await Promise.resolve();
    expect(s.notifier.closed).toContain(key);
    expect(s.notifier.shown.has(key)).toBe(false);
    await s.clock.advance(60 * 60 * 1000);
    expect(s.notifier.shown.get(key)?.buttons.length).toBe(2);
  });
});
