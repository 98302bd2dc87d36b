'use strict';
// Modules that libraries in the main bundle load at the top but the app never runs (issue 14:
// app.asar ≤ 1 MB). vite.config.ts points each at this file; calling one fails loudly.
//  - xmlbuilder: xml2js's XML *writer*; @homebridge/dbus-native only parses introspection XML
//    (lib/introspect.js, new xml2js.Parser()).
//  - undici's client-h2.js: HTTP/2, used only with `allowH2: true`, which the app never sets
//    (main/core/portal/http.ts createAgent, proxy.ts).
//  - undici's multipart form-data parser (Response.formData()); the WebSocket handshake, the
//    only part of undici's fetch the app runs, never parses a body.
//  - js-yaml's dumper: electron-updater only reads YAML (latest.yml), never writes it.
//  - undici's socks5-proxy-agent.js: SOCKS proxies; the app skips SOCKS entries of the system
//    proxy settings with a warning (main/core/portal/proxy.ts) and never builds one.
const refuse = (what) => () => {
  throw new Error(`${what} is not bundled with B24 Notify (see build/stubs/unused-modules.cjs)`);
};
module.exports = refuse('This module');
module.exports.create = refuse('xmlbuilder');
module.exports.begin = refuse('xmlbuilder');
module.exports.dump = refuse('js-yaml dump');
module.exports.multipartFormDataParser = refuse('multipart/form-data parsing');
