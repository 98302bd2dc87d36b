'use strict';
// The parts of undici the main process uses (issue 14: app.asar ≤ 1 MB), instead of its index,
// which loads everything: fetch's cache, EventSource, cookies, mock agents, snapshot recording,
// interceptors, SOCKS. The app imports Agent, ProxyAgent and request (main/core/portal/http.ts,
// proxy.ts, main/core/push/long-poll.ts) and WebSocket (main/core/push/undici-socket.ts) from 'undici'; vite.config.ts points
// that import here for the main bundle only. `request` and the Dispatcher methods are set up
// exactly as undici's index.js does (makeDispatcher; Object.assign(Dispatcher.prototype, api)).
// test/packaging/undici-lite.test.ts builds this file and runs each export against loopback.
const Dispatcher = require('../node_modules/undici/lib/dispatcher/dispatcher');
const Agent = require('../node_modules/undici/lib/dispatcher/agent');
const ProxyAgent = require('../node_modules/undici/lib/dispatcher/proxy-agent');
const api = require('../node_modules/undici/lib/api');
const util = require('../node_modules/undici/lib/core/util');
const { InvalidArgumentError } = require('../node_modules/undici/lib/core/errors');
const { getGlobalDispatcher } = require('../node_modules/undici/lib/global');
const { WebSocket: UndiciWebSocket } = require('../node_modules/undici/lib/web/websocket/websocket');

Object.assign(Dispatcher.prototype, api);

function makeDispatcher(fn) {
  return (url, opts, handler) => {
    if (typeof opts === 'function') {
      handler = opts;
      opts = null;
    }
    if (!url || (typeof url !== 'string' && typeof url !== 'object' && !(url instanceof URL))) throw new InvalidArgumentError('invalid url');
    if (opts != null && typeof opts !== 'object') throw new InvalidArgumentError('invalid opts');
    if (opts && opts.path != null) {
      if (typeof opts.path !== 'string') throw new InvalidArgumentError('invalid opts.path');
      const path = opts.path.startsWith('/') ? opts.path : `/${opts.path}`;
      url = new URL(util.parseOrigin(url).origin + path);
    } else {
      if (!opts) opts = typeof url === 'object' ? url : {};
      url = util.parseURL(url);
    }
    const { agent, dispatcher = getGlobalDispatcher() } = opts;
    if (agent) throw new InvalidArgumentError('unsupported opts.agent. Did you mean opts.client?');
    return fn.call(dispatcher, { ...opts, origin: url.origin, path: url.search ? `${url.pathname}${url.search}` : url.pathname, method: opts.method || (opts.body ? 'PUT' : 'GET') }, handler);
  };
}

module.exports = { Agent, ProxyAgent, Dispatcher, WebSocket: UndiciWebSocket, request: makeDispatcher(api.request) };
