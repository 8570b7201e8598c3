/**
 * The one intermediate document model. Generated reports (每周工作调度报告, 整改分析报告, 澄清报告,
 * 自评报告, ranking analysis, 评审材料汇编) build it directly; the rich-text editor converts its
 * ProseMirror JSON into it. Writers (docx now, pptx later) only ever read this model.
 *
 * Plain data: no classes, no Node or DOM types beyond Uint8Array/Date, so it can be built anywhere
 * and serialised (except image bytes) for tests. Layout decisions (fonts, sizes, numbering text,
 * indents) belong to the writer's preset, not to the model: a heading says "level 2", never "楷体".
 */

export type Align = 'left' | 'center' | 'right' | 'justify';

/** A run of text with one formatting. A "\n" inside `text` is a line break within the paragraph. */
export interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  /** 删除线 (the editor's strike mark). */
  strike?: boolean;
}

/** What constructors accept where runs are expected: a plain string is one unformatted run. */
export type Inline = string | Run;

/** A date as 'YYYY-MM-DD' (preferred), 'YYYY-MM' (month precision, covers) or a Date (its local calendar day). */
export type DateInput = string | Date;

export type HeadingLevel = 1 | 2 | 3 | 4;

/** 标题: the document title, one or more centred lines (arrange long titles as a trapezoid or diamond). */
export interface TitleBlock {
  type: 'title';
  lines: string[];
}

/**
 * A line under the title. `addressee` is 主送机关 (flush left, ends with a full-width colon, e.g.
 * "各镇人民政府，市直各有关单位："); `byline` is a centred line such as "（2027年3月31日）" or the issuer.
 */
export interface SubtitleBlock {
  type: 'subtitle';
  role: 'addressee' | 'byline';
  runs: Run[];
}

/**
 * 标题层次. Numbered automatically 一、 / （一） / 1. / （1） unless `numbered` is false; a heading resets
 * the counters of all deeper levels (also an unnumbered one). `runIn` is body text continuing in the same
 * paragraph after the heading ("（一）加强组织领导。各单位要……"), written in the body font.
 */
export interface HeadingBlock {
  type: 'heading';
  level: HeadingLevel;
  runs: Run[];
  numbered?: boolean;
  runIn?: Run[];
}

/**
 * 正文 paragraph. `indent` is the first-line indent in characters (default 2; 0 for flush left).
 * `keepNext` keeps it on the page of the block that follows (a label such as "佐证材料：" over a list).
 */
export interface ParagraphBlock {
  type: 'paragraph';
  runs: Run[];
  align?: Align;
  indent?: number;
  keepNext?: boolean;
}

export interface ListItem {
  runs: Run[];
  /** A nested list under this item. */
  children?: ListBlock;
}

/** Ordered items are marked 1. / （1） / ① by depth; bullet items ● / ○ / ■. */
export interface ListBlock {
  type: 'list';
  ordered: boolean;
  items: ListItem[];
  /** Number of the first item of an ordered list (default 1), e.g. a list continued after a table. */
  start?: number;
}

export interface TableCell {
  /** Cell text ("\n" breaks lines) or runs. */
  content: string | Run[];
  /** Columns this cell spans (default 1). */
  colSpan?: number;
  /**
   * Rows this cell spans (default 1). As in HTML, the rows below do not list a cell for the
   * covered grid position.
   */
  rowSpan?: number;
  /** Overrides the column's alignment. */
  align?: Align;
  bold?: boolean;
}

/** What a row may hold: a full cell or, for plain cells, just the text or number. */
export type CellInput = TableCell | string | number;

export interface TableColumn {
  /** Relative width (proportion); columns without one get the average of the others (or 1). */
  width?: number;
  /** Alignment of the body cells of this column (header cells are always centred). Default left. */
  align?: Align;
}

export interface TableBlock {
  type: 'table';
  /** Caption above the table, written as given, e.g. "表1 各单位任务完成情况". */
  caption?: string;
  columns: TableColumn[];
  /** All rows, header rows first. */
  rows: CellInput[][];
  /** Number of header rows at the top (default 1; 0 for none). Header cells are bold and centred. */
  headerRows?: number;
  /** Repeat the header rows at the top of each page (default true). */
  repeatHeader?: boolean;
  /** Table text size: 'sihao' 四号 14 pt (default) or 'xiaosi' 小四 12 pt for dense tables. */
  fontSize?: 'sihao' | 'xiaosi';
}

export type ImageMime = 'image/png' | 'image/jpeg';

