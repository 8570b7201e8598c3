/**
 * Cleaning of HTML pasted into the editor from Word, WPS, Excel or a web page, before
 * ProseMirror parses it (editorProps.transformPastedHTML). Pure string processing, no DOM, so
 * it runs (and is tested) in Node as well:
 *
 * - keeps the structure an official document needs: headings (<h1>–<h4>, Word's 标题 1–4 /
 *   "Heading n" styles, mso-outline-level), paragraphs, lists, tables (with merged cells and
 *   header cells), bold / italic / underline / strike, links, page breaks and inline images;
 * - turns Word's pseudo-lists (MsoListParagraph with mso-list and a typed marker) into real
 *   lists, or into headings when the marker is a 公文 heading number (一、 / （一）);
 * - drops everything else: mso-* styles, classes, fonts, colours, spans, comments, <o:p>,
 *   VML, conditional comments, typed heading numbers (the editor numbers headings itself) and
 *   the spaces Word users type to indent a first line (the editor indents by itself).
 */

// ---------------------------------------------------------------- a small HTML tree

export interface HtmlElement {
  kind: 'el';
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
}
interface HtmlText {
  kind: 'text';
  text: string;
}
interface HtmlComment {
  kind: 'comment';
  text: string;
}
export type HtmlNode = HtmlElement | HtmlText | HtmlComment;

const VOID = new Set([
  'area',
  'base',
  'br',
  'col',
  'embed',
  'hr',
  'img',
  'input',
  'link',
  'meta',
  'param',
  'source',
  'track',
  'wbr',
]);
const RAW_TEXT = new Set(['style', 'script', 'xml', 'title', 'textarea', 'noscript', 'template']);
/** Elements whose start implicitly closes an open <p> (as browsers do). */
const CLOSES_P = new Set([
  'p',
  'div',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'ul',
  'ol',
  'li',
  'table',
  'blockquote',
  'pre',
  'hr',
  'dl',
  'dt',
  'dd',
  'section',
  'article',
]);

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: '\u00a0',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  middot: '·',
  bull: '•',
  copy: '©',
  reg: '®',
  times: '×',
  divide: '÷',
  deg: '°',
  plusmn: '±',
  sect: '§',
  para: '¶',
  laquo: '«',
  raquo: '»',
};

