/**
 * Reads a workbook of monthly monitoring results: one row per month, columns 月份 | 综合得分 |
 * 排名 | 参评城市数 | the five dimensions (| 备注). Header variants are accepted (全角/半角 brackets
 * and notes such as 「综合得分（分）」, spaces, 综合信用指数 for 综合得分, 名次 for 排名, 城市数 /
 * 参评城市 for 参评城市数); month cells may be Excel dates, 2027-03, 2027年3月, 2027.3 or 202703.
 *
 * Pure: nothing is written. Every problem is collected with its row and column so the caller can
 * refuse the whole file at once. Loaded lazily (exceljs stays out of start-up).
 */
import ExcelJS from 'exceljs';
import { MONITORING_DIMENSION_LABEL, MONITORING_DIMENSIONS } from '../contract/labels';
import { calendarDateOf, excelSerialToDate } from '../import/dates';
import { assertXlsx, displayName, type ImportFile } from '../import/file';
import { normalizeHeader } from '../import/headers';
import { columnLetter, type Scalar, SheetGrid } from '../import/sheet';
import { AppError } from '../util/errors';
import { monthLabel, type Dim } from './rules';

type Field = 'month' | 'score' | 'rank' | 'total' | Dim | 'note';

const FIELD_LABEL: Record<Field, string> = {
  month: '月份',
  score: '综合得分',
  rank: '排名',
  total: '参评城市数',
  note: '备注',
  ...MONITORING_DIMENSION_LABEL,
};

/** Accepted header texts (after normalizeHeader: NFKC, no spaces, bracketed notes removed). */
const SYNONYMS: Record<Field, string[]> = {
  month: ['月份', '监测月份', '年月', '月度', '时间', '监测时间'],
  score: ['综合得分', '综合信用指数', '信用指数', '综合指数', '得分', '总得分', '综合评分'],
  rank: ['排名', '名次', '综合排名', '全国排名', '排位'],
  total: ['参评城市数', '城市数', '参评城市', '参评城市数量', '监测城市数', '参与排名城市数', '城市总数'],
  note: ['备注', '说明'],
  incentive: ['守信激励和失信治理', '守信激励与失信治理'],
  system: ['信用制度和基础建设', '信用制度与基础建设'],
  culture: ['诚信文化和诚信建设', '诚信文化与诚信建设'],
  service: ['信用服务和信用创新', '信用服务与信用创新'],
  environment: ['信用环境和营商环境', '信用环境与营商环境'],
};

const REQUIRED: Field[] = ['month', 'score', 'rank', 'total'];

const byHeader = new Map<string, Field>();
for (const f of Object.keys(SYNONYMS) as Field[]) for (const n of SYNONYMS[f]) byHeader.set(n, f);

function fieldOf(text: string): Field | null {
  const h = normalizeHeader(text).replace(/[、，,]/g, '');
  return byHeader.get(h) ?? null;
}

export interface ImportProblem {
  /** 1-based worksheet row. */
  row: number;
  /** Column letter and header, e.g. "C「排名」"; null for whole-row or whole-file problems. */
  column: string | null;
  message: string;
}

export interface ParsedResult {
  row: number;
  /** Column (letter + header) of the month cell, for later problems about this month. */
  monthColumn: string;
  month: string;
  score: number;
  rank: number;
  total: number;
  dims: Record<Dim, number | null>;
  note: string | null;
}

/** Refusal of the whole file: every problem on its own line (at most 20 shown). */
export function importError(fileName: string, problems: ImportProblem[]): AppError {
  const name = displayName(fileName);
  const lines = problems
    .slice(0, 20)
    .map((p) => `第${p.row}行${p.column ? `${p.column}列` : ''}：${p.message}`);
  const more = problems.length > 20 ? `\n……另有 ${problems.length - 20} 处问题` : '';
  return new AppError(
    'BAD_INPUT',
    `「${name}」有 ${problems.length} 处问题，未导入任何监测结果。请修改后重新导入：\n${lines.join('\n')}${more}`,
    { fileName: name, problems },
  );
}

