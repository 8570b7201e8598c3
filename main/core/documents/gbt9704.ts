/**
 * The GB/T 9704-2012 《党政机关公文格式》 preset: page geometry, the document grid, fonts and sizes,
 * and the styles.xml / fontTable.xml parts the docx writer installs. See ../shared/DOMAIN.md §6.
 *
 * Units: OOXML lengths are twips (1/20 pt, 1440 per inch); font sizes are half-points; 1 mm =
 * 1440 / 25.4 = 56.693 twips.
 */

export const TWIPS_PER_MM = 1440 / 25.4;

/** mm → twips, rounded to the nearest twip (A4 210 × 297 mm → 11906 × 16838, Word's own A4). */
export function mmToTwips(mm: number): number {
  return Math.round(mm * TWIPS_PER_MM);
}

/** 字号 → points (DOMAIN.md §6 table). */
export const FONT_PT = {
  erhao: 22, // 二号: title
  xiaoer: 18, // 小二
  sanhao: 16, // 三号: body, headings
  sihao: 14, // 四号: page numbers, table text
  xiaosi: 12, // 小四: dense tables
  xiaochu: 36, // 小初: cover title
} as const;

export const PAGE = {
  width: mmToTwips(210), // 11906
  height: mmToTwips(297), // 16838
} as const;

/** 天头 37 mm, 订口 28 mm; bottom 297−37−225 = 35 mm and right 210−28−156 = 26 mm give the 156 × 225 mm 版心. */
export const MARGIN = {
  top: mmToTwips(37), // 2098
  bottom: mmToTwips(35), // 1984
  left: mmToTwips(28), // 1587
  right: mmToTwips(26), // 1474
} as const;

/** 版心 in twips: 8845 × 12756 (156.0 × 225.0 mm). */
export const TEXT_WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
export const TEXT_HEIGHT = PAGE.height - MARGIN.top - MARGIN.bottom;

export const LINES_PER_PAGE = 22;
export const CHARS_PER_LINE = 28;

/**
 * The document grid (w:docGrid type="linesAndChars").
 *
 * Lines: 12756 twips / 22 lines = 579.8 twips; w:linePitch is an integer, and rounding up (580 × 22 =
 * 12760) would no longer fit the 12756-twip text block, so linePitch = 579 twips = 28.95 pt (22 × 579 =
 * 12738 ≤ 12756 < 23 × 579). Body paragraphs use the same value as an exact line height, so a line is
 * one grid row in every application (GB practice is a fixed 28–29.5 pt; 637.8 pt / 22 = 28.99 pt).
 *
 * Characters: the pitch is 8845 twips / 28 = 315.9 twips = 15.795 pt. Word defines w:charSpace as
 * (pitch − Normal font size) × 4096 in points: (15.795 − 16) × 4096 = −841.3. Rounded down so that 28
 * whole pitches fit the line (−842 → pitch 15.7944 pt, 28 × 15.7944 = 442.24 pt ≤ 442.25 pt); −841
 * would give 28 × 15.7947 = 442.25+ pt, i.e. 27 characters in Word's page setup.
 */
export const LINE_PITCH = Math.floor(TEXT_HEIGHT / LINES_PER_PAGE); // 579
export const BODY_HALF_POINTS = FONT_PT.sanhao * 2; // 32
export const CHAR_SPACE = Math.floor((TEXT_WIDTH / CHARS_PER_LINE / 20 - FONT_PT.sanhao) * 4096); // -842
/** Word's character pitch in twips (8845 / 28 = 315.9), for distances of lines set off the grid. */
export const CHAR_PITCH = TEXT_WIDTH / CHARS_PER_LINE;

/**
 * One 字 of horizontal distance, for indents, in twips. Word's pitch is 315.9 twips, but LibreOffice
 * reads the same docGrid as a 314.6-twip cell (it converts through 1/100 mm) and rounds an indent up
 * to whole cells, so 2 × 315.9 would become a 3-character indent there. 314 keeps every indent on the
 * intended cell in LibreOffice and within 0.1 pt per character of Word's pitch; where Word supports
 * character units (first-line indents) w:firstLineChars is written too and Word uses it.
 */
