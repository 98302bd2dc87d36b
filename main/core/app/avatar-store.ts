/**
 * Avatars that live on an on-premise portal's own host, fetched once by main (through that
 * portal's client: its proxy and certificate trust) and handed to the window as data: URLs. The
 * window's CSP then names exactly Bitrix24's CDN hosts for images (issue 12) instead of any https
 * host: a cloud portal's avatars load from the CDN directly, nothing else loads from the network.
 */
import { isBitrix24CdnHost } from '../../shared/bitrix24-cdn';
import { Emitter } from '../emitter';
import type { AccountInboxChange, HubSnapshot, NotificationHub } from './hub';

/** Avatars kept (a portal has at most a few hundred people who notify one user). */
export const MAX_AVATARS = 500;
const MAX_IN_FLIGHT = 2;

export class AvatarStore {
  readonly #hub: NotificationHub;
  readonly #events: Emitter<{ avatar: [url: string, dataUrl: string] }>;
  readonly #dataUrls = new Map<string, string>();
  /** Tried and refused (not an image, too large, unreachable): not asked again this session. */
  readonly #failed = new Set<string>();
  /** Waiting to be fetched: url → the portal it belongs to. */
  readonly #queued = new Map<string, string>();
  readonly #fetching = new Set<string>();

  constructor(hub: NotificationHub, onListenerError?: (error: unknown) => void) {
    this.#hub = hub;
    this.#events = new Emitter(onListenerError);
    hub.on('changed', (snapshot, inbox) => {
      if (inbox) this.#consider(snapshot, inbox);
    });
  }

  onAvatar(listener: (url: string, dataUrl: string) => void): () => void {
    return this.#events.on('avatar', listener);
  }

  /** Every avatar fetched so far, by its absolute URL. */
  all(): Record<string, string> {
    return Object.fromEntries(this.#dataUrls);
  }

  #consider(snapshot: HubSnapshot, inbox: AccountInboxChange): void {
    const origin = snapshot.accounts.find((account) => account.accountId === inbox.accountId)?.state.portalOrigin;
    if (!origin) return;
    for (const item of inbox.put) {
      const url = onPortalHost(item.author?.avatarUrl, origin);
      if (!url || this.#dataUrls.has(url) || this.#failed.has(url) || this.#queued.has(url) || this.#fetching.has(url)) continue;
      if (this.#dataUrls.size + this.#queued.size + this.#fetching.size >= MAX_AVATARS) break;
      this.#queued.set(url, inbox.accountId);
    }
    this.#pump();
  }

  #pump(): void {
    while (this.#fetching.size < MAX_IN_FLIGHT) {
      const next = this.#queued.entries().next();
      if (next.done) return;
      const [url, accountId] = next.value;
      this.#queued.delete(url);
      this.#fetching.add(url);
      // A portal removed meanwhile throws at once: that, too, is a refusal, not a lost slot.
      void Promise.resolve()
        .then(() => this.#hub.portalImage(accountId, url))
        .then(
          (image) => {
            const dataUrl = `data:${image.contentType};base64,${image.bytes.toString('base64')}`;
            this.#dataUrls.set(url, dataUrl);
            this.#events.emit('avatar', url, dataUrl);
          },
          () => this.#failed.add(url),
        )
        .finally(() => {
          this.#fetching.delete(url);
          this.#pump();
        });
    }
  }
}

/** The avatar's absolute https URL when it is on the portal's own host (not the CDN), else undefined. */
export function onPortalHost(url: string | undefined, portalOrigin: string): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, portalOrigin);
    if (parsed.username || parsed.password || isBitrix24CdnHost(parsed.hostname)) return undefined;
    return parsed.origin === new URL(portalOrigin).origin ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
