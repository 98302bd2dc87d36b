/**
 * Request parameters as PHP sees them (§4.2): parse_str() for query strings and form bodies
 * (IDS[]=1, IDS[0]=1, cmd[key]=…), a JSON body when Content-Type is application/json, and
 * array_replace(query, body) so the body wins. An invalid JSON body is silently ignored.
 */
import { isPlainObject } from './php';

type Container = Record<string, unknown>;

function decodeComponent(text: string): string {
  const spaced = text.replace(/\+/g, ' ');
  try {
    return decodeURIComponent(spaced);
  } catch {
    // PHP's urldecode never fails; keep malformed escapes literally.
    return spaced.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  }
}

/** Splits `a[b][]` into base name and bracket segments the way php_register_variable_ex does. */
function splitKey(rawKey: string): { base: string; segments: string[] } | null {
  const key = rawKey.replace(/^ +/, '');
  const open = key.indexOf('[');
  const close = open >= 0 ? key.indexOf(']', open) : -1;
  if (open < 0 || close < 0) {
    // No (complete) bracket: PHP turns ' ', '.' and a lone '[' into '_'.
    const base = key.replace(/[ .[]/g, '_');
    return base === '' ? null : { base, segments: [] };
  }
  const base = key.slice(0, open).replace(/[ .]/g, '_');
  if (base === '') return null;
  const segments: string[] = [];
  let position = open;
  while (key.charAt(position) === '[') {
    const end = key.indexOf(']', position);
    if (end < 0) break;
    segments.push(key.slice(position + 1, end));
    position = end + 1;
  }
  return { base, segments };
}

function nextIndex(container: Container): string {
  let max = -1;
  for (const key of Object.keys(container)) {
    if (/^(0|-?[1-9]\d*)$/.test(key)) max = Math.max(max, Number(key));
  }
  return String(max + 1);
}

function assign(target: Container, base: string, segments: string[], value: string): void {
  let container = target;
  let key = base;
  for (const segment of segments) {
    const existing = container[key];
    const child: Container = isPlainObject(existing) ? existing : {};
    container[key] = child;
    container = child;
    key = segment === '' ? nextIndex(child) : segment;
  }
  container[key] = value;
}

/** Objects keyed exactly 0..n-1 become arrays, so IDS[]=1&IDS[]=2 reads as ['1', '2']. */
function listify(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  const entries = Object.entries(value).map(([key, item]) => [key, listify(item)] as const);
  const isList = entries.length > 0 && entries.every(([key], index) => key === String(index));
  return isList ? entries.map(([, item]) => item) : Object.fromEntries(entries);
}

/** PHP parse_str(). */
export function parsePhpQuery(query: string): Record<string, unknown> {
  const result: Container = {};
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const equals = pair.indexOf('=');
    const rawKey = decodeComponent(equals >= 0 ? pair.slice(0, equals) : pair);
    const value = equals >= 0 ? decodeComponent(pair.slice(equals + 1)) : '';
    const parsedKey = splitKey(rawKey);
    if (parsedKey) assign(result, parsedKey.base, parsedKey.segments, value);
  }
  // The top level stays an object: REST handlers always receive named parameters.
  return Object.fromEntries(Object.entries(result).map(([key, value]) => [key, listify(value)]));
}

function parseJsonBody(body: string): Record<string, unknown> {
  try {
    const decoded: unknown = JSON.parse(body);
    return isPlainObject(decoded) ? decoded : {};
  } catch {
    return {};
  }
}

/**
 * CRestUtil::getRequestData(): query values, replaced key by key by the POST body (JSON when the
 * request says so, otherwise form/urlencoded). Only POST bodies are read.
 */
export function mergeRequestParams(
  query: string,
  httpMethod: string,
  contentType: string | undefined,
  body: string,
): Record<string, unknown> {
  const fromQuery = parsePhpQuery(query);
  if (httpMethod !== 'POST') return fromQuery;
  const isJson = (contentType ?? '').toLowerCase().includes('application/json');
  const fromBody = isJson ? parseJsonBody(body) : parsePhpQuery(body.trim());
  return { ...fromQuery, ...fromBody };
}
