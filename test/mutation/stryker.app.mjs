// @ts-check
/** main/core/app against its own suites (scope.mjs): `npm run test:mutation:app`. */
import { scope } from './scope.mjs';

export default scope('app');
