/**
 * A read-only view of one exceljs worksheet for importers: cell values reduced to scalars,
 * merged ranges resolved (a slave cell reports its master and whether the merge is vertical),
 * column letters as Excel shows them, and the header-row search.
 */
import type { Cell, CellValue, Worksheet } from 'exceljs';
import { assignFields, type ColumnHeader, isUsableHeader, matchHeader, type TaskField } from './headers';

export type Scalar = string | number | boolean | Date | null;

export interface GridCell {
  value: Scalar;
  text: string;
  /** Row/column of the merge master (the cell itself when not merged). */
  masterRow: number;
  masterCol: number;
}

/** 1 → A, 27 → AA. */
export function columnLetter(col: number): string {
  let n = col;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function scalarOf(v: CellValue): Scalar {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('hyperlink' in v) {
    const t: unknown = v.text;
    return typeof t === 'string' ? t : scalarOf(t as CellValue);
  }
  if ('formula' in v || 'sharedFormula' in v) {
    const r = v.result;
    if (r === undefined || r === null) return null;
    if (typeof r === 'object' && !(r instanceof Date)) return r.error;
    return r;
  }
  if ('error' in v) return v.error;
  return null;
}

/** Text of a scalar as a user would read it (dates as YYYY-MM-DD, floats without noise). */
export function scalarText(v: Scalar): string {
  if (v === null) return '';
  if (typeof v === 'string') return v.replace(/\r\n?/g, '\n').trim();
  if (typeof v === 'number') return String(Number(v.toPrecision(15)));
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Number.isNaN(v.getTime())) return '';
  const d = new Date(Math.round(v.getTime() / 1000) * 1000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`;
}

const EMPTY_CACHE_LIMIT = 200;

export class SheetGrid {
  readonly name: string;
  readonly rowCount: number;
  readonly colCount: number;
  readonly hidden: boolean;

  constructor(private readonly ws: Worksheet) {
    this.name = ws.name;
    this.rowCount = ws.rowCount;
    this.colCount = Math.min(ws.columnCount, EMPTY_CACHE_LIMIT);
    this.hidden = ws.state !== 'visible';
  }

  /** False for rows absent from the file (always blank); cheap, so huge empty ranges cost nothing. */
  hasRow(row: number): boolean {
    return this.ws.findRow(row) !== undefined;
  }

  cell(row: number, col: number): GridCell {
    const c: Cell | undefined = this.ws.findCell(row, col);
    if (!c) return { value: null, text: '', masterRow: row, masterCol: col };
    const master = c.isMerged ? c.master : c;
    const value = scalarOf(master.value);
    return { value, text: scalarText(value), masterRow: Number(master.row), masterCol: Number(master.col) };
  }

  /**
   * The value a data row has in a column: its own, or the master's when the column is part of a
   * vertical merge (one 牵头单位 for several rows). A horizontally merged slave is empty: the
   * value belongs to the leftmost column only.
   */
  dataCell(row: number, col: number): GridCell & { inherited: boolean } {
    const g = this.cell(row, col);
    if (g.masterRow === row && g.masterCol === col) return { ...g, inherited: false };
    if (g.masterCol === col) return { ...g, inherited: true };
    return { value: null, text: '', masterRow: g.masterRow, masterCol: g.masterCol, inherited: true };
  }
}

export interface HeaderLayout {
  /** First header row (1-based). */
  row: number;
  /** 1, or 2 for a group row above sub-headers. */
  rows: 1 | 2;
  fields: Map<TaskField, ColumnHeader>;
  /** Columns with a header text that is not a known field. */
  ignored: ColumnHeader[];
}

export const HEADER_SEARCH_ROWS = 30;

function rowHeaders(grid: SheetGrid, r: number): ColumnHeader[] {
  const out: ColumnHeader[] = [];
  for (let c = 1; c <= grid.colCount; c++) {
    const text = grid.cell(r, c).text;
    out.push({ col: c, header: text, candidates: matchHeader(text) ?? [] });
  }
  return out;
}

function layoutOf(row: number, rows: 1 | 2, columns: ColumnHeader[]): HeaderLayout {
  const fields = assignFields(columns.filter((c) => c.candidates.length > 0));
  const used = new Set([...fields.values()].map((c) => c.col));
  const ignored = columns.filter((c) => !used.has(c.col) && c.header !== '');
  return { row, rows, fields, ignored };
}

/**
 * Finds the header in the first 30 rows: the first row (or pair of rows) naming at least the
 * task and its lead unit or deadline. A pair is used when the upper row holds group headers
 * (merged across sub-columns, or a header merged down over both rows) and the lower row holds
 * sub-headers; title rows above («…任务清单», «填报单位：…») are never part of the header.
 * Returns the best partial candidate's recognised labels for the error message when nothing fits.
 */
export function findHeader(grid: SheetGrid): { layout: HeaderLayout | null; partial: TaskField[] } {
  const last = Math.min(grid.rowCount, HEADER_SEARCH_ROWS);
  let partial: TaskField[] = [];
  let upper = last >= 1 ? rowHeaders(grid, 1) : [];
  for (let r = 1; r <= last; r++) {
    const lower = r + 1 <= grid.rowCount ? rowHeaders(grid, r + 1) : [];
    const single = layoutOf(r, 1, upper);
    if (single.fields.size > partial.length) partial = [...single.fields.keys()];
    // A group row has several distinct texts, one of them a field (a merged title row has one);
    // the row below is a sub-header row when most of its own texts are known headers.
    const upperTexts = new Set(upper.map((c) => c.header).filter((t) => t !== ''));
    const upperNamesAField = upperTexts.size >= 2 && upper.some((c) => c.candidates.length > 0);
    const lowerOwn = lower.filter((c, i) => c.header !== '' && c.header !== (upper[i]?.header ?? ''));
    const lowerKnown = lowerOwn.filter((c) => c.candidates.length > 0).length;
    const lowerIsSubHeader = lowerKnown > 0 && lowerKnown * 2 >= lowerOwn.length;
    if (upperNamesAField && lowerIsSubHeader) {
      const combined = upper.map((u, i): ColumnHeader => {
        const l = lower[i] ?? { col: u.col, header: '', candidates: [] };
        const sub = l.header !== '' && l.header !== u.header ? l : null;
        if (!sub) return u;
        const joined = matchHeader(u.header + sub.header);
        const candidates = sub.candidates.length > 0 ? sub.candidates : (joined ?? u.candidates);
        return { col: u.col, header: sub.header, candidates };
      });
      const double = layoutOf(r, 2, combined);
      if (isUsableHeader(double.fields)) return { layout: double, partial: [] };
    }
    if (isUsableHeader(single.fields)) return { layout: single, partial: [] };
    upper = lower;
  }
  return { layout: null, partial };
}
