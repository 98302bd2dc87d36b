/**
 * The portal client against the portal simulator over real loopback HTTP: error kinds, retries,
 * both limits, OAuth renewal, timeouts, odd bodies, redirects, batch and redaction.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PortalClient, PortalError, type PortalClientOptions, type OAuthTokens } from '../../main/core/portal';
import { startPortalSim, type PortalSim, type PortalSimOptions } from '../portal-sim';
import { FakeClock } from '../harness/fake-clock';
import { startForwarder } from '../soak/forwarder';
import { simWebhookCredentials } from '../harness/sim-credentials';

const open: { close(): Promise<void> }[] = [];
const logLines: string[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((item) => item.close()));
});

async function sim(options: PortalSimOptions = {}): Promise<PortalSim> {
  const started = await startPortalSim(options);
  open.push(started);
  return started;
}

function track(client: PortalClient): PortalClient {
  open.push(client);
  return client;
}

/** Fast retries so failure paths take milliseconds, and every log line kept for the redaction check. */
const FAST: Partial<PortalClientOptions> = {
  backoffBaseMs: 5,
  backoffMaxMs: 20,
  random: () => 0.5,
  log: (_level, message) => logLines.push(message),
};

function webhookClient(portal: PortalSim, overrides: Partial<PortalClientOptions> = {}): PortalClient {
  return track(
    new PortalClient({
      credentials: simWebhookCredentials(portal),
      ...FAST,
      ...overrides,
    }),
  );
}

function oauthClient(
  portal: PortalSim,
  tokens: OAuthTokens,
  onTokens: (tokens: OAuthTokens) => void = () => undefined,
  overrides: Partial<PortalClientOptions> = {},
): PortalClient {
  return track(
    new PortalClient({
      credentials: {
        kind: 'oauth',
        origin: portal.origin,
        clientId: 'local.sim.app',
        clientSecret: 'sim-secret',
        tokens,
        tokenUrl: portal.tokenUrl,
        onTokens,
      },
      ...FAST,
      ...overrides,
    }),
  );
}

async function failure(promise: Promise<unknown>): Promise<PortalError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof PortalError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function requestsFor(portal: PortalSim, restMethod: string): number {
  return portal.requestLog.filter((entry) => entry.restMethod === restMethod).length;
}