export interface ImageBlock {
  type: 'image';
  data: Uint8Array;
  mime: ImageMime;
  /** Printed width in mm; capped at the text width (156 mm). Default: natural size at 96 dpi, capped. */
  widthMm?: number;
  /** Caption below the image, written as given, e.g. "图1 近八周任务完成率". */
  caption?: string;
  /** Alternative text (defaults to the caption). */
  alt?: string;
}

export interface PageBreakBlock {
  type: 'pageBreak';
}

/**
 * 目录: a real TOC field over heading levels 1..`levels` (default 2). Word/WPS refresh it on open;
 * until then it lists the headings. At the start of the body it gets its own unnumbered pages
 * (page "— 1 —" is the first body page); `pageBreakAfter` defaults to true.
 */
export interface TocBlock {
  type: 'toc';
  title?: string;
  levels?: HeadingLevel;
  pageBreakAfter?: boolean;
}

/** 落款: 发文机关署名 (one line per organisation) over 成文日期 (written 2027年3月31日). */
export interface SignatureBlock {
  type: 'signature';
  organisations: string[];
  date: DateInput;
}

/** 附件说明: "附件：1.……" under the body, one blank line above. Names without trailing punctuation. */
export interface AttachmentNoteBlock {
  type: 'attachmentNote';
  items: string[];
}

/**
 * 附件 page (GB/T 9704 7.5): starts a new page with `label` ("附件", "附件1") in 3号黑体 flush left on
 * the first line and the attachment's title (one or more lines) centred on the third line in 2号小标宋.
 */
export interface AttachmentHeadingBlock {
  type: 'attachmentHeading';
  label: string;
  title: string[];
}

export type Block =
  | TitleBlock
  | SubtitleBlock
  | HeadingBlock
  | ParagraphBlock
  | ListBlock
  | TableBlock
  | ImageBlock
  | PageBreakBlock
  | TocBlock
  | SignatureBlock
  | AttachmentNoteBlock
  | AttachmentHeadingBlock;

export type BlockType = Block['type'];

/** 封面: its own page without a page number; the body's numbering starts at 1 after it. */
export interface CoverPage {
  /** Top line, e.g. "琼海市创建全国社会信用体系建设示范区". */
  organisation?: string;
  /** The big title, one entry per line, e.g. ["评审材料汇编"]. */
  title: string[];
  /** A line under the title, e.g. "（第一册）". */
  subtitle?: string;
  /** Bottom line above the date, e.g. "琼海市社会信用体系建设领导小组办公室". */
  issuer?: string;
  /** Bottom date; 'YYYY-MM' gives "2027年3月". */
  date?: DateInput;
}

export type DocPreset = 'gbt9704';

export interface DocOptions {
  /** The layout preset; GB/T 9704-2012 is the only one for now. */
  preset: DocPreset;
  /** Bold headings (a common house style, not a GB/T 9704 requirement). Default false. */
  headingBold: boolean;
  /** Page numbers "— n —" in the footer of body pages. Default true. */
  showPageNumbers: boolean;
  /** Ask Word/WPS to update fields (the TOC) on open. Default: true when the document has a toc block. */
  updateFieldsOnOpen: boolean;
  /**
   * 'four-level' numbers headings 一、/（一）/1./（1）; 'two-level' (for documents with only two
   * heading levels, as GB practice allows) numbers them 一、/1./（1）/①.
   */
  headingNumbering: 'four-level' | 'two-level';
}

export interface DocMeta {
  /** Core property title (also the default file title). */
  title: string;
  /** Core property creator. Default "信用创建工作台". */
  creator?: string;
  /** Core property created (and modified) date. Default: now. */
  created?: Date;
  subject?: string;
  keywords?: string[];
  description?: string;
}

export interface DocModel {
  meta: DocMeta;
  options?: Partial<DocOptions>;
  cover?: CoverPage;
  blocks: Block[];
}

export const DEFAULT_DOC_OPTIONS: Readonly<Omit<DocOptions, 'updateFieldsOnOpen'>> = Object.freeze({
  preset: 'gbt9704',
  headingBold: false,
  showPageNumbers: true,
  headingNumbering: 'four-level',
});

/** The options a writer uses: defaults filled in (updateFieldsOnOpen from whether a toc exists). */
export function resolveOptions(doc: DocModel): DocOptions {
  const o = doc.options ?? {};
  return {
    preset: o.preset ?? DEFAULT_DOC_OPTIONS.preset,
    headingBold: o.headingBold ?? DEFAULT_DOC_OPTIONS.headingBold,
    showPageNumbers: o.showPageNumbers ?? DEFAULT_DOC_OPTIONS.showPageNumbers,
    headingNumbering: o.headingNumbering ?? DEFAULT_DOC_OPTIONS.headingNumbering,
    updateFieldsOnOpen: o.updateFieldsOnOpen ?? doc.blocks.some((b) => b.type === 'toc'),
  };
}

