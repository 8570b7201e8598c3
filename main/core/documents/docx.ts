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
 *
 * The writer produces WordprocessingML as strings, one pass over the blocks, and ./docx-package.ts adds
 * the parts around the body and zips them. (It used the `docx` package until a 150-page report spent a
 * quarter of a second in it; the XML is the same element for element — see docx-package.ts.)
 */
import { createHash } from 'node:crypto';
import { AppError } from '../util/errors';
import {
  DOCUMENT_END,
  DOCUMENT_START,
  docxPackage,
  escapeXml,
  imageRelationshipId,
  sectionPropertiesXml,
  type MediaPart,
} from './docx-package';
import {
  CHAR_PITCH,
  CHAR_TWIPS,
  FONT,
  FONT_PT,
  LINE_PITCH,
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

/** w:jc values. */
const JC: Record<Align, string> = { left: 'left', center: 'center', right: 'right', justify: 'both' };

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
const mm = (v: number) => Math.round(v * TWIPS_PER_MM);

// ---------------------------------------------------------------------------------------------
// Runs and paragraphs
// ---------------------------------------------------------------------------------------------

/** w:rFonts putting text in the body font whatever the paragraph style says (run-in text). */
const BODY_FONTS = `<w:rFonts w:ascii="${FONT.latin}" w:cs="${FONT.latin}" w:eastAsia="${FONT.body}" w:hAnsi="${FONT.latin}"/>`;

interface RunFormat {
  /** A w:rFonts element. */
  fonts?: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
}

function runProperties(f: RunFormat): string {
  let s = f.fonts ?? '';
  if (f.bold !== undefined) s += f.bold ? '<w:b/><w:bCs/>' : '<w:b w:val="false"/><w:bCs w:val="false"/>';
  if (f.italic) s += '<w:i/><w:iCs/>';
  if (f.strike) s += '<w:strike/>';
  if (f.underline) s += '<w:u w:val="single"/>';
  return s ? `<w:rPr>${s}</w:rPr>` : '';
}

/** One run of text; `br` starts it on a new line (w:br). The text is written as given ("\n" included). */
function textRun(text: string, br = false, rPr = ''): string {
  return `<w:r>${rPr}${br ? '<w:br/>' : ''}<w:t xml:space="preserve">${escapeXml(text)}</w:t></w:r>`;
}

/** Lines as runs, each after the first on a new line (titles, cover titles). */
const lineRuns = (lines: readonly string[], rPr = '') => lines.map((l, i) => textRun(l, i > 0, rPr)).join('');

/** Model runs; a "\n" inside a run's text is a line break. `base` formats every run (its bold a default). */
function textRuns(runs: readonly Run[], base: { fonts?: string; bold?: boolean } = {}): string {
  let out = '';
  for (const r of runs) {
    const bold = r.bold ?? base.bold;
    const rPr =
      base.fonts === undefined && bold === undefined && !r.italic && !r.underline && !r.strike
        ? ''
        : runProperties({
            fonts: base.fonts,
            bold,
            italic: r.italic,
            underline: r.underline,
            strike: r.strike,
          });
    if (!r.text.includes('\n')) {
      out += textRun(r.text, false, rPr);
      continue;
    }
    const lines = r.text.split('\n');
    for (let i = 0; i < lines.length; i++) out += textRun(lines[i] ?? '', i > 0, rPr);
  }
  return out;
}

/** The text a run list shows, as a table of contents reads it from the written paragraph. */
const runsText = (runs: readonly Run[]) => runs.map((r) => r.text).join('');

interface ParagraphProps {
  style?: string;
  keepNext?: boolean;
  pageBreakBefore?: boolean;
  /** A w:tabs element. */
  tabs?: string;
  spacing?: { before?: number; after?: number };
  indent?: { left?: number; right?: number; hanging?: number; firstLine?: number; firstLineChars?: number };
  align?: Align;
}

const attr = (name: string, v: number | undefined) => (v === undefined ? '' : ` ${name}="${v}"`);

/** w:pPr in schema order, with the section properties of a section the paragraph ends. */
function paragraphProperties(p: ParagraphProps, sectPr = ''): string {
  let s = '';
  if (p.style) s += `<w:pStyle w:val="${p.style}"/>`;
  if (p.keepNext !== undefined) s += p.keepNext ? '<w:keepNext/>' : '<w:keepNext w:val="false"/>';
  if (p.pageBreakBefore) s += '<w:pageBreakBefore/>';
  if (p.tabs) s += p.tabs;
  if (p.spacing) s += `<w:spacing${attr('w:after', p.spacing.after)}${attr('w:before', p.spacing.before)}/>`;
  if (p.indent) {
    const i = p.indent;
    s +=
      `<w:ind${attr('w:left', i.left)}${attr('w:right', i.right)}${attr('w:hanging', i.hanging)}` +
      `${attr('w:firstLine', i.firstLine)}${attr('w:firstLineChars', i.firstLineChars)}/>`;
  }
  if (p.align) s += `<w:jc w:val="${JC[p.align]}"/>`;
  s += sectPr;
  return s ? `<w:pPr>${s}</w:pPr>` : '';
}

interface ParagraphItem {
  kind: 'p';
  props: ParagraphProps;
  /** The runs, as XML. */
  content: string;
  /** A heading: its level and its text as a table of contents lists it. */
  heading?: { level: number; text: string };
}

/** A block written as it is (a table). */
interface XmlItem {
  kind: 'xml';
  xml: string;
}

/** A table of contents, filled in from the headings once the whole body is known. */
interface TocItem {
  kind: 'toc';
  levels: number;
}

type Item = ParagraphItem | XmlItem | TocItem;

/** A body paragraph's properties (first line indented two characters), shared: its w:pPr is written once. */
const BODY_PARAGRAPH: ParagraphProps = { indent: { firstLine: chars(2), firstLineChars: 200 } };
const BODY_PARAGRAPH_PPR = paragraphProperties(BODY_PARAGRAPH);

function paragraphXml(p: ParagraphItem, sectPr = '', bookmark?: number): string {
  const pPr =
    p.props === BODY_PARAGRAPH && !sectPr ? BODY_PARAGRAPH_PPR : paragraphProperties(p.props, sectPr);
  if (bookmark !== undefined)
    return `<w:p>${pPr}<w:bookmarkStart w:name="_Toc${bookmark}" w:id="${bookmark}"/>${p.content}<w:bookmarkEnd w:id="${bookmark}"/></w:p>`;
  return pPr || p.content ? `<w:p>${pPr}${p.content}</w:p>` : '<w:p/>';
}

/** Builds the blocks of one section, tracking page breaks that attach to the next paragraph. */
class SectionBuilder {
  readonly items: Item[] = [];
  private pendingBreak = false;

  paragraph(props: ParagraphProps, content = '', heading?: ParagraphItem['heading']): void {
    if (this.pendingBreak) {
      this.pendingBreak = false;
      props = { ...props, pageBreakBefore: true };
    }
    this.items.push(heading ? { kind: 'p', props, content, heading } : { kind: 'p', props, content });
  }

  /** A table (or TOC) cannot carry pageBreakBefore: an empty paragraph takes the break. */
  block(item: XmlItem | TocItem): void {
    if (this.pendingBreak) {
      this.pendingBreak = false;
      this.items.push({ kind: 'p', props: { pageBreakBefore: true }, content: '' });
    }
    this.items.push(item);
  }

  pageBreak(): void {
    // A break at the very start of a section, or two in a row, adds nothing.
    if (this.items.length > 0) this.pendingBreak = true;
  }

  /** An empty line (空一行) on the grid. */
  blankLine(): void {
    this.paragraph({});
  }
}

/** Images in the package: each distinct picture once, named as Word names them (image1.png, image1.jpg…). */
class MediaParts {
  readonly parts: MediaPart[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly perExtension = new Map<string, number>();
  private drawings = 0;

  /** The picture's number among the media (from 1), adding it the first time. */
  add(data: Uint8Array, ext: 'png' | 'jpg'): number {
    const key = `${ext}:${createHash('sha1').update(data).digest('hex')}`;
    let n = this.byKey.get(key);
    if (n === undefined) {
      const k = (this.perExtension.get(ext) ?? 0) + 1;
      this.perExtension.set(ext, k);
      this.parts.push({ path: `media/image${k}.${ext}`, data });
      n = this.parts.length;
      this.byKey.set(key, n);
    }
    return n;
  }

  /** A new drawing id (wp:docPr/@id), unique in the document. */
  nextDrawingId(): number {
    return ++this.drawings;
  }
}

class DocxWriter {
  private readonly counter: HeadingCounter;

  constructor(
    options: DocOptions,
    private readonly media: MediaParts,
    private readonly footers: boolean,
  ) {
    this.counter = new HeadingCounter(options.headingNumbering);
  }

  /** `next` is the block that follows, for spacing that depends on it. */
  block(s: SectionBuilder, b: Block, next?: Block): void {
    // A byline sits right under the title; the blank line (标题下空一行) then follows the byline.
    const blankAfter = next?.type === 'subtitle' && next.role === 'byline' ? 0 : LINE_PITCH;
    switch (b.type) {
      case 'title':
        s.paragraph({ style: STYLE.title, spacing: { after: blankAfter } }, lineRuns(b.lines));
        return;
      case 'subtitle':
        if (b.role === 'addressee') {
          s.paragraph({ align: 'left' }, textRuns(b.runs));
        } else {
          s.paragraph({ style: STYLE.byline, spacing: { after: blankAfter } }, textRuns(b.runs));
        }
        return;
      case 'heading':
        this.heading(s, b);
        return;
      case 'paragraph': {
        const indent = b.indent ?? (b.align === 'center' || b.align === 'right' ? 0 : 2);
        s.paragraph(
          indent === 2 && !b.keepNext && !b.align
            ? BODY_PARAGRAPH
            : {
                ...(b.keepNext ? { keepNext: true } : {}),
                ...(indent > 0
                  ? { indent: { firstLine: chars(indent), firstLineChars: Math.round(indent * 100) } }
                  : {}),
                ...(b.align ? { align: b.align } : {}),
              },
          textRuns(b.runs),
        );
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
    let content = label ? textRun(label) : '';
    content += textRuns(b.runs);
    const runIn = b.runIn?.length ? b.runIn : null;
    if (runIn) content += textRuns(runIn, { fonts: BODY_FONTS, bold: false });
    // A heading with run-in text is a paragraph of its own, not a title that must stay with the next one.
    s.paragraph({ style: STYLE.heading(b.level), ...(runIn ? { keepNext: false } : {}) }, content, {
      level: b.level,
      text: `${label}${runsText(b.runs)}${runIn ? runsText(runIn) : ''}`,
    });
  }

  private list(s: SectionBuilder, b: ListBlock, depth: number): void {
    b.items.forEach((item, i) => {
      const marker = listMarker(b.ordered, depth, (b.start ?? 1) + i);
      s.paragraph(
        { indent: { left: chars(depth * 2), firstLine: chars(2), firstLineChars: 200 } },
        textRun(b.ordered ? marker : `${marker} `) + textRuns(item.runs),
      );
      if (item.children) this.list(s, item.children, depth + 1);
    });
  }

  private table(s: SectionBuilder, b: TableBlock): void {
    if (b.caption) s.paragraph({ style: STYLE.caption, keepNext: true }, textRun(b.caption));
    s.block({ kind: 'xml', xml: tableXml(b) });
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
    const toPx = (v: number) => Math.max(1, Math.round((v / 25.4) * 96 * 100) / 100);
    const alt = b.alt ?? b.caption ?? '图片';
    const text = escapeXml(alt);
    // EMU (English Metric Units): 9525 per pixel at 96 dpi
    const cx = Math.round(toPx(widthMm) * 9525);
    const cy = Math.round(toPx(heightMm) * 9525);
    const rId = imageRelationshipId(
      this.media.add(b.data, b.mime === 'image/png' ? 'png' : 'jpg'),
      this.footers,
    );
    const A = 'http://schemas.openxmlformats.org/drawingml/2006/main';
    const drawing =
      '<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">' +
      `<wp:extent cx="${cx}" cy="${cy}"/><wp:effectExtent t="0" r="0" b="0" l="0"/>` +
      `<wp:docPr id="${this.media.nextDrawingId()}" name="${text}"${alt ? ` descr="${text}" title="${text}"` : ''}/>` +
      `<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="${A}" noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
      `<a:graphic xmlns:a="${A}"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
      '<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>' +
      '<pic:cNvPr id="0" name="" descr=""/><pic:cNvPicPr><a:picLocks noChangeAspect="1" noChangeArrowheads="1"/>' +
      `</pic:cNvPicPr></pic:nvPicPr><pic:blipFill><a:blip r:embed="${rId}" cstate="none"/><a:srcRect/>` +
      '<a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr bwMode="auto"><a:xfrm><a:off x="0" y="0"/>' +
      `<a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
      '</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>';
    s.paragraph({ style: STYLE.figure, keepNext: Boolean(b.caption) }, drawing);
    if (b.caption) s.paragraph({ style: STYLE.caption }, textRun(b.caption));
  }

  toc(s: SectionBuilder, b: TocBlock): void {
    s.paragraph({ style: STYLE.title, spacing: { after: LINE_PITCH } }, textRun(b.title ?? TOC_TITLE));
    s.block({ kind: 'toc', levels: b.levels ?? 2 });
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
    s.paragraph({ keepNext: true });
    for (const org of b.organisations) {
      s.paragraph({ style: STYLE.signature, keepNext: true, indent: { left } }, textRun(org));
    }
    s.paragraph({ style: STYLE.signature, indent: { left } }, textRun(date));
  }

  private attachmentHeading(s: SectionBuilder, b: AttachmentHeadingBlock): void {
    // GB/T 9704 7.5: 另面编排; "附件" 3号黑体 顶格 on the first line, the title centred on the third.
    s.pageBreak();
    s.paragraph(
      { keepNext: true, align: 'left' },
      textRun(b.label, false, `<w:rPr><w:rFonts w:eastAsia="${FONT.hei}"/></w:rPr>`),
    );
    s.paragraph(
      { style: STYLE.title, spacing: { before: LINE_PITCH, after: LINE_PITCH } },
      lineRuns(b.title),
    );
  }

  private attachmentNote(s: SectionBuilder, b: AttachmentNoteBlock): void {
    // GB/T 9704 7.3.4: 正文下空一行左空二字 "附件：", numbered 1. 2. …; wrapped names align with the
    // first character of the name; no punctuation after a name.
    const names = b.items.map((n) => n.trim().replace(/[。．.，,；;、：:]+$/u, ''));
    if (names.length === 0) return;
    s.blankLine();
    if (names.length === 1) {
      s.paragraph(
        { indent: { left: chars(5), hanging: chars(3) }, align: 'left' },
        textRun(`附件：${names[0] ?? ''}`),
      );
      return;
    }
    const slot = names.length >= 10 ? 1.5 : 1;
    names.forEach((name, i) => {
      const first = i === 0;
      s.paragraph(
        {
          keepNext: i < names.length - 1,
          indent: { left: chars(5 + slot), hanging: chars(first ? 3 + slot : slot) },
          align: 'left',
        },
        textRun(`${first ? '附件：' : ''}${i + 1}.`) + textRun('\t') + textRun(name),
      );
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

function tableXml(b: TableBlock): string {
  const rows = b.rows.map((row) => row.map(toCell));
  checkTableGrid(b, rows);
  const widths = columnWidthsTwips(b.columns);
  const headerRows = Math.min(b.headerRows ?? 1, rows.length);
  const repeat = b.repeatHeader !== false;
  const style = b.fontSize === 'xiaosi' ? STYLE.tableTextSmall : STYLE.tableText;
  const border = `w:val="single" w:color="000000" w:sz="${TABLE.borderSize}"`;
  const margin = (side: string, w: number) => `<w:${side} w:type="dxa" w:w="${w}"/>`;
  let xml =
    `<w:tbl><w:tblPr><w:tblW w:type="dxa" w:w="${TEXT_WIDTH}"/><w:tblBorders>` +
    ['top', 'left', 'bottom', 'right', 'insideH', 'insideV']
      .map((side) => `<w:${side} ${border}/>`)
      .join('') +
    '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar>' +
    margin('top', TABLE.cellMarginY) +
    margin('left', TABLE.cellMarginX) +
    margin('bottom', TABLE.cellMarginY) +
    margin('right', TABLE.cellMarginX) +
    '</w:tblCellMar></w:tblPr><w:tblGrid>' +
    widths.map((w) => `<w:gridCol w:w="${w}"/>`).join('') +
    '</w:tblGrid>';

  // Per grid column: the cell spanning down into the next rows, and how many rows it still covers.
  const spanning: ({ cell: ModelCell; left: number } | null)[] = new Array<null>(widths.length).fill(null);
  const cellWidth = (col: number, span: number) => widths.slice(col, col + span).reduce((a, w) => a + w, 0);
  const tcPr = (col: number, span: number, merge: 'restart' | 'continue' | null) =>
    `<w:tcPr><w:tcW w:type="dxa" w:w="${cellWidth(col, span)}"/>` +
    (span > 1 ? `<w:gridSpan w:val="${span}"/>` : '') +
    (merge ? `<w:vMerge w:val="${merge}"/>` : '') +
    '<w:vAlign w:val="center"/></w:tcPr>';
  rows.forEach((row, r) => {
    const header = r < headerRows;
    xml += `<w:tr><w:trPr><w:cantSplit/>${header && repeat ? '<w:tblHeader/>' : ''}</w:trPr>`;
    const queue = [...row];
    let col = 0;
    while (col < widths.length) {
      const above = spanning[col];
      if (above && above.left > 0) {
        // Covered by a vertical merge from above: a continuation cell (written explicitly, so its empty
        // paragraph has the table style and does not stretch the row to a body line).
        const span = above.cell.colSpan ?? 1;
        xml += `<w:tc>${tcPr(col, span, 'continue')}<w:p><w:pPr><w:pStyle w:val="${style}"/></w:pPr></w:p></w:tc>`;
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
      xml +=
        `<w:tc>${tcPr(col, span, rowSpan > 1 ? 'restart' : null)}` +
        `<w:p><w:pPr><w:pStyle w:val="${style}"/><w:jc w:val="${JC[align]}"/></w:pPr>` +
        `${textRuns(runs.map((x) => (boldCell ? { ...x, bold: true } : x)))}</w:p></w:tc>`;
      col += span;
    }
    xml += '</w:tr>';
  });
  return `${xml}</w:tbl>`;
}

// ---------------------------------------------------------------------------------------------
// Cover, table of contents, sections
// ---------------------------------------------------------------------------------------------

function cover(s: SectionBuilder, cover: CoverPage): void {
  // Positions inside the 225 mm 版心 are deterministic: every cover line has an exact height.
  const linesOf = (text: string, pt: number) =>
    Math.max(1, Math.ceil(textWidthInChars(text) / Math.floor(TEXT_WIDTH / 20 / pt)));
  let y = 0;
  const orgLine = FONT_PT.erhao * 20 * 2;
  const titleLine = FONT_PT.xiaochu * 20 * 2;
  if (cover.organisation) {
    const before = mm(20);
    s.paragraph({ style: STYLE.coverOrganisation, spacing: { before } }, textRun(cover.organisation));
    y += before + linesOf(cover.organisation, FONT_PT.erhao) * orgLine;
  }
  const titleBefore = cover.organisation ? mm(15) : mm(45);
  s.paragraph({ style: STYLE.coverTitle, spacing: { before: titleBefore } }, lineRuns(cover.title));
  y += titleBefore + cover.title.reduce((a, line) => a + linesOf(line, FONT_PT.xiaochu) * titleLine, 0);
  if (cover.subtitle) {
    s.paragraph(
      { style: STYLE.coverText, spacing: { before: LINE_PITCH } },
      textRun(cover.subtitle, false, `<w:rPr><w:rFonts w:eastAsia="${FONT.kai}"/></w:rPr>`),
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
      s.paragraph({ style: STYLE.coverText, ...(i === 0 ? { spacing: { before } } : {}) }, textRun(text)),
    );
  }
}

/**
 * A real TOC field over heading levels 1..`levels`, prefilled with the headings it lists (numbered
 * text, a dot leader to the right margin and a PAGEREF to the heading's bookmark, which Word/WPS
 * fill in when they update fields); an empty field when no heading qualifies.
 */
function tocXml(
  levels: number,
  entries: readonly { level: number; text: string; bookmark: number }[],
): string {
  const begin =
    '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/>' +
    `<w:instrText xml:space="preserve">TOC \\h \\o &quot;1-${levels}&quot;</w:instrText>` +
    '<w:fldChar w:fldCharType="separate"/></w:r>';
  const end = '<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>';
  const tabs = `<w:tabs><w:tab w:val="right" w:pos="${TEXT_WIDTH}" w:leader="dot"/></w:tabs>`;
  const content = entries.length
    ? entries
        .map(
          (e, i) =>
            `<w:p><w:pPr><w:pStyle w:val="${STYLE.toc(e.level)}"/>${tabs}</w:pPr>${i === 0 ? begin : ''}` +
            `<w:hyperlink w:history="1" w:anchor="_Toc${e.bookmark}">` +
            // tabs and line breaks in a heading become spaces in its entry
            `${textRun(e.text.replace(/[\t\n]/g, ' '))}<w:r><w:tab/></w:r>` +
            '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/>' +
            `<w:instrText xml:space="preserve">PAGEREF _Toc${e.bookmark} \\h</w:instrText>` +
            '<w:fldChar w:fldCharType="separate"/><w:fldChar w:fldCharType="end"/></w:r></w:hyperlink></w:p>',
        )
        .join('')
    : `<w:p>${begin}</w:p>`;
  return (
    '<w:sdt><w:sdtPr><w:alias w:val="目录"/><w:docPartObj><w:docPartGallery w:val="Table of Contents"/>' +
    `<w:docPartUnique/></w:docPartObj></w:sdtPr><w:sdtContent>${content}${end}</w:sdtContent></w:sdt>`
  );
}

/** document.xml: the sections' blocks, tables of contents filled in, each section's properties. */
function documentXml(sections: readonly { items: Item[]; sectPr: string }[]): string {
  // Headings a table of contents lists get a bookmark _Toc1, _Toc2… in document order.
  const tocLevels = sections.flatMap((s) => s.items.flatMap((i) => (i.kind === 'toc' ? [i.levels] : [])));
  const bookmarks = new Map<ParagraphItem, number>();
  const entries: { level: number; text: string; bookmark: number }[] = [];
  if (tocLevels.length) {
    const deepest = Math.max(...tocLevels);
    for (const s of sections)
      for (const item of s.items) {
        const h = item.kind === 'p' ? item.heading : undefined;
        if (!h || h.level > deepest || h.text.trim() === '') continue;
        const bookmark = bookmarks.size + 1;
        bookmarks.set(item as ParagraphItem, bookmark);
        entries.push({ level: h.level, text: h.text, bookmark });
      }
  }
  const out: string[] = [DOCUMENT_START];
  sections.forEach((s, k) => {
    const last = k === sections.length - 1;
    let items = s.items;
    // A section other than the last ends with a paragraph carrying its properties.
    if (!last && items[items.length - 1]?.kind !== 'p')
      items = [...items, { kind: 'p', props: {}, content: '' }];
    items.forEach((item, i) => {
      if (item.kind === 'xml') out.push(item.xml);
      else if (item.kind === 'toc')
        out.push(
          tocXml(
            item.levels,
            entries.filter((e) => e.level <= item.levels),
          ),
        );
      else out.push(paragraphXml(item, !last && i === items.length - 1 ? s.sectPr : '', bookmarks.get(item)));
    });
    if (last) out.push(s.sectPr);
  });
  out.push(DOCUMENT_END);
  return out.join('');
}

function buildPackage(model: DocModel): Buffer {
  const options = resolveOptions(model);
  if (options.preset !== 'gbt9704')
    throw new AppError('UNSUPPORTED', `不支持的文档格式预设：${String(options.preset)}`);
  const footers = options.showPageNumbers;
  const media = new MediaParts();
  const writer = new DocxWriter(options, media, footers);
  const sections: { items: Item[]; sectPr: string }[] = [];
  const front = (items: Item[]) =>
    sections.push({
      items,
      sectPr: sectionPropertiesXml({ first: sections.length === 0, body: false, footers: false }),
    });

  if (model.cover) {
    const s = new SectionBuilder();
    cover(s, model.cover);
    front(s.items);
  }

  // A table of contents that opens the body gets its own unnumbered pages.
  let blocks = model.blocks;
  const lead = blocks[0];
  if (lead?.type === 'toc') {
    const s = new SectionBuilder();
    writer.toc(s, lead);
    front(s.items);
    blocks = blocks.slice(1);
  }

  const body = new SectionBuilder();
  for (const [i, b] of blocks.entries()) {
    writer.block(body, b, blocks[i + 1]);
    if (b.type === 'toc' && b.pageBreakAfter !== false) body.pageBreak();
  }
  if (body.items.length === 0) body.blankLine();
  sections.push({
    items: body.items,
    sectPr: sectionPropertiesXml({ first: sections.length === 0, body: true, footers }),
  });

  const meta = model.meta;
  const creator = meta.creator ?? DEFAULT_CREATOR;
  return docxPackage({
    document: documentXml(sections),
    styles: stylesXml({ headingBold: options.headingBold }),
    fontTable: fontTableXml(),
    footers,
    updateFields: options.updateFieldsOnOpen,
    media: media.parts,
    core: {
      title: meta.title,
      creator,
      ...(meta.subject ? { subject: meta.subject } : {}),
      ...(meta.keywords?.length ? { keywords: meta.keywords.join('; ') } : {}),
      ...(meta.description ? { description: meta.description } : {}),
      created: meta.created ?? new Date(),
    },
  });
}

/** Renders a document model to .docx bytes with the GB/T 9704-2012 preset. */
export async function renderDocx(model: DocModel): Promise<Buffer> {
  return buildPackage(model);
}
