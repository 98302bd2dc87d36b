/**
 * The main bundle takes only the parts of semver and debug its libraries call
 * (build/semver-lite.cjs, build/stubs/debug-off.cjs; vite.config.ts mainAliases). The callers' own
 * source says what they call: every `semver.x` in electron-updater and conf must be in the lite
 * module, answering as real semver does; ranges (only conf's migrations, which the app never
 * passes) fail loudly instead. builder-util-runtime's debug logger prints nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(join(root, 'package.json'));
const lite = require(join(root, 'build', 'semver-lite.cjs')) as Record<string, (...args: unknown[]) => unknown>;
const real = require('semver') as Record<string, (...args: unknown[]) => unknown>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return name.endsWith('.js') ? [path] : [];
  });
}

/** What a library calls of semver: `semver.x` and `(0, semver_1.x)` in its built code. */
function calledBy(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of sourceFiles(join(root, 'node_modules', dir))) {
    for (const match of readFileSync(file, 'utf8').matchAll(/\bsemver(?:_1)?\.([A-Za-z]+)/g)) names.add(match[1]!);
  }
  return names;
}

describe('semver, as bundled', () => {
  it('has every function electron-updater and conf call', () => {
    const called = new Set([...calledBy('electron-updater/out'), ...calledBy('conf/dist')]);
    expect(called.size).toBeGreaterThan(5);
    const missing = [...called].filter((name) => typeof lite[name] !== 'function');
    expect(missing).toEqual([]);
  });

  it('answers as semver does for the versions an update check compares', () => {
    const versions = ['1.2.3', '1.2.4-beta.1', '1.2.4', 'v2.0.0', '2.0.0-alpha', ' =1.0.0 ', 'garbage', '10.0.0'];
    for (const a of versions) {
      for (const name of ['valid', 'clean', 'prerelease']) expect(lite[name]!(a), `${name}(${a})`).toEqual(real[name]!(a));
      expect(String(lite.parse!(a)), `parse(${a})`).toBe(String(real.parse!(a)));
      for (const b of versions) {
        if (!real.valid!(a) || !real.valid!(b)) continue;
        for (const name of ['eq', 'gt', 'lt', 'lte', 'rcompare']) expect(lite[name]!(a, b), `${name}(${a}, ${b})`).toBe(real[name]!(a, b));
      }
    }
    expect(new (lite.SemVer as unknown as new (v: string) => { major: number })('3.4.5').major).toBe(3);
  });

  it('refuses ranges loudly (only conf migrations use them, and the app passes none)', () => {
    expect(() => lite.satisfies!('1.2.3', '^1.0.0')).toThrow(/not bundled/);
  });
});

describe('debug, as bundled', () => {
  it('gives builder-util-runtime a logger that prints nothing, with the API it uses', () => {
    const stub = require(join(root, 'build', 'stubs', 'debug-off.cjs')) as { default: (namespace: string) => ((...args: unknown[]) => void) & { enabled: boolean } };
    // builder-util-runtime/out/httpExecutor.js: `(0, debug_1.default)("electron-builder")`, then debug(text).
    const source = readFileSync(join(root, 'node_modules', 'builder-util-runtime', 'out', 'httpExecutor.js'), 'utf8');
    expect(source).toMatch(/\(0, debug_1\.default\)\("electron-builder"\)/);
    const log = stub.default('electron-builder');
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      log('Request: {"headers":{"authorization":"token"}}');
    } finally {
      process.stderr.write = write;
    }
    expect(written).toEqual([]);
    expect(log.enabled).toBe(false);
  });
});
