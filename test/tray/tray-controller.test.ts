import { beforeEach, describe, expect, it, vi } from 'vitest';
import { renderTemplateIcon, renderTrayIcon } from '../../main/core/tray/badge-icon';
import type { TrayView } from '../../main/core/tray/tray-view';
import { TRAY_MENU_LABELS, TrayController, type TrayControllerOptions } from '../../main/electron/tray';
import { FakeMenu, FakeTray, fakeNativeImage, fakeNativeTheme, fakeScreen, type FakeNativeImage } from '../shell/electron-mock';

vi.mock('electron', async () => (await import('../shell/electron-mock')).electronMock());

const view = (overrides: Partial<TrayView> = {}): TrayView => ({
  state: 'unread',
  badge: '3',
  tooltip: 'B24 Notify — 3 unread · synced now',
  menu: { paused: false, doNotDisturb: false },
  ...overrides,
});

function setup(options: Partial<TrayControllerOptions> = {}) {
  const actions = { onOpen: vi.fn(), onTogglePause: vi.fn(), onToggleDoNotDisturb: vi.fn(), onSettings: vi.fn(), onQuit: vi.fn() };
  const controller = new TrayController({ ...actions, platform: 'win32', ...options });
  const tray = FakeTray.instances.at(-1);
  if (!tray) throw new Error('no tray was created');
  return { controller, tray, actions };
}

function lastImage(tray: FakeTray): FakeNativeImage {
  return tray.setImage.mock.lastCall?.[0] as FakeNativeImage;
}

function lastMenu(): FakeMenu {
  const menu = FakeMenu.built.at(-1);
  if (!menu) throw new Error('no menu was built');
  return menu;
}

function item(label: string) {
  const found = lastMenu().items.find((candidate) => candidate.label === label);
  if (!found) throw new Error(`no menu item "${label}"`);
  return found;
}

beforeEach(() => {
  FakeTray.instances = [];
  FakeMenu.built = [];
  fakeNativeTheme.shouldUseDarkColors = false;
  fakeNativeTheme.shouldUseDarkColorsForSystemIntegratedUI = false;
  fakeNativeTheme.removeAllListeners();
  fakeScreen.primaryDisplay.scaleFactor = 1;
  vi.clearAllMocks();
});

