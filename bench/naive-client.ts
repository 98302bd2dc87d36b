/**
 * The naive client we compare against: what a straightforward tray client does. Every interval it
 * reads every page of im.notify.get (to find what is new), each answer is its own
 * im.notify.confirm request, and it keeps no bucket: it sends whenever it wants and never retries.
 */
import { Agent, request } from 'undici';
import type { Clock } from '../main/core/clock';

interface Row {
  id?: unknown;
  notify_type?: unknown;
}

export interface NaiveClientOptions {
  webhookUrl: string;
  clock: Clock;
  intervalMs: number;
}

export class NaiveClient {
  readonly #options: NaiveClientOptions;
  readonly #agent = new Agent();
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;
  readonly known = new Set<number>();
  /** Requests it sent, and how many the portal refused (503 and other errors). */
  requests = 0;
  refused = 0;
  /** New notifications it noticed (after its first full read). */
  detected = 0;

  constructor(options: NaiveClientOptions) {
    this.#options = options;
  }

  start(): void {
    this.#loop = this.#run();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
    await this.#agent.close();
  }

  /** One request per answer. */
  async confirm(id: number, value: string): Promise<void> {
    await this.#call('im.notify.confirm', { NOTIFY_ID: id, NOTIFY_VALUE: value });
  }

  async #run(): Promise<void> {
    let first = true;
    while (!this.#stop.signal.aborted) {
      const seen = await this.#readAllPages();
      for (const id of seen) {
        if (!this.known.has(id) && !first) this.detected += 1;
        this.known.add(id);
      }
      first = false;
      await this.#options.clock.sleep(this.#options.intervalMs, this.#stop.signal).catch(() => undefined);
    }
  }

  async #readAllPages(): Promise<number[]> {
    const ids: number[] = [];
    let cursor: Record<string, unknown> = {};
    for (;;) {
      const page = await this.#call('im.notify.get', { LIMIT: 50, ...cursor });
      const rows = ((page as { notifications?: unknown } | undefined)?.notifications ?? []) as Row[];
      if (!Array.isArray(rows) || rows.length === 0) return ids;
      for (const row of rows) if (typeof row.id === 'number') ids.push(row.id);
      const last = rows.at(-1)!;
      if (rows.length < 50) return ids;
      cursor = { LAST_ID: last.id, LAST_TYPE: last.notify_type === 1 ? 1 : 3 };
    }
  }

  async #call(method: string, params: Record<string, unknown>): Promise<unknown> {
    if (this.#stop.signal.aborted) return undefined;
    this.requests += 1;
    try {
      const response = await request(`${this.#options.webhookUrl}${method}`, {
        method: 'POST',
        dispatcher: this.#agent,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
      const body = (await response.body.json()) as { result?: unknown };
      if (response.statusCode !== 200) this.refused += 1;
      return body.result;
    } catch {
      this.refused += 1;
      return undefined;
    }
  }
}
