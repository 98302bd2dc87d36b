/**
 * The portal simulator over real loopback HTTP with plain fetch: auth, the im.notify.* methods,
 * parameter parsing, batch, both limits, faults and the control routes. Time-dependent behaviour
 * is driven by an injected clock, never by sleeping.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REAL_PORTAL_DEFAULTS, setSimDefaults, startPortalSim, type PortalSim, type PortalSimOptions, type SimUser, type StoredNotification } from './index';

const open: PortalSim[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((sim) => sim.close()));
});

async function start(options: PortalSimOptions = {}): Promise<PortalSim> {
  const sim = await startPortalSim(options);
  open.push(sim);
  return sim;
}

/** A settable millisecond clock, starting 2026-03-03 09:00:00 UTC. */
function manualClock(): { now: () => number; advance: (ms: number) => void; set: (ms: number) => void } {
  let nowMs = Date.UTC(2026, 2, 3, 9, 0, 0);
  return {
    now: () => nowMs,
    advance: (ms) => {
      nowMs += ms;
    },
    set: (ms) => {
      nowMs = ms;
    },
  };
}

type Json = Record<string, unknown>;

interface Reply {
  status: number;
  body: Json;
  raw: string;
  headers: Headers;
}

async function request(url: string, init: RequestInit = {}): Promise<Reply> {
  const response = await fetch(url, init);
  const raw = await response.text();
  return { status: response.status, body: JSON.parse(raw) as Json, raw, headers: response.headers };
}

/** POST JSON to the webhook. */
function call(sim: PortalSim, method: string, params: Json = {}): Promise<Reply> {
  return request(`${sim.webhookUrl}${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(params),
  });
}

function oauthCall(sim: PortalSim, method: string, token: string, params: Json = {}): Promise<Reply> {
  return request(`${sim.restUrl}${method}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ ...params, auth: token }),
  });
}

interface NotifyPage {
  total_count?: number;
  total_unread_count?: number;
  chat_id?: number;
  notifications: StoredNotification[];
  users: SimUser[];
}

async function notifyGet(sim: PortalSim, params: Json = {}): Promise<NotifyPage> {
  const reply = await call(sim, 'im.notify.get', params);
  expect(reply.status).toBe(200);
  return reply.body['result'] as NotifyPage;
}

function expectError(reply: Reply, status: number, code: string, description?: string): void {
  expect(reply.status).toBe(status);
  expect(reply.body['error']).toBe(code);
  if (description !== undefined) expect(reply.body['error_description']).toBe(description);
  expect(reply.body).not.toHaveProperty('time');
}

function form(params: Record<string, string>): URLSearchParams {
  return new URLSearchParams(params);
}

interface TokenBody {
  access_token: string;
  refresh_token: string;
  expires: number;
  expires_in: number;
  client_endpoint: string;
  server_endpoint: string;
  domain: string;
  member_id: string;
  scope: string;
  status: string;
  user_id: number;
}

const CLIENT = { client_id: 'local.sim.app', client_secret: 'sim-secret' };

describe('webhook authentication', () => {
  it('answers a valid webhook call with result, time and the portal headers', async () => {
    const sim = await start({ webhookCode: 'abc123def456ghi7' });
    expect(sim.webhookUrl).toBe(`${sim.origin}/rest/1/abc123def456ghi7/`);
    const reply = await request(`${sim.webhookUrl}im.notify.get`);
    expect(reply.status).toBe(200);
    expect(reply.body['result']).toEqual({ notifications: [], users: [] });
    expect(Object.keys(reply.body['time'] as Json)).toEqual(['start', 'finish', 'duration', 'processing', 'date_start', 'date_finish']);
    expect(reply.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(reply.headers.get('access-control-allow-origin')).toBe('*');
    expect(reply.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses a wrong code or user with INVALID_CREDENTIALS 401', async () => {
    const sim = await start();
    expectError(await request(`${sim.origin}/rest/1/wrongcode/im.notify.get`), 401, 'INVALID_CREDENTIALS', 'Invalid request credentials');
    expectError(await request(`${sim.origin}/rest/2/${sim.webhookCode}/im.notify.get`), 401, 'INVALID_CREDENTIALS');
    expect(sim.requestLog.map((entry) => [entry.auth, entry.status, entry.error])).toEqual([
      ['webhook', 401, 'INVALID_CREDENTIALS'],
      ['webhook', 401, 'INVALID_CREDENTIALS'],
    ]);
  });

  it('looks the method up before authenticating: unknown methods are 404 even with bad credentials', async () => {
    const sim = await start();
    expectError(await call(sim, 'im.notify.nope'), 404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
    expectError(await request(`${sim.origin}/rest/1/wrongcode/im.nope`), 404, 'ERROR_METHOD_NOT_FOUND');
  });

  it('treats method names case-insensitively and accepts the .json suffix', async () => {
    const sim = await start();
    expect((await request(`${sim.webhookUrl}IM.Notify.GET.json`)).status).toBe(200);
    expect(sim.requestLog[0]?.restMethod).toBe('im.notify.get');
  });

  it('refuses plain http when https is required', async () => {
    const sim = await start({ requireHttps: true });
    expectError(await call(sim, 'im.notify.get'), 401, 'INVALID_REQUEST', 'Https required.');
  });

  it('as a real portal, refuses webhooks over plain HTTP unless REST_APAUTH_ALLOW_HTTP is defined', async () => {
    setSimDefaults(REAL_PORTAL_DEFAULTS);
    try {
      const real = await start();
      expectError(await call(real, 'im.notify.get'), 401, 'INVALID_REQUEST', 'Https required.');
      const box = await start({ restApAuthAllowHttp: true });
      expect((await call(box, 'im.notify.get')).status).toBe(200);
    } finally {
      setSimDefaults({ restApAuthAllowHttp: true });
    }
  });

  it('answers insufficient_scope without the im scope (401 by default, 403 when configured)', async () => {
    const sim = await start({ scopes: ['user'] });
    expectError(await call(sim, 'im.notify.get'), 401, 'insufficient_scope');
    const scope = await call(sim, 'scope');
    expect(scope.body['result']).toEqual(['user']);
    sim.setScopes(['im', 'user']);
    expect((await call(sim, 'im.notify.get')).status).toBe(200);

    const strict = await start({ scopes: [], insufficientScopeStatus: 403 });
    expectError(await call(strict, 'im.counters.get'), 403, 'insufficient_scope');
  });

  it('answers ACCESS_DENIED 401 when REST is not available on the plan', async () => {
    const sim = await start({ restAvailable: false });
    expectError(await call(sim, 'im.notify.get'), 401, 'ACCESS_DENIED', 'REST is available only by subscription.');
    const tokens = sim.issueTokens();
    expectError(await oauthCall(sim, 'im.notify.get', tokens.accessToken), 401, 'ACCESS_DENIED', 'REST is available only on commercial plans.');
    sim.setRestAvailable(true);
    expect((await call(sim, 'im.notify.get')).status).toBe(200);
  });
});

/** A throwaway self-signed certificate, or null when no openssl binary is around. */
function selfSignedCertificate(): { key: string; cert: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'portal-sim-tls-'));
  try {
    const [keyPath, certPath] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-keyout', keyPath, '-out', certPath],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
  } catch {
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const certificate = selfSignedCertificate();

describe('https', () => {
  it.skipIf(certificate === null)('serves HTTPS, where a webhook that requires https is accepted', async () => {
    const sim = await start({ tls: certificate ?? undefined, requireHttps: true });
    expect(sim.origin).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      httpsGet(`${sim.webhookUrl}im.notify.get`, { rejectUnauthorized: false }, (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode));
      }).on('error', reject);
    });
    expect(status).toBe(200);
  });
});

