import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_CONFIRM_BUTTONS, parseNotifyPage } from '../../main/core/notifications/model';

function keyboard(id: number, buttons: [string, string, string][]): string {
  return JSON.stringify(
    buttons.map(([value, text, color]) => ({
      BOT_ID: 111, TYPE: 'BUTTON', COMMAND: 'notifyConfirm', COMMAND_PARAMS: `${id}|${value}`, TEXT: text,
      VOTE: 'N', BLOCK: 'N', WAIT: 'N', CONTEXT: 'ALL', DISABLED: 'N', DISPLAY: 'LINE', BG_COLOR: color,
      BG_COLOR_TOKEN: 'base', TEXT_COLOR: '#fff',
    })),
  );
}

// The constructed example of the API notes §1.4, plus a from-user quick-reply item and a system one.
const PAGE = {
  total_count: 3,
  total_unread_count: 2,
  chat_id: 77,
  notifications: [
    {
      id: 1502, chat_id: 77, author_id: 3, date: '2026-03-03T09:05:00+00:00', notify_type: 1, notify_module: 'socialnetwork',
      notify_event: 'invite_group_btn', notify_tag: 'SOCNET|INVITE_GROUP|5|41', notify_sub_tag: '',
      notify_title: 'Invitation to join group &quot;Marketing &amp; Sales&quot;', setting_name: 'socialnetwork|invite_group_btn',
      text: 'You are invited to join group [URL=/workgroups/group/12/]Marketing[/URL]',
      notify_buttons: keyboard(1502, [['Y', 'Accept', '#8BC84B'], ['N', 'Decline', '#ef4b57']]), params: null, notify_read: 'N',
    },
    {
      id: 1500, chat_id: 77, author_id: 3, date: '2026-03-03T09:00:00+02:00', notify_type: 2, notify_module: 'tasks',
      notify_event: 'comment', notify_tag: '', notify_sub_tag: '', notify_title: null, setting_name: 'tasks|comment',
      text: 'Commented on a task', params: { CAN_ANSWER: 'Y' }, notify_read: 'Y',
    },
    {
      id: 1499, chat_id: 77, author_id: 0, date: '2026-03-03T08:00:00+00:00', notify_type: 4, notify_module: 'rest',
      notify_event: 'rest_notify', notify_tag: '', notify_sub_tag: '', notify_title: '', setting_name: 'rest|rest_notify',
      text: 'Backup finished', params: null, notify_read: 'N',
    },
  ],
  users: [{ id: 3, name: 'John Smith', color: '#1eb4aa', avatar: 'https://acme.bitrix24.com/upload/a.png' }],
};

describe('parseNotifyPage', () => {
  it('reads confirms with their buttons, from-user items with authors, and system items', () => {
    const page = parseNotifyPage(PAGE);
    expect(page).toMatchObject({ skipped: 0, totalUnread: 2, totalCount: 3 });
    const [confirm, personal, system] = page.items;
    expect(confirm).toMatchObject({
      id: 1502,
      kind: 'confirm',
      title: 'Invitation to join group "Marketing & Sales"',
      settingName: 'socialnetwork|invite_group_btn',
      read: false,
      canAnswer: false,
      dateMs: Date.UTC(2026, 2, 3, 9, 5),
      author: { id: 3, name: 'John Smith', color: '#1eb4aa', avatarUrl: 'https://acme.bitrix24.com/upload/a.png' },
      buttons: [
        { value: 'Y', label: 'Accept', style: 'accept' },
        { value: 'N', label: 'Decline', style: 'cancel' },
      ],
    });
    expect(personal).toMatchObject({ id: 1500, kind: 'from-user', title: '', read: true, canAnswer: true, buttons: [], dateMs: Date.UTC(2026, 2, 3, 7, 0) });
    expect(system).toMatchObject({ id: 1499, kind: 'system', author: undefined, buttons: [] });
  });

  it('decodes entities in button labels and keeps values that contain "|"', () => {
    const page = parseNotifyPage({
      notifications: [{ id: 9, notify_type: 1, notify_buttons: keyboard(9, [['A|B', '&lt;Go&gt;', '#8BC84B']]) }],
    });
    expect(page.items[0]?.buttons).toEqual([{ value: 'A|B', label: '<Go>', style: 'accept' }]);
  });

  it('falls back to Accept/Decline when a confirm’s buttons are missing, empty or unreadable', () => {
    for (const notify_buttons of [undefined, '', '{not json', '[]', '[1,2]', keyboard(999, [['Y', 'Other item', '#8BC84B']])]) {
      const page = parseNotifyPage({ notifications: [{ id: 7, notify_type: 1, notify_buttons }] });
      expect(page.items[0]?.buttons).toEqual(DEFAULT_CONFIRM_BUTTONS);
    }
  });

  it('caps the unread counter at 100 ("99+") and reads an empty user as empty', () => {
    expect(parseNotifyPage({ notifications: [], users: [] })).toEqual({ items: [], skipped: 0, totalUnread: undefined, totalCount: undefined });
    expect(parseNotifyPage({ ...PAGE, total_unread_count: 250 }).totalUnread).toBe(100);
  });

  it('skips and counts items it cannot understand, and keeps the rest', () => {
    const page = parseNotifyPage({
      notifications: [null, 5, 'x', { id: 'abc' }, { id: -1 }, { id: 0 }, PAGE.notifications[0], { ...PAGE.notifications[0] }, { id: 12 }],
      users: 'nope',
    });
    expect(page.items.map((item) => item.id)).toEqual([1502, 12]);
    expect(page.skipped).toBe(7);
  });

  it('never throws on 1,000 random malformed payloads', () => {
    const field = fc.oneof(fc.anything(), fc.string(), fc.integer(), fc.constant(null), fc.constant('[{"COMMAND_PARAMS":"1|Y"}]'));
    const item = fc.record(
      {
        id: fc.oneof(fc.integer(), fc.string(), fc.anything()),
        notify_type: fc.oneof(fc.constantFrom(0, 1, 2, 4, 9), fc.anything()),
        author_id: field,
        date: field,
        notify_title: field,
        text: field,
        notify_buttons: field,
        params: fc.oneof(fc.anything(), fc.record({ CAN_ANSWER: field })),
        notify_read: field,
      },
      { requiredKeys: [] },
    );
    const payload = fc.oneof(
      fc.anything(),
      fc.record({ notifications: fc.oneof(fc.array(fc.oneof(item, fc.anything())), fc.anything()), users: fc.anything(), total_unread_count: field }, { requiredKeys: [] }),
    );
    fc.assert(
      fc.property(payload, (value) => {
        const page = parseNotifyPage(value);
        expect(page.items.length + page.skipped).toBeGreaterThanOrEqual(0);
        for (const parsed of page.items) expect(Number.isSafeInteger(parsed.id) && parsed.id > 0).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
