/**
 * A 3×5 pixel font for the badge: digits, '+' and the error mark's '!'. Bitmap glyphs stay crisp at
 * 16 px where any outline font would blur; at 32 px each font pixel is 2×2.
 */
import type { Shape } from './shapes';

export const GLYPH_WIDTH = 3;
export const GLYPH_HEIGHT = 5;
const GLYPH_GAP = 1;

// One string per row, '#' lit.
const GLYPHS: Readonly<Record<string, readonly string[]>> = {
  '0': ['###', '#.#', '#.#', '#.#', '###'],
  '1': ['.#.', '##.', '.#.', '.#.', '###'],
  '2': ['###', '..#', '###', '#..', '###'],
  '3': ['###', '..#', '.##', '..#', '###'],
  '4': ['#.#', '#.#', '###', '..#', '..#'],
  '5': ['###', '#..', '###', '..#', '###'],
  '6': ['###', '#..', '###', '#.#', '###'],
  '7': ['###', '..#', '..#', '.#.', '.#.'],
  '8': ['###', '#.#', '###', '#.#', '###'],
  '9': ['###', '#.#', '###', '..#', '###'],
  '+': ['...', '.#.', '###', '.#.', '...'],
  '!': ['.#.', '.#.', '.#.', '...', '.#.'],
};

/** Width in font pixels, gaps included. */
export function textWidth(text: string): number {
  return text.length === 0 ? 0 : text.length * (GLYPH_WIDTH + GLYPH_GAP) - GLYPH_GAP;
}

/** The lit pixels of `text` with its top-left at (left, top), each font pixel `scale` px square. */
export function textShape(text: string, left: number, top: number, scale: number): Shape {
  const rows = [...text].map((char) => GLYPHS[char]);
  return (x, y) => {
    const column = Math.floor((x - left) / scale);
    const row = Math.floor((y - top) / scale);
    if (column < 0 || row < 0 || row >= GLYPH_HEIGHT) return false;
    const glyph = rows[Math.floor(column / (GLYPH_WIDTH + GLYPH_GAP))];
    return glyph?.[row]?.[column % (GLYPH_WIDTH + GLYPH_GAP)] === '#';
  };
}
