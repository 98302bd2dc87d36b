/**
 * How the client reads what the portal sends back: the REST envelope (bitrix24-notify-api §4.4,
 * `{result, time}` or `{error, error_description}`), and the `batch` answer per command (§4.6:
 * `result`, `result_error`, `result_time`; a halted batch leaves later commands out).
 */
import { describe, expect, it } from 'vitest';
import { batchCmd, readBatch, type BatchLimits } from '../../main/core/portal/batch';
import type { BatchCommand } from '../../main/core/portal/client-types';
import { parseEnvelope } from '../../main/core/portal/envelope';
import { PortalError } from '../../main/core/portal/errors';
import type { HttpReply } from '../../main/core/portal/http';
import type { PortalTime } from '../../main/core/portal/operating-limiter';
import { Redactor } from '../../main/core/portal/redact';

function reply(status: number, bodyText: string): HttpReply {
  return { status, location: undefined, contentType: 'application/json; charset=utf-8', bodyText };
}

function readError(status: number, body: unknown, redactor = new Redactor()): PortalError {
  try {
    parseEnvelope(reply(status, typeof body === 'string' ? body : JSON.stringify(body)), redactor);
  } catch (error) {
    if (error instanceof PortalError) return error;
    throw error;
  }
  throw new Error('the envelope was accepted');
}

describe('parseEnvelope', () => {
  it('takes an nginx HTML page instead of JSON as an invalid answer that may have been acted on', () => {
    expect(readError(502, '<html><body>502 Bad Gateway</body></html>')).toMatchObject({
      kind: 'transient', code: 'INVALID_RESPONSE', status: 502, delivery: 'unknown',
    });
  });

  it('does not trust a `result` that came with an error status', () => {
    expect(readError(500, { result: { items: [] } })).toMatchObject({
      kind: 'transient', code: 'INVALID_RESPONSE', status: 500, delivery: 'unknown',
    });
  });

  it('rejects a 200 that is neither a result nor an error', () => {
    for (const body of [{}, [1, 2], { time: { start: 1 } }]) {
      expect(readError(200, body)).toMatchObject({ kind: 'transient', code: 'INVALID_RESPONSE', status: 200, delivery: 'unknown' });
    }
  });

  it('reads a result whose `error` field is empty or null as a success', () => {
    for (const error of ['', null]) {
      expect(parseEnvelope(reply(200, JSON.stringify({ result: 7, error })), new Redactor())).toEqual({ result: 7, time: undefined });
    }
  });

  it('keeps the `time` object only when it is an object', () => {
    const time = { start: 1, operating: 2 };
    expect(parseEnvelope(reply(200, JSON.stringify({ result: true, time })), new Redactor())).toEqual({ result: true, time });
    expect(parseEnvelope(reply(200, JSON.stringify({ result: true, time: 'now' })), new Redactor()).time).toBeUndefined();
  });

  it('says a refused request was not processed, and a server failure may have been', () => {
    expect(readError(403, { error: 'ACCESS_DENIED', error_description: 'Access denied!' })).toMatchObject({
      kind: 'invalid-request', code: 'ACCESS_DENIED', description: 'Access denied!', status: 403, delivery: 'not-processed',
    });
    expect(readError(500, { error: 'SOMETHING_BROKE', error_description: 'Internal error' })).toMatchObject({
      kind: 'transient', code: 'SOMETHING_BROKE', status: 500, delivery: 'unknown',
    });
  });

  it('names an error whose code is not text UNKNOWN_ERROR and ignores a description that is not text', () => {
    for (const error of [42, true, { nested: 'x' }]) {
      const failure = readError(400, { error, error_description: 17 });
      expect(failure).toMatchObject({ code: 'UNKNOWN_ERROR', status: 400 });
      expect(failure.description).toBeUndefined();
    }
  });

  it('cuts an absurdly long error code to 200 characters and masks secrets in it', () => {
    const redactor = new Redactor();
    const secret = 'abcdefghij0123456789';
    redactor.add(secret);
    const failure = readError(400, { error: `BAD_${secret}_${'X'.repeat(400)}` }, redactor);
    expect(failure.code).not.toContain(secret);
    expect(failure.code.startsWith('BAD_')).toBe(true);
    expect(failure.code.length).toBeLessThanOrEqual(200);
  });
});

describe('batchCmd', () => {
  it('sends a command without parameters as the bare method name', () => {
    expect(batchCmd([['count', { method: 'im.counters.get' }], ['list', { method: 'im.notify.get', params: { LIMIT: 5 } }]])).toEqual({
      count: 'im.counters.get',
      list: 'im.notify.get?LIMIT=5',
    });
  });
});

describe('readBatch', () => {
  function recordingLimits(): BatchLimits & { recorded: [string, PortalTime][]; blocked: string[] } {
    const recorded: [string, PortalTime][] = [];
    const blocked: string[] = [];
    return {
      redactor: new Redactor(),
      recorded,
      blocked,
      record: (method, time) => recorded.push([method, time]),
      block: (method) => {
        blocked.push(method);
        return 1_700_000_000_000;
      },
    };
  }
  const entries: [string, BatchCommand][] = [
    ['a', { method: 'im.notify.get' }],
    ['b', { method: 'IM.NOTIFY.READ' }],
    ['c', { method: 'im.notify.confirm' }],
  ];

  it('records timings only for the commands the portal reported on', () => {
    const limits = recordingLimits();
    const time = { start: 1, finish: 2, operating: 3, operating_reset_at: 4 };
    const response = readBatch({ result: { a: [], b: true, c: true }, result_time: { b: time } }, entries, limits);
    expect(response.times).toEqual({ b: time });
    expect(limits.recorded).toEqual([['im.notify.read', time]]);
  });

  it('holds a method only for an operating-limit failure, not for any other error', () => {
    const limits = recordingLimits();
    const response = readBatch(
      {
        result: { a: [] },
        result_error: {
          b: { error: 'ACCESS_DENIED', error_description: 'no' },
          c: { error: 'OPERATION_TIME_LIMIT', error_description: 'Method is blocked due to operation time limit.' },
        },
      },
      entries,
      limits,
    );
    expect(response.results).toEqual({ a: [] });
    expect(response.errors.b).toMatchObject({ code: 'ACCESS_DENIED', delivery: 'not-processed' });
    expect(response.errors.b?.retryAt).toBeUndefined();
    expect(response.errors.c).toMatchObject({ code: 'OPERATION_TIME_LIMIT', retryAt: 1_700_000_000_000 });
    expect(limits.blocked).toEqual(['im.notify.confirm']);
  });

  it('marks the commands a halted batch never ran as skipped and not processed', () => {
    const response = readBatch({ result: { a: [] }, result_error: { b: { error: 'ERROR_ARGUMENT' } } }, entries, recordingLimits());
    const skipped = response.errors.c;
    expect(skipped).toBeInstanceOf(PortalError);
    expect(skipped).toMatchObject({
      kind: 'invalid-request',
      code: 'BATCH_COMMAND_SKIPPED',
      description: 'not run: an earlier command in the batch failed',
      delivery: 'not-processed',
    });
  });
});
