/**
 * One xlsx writer for every list the workbench exports (task list, department league table,
 * rectification list): a title row merged across the table, a styled header row with frozen
 * panes and an autofilter, typed columns (real Excel dates and numbers, percentages), CJK-aware
 * column widths, traffic-light fills, and text that can never become a formula.
 */
import ExcelJS from 'exceljs';
import type { Alignment, Borders, Cell, Fill, Font, Worksheet } from 'exceljs';
import { displayWidth } from '../util/display-width';

export { displayWidth };

export type XlsxColumnType = 'text' | 'int' | 'number' | 'percent' | 'date' | 'datetime';
export type XlsxValue = string | number | boolean | Date | null | undefined;
/** Named highlight (Excel's good/neutral/bad palette) or a #RRGGBB background. */
export type XlsxFill = 'red' | 'yellow' | 'green' | 'grey' | 'blue' | `#${string}`;

export interface XlsxColumn<K extends string = string> {
  key: K;
  header: string;
  /** Default text. percent takes ratios (0.853 → 85.3%); date takes Date or 'YYYY-MM-DD'. */
  type?: XlsxColumnType;
  /** Decimals for number (default 2) and percent (default 1). */
  decimals?: number;
  /** Width in characters; estimated from the header and the values when absent. */
  width?: number;
  /** Wrap text; defaults to true when the estimated width exceeds the maximum. */
  wrap?: boolean;
  align?: 'left' | 'center' | 'right';
}

export interface XlsxRow<K extends string = string> {
  cells: Partial<Record<K, XlsxValue>>;
  /** Fill of the whole row. */
  fill?: XlsxFill;
  /** Fill of single cells (e.g. the 亮灯 column), over the row fill. */
  cellFills?: Partial<Record<K, XlsxFill>>;
  bold?: boolean;
}

export interface XlsxSheet<K extends string = string> {
  /** Sheet tab name; cleaned (no []:*?/\, at most 31 characters) and made unique. */
  name: string;
  /** Title row merged across all columns, bold and larger. */
  title?: string;
  /** Second line under the title (统计周期、导出时间 …). */
  subtitle?: string;
  columns: readonly XlsxColumn<K>[];
  rows: readonly XlsxRow<K>[];
  /** Lines under the table (说明：…), each merged across the columns. */
  notes?: readonly string[];
  /** Also freeze the first N columns (default 0). */
  freezeColumns?: number;
  /** Landscape print layout (default true). */
  landscape?: boolean;
}

export interface XlsxWorkbookSpec {
  sheets: readonly XlsxSheet[];
  creator?: string;
  created?: Date;
}

/** Keeps the column keys of one sheet checked against its rows. */
export function defineSheet<K extends string>(sheet: XlsxSheet<K>): XlsxSheet {
  return sheet as unknown as XlsxSheet;
}

const FILLS: Record<Exclude<XlsxFill, `#${string}`>, { bg: string; fg: string }> = {
  red: { bg: 'FFFFC7CE', fg: 'FF9C0006' },
  yellow: { bg: 'FFFFEB9C', fg: 'FF9C5700' },
  green: { bg: 'FFC6EFCE', fg: 'FF006100' },
  grey: { bg: 'FFEDEDED', fg: 'FF000000' },
  blue: { bg: 'FFDDEBF7', fg: 'FF000000' },
};
const HEADER_FILL = 'FFD9E1F2';
const THIN = { style: 'thin' as const, color: { argb: 'FF808080' } };
const BORDER: Partial<Borders> = { top: THIN, left: THIN, bottom: THIN, right: THIN };
const MAX_WIDTH = 50;
const MIN_WIDTH = 6;
const WIDTH_SAMPLE = 2000;
const EXCEL_TEXT_MAX = 32_767;

function fillOf(f: XlsxFill): { fill: Fill; color: string | null } {
  if (f.startsWith('#')) {
    const hex = f.slice(1).toUpperCase();
    const argb = /^[0-9A-F]{6}$/.test(hex) ? `FF${hex}` : 'FFFFFFFF';
    return { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb } }, color: null };
  }
  const named = FILLS[f as keyof typeof FILLS];
  return { fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: named.bg } }, color: named.fg };
}

/** Unifies line breaks, removes characters XML 1.0 cannot carry and caps the length Excel accepts. */
function cleanText(s: string): string {
  // eslint-disable-next-line no-control-regex -- stripping control characters is the point
  const t = s.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
  return t.length > EXCEL_TEXT_MAX ? `${t.slice(0, EXCEL_TEXT_MAX - 1)}…` : t;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Calendar date → the UTC-midnight Date exceljs turns into an integer serial. */
function dateValue(v: XlsxValue): Date | null {
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? null : new Date(Date.UTC(v.getFullYear(), v.getMonth(), v.getDate()));
  }
  if (typeof v !== 'string') return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
  if (m) {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCDate() === Number(m[3]) ? d : null;
  }
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : dateValue(new Date(t));
}

