/**
 * The check pipeline (run.ts) with the real readers and a small FAKE engine, so the pipeline's
 * own logic is tested exactly: rows after the header, empty rows skipped, counts, per-rule and
 * per-field tallies, wrong codes, worst rows, the sample cap, onFinding, missing required
 * columns, the error workbook (written only with findings), progress, cancellation and the
 * memory bound. The real engine is exercised by test/integration/compliance-fixtures.test.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import { describe, expect, it, vi } from 'vitest';
import type { Finding, RuleSetDefinition } from '../../main/core/contract/compliance';
import { RuleSetDefinition as RuleSetSchema } from '../../main/core/contract/compliance';
import type { HeaderMatch, RawRow, RowChecker, StoredRuleSet } from '../../main/core/compliance/types';
import { writeCsv } from '../helpers/compliance-files';
import { tempDir } from '../helpers/core';

vi.mock('../../main/core/compliance/engine', () => {
  const RULES: Record<string, { name: string }> = {
    required: { name: '必填项' },
    uscc_check: { name: '统一社会信用代码校验位' },
    whitespace: { name: '多余空格' },
  };
  /** Header = the first row containing the first field's name; columns mapped by exact name. */
  function matchHeader(rows: RawRow[], def: RuleSetDefinition): HeaderMatch | null {
    const first = def.fields[0]?.name ?? '';
    const row = rows.find((r) => r.cells.includes(first));
    if (!row) return null;
    const fieldIndex: Record<string, number> = {};
    const columns = row.cells.map((header, index) => {
      const f = def.fields.find((x) => x.name === header);
      if (f) fieldIndex[f.key] = index;
      return { index, header, field: f?.key ?? null, fieldName: f?.name ?? null };
    });
    const missingFields = def.fields
      .filter((f) => f.required && fieldIndex[f.key] === undefined)
      .map((f) => f.name);
    return { headerRow: row.n, columns, fieldIndex, matched: Object.keys(fieldIndex).length, missingFields };
  }
  /** A: 'bad' → required error; B: ends with Z → uscc_check error, starts with space → whitespace warning. */
  function compileChecker(_def: RuleSetDefinition, match: HeaderMatch): RowChecker {
    const a = match.fieldIndex.K_A ?? -1;
    const b = match.fieldIndex.K_B ?? -1;
    const mk = (
      row: number,
      column: number,
      field: string,
      rule: string,
      severity: 'error' | 'warning',
      value: string,
    ): Finding => ({
      row,
      column,
      field,
      rule,
      severity,
      message: `${field}有误`,
      value,
    });
    return {
      check(cells, row, out) {
        const va = cells[a] ?? '';
        const vb = cells[b] ?? '';
        if (a >= 0 && va === 'bad') out.push(mk(row, a, 'A', 'required', 'error', va));
        if (b >= 0 && vb.endsWith('Z')) out.push(mk(row, b, 'B', 'uscc_check', 'error', vb));
        if (b >= 0 && vb.startsWith(' ')) out.push(mk(row, b, 'B', 'whitespace', 'warning', vb));
      },
    };
  }
  function detectRuleSet(rows: RawRow[], sets: StoredRuleSet[]) {
    const found = sets.flatMap((set) => {
      const match = matchHeader(rows, set.definition);
      return match ? [{ set, match }] : [];
    });
    return { best: found[0] ?? null, candidates: found };
  }
  return { RULES, matchHeader, compileChecker, detectRuleSet };
});

const { checkTable, previewTable } = await import('../../main/core/compliance/run');

const DEF: RuleSetDefinition = RuleSetSchema.parse({
  code: 'fake',
  name: '测试规则集',
  category: 'double',
  version: '1',
  fields: [
    { key: 'K_A', name: 'A', required: true },
    { key: 'K_B', name: 'B', format: 'uscc' },
    { key: 'K_C', name: 'C' },
  ],
});
const DEF_WITH_D: RuleSetDefinition = RuleSetSchema.parse({
  ...DEF,
  fields: [...DEF.fields, { key: 'K_D', name: 'D', required: true }],
});

const TODAY = '2027-03-10';

function csvFile(rows: string[][], name = 'data.csv'): string {
  const file = path.join(tempDir(), name);
  writeCsv(file, rows, { encoding: 'utf-8' });
  return file;
}

async function workbookRows(file: string): Promise<unknown[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet('错误明细');
  const out: unknown[][] = [];
  ws?.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
  return out;
}

