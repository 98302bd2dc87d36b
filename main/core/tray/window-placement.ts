/**
 * Where the tray window opens: next to the tray icon on the taskbar's side, or in the tray's corner
 * of the screen when the icon's position is unknown (Linux AppIndicator reports no bounds; under
 * Wayland the compositor places windows anyway). Always inside the work area.
 */

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

export type ScreenEdge = 'top' | 'bottom' | 'left' | 'right';

export interface PlacementInput {
  /** `tray.getBounds()`; missing or all zero where the platform does not tell. */
  trayBounds?: Rect;
  windowSize: Size;
  /** The display's work area: the screen minus taskbar, menu bar and dock. */
  workArea: Rect;
  platform: NodeJS.Platform;
}

/** Distance kept from the work area's edges. */
export const SCREEN_MARGIN_PX = 8;
/** Space between the tray icon and the window. */
export const TRAY_GAP_PX = 4;

export function placeNearTray(input: PlacementInput): { x: number; y: number } {
  const { trayBounds: tray, windowSize: size, workArea: area } = input;
  const known = tray !== undefined && tray.width > 0 && tray.height > 0;
  const position = known ? besideTray(tray, size, input.platform === 'darwin' ? 'top' : taskbarEdge(tray, area)) : trayCorner(size, area, input.platform);
  return {
    x: Math.round(clampSpan(position.x, size.width, area.x, area.width)),
    y: Math.round(clampSpan(position.y, size.height, area.y, area.height)),
  };
}

/**
 * The taskbar's side: the work-area edge nearest the icon's centre. The icon usually lies outside
 * the work area (negative distance); an auto-hidden taskbar leaves it just inside.
 */
export function taskbarEdge(tray: Rect, area: Rect): ScreenEdge {
  const centreX = tray.x + tray.width / 2;
  const centreY = tray.y + tray.height / 2;
  const distances: [ScreenEdge, number][] = [
    ['top', centreY - area.y],
    ['bottom', area.y + area.height - centreY],
    ['left', centreX - area.x],
    ['right', area.x + area.width - centreX],
  ];
  return distances.reduce((nearest, candidate) => (candidate[1] < nearest[1] ? candidate : nearest))[0];
}

/** Centred on the icon along the taskbar, on the screen side of it. */
function besideTray(tray: Rect, size: Size, edge: ScreenEdge): { x: number; y: number } {
  const centredX = tray.x + (tray.width - size.width) / 2;
  const centredY = tray.y + (tray.height - size.height) / 2;
  switch (edge) {
    case 'top':
      return { x: centredX, y: tray.y + tray.height + TRAY_GAP_PX };
    case 'bottom':
      return { x: centredX, y: tray.y - size.height - TRAY_GAP_PX };
    case 'left':
      return { x: tray.x + tray.width + TRAY_GAP_PX, y: centredY };
    case 'right':
      return { x: tray.x - size.width - TRAY_GAP_PX, y: centredY };
  }
}

/** Where the tray usually is: top right under the macOS menu bar, bottom right elsewhere. */
function trayCorner(size: Size, area: Rect, platform: NodeJS.Platform): { x: number; y: number } {
  const x = area.x + area.width - size.width - SCREEN_MARGIN_PX;
  const y = platform === 'darwin' ? area.y + SCREEN_MARGIN_PX : area.y + area.height - size.height - SCREEN_MARGIN_PX;
  return { x, y };
}

/**
 * Keeps [start, start + length) inside the area, with the margin when there is room for it. A
 * window larger than the area keeps its top-left corner (title and controls) visible.
 */
function clampSpan(start: number, length: number, areaStart: number, areaLength: number): number {
  const slack = areaLength - length;
  if (slack <= 0) return areaStart;
  const margin = Math.min(SCREEN_MARGIN_PX, slack / 2);
  return Math.min(Math.max(start, areaStart + margin), areaStart + slack - margin);
}
