'use strict';
// `debug`, as the main bundle needs it (issue 14: app.asar ≤ 1 MB): only builder-util-runtime
// (electron-updater's HTTP) calls it, as debug('electron-builder'), to print requests and
// responses to stderr when DEBUG is set. The app logs update progress itself, redacted
// (main/electron/updater.ts), so this logger stays off: same API, nothing printed.
function createDebug(namespace) {
  const log = () => undefined;
  log.enabled = false;
  log.namespace = namespace;
  log.extend = (sub, delimiter = ':') => createDebug(`${namespace}${delimiter}${sub}`);
  log.destroy = () => true;
  return log;
}
createDebug.default = createDebug;
createDebug.enable = () => undefined;
createDebug.disable = () => '';
createDebug.enabled = () => false;
module.exports = createDebug;
