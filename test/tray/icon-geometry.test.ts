/**
 * What the tray icon looks like, pixel by pixel (issue 18: the drawing code's survivors). The 16 px
 * pictures below were rendered once and checked by eye against the design (tray-glyphs.ts: a bell;
 * a red count badge top right; a red "!" mark and a crescent moon bottom right, each with a clear
 * margin cut into the bell); a change to the drawing must change them on purpose. The 32 px icons
 * are held to the same shapes: scaled down 2:1 they must match the 16 px ones, so every size comes
 * from one geometry. Legend: `.` transparent, `#` bell, `R` red, `o` white ink.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { clearTrayIconCache, renderTemplateIcon, renderTrayIcon, type IconScheme } from '../../main/core/tray/badge-icon';
import type { TrayState } from '../../main/core/tray/tray-view';
import { decodePng } from './png-decode';

// Each case draws its own icons (see clearTrayIconCache).
beforeEach(clearTrayIconCache);

function picture(png: Buffer): string[] {
  const { rgba, width, height } = decodePng(png);
  const rows: string[] = [];
  for (let y = 0; y < height; y++) {
    let row = '';
    for (let x = 0; x < width; x++) {
      const [r, g, , a] = rgba.subarray((y * width + x) * 4, (y * width + x) * 4 + 4);
      row += a! < 128 ? '.' : r! > 240 && g! > 240 ? 'o' : r! > 200 && g! < 100 ? 'R' : '#';
    }
    rows.push(row);
  }
  return rows;
}

function alphaAt(png: Buffer): (x: number, y: number) => number {
  const { rgba, width } = decodePng(png);
  return (x, y) => rgba[(y * width + x) * 4 + 3]! / 255;
}

const BELL = [
  '................',
  '................',
  '.......##.......',
  '......####......',
  '.....######.....',
  '....########....',
  '....########....',
  '....########....',
  '...##########...',
  '...##########...',
  '...##########...',
  '..############..',
  '..############..',
  '......####......',
  '.......##.......',
  '................',
];

describe('the 16 px pictures', () => {
  it('a bell, flaring from its dome to the rim, with its clapper below', () => {
    expect(picture(renderTrayIcon({ state: 'idle', badge: '', size: 16, scheme: 'light' }))).toEqual(BELL);
  });

  it('one digit in a red circle, top right, cut clear of the bell', () => {
    expect(picture(renderTrayIcon({ state: 'idle', badge: '7', size: 16, scheme: 'light' }))).toEqual([
      '...........RRR..',
      '..........RoooR.',
      '.......#.RRRRoRR',
      '......##.RRRRoRR',
      '.....###.RRRoRRR',
      '....#####.RRoRR.',
      '....#####..RRR..',
      '....#######.....',
      ...BELL.slice(8),
    ]);
  });

  it('"99+" in a red pill across the top', () => {
    expect(picture(renderTrayIcon({ state: 'unread', badge: '99+', size: 16, scheme: 'light' }))).toEqual([
      '.....RRRRRRRRR..',
      '....oooRoooRRRR.',
      '...RoRoRoRoRRoRR',
      '...RoooRoooRoooR',
      '...RRRoRRRoRRoRR',
      '....oooRoooRRRR.',
      '.....RRRRRRRRR..',
      '....#...........',
      ...BELL.slice(8),
    ]);
  });

  it('an error: a red circle with "!" bottom right', () => {
    expect(picture(renderTrayIcon({ state: 'error', badge: '', size: 16, scheme: 'light' }))).toEqual([
      ...BELL.slice(0, 8),
      '...########.....',
      '...######..RRR..',
      '...######.RRoRR.',
      '..######.RRRoRRR',
      '..######.RRRoRRR',
      '......##.RRRRRRR',
      '.......##.RRoRR.',
      '...........RRR..',
    ]);
  });

  it('do not disturb: a crescent moon bottom right, bitten from its top right', () => {
    const moon = picture(renderTrayIcon({ state: 'dnd', badge: '', size: 16, scheme: 'light' }));
    expect(moon.slice(0, 8)).toEqual(BELL.slice(0, 8));
    expect(moon.slice(8).map((row) => row.replace(/[^.]/g, '#'))).toEqual([
      '...########.....',
      '...######..#....',
      '...######.###...',
      '..######.###.#..',
      '..######.###....',
      '......##.#######',
      '.......##.#####.',
      '...........###..',
    ]);
  });

  it('the bell alone is mirror-symmetric at both sizes', () => {
    for (const size of [16, 32] as const) {
      const alpha = alphaAt(renderTrayIcon({ state: 'idle', badge: '', size, scheme: 'dark' }));
      for (let y = 0; y < size; y++) for (let x = 0; x < size / 2; x++) expect(alpha(x, y)).toBeCloseTo(alpha(size - 1 - x, y), 2);
    }
  });
});

describe('32 px is the same drawing', () => {
  const states: TrayState[] = ['idle', 'unread', 'error', 'offline', 'dnd'];
  const compare = (small: Buffer, big: Buffer): { mean: number; worst: number } => {
    const [a16, a32] = [alphaAt(small), alphaAt(big)];
    let total = 0;
    let worst = 0;
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 16; x++) {
        const down = (a32(2 * x, 2 * y) + a32(2 * x + 1, 2 * y) + a32(2 * x, 2 * y + 1) + a32(2 * x + 1, 2 * y + 1)) / 4;
        const difference = Math.abs(down - a16(x, y));
        total += difference;
        worst = Math.max(worst, difference);
      }
    }
    return { mean: total / 256, worst };
  };

  it('for every state, badge and scheme, 2:1 down it matches the 16 px icon', () => {
    for (const state of states) {
      for (const badge of ['', '7', '42', '99+']) {
        for (const scheme of ['light', 'dark'] as IconScheme[]) {
          const { mean, worst } = compare(renderTrayIcon({ state, badge, size: 16, scheme }), renderTrayIcon({ state, badge, size: 32, scheme }));
          expect({ state, badge, scheme, close: mean < 0.02 && worst < 0.2 }).toEqual({ state, badge, scheme, close: true });
        }
      }
    }
  });

  it('so are the macOS template icons', () => {
    for (const state of states) {
      const { mean, worst } = compare(renderTemplateIcon(16, state), renderTemplateIcon(32, state));
      expect({ state, close: mean < 0.02 && worst < 0.2 }).toEqual({ state, close: true });
    }
  });
});