export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/gi, (m, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff) return m;
      try {
        return String.fromCodePoint(code);
      } catch {
        return m;
      }
    }
    return NAMED_ENTITIES[body.toLowerCase()] ?? m;
  });
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string) => escapeText(s).replace(/"/g, '&quot;');

function parseAttrs(src: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const re = /([^\s"'<>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(src))) {
    const name = (m[1] ?? '').toLowerCase();
    if (!name || name in attrs) continue;
    attrs[name] = decodeEntities(m[2] ?? m[3] ?? m[4] ?? '');
  }
  return attrs;
}

/** Parses tag soup into a tree, closing elements the way browsers imply for p, li, td and tr. */
export function parseHtml(html: string): HtmlElement {
  const root: HtmlElement = { kind: 'el', tag: '#root', attrs: {}, children: [] };
  const stack: HtmlElement[] = [root];
  const top = () => stack[stack.length - 1] ?? root;
  const closeTo = (i: number) => {
    stack.length = Math.max(1, i);
  };
  /** Index of the nearest open element named `tag`, not looking past a `barrier` element. */
  const openIndex = (tags: readonly string[], barriers: readonly string[]) => {
    for (let i = stack.length - 1; i > 0; i--) {
      const t = stack[i]?.tag ?? '';
      if (tags.includes(t)) return i;
      if (barriers.includes(t)) return -1;
    }
    return -1;
  };
  let i = 0;
  const n = html.length;
  while (i < n) {
    const lt = html.indexOf('<', i);
    if (lt < 0 || lt > i) {
      const end = lt < 0 ? n : lt;
      top().children.push({ kind: 'text', text: decodeEntities(html.slice(i, end)) });
      i = end;
      continue;
    }
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      const text = html.slice(i + 4, end < 0 ? n : end);
      top().children.push({ kind: 'comment', text });
      i = end < 0 ? n : end + 3;
      continue;
    }
    if (html.startsWith('<![', i)) {
      // Word's "downlevel-revealed" conditionals: <![if !supportLists]> … <![endif]>
      const end = html.indexOf(']>', i);
      top().children.push({ kind: 'comment', text: `[${html.slice(i + 3, end < 0 ? n : end)}]` });
      i = end < 0 ? n : end + 2;
      continue;
    }
    if (html.startsWith('<!', i) || html.startsWith('<?', i)) {
      const end = html.indexOf('>', i);
      i = end < 0 ? n : end + 1;
      continue;
    }
    const endTag = /^<\/([a-zA-Z][\w:.-]*)[^>]*>/.exec(html.slice(i, i + 200));
    if (endTag) {
      const tag = (endTag[1] ?? '').toLowerCase();
      for (let k = stack.length - 1; k > 0; k--) {
        if (stack[k]?.tag === tag) {
          closeTo(k);
          break;
        }
      }
      i += endTag[0].length;
      continue;
    }
    const startTag = /^<([a-zA-Z][\w:.-]*)/.exec(html.slice(i, i + 100));
    if (!startTag) {
      top().children.push({ kind: 'text', text: '<' });
      i++;
      continue;
    }
    // find the end of the tag, skipping quoted attribute values
    let j = i + startTag[0].length;
    let quote = '';
    for (; j < n; j++) {
      const c = html[j];
      if (quote) {
        if (c === quote) quote = '';
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '>') break;
    }
    const rawAttrs = html.slice(i + startTag[0].length, j);
    i = j + 1;
    const tag = (startTag[1] ?? '').toLowerCase();
    const el: HtmlElement = {
      kind: 'el',
      tag,
      attrs: parseAttrs(rawAttrs.replace(/\/\s*$/, '')),
      children: [],
    };

    if (CLOSES_P.has(tag)) {
      const p = openIndex(['p'], ['td', 'th', 'li', 'table', 'blockquote']);
      if (p > 0) closeTo(p);
    }
    if (tag === 'li') {
      const li = openIndex(['li'], ['ul', 'ol', 'table']);
      if (li > 0) closeTo(li);
    }
    if (tag === 'td' || tag === 'th') {
      const cell = openIndex(['td', 'th'], ['tr', 'table']);
      if (cell > 0) closeTo(cell);
    }
    if (tag === 'tr') {
      const tr = openIndex(['tr'], ['table']);
      if (tr > 0) closeTo(tr);
    }
    top().children.push(el);
    if (VOID.has(tag) || /\/\s*$/.test(rawAttrs)) continue;
    if (RAW_TEXT.has(tag)) {
      const close = html.toLowerCase().indexOf(`</${tag}`, i);
      el.children.push({ kind: 'text', text: html.slice(i, close < 0 ? n : close) });
      const gt = close < 0 ? n : html.indexOf('>', close);
      i = gt < 0 ? n : gt + 1;
      continue;
    }
    stack.push(el);
  }
  return root;
}

// ---------------------------------------------------------------- Word specifics

/** Class name → Word style name, from the <style> blocks' mso-style-name declarations. */
export function wordStyleNames(css: string): Map<string, string> {
  const out = new Map<string, string>();
  const rule = /([^{}]+)\{([^}]*)\}/g;
  let m: RegExpExecArray | null;
  while ((m = rule.exec(css))) {
    const name = /mso-style-name:\s*"?([^";]+)"?/i.exec(m[2] ?? '')?.[1];
    if (!name) continue;
    const clean = name
      .replace(/\\,.*$/, '')
      .replace(/\\/g, '')
      .trim();
    for (const sel of (m[1] ?? '').split(',')) {
      const cls = /\.([\w-]+)\s*$/.exec(sel.trim())?.[1];
      if (cls) out.set(cls.toLowerCase(), clean);
    }
  }
  return out;
}

