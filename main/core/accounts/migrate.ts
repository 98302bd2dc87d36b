/**
 * Upgrading a single-portal configuration (versions before several portals) to the account list.
 *
 * Those versions kept one portal at top-level keys of the same store:
 *   `webhookUrl`     the inbound webhook URL (plain text: the code was not sealed then),
 *   `outbox`         answers not yet settled by the portal,
 *   `highWaterMark`  the newest notification id already announced,
 *   `portalName`     optional display name.
 * They become the first account: the code is sealed, the outbox and high-water mark move under
 * the account's keys (so no answer is lost and nothing is announced twice), and the plain-text
 * URL is deleted last. Every step can be repeated, so a crash midway just runs it again.
 */
import * as v from 'valibot';
import { OutboxEntrySchema } from '../engine/outbox';
import { PortalUrlError, parsePortalInput } from '../portal/portal-url';
import type { Storage } from '../storage/storage';
import type { AccountConfig, AccountStore } from './account-store';
import { accountKey } from './keys';

export const LEGACY_KEYS = { webhookUrl: 'webhookUrl', outbox: 'outbox', highWaterMark: 'highWaterMark', portalName: 'portalName' } as const;
/**
 * Where versions before this one kept a legacy URL they could not read — in clear, with whatever
 * webhook code it held. Removed on the next start: a credential is never kept unsealed.
 */
export const UNREADABLE_LEGACY_URL_KEY = 'legacy:unreadableWebhookUrl';

const OutboxListSchema = v.array(OutboxEntrySchema);
const HighWaterMarkSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const UrlSchema = v.string();
const NameSchema = v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(80));

export type MigrationResult =
  | { status: 'nothing-to-migrate' }
  | { status: 'migrated'; account: AccountConfig }
  /** The old URL could not be read; it is kept aside and the user is asked to connect again. */
  | { status: 'unreadable'; message: string };

const UNREADABLE_MESSAGE = 'The portal saved by an earlier version could not be read, and its stored address was deleted so that no webhook code stays on disk unprotected. Connect the portal again in Settings.';

export async function migrateSinglePortalConfig(storage: Storage, accounts: AccountStore): Promise<MigrationResult> {
  const leftInClear = storage.read(UNREADABLE_LEGACY_URL_KEY, v.unknown()) !== undefined;
  storage.remove(UNREADABLE_LEGACY_URL_KEY);
  // Read as it is: a value of the wrong type must not be "kept aside" in clear by the schema check.
  const stored = storage.read(LEGACY_KEYS.webhookUrl, v.unknown());
  if (stored === undefined) return leftInClear ? { status: 'unreadable', message: UNREADABLE_MESSAGE } : { status: 'nothing-to-migrate' };
  const url = typeof stored === 'string' ? v.parse(UrlSchema, stored) : '';
  let endpoint;
  try {
    endpoint = parsePortalInput(url);
  } catch (error) {
    if (!(error instanceof PortalUrlError)) throw error;
    endpoint = undefined;
  }
  if (endpoint?.kind !== 'webhook') {
    storage.remove(LEGACY_KEYS.webhookUrl);
    return { status: 'unreadable', message: UNREADABLE_MESSAGE };
  }

  // A previous run may have created the account before it was interrupted: use that one.
  const account =
    accounts.list().find((existing) => existing.auth === 'webhook' && existing.origin === endpoint.origin && existing.webhookUserId === endpoint.userId) ??
    (await accounts.add({
      name: storage.read(LEGACY_KEYS.portalName, NameSchema) ?? new URL(endpoint.origin).host,
      auth: 'webhook',
      origin: endpoint.origin,
      webhookUserId: endpoint.userId,
      code: endpoint.code,
    }));

  const legacyOutbox = storage.readList(LEGACY_KEYS.outbox, OutboxEntrySchema);
  if (legacyOutbox !== undefined) {
    const key = accountKey(account.id, 'outbox');
    const current = storage.readList(key, OutboxEntrySchema) ?? [];
    const known = new Set(current.map((entry) => entry.actionId));
    storage.write(key, OutboxListSchema, [...current, ...legacyOutbox.filter((entry) => !known.has(entry.actionId))]);
    storage.remove(LEGACY_KEYS.outbox);
  }
  const legacyMark = storage.read(LEGACY_KEYS.highWaterMark, HighWaterMarkSchema);
  if (legacyMark !== undefined) {
    const key = accountKey(account.id, 'highWaterMark');
    storage.write(key, HighWaterMarkSchema, Math.max(legacyMark, storage.read(key, HighWaterMarkSchema) ?? 0));
    storage.remove(LEGACY_KEYS.highWaterMark);
  }
  storage.remove(LEGACY_KEYS.portalName);
  // Last: until here a crash leaves the URL, and the next start finishes the job.
  storage.remove(LEGACY_KEYS.webhookUrl);
  return { status: 'migrated', account };
}
