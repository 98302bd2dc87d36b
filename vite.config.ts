/**
 * One config, three bundles, chosen by `--mode`:
 *  - `renderer` (default): the Svelte 5 tray window → dist/renderer (served from file:// in Electron).
 *  - `main`: the Electron main process as one ES module → dist/main/index.js. ESM because
 *    electron-store 12 is ESM-only and Electron ≥ 28 loads an ESM main natively.
 *  - `preload`: one CommonJS file → dist/preload/preload.cjs, because a sandboxed preload
 *    cannot use ESM imports.
 * Vitest reads the `test` block below whatever the mode.
 */
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import type { Alias, UserConfig } from 'vite';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;
const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];

// Runtime dependencies stay external in the main bundle only where bundling would break them
// (electron itself is provided by the runtime).
const mainExternals = ['electron', ...nodeBuiltins];

/** Exported for test/packaging/undici-lite.test.ts, which bundles undici the way the app does. */
export const mainAliases: Alias[] = [
  // Parts of libraries the app never runs (issue 14, app.asar ≤ 1 MB); each stand-in says why.
  { find: /^undici$/, replacement: resolve(root, 'build/undici-lite.cjs') },
  { find: /^semver$/, replacement: resolve(root, 'build/semver-lite.cjs') },
  { find: /^debug$/, replacement: resolve(root, 'build/stubs/debug-off.cjs') },
  { find: /^xmlbuilder$/, replacement: resolve(root, 'build/stubs/unused-modules.cjs') },
  { find: /^\.\/client-h2\.js$/, replacement: resolve(root, 'build/stubs/unused-modules.cjs') },
  { find: /^\.\/socks5-proxy-agent$/, replacement: resolve(root, 'build/stubs/unused-modules.cjs') },
  { find: /^\.\/lib\/dumper$/, replacement: resolve(root, 'build/stubs/unused-modules.cjs') },
  { find: /^\.\/formdata-parser$/, replacement: resolve(root, 'build/stubs/unused-modules.cjs') },
  { find: /^ajv\/dist\/2020\.js$/, replacement: resolve(root, 'build/stubs/ajv-unused.js') },
  { find: /^ajv-formats$/, replacement: resolve(root, 'build/stubs/ajv-unused.js') },
  // undici ships llhttp twice, with and without SIMD, and falls back to the plain one when the
  // SIMD build cannot compile (lib/dispatcher/client-h1.js): ship only the plain one.
  { find: /^\.\.\/llhttp\/llhttp_simd-wasm\.js$/, replacement: resolve(root, 'node_modules/undici/lib/llhttp/llhttp-wasm.js') },
];

function mainConfig(): UserConfig {
  return {
    build: {
      outDir: resolve(root, 'dist/main'),
      emptyOutDir: true,
      target: 'node22',
      ssr: resolve(root, 'main/index.ts'),
      sourcemap: true,
      rollupOptions: {
        external: mainExternals,
        output: {
          format: 'es',
          entryFileNames: 'index.js',
          // Release size (issue 14): whitespace and dead code go; names stay, so a stack trace in
          // the log still says which function failed and test/packaging can read what the bundle
          // requires. The map stays next to the bundle, outside app.asar.
          minify: { compress: { keepNames: { function: true, class: true } }, mangle: { keepNames: { function: true, class: true } }, codegen: { removeWhitespace: true } },
        },
      },
    },
    ssr: { noExternal: true, target: 'node' },
    resolve: { alias: mainAliases },
  };
}

function preloadConfig(): UserConfig {
  return {
    build: {
      outDir: resolve(root, 'dist/preload'),
      emptyOutDir: true,
      target: 'node22',
      ssr: resolve(root, 'main/preload.ts'),
      sourcemap: false,
      minify: false,
      rollupOptions: {
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: 'preload.cjs', minify: { compress: true, mangle: false, codegen: { removeWhitespace: true } } },
      },
    },
    ssr: { noExternal: true, target: 'node' },
  };
}

function rendererConfig(): UserConfig {
  return {
    root: resolve(root, 'renderer'),
    base: './',
    plugins: [svelte({ configFile: false })],
    build: {
      outDir: resolve(root, 'dist/renderer'),
      emptyOutDir: true,
      target: 'chrome140',
      sourcemap: false,
    },
  };
}

/** How every Node suite runs: `npm test` here, and the mutation runs (test/mutation/vitest.config.ts). */
export const nodeTestOptions: { environment: 'node'; testTimeout: number; hookTimeout: number; pool: 'forks'; setupFiles: string[]; globalSetup: string[] } = {
  environment: 'node',
  testTimeout: 20_000,
  hookTimeout: 20_000,
  // Suites start loopback servers on port 0; files run in parallel workers safely.
  pool: 'forks',
  // The simulators of the test run stand for boxes reached over loopback HTTP.
  setupFiles: ['test/harness/sim-setup.ts'],
  // Missing system tools fail the run with the install command (or are skipped loudly).
  globalSetup: ['test/harness/global-setup.ts'],
};

export default defineConfig(({ mode }) => {
  const byMode = mode === 'main' ? mainConfig() : mode === 'preload' ? preloadConfig() : rendererConfig();
  return {
    ...byMode,
    test: {
      root,
      include: ['test/**/*.test.ts', 'main/**/*.test.ts'],
      ...nodeTestOptions,
    },
  };
});