describe('OAuth', () => {
  it('accepts the token as auth, as access_token and as a Bearer header', async () => {
    const sim = await start();
    const { accessToken } = sim.issueTokens();
    expect((await request(`${sim.restUrl}im.notify.get?auth=${accessToken}`)).status).toBe(200);
    const viaForm = await request(`${sim.restUrl}im.counters.get`, { method: 'POST', body: form({ access_token: accessToken }) });
    expect(viaForm.status).toBe(200);
    const viaHeader = await request(`${sim.restUrl}im.notify.get`, { headers: { Authorization: `Bearer ${accessToken}` } });
    expect(viaHeader.status).toBe(200);
    expect(sim.requestLog.map((entry) => entry.auth)).toEqual(['oauth', 'oauth', 'oauth']);
    // Credentials never show up among the logged parameters.
    expect(sim.requestLog[0]?.params).toEqual({});
  });

  it('distinguishes missing, unknown and expired tokens', async () => {
    const clock = manualClock();
    const sim = await start({ now: clock.now, oauth: { clientId: 'local.sim.app', clientSecret: 'sim-secret', accessTtlSec: 60 } });
    expectError(await request(`${sim.restUrl}im.notify.get`), 401, 'NO_AUTH_FOUND', 'Wrong authorization data');
    expectError(await oauthCall(sim, 'im.notify.get', 'deadbeef'), 401, 'invalid_token');
    const { accessToken } = sim.issueTokens();
    expect((await oauthCall(sim, 'im.notify.get', accessToken)).status).toBe(200);
    clock.advance(60_000);
    expectError(await oauthCall(sim, 'im.notify.get', accessToken), 401, 'expired_token', 'The access token provided has expired');

    const fresh = sim.issueTokens();
    sim.expireAccessTokens();
    expectError(await oauthCall(sim, 'im.notify.get', fresh.accessToken), 401, 'expired_token');
  });

  it('rotates the refresh token on every refresh and rejects the old one', async () => {
    const sim = await start();
    const first = sim.issueTokens();
    const refreshed = await request(sim.tokenUrl, {
      method: 'POST',
      body: form({ grant_type: 'refresh_token', ...CLIENT, refresh_token: first.refreshToken }),
    });
    expect(refreshed.status).toBe(200);
    const tokens = refreshed.body as unknown as TokenBody;
    expect(Object.keys(tokens)).toEqual([
      'access_token',
      'expires',
      'expires_in',
      'scope',
      'domain',
      'server_endpoint',
      'status',
      'client_endpoint',
      'member_id',
      'user_id',
      'refresh_token',
    ]);
    expect(tokens).toMatchObject({ expires_in: 3600, client_endpoint: sim.restUrl, scope: 'im', status: 'L', user_id: 1 });
    expect(tokens.refresh_token).not.toBe(first.refreshToken);
    expect((await oauthCall(sim, 'im.notify.get', tokens.access_token)).status).toBe(200);

    const reused = await request(
      `${sim.tokenUrl}?${form({ grant_type: 'refresh_token', ...CLIENT, refresh_token: first.refreshToken }).toString()}`,
    );
    expect(reused.status).toBe(400);
    expect(reused.body['error']).toBe('invalid_grant');
    // The rotated one works with GET and a JSON body too.
    const again = await request(sim.tokenUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'refresh_token', ...CLIENT, refresh_token: tokens.refresh_token }),
    });
    expect(again.status).toBe(200);
    expect(sim.tokenLog.map((entry) => [entry.grantType, entry.ok, entry.error])).toEqual([
      ['refresh_token', true, undefined],
      ['refresh_token', false, 'invalid_grant'],
      ['refresh_token', true, undefined],
    ]);
  });

  it('exchanges a 30-second authorization code once', async () => {
    const clock = manualClock();
    const sim = await start({ now: clock.now });
    const exchange = (code: string): Promise<Reply> =>
      request(`${sim.tokenUrl}?${form({ grant_type: 'authorization_code', ...CLIENT, code }).toString()}`);
    const code = sim.createAuthCode();
    expect((await exchange(code)).status).toBe(200);
    expect((await exchange(code)).body['error']).toBe('invalid_grant');
    const late = sim.createAuthCode();
    clock.advance(30_001);
    expect((await exchange(late)).body['error']).toBe('invalid_grant');
  });

  it('answers invalid_client 401 and invalid_grant after revocation', async () => {
    const sim = await start();
    const { refreshToken } = sim.issueTokens();
    const badClient = await request(sim.tokenUrl, {
      method: 'POST',
      body: form({ grant_type: 'refresh_token', client_id: 'local.sim.app', client_secret: 'nope', refresh_token: refreshToken }),
    });
    expect(badClient.status).toBe(401);
    expect(badClient.body['error']).toBe('invalid_client');
    sim.revokeRefreshTokens();
    const revoked = await request(sim.tokenUrl, {
      method: 'POST',
      body: form({ grant_type: 'refresh_token', ...CLIENT, refresh_token: refreshToken }),
    });
    expect(revoked.status).toBe(400);
    expect(revoked.body['error']).toBe('invalid_grant');
  });
});

