/**
 * The app log keeps credentials out: the redactor's rules one by one, then a whole life of two
 * portals against the simulator on loopback (connect by webhook → poll → confirm → a portal
 * fault; an OAuth sign-in → token renewal → a revoked grant), written at debug level to a real
 * file, which is then searched for every secret that went over the wire.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { connectWebhook } from '../../main/core/app/connect';
import { connectOAuth } from '../../main/core/app/connect-oauth';
import { NotificationHub, type HubSnapshot } from '../../main/core/app/hub';
import type { ConnectionState } from '../../main/core/engine/state';
import { FileSink } from '../../main/core/log/file-sink';
import { logHubActivity } from '../../main/core/log/hub-log';
import { Logger, type LogSink } from '../../main/core/log/logger';
import { LogRedactor } from '../../main/core/log/redact';
import type { PortalClientOptions } from '../../main/core/portal/client';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { hubWhere } from '../harness/waits';
import { startPortalSim } from '../portal-sim';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'b24-log-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Every line written, for assertions that need no file. */
function memorySink(): LogSink & { lines: string[] } {
  const lines: string[] = [];
  return { lines, write: (line) => void lines.push(line) };
}

describe('LogRedactor', () => {
  it('masks webhook paths, secret parameters, headers, URL passwords and credential fields', () => {
    const redactor = new LogRedactor();
    const samples: [string, string][] = [
      ['POST https://acme.bitrix24.com/rest/7/k3yc0de9x/im.notify.get', 'k3yc0de9x'],
      ['auth=tok-aaaa1111&x=1', 'tok-aaaa1111'],
      ['{"access_token":"acc-bbbb2222","refresh_token":"ref-cccc3333"}', 'acc-bbbb2222'],
      ['{"access_token":"acc-bbbb2222","refresh_token":"ref-cccc3333"}', 'ref-cccc3333'],
      ['grant_type=refresh_token&client_secret=sec-dddd4444', 'sec-dddd4444'],
      ['http://127.0.0.1:47651/callback?code=authcode5555&state=1', 'authcode5555'],
      ['Authorization: Bearer bear-eeee6666', 'bear-eeee6666'],
      ["{ 'proxy-authorization': 'Basic YWxpY2U6cGFzcw==' }", 'YWxpY2U6cGFzcw=='],
      ['HTTPS_PROXY=http://alice:pr0xy-pass@proxy.corp:3128', 'pr0xy-pass'],
      ["{ accessToken: 'acc-ffff7777', clientSecret: 'sec-gggg8888' }", 'acc-ffff7777'],
      ["{ accessToken: 'acc-ffff7777', clientSecret: 'sec-gggg8888' }", 'sec-gggg8888'],
    ];
    for (const [text, secret] of samples) expect(redactor.redact(text), text).not.toContain(secret);
    expect(redactor.redact('POST https://acme.bitrix24.com/rest/7/k3yc0de9x/im.notify.get')).toBe('POST https://acme.bitrix24.com/rest/7/***/im.notify.get');
    expect(redactor.redact('HTTPS_PROXY=http://alice:pr0xy-pass@proxy.corp:3128')).toBe('HTTPS_PROXY=http://***@proxy.corp:3128');
  });

  it('masks registered secrets anywhere, and leaves error codes and ordinary words alone', () => {
    const redactor = new LogRedactor();
    redactor.add('s3cr3t-value', 'abc');
    expect(redactor.redact('seen s3cr3t-value in a body')).toBe('seen *** in a body');
    expect(redactor.redact("{ code: 'ECONNREFUSED', errno: -111 } authorization_error expired_token: abc")).toBe("{ code: 'ECONNREFUSED', errno: -111 } authorization_error expired_token: abc");
  });
});

