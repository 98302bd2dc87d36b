/**
 * `npm start` where the Electron runtime cannot be fetched (issue 14): one clear paragraph that
 * points to `npm run demo`, exit 1, no stack trace; where it is installed, Electron is launched
 * with the app. The `electron` package is stood in by temporary folders with the same layout
 * (index.js reads dist/<path.txt>; install.js fetches), so nothing touches the network.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const START = new URL('../../build/start.mjs', import.meta.url).pathname;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fakeElectron(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'b24-fake-electron-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

function start(packageDir: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, B24_ELECTRON_PACKAGE_DIR: packageDir };
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return spawnSync(process.execPath, [START, '--hidden'], { encoding: 'utf8', env, timeout: 20_000 });
}

describe('npm start', () => {
  it('says in one paragraph why Electron cannot start and points to npm run demo, without a stack trace', () => {
    // What @electron/get does offline: a TypeError with its stack, exit 1.
    const offline = fakeElectron({
      'install.js': "console.error('TypeError: fetch failed\\n    at node:internal/deps/undici/undici:14976:13\\n    at async FetchDownloader.download (file:///x.js:46:30)'); process.exit(1);",
    });
    const result = start(offline);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/cannot start here: the Electron runtime is not installed/);
    expect(result.stderr).toMatch(/\(TypeError: fetch failed\)/);
    expect(result.stderr).toMatch(/npm run demo/);
    expect(result.stderr).not.toMatch(/^\s*at /m);
  });

  it('launches Electron with the app and its arguments once the runtime is there', () => {
    const installed = fakeElectron({
      'path.txt': 'electron',
      'dist/electron': '',
      'install.js': 'process.exit(1);',
      'cli.js': "console.log('electron ' + process.argv.slice(2).join(' ')); process.exit(7);",
    });
    chmodSync(join(installed, 'dist/electron'), 0o755);
    const result = start(installed);
    expect(result.stdout.trim()).toBe('electron . --hidden');
    expect(result.status).toBe(7);
  });
});
