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
import { decodeHTMLStrict } from 'entities';

export type RichNode =
  | { type: 'text'; text: string }
  | { type: 'break' }
  | { type: 'bold' | 'italic' | 'underline' | 'strike' | 'quote'; children: RichNode[] }
  | { type: 'code'; text: string }
  /** `href` is absolute and https (or the portal's own loopback origin, for the simulator). */
  | { type: 'link'; href: string; children: RichNode[] }
  /** `userId` 0: `[USER=all]`, everyone in the chat, with no profile to open. */
  | { type: 'mention'; userId: number; href: string | undefined; children: RichNode[] }
  /** `[TIMESTAMP=<unix> FORMAT=…]`: a moment the window shows in the user's locale. */
  | { type: 'timestamp'; ms: number }
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

/**
 * Old on-premise builds (im 21.x) send the stored MESSAGE as it is, with the module's real HTML
 * (real-portal-notes §1). Current builds turn every `<br>` and `<a href>` into BBCode before
 * sending (MOD im/lib/text.php convertHtmlToBbCode), so text that still has one is raw HTML.
 */
const RAW_HTML_MARKERS = /<br\s*\/?>|<a\s[^<>]*href\s*=/i;

/**
 * Raw HTML as text: `<br>` a line break, `<a href>` a link, every other tag dropped (entities are
 * decoded later, in text nodes). Never markup. Text from current builds keeps a literal `<b>`.
 */
function legacyHtmlToBbcode(text: string): string {
  if (!RAW_HTML_MARKERS.test(text)) return text;
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<a\s[^<>]*?href\s*=\s*(["'])([^"'<>]*)\1[^<>]*>([\s\S]*?)<\/a\s*>/gi, (_match, _quote: string, href: string, label: string) => `[URL=${href}]${label}[/URL]`)
    .replace(/<\/?[a-z][a-z0-9]*(?:\s[^<>]*)?\/?>/gi, '');
}

function parseBbcode(text: string): BbNode[] {
  // [BR] and #BR# are line breaks too (§1.1); the parser sees [BR] as a tag.
  return parse(legacyHtmlToBbcode(text.replace(/#BR#/g, '\n'))) as BbNode[];
}

/** `[TIMESTAMP=1733400000 FORMAT=…]` → epoch ms, or undefined when the attribute is not a time. */
function timestampMs(node: TagNode): number | undefined {
  const seconds = /^\s*(\d{1,12})\b/.exec(uniqueAttr(node) ?? '')?.[1];
  return seconds === undefined ? undefined : Number(seconds) * 1000;
}

/** What `[ICON=<url> title=<text>]` shows: its title (the image itself is not loaded). */
function iconTitle(node: TagNode): string {
  return decodeEntities(/\btitle=(.*)$/i.exec(uniqueAttr(node) ?? '')?.[1]?.trim() ?? '');
}

/** Popups cannot localise on their own: one fixed, unambiguous form. */
const POPUP_DATE = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

/** All the text under `nodes`, [BR] as a newline. Iterative: nesting depth is the portal's to choose. */
function flatText(nodes: BbNode[]): string {
  let out = '';
  const stack: BbNode[] = [...nodes].reverse();
  while (stack.length > 0) {
    const node = stack.pop() as BbNode;
    if (!isTag(node)) out += decodeEntities(node);
    else if (node.tag.toLowerCase() === 'br') out += '\n';
    else if (node.tag.toLowerCase() === 'timestamp') {
      const ms = timestampMs(node);
      out += ms === undefined ? '' : POPUP_DATE.format(ms);
    } else if (node.tag.toLowerCase() === 'icon' && iconTitle(node)) out += iconTitle(node);
    else for (let i = contentOf(node).length - 1; i >= 0; i -= 1) stack.push(contentOf(node)[i] as BbNode);
  }
  return out;
}

/** A loopback address, not a name that starts like one (`127.0.0.1.nip.io` is a remote host). */
const LOOPBACK_HOST = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])$/;

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
  if (url.protocol === 'http:' && url.origin === portal.origin && LOOPBACK_HOST.test(portal.hostname)) {
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
      // Entities are decoded once, strictly, after parsing (real-portal-notes §1).
      decodeEntities(node)
        .split('\n')
        .forEach((part, index) => {
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
      const href = resolvePortalLink(decodeEntities(uniqueAttr(node) ?? '') || flatText(inner), portalOrigin);
      if (href) out.push({ type: 'link', href, children: children.length ? children : [{ type: 'text', text: href }] });
      else out.push(...children);
    } else if (tag === 'user') {
      // `[USER=5 REPLACE]`: the leading digits are the user (MOD im/lib/text.php modifyShortUserTag).
      const attr = (uniqueAttr(node) ?? '').trim();
      const userId = Number(/^\d+/.exec(attr)?.[0] ?? Number.NaN);
      const children = toRich(inner, portalOrigin, depth + 1);
      if (Number.isSafeInteger(userId) && userId > 0) {
        out.push({ type: 'mention', userId, href: resolvePortalLink(`/company/personal/user/${userId}/`, portalOrigin), children });
      } else if (/^all\b/i.test(attr)) {
        out.push({ type: 'mention', userId: 0, href: undefined, children });
      } else {
        out.push(...children);
      }
    } else if (tag === 'timestamp') {
      const ms = timestampMs(node);
      if (ms !== undefined) out.push({ type: 'timestamp', ms });
    } else if (tag === 'icon' && iconTitle(node)) {
      out.push({ type: 'text', text: iconTitle(node) });
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
  // No more UTF-16 units than the cap means no more code points either: nothing to split.
  if (text.length <= maxChars) return text;
  const chars = Array.from(text);
  if (chars.length <= maxChars) return text;
  return `${chars.slice(0, Math.max(0, maxChars - 1)).join('').trimEnd()}…`;
}

/**
 * Entities decoded once, strictly: only semicolon-terminated ones, so `?a=1&copy=2` stays a URL
 * and never becomes `?a=1©=2` (real-portal-notes §1). Titles, button labels, names, text nodes,
 * link labels and link targets all go through here.
 */
export function decodeEntities(text: string): string {
  return decodeHTMLStrict(text);
}

/**
 * The portal's answer after a button (`result_message`) and other portal HTML as plain text: the
 * module may send a sanitised subset (`<a> <b> <u> <i> <br> <span>`) and entities (MOD
 * im_notify.php:783-817). `<br>` becomes a line break, every tag is dropped, entities decoded.
 * Never rendered as markup.
 */
export function htmlToPlain(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>/gi, '\n').replace(/<\/?[a-z][^<>]*>/gi, ''))
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}