describe('Logger', () => {
  it('drops lines below its level, stamps and labels the rest, and redacts formatted arguments', () => {
    const sink = memorySink();
    const logger = new Logger({ level: 'info', sinks: [sink], now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 6) });
    logger.addSecret('tok-registered-1');
    logger.debug('not written');
    logger.info('plain');
    logger.warn('with args', { accessToken: 'tok-registered-1', nested: { url: 'https://x.bitrix24.com/rest/1/c0dec0de/' } }, new Error('failed with auth=tok-registered-1'));
    logger.scoped('proxy')('error', 'scoped');
    expect(sink.lines).toHaveLength(3);
    expect(sink.lines[0]).toBe('2026-01-02T03:04:05.006Z INFO  plain');
    expect(sink.lines[1]).toMatch(/^2026-01-02T03:04:05\.006Z WARN {2}with args \{ accessToken: '\*\*\*', nested: \{ url: 'https:\/\/x\.bitrix24\.com\/rest\/1\/\*\*\*\/' \} \} Error: failed with auth=\*\*\*/);
    expect(sink.lines.join('\n')).not.toMatch(/tok-registered-1|c0dec0de/);
    expect(sink.lines[2]).toBe('2026-01-02T03:04:05.006Z ERROR [proxy] scoped');
    logger.setLevel('debug');
    logger.debug('now written');
    expect(sink.lines).toHaveLength(4);
  });

  it('never throws into its caller when a sink fails, and keeps feeding the others', () => {
    const good = memorySink();
    const failures: unknown[] = [];
    const failing: LogSink = {
      write: () => {
        throw new Error('disk full');
      },
    };
    const logger = new Logger({ sinks: [failing, good], onSinkError: (error) => failures.push(error) });
    expect(() => logger.error('one')).not.toThrow();
    expect(() => logger.error('two')).not.toThrow();
    expect(good.lines).toHaveLength(2);
    expect(failures).toEqual([new Error('disk full')]); // reported once, not per line
  });
});

describe('FileSink', () => {
  it('appends to main.log, rotates to main.old.log past the limit, and continues a file after a restart', () => {
    const dir = tempDir();
    const line = (n: number): string => `line ${String(n).padStart(3, '0')} ${'x'.repeat(40)}`; // 50 bytes + newline
    const sink = new FileSink({ dir, maxBytes: 180 });
    for (let n = 1; n <= 3; n += 1) sink.write(line(n));
    sink.close();
    // A restart picks up the file and its size.
    const again = new FileSink({ dir, maxBytes: 180 });
    expect(again.path).toBe(join(dir, 'main.log'));
    again.write(line(4)); // 200 bytes would pass 180: rotate first
    expect(readFileSync(join(dir, 'main.old.log'), 'utf8')).toBe([1, 2, 3].map((n) => `${line(n)}\n`).join(''));
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toBe(`${line(4)}\n`);
    for (let n = 5; n <= 8; n += 1) again.write(line(n));
    again.close();
    // The second rotation replaced the old file: two files, each under the limit, nothing older kept.
    expect(readFileSync(join(dir, 'main.old.log'), 'utf8')).toBe([4, 5, 6].map((n) => `${line(n)}\n`).join(''));
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toBe([7, 8].map((n) => `${line(n)}\n`).join(''));
  });

  it('writes a line longer than the limit whole rather than rotating forever', () => {
    const dir = tempDir();
    const sink = new FileSink({ dir, maxBytes: 10 });
    sink.write('a long line past the limit');
    sink.write('next');
    sink.close();
    expect(readFileSync(join(dir, 'main.old.log'), 'utf8')).toBe('a long line past the limit\n');
    expect(readFileSync(join(dir, 'main.log'), 'utf8')).toBe('next\n');
  });
});

/** Resolves when the hub shows a state that satisfies `predicate` (checked now and at each change). */
function connectionOf(snapshot: HubSnapshot, accountId: string): ConnectionState['status'] | undefined {
  return snapshot.accounts.find((account) => account.accountId === accountId)?.state.connection.status;
}

