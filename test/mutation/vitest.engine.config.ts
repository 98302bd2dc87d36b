/**
 * The engine's own suites, for `npm run test:mutation:engine`. Almost every suite drives a real
 * engine (the hub, the presenter, push, IPC, security), so over the whole mutation suite each
 * engine mutant is covered by hundreds of tests and one pass takes hours on two cores. Over these
 * suites only, a score is a lower bound of the whole suite's: a survivor here may still be killed
 * elsewhere (`npm run test:mutation:recheck -- --all main/core/engine` runs each against all).
 */
import { defineConfig } from 'vitest/config';
import { nodeTestOptions } from '../../vite.config';

export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/engine/**/*.test.ts', 'test/multi/**/*.test.ts', 'test/core/hub.test.ts', 'test/core/state-feed.test.ts', 'test/core/snoozes.test.ts', 'test/push/engine-push.test.ts'],
    ...nodeTestOptions,
  },
});
