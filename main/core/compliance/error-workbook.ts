/**
 * The error workbook of a compliance check, written as a STREAM: each row with findings is
 * turned into sheet XML and deflated into the file as the check goes (fflate Zip + ZipDeflate,
 * synchronous writes to a file descriptor), so a file whose every row is wrong never has the
 * workbook in memory.
 *
 * Sheet 「错误明细」: 原行号 (the row number in the original file), the file's own columns, then
 * 错误字段 / 规则 / 说明 (one line per finding, aligned). Cells with an error are red, cells with
 * only warnings yellow; a row-level finding marks the 原行号 cell. Frozen header, autofilter.
 * Sheet 「汇总」 (written at the end): file, rule set, time, counts, rate and the per-rule table.
 *
 * Text safety: every value is an inline string (never a formula); a value that a spreadsheet
 * would read as a formula (starting with = + - @, tab or CR, or their full-width forms) gets a
 * leading apostrophe in the text and a quotePrefix style (OWASP CSV-injection advice); characters
 * XML 1.0 cannot carry become U+FFFD (counted); text longer than Excel's 32,767 characters is cut
 * with a note (counted).
 */
import fs from 'node:fs';
import { Zip, ZipDeflate, strToU8 } from 'fflate';
import type { Finding, RuleCount } from '../contract/compliance';
import { columnLetter } from '../import/sheet';
import { displayWidth } from '../util/display-width';
import { RULES } from './engine';

export const DETAIL_SHEET = '错误明细';
export const SUMMARY_SHEET = '汇总';
export const EXCEL_TEXT_MAX = 32_767;
const TRUNCATED_NOTE = '…（内容超过 32767 个字符，已截断）';
/** Flush the sheet XML to the deflater at this many characters. */
/** Encoded sheet bytes collected before they are handed to the deflater. */
const FLUSH_BYTES = 256 * 1024;
const DEFLATE_LEVEL = 1;
/** Width of the 说明 column (characters) and the height of one text line (points). */
const NOTE_WIDTH = 60;
const NOTE_CHARS_PER_LINE = NOTE_WIDTH - 2;
const LINE_HEIGHT = 15;

/** Cell styles (indexes into cellXfs of styles.xml). */
const S = {
  Default: 0,
  Header: 1,
  Error: 2,
  Warning: 3,
  Quoted: 4,
  ErrorQuoted: 5,
  WarningQuoted: 6,
  Wrap: 7,
  Title: 8,
  Label: 9,
} as const;

/** Cell severities while a row is written (indexes into the per-row Uint8Array). */
const SEV_NONE = 0;
const SEV_WARNING = 1;
const SEV_ERROR = 2;

export interface ErrorWorkbookSummary {
  fileName: string;
  ruleSet: { code: string; name: string; version: string };
  /** Shown as is, e.g. 2027-03-10 14:05. */
  checkedAt: string;
  rows: number;
  errorRows: number;
  warningRows: number;
  errors: number;
  warnings: number;
  rate: number;
  wrongCodes: number;
  byRule: RuleCount[];
}

export interface ErrorWorkbookOptions {
  /** A few data rows used only to choose column widths. */
  sampleRows?: readonly (readonly string[])[];
}

// ---------------------------------------------------------------------------------------------
// Text → XML
// ---------------------------------------------------------------------------------------------

/** Anything that needs escaping or replacing; tested once per value (compiled once). */
// eslint-disable-next-line no-control-regex -- control characters are what we look for
const NEEDS_WORK = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;

/** Would a spreadsheet read this text as a formula? (= + - @, tab, CR and the full-width ＝＋－＠) */
export function looksLikeFormula(s: string): boolean {
  if (s.length === 0) return false;
  const c = s.charCodeAt(0);
  return (
    c === 0x3d || // =
    c === 0x2b || // +
    c === 0x2d || // -
    c === 0x40 || // @
    c === 0x09 ||
    c === 0x0d ||
    c === 0xff1d || // ＝
    c === 0xff0b || // ＋
    c === 0xff0d || // －
    c === 0xff20 // ＠
  );
}

