/**
 * One portal's Push & Pull connection: fetch the config, hold one socket, turn notify events into
 * debounced sync hints, and survive every lifecycle event the server sends (real-portal-notes.md
 * §4). It never shows anything itself: the engine syncs and shows what im.notify.get returns.
 * At most one socket per portal: every socket belongs to a generation, and callbacks of an older
 * generation are ignored.
 */
import type { Clock } from '../clock';
import { reconnectDelayMs, restartDelayMs } from './backoff';
import { configSecrets, connectionUrl, fetchPushConfig, type PushConfig, type PushConfigSource } from './config';
import { MAX_FRAME_BYTES, meaningOf, parseFrame } from './frames';
import type { LongPollFactory } from './long-poll';
import { NamedTimers } from './named-timers';
import { SyncDebouncer } from './sync-debouncer';

/** What push needs from the engine: a sync hint and the choice of poll interval. */
export interface SyncHinter {
  requestSync(reason: string): void;
  /** true: the channel is healthy, poll only as a safety net; false: poll at the normal interval. */
  setPushHealthy(healthy: boolean): void;
}

export interface SocketHandlers {
  onOpen(): void;
  onMessage(text: string): void;
  onClose(code: number): void;
}

export interface PushSocket {
  close(code?: number): void;
}

export type SocketFactory = (url: string, handlers: SocketHandlers) => PushSocket;

/** What the portal's card shows. */
export type PushState =
  | 'off'
  | 'connecting'
  | 'on'
  /** The socket kept failing: the same channel over long polling (as real-time as the socket). */
  | 'long-polling'
  | 'reconnecting'
  | 'waiting-for-server'
  | 'polling-fallback'
  | 'no-permission'
  | 'not-offered';

export interface PushChannelOptions {
  portalOrigin: string;
  source: PushConfigSource;
  openSocket: SocketFactory;
  /** Where the config names a long-polling address: used after `maxFailures` socket failures. */
  openLongPoll?: LongPollFactory;
  hinter: SyncHinter;
  clock: Clock;
  random?: () => number;
  log?: (line: string) => void;
  onState?: (state: PushState) => void;
  /** Registers channel ids and clientId with the portal's redactor. */
  addSecrets?: (...secrets: string[]) => void;
  debounceMs?: number;
  /** No frame for this long: the socket is presumed dead and reopened (v4 has no app ping, §4). */
  staleAfterMs?: number;
  /** Fetch the config again this long before it or a channel expires. */
  refreshMarginMs?: number;
  /** Socket failures in a row before long polling (or, without it, plain polling for `fallbackRetryMs`). */
  maxFailures?: number;
  /** Long-polling failures in a row before plain polling for `fallbackRetryMs`. */
  maxLongPollFailures?: number;
  fallbackRetryMs?: number;
  /** How often to ask again when the portal does not offer push or the permission is missing. */
  recheckUnavailableMs?: number;
  maxFrameBytes?: number;
  /** A socket that has not opened by then counts as a failure (slow accept, black-holed proxy). */
  connectTimeoutMs?: number;
  /** How long a socket must stay open before the failure count starts again from zero. */
  settleAfterMs?: number;
  /** Messages per second beyond which a frame is dropped (one sync hint stands in for it). */
  maxMessagesPerSecond?: number;
}

const CLIENT_CLOSE = 4000;
const WRONG_CHANNEL = 4010;

export class PushChannel {
  readonly #o: Required<Omit<PushChannelOptions, 'log' | 'onState' | 'addSecrets' | 'openLongPoll'>> & PushChannelOptions;
  readonly #debouncer: SyncDebouncer;
  readonly #timers: NamedTimers;
  #transport: 'socket' | 'long-poll' = 'socket';
  #generation = 0;
  #socket: PushSocket | undefined;
  #config: PushConfig | undefined;
  #lastMid: string | undefined;
  #failures = 0;
  #state: PushState = 'off';
  #running = false;
  #windowStartMs = 0;
  #windowCount = 0;

