/**
 * The editor's documents → the one document model (./model.ts), for the docx writer.
 *
 * The editor is TipTap 3 on a Yjs document; main/core/docs/pm.ts gives its content as ProseMirror
 * JSON. Node types handled (anything else degrades to its text, never to an error):
 *   paragraph (attrs.textAlign)      → paragraph (first-line indent by the writer; typed leading
 *                                      spaces and 全角空格 are dropped so the indent is not doubled)
 *   heading (attrs.level 1–4)        → heading, level + headingShift clamped to 1..4; the writer numbers
 *                                      it 一、/（一）/1./（1）, so a number typed or pasted at the start is
 *                                      dropped; an empty heading is left out (it would print a bare "二、")
 *   text + marks bold/italic/underline/strike/link → runs (a link keeps its text; printed documents
 *                                      carry no hyperlinks); hardBreak → "\n" in a run
 *   bulletList / orderedList (attrs.start) / listItem → list, nested; a list item's further
 *                                      paragraphs continue it on new lines; a table or image inside
 *                                      an item follows that item and the list continues after it
 *   blockquote                       → its content; horizontalRule → a blank line
 *   table / tableRow / tableHeader / tableCell (colspan, rowspan, colwidth) → table: leading rows of
 *                                      header cells are header rows, a header cell elsewhere is bold,
 *                                      merges map to colSpan/rowSpan, widths come from colwidth (px);
 *                                      a ragged table is squared up instead of refused
 *   image (src "cwb-blob:<sha256>" or a PNG/JPEG data: URL, width px) → image at that width (96 dpi),
 *                                      capped by the writer; a missing or unreadable image becomes a
 *                                      centred paragraph "[图片缺失：…]" so the export never fails on it
 *   pageBreak                        → page break
 *
 * pmToBlocks is pure (images come through resolveImage); materialToDocx reads a material of a
 * workspace and builds the whole document (title + content + meta).
 */
import { MATERIAL_TYPE_LABEL } from '../contract/labels';
import type { PmMarkJson, PmNodeJson } from '../contract/materials';
import { readBlob } from '../blobs/blobs';
import { docJson } from '../docs/store';
import { getMaterial } from '../materials/materials';
import type { Workspace } from '../workspace/workspace';
import { imagePixelSize, sniffImageMime } from './images';
import { listMarker } from './numbering';
import {
  doc,
  pageBreak,
  paragraph,
  title,
  type Align,
  type Block,
  type DocModel,
  type HeadingLevel,
  type ImageBlock,
  type ListBlock,
  type ListItem,
  type Run,
  type TableBlock,
  type TableCell,
  type TableColumn,
} from './model';

export interface ResolvedImage {
  data: Uint8Array;
  /** What the store knows of the type; the bytes' own signature decides. */
  mime?: string;
}

export interface PmToBlocksOptions {
  /** The bytes of an image stored as a blob (src "cwb-blob:<sha256>"), or null when it is not there. */
  resolveImage(sha256: string): ResolvedImage | null;
  /** Added to every heading level (clamped to 1..4): 2 nests a material's 一、 under a section's （一）. */
  headingShift?: number;
}

export const BLOB_SRC_PREFIX = 'cwb-blob:';

const LIST_TYPES = new Set(['bulletList', 'orderedList']);
const BLOCK_TYPES = new Set([
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'horizontalRule',
  'table',
  'image',
  'pageBreak',
]);
const ALIGNS = new Set<Align>(['left', 'center', 'right', 'justify']);
/** Spaces people type to indent by hand (the writer indents two characters itself). */
const LEADING_SPACE = /^[ \t\u00a0\u3000]+/;
const TRAILING_SPACE = /[ \t\u00a0\u3000]+$/;
/**
 * A heading number typed or pasted by hand: 一、 （一） 1. 1、 （1）. Headings carry no number text
 * (the writer numbers them), so one at the start would print twice ("一、一、总体情况").
 */
