/**
 * Output encodings of the portal: Bitrix Json::encode for responses, JSON_UNESCAPED_UNICODE-only
 * json_encode for the keyboard/attach strings, PHP date('c'), and PHP arrays that serialise as
 * `[]` when empty or list-shaped (§4.2, §7 "Response envelope").
 */

/** Characters PHP's json_encode escapes even with JSON_UNESCAPED_UNICODE. */
const ALWAYS_ESCAPED: Record<string, string> = {
  '/': '\\/',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

/** Json::encode defaults: JSON_HEX_TAG | JSON_HEX_AMP | JSON_HEX_APOS | JSON_HEX_QUOT. */
const HEX_ESCAPED: Record<string, string> = {
  ...ALWAYS_ESCAPED,
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  "'": '\\u0027',
};

function phpJsonEncode(value: unknown, escapes: Record<string, string>, hexQuote: boolean): string {
  const raw = JSON.stringify(value) ?? 'null';
  const parts: string[] = [];
  for (let index = 0; index < raw.length; index++) {
    const char = raw.charAt(index);
    if (char === '\\') {
      // An escape sequence inside a string: keep it, except \" which JSON_HEX_QUOT writes as \u0022.
      const next = raw.charAt(index + 1);
      parts.push(next === '"' && hexQuote ? '\\u0022' : char + next);
      index++;
      continue;
    }
    // These characters never occur outside strings in JSON text, so replacing them everywhere is safe.
    parts.push(escapes[char] ?? char);
  }
  return parts.join('');
}

/** Bitrix\Main\Web\Json::encode with default options: what every REST response body is. */
export function encodeBitrixJson(value: unknown): string {
  return phpJsonEncode(value, HEX_ESCAPED, true);
}

/** json_encode($value, JSON_UNESCAPED_UNICODE): the inner keyboard / attach JSON (§1.4). */
export function encodeUnescapedUnicodeJson(value: unknown): string {
  return phpJsonEncode(value, ALWAYS_ESCAPED, false);
}

/**
 * PHP date('c') in the server's timezone, e.g. 2026-03-03T12:05:00+03:00: real portals use their
 * own offset, never assume +00:00 (real-portal-notes §1).
 */
export function phpDate(ms: number, utcOffsetMinutes = 0): string {
  const local = new Date(Math.floor(ms / 1000) * 1000 + utcOffsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * A PHP array built from ordered [key, value] pairs: a JSON list when the keys are 0..n-1 in order
 * (including the empty array), otherwise a JSON object.
 */
export function phpArray(entries: [string, unknown][]): unknown[] | Record<string, unknown> {
  const isList = entries.every(([key], index) => key === String(index));
  if (isList) return entries.map(([, value]) => value);
  return Object.fromEntries(entries);
}

/** A PHP map that may be empty: `[]` when empty (§2.11, §4.5). */
export function phpMap(map: Record<string, unknown>): Record<string, unknown> | [] {
  return Object.keys(map).length === 0 ? [] : map;
}