/** "标题 2", "Heading 2", "heading 2,H2" → 2 (levels above 4 count as 4); anything else → 0. */
export function headingLevelOfStyle(name: string): number {
  const m = /^(?:heading|标题)\s*(\d)\b/i.exec(name.trim());
  if (!m) return 0;
  const n = Number(m[1]);
  return n >= 1 ? Math.min(n, 4) : 0;
}

const CN = '[一二三四五六七八九十百零〇]+';
export type MarkerKind = 'cn-dun' | 'cn-paren' | 'arabic-dot' | 'arabic-paren' | 'circled' | 'bullet';

/** What a typed or list-generated number looks like: 一、 （一） 1. （1） ① or a bullet. */
export function markerKind(marker: string): MarkerKind {
  const m = marker.replace(/[\s\u00a0\u3000]+/g, '');
  if (new RegExp(`^${CN}[、.．]$`).test(m)) return 'cn-dun';
  if (new RegExp(`^[（(]${CN}[)）][、.．]?$`).test(m)) return 'cn-paren';
  if (/^\d+[.．、]$/.test(m) || /^\d+[)）]$/.test(m)) return 'arabic-dot';
  if (/^[（(]\d+[)）]$/.test(m)) return 'arabic-paren';
  if (/^[①-⑳]$/.test(m)) return 'circled';
  return 'bullet';
}

/** The number a marker shows (1 for 一、 and ①), or 1 when there is none. */
function markerNumber(marker: string): number {
  const d = /\d+/.exec(marker);
  if (d) return Number(d[0]);
  const c = /[①-⑳]/.exec(marker);
  if (c) return (c[0].codePointAt(0) ?? 0x2460) - 0x2460 + 1;
  const cn = new RegExp(CN).exec(marker)?.[0];
  return cn ? cnNumber(cn) : 1;
}

function cnNumber(s: string): number {
  const digit: Record<string, number> = {
    零: 0,
    〇: 0,
    一: 1,
    二: 2,
    三: 3,
    四: 4,
    五: 5,
    六: 6,
    七: 7,
    八: 8,
    九: 9,
  };
  let total = 0;
  let cur = 0;
  for (const ch of s) {
    if (ch === '十' || ch === '百') {
      total += (cur || 1) * (ch === '十' ? 10 : 100);
      cur = 0;
    } else cur = digit[ch] ?? 0;
  }
  return total + cur || 1;
}

/** A number typed at the start of a heading ("一、", "（二）", "3.", "（4）"). */
const TYPED_NUMBER = new RegExp(
  `^[\\s\\u00a0\\u3000]*(?:${CN}[、.．]|[（(]${CN}[)）][、.．]?|\\d+[.．、](?!\\d)|[（(]\\d+[)）])[\\s\\u00a0\\u3000]*`,
);

function styleOf(el: HtmlElement): string {
  return (el.attrs.style ?? '').toLowerCase();
}

// ---------------------------------------------------------------- cleaning

interface Ctx {
  styles: Map<string, string>;
  droppedImages: number;
}

/** A cleaned block with what the grouping step needs to know about it. */
interface Block extends HtmlElement {
  /** A Word list paragraph: its level (1-based) and typed marker. */
  list?: { level: number; marker: string };
  /** A page break (serialized as <div data-page-break>). */
  pageBreak?: boolean;
}

const DROP = new Set([
  'style',
  'script',
  'xml',
  'meta',
  'link',
  'title',
  'head',
  'object',
  'embed',
  'iframe',
  'noscript',
  'template',
  'button',
  'input',
  'select',
  'textarea',
  'option',
  'svg',
  'canvas',
  'colgroup',
  'col',
  'video',
  'audio',
  'map',
]);
const INLINE_MARK: Record<string, string> = {
  b: 'strong',
  strong: 'strong',
  i: 'em',
  em: 'em',
  u: 'u',
  ins: '',
  s: 's',
  strike: 's',
};
const BLOCKS = new Set([
  'p',
  'h1',
  'h2',
  'h3',
  'h4',
  'ul',
  'ol',
  'li',
  'table',
  'tr',
  'td',
  'th',
  'blockquote',
  'hr',
]);