const MANUAL_NUMBER =
  /^(?:[一二三四五六七八九十百零]{1,4}[、．]|[（(][一二三四五六七八九十百零]{1,4}[）)]|\d{1,3}(?:[、．]|\.(?!\d))|[（(]\d{1,3}[）)])[ \t\u3000]*/;
const PX_TO_MM = 25.4 / 96;

type Piece = { kind: 'runs'; runs: Run[] } | { kind: 'block'; block: Block };

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown): number | null => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
};

/** Plain text of any node (unknown nodes degrade to this). */
export function pmText(n: PmNodeJson): string {
  if (n.type === 'text') return n.text ?? '';
  if (n.type === 'hardBreak') return '\n';
  const inner = (n.content ?? []).map(pmText);
  const blocky = (n.content ?? []).some((c) => BLOCK_TYPES.has(c.type) || c.type === 'tableRow');
  const own = inner.length ? '' : str(n.attrs?.label) || str(n.attrs?.text);
  return blocky ? inner.join('\n') : inner.join('') + own;
}

function sameStyle(a: Run, b: Run): boolean {
  return (
    !!a.bold === !!b.bold &&
    !!a.italic === !!b.italic &&
    !!a.underline === !!b.underline &&
    !!a.strike === !!b.strike
  );
}

function runOf(text: string, marks: readonly PmMarkJson[] | undefined): Run {
  const r: Run = { text };
  for (const m of marks ?? []) {
    if (m.type === 'bold') r.bold = true;
    else if (m.type === 'italic') r.italic = true;
    else if (m.type === 'underline') r.underline = true;
    else if (m.type === 'strike') r.strike = true;
    // link, code, textStyle, highlight …: the text is kept, the mark is not printed
  }
  return r;
}

/** Merges neighbouring runs of the same style and drops empty ones. */
function mergeRuns(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    if (r.text === '') continue;
    const last = out[out.length - 1];
    if (last && sameStyle(last, r)) last.text += r.text;
    else out.push({ ...r });
  }
  return out;
}

/** Drops typed spaces at the start and end of a line of runs. */
function trimRuns(runs: Run[]): Run[] {
  const out = runs.map((r) => ({ ...r }));
  while (out.length && (out[0]!.text = out[0]!.text.replace(LEADING_SPACE, '')) === '') out.shift();
  while (
    out.length &&
    (out[out.length - 1]!.text = out[out.length - 1]!.text.replace(TRAILING_SPACE, '')) === ''
  )
    out.pop();
  return out;
}

const runsText = (runs: readonly Run[]) => runs.map((r) => r.text).join('');

/** Width in 字: Latin letters and digits half, CJK and full-width punctuation whole (as the writer counts). */
function textWidthInChars(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    w += c < 0x2e80 && !(c >= 0x2010 && c <= 0x201f) ? 0.5 : 1;
  }
  return w;
}

function alignOf(attrs: PmNodeJson['attrs']): Align | undefined {
  const a = str(attrs?.textAlign);
  return ALIGNS.has(a as Align) ? (a as Align) : undefined;
}

function decodeDataUrl(src: string): Uint8Array | null {
  const m = /^data:image\/(?:png|jpe?g);base64,([A-Za-z0-9+/=\s]+)$/i.exec(src);
  return m ? new Uint8Array(Buffer.from(m[1] ?? '', 'base64')) : null;
}

/**
 * Column widths (in 字) from each column's longest line: short columns (序号, 状态, a name) get their
 * full width so they never wrap, long ones share what is left in proportion; if even the short ones do
 * not fit, everything is proportional. `pt` is the table's text size.
 */
