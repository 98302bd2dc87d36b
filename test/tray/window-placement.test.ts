import { describe, expect, it } from 'vitest';
import { SCREEN_MARGIN_PX, TRAY_GAP_PX, placeNearTray, taskbarEdge, type Rect } from '../../main/core/tray/window-placement';

const windowSize = { width: 380, height: 560 };
const M = SCREEN_MARGIN_PX;

/** A 1920×1080 screen with a 40 px taskbar on the given side, and a 24 px icon in it. */
function windowsScreen(edge: 'top' | 'bottom' | 'left' | 'right'): { workArea: Rect; trayBounds: Rect } {
  switch (edge) {
    case 'bottom':
      return { workArea: { x: 0, y: 0, width: 1920, height: 1040 }, trayBounds: { x: 1700, y: 1048, width: 24, height: 24 } };
    case 'top':
      return { workArea: { x: 0, y: 40, width: 1920, height: 1040 }, trayBounds: { x: 1700, y: 8, width: 24, height: 24 } };
    case 'left':
      return { workArea: { x: 60, y: 0, width: 1860, height: 1080 }, trayBounds: { x: 18, y: 900, width: 24, height: 24 } };
    case 'right':
      return { workArea: { x: 0, y: 0, width: 1860, height: 1080 }, trayBounds: { x: 1878, y: 900, width: 24, height: 24 } };
  }
}

describe('window placement', () => {
  it('opens under the icon, centred, below the macOS menu bar', () => {
    const workArea = { x: 0, y: 25, width: 1440, height: 875 };
    const trayBounds = { x: 1000, y: 0, width: 22, height: 24 };
    expect(placeNearTray({ trayBounds, windowSize, workArea, platform: 'darwin' })).toEqual({ x: 1011 - 190, y: 25 + M });
  });

  it('detects the taskbar side from the icon and the work area', () => {
    for (const edge of ['top', 'bottom', 'left', 'right'] as const) {
      const { trayBounds, workArea } = windowsScreen(edge);
      expect(taskbarEdge(trayBounds, workArea)).toBe(edge);
    }
    // An auto-hidden taskbar leaves the icon inside the work area: the nearest edge still tells.
    expect(taskbarEdge({ x: 1700, y: 1050, width: 24, height: 24 }, { x: 0, y: 0, width: 1920, height: 1080 })).toBe('bottom');
  });

  it.each(['win32', 'linux'] as const)('opens beside the taskbar on %s, on the screen side', (platform) => {
    const place = (edge: 'top' | 'bottom' | 'left' | 'right') => placeNearTray({ ...windowsScreen(edge), windowSize, platform });
    expect(place('bottom')).toEqual({ x: 1712 - 190, y: 1040 - 560 - M });
    expect(place('top')).toEqual({ x: 1712 - 190, y: 40 + M });
    expect(place('left')).toEqual({ x: 60 + M, y: 1080 - 560 - M });
    expect(place('right')).toEqual({ x: 1860 - 380 - M, y: 1080 - 560 - M });
  });

  it('keeps the gap to an icon inside the work area', () => {
    const workArea = { x: 0, y: 0, width: 1920, height: 1080 };
    const trayBounds = { x: 900, y: 1000, width: 24, height: 24 };
    expect(placeNearTray({ trayBounds, windowSize, workArea, platform: 'win32' })).toEqual({ x: 912 - 190, y: 1000 - 560 - TRAY_GAP_PX });
  });

  it('uses the tray corner when the icon has no bounds (AppIndicator, Wayland)', () => {
    const workArea = { x: 0, y: 32, width: 1920, height: 1048 };
    const corner = { x: 1920 - 380 - M, y: 32 + 1048 - 560 - M };
    expect(placeNearTray({ windowSize, workArea, platform: 'linux' })).toEqual(corner);
    expect(placeNearTray({ trayBounds: { x: 0, y: 0, width: 0, height: 0 }, windowSize, workArea, platform: 'linux' })).toEqual(corner);
    expect(placeNearTray({ windowSize, workArea, platform: 'win32' })).toEqual(corner);
    expect(placeNearTray({ windowSize, workArea, platform: 'darwin' })).toEqual({ x: 1920 - 380 - M, y: 32 + M });
  });

  it('works on a secondary display with negative coordinates', () => {
    const workArea = { x: -1280, y: -200, width: 1280, height: 984 };
    const trayBounds = { x: -100, y: 790, width: 24, height: 24 };
    expect(placeNearTray({ trayBounds, windowSize, workArea, platform: 'win32' })).toEqual({ x: -380 - M, y: -200 + 984 - 560 - M });
  });

  it('stays inside a small work area', () => {
    const snug = { x: 100, y: 100, width: 390, height: 570 };
    expect(placeNearTray({ trayBounds: { x: 480, y: 680, width: 20, height: 20 }, windowSize, workArea: snug, platform: 'win32' })).toEqual({ x: 105, y: 105 });
    const tiny = { x: 100, y: 100, width: 300, height: 400 };
    expect(placeNearTray({ trayBounds: { x: 380, y: 510, width: 20, height: 20 }, windowSize, workArea: tiny, platform: 'win32' })).toEqual({ x: 100, y: 100 });
    expect(placeNearTray({ windowSize, workArea: tiny, platform: 'darwin' })).toEqual({ x: 100, y: 100 });
  });

  it('returns whole pixels', () => {
    const position = placeNearTray({
      trayBounds: { x: 1000.5, y: 0, width: 21, height: 24 },
      windowSize: { width: 301, height: 400 },
      workArea: { x: 0, y: 25, width: 1440, height: 875 },
      platform: 'darwin',
    });
    expect(Number.isInteger(position.x) && Number.isInteger(position.y)).toBe(true);
  });
});
