/**
 * The engine's own suites, for `npm run test:mutation:engine` (see scope.mjs): its score is a
 * lower bound of the whole mutation suite's.
 */
import { mutationSuite } from './suite';

export default mutationSuite(['test/engine/**/*.test.ts', 'test/multi/**/*.test.ts', 'test/core/hub.test.ts', 'test/core/state-feed.test.ts', 'test/core/snoozes.test.ts', 'test/push/engine-push.test.ts']);
