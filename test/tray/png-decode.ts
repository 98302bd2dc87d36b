/**
 * A PNG reader for the tests, independent of the encoder: checks the signature and every chunk's
 * CRC, inflates IDAT and undoes filter type 0.
 */
import { inflateSync } from 'node:zlib';
import { crc32 } from '../../main/core/tray/png';

export interface DecodedPng {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  /** Straight RGBA, row by row. */
  rgba: Buffer;
}

const SIGNATURE = '89504e470d0a1a0a';

export function decodePng(png: Buffer): DecodedPng {
  if (png.subarray(0, 8).toString('hex') !== SIGNATURE) throw new Error('not a PNG');
  const chunks = new Map<string, Buffer[]>();
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    if (crc32(typeAndData) !== png.readUInt32BE(offset + 8 + length)) throw new Error('bad CRC');
    const type = typeAndData.subarray(0, 4).toString('latin1');
    chunks.set(type, [...(chunks.get(type) ?? []), typeAndData.subarray(4)]);
    offset += 12 + length;
  }
  const header = chunks.get('IHDR')?.[0];
  if (!header || !chunks.has('IEND')) throw new Error('missing IHDR or IEND');
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const scanlines = inflateSync(Buffer.concat(chunks.get('IDAT') ?? []));
  const rowBytes = width * 4;
  const rgba = Buffer.alloc(rowBytes * height);
  for (let row = 0; row < height; row += 1) {
    const start = row * (rowBytes + 1);
    if (scanlines[start] !== 0) throw new Error(`unexpected filter ${scanlines[start]}`);
    scanlines.copy(rgba, row * rowBytes, start + 1, start + 1 + rowBytes);
  }
  return { width, height, bitDepth: header.readUInt8(8), colorType: header.readUInt8(9), rgba };
}

export function pixelAt(image: DecodedPng, x: number, y: number): [number, number, number, number] {
  const at = (y * image.width + x) * 4;
  return [image.rgba[at] ?? 0, image.rgba[at + 1] ?? 0, image.rgba[at + 2] ?? 0, image.rgba[at + 3] ?? 0];
}
