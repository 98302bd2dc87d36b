/**
 * The tray icon and its menu: draws what `trayView` decided and reports clicks. Everything it shows
 * is computed in core/tray; this adapter only talks to Electron.
 */
import { Menu, Tray, nativeImage, nativeTheme, screen, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import { renderTemplateIcon, renderTrayIcon, type IconScheme, type IconSize } from '../core/tray/badge-icon';
import type { TrayMenuState, TrayState, TrayView } from '../core/tray/tray-view';
import type { Rect } from '../core/tray/window-placement';

/** English for now; one object so a translation can replace it. */
export const TRAY_MENU_LABELS = {
  open: 'Open B24 Notify',
  pause: 'Pause notifications',
  resume: 'Resume notifications',
  doNotDisturb: 'Do not disturb',
  settings: 'Settings…',
  openLogs: 'Open logs folder',
  quit: 'Quit B24 Notify',
};
export type TrayMenuLabels = typeof TRAY_MENU_LABELS;

export interface TrayControllerOptions {
  onOpen(): void;
  /** A click on the icon itself; default: onOpen. Tray apps toggle their window here. */
  onIconClick?(): void;
  onTogglePause(): void;
  onToggleDoNotDisturb(): void;
  onSettings(): void;
  /** Shows "Open logs folder" when given. */
  onOpenLogs?(): void;
  onQuit(): void;
  /** Display scale factor; 1.5 and up picks the 32 px images. Default: the primary display's. */
  iconScale?: number;
  labels?: TrayMenuLabels;
  /** For tests; default `process.platform`. */
  platform?: NodeJS.Platform;
}

type ShownPart = 'image' | 'tooltip' | 'title' | 'menu';

interface IconChoice {
  size: IconSize;
  /** NativeImage scale factor: a 32 px image at 2 is a 16-point icon on a high-DPI screen. */
  scaleFactor: number;
}

export class TrayController {
  readonly #options: TrayControllerOptions;
  readonly #labels: TrayMenuLabels;
  readonly #platform: NodeJS.Platform;
  readonly #isMac: boolean;
  readonly #icon: IconChoice;
  readonly #tray: Tray;
  #view: TrayView | undefined;
  /** What is on screen, so an unchanged view costs no calls into the OS. */
  readonly #shown: Record<ShownPart, string> = { image: '', tooltip: '', title: '', menu: '' };
  #menu: Menu | undefined;
  readonly #onThemeUpdated = (): void => this.#showImage();

  constructor(options: TrayControllerOptions) {
    this.#options = options;
    this.#labels = options.labels ?? TRAY_MENU_LABELS;
    this.#platform = options.platform ?? process.platform;
    this.#isMac = this.#platform === 'darwin';
    this.#icon = iconChoice(this.#platform, options.iconScale ?? screen.getPrimaryDisplay().scaleFactor);
    this.#tray = new Tray(this.#image('idle', '', taskbarScheme(this.#platform)));
    this.#tray.on('click', () => (options.onIconClick ?? options.onOpen)());
    // On macOS a context menu set with setContextMenu takes over the left click, so the menu is
    // popped up on right click instead and the left click stays free to open the window.
    if (this.#isMac) {
      this.#tray.on('right-click', () => {
        if (this.#menu) this.#tray.popUpContextMenu(this.#menu);
      });
    }
    // macOS tints template images itself; elsewhere the bell's colour follows the taskbar theme.
    if (!this.#isMac) nativeTheme.on('updated', this.#onThemeUpdated);
  }

  update(view: TrayView): void {
    if (this.#tray.isDestroyed()) return;
    this.#view = view;
    this.#showImage();
    this.#showOnce('tooltip', view.tooltip, () => this.#tray.setToolTip(view.tooltip));
    if (this.#isMac) this.#showOnce('title', view.badge, () => this.#tray.setTitle(view.badge));
    // Linux (libappindicator) caches the menu it was given: changes need a new menu, set again.
    this.#showOnce('menu', menuKey(view.menu), () => {
      this.#menu = this.#buildMenu(view.menu);
      if (!this.#isMac) this.#tray.setContextMenu(this.#menu);
    });
  }

  /** The icon's screen rectangle for window placement; all zero where the platform keeps it (Linux). */
  bounds(): Rect {
    return this.#tray.getBounds();
  }

  destroy(): void {
    nativeTheme.off('updated', this.#onThemeUpdated);
    if (!this.#tray.isDestroyed()) this.#tray.destroy();
  }

  #showImage(): void {
    if (!this.#view || this.#tray.isDestroyed()) return;
    const { state, badge } = this.#view;
    const scheme = taskbarScheme(this.#platform);
    this.#showOnce('image', this.#isMac ? state : `${state}|${badge}|${scheme}`, () => this.#tray.setImage(this.#image(state, badge, scheme)));
  }

  #showOnce(part: ShownPart, key: string, show: () => void): void {
    if (this.#shown[part] === key) return;
    show();
    this.#shown[part] = key;
  }

  #image(state: TrayState, badge: string, scheme: IconScheme): NativeImage {
    const { size, scaleFactor } = this.#icon;
    if (this.#isMac) {
      const image = nativeImage.createFromBuffer(renderTemplateIcon(size, state), { scaleFactor });
      image.setTemplateImage(true);
      return image;
    }
    return nativeImage.createFromBuffer(renderTrayIcon({ state, badge, size, scheme }), { scaleFactor });
  }

  #buildMenu(menu: TrayMenuState): Menu {
    const labels = this.#labels;
    const actions = this.#options;
    // A checkbox flips itself when clicked; forget the shown menu so the next update re-sets it
    // even if the app's state did not follow the click.
    const toggled = (action: () => void) => () => {
      this.#shown.menu = '';
      action();
    };
    const template: MenuItemConstructorOptions[] = [
      // First, because many Linux trays only ever show the menu: this is their way to the window.
      { label: labels.open, click: () => actions.onOpen() },
      { type: 'separator' },
      { label: menu.paused ? labels.resume : labels.pause, click: () => actions.onTogglePause() },
      { label: labels.doNotDisturb, type: 'checkbox', checked: menu.doNotDisturb, click: toggled(() => actions.onToggleDoNotDisturb()) },
      { type: 'separator' },
      { label: labels.settings, click: () => actions.onSettings() },
      ...(actions.onOpenLogs ? [{ label: labels.openLogs, click: () => actions.onOpenLogs?.() }] : []),
      { type: 'separator' },
      { label: labels.quit, click: () => actions.onQuit() },
    ];
    return Menu.buildFromTemplate(template);
  }
}

/** Windows themes the taskbar apart from apps (dark taskbar, light apps is common): follow the taskbar. */
function taskbarScheme(platform: NodeJS.Platform): IconScheme {
  const dark = platform === 'win32' ? nativeTheme.shouldUseDarkColorsForSystemIntegratedUI : nativeTheme.shouldUseDarkColors;
  return dark ? 'dark' : 'light';
}

function menuKey(menu: TrayMenuState): string {
  return `${menu.paused}|${menu.doNotDisturb}`;
}

/**
 * 16 px at normal density, 32 px on high-DPI screens. Linux gets 32 px at scale 1: StatusNotifier
 * hosts scale the bitmap to the panel height (often 22–24 px), which looks sharper than enlarging 16.
 */
function iconChoice(platform: NodeJS.Platform, displayScale: number): IconChoice {
  if (platform === 'linux') return { size: 32, scaleFactor: 1 };
  return displayScale >= 1.5 ? { size: 32, scaleFactor: 2 } : { size: 16, scaleFactor: 1 };
}