/** Local wall-clock time → a Date whose UTC fields carry it (Excel has no time zones). */
function dateTimeValue(v: XlsxValue): Date | null {
  const d = v instanceof Date ? v : typeof v === 'string' ? new Date(v) : null;
  if (!d || Number.isNaN(d.getTime())) return null;
  return new Date(
    Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()),
  );
}

function textOf(v: XlsxValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (v instanceof Date) {
    return Number.isNaN(v.getTime()) ? '' : `${v.getFullYear()}-${pad(v.getMonth() + 1)}-${pad(v.getDate())}`;
  }
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return v;
}

function numberOf(v: XlsxValue): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return null;
}

function numFmtOf(col: XlsxColumn): string {
  switch (col.type ?? 'text') {
    case 'int':
      return '#,##0';
    case 'number': {
      const d = col.decimals ?? 2;
      return d > 0 ? `#,##0.${'0'.repeat(d)}` : '#,##0';
    }
    case 'percent': {
      const d = col.decimals ?? 1;
      return d > 0 ? `0.${'0'.repeat(d)}%` : '0%';
    }
    case 'date':
      return 'yyyy-mm-dd';
    case 'datetime':
      return 'yyyy-mm-dd hh:mm';
    default:
      return '@';
  }
}

/**
 * The value written for a cell. Text is always a string cell (never a formula, whatever it
 * starts with); numbers and dates that cannot be read as such are written as text rather than
 * silently dropped.
 */
function cellValue(col: XlsxColumn, v: XlsxValue): { value: string | number | Date | null; asText: boolean } {
  if (v === null || v === undefined || v === '') return { value: null, asText: false };
  switch (col.type ?? 'text') {
    case 'int': {
      const n = numberOf(v);
      return n === null
        ? { value: cleanText(textOf(v)), asText: true }
        : { value: Math.round(n), asText: false };
    }
    case 'number':
    case 'percent': {
      const n = numberOf(v);
      return n === null ? { value: cleanText(textOf(v)), asText: true } : { value: n, asText: false };
    }
    case 'date': {
      const d = dateValue(v);
      return d ? { value: d, asText: false } : { value: cleanText(textOf(v)), asText: true };
    }
    case 'datetime': {
      const d = dateTimeValue(v);
      return d ? { value: d, asText: false } : { value: cleanText(textOf(v)), asText: true };
    }
    default:
      return { value: cleanText(textOf(v)), asText: true };
  }
}

function estimateWidth(col: XlsxColumn, rows: readonly XlsxRow[]): number {
  if (col.width !== undefined) return col.width;
  let w = displayWidth(col.header) + 2;
  const type = col.type ?? 'text';
  if (type === 'date') w = Math.max(w, 12);
  else if (type === 'datetime') w = Math.max(w, 17);
  else {
    const n = Math.min(rows.length, WIDTH_SAMPLE);
    for (let i = 0; i < n; i++) {
      const v = rows[i]?.cells[col.key];
      if (v === null || v === undefined) continue;
      let s = textOf(v);
      if (type === 'percent' && typeof v === 'number') s = `${(v * 100).toFixed(col.decimals ?? 1)}%`;
      else if (type === 'int' && typeof v === 'number') s = Math.round(v).toLocaleString('en-US');
      else if (type === 'number' && typeof v === 'number') s = v.toFixed(col.decimals ?? 2);
      w = Math.max(w, displayWidth(s) + 2);
      if (w >= MAX_WIDTH) break;
    }
  }
  return Math.max(MIN_WIDTH, Math.min(MAX_WIDTH, w));
}

function sheetName(raw: string, used: Set<string>): string {
  let base =
    raw
      .replace(/[[\]:*?/\\]/g, '_')
      .replace(/^'+|'+$/g, '')
      .trim() || 'Sheet';
  if (base.toLowerCase() === 'history') base = `${base}_`;
  base = base.slice(0, 31);
  let name = base;
  for (let i = 2; used.has(name.toLowerCase()); i++) {
    const suffix = `(${i})`;
    name = `${base.slice(0, 31 - suffix.length)}${suffix}`;
  }
  used.add(name.toLowerCase());
  return name;
}

function mergedLine(
  ws: Worksheet,
  row: number,
  cols: number,
  text: string,
  font: Partial<Font>,
  alignment: Partial<Alignment>,
  height: number,
): void {
  const cell = ws.getCell(row, 1);
  cell.value = cleanText(text);
  cell.font = font;
  cell.alignment = alignment;
  if (cols > 1) ws.mergeCells(row, 1, row, cols);
  ws.getRow(row).height = height;
}