export interface TextStats {
  /** Characters XML 1.0 cannot carry, replaced by U+FFFD. */
  replacedChars: number;
  /** Cells cut at 32,767 characters. */
  truncatedCells: number;
}

/**
 * The XML of a text (escaped, illegal characters replaced, capped in length), and whether it
 * needs xml:space="preserve". Counts replacements and truncations into `stats`.
 */
function xmlText(raw: string, stats: TextStats): string {
  let s = raw;
  if (s.length > EXCEL_TEXT_MAX) {
    s = s.slice(0, EXCEL_TEXT_MAX - TRUNCATED_NOTE.length) + TRUNCATED_NOTE;
    stats.truncatedCells++;
  }
  if (!NEEDS_WORK.test(s)) return s;
  let out = '';
  let from = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    let rep: string | null = null;
    if (c === 0x26) rep = '&amp;';
    else if (c === 0x3c) rep = '&lt;';
    else if (c === 0x3e) rep = '&gt;';
    else if (c === 0x0d) rep = '&#13;';
    else if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a) rep = '\ufffd';
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (d >= 0xdc00 && d <= 0xdfff)
        i++; // a valid pair
      else rep = '\ufffd';
    } else if ((c >= 0xdc00 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) rep = '\ufffd';
    if (rep !== null) {
      if (rep === '\ufffd') stats.replacedChars++;
      out += s.slice(from, i) + rep;
      from = i + 1;
    }
  }
  return out + s.slice(from);
}

function needsPreserve(s: string): boolean {
  if (s.length === 0) return false;
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(s.length - 1);
  return a <= 0x20 || b <= 0x20 || a === 0x3000 || b === 0x3000;
}

