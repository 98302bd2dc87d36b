/**
 * Where the tray window opens, from the real main bundle under the Electron stand-in (issue 14,
 * fix 8): Linux trays report no icon position (docs/api/tray.md getBounds: macOS and Windows), so
 * the window goes to the tray's usual corner, inside the work area; under native Wayland (Electron
 * 38+ in a Wayland session) the compositor places windows and reading the pointer before a window
 * exists crashes Electron (electron#41559), so opening must not depend on either.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appHome, launchApp, type RunningApp } from '../electron-standin/driver';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function launch(env: NodeJS.ProcessEnv): RunningApp {
  const home = appHome(env);
  cleanups.push(() => home.cleanup());
  const app = launchApp(home);
  cleanups.push(() => app.kill());
  return app;
}

/** The stand-in's display: 1920×1080 with a 40 px panel at the bottom (electron.cjs `display`). */
const WORK_AREA = { x: 0, y: 0, width: 1920, height: 1040 };
type Bounds = { x: number; y: number; width: number; height: number };
const windowShows = (app: RunningApp): number => app.events.filter((event) => event.name === 'window-show').length;

describe('where the window opens (stand-in, Linux)', () => {
  it('a tray without a position: in the bottom-right corner, wholly inside the work area', async () => {
    const app = launch({ XDG_SESSION_TYPE: 'x11' });
    await app.event('window-show');
    await app.command('closeWindow');
    await app.command('clickTray');
    expect(windowShows(app)).toBe(2);
    const bounds = await app.command<Bounds>('windowBounds');
    expect(bounds.x).toBeGreaterThanOrEqual(WORK_AREA.x);
    expect(bounds.y).toBeGreaterThanOrEqual(WORK_AREA.y);
    expect(bounds.x + bounds.width).toBeLessThanOrEqual(WORK_AREA.x + WORK_AREA.width);
    expect(bounds.y + bounds.height).toBeLessThanOrEqual(WORK_AREA.y + WORK_AREA.height);
    // Near the corner where a Linux panel's tray usually is (within a small margin).
    expect(WORK_AREA.width - (bounds.x + bounds.width)).toBeLessThan(32);
    expect(WORK_AREA.height - (bounds.y + bounds.height)).toBeLessThan(32);
  });

  it('native Wayland: the window opens at launch and from the tray, and the app keeps running', async () => {
    const app = launch({ XDG_SESSION_TYPE: 'wayland' });
    await app.event('window-show');
    await app.command('closeWindow');
    await app.command('clickTray');
    await app.command('closeWindow');
    await app.command('clickTray');
    expect(windowShows(app)).toBe(3);
    expect((await app.state()).windows[0]?.visible).toBe(true);
  });
});