const isPageBreakStyle = (style: string) =>
  /page-break-(?:before|after)\s*:\s*always|break-before\s*:\s*page/.test(style);

function el(tag: string, children: HtmlNode[] = [], attrs: Record<string, string> = {}): Block {
  return { kind: 'el', tag, attrs, children };
}

function textOf(nodes: readonly HtmlNode[]): string {
  let s = '';
  for (const n of nodes) {
    if (n.kind === 'text') s += n.text;
    else if (n.kind === 'el') s += n.tag === 'br' ? '\n' : textOf(n.children);
  }
  return s;
}

function hasContent(nodes: readonly HtmlNode[]): boolean {
  for (const n of nodes) {
    if (n.kind === 'text' && /[^\s\u00a0\u3000]/.test(n.text)) return true;
    if (n.kind === 'el' && (n.tag === 'img' || n.tag === 'hr' || hasContent(n.children))) return true;
  }
  return false;
}

/** Removes Word's list-number markup from a paragraph's children and returns its text. */
function takeListMarker(children: HtmlNode[]): { marker: string; rest: HtmlNode[] } {
  let marker = '';
  const rest: HtmlNode[] = [];
  let inMarker = false;
  const walk = (nodes: HtmlNode[], out: HtmlNode[]) => {
    for (const n of nodes) {
      if (n.kind === 'comment') {
        if (/\[if\s+!supportLists\]/i.test(n.text)) inMarker = true;
        else if (/\[endif\]/i.test(n.text)) inMarker = false;
        continue;
      }
      if (inMarker) {
        marker += n.kind === 'el' ? textOf(n.children) : n.text;
        continue;
      }
      if (n.kind === 'el' && /mso-list\s*:\s*ignore/.test(styleOf(n))) {
        marker += textOf(n.children);
        continue;
      }
      if (n.kind === 'el') {
        const copy: HtmlElement = { ...n, children: [] };
        walk(n.children, copy.children);
        out.push(copy);
      } else out.push(n);
    }
  };
  walk(children, rest);
  return { marker: marker.replace(/[\s\u00a0\u3000]+/g, ' ').trim(), rest };
}

function imageOf(n: HtmlElement, ctx: Ctx): Block | null {
  const src = n.attrs.src ?? '';
  if (!/^(?:data:image\/(?:png|jpe?g|gif|webp|bmp);base64,|cwb-blob:[0-9a-f]{64}$)/i.test(src)) {
    ctx.droppedImages++;
    return null;
  }
  const attrs: Record<string, string> = { src };
  if (n.attrs.alt) attrs.alt = n.attrs.alt;
  if (n.attrs.title) attrs.title = n.attrs.title;
  const style = styleOf(n);
  const w = Number(n.attrs.width ?? /(?:^|;)\s*width\s*:\s*([\d.]+)px/.exec(style)?.[1] ?? NaN);
  const h = Number(n.attrs.height ?? /(?:^|;)\s*height\s*:\s*([\d.]+)px/.exec(style)?.[1] ?? NaN);
  if (w > 0) attrs.width = String(Math.round(w));
  if (h > 0) attrs.height = String(Math.round(h));
  return el('img', [], attrs);
}

/** Cleans a list of nodes (inline or block) into allowed elements. */
function cleanNodes(nodes: readonly HtmlNode[], ctx: Ctx): HtmlNode[] {
  const out: HtmlNode[] = [];
  for (const n of nodes) {
    if (n.kind === 'text') {
      if (n.text) out.push(n);
      continue;
    }
    if (n.kind === 'comment') continue;
    out.push(...cleanElement(n, ctx));
  }
  return out;
}

