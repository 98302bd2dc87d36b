/**
 * The app icons under build/ (made by build/make-icons.mjs): present for every platform in the
 * sizes electron-builder wants, well-formed, small, and what the script makes today.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ICO_SIZES, LINUX_SIZES, makeIcons } from '../../build/make-icons.mjs';

const root = join(import.meta.dirname, '..', '..');
const buildDir = join(root, 'build');
const scratch = mkdtempSync(join(tmpdir(), 'b24-icons-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface DecodedPng {
  width: number;
  height: number;
  /** Alpha (0–255) at (x, y); the script's PNGs are 8-bit RGBA with filter 0 on every row. */
  alphaAt(x: number, y: number): number;
}

function decodePng(bytes: Buffer): DecodedPng {
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const idat: Buffer[] = [];
  let width = 0;
  let height = 0;
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([data[8], data[9]]).toEqual([8, 6]); // 8-bit RGBA
    }
    if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const pixels = inflateSync(Buffer.concat(idat));
  const rowBytes = width * 4 + 1;
  return { width, height, alphaAt: (x, y) => pixels[y * rowBytes + 1 + x * 4 + 3] ?? -1 };
}

describe('app icons', () => {
  it('build/ holds exactly what build/make-icons.mjs makes now', () => {
    const written = makeIcons(scratch);
    expect(written.length).toBe(LINUX_SIZES.length + 2);
    for (const path of written) {
      const name = relative(scratch, path);
      expect(readFileSync(join(buildDir, name)).equals(readFileSync(path)), `build/${name} is stale: run npx tsx build/make-icons.mjs`).toBe(true);
    }
    // Committed to the repository: keep them small.
    const total = written.reduce((sum, path) => sum + statSync(path).size, 0);
    expect(total).toBeLessThan(64 * 1024);
  });

  it('build/icon.png is 512×512, a rounded square: transparent corners, opaque middle', () => {
    const png = decodePng(readFileSync(join(buildDir, 'icon.png')));
    expect([png.width, png.height]).toEqual([512, 512]);
    expect(png.alphaAt(0, 0)).toBe(0);
    expect(png.alphaAt(511, 511)).toBe(0);
    expect(png.alphaAt(256, 256)).toBe(255);
  });

  it.each(LINUX_SIZES)('build/icons/%ix%i.png has the size its name says', (size) => {
    const png = decodePng(readFileSync(join(buildDir, 'icons', `${size}x${size}.png`)));
    expect([png.width, png.height]).toEqual([size, size]);
  });

  it('build/icon.ico holds a PNG for each Windows size, up to 256×256', () => {
    const ico = readFileSync(join(buildDir, 'icon.ico'));
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, ICO_SIZES.length]);
    const sizes = ICO_SIZES.map((_, index) => {
      const entry = 6 + 16 * index;
      const size = ico.readUInt8(entry) || 256; // 0 means 256
      expect(ico.readUInt8(entry + 1) || 256).toBe(size);
      const png = decodePng(ico.subarray(ico.readUInt32LE(entry + 12), ico.readUInt32LE(entry + 12) + ico.readUInt32LE(entry + 8)));
      expect([png.width, png.height]).toEqual([size, size]);
      return size;
    });
    expect(sizes).toEqual(ICO_SIZES);
    expect(sizes).toContain(256); // electron-builder refuses an .ico without 256×256
  });

  it('electron-builder.yml points at these files', () => {
    const config = readFileSync(join(root, 'electron-builder.yml'), 'utf8');
    expect(config).toMatch(/^ {2}icon: icons\b/m);
    expect(config).toMatch(/^ {2}icon: icon\.ico\b/m);
    expect(config).toMatch(/^ {2}icon: icon\.png\b/m);
  });
});
