/** Pixel size of PNG and JPEG images read from their headers (no decoding, no dependencies). */
import { AppError } from '../util/errors';
import type { ImageMime } from './model';

export interface PixelSize {
  width: number;
  height: number;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function pngSize(b: Uint8Array): PixelSize | null {
  if (b.length < 24 || PNG_SIGNATURE.some((v, i) => b[i] !== v)) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // The first chunk is IHDR: length(4) type(4) width(4) height(4).
  if (String.fromCharCode(b[12] ?? 0, b[13] ?? 0, b[14] ?? 0, b[15] ?? 0) !== 'IHDR') return null;
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function jpegSize(b: Uint8Array): PixelSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) {
      i++;
      continue;
    }
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++;
      continue;
    }
    // Markers without a length: RSTn, SOI, EOI, TEM.
    if ((marker >= 0xd0 && marker <= 0xd9) || marker === 0x01) {
      i += 2;
      continue;
    }
    const length = view.getUint16(i + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: view.getUint16(i + 5), width: view.getUint16(i + 7) };
    }
    i += 2 + length;
  }
  return null;
}

/** The pixel size of an image, or a BAD_INPUT error naming what is wrong. */
export function imagePixelSize(data: Uint8Array, mime: ImageMime): PixelSize {
  const size = mime === 'image/png' ? pngSize(data) : jpegSize(data);
  if (!size || size.width <= 0 || size.height <= 0) {
    const kind = mime === 'image/png' ? 'PNG' : 'JPEG';
    throw new AppError('BAD_INPUT', `图片不是有效的 ${kind} 文件，无法写入文档`);
  }
  return size;
}

/** The type of PNG or JPEG bytes from their signature, or null for anything else (GIF, WebP, …). */
export function sniffImageMime(data: Uint8Array): ImageMime | null {
  if (data.length >= 8 && PNG_SIGNATURE.every((v, i) => data[i] === v)) return 'image/png';
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  return null;
}