describe('PortalClient over a webhook', () => {
  it('calls a method and returns its result and time object', async () => {
    const portal = await sim();
    portal.addConfirm({ title: 'Invitation to join group Marketing', text: 'Join [URL=/workgroups/group/12/]Marketing[/URL]' });
    const client = webhookClient(portal);
    const response = await client.call<{ notifications: { notify_type: number }[]; total_unread_count: number }>('im.notify.get');
    expect(response.result.notifications).toHaveLength(1);
    expect(response.result.notifications[0]?.notify_type).toBe(1);
    expect(response.result.total_unread_count).toBe(1);
    expect(response.time?.duration).toBeTypeOf('number');
    const [entry] = portal.requestLog;
    expect(entry).toMatchObject({ restMethod: 'im.notify.get', auth: 'webhook', status: 200 });
  });

  it('refuses plain http to a host that is not loopback before sending anything', () => {
    expect(
      () => new PortalClient({ credentials: { kind: 'webhook', origin: 'http://acme.bitrix24.com', userId: 1, code: 'abcdef123' } }),
    ).toThrow(/https/);
  });

  it('types a wrong webhook code as auth and does not retry it', async () => {
    const portal = await sim();
    const client = track(
      new PortalClient({ credentials: { kind: 'webhook', origin: portal.origin, userId: portal.userId, code: 'wrongcode123' }, ...FAST }),
    );
    const error = await failure(client.call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'auth', code: 'INVALID_CREDENTIALS', delivery: 'not-processed' });
    expect(error.userMessage).toMatch(/Reconnect/);
    expect(requestsFor(portal, 'im.notify.get')).toBe(1);
  });

  it('types a webhook without the im scope as scope, whatever status the portal uses', async () => {
    for (const status of [401, 403] as const) {
      const portal = await sim({ scopes: ['user', 'task'], insufficientScopeStatus: status });
      const error = await failure(webhookClient(portal).call('im.notify.get'));
      expect(error).toMatchObject({ kind: 'scope', code: 'insufficient_scope', status });
    }
  });

  it('types a portal without REST on its plan as plan', async () => {
    const portal = await sim({ restAvailable: false });
    const error = await failure(webhookClient(portal).call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'plan', code: 'ACCESS_DENIED' });
    expect(error.userMessage).toMatch(/commercial plan/);
  });

  it('types bad parameters as invalid-request with the portal’s description', async () => {
    const portal = await sim();
    const error = await failure(webhookClient(portal).call('im.notify.confirm', { NOTIFY_ID: 0, NOTIFY_VALUE: 'Y' }));
    expect(error).toMatchObject({ kind: 'invalid-request', code: 'ID_ERROR', status: 400 });
    expect(error.userMessage).toContain("Notification ID can't be empty");
    const unknown = await failure(webhookClient(portal).call('im.notify.nonexistent'));
    expect(unknown).toMatchObject({ kind: 'invalid-request', code: 'ERROR_METHOD_NOT_FOUND' });
  });

  it('retries a 5xx for a read and succeeds', async () => {
    const portal = await sim();
    portal.injectFault({ kind: 'status', status: 500, body: '{"error":"INTERNAL_SERVER_ERROR","error_description":"oops"}' }, { restMethod: 'im.notify.get', times: 2 });
    const response = await webhookClient(portal).call('im.notify.get');
    expect(response.result).toBeDefined();
    expect(requestsFor(portal, 'im.notify.get')).toBe(3);
  });

  it('gives up on a read after the bounded number of attempts', async () => {
    const portal = await sim();
    portal.injectFault({ kind: 'status', status: 502, body: 'bad gateway', contentType: 'text/plain' }, { restMethod: 'im.notify.get', times: Infinity });
    const error = await failure(webhookClient(portal, { maxAttempts: 4 }).call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'transient', code: 'INVALID_RESPONSE', status: 502 });
    expect(requestsFor(portal, 'im.notify.get')).toBe(4);
  });

  it('never re-sends a confirm whose outcome is unknown (dropped connection)', async () => {
    const portal = await sim();
    const confirm = portal.addConfirm({ text: 'Meeting at 10:00' });
    portal.injectFault({ kind: 'drop' }, { restMethod: 'im.notify.confirm' });
    const error = await failure(webhookClient(portal).call('im.notify.confirm', { NOTIFY_ID: confirm.id, NOTIFY_VALUE: 'Y' }));
    expect(error).toMatchObject({ kind: 'transient', delivery: 'unknown' });
    expect(requestsFor(portal, 'im.notify.confirm')).toBe(1);
  });

  it('re-sends a confirm the portal refused before processing (503), exactly once in effect', async () => {
    const portal = await sim();
    const confirm = portal.addConfirm({ text: 'Meeting at 10:00' });
    portal.injectFault({ kind: 'error', code: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests', status: 503 }, { restMethod: 'im.notify.confirm', times: 2 });
    const response = await webhookClient(portal).call<{ result_message: string[] | false }>('im.notify.confirm', {
      NOTIFY_ID: confirm.id,
      NOTIFY_VALUE: 'Y',
    });
    expect(response.result.result_message).not.toBe(false);
    expect(requestsFor(portal, 'im.notify.confirm')).toBe(3);
    expect(portal.confirmLog.filter((entry) => entry.id === confirm.id)).toHaveLength(1);
  });

  it('re-sends a confirm when the portal could not be reached at all', async () => {
    const portal = await sim();
    const origin = portal.origin;
    await portal.close();
    const client = track(new PortalClient({ credentials: { kind: 'webhook', origin, userId: 1, code: 'abcdef123456' }, ...FAST }));
    const error = await failure(client.call('im.notify.confirm', { NOTIFY_ID: 5, NOTIFY_VALUE: 'Y' }));
    expect(error).toMatchObject({ kind: 'transient', code: 'NETWORK_ERROR', delivery: 'not-processed' });
    expect(logLines.filter((line) => line.includes('im.notify.confirm attempt')).length).toBeGreaterThanOrEqual(2);
  });

  it('turns an HTML error page and malformed JSON into clear transient errors with the status', async () => {
    const portal = await sim();
    const client = webhookClient(portal, { maxAttempts: 1 });
    portal.injectFault({ kind: 'html', status: 502 });
    const html = await failure(client.call('im.notify.get'));
    expect(html).toMatchObject({ kind: 'transient', code: 'INVALID_RESPONSE', status: 502 });
    expect(html.userMessage).toMatch(/HTTP 502/);
    portal.injectFault({ kind: 'malformed-json' });
    expect(await failure(client.call('im.notify.get'))).toMatchObject({ kind: 'transient', code: 'INVALID_RESPONSE', status: 200 });
  });

  it('times out a slow response and refuses an oversized one', async () => {
    const portal = await sim();
    const client = webhookClient(portal, { maxAttempts: 1, http: { requestTimeoutMs: 150, maxResponseBytes: 64 * 1024 } });
    portal.injectFault({ kind: 'delay', ms: 2_000 });
    expect(await failure(client.call('im.notify.get'))).toMatchObject({ kind: 'transient', code: 'TIMEOUT', delivery: 'unknown' });
    portal.injectFault({ kind: 'huge-body', bytes: 200 * 1024 });
    expect(await failure(client.call('im.notify.get'))).toMatchObject({ kind: 'transient', code: 'RESPONSE_TOO_LARGE' });
    // The client still works afterwards.
    expect((await client.call('scope')).result).toContain('im');
  });

  it('passes a caller’s cancellation through untouched', async () => {
    const portal = await sim();
    portal.injectFault({ kind: 'delay', ms: 2_000 });
    const controller = new AbortController();
    const pending = webhookClient(portal).call('im.notify.get', {}, { signal: controller.signal });
    controller.abort(new Error('window closed'));
    await expect(pending).rejects.toThrow('window closed');
  });

  it('never follows a portal’s redirect: the call fails as not processed and names the new address', async () => {
    const oldPortal = await sim({ webhookCode: 'movedcode12345' });
    const newPortal = await sim({ webhookCode: 'movedcode12345' });
    oldPortal.injectFault({ kind: 'redirect', location: `${newPortal.origin}/rest/1/movedcode12345/im.notify.get`, status: 302 });
    const onDomainChange = vi.fn();
    const client = webhookClient(oldPortal, { onDomainChange });
    expect(await failure(client.call('im.notify.get'))).toMatchObject({ kind: 'moved', code: 'PORTAL_MOVED', movedTo: newPortal.origin, delivery: 'not-processed' });
    expect(onDomainChange).not.toHaveBeenCalled();
    expect(client.origin).toBe(oldPortal.origin);
    expect(requestsFor(newPortal, 'im.notify.get')).toBe(0);
  });

  it('refuses a redirect to plain http or to the same address', async () => {
    const portal = await sim();
    const client = webhookClient(portal);
    portal.injectFault({ kind: 'redirect', location: 'http://evil.example.com/rest/1/x/im.notify.get' });
    expect(await failure(client.call('im.notify.get'))).toMatchObject({ kind: 'moved', code: 'UNSAFE_REDIRECT' });
    portal.injectFault({ kind: 'redirect', location: `/rest/1/${portal.webhookCode}/profile` });
    expect(await failure(client.call('im.notify.get'))).toMatchObject({ kind: 'invalid-request', code: 'UNEXPECTED_REDIRECT' });
  });

  it('follows the REST address the OAuth server names on renewal (client_endpoint), and reports it', async () => {
    const oldPortal = await sim();
    const pair = oldPortal.issueTokens();
    const forwarder = await startForwarder(new URL(oldPortal.origin), '127.0.0.2');
    open.push(forwarder);
    oldPortal.setClientEndpoint(`${forwarder.origin}/rest/`);
    const onDomainChange = vi.fn();
    const client = oauthClient(oldPortal, { accessToken: pair.accessToken, refreshToken: pair.refreshToken }, () => undefined, { onDomainChange });
    oldPortal.expireAccessTokens();
    await client.call('im.notify.get');
    expect(onDomainChange).toHaveBeenCalledExactlyOnceWith(forwarder.origin);
    expect(client.origin).toBe(forwarder.origin);
    expect(forwarder.connections).toBeGreaterThan(0);
  });
});

