// @ts-check
/**
 * Mutation testing of the core (issue 18): npm run test:mutation [-- --mutate 'main/core/text/**']
 * Incremental: reports/stryker-incremental.json is committed, so a run after a small change tests
 * only the mutants it touches. Reports: reports/mutation/index.html and mutation.json.
 * @type {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'test/mutation/vitest.config.ts' },
  coverageAnalysis: 'perTest',
  mutate: ['main/core/**/*.ts', 'main/linux/**/*.ts', 'main/shared/**/*.ts', '!**/*.d.ts', '!**/*.test.ts'],
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  reporters: ['html', 'json', 'clear-text', 'progress'],
  htmlReporter: { fileName: 'reports/mutation/index.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, reportTests: false, reportMutants: false },
  concurrency: 2,
  timeoutMS: 15_000,
  thresholds: { high: 85, low: 70, break: null },
  tempDirName: '.stryker-tmp',
  // Another scope's sandbox (test/mutation/scope.mjs) is not part of the project to copy.
  ignorePatterns: ['.stryker-tmp-*'],
  ignoreStatic: true,
};
