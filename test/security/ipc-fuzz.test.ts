/**
 * Hostile IPC through the real path: createIpcDispatcher over hubIpcHandlers with a real hub,
 * account engine, account store and settings, connected to the portal simulator. Whatever the
 * window sends, main answers an IpcResult with a clear code and never throws or crashes; a
 * payload that breaks the contract never reaches a handler, so it never reaches the portal and
 * changes nothing.
 * (test/core/ipc-dispatcher.test.ts fuzzes the dispatcher alone, with spy handlers.)
 */
import { StateFeed } from '../../main/core/app/state-feed';
import fc from 'fast-check';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import { ConnectError, connectWebhook, reconnectWebhook } from '../../main/core/app/connect';
import { connectOAuth, reconnectOAuth } from '../../main/core/app/connect-oauth';
import { NotificationHub } from '../../main/core/app/hub';
import { SettingsService } from '../../main/core/app/settings-service';
import { engineFactory } from '../../main/core/app/start-accounts';
import { IPC_REQUEST_SCHEMAS, createIpcDispatcher, type IpcDispatch } from '../../main/core/ipc/dispatcher';
import { hubIpcHandlers, type IpcServices } from '../../main/core/ipc/handlers';
import { parsePortalInput, isLoopbackHost } from '../../main/core/portal/portal-url';
import { SettingsStore } from '../../main/core/settings/settings';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { XdgAutostart } from '../../main/linux/xdg-autostart';
import { ALL_IPC_CHANNELS, IpcChannels, type IpcChannel, type IpcResult } from '../../main/shared/ipc-contract';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage, type TempStorage } from '../harness/engine-harness';
import { pollUntil } from '../harness/processes';
import { startPortalSim, type PortalSim } from '../portal-sim';

/** Long enough that the engine never polls on its own while the fuzzing runs. */
const QUIET_POLL_MS = 15 * 60_000;

let sim: PortalSim;
let store: TempStorage;
let hub: NotificationHub;
let accounts: AccountStore;
let dispatch: IpcDispatch;
let accountId: string;
let notificationId: number;
const internalErrors: unknown[] = [];
const escaped: unknown[] = [];
const onEscape = (error: unknown): void => void escaped.push(error);

/**
 * Keeps the test on this computer: a syntactically valid address of another host is refused as
 * unreachable instead of being dialled. A fence for the test, not the protection under test (which
 * is the dispatcher refusing bad payloads before any handler).
 */
function onLoopbackOnly(address: string): void {
  let origin: string;
  try {
    origin = parsePortalInput(address).origin;
  } catch {
    return; // the app refuses it by itself
  }
  if (!isLoopbackHost(new URL(origin).hostname)) throw new ConnectError('transient', 'Test fence: only this computer is reachable.');
}

beforeAll(async () => {
  process.on('unhandledRejection', onEscape);
  process.on('uncaughtException', onEscape);
  sim = await startPortalSim();
  store = tempStorage();
  const storage = store.open();
  const secretBox = new ProcessSecretBox();
  accounts = new AccountStore(storage, secretBox);
  hub = new NotificationHub();
  const settings = new SettingsStore(storage);
  const autostart = new XdgAutostart({ exec: '/usr/bin/b24-notify', appName: 'B24 Notify', id: 'b24-notify', configHome: mkdtempSync(join(tmpdir(), 'b24-xdg-')) });
  const deps = connectDeps({ accounts, hub, storage, pollIntervalMs: QUIET_POLL_MS });
  const accountsService = new AccountsService({ accounts, hub, storage, createEngine: engineFactory(accounts, storage, { pollIntervalMs: () => QUIET_POLL_MS }) });
  const services: IpcServices = {
    hub,
    feed: new StateFeed(hub),
    appInfo: () => ({ version: '0.0.0-test', platform: process.platform }),
    reconnectWebhook: (accountId, url) => {
      onLoopbackOnly(url);
      return reconnectWebhook(accountId, url, { accounts, restart: (account) => accountsService.restart(account) });
    },
    connectWebhook: (url) => {
      onLoopbackOnly(url);
      return connectWebhook(url, deps);
    },
    connectOAuth: (input) => {
      onLoopbackOnly(input.portal);
      // Nobody approves in a browser here: the attempt times out at once.
      return connectOAuth(input, { ...deps, openExternal: () => undefined, tokenUrl: sim.tokenUrl, approvalTimeoutMs: 50 });
    },
    reconnectOAuth: (accountId, signal) =>
      reconnectOAuth(accountId, { accounts, restart: (account) => accountsService.restart(account), openExternal: () => undefined, tokenUrl: sim.tokenUrl, approvalTimeoutMs: 50, signal }),
    settings: new SettingsService({ settings, accounts, hub, autostart, secretBox }),
    portals: accountsService,
  };
  dispatch = createIpcDispatcher(hubIpcHandlers(services), (error) => internalErrors.push(error));

  sim.addConfirm({ text: 'Join the group?' });
  const connected = await dispatch(IpcChannels.connectWebhook, { url: sim.webhookUrl });
  expect(connected).toMatchObject({ ok: true });
  accountId = (connected as { value: { accountId: string } }).value.accountId;
  const withItem = await pollUntil(() => hub.snapshot().accounts[0]?.state.inbox[0], 'the first poll');
  notificationId = withItem.id;
  // Settled: every request so far has been answered.
  await pollUntil(() => sim.requestLog.every((entry) => entry.status !== 0), 'the portal to answer');
});

