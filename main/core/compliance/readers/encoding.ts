/**
 * Text encoding of a CSV from its first bytes: a BOM (UTF-8, UTF-16), else strict UTF-8, else
 * GBK by byte structure (GB18030 when four-byte sequences appear), else unknown.
 */

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gbk' | 'gb18030' | 'utf-16le' | 'utf-16be';

export interface DetectedEncoding {
  encoding: CsvEncoding;
  /** Bytes of the BOM to skip. */
  bom: number;
  /** The sample held only ASCII: any later non-ASCII byte decides between UTF-8 and GBK. */
  asciiOnly: boolean;
}

/** Bytes sampled for detection. */
export const SAMPLE_BYTES = 64 * 1024;

/**
 * Whether `b` is valid UTF-8; `cut` allows an incomplete multi-byte character at the end (the
 * sample ends inside the file). Overlongs, surrogates and > U+10FFFF are invalid.
 */
export function isUtf8(b: Uint8Array, cut: boolean): boolean {
  const n = b.length;
  let i = 0;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (c >= 0xc2 && c <= 0xdf) {
      need = 1;
      min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      min = 0x10000;
    } else return false;
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return cut; // cut inside the last character
      const t = b[i + k] as number;
      if ((t & 0xc0) !== 0x80) return false;
      cp = (cp << 6) | (t & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += need + 1;
  }
  return true;
}

/** 'gbk' / 'gb18030' when `b` is structurally GBK/GB18030 (cut: may end inside a character), else null. */
export function gbkKind(b: Uint8Array, cut: boolean): 'gbk' | 'gb18030' | null {
  const n = b.length;
  let four = false;
  let i = 0;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    if (c === 0x80 || c === 0xff) return null;
    if (i + 1 >= n) return cut ? (four ? 'gb18030' : 'gbk') : null;
    const t = b[i + 1] as number;
    if ((t >= 0x40 && t <= 0x7e) || (t >= 0x80 && t <= 0xfe)) {
      i += 2;
      continue;
    }
    if (t >= 0x30 && t <= 0x39) {
      if (i + 3 >= n) return cut ? 'gb18030' : null;
      const t2 = b[i + 2] as number;
      const t3 = b[i + 3] as number;
      if (t2 < 0x81 || t2 > 0xfe || t3 < 0x30 || t3 > 0x39) return null;
      four = true;
      i += 4;
      continue;
    }
    return null;
  }
  return four ? 'gb18030' : 'gbk';
}

/** Index of the first byte ≥ 0x80, or -1. */
export function firstNonAscii(b: Uint8Array): number {
  for (let i = 0; i < b.length; i++) if ((b[i] as number) >= 0x80) return i;
  return -1;
}

/**
 * Detects the encoding of `sample` (the file's first bytes; `whole`: it is the whole file).
 * Null when neither UTF-8 nor GBK fits.
 */
export function detectEncoding(sample: Uint8Array, whole: boolean): DetectedEncoding | null {
  if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8-bom', bom: 3, asciiOnly: false };
  }
  if (sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bom: 2, asciiOnly: false };
  if (sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bom: 2, asciiOnly: false };
  const cut = !whole;
  if (firstNonAscii(sample) < 0) return { encoding: 'utf-8', bom: 0, asciiOnly: true };
  if (isUtf8(sample, cut)) return { encoding: 'utf-8', bom: 0, asciiOnly: false };
  const g = gbkKind(sample, cut);
  return g ? { encoding: g, bom: 0, asciiOnly: false } : null;
}

/** The TextDecoder label for an encoding (GBK is decoded as GB18030, its superset). */
export function decoderLabel(e: CsvEncoding): string {
  return e === 'utf-8-bom' ? 'utf-8' : e === 'gbk' ? 'gb18030' : e;
}