function writeSheet(ws: Worksheet, sheet: XlsxSheet): void {
  const cols = sheet.columns;
  const n = cols.length;
  let r = 1;
  if (sheet.title) {
    mergedLine(
      ws,
      r++,
      n,
      sheet.title,
      { bold: true, size: 16 },
      { horizontal: 'center', vertical: 'middle' },
      30,
    );
  }
  if (sheet.subtitle) {
    mergedLine(ws, r++, n, sheet.subtitle, { size: 10 }, { horizontal: 'center', vertical: 'middle' }, 18);
  }
  const headerRow = r++;

  const widths = cols.map((c) => estimateWidth(c, sheet.rows));
  const formats = cols.map(numFmtOf);
  const wraps = cols.map(
    (c, i) => c.wrap ?? ((c.type ?? 'text') === 'text' && (widths[i] ?? 0) >= MAX_WIDTH),
  );
  const aligns: Partial<Alignment>[] = cols.map((c, i) => {
    const type = c.type ?? 'text';
    const horizontal =
      c.align ?? (type === 'text' ? 'left' : type === 'date' || type === 'datetime' ? 'center' : 'right');
    return { horizontal, vertical: 'middle', wrapText: wraps[i] ?? false };
  });
  cols.forEach((c, i) => {
    ws.getColumn(i + 1).width = widths[i] ?? MIN_WIDTH;
  });

  const hr = ws.getRow(headerRow);
  cols.forEach((c, i) => {
    const cell = hr.getCell(i + 1);
    cell.value = cleanText(c.header);
    cell.font = { bold: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } };
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  });
  hr.height = 22;

  const fillCache = new Map<XlsxFill, { fill: Fill; color: string | null }>();
  const fill = (f: XlsxFill) => {
    let v = fillCache.get(f);
    if (!v) {
      v = fillOf(f);
      fillCache.set(f, v);
    }
    return v;
  };
  for (const spec of sheet.rows) {
    const row = ws.getRow(r++);
    cols.forEach((c, i) => {
      const cell: Cell = row.getCell(i + 1);
      const { value, asText } = cellValue(c, spec.cells[c.key]);
      if (value !== null) cell.value = value;
      cell.numFmt = asText ? '@' : (formats[i] ?? '@');
      cell.border = BORDER;
      cell.alignment = aligns[i] ?? {};
      const f = spec.cellFills?.[c.key] ?? spec.fill;
      const colored = f ? fill(f) : null;
      if (colored) cell.fill = colored.fill;
      if (spec.bold || colored?.color) {
        cell.font = {
          bold: spec.bold ?? false,
          ...(colored?.color ? { color: { argb: colored.color } } : {}),
        };
      }
    });
  }
  const lastRow = r - 1;

  if (sheet.notes && sheet.notes.length > 0) {
    r++;
    for (const note of sheet.notes) {
      const lines = Math.max(
        1,
        Math.ceil(
          displayWidth(note) /
            Math.max(
              20,
              widths.reduce((a, b) => a + b, 0),
            ),
        ),
      );
      mergedLine(
        ws,
        r++,
        n,
        note,
        { size: 10 },
        { horizontal: 'left', vertical: 'top', wrapText: true },
        16 * lines,
      );
    }
  }

  const freezeCols = Math.max(0, Math.min(sheet.freezeColumns ?? 0, n));
  ws.views = [
    {
      state: 'frozen',
      xSplit: freezeCols,
      ySplit: headerRow,
      topLeftCell: ws.getCell(headerRow + 1, freezeCols + 1).address,
      activeCell: ws.getCell(headerRow + 1, 1).address,
    },
  ];
  ws.autoFilter = {
    from: { row: headerRow, column: 1 },
    to: { row: Math.max(headerRow, lastRow), column: n },
  };
  ws.pageSetup = {
    ...ws.pageSetup,
    paperSize: 9,
    orientation: sheet.landscape === false ? 'portrait' : 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: `${headerRow}:${headerRow}`,
  };
}

/** Builds an .xlsx file in memory. Throws Error for a sheet without columns (a programming error). */
export async function writeWorkbook(spec: XlsxWorkbookSpec): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = spec.creator ?? '信用创建工作台';
  wb.created = spec.created ?? new Date();
  wb.modified = wb.created;
  const used = new Set<string>();
  if (spec.sheets.length === 0) throw new Error('writeWorkbook: at least one sheet is required');
  for (const sheet of spec.sheets) {
    if (sheet.columns.length === 0) throw new Error(`writeWorkbook: sheet "${sheet.name}" has no columns`);
    writeSheet(wb.addWorksheet(sheetName(sheet.name, used)), sheet);
  }
  const out = await wb.xlsx.writeBuffer();
  return Buffer.from(out as ArrayBuffer);
}