// ---------------------------------------------------------------------------------------------
// Small constructors. They only save typing; building the objects by hand is equally valid.
// ---------------------------------------------------------------------------------------------

const isInlineList = (c: Inline | readonly Inline[]): c is readonly Inline[] => Array.isArray(c);

export function toRuns(content: Inline | readonly Inline[]): Run[] {
  const list = isInlineList(content) ? content : [content];
  return list.map((r) => (typeof r === 'string' ? { text: r } : { ...r }));
}

export function run(text: string, style: Omit<Run, 'text'> = {}): Run {
  return { text, ...style };
}

export const bold = (text: string): Run => ({ text, bold: true });
export const italic = (text: string): Run => ({ text, italic: true });
export const underline = (text: string): Run => ({ text, underline: true });

export function title(...lines: string[]): TitleBlock {
  return { type: 'title', lines };
}

export function addressee(content: Inline | readonly Inline[]): SubtitleBlock {
  return { type: 'subtitle', role: 'addressee', runs: toRuns(content) };
}

export function byline(content: Inline | readonly Inline[]): SubtitleBlock {
  return { type: 'subtitle', role: 'byline', runs: toRuns(content) };
}

export function heading(
  level: HeadingLevel,
  content: Inline | readonly Inline[],
  opts: { numbered?: boolean; runIn?: Inline | readonly Inline[] } = {},
): HeadingBlock {
  const block: HeadingBlock = { type: 'heading', level, runs: toRuns(content) };
  if (opts.numbered !== undefined) block.numbered = opts.numbered;
  if (opts.runIn !== undefined) block.runIn = toRuns(opts.runIn);
  return block;
}

export function paragraph(
  content: Inline | readonly Inline[],
  opts: { align?: Align; indent?: number; keepNext?: boolean } = {},
): ParagraphBlock {
  return { type: 'paragraph', runs: toRuns(content), ...opts };
}

export type ListItemInput = Inline | readonly Inline[] | ListItem;

function isListItem(x: ListItemInput): x is ListItem {
  return typeof x === 'object' && !Array.isArray(x) && 'runs' in x;
}

export function listItem(content: Inline | readonly Inline[], children?: ListBlock): ListItem {
  return children ? { runs: toRuns(content), children } : { runs: toRuns(content) };
}

export function list(ordered: boolean, items: readonly ListItemInput[]): ListBlock {
  return {
    type: 'list',
    ordered,
    items: items.map((i) => (isListItem(i) ? i : { runs: toRuns(i) })),
  };
}

export function cell(content: string | number | Run[], opts: Omit<TableCell, 'content'> = {}): TableCell {
  return { content: typeof content === 'number' ? String(content) : content, ...opts };
}

export function table(
  columns: readonly (TableColumn | number)[],
  rows: CellInput[][],
  opts: Omit<TableBlock, 'type' | 'columns' | 'rows'> = {},
): TableBlock {
  return {
    type: 'table',
    columns: columns.map((c) => (typeof c === 'number' ? { width: c } : c)),
    rows,
    ...opts,
  };
}

export function image(
  data: Uint8Array,
  mime: ImageMime,
  opts: { widthMm?: number; caption?: string; alt?: string } = {},
): ImageBlock {
  return { type: 'image', data, mime, ...opts };
}

export const pageBreak = (): PageBreakBlock => ({ type: 'pageBreak' });

export function toc(
  opts: { title?: string; levels?: HeadingLevel; pageBreakAfter?: boolean } = {},
): TocBlock {
  return { type: 'toc', ...opts };
}

export function signature(organisations: string | string[], date: DateInput): SignatureBlock {
  return {
    type: 'signature',
    organisations: typeof organisations === 'string' ? [organisations] : organisations,
    date,
  };
}

export function attachmentNote(items: string[]): AttachmentNoteBlock {
  return { type: 'attachmentNote', items };
}

export function attachmentHeading(label: string, ...titleLines: string[]): AttachmentHeadingBlock {
  return { type: 'attachmentHeading', label, title: titleLines };
}

export function doc(
  meta: DocMeta,
  blocks: Block[],
  extra: { options?: Partial<DocOptions>; cover?: CoverPage } = {},
) {
  const model: DocModel = { meta, blocks };
  if (extra.options) model.options = extra.options;
  if (extra.cover) model.cover = extra.cover;
  return model;
}