function cleanElement(n: HtmlElement, ctx: Ctx): HtmlNode[] {
  const tag = n.tag;
  const style = styleOf(n);
  if (DROP.has(tag) || tag.includes(':')) {
    // namespaced Office markup (o:p, v:shape, w:sdt …): keep only a structured-document tag's content
    if (tag === 'w:sdt' || tag === 'w:sdtpr' || tag === 'w:sdtcontent') return cleanNodes(n.children, ctx);
    if (tag === 'v:imagedata' || tag === 'v:shape') ctx.droppedImages += tag === 'v:imagedata' ? 1 : 0;
    return [];
  }
  if (tag === 'del' && (n.attrs.cite !== undefined || n.attrs.datetime !== undefined)) return [];
  if (tag === 'br') {
    if (isPageBreakStyle(style)) return [pageBreak()];
    return [el('br')];
  }
  if (tag === 'img') {
    const img = imageOf(n, ctx);
    return img ? [img] : [];
  }
  if (tag === 'hr') return [isPageBreakStyle(style) ? pageBreak() : el('hr')];
  if (tag === 'div' && n.attrs['data-page-break'] !== undefined) return [pageBreak()];

  const children = cleanNodes(n.children, ctx);

  if (tag in INLINE_MARK || tag === 'span' || tag === 'font' || tag === 'del') {
    let mark = INLINE_MARK[tag] ?? (tag === 'del' ? 's' : '');
    if (mark === 'strong' && /font-weight\s*:\s*(?:normal|[1-4]00)\b/.test(style)) mark = '';
    let wrapped: HtmlNode[] = children;
    const marks: string[] = [];
    if (mark) marks.push(mark);
    if (/font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b/.test(style)) marks.push('strong');
    if (/font-style\s*:\s*italic/.test(style)) marks.push('em');
    if (/text-decoration[^;]*underline/.test(style)) marks.push('u');
    if (/text-decoration[^;]*line-through/.test(style)) marks.push('s');
    if (isPageBreakStyle(style)) wrapped = [pageBreak(), ...wrapped];
    for (const m of [...new Set(marks)].reverse()) {
      if (!hasContent(wrapped)) break;
      wrapped = [el(m, wrapped)];
    }
    return wrapped;
  }
  if (tag === 'a') {
    const href = n.attrs.href ?? '';
    return /^(?:https?:|mailto:)/i.test(href) ? [el('a', children, { href })] : children;
  }

  const block = (t: string, attrs: Record<string, string> = {}): Block => el(t, children, attrs);
  switch (tag) {
    case 'p':
    case 'h1':
    case 'h2':
    case 'h3':
    case 'h4':
    case 'h5':
    case 'h6': {
      let level = /^h\d$/.test(tag) ? Math.min(Number(tag[1]), 4) : 0;
      const cls = (n.attrs.class ?? '').toLowerCase();
      if (!level && cls) {
        const styleName = ctx.styles.get(cls);
        if (styleName) level = headingLevelOfStyle(styleName);
        else {
          const m = /^msoheading(\d)$/.exec(cls);
          if (m) level = Math.min(Number(m[1]), 4);
        }
      }
      if (!level) {
        const ol = /mso-outline-level\s*:\s*(\d)/.exec(style);
        if (ol) level = Math.min(Number(ol[1]), 4);
      }
      const listed = /mso-list\s*:\s*(l\d+)\s+level(\d)/.exec(style);
      const out: Block = block(level ? `h${level}` : 'p');
      if (listed || /^msolistparagraph/.test(cls)) {
        const { marker, rest } = takeListMarker(n.children);
        out.children = cleanNodes(rest, ctx);
        if (marker || listed) out.list = { level: Number(listed?.[2] ?? 1), marker };
      }
      if (isPageBreakStyle(style)) return [pageBreak(), ...splitPageBreaks(out)];
      return splitPageBreaks(out);
    }
    case 'div':
    case 'section':
    case 'article':
    case 'header':
    case 'footer':
    case 'main':
    case 'aside':
    case 'nav':
    case 'center':
    case 'dt':
    case 'dd':
    case 'figcaption':
    case 'caption':
    case 'pre': {
      // a container of blocks is unwrapped; one of text only becomes a paragraph
      const hasBlock = children.some((c) => c.kind === 'el' && (BLOCKS.has(c.tag) || (c as Block).pageBreak));
      const out = hasBlock ? children : splitPageBreaks(block('p'));
      return isPageBreakStyle(style) ? [pageBreak(), ...out] : out;
    }
    case 'ul':
      return [block('ul')];
    case 'ol': {
      const start = Number(n.attrs.start ?? 1);
      return [block('ol', start > 1 ? { start: String(start) } : {})];
    }
    case 'li':
    case 'blockquote':
    case 'table':
    case 'tr':
      return [block(tag)];
    case 'td':
    case 'th': {
      const attrs: Record<string, string> = {};
      const colspan = Number(n.attrs.colspan ?? 1);
      const rowspan = Number(n.attrs.rowspan ?? 1);
      if (colspan > 1) attrs.colspan = String(colspan);
      if (rowspan > 1) attrs.rowspan = String(rowspan);
      return [block(tag, attrs)];
    }
    case 'thead':
      // header rows: their cells are header cells
      return children.map((c) =>
        c.kind === 'el' && c.tag === 'tr'
          ? {
              ...c,
              children: c.children.map((x) => (x.kind === 'el' && x.tag === 'td' ? { ...x, tag: 'th' } : x)),
            }
          : c,
      );
    default:
      // tbody, tfoot, html, body, label, sup, sub, small, abbr, a without href …: keep the content
      return children;
  }
}