/** 'YYYY-MM' from a month cell, or null. */
export function parseMonthCell(v: Scalar): string | null {
  const ym = (y: number, m: number) =>
    y >= 2000 && y <= 2100 && m >= 1 && m <= 12 ? `${y}-${String(m).padStart(2, '0')}` : null;
  if (v === null || typeof v === 'boolean') return null;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) return null;
    const c = calendarDateOf(v);
    return ym(c.y, c.m);
  }
  if (typeof v === 'number') {
    // 2027.3 typed as a number; 202703; otherwise an Excel date serial
    if (v >= 2000 && v < 2101 && !Number.isInteger(v)) {
      const [y, m] = String(v).split('.');
      return ym(Number(y), Number(m));
    }
    if (Number.isInteger(v) && v >= 200001 && v <= 210012) return ym(Math.floor(v / 100), v % 100);
    const c = excelSerialToDate(v);
    return c ? ym(c.y, c.m) : null;
  }
  const t = v.normalize('NFKC').replace(/\s+/g, '');
  let m = /^(\d{4})(?:[-/.年])(\d{1,2})(?:月份?|[-/.]\d{1,2}日?)?$/.exec(t);
  if (m) return ym(Number(m[1]), Number(m[2]));
  m = /^(\d{4})(\d{2})$/.exec(t);
  if (m) return ym(Number(m[1]), Number(m[2]));
  return null;
}

/** A number from a cell ("86.5", "86.5分", "第45名", "1,234"), or null when it is not one. */
export function parseNumberCell(v: Scalar): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const t = v
    .normalize('NFKC')
    .replace(/[\s,]/g, '')
    .replace(/^第/, '')
    .replace(/(分|名|个|位)$/, '');
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) return null;
  return Number(t);
}

interface Layout {
  row: number;
  cols: Map<Field, { col: number; header: string }>;
}

function findLayout(grid: SheetGrid): Layout | null {
  const last = Math.min(grid.rowCount, 15);
  for (let r = 1; r <= last; r++) {
    const cols = new Map<Field, { col: number; header: string }>();
    for (let c = 1; c <= grid.colCount; c++) {
      const text = grid.cell(r, c).text;
      const f = text ? fieldOf(text) : null;
      if (f && !cols.has(f)) cols.set(f, { col: c, header: text });
    }
    if (cols.has('month') && (cols.has('score') || cols.has('rank'))) return { row: r, cols };
  }
  return null;
}

async function loadWorkbook(data: Buffer, name: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads at runtime.
    await wb.xlsx.load(data as unknown as Parameters<typeof wb.xlsx.load>[0]);
  } catch (e) {
    throw new AppError(
      'BAD_INPUT',
      `「${name}」无法读取：文件可能已损坏。请在 Excel/WPS 中打开后另存为新的 .xlsx 再导入。`,
      { fileName: name, cause: e instanceof Error ? e.message : String(e) },
    );
  }
  return wb;
}

/**
 * Parses the first worksheet with a recognisable header. Returns the rows and every problem
 * found (month twice in the file, rank larger than the number of cities, non-numeric or
 * missing cells …); throws only when the file itself cannot be used (not xlsx, no header).
 */
