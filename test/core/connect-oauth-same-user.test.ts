/**
 * Connecting the same portal and user twice is refused; which accounts count as "the same" follows
 * what the auth server says (real-portal-notes §2): `member_id` names the portal and `user_id`
 * the user, whatever the address; an account stored without them is matched by address and app.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AccountConfig } from '../../main/core/accounts/account-store';
import { ConnectError } from '../../main/core/app/connect';
import { oauthSetup, SIM_APP, type OAuthSetup } from '../harness/oauth-sign-in';
import { rejection } from '../harness/waits';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface Stored {
  name: string;
  origin?: string;
  clientId?: string;
  memberId?: string;
  oauthUserId?: number;
}

/** The simulator's portal, whose member_id the first sign-in learns; accounts are not started. */
async function portalWithMember(): Promise<{ setup: OAuthSetup; memberId: string; connect: () => Promise<AccountConfig>; store: (account: Stored) => Promise<AccountConfig> }> {
  const setup = await oauthSetup(cleanups);
  const noStart = { start: async () => undefined };
  const first = await setup.connect({}, noStart);
  setup.accounts.remove(first.id);
  return {
    setup,
    memberId: first.memberId!,
    connect: () => setup.connect({}, noStart),
    store: (account) =>
      setup.accounts.add({ auth: 'oauth', origin: setup.portal.origin, ...SIM_APP, tokens: { accessToken: 'stored-access', refreshToken: 'stored-refresh' }, ...account }),
  };
}

/** Whether a sign-in now is refused as already connected; a new account is removed again. */
async function refusedWith(world: Awaited<ReturnType<typeof portalWithMember>>, existing: Stored): Promise<boolean> {
  const stored = await world.store(existing);
  try {
    const added = await world.connect();
    world.setup.accounts.remove(added.id);
    return false;
  } catch (error) {
    if (!(error instanceof ConnectError) || error.reason !== 'already-connected') throw error;
    return true;
  } finally {
    world.setup.accounts.remove(stored.id);
  }
}

describe('the same portal and user twice', () => {
  it('is refused, naming the account that has it', async () => {
    const setup = await oauthSetup(cleanups);
    const account = await setup.connect();
    const error = await rejection(setup.connect(), ConnectError);
    expect(error.reason).toBe('already-connected');
    expect(error.message).toBe(`This portal and user are already connected as “${account.name}”.`);
    expect(error.details).toEqual({ name: account.name });
    expect(setup.accounts.list()).toHaveLength(1);
  });

  it('is the same member_id and user_id, even at another address', async () => {
    const world = await portalWithMember();
    expect(await refusedWith(world, { name: 'renamed', origin: 'https://old-name.bitrix24.com', memberId: world.memberId, oauthUserId: 1 })).toBe(true);
    expect(await refusedWith(world, { name: 'same', memberId: world.memberId, oauthUserId: 1 })).toBe(true);
  });

  it('is not another user of the same portal, nor another portal at the same address', async () => {
    const world = await portalWithMember();
    expect(await refusedWith(world, { name: 'colleague', memberId: world.memberId, oauthUserId: 7 })).toBe(false);
    expect(await refusedWith(world, { name: 'recreated', memberId: 'f00dfeedf00dfeedf00dfeedf00dfeed', oauthUserId: 1 })).toBe(false);
  });

  it('without a stored member_id, is the same host through the same application', async () => {
    const world = await portalWithMember();
    expect(await refusedWith(world, { name: 'legacy' })).toBe(true);
    expect(await refusedWith(world, { name: 'other-app', clientId: 'local.other.app' })).toBe(false);
    expect(await refusedWith(world, { name: 'other-host', origin: 'https://elsewhere.bitrix24.com' })).toBe(false);
  });

  it('a webhook connection of the same portal does not count', async () => {
    const world = await portalWithMember();
    const webhook = await world.setup.accounts.add({ name: 'hook', auth: 'webhook', origin: world.setup.portal.origin, webhookUserId: 1, code: 'abcdef123' });
    await expect(world.connect()).resolves.toMatchObject({ auth: 'oauth' });
    expect(world.setup.accounts.list().map((account) => account.id)).toContain(webhook.id);
  });
});