function pageBreak(): Block {
  return { ...el('div', [], { 'data-page-break': '' }), pageBreak: true };
}

/** A paragraph holding a page break becomes paragraph, break, paragraph. */
function splitPageBreaks(p: Block): Block[] {
  const idx = p.children.findIndex((c) => c.kind === 'el' && (c as Block).pageBreak);
  if (idx < 0) return [p];
  const before: Block = { ...p, children: p.children.slice(0, idx) };
  const after: Block = { ...p, list: undefined, children: p.children.slice(idx + 1) };
  return [before, pageBreak(), ...splitPageBreaks(after)];
}

// ---------------------------------------------------------------- text tidying

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/**
 * Line breaks of the HTML source (Word wraps its HTML at about 80 columns, also inside Chinese
 * text): nothing next to a CJK character, one space between other characters. Neighbours are
 * looked up across the text nodes, in document order.
 */
function tidyText(nodes: HtmlNode[]): void {
  const texts: HtmlText[] = [];
  const collect = (list: HtmlNode[]) => {
    for (const n of list) {
      if (n.kind === 'text') texts.push(n);
      else if (n.kind === 'el') collect(n.children);
    }
  };
  collect(nodes);
  const all = texts.map((t) => t.text).join('');
  let offset = 0;
  for (const t of texts) {
    const base = offset;
    offset += t.text.length;
    if (!/[\r\n]/.test(t.text)) continue;
    t.text = t.text.replace(/[ \t]*\r?\n[ \t]*/g, (m, at: number) => {
      const prev = all[base + at - 1] ?? '';
      const next = all[base + at + m.length] ?? '';
      if (!prev || !next || /\s/.test(prev) || /\s/.test(next)) return '';
      return CJK.test(prev) || CJK.test(next) ? '' : ' ';
    });
  }
}

/** Removes leading (or trailing) whitespace of a block, through its inline descendants. */
function trimEdge(nodes: HtmlNode[], side: 'start' | 'end'): boolean {
  const order = side === 'start' ? nodes : [...nodes].reverse();
  for (const n of order) {
    if (n.kind === 'text') {
      n.text =
        side === 'start'
          ? n.text.replace(/^[\s\u00a0\u3000]+/, '')
          : n.text.replace(/[\s\u00a0\u3000]+$/, '');
      if (n.text) return true;
    } else if (n.kind === 'el') {
      if (n.tag === 'br' && side === 'end') {
        n.tag = '#drop';
        continue;
      }
      if (n.tag === 'img' || n.tag === 'br') return true;
      if (trimEdge(n.children, side)) return true;
    }
  }
  return false;
}

