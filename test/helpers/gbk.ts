/**
 * GBK encoding for tests and benches (Node has a GBK decoder but no encoder, and the project
 * carries no iconv library). The table is built once, on first use, by decoding every two-byte
 * sequence lead 0x81–0xFE × trail 0x40–0xFE (except 0x7F) with TextDecoder('gbk') and inverting
 * it. ASCII is written as is; a character GBK cannot represent throws.
 *
 *   writeFileSync('处罚.csv', encodeGbk('行政相对人名称,处罚类别\r\n…'));
 */

let table: Map<number, number> | null = null;

function gbkTable(): Map<number, number> {
  if (table) return table;
  const map = new Map<number, number>();
  const dec = new TextDecoder('gbk');
  const pair = new Uint8Array(2);
  for (let lead = 0x81; lead <= 0xfe; lead++) {
    for (let trail = 0x40; trail <= 0xfe; trail++) {
      if (trail === 0x7f) continue;
      pair[0] = lead;
      pair[1] = trail;
      const s = dec.decode(pair);
      if (s.length !== 1 || s === '\ufffd') continue;
      const cp = s.charCodeAt(0);
      // first mapping wins (a few code points decode from two byte pairs)
      if (!map.has(cp)) map.set(cp, (lead << 8) | trail);
    }
  }
  table = map;
  return map;
}

/** The text as GBK bytes. Throws on a character outside GBK (e.g. an emoji). */
export function encodeGbk(text: string): Buffer {
  const map = gbkTable();
  const out = Buffer.allocUnsafe(text.length * 2);
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      out[o++] = c;
      continue;
    }
    const g = map.get(c);
    if (g === undefined) {
      throw new Error(
        `encodeGbk: 「${text.slice(i, i + 2)}」(U+${c.toString(16).toUpperCase()}) 不能用 GBK 编码`,
      );
    }
    out[o++] = g >> 8;
    out[o++] = g & 0xff;
  }
  return out.subarray(0, o);
}
