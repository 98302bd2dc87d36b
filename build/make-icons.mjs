// Draws the app icon (a white bell with a red dot on a blue rounded square) with the tray's own
// rasteriser and PNG encoder, so no image tool or package is needed, and writes:
//   build/icon.png          512×512: macOS (electron-builder makes the .icns from it on macOS)
//   build/icons/NxN.png     the Linux icon set (hicolor sizes)
//   build/icon.ico          Windows, PNG-compressed entries up to 256×256
// The tray icon is not here: main/core/tray/badge-icon.ts draws it at runtime (state, badge,
// light/dark, macOS template). Run: npx tsx build/make-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { encodePng } from '../main/core/tray/png.ts';
import { Raster } from '../main/core/tray/raster.ts';
import { circle } from '../main/core/tray/shapes.ts';
import { bell } from '../main/core/tray/tray-glyphs.ts';

export const APP_ICON_SIZE = 512;
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
export const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

const BLUE = { r: 0x1a, g: 0x73, b: 0xe8, a: 1 }; // the tray's "unread" blue
const WHITE = { r: 0xff, g: 0xff, b: 0xff, a: 1 };
const RED = { r: 0xe0, g: 0x35, b: 0x2b, a: 1 }; // the tray's badge red

/** A square with rounded corners, inset by `inset` on every side. */
function roundedSquare(size, inset, radius) {
  const low = inset + radius;
  const high = size - inset - radius;
  return (x, y) => {
    if (x < inset || y < inset || x > size - inset || y > size - inset) return false;
    const nearestX = Math.min(high, Math.max(low, x));
    const nearestY = Math.min(high, Math.max(low, y));
    return (x - nearestX) ** 2 + (y - nearestY) ** 2 <= radius ** 2;
  };
}

/** `shape` moved by (dx, dy). */
const moved = (shape, dx, dy) => (x, y) => shape(x - dx, y - dy);

/** The app icon as PNG bytes, `size` pixels square. */
export function drawAppIcon(size) {
  const raster = new Raster(size);
  raster.paint(roundedSquare(size, size * 0.0625, size * 0.2), BLUE);
  // The tray bell lives on a 16-unit grid with its middle at (8, 8.3); centre it at 60 % size.
  const scale = (size * 0.6) / 16;
  const dx = size / 2 - 8 * scale;
  const dy = size / 2 - 8.3 * scale;
  raster.paint(moved(bell(scale), dx, dy), WHITE);
  // The "something new" dot at the bell's shoulder, ringed in blue so it reads apart from it.
  const dotX = dx + 12.6 * scale;
  const dotY = dy + 3.4 * scale;
  raster.paint(circle(dotX, dotY, 3 * scale), BLUE);
  raster.paint(circle(dotX, dotY, 2.2 * scale), RED);
  return encodePng(size, size, raster.toRgba8());
}

/**
 * An .ico holding PNG images (Windows Vista and later read them): a 6-byte header, a 16-byte
 * directory entry per image, then the PNGs. Width and height 256 are written as 0.
 */
export function encodeIco(images) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type 1: icon
  header.writeUInt16LE(images.length, 4);
  let offset = header.length + 16 * images.length;
  const entries = images.map(({ size, png }) => {
    const entry = Buffer.alloc(16);
    entry.writeUInt8(size >= 256 ? 0 : size, 0);
    entry.writeUInt8(size >= 256 ? 0 : size, 1);
    entry.writeUInt8(0, 2); // no palette
    entry.writeUInt8(0, 3); // reserved
    entry.writeUInt16LE(1, 4); // colour planes
    entry.writeUInt16LE(32, 6); // bits per pixel
    entry.writeUInt32LE(png.length, 8);
    entry.writeUInt32LE(offset, 12);
    offset += png.length;
    return entry;
  });
  return Buffer.concat([header, ...entries, ...images.map(({ png }) => png)]);
}

/** Writes every icon under `buildDir`; returns the paths written. */
export function makeIcons(buildDir) {
  const pngs = new Map([...new Set([APP_ICON_SIZE, ...LINUX_SIZES, ...ICO_SIZES])].map((size) => [size, drawAppIcon(size)]));
  const written = [];
  const write = (path, bytes) => {
    writeFileSync(path, bytes);
    written.push(path);
  };
  mkdirSync(join(buildDir, 'icons'), { recursive: true });
  write(join(buildDir, 'icon.png'), pngs.get(APP_ICON_SIZE));
  for (const size of LINUX_SIZES) write(join(buildDir, 'icons', `${size}x${size}.png`), pngs.get(size));
  write(join(buildDir, 'icon.ico'), encodeIco(ICO_SIZES.map((size) => ({ size, png: pngs.get(size) }))));
  return written;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const path of makeIcons(import.meta.dirname)) console.log(`wrote ${path}`);
}
