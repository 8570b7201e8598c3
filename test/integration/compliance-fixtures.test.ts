/**
 * The main test: files generated here — GBK CSV, UTF-8 CSV, UTF-8-BOM CSV (with a title
 * row above a header written the way departments write it) and xlsx (real date cells) — each
 * with a few thousand valid rows and a KNOWN list of injected defects. checkTable must report
 * every defect at the right spreadsheet row (header row = 1 when the header is on top), column,
 * field and rule, and nothing else; the error workbook must hold exactly the defect rows with
 * exactly the defect cells highlighted.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS } from '../../main/core/compliance/builtin';
import { ERROR_FILL, WARNING_FILL } from '../../main/core/compliance/error-workbook';
import { checkTable } from '../../main/core/compliance/run';
import { type Finding, RuleSetDefinition } from '../../main/core/contract/compliance';
import { writeCsv, writeXlsx, type CsvEncoding, type XlsxCell } from '../helpers/compliance-files';
import {
  injectDefects,
  LICENCE_HEADERS,
  PENALTY_HEADERS,
  PENALTY_HEADERS_VARIANT,
  rng,
  validLicenceRow,
  validPenaltyRow,
  type InjectedDefect,
} from '../helpers/compliance-rows';
import { tempDir } from '../helpers/core';

const TODAY = '2026-03-01';
const ROWS = 3000;

const defOf = (code: string) => RuleSetDefinition.parse(BUILTIN_RULE_SETS.find((s) => s.code === code));

interface Fixture {
  name: string;
  set: 'xzcf' | 'xzxk';
  format: 'csv' | 'xlsx';
  encoding?: CsvEncoding;
  header: readonly string[];
  title?: string;
  seed: number;
}

const FIXTURES: Fixture[] = [
  {
    name: '市场监管局-行政处罚-GBK.csv',
    set: 'xzcf',
    format: 'csv',
    encoding: 'gbk',
    header: PENALTY_HEADERS,
    seed: 11,
  },
  {
    name: '住建局-行政许可-UTF8.csv',
    set: 'xzxk',
    format: 'csv',
    encoding: 'utf-8',
    header: LICENCE_HEADERS,
    seed: 12,
  },
  {
    name: '交通局-行政处罚-BOM.csv',
    set: 'xzcf',
    format: 'csv',
    encoding: 'utf-8-bom',
    header: PENALTY_HEADERS_VARIANT,
    title: '琼海市交通运输局 2026 年行政处罚信息（第一季度）',
    seed: 13,
  },
  { name: '卫健委-行政处罚.xlsx', set: 'xzcf', format: 'xlsx', header: PENALTY_HEADERS, seed: 14 },
];

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** In the xlsx, valid ISO dates become real date cells (what Excel users type). */
function xlsxCell(v: string): XlsxCell {
  const m = ISO_DATE.exec(v);
  if (!m) return v;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCDate() === Number(m[3]) ? d : v;
}

const key = (row: number, column: number | null, field: string | null, rule: string, severity: string) =>
  `${row}|${column ?? '-'}|${field ?? '-'}|${rule}|${severity}`;

function fillOf(cell: ExcelJS.Cell): string | null {
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  if (!fill || fill.type !== 'pattern' || fill.pattern !== 'solid') return null;
  return (fill.fgColor?.argb ?? '').slice(2) || null;
}

