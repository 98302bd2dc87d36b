#!/usr/bin/env node
// `npm start` after the build: launches the app in Electron. The `electron` package fetches its
// ~100 MB runtime from GitHub the first time it is used; where that cannot happen (no access to
// github.com, a proxy, an offline machine) Electron prints a stack trace. This says instead, in one
// paragraph, what happened and what to do, and points to `npm run demo`, which needs no Electron.
//
// Overridable for tests: B24_ELECTRON_PACKAGE_DIR (where the `electron` package lives).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const packageDir = process.env.B24_ELECTRON_PACKAGE_DIR ?? dirname(createRequire(import.meta.url).resolve('electron/package.json'));

/** Electron's own rule (its index.js): dist/<path.txt>, or ELECTRON_OVERRIDE_DIST_PATH. */
function runtimeInstalled() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return existsSync(process.env.ELECTRON_OVERRIDE_DIST_PATH);
  const pathFile = join(packageDir, 'path.txt');
  return existsSync(pathFile) && existsSync(join(packageDir, 'dist', readFileSync(pathFile, 'utf8').trim()));
}

function explainAndExit(detail) {
  console.error(
    [
      '',
      'B24 Notify cannot start here: the Electron runtime is not installed, and fetching it from',
      `GitHub did not work${detail ? ` (${detail})` : ''}. On a machine with access to github.com (or`,
      'with ELECTRON_MIRROR set to a mirror), run `npm start` again; an unpacked Electron can also be',
      'named with ELECTRON_OVERRIDE_DIST_PATH. To try B24 Notify without Electron, run `npm run demo`:',
      'the same app in your browser, with two simulated portals and real popups on Linux.',
      '',
    ].join('\n'),
  );
  process.exit(1);
}

if (!runtimeInstalled()) {
  console.log('Fetching the Electron runtime (first start only)…');
  const install = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8', timeout: 180_000 });
  if (install.status !== 0 || !runtimeInstalled()) {
    // The last line that is not a stack frame says why, e.g. "TypeError: fetch failed".
    const lines = `${install.stderr ?? ''}\n${install.stdout ?? ''}`.split('\n').map((line) => line.trim());
    const reason = install.error ? install.error.message : lines.find((line) => line && !line.startsWith('at ') && /error|fail/i.test(line));
    explainAndExit(reason);
  }
}

const child = spawn(process.execPath, [join(packageDir, 'cli.js'), '.', ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
