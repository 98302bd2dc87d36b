/**
 * Bitrix24 notification text is BBCode with `\n` line breaks (§1.3). It is rendered two ways:
 * plain text for OS popups, and a tree of safe nodes for the tray window, which the window turns
 * into DOM nodes itself — nothing from the portal is ever injected as HTML.
 *
 * Parsing is @bbob/parser's (maintained, tolerant of unclosed and unknown tags); the Bitrix
 * meaning of each tag is ours.
 */
import { parse } from '@bbob/parser';
import type { TagNode } from '@bbob/types';
import { decodeHTML } from 'entities';

export type RichNode =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'bold' | 'italic' | 'underline' | 'strike' | 'quote'; children: RichNode[] }
  | { type: 'code'; text: string }
  /** `href` is absolute and https (or the portal's own loopback origin, for the simulator). */
  | { type: 'link'; href: string; children: RichNode[] }
  | { type: 'mention'; userId: number; href: string | undefined; children: RichNode[] }
  | { type: 'color'; color: string; children: RichNode[] };

export const DEFAULT_PLAIN_TEXT_MAX_CHARS = 300;
// Deeper nesting than this is flattened to text: real notifications nest two or three levels.
const MAX_DEPTH = 24;
const STYLE_TAGS: Record<string, 'bold' | 'italic' | 'underline' | 'strike' | 'quote'> = {
  b: 'bold',
  i: 'italic',
  u: 'underline',
  s: 'strike',
  quote: 'quote',
};
const SAFE_COLOR = /^(#[0-9a-f]{3}|#[0-9a-f]{6}|[a-z]{3,20})$/i;

type BbNode = string | TagNode;

function isTag(node: unknown): node is TagNode {
  return typeof node === 'object' && node !== null && typeof (node as TagNode).tag === 'string';
}

/** `[URL=x]` arrives as attrs `{x: 'x'}`; `[URL]x[/URL]` has none. */
function uniqueAttr(node: TagNode): string | undefined {
  const attrs = node.attrs as Record<string, unknown> | undefined;
  if (!attrs) return undefined;
  const values = Object.values(attrs).filter((value): value is string => typeof value === 'string');
  return values[0];
}

function contentOf(node: TagNode): BbNode[] {
  return Array.isArray(node.content) ? (node.content as BbNode[]) : [];
}

function parseBbcode(text: string): BbNode[] {
  // [BR] and #BR# are line breaks too (§1.1); the parser sees [BR] as a tag.
  return parse(text.replace(/#BR#/g, '\n')) as BbNode[];
}

/** All the text under `nodes`, [BR] as a newline. Iterative: nesting depth is the portal's to choose. */
function flatText(nodes: BbNode[]): string {
  let out = '';
  const stack: BbNode[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as BbNode;
    if (!isTag(node)) out += node;
    else if (node.tag.toLowerCase() === 'br') out += '\n';
    else for (let i = contentOf(node).length - 1; i >= 0; i -= 1) stack.push(contentOf(node)[i] as BbNode);
  }
  return out;
}

/**
 * Resolves a link from the portal against the portal's origin. Only https survives, plus http to
 * the portal itself when it is a loopback simulator; `javascript:`, `file:`, `data:` never do.
 */
export function resolvePortalLink(raw: string, portalOrigin: string): string | undefined {
  const trimmed = raw.trim();
  if (!trimmed) return undefined;
  let url: URL;
  try {
    url = new URL(trimmed, `${portalOrigin}/`);
  } catch {
    return undefined;
  }
  if (url.protocol === 'https:') return url.href;
  const portal = new URL(portalOrigin);
  if (url.protocol === 'http:' && url.origin === portal.origin && /^(127\.|localhost$|\[::1\]$)/.test(portal.hostname)) {
    return url.href;
  }
  return undefined;
}

function mergeText(nodes: RichNode[]): RichNode[] {
  const merged: RichNode[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (node.type === 'text' && last?.type === 'text') {
      merged[merged.length - 1] = { type: 'text', text: last.text + node.text };
    } else if (node.type !== 'text' || node.text) {
      merged.push(node);
    }
  }
  return merged;
}

function toRich(nodes: BbNode[], portalOrigin: string, depth: number): RichNode[] {
  const out: RichNode[] = [];
  for (const node of nodes) {
    if (!isTag(node)) {
      // Newlines become explicit breaks so the window needs no white-space tricks.
      node.split('\n').forEach((part, index) => {
        if (index > 0) out.push({ type: 'break' });
        out.push({ type: 'text', text: part });
      });
      continue;
    }
    const tag = node.tag.toLowerCase();
    const inner = contentOf(node);
    if (tag === 'br') {
      out.push({ type: 'break' });
    } else if (depth >= MAX_DEPTH || tag === 'code') {
      out.push(tag === 'code' ? { type: 'code', text: flatText(inner) } : { type: 'text', text: flatText(inner) });
    } else if (STYLE_TAGS[tag]) {
      out.push({ type: STYLE_TAGS[tag], children: toRich(inner, portalOrigin, depth + 1) });
    } else if (tag === 'url') {
      const children = toRich(inner, portalOrigin, depth + 1);
      const href = resolvePortalLink(uniqueAttr(node) ?? flatText(inner), portalOrigin);
      if (href) out.push({ type: 'link', href, children: children.length ? children : [{ type: 'text', text: href }] });
      else out.push(...children);
    } else if (tag === 'user') {
      const userId = Number(uniqueAttr(node));
      const children = toRich(inner, portalOrigin, depth + 1);
      if (Number.isInteger(userId) && userId > 0) {
        out.push({ type: 'mention', userId, href: resolvePortalLink(`/company/personal/user/${userId}/`, portalOrigin), children });
      } else {
        out.push(...children);
      }
    } else if (tag === 'color') {
      const color = uniqueAttr(node) ?? '';
      const children = toRich(inner, portalOrigin, depth + 1);
      out.push(...(SAFE_COLOR.test(color) ? [{ type: 'color' as const, color, children }] : children));
    } else {
      // [CHAT=…], [SEND=…], [ICON=…], unknown tags: keep what they say, drop the markup.
      out.push(...toRich(inner, portalOrigin, depth + 1));
    }
  }
  return mergeText(out);
}

/** The safe tree for the tray window. */
export function renderRich(text: string, portalOrigin: string): RichNode[] {
  return toRich(parseBbcode(text), portalOrigin, 0);
}

/** Plain text for an OS popup: tags dropped, blank runs collapsed, capped with an ellipsis. */
export function renderPlain(text: string, maxChars = DEFAULT_PLAIN_TEXT_MAX_CHARS): string {
  const flat = flatText(parseBbcode(text))
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .replace(/ *\n */g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return capText(flat, maxChars);
}

/** Cuts by code points so an emoji is never split, and marks the cut. */
export function capText(text: string, maxChars: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, Math.max(0, maxChars - 1)).join('').trimEnd()}…`;
}

/** Titles and button labels are HTML-escaped by the server (htmlspecialchars); show them decoded. */
export function decodeEntities(text: string): string {
  return decodeHTML(text);
}