describe('checkTable (fake engine)', () => {
  it('checks the rows after the header, skips empty rows, and counts everything', async () => {
    const file = csvFile([
      ['某某局行政处罚信息', '', ''], // row 1: title
      ['A', 'B', 'C'], // row 2: header
      ['ok', '91350100M000100Y43', 'x'], // 3
      ['bad', '9135Z', 'x'], // 4: 2 errors
      ['', '', ''], // 5: empty, not counted
      ['ok', ' 91', 'x'], // 6: warning only
      ['bad', ' Z', 'x'], // 7: 2 errors + 1 warning
      ['ok', 'fine', 'x'], // 8
    ]);
    const wbPath = path.join(path.dirname(file), 'errors.xlsx');
    const seen: Finding[] = [];
    const r = await checkTable(file, 'data.csv', DEF, {
      today: TODAY,
      errorWorkbookPath: wbPath,
      onFinding: (f) => seen.push(f),
    });
    expect(r.headerRow).toBe(2);
    expect(r.format).toBe('csv');
    expect(r.encoding).toBe('utf-8');
    expect(r.rows).toBe(5);
    expect(r.errorRows).toBe(2);
    expect(r.warningRows).toBe(1);
    expect(r.errors).toBe(4);
    expect(r.warnings).toBe(2);
    expect(r.rate).toBeCloseTo(60, 10);
    expect(r.wrongCodes).toBe(2); // rows 4 and 7 (uscc_check on B); whitespace is not a wrong code
    expect(r.byRule).toEqual([
      { rule: 'required', name: '必填项', severity: 'error', count: 2 },
      { rule: 'uscc_check', name: '统一社会信用代码校验位', severity: 'error', count: 2 },
      { rule: 'whitespace', name: '多余空格', severity: 'warning', count: 2 },
    ]);
    expect(r.byField).toEqual([
      { field: 'B', errors: 2, warnings: 2 },
      { field: 'A', errors: 2, warnings: 0 },
    ]);
    expect(seen.map((f) => [f.row, f.rule])).toEqual([
      [4, 'required'],
      [4, 'uscc_check'],
      [6, 'whitespace'],
      [7, 'required'],
      [7, 'uscc_check'],
      [7, 'whitespace'],
    ]);
    expect(r.sample).toEqual(seen);
    expect(r.sampleTruncated).toBe(false);
    expect(r.worstRows.map((w) => [w.row, w.errors, w.warnings, w.findings.length])).toEqual([
      [7, 2, 1, 3],
      [4, 2, 0, 2],
      [6, 0, 1, 1],
    ]);
    expect(r.errorWorkbookWritten).toBe(true);
    const rows = await workbookRows(wbPath);
    expect(rows[0]).toEqual(['原行号', 'A', 'B', 'C', '错误字段', '规则', '说明']);
    expect(rows.slice(1).map((x) => x[0])).toEqual([4, 6, 7]);
    expect(rows[3]?.[1]).toBe('bad');
  });

  it('writes no workbook when the file is clean; an empty file is 100% compliant', async () => {
    const file = csvFile([
      ['A', 'B', 'C'],
      ['ok', 'fine', 'x'],
    ]);
    const wbPath = path.join(path.dirname(file), 'errors.xlsx');
    const r = await checkTable(file, 'data.csv', DEF, { today: TODAY, errorWorkbookPath: wbPath });
    expect(r.rows).toBe(1);
    expect(r.rate).toBe(100);
    expect(r.errorWorkbookWritten).toBe(false);
    expect(fs.existsSync(wbPath)).toBe(false);

    const empty = csvFile([['A', 'B', 'C']]);
    const e = await checkTable(empty, 'empty.csv', DEF, { today: TODAY });
    expect(e.rows).toBe(0);
    expect(e.rate).toBe(100);
  });

  it('a missing required column makes every data row an error (one row-level finding per row)', async () => {
    const file = csvFile([
      ['A', 'B', 'C'],
      ['ok', 'fine', 'x'],
      ['bad', 'fine', 'x'],
      ['ok', ' w', 'x'],
    ]);
    const wbPath = path.join(path.dirname(file), 'errors.xlsx');
    const r = await checkTable(file, 'data.csv', DEF_WITH_D, { today: TODAY, errorWorkbookPath: wbPath });
    expect(r.missingFields).toEqual(['D']);
    expect(r.rows).toBe(3);
    expect(r.errorRows).toBe(3);
    expect(r.warningRows).toBe(0);
    expect(r.rate).toBe(0);
    const missing = r.sample.filter((f) => f.field === 'D');
    expect(missing.map((f) => [f.row, f.column, f.rule, f.severity])).toEqual([
      [2, null, 'required', 'error'],
      [3, null, 'required', 'error'],
      [4, null, 'required', 'error'],
    ]);
    expect(missing[0]?.message).toContain('缺少必填列「D」');
    expect((await workbookRows(wbPath)).length).toBe(4);
  });

  it('refuses a file without the rule set header with a Chinese message', async () => {
    const file = csvFile([
      ['姓名', '年龄'],
      ['张三', '30'],
    ]);
    await expect(checkTable(file, '名单.csv', DEF, { today: TODAY })).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message:
        '「名单.csv」中没有找到「测试规则集」的表头（前 30 行中没有与规则集字段匹配的行）。请确认文件内容与所选规则集一致。',
    });
  });

  it('keeps the first 2,000 findings and the 20 worst rows', async () => {
    const rows: string[][] = [['A', 'B', 'C']];
    for (let i = 0; i < 3000; i++) rows.push([i % 100 === 50 ? 'bad' : 'ok', 'xZ', 'c']);
    const file = csvFile(rows);
    let count = 0;
    const r = await checkTable(file, 'data.csv', DEF, { today: TODAY, onFinding: () => count++ });
    expect(count).toBe(3030);
    expect(r.errors).toBe(3030);
    expect(r.sample.length).toBe(2000);
    expect(r.sampleTruncated).toBe(true);
    expect(r.worstRows.length).toBe(20);
    // the 30 rows with two errors are the worst; the earliest 20 of them are kept
    expect(r.worstRows.map((w) => w.row)).toEqual(Array.from({ length: 20 }, (_, k) => 2 + 50 + 100 * k));
  });

  it('reports progress, is cancelled promptly and deletes the partial workbook', async () => {
    const rows: string[][] = [['A', 'B', 'C']];
    for (let i = 0; i < 300_000; i++) rows.push(['ok', i % 10 === 0 ? 'xZ' : 'fine', 'c']);
    const file = csvFile(rows);
    const wbPath = path.join(path.dirname(file), 'errors.xlsx');

    const progress: { done: number; total: number | null; message: string }[] = [];
    const full = await checkTable(file, 'data.csv', DEF, {
      today: TODAY,
      onProgress: (p) => progress.push(p),
    });
    expect(full.rows).toBe(300_000);
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const last = progress[progress.length - 1];
    expect(last?.message).toBe('已检查 300,000 行');
    expect(last?.done).toBe(last?.total);
    for (let i = 1; i < progress.length; i++) {
      expect(progress[i]!.done).toBeGreaterThanOrEqual(progress[i - 1]!.done);
    }

    const ac = new AbortController();
    let sawWorkbook = false;
    const t0 = performance.now();
    let abortedAt = 0;
    await expect(
      checkTable(file, 'data.csv', DEF, {
        today: TODAY,
        errorWorkbookPath: wbPath,
        signal: ac.signal,
        onProgress: () => {
          sawWorkbook ||= fs.existsSync(wbPath);
          if (!ac.signal.aborted) {
            abortedAt = performance.now();
            ac.abort();
          }
        },
      }),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(performance.now() - abortedAt).toBeLessThan(1000);
    expect(abortedAt - t0).toBeGreaterThan(0);
    expect(sawWorkbook).toBe(true);
    expect(fs.existsSync(wbPath)).toBe(false);
  }, 60_000);

  it('never holds the rows: 1,000,000 rows with heap growth bounded', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'million.csv');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'A,B,C\r\n');
    let chunk = '';
    for (let i = 0; i < 1_000_000; i++) {
      chunk += `ok${i},${i % 1000 === 0 ? 'xZ' : 'fine'},c${i}\r\n`;
      if (chunk.length > 1 << 20) {
        fs.writeSync(fd, chunk);
        chunk = '';
      }
    }
    fs.writeSync(fd, chunk);
    fs.closeSync(fd);
    // measure what is RETAINED (heap after a full collection), not garbage not yet collected
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    gc();
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let samples = 0;
    const r = await checkTable(file, 'million.csv', DEF, {
      today: TODAY,
      errorWorkbookPath: path.join(dir, 'errors.xlsx'),
      onProgress: () => {
        gc();
        samples++;
        peak = Math.max(peak, process.memoryUsage().heapUsed - base);
      },
    });
    expect(r.rows).toBe(1_000_000);
    expect(r.errorRows).toBe(1000);
    expect(samples).toBeGreaterThanOrEqual(3);
    // the rows as strings would retain well over 100 MB
    expect(peak).toBeLessThan(30 * 1024 * 1024);
  }, 60_000);
});

