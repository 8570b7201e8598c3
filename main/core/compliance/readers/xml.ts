/**
 * Small XML pieces for the streamed xlsx reader: entity and _xHHHH_ unescaping, the text of a
 * shared/inline string (plain <t>, rich-text runs <r><t>, without phonetic <rPh> runs), and
 * attribute values of short start tags. Everything works on index ranges of a bigger string.
 */

const ENTITY = /&(?:#x([0-9a-fA-F]+)|#([0-9]+)|(amp|lt|gt|quot|apos));/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

function fromCodePoint(cp: number): string {
  return cp >= 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
}

/** Unescapes XML entities and OOXML's _xHHHH_ escapes (e.g. _x000D_ for a carriage return). */
export function unescapeXml(s: string): string {
  if (s.indexOf('&') >= 0) {
    s = s.replace(ENTITY, (_m, hex: string | undefined, dec: string | undefined, name: string | undefined) =>
      hex !== undefined
        ? fromCodePoint(parseInt(hex, 16))
        : dec !== undefined
          ? fromCodePoint(parseInt(dec, 10))
          : (NAMED[name as string] as string),
    );
  }
  if (s.indexOf('_x') >= 0)
    s = s.replace(OOXML_ESCAPE, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return s;
}

/**
 * The text of the <t> elements in text[from, to), skipping those inside <rPh> (phonetic runs),
 * unescaped. `tOpen` is '<t' (or '<x:t' with a namespace prefix).
 */
export function collectText(text: string, from: number, to: number, prefix: string): string {
  const tOpen = `<${prefix}t`;
  const tClose = `</${prefix}t>`;
  const rPhOpen = `<${prefix}rPh`;
  const rPhClose = `</${prefix}rPh>`;
  let out = '';
  let p = from;
  while (p < to) {
    const t = text.indexOf(tOpen, p);
    if (t < 0 || t >= to) break;
    const after = text.charCodeAt(t + tOpen.length);
    // '<t>' / '<t xml:space…>' / '<t/>', not '<tab'…
    if (
      after !== 62 /* > */ &&
      after !== 32 &&
      after !== 47 /* / */ &&
      after !== 9 &&
      after !== 10 &&
      after !== 13
    ) {
      p = t + tOpen.length;
      continue;
    }
    const ph = text.indexOf(rPhOpen, p);
    if (ph >= 0 && ph < t) {
      const phEnd = text.indexOf(rPhClose, ph);
      p = phEnd < 0 ? to : phEnd + rPhClose.length;
      continue;
    }
    const gt = text.indexOf('>', t);
    if (gt < 0 || gt >= to) break;
    if (text.charCodeAt(gt - 1) === 47) {
      p = gt + 1; // <t/>
      continue;
    }
    const end = text.indexOf(tClose, gt);
    if (end < 0 || end > to) break;
    out += text.substring(gt + 1, end);
    p = end + tClose.length;
  }
  return unescapeXml(out);
}

/** The value of attribute `name` in the start tag text[from, to) (e.g. a <sheet …/> tag), or null. */
export function attr(tag: string, name: string): string | null {
  const re = new RegExp(`(?:^|\\s)${name.replace(/[:]/g, '\\:')}\\s*=\\s*("([^"]*)"|'([^']*)')`);
  const m = re.exec(tag);
  if (!m) return null;
  return unescapeXml(m[2] ?? m[3] ?? '');
}

/** The start tags `<name …>` (any namespace prefix) in a small XML text, in order. */
export function startTags(xml: string, localName: string): string[] {
  const re = new RegExp(`<(?:[A-Za-z_][\\w.-]*:)?${localName}(?=[\\s/>])[^>]*>`, 'g');
  return xml.match(re) ?? [];
}
