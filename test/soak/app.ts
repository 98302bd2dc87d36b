/**
 * The app's core as the shell wires it (client → engine → hub → popup presenter → notifier), one
 * "process lifetime" at a time. A lifetime ends with a graceful stop (quit) or a crash: after a
 * crash nothing of it runs on, writes to disk or reaches the portal, as when the process is killed.
 * A new lifetime opens the same settings file, so the outbox and high-water mark carry over.
 */
import Conf from 'conf';
import type { Agent } from 'undici';
import { NotificationHub } from '../../main/core/app/hub';
import type { Clock } from '../../main/core/clock';
import { AccountEngine } from '../../main/core/engine/account-engine';
import { PopupPresenter } from '../../main/core/notifier/popup-presenter';
import { PortalClient, type OAuthTokens } from '../../main/core/portal';
import { DEFAULT_HTTP_LIMITS, createAgent, type HttpLimits } from '../../main/core/portal/http';
import { Storage, type KeyValueBackend, type StorageProblem } from '../../main/core/storage/storage';
import { FakeNotifier } from '../harness/fake-notifier';

/** What the app keeps about the portal between lifetimes (the account store and secret storage). */
export interface AccountRecord {
  origin: string;
  clientId: string;
  clientSecret: string;
  tokenUrl: string;
  tokens: OAuthTokens;
}

export const ACCOUNT_ID = 'soak';

/** A clock for one lifetime: after `kill` its sleeps never end, like timers of a dead process. */
class LifetimeClock implements Clock {
  #dead = false;
  readonly #pending = new Set<AbortController>();

  constructor(private readonly base: Clock) {}

  now(): number {
    return this.base.now();
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    if (this.#dead) return new Promise(() => undefined);
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const own = new AbortController();
    const forward = (): void => own.abort(signal?.reason);
    signal?.addEventListener('abort', forward, { once: true });
    this.#pending.add(own);
    return new Promise((resolve, reject) => {
      const settle = (finish: () => void): void => {
        this.#pending.delete(own);
        signal?.removeEventListener('abort', forward);
        if (!this.#dead) finish();
      };
      this.base.sleep(delayMs, own.signal).then(
        () => settle(resolve),
        (error: unknown) => settle(() => reject(error as Error)),
      );
    });
  }

  kill(): void {
    this.#dead = true;
    for (const controller of this.#pending) controller.abort();
    this.#pending.clear();
  }
}

/** The settings file as one lifetime sees it; a crashed lifetime can no longer write. */
class LifetimeBackend implements KeyValueBackend {
  frozen = false;

  constructor(private readonly inner: KeyValueBackend) {}

  get(key: string): unknown {
    return this.inner.get(key);
  }

  has(key: string): boolean {
    return this.inner.has(key);
  }

  set(key: string, value: unknown): void {
    if (this.frozen) throw new Error('the process is gone');
    this.inner.set(key, value);
  }

  delete(key: string): void {
    if (this.frozen) throw new Error('the process is gone');
    this.inner.delete(key);
  }
}

export interface LifetimeOptions {
  generation: number;
  clock: Clock;
  account: AccountRecord;
  /** Directory of the settings file shared by all lifetimes. */
  storageDir: string;
  http: Partial<HttpLimits>;
  random: () => number;
  problems: StorageProblem[];
}

export class AppLifetime {
  readonly generation: number;
  readonly hub: NotificationHub;
  readonly engine: AccountEngine;
  readonly client: PortalClient;
  readonly notifier = new FakeNotifier({ buttons: true, reply: false });
  readonly presenter: PopupPresenter;
  readonly storage: Storage;
  /** Listener errors (a throwing listener is a bug in the scenario or the app). */
  readonly errors: unknown[] = [];
  /** Clicks the hub accepted in this lifetime whose promise has not settled yet (scenario.ts). */
  unsettledClicks = 0;
  #dead = false;
  readonly #clock: LifetimeClock;
  readonly #backend: LifetimeBackend;
  readonly #agent: Agent;

  constructor(options: LifetimeOptions) {
    this.generation = options.generation;
    this.#clock = new LifetimeClock(options.clock);
    const report = (problem: StorageProblem): void => void options.problems.push(problem);
    this.#backend = new LifetimeBackend(
      new Conf({ cwd: options.storageDir, configName: 'settings', accessPropertiesByDotNotation: false, clearInvalidConfig: false }),
    );
    this.storage = new Storage(this.#backend, report);
    const limits: HttpLimits = { ...DEFAULT_HTTP_LIMITS, ...options.http };
    // Our own pool, so a crash can tear down whatever is in flight.
    this.#agent = createAgent(limits);
    const account = options.account;
    this.client = new PortalClient({
      credentials: {
        kind: 'oauth',
        origin: account.origin,
        clientId: account.clientId,
        clientSecret: account.clientSecret,
        tokenUrl: account.tokenUrl,
        tokens: { ...account.tokens },
        // The app stores the rotated pair at once; a dead process stores nothing.
        onTokens: (tokens) => {
          if (!this.#dead) account.tokens = { ...tokens };
        },
      },
      clock: this.#clock,
      dispatcher: this.#agent,
      http: limits,
      random: options.random,
      onDomainChange: (origin) => {
        if (!this.#dead) account.origin = origin;
      },
    });
    const onListenerError = (error: unknown): void => void this.errors.push(error);
    this.engine = new AccountEngine({ accountId: ACCOUNT_ID, client: this.client, storage: this.storage, clock: this.#clock, onListenerError });
    this.hub = new NotificationHub(onListenerError);
    this.presenter = new PopupPresenter({
      hub: this.hub,
      notifier: this.notifier,
      clock: this.#clock,
      settings: () => ({ doNotDisturb: { mode: 'off' }, sound: false }),
      openWindow: () => undefined,
    });
    this.hub.add('Soak portal', this.engine);
  }

  get dead(): boolean {
    return this.#dead;
  }

  start(): void {
    this.engine.start();
  }

  /** The user quits: the engine stops, abandoning a request in flight (the outbox keeps it). */
  async stop(): Promise<void> {
    if (this.#dead) return;
    this.presenter.dispose();
    await this.hub.stopAll();
    this.#dead = true;
    this.#clock.kill();
    await this.client.close();
    await this.#agent.close();
  }

  /** The process is killed: no more timers, disk writes or requests; what was in flight is cut. */
  crash(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#clock.kill();
    this.#backend.frozen = true;
    this.presenter.dispose();
    void this.#agent.destroy().catch(() => undefined);
  }
}
