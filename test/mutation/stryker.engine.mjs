// @ts-check
/** main/core/engine against its own suites (scope.mjs): `npm run test:mutation:engine`. */
import { scope } from './scope.mjs';

export default scope('engine');
