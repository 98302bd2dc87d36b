/** Every storage key that belongs to one account, named in one place so removal misses none. */
export const ACCOUNT_KEY_PARTS = ['secret', 'outbox', 'highWaterMark', 'catchUp', 'snoozed'] as const;
export type AccountKeyPart = (typeof ACCOUNT_KEY_PARTS)[number];

export function accountKey(accountId: string, part: AccountKeyPart): string {
  return `account:${accountId}:${part}`;
}
