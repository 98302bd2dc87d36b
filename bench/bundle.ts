/**
 * Benchmark: how big the packaged app is and how fast Node loads its main process (issue 14).
 * - app.asar: the files electron-builder.yml packs (dist/main, dist/preload, dist/renderer without
 *   source maps, package.json) packed with @electron/asar as electron-builder does; its size.
 * - Main bundle load time: a fresh Node per run imports dist/main/index.js under the Electron
 *   stand-in (test/electron-standin), from the import to the end of its top-level evaluation.
 */
import { createPackage } from '@electron/asar';
import { fork } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { appHome } from '../test/electron-standin/driver';
import { summarize, type Summary } from './lib/stats';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface BundleResult {
  asarBytes: number;
  mainBundleBytes: number;
  loadMs: Summary;
  method: string;
}

async function asarSize(): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'b24-asar-'));
  try {
    const stage = join(dir, 'app');
    mkdirSync(stage);
    for (const part of ['dist/main', 'dist/preload', 'dist/renderer']) {
      cpSync(join(ROOT, part), join(stage, part), { recursive: true, filter: (source) => !source.endsWith('.map') });
    }
    cpSync(join(ROOT, 'package.json'), join(stage, 'package.json'));
    await createPackage(stage, join(dir, 'app.asar'));
    return statSync(join(dir, 'app.asar')).size;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function loadOnce(): Promise<number> {
  const home = appHome();
  return new Promise<number>((resolve, reject) => {
    const child = fork(join(ROOT, 'bench', 'lib', 'load-bundle.mjs'), [pathToFileURL(join(ROOT, 'dist', 'main', 'index.js')).href], {
      execArgv: ['--import', join(ROOT, 'test', 'electron-standin', 'register.mjs')],
      env: home.env,
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    // The stand-in reports its own events on the same channel: wait for ours.
    child.on('message', (message) => {
      const loadMs = (message as { loadMs?: unknown }).loadMs;
      if (typeof loadMs === 'number') resolve(loadMs);
    });
    child.once('exit', (code) => reject(new Error(`the bundle's process ended (${String(code)}) before reporting`)));
  }).finally(() => home.cleanup());
}

export async function measureBundle(options: { runs?: number } = {}): Promise<BundleResult> {
  const samples: number[] = [];
  for (let run = 0; run <= (options.runs ?? 10); run += 1) {
    const ms = await loadOnce();
    if (run > 0) samples.push(ms); // the first warms the disk cache
  }
  return {
    asarBytes: await asarSize(),
    mainBundleBytes: statSync(join(ROOT, 'dist', 'main', 'index.js')).size,
    loadMs: summarize(samples),
    method: 'app.asar packed from the files electron-builder.yml lists (no source maps); load time = a fresh Node importing dist/main/index.js under the Electron stand-in, import to end of top-level evaluation, after one discarded warm-up',
  };
}
