/** The tooltip's cut at its limit, at the edges of the surrogate range (issue 18's survivors in tray-tooltip.ts). */
import { describe, expect, it } from 'vitest';
import { capLength } from '../../main/core/tray/tray-tooltip';

describe('the tooltip’s cut', () => {
  it('cuts before a high surrogate at the boundary, on either side of it, and trims the space before the ellipsis', () => {
    // 0xD800 is the lowest high surrogate, 0xDBFF the highest: both must not be split from their pair.
    expect(capLength('abc\u{10000}xyz', 5)).toBe('abc…'); // U+10000 = D800 DC00
    expect(capLength('abc\u{10FFFF}xyz', 5)).toBe('abc…'); // U+10FFFF = DBFF DFFF
    expect(capLength('abcd\uD7FFxyz', 6)).toBe('abcd\uD7FF…'); // just below: an ordinary character
    expect(capLength('abc  defgh', 6)).toBe('abc…');
    expect(capLength('  abcdefgh', 6)).toBe('  abc…');
  });

});
