/**
 * The data model (§1.1): one hidden system chat per user, notifications as messages in it with a
 * global monotonic message id, per-user read state, and users.
 */
import { prepareStoredMessage, renderNotificationText } from './text';
import type { SimUser } from './types';

export type NotifyType = 1 | 2 | 4;

/** A stored button as CIMMessenger::Add keeps it (already HTML-escaped). */
export interface StoredButton {
  TITLE: string;
  VALUE: string;
  TYPE: string;
}

export interface NotificationRecord {
  id: number;
  recipientId: number;
  chatId: number;
  authorId: number;
  createdMs: number;
  type: NotifyType;
  module: string;
  event: string;
  tag: string;
  subTag: string;
  title: string | null;
  /** Already in §1.3 output form. */
  text: string;
  /** The MESSAGE as stored (HTML a module sent stays HTML): what an im 21.x portal returns as `text`. */
  storedMessage: string;
  /** Only confirms have buttons. */
  buttons: StoredButton[] | null;
  /** Message params with uppercase keys; {} is output as null. */
  params: Record<string, unknown>;
  read: boolean;
}

/** What a module passes to create one: the record less what the store assigns, and the raw MESSAGE. */
export type NewNotification = Omit<NotificationRecord, 'id' | 'chatId' | 'createdMs' | 'text' | 'storedMessage' | 'read'> & {
  /** Raw MESSAGE as a module passes it. */
  message: string;
};

const FIRST_MESSAGE_ID = 1001;
const FIRST_CHAT_ID = 77;

/** Creation second descending, then id descending: the order of every list method (§1.1). */
export function newestFirst(a: NotificationRecord, b: NotificationRecord): number {
  const bySecond = Math.floor(b.createdMs / 1000) - Math.floor(a.createdMs / 1000);
  return bySecond !== 0 ? bySecond : b.id - a.id;
}

/**
 * What the portal tells its Push & Pull server when a user's notifications change (the `im`
 * module's commands, real-portal-notes §4: notifyAdd, notifyConfirm, notifyRead, notifyDelete).
 */
export interface StoreChange {
  userId: number;
  command: 'notifyAdd' | 'notifyConfirm' | 'notifyRead' | 'notifyUnread' | 'notifyDelete';
  params: Record<string, unknown>;
}

export class NotificationStore {
  private readonly records = new Map<number, NotificationRecord>();
  private readonly changeListeners = new Set<(change: StoreChange) => void>();
  private readonly chatIdByUser = new Map<number, number>();
  private readonly users = new Map<number, SimUser>();
  private readonly deletedUserIds = new Set<number>();
  private nextMessageId = FIRST_MESSAGE_ID;
  private nextChatId = FIRST_CHAT_ID;

  constructor(private readonly now: () => number) {}

  putUser(user: SimUser): void {
    this.users.set(user.id, user);
  }

  user(id: number): SimUser | undefined {
    return this.users.get(id);
  }

  /** User::getFullName(false): "first last", or the name; empty for an unknown user. */
  private fullName(id: number): string {
    const user = this.users.get(id);
    return user ? `${user.first_name} ${user.last_name}`.trim() || user.name : '';
  }

  /** The user's system chat id, or undefined when the user never received a notification. */
  chatId(userId: number): number | undefined {
    return this.chatIdByUser.get(userId);
  }

  /** CIMMessenger::Add for notifications: false for a missing or inactive recipient (§1.1). */
  add(input: NewNotification): NotificationRecord | false {
    const recipient = this.users.get(input.recipientId);
    if (!recipient?.active) return false;
    const chatId = this.ensureChat(input.recipientId);
    const storedMessage = prepareStoredMessage(input.message);
    const record: NotificationRecord = {
      id: this.nextMessageId++,
      recipientId: input.recipientId,
      chatId,
      authorId: input.authorId,
      createdMs: this.now(),
      type: input.type,
      module: input.module,
      event: input.event,
      tag: input.tag,
      subTag: input.subTag,
      title: input.title,
      text: renderNotificationText(storedMessage, (userId) => this.fullName(userId)),
      storedMessage,
      buttons: input.buttons,
      params: { ...input.params },
      read: false,
    };
    if (record.tag !== '') this.replaceOlderWithTag(record);
    this.records.set(record.id, record);
    this.changed({ userId: record.recipientId, command: 'notifyAdd', params: { id: record.id, type: record.type } });
    return record;
  }