  constructor(options: PushChannelOptions) {
    this.#o = {
      random: Math.random,
      debounceMs: 150,
      staleAfterMs: 10 * 60_000,
      refreshMarginMs: 5 * 60_000,
      maxFailures: 5,
      maxLongPollFailures: 3,
      fallbackRetryMs: 10 * 60_000,
      recheckUnavailableMs: 60 * 60_000,
      maxFrameBytes: MAX_FRAME_BYTES,
      connectTimeoutMs: 15_000,
      settleAfterMs: 30_000,
      maxMessagesPerSecond: 200,
      ...options,
    };
    this.#timers = new NamedTimers(options.clock);
    this.#debouncer = new SyncDebouncer(options.clock, this.#o.debounceMs, (reason) => options.hinter.requestSync(reason));
  }

  get state(): PushState {
    return this.#state;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    void this.#fetchAndConnect('start');
  }

  stop(): void {
    this.#running = false;
    this.#dropSocket();
    this.#timers.clearAll();
    this.#debouncer.cancel();
    this.#setState('off', 'stopped');
  }

  /** Resume from suspend, back online, proxy changed: the old socket cannot be trusted. */
  reconnect(reason: string): void {
    if (!this.#running) return;
    this.#failures = 0;
    this.#transport = 'socket';
    for (const name of ['retry', 'restart', 'recheck']) this.#timers.clear(name);
    if (this.#configValid()) this.#open(reason);
    else void this.#fetchAndConnect(reason);
  }

  #configValid(): boolean {
    const expires = this.#config?.expiresAtMs;
    return this.#config !== undefined && (expires === undefined || this.#o.clock.now() < expires - this.#o.refreshMarginMs);
  }

  async #fetchAndConnect(reason: string): Promise<void> {
    this.#dropSocket();
    const generation = this.#generation;
    this.#setState('connecting', reason);
    const availability = await fetchPushConfig(this.#o.source, this.#o.portalOrigin);
    if (!this.#running || generation !== this.#generation) return;
    switch (availability.status) {
      case 'on': {
        this.#config = availability.config;
        this.#o.addSecrets?.(...configSecrets(availability.config));
        this.#lastMid = undefined;
        this.#scheduleRefresh();
        this.#open(reason);
        return;
      }
      case 'no-permission':
      case 'not-offered':
        this.#config = undefined;
        this.#setState(availability.status, availability.status === 'not-offered' ? availability.reason : 'pull_channel permission missing');
        this.#after('recheck', this.#o.recheckUnavailableMs, () => void this.#fetchAndConnect('recheck'));
        return;
      case 'failed':
        this.#fail(`config: ${availability.error.message}`);
    }
  }

  #scheduleRefresh(): void {
    const expires = this.#config?.expiresAtMs;
    if (expires === undefined) return;
    const dueInMs = Math.max(0, expires - this.#o.refreshMarginMs - this.#o.clock.now());
    this.#after('refresh', dueInMs, () => void this.#fetchAndConnect('config refresh before expiry'));
  }

  /** `silentHandOver`: the old socket was silent, so a new one misses nothing worth a sync. */
  #open(reason: string, silentHandOver = false): void {
    const config = this.#config;
    if (!config) return;
    this.#dropSocket();
    const generation = this.#generation;
    const resuming = this.#lastMid !== undefined || silentHandOver;
    this.#setState(this.#failures > 0 ? 'reconnecting' : 'connecting', reason);
    const current = (): boolean => this.#running && generation === this.#generation;
    this.#after('stale', this.#o.connectTimeoutMs, () => this.#fail('push server did not answer'));
    const longPoll = this.#transport === 'long-poll' && config.longPollingUrl !== undefined && this.#o.openLongPoll !== undefined;
    const handlers: SocketHandlers = {
      onOpen: () => {
        if (!current()) return;
        // A socket that opens and drops at once must not reset the backoff: only one that lasts.
        this.#after('settle', this.#o.settleAfterMs, () => (this.#failures = 0));
        this.#armStale();
        this.#setState(longPoll ? 'long-polling' : 'on', resuming ? 'resumed from last message' : 'connected');
        // Without `mid` the server cannot replay what we missed: one sync covers the gap.
        if (!resuming) this.#debouncer.request('push connected');
      },
      onMessage: (text) => {
        if (current()) this.#onFrame(text);
      },
      onClose: (code) => {
        if (!current()) return;
        this.#socket = undefined;
        if (longPoll) {
          this.#fail(`long polling failed (${code})`);
          return;
        }
        if (code === WRONG_CHANNEL) {
          this.#failures += 1;
          if (this.#failures >= this.#o.maxFailures) this.#fail('wrong channel (4010), repeatedly');
          else void this.#fetchAndConnect('wrong channel (4010)');
          return;
        }
        this.#fail(`socket closed (${code})`);
      },
    };
    if (!longPoll) {
      this.#socket = this.#o.openSocket(connectionUrl(config, this.#lastMid), handlers);
      return;
    }
    this.#socket = this.#o.openLongPoll!(() => connectionUrl(config, this.#lastMid, config.longPollingUrl), {
      ...handlers,
      onIdle: (lastMessageId) => {
        if (!current()) return;
        this.#armStale();
        this.#trackMid(lastMessageId);
      },
    });
  }

  #onFrame(text: string): void {
    this.#armStale();
    const now = this.#o.clock.now();
    if (now - this.#windowStartMs >= 1_000) {
      this.#windowStartMs = now;
      this.#windowCount = 0;
    }
    const frame = parseFrame(text, this.#o.maxFrameBytes);
    if (frame.kind === 'dropped') {
      // An oversized frame may have carried a notification: a sync covers it. Garbage does not.
      if (frame.reason === 'oversized') this.#debouncer.request('push frame too large');
      return;
    }
    this.#windowCount += frame.messages.length;
    if (this.#windowCount > this.#o.maxMessagesPerSecond) {
      this.#debouncer.request('push message storm');
      this.#trackMid(frame.messages.at(-1)?.mid);
      return;
    }
    for (const message of frame.messages) {
      this.#trackMid(message.mid);
      const meaning = meaningOf(message);
      if (meaning === 'notify') this.#debouncer.request('push notify event');
      else if (meaning === 'channel-expire') {
        void this.#fetchAndConnect('channel expired');
        return;
      }
      else if (meaning === 'config-expire' || meaning === 'server-restart') {
        this.#dropSocket();
        this.#setState('waiting-for-server', meaning === 'server-restart' ? 'server restart' : 'config expired');
        this.#config = undefined;
        this.#after('restart', restartDelayMs(this.#o.random), () => void this.#fetchAndConnect(meaning));
        return;
      }
      // 'ignored': the user's other real-time traffic, dropped unread and never logged.
    }
  }

  #trackMid(mid: string | undefined): void {
    if (mid) this.#lastMid = mid;
  }

  #armStale(): void {
    this.#after('stale', this.#o.staleAfterMs, () => {
      // Silent but open: reopen with `mid` (no REST request; the server replays what we missed).
      this.#open('no frame for a while', true);
    });
  }

  #fail(reason: string): void {
    this.#dropSocket();
    this.#failures += 1;
    const longPolling = this.#transport === 'long-poll';
    if (!longPolling && this.#failures >= this.#o.maxFailures && this.#config?.longPollingUrl && this.#o.openLongPoll) {
      this.#failures = 0;
      this.#transport = 'long-poll';
      this.#open(`${reason}; the socket failed ${this.#o.maxFailures} times in a row: long polling instead`);
      return;
    }
    if (this.#failures >= (longPolling ? this.#o.maxLongPollFailures : this.#o.maxFailures)) {
      this.#failures = 0;
      // Plain polling for a while; then the socket gets another chance.
      this.#transport = 'socket';
      this.#setState('polling-fallback', reason);
      this.#after('retry', this.#o.fallbackRetryMs, () => void this.#fetchAndConnect('retry after fallback'));
      return;
    }
    this.#setState('reconnecting', reason);
    this.#after('retry', reconnectDelayMs(this.#failures, this.#o.random), () => {
      if (this.#configValid()) this.#open('retry');
      else void this.#fetchAndConnect('retry');
    });
  }

  /** Closes the socket; its late callbacks belong to an old generation and are ignored. */
  #dropSocket(): void {
    this.#generation += 1;
    this.#timers.clear('stale');
    this.#timers.clear('settle');
    const socket = this.#socket;
    this.#socket = undefined;
    socket?.close(CLIENT_CLOSE);
  }

  #after(name: string, delayMs: number, run: () => void): void {
    this.#timers.set(name, delayMs, run, () => this.#running);
  }


  #setState(state: PushState, detail: string): void {
    const changed = state !== this.#state;
    this.#state = state;
    this.#o.log?.(`push: ${state} (${detail})`);
    if (changed) {
      this.#o.hinter.setPushHealthy(state === 'on' || state === 'long-polling');
      this.#o.onState?.(state);
    }
  }
}
