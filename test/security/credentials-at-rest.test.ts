/**
 * Credentials at rest and after "disconnect", with the real storage (conf, the base of
 * electron-store) in a temp dir, a real SecretBox, the real connect flows against the portal
 * simulator, and the window's own path (IPC dispatcher → handlers) to remove a portal.
 */
import { StateFeed } from '../../main/core/app/state-feed';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { AccountsService } from '../../main/core/app/accounts-service';
import { connectWebhook } from '../../main/core/app/connect';
import { connectOAuth } from '../../main/core/app/connect-oauth';
import { NotificationHub } from '../../main/core/app/hub';
import { SettingsService } from '../../main/core/app/settings-service';
import { engineFactory } from '../../main/core/app/start-accounts';
import { createIpcDispatcher } from '../../main/core/ipc/dispatcher';
import { hubIpcHandlers } from '../../main/core/ipc/handlers';
import type { OAuthCredentials } from '../../main/core/portal';
import { SettingsStore } from '../../main/core/settings/settings';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import type { SecretBox } from '../../main/core/storage/secret-box';
import { XdgAutostart } from '../../main/linux/xdg-autostart';
import { IpcChannels } from '../../main/shared/ipc-contract';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage, type TempStorage } from '../harness/engine-harness';
import { pollUntil } from '../harness/processes';
import { startPortalSim, type PortalSim } from '../portal-sim';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function portal(): Promise<PortalSim> {
  const sim = await startPortalSim();
  cleanups.push(() => sim.close());
  return sim;
}

function newHub(): NotificationHub {
  const hub = new NotificationHub();
  cleanups.push(() => hub.stopAll());
  return hub;
}

/** Plays the user's browser: opens the portal's sign-in page and follows its redirect to our loopback. */
async function browser(url: string): Promise<void> {
  const signIn = await fetch(url, { redirect: 'manual' });
  const location = signIn.headers.get('location');
  if (location) await fetch(location);
}

/**
 * Every form in which `secret` shows in the file: as is, JSON- or URL-escaped, hex, or inside
 * base64 / base64url at any alignment, one level deep or two (base64 of a JSON blob holding it).
 */
function traces(file: Buffer, secret: string): string[] {
  const found = new Set<string>();
  const text = file.toString('utf8');
  const plain = Buffer.from(secret, 'utf8');
  if (text.includes(secret)) found.add('plain');
  if (text.includes(JSON.stringify(secret).slice(1, -1))) found.add('json-escaped');
  if (text.includes(encodeURIComponent(secret))) found.add('url-encoded');
  if (text.toLowerCase().includes(plain.toString('hex'))) found.add('hex');
  const decodeRuns = (source: string, depth: number): void => {
    for (const [run] of source.matchAll(/[A-Za-z0-9+/_-]{12,}={0,2}/g)) {
      for (let skip = 0; skip < 4; skip++) {
        const decoded = Buffer.from(run.slice(skip), 'base64'); // Node reads base64url too
        if (decoded.includes(plain)) found.add(`base64${depth > 1 ? ' (nested)' : ''}`);
        if (depth < 2) decodeRuns(decoded.toString('latin1'), depth + 1);
      }
    }
  };
  decodeRuns(text, 1);
  return [...found];
}

function expectNoTrace(store: TempStorage, secrets: string[]): void {
  const file = readFileSync(store.filePath);
  for (const secret of secrets) expect(traces(file, secret), `a trace of ${secret.slice(0, 4)}…`).toEqual([]);
}

