// @ts-check
/**
 * A folder measured against its own suites. Nearly every suite drives a real engine and portal
 * client on the simulator, so over the whole mutation suite each mutant there is covered by
 * hundreds of tests and one pass takes longer than a working day on two cores. Against the
 * folder's own suites a score is a lower bound of the whole suite's (a survivor may still be
 * killed elsewhere: `npm run test:mutation:recheck -- --all <folder>` runs each against all of
 * them). Each scope keeps its own incremental file, never mixed with stryker.config.mjs's.
 */
import base from '../../stryker.config.mjs';

/**
 * `main/core/<name>` against the suites in `test/mutation/vitest.<name>.config.ts`.
 * @param {string} name
 * @returns {import('@stryker-mutator/api/core').PartialStrykerOptions}
 */
export function scope(name) {
  return {
    ...base,
    vitest: { configFile: `test/mutation/vitest.${name}.config.ts` },
    mutate: [`main/core/${name}/**/*.ts`, '!**/*.d.ts', '!**/*.test.ts'],
    incrementalFile: `reports/stryker-incremental-${name}.json`,
    htmlReporter: { fileName: `reports/mutation-${name}/index.html` },
    jsonReporter: { fileName: `reports/mutation-${name}/mutation.json` },
    tempDirName: `.stryker-tmp-${name}`,
  };
}
