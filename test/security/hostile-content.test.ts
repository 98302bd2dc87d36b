/**
 * Issue 13 §4: what a hostile (or broken) portal module can put in one notification is bounded.
 * The payloads are what `im.notify.get` would carry; the popup case runs through the real
 * simulator, engine, hub and presenter (test/harness/presenter-harness.ts), with a recording
 * notifier for the OS.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_BUTTONS, MAX_NAME_CHARS, MAX_TEXT_CHARS, MAX_TITLE_CHARS, parseNotifyPage } from '../../main/core/notifications/model';
import { pollOnce, presenterSetup } from '../harness/presenter-harness';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const confirmWithButtons = (count: number) => ({
  id: 77,
  notify_type: 1,
  date: '2026-03-03T12:00:00+03:00',
  notify_title: 'Pick one',
  text: 'Which?',
  notify_buttons: JSON.stringify(Array.from({ length: count }, (_, index) => ({ TITLE: `b${index}`, TEXT: `Option ${index}`, COMMAND_PARAMS: `77|V${index}`, BG_COLOR: '#8bc84b' }))),
});

describe('hostile notification content', () => {
  it('keeps at most 10 buttons and says how many more there were', () => {
    const [item] = parseNotifyPage({ notifications: [confirmWithButtons(500)] }).items;
    expect(item?.buttons).toHaveLength(MAX_BUTTONS);
    expect(item?.moreButtons).toBe(490);
    const [few] = parseNotifyPage({ notifications: [confirmWithButtons(3)] }).items;
    expect(few?.buttons).toHaveLength(3);
    expect(few?.moreButtons).toBeUndefined();
  });

  it('caps the title, the author name, button labels and the text', () => {
    const huge = 'x'.repeat(1_000_000);
    const page = parseNotifyPage({
      notifications: [{ id: 5, notify_type: 2, author_id: 9, date: '2026-03-03T12:00:00+00:00', notify_title: huge, text: huge, notify_buttons: '' }],
      users: [{ id: 9, name: huge }],
    });
    const item = page.items[0]!;
    expect(item.title.length).toBeLessThanOrEqual(MAX_TITLE_CHARS);
    expect(item.title.endsWith('…')).toBe(true);
    expect(item.author?.name.length).toBeLessThanOrEqual(MAX_NAME_CHARS);
    expect(item.text.length).toBeLessThanOrEqual(MAX_TEXT_CHARS);
    const [confirm] = parseNotifyPage({ notifications: [{ ...confirmWithButtons(1), notify_buttons: JSON.stringify([{ TEXT: huge, COMMAND_PARAMS: '77|Y' }]) }] }).items;
    expect(confirm?.buttons[0]?.label.length).toBeLessThanOrEqual(100);
  });

  it('never dates an item after the poll, so a far-future date cannot pin it to the top', () => {
    const pollMs = Date.parse('2026-03-03T12:00:00Z');
    const page = parseNotifyPage({ notifications: [{ id: 1, notify_type: 4, date: '2099-01-01T00:00:00+00:00', text: 'forever first' }, { id: 2, notify_type: 4, date: '2026-03-03T11:00:00+00:00', text: 'real' }] }, pollMs);
    expect(page.items.map((item) => item.dateMs)).toEqual([pollMs, pollMs - 3_600_000]);
  });

  it('strips bidirectional overrides from every popup string', async () => {
    const s = await presenterSetup(cleanups);
    s.portal.addConfirm({
      title: 'Invoice \u202Efdp.exe',
      text: 'Open \u2066evil\u2069 \u202Atext\u202C \u202Bmore\u202C \u202D!\u202C \u2067x\u2068y\u2069',
      buttons: [{ title: 'Pay \u202Enow', value: 'Y', type: 'accept' }, { title: 'No', value: 'N', type: 'cancel' }],
    });
    await pollOnce(s);
    const popup = s.notifier.history.at(-1)!;
    expect(popup.title).toBe('Invoice fdp.exe');
    const strings = [popup.title, popup.body, ...popup.buttons.map((button) => button.label)];
    for (const text of strings) expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(popup.buttons.map((button) => button.label)).toEqual(['Pay now', 'No']);
  });
});
