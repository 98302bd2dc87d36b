/**
 * The tray icon's geometry, laid out on a 16-unit grid and scaled to the pixel size: a bell, the
 * do-not-disturb moon, the error mark and the count badge (top right, away from the error mark).
 */
import { GLYPH_HEIGHT, GLYPH_WIDTH, textShape, textWidth } from './bitmap-font';
import { circle, difference, pill, union, type Shape } from './shapes';

export const GRID_UNITS = 16;

/** Gap kept clear around a mark so it reads apart from the bell under it. */
const CUTOUT_UNITS = 1;
/** The state marks (error, do-not-disturb) sit in the bottom-right corner; the badge takes the top. */
const MARK_CENTRE = 12.5;
const MARK_RADIUS = 3.5;

export interface Mark {
  /** Shape plus its clear margin: punched out before the mark is painted. */
  cutout: Shape;
  fill: Shape;
  /** The symbol drawn on the fill, if any. */
  ink?: Shape;
}

export function bell(scale: number): Shape {
  const u = (units: number): number => units * scale;
  const flaredBody: Shape = (x, y) => {
    const down = y / scale - 7; // the walls flare from the dome's equator to the rim
    return down >= 0 && down <= 4.5 && Math.abs(x / scale - 8) <= 4.2 + (down / 4.5) * 1.3;
  };
  return union(
    circle(u(8), u(2.6), u(1.2)), // the hanger
    circle(u(8), u(7), u(4.2)), // the dome
    flaredBody,
    pill(u(1.8), u(10.8), u(14.2), u(12.8)), // the rim
    circle(u(8), u(13.6), u(1.6)), // the clapper
  );
}

/** A crescent moon, the usual do-not-disturb sign, in the bottom-right corner. */
export function moon(scale: number): Mark {
  const crescent = (grow: number): Shape => {
    const disc = circle(MARK_CENTRE * scale, MARK_CENTRE * scale, (MARK_RADIUS + grow) * scale);
    return difference(disc, circle(14.4 * scale, 10.6 * scale, (2.9 - grow) * scale)); // bitten from the top right
  };
  return { cutout: crescent(CUTOUT_UNITS), fill: crescent(0) };
}

/** A filled circle with "!" in the bottom-right corner. */
export function errorMark(scale: number): Mark {
  const centre = MARK_CENTRE * scale;
  const radius = MARK_RADIUS * scale;
  return {
    cutout: circle(centre, centre, radius + CUTOUT_UNITS * scale),
    fill: circle(centre, centre, radius),
    ink: textShape('!', centre - (GLYPH_WIDTH / 2) * scale, centre - (GLYPH_HEIGHT / 2) * scale, scale),
  };
}

/** A circle for one digit, a pill for "42" and "99+", in the top-right corner. */
export function countBadge(text: string, scale: number): Mark {
  const heightUnits = GLYPH_HEIGHT + 2;
  const widthUnits = Math.max(heightUnits, textWidth(text) + 2);
  const leftUnits = GRID_UNITS - widthUnits;
  // Both widths have the same parity, so the text lands on whole font pixels.
  const textLeftUnits = leftUnits + (widthUnits - textWidth(text)) / 2;
  const edge = CUTOUT_UNITS * scale;
  const [left, right, bottom] = [leftUnits * scale, GRID_UNITS * scale, heightUnits * scale];
  return {
    cutout: pill(left - edge, -edge, right + edge, bottom + edge),
    fill: pill(left, 0, right, bottom),
    ink: textShape(text, textLeftUnits * scale, scale, scale),
  };
}