describe('the log of a whole session', () => {
  it('records connect, polls, a confirm, faults and token renewals at debug level, and no secret', async () => {
    const dir = tempDir();
    const logger = new Logger({ level: 'debug', sinks: [new FileSink({ dir })] });
    cleanups.push(() => logger.close());
    const portal = await startPortalSim();
    const storage = tempStorage().open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const hub = new NotificationHub((error) => logger.error('hub listener failed', error));
    cleanups.push(async () => {
      await hub.stopAll();
      await portal.close();
    });
    cleanups.push(logHubActivity(hub, logger.scoped('hub')));
    const clientOptions: Partial<PortalClientOptions> = { log: logger.scoped('portal'), registerSecret: logger.addSecret, backoffBaseMs: 5, backoffMaxMs: 20 };

    // Webhook: connect → first poll (sets the high-water mark) → a new invitation is announced →
    // confirm → a portal fault.
    const webhookAccount = await connectWebhook(portal.webhookUrl, connectDeps({ accounts, hub, storage, clientOptions }));
    await hubWhere(hub, (snapshot) => connectionOf(snapshot, webhookAccount.id) === 'ok');
    const invite = portal.addConfirm({ title: 'Invitation', text: 'Join the group' });
    const announced = new Promise<void>((resolve) => hub.on('announced', () => resolve()));
    hub.pollNow(webhookAccount.id);
    await announced;
    await expect(hub.confirm(webhookAccount.id, invite.id, 'Y', 'window')).resolves.toMatchObject({ status: 'done' });
    portal.injectFault({ kind: 'error', code: 'INTERNAL_SERVER_ERROR', description: 'Internal error', status: 500 }, { restMethod: 'im.notify.get', times: Infinity });
    hub.pollNow(webhookAccount.id);
    await hubWhere(hub, (snapshot) => connectionOf(snapshot, webhookAccount.id) === 'error');
    portal.clearFaults();

    // OAuth: sign in through a stand-in browser, then an expired token (renewed), then a revoked grant.
    let authorizationCode = '';
    const browser = async (url: string): Promise<void> => {
      const location = (await fetch(url, { redirect: 'manual' })).headers.get('location') ?? '';
      authorizationCode = new URL(location).searchParams.get('code') ?? '';
      await fetch(location);
    };
    const oauthAccount = await connectOAuth(
      { portal: portal.origin, clientId: 'local.sim.app', clientSecret: 'sim-secret' },
      { ...connectDeps({ accounts, hub, storage, clientOptions }), openExternal: browser, tokenUrl: portal.tokenUrl },
    );
    await hubWhere(hub, (snapshot) => connectionOf(snapshot, oauthAccount.id) === 'ok');
    const firstTokens = (await accounts.credentials(oauthAccount.id)) as { tokens: { accessToken: string; refreshToken: string } };
    portal.expireAccessTokens();
    const renewed = portal.tokenLog.length;
    hub.pollNow(oauthAccount.id);
    await hubWhere(hub, () => portal.tokenLog.slice(renewed).some((entry) => entry.grantType === 'refresh_token' && entry.ok));
    const secondTokens = (await accounts.credentials(oauthAccount.id)) as { tokens: { accessToken: string; refreshToken: string } };
    portal.revokeRefreshTokens();
    portal.expireAccessTokens();
    hub.pollNow(oauthAccount.id);
    await hubWhere(hub, (snapshot) => connectionOf(snapshot, oauthAccount.id) === 'auth-needed');
    logger.close();

    const text = readFileSync(join(dir, 'main.log'), 'utf8');
    const secrets = {
      webhookCode: portal.webhookCode,
      clientSecret: 'sim-secret',
      authorizationCode,
      firstAccessToken: firstTokens.tokens.accessToken,
      firstRefreshToken: firstTokens.tokens.refreshToken,
      secondAccessToken: secondTokens.tokens.accessToken,
      secondRefreshToken: secondTokens.tokens.refreshToken,
    };
    expect(Object.values(secrets).every((secret) => secret.length >= 6)).toBe(true);
    expect(secondTokens.tokens.accessToken).not.toBe(firstTokens.tokens.accessToken);
    for (const [name, secret] of Object.entries(secrets)) expect(text.includes(secret), `${name} is in the log`).toBe(false);

    const host = new URL(portal.origin).host;
    const expected = [
      new RegExp(`INFO  \\[portal\\] connected ${host} \\(webhook\\) as account ${webhookAccount.id}`),
      new RegExp(`DEBUG \\[portal\\] POST ${portal.origin}/rest/${portal.userId}/\\*\\*\\*/scope → HTTP 200 in \\d+ ms`),
      new RegExp(`INFO  \\[hub\\] account ${webhookAccount.id}: 1 new notification\\(s\\): #${invite.id} confirm`),
      new RegExp(`INFO  \\[hub\\] account ${webhookAccount.id}: confirm "Y" on #${invite.id} done`),
      /WARN {2}\[portal\] im\.notify\.get failed: INTERNAL_SERVER_ERROR \(HTTP 500\)/,
      new RegExp(`WARN  \\[hub\\] account ${webhookAccount.id} \\(${portal.origin}\\): error: `),
      new RegExp(`INFO  \\[portal\\] connected ${host} \\(oauth\\) as account ${oauthAccount.id}`),
      /INFO {2}\[portal\] OAuth tokens renewed/,
      /WARN {2}\[portal\] token renewal refused: invalid_grant/,
      new RegExp(`WARN  \\[hub\\] account ${oauthAccount.id} \\(${portal.origin}\\): auth-needed: Your sign-in to the portal has expired`),
    ];
    for (const pattern of expected) expect(text).toMatch(pattern);
  });
});
