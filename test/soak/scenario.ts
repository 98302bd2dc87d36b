/**
 * The fault and soak scenario: the real core (PortalClient over loopback HTTP, AccountEngine,
 * NotificationHub, PopupPresenter with a recording notifier) against the portal simulator, with
 * a user clicking popup buttons and window buttons while the portal misbehaves in every way the
 * issue lists, the app is killed or quit mid-flush, and the portal's data keeps changing.
 *
 * Time is virtual (test/harness/virtual-time.ts): backoffs, operating-limit holds, token lifetimes
 * and hours of polling pass as soon as nothing is in flight, while every request is real HTTP.
 * Only two waits are real: the client's request timeout and the simulator's held responses.
 *
 * At the end the simulator's logs are the judge: each click confirmed exactly once with its value,
 * nothing confirmed that nobody clicked, each notification announced exactly once, the inbox equal
 * to the portal, the portal's bucket never overflowed, and polling back on its steady rhythm.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { accountKey } from '../../main/core/accounts/keys';
import { UnknownAccountError } from '../../main/core/app/hub';
import type { ActionOutcome } from '../../main/core/engine/account-engine';
import { ActionRefused, RESULT_VISIBLE_MS } from '../../main/core/engine/account-engine';
import { OutboxEntrySchema } from '../../main/core/engine/outbox';
import type { AccountState } from '../../main/core/engine/state';
import type { StorageProblem } from '../../main/core/storage/storage';
import { startPortalSim, type ConfirmLogEntry, type Fault, type PortalSim, type RequestLogEntry, type StoredNotification } from '../portal-sim';
import { pollUntil } from '../harness/processes';
import { VirtualClock, driveVirtualTime, type TimeDriver } from '../harness/virtual-time';
import { ACCOUNT_ID, AppLifetime, type AccountRecord } from './app';
import { startForwarder, type Forwarder } from './forwarder';
import { Random } from './random';

export interface ScenarioOptions {
  seed?: number;
  /** Real minutes to keep starting new rounds; 0 plays one round (the short version). */
  minutes?: number;
  /** Random user and portal actions between two fault episodes. */
  backgroundSteps?: number;
  /** Also inject random faults during the background traffic. */
  backgroundFaults?: boolean;
  /** The client's whole-request timeout (real ms); slow responses are held past it. */
  requestTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface Invariant {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ScenarioReport {
  seed: number;
  rounds: number;
  realMs: number;
  virtualMs: number;
  counts: [label: string, value: number | string][];
  /** Faults the simulator applied, by kind. */
  faults: Record<string, number>;
  episodes: Record<string, number>;
  invariants: Invariant[];
  ok: boolean;
}

/** One fault of each kind the issue names, applied to the exchange that carries a click. */
const EPISODES = [
  'dropped connections',
  '5xx responses',
  'HTML bodies',
  'malformed JSON',
  '503 QUERY_LIMIT_EXCEEDED storm',
  '429 operating-limit block',
  'slow responses past the timeout',
  'token expiry mid-confirm',
  'invalid_grant, then sign in again',
  '302 domain change',
  'kill mid-flush, the portal acts late',
  'quit mid-flush, the reply is lost',
  'kill mid-flush, the request is lost',
  'answered elsewhere while queued',
  'rapid clicks through the window',
] as const;
type EpisodeName = (typeof EPISODES)[number];

/** Open confirms the portal keeps at most (confirms come first on page 1: all of them fit). */
const CONFIRM_CAP = 30;
/** Notifications created but not yet announced, at most: one poll catches up four pages. */
const UNANNOUNCED_CAP = 140;
/** The portal's retention (its 60-day agent) keeps the newest regular notifications only. */
const RETAINED_REGULAR = 3_000;
/** How long any one wait may take in virtual time before the scenario counts as stuck. */
const STUCK_AFTER_MS = 6 * 3600_000;
const OUTBOX_SCHEMA = v.array(OutboxEntrySchema);
const SENTENCES = [
  'Please review the [URL=https://example.com/q3]Q3 report[/URL] before Friday.',
  'The build for the landing page is ready for testing.',
  'Budget approved, the purchase order goes out tomorrow.',
  'Support ticket [B]#4821[/B] was escalated to the second line.',
  'Can we move the review to next week?',
];

class ScenarioStuck extends Error {
  override readonly name = 'ScenarioStuck';
}

interface ClickRecord {
  /** Value of the action the engine holds (the first accepted click; joins keep it). */
  expected: string | undefined;
  accepted: number;
}

function onPush<T>(array: T[], listener: (item: T) => void): void {
  const push = array.push.bind(array);
  array.push = (...items: T[]): number => {
    const length = push(...items);
    for (const item of items) listener(item);
    return length;
  };
}

function confirmIdsIn(entry: RequestLogEntry): number[] {
  const commands = entry.restMethod === 'batch' ? (entry.batchCommands ?? []) : [];
  const ids = commands
    .filter((command) => command.toLowerCase().startsWith('im.notify.confirm?'))
    .map((command) => Number(new URLSearchParams(command.slice(command.indexOf('?') + 1)).get('NOTIFY_ID')));
  if (entry.restMethod === 'im.notify.confirm') ids.push(Number(entry.params['NOTIFY_ID'] ?? entry.params['ID']));
  return ids;
}

/** Whether the portal's handlers ran for this request (a fault may have answered instead). */
function reachedHandlers(entry: RequestLogEntry): boolean {
  if (entry.fault === 'lose-response') return true;
  if (entry.fault !== undefined && entry.fault !== 'delay' && entry.fault !== 'expire-token') return false;
  return entry.status === 200;
}

export async function runScenario(options: ScenarioOptions = {}): Promise<ScenarioReport> {
  const seed = options.seed ?? 20_260_303;
  const rng = new Random(seed);
  const log = options.log ?? (() => undefined);
  const requestTimeoutMs = options.requestTimeoutMs ?? 1_500;
  const slowMs = requestTimeoutMs + 1_000;
  const backgroundSteps = options.backgroundSteps ?? 4;
  const budgetMs = (options.minutes ?? 0) * 60_000;
  const realStart = performance.now();

  const clock = new VirtualClock();
  const virtualStart = clock.now();
  const driver: TimeDriver = driveVirtualTime(clock);
  const sim: PortalSim = await startPortalSim({ restApAuthAllowHttp: true, now: () => clock.now() });
  const forwarder: Forwarder = await startForwarder(new URL(sim.origin));
  const storageDir = mkdtempSync(join(tmpdir(), 'b24-soak-'));
  const problems: StorageProblem[] = [];
  const firstTokens = sim.issueTokens();
  const account: AccountRecord = {
    origin: sim.origin,
    clientId: 'local.sim.app',
    clientSecret: 'sim-secret',
    tokenUrl: sim.tokenUrl,
    tokens: { accessToken: firstTokens.accessToken, refreshToken: firstTokens.refreshToken },
  };

  // ---- what the simulator saw, as it happened
  const arrivalListeners = new Set<(entry: RequestLogEntry) => void>();
  const confirmListeners = new Set<(entry: ConfirmLogEntry) => void>();
  // The simulator logs a request before it routes it; a microtask later the entry names its method
  // and commands, and an injected fault has taken the request, but no handler has run yet.
  onPush(sim.requestLog, (entry) =>
    queueMicrotask(() => {
      arrivalListeners.forEach((listener) => listener(entry));
      runChecks();
    }),
  );
  onPush(sim.confirmLog, (entry) => {
    openConfirms.delete(entry.id);
    confirmListeners.forEach((listener) => listener(entry));
    queueMicrotask(runChecks);
  });

  // ---- the ledger
  const preexisting = new Set<number>();
  const created = new Map<number, 'confirm' | 'personal' | 'system'>();
  const unannounced = new Set<number>();
  const announced = new Map<number, number>();
  const openConfirms = new Set<number>();
  const regularIds: number[] = [];
  const clicks = new Map<number, ClickRecord>();
  const pendingClicks = new Set<number>();
  const outcomes = new Map<number, ActionOutcome>();
  const browserAnswered = new Set<number>();
  const episodeChecks: Invariant[] = [];
  const episodes: Record<string, number> = {};
  const counts = {
    osClicks: 0,
    windowClicks: 0,
    acceptedClicks: 0,
    refusedClicks: 0,
    polls: 0,
    failedPolls: 0,
    lifetimes: 0,
    quits: 0,
    crashes: 0,
    signIns: 0,
    askedSignIns: 0,
    domainChanges: 0,
    markRead: 0,
    dismissed: 0,
    retentionDeleted: 0,
    listenerErrors: 0,
  };

  // ---- waiting on the scenario's own conditions, in virtual time
  const checks = new Set<() => void>();
  const runChecks = (): void => {
    for (const check of [...checks]) check();
  };
  driver.onStep(runChecks);
  const until = (predicate: () => boolean, what: string, maxMs = STUCK_AFTER_MS): Promise<void> => {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const deadline = new AbortController();
      const finish = (): void => {
        checks.delete(check);
        deadline.abort();
      };
      const check = (): void => {
        if (!predicate()) return;
        finish();
        resolve();
      };
      checks.add(check);
      clock.sleep(maxMs, deadline.signal).then(
        () => {
          finish();
          const recent = sim.requestLog.slice(-6).map((e) => `${e.restMethod} ${e.status}${e.error ? ` ${e.error}` : ''}${e.fault ? ` (${e.fault})` : ''}`);
          const tokens = sim.tokenLog.slice(-3).map((e) => `${e.grantType} ${e.ok ? 'ok' : e.error}`);
          reject(new ScenarioStuck(`not reached within ${maxMs / 60_000} virtual minutes: ${what}; connection ${JSON.stringify(latest?.connection)}; last requests: ${recent.join(', ')}; tokens: ${tokens.join(', ')}`));
        },
        () => undefined,
      );
    });
  };
  const pause = (ms: number): Promise<void> => clock.sleep(ms);

  // ---- the app, one lifetime at a time
  let app!: AppLifetime;
  let latest: AccountState | undefined;
  let generation = 0;
  const lifetimes: AppLifetime[] = [];
  let originChanges = account.origin;
  /** The user signing in again because the app asked (outside the invalid_grant episode). */
  let signingIn: Promise<void> | undefined;
  let episodeSignsIn = false;
  const unexpectedSignIns: string[] = [];

  /** The user signs in again: fresh tokens in the account, the app restarted on them. */
  const signInAgain = async (): Promise<void> => {
    const pair = sim.issueTokens();
    account.tokens = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
    counts.signIns += 1;
    counts.quits += 1;
    await app.stop();
    startLifetime();
  };

  /**
   * The app asks for a new sign-in. That is right only when the portal refused the refresh token
   * (revoked, or rotated by a renewal whose reply was lost); then the user does sign in again.
   */
  const onSignInAsked = (): void => {
    const lastToken = sim.tokenLog.at(-1);
    if (lastToken?.error !== 'invalid_grant') {
      unexpectedSignIns.push(`${latest?.connection.status} after ${lastToken ? `${lastToken.grantType} ${lastToken.ok ? 'ok' : lastToken.error}` : 'no renewal'}`);
      return;
    }
    if (episodeSignsIn || signingIn) return;
    counts.askedSignIns += 1;
    signingIn = (async () => {
      await pause(rng.int(60_000, 10 * 60_000));
      await signInAgain();
    })().finally(() => (signingIn = undefined));
  };

  const startLifetime = (): AppLifetime => {
    generation += 1;
    counts.lifetimes += 1;
    const lifetime = new AppLifetime({ generation, clock, account, storageDir, http: { requestTimeoutMs }, random: () => rng.next(), problems });
    const { hub, engine } = lifetime;
    latest = undefined;
    engine.on('changed', (state) => {
      if (lifetime.dead) return;
      const asked = state.connection.status === 'auth-needed' && latest?.connection.status !== 'auth-needed';
      latest = state;
      if (asked) onSignInAsked();
      runChecks();
    });
    engine.on('polled', (ok) => {
      if (lifetime.dead) return;
      counts.polls += 1;
      if (!ok) counts.failedPolls += 1;
      if (account.origin !== originChanges) {
        originChanges = account.origin;
        counts.domainChanges += 1;
      }
      runChecks();
    });
    hub.on('announced', (_accountId, items) => {
      if (lifetime.dead) return;
      for (const item of items) {
        announced.set(item.id, (announced.get(item.id) ?? 0) + 1);
        unannounced.delete(item.id);
      }
    });
    hub.on('actionSettled', (_accountId, id, outcome) => {
      if (lifetime.dead) return;
      outcomes.set(id, outcome);
      pendingClicks.delete(id);
      if (outcome.status === 'failed') {
        const record = clicks.get(id);
        if (record) record.expected = undefined; // the next click starts a new action
      }
      runChecks();
    });
    // Both click paths reach the portal through hub.confirm (the presenter and the IPC handler).
    const confirm = hub.confirm.bind(hub);
    hub.confirm = (accountId, id, value, source) => {
      if (source === 'os-notification') counts.osClicks += 1;
      else counts.windowClicks += 1;
      try {
        const outcome = confirm(accountId, id, value, source);
        counts.acceptedClicks += 1;
        const record = clicks.get(id) ?? { expected: undefined, accepted: 0 };
        record.expected ??= value;
        record.accepted += 1;
        clicks.set(id, record);
        pendingClicks.add(id);
        // Every accepted click's promise must settle in the lifetime that took it (issue 15).
        lifetime.unsettledClicks += 1;
        void outcome.finally(() => (lifetime.unsettledClicks -= 1));
        return outcome;
      } catch (error) {
        if (!(error instanceof ActionRefused)) throw error;
        counts.refusedClicks += 1;
        throw error;
      }
    };
    lifetimes.push(lifetime);
    app = lifetime;
    lifetime.start();
    return lifetime;
  };

  // ---- the portal's side
  const addNotifications = (wanted: number, confirmShare = 0.4): number => {
    const room = UNANNOUNCED_CAP - unannounced.size;
    const n = Math.max(0, Math.min(wanted, room));
    for (let i = 0; i < n; i += 1) {
      let stored: StoredNotification;
      if (openConfirms.size < CONFIRM_CAP && rng.chance(confirmShare)) {
        const serial = created.size + 1;
        stored = sim.addConfirm({
          title: rng.pick(['Invitation to join group "Marketing"', 'Meeting invitation', 'Leave request']) ?? null,
          text: `${rng.pick(SENTENCES) ?? ''} (#${serial})`,
          buttons: [
            { title: 'Accept', value: 'Y', type: 'accept' },
            { title: 'Decline', value: 'N', type: 'cancel' },
          ],
          // A unique tag: the module's handler answers, and no older confirm is replaced.
          tag: `SOAK|${serial}`,
          ...(rng.chance(0.5) ? { resultMessage: 'You have joined the group.' } : {}),
        });
        openConfirms.add(stored.id);
        created.set(stored.id, 'confirm');
      } else if (rng.chance(0.6)) {
        stored = sim.addPersonal({ text: rng.pick(SENTENCES) ?? '', authorId: rng.pick([3, 5]) ?? 3, quickReply: rng.chance(0.2) });
        created.set(stored.id, 'personal');
        regularIds.push(stored.id);
      } else {
        stored = sim.addSystem({ text: `Backup ${created.size} finished` });
        created.set(stored.id, 'system');
        regularIds.push(stored.id);
      }
      unannounced.add(stored.id);
    }
    return n;
  };

  /** The portal's retention agent: only the newest notifications are kept (far beyond page 1). */
  const retention = (): void => {
    while (regularIds.length > RETAINED_REGULAR + 500) {
      const id = regularIds.shift()!;
      if (sim.get(id)) {
        sim.deleteInBrowser(id);
        counts.retentionDeleted += 1;
      }
    }
  };

  /** The user answers an announced confirm on another device (the portal's own window). */
  const answerElsewhere = (candidates = [...openConfirms].filter((id) => announced.has(id) && !clicks.has(id))): number | undefined => {
    const id = rng.pick(candidates);
    if (id === undefined) return undefined;
    if (!sim.get(id)) {
      openConfirms.delete(id); // dismissed by the app
      return undefined;
    }
    sim.answerInBrowser(id, rng.pick(['Y', 'N']) ?? 'Y');
    browserAnswered.add(id);
    return id;
  };

  // ---- the user's side
  const inbox = (): AccountState['inbox'] => latest?.inbox ?? [];
  const unansweredConfirms = (): AccountState['inbox'] => inbox().filter((item) => item.kind === 'confirm' && (!item.action || item.action.status === 'failed') && sim.get(item.id));

  /** A button pressed on an OS popup, as the notification server reports it. */
  const osClick = (): number | undefined => {
    const popups = [...app.notifier.shown.values()].filter((popup) => popup.buttons.length > 0);
    const popup = rng.pick(popups);
    if (!popup) return undefined;
    app.notifier.press(popup.key, rng.pick(popup.buttons)!.value);
    return Number(popup.key.slice(popup.key.lastIndexOf(':') + 1));
  };

  /** What the window does with an action the app refuses (or a portal being reconnected): says so. */
  const userAction = (act: () => void): void => {
    try {
      act();
    } catch (error) {
      if (!(error instanceof ActionRefused) && !(error instanceof UnknownAccountError)) throw error;
    }
  };

  /** A button pressed in the tray window, as the IPC handler passes it on. */
  const windowClick = (id?: number): number | undefined => {
    const item = id !== undefined ? inbox().find((candidate) => candidate.id === id) : rng.pick(unansweredConfirms());
    if (!item || item.kind !== 'confirm') return undefined;
    userAction(() => void app.hub.confirm(ACCOUNT_ID, item.id, rng.pick(item.buttons)?.value ?? 'Y', 'window'));
    return item.id;
  };

  /** A popup button if one is on screen, otherwise a window button. */
  const anyClick = (): number | undefined => osClick() ?? windowClick();

  /** Both at once on one item: one answer must reach the portal. */
  const doubleClick = (): void => {
    const popups = [...app.notifier.shown.values()].filter((popup) => popup.buttons.length > 0);
    const popup = rng.pick(popups);
    if (!popup) return;
    const id = Number(popup.key.slice(popup.key.lastIndexOf(':') + 1));
    app.notifier.press(popup.key, popup.buttons[0]!.value);
    windowClick(id);
  };

  /** Announced, unanswered confirms the user can click; new ones are added (and awaited) if short. */
  const ensureClickable = async (wanted: number): Promise<void> => {
    if (unansweredConfirms().length >= wanted) return;
    // Room under the cap: the user answers a few older ones on the portal.
    for (const id of [...openConfirms]) {
      if (openConfirms.size <= CONFIRM_CAP - wanted) break;
      if (announced.has(id) && !clicks.has(id)) answerElsewhere([id]);
    }
    await until(() => unannounced.size + wanted <= UNANNOUNCED_CAP, 'room for new notifications');
    for (let i = 0; i < wanted; i += 1) addNotifications(1, 1);
    await until(() => unansweredConfirms().length >= wanted, 'new confirms to be announced');
  };

  /** A moment for whatever is in flight (a mark, a poll) to finish, so the next fault meets the click. */
  const quietMoment = (): Promise<void> => pause(1_000);

  /** Every click answered by the portal, the app polling normally. */
  const settle = (what: string): Promise<void> =>
    until(() => pendingClicks.size === 0 && latest?.connection.status === 'ok', `${what}: every click settled and polling ok`);

  /** Token-expiry faults not yet met (a token fresh from a renewal does not expire at once). */
  let expiriesPending = 0;
  arrivalListeners.add((entry) => {
    if (entry.fault === 'expire-token') expiriesPending = Math.max(0, expiriesPending - 1);
  });
  const faultOn = (fault: Fault, restMethod?: string, times = 1): void => {
    if (fault.kind === 'expire-token') expiriesPending += times;
    sim.injectFault(fault, { ...(restMethod ? { restMethod } : {}), times });
  };
  const clearFaults = (): void => {
    sim.clearFaults();
    expiriesPending = 0;
  };

  const restartAfter = async (downtimeMs: number): Promise<void> => {
    // What arrives while the app is down is announced once when it is back.
    addNotifications(rng.int(1, 4));
    await pause(downtimeMs);
    startLifetime();
  };

  /** Clicks one unanswered confirm and resolves with the request that carries it to the portal. */
  const clickAndCatchFlush = (onArrival: (entry: RequestLogEntry, id: number) => void): number | undefined => {
    const target = rng.pick(unansweredConfirms());
    if (!target) return undefined;
    const listener = (entry: RequestLogEntry): void => {
      if (!confirmIdsIn(entry).includes(target.id)) return;
      arrivalListeners.delete(listener);
      onArrival(entry, target.id);
    };
    arrivalListeners.add(listener);
    windowClick(target.id);
    return target.id;
  };

  /** Sends of a confirm that the portal's handlers ran (refused or lost-before-arrival ones do not count). */
  const handledSendsFor = (id: number): number => sim.requestLog.reduce((sum, entry) => sum + (reachedHandlers(entry) ? confirmIdsIn(entry).filter((x) => x === id).length : 0), 0);

  const killOrQuitMidFlush = async (name: EpisodeName, fault: Fault, how: 'crash' | 'quit', when: 'arrival' | 'confirmed'): Promise<void> => {
    await ensureClickable(1);
    await quietMoment();
    faultOn(fault, 'batch');
    let quitting: Promise<void> | undefined;
    let caught: RequestLogEntry | undefined;
    const end = (entry: RequestLogEntry): void => {
      if (how === 'crash') {
        counts.crashes += 1;
        app.crash();
      } else {
        counts.quits += 1;
        quitting = app.stop();
      }
      caught = entry;
    };
    const id = clickAndCatchFlush((entry, clickedId) => {
      if (when === 'arrival') end(entry);
      else {
        const listener = (confirmed: ConfirmLogEntry): void => {
          if (confirmed.id !== clickedId) return;
          confirmListeners.delete(listener);
          end(entry);
        };
        confirmListeners.add(listener);
      }
    });
    if (id === undefined) throw new ScenarioStuck(`${name}: nothing to click`);
    await until(() => caught !== undefined, `${name}: the flush to reach the portal`);
    await quitting;
    // A held request is answered (or refused: its token may have expired meanwhile) in real time,
    // after the app is gone; the restart must find the portal as that left it.
    const flush = caught!;
    await pollUntil(() => flush.status !== 0 || flush.fault === 'drop' || flush.fault === 'lose-response', `${name}: the portal to finish the held request`, 30_000);
    const actedBeforeRestart = sim.confirmLog.some((entry) => entry.id === id);
    await restartAfter(rng.int(5_000, 10 * 60_000));
    await settle(name);
    const handled = handledSendsFor(id);
    const effective = sim.confirmLog.filter((entry) => entry.id === id).length;
    episodeChecks.push({
      name: `${name}: after the restart the click ${actedBeforeRestart ? 'was verified, not sent again' : 'was sent again, once'}`,
      ok: handled === 1 && effective === 1 && outcomes.get(id)?.status === 'done',
      detail: `confirm ${id}: the portal ${actedBeforeRestart ? 'had acted before the restart' : 'had not acted'}; ${handled} send(s) handled by the portal, ${effective} effective, outcome ${outcomes.get(id)?.status ?? 'none'}`,
    });
  };

  const twoClicksDuring = async (arm: () => void): Promise<void> => {
    await ensureClickable(2);
    await quietMoment();
    arm();
    anyClick();
    windowClick();
  };

  const runEpisode = async (name: EpisodeName): Promise<void> => {
    episodes[name] = (episodes[name] ?? 0) + 1;
    log(`  ${name}`);
    // The episode's own fault must be the one that meets its click, and the app must be up.
    clearFaults();
    await settle(`before ${name}`);
    switch (name) {
      case 'dropped connections':
        // Dropped before the portal saw the request (send again), then after it acted (verify, do
        // not send again), and a dropped poll (read again).
        await twoClicksDuring(() => {
          faultOn({ kind: 'drop' }, 'batch');
          faultOn({ kind: 'lose-response' }, 'batch');
          faultOn({ kind: 'drop' }, 'im.notify.get');
        });
        break;
      case '5xx responses':
        await twoClicksDuring(() => {
          faultOn({ kind: 'status', status: 500, body: 'Internal Server Error' }, 'batch');
          faultOn({ kind: 'status', status: 504, body: '' }, 'im.notify.get', 2);
        });
        break;
      case 'HTML bodies':
        await twoClicksDuring(() => {
          faultOn({ kind: 'html', status: 502 }, 'batch');
          faultOn({ kind: 'html', status: 200 }, 'im.notify.get');
        });
        break;
      case 'malformed JSON':
        await twoClicksDuring(() => {
          faultOn({ kind: 'malformed-json' }, 'batch');
          faultOn({ kind: 'malformed-json' }, 'im.notify.get');
        });
        break;
      case '503 QUERY_LIMIT_EXCEEDED storm':
        await twoClicksDuring(() => faultOn({ kind: 'error', code: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests', status: 503 }, undefined, rng.int(8, 20)));
        break;
      case '429 operating-limit block': {
        // The same OAuth app on another device uses up the method's budget: the portal, not our
        // limiter, is the one to refuse, with a real 429 and real `operating_reset_at`.
        sim.setOperating({ limitSec: 8, windowSec: 120, costSec: { 'im.notify.get': 1 } });
        const other = sim.issueTokens();
        for (let call = 0; call < 9; call += 1) {
          await fetch(`${sim.restUrl}im.notify.get`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auth: other.accessToken }) }).then((response) => response.arrayBuffer());
        }
        const before = sim.stats.operatingRejections;
        await twoClicksDuring(() => undefined);
        await until(() => sim.stats.operatingRejections > before, 'a 429 from the portal');
        await settle(name);
        sim.setOperating(false);
        break;
      }
      case 'slow responses past the timeout': {
        // The portal is still working on a confirm the app gave up on. In virtual time the app looks
        // again before the portal is done, sees the item and sends the click again; the portal's
        // late run then finds it answered (result_message false): two runs, one effect.
        await twoClicksDuring(() => faultOn({ kind: 'delay', ms: slowMs }, 'batch'));
        await settle(name);
        // A poll held past the timeout: the client gives up and reads again.
        const heldPolls = (): number => sim.requestLog.filter((entry) => entry.fault === 'delay' && entry.restMethod === 'im.notify.get').length;
        const before = heldPolls();
        faultOn({ kind: 'delay', ms: slowMs }, 'im.notify.get');
        await until(() => heldPolls() > before, 'a poll held past the timeout');
        break;
      }
      case 'token expiry mid-confirm':
        // The token expires as the flush arrives, and the token endpoint fails once as well.
        await twoClicksDuring(() => {
          faultOn({ kind: 'expire-token' }, 'batch');
          faultOn({ kind: 'html', status: 503 }, 'oauth.token');
        });
        break;
      case 'invalid_grant, then sign in again': {
        await ensureClickable(2);
        episodeSignsIn = true;
        sim.revokeRefreshTokens();
        sim.expireAccessTokens();
        windowClick();
        await until(() => latest?.connection.status === 'auth-needed', 'the engine to ask for a new sign-in');
        // Clicked while signed out: kept in the outbox until the user signs in again.
        anyClick();
        await pause(rng.int(60_000, 30 * 60_000));
        await signInAgain();
        episodeSignsIn = false;
        break;
      }
      case '302 domain change': {
        // Nothing follows a redirect (issue 13 §1): the portal stops with "moved to …", the two
        // clicks wait in the outbox, and the user accepts the new address after a while.
        const elsewhere = account.origin === sim.origin ? forwarder.origin : sim.origin;
        await twoClicksDuring(() => faultOn({ kind: 'redirect', location: `${elsewhere}/rest/batch`, status: 302 }, 'batch'));
        await until(() => latest?.connection.status === 'portal-moved', 'the app to report the portal moved');
        const connection = latest?.connection;
        if (connection?.status !== 'portal-moved' || connection.movedTo !== elsewhere) throw new ScenarioStuck(`moved to the wrong address: ${JSON.stringify(connection)}`);
        await pause(rng.int(30_000, 10 * 60_000));
        account.origin = elsewhere;
        counts.quits += 1;
        await app.stop();
        startLifetime();
        break;
      }
      case 'kill mid-flush, the portal acts late':
        await killOrQuitMidFlush(name, { kind: 'delay', ms: 300 }, 'crash', 'arrival');
        break;
      case 'quit mid-flush, the reply is lost':
        await killOrQuitMidFlush(name, { kind: 'lose-response' }, 'quit', 'confirmed');
        break;
      case 'kill mid-flush, the request is lost':
        await killOrQuitMidFlush(name, { kind: 'drop' }, 'crash', 'arrival');
        break;
      case 'rapid clicks through the window': {
        // The user goes down the list marking and answering one item after another, each as soon
        // as the last went out: dozens of requests in a few virtual seconds, which only the
        // client's own bucket keeps under the portal's.
        const wanted = 70;
        if (inbox().filter((item) => item.kind !== 'confirm' && !item.read).length < wanted) {
          await until(() => unannounced.size === 0, 'room for new notifications');
          addNotifications(wanted + 10, 0);
          await until(() => unannounced.size === 0, 'the new notifications to be announced');
        }
        const targets = inbox().filter((item) => item.kind !== 'confirm' && !item.read).slice(0, wanted);
        for (const [index, item] of targets.entries()) {
          const before = counts.polls;
          if (index % 10 === 5 && windowClick() !== undefined) {
            await until(() => counts.polls > before, 'the click to go out');
            continue;
          }
          userAction(() => app.hub.markRead(ACCOUNT_ID, [item.id]));
          counts.markRead += 1;
          await until(() => counts.polls > before, 'the mark to go out');
        }
        break;
      }
      case 'answered elsewhere while queued': {
        // The portal refuses before acting (503), so the click waits in the outbox, unsent,
        // while the user answers the same item on the portal: the app must report "already answered".
        await ensureClickable(1);
        await quietMoment();
        // Every batch is refused until the click has met it: a fixed count could be spent on a mark
        // still going out, and the click would go through at once (seed 90210; regressions.test.ts).
        faultOn({ kind: 'error', code: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests', status: 503 }, 'batch', 1_000);
        const id = windowClick();
        if (id === undefined) throw new ScenarioStuck(`${name}: nothing to click`);
        await until(() => inbox().find((item) => item.id === id)?.action?.status === 'waiting', 'the click to wait');
        answerElsewhere([id]);
        clearFaults();
        await settle(name);
        const outcome = outcomes.get(id);
        episodeChecks.push({
          name: `${name}: the app reports it answered elsewhere and sends nothing that acts`,
          ok: outcome?.status === 'done' && outcome.gone && sim.confirmLog.filter((entry) => entry.id === id).length === 1,
          detail: `confirm ${id}: outcome ${JSON.stringify(outcome)}`,
        });
        break;
      }
    }
    await settle(name);
    clearFaults();
  };

  const RANDOM_FAULTS: Fault[] = [
    { kind: 'drop' },
    { kind: 'status', status: 502, body: 'Bad Gateway' },
    { kind: 'html', status: 503 },
    { kind: 'malformed-json' },
    { kind: 'error', code: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests', status: 503 },
    { kind: 'error', code: 'INTERNAL_SERVER_ERROR', description: 'Internal server error', status: 500 },
    { kind: 'expire-token' },
    { kind: 'lose-response' },
  ];

  const background = async (steps: number): Promise<void> => {
    for (let step = 0; step < steps; step += 1) {
      await pause(rng.int(200, 15_000));
      const roll = rng.next();
      if (roll < 0.3) addNotifications(rng.int(1, 8));
      else if (roll < 0.32) addNotifications(rng.int(40, 120), 0.05);
      else if (roll < 0.52) anyClick();
      else if (roll < 0.66) windowClick();
      else if (roll < 0.71) doubleClick();
      else if (roll < 0.73) {
        const answered = inbox().find((item) => item.action?.status === 'done');
        if (answered) windowClick(answered.id);
      } else if (roll < 0.8) {
        const unread = inbox().filter((item) => item.kind !== 'confirm' && !item.read);
        const ids = rng.shuffle(unread).slice(0, rng.int(1, 3)).map((item) => item.id);
        if (ids.length > 0) {
          userAction(() => app.hub.markRead(ACCOUNT_ID, ids));
          counts.markRead += ids.length;
        }
      } else if (roll < 0.82) userAction(() => app.hub.markAllRead(ACCOUNT_ID));
      else if (roll < 0.88) {
        const item = rng.pick(inbox().filter((candidate) => candidate.kind !== 'confirm' || !candidate.action || candidate.action.status === 'done'));
        if (item && !pendingClicks.has(item.id)) {
          userAction(() => {
            app.hub.dismiss(ACCOUNT_ID, item.id);
            counts.dismissed += 1;
            if (item.kind === 'confirm') openConfirms.delete(item.id);
          });
        }
      } else if (roll < 0.92) answerElsewhere();
      else if (options.backgroundFaults) {
        const fault = rng.pick(RANDOM_FAULTS)!;
        // A token expires once; a fresh one does not expire again on the very next request.
        if (fault.kind !== 'expire-token' || expiriesPending === 0) faultOn(fault, rng.pick(['batch', 'im.notify.get', undefined]), fault.kind === 'expire-token' ? 1 : rng.int(1, 3));
      }
      retention();
    }
  };

  // ---- the run
  const failures: Invariant[] = [];
  let rounds = 0;
  let steadyIntervalMs = 0;
  try {
    // Already on the portal before the first start: known, never announced.
    for (let i = 0; i < 12; i += 1) {
      const stored = i % 4 === 0 ? sim.addConfirm({ text: `Old invitation ${i}` }) : sim.addPersonal({ text: `Old news ${i}` });
      preexisting.add(stored.id);
      if (stored.notify_type === 1) openConfirms.add(stored.id);
      else regularIds.push(stored.id);
    }
    startLifetime();
    // The steady rhythm to come back to: three quiet polls.
    await until(() => counts.polls >= 4, 'the first polls');
    steadyIntervalMs = pollSpacing(sim.requestLog, 3)[0] ?? 0;
    log(`steady poll interval: ${steadyIntervalMs / 1000} s (virtual)`);

    do {
      rounds += 1;
      log(`round ${rounds}`);
      const order = rounds === 1 ? [...EPISODES] : rng.shuffle(EPISODES);
      for (const name of order) {
        await background(backgroundSteps);
        await runEpisode(name);
      }
    } while (performance.now() - realStart < budgetMs);

    // ---- quiet end: no faults, every click answered, then a while of plain polling
    log('settling');
    clearFaults();
    sim.setOperating(false);
    const held = sim.requestLog.filter((entry) => entry.fault === 'delay');
    // Held responses finish in real time; their effects must be in before the portal is judged.
    await pollUntil(() => held.every((entry) => entry.status !== 0), 'the simulator to finish held requests', slowMs * 4);
    await settle('the end');
    // A last outage (three failed polls, backing off), so the return to the steady rhythm is
    // judged right after a backoff.
    const failedBefore = counts.failedPolls;
    faultOn({ kind: 'status', status: 502, body: 'Bad Gateway' }, 'im.notify.get', 3 * 3);
    await until(() => counts.failedPolls >= failedBefore + 3, 'the last outage');
    await settle('the last outage');
    await pause(RESULT_VISIBLE_MS + 6 * steadyIntervalMs);
  } catch (error) {
    if (!(error instanceof ScenarioStuck)) throw error;
    failures.push({ name: 'the scenario made progress', ok: false, detail: error.message });
  }

  // ---- judgement
  const invariants: Invariant[] = [...failures];
  const confirmsById = new Map<number, ConfirmLogEntry[]>();
  for (const entry of sim.confirmLog) confirmsById.set(entry.id, [...(confirmsById.get(entry.id) ?? []), entry]);

  {
    const wrong: string[] = [];
    let viaRest = 0;
    let viaBrowser = 0;
    for (const [id, record] of clicks) {
      const entries = confirmsById.get(id) ?? [];
      const outcome = outcomes.get(id);
      if (entries.length !== 1) wrong.push(`${id}: ${entries.length} effective confirms`);
      else if (entries[0]!.via === 'rest') {
        viaRest += 1;
        if (record.expected !== undefined && entries[0]!.value !== record.expected) wrong.push(`${id}: confirmed ${entries[0]!.value}, clicked ${record.expected}`);
      } else viaBrowser += 1;
      if (outcome?.status !== 'done') wrong.push(`${id}: outcome ${outcome?.status ?? 'none'}`);
    }
    invariants.push({
      name: 'every click was delivered exactly once (simulator log)',
      ok: wrong.length === 0 && clicks.size > 0,
      detail: wrong.length > 0 ? wrong.slice(0, 8).join('; ') : `${clicks.size} clicked confirms: ${viaRest} confirmed by the app, ${viaBrowser} answered elsewhere first`,
    });
    const phantom = sim.confirmLog.filter((entry) => entry.via === 'rest' && !clicks.has(entry.id));
    invariants.push({
      name: 'nothing was confirmed that nobody clicked',
      ok: phantom.length === 0,
      detail: phantom.length > 0 ? `confirmed without a click: ${phantom.map((entry) => entry.id).join(', ')}` : `${sim.confirmLog.length} confirms in the simulator log`,
    });
    const outbox = app.storage.read(accountKey(ACCOUNT_ID, 'outbox'), OUTBOX_SCHEMA) ?? [];
    invariants.push({ name: 'the outbox is empty', ok: outbox.length === 0, detail: `${outbox.length} entries left` });
    await Promise.resolve(); // let outcomes resolved by the last exchange run their handlers
    invariants.push({
      name: 'every click settled: done, refused, or kept with a visible reason',
      ok: app.unsettledClicks === 0 && app.engine.orphanedWaiters === 0,
      detail: `${app.unsettledClicks} clicks of this run still unanswered; ${app.engine.orphanedWaiters} waiters without a queued action`,
    });
  }

  {
    const twice = [...announced].filter(([, n]) => n > 1).map(([id]) => id);
    const never = [...created.keys()].filter((id) => !announced.has(id));
    const old = [...preexisting].filter((id) => announced.has(id));
    const popupKeys = new Map<string, number>();
    for (const lifetime of lifetimes) {
      for (const popup of lifetime.notifier.history) {
        if (/^[^:]+:\d+$/.test(popup.key)) popupKeys.set(popup.key, (popupKeys.get(popup.key) ?? 0) + 1);
      }
    }
    const popupTwice = [...popupKeys].filter(([, n]) => n > 1).map(([key]) => key);
    invariants.push({
      name: 'no notification announced twice or never',
      ok: twice.length === 0 && never.length === 0 && old.length === 0 && popupTwice.length === 0,
      detail:
        twice.length + never.length + old.length + popupTwice.length > 0
          ? `twice: [${twice.slice(0, 10).join(', ')}] never: [${never.slice(0, 10).join(', ')}] old ones: [${old.join(', ')}] popups twice: [${popupTwice.slice(0, 10).join(', ')}]`
          : `${created.size} created after the first start, each announced once; ${preexisting.size} older ones never; ${popupKeys.size} item popups, none twice`,
    });
  }

  {
    // Once the portal has acted on a click, nothing may carry it again. (A send the client gave up
    // on may still be running on the portal while a newer one goes out: that is not "after".)
    const actedAt = new Map(sim.confirmLog.filter((entry) => entry.via === 'rest').map((entry) => [entry.id, entry.at]));
    const late = new Map<number, number>();
    for (const entry of sim.requestLog) {
      for (const id of confirmIdsIn(entry)) {
        const at = actedAt.get(id);
        if (at !== undefined && entry.at > at) late.set(id, (late.get(id) ?? 0) + 1);
      }
    }
    invariants.push({
      name: 'no confirm was sent again after the portal had acted on it',
      ok: late.size === 0,
      detail: late.size > 0 ? `sent again: ${[...late].slice(0, 8).map(([id, n]) => `${id} (${n}×)`).join(', ')}` : `${actedAt.size} confirms acted on by the portal, none sent afterwards`,
    });
  }

  invariants.push(inboxMatchesPortal(latest, sim.notifications()));

  invariants.push({
    name: 'the app never exceeded the simulator’s bucket',
    ok: sim.stats.queryLimitRejections === 0,
    detail: `${sim.stats.queryLimitRejections} requests refused by the bucket; fullest ${sim.stats.maxBucketLevel.toFixed(1)} of 50`,
  });

  {
    const spacing = pollSpacing(sim.requestLog, 5);
    const tail = sim.requestLog.slice(-5).map((entry) => entry.restMethod);
    invariants.push({
      name: 'the engine is back to normal polling',
      ok: latest?.connection.status === 'ok' && steadyIntervalMs > 0 && spacing.length === 4 && spacing.every((ms) => ms === steadyIntervalMs) && tail.every((method) => method === 'im.notify.get'),
      detail: `connection ${latest?.connection.status ?? 'unknown'}; last polls ${spacing.map((ms) => `${ms / 1000} s`).join(', ')} apart (steady: ${steadyIntervalMs / 1000} s), one request each`,
    });
  }

  const faults: Record<string, number> = {};
  for (const entry of sim.requestLog) if (entry.fault) faults[entry.fault] = (faults[entry.fault] ?? 0) + 1;
  const refreshes = sim.tokenLog.filter((entry) => entry.grantType === 'refresh_token');
  const invalidGrants = refreshes.filter((entry) => entry.error === 'invalid_grant').length;
  const storms = sim.requestLog.filter((entry) => entry.fault === 'error' && entry.error === 'QUERY_LIMIT_EXCEEDED').length;
  {
    const missing = ['drop', 'status', 'html', 'malformed-json', 'error', 'delay', 'expire-token', 'redirect', 'lose-response'].filter((kind) => !faults[kind]);
    if (sim.stats.operatingRejections === 0) missing.push('429 OPERATION_TIME_LIMIT');
    if (invalidGrants === 0) missing.push('invalid_grant');
    if (storms === 0) missing.push('503 QUERY_LIMIT_EXCEEDED');
    if (counts.crashes === 0) missing.push('crash');
    if (counts.quits === 0) missing.push('quit');
    if (counts.domainChanges === 0) missing.push('domain change accepted');
    invariants.push({ name: 'every fault of the issue was exercised', ok: missing.length === 0, detail: missing.length > 0 ? `never happened: ${missing.join(', ')}` : 'all of them' });
  }
  invariants.push({
    name: 'the app asked for a new sign-in only when the portal refused the refresh token',
    ok: unexpectedSignIns.length === 0,
    detail:
      unexpectedSignIns.length > 0
        ? unexpectedSignIns.slice(0, 5).join('; ')
        : `${counts.signIns} sign-ins: ${counts.signIns - counts.askedSignIns} after the refresh token was revoked, ${counts.askedSignIns} after a renewal whose reply was lost had rotated it`,
  });
  // One line per kind of check, however many rounds ran it.
  const byName = new Map<string, Invariant[]>();
  for (const check of episodeChecks) byName.set(check.name, [...(byName.get(check.name) ?? []), check]);
  for (const [name, checks] of byName) {
    const bad = checks.filter((check) => !check.ok);
    invariants.push({ name, ok: bad.length === 0, detail: bad.length > 0 ? `${bad.length} of ${checks.length} failed: ${bad[0]!.detail}` : checks.length === 1 ? checks[0]!.detail : `${checks.length} times, e.g. ${checks[0]!.detail}` });
  }
  counts.listenerErrors = lifetimes.reduce((sum, lifetime) => sum + lifetime.errors.length, 0);
  invariants.push({
    name: 'no listener threw and storage stayed readable',
    ok: counts.listenerErrors === 0 && problems.length === 0,
    detail: `${counts.listenerErrors} listener errors${lifetimes.flatMap((l) => l.errors).slice(0, 1).map((e) => `: ${String(e)}`).join('')}; ${problems.length} storage problems`,
  });

  // ---- counts
  let processedConfirms = 0;
  const sentById = new Map<number, number>();
  const handledById = new Map<number, number>();
  for (const entry of sim.requestLog) {
    const ids = confirmIdsIn(entry);
    for (const id of ids) sentById.set(id, (sentById.get(id) ?? 0) + 1);
    if (!reachedHandlers(entry)) continue;
    processedConfirms += ids.length;
    for (const id of ids) handledById.set(id, (handledById.get(id) ?? 0) + 1);
  }
  const handledTwice = [...handledById].filter(([, n]) => n > 1).map(([id]) => id);
  // The app's first send acted late, its second found the item gone: the user is told "answered elsewhere".
  const ownReportedGone = [...clicks.keys()].filter((id) => confirmsById.get(id)?.[0]?.via === 'rest' && outcomes.get(id)?.status === 'done' && (outcomes.get(id) as { gone?: boolean }).gone === true).length;
  const realMs = performance.now() - realStart;
  const virtualMs = clock.now() - virtualStart;
  const report: ScenarioReport = {
    seed,
    rounds,
    realMs,
    virtualMs,
    counts: [
      ['notifications created', created.size],
      ['  confirms / personal / system', `${[...created.values()].filter((k) => k === 'confirm').length} / ${[...created.values()].filter((k) => k === 'personal').length} / ${[...created.values()].filter((k) => k === 'system').length}`],
      ['announcements', [...announced.values()].reduce((a, b) => a + b, 0)],
      ['popups shown', lifetimes.reduce((sum, lifetime) => sum + lifetime.notifier.history.length, 0)],
      ['clicks: OS popup / window', `${counts.osClicks} / ${counts.windowClicks}`],
      ['clicks accepted / refused (already answered, gone)', `${counts.acceptedClicks} / ${counts.refusedClicks}`],
      ['confirmed items (app / elsewhere first)', `${[...clicks.keys()].filter((id) => confirmsById.get(id)?.[0]?.via === 'rest').length} / ${[...clicks.keys()].filter((id) => confirmsById.get(id)?.[0]?.via === 'browser').length}`],
      ['confirm commands sent / reached the handlers', `${[...sentById.values()].reduce((a, b) => a + b, 0)} / ${processedConfirms}`],
      ['confirms whose handler ran twice (a no-op the second time)', handledTwice.length > 0 ? `${handledTwice.length}: ${handledTwice.slice(0, 5).join(', ')}` : 0],
      ['  of them reported to the user as "answered elsewhere"', ownReportedGone],
      ['answered elsewhere (no app click)', [...browserAnswered].filter((id) => !clicks.has(id)).length],
      ['marked read / dismissed / deleted by retention', `${counts.markRead} / ${counts.dismissed} / ${counts.retentionDeleted}`],
      ['HTTP requests to the portal', sim.requestLog.length],
      ['polls (failed)', `${counts.polls} (${counts.failedPolls})`],
      ['token refreshes (invalid_grant)', `${refreshes.length} (${invalidGrants})`],
      ['429 OPERATION_TIME_LIMIT from the portal', sim.stats.operatingRejections],
      ['503 from the portal’s own bucket', sim.stats.queryLimitRejections],
      ['fullest bucket level (capacity 50)', Number(sim.stats.maxBucketLevel.toFixed(1))],
      ['app lifetimes (quits / crashes / sign-ins)', `${counts.lifetimes} (${counts.quits} / ${counts.crashes} / ${counts.signIns})`],
      ['domain changes accepted by the user', counts.domainChanges],
    ],
    faults,
    episodes,
    invariants,
    ok: invariants.every((invariant) => invariant.ok),
  };

  await app.stop();
  for (const lifetime of lifetimes) if (!lifetime.dead) await lifetime.stop();
  await driver.stop();
  await forwarder.close();
  await sim.close();
  rmSync(storageDir, { recursive: true, force: true });
  return report;
}

/** Gaps between the last `count` im.notify.get requests, oldest first. */
function pollSpacing(requests: RequestLogEntry[], count: number): number[] {
  const polls = requests.filter((entry) => entry.restMethod === 'im.notify.get').slice(-count);
  return polls.slice(1).map((entry, index) => entry.at - polls[index]!.at);
}

/**
 * The inbox against the portal: nothing in it the portal no longer has (answered items stay a
 * while with their result, so this is judged after that while), the same read state, every item
 * of the portal's first page present, and the portal's unread counter.
 */
export function inboxMatchesPortal(state: AccountState | undefined, mine: StoredNotification[]): Invariant {
  const name = 'the inbox equals the simulator’s state';
  if (!state) return { name, ok: false, detail: 'no state' };
  const byId = new Map(mine.map((item) => [item.id, item]));
  const problems: string[] = [];
  for (const item of state.inbox) {
    const there = byId.get(item.id);
    if (!there) problems.push(`${item.id} is gone from the portal`);
    else if ((there.notify_read === 'Y') !== item.read) problems.push(`${item.id} read ${item.read}, portal ${there.notify_read}`);
    else if ((there.notify_type === 1) !== (item.kind === 'confirm')) problems.push(`${item.id} kind ${item.kind}`);
  }
  const confirms = mine.filter((item) => item.notify_type === 1).sort((a, b) => b.id - a.id);
  const regular = mine.filter((item) => item.notify_type !== 1).sort((a, b) => b.id - a.id);
  const firstPage = [...confirms, ...regular].slice(0, 50);
  const inInbox = new Set(state.inbox.map((item) => item.id));
  for (const item of firstPage) if (!inInbox.has(item.id)) problems.push(`${item.id} missing from the inbox`);
  const unread = Math.min(100, mine.filter((item) => item.notify_read === 'N').length);
  if (state.unreadCount !== unread) problems.push(`unread ${state.unreadCount}, portal ${unread}`);
  return {
    name,
    ok: problems.length === 0,
    detail: problems.length > 0 ? problems.slice(0, 8).join('; ') : `${state.inbox.length} items in the inbox, all on the portal with the same read state; the portal's first page (${firstPage.length}) all there; unread ${unread}`,
  };
}

export function formatReport(report: ScenarioReport): string {
  const lines: string[] = [];
  lines.push(`seed ${report.seed}, ${report.rounds} round(s), ${(report.realMs / 1000).toFixed(1)} s real, ${(report.virtualMs / 3_600_000).toFixed(1)} h virtual`);
  lines.push('');
  lines.push('| count | value |');
  lines.push('| --- | --- |');
  for (const [label, value] of report.counts) lines.push(`| ${label} | ${value} |`);
  lines.push(`| faults applied by the simulator | ${Object.entries(report.faults).map(([kind, n]) => `${kind} ${n}`).join(', ')} |`);
  lines.push(`| fault episodes | ${Object.values(report.episodes).reduce((a, b) => a + b, 0)} (${Object.keys(report.episodes).length} kinds) |`);
  lines.push('');
  lines.push('| invariant | | detail |');
  lines.push('| --- | --- | --- |');
  for (const invariant of report.invariants) lines.push(`| ${invariant.name} | ${invariant.ok ? 'ok' : 'FAILED'} | ${invariant.detail} |`);
  lines.push('');
  lines.push(report.ok ? 'ALL INVARIANTS HOLD' : 'INVARIANTS VIOLATED');
  return lines.join('\n');
}