export const CHAR_TWIPS = 314;

/**
 * LibreOffice lays a CJK glyph wider than the grid cell over two cells (sw::Justify::SnapToGridEdge
 * rounds up to whole cells, and its line breaking measures the same way), and a 16 pt 三号 glyph is
 * wider than the 15.73 pt cell it derives from this grid, so unscaled it set 14 characters per line
 * (LibreOffice 7.4; character spacing/kerning does not help, line breaking ignores it). Word, per the
 * spec, adds the grid delta (−0.21 pt) to each character. Grid-snapped text is therefore scaled to 98%
 * (w:w, 15.68 pt glyphs): LibreOffice puts each glyph in one cell (28 per line, verified by the render
 * tests); Word keeps 28 per line whether it spaces them at the grid pitch (15.79 pt) or adds the delta
 * to the narrower glyph (15.47 pt; 29 × 15.47 > 442.25 pt). A 0.3 pt narrower glyph is not visible.
 */
export const GRID_GLYPH_SCALE = 98;

/**
 * Footer distance (page edge to the bottom of the page-number line). GB/T 9704 7.5 puts the 一字线 7 mm
 * below the 版心, whose bottom edge is 35 mm above the page edge: the line's centre belongs 28 mm up.
 * A 4号 line is about 5 mm tall (14 pt 宋体), so its bottom sits at 28 − 2.5 = 25.5 mm.
 */
export const FOOTER_DISTANCE = mmToTwips(25.5);
/** 页码 "一字" of space: one 4号 character (14 pt). */
export const PAGE_NUMBER_SPACE = FONT_PT.sihao * 20;

/**
 * Font names. w:rFonts/@w:eastAsia names the GB font for Chinese; @ascii/@hAnsi/@cs are Times New
 * Roman, so digits and Latin letters come out in Times New Roman (common practice, DOMAIN.md §6).
 */
export const FONT = {
  title: '方正小标宋简体',
  body: '仿宋_GB2312',
  kai: '楷体_GB2312',
  hei: '黑体',
  song: '宋体',
  latin: 'Times New Roman',
} as const;

export const HEADING_FONT: Readonly<Record<1 | 2 | 3 | 4, string>> = {
  1: FONT.hei,
  2: FONT.kai,
  3: FONT.body,
  4: FONT.body,
};

/** Paragraph style ids the writer refers to (defined in {@link stylesXml}). */
export const STYLE = {
  normal: 'Normal',
  title: 'Title',
  byline: 'GBByline',
  heading: (level: 1 | 2 | 3 | 4) => `Heading${level}`,
  toc: (level: number) => `TOC${level}`,
  tableText: 'GBTableText',
  tableTextSmall: 'GBTableTextSmall',
  caption: 'Caption',
  figure: 'GBFigure',
  footer: 'Footer',
  coverOrganisation: 'GBCoverOrganisation',
  coverTitle: 'GBCoverTitle',
  coverText: 'GBCoverText',
  signature: 'GBSignature',
} as const;

/** Table text: 四号 with an exact 20 pt line (小四: 17 pt); cell padding in twips. */
export const TABLE = {
  sihao: { halfPoints: FONT_PT.sihao * 2, line: 400 },
  xiaosi: { halfPoints: FONT_PT.xiaosi * 2, line: 340 },
  cellMarginX: 85,
  cellMarginY: 45,
  borderSize: 4, // eighths of a point: 0.5 pt
} as const;

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function rFonts(eastAsia: string): string {
  const l = FONT.latin;
  return `<w:rFonts w:ascii="${l}" w:hAnsi="${l}" w:eastAsia="${esc(eastAsia)}" w:cs="${l}"/>`;
}

const W_NS = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

interface StyleDef {
  type: 'paragraph' | 'character' | 'table';
  id: string;
  name: string;
  basedOn?: string;
  next?: string;
  isDefault?: boolean;
  qFormat?: boolean;
  uiPriority?: number;
  /** Inner XML of w:pPr, in schema order. */
  pPr?: string;
  /** Inner XML of w:rPr, in schema order. */
  rPr?: string;
  /** Inner XML of w:tblPr. */
  tblPr?: string;
}

