/**
 * PHP `http_build_query`-style encoding, which is how Bitrix24 parses `batch` commands
 * (`"im.notify.read.list?IDS[0]=5&IDS[1]=6"`). Nested arrays and objects become bracketed keys;
 * null and undefined are left out as PHP does; booleans become 1 and 0.
 */
export function encodePhpQuery(params: Record<string, unknown>): string {
  const pairs: string[] = [];
  const add = (key: string, value: unknown): void => {
    if (value === null || value === undefined) return;
    if (Array.isArray(value)) {
      value.forEach((item, index) => add(`${key}[${index}]`, item));
    } else if (typeof value === 'object') {
      for (const [childKey, child] of Object.entries(value as Record<string, unknown>)) add(`${key}[${childKey}]`, child);
    } else {
      const text = typeof value === 'boolean' ? (value ? '1' : '0') : String(value);
      pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(text)}`);
    }
  };
  for (const [key, value] of Object.entries(params)) add(key, value);
  return pairs.join('&');
}