function contentWidths(longest: readonly number[], pt: number): number[] {
  const line = 156 / ((pt * 25.4) / 72); // characters across the 156 mm text width
  const natural = longest.map((n) => Math.max(2, n) + 0.8); // + the cell padding
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= line) return natural;
  const short = natural.map((w) => w <= 8.8);
  const fixed = natural.reduce((a, w, i) => a + (short[i] ? w : 0), 0);
  const flexible = total - fixed;
  const room = line - fixed;
  if (flexible <= 0 || room < 3 * short.filter((x) => !x).length)
    return natural.map((w) => Math.min(w, 18.8));
  return natural.map((w, i) => (short[i] ? w : (w / flexible) * room));
}

class Converter {
  private readonly shift: number;

  constructor(private readonly opts: PmToBlocksOptions) {
    this.shift = Math.trunc(opts.headingShift ?? 0);
  }

  blocks(nodes: readonly PmNodeJson[] | undefined, out: Block[] = []): Block[] {
    for (const n of nodes ?? []) this.block(n, out);
    return out;
  }

  private block(n: PmNodeJson, out: Block[]): void {
    switch (n.type) {
      case 'paragraph':
        this.paragraph(n, out);
        return;
      case 'heading':
        this.heading(n, out);
        return;
      case 'bulletList':
      case 'orderedList':
        this.list(n, out);
        return;
      case 'listItem':
        // a list item outside a list: its content
        this.blocks(n.content, out);
        return;
      case 'blockquote':
        this.blocks(n.content, out);
        return;
      case 'horizontalRule':
        out.push(paragraph([], { indent: 0 }));
        return;
      case 'table':
        this.table(n, out);
        return;
      case 'image':
        out.push(this.image(n));
        return;
      case 'pageBreak':
        out.push(pageBreak());
        return;
      case 'text':
      case 'hardBreak':
        // inline content at block level (a malformed document): one paragraph of it
        this.paragraph({ type: 'paragraph', content: [n] }, out);
        return;
      default: {
        // Unknown: a container of known blocks keeps them; anything else becomes its text.
        if ((n.content ?? []).some((c) => BLOCK_TYPES.has(c.type))) {
          this.blocks(n.content, out);
          return;
        }
        const text = pmText(n).trim();
        if (text) out.push(paragraph(text));
      }
    }
  }

  /** Inline content as runs, split where a block (an inline image) sits among them. */
  private inline(nodes: readonly PmNodeJson[] | undefined, inCell = false): Piece[] {
    const pieces: Piece[] = [];
    let runs: Run[] = [];
    const flush = () => {
      if (runs.length) pieces.push({ kind: 'runs', runs: mergeRuns(runs) });
      runs = [];
    };
    const walk = (list: readonly PmNodeJson[] | undefined, outer: readonly PmMarkJson[]) => {
      for (const n of list ?? []) {
        if (n.type === 'text') runs.push(runOf(n.text ?? '', [...outer, ...(n.marks ?? [])]));
        else if (n.type === 'hardBreak') runs.push({ text: '\n' });
        else if (n.type === 'image') {
          if (inCell) runs.push({ text: `[图片${str(n.attrs?.alt) ? `：${str(n.attrs?.alt)}` : ''}]` });
          else {
            flush();
            pieces.push({ kind: 'block', block: this.image(n) });
          }
        } else if (n.content?.length) walk(n.content, [...outer, ...(n.marks ?? [])]);
        else {
          const text = pmText(n);
          if (text) runs.push(runOf(text, [...outer, ...(n.marks ?? [])]));
        }
      }
    };
    walk(nodes, []);
    flush();
    return pieces;
  }

  private paragraph(n: PmNodeJson, out: Block[]): void {
    const pieces = this.inline(n.content);
    const align = alignOf(n.attrs);
    const opts = align ? { align } : {};
    if (pieces.length === 0) {
      out.push(paragraph([], opts)); // an empty paragraph: a blank line, as in the editor
      return;
    }
    for (const p of pieces) {
      if (p.kind === 'block') out.push(p.block);
      else {
        const runs = trimRuns(p.runs);
        // a line that only held spaces around an image is not a paragraph of its own
        if (runs.length || pieces.length === 1) out.push(paragraph(runs, opts));
      }
    }
  }