/** Removes a typed number at the start of a block's text; returns it ('' when there is none). */
function stripTypedNumber(nodes: HtmlNode[]): string {
  for (const n of nodes) {
    if (n.kind === 'text') {
      if (!n.text) continue;
      const m = TYPED_NUMBER.exec(n.text);
      if (!m) return '';
      n.text = n.text.slice(m[0].length);
      return m[0].trim();
    }
    if (n.kind === 'el') {
      if (n.tag === 'img' || n.tag === 'br') return '';
      if (!hasContent(n.children)) continue;
      return stripTypedNumber(n.children);
    }
  }
  return '';
}

/** A short line that reads as a heading (no sentence inside it). */
function headingLike(text: string): boolean {
  const t = text.trim();
  return t.length > 0 && t.length <= 40 && !/[。；！？]./.test(t);
}

// ---------------------------------------------------------------- grouping into lists

/** Turns Word list paragraphs into lists (or headings), recursively inside containers. */
function structure(nodes: HtmlNode[]): HtmlNode[] {
  const out: HtmlNode[] = [];
  let run: Block[] = [];
  const flush = () => {
    if (run.length) out.push(...buildLists(run));
    run = [];
  };
  for (const n of nodes) {
    if (n.kind !== 'el') {
      if (n.kind === 'text' && !/[^\s\u00a0\u3000]/.test(n.text)) continue; // source formatting
      flush();
      out.push(n);
      continue;
    }
    const b = n as Block;
    if (b.tag !== '#drop' && ['td', 'th', 'li', 'blockquote', 'table', 'tr', 'ul', 'ol'].includes(b.tag)) {
      b.children = structure(b.children);
    }
    if (b.list && /^(?:p|h[1-4])$/.test(b.tag)) {
      const kind = markerKind(b.list.marker);
      const text = textOf(b.children);
      if ((kind === 'cn-dun' || kind === 'cn-paren') && b.tag === 'p' && headingLike(text)) {
        flush();
        b.tag = kind === 'cn-dun' ? 'h1' : 'h2';
        out.push(b);
        continue;
      }
      if (kind === 'cn-dun' || kind === 'cn-paren' || b.tag !== 'p') {
        // a long 一、 paragraph keeps its number as text; a heading with a list number stays a heading
        flush();
        if (b.tag === 'p' && b.list.marker) b.children.unshift({ kind: 'text', text: b.list.marker });
        out.push(b);
        continue;
      }
      run.push(b);
      continue;
    }
    flush();
    out.push(b);
  }
  flush();
  return out;
}

/** Consecutive Word list paragraphs → nested <ol>/<ul> by their level. */
function buildLists(items: Block[]): Block[] {
  const roots: Block[] = [];
  const stack: { list: Block; level: number }[] = [];
  for (const item of items) {
    const level = item.list?.level ?? 1;
    const marker = item.list?.marker ?? '';
    const kind = markerKind(marker);
    const tag = kind === 'bullet' ? 'ul' : 'ol';
    while (stack.length && (stack[stack.length - 1]?.level ?? 0) > level) stack.pop();
    let cur = stack[stack.length - 1];
    if (cur && cur.level === level && cur.list.tag !== tag) {
      stack.pop();
      cur = stack[stack.length - 1];
    }
    if (!cur || cur.level < level) {
      const start = tag === 'ol' ? markerNumber(marker) : 1;
      const list = el(tag, [], start > 1 ? { start: String(start) } : {});
      const parentLi = cur?.list.children[cur.list.children.length - 1];
      if (cur && parentLi?.kind === 'el') parentLi.children.push(list);
      else roots.push(list);
      cur = { list, level };
      stack.push(cur);
    }
    const p: Block = { ...item, tag: 'p', list: undefined };
    cur.list.children.push(el('li', [p]));
  }
  return roots;
}

// ---------------------------------------------------------------- final pass and output

