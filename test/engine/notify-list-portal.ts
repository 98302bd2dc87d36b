/**
 * A portal's `im.notify.get` list in memory, for the page reader's tests: the cursor rules of
 * bitrix24-notify-api §2.1 (the simulator's notify-list.ts follows the same server code), plus the
 * faults a real portal or proxy can produce: a refused request, items the app cannot understand,
 * and a portal that ignores LAST_ID (page-reader.ts guards against it).
 */
import type { PortalClient } from '../../main/core/portal/client';
import { PortalError } from '../../main/core/portal/errors';

const LIMIT = 50;
const CONFIRM_SECTION = 1;
const SIMPLE_SECTION = 3;

export interface ListSpec {
  /** Ids of open confirms (notify_type 1). */
  confirms?: number[];
  /** Ids of other notifications (system, notify_type 4). */
  regular?: number[];
  /** Ids (of either kind) whose payload the app cannot understand: they still take a place on the page. */
  unreadable?: number[];
  /** Serves the first page whatever LAST_ID and LAST_TYPE say. */
  ignoresCursor?: boolean;
}

/** One further request as the reader sent it. */
export interface PageRequest {
  lastId: unknown;
  lastType: unknown;
}

/** Inclusive id range, newest first. */
export function ids(from: number, to: number): number[] {
  const list: number[] = [];
  for (let id = Math.max(from, to); id >= Math.min(from, to); id -= 1) list.push(id);
  return list;
}

export class NotifyListPortal {
  readonly confirms: number[];
  readonly regular: number[];
  readonly requests: PageRequest[] = [];
  readonly #unreadable: Set<number>;
  readonly #ignoresCursor: boolean;
  /** Request number (1-based, further pages only) → what the client throws instead of answering. */
  readonly #refusals = new Map<number, unknown>();
  #beforeAnswer: (() => void) | undefined;

  constructor(spec: ListSpec) {
    this.confirms = [...(spec.confirms ?? [])].sort((a, b) => b - a);
    this.regular = [...(spec.regular ?? [])].sort((a, b) => b - a);
    this.#unreadable = new Set(spec.unreadable ?? []);
    this.#ignoresCursor = spec.ignoresCursor ?? false;
  }

  /** The request numbered `n` (the first further page is 1) fails with `error`. */
  refuse(n: number, error: unknown = rateLimited()): this {
    this.#refusals.set(n, error);
    return this;
  }

  /** Runs just before each further request is answered (e.g. the account stops meanwhile). */
  beforeAnswer(hook: () => void): this {
    this.#beforeAnswer = hook;
    return this;
  }

  /** What the sync's own first request (no cursor) returned. */
  firstPage(): unknown {
    return this.#page({ LIMIT });
  }

  readonly client = {
    call: async (method: string, params: Record<string, unknown>): Promise<{ result: unknown; time: undefined }> => {
      await Promise.resolve();
      if (method !== 'im.notify.get') throw new Error(`unexpected method ${method}`);
      this.requests.push({ lastId: params['LAST_ID'], lastType: params['LAST_TYPE'] });
      this.#beforeAnswer?.();
      const refusal = this.#refusals.get(this.requests.length);
      if (refusal !== undefined) throw refusal;
      return { result: this.#page(params), time: undefined };
    },
  } as unknown as PortalClient;

  #page(params: Record<string, unknown>): unknown {
    const lastId = this.#ignoresCursor ? undefined : (params['LAST_ID'] as number | undefined);
    const lastType = this.#ignoresCursor ? undefined : (params['LAST_TYPE'] as number | undefined);
    const limit = Math.min(Number(params['LIMIT'] ?? LIMIT), LIMIT);
    const firstPage = lastId === undefined;
    const confirms = firstPage || lastType === CONFIRM_SECTION ? this.confirms.filter((id) => firstPage || id < lastId).slice(0, limit) : [];
    const needSimple = ((firstPage || lastType === CONFIRM_SECTION) && confirms.length < limit) || lastType === SIMPLE_SECTION;
    // A short confirm page is topped up from the newest regular item, with no id filter (§2.1).
    const simple = needSimple ? this.regular.filter((id) => lastType !== SIMPLE_SECTION || id < lastId!).slice(0, limit - confirms.length) : [];
    return {
      total_count: this.confirms.length + this.regular.length,
      total_unread_count: Math.min(100, this.confirms.length + this.regular.length),
      notifications: [...confirms.map((id) => this.#wire(id, 1)), ...simple.map((id) => this.#wire(id, 4))],
      users: [],
    };
  }

  #wire(id: number, type: 1 | 4): Record<string, unknown> {
    // An id the model cannot read makes the whole item unreadable (model.ts skips and counts it).
    if (this.#unreadable.has(id)) return { id: `#${id}`, notify_type: type };
    return {
      id,
      author_id: 0,
      date: '2024-05-01T10:00:00+00:00',
      notify_type: type,
      notify_module: type === 1 ? 'socialnetwork' : 'tasks',
      notify_event: type === 1 ? 'invite_group' : 'comment',
      notify_tag: '',
      notify_read: 'N',
      text: `Notification ${id}`,
    };
  }
}

export function rateLimited(retryAt = 1_700_000_060_000): PortalError {
  return new PortalError({ kind: 'rate-limited', code: 'QUERY_LIMIT_EXCEEDED', status: 503, delivery: 'not-processed', retryAt });
}
