/**
 * The portal client's own suites, for `npm run test:mutation:portal` (see scope.mjs): its score
 * is a lower bound of the whole mutation suite's.
 */
import { defineConfig } from 'vitest/config';
import { nodeTestOptions } from '../../vite.config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/portal/**/*.test.ts', 'test/sim-fidelity/**/*.test.ts', 'test/security/redirects.test.ts', 'test/security/redaction-variants.test.ts'],
    ...nodeTestOptions,
  },
});
