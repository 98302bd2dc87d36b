/**
 * On-premise avatars (issue 12, main/core/app/avatar-store.ts): main fetches an avatar on the
 * portal's own host through that portal's client, once per session, and hands the window a data:
 * URL; what the portal refused is not asked for again, and nothing else is requested. The oracle is
 * the simulator's request log (what reached the portal) and the avatars handed to the window.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AvatarStore, onPortalHost } from '../../main/core/app/avatar-store';
import { NotificationHub } from '../../main/core/app/hub';
import type { PortalSim } from '../portal-sim';
import { nextEvent } from '../harness/engine-harness';
import { FakeClock } from '../harness/fake-clock';
import { portalWithEngine } from '../harness/portal-engine';
import { pollOnce } from '../harness/presenter-harness';
import { pollUntil } from '../harness/processes';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Paths of every non-REST request the portal received, in order. */
const imageRequests = (portal: PortalSim): string[] => portal.requestLog.filter((entry) => !entry.path.startsWith('/rest/')).map((entry) => entry.path);

/** The avatar store on a hub, with every avatar it hands the window recorded, and listener errors kept. */
function avatarsOn(hub: NotificationHub, errors: unknown[]): { store: AvatarStore; handed: string[]; arrived: (url: string) => Promise<void> } {
  const store = new AvatarStore(hub, (error) => errors.push(error));
  const handed: string[] = [];
  const waiters = new Map<string, () => void>();
  store.onAvatar((url) => {
    handed.push(url);
    waiters.get(url)?.();
  });
  const arrived = (url: string): Promise<void> => (handed.includes(url) ? Promise.resolve() : new Promise((resolve) => waiters.set(url, resolve)));
  return { store, handed, arrived };
}

describe('avatars on the portal’s own host', () => {
  it('fetches each once: not again when it shows up later, not again once the portal refused it, and nothing for notices without a picture', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const { portal, engine } = await portalWithEngine('acme', clock, cleanups);
    const hub = new NotificationHub((error) => errors.push(error));
    const avatars = avatarsOn(hub, errors);
    hub.add('Acme', engine);
    const at = (path: string): string => `${portal.origin}${path}`;
    portal.addUser({ id: 20, name: 'Old Picture', avatar: at('/images/missing.png') });
    portal.addUser({ id: 21, name: 'No Picture', avatar: '' });
    portal.addUser({ id: 31, name: 'Relative Path', avatar: '/upload/main/relative-31.png' });
    portal.addUser({ id: 32, name: 'Third Colleague', avatar: at('/upload/main/avatar-32.png') });
    portal.addUser({ id: 33, name: 'Fourth Colleague', avatar: at('/upload/main/avatar-33.png') });

    // First poll: a system notice (no author), an author without a picture, one whose picture is gone (404).
    portal.addSystem({ text: 'Backup finished' });
    portal.addPersonal({ text: 'No picture here', authorId: 21 });
    portal.addPersonal({ text: 'Old picture', authorId: 20 });
    const first = nextEvent(engine, 'polled');
    engine.start();
    await first;
    await pollUntil(() => portal.requestLog.some((entry) => entry.path === '/images/missing.png' && entry.status === 404), 'the refused avatar answered');

    // Second poll: the refused one again, and three new ones (one given as a path on the portal).
    portal.addPersonal({ text: 'Old picture again', authorId: 20 });
    portal.addPersonal({ text: 'From Maria', authorId: 3 });
    portal.addPersonal({ text: 'Relative', authorId: 31 });
    portal.addPersonal({ text: 'Third', authorId: 32 });
    await pollOnce({ engine, clock });
    await Promise.all([avatars.arrived(at('/upload/main/avatar-3.png')), avatars.arrived(at('/upload/main/relative-31.png')), avatars.arrived(at('/upload/main/avatar-32.png'))]);

    // Third poll: an avatar fetched already, and a new one.
    portal.addPersonal({ text: 'Maria again', authorId: 3 });
    portal.addPersonal({ text: 'Fourth', authorId: 33 });
    await pollOnce({ engine, clock });
    await avatars.arrived(at('/upload/main/avatar-33.png'));

    expect(imageRequests(portal).sort()).toEqual(['/images/missing.png', '/upload/main/avatar-3.png', '/upload/main/avatar-32.png', '/upload/main/avatar-33.png', '/upload/main/relative-31.png']);
    expect(avatars.handed.sort()).toEqual([at('/upload/main/avatar-3.png'), at('/upload/main/avatar-32.png'), at('/upload/main/avatar-33.png'), at('/upload/main/relative-31.png')]);
    expect(Object.keys(avatars.store.all()).sort()).toEqual(avatars.handed);
    expect(errors).toEqual([]);
  });

  it('fetches a second portal’s avatar from that portal, by its own address', async () => {
    const clock = new FakeClock();
    const errors: unknown[] = [];
    const acme = await portalWithEngine('acme', clock, cleanups);
    const beta = await portalWithEngine('beta', clock, cleanups);
    const hub = new NotificationHub((error) => errors.push(error));
    const avatars = avatarsOn(hub, errors);
    hub.add('Acme', acme.engine);
    hub.add('Beta', beta.engine);
    beta.portal.addPersonal({ text: 'From Peter at Beta', authorId: 5 });
    const polled = nextEvent(beta.engine, 'polled');
    beta.engine.start();
    await polled;
    await avatars.arrived(`${beta.portal.origin}/upload/main/avatar-5.png`);
    expect(imageRequests(beta.portal)).toEqual(['/upload/main/avatar-5.png']);
    expect(imageRequests(acme.portal)).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('which avatar addresses main fetches itself', () => {
  const portal = 'https://intranet.example.com';

  it('takes an address on the portal’s own host, absolute or as a path, as an absolute URL', () => {
    expect(onPortalHost('https://intranet.example.com/upload/main/a.png', portal)).toBe('https://intranet.example.com/upload/main/a.png');
    expect(onPortalHost('/upload/main/b.png', portal)).toBe('https://intranet.example.com/upload/main/b.png');
  });

  it('leaves out a missing address, another host, another scheme or port, Bitrix24’s CDN (the window loads those itself), and credentials in the address', () => {
    expect(onPortalHost(undefined, portal)).toBeUndefined();
    expect(onPortalHost('', portal)).toBeUndefined();
    expect(onPortalHost('https://elsewhere.example.net/upload/main/a.png', portal)).toBeUndefined();
    expect(onPortalHost('http://intranet.example.com/upload/main/a.png', portal)).toBeUndefined();
    expect(onPortalHost('https://intranet.example.com:8443/upload/main/a.png', portal)).toBeUndefined();
    expect(onPortalHost('https://cdn.com.bitrix24.com/b17053/resize_cache/main/a.png', portal)).toBeUndefined();
    expect(onPortalHost('https://user:secret@intranet.example.com/upload/main/a.png', portal)).toBeUndefined();
    expect(onPortalHost('https://user@intranet.example.com/upload/main/a.png', portal)).toBeUndefined();
    expect(onPortalHost('https://:secret@intranet.example.com/upload/main/a.png', portal)).toBeUndefined();
    expect(onPortalHost('https://[not-an-address/a.png', portal)).toBeUndefined();
  });
});
