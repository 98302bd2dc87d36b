/** Types shared by the REST call pipeline, the method handlers and batch. */
import type { SimContext } from './context';
import type { RestError } from './errors';

export interface AuthContext {
  kind: 'webhook' | 'oauth';
  userId: number;
  /** The application's client_id for OAuth calls; webhooks carry none (§1.6). */
  clientId: string | null;
  /** The app or webhook the operating budget is kept for. */
  entity: string;
  scopes: string[];
}

/** The `time` object of §4.4. */
export interface TimeInfo {
  start: number;
  finish: number;
  duration: number;
  processing: number;
  date_start: string;
  date_finish: string;
  operating_reset_at?: number;
  operating?: number;
}

export type RestCallOutcome = { ok: true; result: unknown; time: TimeInfo } | { ok: false; error: RestError };

export interface CallContext {
  sim: SimContext;
  /** Lower-case method name. */
  method: string;
  /** Merged parameters, keys as sent, without credentials, `start` and `state`. */
  params: Record<string, unknown>;
  auth: AuthContext;
  /** Runs another method with the same authentication (batch sub-calls). */
  runSubCall(method: string, params: Record<string, unknown>): RestCallOutcome;
}

export interface MethodDefinition {
  /** Required scope; null for the global methods (batch, scope, methods, server.time). */
  scope: string | null;
  /** options.private: hidden from `methods`, still callable. */
  hidden?: boolean;
  handler(call: CallContext): unknown;
}