  private heading(n: PmNodeJson, out: Block[]): void {
    const given = Math.round(num(n.attrs?.level) ?? 1);
    const level = Math.min(4, Math.max(1, given + this.shift)) as HeadingLevel;
    const after: Block[] = [];
    const runs: Run[] = [];
    for (const p of this.inline(n.content)) {
      if (p.kind === 'block') after.push(p.block);
      else runs.push(...(runs.length ? [{ text: '\n' }] : []), ...p.runs);
    }
    const trimmed = trimRuns(mergeRuns(runs));
    const first = trimmed[0];
    if (first) {
      first.text = first.text.replace(MANUAL_NUMBER, '');
      if (first.text === '') trimmed.shift();
    }
    if (runsText(trimmed).trim() !== '') {
      const block: Block = { type: 'heading', level, runs: trimmed };
      out.push(block);
    }
    out.push(...after);
  }

  // ------------------------------------------------------------------------------------ lists

  private list(n: PmNodeJson, out: Block[]): void {
    const ordered = n.type === 'orderedList';
    let start = ordered ? Math.max(1, Math.floor(num(n.attrs?.start) ?? 1)) : 1;
    const fresh = (): ListBlock => ({ type: 'list', ordered, items: [], ...(start !== 1 ? { start } : {}) });
    let current = fresh();
    for (const item of n.content ?? []) {
      const hoisted: Block[] = [];
      const li = this.listItem(item, hoisted);
      if (li) current.items.push(li);
      if (hoisted.length) {
        // a table or an image inside the item follows it; the list then continues with the next number
        if (current.items.length) out.push(current);
        out.push(...hoisted);
        if (ordered) start += current.items.length;
        current = fresh();
      }
    }
    if (current.items.length) out.push(current);
  }

  private nestedList(n: PmNodeJson, hoisted: Block[]): ListBlock {
    const ordered = n.type === 'orderedList';
    const start = ordered ? Math.max(1, Math.floor(num(n.attrs?.start) ?? 1)) : 1;
    const items = (n.content ?? []).map((c) => this.listItem(c, hoisted)).filter((x): x is ListItem => !!x);
    return { type: 'list', ordered, items, ...(start !== 1 ? { start } : {}) };
  }

  private listItem(item: PmNodeJson, hoisted: Block[]): ListItem | null {
    const lines: Run[][] = [];
    let children: ListBlock | undefined;
    const take = (nodes: readonly PmNodeJson[] | undefined) => {
      for (const c of nodes ?? []) {
        if (c.type === 'paragraph' || c.type === 'heading' || c.type === 'text' || c.type === 'hardBreak') {
          const inline = c.type === 'text' || c.type === 'hardBreak' ? [c] : c.content;
          for (const p of this.inline(inline)) {
            if (p.kind === 'block') hoisted.push(p.block);
            else lines.push(trimRuns(p.runs));
          }
        } else if (LIST_TYPES.has(c.type)) {
          const nested = this.nestedList(c, hoisted);
          if (!children) children = nested;
          else children.items.push(...nested.items);
        } else if (c.type === 'blockquote' || c.type === 'listItem') {
          take(c.content);
        } else {
          this.block(c, hoisted);
        }
      }
    };
    take(item.type === 'listItem' ? item.content : [item]);
    const runs = mergeRuns(lines.filter((l) => l.length).flatMap((l, i) => (i ? [{ text: '\n' }, ...l] : l)));
    if (runs.length === 0 && !children?.items.length) return null;
    return children?.items.length ? { runs, children } : { runs };
  }

  // ----------------------------------------------------------------------------------- tables