/** Appends an inline-string cell (or a styled empty cell). */
function inlineCell(ref: string, value: string, style: number, stats: TextStats): string {
  if (value.length === 0) return style === S.Default ? '' : `<c r="${ref}" s="${style}"/>`;
  let text = value;
  let st = style;
  if (looksLikeFormula(text)) {
    text = `'${text}`;
    st = style === S.Error ? S.ErrorQuoted : style === S.Warning ? S.WarningQuoted : S.Quoted;
  }
  const x = xmlText(text, stats);
  const space = needsPreserve(text) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${st === S.Default ? '' : ` s="${st}"`} t="inlineStr"><is><t${space}>${x}</t></is></c>`;
}

function numberCell(ref: string, n: number, style: number): string {
  return `<c r="${ref}"${style === S.Default ? '' : ` s="${style}"`}><v>${n}</v></c>`;
}

// ---------------------------------------------------------------------------------------------
// Static parts
// ---------------------------------------------------------------------------------------------

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

const CONTENT_TYPES = `${XML_HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`;

const ROOT_RELS = `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`;

const WORKBOOK_RELS = `${XML_HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`;

/** Excel's "bad" (red) and "neutral" (yellow) cell palettes. */
export const ERROR_FILL = 'FFC7CE';
export const ERROR_FONT = '9C0006';
export const WARNING_FILL = 'FFEB9C';
export const WARNING_FONT = '9C5700';
export const HEADER_FILL = 'DDEBF7';

const STYLES = `${XML_HEAD}<styleSheet xmlns="${NS_MAIN}"><fonts count="5"><font><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font><font><b/><sz val="11"/><name val="等线"/><family val="2"/><charset val="134"/></font><font><sz val="11"/><color rgb="FF${ERROR_FONT}"/><name val="等线"/><family val="2"/><charset val="134"/></font><font><sz val="11"/><color rgb="FF${WARNING_FONT}"/><name val="等线"/><family val="2"/><charset val="134"/></font><font><b/><sz val="14"/><name val="等线"/><family val="2"/><charset val="134"/></font></fonts><fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF${HEADER_FILL}"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FF${ERROR_FILL}"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FF${WARNING_FILL}"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color rgb="FFBFBFBF"/></left><right style="thin"><color rgb="FFBFBFBF"/></right><top style="thin"><color rgb="FFBFBFBF"/></top><bottom style="thin"><color rgb="FFBFBFBF"/></bottom><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="10"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment vertical="center" wrapText="1"/></xf><xf numFmtId="0" fontId="2" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/><xf numFmtId="0" fontId="3" fillId="4" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/><xf numFmtId="0" fontId="2" fillId="3" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" quotePrefix="1"/><xf numFmtId="0" fontId="3" fillId="4" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1" quotePrefix="1"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment vertical="top" wrapText="1"/></xf><xf numFmtId="0" fontId="4" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

function workbookXml(lastRow: number, lastCol: string): string {
  return `${XML_HEAD}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><bookViews><workbookView activeTab="0"/></bookViews><sheets><sheet name="${DETAIL_SHEET}" sheetId="1" r:id="rId1"/><sheet name="${SUMMARY_SHEET}" sheetId="2" r:id="rId2"/></sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">'${DETAIL_SHEET}'!$A$1:$${lastCol}$${lastRow}</definedName></definedNames></workbook>`;
}

function colsXml(widths: readonly number[]): string {
  let s = '<cols>';
  for (let i = 0; i < widths.length; i++) {
    s += `<col min="${i + 1}" max="${i + 1}" width="${widths[i] ?? 10}" customWidth="1"/>`;
  }
  return `${s}</cols>`;
}

const clampWidth = (w: number, min: number, max: number) => Math.max(min, Math.min(max, Math.ceil(w)));

// ---------------------------------------------------------------------------------------------
// The writer
// ---------------------------------------------------------------------------------------------

/**
 * A streamed error workbook. `addRow` for every row with findings (in file order), then
 * `finish(summary)`; `abort()` on failure deletes the partial file.
 */
export class ErrorWorkbookWriter {
  readonly stats: TextStats = { replacedChars: 0, truncatedCells: 0 };
  /** Rows written to 错误明细 (without the header). */
  rowsWritten = 0;

  private readonly fd: number;
  private readonly zip: Zip;
  private readonly sheet: ZipDeflate;
  private failure: Error | null = null;
  private closed = false;
  private buf = '';
  /**
   * Rows already encoded: the cells are slices of the reader's decoded chunks, and a string
   * built from them would keep every chunk alive until the next flush; bytes keep nothing.
   */
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Column letters: 0 = 原行号, 1..n = the file's columns, then 错误字段, 规则, 说明. */
  private readonly letters: string[];
  private readonly dataCols: number;
  private readonly sev: Uint8Array;
  private outRow = 1;

  constructor(
    readonly path: string,
    header: readonly string[],
    opts: ErrorWorkbookOptions = {},
  ) {
    this.dataCols = header.length;
    const total = this.dataCols + 4;
    this.letters = new Array<string>(total);
    for (let i = 0; i < total; i++) this.letters[i] = columnLetter(i + 1);
    this.sev = new Uint8Array(this.dataCols + 1);

    this.fd = fs.openSync(path, 'w');
    this.zip = new Zip((err, data) => {
      if (err) {
        this.failure = err;
        return;
      }
      if (this.failure) return;
      try {
        let off = 0;
        while (off < data.length) off += fs.writeSync(this.fd, data, off, data.length - off);
      } catch (e) {
        this.failure = e instanceof Error ? e : new Error(String(e));
      }
    });
    this.addStatic('[Content_Types].xml', CONTENT_TYPES);
    this.addStatic('_rels/.rels', ROOT_RELS);
    this.addStatic('xl/_rels/workbook.xml.rels', WORKBOOK_RELS);
    this.addStatic('xl/styles.xml', STYLES);

    this.sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: DEFLATE_LEVEL });
    this.zip.add(this.sheet);

    // widths from the header and the sample rows, in Excel character units
    const widths: number[] = [8];
    for (let i = 0; i < this.dataCols; i++) {
      let w = displayWidth(header[i] ?? '') + 3;
      for (const r of opts.sampleRows ?? []) w = Math.max(w, displayWidth(r[i] ?? '') + 2);
      widths.push(clampWidth(w, 8, 40));
    }
    widths.push(18, 22, NOTE_WIDTH);

    const lastCol = this.letters[total - 1] ?? 'A';
    this.buf =
      `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      `<sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>` +
      `<sheetFormatPr defaultRowHeight="15"/>${colsXml(widths)}<sheetData><row r="1">`;
    const headerCells = ['原行号', ...header, '错误字段', '规则', '说明'];
    for (let i = 0; i < total; i++) {
      const h = headerCells[i] ?? '';
      this.buf += inlineCell(
        `${this.letters[i] ?? ''}1`,
        h === '' ? `（第 ${i} 列）` : h,
        S.Header,
        this.stats,
      );
    }
    this.buf += '</row>';
    this.lastCol = lastCol;
  }

  private readonly lastCol: string;

  private addStatic(name: string, text: string): void {
    const f = new ZipDeflate(name, { level: DEFLATE_LEVEL });
    this.zip.add(f);
    f.push(strToU8(text), true);
  }

  private encode(): void {
    const bytes = strToU8(this.buf);
    this.buf = '';
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
  }

  private flush(final: boolean): void {
    if (this.buf.length > 0) this.encode();
    if (this.pendingBytes > 0 || final) {
      const data =
        this.pending.length === 1
          ? (this.pending[0] as Uint8Array)
          : Buffer.concat(this.pending, this.pendingBytes);
      this.sheet.push(data, final);
      this.pending = [];
      this.pendingBytes = 0;
    }
    if (this.failure) throw this.failure;
  }

  /**
   * One row of the original file with its findings (at least one). `cells` are the file's cells
   * (cells beyond the header's columns are not written: they have no column in the workbook; a
   * finding on such a column marks 原行号).
   */
  addRow(rowNumber: number, cells: readonly string[], findings: readonly Finding[]): void {
    const sev = this.sev;
    sev.fill(SEV_NONE);
    let fields = '';
    let rules = '';
    let notes = '';
    let lines = 0;
    for (let k = 0; k < findings.length; k++) {
      const f = findings[k];
      if (!f) continue;
      const level = f.severity === 'error' ? SEV_ERROR : SEV_WARNING;
      const at = f.column === null || f.column >= this.dataCols || f.column < 0 ? 0 : f.column + 1;
      if ((sev[at] ?? 0) < level) sev[at] = level;
      if (k > 0) {
        fields += '\n';
        rules += '\n';
        notes += '\n';
      }
      fields += f.field ?? '（整行）';
      rules += RULES[f.rule]?.name ?? f.rule;
      const note = (level === SEV_ERROR ? '【错误】' : '【警告】') + f.message;
      notes += note;
      lines += Math.max(1, Math.ceil(displayWidth(note) / NOTE_CHARS_PER_LINE));
    }
    const r = ++this.outRow;
    const L = this.letters;
    // spreadsheets do not fit row heights on open: give multi-line rows their height
    let x =
      lines > 1
        ? `<row r="${r}" ht="${Math.min(409, lines * LINE_HEIGHT)}" customHeight="1">`
        : `<row r="${r}">`;
    x += numberCell(`${L[0] ?? 'A'}${r}`, rowNumber, styleOf(sev[0] ?? 0));
    for (let i = 0; i < this.dataCols; i++) {
      x += inlineCell(`${L[i + 1] ?? ''}${r}`, cells[i] ?? '', styleOf(sev[i + 1] ?? 0), this.stats);
    }
    const c = this.dataCols + 1;
    x += inlineCell(`${L[c] ?? ''}${r}`, fields, S.Wrap, this.stats);
    x += inlineCell(`${L[c + 1] ?? ''}${r}`, rules, S.Wrap, this.stats);
    x += inlineCell(`${L[c + 2] ?? ''}${r}`, notes, S.Wrap, this.stats);
    this.buf += `${x}</row>`;
    this.encode();
    this.rowsWritten++;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush(false);
  }

  /** Ends 错误明细, writes 汇总 and the workbook part, closes the file. */
  finish(summary: ErrorWorkbookSummary): void {
    if (this.closed) return;
    try {
      this.buf += `</sheetData><autoFilter ref="A1:${this.lastCol}${this.outRow}"/><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
      this.flush(true);
      this.addStatic('xl/worksheets/sheet2.xml', this.summaryXml(summary));
      this.addStatic('xl/workbook.xml', workbookXml(this.outRow, this.lastCol));
      this.zip.end();
      if (this.failure) throw this.failure;
    } catch (e) {
      this.abort();
      throw e;
    }
    this.closed = true;
    fs.closeSync(this.fd);
  }

  /** Stops writing and deletes the partial file. */
  abort(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.zip.terminate();
    } catch {
      // already ended
    }
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    fs.rmSync(this.path, { force: true });
  }

  private summaryXml(s: ErrorWorkbookSummary): string {
    const st = this.stats;
    let r = 0;
    let rows = '';
    const line = (cells: [string | number, number][]) => {
      r++;
      let x = `<row r="${r}">`;
      cells.forEach(([v, style], i) => {
        const ref = `${columnLetter(i + 1)}${r}`;
        x += typeof v === 'number' ? numberCell(ref, v, style) : inlineCell(ref, v, style, st);
      });
      rows += `${x}</row>`;
    };
    const kv = (k: string, v: string | number) =>
      line([
        [k, S.Label],
        [v, S.Default],
      ]);
    line([['数据合规检查汇总', S.Title]]);
    kv('文件', s.fileName);
    kv('规则集', `${s.ruleSet.name}（${s.ruleSet.code}）`);
    kv('规则集版本', s.ruleSet.version);
    kv('检查时间', s.checkedAt);
    kv('数据行数', s.rows);
    kv('有错误的行', s.errorRows);
    kv('仅有警告的行', s.warningRows);
    kv('错误数', s.errors);
    kv('警告数', s.warnings);
    kv('合规率', `${formatRate(s.rate)}%`);
    kv('统一社会信用代码错误', s.wrongCodes);
    if (st.replacedChars > 0) kv('说明', `${st.replacedChars} 个无法写入表格的控制字符已替换为 �`);
    if (st.truncatedCells > 0) kv('说明', `${st.truncatedCells} 个单元格超过 32767 个字符，已截断`);
    line([]);
    line([
      ['规则', S.Header],
      ['规则代码', S.Header],
      ['严重程度', S.Header],
      ['次数', S.Header],
    ]);
    for (const c of s.byRule) {
      line([
        [c.name, S.Default],
        [c.rule, S.Default],
        [c.severity === 'error' ? '错误' : '警告', c.severity === 'error' ? S.Error : S.Warning],
        [c.count, S.Default],
      ]);
    }
    return `${XML_HEAD}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/>${colsXml([24, 60, 12, 10])}<sheetData>${rows}</sheetData><pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;
  }
}

function styleOf(sev: number): number {
  return sev === SEV_ERROR ? S.Error : sev === SEV_WARNING ? S.Warning : S.Default;
}

/** 99.5 → "99.50"; 100 → "100"; never rounds a non-compliant file up to 100. */
export function formatRate(rate: number): string {
  if (rate >= 100) return '100';
  const floored = Math.floor(rate * 100) / 100;
  return floored.toFixed(2);
}