export async function parseResultsWorkbook(
  input: ImportFile,
): Promise<{ rows: ParsedResult[]; problems: ImportProblem[] }> {
  const fileName = displayName(input.fileName);
  assertXlsx(input.data, fileName);
  const wb = await loadWorkbook(input.data, fileName);
  const grids = wb.worksheets.map((w) => new SheetGrid(w)).filter((g) => !g.hidden);
  let grid: SheetGrid | null = null;
  let layout: Layout | null = null;
  for (const g of grids) {
    layout = findLayout(g);
    if (layout) {
      grid = g;
      break;
    }
  }
  if (!grid || !layout) {
    throw new AppError(
      'BAD_INPUT',
      `「${fileName}」中找不到监测结果的表头。第一行应为：月份、综合得分、排名、参评城市数，以及五个维度（${Object.values(MONITORING_DIMENSION_LABEL).join('、')}）。`,
      { fileName },
    );
  }
  const problems: ImportProblem[] = [];
  const missing = REQUIRED.filter((f) => !layout.cols.has(f));
  if (missing.length) {
    problems.push({
      row: layout.row,
      column: null,
      message: `表头缺少${missing.map((f) => `“${FIELD_LABEL[f]}”`).join('、')}列（工作表「${grid.name}」）。`,
    });
    return { rows: [], problems };
  }
  const colName = (f: Field) => {
    const c = layout.cols.get(f)!;
    return `${columnLetter(c.col)}「${c.header}」`;
  };
  const rows: ParsedResult[] = [];
  const seen = new Map<string, number>();
  for (let r = layout.row + 1; r <= grid.rowCount; r++) {
    if (!grid.hasRow(r)) continue;
    const cellOf = (f: Field) => {
      const c = layout.cols.get(f);
      return c ? grid.cell(r, c.col) : null;
    };
    const all = [...layout.cols.keys()].map((f) => cellOf(f)?.text ?? '');
    if (all.every((t) => t === '')) continue;
    const before = problems.length;
    const bad = (f: Field, message: string) => problems.push({ row: r, column: colName(f), message });

    const monthCell = cellOf('month')!;
    const month = monthCell.text === '' ? null : parseMonthCell(monthCell.value);
    if (monthCell.text === '') bad('month', '月份为空，请填写如 2027-03 或 2027年3月。');
    else if (!month) bad('month', `「${monthCell.text}」不是有效的月份，请写成 2027-03 或 2027年3月。`);

    const num = (f: 'score' | 'rank' | 'total' | Dim, required: boolean): number | null => {
      const c = cellOf(f);
      if (!c || c.text === '') {
        if (required) bad(f, `${FIELD_LABEL[f]}为空，请填写。`);
        return null;
      }
      const n = parseNumberCell(c.value);
      if (n === null) {
        bad(f, `「${c.text}」不是数字，请填写${FIELD_LABEL[f]}的数值。`);
        return null;
      }
      if (f === 'rank' || f === 'total') {
        if (!Number.isInteger(n) || n < 1) {
          bad(f, `${FIELD_LABEL[f]}应为不小于 1 的整数，当前为「${c.text}」。`);
          return null;
        }
        if (f === 'total' && n > 10000) {
          bad(f, `参评城市数 ${n} 过大，请检查（应不超过 10000）。`);
          return null;
        }
      } else if (n < 0 || n > 1000) {
        bad(f, `${FIELD_LABEL[f]}应在 0 到 1000 之间，当前为「${c.text}」。`);
        return null;
      }
      return n;
    };
    const score = num('score', true);
    const rank = num('rank', true);
    const total = num('total', true);
    const dims = {} as Record<Dim, number | null>;
    for (const d of MONITORING_DIMENSIONS) dims[d] = num(d, false);
    if (rank !== null && total !== null && rank > total)
      bad('rank', `排名 ${rank} 大于参评城市数 ${total}，请核对排名或参评城市数。`);
    if (month) {
      const first = seen.get(month);
      if (first !== undefined)
        bad('month', `${monthLabel(month)}在文件中出现了两次（另见第${first}行），每个月只能有一行。`);
      else seen.set(month, r);
    }
    if (problems.length > before || month === null || score === null || rank === null || total === null)
      continue;
    const note = cellOf('note')?.text ?? '';
    rows.push({
      row: r,
      monthColumn: colName('month'),
      month,
      score,
      rank,
      total,
      dims,
      note: note === '' ? null : note.slice(0, 2000),
    });
  }
  if (rows.length === 0 && problems.length === 0)
    problems.push({ row: layout.row, column: null, message: '表头下面没有监测结果数据行。' });
  return { rows, problems };
}