describe('PortalClient and the portal’s limits', () => {
  it('never exceeds the portal’s bucket in a 200-call burst', async () => {
    // The cloud’s real capacity (50, §4.5 of ../shared/docs/bitrix24-notify-api.md), drained
    // 25 times faster than the real 2/s to keep the test short. Our bucket keeps 5 slots of headroom
    // for requests that arrive bunched; with capacity 10 that headroom is one slot, less than the
    // first burst's TLS set-ups on a cold process bunch together at a 20 ms pace (failed when this
    // test ran alone), where the real 500 ms pace leaves ample room.
    const bucket = { capacity: 50, drainPerSec: 50 };
    const portal = await sim({ bucket });
    const client = webhookClient(portal, { bucket });
    const results = await Promise.all(Array.from({ length: 200 }, () => client.call('im.counters.get')));
    expect(results).toHaveLength(200);
    expect(portal.stats.queryLimitRejections).toBe(0);
    expect(portal.stats.maxBucketLevel).toBeLessThanOrEqual(bucket.capacity);
    expect(requestsFor(portal, 'im.counters.get')).toBe(200);
  });

  it('(control) the same burst without our bucket does trip the portal’s limit', async () => {
    const portal = await sim({ bucket: { capacity: 10, drainPerSec: 50 } });
    const client = webhookClient(portal, { bucket: false, maxAttempts: 1 });
    const settled = await Promise.allSettled(Array.from({ length: 60 }, () => client.call('im.counters.get')));
    expect(portal.stats.queryLimitRejections).toBeGreaterThan(0);
    const rejected = settled.filter((s): s is PromiseRejectedResult => s.status === 'rejected');
    expect(rejected[0]?.reason).toMatchObject({ kind: 'rate-limited', code: 'QUERY_LIMIT_EXCEEDED' });
  });

  it('recovers from injected 503 QUERY_LIMIT_EXCEEDED by backing off', async () => {
    const portal = await sim();
    portal.injectFault({ kind: 'error', code: 'QUERY_LIMIT_EXCEEDED', description: 'Too many requests', status: 503 }, { times: 2 });
    const response = await webhookClient(portal, { bucket: { capacity: 50, drainPerSec: 200 } }).call('im.notify.get');
    expect(response.result).toBeDefined();
    expect(requestsFor(portal, 'im.notify.get')).toBe(3);
  });

  it('waits out an injected 429 OPERATION_TIME_LIMIT and then succeeds', async () => {
    const clock = new FakeClock();
    const portal = await sim({ now: () => clock.now() });
    portal.injectFault({ kind: 'error', code: 'OPERATION_TIME_LIMIT', description: 'Method is blocked due to operation time limit.', status: 429 });
    const client = webhookClient(portal, { clock });
    const pending = client.call('im.notify.get');
    await vi.waitFor(() => expect(clock.pendingTimers).toBe(1));
    expect(requestsFor(portal, 'im.notify.get')).toBe(1);
    await clock.advance(10_000);
    await expect(pending).resolves.toMatchObject({ result: expect.anything() });
    expect(requestsFor(portal, 'im.notify.get')).toBe(2);
  });

  it('holds a method blocked for minutes without hammering the portal, then resumes after the reset', async () => {
    const clock = new FakeClock();
    const portal = await sim({ now: () => clock.now(), operating: { limitSec: 250, costSec: { 'im.notify.get': 100 } } });
    const client = webhookClient(portal, { clock, maxLimitWaitMs: 30_000 });
    for (let i = 0; i < 3; i += 1) await client.call('im.notify.get'); // 0 → 100 → 200 → 300 s used
    expect(client.operatingPressure('im.notify.get')).toBeGreaterThan(0.5);
    const blocked = await failure(client.call('im.notify.get'));
    expect(blocked).toMatchObject({ kind: 'operating-limited', code: 'OPERATION_TIME_LIMIT', status: 429 });
    expect(blocked.retryAt).toBeGreaterThan(clock.now() + 60_000);
    expect(portal.stats.operatingRejections).toBe(1);
    // While blocked, calls fail fast with no request at all; other methods are unaffected.
    const heldBack = await failure(client.call('im.notify.get'));
    expect(heldBack).toMatchObject({ kind: 'operating-limited', delivery: 'not-processed' });
    expect(portal.stats.operatingRejections).toBe(1);
    expect(requestsFor(portal, 'im.notify.get')).toBe(4);
    await client.call('im.counters.get');
    await clock.advance(11 * 60_000);
    await expect(client.call('im.notify.get')).resolves.toBeDefined();
  });
});

