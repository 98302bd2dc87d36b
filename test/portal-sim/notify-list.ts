/**
 * The two list methods: im.notify.get (§2.1, Bitrix\Im\Notify::get) and im.notify.history.search
 * (§2.9, Notify::search), with their parameter checks from im_rest.php.
 */
import type { CallContext } from './call';
import { RestError } from './errors';
import { phpEmpty, phpInt, phpIsArray, phpIsset, phpString, phpTrim, phpValues, upperKeys } from './php';
import { unreadCounter } from './reading';
import type { NotificationRecord, NotificationStore } from './store';
import type { SimUser } from './types';
import { notificationAuthor } from './users';
import { toStoredNotification } from './wire';

/** Section codes of the LAST_TYPE cursor (§1.2). */
const CONFIRM_SECTION = 1;
const SIMPLE_SECTION = 3;
const MAX_PAGE_SIZE = 50;

/** An ORM 'limit' of 0 or less adds no LIMIT clause at all. */
function takeLimited<T>(items: T[], limit: number): T[] {
  return limit > 0 ? items.slice(0, limit) : items;
}

/** `(int)LIMIT > 50 ? 50 : (int)LIMIT`, default 50; values ≤ 0 are not validated. */
function pageLimit(params: Record<string, unknown>): number {
  return phpIsset(params['LIMIT']) ? Math.min(phpInt(params['LIMIT']), MAX_PAGE_SIZE) : MAX_PAGE_SIZE;
}

/** preg_match('/^\d+$/'): PHP's `$` also accepts one trailing newline. */
function parseLastId(value: unknown): number {
  if (phpIsArray(value) || !/^\d+\n?$/.test(phpString(value))) {
    throw new RestError('LAST_ID_STRING', "Last notification ID can't be string");
  }
  return phpInt(value);
}

/**
 * A deleted employee's entry: the user lookup finds nothing, so the entry carries only the
 * forced fields and no `id` (real-portal-notes §1: `{last_activity_date:false,…}`).
 */
const DELETED_AUTHOR_ENTRY = { idle: false, last_activity_date: false, mobile_last_date: false, desktop_last_date: false };

/** Authors of the page in first-seen order; system notifications (author 0) add none. */
function pageUsers(store: NotificationStore, page: NotificationRecord[]): (SimUser | typeof DELETED_AUTHOR_ENTRY)[] {
  const users = new Map<number, SimUser | typeof DELETED_AUTHOR_ENTRY>();
  for (const record of page) {
    if (record.event === 'private_system' || users.has(record.authorId)) continue;
    const author = store.user(record.authorId);
    if (author && store.isDeleted(author.id)) users.set(author.id, { ...DELETED_AUTHOR_ENTRY });
    else if (author) users.set(author.id, notificationAuthor(author));
  }
  return [...users.values()];
}

export function notifyGet(call: CallContext): unknown {
  const params = upperKeys(call.params);
  if (phpIsset(params['LAST_ID']) !== phpIsset(params['LAST_TYPE'])) {
    throw new RestError('LAST_ID_AND_LAST_TYPE', 'Parameters LAST_ID and LAST_TYPE should be used together.');
  }
  let lastId = 0;
  let lastType = 0;
  if (phpIsset(params['LAST_ID'])) {
    lastId = parseLastId(params['LAST_ID']);
    lastType = phpInt(params['LAST_TYPE']);
  }
  const limit = pageLimit(params);
  const firstPage = !lastId && !lastType;

  const { store } = call.sim;
  const userId = call.auth.userId;
  const chatId = store.chatId(userId);
  const all = store.forUser(userId, call.sim.wire.legacyHtml ? 'id' : 'date');
  if (chatId === undefined || all.length === 0) return { notifications: [], users: [] };

  // fetchConfirms: page 1, or continuing inside the confirm section.
  const confirms =
    firstPage || lastType === CONFIRM_SECTION
      ? takeLimited(all.filter((record) => record.type === 1 && (firstPage || record.id < lastId)), limit)
      : [];
  // fetchSimple: fill page 1, top up a short confirm page from the newest (no id filter), or
  // continue inside the regular section. Any other LAST_TYPE queries neither section.
  const offset = confirms.length;
  const needSimple =
    ((firstPage || lastType === CONFIRM_SECTION) && offset < limit) || lastType === SIMPLE_SECTION;
  const simple = needSimple
    ? takeLimited(
        all.filter((record) => record.type !== 1 && (lastType !== SIMPLE_SECTION || record.id < lastId)),
        limit - offset,
      )
    : [];

  const page = [...confirms, ...simple];
  return {
    total_count: all.length,
    total_unread_count: unreadCounter(store, userId),
    chat_id: chatId,
    notifications: page.map((record) => toStoredNotification(record, call.sim.wire)),
    users: pageUsers(store, page),
  };
}

