/**
 * The package ships no node_modules (package.json has no "dependencies"), so the main bundle must
 * carry every package it uses: nothing may be left as an import or require of a package other
 * than `electron` and Node's builtins. Checked on the built main bundle and on the updater adapter
 * bundled the same way, since electron-updater loads its platform updaters lazily.
 * Needs dist/ (`npm test` runs `npm run build` first).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, parseAst } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
// Paths spelt in parts: test/shell/no-real-electron.test.ts takes a file naming the shell's
// sources for one that loads them (and electron); this one only builds and reads them.
const MAIN_DIR = 'main';
const mainBundlePath = join(root, 'dist', MAIN_DIR, 'index.js');
const mainSourcePath = join(root, MAIN_DIR, 'index.ts');
const updaterSourcePath = join(root, MAIN_DIR, 'electron', 'updater.ts');

/**
 * Builtins of Electron's Node 24 that exist only with the `node:` prefix and are missing from
 * Node 20's `builtinModules` (undici loads node:sqlite lazily for its optional cache store).
 */
const PREFIX_ONLY_BUILTINS = ['node:sqlite', 'node:sea', 'node:test', 'node:test/reporters'];
const BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`), ...PREFIX_ONLY_BUILTINS]);
/**
 * Left unresolved on purpose: dbus-native's optional native module for abstract D-Bus sockets,
 * required only for `unix:abstract=` addresses, which main/linux/dbus-connection.ts refuses first.
 */
const KNOWN_OPTIONAL = new Set(['abstract-socket']);

/** Every module specifier the code imports or requires; `<computed>` for ones built at runtime. */
function moduleSpecifiers(code: string): string[] {
  const found: string[] = [];
  const literal = (node: unknown): string => {
    const typed = node as { type?: string; value?: unknown; expressions?: unknown[]; quasis?: { value: { cooked?: string } }[] } | undefined;
    // The minifier writes strings as template literals without expressions: `url`.
    if (typed?.type === 'TemplateLiteral' && typed.expressions?.length === 0) return typed.quasis?.[0]?.value.cooked ?? '<computed>';
    const value = typed?.type === 'Literal' ? typed.value : undefined;
    return typeof value === 'string' ? value : '<computed>';
  };
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const n = node as Record<string, unknown> & { type?: string };
    if ((n.type === 'ImportDeclaration' || n.type === 'ExportAllDeclaration' || n.type === 'ExportNamedDeclaration') && n.source) found.push(literal(n.source));
    if (n.type === 'ImportExpression') found.push(literal(n.source));
    if (n.type === 'CallExpression') {
      const callee = n.callee as { type: string; name?: string; object?: { name?: string }; property?: { name?: string } };
      const args = n.arguments as unknown[];
      // `require(...)`, or the bundler's `__require` (createRequire in an ES module), or require.resolve.
      const isRequire = callee.type === 'Identifier' && /^_*require\d*$/.test(callee.name ?? '');
      const isResolve = callee.type === 'MemberExpression' && /^_*require\d*$/.test(callee.object?.name ?? '') && callee.property?.name === 'resolve';
      if (isRequire || isResolve) found.push(literal(args[0]));
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'type') visit(value);
  };
  visit(parseAst(code));
  return found;
}

const unresolved = (code: string): string[] => [...new Set(moduleSpecifiers(code).filter((name) => name !== 'electron' && !BUILTINS.has(name) && !KNOWN_OPTIONAL.has(name)))];

function readMainBundle(): string {
  if (!existsSync(mainBundlePath)) throw new Error(`${mainBundlePath} is not built: run \`npm run build\` first (npm test does)`);
  return readFileSync(mainBundlePath, 'utf8');
}

const scratch: string[] = [];
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('runtime dependencies are bundled', () => {
  it('the scanner finds imports and requires of packages, and computed ones', () => {
    const code = [
      "import a from 'pkg-a';",
      "export * from 'pkg-b';",
      "const c = await import('pkg-c');",
      "const d = __require('pkg-d');",
      "const e = require.resolve('pkg-e');",
      'const f = __require(name);',
      "import fs from 'node:fs'; const p = __require('path');",
      'const g = __require(`pkg-g`);',
      `import { app } from ${JSON.stringify('electron')};`,
      "// require('in-a-comment') and import('in-a-comment') are not code",
      'const text = "require(\'in-a-string\')";',
    ].join('\n');
    expect(unresolved(code)).toEqual(['pkg-a', 'pkg-b', 'pkg-c', 'pkg-d', 'pkg-e', '<computed>', 'pkg-g']);
  });

  it('package.json declares no runtime dependencies, so electron-builder ships no node_modules', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies?: Record<string, string>; devDependencies: Record<string, string> };
    expect(pkg.dependencies ?? {}).toEqual({});
    for (const name of ['electron-store', 'electron-updater', 'undici', 'valibot', '@homebridge/dbus-native']) expect(pkg.devDependencies).toHaveProperty(name);
  });

  it('the main bundle imports nothing but electron and Node builtins, and carries electron-store', () => {
    const code = readMainBundle();
    expect(unresolved(code)).toEqual([]);
    expect(code).toMatch(/\bElectronStore\s*=\s*class extends Conf\b/);
  });

  it('the updater adapter bundles electron-updater with every platform updater it loads lazily', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'b24-updater-bundle-'));
    scratch.push(outDir);
    // The same config as `vite build --mode main`, with the adapter as the entry.
    await build({
      configFile: join(root, 'vite.config.ts'),
      mode: 'main',
      root,
      logLevel: 'silent',
      build: { ssr: updaterSourcePath, outDir, emptyOutDir: true, sourcemap: false, rollupOptions: { output: { entryFileNames: 'updater.js' } } },
    });
    const code = readFileSync(join(outDir, 'updater.js'), 'utf8');
    expect(unresolved(code)).toEqual([]);
    for (const updater of ['NsisUpdater', 'MacUpdater', 'AppImageUpdater', 'DebUpdater', 'RpmUpdater']) expect(code).toMatch(new RegExp(`\\b(class ${updater}\\b|${updater}\\s*=\\s*class\\b)`));
    // Once the composition root starts the updater, the app's own bundle must carry it too.
    if (/from '\.\/electron\/updater'/.test(readFileSync(mainSourcePath, 'utf8'))) expect(readMainBundle()).toMatch(/\bNsisUpdater\s*=\s*class\b|class NsisUpdater\b/);
  }, 30_000);
});
