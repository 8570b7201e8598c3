import { createHash, randomBytes } from 'node:crypto';

let lastMs = 0;
let seq = 0;

/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, version, 12-bit sequence, variant, random.
 * Monotonic within a process so ids sort by creation order.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  if (nowMs <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
  } else {
    lastMs = nowMs;
    seq = 0;
  }
  const b = randomBytes(16);
  const ms = lastMs;
  b[0] = Math.floor(ms / 2 ** 40) & 0xff;
  b[1] = Math.floor(ms / 2 ** 32) & 0xff;
  b[2] = (ms >>> 24) & 0xff;
  b[3] = (ms >>> 16) & 0xff;
  b[4] = (ms >>> 8) & 0xff;
  b[5] = ms & 0xff;
  b[6] = 0x70 | ((seq >>> 8) & 0x0f);
  b[7] = seq & 0xff;
  b[8] = 0x80 | ((b[8] ?? 0) & 0x3f);
  return formatUuid(b.toString('hex'));
}

/** Deterministic UUID-shaped id (version 8) from a key, for rows that must agree across laptops. */
export function stableId(key: string): string {
  const h = sha256hex(key).slice(0, 32).split('');
  h[12] = '8';
  h[16] = '89ab'[parseInt(h[16] ?? '0', 16) & 3] ?? '8';
  return formatUuid(h.join(''));
}

function formatUuid(h: string): string {
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function sha256hex(s: string | Uint8Array): string {
  return createHash('sha256').update(s).digest('hex');
}