interface SearchFilter {
  text: string | null;
  types: string[] | null;
  dateFrom: string | null;
  dateTo: string | null;
  authors: number[] | null;
}

const DAY_MS = 24 * 3600 * 1000;

function matchesSearch(record: NotificationRecord, filter: SearchFilter): boolean {
  if (filter.text && !record.text.toLowerCase().includes(filter.text.toLowerCase())) return false;
  if (filter.types && filter.types.length === 1) {
    const [module, event] = (filter.types[0] ?? '').split('|');
    if (record.module !== module || (event !== undefined && record.event !== event)) return false;
  } else if (filter.types && filter.types.length > 1 && !filter.types.includes(record.module)) {
    return false;
  }
  if (filter.dateFrom && filter.dateTo) {
    const fromMs = Date.parse(filter.dateFrom);
    const toMs = Date.parse(filter.dateTo) + DAY_MS;
    const createdMs = Math.floor(record.createdMs / 1000) * 1000;
    if (!Number.isNaN(fromMs) && !Number.isNaN(toMs) && (createdMs < fromMs || createdMs > toMs)) return false;
  }
  if (filter.authors && !filter.authors.includes(record.authorId)) return false;
  return true;
}

function searchFilter(params: Record<string, unknown>): SearchFilter {
  const textParam = params['SEARCH_TEXT'];
  const typesParam = params['SEARCH_TYPES'];
  const listedTypes = phpIsArray(typesParam)
    ? phpValues(typesParam).filter((value): value is string => typeof value === 'string' && value !== '')
    : [];
  const types = listedTypes.length > 0 ? listedTypes : phpIsset(params['SEARCH_TYPE']) ? [phpString(params['SEARCH_TYPE'])] : null;
  const hasRange = phpIsset(params['SEARCH_DATE_FROM']) && phpIsset(params['SEARCH_DATE_TO']);
  const singleDate = phpIsset(params['SEARCH_DATE']) ? phpString(params['SEARCH_DATE']) : null;
  const authorsParam = params['SEARCH_AUTHORS'];
  const authors = phpIsArray(authorsParam)
    ? phpValues(authorsParam)
        .filter((value) => /^\s*-?\d+(\.\d+)?\s*$/.test(phpString(value)) && phpInt(value) >= 0)
        .map(phpInt)
    : [];
  return {
    text: phpIsset(textParam) && !phpEmpty(textParam) ? phpString(textParam) : null,
    types,
    dateFrom: hasRange ? phpString(params['SEARCH_DATE_FROM']) : singleDate,
    dateTo: hasRange ? phpString(params['SEARCH_DATE_TO']) : singleDate,
    authors: authors.length > 0 ? authors : null,
  };
}

export function notifyHistorySearch(call: CallContext): unknown {
  const params = upperKeys(call.params);
  const noFilter =
    phpEmpty(params['SEARCH_TYPE']) &&
    phpEmpty(params['SEARCH_DATE']) &&
    [...phpTrim(phpString(params['SEARCH_TEXT']))].length < 3 &&
    phpEmpty(params['SEARCH_AUTHORS']) &&
    phpEmpty(params['SEARCH_TYPES']) &&
    phpEmpty(params['SEARCH_DATE_FROM']) &&
    phpEmpty(params['SEARCH_DATE_TO']);
  if (noFilter) throw new RestError('SEARCH_TEXT_ERROR', "SEARCH_TEXT can't be less then 3 symbols");
  const lastId = phpIsset(params['LAST_ID']) ? parseLastId(params['LAST_ID']) : 0;
  const limit = pageLimit(params);
  const filter = searchFilter(params);

  const { store } = call.sim;
  const userId = call.auth.userId;
  const chatId = store.chatId(userId);
  if (chatId === undefined) return [];
  if (!filter.text && !filter.types && !(filter.dateFrom && filter.dateTo) && !filter.authors) return [];

  const matches = store.forUser(userId, call.sim.wire.legacyHtml ? 'id' : 'date').filter((record) => matchesSearch(record, filter));
  const page = takeLimited(lastId > 0 ? matches.filter((record) => record.id < lastId) : matches, limit);
  return {
    chat_id: chatId,
    notifications: page.map((record) => toStoredNotification(record, call.sim.wire)),
    users: pageUsers(store, page),
    // Only the first page carries the total.
    ...(lastId ? {} : { total_results: matches.length }),
  };
}
