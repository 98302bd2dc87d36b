/**
 * `node --import ./test/electron-standin/register.mjs dist/main/index.js`: the real main bundle
 * runs with electron.cjs in place of Electron. ESM imports of 'electron' go through a resolve hook
 * (node:module register); the bundle's CommonJS parts (electron-updater, electron-store's deps)
 * require it through Module._resolveFilename, which the ESM hooks do not see on Node 20.
 * B24_STANDIN_PLATFORM makes process.platform report win32 or darwin for the bundle's branches.
 */
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

if (process.env.B24_STANDIN_PLATFORM) Object.defineProperty(process, 'platform', { value: process.env.B24_STANDIN_PLATFORM, enumerable: true });

const standin = fileURLToPath(new URL('./electron.cjs', import.meta.url));
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? standin : resolveFilename.call(this, request, ...rest);
};
register('./hooks.mjs', import.meta.url);
