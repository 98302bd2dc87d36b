/**
 * The app services' own suites, for `npm run test:mutation:app` (see scope.mjs): its score is a
 * lower bound of the whole mutation suite's.
 */
import { defineConfig } from 'vitest/config';
import { nodeTestOptions } from '../../vite.config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/core/**/*.test.ts', 'test/multi/**/*.test.ts'],
    ...nodeTestOptions,
  },
});
