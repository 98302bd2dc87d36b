/**
 * Issue 13 §3: a portal that echoes the webhook code back — raw, in another letter case,
 * percent-encoded in whole or in part — in its `error` code or its description, at connect, on a
 * poll and on a confirm. Everything the app writes is then searched for the code in any form: the
 * log file's lines, the settings file, every snapshot sent to the window, and the errors as
 * `util.inspect` prints them. The code is 4 characters, the shortest the URL parser accepts.
 */
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { AccountStore } from '../../main/core/accounts/account-store';
import { connectWebhook } from '../../main/core/app/connect';
import { NotificationHub } from '../../main/core/app/hub';
import { logHubActivity } from '../../main/core/log/hub-log';
import { Logger } from '../../main/core/log/logger';
import type { PortalClientOptions } from '../../main/core/portal/client';
import { ProcessSecretBox } from '../../main/core/storage/process-secret-box';
import { connectDeps } from '../harness/connect-deps';
import { tempStorage } from '../harness/engine-harness';
import { hubWhere } from '../harness/waits';
import { startPortalSim } from '../portal-sim';

const CODE = 'k9Qz';
const percent = (text: string, lower = false): string => [...text].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('')[lower ? 'toLowerCase' : 'toString']();
const VARIANTS = [CODE, CODE.toUpperCase(), CODE.toLowerCase(), percent(CODE), percent(CODE, true), `k%39Qz`, `%6B9qZ`];

/** True when `text` holds the code in any of the forms above (or decoded from them). */
function leaks(text: string): boolean {
  const lower = text.toLowerCase();
  if (lower.includes(CODE.toLowerCase())) return true;
  let decoded = lower;
  try {
    decoded = decodeURIComponent(lower.replace(/%(?![0-9a-f]{2})/g, '%25'));
  } catch {
    // a broken sequence: the lower-cased raw text was already checked
  }
  return decoded.toLowerCase().includes(CODE.toLowerCase());
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('a portal echoing the webhook code in every form', () => {
  it('never gets it into the log, the settings file, the window or an error', async () => {
    expect(VARIANTS.every((variant) => leaks(variant))).toBe(true);
    const lines: string[] = [];
    const logger = new Logger({ level: 'debug', sinks: [{ write: (line) => void lines.push(line) }] });
    const portal = await startPortalSim({ webhookCode: CODE });
    const store = tempStorage();
    const storage = store.open();
    const accounts = new AccountStore(storage, new ProcessSecretBox());
    const hub = new NotificationHub((error) => logger.error('hub listener failed', error));
    cleanups.push(async () => {
      await hub.stopAll();
      await portal.close();
    });
    cleanups.push(logHubActivity(hub, logger.scoped('hub')));
    const windowPayloads: string[] = [];
    hub.on('changed', (snapshot) => void windowPayloads.push(JSON.stringify(snapshot)));
    const errors: unknown[] = [];
    const clientOptions: Partial<PortalClientOptions> = { log: logger.scoped('portal'), registerSecret: logger.addSecret, backoffBaseMs: 5, backoffMaxMs: 20, maxAttempts: 1 };
    const deps = connectDeps({ accounts, hub, storage, clientOptions });

    // Connect: the portal's answer to `scope` echoes the code.
    for (const variant of VARIANTS.slice(0, 3)) {
      portal.injectFault({ kind: 'error', code: `BAD_${variant}`, description: `webhook ${variant} refused`, status: 400 }, { restMethod: 'scope' });
      const error = await connectWebhook(portal.webhookUrl, deps).then(() => undefined, (caught: unknown) => caught);
      expect(error).toBeDefined();
      errors.push(error);
    }
    const account = await connectWebhook(portal.webhookUrl, deps);
    await hubWhere(hub, (s) => s.accounts[0]?.state.connection.status === 'ok');

    // Polls: each variant in the error code and in the description.
    for (const variant of VARIANTS) {
      portal.injectFault({ kind: 'error', code: `ERR_${variant}`, description: `/rest/1/${variant}/ said ${variant}`, status: 500 }, { restMethod: 'im.notify.get' });
      const failed = new Promise<void>((resolve) => hub.on('polled', (_id, ok) => !ok && resolve()));
      hub.pollNow(account.id);
      await failed;
      errors.push(hub.snapshot().accounts[0]?.state.connection);
    }

    // A confirm whose batch is refused with the code in the refusal.
    portal.clearFaults();
    const invite = portal.addConfirm({ title: 'Invitation', text: 'Join the group' });
    const announced = new Promise<void>((resolve) => hub.on('announced', () => resolve()));
    hub.pollNow(account.id);
    await announced;
    portal.injectFault({ kind: 'error', code: `NOPE_${VARIANTS[3]}`, description: `denied for ${VARIANTS[5]}`, status: 400 }, { restMethod: 'batch' });
    void hub.confirm(account.id, invite.id, 'Y', 'window');
    // Refused as a whole before processing: the answer is kept, with the portal's words shown.
    const waiting = await hubWhere(hub, (s) => s.accounts[0]?.state.inbox.find((item) => item.id === invite.id)?.action?.status === 'waiting');
    errors.push(waiting.accounts[0]?.state.inbox.find((item) => item.id === invite.id)?.action);
    logger.close();

    const written = { log: lines.join('\n'), settings: readFileSync(store.filePath, 'utf8'), window: windowPayloads.join('\n'), errors: errors.map((error) => inspect(error, { depth: 6 })).join('\n') };
    // The checks saw the echoes at all: the log holds the masked refusals.
    expect(written.log).toMatch(/ERR_\*\*\*/);
    for (const [where, text] of Object.entries(written)) expect(leaks(text), `the code is in the ${where}`).toBe(false);
  });
});
