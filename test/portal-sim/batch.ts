/**
 * batch (§4.5, CRestProvider::methodsBatch): up to 50 "method?query" commands from an object or
 * array `cmd`, each parsed like a query string, run with the outer call's auth, with `halt` and
 * `$result[key][field]` references to earlier results. Always answers 200.
 */
import type { CallContext, RestCallOutcome } from './call';
import { ERROR_TEXT, RestError } from './errors';
import { phpArray } from './json';
import { parsePhpQuery } from './params';
import { isPlainObject, phpEmpty, phpEntries, phpIsArray, upperKeys } from './php';

const BATCH_MAX_LENGTH = 50;

type Section = 'result' | 'next' | 'total' | 'time' | 'error';
type Collected = Record<Section, [string, unknown][]>;

/** parse_url(): the path is the method, the query its parameters; a fragment is ignored. */
function splitCommand(command: string): { method: string; query: string } {
  const withoutFragment = command.split('#', 1)[0] ?? '';
  const questionMark = withoutFragment.indexOf('?');
  return questionMark < 0
    ? { method: withoutFragment, query: '' }
    : { method: withoutFragment.slice(0, questionMark), query: withoutFragment.slice(questionMark + 1) };
}

function walkPath(root: unknown, path: string[]): unknown {
  let current = root;
  for (const segment of path) {
    if (!phpIsArray(current)) break;
    const next: unknown = Array.isArray(current) ? current[Number(segment)] : current[segment];
    if (next === undefined || next === null) break;
    current = next;
  }
  return current;
}

/** CRestUtil::processBatchElement: `$result[cmd][field]` inside a value refers to earlier output. */
function resolveReferences(value: string, collected: Collected): unknown {
  let resolved: unknown = value;
  for (const match of value.matchAll(/\$(result|next|total|time|error)(\S*)/gi)) {
    const [whole, sectionName = '', pathText = ''] = match;
    const path = [...pathText.matchAll(/\[([^\]]+)\]/g)].map((segment) => segment[1] ?? '');
    if (path.length === 0) continue;
    const section = Object.fromEntries(collected[sectionName.toLowerCase() as Section] ?? []);
    const target = walkPath(section, path);
    if (whole === value) return target;
    const replacement = typeof target === 'number' ? String(target) : target;
    if (typeof replacement === 'string' && typeof resolved === 'string') resolved = resolved.replace(whole, replacement);
  }
  return resolved;
}

function resolveStructure(params: Record<string, unknown>, collected: Collected): Record<string, unknown> {
  const resolveValue = (value: unknown): unknown => {
    if (typeof value === 'string') return resolveReferences(value, collected);
    if (Array.isArray(value)) return value.map(resolveValue);
    if (isPlainObject(value)) return resolveStructure(value, collected);
    return value;
  };
  return Object.fromEntries(Object.entries(params).map(([key, value]) => [key, resolveValue(value)]));
}

function failure(code: 'ERROR_BATCH_LENGTH_EXCEEDED' | 'ERROR_BATCH_METHOD_NOT_ALLOWED'): RestCallOutcome {
  return { ok: false, error: new RestError(code, ERROR_TEXT[code]) };
}

/** Each string command exactly as sent ("method?query"), for the request log. */
export function batchCommandsSent(params: Record<string, unknown>): string[] {
  const commands = upperKeys(params)['CMD'];
  if (!phpIsArray(commands)) return [];
  return phpEntries(commands)
    .map(([, command]) => command)
    .filter((command): command is string => typeof command === 'string');
}

export function batchHandler(call: CallContext): unknown {
  const params = upperKeys(call.params);
  const halt = !phpEmpty(params['HALT']);
  const collected: Collected = { result: [], next: [], total: [], time: [], error: [] };
  const commands = params['CMD'];
  if (phpIsArray(commands)) {
    let count = 0;
    for (const [key, command] of phpEntries(commands)) {
      let outcome: RestCallOutcome;
      if (count++ < BATCH_MAX_LENGTH) {
        if (typeof command !== 'string') continue; // non-strings are skipped, but counted
        const { method, query } = splitCommand(command);
        const subParams = resolveStructure(parsePhpQuery(query), collected);
        outcome =
          method.toLowerCase() === 'batch'
            ? failure('ERROR_BATCH_METHOD_NOT_ALLOWED')
            : call.runSubCall(method.toLowerCase(), subParams);
      } else {
        outcome = failure('ERROR_BATCH_LENGTH_EXCEEDED');
      }
      if (outcome.ok) {
        collected.result.push([key, outcome.result]);
        collected.time.push([key, outcome.time]);
      } else {
        collected.error.push([key, outcome.error.toBody()]);
        if (halt) break;
      }
    }
  }
  return {
    result: phpArray(collected.result),
    result_error: phpArray(collected.error),
    result_total: phpArray(collected.total),
    result_next: phpArray(collected.next),
    result_time: phpArray(collected.time),
  };
}