describe('PortalClient over OAuth', () => {
  it('sends the access token and renews it once on expiry, storing the rotated pair', async () => {
    const portal = await sim();
    const first = portal.issueTokens();
    const stored: OAuthTokens[] = [];
    const client = oauthClient(portal, first, (tokens) => void stored.push(tokens));
    await client.call('im.notify.get');
    expect(portal.requestLog.at(-1)).toMatchObject({ auth: 'oauth', status: 200 });

    portal.expireAccessTokens();
    await client.call('im.notify.get');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.accessToken).not.toBe(first.accessToken);
    expect(stored[0]?.refreshToken).not.toBe(first.refreshToken);
    expect(portal.tokenLog).toEqual([expect.objectContaining({ grantType: 'refresh_token', ok: true })]);
  });

  it('shares one renewal among concurrent calls', async () => {
    const portal = await sim();
    const onTokens = vi.fn();
    const client = oauthClient(portal, portal.issueTokens(), onTokens);
    portal.expireAccessTokens();
    await Promise.all(Array.from({ length: 8 }, () => client.call('im.counters.get')));
    expect(portal.tokenLog).toHaveLength(1);
    expect(onTokens).toHaveBeenCalledTimes(1);
  });

  it('renews when the token expires in the middle of a confirm, and confirms exactly once', async () => {
    const portal = await sim();
    const confirm = portal.addConfirm({ text: 'Join the group?' });
    const client = oauthClient(portal, portal.issueTokens());
    portal.injectFault({ kind: 'expire-token' }, { restMethod: 'im.notify.confirm' });
    const response = await client.call<{ result_message: string[] }>('im.notify.confirm', { NOTIFY_ID: confirm.id, NOTIFY_VALUE: 'Y' });
    expect(response.result.result_message).toHaveLength(1);
    expect(portal.confirmLog).toHaveLength(1);
    expect(portal.tokenLog).toHaveLength(1);
  });

  it('ends in a clear “sign in again” error when the refresh token is no longer valid', async () => {
    const portal = await sim();
    const client = oauthClient(portal, portal.issueTokens());
    portal.expireAccessTokens();
    portal.revokeRefreshTokens();
    const error = await failure(client.call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'auth', code: 'invalid_grant', delivery: 'not-processed' });
    expect(error.userMessage).toMatch(/Sign in again/);
  });

  it('does not loop when a renewed token is refused too', async () => {
    const portal = await sim();
    const client = oauthClient(portal, portal.issueTokens());
    portal.injectFault({ kind: 'expire-token' }, { restMethod: 'im.notify.get', times: 2 });
    const error = await failure(client.call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'auth', code: 'expired_token' });
    expect(portal.tokenLog).toHaveLength(1);
    expect(requestsFor(portal, 'im.notify.get')).toBe(2);
  });

  it('types an unknown token that cannot be renewed as auth', async () => {
    const portal = await sim();
    const client = oauthClient(portal, { accessToken: 'not-a-real-token-1', refreshToken: 'not-a-real-refresh-1' });
    const error = await failure(client.call('im.notify.get'));
    expect(error).toMatchObject({ kind: 'auth', code: 'invalid_grant' });
  });
});

