/**
 * Bidirectional embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) let text
 * reorder what is around it: "Invoice U+202E fdp.exe" reads as "Invoice exe.pdf". An OS popup
 * puts portal text next to our own words with no way to isolate it, so popups drop them; the
 * window keeps the text and isolates each field instead (`<bdi>` / `unicode-bidi: isolate`).
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

export function stripBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, '');
}
