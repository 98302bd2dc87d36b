/**
 * The im.* handlers of §2, following im/classes/general/im_rest.php (MOD 26.250). Each handler
 * upper-cases parameter keys first, except im.counters.get which reads ONLY_COUNTER/JSON as sent.
 */
import { parseAttach } from './attach';
import type { CallContext, MethodDefinition } from './call';
import { RestError } from './errors';
import { confirmNotification, deleteRecord } from './confirm';
import { phpMap } from './json';
import { notifyGet, notifyHistorySearch } from './notify-list';
import {
  md5,
  phpEmpty,
  phpIsArray,
  phpInt,
  phpIsset,
  phpString,
  phpTrim,
  phpValues,
  upperKeys,
} from './php';
import { markRead, markUnread, readAll, unreadCounter } from './reading';
import { SCHEMA } from './schema';

/** IM_ANSWER_DONE as shown in DOCS. */
const ANSWER_DONE_TEXT = 'Your response has been successfully sent.';
/** APP_NAME of the simulated OAuth application, prefixed to its system notifications. */
export const SIM_APP_NAME = 'Portal Sim App';

/** `isset(ID)` wins over NOTIFY_ID; both go through (int) (§2.2, §2.3). */
function notifyIdParam(params: Record<string, unknown>): number {
  let id = 0;
  if (phpIsset(params['NOTIFY_ID'])) id = phpInt(params['NOTIFY_ID']);
  if (phpIsset(params['ID'])) id = phpInt(params['ID']);
  if (id <= 0) throw new RestError('ID_ERROR', "Notification ID can't be empty");
  return id;
}

/** ACTION defaults to 'Y'; anything but exactly 'Y' means unread. */
function isReadAction(params: Record<string, unknown>): boolean {
  return (phpIsset(params['ACTION']) ? params['ACTION'] : 'Y') === 'Y';
}

/** MP|<first 5 hex of md5(client id)>|TAG (§1.6). */
function appScopedTag(clientId: string, tag: unknown): string {
  return `MP|${md5(clientId).slice(0, 5)}|${phpString(tag)}`;
}

function notifyConfirm(call: CallContext): unknown {
  const params = upperKeys(call.params);
  const id = notifyIdParam(params);
  // empty(): "0" counts as empty.
  if (phpEmpty(params['NOTIFY_VALUE'])) throw new RestError('NOTIFY_VALUE_ERROR', 'Notification Value  can\'t be empty');
  const record = call.sim.store.findOwned(call.auth.userId, id);
  // Not found, not yours or not a confirm: 200 with result_message false, nothing deleted.
  if (!record || record.type !== 1) return { result_message: false };
  return { result_message: confirmNotification(call.sim, record, params['NOTIFY_VALUE'], 'rest') };
}

function notifyAnswer(call: CallContext): unknown {
  const params = upperKeys(call.params);
  const id = notifyIdParam(params);
  if (phpEmpty(params['ANSWER_TEXT'])) throw new RestError('ANSWER_TEXT_ERROR', "ANSWER_TEXT can't be empty");
  const text = phpTrim(phpString(params['ANSWER_TEXT']));
  if (text === '' || !call.sim.store.findOwned(call.auth.userId, id)) return { result_message: false };
  call.sim.answerLog.push({ id, text, at: call.sim.now() });
  return { result_message: [ANSWER_DONE_TEXT] };
}

function notifyRead(call: CallContext): unknown {
  const params = upperKeys(call.params);
  if (phpIsset(params['ID']) && phpInt(params['ID']) >= 0) {
    // ONLY_CURRENT=Y: this id only; otherwise this id and every newer one.
    const thisAndNewer = params['ONLY_CURRENT'] !== 'Y';
    const mark = isReadAction(params) ? markRead : markUnread;
    mark(call.sim.store, call.auth.userId, phpInt(params['ID']), thisAndNewer);
  }
  return true;
}

