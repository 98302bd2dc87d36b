/**
 * Tray icon images, drawn at runtime as PNG bytes: one bell whose colour and marks tell the state,
 * plus the unread badge where the platform has no title next to the icon (everywhere but macOS).
 */
import { encodePng } from './png';
import { Raster, type Ink, type Rgba } from './raster';
import { GRID_UNITS, bell, countBadge, errorMark, moon, type Mark } from './tray-glyphs';
import type { TrayState } from './tray-view';

export type IconSize = 16 | 32;
/** The OS theme: a light taskbar gets a dark bell, a dark one a light bell. */
export type IconScheme = 'light' | 'dark';

export interface TrayIconSpec {
  state: TrayState;
  /** '' (none), '1'…'99' or '99+', as `trayView` produces. */
  badge: string;
  size: IconSize;
  scheme: IconScheme;
}

interface Palette {
  bell: Rgba;
  unreadBell: Rgba;
  /** The do-not-disturb moon. */
  quiet: Rgba;
  alert: Rgba;
  alertInk: Ink;
  badge: Rgba;
  badgeInk: Ink;
}

const rgb = (hex: number): Rgba => ({ r: (hex >> 16) & 0xff, g: (hex >> 8) & 0xff, b: hex & 0xff, a: 1 });
const RED = rgb(0xe0352b);
const WHITE = rgb(0xffffff);
const BLACK = rgb(0x000000);
/** Offline is the bell at this opacity: present, but visibly not live. */
const OFFLINE_OPACITY = 0.45;

const PALETTES: Record<IconScheme | 'template', Palette> = {
  light: { bell: rgb(0x303030), unreadBell: rgb(0x1a73e8), quiet: rgb(0x7c5ce6), alert: RED, alertInk: WHITE, badge: RED, badgeInk: WHITE },
  dark: { bell: rgb(0xf0f0f0), unreadBell: rgb(0x5fa8ff), quiet: rgb(0xb39dff), alert: RED, alertInk: WHITE, badge: RED, badgeInk: WHITE },
  // macOS tints template images itself and reads only their alpha: one colour, holes for detail.
  template: { bell: BLACK, unreadBell: BLACK, quiet: BLACK, alert: BLACK, alertInk: 'cutout', badge: BLACK, badgeInk: 'cutout' },
};

const BADGE_PATTERN = /^(?:[1-9]\d?|99\+)?$/;

// At most 5 states × 100 badges × 2 sizes × 3 palettes small PNGs, so the cache needs no eviction.
const cache = new Map<string, Buffer>();

/** The same Buffer for the same spec: treat it as read-only. */
export function renderTrayIcon(spec: TrayIconSpec): Buffer {
  if (!BADGE_PATTERN.test(spec.badge)) throw new RangeError(`Cannot draw the badge "${spec.badge}"`);
  return cached(`${spec.state}|${spec.badge}|${spec.size}|${spec.scheme}`, () => drawIcon(spec.state, spec.badge, spec.size, PALETTES[spec.scheme]));
}

/**
 * Black on transparent for `setTemplateImage(true)`. No badge: macOS shows the count as the tray
 * title. The state still shows through shape and opacity (moon, mark, dimming).
 */
export function renderTemplateIcon(size: IconSize, state: TrayState = 'idle'): Buffer {
  return cached(`${state}||${size}|template`, () => drawIcon(state, '', size, PALETTES.template));
}

/**
 * Forgets every drawn icon. For tests: each case then draws its own icons, so a mutation run
 * credits the drawing to the test that checks it, not to whichever test drew that icon first.
 */
export function clearTrayIconCache(): void {
  cache.clear();
}

function cached(key: string, render: () => Buffer): Buffer {
  let png = cache.get(key);
  if (!png) {
    png = render();
    cache.set(key, png);
  }
  return png;
}

function drawIcon(state: TrayState, badge: string, size: IconSize, palette: Palette): Buffer {
  const scale = size / GRID_UNITS;
  const raster = new Raster(size);
  const bellInk = state === 'unread' ? palette.unreadBell : state === 'offline' ? { ...palette.bell, a: OFFLINE_OPACITY } : palette.bell;
  raster.paint(bell(scale), bellInk);
  if (state === 'dnd') paintMark(raster, moon(scale), palette.quiet, palette.quiet);
  if (state === 'error') paintMark(raster, errorMark(scale), palette.alert, palette.alertInk);
  if (badge) paintMark(raster, countBadge(badge, scale), palette.badge, palette.badgeInk);
  return encodePng(size, size, raster.toRgba8());
}

function paintMark(raster: Raster, mark: Mark, fill: Ink, ink: Ink): void {
  raster.paint(mark.cutout, 'cutout');
  raster.paint(mark.fill, fill);
  if (mark.ink) raster.paint(mark.ink, ink);
}
