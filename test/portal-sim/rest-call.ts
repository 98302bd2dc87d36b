/**
 * One REST method call after authentication (CRestServer::processCall): scope, the operating
 * budget checked before the call (§4.5), `start`/`state` removed, the handler, and the `time`
 * object (§4.4). Top-level calls and batch sub-calls both go through here.
 */
import type { AuthContext, CallContext, MethodDefinition, RestCallOutcome, TimeInfo } from './call';
import type { SimContext } from './context';
import { ERROR_TEXT, RestError, methodNotFound } from './errors';
import { phpDate } from './json';
import { METHOD_REGISTRY } from './registry';

/** The outer batch call is neither checked nor counted; its sub-calls are (§4.5). */
const OPERATING_EXEMPT = new Set(['batch']);
/** Consumed by the REST server before the handler runs (§4.2). */
const SERVER_PARAMS = new Set(['start', 'state']);

export function findMethod(method: string): MethodDefinition | undefined {
  return Object.hasOwn(METHOD_REGISTRY, method) ? METHOD_REGISTRY[method] : undefined;
}

/** insufficient_scope with the text of the auth type; the status is a knob (401 in MOD, 403 in DOCS). */
export function scopeError(sim: SimContext, definition: MethodDefinition, auth: Pick<AuthContext, 'kind'>): RestError | null {
  if (definition.scope === null || sim.knobs.scopes.includes(definition.scope)) return null;
  const text = auth.kind === 'webhook' ? ERROR_TEXT.insufficient_scope_webhook : ERROR_TEXT.insufficient_scope_token;
  return new RestError('insufficient_scope', text, sim.knobs.insufficientScopeStatus);
}

function operatingKey(auth: AuthContext, method: string): string {
  return `${auth.kind}|${auth.entity}|${method}`;
}

function buildTime(sim: SimContext, key: string, startMs: number, processStartMs: number, processFinishMs: number): TimeInfo {
  const finishMs = sim.now();
  return {
    start: startMs / 1000,
    finish: finishMs / 1000,
    duration: (finishMs - startMs) / 1000,
    processing: (processFinishMs - processStartMs) / 1000,
    date_start: phpDate(startMs, sim.wire.utcOffsetMinutes),
    date_finish: phpDate(finishMs, sim.wire.utcOffsetMinutes),
    ...sim.operating.snapshot(key, startMs),
  };
}

function fail(error: RestError): RestCallOutcome {
  return { ok: false, error };
}

export function executeRestCall(
  sim: SimContext,
  method: string,
  params: Record<string, unknown>,
  auth: AuthContext,
  startMs: number,
  scopeAlreadyChecked: boolean,
): RestCallOutcome {
  const definition = findMethod(method);
  if (!definition) return fail(methodNotFound());
  const deniedScope = scopeAlreadyChecked ? null : scopeError(sim, definition, auth);
  if (deniedScope) return fail(deniedScope);

  const key = operatingKey(auth, method);
  const limited = !OPERATING_EXEMPT.has(method);
  if (limited && sim.operating.isBlocked(key)) {
    sim.stats.operatingRejections += 1;
    return fail(new RestError('OPERATION_TIME_LIMIT', ERROR_TEXT.OPERATION_TIME_LIMIT, 429));
  }

  const call: CallContext = {
    sim,
    method,
    params: Object.fromEntries(Object.entries(params).filter(([name]) => !SERVER_PARAMS.has(name))),
    auth,
    runSubCall: (subMethod, subParams) => executeRestCall(sim, subMethod, subParams, auth, sim.now(), false),
  };
  const processStartMs = sim.now();
  let result: unknown;
  try {
    result = definition.handler(call);
  } catch (error) {
    // A throwing handler registers no operating time (registerEnding is never reached).
    if (error instanceof RestError) return fail(error);
    return fail(new RestError('ERROR_CORE', error instanceof Error ? error.message : String(error), 500));
  }
  const processFinishMs = sim.now();
  if (limited) sim.operating.record(key, sim.operating.costOf(method), processStartMs);
  return { ok: true, result, time: buildTime(sim, key, startMs, processStartMs, processFinishMs) };
}