describe('previewTable (fake engine)', () => {
  const sets: StoredRuleSet[] = [{ id: 'set-1', definition: DEF }];

  it('detects the header and returns the first rows after it', async () => {
    const rows: string[][] = [
      ['标题', '', ''],
      ['A', 'B', 'C'],
    ];
    for (let i = 0; i < 60; i++) rows.push([`v${i}`, 'b', i === 3 ? '' : 'c']);
    rows.splice(5, 0, ['', '', '']);
    const file = csvFile(rows);
    const p = await previewTable(file, 'data.csv', sets, { rowsLimit: 20 });
    expect(p.ruleSetId).toBe('set-1');
    expect(p.headerRow).toBe(2);
    expect(p.candidates).toEqual([{ ruleSetId: 'set-1', name: '测试规则集', matched: 3, missing: [] }]);
    expect(p.columns.map((c) => c.field)).toEqual(['K_A', 'K_B', 'K_C']);
    expect(p.rows.length).toBe(20);
    expect(p.rows[0]).toEqual({ n: 3, cells: ['v0', 'b', 'c'] });
    expect(p.rows.some((r) => r.n === 6)).toBe(false); // the empty row
    expect(p.format).toBe('csv');
    expect(p.size).toBe(fs.statSync(file).size);
  });

  it('without a recognisable header still shows the top rows', async () => {
    const file = csvFile([
      ['姓名', '年龄'],
      ['张三', '30'],
    ]);
    const p = await previewTable(file, 'x.csv', sets);
    expect(p.ruleSetId).toBeNull();
    expect(p.headerRow).toBeNull();
    expect(p.columns).toEqual([]);
    expect(p.rows.map((r) => r.n)).toEqual([1, 2]);
  });
});
