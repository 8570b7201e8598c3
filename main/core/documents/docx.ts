/**
 * The one docx writer: DocModel (./model.ts) → .docx bytes, laid out with the GB/T 9704-2012 preset.
 *
 * The preset (constants and their arithmetic in ./gbt9704.ts, DOMAIN.md §6):
 * - A4 210 × 297 mm; margins top 37, bottom 35, left 28, right 26 mm → 版心 156 × 225 mm.
 * - A document grid of 22 lines × 28 characters (w:docGrid linesAndChars, linePitch 579, charSpace −842);
 *   body lines have an exact 28.95 pt height, so each is one grid row.
 * - Title 2号 (22 pt) 方正小标宋简体, centred. Body 3号 (16 pt) 仿宋_GB2312, justified, first line indented
 *   two characters. Headings 3号: level 1 黑体, level 2 楷体_GB2312, levels 3–4 仿宋_GB2312, numbered
 *   一、/（一）/1./（1）, bold only with the headingBold option. Digits and Latin in Times New Roman.
 * - Page numbers "— n —" in 4号 宋体, odd pages right and even pages left with one character of space;
 *   none on the cover (or on a table of contents that opens the document), the body starts at "— 1 —".
 * - Tables full width with single black borders, header rows bold and repeated on each page, text 仿宋
 *   四号 (14 pt): 三号 leaves too few characters per cell in a six-column table, and 四号 is the size the
 *   standard itself uses for secondary text (抄送, 印发); 小四 (12 pt) on request for dense tables.
 * - A real TOC field (levels 1–2), prefilled with the headings when written, refreshed with page numbers
 *   by Word/WPS on open (settings updateFields). LibreOffice shows the prefilled entries without page
 *   numbers until Tools ▸ Update ▸ Update All (the tests do that through a macro and check the numbers).
 * - Fonts are named as GB documents name them, with fallbacks in the font table (see gbt9704.ts).
 *
 * Layout choices that make Word and LibreOffice agree (both verified in test/unit/documents-render):
 * grid-snapped text is scaled to 98% (GRID_GLYPH_SCALE), indents are whole LibreOffice grid cells
 * (CHAR_TWIPS), and centred or right-aligned single lines (title, captions, 落款) are off the grid.
 *
 * How reports use it (model.ts has the block types; the constructors only save typing):
 *
 *   import { doc, heading, paragraph, signature, table, title } from '../documents/model';
 *   import { renderDocx } from '../documents/docx';
 *
 *   const model = doc({ title: '每周工作调度报告（第12周）', creator: '市信用办', created: now }, [
 *     title('琼海市社会信用体系建设', '每周工作调度报告（第12周）'),
 *     heading(1, '总体进展'), // → "一、总体进展" in 黑体
 *     paragraph('本周共调度任务126项，已办结98项，办结率77.8%。'),
 *     heading(2, '各单位完成情况'), // → "（一）各单位完成情况" in 楷体_GB2312
 *     table(
 *       [{ width: 3 }, { width: 1, align: 'center' }, { width: 1, align: 'center' }],
 *       [['单位', '任务数', '已办结'], ['市发展和改革委员会', 12, 10]],
 *       { caption: '表1 各单位任务完成情况' },
 *     ),
 *     signature('琼海市社会信用体系建设领导小组办公室', '2027-03-31'), // 2027年3月31日
 *   ]);
 *   const bytes: Buffer = await renderDocx(model); // write it with the usual atomic file write
 *
 * A document with a cover page: doc(meta, blocks, { cover: { organisation, title: ['评审材料汇编'],
 * issuer, date: '2027-03' } }); start blocks with toc() for a table of contents on its own pages.
 * Invalid input (a table row that does not fill the columns, an image that is not a PNG/JPEG, a date
 * that does not exist) throws AppError('BAD_INPUT') with a Chinese message.
 *
 * Rendering is deterministic for a given model (the created date comes from meta.created).
 *
 * The editor's documents (ProseMirror JSON) become this model through ./from-prosemirror.ts
 * (pmToBlocks, materialToDocx); the 自评报告 and 评审材料汇编 are built in main/core/materials/reports.ts.
 */
