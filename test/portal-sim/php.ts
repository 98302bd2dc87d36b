/**
 * The handful of PHP semantics the portal's handlers rely on. Handlers cast with (int), test with
 * empty()/isset() and compare loosely; reproducing that is what makes "0", "" or "12abc" behave
 * as on a real portal (§4.2 "Types").
 */
import { createHash } from 'node:crypto';

export type PhpArray = Record<string, unknown> | unknown[];

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** PHP is_array(): JSON objects decode to PHP arrays too. */
export function phpIsArray(value: unknown): value is PhpArray {
  return Array.isArray(value) || isPlainObject(value);
}

export function phpEntries(value: PhpArray): [string, unknown][] {
  return Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
}

export function phpValues(value: PhpArray): unknown[] {
  return Array.isArray(value) ? value : Object.values(value);
}

/** isset(): present and not null. */
export function phpIsset(value: unknown): boolean {
  return value !== undefined && value !== null;
}

/** empty(): "", "0", 0, 0.0, false, null, unset and empty arrays. */
export function phpEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === false || value === 0 || value === '' || value === '0') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (isPlainObject(value)) return Object.keys(value).length === 0;
  return false;
}

const NUMERIC_PREFIX = /^[ \t\n\r\v\f]*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/;

/** (int) cast: "12abc" → 12, "1e3" → 1000, "abc" → 0, arrays → 0/1. */
export function phpInt(value: unknown): number {
  if (typeof value === 'number') return Number.isFinite(value) ? Math.trunc(value) : 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const match = NUMERIC_PREFIX.exec(value);
    if (!match?.[1]) return 0;
    const parsed = Math.trunc(Number.parseFloat(match[1]));
    return Number.isFinite(parsed) ? parsed : 0;
  }
  if (phpIsArray(value)) return phpEmpty(value) ? 0 : 1;
  return 0;
}

/** (string) cast for scalars; arrays become "Array" as in PHP. */
export function phpString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? '1' : '';
  if (value === undefined || value === null) return '';
  return 'Array';
}

/** trim() strips only " \t\n\r\0\x0B", unlike String.prototype.trim. */
const PHP_TRIM_CHARS = new Set([' ', '\t', '\n', '\r', '\0', '\v']);

export function phpTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && PHP_TRIM_CHARS.has(text.charAt(start))) start++;
  while (end > start && PHP_TRIM_CHARS.has(text.charAt(end - 1))) end--;
  return text.slice(start, end);
}

function isNumericString(text: string): boolean {
  return /^[ \t\n\r\v\f]*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?[ \t\n\r\v\f]*$/.test(text);
}

/** `$stored == $given` with PHP 8 rules for a stored string. */
export function phpLooseEquals(stored: string, given: unknown): boolean {
  if (typeof given === 'number') return isNumericString(stored) && Number(stored) === given;
  if (typeof given === 'boolean') return given === !phpEmpty(stored);
  const givenText = phpString(given);
  if (isNumericString(stored) && isNumericString(givenText)) return Number(stored) === Number(givenText);
  return stored === givenText;
}

/**
 * htmlspecialcharsbx(): ENT_COMPAT, so double quotes are escaped and single quotes are not. With
 * doubleEncode false (PHP's 4th argument), existing entities such as &quot; are left alone.
 */
export function htmlspecialcharsbx(text: string, doubleEncode = true): string {
  const ampersand = doubleEncode ? /&/g : /&(?!(?:[a-zA-Z][a-zA-Z0-9]*|#\d+|#[xX][0-9a-fA-F]+);)/g;
  return text.replace(ampersand, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** array_change_key_case($params, CASE_UPPER): later duplicates win. */
export function upperKeys(params: Record<string, unknown>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params)) result[key.toUpperCase()] = value;
  return result;
}

export function md5(text: string): string {
  return createHash('md5').update(text).digest('hex');
}
