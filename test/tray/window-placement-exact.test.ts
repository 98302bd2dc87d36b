/**
 * Where the window opens, to the pixel, in layouts where no clamping hides a mistake (issue 18's
 * survivors in window-placement.ts): each taskbar side with an icon inside the work area (an
 * auto-hidden taskbar), displays whose origin is not 0,0, unknown icon bounds, and macOS.
 */
import { describe, expect, it } from 'vitest';
import { placeNearTray, taskbarEdge, type Rect } from '../../main/core/tray/window-placement';

const windowSize = { width: 360, height: 480 };
const icon = (x: number, y: number, size = 24): Rect => ({ x, y, width: size, height: size });

describe('beside the icon, on the screen side of the taskbar', () => {
  const area = { x: 0, y: 0, width: 1920, height: 1080 };
  it.each([
    ['bottom', icon(1000, 1050), { x: 832, y: 566 }], // centred on the icon, 4 px above it
    ['top', icon(1500, 6), { x: 1332, y: 34 }], // 4 px below it
    ['left', icon(6, 500), { x: 34, y: 272 }], // 4 px right of it, centred
    ['right', icon(1890, 500), { x: 1526, y: 272 }], // 4 px left of it
  ] as const)('taskbar at the %s', (edge, tray, position) => {
    expect(taskbarEdge(tray, area)).toBe(edge);
    expect(placeNearTray({ trayBounds: tray, windowSize, workArea: area, platform: 'win32' })).toEqual(position);
  });

  it('on a display left of and above the main one', () => {
    const left = { x: -1920, y: -200, width: 1920, height: 1080 };
    expect(placeNearTray({ trayBounds: icon(-900, 850), windowSize, workArea: left, platform: 'linux' })).toEqual({ x: -1068, y: 366 });
  });

  it('the nearest edge is measured from the display’s own origin', () => {
    expect(taskbarEdge(icon(1500, 206), { x: 0, y: 200, width: 1920, height: 1080 })).toBe('top');
    expect(taskbarEdge(icon(1926, 500), { x: 1920, y: 0, width: 1920, height: 1080 })).toBe('left');
  });

  it('an icon as near one edge as another takes the first of top, bottom, left, right', () => {
    expect(taskbarEdge(icon(975, 975, 10), { x: 0, y: 0, width: 1000, height: 1000 })).toBe('bottom');
    expect(taskbarEdge(icon(5, 5, 10), { x: 0, y: 0, width: 1000, height: 1000 })).toBe('top');
  });
});

describe('when the icon’s place is not known', () => {
  const area = { x: 100, y: 25, width: 1820, height: 1000 };
  it('an icon without width or height counts as unknown: the tray corner, bottom right', () => {
    for (const trayBounds of [undefined, { x: 1000, y: 1050, width: 0, height: 24 }, { x: 1000, y: 1050, width: 24, height: 0 }]) {
      expect(placeNearTray({ ...(trayBounds ? { trayBounds } : {}), windowSize, workArea: area, platform: 'linux' })).toEqual({ x: 100 + 1820 - 360 - 8, y: 25 + 1000 - 480 - 8 });
    }
  });

  it('on macOS the corner is top right, under the menu bar', () => {
    expect(placeNearTray({ windowSize, workArea: area, platform: 'darwin' })).toEqual({ x: 1552, y: 33 });
  });

  it('on macOS a known icon always has the window below it', () => {
    // Even an icon nearest the left edge (the menu bar is always at the top).
    expect(placeNearTray({ trayBounds: icon(10, 300), windowSize, workArea: { x: 0, y: 0, width: 1920, height: 1080 }, platform: 'darwin' })).toEqual({ x: 8, y: 328 });
  });
});
