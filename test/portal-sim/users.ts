/** Portal users: the owner plus colleagues whose avatars live on the simulator's own origin. */
import type { SimUser } from './types';

export type UserInput = Partial<SimUser> & { id: number; name: string };

/** Fills every §2.1 user field; `name` is split into first/last name when those are not given. */
export function buildUser(input: UserInput, lastActivityDate: string): SimUser {
  const [firstName = '', ...rest] = input.name.split(' ');
  return {
    id: input.id,
    active: input.active ?? true,
    name: input.name,
    first_name: input.first_name ?? firstName,
    last_name: input.last_name ?? rest.join(' '),
    work_position: input.work_position ?? '',
    color: input.color ?? '#1eb4aa',
    avatar: input.avatar ?? '',
    avatar_hr: input.avatar_hr ?? input.avatar ?? '',
    gender: input.gender ?? '',
    birthday: input.birthday ?? '',
    extranet: input.extranet ?? false,
    network: input.network ?? false,
    bot: input.bot ?? false,
    connector: input.connector ?? false,
    external_auth_id: input.external_auth_id ?? 'default',
    status: input.status ?? 'online',
    idle: input.idle ?? false,
    last_activity_date: input.last_activity_date ?? lastActivityDate,
    mobile_last_date: input.mobile_last_date ?? false,
    desktop_last_date: input.desktop_last_date ?? false,
    absent: input.absent ?? false,
    departments: input.departments ?? [1],
    phones: input.phones ?? false,
    bot_data: input.bot_data ?? null,
    type: input.type ?? 'user',
    website: input.website ?? '',
    email: input.email ?? '',
  };
}

/**
 * A cloud portal's avatar folder on Bitrix24's CDN (the host and path shape of DOCS examples, e.g.
 * `https://cdn.com.bitrix24.com/b17053/resize_cache/…`; real-portal-notes §1), not the portal's host.
 */
export const BITRIX24_CDN_AVATAR_BASE = 'https://cdn.com.bitrix24.com/b17053/resize_cache/54309/ff58db95aecdfa09ae61b51b5fd8f63f/main';

/**
 * The owner and two colleagues (ids 3 and 5, as in the §1.4 example), skipping an id clash.
 * `avatarBase`: the folder their avatars live in (the portal's own /upload/main, or the CDN).
 */
export function defaultUsers(ownerId: number, avatarBase: string): UserInput[] {
  const colleagues: UserInput[] = [
    {
      id: 3,
      name: 'Maria Ivanova',
      gender: 'F',
      work_position: 'Marketing lead',
      color: '#e2a800',
      avatar: `${avatarBase}/avatar-3.png`,
      email: 'maria@example.com',
    },
    {
      id: 5,
      name: 'Peter Novak',
      gender: 'M',
      work_position: 'Project manager',
      color: '#58cc47',
      avatar: `${avatarBase}/avatar-5.png`,
      email: 'peter@example.com',
    },
  ];
  const owner: UserInput = { id: ownerId, name: 'John Smith', gender: 'M', email: 'john@example.com' };
  return [owner, ...colleagues.filter((user) => user.id !== ownerId)];
}

/** im.notify.get users[]: idle and the device dates are forced to false (§2.1). */
export function notificationAuthor(user: SimUser): SimUser {
  return { ...user, idle: false, mobile_last_date: false, desktop_last_date: false };
}

/** A 1×1 PNG served for every /upload/ path so avatar URLs resolve. */
export const AVATAR_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
