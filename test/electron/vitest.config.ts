/**
 * `npm run test:electron`: the real-Electron suite, apart from `npm test` (it needs an Electron
 * binary, which these machines cannot download). See app.electron.ts.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/electron/**/*.electron.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    setupFiles: ['test/harness/sim-setup.ts'],
  },
});