  /** A cell's content as runs: paragraphs and list items on lines of their own. */
  private cellRuns(cell: PmNodeJson): Run[] {
    const lines: Run[][] = [];
    const walk = (nodes: readonly PmNodeJson[] | undefined, depth: number) => {
      for (const c of nodes ?? []) {
        if (c.type === 'paragraph' || c.type === 'heading') {
          for (const p of this.inline(c.content, true)) if (p.kind === 'runs') lines.push(trimRuns(p.runs));
        } else if (LIST_TYPES.has(c.type)) {
          const ordered = c.type === 'orderedList';
          const start = ordered ? Math.max(1, Math.floor(num(c.attrs?.start) ?? 1)) : 1;
          (c.content ?? []).forEach((li, i) => {
            const at = lines.length;
            walk(li.content, depth + 1);
            const first = lines[at];
            const marker = listMarker(ordered, depth, start + i);
            if (first) first.unshift({ text: ordered ? marker : `${marker} ` });
          });
        } else if (c.type === 'image') {
          lines.push([{ text: `[图片${str(c.attrs?.alt) ? `：${str(c.attrs?.alt)}` : ''}]` }]);
        } else if (c.type === 'table') {
          for (const row of c.content ?? [])
            lines.push([{ text: (row.content ?? []).map((x) => pmText(x).trim()).join('　') }]);
        } else if (c.type === 'blockquote' || (c.content ?? []).some((x) => BLOCK_TYPES.has(x.type))) {
          walk(c.content, depth);
        } else {
          const text = pmText(c).trim();
          if (text) lines.push([{ text }]);
        }
      }
    };
    walk(cell.content, 0);
    return mergeRuns(lines.filter((l) => l.length).flatMap((l, i) => (i ? [{ text: '\n' }, ...l] : l)));
  }

