/**
 * The global shortcut, from the real main bundle under the Electron stand-in (issue 17):
 * registered at start, opening and closing the window; changed from Settings, the old one let go;
 * refused in words when another application holds it or the desktop keeps it, nothing changed;
 * on native Wayland the GlobalShortcuts portal is switched on before ready.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_HOTKEY } from '../../main/core/app/hotkey';
import { appHome, launchApp, type RunningApp } from '../electron-standin/driver';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function started(env: NodeJS.ProcessEnv = {}): Promise<RunningApp> {
  const home = appHome(env);
  cleanups.push(() => home.cleanup());
  const app = launchApp(home);
  cleanups.push(() => app.kill());
  await app.event('window-show');
  return app;
}

type Settings = { ok: boolean; value?: { settings: { hotkey: string }; hotkey?: { accelerator: string; state: string; message?: string } }; error?: { code: string; message: string } };
const visible = async (app: RunningApp): Promise<boolean | undefined> => (await app.state()).windows[0]?.visible;

describe('the global shortcut (stand-in)', () => {
  it('is registered at start and opens and closes the window', async () => {
    const app = await started();
    expect(await app.command('shortcuts')).toEqual([DEFAULT_HOTKEY]);
    expect(await visible(app)).toBe(true);
    await app.command('pressShortcut', DEFAULT_HOTKEY);
    expect(await visible(app)).toBe(false);
    await app.command('pressShortcut', DEFAULT_HOTKEY);
    expect(await visible(app)).toBe(true);
    const view = await app.command<Settings>('invoke', 'b24:settings:get', null);
    expect(view.value?.hotkey).toEqual({ accelerator: DEFAULT_HOTKEY, state: 'active' });
  });

  it('changed in Settings: the new one works, the old one is let go', async () => {
    const app = await started();
    const changed = await app.command<Settings>('invoke', 'b24:settings:update', { hotkey: 'ctrl+shift+k' });
    expect(changed).toMatchObject({ ok: true, value: { settings: { hotkey: 'Control+Shift+K' }, hotkey: { state: 'active' } } });
    expect(await app.command('shortcuts')).toEqual(['Control+Shift+K']);
    await app.command('pressShortcut', 'Control+Shift+K');
    expect(await visible(app)).toBe(false);
  });

  it('one another application holds is refused in words, and the old one keeps working', async () => {
    const app = await started({ B24_STANDIN_TAKEN_SHORTCUTS: 'Control+Alt+N' });
    const refused = await app.command<Settings>('invoke', 'b24:settings:update', { hotkey: 'Ctrl+Alt+N' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'hotkey', message: expect.stringMatching(/another application already uses it/) } });
    const view = await app.command<Settings>('invoke', 'b24:settings:get', null);
    expect(view.value?.settings.hotkey).toBe(DEFAULT_HOTKEY);
    expect(await app.command('shortcuts')).toEqual([DEFAULT_HOTKEY]);
  });

  it('one the desktop keeps for itself is refused before the system is asked', async () => {
    const app = await started();
    const refused = await app.command<Settings>('invoke', 'b24:settings:update', { hotkey: 'Ctrl+Alt+T' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'hotkey', message: expect.stringMatching(/terminal/) } });
    expect(await app.command('shortcuts')).toEqual([DEFAULT_HOTKEY]);
  });

  it('taken at start: Settings says so', async () => {
    const app = await started({ B24_STANDIN_TAKEN_SHORTCUTS: DEFAULT_HOTKEY });
    const view = await app.command<Settings>('invoke', 'b24:settings:get', null);
    expect(view.value?.hotkey).toMatchObject({ state: 'refused', message: expect.stringMatching(/another application/) });
    expect(await app.command('shortcuts')).toEqual([]);
  });

  it('on native Wayland, the GlobalShortcuts portal is switched on before ready', async () => {
    const app = await started({ XDG_SESSION_TYPE: 'wayland' });
    expect(await app.command('commandLineSwitches')).toContain('enable-features=GlobalShortcutsPortal');
    expect(app.events.map((event) => event.name)).not.toContain('late-switch');
  });
});
