/**
 * The Content Security Policy of the window as it ships (dist/renderer/index.html, built by
 * `npm test` before the suites run). The window loads from file://, where no response headers
 * exist, so the page's own <meta> is the only place a CSP can come from; this also checks nothing
 * in main/ tries to set one some other way that could disagree with it.
 */
import { BITRIX24_CDN_HOSTS } from '../../main/shared/bitrix24-cdn';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const builtPage = join(root, 'dist', 'renderer', 'index.html');

function readBuiltPage(): string {
  if (!existsSync(builtPage)) throw new Error(`${relative(root, builtPage)} is missing: run \`npm run build\` first (npm test does).`);
  return readFileSync(builtPage, 'utf8');
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i').exec(tag);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

function cspMetas(html: string): { tag: string; index: number }[] {
  return [...html.matchAll(/<meta\b[^>]*>/gi)].filter((m) => /http-equiv\s*=\s*["']?content-security-policy/i.test(m[0])).map((m) => ({ tag: m[0], index: m.index }));
}

/** directive → its sources, as the browser reads them (names are case-insensitive; the first wins). */
function parseCsp(policy: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

/** The sources that apply to a fetch directive: its own, or default-src's when it has none. */
function effective(csp: Map<string, string[]>, directive: string): string[] | undefined {
  return csp.get(directive) ?? csp.get('default-src');
}

describe('the built window’s CSP', () => {
  const html = readBuiltPage();
  const metas = cspMetas(html);
  const csp = parseCsp(attribute(metas[0]?.tag ?? '', 'content') ?? '');

  it('is one <meta http-equiv="Content-Security-Policy"> in <head>, before anything it governs', () => {
    expect(metas).toHaveLength(1);
    const [meta] = metas;
    const head = /<head\b[^>]*>([\s\S]*?)<\/head>/i.exec(html);
    expect(head && meta && meta.index > head.index && meta.index < head.index + head[0].length).toBe(true);
    // A meta CSP only applies to what comes after it.
    const firstLoad = html.search(/<(script|link|style|img|iframe|object|embed)\b/i);
    expect(meta!.index).toBeLessThan(firstLoad);
  });

  it('loads images only from the app, data: URLs (avatars main fetched) and exactly Bitrix24’s CDN hosts over https (issue 12)', () => {
    expect(effective(csp, 'img-src')).toEqual(["'self'", 'data:', ...BITRIX24_CDN_HOSTS.map((host) => `https://${host}`)]);
  });

  it('denies by default and allows scripts only from the app itself', () => {
    expect(["'none'", "'self'"]).toContain(csp.get('default-src')?.join(' '));
    // Exactly 'self': no 'unsafe-inline', 'unsafe-eval', 'wasm-unsafe-eval', hosts, schemes or wildcards.
    expect(effective(csp, 'script-src')).toEqual(["'self'"]);
    for (const directive of ['script-src-elem', 'script-src-attr', 'worker-src']) {
      const sources = csp.get(directive);
      if (sources) expect(sources.every((source) => source === "'self'" || source === "'none'"), directive).toBe(true);
    }
    expect(effective(csp, 'object-src')).toEqual(["'none'"]);
    expect(effective(csp, 'frame-src') ?? effective(csp, 'child-src')).toEqual(["'none'"]);
    expect(["'none'", "'self'"]).toContain(csp.get('base-uri')?.join(' '));
    expect(csp.get('form-action')).toEqual(["'none'"]);
  });

  it('loads every script from a file of the build, same origin, relative, and has no inline script or handler', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes = '', body = ''] of scripts) {
      const src = attribute(` ${attributes}`, 'src');
      expect(src, 'a script without src is inline').toBeDefined();
      expect(body.trim(), 'a script with a body').toBe('');
      expect(src).toMatch(/^\.?\.?\/?[\w./-]+\.m?js$/);
      expect(src).not.toMatch(/^(?:[a-z][a-z0-9+.-]*:|\/\/)/i); // no scheme, not protocol-relative
      const file = resolve(join(root, 'dist', 'renderer'), src!);
      expect(relative(join(root, 'dist', 'renderer'), file).startsWith('..'), `${src} leaves the build`).toBe(false);
      expect(existsSync(file), `${src} exists`).toBe(true);
    }
    expect(html).not.toMatch(/\son[a-z]+\s*=/i); // onclick= and friends are inline script
    expect(html).not.toMatch(/javascript:/i);
  });

  it('is the one in the source page, and main sets no other', () => {
    const sourceMetas = cspMetas(readFileSync(join(root, 'renderer', 'index.html'), 'utf8'));
    expect(sourceMetas.map((meta) => attribute(meta.tag, 'content'))).toEqual(metas.map((meta) => attribute(meta.tag, 'content')));
    const mainFiles = readdirSync(join(root, 'main'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.ts'));
    const setters = mainFiles.filter((file) => /content-security-policy|onHeadersReceived/i.test(readFileSync(join(root, 'main', file), 'utf8')));
    expect(setters).toEqual([]);
  });
});
