/**
 * The desktop's own Do-Not-Disturb, followed live (issue 17): KDE's `Inhibited` on a private
 * session bus with dbusmock's notification server (properties changed as plasma-workspace announces
 * them, with PropertiesChanged), dunst's `paused` with the real dunst under Xvfb, and GNOME's
 * `show-banners` through a temporary GSettings keyfile backend and the real `gsettings`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SystemQuiet } from '../../main/linux/system-quiet';
import { canStartSessionBus, NO_SESSION_BUS, startSessionBus } from '../harness/dbus-session';
import { canStartDunst, NO_DUNST, startDunstSession } from '../harness/dunst-session';
import { pollUntil } from '../harness/processes';

const withBus = canStartSessionBus();
const withDunst = canStartDunst();
/** gsettings and GNOME's notification schema (gsettings-desktop-schemas). */
const withGnomeSchema = ((): boolean => {
  try {
    execFileSync('gsettings', ['list-keys', 'org.gnome.desktop.notifications'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!withBus) console.log(`system-quiet.test.ts (KDE) ${NO_SESSION_BUS}`);
if (!withDunst) console.log(`system-quiet.test.ts (dunst) ${NO_DUNST}`);
if (!withGnomeSchema) console.log('system-quiet.test.ts (GNOME) skipped: no gsettings with org.gnome.desktop.notifications — install libglib2.0-bin gsettings-desktop-schemas');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the desktop\'s own do-not-disturb', () => {
  it.skipIf(!withBus)('KDE: follows the notification server\'s Inhibited property as it changes', async () => {
    const bus = await startSessionBus();
    cleanups.push(() => bus.close());
    await bus.startDaemon();
    const mock = (member: string, signature: string, body: unknown[]): Promise<unknown[]> =>
      bus.connection.call({ destination: 'org.freedesktop.Notifications', path: '/org/freedesktop/Notifications', interface: 'org.freedesktop.DBus.Mock', member, signature, body });
    await mock('AddProperty', 'ssv', ['org.freedesktop.Notifications', 'Inhibited', ['b', false]]);
    const system = await SystemQuiet.start({ busAddress: bus.address, gsettings: false });
    cleanups.push(() => system.dispose());
    expect(system.state).toMatchObject({ inhibited: false });
    expect(system.quiet).toBe(false);
    const heard: boolean[] = [];
    system.onChange((quiet) => heard.push(quiet));
    await mock('UpdateProperties', 'sa{sv}', ['org.freedesktop.Notifications', [['Inhibited', ['b', true]]]]);
    await pollUntil(() => system.quiet, 'quiet after Inhibited = true');
    await mock('UpdateProperties', 'sa{sv}', ['org.freedesktop.Notifications', [['Inhibited', ['b', false]]]]);
    await pollUntil(() => !system.quiet, 'not quiet after Inhibited = false');
    expect(heard).toEqual([true, false]);
  });

  it.skipIf(!withBus)('a notification server without either property (GNOME Shell, dbusmock as is): not quiet, no error', async () => {
    const bus = await startSessionBus();
    cleanups.push(() => bus.close());
    await bus.startDaemon();
    const system = await SystemQuiet.start({ busAddress: bus.address, gsettings: false });
    cleanups.push(() => system.dispose());
    expect(system.state).toEqual({ inhibited: undefined, dunstPaused: undefined });
    expect(system.quiet).toBe(false);
  });

  it.skipIf(!withDunst)('dunst: follows `dunstctl set-paused`', async () => {
    const dunst = await startDunstSession();
    cleanups.push(() => dunst.close());
    const system = await SystemQuiet.start({ busAddress: dunst.bus.address, gsettings: false });
    cleanups.push(() => system.dispose());
    expect(system.state.dunstPaused).toBe(false);
    await dunst.setPaused(true);
    await pollUntil(() => system.quiet, 'quiet while dunst is paused');
    await dunst.setPaused(false);
    await pollUntil(() => !system.quiet, 'not quiet once dunst resumes');
  });

  it.skipIf(!withGnomeSchema)('GNOME: show-banners off is quiet, read at start and followed after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'b24-gsettings-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const env = { ...process.env, GSETTINGS_BACKEND: 'keyfile', XDG_CONFIG_HOME: dir };
    const set = (value: boolean): void => void execFileSync('gsettings', ['set', 'org.gnome.desktop.notifications', 'show-banners', String(value)], { env });
    set(false);
    const system = await SystemQuiet.start({ gsettings: true, env });
    cleanups.push(() => system.dispose());
    expect(system.state.gnomeBanners).toBe(false);
    expect(system.quiet).toBe(true);
    // The monitor may still be starting: set the value until the change is seen.
    await pollUntil(() => {
      set(true);
      return !system.quiet;
    }, 'not quiet once banners are back', 5_000);
    set(false);
    await pollUntil(() => system.quiet, 'quiet again');
  });
});