describe('compliance check of generated fixture files', () => {
  for (const fx of FIXTURES) {
    it(`${fx.name}: every injected defect is found at its row and field, and nothing else`, async () => {
      const dir = tempDir();
      const file = path.join(dir, fx.name);
      const rand = rng(fx.seed);
      const rows: string[][] = [];
      for (let i = 0; i < ROWS; i++)
        rows.push(fx.set === 'xzcf' ? validPenaltyRow(rand, i) : validLicenceRow(rand, i));
      const defects: InjectedDefect[] = injectDefects(rows, rand, { set: fx.set, perKind: 2 });
      expect(defects.length).toBeGreaterThan(40);

      const top: string[][] = fx.title ? [[fx.title]] : [];
      const all = [...top, [...fx.header], ...rows];
      if (fx.format === 'csv') writeCsv(file, all, { encoding: fx.encoding ?? 'utf-8' });
      else await writeXlsx(file, [{ name: '行政处罚', rows: all.map((r) => r.map(xlsxCell)) }]);
      const headerRow = top.length + 1;

      const wbPath = path.join(dir, 'errors.xlsx');
      const found: Finding[] = [];
      const def = defOf(fx.set);
      const r = await checkTable(file, fx.name, def, {
        today: TODAY,
        errorWorkbookPath: wbPath,
        onFinding: (f) => found.push(f),
      });

      expect(r.format).toBe(fx.format);
      if (fx.encoding) expect(r.encoding).toBe(fx.encoding);
      expect(r.headerRow).toBe(headerRow);
      expect(r.missingFields).toEqual([]);
      expect(r.rows).toBe(ROWS);

      const expected = defects.map((d) =>
        key(headerRow + 1 + d.index, d.column, d.field, d.rule, d.severity),
      );
      const actual = found.map((f) => key(f.row, f.column, f.field, f.rule, f.severity));
      const missingOnes = expected.filter((k) => !actual.includes(k));
      const falseAlarms = found.filter(
        (f) => !expected.includes(key(f.row, f.column, f.field, f.rule, f.severity)),
      );
      expect(missingOnes, `not found: ${missingOnes.join('; ')}`).toEqual([]);
      expect(
        falseAlarms.map(
          (f) => `${key(f.row, f.column, f.field, f.rule, f.severity)} ${f.message} [${f.value ?? ''}]`,
        ),
        'false alarms',
      ).toEqual([]);
      expect(actual.length).toBe(expected.length);

      const defectRows = [...new Set(defects.map((d) => headerRow + 1 + d.index))].sort((a, b) => a - b);
      const errorRowSet = new Set(
        defects.filter((d) => d.severity === 'error').map((d) => headerRow + 1 + d.index),
      );
      expect(r.errorRows).toBe(errorRowSet.size);
      expect(r.warningRows).toBe(defectRows.length - errorRowSet.size);
      expect(r.rate).toBeCloseTo(((ROWS - errorRowSet.size) / ROWS) * 100, 10);
      expect(r.byRule.reduce((n, c) => n + c.count, 0)).toBe(defects.length);

      // the error workbook: exactly the defect rows, exactly the defect cells highlighted
      expect(r.errorWorkbookWritten).toBe(true);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(wbPath);
      const ws = wb.getWorksheet('错误明细');
      if (!ws) throw new Error('no 错误明细');
      const head = (ws.getRow(1).values as unknown[]).slice(1);
      expect(head).toEqual(['原行号', ...fx.header, '错误字段', '规则', '说明']);
      const byRow = new Map<number, InjectedDefect[]>();
      for (const d of defects) {
        const n = headerRow + 1 + d.index;
        byRow.set(n, [...(byRow.get(n) ?? []), d]);
      }
      const seenRows: number[] = [];
      ws.eachRow((row, i) => {
        if (i === 1) return;
        const n = Number(row.getCell(1).value);
        seenRows.push(n);
        const ds = byRow.get(n) ?? [];
        for (let c = 0; c < fx.header.length; c++) {
          const here = ds.filter((d) => d.column === c);
          const want = here.some((d) => d.severity === 'error')
            ? ERROR_FILL
            : here.length > 0
              ? WARNING_FILL
              : null;
          expect(fillOf(row.getCell(c + 2)), `row ${n} column ${fx.header[c]}`).toBe(want);
        }
        const original = rows[n - headerRow - 1] ?? [];
        expect(String(row.getCell(2).value ?? '')).toBe(
          /^[=+\-@]/.test(original[0] ?? '') ? `'${original[0]}` : (original[0] ?? ''),
        );
      });
      expect(seenRows).toEqual(defectRows);
    }, 120_000);
  }
});
