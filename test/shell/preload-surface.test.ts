/**
 * The preload gives the page one `api` object of plain functions: each invokes a contract channel
 * or listens to a contract event, and none hands out ipcRenderer or Electron's event objects.
 */
import { describe, expect, it, vi } from 'vitest';
import * as electron from 'electron';
import { ALL_IPC_CHANNELS, IpcEvents } from '../../main/shared/ipc-contract';

vi.mock('electron', async () => (await import('./electron-mock')).electronMock());

describe('preload', () => {
  it('exposes only `api`, whose methods reach contract channels and events and nothing else', async () => {
    await import('../../main/preload');
    const expose = vi.mocked(electron.contextBridge.exposeInMainWorld);
    expect(expose).toHaveBeenCalledTimes(1);
    const [name, api] = expose.mock.calls[0] as [string, Record<string, unknown>];
    expect(name).toBe('api');

    const ipc = vi.mocked(electron.ipcRenderer);
    const events = Object.values(IpcEvents) as string[];
    for (const [method, value] of Object.entries(api)) {
      expect(typeof value, method).toBe('function');
      const call = value as (argument?: unknown) => unknown;
      if (method.startsWith('on')) {
        const listener = vi.fn();
        const stop = call(listener);
        const [event, wrapped] = ipc.on.mock.lastCall as unknown as [string, (event: unknown, payload: unknown) => void];
        expect(events, method).toContain(event);
        // The page gets the payload only, never Electron's event (which carries `sender`).
        wrapped({ sender: ipc, senderFrame: {} }, { n: 1 });
        expect(listener).toHaveBeenCalledExactlyOnceWith({ n: 1 });
        expect(typeof stop, method).toBe('function');
        (stop as () => void)();
        expect(ipc.off).toHaveBeenLastCalledWith(event, wrapped);
      } else {
        const returned = call({});
        const [channel] = ipc.invoke.mock.lastCall as unknown as [string];
        expect(ALL_IPC_CHANNELS as string[], method).toContain(channel);
        expect(returned).toBeInstanceOf(Promise);
        expect(await returned).not.toBe(ipc);
      }
    }
    // Nothing else was sent: no fire-and-forget messages, no channel outside the contract.
    for (const [channel] of ipc.invoke.mock.calls as unknown as [string][]) expect(ALL_IPC_CHANNELS as string[]).toContain(channel);
  });
});