  private table(n: PmNodeJson, out: Block[]): void {
    const rows = (n.content ?? []).filter((r) => r.type === 'tableRow' && (r.content ?? []).length > 0);
    if (rows.length === 0) return;
    // Lay the cells on a grid (ProseMirror, like HTML, omits the positions a rowspan covers) and
    // square it up: spans are cut where they would overlap or run off the table, short rows padded.
    interface Placed {
      node: PmNodeJson;
      col: number;
      colSpan: number;
      rowSpan: number;
      /** Cells that did not fit the grid (a ragged row): their content joins this one. */
      extra: PmNodeJson[];
    }
    const span = (v: unknown) => Math.max(1, Math.floor(num(v) ?? 1));
    /** Places the cells; with `cap`, no cell runs past that many columns. Returns the columns needed. */
    const layout = (cap: number | null): { placed: Placed[][]; need: number } => {
      const covered = new Map<number, number>(); // column → rows still covered from above
      const placed: Placed[][] = [];
      let need = 0;
      rows.forEach((row, r) => {
        const line: Placed[] = [];
        let col = 0;
        const isCovered = (c: number) => (covered.get(c) ?? 0) > 0;
        for (const cellNode of row.content ?? []) {
          while (isCovered(col)) col++;
          const last = line[line.length - 1];
          if (cap !== null && col >= cap && last) {
            last.extra.push(cellNode);
            continue;
          }
          let colSpan = span(cellNode.attrs?.colspan);
          if (cap !== null) colSpan = Math.max(1, Math.min(colSpan, cap - col));
          for (let k = 1; k < colSpan; k++) {
            if (isCovered(col + k)) {
              colSpan = k;
              break;
            }
          }
          const rowSpan = Math.min(span(cellNode.attrs?.rowspan), rows.length - r);
          line.push({ node: cellNode, col, colSpan, rowSpan, extra: [] });
          // a row needs a column for each of its cells; a span alone does not widen the table
          need = Math.max(need, col + 1);
          col += colSpan;
        }
        for (const [c, left] of covered) if (left > 0) need = Math.max(need, c + 1);
        // this row's rowspans cover the rows below
        for (const [c, left] of [...covered]) covered.set(c, left - 1);
        for (const p of line) for (let k = 0; k < p.colSpan; k++) covered.set(p.col + k, p.rowSpan - 1);
        placed.push(line);
      });
      return { placed, need };
    };
    const width = Math.max(1, layout(null).need);
    const { placed } = layout(width);
    // header rows: the leading rows made only of header cells
    let headerRows = 0;
    while (headerRows < placed.length && placed[headerRows]!.every((p) => p.node.type === 'tableHeader'))
      headerRows++;
    if (headerRows === placed.length) headerRows = Math.min(1, placed.length - 1);
    // column widths from colwidth (px per spanned column), where the editor recorded them
    const widths: (number | undefined)[] = new Array<number | undefined>(width).fill(undefined);
    for (const line of placed) {
      for (const p of line) {
        const cw = p.node.attrs?.colwidth;
        if (!Array.isArray(cw)) continue;
        cw.forEach((w, k) => {
          const v = num(w);
          if (v !== null && v > 0 && p.col + k < width && widths[p.col + k] === undefined)
            widths[p.col + k] = v;
        });
      }
    }
    // the model's rows: cells in order, padded where a row stops short of the grid
    const coveredBelow = new Map<number, number>();
    const longest = new Array<number>(width).fill(0);
    const modelRows = placed.map((line, r) => {
      const cells: TableCell[] = [];
      let col = 0;
      const at = new Map(line.map((p) => [p.col, p]));
      while (col < width) {
        if ((coveredBelow.get(col) ?? 0) > 0) {
          col++;
          continue;
        }
        const p = at.get(col);
        if (!p) {
          cells.push({ content: '' });
          col++;
          continue;
        }
        const runs = mergeRuns(
          [p.node, ...p.extra]
            .map((x) => this.cellRuns(x))
            .filter((x) => x.length)
            .flatMap((x, i) => (i ? [{ text: '\n' }, ...x] : x)),
        );
        if (p.colSpan === 1)
          for (const line of runsText(runs).split('\n'))
            longest[p.col] = Math.max(longest[p.col] ?? 0, textWidthInChars(line));
        const cell: TableCell = { content: runs.length ? runs : '' };
        if (p.colSpan > 1) cell.colSpan = p.colSpan;
        if (p.rowSpan > 1) cell.rowSpan = p.rowSpan;
        if (p.node.type === 'tableHeader' && r >= headerRows) cell.bold = true;
        const firstPara = (p.node.content ?? []).find((c) => c.type === 'paragraph');
        const align = firstPara ? alignOf(firstPara.attrs) : undefined;
        if (align) cell.align = align;
        cells.push(cell);
        col += p.colSpan;
      }
      for (const [c, left] of [...coveredBelow]) coveredBelow.set(c, left - 1);
      for (const p of line) for (let k = 0; k < p.colSpan; k++) coveredBelow.set(p.col + k, p.rowSpan - 1);
      return cells;
    });
    // Without any recorded width (a table never resized in the editor) the columns share the width by
    // their longest line, within limits: a 序号 column stays narrow, a 任务名称 column gets room.
    if (!widths.some((w) => w !== undefined))
      contentWidths(longest, width >= 6 ? 12 : 14).forEach((w, i) => (widths[i] = w));
    const columns: TableColumn[] = widths.map((w) => (w === undefined ? {} : { width: w }));
    const block: TableBlock = {
      type: 'table',
      columns,
      rows: modelRows,
      headerRows,
      ...(width >= 6 ? { fontSize: 'xiaosi' as const } : {}),
    };
    out.push(block);
  }

  // ----------------------------------------------------------------------------------- images

