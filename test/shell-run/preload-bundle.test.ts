/**
 * The built preload (dist/preload/preload.cjs, as the window loads it) run against a stand-in of
 * what a sandboxed preload gets (issue 14; replaces the recorded-mock preload-surface suite):
 * `require` offers only Electron's renderer modules and a few polyfilled Node ones
 * (docs/tutorial/sandbox.md, "Preload scripts"); contextBridge.exposeInMainWorld hands the page
 * what it is given (docs/api/context-bridge.md). The page must get one `api` of plain functions,
 * each reaching a contract channel or event, never ipcRenderer or Electron's event objects.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ALL_IPC_CHANNELS, IpcEvents } from '../../main/shared/ipc-contract';

const PRELOAD = join(import.meta.dirname, '..', '..', 'dist', 'preload', 'preload.cjs');
/** What a sandboxed preload's require() can load (docs/tutorial/sandbox.md). */
const SANDBOX_MODULES = new Set(['electron', 'events', 'timers', 'url']);

function loadPreload(): { exposed: Map<string, unknown>; invoked: [string, unknown[]][]; listeners: Map<string, (event: unknown, payload: unknown) => void>; removed: string[] } {
  const exposed = new Map<string, unknown>();
  const invoked: [string, unknown[]][] = [];
  const listeners = new Map<string, (event: unknown, payload: unknown) => void>();
  const removed: string[] = [];
  const ipcRenderer = {
    invoke: (channel: string, ...args: unknown[]) => {
      invoked.push([channel, args]);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => void listeners.set(channel, listener),
    off: (channel: string, listener: unknown) => {
      if (listeners.get(channel) === listener) removed.push(channel);
    },
  };
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        // docs/api/context-bridge.md: a second exposure under the same key throws.
        if (exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object`);
        exposed.set(key, api);
      },
    },
    ipcRenderer,
  };
  const require = (name: string): unknown => {
    if (!SANDBOX_MODULES.has(name)) throw new Error(`module not found: ${name} (a sandboxed preload cannot load it)`);
    if (name === 'electron') return electron;
    throw new Error(`the preload needs ${name}, which this stand-in does not model`);
  };
  const module = { exports: {} };
  runInNewContext(readFileSync(PRELOAD, 'utf8'), { require, module, exports: module.exports, console }, { filename: PRELOAD });
  return { exposed, invoked, listeners, removed };
}

describe('the built preload, as a sandboxed window runs it', () => {
  it('exposes only `api`: functions that reach contract channels and events, handing the page payloads only', async () => {
    const { exposed, invoked, listeners, removed } = loadPreload();
    expect([...exposed.keys()]).toEqual(['api']);
    const api = exposed.get('api') as Record<string, unknown>;
    const events = Object.values(IpcEvents) as string[];
    const channelsReached = new Set<string>();
    for (const [method, value] of Object.entries(api)) {
      expect(typeof value, method).toBe('function');
      const call = value as (argument?: unknown) => unknown;
      if (method.startsWith('on')) {
        const received: unknown[] = [];
        const stop = call((payload: unknown) => received.push(payload));
        const [event, wrapped] = [...listeners.entries()].at(-1) ?? [];
        expect(events, method).toContain(event);
        // The page gets the payload only, never Electron's event (which carries `sender`).
        wrapped?.({ sender: { send() {} }, senderFrame: {} }, { n: 1 });
        expect(received, method).toEqual([{ n: 1 }]);
        (stop as () => void)();
        expect(removed.at(-1), method).toBe(event);
        listeners.clear();
      } else {
        const before = invoked.length;
        const returned = call({});
        expect(invoked.length, method).toBe(before + 1);
        const [channel, args] = invoked.at(-1) ?? ['', []];
        expect(ALL_IPC_CHANNELS as string[], method).toContain(channel);
        expect(args.length, method).toBe(1); // one request object, nothing else crosses
        channelsReached.add(channel);
        expect(await returned, method).toEqual({ ok: true, value: null });
      }
    }
    // Every channel the main process answers is reachable from the page, and nothing else is.
    expect([...channelsReached].sort()).toEqual([...ALL_IPC_CHANNELS].sort());
  });
});
