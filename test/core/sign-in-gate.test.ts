/**
 * One OAuth sign-in at a time, which the window can cancel (SignInGate, used by the IPC handlers):
 * a refused sign-in never calls back (real-portal-notes §2), so only Cancel or a new attempt ends
 * the wait early, and Cancel says whether anything was waiting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectError } from '../../main/core/app/connect';
import { SignInGate } from '../../main/core/app/connect-oauth';
import { oauthSetup, type OAuthSetup } from '../harness/oauth-sign-in';
import { pollUntil } from '../harness/processes';
import { rejection } from '../harness/waits';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts a sign-in through the gate that the portal never answers, once its page is open. */
async function waitingSignIn(setup: OAuthSetup, gate: SignInGate): Promise<{ attempt: Promise<unknown> }> {
  const pages = setup.visits.length;
  const attempt = gate.run((signal) => setup.connect({}, { signal, approvalTimeoutMs: 60_000 }));
  attempt.catch(() => undefined);
  await pollUntil(() => setup.visits.length > pages, 'the sign-in page');
  return { attempt };
}

const reasonOf = async (attempt: Promise<unknown>): Promise<string> => (await rejection(attempt, ConnectError)).reason;

describe('one sign-in at a time', () => {
  it('Cancel stops the waiting sign-in and says so; with nothing waiting it says so too', async () => {
    const setup = await oauthSetup(cleanups);
    setup.portal.setSignInRefused(true);
    const gate = new SignInGate();
    expect(gate.cancel()).toBe(false);

    const { attempt } = await waitingSignIn(setup, gate);
    expect(gate.cancel()).toBe(true);
    expect(await reasonOf(attempt)).toBe('sign-in-cancelled');
    expect(gate.cancel()).toBe(false);
  });

  it('a new sign-in cancels the waiting one, and Cancel then reaches the new one', async () => {
    const setup = await oauthSetup(cleanups);
    setup.portal.setSignInRefused(true);
    const gate = new SignInGate();

    const { attempt: first } = await waitingSignIn(setup, gate);
    const { attempt: second } = await waitingSignIn(setup, gate);
    expect(await reasonOf(first)).toBe('sign-in-cancelled');

    expect(gate.cancel()).toBe(true);
    expect(await reasonOf(second)).toBe('sign-in-cancelled');
    expect(setup.accounts.list()).toEqual([]);
  });

  it('after a sign-in completes there is nothing to cancel', async () => {
    const setup = await oauthSetup(cleanups);
    const gate = new SignInGate();
    const account = await gate.run((signal) => setup.connect({}, { signal }));
    expect(account.auth).toBe('oauth');
    expect(gate.cancel()).toBe(false);
  });
});