function notifyReadList(call: CallContext): unknown {
  const params = upperKeys(call.params);
  const ids = params['IDS'];
  if (!phpIsArray(ids)) throw new RestError('PARAMS_ERROR', 'No IDS param or it is not an array');
  const mark = isReadAction(params) ? markRead : markUnread;
  for (const value of phpValues(ids)) {
    const id = phpInt(value);
    if (id <= 0) break; // processing stops at the first id ≤ 0
    mark(call.sim.store, call.auth.userId, id, false);
  }
  return true;
}

function notifyReadAll(call: CallContext): unknown {
  const newCounter = readAll(call.sim.store, call.auth.userId);
  return call.sim.knobs.readAllLegacy ? true : { result: true, newCounter };
}

/** The ids CIMNotify::DeleteWithCheck looks at: one id, a list, or a one-element array read as $id[0]. */
function idsToDelete(idParam: unknown): number[] {
  if (!phpIsArray(idParam)) return [phpInt(idParam)];
  const values = phpValues(idParam);
  if (values.length === 1) return [phpInt(Array.isArray(idParam) ? idParam[0] : idParam['0'])];
  return values.map(phpInt);
}

/** True when anything of the caller's was deleted. */
function deleteOwned(call: CallContext, idParam: unknown): boolean {
  const owned = idsToDelete(idParam).filter((id) => call.sim.store.findOwned(call.auth.userId, id) !== undefined);
  for (const id of owned) deleteRecord(call.sim, id);
  return owned.length > 0;
}

function deleteWhere(call: CallContext, matches: (tag: string, subTag: string) => boolean): void {
  for (const record of call.sim.store.all()) {
    if (matches(record.tag, record.subTag)) deleteRecord(call.sim, record.id);
  }
}

function notifyDelete(call: CallContext): unknown {
  const params = upperKeys(call.params);
  if (phpIsset(params['ID'])) return deleteOwned(call, params['ID']);
  // Tag deletes need an application: the OAuth client id, or 'custom' + CLIENT_ID for webhooks.
  let clientId = call.auth.clientId;
  if (!clientId) {
    if (phpEmpty(params['CLIENT_ID'])) throw new RestError('ACCESS_DENIED', 'Access denied! Client ID not specified', 403);
    clientId = `custom${phpString(params['CLIENT_ID'])}`;
  }
  // Tag deletes reach every user's notifications.
  if (!phpEmpty(params['TAG'])) {
    const tag = appScopedTag(clientId, params['TAG']);
    deleteWhere(call, (recordTag) => recordTag === tag);
  } else if (!phpEmpty(params['SUB_TAG'])) {
    const subTag = appScopedTag(clientId, params['SUB_TAG']);
    deleteWhere(call, (_, recordSubTag) => recordSubTag === subTag);
  } else {
    throw new RestError('PARAMS_ERROR', 'Incorrect params');
  }
  return true;
}

