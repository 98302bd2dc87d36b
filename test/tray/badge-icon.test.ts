import { beforeEach, describe, expect, it } from 'vitest';
import { clearTrayIconCache, renderTemplateIcon, renderTrayIcon, type IconSize } from '../../main/core/tray/badge-icon';
import { crc32, encodePng } from '../../main/core/tray/png';
import type { TrayState } from '../../main/core/tray/tray-view';
import { decodePng, pixelAt } from './png-decode';

// Each case draws its own icons (see clearTrayIconCache).
beforeEach(clearTrayIconCache);

const STATES: TrayState[] = ['idle', 'unread', 'error', 'offline', 'dnd'];
const SIZES: IconSize[] = [16, 32];

/** Sum of alpha-weighted channel differences: how much two same-sized images differ. */
function difference(a: Buffer, b: Buffer): number {
  const [first, second] = [decodePng(a).rgba, decodePng(b).rgba];
  let total = 0;
  for (let i = 0; i < first.length; i += 1) total += Math.abs((first[i] ?? 0) - (second[i] ?? 0));
  return total;
}

function opaqueCount(png: Buffer): number {
  const { rgba } = decodePng(png);
  return rgba.filter((_, i) => i % 4 === 3 && (rgba[i] ?? 0) > 0).length;
}

function whiteCount(png: Buffer): number {
  const { rgba } = decodePng(png);
  let count = 0;
  for (let i = 0; i < rgba.length; i += 4) if (rgba.readUInt32BE(i) === 0xffffffff) count += 1;
  return count;
}

describe('PNG encoding', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    expect(crc32(new Uint8Array(0))).toBe(0);
  });

  it('round-trips pixels through zlib', () => {
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const decoded = decodePng(encodePng(3, 2, rgba));
    expect(decoded).toMatchObject({ width: 3, height: 2, bitDepth: 8, colorType: 6 });
    expect([...decoded.rgba]).toEqual([...rgba]);
  });

  it('refuses a buffer of the wrong length', () => {
    expect(() => encodePng(2, 2, new Uint8Array(15))).toThrow(RangeError);
  });
});

describe('tray icon images', () => {
  it.each(SIZES)('are %i px RGBA PNGs for every state and scheme', (size) => {
    for (const state of STATES) {
      for (const scheme of ['light', 'dark'] as const) {
        const image = decodePng(renderTrayIcon({ state, badge: '', size, scheme }));
        expect(image).toMatchObject({ width: size, height: size, bitDepth: 8, colorType: 6 });
        expect(opaqueCount(renderTrayIcon({ state, badge: '', size, scheme }))).toBeGreaterThan(size * size * 0.2);
        expect(pixelAt(image, 0, 0)[3]).toBe(0); // transparent corners: a glyph, not a tile
      }
    }
  });

  it('looks different in every state', () => {
    const images = STATES.map((state) => renderTrayIcon({ state, badge: '', size: 16, scheme: 'light' }));
    for (let i = 0; i < images.length; i += 1) {
      for (let j = i + 1; j < images.length; j += 1) {
        expect(difference(images[i] as Buffer, images[j] as Buffer), `${STATES[i]} vs ${STATES[j]}`).toBeGreaterThan(0);
      }
    }
  });

  it('follows the scheme: a dark bell on a light taskbar, a light bell on a dark one', () => {
    const luminance = (png: Buffer): number => {
      const [r, g, b] = pixelAt(decodePng(png), 8, 8);
      return r + g + b;
    };
    expect(luminance(renderTrayIcon({ state: 'idle', badge: '', size: 16, scheme: 'light' }))).toBeLessThan(200);
    expect(luminance(renderTrayIcon({ state: 'idle', badge: '', size: 16, scheme: 'dark' }))).toBeGreaterThan(600);
  });

  it('shows unread in blue and dims offline', () => {
    const [r, g, b] = pixelAt(decodePng(renderTrayIcon({ state: 'unread', badge: '', size: 16, scheme: 'light' })), 8, 8);
    expect(b).toBeGreaterThan(r + 100);
    expect(b).toBeGreaterThan(g);
    expect(pixelAt(decodePng(renderTrayIcon({ state: 'offline', badge: '', size: 16, scheme: 'light' })), 8, 8)[3]).toBeLessThan(160);
  });

  it('draws a red error mark', () => {
    const [r, g, b, a] = pixelAt(decodePng(renderTrayIcon({ state: 'error', badge: '', size: 32, scheme: 'dark' })), 20, 28);
    expect(a).toBe(255);
    expect(r).toBeGreaterThan(g + 100);
    expect(r).toBeGreaterThan(b + 100);
  });

  it.each(['1', '42', '99+'])('draws the badge "%s" with legible, distinct digits', (badge) => {
    for (const size of SIZES) {
      const plain = renderTrayIcon({ state: 'unread', badge: '', size, scheme: 'light' });
      const badged = renderTrayIcon({ state: 'unread', badge, size, scheme: 'light' });
      expect(difference(plain, badged)).toBeGreaterThan(0);
      // The digits are the only pure white pixels: white on the red fill.
      expect(whiteCount(plain)).toBe(0);
      expect(whiteCount(badged)).toBeGreaterThan(0);
    }
    const badged = (badge: string): Buffer => renderTrayIcon({ state: 'unread', badge, size: 16, scheme: 'light' });
    expect(difference(badged('42'), badged('43'))).toBeGreaterThan(0);
  });

  it('refuses a badge it cannot draw', () => {
    for (const badge of ['0', '100', '999', 'x', '1+']) {
      expect(() => renderTrayIcon({ state: 'unread', badge, size: 16, scheme: 'light' })).toThrow(RangeError);
    }
  });

  it('returns the cached Buffer for the same spec', () => {
    const spec = { state: 'unread', badge: '7', size: 32, scheme: 'dark' } as const;
    expect(renderTrayIcon(spec)).toBe(renderTrayIcon({ ...spec }));
    expect(renderTrayIcon(spec)).not.toBe(renderTrayIcon({ ...spec, scheme: 'light' }));
    expect(renderTemplateIcon(16)).toBe(renderTemplateIcon(16, 'idle'));
  });
});

describe('macOS template images', () => {
  it.each(SIZES)('are black with alpha only at %i px, for every state', (size) => {
    for (const state of STATES) {
      const image = decodePng(renderTemplateIcon(size, state));
      expect(image).toMatchObject({ width: size, height: size, colorType: 6 });
      const colours = image.rgba.filter((_, i) => i % 4 !== 3);
      expect(colours.every((value) => value === 0)).toBe(true);
      expect(opaqueCount(renderTemplateIcon(size, state))).toBeGreaterThan(size * size * 0.2);
    }
  });

  it('carries the state in shape and opacity, never a badge', () => {
    const idle = renderTemplateIcon(16);
    expect(difference(idle, renderTemplateIcon(16, 'unread'))).toBe(0);
    for (const state of ['error', 'offline', 'dnd'] as const) expect(difference(idle, renderTemplateIcon(16, state))).toBeGreaterThan(0);
  });
});
