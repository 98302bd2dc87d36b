/**
 * Bitrix24's CDN hosts, where cloud portals keep avatars (real-portal-notes §1: avatars live on a
 * CDN host such as `https://cdn.com.bitrix24.com/b17053/resize_cache/…`, not the portal's host).
 * The window loads an avatar only from its portal's own host or one of these: never from an
 * address a notification could choose.
 *
 * Sources: `cdn.com.bitrix24.com` in the REST docs' user and chat examples (bitrix24/b24restdocs);
 * `cdn-ru.bitrix24.ru`, `cdn-ru.bitrix24.kz` and `cdn.bitrix24.{com,ru,by,es,com.br,com.tr}` in
 * public portal embeds and SDK examples. The other cloud zones follow the same `cdn.bitrix24.<zone>`
 * pattern; every host here is under a Bitrix24-owned `bitrix24.<zone>` domain.
 */
const CLOUD_ZONES = ['com', 'ru', 'by', 'kz', 'de', 'es', 'fr', 'it', 'pl', 'uk', 'eu', 'in', 'com.br', 'com.tr'] as const;

export const BITRIX24_CDN_HOSTS: readonly string[] = [
  'cdn.com.bitrix24.com',
  ...CLOUD_ZONES.map((zone) => `cdn.bitrix24.${zone}`),
  'cdn-ru.bitrix24.ru',
  'cdn-ru.bitrix24.by',
  'cdn-ru.bitrix24.kz',
];

export function isBitrix24CdnHost(host: string): boolean {
  return BITRIX24_CDN_HOSTS.includes(host.toLowerCase());
}
