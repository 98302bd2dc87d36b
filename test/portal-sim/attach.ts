/**
 * The ATTACH parameter of the add methods (§2.8): CIMMessageParamAttach::GetAttachByJson accepts
 * an object or a JSON string, either {BLOCKS: [...], COLOR?, DESCRIPTION?} or a bare block list,
 * and yields nothing when no block is recognised. Blocks are kept as sent (a simplification: MOD
 * normalises each block type).
 */
import { encodeUnescapedUnicodeJson } from './json';
import { isPlainObject, phpEmpty, phpIsArray, phpIsset, phpString, phpValues } from './php';

const BLOCK_KINDS = ['USER', 'LINK', 'RICH_LINK', 'MESSAGE', 'GRID', 'IMAGE', 'FILE', 'DELIMITER'];
const ATTACH_MAX_CHARS = 60_000;
const HEX_COLOR = /^#([a-fA-F0-9]){3}(([a-fA-F0-9]){3})?$/;
/** Stands in for Bitrix\Im\Color::getRandomColor(). */
const DEFAULT_ATTACH_COLOR = '#1eb4aa';

export type AttachParse =
  | { kind: 'none' }
  | { kind: 'invalid' }
  | { kind: 'oversize' }
  | { kind: 'ok'; attach: Record<string, unknown> };

function decode(raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}

function attachColor(color: unknown): string {
  if (color === 'TRANSPARENT') return 'transparent';
  return typeof color === 'string' && HEX_COLOR.test(color) ? color : DEFAULT_ATTACH_COLOR;
}

function blocksOf(decoded: unknown): unknown[] {
  if (!phpIsArray(decoded)) return [];
  const source = isPlainObject(decoded) && phpIsset(decoded['BLOCKS']) ? decoded['BLOCKS'] : decoded;
  if (!phpIsArray(source)) return [];
  return phpValues(source).filter((block) => isPlainObject(block) && BLOCK_KINDS.some((kind) => phpIsset(block[kind])));
}

/** `if ($attach) … else if ($arParams['ATTACH']) ATTACH_ERROR`: a falsy ATTACH is simply absent. */
export function parseAttach(raw: unknown, nowMs: number): AttachParse {
  const decoded = decode(raw);
  const blocks = blocksOf(decoded);
  if (blocks.length === 0) return phpEmpty(raw) ? { kind: 'none' } : { kind: 'invalid' };
  const wrapper = isPlainObject(decoded) && phpIsset(decoded['BLOCKS']) ? decoded : null;
  const attach = {
    ID: Math.floor(nowMs / 1000),
    BLOCKS: blocks,
    DESCRIPTION: wrapper ? phpString(wrapper['DESCRIPTION']).trim() : '',
    COLOR: attachColor(wrapper?.['COLOR']),
    COLOR_TOKEN: 'base',
  };
  // IsAllowSize(): the attach JSON must stay under 60,000 characters.
  return [...encodeUnescapedUnicodeJson(attach)].length < ATTACH_MAX_CHARS ? { kind: 'ok', attach } : { kind: 'oversize' };
}