import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  HeadingLevel,
  ImageRun,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  SectionType,
  Table,
  TableCell,
  TableLayoutType,
  TableOfContents,
  TableRow,
  TextRun,
  VerticalAlign,
  VerticalMergeType,
  WidthType,
  type FileChild,
  type IParagraphOptions,
  type IRunOptions,
  type ISectionOptions,
} from 'docx';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { AppError } from '../util/errors';
import {
  CHAR_PITCH,
  CHAR_SPACE,
  CHAR_TWIPS,
  FONT,
  FONT_PT,
  FOOTER_DISTANCE,
  LINE_PITCH,
  MARGIN,
  PAGE,
  PAGE_NUMBER_SPACE,
  STYLE,
  TABLE,
  TEXT_HEIGHT,
  TEXT_WIDTH,
  TWIPS_PER_MM,
  fontTableXml,
  stylesXml,
} from './gbt9704';
import { imagePixelSize } from './images';
import {
  resolveOptions,
  type Align,
  type AttachmentHeadingBlock,
  type AttachmentNoteBlock,
  type Block,
  type CellInput,
  type CoverPage,
  type DocModel,
  type DocOptions,
  type HeadingBlock,
  type ImageBlock,
  type ListBlock,
  type Run,
  type SignatureBlock,
  type TableBlock,
  type TableCell as ModelCell,
  type TocBlock,
} from './model';
import { HeadingCounter, formatChineseDate, listMarker } from './numbering';

type AlignValue = (typeof AlignmentType)[keyof typeof AlignmentType];
type HeadingValue = (typeof HeadingLevel)[keyof typeof HeadingLevel];

const ALIGN: Record<Align, AlignValue> = {
  left: AlignmentType.LEFT,
  center: AlignmentType.CENTER,
  right: AlignmentType.RIGHT,
  justify: AlignmentType.BOTH,
};

const HEADING: Record<1 | 2 | 3 | 4, HeadingValue> = {
  1: HeadingLevel.HEADING_1,
  2: HeadingLevel.HEADING_2,
  3: HeadingLevel.HEADING_3,
  4: HeadingLevel.HEADING_4,
};

const DEFAULT_CREATOR = '信用创建工作台';
const TOC_TITLE = '目　录';

/** Latin letters and digits take half a 字, everything else (CJK, full-width punctuation) a whole one. */
export function textWidthInChars(s: string): number {
  let w = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    w += c < 0x2e80 && !(c >= 0x2010 && c <= 0x201f) ? 0.5 : 1;
  }
  return w;
}

/** Indent of n 字 in twips (see CHAR_TWIPS: on LibreOffice's grid cell, Word's within 0.1 pt). */
const chars = (n: number) => Math.floor(n * CHAR_TWIPS);

function runOptions(r: Run, base: Partial<IRunOptions>): IRunOptions[] {
  return r.text.split('\n').map((text, i) => ({
    ...base,
    text,
    ...(r.bold !== undefined ? { bold: r.bold } : {}),
    ...(r.italic ? { italics: true } : {}),
    ...(r.underline ? { underline: {} } : {}),
    ...(r.strike ? { strike: true } : {}),
    ...(i > 0 ? { break: 1 } : {}),
  }));
}

function textRuns(runs: readonly Run[], base: Partial<IRunOptions> = {}): TextRun[] {
  return runs.flatMap((r) => runOptions(r, base)).map((o) => new TextRun(o));
}

/** Run formatting that puts text in the body font whatever the paragraph style says (run-in text). */
const BODY_FONT: Partial<IRunOptions> = {
  font: { ascii: FONT.latin, hAnsi: FONT.latin, cs: FONT.latin, eastAsia: FONT.body },
  bold: false,
};

/** Builds the children of one section, tracking page breaks that attach to the next paragraph. */
class SectionBuilder {
  readonly children: FileChild[] = [];
  private pendingBreak = false;

  paragraph(options: IParagraphOptions): void {
    if (this.pendingBreak) {
      this.pendingBreak = false;
      this.children.push(new Paragraph({ ...options, pageBreakBefore: true }));
    } else {
      this.children.push(new Paragraph(options));
    }
  }

