/**
 * The suites Stryker runs against each mutant of main/core, main/linux and main/shared
 * (stryker.config.mjs): every suite that exercises that source in Node. Left out, because they
 * run something else than the mutated source or take minutes per mutant: the window in Chromium
 * (test/window, test/renderer: the built renderer), the built main bundle under the Electron
 * stand-in (test/shell-run, test/shell, test/packaging), the real-Electron suite, and the soak
 * (test/soak: half a minute a seed; its invariants are the engine suites' too).
 */
import { mutationSuite } from './suite';

export default mutationSuite([
  'test/core/**/*.test.ts',
  'test/engine/**/*.test.ts',
  'test/linux/**/*.test.ts',
  'test/multi/**/*.test.ts',
  'test/portal/**/*.test.ts',
  'test/portal-sim/**/*.test.ts',
  'test/push/**/*.test.ts',
  'test/security/**/*.test.ts',
  'test/sim-fidelity/**/*.test.ts',
  'test/tray/**/*.test.ts',
  'main/**/*.test.ts',
]);