/** Typed numbers off headings, typed indents off paragraphs, 一、/（一） lines into headings, empties out. */
function finish(nodes: HtmlNode[], inCell: boolean): HtmlNode[] {
  const out: HtmlNode[] = [];
  for (const n of nodes) {
    if (n.kind !== 'el') {
      // whitespace between blocks is source formatting
      if (n.kind === 'text' && /[^\s\u00a0\u3000]/.test(n.text)) out.push(n);
      continue;
    }
    if (n.tag === '#drop') continue;
    const container = ['td', 'th', 'li', 'blockquote', 'table', 'tr', 'ul', 'ol'].includes(n.tag);
    if (container) {
      n.children = finish(n.children, n.tag === 'td' || n.tag === 'th' || n.tag === 'li' || inCell);
      if (n.tag === 'td' || n.tag === 'th' || n.tag === 'li') {
        if (!n.children.some((c) => c.kind === 'el' && (BLOCKS.has(c.tag) || c.tag === 'div'))) {
          n.children = [el('p', n.children)];
        }
      }
      if ((n.tag === 'ul' || n.tag === 'ol') && n.children.length === 0) continue;
      if (n.tag === 'tr' && !n.children.some((c) => c.kind === 'el' && (c.tag === 'td' || c.tag === 'th')))
        continue;
      if (n.tag === 'table' && !n.children.some((c) => c.kind === 'el' && c.tag === 'tr')) continue;
      out.push(n);
      continue;
    }
    if (/^(?:p|h[1-4])$/.test(n.tag)) {
      trimEdge(n.children, 'start');
      trimEdge(n.children, 'end');
      if (n.tag !== 'p') stripTypedNumber(n.children);
      else if (!inCell) {
        const probe = JSON.parse(JSON.stringify(n.children)) as HtmlNode[];
        const num = stripTypedNumber(probe);
        const kind = num ? markerKind(num) : null;
        if ((kind === 'cn-dun' || kind === 'cn-paren') && headingLike(textOf(probe))) {
          n.tag = kind === 'cn-dun' ? 'h1' : 'h2';
          n.children = probe;
        }
      }
      trimEdge(n.children, 'start');
      if (!hasContent(n.children)) continue; // empty lines Word users type for spacing
      out.push(n);
      continue;
    }
    out.push(n);
  }
  return out;
}

function serialize(nodes: readonly HtmlNode[]): string {
  let s = '';
  for (const n of nodes) {
    if (n.kind === 'text') s += escapeText(n.text);
    else if (n.kind === 'el') {
      if (n.tag === '#drop' || n.tag === '#root') {
        s += serialize(n.children);
        continue;
      }
      const attrs = Object.entries(n.attrs)
        .map(([k, v]) => (v === '' ? ` ${k}` : ` ${k}="${escapeAttr(v)}"`))
        .join('');
      s += `<${n.tag}${attrs}>`;
      if (VOID.has(n.tag)) continue;
      s += serialize(n.children);
      s += `</${n.tag}>`;
    }
  }
  return s;
}

export interface CleanResult {
  html: string;
  /** Images that could not be kept (Word's local file:// pictures, remote pictures). */
  droppedImages: number;
  /** The input came from this editor itself (kept as it is). */
  internal: boolean;
}

/** Cleans pasted HTML (see the file comment). */
export function cleanPastedHtml(html: string): CleanResult {
  // ProseMirror's own clipboard (copy inside the editor): already clean, and it carries the slice depth
  if (/data-pm-slice=/.test(html)) return { html, droppedImages: 0, internal: true };
  const tree = parseHtml(html);
  let css = '';
  const collectCss = (nodes: HtmlNode[]) => {
    for (const n of nodes) {
      if (n.kind !== 'el') continue;
      if (n.tag === 'style') css += textOf(n.children);
      else collectCss(n.children);
    }
  };
  collectCss(tree.children);
  const ctx: Ctx = { styles: wordStyleNames(css), droppedImages: 0 };
  // Word wraps the copied part in <!--StartFragment--> … <!--EndFragment-->; the rest is context
  const cleaned = cleanNodes(tree.children, ctx);
  tidyText(cleaned);
  const structured = finish(structure(cleaned), false);
  return { html: serialize(structured), droppedImages: ctx.droppedImages, internal: false };
}

/** Plain text pasted: the spaces typed to indent first lines go (the editor indents by itself). */
export function cleanPastedText(text: string): string {
  return text.replace(/^[ \t\u00a0\u3000]+/gm, '');
}
