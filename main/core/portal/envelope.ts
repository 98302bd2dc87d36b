/**
 * Reading the portal's answers: the REST envelope, its error body, and PHP's way of sending maps.
 */
import { PortalError, kindForCode, type PortalErrorInit } from './errors';
import type { HttpReply } from './http';
import type { PortalTime } from './operating-limiter';
import type { PortalResponse } from './client-types';
import type { Redactor } from './redact';

/** A REST reply's JSON envelope: `result` (and `time`), or the portal's error. */
export function parseEnvelope(reply: HttpReply, redactor: Redactor): PortalResponse {
  let json: unknown;
  try {
    json = JSON.parse(reply.bodyText);
  } catch {
    throw new PortalError({ kind: 'transient', code: 'INVALID_RESPONSE', status: reply.status, delivery: 'unknown' });
  }
  if (isRecord(json) && json.error !== undefined && json.error !== null && json.error !== '') {
    throw errorFromBody(json, reply.status, redactor);
  }
  if (reply.status < 300 && isRecord(json) && 'result' in json) {
    return { result: json.result, time: isRecord(json.time) ? (json.time as PortalTime) : undefined };
  }
  throw new PortalError({ kind: 'transient', code: 'INVALID_RESPONSE', status: reply.status, delivery: 'unknown' });
}

/** `{error, error_description}` → PortalError; a portal that refused a request did not act on it. */
export function errorFromBody(body: unknown, status: number | undefined, redactor: Redactor): PortalError {
  const record = isRecord(body) ? body : {};
  // The code is the portal's own text too: a module can echo the webhook code in it.
  const code = typeof record.error === 'string' && record.error ? redactor.redact(record.error.slice(0, 200)) : 'UNKNOWN_ERROR';
  const rawDescription = typeof record.error_description === 'string' ? record.error_description : undefined;
  const description = rawDescription ? redactor.redact(rawDescription) : undefined;
  const kind = kindForCode(code, status, description);
  return new PortalError({ kind, code, description, status, delivery: kind === 'transient' ? 'unknown' : 'not-processed' });
}

/** The fields of an error, to make a changed copy of it. */
export function errorInit(error: PortalError): PortalErrorInit {
  return {
    kind: error.kind,
    code: error.code,
    description: error.description,
    status: error.status,
    delivery: error.delivery,
    retryAt: error.retryAt,
    proxy: error.proxy,
    movedTo: error.movedTo,
  };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PHP arrays arrive as `[]` when empty and as objects (or lists) otherwise. */
export function phpMap(value: unknown): Record<string, unknown> {
  if (Array.isArray(value)) return Object.fromEntries(value.map((item, index) => [String(index), item]));
  return isRecord(value) ? value : {};
}
