/**
 * The compliance commands of the CLI, in-process: `compliance check` on a folder (a clean xlsx,
 * a GBK CSV with injected defects, a PDF renamed .xlsx → per-file lines, error workbook next to
 * the file, exit code 2), on one clean file (0), on the defective file (1, --out), --json with
 * every finding at its spreadsheet row, field and rule; --rules unknown (2); --dir/--dept/--month
 * recording the result and `compliance report`; `compliance rules`, rules-export and rules-import.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ComplianceOverview, RuleSetSummary } from '../../main/core/contract/index';
import { cliWorkspace } from '../helpers/cli';
import { writeCsv, writePdf, writeXlsx } from '../helpers/compliance-files';
import {
  injectDefects,
  PENALTY_HEADERS,
  rng,
  validPenaltyRow,
  type InjectedDefect,
} from '../helpers/compliance-rows';

const { root, ws, cli, cliJson } = cliWorkspace('cwb-cli-compliance-', '琼海创建');

interface CheckJson {
  findings: {
    file: string;
    row: number;
    field: string | null;
    rule: string;
    severity: string;
    message: string;
    value: string | null;
  }[];
  files: {
    file: string;
    status: string;
    rows: number;
    errorRows: number;
    rate: number | null;
    errorWorkbook: string | null;
    error: string | null;
    ruleSet: { code: string } | null;
  }[];
  exitCode: number;
}

function rows(n: number, seed: number): string[][] {
  const rand = rng(seed);
  return Array.from({ length: n }, (_, i) => validPenaltyRow(rand, i));
}

let folder: string;
let defects: InjectedDefect[];

beforeAll(async () => {
  folder = path.join(root, '报送数据');
  fs.mkdirSync(folder);
  await writeXlsx(path.join(folder, 'a-合规.xlsx'), [
    { name: 'Sheet1', rows: [[...PENALTY_HEADERS], ...rows(50, 1)] },
  ]);
  const bad = rows(100, 2);
  defects = injectDefects(bad, rng(3), {
    kinds: ['required', 'uscc_check', 'date_format', 'whitespace', 'code_list'],
  });
  // a title row above the header: the header is spreadsheet row 2, data from row 3
  writeCsv(path.join(folder, 'b-有错.csv'), [['行政处罚信息报送表'], [...PENALTY_HEADERS], ...bad], {
    encoding: 'gbk',
  });
  writePdf(path.join(folder, 'c-不是表格.xlsx'));
  fs.writeFileSync(path.join(folder, '说明.txt'), '不检查');
});

describe('compliance check', () => {
  it('checks every spreadsheet of a folder: per-file lines, workbook next to the file, exit code 2', async () => {
    const r = await cli('compliance', 'check', folder);
    expect(r.code, r.stderr).toBe(2);
    const out = r.stdout;
    expect(out.indexOf('a-合规.xlsx')).toBeLessThan(out.indexOf('b-有错.csv'));
    expect(out).toContain('规则集：行政处罚（xzcf 2026.1）');
    expect(out).toContain('行数 50  错误行 0  警告行 0  合规率 100.00%');
    const errorRows = new Set(defects.filter((d) => d.severity === 'error').map((d) => d.index)).size;
    expect(out).toContain(`行数 100  错误行 ${errorRows}  `);
    expect(out).toContain('CSV，GBK编码');
    expect(out).toContain('表头在第 2 行');
    expect(out).toMatch(/c-不是表格\.xlsx\n {2}无法检查：.*c-不是表格\.xlsx/);
    expect(out).not.toContain('说明.txt');
    expect(out).toContain('共 3 个文件：1 个合规，1 个有错误，1 个无法检查。');
    const wb = path.join(folder, 'b-有错.错误明细.xlsx');
    expect(out).toContain(`错误明细：${wb}`);
    expect(fs.existsSync(wb)).toBe(true);
    expect(fs.existsSync(path.join(folder, 'a-合规.错误明细.xlsx'))).toBe(false);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(wb);
    expect(book.getWorksheet('错误明细')!.rowCount).toBe(1 + new Set(defects.map((d) => d.index)).size);

    // checking the folder again does not check the error workbook written into it
    const again = await cli('compliance', 'check', folder);
    expect(again.stdout).toContain('共 3 个文件');
  });

  it('exit code 0 for a clean file, 1 for errors (workbook into --out)', async () => {
    const ok = await cli('compliance', 'check', path.join(folder, 'a-合规.xlsx'));
    expect(ok.code, ok.stderr).toBe(0);
    const outDir = path.join(root, '错误明细');
    const r = await cli(
      'compliance',
      'check',
      path.join(folder, 'b-有错.csv'),
      '--rules',
      'xzcf',
      '--out',
      outDir,
    );
    expect(r.code, r.stderr).toBe(1);
    expect(fs.existsSync(path.join(outDir, 'b-有错.错误明细.xlsx'))).toBe(true);
  });

  it('--json prints every finding with its spreadsheet row, field and rule', async () => {
    const r = await cli('compliance', 'check', path.join(folder, 'b-有错.csv'), '--json');
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout) as CheckJson;
    expect(doc.exitCode).toBe(1);
    expect(doc.findings.map((f) => `${f.file}|${f.row}|${f.field}|${f.rule}|${f.severity}`).sort()).toEqual(
      defects.map((d) => `b-有错.csv|${d.index + 3}|${d.field}|${d.rule}|${d.severity}`).sort(),
    );
    expect(doc.findings.every((f) => /[\u4e00-\u9fff]/.test(f.message))).toBe(true);
    expect(doc.files).toHaveLength(1);
    expect(doc.files[0]).toMatchObject({
      file: 'b-有错.csv',
      status: 'errors',
      rows: 100,
      ruleSet: { code: 'xzcf' },
    });

    const folderJson = await cli('compliance', 'check', folder, '--json');
    expect(folderJson.code).toBe(2);
    const all = JSON.parse(folderJson.stdout) as CheckJson;
    expect(all.files.map((f) => f.status)).toEqual(['compliant', 'errors', 'unusable']);
    expect(all.files[2]!.error).toContain('c-不是表格.xlsx');
  });

  it('an unknown rule set or a missing file is unusable input (2)', async () => {
    const r = await cli('compliance', 'check', folder, '--rules', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('没有规则集「nope」');
    expect(r.stderr).toContain('xzcf（行政处罚）');
    const missing = await cli('compliance', 'check', path.join(root, '没有这个.csv'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('找不到');
    const noDir = await cli('compliance', 'check', folder, '--dept', '市场监管局');
    expect(noDir.code).toBe(2);
  });
});

describe('recording in a workspace and the report', () => {
  it('records the results for the department and month; report lists the rates worst first', async () => {
    const r = await cli(
      'compliance',
      'check',
      path.join(folder, 'b-有错.csv'),
      '--dir',
      ws,
      '--dept',
      '市场监管局',
      '--month',
      '2026-10',
    );
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('结果已记入工作区（2026-10）');
    const clean = await cli(
      'compliance',
      'check',
      path.join(folder, 'a-合规.xlsx'),
      '--dir',
      ws,
      '--dept',
      '市发改委',
      '--month',
      '2026-10',
    );
    expect(clean.code, clean.stderr).toBe(0);
    const o = await cliJson<ComplianceOverview>('compliance', 'report', '--dir', ws, '--month', '2026-10');
    expect(o.departments.map((d) => [d.deptName, d.rows])).toEqual([
      ['琼海市市场监督管理局', 100],
      ['琼海市发展和改革委员会', 50],
    ]);
    const text = await cli('compliance', 'report', '--dir', ws);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('2026年10月数据合规情况');
    expect(text.stdout).toMatch(/琼海市市场监督管理局\s+1\s+100/);
    const unknown = await cli('compliance', 'check', folder, '--dir', ws, '--dept', '不存在的局');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('工作区中没有单位「不存在的局」');
  });

  it('lists, exports and imports rule sets', async () => {
    const list = await cliJson<RuleSetSummary[]>('compliance', 'rules');
    expect(list.map((s) => s.code)).toEqual(expect.arrayContaining(['xzcf', 'xzxk', 'xzqz', 'tdxx_ns']));
    const text = await cli('compliance', 'rules', '--dir', ws);
    expect(text.stdout).toMatch(/xzcf\s+行政处罚\s+双公示\s+2026\.1/);
    const file = path.join(root, '行政处罚.json');
    const ex = await cli('compliance', 'rules-export', 'xzcf', '--out', file);
    expect(ex.code, ex.stderr).toBe(0);
    const def = JSON.parse(fs.readFileSync(file, 'utf8')) as { version: string; name: string };
    def.version = '2026.2';
    def.name = '行政处罚（本省）';
    fs.writeFileSync(file, JSON.stringify(def, null, 2));
    const im = await cli('compliance', 'rules-import', file, '--dir', ws);
    expect(im.code, im.stderr).toBe(0);
    expect(im.stdout).toContain('已导入规则集「行政处罚（本省）」（xzcf 2026.2），为当前版本');
    const after = await cliJson<RuleSetSummary[]>('compliance', 'rules', '--dir', ws, '--all');
    expect(after.filter((s) => s.code === 'xzcf').map((s) => [s.version, s.current])).toEqual([
      ['2026.2', true],
      ['2026.1', false],
    ]);
  });
});
