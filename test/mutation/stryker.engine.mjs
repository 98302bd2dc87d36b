// @ts-check
/**
 * main/core/engine against its own suites (test/mutation/vitest.engine.config.ts): a lower bound
 * that finishes in reasonable time on two cores. Its incremental file is its own, so it never
 * mixes with the whole-suite results of stryker.config.mjs.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
import base from '../../stryker.config.mjs';

export default {
  ...base,
  vitest: { configFile: 'test/mutation/vitest.engine.config.ts' },
  mutate: ['main/core/engine/**/*.ts', '!**/*.d.ts'],
  incrementalFile: 'reports/stryker-incremental-engine.json',
  htmlReporter: { fileName: 'reports/mutation-engine/index.html' },
  jsonReporter: { fileName: 'reports/mutation-engine/mutation.json' },
  tempDirName: '.stryker-tmp-engine',
};