describe('credentials at rest', () => {
  it('a webhook connection leaves no trace of its code in the store file', async () => {
    const sim = await portal();
    const store = tempStorage();
    const storage = store.open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const account = await connectWebhook(sim.webhookUrl, connectDeps({ accounts, hub: newHub(), storage }));
    await expect(accounts.credentials(account.id)).resolves.toMatchObject({ code: sim.webhookCode });
    expect(readFileSync(store.filePath, 'utf8')).toContain(account.id); // the file is the right one
    expectNoTrace(store, [sim.webhookCode, sim.webhookUrl]);
  });

  it('an OAuth connection leaves no trace of the client secret or the tokens, also after they rotate', async () => {
    const sim = await portal();
    const store = tempStorage();
    const storage = store.open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const hub = newHub();
    const account = await connectOAuth(
      { portal: sim.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret' },
      { ...connectDeps({ accounts, hub, storage }), openExternal: browser, tokenUrl: sim.tokenUrl, approvalTimeoutMs: 5_000 },
    );
    const first = (await accounts.credentials(account.id)) as OAuthCredentials;
    expectNoTrace(store, ['sim-secret', first.tokens.accessToken, first.tokens.refreshToken]);

    // The portal expires the access token; the client renews it and the new pair is sealed again.
    sim.expireAccessTokens();
    hub.pollNow();
    await pollUntil(() => sim.tokenLog.some((entry) => entry.grantType === 'refresh_token' && entry.ok), 'the token renewal');
    const second = await pollUntil(async () => {
      const now = (await accounts.credentials(account.id)) as OAuthCredentials;
      return now.tokens.accessToken !== first.tokens.accessToken && now;
    }, 'the rotated tokens to be stored');
    expectNoTrace(store, ['sim-secret', first.tokens.accessToken, first.tokens.refreshToken, second.tokens.accessToken, second.tokens.refreshToken]);
  });

  it('finds a secret that is merely encoded, so the checks above can fail', async () => {
    const encodeOnly: SecretBox = {
      protection: 'basic-text',
      seal: async (plain) => Buffer.from(plain).toString('base64'),
      open: async (sealed) => Buffer.from(sealed, 'base64').toString('utf8'),
    };
    const store = tempStorage();
    const accounts = new AccountStore(store.open(), encodeOnly);
    await accounts.add({ name: 'Leaky', auth: 'webhook', origin: 'https://leaky.bitrix24.com', webhookUserId: 1, code: 'leakycode7q2x9w' });
    expect(traces(readFileSync(store.filePath), 'leakycode7q2x9w')).toEqual(['base64']);
    await accounts.add({
      name: 'Leaky too',
      auth: 'oauth',
      origin: 'https://leaky.bitrix24.com',
      clientId: 'local.x',
      clientSecret: 'leaky-client-secret',
      tokens: { accessToken: 'leaky-access-token', refreshToken: 'leaky-refresh-token' },
    });
    for (const secret of ['leaky-client-secret', 'leaky-access-token', 'leaky-refresh-token']) expect(traces(readFileSync(store.filePath), secret)).not.toEqual([]);
    expect(traces(Buffer.from(`{"x":"${Buffer.from(Buffer.from('{"code":"abc123def456"}').toString('base64')).toString('base64')}"}`), 'abc123def456')).toContain('base64 (nested)');
  });
});

describe('disconnecting a portal', () => {
  it('leaves its credentials unusable: no secret in the file, no engine, no request, and reconnecting needs the secret again', async () => {
    const removed = await portal();
    const control = await portal();
    const store = tempStorage();
    const storage = store.open();
    const secretBox = new ProcessSecretBox();
    const accounts = new AccountStore(storage, secretBox);
    const hub = newHub();
    const settings = new SettingsStore(storage);
    const autostart = new XdgAutostart({ exec: '/usr/bin/b24-notify', appName: 'B24 Notify', id: 'b24-notify', configHome: mkdtempSync(join(tmpdir(), 'b24-xdg-')) });
    const deps = connectDeps({ accounts, hub, storage });
    const dispatch = createIpcDispatcher(
      hubIpcHandlers({
        hub,
        feed: new StateFeed(hub),
        reconnectWebhook: () => Promise.reject(new Error('not used')),
        reconnectOAuth: () => Promise.reject(new Error('not used')),
        appInfo: () => ({ version: '0.0.0-test', platform: process.platform }),
        connectWebhook: (url) => connectWebhook(url, deps),
        connectOAuth: (input) => connectOAuth(input, { ...deps, openExternal: browser, tokenUrl: removed.tokenUrl, approvalTimeoutMs: 5_000 }),
        settings: new SettingsService({ settings, accounts, hub, autostart, secretBox }),
        portals: new AccountsService({ accounts, hub, storage, createEngine: engineFactory(accounts, storage) }),
      }),
    );
    const connect = async (channel: string, payload: unknown): Promise<string> => {
      const result = await dispatch(channel, payload);
      expect(result).toMatchObject({ ok: true });
      return (result as { value: { accountId: string } }).value.accountId;
    };
    const webhookId = await connect(IpcChannels.connectWebhook, { url: removed.webhookUrl });
    const oauthId = await connect(IpcChannels.connectOAuth, { portal: removed.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret' });
    const controlId = await connect(IpcChannels.connectWebhook, { url: control.webhookUrl });
    const tokens = ((await accounts.credentials(oauthId)) as OAuthCredentials).tokens;
    const polled = (sim: PortalSim, auth: string) => sim.requestLog.some((entry) => entry.restMethod === 'im.notify.get' && entry.auth === auth && entry.status !== 0);
    await pollUntil(() => polled(removed, 'webhook') && polled(removed, 'oauth') && polled(control, 'webhook'), 'each portal’s first poll');
    const stored = JSON.parse(readFileSync(store.filePath, 'utf8')) as Record<string, unknown>;
    const sealed = [webhookId, oauthId].map((id) => stored[`account:${id}:secret`]);
    expect(sealed.every((value) => typeof value === 'string' && value.length > 20)).toBe(true);

    for (const accountId of [webhookId, oauthId]) {
      const result = await dispatch(IpcChannels.removePortal, { accountId });
      expect(result).toMatchObject({ ok: true });
      expect((result as { value: { portals: { accountId: string }[] } }).value.portals.map((p) => p.accountId)).not.toContain(accountId);
    }

    // The stored credentials are gone and cannot be used.
    for (const accountId of [webhookId, oauthId]) await expect(accounts.credentials(accountId)).rejects.toThrow();
    const file = readFileSync(store.filePath, 'utf8');
    for (const value of [webhookId, oauthId, ...(sealed as string[])]) expect(file).not.toContain(value);
    expectNoTrace(store, [removed.webhookCode, 'sim-secret', tokens.accessToken, tokens.refreshToken]);
    expect(new AccountStore(store.open(), secretBox).list().map((account) => account.id)).toEqual([controlId]);

    // The engines are stopped: a poll of everything reaches the control portal, and nothing the removed one.
    expect(hub.snapshot().accounts.map((account) => account.accountId)).toEqual([controlId]);
    const removedRequests = removed.requestLog.length;
    const controlPolls = control.requestLog.filter((entry) => entry.restMethod === 'im.notify.get').length;
    await expect(dispatch(IpcChannels.pollNow, {})).resolves.toEqual({ ok: true, value: null });
    await pollUntil(() => control.requestLog.filter((entry) => entry.restMethod === 'im.notify.get' && entry.status !== 0).length > controlPolls, 'the control portal’s poll');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(removed.requestLog.slice(removedRequests)).toEqual([]);
    for (const accountId of [webhookId, oauthId]) {
      await expect(dispatch(IpcChannels.pollNow, { accountId })).resolves.toMatchObject({ ok: false, error: { code: 'refused' } });
      await expect(dispatch(IpcChannels.updatePortal, { accountId, change: { enabled: true } })).resolves.toMatchObject({ ok: false, error: { code: 'refused' } });
    }
    expect(removed.requestLog.slice(removedRequests)).toEqual([]);

    // Connecting again takes the secret again: the portal's address alone, or no client secret, will not do.
    await expect(dispatch(IpcChannels.connectWebhook, { url: removed.origin })).resolves.toMatchObject({ ok: false, error: { code: 'connect-failed', reason: 'not-a-webhook' } });
    await expect(dispatch(IpcChannels.connectOAuth, { portal: removed.origin, clientId: 'local.sim.app', clientSecret: '' })).resolves.toMatchObject({ ok: false, error: { code: 'connect-failed', reason: 'missing-client' } });
    expect(removed.requestLog.slice(removedRequests)).toEqual([]);
    const again = await connect(IpcChannels.connectWebhook, { url: removed.webhookUrl });
    expect([webhookId, oauthId]).not.toContain(again);
  });
});