describe('PortalClient.batch', () => {
  it('sends several commands in one request and reports each result or error under its key', async () => {
    const portal = await sim();
    const confirm = portal.addConfirm({ text: 'Meeting' });
    portal.addPersonal({ text: 'Hello' });
    const client = webhookClient(portal);
    const batch = await client.batch({
      list: { method: 'im.notify.get', params: { LIMIT: 10 } },
      counters: { method: 'im.counters.get' },
      bad: { method: 'im.notify.confirm', params: { NOTIFY_ID: 0, NOTIFY_VALUE: 'Y' } },
      read: { method: 'im.notify.read.list', params: { IDS: [confirm.id], ACTION: 'Y' } },
    });
    expect(portal.requestLog.map((entry) => entry.restMethod)).toEqual(['batch']);
    expect(batch.results.list).toMatchObject({ notifications: expect.any(Array) });
    expect(batch.results.counters).toMatchObject({ TYPE: expect.objectContaining({ NOTIFY: expect.any(Number) }) });
    expect(batch.results.read).toBe(true);
    expect(batch.errors.bad).toMatchObject({ kind: 'invalid-request', code: 'ID_ERROR' });
    expect(batch.times.list?.duration).toBeTypeOf('number');
  });

  it('reports commands skipped after a failure with halt', async () => {
    const portal = await sim();
    const batch = await webhookClient(portal).batch(
      [{ method: 'im.notify.confirm', params: { NOTIFY_ID: 0, NOTIFY_VALUE: 'Y' } }, { method: 'im.notify.get' }],
      { halt: true },
    );
    expect(batch.errors['0']).toMatchObject({ code: 'ID_ERROR' });
    expect(batch.errors['1']).toMatchObject({ code: 'BATCH_COMMAND_SKIPPED' });
  });

  it('refuses more than 50 commands without sending anything', async () => {
    const portal = await sim();
    const commands = Array.from({ length: 51 }, () => ({ method: 'im.counters.get' }));
    expect(await failure(webhookClient(portal).batch(commands))).toMatchObject({ code: 'ERROR_BATCH_LENGTH_EXCEEDED' });
    expect(portal.requestLog).toHaveLength(0);
  });
});

