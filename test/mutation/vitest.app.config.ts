/**
 * The app services' own suites, for `npm run test:mutation:app` (see scope.mjs): its score is a
 * lower bound of the whole mutation suite's.
 */
import { mutationSuite } from './suite';

export default mutationSuite(['test/core/**/*.test.ts', 'test/multi/**/*.test.ts']);
