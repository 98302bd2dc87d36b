/**
 * The portal client's own suites, for `npm run test:mutation:portal` (see scope.mjs): its score
 * is a lower bound of the whole mutation suite's.
 */
import { mutationSuite } from './suite';

export default mutationSuite(['test/portal/**/*.test.ts', 'test/sim-fidelity/**/*.test.ts', 'test/security/redirects.test.ts', 'test/security/redaction-variants.test.ts']);
