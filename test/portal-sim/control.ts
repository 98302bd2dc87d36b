/**
 * The HTTP control routes under /_sim/ (for the standalone simulator and manual testing): add
 * fixtures, act "in the browser", inject faults and read the state. Plain JSON in and out.
 */
import type { ServerResponse } from 'node:http';
import { isPlainObject } from './php';
import type { AddConfirmInput, AddPersonalInput, AddSystemInput, Fault, FaultMatch, PortalSim } from './types';

export type ControlApi = Pick<
  PortalSim,
  | 'webhookUrl'
  | 'addConfirm'
  | 'addPersonal'
  | 'addSystem'
  | 'answerInBrowser'
  | 'deleteInBrowser'
  | 'injectFault'
  | 'clearFaults'
  | 'resetLimits'
  | 'notifications'
  | 'confirmLog'
  | 'answerLog'
  | 'stats'
>;

class ControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function reply(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function jsonObject(body: string): Record<string, unknown> {
  let decoded: unknown;
  try {
    decoded = JSON.parse(body === '' ? '{}' : body);
  } catch {
    throw new ControlError(400, 'body must be JSON');
  }
  if (!isPlainObject(decoded)) throw new ControlError(400, 'body must be a JSON object');
  return decoded;
}

function requireText<T>(input: Record<string, unknown>): T {
  if (typeof input['text'] !== 'string') throw new ControlError(400, '"text" must be a string');
  return input as T;
}

function requireId(input: Record<string, unknown>): number {
  const id = Number(input['id']);
  if (!Number.isInteger(id)) throw new ControlError(400, '"id" must be an integer');
  return id;
}

/** Accepts {fault, match} or a bare fault with an optional `match`; times may be "Infinity". */
function faultRequest(input: Record<string, unknown>): { fault: Fault; match: FaultMatch } {
  const { match: rawMatch, ...bare } = input;
  const fault = isPlainObject(input['fault']) ? input['fault'] : bare;
  if (typeof fault['kind'] !== 'string') throw new ControlError(400, 'a fault needs a "kind"');
  const match: FaultMatch = {};
  if (isPlainObject(rawMatch)) {
    if (typeof rawMatch['restMethod'] === 'string') match.restMethod = rawMatch['restMethod'];
    const times = rawMatch['times'];
    if (times === 'Infinity' || times === null) match.times = Number.POSITIVE_INFINITY;
    else if (typeof times === 'number') match.times = times;
  }
  return { fault: fault as unknown as Fault, match };
}

function dispatch(api: ControlApi, httpMethod: string, action: string, body: string): unknown {
  if (httpMethod === 'GET' && action === 'state') {
    return {
      webhookUrl: api.webhookUrl,
      notifications: api.notifications(),
      confirmLog: api.confirmLog,
      answerLog: api.answerLog,
      stats: api.stats,
    };
  }
  if (httpMethod !== 'POST') throw new ControlError(404, `no route ${httpMethod} /_sim/${action}`);
  const input = jsonObject(body);
  switch (action) {
    case 'confirm':
      return api.addConfirm(requireText<AddConfirmInput>(input));
    case 'personal':
      return api.addPersonal(requireText<AddPersonalInput>(input));
    case 'system':
      return api.addSystem(requireText<AddSystemInput>(input));
    case 'answer-in-browser':
      api.answerInBrowser(requireId(input), String(input['value'] ?? 'Y'));
      return { ok: true };
    case 'delete-in-browser':
      api.deleteInBrowser(requireId(input));
      return { ok: true };
    case 'fault': {
      const { fault, match } = faultRequest(input);
      api.injectFault(fault, match);
      return { ok: true };
    }
    case 'clear-faults':
      api.clearFaults();
      return { ok: true };
    case 'reset-limits':
      api.resetLimits();
      return { ok: true };
    default:
      throw new ControlError(404, `no route POST /_sim/${action}`);
  }
}

export function handleControl(api: ControlApi, httpMethod: string, pathname: string, body: string, res: ServerResponse): void {
  const action = pathname.slice('/_sim/'.length).replace(/\/$/, '');
  try {
    reply(res, 200, dispatch(api, httpMethod, action, body));
  } catch (error) {
    const status = error instanceof ControlError ? error.status : 404;
    reply(res, status, { error: error instanceof Error ? error.message : String(error) });
  }
}
