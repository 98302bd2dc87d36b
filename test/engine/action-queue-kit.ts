/**
 * Set-up shared by the action-queue suites: a queue over a real outbox in a temp settings file,
 * what it shows (actionState) and reports (settled), and errors read the way the portal client
 * reads them (portal/envelope.ts errorFromBody: a refusal was not acted on, a transient fault may
 * have been).
 */
import { ActionQueue, type Flush } from '../../main/core/engine/action-queue';
import { Outbox } from '../../main/core/engine/outbox';
import type { ActionOutcome } from '../../main/core/engine/reconcile';
import type { ActionState } from '../../main/core/engine/state';
import type { BatchCommand, BatchResponse } from '../../main/core/portal/client';
import { errorFromBody } from '../../main/core/portal/envelope';
import type { PortalError } from '../../main/core/portal/errors';
import { Redactor } from '../../main/core/portal/redact';
import { tempStorage, type TempStorage } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';

export const REFRESH: BatchCommand = { method: 'im.notify.get', params: { LIMIT: 50 } };

export interface QueueRig {
  queue: ActionQueue;
  outbox: Outbox;
  store: TempStorage;
  clock: FakeClock;
  /** Every state an item was shown in, in order. */
  shown: [number, ActionState][];
  settled: [number, ActionOutcome][];
  /** The outbox as the next start would read it from disk. */
  onDisk(): Outbox['entries'];
}

/** A queue; pass the store of an earlier one to start again after a restart. */
export function queueRig(store: TempStorage = tempStorage()): QueueRig {
  const clock = new FakeClock();
  const outbox = new Outbox(store.open(), 'acc:outbox');
  const shown: [number, ActionState][] = [];
  const settled: [number, ActionOutcome][] = [];
  const queue = new ActionQueue(outbox, clock, {
    actionState: (id, state) => void shown.push([id, state]),
    settled: (id, outcome) => void settled.push([id, outcome]),
  });
  return { queue, outbox, store, clock, shown, settled, onDisk: () => new Outbox(store.open(), 'acc:outbox').entries };
}

/** The portal's `{error, error_description}` for one command (or a whole request with its status). */
export function portalSays(error: string, description?: string, status?: number): PortalError {
  return errorFromBody({ error, error_description: description }, status, new Redactor());
}

export function answer(results: Record<string, unknown>, errors: Record<string, PortalError> = {}): BatchResponse {
  return { results: { refresh: { notifications: [] }, ...results }, errors, times: {} };
}

/** The action id a click was queued under (the outbox is keyed by it, the batch too). */
export function actionIdOf(rig: QueueRig, notificationId: number): string {
  const entry = rig.queue.find(notificationId);
  if (!entry) throw new Error(`nothing queued for ${notificationId}`);
  return entry.actionId;
}

/** Whether a click's promise has settled yet (an already-settled promise wins the race). */
export async function settledYet(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return (await Promise.race([promise, Promise.resolve(marker)])) !== marker;
}

export function flushOf(rig: QueueRig): Flush {
  const flush = rig.queue.takeFlush(REFRESH);
  if (!flush) throw new Error('nothing to flush');
  return flush;
}
