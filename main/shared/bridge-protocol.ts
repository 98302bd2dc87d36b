/**
 * The preview's wire format for the IPC contract over a loopback WebSocket: requests carry an id
 * and get exactly one reply; pushed events carry their IpcEvents name.
 */
import type { IpcEventContract, IpcResult } from './ipc-contract';

export interface BridgeRequest {
  id: number;
  channel: string;
  payload: unknown;
}

export type BridgeMessage =
  | { kind: 'reply'; id: number; result: IpcResult<unknown> }
  | { [E in keyof IpcEventContract]: { kind: 'event'; event: E; payload: IpcEventContract[E] } }[keyof IpcEventContract];

/** Where the page connects, relative to its own origin. */
export const BRIDGE_PATH = '/bridge';