describe('TrayController on Windows and Linux', () => {
  it('sets the badge image for the theme, and the tooltip', () => {
    const { controller, tray } = setup();
    controller.update(view());
    expect(lastImage(tray).buffer).toBe(renderTrayIcon({ state: 'unread', badge: '3', size: 16, scheme: 'light' }));
    expect(lastImage(tray).options).toEqual({ scaleFactor: 1 });
    expect(lastImage(tray).setTemplateImage).not.toHaveBeenCalled();
    expect(tray.setToolTip).toHaveBeenCalledWith('B24 Notify — 3 unread · synced now');
    expect(tray.setTitle).not.toHaveBeenCalled();
  });

  it('uses 32 px images on high-DPI screens, and on Linux', () => {
    fakeScreen.primaryDisplay.scaleFactor = 2;
    const hiDpi = setup();
    hiDpi.controller.update(view());
    expect(lastImage(hiDpi.tray)).toMatchObject({ buffer: renderTrayIcon({ state: 'unread', badge: '3', size: 32, scheme: 'light' }), options: { scaleFactor: 2 } });

    const linux = setup({ platform: 'linux', iconScale: 1 });
    linux.controller.update(view());
    expect(lastImage(linux.tray)).toMatchObject({ buffer: renderTrayIcon({ state: 'unread', badge: '3', size: 32, scheme: 'light' }), options: { scaleFactor: 1 } });
  });

  it('redraws for a dark panel when the Linux theme changes', () => {
    const { controller, tray } = setup({ platform: 'linux' });
    controller.update(view());
    fakeNativeTheme.shouldUseDarkColors = true;
    fakeNativeTheme.emit('updated');
    expect(lastImage(tray).buffer).toBe(renderTrayIcon({ state: 'unread', badge: '3', size: 32, scheme: 'dark' }));
    controller.destroy();
    expect(fakeNativeTheme.listenerCount('updated')).toBe(0);
  });

  it('follows the Windows taskbar theme, not the apps theme', () => {
    const { controller, tray } = setup();
    fakeNativeTheme.shouldUseDarkColors = true; // dark apps, light taskbar
    controller.update(view());
    expect(lastImage(tray).buffer).toBe(renderTrayIcon({ state: 'unread', badge: '3', size: 16, scheme: 'light' }));
    fakeNativeTheme.shouldUseDarkColorsForSystemIntegratedUI = true;
    fakeNativeTheme.emit('updated');
    expect(lastImage(tray).buffer).toBe(renderTrayIcon({ state: 'unread', badge: '3', size: 16, scheme: 'dark' }));
  });

  it('skips the OS calls when nothing changed', () => {
    const { controller, tray } = setup();
    controller.update(view());
    controller.update(view());
    expect(tray.setImage).toHaveBeenCalledTimes(1);
    expect(tray.setToolTip).toHaveBeenCalledTimes(1);
    controller.update(view({ badge: '4', tooltip: 'B24 Notify — 4 unread · synced now' }));
    expect(tray.setImage).toHaveBeenCalledTimes(2);
    expect(tray.setToolTip).toHaveBeenCalledTimes(2);
  });

  it('rebuilds and re-sets the menu only when its toggles change', () => {
    const { controller, tray } = setup();
    controller.update(view());
    controller.update(view({ badge: '5', state: 'unread' }));
    expect(FakeMenu.built).toHaveLength(1);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(1);
    expect(tray.setContextMenu).toHaveBeenLastCalledWith(lastMenu());

    controller.update(view({ menu: { paused: true, doNotDisturb: false } }));
    expect(FakeMenu.built).toHaveLength(2);
    expect(tray.setContextMenu).toHaveBeenCalledTimes(2);
    expect(tray.setContextMenu).toHaveBeenLastCalledWith(lastMenu());
    expect(item(TRAY_MENU_LABELS.resume)).toBeDefined();
  });

  it('puts Open first and wires every item to its callback', () => {
    const { controller, actions } = setup();
    controller.update(view({ menu: { paused: false, doNotDisturb: true } }));
    const labels = lastMenu().items.filter((entry) => entry.type !== 'separator').map((entry) => entry.label);
    expect(labels).toEqual([TRAY_MENU_LABELS.open, TRAY_MENU_LABELS.pause, TRAY_MENU_LABELS.doNotDisturb, TRAY_MENU_LABELS.settings, TRAY_MENU_LABELS.quit]);
    expect(item(TRAY_MENU_LABELS.doNotDisturb)).toMatchObject({ type: 'checkbox', checked: true });

    const calls: [string, ReturnType<typeof vi.fn>][] = [
      [TRAY_MENU_LABELS.open, actions.onOpen],
      [TRAY_MENU_LABELS.pause, actions.onTogglePause],
      [TRAY_MENU_LABELS.doNotDisturb, actions.onToggleDoNotDisturb],
      [TRAY_MENU_LABELS.settings, actions.onSettings],
      [TRAY_MENU_LABELS.quit, actions.onQuit],
    ];
    for (const [label, callback] of calls) {
      item(label).click?.();
      expect(callback, label).toHaveBeenCalledTimes(1);
    }
    expect(Object.values(actions).reduce((sum, callback) => sum + callback.mock.calls.length, 0)).toBe(calls.length);
  });

  it('re-sets the menu after a checkbox click even if the state did not follow', () => {
    const { controller, tray } = setup();
    controller.update(view());
    item(TRAY_MENU_LABELS.doNotDisturb).click?.();
    controller.update(view());
    expect(tray.setContextMenu).toHaveBeenCalledTimes(2);
    expect(item(TRAY_MENU_LABELS.doNotDisturb).checked).toBe(false);
  });

  it('takes translated labels', () => {
    const labels = { ...TRAY_MENU_LABELS, open: 'B24 Notify öffnen' };
    const { controller } = setup({ labels });
    controller.update(view());
    expect(lastMenu().items[0]?.label).toBe('B24 Notify öffnen');
  });

  it('opens on a left click and reports the icon bounds', () => {
    const { controller, tray, actions } = setup();
    tray.emit('click');
    expect(actions.onOpen).toHaveBeenCalledTimes(1);
    tray.bounds = { x: 1700, y: 1048, width: 24, height: 24 };
    expect(controller.bounds()).toEqual({ x: 1700, y: 1048, width: 24, height: 24 });
  });

  it('ignores updates once destroyed', () => {
    const { controller, tray } = setup();
    controller.destroy();
    expect(tray.destroy).toHaveBeenCalledTimes(1);
    controller.update(view());
    expect(tray.setImage).not.toHaveBeenCalled();
    controller.destroy();
    expect(tray.destroy).toHaveBeenCalledTimes(1);
  });
});

describe('TrayController on macOS', () => {
  it('uses a template image without badge and shows the count as the title', () => {
    const { controller, tray } = setup({ platform: 'darwin', iconScale: 2 });
    controller.update(view());
    const image = lastImage(tray);
    expect(image.buffer).toBe(renderTemplateIcon(32, 'unread'));
    expect(image.options).toEqual({ scaleFactor: 2 });
    expect(image.setTemplateImage).toHaveBeenCalledWith(true);
    expect(tray.setTitle).toHaveBeenLastCalledWith('3');

    controller.update(view({ badge: '4' }));
    expect(tray.setImage).toHaveBeenCalledTimes(1); // the template has no badge to redraw
    expect(tray.setTitle).toHaveBeenLastCalledWith('4');
    controller.update(view({ state: 'idle', badge: '' }));
    expect(tray.setTitle).toHaveBeenLastCalledWith('');
  });

  it('keeps the left click for opening and pops the menu up on right click', () => {
    const { controller, tray, actions } = setup({ platform: 'darwin' });
    controller.update(view());
    expect(tray.setContextMenu).not.toHaveBeenCalled();
    tray.emit('click');
    expect(actions.onOpen).toHaveBeenCalledTimes(1);
    tray.emit('right-click');
    expect(tray.popUpContextMenu).toHaveBeenCalledWith(lastMenu());
  });

  it('does not follow the OS theme: macOS tints template images itself', () => {
    setup({ platform: 'darwin' });
    expect(fakeNativeTheme.listenerCount('updated')).toBe(0);
    expect(fakeNativeImage.createFromBuffer).toHaveBeenCalledTimes(1);
  });
});
