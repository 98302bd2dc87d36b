/**
 * A tiny RGBA canvas that paints shapes with 4×4 supersampling, which is enough anti-aliasing for
 * 16 px icons and keeps the renderer free of native image libraries.
 */
import type { Shape } from './shapes';

/** Channels 0–255, alpha 0–1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** Paint colour, or `cutout` to punch a transparent hole (separates overlapping marks; template images have no second colour). */
export type Ink = Rgba | 'cutout';

const SAMPLES_PER_AXIS = 4;

export class Raster {
  /** Straight-alpha RGBA floats: colour 0–255, alpha 0–1. */
  readonly #pixels: Float64Array;

  constructor(readonly sizePx: number) {
    this.#pixels = new Float64Array(sizePx * sizePx * 4);
  }

  paint(shape: Shape, ink: Ink): void {
    for (let y = 0; y < this.sizePx; y += 1) {
      for (let x = 0; x < this.sizePx; x += 1) {
        const cover = coverage(shape, x, y);
        if (cover === 0) continue;
        if (ink === 'cutout') this.#erase(x, y, cover);
        else this.#blend(x, y, ink, cover);
      }
    }
  }

  toRgba8(): Uint8Array {
    return Uint8Array.from(this.#pixels, (value, index) => Math.round(index % 4 === 3 ? value * 255 : value));
  }

  /** Source-over compositing in straight alpha. */
  #blend(x: number, y: number, ink: Rgba, cover: number): void {
    const at = (y * this.sizePx + x) * 4;
    const p = this.#pixels;
    const sourceAlpha = ink.a * cover;
    const destinationAlpha = (p[at + 3] ?? 0) * (1 - sourceAlpha);
    const alpha = sourceAlpha + destinationAlpha;
    if (alpha === 0) return;
    const channels = [ink.r, ink.g, ink.b];
    channels.forEach((value, channel) => {
      p[at + channel] = (value * sourceAlpha + (p[at + channel] ?? 0) * destinationAlpha) / alpha;
    });
    p[at + 3] = alpha;
  }

  #erase(x: number, y: number, cover: number): void {
    const at = (y * this.sizePx + x) * 4 + 3;
    this.#pixels[at] = (this.#pixels[at] ?? 0) * (1 - cover);
  }
}

function coverage(shape: Shape, pixelX: number, pixelY: number): number {
  let inside = 0;
  for (let sy = 0; sy < SAMPLES_PER_AXIS; sy += 1) {
    for (let sx = 0; sx < SAMPLES_PER_AXIS; sx += 1) {
      if (shape(pixelX + (sx + 0.5) / SAMPLES_PER_AXIS, pixelY + (sy + 0.5) / SAMPLES_PER_AXIS)) inside += 1;
    }
  }
  return inside / SAMPLES_PER_AXIS ** 2;
}