  private image(n: PmNodeJson): Block {
    const src = str(n.attrs?.src);
    const alt = str(n.attrs?.alt).trim() || str(n.attrs?.title).trim();
    const sha = src.startsWith(BLOB_SRC_PREFIX) ? src.slice(BLOB_SRC_PREFIX.length) : '';
    const label =
      alt ||
      (sha ? `${sha.slice(0, 8)}…` : src.startsWith('data:') ? '粘贴的图片' : src.slice(0, 60) || '图片');
    const placeholder = (what: string) => paragraph(`[${what}：${label}]`, { align: 'center', indent: 0 });
    let data: Uint8Array | null = null;
    if (sha) {
      try {
        data = this.opts.resolveImage(sha)?.data ?? null;
      } catch {
        data = null;
      }
    } else if (src.startsWith('data:')) data = decodeDataUrl(src);
    if (!data) return placeholder('图片缺失');
    const mime = sniffImageMime(data);
    if (!mime) return placeholder('图片缺失（仅支持 PNG、JPEG 格式）');
    try {
      imagePixelSize(data, mime);
    } catch {
      return placeholder('图片缺失（文件已损坏）');
    }
    const widthPx = num(n.attrs?.width);
    const block: ImageBlock = { type: 'image', data, mime };
    if (widthPx !== null && widthPx > 0) block.widthMm = widthPx * PX_TO_MM;
    if (alt) block.alt = alt;
    const caption = str(n.attrs?.caption).trim();
    if (caption) block.caption = caption;
    return block;
  }
}

/** ProseMirror JSON (a doc node, or any node) → blocks of the document model. */
export function pmToBlocks(json: PmNodeJson, opts: PmToBlocksOptions): Block[] {
  const c = new Converter(opts);
  const blocks = json.type === 'doc' ? c.blocks(json.content) : c.blocks([json]);
  // blank lines at the very start or end of a document only push the content around
  const blank = (b: Block | undefined) => b?.type === 'paragraph' && runsText(b.runs).trim() === '';
  while (blank(blocks[0])) blocks.shift();
  while (blank(blocks[blocks.length - 1])) blocks.pop();
  // A picture right under a table would sit on its bottom border (LibreOffice paints it over the
  // line): one blank line between them.
  for (let i = blocks.length - 1; i > 0; i--) {
    if (blocks[i]?.type === 'image' && blocks[i - 1]?.type === 'table')
      blocks.splice(i, 0, paragraph([], { indent: 0 }));
  }
  return blocks;
}

/** The text of a paragraph or heading block ('' for other blocks). */
export function blockText(b: Block | undefined): string {
  return b && (b.type === 'paragraph' || b.type === 'heading') ? runsText(b.runs) : '';
}

const squash = (s: string) => s.replace(/[\s\u3000《》“”"]/g, '');

/** Drops a first paragraph or heading that only repeats the document's title (templates often start with it). */
export function dropRepeatedTitle(blocks: Block[], documentTitle: string): Block[] {
  const first = blocks[0];
  if (
    first &&
    (first.type === 'paragraph' || first.type === 'heading') &&
    squash(blockText(first)) === squash(documentTitle)
  )
    return blocks.slice(1);
  return blocks;
}

/** Images of a workspace's documents, from its blob store (null when the file is not on this machine). */
export function blobImages(ws: Workspace): PmToBlocksOptions['resolveImage'] {
  return (sha) => {
    if (!/^[0-9a-f]{64}$/.test(sha)) return null;
    try {
      return { data: readBlob(ws.dir, sha) };
    } catch {
      return null;
    }
  };
}

/** A material as a document: its title as the document title, its content, its meta. */
export function materialToDocx(ws: Workspace, id: string, now: Date = new Date()): DocModel {
  const m = getMaterial(ws, id);
  const blocks = dropRepeatedTitle(pmToBlocks(docJson(ws, id), { resolveImage: blobImages(ws) }), m.title);
  return doc(
    {
      title: m.title,
      created: now,
      subject: MATERIAL_TYPE_LABEL[m.type],
      ...(m.ownerName ? { creator: m.ownerName } : {}),
      ...(m.tags.length ? { keywords: m.tags } : {}),
    },
    [title(m.title), ...blocks],
  );
}