afterAll(async () => {
  await hub?.stopAll();
  await sim?.close();
  process.off('unhandledRejection', onEscape);
  process.off('uncaughtException', onEscape);
});

/** One well-formed request per channel, the base of the near-miss mutations below. */
function validSamples(): Partial<Record<IpcChannel, unknown>> {
  return {
    [IpcChannels.appInfo]: null,
    [IpcChannels.getState]: null,
    [IpcChannels.confirm]: { accountId, notificationId, value: 'Y' },
    [IpcChannels.answer]: { accountId, notificationId, text: 'On my way' },
    [IpcChannels.pollNow]: { accountId },
    [IpcChannels.connectWebhook]: { url: sim.webhookUrl },
    [IpcChannels.connectOAuth]: { portal: sim.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret' },
    [IpcChannels.setOnline]: { online: true },
    [IpcChannels.markRead]: { accountId, notificationIds: [notificationId] },
    [IpcChannels.markAllRead]: { accountId },
    [IpcChannels.dismiss]: { accountId, notificationId },
    [IpcChannels.snooze]: { accountId, notificationId, until: { kind: 'hour' } },
    [IpcChannels.unsnooze]: { accountId, notificationId },
    [IpcChannels.getSettings]: null,
    [IpcChannels.updateSettings]: { sound: true },
    [IpcChannels.setAutostart]: { enabled: false },
    [IpcChannels.removePortal]: { accountId },
    [IpcChannels.updatePortal]: { accountId, change: { name: 'Acme' } },
    [IpcChannels.reorderPortals]: { accountIds: [accountId] },
    [IpcChannels.portalCategories]: { accountId },
    [IpcChannels.pendingAnswers]: { accountId },
    [IpcChannels.useMovedAddress]: { accountId },
    [IpcChannels.reconnectWebhook]: { accountId, url: 'https://acme.bitrix24.com/rest/1/abcdef123/' },
    [IpcChannels.reconnectOAuth]: { accountId },
    [IpcChannels.cancelSignIn]: null,
    [IpcChannels.dismissNotice]: { id: 'notice-1' },
  };
}

/** Values that are wrong for any field of the contract in type, range or shape. */
const HOSTILE_VALUES: unknown[] = [
  undefined,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  -1,
  1.5,
  2 ** 53,
  '1',
  'x'.repeat(100_000),
  '../../etc/passwd',
  'acc\u0000id',
  '<img src=x onerror=alert(1)>',
  { $gt: '' },
  [[[[[[[[[[[]]]]]]]]]]],
  new Map([['accountId', 'a']]),
  new Set([1]),
  new Date(0),
  new Uint8Array(8),
  JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
  Symbol.iterator.toString(),
];

/**
 * Payloads that break a channel's contract: another type altogether, an unknown key, an own
 * `__proto__` key (these by construction), or one field replaced by a hostile value the schema
 * does not take.
 */
function nearMisses(channel: IpcChannel, sample: unknown): unknown[] {
  const schema = IPC_REQUEST_SCHEMAS[channel];
  // An empty array parses as the empty request `{}` (valibot takes arrays for objects) where every
  // field is optional; handlers get the parsed `{}`, never the array, so it is left out there.
  const emptyArray = v.safeParse(schema, {}).success ? [] : [[]];
  const wholesale = ['', 0, false, 'null', [sample], [1], () => undefined, ...emptyArray];
  // `{}` breaks the contract only where a request must be null (getState takes `{ firstItems? }` too).
  if (sample === null) return [...wholesale, undefined, {}, { x: 1 }].filter((payload) => !v.safeParse(schema, payload).success);
  const fields = sample as Record<string, unknown>;
  const replaced = Object.keys(fields).flatMap((key) => HOSTILE_VALUES.map((value) => ({ ...fields, [key]: value })));
  return [
    ...wholesale,
    null,
    { ...fields, extra: true },
    { ...fields, constructor: { prototype: { polluted: true } } },
    JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(fields).slice(1)}`) as unknown,
    ...replaced.filter((payload) => !v.safeParse(schema, payload).success),
  ];
}

function isWellFormed(result: IpcResult<unknown>): boolean {
  if (result.ok === true) return 'value' in result;
  return result.ok === false && /^[a-z][a-z0-9-]*$/.test(result.error.code) && typeof result.error.message === 'string' && result.error.message.length > 0;
}

describe('IPC fuzzing through the real dispatcher, hub and engine', () => {
  it('has a sample request for every channel of the contract, each one valid', () => {
    const samples = validSamples();
    expect(Object.keys(samples).sort()).toEqual([...ALL_IPC_CHANNELS].sort());
    for (const channel of ALL_IPC_CHANNELS) expect(v.safeParse(IPC_REQUEST_SCHEMAS[channel], samples[channel]).success, channel).toBe(true);
  });

  it('refuses contract-breaking payloads on every channel before any handler: no request, no change', async () => {
    const requestsBefore = sim.requestLog.length;
    const fileBefore = readFileSync(store.filePath, 'utf8');
    const snapshotBefore = JSON.stringify(hub.snapshot());
    const samples = validSamples();

    for (const channel of ALL_IPC_CHANNELS) {
      for (const payload of nearMisses(channel, samples[channel])) {
        const result = await dispatch(channel, payload);
        expect(result, `${channel} ${String(JSON.stringify(payload))?.slice(0, 120)}`).toEqual({ ok: false, error: { code: 'invalid-payload', message: expect.stringMatching(/^Invalid request/) } });
      }
    }

    const channel = fc.constantFrom(...ALL_IPC_CHANNELS);
    const anything = fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withSparseArray: true, withBigInt: true, maxDepth: 4 });
    await fc.assert(
      fc.asyncProperty(
        channel.chain((c) => fc.tuple(fc.constant(c), anything.filter((payload) => !v.safeParse(IPC_REQUEST_SCHEMAS[c], payload).success))),
        async ([c, payload]) => {
          const result = await dispatch(c, payload);
          expect(result).toMatchObject({ ok: false, error: { code: 'invalid-payload' } });
        },
      ),
      { numRuns: 1_500 },
    );

    // Anything a handler set going would have reached the portal by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sim.requestLog.slice(requestsBefore)).toEqual([]);
    expect(readFileSync(store.filePath, 'utf8')).toBe(fileBefore);
    expect(JSON.stringify(hub.snapshot())).toBe(snapshotBefore);
    expect(accounts.list().map((account) => account.id)).toEqual([accountId]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(internalErrors).toEqual([]);
    expect(escaped).toEqual([]);
  });

  it('does reach the portal with a valid request (the request log would show a leak)', async () => {
    const before = sim.requestLog.length;
    await expect(dispatch(IpcChannels.confirm, { accountId, notificationId, value: 'Y' })).resolves.toEqual({ ok: true, value: { queued: true } });
    await pollUntil(() => sim.confirmLog.length > 0, 'the confirm at the portal');
    expect(sim.requestLog.slice(before).some((entry) => entry.restMethod === 'im.notify.confirm' || entry.restMethod === 'batch')).toBe(true);
  });

  it('answers any channel name and any payload with a well-formed IpcResult, never a throw', async () => {
    const channelName = fc.oneof(
      fc.constantFrom(...ALL_IPC_CHANNELS),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'b24:', 'B24:STATE:GET', `${IpcChannels.getState} `, 'b24:shell:exec', ''),
      fc.string(),
    );
    const payload = fc.oneof(
      fc.anything({ withNullPrototype: true, withMap: true, withSet: true, withDate: true, maxDepth: 3 }),
      fc.record({ accountId: fc.oneof(fc.constant(accountId), fc.string()), notificationId: fc.oneof(fc.constant(notificationId), fc.integer()), value: fc.string() }, { requiredKeys: [] }),
    );
    await fc.assert(
      fc.asyncProperty(channelName, payload, async (name, body) => {
        const result = await dispatch(name, body);
        expect(isWellFormed(result), JSON.stringify(result)).toBe(true);
        if (!ALL_IPC_CHANNELS.includes(name as IpcChannel)) expect(result).toMatchObject({ ok: false, error: { code: 'unknown-channel' } });
        if (result.ok === false) expect(result.error.code).not.toBe('internal');
      }),
      { numRuns: 500 },
    );
    expect(internalErrors).toEqual([]);
    expect(escaped).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
