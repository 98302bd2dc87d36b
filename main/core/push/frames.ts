/**
 * Text frames from the Push & Pull server, and what each message means to us.
 * Two text forms exist (real-portal-notes.md §4; DOCS custom-push-and-pull-client.md; pull client
 * `pull/install/js/pull/client/pull.client.js`): a bare JSON array of messages where the server
 * honours `format=json`, or one or more `#!NGINXNMS!#<json>#!NGINXNME!#` chunks. Anything else,
 * and anything over the size cap, is dropped without reading further; the socket stays open.
 */
export const MAX_FRAME_BYTES = 256 * 1024;

export interface PushMessage {
  mid: string | undefined;
  moduleId: string;
  command: string;
  params: Record<string, unknown>;
}

export type FrameResult =
  | { kind: 'messages'; messages: PushMessage[] }
  | { kind: 'dropped'; reason: 'oversized' | 'malformed' };

const NGINX_CHUNK = /#!NGINXNMS!#([\s\S]*?)#!NGINXNME!#/g;

function record(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function toMessage(raw: unknown): PushMessage | undefined {
  const envelope = record(raw);
  if (!envelope) return undefined;
  // Older servers send `text` as a JSON string inside the envelope.
  let body: unknown = envelope['text'];
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  const inner = record(body);
  const moduleId = inner?.['module_id'];
  const command = inner?.['command'];
  if (typeof moduleId !== 'string' || typeof command !== 'string') return undefined;
  const mid = envelope['mid'] ?? envelope['id'];
  return {
    mid: typeof mid === 'string' || typeof mid === 'number' ? String(mid) : undefined,
    moduleId,
    command,
    params: record(inner?.['params']) ?? {},
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function parseFrame(frame: string, maxBytes = MAX_FRAME_BYTES): FrameResult {
  // String length is a lower bound of the UTF-8 size; measure bytes only when it could matter.
  if (frame.length > maxBytes || (frame.length * 3 > maxBytes && Buffer.byteLength(frame, 'utf8') > maxBytes)) {
    return { kind: 'dropped', reason: 'oversized' };
  }
  const trimmed = frame.trim();
  let items: unknown[] | undefined;
  if (trimmed.startsWith('#!NGINXNMS!#')) {
    items = [...trimmed.matchAll(NGINX_CHUNK)].map((match) => parseJson(match[1] ?? ''));
    if (items.length === 0) items = undefined;
  } else if (trimmed.startsWith('[')) {
    const parsed = parseJson(trimmed);
    items = Array.isArray(parsed) ? parsed : undefined;
  }
  if (!items) return { kind: 'dropped', reason: 'malformed' };
  const messages = items.map(toMessage).filter((m): m is PushMessage => m !== undefined);
  return { kind: 'messages', messages };
}

export type MessageMeaning =
  /** An im notification changed: ask the engine to sync. */
  | 'notify'
  /** Our private channel expired: fetch the config again. */
  | 'channel-expire'
  /** `config_expire` / `server_restart`: wait a random 10–120 s, then fetch the config again. */
  | 'config-expire'
  | 'server-restart'
  /** Everything else on the user's stream (chat, statuses, other modules): dropped unread. */
  | 'ignored';

/** Commands from MOD im/classes/general/im_notify.php and im/lib/V2/Pull/EventType.php (§4). */
const NOTIFY_COMMANDS = new Set([
  'notifyadd',
  'notifyconfirm',
  'notifyread',
  'notifyunread',
  'notifyreadall',
  'notifydelete',
  'notifydeleteall',
]);

export function meaningOf(message: PushMessage): MessageMeaning {
  const moduleId = message.moduleId.toLowerCase();
  const command = message.command.toLowerCase();
  if (moduleId === 'im') return NOTIFY_COMMANDS.has(command) ? 'notify' : 'ignored';
  if (moduleId === 'pull') {
    if (command === 'channel_expire') return 'channel-expire';
    if (command === 'config_expire') return 'config-expire';
    if (command === 'server_restart') return 'server-restart';
  }
  return 'ignored';
}
