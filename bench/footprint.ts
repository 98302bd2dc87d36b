/**
 * Benchmark: how light the app is.
 *
 * - The main process's core (client, engine, hub, presenter, storage) in Node: heap used and RSS
 *   after a full GC, with 0, 1,000 and 10,000 notifications on the portal (they arrive in waves
 *   between polls, as they would; the inbox keeps at most 2,000), each size in a fresh process
 *   (bench/lib/footprint-child.ts, bundled by Vite like the app's main bundle, run with
 *   --expose-gc). The process's own baseline (Node and the bundle loaded, nothing started) is
 *   given too.
 * - CPU time per idle poll (user + system, process.cpuUsage) in the same process, over many polls
 *   30 s apart on a virtual clock (so they run back to back), the portal in the parent process.
 * - The renderer's bundle: .js and .css in dist/renderer/assets, raw and gzip -9.
 * - Rendering 5,000 items in Chromium: bench/window-render.ts's measureWindowRender.
 */
import { fork } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';
import { startPortalSim } from '../test/portal-sim';
import type { ChildMessage, ChildRequest, Memory, NewItemBytes } from './lib/footprint-child';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RENDERER_ASSETS = join(ROOT, 'dist', 'renderer', 'assets');

export interface CoreFootprint {
  stored: number;
  inboxItems: number;
  baseline: Memory;
  memory: Memory;
  cpuUsPerIdlePoll: number;
  realMsPerIdlePoll: number;
  idlePolls: number;
  /** One new notification with this many stored: bytes sent to the window (changes vs whole snapshots). */
  newItem?: NewItemBytes;
}

export interface BundleSize {
  files: number;
  rawBytes: number;
  gzipBytes: number;
}

export interface FootprintResult {
  core: CoreFootprint[];
  /** The same measures with the engine before issue 15's split (bench/baseline/), same sizes. */
  baselineCore: CoreFootprint[];
  bundle: { js: BundleSize; css: BundleSize } | { skipped: string };
  method: string;
}

export const FOOTPRINT_METHOD =
  'core: one fresh Node process per size (the core bundled by Vite, --expose-gc), notifications arriving in waves of 150 between polls, heap used and RSS after 4 GCs with the engine running; CPU per idle poll = process.cpuUsage() over the idle polls ÷ polls (the portal runs in another process)';

async function bundleChild(outDir: string): Promise<string> {
  await build({
    configFile: false,
    logLevel: 'silent',
    root: ROOT,
    build: {
      ssr: join(ROOT, 'bench', 'lib', 'footprint-child.ts'),
      outDir,
      emptyOutDir: true,
      target: 'node20',
      minify: false,
      sourcemap: false,
      rollupOptions: { output: { format: 'es', entryFileNames: 'footprint-child.mjs' } },
    },
    ssr: { noExternal: true, target: 'node' },
  });
  return join(outDir, 'footprint-child.mjs');
}

async function measureCore(script: string, stored: number, idlePolls: number, engine: 'current' | 'baseline' = 'current'): Promise<CoreFootprint> {
  const portal = await startPortalSim({ restApAuthAllowHttp: true, bucket: false });
  const child = fork(script, [], { execArgv: ['--expose-gc', ...(process.env.B24_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof', '--cpu-prof-interval=100'] : [])], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let created = 0;
  try {
    return await new Promise<CoreFootprint>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`the footprint process for ${stored} exited (${String(code)}) without a result`)));
      child.on('message', (raw) => {
        const message = raw as ChildMessage;
        if (message.type === 'wave') {
          for (let i = 0; i < message.count; i += 1, created += 1) {
            // Mostly ordinary notifications with links and an author; every 50th needs an answer.
            if (created % 50 === 0) portal.addConfirm({ title: `Invitation ${created}`, text: 'Join the group [URL=/workgroups/group/12/]Marketing[/URL]?' });
            else portal.addPersonal({ text: `Please review the [URL=https://example.com/report/${created}]report ${created}[/URL] before Friday. [B]Thanks![/B]`, authorId: 3 });
          }
          child.send({ type: 'added' });
        } else if (message.type === 'result') {
          resolve({ stored, inboxItems: message.inboxItems, baseline: message.baseline, memory: message.memory, cpuUsPerIdlePoll: Number(message.cpuUsPerPoll.toFixed(0)), realMsPerIdlePoll: Number(message.realMsPerPoll.toFixed(2)), idlePolls: message.polls, ...(message.newItem ? { newItem: message.newItem } : {}) });
        } else {
          reject(new Error(`footprint process for ${stored}: ${message.message}`));
        }
      });
      const request: ChildRequest = { origin: portal.origin, userId: portal.userId, code: portal.webhookCode, size: stored, idlePolls, engine };
      child.send(request);
    });
  } finally {
    child.kill();
    await portal.close();
  }
}

function measureBundle(): FootprintResult['bundle'] {
  let names: string[];
  try {
    names = readdirSync(RENDERER_ASSETS);
  } catch {
    return { skipped: 'no dist/renderer/assets: build the window first (npm run bench does)' };
  }
  const sizeOf = (ext: string): BundleSize => {
    const files = names.filter((name) => extname(name) === ext);
    let rawBytes = 0;
    let gzipBytes = 0;
    for (const name of files) {
      const content = readFileSync(join(RENDERER_ASSETS, name));
      rawBytes += content.length;
      gzipBytes += gzipSync(content, { level: 9 }).length;
    }
    return { files: files.length, rawBytes, gzipBytes };
  };
  return { js: sizeOf('.js'), css: sizeOf('.css') };
}

export async function measureFootprint(options: { sizes?: number[]; idlePolls?: number } = {}): Promise<FootprintResult> {
  const dir = mkdtempSync(join(tmpdir(), 'b24-footprint-'));
  try {
    const script = await bundleChild(dir);
    const core: CoreFootprint[] = [];
    const sizes = options.sizes ?? [0, 1_000, 10_000];
    for (const stored of sizes) core.push(await measureCore(script, stored, options.idlePolls ?? 300));
    const baselineCore: CoreFootprint[] = [];
    for (const stored of sizes.filter((size) => size > 0)) baselineCore.push(await measureCore(script, stored, options.idlePolls ?? 300, 'baseline'));
    return { core, baselineCore, bundle: measureBundle(), method: FOOTPRINT_METHOD };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
