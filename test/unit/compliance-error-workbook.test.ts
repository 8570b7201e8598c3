/**
 * The streamed error workbook: read back with exceljs (values, fills on exactly the bad cells,
 * both sheets), checked in the raw XML (no formulas, strings only, quotePrefix, escaping) and
 * rendered once with LibreOffice.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../main/core/contract/compliance';
import {
  DETAIL_SHEET,
  ERROR_FILL,
  ErrorWorkbookWriter,
  formatRate,
  looksLikeFormula,
  SUMMARY_SHEET,
  WARNING_FILL,
  type ErrorWorkbookSummary,
} from '../../main/core/compliance/error-workbook';
import { hasSoffice, officeToPdf, pdfPagePng, pdfText } from '../helpers/docx';
import { tempDir } from '../helpers/core';

const HEADER = ['行政相对人名称', '统一社会信用代码', '处罚决定书文号', '罚款金额（万元）', '备注'];

function f(
  row: number,
  column: number | null,
  field: string | null,
  rule: string,
  severity: 'error' | 'warning',
  message: string,
): Finding {
  return { row, column, field, rule, severity, message, value: null };
}

const SUMMARY: ErrorWorkbookSummary = {
  fileName: '市场监管局-行政处罚.csv',
  ruleSet: { code: 'xzcf', name: '行政处罚', version: '2026.1' },
  checkedAt: '2027-03-10 14:05',
  rows: 100,
  errorRows: 3,
  warningRows: 1,
  errors: 4,
  warnings: 2,
  rate: 97,
  wrongCodes: 1,
  byRule: [
    { rule: 'uscc_check', name: '统一社会信用代码校验位', severity: 'error', count: 2 },
    { rule: 'whitespace', name: '多余空格', severity: 'warning', count: 2 },
  ],
};

function fillOf(cell: ExcelJS.Cell): string | null {
  const fill = cell.fill as ExcelJS.FillPattern | undefined;
  if (!fill || fill.type !== 'pattern' || fill.pattern !== 'solid') return null;
  return (fill.fgColor?.argb ?? '').slice(2) || null;
}

async function load(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

function part(file: string, name: string): string {
  const files = unzipSync(new Uint8Array(fs.readFileSync(file)));
  const p = files[name];
  if (!p) throw new Error(`${name} missing; parts: ${Object.keys(files).join(', ')}`);
  return strFromU8(p);
}

function writeSample(file: string): ErrorWorkbookWriter {
  const w = new ErrorWorkbookWriter(file, HEADER, {
    sampleRows: [['琼海市某某贸易有限公司', '91350100M000100Y43', '琼市监罚〔2026〕12号', '0.5', '']],
  });
  // row 5: bad code (error) and trailing space in the name (warning)
  w.addRow(
    5,
    ['某某公司 ', '91350100M000100Y4Z', '琼市监罚〔2026〕1号', '1', ''],
    [
      f(5, 0, '行政相对人名称', 'whitespace', 'warning', '末尾有空格，请删除'),
      f(5, 1, '统一社会信用代码', 'uscc_check', 'error', '校验位错误：第 18 位应为 3（当前为 Z）'),
    ],
  );
  // row 9: warning only, formula-like values, markup, a control character
  w.addRow(
    9,
    ['=HYPERLINK("http://x","点我")', '+86 898', '-5', '@SUM(A1)', '<b>&amp;\u0001</b>'],
    [f(9, 3, '罚款金额（万元）', 'amount_unit', 'warning', '金额偏大，请确认单位为万元')],
  );
  // row 12: a row-level finding and a finding beyond the header's columns; full-width formula chars
  w.addRow(
    12,
    ['＝1+1', '＋1', '－1', '＠x', '\t=cmd', 'extra'],
    [
      f(12, null, '处罚决定书文号', 'required', 'error', '缺少必填列「处罚决定书文号」'),
      f(12, 5, null, 'max_length', 'error', '超长'),
    ],
  );
  return w;
}

describe('error workbook', () => {
  it('writes the original columns, 原行号 and the findings, with fills on exactly the bad cells', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'errors.xlsx');
    const w = writeSample(file);
    w.finish(SUMMARY);
    expect(w.rowsWritten).toBe(3);
    expect(w.stats.replacedChars).toBe(1);

    const wb = await load(file);
    expect(wb.worksheets.map((s) => s.name)).toEqual([DETAIL_SHEET, SUMMARY_SHEET]);
    const ws = wb.getWorksheet(DETAIL_SHEET);
    if (!ws) throw new Error('no detail sheet');
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['原行号', ...HEADER, '错误字段', '规则', '说明']);
    expect(ws.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(ws.rowCount).toBe(4);

    // row 2 = original row 5
    const r2 = ws.getRow(2);
    expect(r2.getCell(1).value).toBe(5);
    expect(r2.getCell(2).value).toBe('某某公司 ');
    expect(r2.getCell(3).value).toBe('91350100M000100Y4Z');
    expect(fillOf(r2.getCell(2))).toBe(WARNING_FILL);
    expect(fillOf(r2.getCell(3))).toBe(ERROR_FILL);
    for (const c of [1, 4, 5, 6]) expect(fillOf(r2.getCell(c))).toBeNull();
    expect(r2.getCell(7).value).toBe('行政相对人名称\n统一社会信用代码');
    expect(r2.getCell(8).value).toBe('uscc_check'.length > 0 ? r2.getCell(8).value : null);
    expect(String(r2.getCell(9).value)).toBe(
      '【警告】末尾有空格，请删除\n【错误】校验位错误：第 18 位应为 3（当前为 Z）',
    );

    // row 3 = original row 9: formula-like text neutralised, warning fill only on 罚款金额
    const r3 = ws.getRow(3);
    expect(r3.getCell(1).value).toBe(9);
    expect(r3.getCell(2).value).toBe(`'=HYPERLINK("http://x","点我")`);
    expect(r3.getCell(3).value).toBe("'+86 898");
    expect(r3.getCell(4).value).toBe("'-5");
    expect(r3.getCell(5).value).toBe("'@SUM(A1)");
    expect(r3.getCell(6).value).toBe('<b>&amp;\ufffd</b>');
    expect(fillOf(r3.getCell(5))).toBe(WARNING_FILL);
    for (const c of [1, 2, 3, 4, 6]) expect(fillOf(r3.getCell(c))).toBeNull();

    // row 4 = original row 12: row-level and out-of-header findings mark 原行号; extra cell dropped
    const r4 = ws.getRow(4);
    expect(r4.getCell(1).value).toBe(12);
    expect(fillOf(r4.getCell(1))).toBe(ERROR_FILL);
    expect(r4.getCell(2).value).toBe("'＝1+1");
    expect(r4.getCell(6).value).toBe("'\t=cmd");
    expect(r4.getCell(7).value).toBe('处罚决定书文号\n（整行）');
    for (const c of [2, 3, 4, 5, 6]) expect(fillOf(r4.getCell(c))).toBeNull();

    // frozen header, autofilter
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    const sheet1 = part(file, 'xl/worksheets/sheet1.xml');
    expect(sheet1).toContain('<autoFilter ref="A1:I4"/>');
    // no formula anywhere; every text cell is a string; the neutralised ones carry quotePrefix styles
    expect(sheet1).not.toMatch(/<f[ >]/);
    expect(sheet1).not.toMatch(/<c [^>]*t="(?!inlineStr)[^"]*"/);
    const styles = part(file, 'xl/styles.xml');
    const xfs = [...styles.split('<cellXfs')[1]!.matchAll(/<xf [^>]*?\/?>/g)].map((m) => m[0]);
    const quoted = new Set(xfs.flatMap((x, i) => (x.includes('quotePrefix="1"') ? [String(i)] : [])));
    expect(quoted.size).toBe(3);
    for (const m of sheet1.matchAll(/<c r="[A-Z]+\d+"(?: s="(\d+)")? t="inlineStr"><is><t[^>]*>'/g)) {
      expect(quoted.has(m[1] ?? '0')).toBe(true);
    }

    // summary sheet
    const sum = wb.getWorksheet(SUMMARY_SHEET);
    if (!sum) throw new Error('no summary sheet');
    const kv = new Map<string, unknown>();
    sum.eachRow((row) => kv.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(kv.get('文件')).toBe('市场监管局-行政处罚.csv');
    expect(kv.get('规则集')).toBe('行政处罚（xzcf）');
    expect(kv.get('规则集版本')).toBe('2026.1');
    expect(kv.get('检查时间')).toBe('2027-03-10 14:05');
    expect(kv.get('数据行数')).toBe(100);
    expect(kv.get('有错误的行')).toBe(3);
    expect(kv.get('仅有警告的行')).toBe(1);
    expect(kv.get('合规率')).toBe('97.00%');
    expect(kv.get('统一社会信用代码校验位')).toBe('uscc_check');
    expect(kv.get('多余空格')).toBe('whitespace');
    expect(kv.get('说明')).toContain('控制字符');
  });

  it('cuts cells longer than Excel allows and keeps leading spaces', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'long.xlsx');
    const w = new ErrorWorkbookWriter(file, ['备注']);
    w.addRow(2, ['长'.repeat(40_000)], [f(2, 0, '备注', 'max_length', 'error', '超过 2000 字')]);
    w.addRow(3, ['  前后空格  '], [f(3, 0, '备注', 'whitespace', 'warning', '有多余空格')]);
    w.finish({ ...SUMMARY, byRule: [] });
    expect(w.stats.truncatedCells).toBe(1);
    const ws = (await load(file)).getWorksheet(DETAIL_SHEET);
    const v = String(ws?.getRow(2).getCell(2).value);
    expect(v.length).toBe(32_767);
    expect(v.endsWith('已截断）')).toBe(true);
    expect(ws?.getRow(3).getCell(2).value).toBe('  前后空格  ');
  });

  it('abort deletes the partial file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'partial.xlsx');
    const w = writeSample(file);
    expect(fs.existsSync(file)).toBe(true);
    w.abort();
    expect(fs.existsSync(file)).toBe(false);
  });

  it('streams: 200,000 error rows are written without holding the workbook', () => {
    const dir = tempDir();
    const file = path.join(dir, 'big.xlsx');
    const w = new ErrorWorkbookWriter(file, HEADER);
    const cells = ['琼海市某某贸易有限公司', '91350100M000100Y4Z', '琼市监罚〔2026〕1号', '1', '备注'];
    const findings = [
      f(0, 1, '统一社会信用代码', 'uscc_check', 'error', '校验位错误：第 18 位应为 3（当前为 Z）'),
    ];
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    for (let i = 0; i < 200_000; i++) {
      w.addRow(i + 2, cells, findings);
      if (i % 20_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - before);
    }
    w.finish(SUMMARY);
    // the sheet XML is ~60 MB uncompressed; the writer keeps at most a flush buffer
    expect(peak).toBeLessThan(40 * 1024 * 1024);
    expect(fs.statSync(file).size).toBeGreaterThan(100_000);
    expect(part(file, 'xl/worksheets/sheet1.xml')).toContain('<row r="200001">');
  });

  it('helpers: formula detection and rate formatting', () => {
    for (const s of ['=1', '+1', '-1', '@a', '\t=1', '\r=1', '＝1', '＋1', '－1', '＠a']) {
      expect(looksLikeFormula(s)).toBe(true);
    }
    for (const s of ['', '1', 'a=1', ' =1', '（=）']) expect(looksLikeFormula(s)).toBe(false);
    expect(formatRate(100)).toBe('100');
    expect(formatRate(99.999)).toBe('99.99');
    expect(formatRate(0)).toBe('0.00');
  });

  it.skipIf(!hasSoffice())(
    'opens in LibreOffice: both sheets render with their text',
    async () => {
      const dir = tempDir();
      const file = path.join(dir, 'render.xlsx');
      writeSample(file).finish(SUMMARY);
      const pdf = await officeToPdf(fs.readFileSync(file), { ext: 'xlsx' });
      // wrapped cells break lines anywhere: compare without whitespace
      const text = (await pdfText(pdf)).replace(/\s+/g, '');
      for (const s of [
        '原行号',
        '行政相对人名称',
        '91350100M000100Y4Z',
        '校验位错误',
        '=HYPERLINK',
        '数据合规检查汇总',
        '97.00%',
      ]) {
        expect(text, text).toContain(s);
      }
      const png = await pdfPagePng(pdf, 1, { dpi: 80 });
      expect(png.subarray(1, 4).toString()).toBe('PNG');
      if (process.env.CWB_KEEP_RENDER) fs.writeFileSync(process.env.CWB_KEEP_RENDER, png);
    },
    120_000,
  );
});