  /**
   * Notify::deleteOldNotifyByTag (§1.6): older notifications with the same tag go away (for
   * confirms in every chat); authors of those in the same chat are grouped into params.USERS.
   */
  private replaceOlderWithTag(record: NotificationRecord): void {
    const older = [...this.records.values()].filter(
      (other) => other.tag === record.tag && (record.type === 1 || other.chatId === record.chatId),
    );
    const groupedAuthors = new Set<number>();
    for (const other of older.filter((item) => item.chatId === record.chatId)) {
      groupedAuthors.add(other.authorId);
      const previous = other.params['USERS'];
      if (Array.isArray(previous)) for (const userId of previous) groupedAuthors.add(Number(userId));
    }
    groupedAuthors.delete(record.authorId);
    if (groupedAuthors.size > 0) record.params['USERS'] = [...groupedAuthors];
    for (const other of older) {
      this.records.delete(other.id);
      this.changed({ userId: other.recipientId, command: 'notifyDelete', params: { id: { [other.id]: other.tag } } });
    }
  }

  private ensureChat(userId: number): number {
    let chatId = this.chatIdByUser.get(userId);
    if (chatId === undefined) {
      chatId = this.nextChatId++;
      this.chatIdByUser.set(userId, chatId);
    }
    return chatId;
  }

  find(id: number): NotificationRecord | undefined {
    return this.records.get(id);
  }

  /** A notification in this user's system chat (the ownership check of every handler). */
  findOwned(userId: number, id: number): NotificationRecord | undefined {
    const record = this.records.get(id);
    return record && record.recipientId === userId ? record : undefined;
  }

  /**
   * The user's notifications, newest first: by creation second then id ('date', current builds),
   * or by id alone ('id', im 21.x).
   */
  forUser(userId: number, order: 'date' | 'id' = 'date'): NotificationRecord[] {
    const mine = [...this.records.values()].filter((record) => record.recipientId === userId);
    return mine.sort(order === 'date' ? newestFirst : (a, b) => b.id - a.id);
  }

  /** An employee deleted from the portal: lists name them with an entry that has no `id`. */
  deleteUser(id: number): void {
    this.deletedUserIds.add(id);
  }

  isDeleted(id: number): boolean {
    return this.deletedUserIds.has(id);
  }

  /** Every notification, oldest id first. */
  all(): NotificationRecord[] {
    return [...this.records.values()].sort((a, b) => a.id - b.id);
  }

  /** `command`: notifyConfirm when a confirm was answered (it leaves the list), notifyDelete otherwise. */
  delete(id: number, command: 'notifyDelete' | 'notifyConfirm' = 'notifyDelete'): boolean {
    const record = this.records.get(id);
    if (!record || !this.records.delete(id)) return false;
    this.changed({ userId: record.recipientId, command, params: { id } });
    return true;
  }

  /** Listens to every change a push server would be told about. */
  onChange(listener: (change: StoreChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => void this.changeListeners.delete(listener);
  }

  /** Read marks changed (reading.ts changes records in place). */
  readChanged(userId: number, ids: number[], command: 'notifyRead' | 'notifyUnread' = 'notifyRead'): void {
    if (ids.length > 0) this.changed({ userId, command, params: { list: ids, counter: this.unreadCount(userId) } });
  }

  private changed(change: StoreChange): void {
    for (const listener of this.changeListeners) listener(change);
  }

  unreadCount(userId: number): number {
    return this.forUser(userId).filter((record) => !record.read).length;
  }
}
