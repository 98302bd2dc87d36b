// @ts-check
/** main/core/portal against its own suites (scope.mjs): `npm run test:mutation:portal`. */
import { scope } from './scope.mjs';

export default scope('portal');