  /** A table (or TOC) cannot carry pageBreakBefore: an empty paragraph takes the break. */
  block(child: FileChild): void {
    if (this.pendingBreak) {
      this.pendingBreak = false;
      this.children.push(new Paragraph({ pageBreakBefore: true, children: [] }));
    }
    this.children.push(child);
  }

  pageBreak(): void {
    // A break at the very start of a section, or two in a row, adds nothing.
    if (this.children.length > 0) this.pendingBreak = true;
  }

  /** An empty line (空一行) on the grid. */
  blankLine(): void {
    this.paragraph({ children: [] });
  }
}

class DocxWriter {
  private readonly counter: HeadingCounter;

  constructor(options: DocOptions) {
    this.counter = new HeadingCounter(options.headingNumbering);
  }

  /** `next` is the block that follows, for spacing that depends on it. */
  block(s: SectionBuilder, b: Block, next?: Block): void {
    // A byline sits right under the title; the blank line (标题下空一行) then follows the byline.
    const blankAfter = next?.type === 'subtitle' && next.role === 'byline' ? 0 : LINE_PITCH;
    switch (b.type) {
      case 'title':
        s.paragraph({
          style: STYLE.title,
          spacing: { after: blankAfter },
          children: b.lines.map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}) })),
        });
        return;
      case 'subtitle':
        if (b.role === 'addressee') {
          s.paragraph({ alignment: AlignmentType.LEFT, children: textRuns(b.runs) });
        } else {
          s.paragraph({ style: STYLE.byline, spacing: { after: blankAfter }, children: textRuns(b.runs) });
        }
        return;
      case 'heading':
        this.heading(s, b);
        return;
      case 'paragraph': {
        const indent = b.indent ?? (b.align === 'center' || b.align === 'right' ? 0 : 2);
        s.paragraph({
          ...(b.align ? { alignment: ALIGN[b.align] } : {}),
          ...(indent > 0
            ? { indent: { firstLine: chars(indent), firstLineChars: Math.round(indent * 100) } }
            : {}),
          ...(b.keepNext ? { keepNext: true } : {}),
          children: textRuns(b.runs),
        });
        return;
      }
      case 'list':
        this.list(s, b, 0);
        return;
      case 'table':
        this.table(s, b);
        return;
      case 'image':
        this.image(s, b);
        return;
      case 'pageBreak':
        s.pageBreak();
        return;
      case 'toc':
        this.toc(s, b);
        return;
      case 'signature':
        this.signature(s, b);
        return;
      case 'attachmentNote':
        this.attachmentNote(s, b);
        return;
      case 'attachmentHeading':
        this.attachmentHeading(s, b);
        return;
    }
  }

  private heading(s: SectionBuilder, b: HeadingBlock): void {
    const label = this.counter.next(b.level, b.numbered !== false);
    const children: TextRun[] = [];
    if (label) children.push(new TextRun({ text: label }));
    children.push(...textRuns(b.runs));
    if (b.runIn?.length) children.push(...textRuns(b.runIn, BODY_FONT));
    // A heading with run-in text is a paragraph of its own, not a title that must stay with the next one.
    s.paragraph({ heading: HEADING[b.level], ...(b.runIn?.length ? { keepNext: false } : {}), children });
  }

  private list(s: SectionBuilder, b: ListBlock, depth: number): void {
    b.items.forEach((item, i) => {
      const marker = listMarker(b.ordered, depth, (b.start ?? 1) + i);
      s.paragraph({
        indent: { left: chars(depth * 2), firstLine: chars(2), firstLineChars: 200 },
        children: [new TextRun({ text: b.ordered ? marker : `${marker} ` }), ...textRuns(item.runs)],
      });
      if (item.children) this.list(s, item.children, depth + 1);
    });
  }

  private table(s: SectionBuilder, b: TableBlock): void {
    if (b.caption) {
      s.paragraph({ style: STYLE.caption, keepNext: true, children: [new TextRun(b.caption)] });
    }
    s.block(buildTable(b));
  }

  private image(s: SectionBuilder, b: ImageBlock): void {
    const px = imagePixelSize(b.data, b.mime);
    const naturalMm = (px.width / 96) * 25.4;
    const maxWidthMm = TEXT_WIDTH / TWIPS_PER_MM;
    // Leave two lines of the 版心 for the caption and the line above.
    const maxHeightMm = (TEXT_HEIGHT - 2 * LINE_PITCH) / TWIPS_PER_MM;
    let widthMm = Math.min(b.widthMm ?? naturalMm, maxWidthMm);
    let heightMm = (widthMm * px.height) / px.width;
    if (heightMm > maxHeightMm) {
      widthMm = (widthMm * maxHeightMm) / heightMm;
      heightMm = maxHeightMm;
    }
    const toPx = (mm: number) => Math.max(1, Math.round((mm / 25.4) * 96 * 100) / 100);
    const text = b.alt ?? b.caption ?? '图片';
    s.paragraph({
      style: STYLE.figure,
      keepNext: Boolean(b.caption),
      children: [
        new ImageRun({
          type: b.mime === 'image/png' ? 'png' : 'jpg',
          data: b.data,
          transformation: { width: toPx(widthMm), height: toPx(heightMm) },
          altText: { name: text, description: text, title: text },
        }),
      ],
    });
    if (b.caption) s.paragraph({ style: STYLE.caption, children: [new TextRun(b.caption)] });
  }

  toc(s: SectionBuilder, b: TocBlock): void {
    s.paragraph({
      style: STYLE.title,
      spacing: { after: LINE_PITCH },
      children: [new TextRun(b.title ?? TOC_TITLE)],
    });
    s.block(
      new TableOfContents('目录', {
        hyperlink: true,
        headingStyleRange: `1-${b.levels ?? 2}`,
      }),
    );
  }

  private signature(s: SectionBuilder, b: SignatureBlock): void {
    // GB/T 9704 7.3.5.1: 成文日期 右空四字, 发文机关署名 centred over the date; a name longer than that
    // allows keeps 右空二字 and the date is centred under it instead. The lines are centred in one box
    // that ends at the right margin and is symmetric about the common axis, so the name stays centred
    // over the date however wide the renderer sets them (LibreOffice adds space between digits and
    // Chinese that Word may not); only the axis comes from the estimated widths.
    const date = formatChineseDate(b.date);
    const dateW = textWidthInChars(date);
    const widest = Math.max(...b.organisations.map(textWidthInChars), 0);
    let dateRight = 4;
    if (dateRight + (dateW - widest) / 2 < 2) dateRight = 2 + (widest - dateW) / 2;
    const axisFromRight = dateRight + dateW / 2;
    const left = Math.max(0, TEXT_WIDTH - Math.round(2 * axisFromRight * CHAR_PITCH));
    s.paragraph({ keepNext: true, children: [] });
    for (const org of b.organisations) {
      s.paragraph({ style: STYLE.signature, keepNext: true, indent: { left }, children: [new TextRun(org)] });
    }
    s.paragraph({ style: STYLE.signature, indent: { left }, children: [new TextRun(date)] });
  }

  private attachmentHeading(s: SectionBuilder, b: AttachmentHeadingBlock): void {
    // GB/T 9704 7.5: 另面编排; "附件" 3号黑体 顶格 on the first line, the title centred on the third.
    s.pageBreak();
    s.paragraph({
      alignment: AlignmentType.LEFT,
      keepNext: true,
      children: [new TextRun({ text: b.label, font: { eastAsia: FONT.hei } })],
    });
    s.paragraph({
      style: STYLE.title,
      spacing: { before: LINE_PITCH, after: LINE_PITCH },
      children: b.title.map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}) })),
    });
  }

  private attachmentNote(s: SectionBuilder, b: AttachmentNoteBlock): void {
    // GB/T 9704 7.3.4: 正文下空一行左空二字 "附件：", numbered 1. 2. …; wrapped names align with the
    // first character of the name; no punctuation after a name.
    const names = b.items.map((n) => n.trim().replace(/[。．.，,；;、：:]+$/u, ''));
    if (names.length === 0) return;
    s.blankLine();
    if (names.length === 1) {
      s.paragraph({
        alignment: AlignmentType.LEFT,
        indent: { left: chars(5), hanging: chars(3) },
        children: [new TextRun(`附件：${names[0] ?? ''}`)],
      });
      return;
    }
    const slot = names.length >= 10 ? 1.5 : 1;
    names.forEach((name, i) => {
      const first = i === 0;
      s.paragraph({
        alignment: AlignmentType.LEFT,
        keepNext: i < names.length - 1,
        indent: { left: chars(5 + slot), hanging: chars(first ? 3 + slot : slot) },
        children: [
          new TextRun(`${first ? '附件：' : ''}${i + 1}.`),
          new TextRun({ children: ['\t'] }),
          new TextRun(name),
        ],
      });
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Tables
// ---------------------------------------------------------------------------------------------

function toCell(c: CellInput): ModelCell {
  return typeof c === 'object' ? c : { content: String(c) };
}

/** Column widths in twips from proportions, summing exactly to the text width. */
export function columnWidthsTwips(columns: TableBlock['columns']): number[] {
  const given = columns.map((c) => c.width).filter((w): w is number => w !== undefined && w > 0);
  const fallback = given.length ? given.reduce((a, b) => a + b, 0) / given.length : 1;
  const weights = columns.map((c) => (c.width !== undefined && c.width > 0 ? c.width : fallback));
  const total = weights.reduce((a, b) => a + b, 0);
  const widths = weights.map((w) => Math.floor((w / total) * TEXT_WIDTH));
  const rest = TEXT_WIDTH - widths.reduce((a, b) => a + b, 0);
  widths[widths.length - 1] = (widths[widths.length - 1] ?? 0) + rest;
  return widths;
}

/** Checks that every row, with the cells spanning into it from above, fills exactly the columns. */
function checkTableGrid(b: TableBlock, rows: ModelCell[][]): void {
  const n = b.columns.length;
  if (n === 0) throw new AppError('BAD_INPUT', '表格没有列');
  const covered = new Array<number>(n).fill(0); // rows still covered by a rowSpan from above
  const where = (r: number) => `${b.caption ? `表格“${b.caption}”` : '表格'}第${r + 1}行`;
  rows.forEach((row, r) => {
    let col = 0;
    for (const cell of row) {
      while (col < n && (covered[col] ?? 0) > 0) col++;
      const span = cell.colSpan ?? 1;
      const rowSpan = cell.rowSpan ?? 1;
      if (!Number.isInteger(span) || span < 1 || !Number.isInteger(rowSpan) || rowSpan < 1) {
        throw new AppError('BAD_INPUT', `${where(r)}的合并单元格跨度无效`);
      }
      if (col + span > n) throw new AppError('BAD_INPUT', `${where(r)}的单元格超出了 ${n} 列`);
      for (let k = col; k < col + span; k++) {
        if ((covered[k] ?? 0) > 0) throw new AppError('BAD_INPUT', `${where(r)}的单元格与上方的纵向合并重叠`);
        covered[k] = rowSpan;
      }
      col += span;
    }
    while (col < n && (covered[col] ?? 0) > 0) col++;
    if (col !== n) throw new AppError('BAD_INPUT', `${where(r)}只有 ${col} 列，应为 ${n} 列`);
    for (let k = 0; k < n; k++) covered[k] = Math.max(0, (covered[k] ?? 0) - 1);
  });
  if (covered.some((c) => c > 0))
    throw new AppError('BAD_INPUT', `${where(rows.length - 1)}之后仍有纵向合并的单元格`);
}

function buildTable(b: TableBlock): Table {
  const rows = b.rows.map((row) => row.map(toCell));
  checkTableGrid(b, rows);
  const widths = columnWidthsTwips(b.columns);
  const headerRows = Math.min(b.headerRows ?? 1, rows.length);
  const repeat = b.repeatHeader !== false;
  const style = b.fontSize === 'xiaosi' ? STYLE.tableTextSmall : STYLE.tableText;
  const border = { style: BorderStyle.SINGLE, size: TABLE.borderSize, color: '000000' };
  // Per grid column: the cell spanning down into the next rows, and how many rows it still covers.
  const spanning: ({ cell: ModelCell; left: number } | null)[] = new Array<null>(widths.length).fill(null);

  const cellWidth = (col: number, span: number) => widths.slice(col, col + span).reduce((a, w) => a + w, 0);
  const tableRows = rows.map((row, r) => {
    const header = r < headerRows;
    const cells: TableCell[] = [];
    const queue = [...row];
    let col = 0;
    while (col < widths.length) {
      const above = spanning[col];
      if (above && above.left > 0) {
        // Covered by a vertical merge from above: a continuation cell (written explicitly, so its empty
        // paragraph has the table style and does not stretch the row to a body line).
        const span = above.cell.colSpan ?? 1;
        cells.push(
          new TableCell({
            width: { size: cellWidth(col, span), type: WidthType.DXA },
            verticalAlign: VerticalAlign.CENTER,
            verticalMerge: VerticalMergeType.CONTINUE,
            ...(span > 1 ? { columnSpan: span } : {}),
            children: [new Paragraph({ style, children: [] })],
          }),
        );
        above.left--;
        col += span;
        continue;
      }
      const cell = queue.shift();
      if (!cell) break;
      const span = cell.colSpan ?? 1;
      const rowSpan = cell.rowSpan ?? 1;
      spanning[col] = rowSpan > 1 ? { cell, left: rowSpan - 1 } : null;
      const align = header ? 'center' : (cell.align ?? b.columns[col]?.align ?? 'left');
      const runs = typeof cell.content === 'string' ? [{ text: cell.content }] : cell.content;
      const boldCell = header || cell.bold === true;
      cells.push(
        new TableCell({
          width: { size: cellWidth(col, span), type: WidthType.DXA },
          verticalAlign: VerticalAlign.CENTER,
          ...(span > 1 ? { columnSpan: span } : {}),
          ...(rowSpan > 1 ? { verticalMerge: VerticalMergeType.RESTART } : {}),
          children: [
            new Paragraph({
              style,
              alignment: ALIGN[align],
              children: textRuns(runs.map((x) => (boldCell ? { ...x, bold: true } : x))),
            }),
          ],
        }),
      );
      col += span;
    }
    return new TableRow({
      children: cells,
      cantSplit: true,
      ...(header && repeat ? { tableHeader: true } : {}),
    });
  });

  return new Table({
    rows: tableRows,
    width: { size: TEXT_WIDTH, type: WidthType.DXA },
    columnWidths: widths,
    layout: TableLayoutType.FIXED,
    margins: {
      left: TABLE.cellMarginX,
      right: TABLE.cellMarginX,
      top: TABLE.cellMarginY,
      bottom: TABLE.cellMarginY,
    },
    borders: {
      top: border,
      bottom: border,
      left: border,
      right: border,
      insideHorizontal: border,
      insideVertical: border,
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Cover, footers, sections
// ---------------------------------------------------------------------------------------------

function coverChildren(cover: CoverPage): FileChild[] {
  // Positions inside the 225 mm 版心 are deterministic: every cover line has an exact height.
  const out: FileChild[] = [];
  const linesOf = (text: string, pt: number) =>
    Math.max(1, Math.ceil(textWidthInChars(text) / Math.floor(TEXT_WIDTH / 20 / pt)));
  let y = 0;
  const orgLine = FONT_PT.erhao * 20 * 2;
  const titleLine = FONT_PT.xiaochu * 20 * 2;
  if (cover.organisation) {
    const before = mm(20);
    out.push(
      new Paragraph({
        style: STYLE.coverOrganisation,
        spacing: { before },
        children: [new TextRun(cover.organisation)],
      }),
    );
    y += before + linesOf(cover.organisation, FONT_PT.erhao) * orgLine;
  }
  const titleBefore = cover.organisation ? mm(15) : mm(45);
  out.push(
    new Paragraph({
      style: STYLE.coverTitle,
      spacing: { before: titleBefore },
      children: cover.title.map((line, i) => new TextRun({ text: line, ...(i > 0 ? { break: 1 } : {}) })),
    }),
  );
  y += titleBefore + cover.title.reduce((a, line) => a + linesOf(line, FONT_PT.xiaochu) * titleLine, 0);
  if (cover.subtitle) {
    out.push(
      new Paragraph({
        style: STYLE.coverText,
        spacing: { before: LINE_PITCH },
        children: [new TextRun({ text: cover.subtitle, font: { eastAsia: FONT.kai } })],
      }),
    );
    y += 2 * LINE_PITCH;
  }
  const bottom: string[] = [];
  if (cover.issuer) bottom.push(cover.issuer);
  if (cover.date) bottom.push(formatChineseDate(cover.date));
  if (bottom.length) {
    // The last line ends about 25 mm above the bottom of the 版心.
    const before = Math.max(LINE_PITCH, TEXT_HEIGHT - mm(25) - bottom.length * LINE_PITCH - y);
    bottom.forEach((text, i) =>
      out.push(
        new Paragraph({
          style: STYLE.coverText,
          ...(i === 0 ? { spacing: { before } } : {}),
          children: [new TextRun(text)],
        }),
      ),
    );
  }
  return out;
}

const mm = (v: number) => Math.round(v * TWIPS_PER_MM);

function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const dash = { font: { hint: 'eastAsia' } };
  return new Footer({
    children: [
      new Paragraph({
        style: STYLE.footer,
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: PAGE_NUMBER_SPACE } : { left: PAGE_NUMBER_SPACE },
        children: [
          new TextRun({ text: '— ', ...dash }),
          new TextRun({ children: [PageNumber.CURRENT] }),
          new TextRun({ text: ' —', ...dash }),
        ],
      }),
    ],
  });
}

function sectionProperties(kind: 'front' | 'body', first: boolean): ISectionOptions['properties'] {
  return {
    ...(first ? {} : { type: SectionType.NEXT_PAGE }),
    page: {
      size: { width: PAGE.width, height: PAGE.height, orientation: PageOrientation.PORTRAIT },
      margin: {
        top: MARGIN.top,
        bottom: MARGIN.bottom,
        left: MARGIN.left,
        right: MARGIN.right,
        header: mm(15),
        footer: FOOTER_DISTANCE,
        gutter: 0,
      },
      ...(kind === 'body' ? { pageNumbers: { start: 1 } } : {}),
    },
    grid: { type: DocumentGridType.LINES_AND_CHARS, linePitch: LINE_PITCH, charSpace: CHAR_SPACE },
  };
}

function buildDocument(model: DocModel): Document {
  const options = resolveOptions(model);
  if (options.preset !== 'gbt9704')
    throw new AppError('UNSUPPORTED', `不支持的文档格式预设：${String(options.preset)}`);
  const writer = new DocxWriter(options);
  const sections: ISectionOptions[] = [];

  if (model.cover) {
    sections.push({ properties: sectionProperties('front', true), children: coverChildren(model.cover) });
  }

  // A table of contents that opens the body gets its own unnumbered pages.
  let blocks = model.blocks;
  const lead = blocks[0];
  if (lead?.type === 'toc') {
    const front = new SectionBuilder();
    writer.toc(front, lead);
    sections.push({
      properties: sectionProperties('front', sections.length === 0),
      children: front.children,
    });
    blocks = blocks.slice(1);
  }

  const body = new SectionBuilder();
  for (const [i, b] of blocks.entries()) {
    writer.block(body, b, blocks[i + 1]);
    if (b.type === 'toc' && b.pageBreakAfter !== false) body.pageBreak();
  }
  if (body.children.length === 0) body.blankLine();
  sections.push({
    properties: sectionProperties('body', sections.length === 0),
    ...(options.showPageNumbers
      ? { footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') } }
      : {}),
    children: body.children,
  });

  const meta = model.meta;
  const creator = meta.creator ?? DEFAULT_CREATOR;
  return new Document({
    title: meta.title,
    creator,
    lastModifiedBy: creator,
    ...(meta.subject ? { subject: meta.subject } : {}),
    ...(meta.keywords?.length ? { keywords: meta.keywords.join('; ') } : {}),
    ...(meta.description ? { description: meta.description } : {}),
    externalStyles: stylesXml({ headingBold: options.headingBold }),
    ...(options.updateFieldsOnOpen ? { features: { updateFields: true } } : {}),
    ...(options.showPageNumbers ? { evenAndOddHeaderAndFooters: true } : {}),
    sections,
  });
}

/** W3CDTF without milliseconds, as Word writes it. */
function w3cdtf(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The docx package numbers bookmarks and drawings with process-wide counters; renumbering them per
 * document keeps the output the same for the same model (TOC anchors _Toc1…, bookmark and drawing ids 1…).
 */
function renumberBookmarks(xml: string): string {
  const names = new Map<string, string>();
  const ids = new Map<string, string>();
  let drawings = 0;
  return xml
    .replace(/_Toc\d+/g, (name) => {
      let n = names.get(name);
      if (!n) names.set(name, (n = `_Toc${names.size + 1}`));
      return n;
    })
    .replace(/(<w:bookmark(?:Start|End)\b[^>]*\bw:id=")(\d+)"/g, (_m, head: string, id: string) => {
      let n = ids.get(id);
      if (!n) ids.set(id, (n = String(ids.size + 1)));
      return `${head}${n}"`;
    })
    .replace(/(<wp:docPr\b[^>]*\bid=")(\d+)"/g, (_m, head: string) => `${head}${++drawings}"`);
}

/** The package's parts by path, as the docx package writes them, before zipping. */
type PackageParts = Map<string, string | Uint8Array>;

interface PackageCompiler {
  compile(file: Document): PackageParts;
}

/**
 * The docx package's own compiler (Packer's, not in its typings): its parts before zipping, so the
 * package is zipped once instead of zipped, unzipped and zipped again (a third of the writer's time
 * on a 100-page report). Null when a later version of the package no longer has it.
 */
function packageCompiler(): PackageCompiler | null {
  const c = (Packer as unknown as { compiler?: Partial<PackageCompiler> }).compiler;
  return c && typeof c.compile === 'function' ? (c as PackageCompiler) : null;
}

const utf8 = new TextEncoder();
const bytesOf = (data: string | Uint8Array) => (typeof data === 'string' ? utf8.encode(data) : data);
/** PNG and JPEG are compressed already: stored, not deflated again. */
const STORED = /^word\/media\/.*\.(png|jpe?g)$/i;

/** Parts the docx package cannot express: the font table with fallbacks, and the created date. */
function finishParts(parts: PackageParts, created: Date): Buffer {
  const out: Zippable = {};
  // [Content_Types].xml first, as Office writes it (some tools sniff the first entry).
  const names = [...parts.keys()].sort(
    (a, b) => Number(b === '[Content_Types].xml') - Number(a === '[Content_Types].xml'),
  );
  for (const name of names) {
    const data = parts.get(name);
    if (data === undefined) continue;
    if (name === 'word/document.xml') {
      out[name] = strToU8(renumberBookmarks(typeof data === 'string' ? data : strFromU8(data)));
    } else if (name === 'word/fontTable.xml') {
      out[name] = strToU8(fontTableXml());
    } else if (name === 'docProps/core.xml') {
      const stamp = w3cdtf(created);
      out[name] = strToU8(
        (typeof data === 'string' ? data : strFromU8(data))
          .replace(/(<dcterms:created[^>]*>)[^<]*(<\/dcterms:created>)/, `$1${stamp}$2`)
          .replace(/(<dcterms:modified[^>]*>)[^<]*(<\/dcterms:modified>)/, `$1${stamp}$2`),
      );
    } else {
      out[name] = STORED.test(name) ? [bytesOf(data), { level: 0 }] : bytesOf(data);
    }
  }
  // Fixed timestamps inside the zip keep the output byte-for-byte reproducible.
  return Buffer.from(zipSync(out, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') }));
}

/** The same from a zipped package (when the package's compiler is not available). */
function finishPackage(buffer: Uint8Array, created: Date): Buffer {
  return finishParts(new Map(Object.entries(unzipSync(buffer))), created);
}

/** Renders a document model to .docx bytes with the GB/T 9704-2012 preset. */
export async function renderDocx(model: DocModel): Promise<Buffer> {
  const document = buildDocument(model);
  const created = model.meta.created ?? new Date();
  const compiler = packageCompiler();
  if (compiler) return finishParts(compiler.compile(document), created);
  return finishPackage(await Packer.toBuffer(document), created);
}
