/**
 * A minimal PNG encoder (8-bit RGBA, no filtering) for the procedurally drawn tray icons, so no
 * image library is needed.
 */
import { deflateSync } from 'node:zlib';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE_RGBA = 6;
const BYTES_PER_PIXEL = 4;

/** CRC-32 (IEEE, reflected polynomial 0xEDB88320), as every PNG chunk carries. */
const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, byte) => {
  let crc = byte;
  for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  return crc >>> 0;
});

export function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = (CRC_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

/** `rgba`: straight (not premultiplied) alpha, row by row, top to bottom. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  const rowBytes = width * BYTES_PER_PIXEL;
  if (rgba.length !== rowBytes * height) throw new RangeError(`Expected ${rowBytes * height} RGBA bytes, got ${rgba.length}`);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.writeUInt8(8, 8); // bits per channel
  header.writeUInt8(COLOR_TYPE_RGBA, 9);
  // Bytes 10–12 stay 0: deflate compression, adaptive filtering, no interlace.
  const scanlines = Buffer.alloc((rowBytes + 1) * height); // each row starts with filter type 0 (none)
  for (let row = 0; row < height; row += 1) {
    scanlines.set(rgba.subarray(row * rowBytes, (row + 1) * rowBytes), row * (rowBytes + 1) + 1);
  }
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', header), chunk('IDAT', deflateSync(scanlines)), chunk('IEND', new Uint8Array(0))]);
}
