/** The §1.3 notification object and the §1.4 confirm keyboard, built exactly as Notify::requestData does. */
import { encodeUnescapedUnicodeJson, phpDate } from './json';
import type { NotificationRecord, StoredButton } from './store';
import type { StoredNotification } from './types';

/** `new Keyboard(111)`: a hard-coded dummy bot id (§1.4). */
const KEYBOARD_BOT_ID = 111;
const KEYBOARD_MAX_CHARS = 60_000;

/** Keyboard::addButton in the field order it produces; buttons with a blank TEXT are skipped. */
function keyboardButton(notificationId: number, button: StoredButton): Record<string, unknown> | null {
  const text = button.TITLE.trim();
  if (text === '') return null;
  return {
    BOT_ID: KEYBOARD_BOT_ID,
    TYPE: 'BUTTON',
    COMMAND: 'notifyConfirm',
    COMMAND_PARAMS: `${notificationId}|${button.VALUE}`,
    TEXT: text,
    VOTE: 'N',
    BLOCK: 'N',
    WAIT: 'N',
    CONTEXT: 'ALL',
    DISABLED: 'N',
    DISPLAY: 'LINE',
    BG_COLOR: button.TYPE === 'accept' ? '#8BC84B' : '#ef4b57',
    BG_COLOR_TOKEN: 'base',
    TEXT_COLOR: '#fff',
  };
}

/** Keyboard::getJson(): JSON_UNESCAPED_UNICODE, and "" when 60,000 characters or longer. */
export function keyboardJson(notificationId: number, buttons: StoredButton[]): string {
  const elements = buttons.map((button) => keyboardButton(notificationId, button)).filter((element) => element !== null);
  const json = encodeUnescapedUnicodeJson(elements);
  return [...json].length < KEYBOARD_MAX_CHARS ? json : '';
}

/** How this portal's build writes the wire object (real-portal-notes §1). */
export interface WireOptions {
  /** The server timezone's offset in `date`. */
  utcOffsetMinutes: number;
  /** im 21.x: `text` is the raw stored MESSAGE (HTML included), not Text::parse's output. */
  legacyHtml: boolean;
}

export const CURRENT_WIRE: WireOptions = { utcOffsetMinutes: 0, legacyHtml: false };

export function toStoredNotification(record: NotificationRecord, wire: WireOptions = CURRENT_WIRE): StoredNotification {
  return {
    id: record.id,
    chat_id: record.chatId,
    // Notify::requestData forces the author to 0 for "private_system" events (§1.3).
    author_id: record.event === 'private_system' ? 0 : record.authorId,
    date: phpDate(record.createdMs, wire.utcOffsetMinutes),
    notify_type: record.type,
    notify_module: record.module,
    notify_event: record.event,
    notify_tag: record.tag,
    notify_sub_tag: record.subTag,
    notify_title: record.title,
    setting_name: `${record.module}|${record.event}`,
    text: wire.legacyHtml ? record.storedMessage : record.text,
    // Present only when buttons are stored, i.e. on confirms; the spread keeps the field order.
    ...(record.buttons ? { notify_buttons: keyboardJson(record.id, record.buttons) } : {}),
    params: Object.keys(record.params).length > 0 ? structuredClone(record.params) : null,
    notify_read: record.read ? 'Y' : 'N',
  };
}
