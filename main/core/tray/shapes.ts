/**
 * Shapes as point-in-shape tests in pixel coordinates (pixel (i, j) covers [i, i+1) × [j, j+1)), so
 * one glyph description renders at 16 and 32 px alike.
 */
export type Shape = (x: number, y: number) => boolean;

export function circle(centreX: number, centreY: number, radius: number): Shape {
  return (x, y) => (x - centreX) ** 2 + (y - centreY) ** 2 <= radius ** 2;
}

/** A stadium: a horizontal rectangle with fully rounded ends (a circle when it is square). */
export function pill(left: number, top: number, right: number, bottom: number): Shape {
  const radius = (bottom - top) / 2;
  return thickLine(left + radius, top + radius, Math.max(left + radius, right - radius), top + radius, radius);
}

/** Every point within `halfWidth` of the segment from (x1, y1) to (x2, y2). */
export function thickLine(x1: number, y1: number, x2: number, y2: number, halfWidth: number): Shape {
  const dx = x2 - x1;
  const dy = y2 - y1;
  const lengthSquared = dx * dx + dy * dy;
  return (x, y) => {
    const along = lengthSquared === 0 ? 0 : Math.min(1, Math.max(0, ((x - x1) * dx + (y - y1) * dy) / lengthSquared));
    return (x - x1 - along * dx) ** 2 + (y - y1 - along * dy) ** 2 <= halfWidth ** 2;
  };
}

export function union(...shapes: Shape[]): Shape {
  return (x, y) => shapes.some((shape) => shape(x, y));
}

export function difference(shape: Shape, minus: Shape): Shape {
  return (x, y) => shape(x, y) && !minus(x, y);
}