describe('redaction', () => {
  it('keeps the webhook code and OAuth tokens out of every error and log line', async () => {
    const portal = await sim({ webhookCode: 'supersecretcode42' });
    const tokens = portal.issueTokens();
    const seen: string[] = [];
    const remember = (error: PortalError): void => {
      seen.push(error.message, error.userMessage, error.description ?? '', String(error.stack), JSON.stringify(error));
    };
    const webhook = webhookClient(portal, { maxAttempts: 2 });
    for (const fault of [
      { kind: 'drop' },
      { kind: 'html', status: 503 },
      { kind: 'malformed-json' },
      { kind: 'status', status: 500, body: `{"error":"ERROR_CORE","error_description":"SQL error at /rest/1/supersecretcode42/im.notify.get auth=${tokens.accessToken}"}` },
      { kind: 'error', code: 'INVALID_CREDENTIALS', description: `Wrong code supersecretcode42`, status: 401 },
    ] as const) {
      portal.injectFault(fault, { times: 2 });
      remember(await failure(webhook.call('im.notify.get')));
      portal.clearFaults();
    }
    const oauth = oauthClient(portal, tokens);
    portal.expireAccessTokens();
    portal.revokeRefreshTokens();
    remember(await failure(oauth.call('im.notify.get')));

    const everything = [...seen, ...logLines].join('\n');
    expect(logLines.length).toBeGreaterThan(0);
    expect(everything).not.toContain('supersecretcode42');
    expect(everything).not.toContain(tokens.accessToken);
    expect(everything).not.toContain(tokens.refreshToken);
    expect(everything).not.toContain('sim-secret');
  });
});