function styleXml(s: StyleDef): string {
  return (
    `<w:style w:type="${s.type}"${s.isDefault ? ' w:default="1"' : ''} w:styleId="${s.id}">` +
    `<w:name w:val="${esc(s.name)}"/>` +
    (s.basedOn ? `<w:basedOn w:val="${s.basedOn}"/>` : '') +
    (s.next ? `<w:next w:val="${s.next}"/>` : '') +
    (s.uiPriority !== undefined ? `<w:uiPriority w:val="${s.uiPriority}"/>` : '') +
    (s.qFormat ? '<w:qFormat/>' : '') +
    (s.pPr ? `<w:pPr>${s.pPr}</w:pPr>` : '') +
    (s.rPr ? `<w:rPr>${s.rPr}</w:rPr>` : '') +
    (s.tblPr ? `<w:tblPr>${s.tblPr}</w:tblPr>` : '') +
    `</w:style>`
  );
}

const exact = (line: number) => `<w:spacing w:before="0" w:after="0" w:line="${line}" w:lineRule="exact"/>`;
const NO_SNAP = '<w:snapToGrid w:val="0"/>';
const unscaled = '<w:w w:val="100"/>';
const size = (halfPoints: number) => `<w:sz w:val="${halfPoints}"/><w:szCs w:val="${halfPoints}"/>`;

/**
 * styles.xml: Word's built-in style ids and names (Normal, Title, heading 1–4, toc 1–4, caption,
 * footer) so Word/WPS treat them as their own (navigation pane, TOC, 标题 1…), plus a few GB styles.
 * Element order inside w:pPr / w:rPr follows the schema (Word rejects out-of-order elements).
 */
