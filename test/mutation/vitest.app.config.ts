/**
 * The app services' own suites, for `npm run test:mutation:app` (see scope.mjs): its score is a
 * lower bound of the whole mutation suite's. Besides test/core and test/multi, the suites that
 * drive the app services end to end on the simulator: sign-in and its refusals (test/security,
 * and the three test/portal files that connect through main/core/app/connect*.ts).
 */
import { mutationSuite } from './suite';

export default mutationSuite([
  'test/core/**/*.test.ts',
  'test/multi/**/*.test.ts',
  'test/security/**/*.test.ts',
  'test/portal/oauth-real-portal.test.ts',
  'test/portal/real-portal-connections.test.ts',
  'test/portal/unencrypted-http.test.ts',
]);
