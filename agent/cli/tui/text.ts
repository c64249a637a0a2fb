// Text for the terminal grid: what a process names itself is made harmless (no control characters,
// no escape sequences, no bidi overrides that reorder the screen) and measured in terminal cells,
// so a column stays a column whatever the name holds (CJK is two cells, combining marks none).
import { safeText } from '../format';

// Bidi embeddings, overrides and isolates would reorder everything after them on the line.
const BIDI = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** A process's name or command line as drawable text: control characters shown as `\xNN`. */
export function cleanText(text: string): string {
  return safeText(text).replace(BIDI, '?');
}

/** Cells one code point takes: 0 for combining marks and zero-width, 2 for East Asian wide. */
export function cellWidth(codePoint: number): number {
  if (codePoint === 0x200b || codePoint === 0x200c || codePoint === 0x200d || codePoint === 0xfeff) return 0;
  if (codePoint >= 0x0300 && codePoint <= 0x036f) return 0;
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe4f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  )
    return 2;
  return 1;
}

// Plain ASCII is by far the common case: one cell per character, no per-code-point walk.

const ASCII = /^[\x20-\x7e]*$/;

/** Cells `text` takes on the terminal (text already cleaned). */
export function textWidth(text: string): number {
  if (ASCII.test(text)) return text.length;
  let width = 0;
  for (const char of text) width += cellWidth(char.codePointAt(0)!);
  return width;
}

/**
 * `text` in exactly `width` cells: cut with `ellipsis` when longer, padded with spaces (on the left
 * when `right`) when shorter. A wide character that would straddle the edge becomes a space.
 */
export function fit(text: string, width: number, ellipsis = '…', right = false): string {
  if (width <= 0) return '';
  if (ASCII.test(text)) {
    if (text.length > width) return text.slice(0, width - 1) + ellipsis;
    return right ? text.padStart(width) : text.padEnd(width);
  }
  const total = textWidth(text);
  if (total <= width) {
    const pad = ' '.repeat(width - total);
    return right ? pad + text : text + pad;
  }
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = cellWidth(char.codePointAt(0)!);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return out + ' '.repeat(width - 1 - used) + ellipsis;
}

const ASCII_LOOKALIKES: Record<string, string> = {
  '↑': '^',
  '↓': 'v',
  '…': '...',
  '’': "'",
  '—': '-',
  '·': '|',
};

/** For a terminal without Unicode: look-alikes for our own few symbols, `?` for anything else. */
export function toAscii(text: string): string {
  if (ASCII.test(text)) return text;

  return text.replace(/[^\x20-\x7e]/gu, (char) => ASCII_LOOKALIKES[char] ?? '?');
}
