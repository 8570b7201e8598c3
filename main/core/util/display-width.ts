/** Text width in Excel's character units (kept free of exceljs so workers can use it cheaply). */

/** Display width of a string in Excel character units: CJK and full-width characters count 2. */
export function displayWidth(s: string): number {
  let max = 0;
  for (const line of s.split('\n')) {
    let w = 0;
    for (const ch of line) {
      const cp = ch.codePointAt(0) ?? 0;
      const wide =
        (cp >= 0x1100 && cp <= 0x115f) ||
        (cp >= 0x2e80 && cp <= 0xa4cf) ||
        (cp >= 0xac00 && cp <= 0xd7a3) ||
        (cp >= 0xf900 && cp <= 0xfaff) ||
        (cp >= 0xfe30 && cp <= 0xfe4f) ||
        (cp >= 0xff00 && cp <= 0xff60) ||
        (cp >= 0xffe0 && cp <= 0xffe6) ||
        cp >= 0x20000;
      w += wide ? 2 : 1;
    }
    max = Math.max(max, w);
  }
  return max;
}
