/**
 * The `batch` method's two halves: the `cmd` map it sends (each command as "method?query") and
 * the answer read back per command — result, the portal's error, or "not run" after a halt.
 */
import type { BatchCommand, BatchResponse } from './client-types';
import { errorFromBody, errorInit, isRecord, phpMap } from './envelope';
import { PortalError } from './errors';
import type { PortalTime } from './operating-limiter';
import { encodePhpQuery } from './query-string';
import type { Redactor } from './redact';

export function batchCmd(entries: [string, BatchCommand][]): Record<string, string> {
  return Object.fromEntries(
    entries.map(([key, command]) => {
      const query = command.params ? encodePhpQuery(command.params) : '';
      return [key, query ? `${command.method}?${query}` : command.method];
    }),
  );
}

export interface BatchLimits {
  redactor: Redactor;
  record(methodKey: string, time: PortalTime): void;
  /** Holds the method until its operating-limit reset; returns when that is. */
  block(methodKey: string): number;
}

export function readBatch(result: unknown, entries: [string, BatchCommand][], limits: BatchLimits): BatchResponse {
  const response: BatchResponse = { results: {}, errors: {}, times: {} };
  const body = isRecord(result) ? result : {};
  const results = phpMap(body.result);
  const failures = phpMap(body.result_error);
  const times = phpMap(body.result_time);
  for (const [key, command] of entries) {
    const methodKey = command.method.toLowerCase();
    const time = times[key];
    if (isRecord(time)) {
      response.times[key] = time as PortalTime;
      limits.record(methodKey, time as PortalTime);
    }
    const failure = failures[key];
    if (failure !== undefined) {
      const error = errorFromBody(failure, undefined, limits.redactor);
      // A sub-call over its method's operating limit comes back with HTTP 200 inside the batch
      // (real-portal-notes §3); it holds that method until its reset like a plain 429 does.
      response.errors[key] = error.code === 'OPERATION_TIME_LIMIT' ? new PortalError({ ...errorInit(error), retryAt: limits.block(methodKey) }) : error;
    } else if (key in results) {
      response.results[key] = results[key];
    } else {
      // With `halt`, commands after the first failure never run.
      response.errors[key] = new PortalError({
        kind: 'invalid-request',
        code: 'BATCH_COMMAND_SKIPPED',
        description: 'not run: an earlier command in the batch failed',
        delivery: 'not-processed',
      });
    }
  }
  return response;
}
