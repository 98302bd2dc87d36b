/**
 * `im.notify.get` results (§1.3, §2.1) turned into a typed model. The portal's data is untrusted:
 * an item that cannot be understood is skipped and counted, never allowed to break the rest.
 */
import { capText, decodeEntities } from '../text/bbcode';

export type NotificationKind = 'confirm' | 'from-user' | 'system';

export interface NotificationButton {
  /** What `im.notify.confirm` gets as NOTIFY_VALUE: "Y", "N", or a module's own value. */
  value: string;
  label: string;
  style: 'accept' | 'cancel';
}

export interface NotificationAuthor {
  id: number;
  name: string;
  /** Absolute URL as the portal gave it; the window loads it only from the portal's or Bitrix24's CDN hosts. */
  avatarUrl: string | undefined;
  color: string | undefined;
  /**
   * The employee was deleted: the portal lists the author without an `id` (real-portal-notes §1),
   * so there is no name, photo or profile; the window shows a neutral label and icon.
   */
  deleted?: true;
}

/** The name popups and the model give a deleted author (the window translates it). */
export const DELETED_AUTHOR_NAME = 'Deleted user';

export interface PortalNotification {
  id: number;
  kind: NotificationKind;
  /** Epoch ms; the portal's `date` carries its own offset. */
  dateMs: number;
  /** Decoded (the server HTML-escapes titles); may be empty. */
  title: string;
  /** BBCode as the portal sent it; render with main/core/text. */
  text: string;
  module: string;
  event: string;
  /** `module|event`: the category a user can mute. */
  settingName: string;
  tag: string;
  read: boolean;
  author: NotificationAuthor | undefined;
  /** Only confirms have buttons; at most MAX_BUTTONS of them. */
  buttons: NotificationButton[];
  /** Buttons the portal sent beyond MAX_BUTTONS (the window says "and N more"); absent when none. */
  moreButtons?: number;
  /** Quick reply allowed (`params.CAN_ANSWER == "Y"`). */
  canAnswer: boolean;
}

export interface NotifyPage {
  items: PortalNotification[];
  /** Items in the payload that could not be understood. */
  skipped: number;
  /** Capped at 100 by the portal, which means "99+". Undefined when the portal sent none. */
  totalUnread: number | undefined;
  totalCount: number | undefined;
}

/**
 * Every module creates confirms with Y/N (§1.4), and the server adds Accept/Cancel when a module
 * gives none; when `notify_buttons` is missing or unreadable these are the honest guess.
 */
export const DEFAULT_CONFIRM_BUTTONS: readonly NotificationButton[] = [
  { value: 'Y', label: 'Accept', style: 'accept' },
  { value: 'N', label: 'Decline', style: 'cancel' },
];
const ACCEPT_COLOR = '#8bc84b';

/**
 * What one notification may carry, whatever the portal sends (a hostile module can send anything
 * up to the client's 5 MB response cap). OS popups show two to five actions; ten is more than any
 * real confirm has. Longer fields end in "…".
 */