/** im.notify / im.notify.personal.add / im.notify.system.add (§2.8). */
function notifyAdd(call: CallContext): unknown {
  const params = upperKeys(call.params);
  if (phpIsset(params['TO'])) params['USER_ID'] = params['TO'];
  const recipientId = phpInt(params['USER_ID']);
  if (recipientId <= 0) throw new RestError('USER_ID_EMPTY', "User ID can't be empty");
  const type =
    call.method === 'im.notify.personal.add'
      ? 'USER'
      : call.method === 'im.notify.system.add'
        ? 'SYSTEM'
        : params['TYPE'] === 'SYSTEM'
          ? 'SYSTEM'
          : 'USER';
  const message = typeof params['MESSAGE'] === 'string' ? phpTrim(params['MESSAGE']) : '';
  if (message === '') throw new RestError('MESSAGE_EMPTY', "Message can't be empty");

  const { clientId } = call.auth;
  const isSystem = type === 'SYSTEM';
  const attach = parseAttach(params['ATTACH'], call.sim.now());
  if (attach.kind === 'oversize') {
    throw new RestError('ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach');
  }
  if (attach.kind === 'invalid') throw new RestError('ATTACH_ERROR', 'Incorrect attach params');

  const record = call.sim.store.add({
    recipientId,
    authorId: isSystem ? 0 : call.auth.userId,
    type: isSystem ? 4 : 2,
    module: 'rest',
    event: 'rest_notify',
    // Tags are applied only with an application client id; webhook tags are dropped (§1.6).
    tag: clientId && !phpEmpty(params['TAG']) ? appScopedTag(clientId, params['TAG']) : '',
    subTag: clientId && !phpEmpty(params['SUB_TAG']) ? appScopedTag(clientId, params['SUB_TAG']) : '',
    title: null,
    // System notifications of an OAuth app start with the app name and a line break.
    message: isSystem && clientId ? `${SIM_APP_NAME}#BR#${message}` : message,
    buttons: null,
    params: attach.kind === 'ok' ? { ATTACH: [attach.attach] } : {},
  });
  return record ? record.id : false;
}

/** Bitrix\Im\Common::toJson: keys become lowerCamelCase. */
function camelCaseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCaseKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => {
      const camel = key.toLowerCase().replace(/_([a-z0-9])/g, (_, char: string) => char.toUpperCase());
      return [camel, camelCaseKeys(item)];
    }),
  );
}

/** im.counters.get (§2.11): LegacyCountersAdapter's shape; the simulator has no chats. */
function countersGet(call: CallContext): unknown {
  const notify = unreadCounter(call.sim.store, call.auth.userId);
  const messenger = 0;
  const emptyMap = phpMap({});
  const counters: Record<string, unknown> = {
    TYPE: {
      ALL: messenger + notify,
      NOTIFY: notify,
      CHAT: 0,
      LINES: 0,
      DIALOG: 0,
      COPILOT: 0,
      COLLAB: 0,
      MESSENGER: messenger,
      TASKS_TASK: 0,
    },
    CHAT: emptyMap,
    DIALOG: emptyMap,
    COLLAB: emptyMap,
    CHAT_MUTED: emptyMap,
    CHAT_UNREAD: [],
    DIALOG_UNREAD: [],
    COLLAB_UNREAD: [],
    COPILOT_UNREAD: [],
    TASKS_TASK_UNREAD: [],
    LINES: emptyMap,
    COPILOT: emptyMap,
    CHANNEL_COMMENT: emptyMap,
    TASKS_TASK: emptyMap,
  };
  // Case-sensitive and undocumented (§2.11).
  const result = phpEmpty(call.params['ONLY_COUNTER']) ? counters : counters['TYPE'];
  return call.params['JSON'] === 'Y' ? camelCaseKeys(result) : result;
}

export const IM_METHODS: Record<string, MethodDefinition> = {
  'im.notify.get': { scope: 'im', hidden: true, handler: notifyGet },
  'im.notify.history.search': { scope: 'im', hidden: true, handler: notifyHistorySearch },
  'im.notify.schema.get': { scope: 'im', hidden: true, handler: () => SCHEMA },
  'im.notify.confirm': { scope: 'im', handler: notifyConfirm },
  'im.notify.answer': { scope: 'im', handler: notifyAnswer },
  'im.notify.read': { scope: 'im', handler: notifyRead },
  'im.notify.read.list': { scope: 'im', handler: notifyReadList },
  'im.notify.read.all': { scope: 'im', handler: notifyReadAll },
  'im.notify.delete': { scope: 'im', handler: notifyDelete },
  'im.notify': { scope: 'im', handler: notifyAdd },
  'im.notify.personal.add': { scope: 'im', handler: notifyAdd },
  'im.notify.system.add': { scope: 'im', handler: notifyAdd },
  'im.counters.get': { scope: 'im', handler: countersGet },
};