export function stylesXml(opts: { headingBold: boolean }): string {
  const b = opts.headingBold ? '<w:b/><w:bCs/>' : '<w:b w:val="0"/><w:bCs w:val="0"/>';
  const firstLine2 = `<w:ind w:firstLine="${2 * CHAR_TWIPS}" w:firstLineChars="200"/>`;
  const styles: StyleDef[] = [
    {
      type: 'paragraph',
      id: STYLE.normal,
      name: 'Normal',
      isDefault: true,
      qFormat: true,
      // widowControl off: GB pages carry exactly 22 lines; moving lone lines would leave pages short.
      pPr: `<w:widowControl w:val="0"/>${exact(LINE_PITCH)}<w:jc w:val="both"/>`,
      rPr: `${rFonts(FONT.body)}<w:w w:val="${GRID_GLYPH_SCALE}"/>${size(BODY_HALF_POINTS)}`,
    },
    {
      type: 'character',
      id: 'DefaultParagraphFont',
      name: 'Default Paragraph Font',
      isDefault: true,
      uiPriority: 1,
    },
    {
      type: 'table',
      id: 'TableNormal',
      name: 'Normal Table',
      isDefault: true,
      uiPriority: 99,
      tblPr:
        '<w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>' +
        '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>' +
        '</w:tblCellMar>',
    },
    {
      type: 'paragraph',
      id: STYLE.title,
      name: 'Title',
      basedOn: STYLE.normal,
      next: STYLE.normal,
      qFormat: true,
      // Off the grid: 22 pt glyphs would otherwise take two grid cells each in LibreOffice.
      pPr: `<w:keepNext/><w:keepLines/>${NO_SNAP}<w:jc w:val="center"/>`,
      rPr: `${rFonts(FONT.title)}<w:b w:val="0"/><w:bCs w:val="0"/>${unscaled}${size(FONT_PT.erhao * 2)}`,
    },
    {
      type: 'paragraph',
      id: STYLE.byline,
      name: 'GB 标题下行',
      basedOn: STYLE.normal,
      next: STYLE.normal,
      // Centred single lines need no grid (and stay clear of LibreOffice padding digits to grid cells).
      pPr: `<w:keepNext/>${NO_SNAP}<w:jc w:val="center"/>`,
      rPr: `${rFonts(FONT.kai)}${unscaled}`,
    },
    ...([1, 2, 3, 4] as const).map((level): StyleDef => ({
      type: 'paragraph',
      id: STYLE.heading(level),
      name: `heading ${level}`,
      basedOn: STYLE.normal,
      next: STYLE.normal,
      qFormat: true,
      uiPriority: 9,
      pPr: `<w:keepNext/><w:keepLines/>${firstLine2}<w:outlineLvl w:val="${level - 1}"/>`,
      rPr: `${rFonts(HEADING_FONT[level])}${b}`,
    })),
    ...([1, 2, 3, 4] as const).map((level): StyleDef => ({
      type: 'paragraph',
      id: STYLE.toc(level),
      name: `toc ${level}`,
      basedOn: STYLE.normal,
      next: STYLE.normal,
      uiPriority: 39,
      pPr: `<w:ind w:left="${(level - 1) * 2 * CHAR_TWIPS}"/><w:jc w:val="left"/>`,
    })),
    {
      type: 'paragraph',
      id: STYLE.tableText,
      name: 'GB 表格文字',
      basedOn: STYLE.normal,
      qFormat: true,
      pPr: `${NO_SNAP}${exact(TABLE.sihao.line)}<w:jc w:val="left"/>`,
      rPr: `${unscaled}${size(TABLE.sihao.halfPoints)}`,
    },
    {
      type: 'paragraph',
      id: STYLE.tableTextSmall,
      name: 'GB 表格文字（小四）',
      basedOn: STYLE.tableText,
      pPr: exact(TABLE.xiaosi.line),
      rPr: size(TABLE.xiaosi.halfPoints),
    },
    {
      type: 'paragraph',
      id: STYLE.caption,
      name: 'caption',
      basedOn: STYLE.normal,
      next: STYLE.normal,
      qFormat: true,
      uiPriority: 35,
      pPr: `${NO_SNAP}<w:jc w:val="center"/>`,
      rPr: `${rFonts(FONT.hei)}${unscaled}`,
    },
    {
      type: 'paragraph',
      id: STYLE.figure,
      name: 'GB 图片',
      basedOn: STYLE.normal,
      next: STYLE.caption,
      // An exact line height would clip the picture to one line: single spacing, off the grid.
      pPr: `<w:keepNext/>${NO_SNAP}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="center"/>`,
    },
    {
      type: 'paragraph',
      id: STYLE.footer,
      name: 'footer',
      basedOn: STYLE.normal,
      uiPriority: 99,
      pPr: `${NO_SNAP}<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>`,
      rPr: `${rFonts(FONT.song)}${unscaled}${size(FONT_PT.sihao * 2)}`,
    },
    {
      type: 'paragraph',
      id: STYLE.signature,
      name: 'GB 落款',
      basedOn: STYLE.normal,
      // Off the grid so the digits of the date are not padded to whole grid cells (LibreOffice does), and
      // without Word's automatic space between digits and Chinese, so the date is as wide as estimated.
      // Centred: the writer gives each 落款 line the same box, see DocxWriter.signature.
      pPr: `<w:keepLines/><w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/>${NO_SNAP}<w:jc w:val="center"/>`,
      rPr: unscaled,
    },
    {
      type: 'paragraph',
      id: STYLE.coverOrganisation,
      name: 'GB 封面单位',
      basedOn: STYLE.normal,
      pPr: `${NO_SNAP}${exact(FONT_PT.erhao * 20 * 2)}<w:jc w:val="center"/>`,
      rPr: `${rFonts(FONT.title)}${unscaled}${size(FONT_PT.erhao * 2)}`,
    },
    {
      type: 'paragraph',
      id: STYLE.coverTitle,
      name: 'GB 封面标题',
      basedOn: STYLE.normal,
      pPr: `${NO_SNAP}${exact(FONT_PT.xiaochu * 20 * 2)}<w:jc w:val="center"/>`,
      rPr: `${rFonts(FONT.title)}${unscaled}${size(FONT_PT.xiaochu * 2)}`,
    },
    {
      type: 'paragraph',
      id: STYLE.coverText,
      name: 'GB 封面文字',
      basedOn: STYLE.normal,
      pPr: `${NO_SNAP}${exact(LINE_PITCH)}<w:jc w:val="center"/>`,
      rPr: unscaled,
    },
  ];
  const docDefaults =
    '<w:docDefaults><w:rPrDefault><w:rPr>' +
    `${rFonts(FONT.body)}${size(BODY_HALF_POINTS)}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
    '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/>' +
    '<w:spacing w:before="0" w:after="0"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>';
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    `<w:styles xmlns:w="${W_NS}">${docDefaults}${styles.map(styleXml).join('')}</w:styles>`
  );
}

interface FontDecl {
  name: string;
  /** Substitute Word/WPS use when `name` is not installed (w:altName). */
  altName?: string;
  panose: string;
  charset: string;
  family: 'roman' | 'swiss' | 'modern' | 'script' | 'decorative' | 'auto';
  pitch: 'fixed' | 'variable';
  sig: string;
}

/** Unicode/code-page signature of a GB2312 font (Latin-1 + Simplified Chinese code pages). */
const GB_SIG =
  'w:usb0="00000003" w:usb1="288F0000" w:usb2="00000016" w:usb3="00000000" w:csb0="00040001" w:csb1="00000000"';
const SONG_PANOSE = '02010600030101010101';
const FANGSONG_PANOSE = '02010609060101010101';

/**
 * Fallbacks. A run names one font per script; OOXML has no per-run fallback list. What Word and WPS
 * honour when the named font is missing is the font table: w:altName (tried first), then the PANOSE
 * number, character set and family/pitch. So each GB font is declared with the name of the font every
 * Chinese Windows has as its altName — 仿宋_GB2312 → FangSong, 楷体_GB2312 → KaiTi, 黑体 → SimHei,
 * 宋体/方正小标宋简体 → SimSun — and with that substitute's PANOSE and charset 86 (GB2312), so even
 * matching by classification lands on it. LibreOffice applies its own replacement table and glyph
 * fallback (on Linux it draws CJK in Noto CJK), which keeps every CJK glyph one em wide.
 */
const FONT_TABLE: FontDecl[] = [
  {
    name: FONT.latin,
    panose: '02020603050405020304',
    charset: '00',
    family: 'roman',
    pitch: 'variable',
    sig: 'w:usb0="E0002EFF" w:usb1="C000785B" w:usb2="00000009" w:usb3="00000000" w:csb0="000001FF" w:csb1="00000000"',
  },
  {
    name: FONT.body,
    altName: 'FangSong',
    panose: FANGSONG_PANOSE,
    charset: '86',
    family: 'modern',
    pitch: 'fixed',
    sig: GB_SIG,
  },
  {
    name: FONT.kai,
    altName: 'KaiTi',
    panose: FANGSONG_PANOSE,
    charset: '86',
    family: 'modern',
    pitch: 'fixed',
    sig: GB_SIG,
  },
  {
    name: FONT.hei,
    altName: 'SimHei',
    panose: FANGSONG_PANOSE,
    charset: '86',
    family: 'modern',
    pitch: 'fixed',
    sig: GB_SIG,
  },
  {
    name: FONT.song,
    altName: 'SimSun',
    panose: SONG_PANOSE,
    charset: '86',
    family: 'auto',
    pitch: 'variable',
    sig: GB_SIG,
  },
  {
    name: FONT.title,
    altName: 'SimSun',
    panose: SONG_PANOSE,
    charset: '86',
    family: 'auto',
    pitch: 'variable',
    sig: GB_SIG,
  },
];

/** The substitutes named in the font table, by GB font name (for tests and documentation). */
export const FONT_FALLBACKS: Readonly<Record<string, string>> = Object.fromEntries(
  FONT_TABLE.filter((f) => f.altName).map((f) => [f.name, f.altName ?? '']),
);

export function fontTableXml(): string {
  const fonts = FONT_TABLE.map(
    (f) =>
      `<w:font w:name="${esc(f.name)}">` +
      (f.altName ? `<w:altName w:val="${esc(f.altName)}"/>` : '') +
      `<w:panose1 w:val="${f.panose}"/><w:charset w:val="${f.charset}"/>` +
      `<w:family w:val="${f.family}"/><w:pitch w:val="${f.pitch}"/><w:sig ${f.sig}/></w:font>`,
  ).join('');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    `<w:fonts xmlns:w="${W_NS}">${fonts}</w:fonts>`
  );
}