export const MAX_BUTTONS = 10;
export const MAX_TITLE_CHARS = 1_000;
export const MAX_NAME_CHARS = 200;
export const MAX_BUTTON_LABEL_CHARS = 100;
export const MAX_TEXT_CHARS = 20_000;

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asPositiveInt(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

function asString(value: unknown): string {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '';
}

function parseButtons(raw: unknown, notificationId: number): NotificationButton[] {
  if (typeof raw !== 'string' || raw === '') return [...DEFAULT_CONFIRM_BUTTONS];
  let list: unknown;
  try {
    list = JSON.parse(raw);
  } catch {
    return [...DEFAULT_CONFIRM_BUTTONS];
  }
  if (!Array.isArray(list)) return [...DEFAULT_CONFIRM_BUTTONS];
  const buttons: NotificationButton[] = [];
  for (const entry of list) {
    const button = asRecord(entry);
    if (!button) continue;
    // COMMAND_PARAMS is "<id>|<VALUE>"; the value may itself contain "|".
    const params = asString(button.COMMAND_PARAMS);
    const separator = params.indexOf('|');
    if (separator <= 0) continue;
    if (asPositiveInt(params.slice(0, separator)) !== notificationId) continue;
    const value = params.slice(separator + 1);
    if (!value || buttons.some((b) => b.value === value)) continue;
    const label = capText(decodeEntities(asString(button.TEXT)).trim() || value, MAX_BUTTON_LABEL_CHARS);
    const style = asString(button.BG_COLOR).toLowerCase() === ACCEPT_COLOR ? 'accept' : 'cancel';
    buttons.push({ value, label, style });
  }
  return buttons.length > 0 ? buttons : [...DEFAULT_CONFIRM_BUTTONS];
}

function parseAuthor(authorId: number | undefined, users: Map<number, Record<string, unknown>>): NotificationAuthor | undefined {
  if (authorId === undefined) return undefined;
  const user = users.get(authorId);
  if (!user) return { id: authorId, name: DELETED_AUTHOR_NAME, avatarUrl: undefined, color: undefined, deleted: true };
  const name = asString(user.name).trim() || [asString(user.first_name), asString(user.last_name)].join(' ').trim();
  const avatar = asString(user.avatar);
  const color = asString(user.color);
  return {
    id: authorId,
    name: name ? capText(decodeEntities(name), MAX_NAME_CHARS) : `User ${authorId}`,
    avatarUrl: avatar || undefined,
    color: /^#[0-9a-f]{6}$/i.test(color) ? color : undefined,
  };
}

function parseItem(raw: unknown, users: Map<number, Record<string, unknown>>, nowMs: number): PortalNotification | undefined {
  const item = asRecord(raw);
  if (!item) return undefined;
  const id = asPositiveInt(item.id);
  if (id === undefined) return undefined;
  const type = Number(item.notify_type);
  const authorId = asPositiveInt(item.author_id);
  const kind: NotificationKind = type === 1 ? 'confirm' : authorId !== undefined && type !== 4 ? 'from-user' : 'system';
  const dateMs = Date.parse(asString(item.date));
  const module = asString(item.notify_module);
  const event = asString(item.notify_event);
  const params = asRecord(item.params);
  const buttons = kind === 'confirm' ? parseButtons(item.notify_buttons, id) : [];
  return {
    id,
    kind,
    // A date in the future would pin the item to the top of the inbox forever: not after the poll.
    dateMs: Number.isFinite(dateMs) ? Math.min(dateMs, nowMs) : 0,
    title: capText(decodeEntities(asString(item.notify_title)), MAX_TITLE_CHARS),
    text: capText(asString(item.text), MAX_TEXT_CHARS),
    module,
    event,
    settingName: asString(item.setting_name) || `${module}|${event}`,
    tag: asString(item.notify_tag),
    // Confirms stay unread until answered (§1.4), whatever the flag says.
    read: kind !== 'confirm' && item.notify_read === 'Y',
    author: kind === 'system' ? undefined : parseAuthor(authorId, users),
    buttons: buttons.slice(0, MAX_BUTTONS),
    ...(buttons.length > MAX_BUTTONS ? { moreButtons: buttons.length - MAX_BUTTONS } : {}),
    canAnswer: params?.CAN_ANSWER === 'Y',
  };
}

/**
 * Parses one `im.notify.get` result. Never throws: anything unreadable counts as skipped.
 * `nowMs` is the poll's time: no item is dated after it.
 */
export function parseNotifyPage(result: unknown, nowMs = Date.now()): NotifyPage {
  const record = asRecord(result);
  const rawItems = Array.isArray(record?.notifications) ? record.notifications : [];
  const users = new Map<number, Record<string, unknown>>();
  for (const rawUser of Array.isArray(record?.users) ? record.users : []) {
    const user = asRecord(rawUser);
    const userId = asPositiveInt(user?.id);
    if (user && userId !== undefined) users.set(userId, user);
  }
  const items: PortalNotification[] = [];
  const seen = new Set<number>();
  let skipped = record && record.notifications !== undefined && !Array.isArray(record.notifications) ? 1 : 0;
  for (const raw of rawItems) {
    let item: PortalNotification | undefined;
    try {
      item = parseItem(raw, users, nowMs);
    } catch {
      item = undefined; // e.g. a getter-laden object; nothing from the portal may crash the engine
    }
    if (!item || seen.has(item.id)) {
      skipped += 1;
      continue;
    }
    seen.add(item.id);
    items.push(item);
  }
  const totalUnread = typeof record?.total_unread_count === 'number' ? Math.max(0, Math.min(100, Math.floor(record.total_unread_count))) : undefined;
  const totalCount = typeof record?.total_count === 'number' ? record.total_count : undefined;
  return { items, skipped, totalUnread, totalCount };
}