describe('im.notify.get', () => {
  it('renders a confirm exactly as §1.4: keyboard JSON string, escaped title, field order', async () => {
    const clock = manualClock();
    const sim = await start({ now: clock.now });
    const confirm = sim.addConfirm({
      title: 'Invitation to join group "Marketing"',
      text: 'You are invited to join group [URL=/workgroups/group/12/]Marketing[/URL]',
      buttons: [
        { title: 'Accept', value: 'Y', type: 'accept' },
        { title: 'Decline', value: 'N', type: 'cancel' },
      ],
      tag: 'SOCNET|INVITE_GROUP|5|41',
      module: 'socialnetwork',
      event: 'invite_group_btn',
      authorId: 3,
    });
    const page = await notifyGet(sim);
    const [item] = page.notifications;
    expect(item).toEqual(confirm);
    expect(Object.keys(item ?? {})).toEqual([
      'id',
      'chat_id',
      'author_id',
      'date',
      'notify_type',
      'notify_module',
      'notify_event',
      'notify_tag',
      'notify_sub_tag',
      'notify_title',
      'setting_name',
      'text',
      'notify_buttons',
      'params',
      'notify_read',
    ]);
    expect(item).toMatchObject({
      author_id: 3,
      date: '2026-03-03T09:00:00+00:00',
      notify_type: 1,
      notify_title: 'Invitation to join group &quot;Marketing&quot;',
      setting_name: 'socialnetwork|invite_group_btn',
      params: null,
      notify_read: 'N',
    });
    const keyboard = JSON.parse(item?.notify_buttons ?? '') as Json[];
    expect(keyboard).toEqual([
      {
        BOT_ID: 111,
        TYPE: 'BUTTON',
        COMMAND: 'notifyConfirm',
        COMMAND_PARAMS: `${confirm.id}|Y`,
        TEXT: 'Accept',
        VOTE: 'N',
        BLOCK: 'N',
        WAIT: 'N',
        CONTEXT: 'ALL',
        DISABLED: 'N',
        DISPLAY: 'LINE',
        BG_COLOR: '#8BC84B',
        BG_COLOR_TOKEN: 'base',
        TEXT_COLOR: '#fff',
      },
      expect.objectContaining({ COMMAND_PARAMS: `${confirm.id}|N`, TEXT: 'Decline', BG_COLOR: '#ef4b57' }),
    ]);
    expect(page).toMatchObject({ total_count: 1, total_unread_count: 1, chat_id: item?.chat_id });
    expect(page.users).toEqual([expect.objectContaining({ id: 3, idle: false, mobile_last_date: false, desktop_last_date: false })]);
    expect(page.users[0]?.avatar).toBe(`${sim.origin}/upload/main/avatar-3.png`);
    expect((await fetch(page.users[0]?.avatar ?? '')).headers.get('content-type')).toBe('image/png');
  });

  it('gives a confirm default Accept/Cancel buttons and a title passed pre-escaped stays single-escaped', async () => {
    const sim = await start();
    const confirm = sim.addConfirm({ title: 'Group &quot;Sales&quot; & more', text: 'Join?' });
    expect(confirm.notify_title).toBe('Group &quot;Sales&quot; &amp; more');
    const keyboard = JSON.parse(confirm.notify_buttons ?? '') as Json[];
    expect(keyboard.map((button) => [button['TEXT'], button['COMMAND_PARAMS']])).toEqual([
      ['Accept', `${confirm.id}|Y`],
      ['Cancel', `${confirm.id}|N`],
    ]);
  });

  it('walks more than 50 mixed notifications with the cursor: confirms first, no duplicates', async () => {
    const clock = manualClock();
    const sim = await start({ now: clock.now });
    const expected: number[] = [];
    for (let index = 0; index < 67; index++) {
      clock.advance(1000);
      const kind = index % 9;
      const added =
        kind === 0
          ? sim.addConfirm({ text: `confirm ${index}` })
          : kind % 2 === 0
            ? sim.addSystem({ text: `system ${index}` })
            : sim.addPersonal({ text: `personal ${index}`, authorId: 5 });
      expected.push(added.id);
    }
    const confirmIds = sim.notifications().filter((item) => item.notify_type === 1).map((item) => item.id);
    expect(confirmIds).toHaveLength(8);

    for (const limit of [undefined, 5]) {
      const seen: StoredNotification[] = [];
      let cursor: Json = {};
      for (let pageIndex = 0; pageIndex < 40; pageIndex++) {
        const page = await notifyGet(sim, { ...cursor, ...(limit ? { LIMIT: limit } : {}) });
        if (page.notifications.length === 0) break;
        expect(page.notifications.length).toBeLessThanOrEqual(limit ?? 50);
        seen.push(...page.notifications);
        const last = page.notifications.at(-1);
        cursor = { LAST_ID: last?.id, LAST_TYPE: last?.notify_type === 1 ? 1 : 3 };
      }
      const ids = seen.map((item) => item.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect([...ids].sort((a, b) => a - b)).toEqual(expected);
      // Confirms newest first, then the rest newest first.
      expect(ids.slice(0, 8)).toEqual([...confirmIds].reverse());
      const regular = ids.slice(8);
      expect(regular).toEqual([...regular].sort((a, b) => b - a));
    }
  });

  it('tops a short confirm page up with regular notifications from the newest one', async () => {
    const sim = await start();
    const confirms = [sim.addConfirm({ text: 'c1' }).id, sim.addConfirm({ text: 'c2' }).id];
    const regular = [sim.addPersonal({ text: 'p1' }).id, sim.addPersonal({ text: 'p2' }).id, sim.addPersonal({ text: 'p3' }).id];
    const first = await notifyGet(sim, { LIMIT: 1 });
    expect(first.notifications.map((item) => item.id)).toEqual([confirms[1]]);
    const second = await notifyGet(sim, { LIMIT: 3, LAST_ID: confirms[1], LAST_TYPE: 1 });
    expect(second.notifications.map((item) => item.id)).toEqual([confirms[0], regular[2], regular[1]]);
    const other = await notifyGet(sim, { LAST_ID: 99999, LAST_TYPE: 2 });
    expect(other.notifications).toEqual([]);
    expect(other.total_count).toBe(5);
  });

  it('orders by creation date, then id', async () => {
    const clock = manualClock();
    const sim = await start({ now: clock.now });
    const newer = sim.addPersonal({ text: 'newer' }).id;
    clock.advance(-60_000);
    const older = sim.addPersonal({ text: 'backdated' }).id;
    clock.advance(60_000);
    const sameSecond = sim.addPersonal({ text: 'same second, higher id' }).id;
    const page = await notifyGet(sim);
    expect(page.notifications.map((item) => item.id)).toEqual([sameSecond, newer, older]);
  });

  it('clamps LIMIT to 50', async () => {
    const sim = await start();
    for (let index = 0; index < 60; index++) sim.addPersonal({ text: `n${index}` });
    expect((await notifyGet(sim, { LIMIT: 100 })).notifications).toHaveLength(50);
    expect((await notifyGet(sim, { LIMIT: 7 })).notifications).toHaveLength(7);
  });

  it('requires LAST_ID and LAST_TYPE together and LAST_ID to be digits', async () => {
    const sim = await start();
    sim.addPersonal({ text: 'x' });
    expectError(
      await call(sim, 'im.notify.get', { LAST_ID: 5 }),
      400,
      'LAST_ID_AND_LAST_TYPE',
      'Parameters LAST_ID and LAST_TYPE should be used together.',
    );
    expectError(await call(sim, 'im.notify.get', { LAST_TYPE: 3 }), 400, 'LAST_ID_AND_LAST_TYPE');
    expectError(await call(sim, 'im.notify.get', { LAST_ID: '12a', LAST_TYPE: 3 }), 400, 'LAST_ID_STRING', "Last notification ID can't be string");
  });

  it('caps the unread counters at 100', async () => {
    const sim = await start();
    for (let index = 0; index < 120; index++) sim.addPersonal({ text: `n${index}` });
    const page = await notifyGet(sim);
    expect(page.total_count).toBe(120);
    expect(page.total_unread_count).toBe(100);
    const counters = (await call(sim, 'im.counters.get')).body['result'] as { TYPE: Json };
    expect(counters.TYPE).toMatchObject({ ALL: 100, NOTIFY: 100, MESSENGER: 0 });
  });
});

describe('im.notify.confirm and im.notify.answer', () => {
  it('confirms: button text, deletion, counter decremented, confirmLog', async () => {
    const sim = await start();
    const confirm = sim.addConfirm({ text: 'Join?', buttons: [{ title: 'Join "now"', value: 'Y', type: 'accept' }] });
    sim.addPersonal({ text: 'p' });
    const reply = await call(sim, 'im.notify.confirm', { NOTIFY_ID: confirm.id, NOTIFY_VALUE: 'Y' });
    expect(reply.status).toBe(200);
    expect(reply.body['result']).toEqual({ result_message: ['You chose "Join &quot;now&quot;"'] });
    expect(sim.get(confirm.id)).toBeUndefined();
    expect((await notifyGet(sim)).total_unread_count).toBe(1);
    expect(sim.confirmLog).toEqual([{ id: confirm.id, value: 'Y', at: expect.any(Number), via: 'rest' }]);
  });

  it('uses the module handler text only for tagged confirms; a refusing handler falls back to the button', async () => {
    const sim = await start();
    const handled = sim.addConfirm({ text: 'a', tag: 'SOCNET|INVITE_GROUP|1|1', resultMessage: 'Invitation accepted' });
    const untagged = sim.addConfirm({ text: 'b', resultMessage: 'ignored without a tag' });
    const refused = sim.addConfirm({ text: 'c', tag: 'SOCNET|INVITE_GROUP|1|2', resultMessage: false });
    const confirmWith = async (id: number, value: string): Promise<unknown> =>
      (await call(sim, 'im.notify.confirm', { ID: id, NOTIFY_VALUE: value })).body['result'];
    expect(await confirmWith(handled.id, 'Y')).toEqual({ result_message: ['Invitation accepted'] });
    expect(await confirmWith(untagged.id, 'N')).toEqual({ result_message: ['You chose "Cancel"'] });
    expect(await confirmWith(refused.id, 'Y')).toEqual({ result_message: ['You chose "Accept"'] });
    expect(sim.notifications()).toEqual([]);
  });

  it('answers [] for a value matching no button and still deletes', async () => {
    const sim = await start();
    const confirm = sim.addConfirm({ text: 'x' });
    expect((await call(sim, 'im.notify.confirm', { NOTIFY_ID: confirm.id, NOTIFY_VALUE: 'maybe' })).body['result']).toEqual({
      result_message: [],
    });
    expect(sim.get(confirm.id)).toBeUndefined();
  });

  it('answers 200 result_message false for unknown ids and non-confirms, deleting nothing', async () => {
    const sim = await start();
    const personal = sim.addPersonal({ text: 'p' });
    expect((await call(sim, 'im.notify.confirm', { NOTIFY_ID: 424242, NOTIFY_VALUE: 'Y' })).body['result']).toEqual({ result_message: false });
    const onPersonal = await call(sim, 'im.notify.confirm', { NOTIFY_ID: personal.id, NOTIFY_VALUE: 'Y' });
    expect(onPersonal.status).toBe(200);
    expect(onPersonal.body['result']).toEqual({ result_message: false });
    expect(sim.get(personal.id)).toBeDefined();
    expect(sim.confirmLog).toEqual([]);
  });

  it('lets ID win over NOTIFY_ID and treats "0" as an empty value', async () => {
    const sim = await start();
    const confirm = sim.addConfirm({ text: 'x' });
    expectError(await call(sim, 'im.notify.confirm', { ID: confirm.id, NOTIFY_VALUE: '0' }), 400, 'NOTIFY_VALUE_ERROR');
    expectError(await call(sim, 'im.notify.confirm', { NOTIFY_VALUE: 'Y' }), 400, 'ID_ERROR', "Notification ID can't be empty");
    expectError(await call(sim, 'im.notify.confirm', { ID: 0, NOTIFY_ID: confirm.id, NOTIFY_VALUE: 'Y' }), 400, 'ID_ERROR');
    const reply = await call(sim, 'im.notify.confirm', { ID: confirm.id, NOTIFY_ID: 999999, NOTIFY_VALUE: 'Y' });
    expect(reply.body['result']).toEqual({ result_message: ['You chose "Accept"'] });
  });

  it('a confirm answered in the browser is gone for the client', async () => {
    const sim = await start();
    const confirm = sim.addConfirm({ text: 'x' });
    sim.answerInBrowser(confirm.id, 'N');
    expect(sim.confirmLog).toEqual([{ id: confirm.id, value: 'N', at: expect.any(Number), via: 'browser' }]);
    expect((await call(sim, 'im.notify.confirm', { NOTIFY_ID: confirm.id, NOTIFY_VALUE: 'Y' })).body['result']).toEqual({
      result_message: false,
    });
    const other = sim.addPersonal({ text: 'y' });
    sim.deleteInBrowser(other.id);
    expect(sim.notifications()).toEqual([]);
    expect(() => sim.deleteInBrowser(other.id)).toThrow();
  });

  it('records quick replies without deleting the notification', async () => {
    const sim = await start();
    const item = sim.addPersonal({ text: 'Can you check?', quickReply: true });
    expect(item.params).toEqual({ CAN_ANSWER: 'Y' });
    const reply = await call(sim, 'im.notify.answer', { notify_id: item.id, answer_text: '  On it  ' });
    expect(reply.body['result']).toEqual({ result_message: ['Your response has been successfully sent.'] });
    expect(sim.answerLog).toEqual([{ id: item.id, text: 'On it', at: expect.any(Number) }]);
    expect(sim.get(item.id)).toBeDefined();
    expect((await call(sim, 'im.notify.answer', { NOTIFY_ID: item.id, ANSWER_TEXT: '   ' })).body['result']).toEqual({ result_message: false });
    expectError(await call(sim, 'im.notify.answer', { NOTIFY_ID: item.id }), 400, 'ANSWER_TEXT_ERROR');
  });
});

describe('read state and deletion', () => {
  async function readStates(sim: PortalSim): Promise<Record<number, string>> {
    const page = await notifyGet(sim);
    return Object.fromEntries(page.notifications.map((item) => [item.id, item.notify_read]));
  }

  it('im.notify.read marks this id and newer by default, only this one with ONLY_CURRENT, unread with ACTION≠Y', async () => {
    const sim = await start();
    const [a, b, c] = [sim.addPersonal({ text: 'a' }).id, sim.addPersonal({ text: 'b' }).id, sim.addPersonal({ text: 'c' }).id];
    expect((await call(sim, 'im.notify.read', { ID: b })).body['result']).toBe(true);
    expect(await readStates(sim)).toEqual({ [a]: 'N', [b]: 'Y', [c]: 'Y' });
    await call(sim, 'im.notify.read', { ID: a, ONLY_CURRENT: 'Y' });
    expect(await readStates(sim)).toEqual({ [a]: 'Y', [b]: 'Y', [c]: 'Y' });
    await call(sim, 'im.notify.read', { ID: c, ACTION: 'N' });
    expect(await readStates(sim)).toEqual({ [a]: 'Y', [b]: 'Y', [c]: 'N' });
    expect((await call(sim, 'im.notify.read', {})).body['result']).toBe(true);
  });

  it('ID=0 reads everything except confirms; unread also unreads the same tag', async () => {
    const sim = await start();
    const confirm = sim.addConfirm({ text: 'c' }).id;
    const first = sim.addPersonal({ text: 'a', tag: 'TASK|1' }).id;
    const other = sim.addPersonal({ text: 'b' }).id;
    await call(sim, 'im.notify.read', { ID: 0 });
    expect(await readStates(sim)).toEqual({ [confirm]: 'N', [first]: 'Y', [other]: 'Y' });
    expect((await notifyGet(sim)).total_unread_count).toBe(1);
    await call(sim, 'im.notify.read', { ID: first, ACTION: 'N', ONLY_CURRENT: 'Y' });
    expect(await readStates(sim)).toMatchObject({ [first]: 'N', [other]: 'Y' });
  });

  it('im.notify.read.list stops at the first id ≤ 0 and needs an array', async () => {
    const sim = await start();
    const [a, b, c] = [sim.addPersonal({ text: 'a' }).id, sim.addPersonal({ text: 'b' }).id, sim.addPersonal({ text: 'c' }).id];
    const reply = await request(`${sim.webhookUrl}im.notify.read.list`, { method: 'POST', body: `IDS[]=${a}&IDS[]=0&IDS[]=${c}` });
    expect(reply.body['result']).toBe(true);
    expect(await readStates(sim)).toEqual({ [a]: 'Y', [b]: 'N', [c]: 'N' });
    await call(sim, 'im.notify.read.list', { IDS: [a, c], ACTION: 'N' });
    expect(await readStates(sim)).toEqual({ [a]: 'N', [b]: 'N', [c]: 'N' });
    expectError(await call(sim, 'im.notify.read.list', { IDS: a }), 400, 'PARAMS_ERROR', 'No IDS param or it is not an array');
  });

  it('im.notify.read.all excludes confirms and reports newCounter; legacy mode answers true', async () => {
    const sim = await start();
    sim.addConfirm({ text: 'c1' });
    sim.addConfirm({ text: 'c2' });
    sim.addPersonal({ text: 'p' });
    sim.addSystem({ text: 's' });
    expect((await call(sim, 'im.notify.read.all')).body['result']).toEqual({ result: true, newCounter: 2 });
    const legacy = await start({ readAllLegacy: true });
    expect((await call(legacy, 'im.notify.read.all')).body['result']).toBe(true);
  });

  it('im.notify.delete by id, id list, and app tags', async () => {
    const sim = await start();
    const [a, b, c] = [sim.addPersonal({ text: 'a' }).id, sim.addPersonal({ text: 'b' }).id, sim.addPersonal({ text: 'c' }).id];
    expect((await call(sim, 'im.notify.delete', { ID: a })).body['result']).toBe(true);
    expect((await call(sim, 'im.notify.delete', { ID: [b, c] })).body['result']).toBe(true);
    expect((await call(sim, 'im.notify.delete', { ID: a })).body['result']).toBe(false);
    expectError(await call(sim, 'im.notify.delete', { TAG: 'X' }), 403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
    expect((await call(sim, 'im.notify.delete', { TAG: 'X', CLIENT_ID: 'my.app' })).body['result']).toBe(true);

    const { accessToken } = sim.issueTokens();
    expectError(await oauthCall(sim, 'im.notify.delete', accessToken), 400, 'PARAMS_ERROR', 'Incorrect params');
    const added = await oauthCall(sim, 'im.notify', accessToken, { USER_ID: 1, MESSAGE: 'tagged', TAG: 'TASK_42' });
    const id = added.body['result'] as number;
    expect(sim.get(id)?.notify_tag).toMatch(/^MP\|[0-9a-f]{5}\|TASK_42$/);
    expect((await oauthCall(sim, 'im.notify.delete', accessToken, { TAG: 'TASK_42' })).body['result']).toBe(true);
    expect(sim.get(id)).toBeUndefined();
  });
});

describe('adding notifications through REST', () => {
  it('creates personal and system notifications with module rest and returns the id', async () => {
    const sim = await start();
    const personal = await call(sim, 'im.notify', { TO: 1, MESSAGE: '  Reminder[BR]line two ', TAG: 'dropped' });
    const personalId = personal.body['result'] as number;
    expect(sim.get(personalId)).toMatchObject({
      notify_type: 2,
      author_id: 1,
      notify_module: 'rest',
      notify_event: 'rest_notify',
      setting_name: 'rest|rest_notify',
      text: 'Reminder\nline two',
      notify_tag: '', // webhook tags are dropped (§1.6)
      notify_title: null,
    });
    const system = await call(sim, 'im.notify.system.add', { USER_ID: 1, MESSAGE: 'Backup done' });
    expect(sim.get(system.body['result'] as number)).toMatchObject({ notify_type: 4, author_id: 0 });

    const { accessToken } = sim.issueTokens();
    const fromApp = await oauthCall(sim, 'im.notify', accessToken, { USER_ID: 1, MESSAGE: 'Deployed', TYPE: 'SYSTEM' });
    expect(sim.get(fromApp.body['result'] as number)?.text).toBe('Portal Sim App\nDeployed');
  });

  it('validates USER_ID, MESSAGE and ATTACH; unknown recipients give false', async () => {
    const sim = await start();
    expectError(await call(sim, 'im.notify.personal.add', { MESSAGE: 'x' }), 400, 'USER_ID_EMPTY', "User ID can't be empty");
    expectError(await call(sim, 'im.notify.personal.add', { USER_ID: 1, MESSAGE: '   ' }), 400, 'MESSAGE_EMPTY', "Message can't be empty");
    expectError(await call(sim, 'im.notify', { USER_ID: 1, MESSAGE: 'x', ATTACH: 'not json' }), 400, 'ATTACH_ERROR');
    const huge = [{ MESSAGE: 'x'.repeat(70_000) }];
    expectError(await call(sim, 'im.notify', { USER_ID: 1, MESSAGE: 'x', ATTACH: huge }), 400, 'ATTACH_OVERSIZE');
    expect((await call(sim, 'im.notify', { USER_ID: 777, MESSAGE: 'x' })).body['result']).toBe(false);
    const withAttach = await call(sim, 'im.notify', { USER_ID: 1, MESSAGE: 'x', ATTACH: [{ MESSAGE: 'block' }] });
    const params = sim.get(withAttach.body['result'] as number)?.params as { ATTACH: { BLOCKS: unknown[] }[] };
    expect(params.ATTACH[0]?.BLOCKS).toEqual([{ MESSAGE: 'block' }]);
  });

  it('replaces older notifications with the same app tag and groups their authors', async () => {
    const sim = await start();
    const first = sim.addPersonal({ text: 'Maria commented', tag: 'TASK|7', authorId: 3 });
    const second = sim.addPersonal({ text: 'Peter commented', tag: 'TASK|7', authorId: 5 });
    expect(sim.get(first.id)).toBeUndefined();
    expect(sim.get(second.id)?.params).toEqual({ USERS: [3] });
  });
});

describe('request parsing', () => {
  it('merges the query string with a form body (body wins) and upper-cases keys for im.*', async () => {
    const sim = await start();
    for (let index = 0; index < 5; index++) sim.addPersonal({ text: `n${index}` });
    const reply = await request(`${sim.webhookUrl}im.notify.get?limit=1&x=query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'limit=3&x=body',
    });
    expect((reply.body['result'] as NotifyPage).notifications).toHaveLength(3);
    expect(sim.requestLog[0]?.params).toEqual({ limit: '3', x: 'body' });
  });

  it('ignores an invalid JSON body and keeps the query', async () => {
    const sim = await start();
    for (let index = 0; index < 5; index++) sim.addPersonal({ text: `n${index}` });
    const reply = await request(`${sim.webhookUrl}im.notify.get?LIMIT=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: '{"LIMIT": 4',
    });
    expect(reply.status).toBe(200);
    expect((reply.body['result'] as NotifyPage).notifications).toHaveLength(2);
  });

  it('parses PHP-style arrays in query strings', async () => {
    const sim = await start();
    const ids = [sim.addPersonal({ text: 'a' }).id, sim.addPersonal({ text: 'b' }).id];
    await request(`${sim.webhookUrl}im.notify.read.list?IDS[0]=${ids[0]}&IDS[1]=${ids[1]}`);
    expect(sim.requestLog[0]?.params).toEqual({ IDS: [String(ids[0]), String(ids[1])] });
    expect((await notifyGet(sim)).total_unread_count).toBe(0);
  });

  it('encodes JSON like Bitrix: <, >, &, quotes and / escaped, Unicode kept', async () => {
    const sim = await start();
    sim.addPersonal({ text: 'a < b > c & "d" \'e\' / ж' });
    const reply = await call(sim, 'im.notify.get');
    expect(reply.raw).toContain('a \\u003C b \\u003E c \\u0026 \\u0022d\\u0022 \\u0027e\\u0027 \\/ ж');
    expect((reply.body['result'] as NotifyPage).notifications[0]?.text).toBe('a < b > c & "d" \'e\' / ж');
  });
});

describe('batch', () => {
  interface BatchResult {
    result: Json | unknown[];
    result_error: Json | unknown[];
    result_total: unknown;
    result_next: unknown;
    result_time: Json | unknown[];
  }

  async function batch(sim: PortalSim, body: Json): Promise<BatchResult> {
    const reply = await call(sim, 'batch', body);
    expect(reply.status).toBe(200);
    expect(reply.body['time']).toBeDefined();
    return reply.body['result'] as BatchResult;
  }

  it('runs named commands, resolves $result references and reports errors under their key', async () => {
    const sim = await start();
    const confirm = sim.addConfirm({ text: 'c' });
    const result = await batch(sim, {
      cmd: {
        list: 'im.notify.get?LIMIT=1',
        confirm: 'im.notify.confirm?NOTIFY_ID=$result[list][notifications][0][id]&NOTIFY_VALUE=Y',
        bad: 'im.notify.nope',
        counters: 'im.counters.get',
      },
    });
    expect(Object.keys(result.result)).toEqual(['list', 'confirm', 'counters']);
    expect((result.result as Json)['confirm']).toEqual({ result_message: ['You chose "Accept"'] });
    expect(sim.get(confirm.id)).toBeUndefined();
    expect(result.result_error).toEqual({ bad: { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' } });
    expect(result.result_total).toEqual([]);
    expect(result.result_next).toEqual([]);
    expect(Object.keys(result.result_time)).toEqual(['list', 'confirm', 'counters']);
    expect(sim.requestLog[0]?.batchCommands).toEqual([
      'im.notify.get?LIMIT=1',
      'im.notify.confirm?NOTIFY_ID=$result[list][notifications][0][id]&NOTIFY_VALUE=Y',
      'im.notify.nope',
      'im.counters.get',
    ]);
  });

  it('caps at 50 commands, refuses nested batch and stops on halt', async () => {
    const sim = await start();
    const many = await batch(sim, { cmd: Array.from({ length: 53 }, () => 'im.counters.get') });
    expect(many.result).toHaveLength(50);
    expect(many.result_error).toEqual({
      50: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
      51: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
      52: { error: 'ERROR_BATCH_LENGTH_EXCEEDED', error_description: 'Max batch length exceeded' },
    });
    const nested = await batch(sim, { cmd: { inner: 'batch?cmd[a]=scope' } });
    expect(nested.result).toEqual([]);
    expect(nested.result_error).toEqual({
      inner: { error: 'ERROR_BATCH_METHOD_NOT_ALLOWED', error_description: 'Method is not allowed for batch usage' },
    });
    const halted = await batch(sim, { halt: 1, cmd: ['im.counters.get', 'im.notify.confirm', 'im.counters.get'] });
    expect(halted.result).toEqual([expect.objectContaining({ TYPE: expect.any(Object) })]);
    expect(halted.result_error).toEqual({ 1: { error: 'ID_ERROR', error_description: "Notification ID can't be empty" } });
  });

  it('accepts a form-encoded cmd and counts as one bucket drop but each command against operating', async () => {
    const clock = manualClock();
    const sim = await start({
      now: clock.now,
      bucket: { capacity: 2, drainPerSec: 1 },
      operating: { limitSec: 1, costSec: { 'im.counters.get': 0.6 } },
    });
    const reply = await request(`${sim.webhookUrl}batch`, {
      method: 'POST',
      body: 'cmd[a]=im.counters.get&cmd[b]=im.counters.get&cmd[c]=im.counters.get',
    });
    const result = reply.body['result'] as BatchResult;
    expect(Object.keys(result.result)).toEqual(['a', 'b']);
    expect(result.result_error).toEqual({
      c: { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' },
    });
    expect((result.result_time as Json)['b']).toMatchObject({ operating: 1.2 });
    expect(sim.stats.maxBucketLevel).toBe(1);
    expect(sim.stats.operatingRejections).toBe(1);
  });
});

describe('limits', () => {
  it('answers 503 QUERY_LIMIT_EXCEEDED past the bucket capacity and drains over time', async () => {
    const clock = manualClock();
    const sim = await start({ now: clock.now, bucket: { capacity: 3, drainPerSec: 1 } });
    for (let index = 0; index < 3; index++) expect((await call(sim, 'im.counters.get')).status).toBe(200);
    expectError(await call(sim, 'im.counters.get'), 503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
    expect(sim.stats).toMatchObject({ maxBucketLevel: 3, queryLimitRejections: 1 });
    clock.advance(1000);
    expect((await call(sim, 'im.counters.get')).status).toBe(200);
    expectError(await call(sim, 'im.counters.get'), 503, 'QUERY_LIMIT_EXCEEDED');
    clock.advance(3000);
    for (let index = 0; index < 3; index++) expect((await call(sim, 'im.counters.get')).status).toBe(200);
    sim.resetLimits();
    sim.setBucket(false);
    for (let index = 0; index < 10; index++) expect((await call(sim, 'im.counters.get')).status).toBe(200);
  });

  it('blocks a method past its operating budget with 429 and reports operating in time', async () => {
    const clock = manualClock();
    const startSec = clock.now() / 1000;
    const sim = await start({ now: clock.now, operating: { limitSec: 1, costSec: { 'im.notify.get': 0.6 } } });
    const first = await call(sim, 'im.notify.get');
    expect(first.body['time']).toMatchObject({ operating: 0.6, operating_reset_at: startSec + 600 });
    clock.advance(61_000);
    const second = await call(sim, 'im.notify.get');
    expect(second.body['time']).toMatchObject({ operating: 1.2, operating_reset_at: startSec + 600 });
    expectError(await call(sim, 'im.notify.get'), 429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.');
    expect(sim.stats.operatingRejections).toBe(1);
    // Other methods have their own budget; untracked ones still report operating 0.
    const other = await call(sim, 'im.counters.get');
    expect(other.body['time']).toMatchObject({ operating: 0, operating_reset_at: Math.floor(clock.now() / 1000) + 600 });
    // The first bucket expires after 10 minutes.
    clock.advance(540_000);
    const after = await call(sim, 'im.notify.get');
    expect(after.status).toBe(200);
    expect(after.body['time']).toMatchObject({ operating: 1.2, operating_reset_at: startSec + 61 + 600 });
    sim.setOperating(false);
    expect(Object.keys((await call(sim, 'im.notify.get')).body['time'] as Json)).not.toContain('operating');
  });
});

describe('faults', () => {
  it('delay answers normally after the delay', async () => {
    const sim = await start();
    sim.injectFault({ kind: 'delay', ms: 60 });
    const startedMs = Date.now();
    expect((await call(sim, 'im.notify.get')).status).toBe(200);
    expect(Date.now() - startedMs).toBeGreaterThanOrEqual(50);
    expect(sim.requestLog[0]).toMatchObject({ fault: 'delay', status: 200 });
  });

  it('drop destroys the socket without an answer', async () => {
    const sim = await start();
    sim.injectFault({ kind: 'drop' });
    await expect(fetch(`${sim.webhookUrl}im.notify.get`)).rejects.toThrow();
    expect(sim.requestLog[0]).toMatchObject({ fault: 'drop', status: 0 });
  });

  it('status, html, malformed-json, error, redirect and huge-body answer as told', async () => {
    const sim = await start();
    sim.injectFault({ kind: 'status', status: 500, body: 'boom' });
    const status = await fetch(`${sim.webhookUrl}im.notify.get`);
    expect([status.status, await status.text()]).toEqual([500, 'boom']);

    sim.injectFault({ kind: 'html' });
    const html = await fetch(`${sim.webhookUrl}im.notify.get`);
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(await html.text()).toContain('<center>nginx</center>');

    sim.injectFault({ kind: 'malformed-json' });
    const malformed = await fetch(`${sim.webhookUrl}im.notify.get`);
    expect(malformed.status).toBe(200);
    await expect(malformed.json()).rejects.toThrow();

    sim.injectFault({ kind: 'error', code: 'OVERLOAD_LIMIT', description: 'REST API is blocked due to overload.', status: 503 });
    expectError(await call(sim, 'im.notify.get'), 503, 'OVERLOAD_LIMIT', 'REST API is blocked due to overload.');

    sim.injectFault({ kind: 'redirect', location: 'https://moved.example.com/rest/1/x/im.notify.get' });
    const redirect = await fetch(`${sim.webhookUrl}im.notify.get`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe('https://moved.example.com/rest/1/x/im.notify.get');

    sim.injectFault({ kind: 'huge-body', bytes: 3_000_000 });
    const huge = await fetch(`${sim.webhookUrl}im.notify.get`);
    const hugeText = await huge.text();
    expect(hugeText).toHaveLength(3_000_000);
    expect((JSON.parse(hugeText) as { result: string }).result).toHaveLength(3_000_000 - 13);

    expect((await call(sim, 'im.notify.get')).status).toBe(200);
  });

  it('lose-response processes the request, then drops the connection', async () => {
    const sim = await start();
    const confirm = sim.addConfirm({ text: 'x' });
    sim.injectFault({ kind: 'lose-response' }, { restMethod: 'im.notify.confirm' });
    await expect(call(sim, 'im.notify.confirm', { NOTIFY_ID: confirm.id, NOTIFY_VALUE: 'Y' })).rejects.toThrow();
    expect(sim.get(confirm.id)).toBeUndefined();
    expect(sim.confirmLog).toHaveLength(1);
    expect(sim.requestLog[0]).toMatchObject({ fault: 'lose-response', status: 0 });
  });

  it('expire-token expires the access tokens just before handling', async () => {
    const sim = await start();
    const { accessToken } = sim.issueTokens();
    sim.injectFault({ kind: 'expire-token' }, { restMethod: 'im.notify.confirm' });
    expect((await oauthCall(sim, 'im.notify.get', accessToken)).status).toBe(200);
    expectError(await oauthCall(sim, 'im.notify.confirm', accessToken, { ID: 1, NOTIFY_VALUE: 'Y' }), 401, 'expired_token');
  });

  it('matches by method in FIFO order, honours times, reaches the token endpoint and can be cleared', async () => {
    const sim = await start();
    sim.injectFault({ kind: 'status', status: 500 }, { restMethod: 'im.counters.get', times: 2 });
    sim.injectFault({ kind: 'status', status: 502 }, { restMethod: 'im.counters.get' });
    expect((await call(sim, 'im.notify.get')).status).toBe(200);
    const statuses = [];
    for (let index = 0; index < 4; index++) statuses.push((await fetch(`${sim.webhookUrl}im.counters.get`)).status);
    expect(statuses).toEqual([500, 500, 502, 200]);

    sim.injectFault({ kind: 'error', code: 'PAYMENT_REQUIRED', description: 'Payment required', status: 402 }, { restMethod: 'oauth.token' });
    const token = await request(sim.tokenUrl, { method: 'POST', body: form({ grant_type: 'refresh_token', ...CLIENT, refresh_token: 'x' }) });
    expect([token.status, token.body['error']]).toEqual([402, 'PAYMENT_REQUIRED']);

    sim.injectFault({ kind: 'status', status: 500 }, { times: Number.POSITIVE_INFINITY });
    expect((await fetch(`${sim.webhookUrl}scope`)).status).toBe(500);
    expect((await fetch(`${sim.webhookUrl}scope`)).status).toBe(500);
    sim.clearFaults();
    expect((await fetch(`${sim.webhookUrl}scope`)).status).toBe(200);
  });

  it('close() does not hang on a pending delay', async () => {
    const sim = await startPortalSim();
    sim.injectFault({ kind: 'delay', ms: 60_000 });
    const pending = fetch(`${sim.webhookUrl}im.notify.get`).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise<void>((resolve) => {
      const poll = (): void => {
        if (sim.requestLog.length > 0) resolve();
        else setTimeout(poll, 5);
      };
      poll();
    });
    const closedAt = Date.now();
    await sim.close();
    expect(Date.now() - closedAt).toBeLessThan(2_000);
    expect(await pending).toBe('failed');
  });
});

describe('other methods and the control routes', () => {
  it('serves scope, methods, server.time, schema and history search', async () => {
    const clock = manualClock();
    const sim = await start({ now: clock.now, scopes: ['im', 'user'] });
    expect((await call(sim, 'scope')).body['result']).toEqual(['im', 'user']);
    expect((await call(sim, 'server.time')).body['result']).toBe('2026-03-03T09:00:00+00:00');
    const methods = (await call(sim, 'methods')).body['result'] as string[];
    expect(methods).toContain('im.notify.confirm');
    expect(methods).not.toContain('im.notify.get'); // private, yet callable
    const schema = (await call(sim, 'im.notify.schema.get')).body['result'] as Record<string, { LIST: { ID: string }[] }>;
    expect(Object.keys(schema)).toEqual(expect.arrayContaining(['socialnetwork', 'calendar', 'rest', 'tasks']));
    expect(schema['calendar']?.LIST.map((entry) => entry.ID)).toContain('calendar|invite');

    sim.addPersonal({ text: 'Quarterly report ready', module: 'tasks', event: 'comment' });
    sim.addPersonal({ text: 'Lunch?' });
    const found = (await call(sim, 'im.notify.history.search', { SEARCH_TEXT: 'report' })).body['result'] as Json;
    expect(found).toMatchObject({ total_results: 1, notifications: [expect.objectContaining({ text: 'Quarterly report ready' })] });
    expect(Object.keys(found)).toEqual(['chat_id', 'notifications', 'users', 'total_results']);
    expectError(await call(sim, 'im.notify.history.search', { SEARCH_TEXT: 'ab' }), 400, 'SEARCH_TEXT_ERROR');
  });

  it('adds fixtures, injects faults and reports state over /_sim/', async () => {
    const sim = await start();
    const post = (path: string, body: Json): Promise<Reply> =>
      request(`${sim.origin}/_sim/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const added = (await post('confirm', { title: 'Meeting', text: 'Sprint review?', module: 'calendar', event: 'invite' })).body;
    expect(added).toMatchObject({ notify_type: 1, notify_module: 'calendar', notify_title: 'Meeting' });
    await post('personal', { text: 'Hi' });
    await post('system', { text: 'Backup' });
    await post('answer-in-browser', { id: added['id'], value: 'Y' });
    expect((await post('fault', { kind: 'status', status: 500, match: { restMethod: 'scope', times: 'Infinity' } })).status).toBe(200);
    expect((await fetch(`${sim.webhookUrl}scope`)).status).toBe(500);
    expect((await post('answer-in-browser', { id: 1, value: 'Y' })).status).toBe(404);
    expect((await post('personal', {})).status).toBe(400);
    const state = (await request(`${sim.origin}/_sim/state`)).body;
    expect(state['confirmLog']).toEqual([expect.objectContaining({ id: added['id'], via: 'browser' })]);
    expect((state['notifications'] as StoredNotification[]).map((item) => item.notify_type)).toEqual([2, 4]);
    // Control requests are not portal traffic.
    expect(sim.requestLog.map((entry) => entry.restMethod)).toEqual(['scope']);
  });
});
