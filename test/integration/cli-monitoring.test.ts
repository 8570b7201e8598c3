/**
 * The monitoring commands of the CLI, in-process against a real workspace: monitoring import
 * (a good workbook; a bad one with a month twice → exit code 1, the row named, nothing written;
 * an existing month without --replace refused, with --replace overwritten), monitoring list
 * (text and --json), reports ranking (the docx written, its text checked; an existing file
 * needs --force; a quarter without results refused; a bad --quarter is a usage error).
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { MonitoringOverview } from '../../main/core/contract/index';
import { cliWorkspace, docxText } from '../helpers/cli';
import { HEADER } from '../helpers/monitoring';

const { root, ws, cli } = cliWorkspace('cwb-cli-monitoring-', '琼海创建');

async function workbook(name: string, rows: (string | number | null)[][]): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('Sheet1');
  for (const r of rows) sheet.addRow(r);
  const file = path.join(root, name);
  fs.writeFileSync(file, Buffer.from(await wb.xlsx.writeBuffer()));
  return file;
}

describe('monitoring commands', () => {
  it('refuses a workbook with a month twice: exit code 1, the row named, nothing written', async () => {
    const bad = await workbook('重复月份.xlsx', [
      HEADER,
      ['2027-01', 84.1, 62, 400, 86, 80, 78, 82, 90],
      ['2027年1月', 84.3, 60, 400, 86, 80, 78, 82, 90],
    ]);
    const r = await cli('monitoring', 'import', bad, '--dir', ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('未导入任何监测结果');
    expect(r.stderr).toContain('第3行A「月份」列：2027年1月在文件中出现了两次（另见第2行）');
    const list = await cli('monitoring', 'list', '--dir', ws, '--json');
    expect((JSON.parse(list.stdout) as MonitoringOverview).results).toEqual([]);
  });

  it('imports, lists, refuses an existing month without --replace and overwrites with it', async () => {
    const good = await workbook('监测结果.xlsx', [
      HEADER,
      ['2027-01', 84.1, 62, 400, 86, 80, 78, 82, 90],
      ['2027-02', 85.3, 48, 400, 87, 81, 78.5, 84, 90.5],
      ['2027-03', 85.9, 45, 401, 86.2, 82, 79, 83, 91],
      ['2027-04', 86.4, 41, 401, 85.1, 82.4, 79.2, 82.5, 91.2],
    ]);
    const r = await cli('monitoring', 'import', good, '--dir', ws);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已导入 4 个月的监测结果（新增 4 个月，覆盖 0 个月）');

    const text = await cli('monitoring', 'list', '--dir', ws);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('2027年4月');
    expect(text.stdout).toContain('↑14');
    expect(text.stdout).toContain('已于2027年2月至4月连续3个月进入前50名');
    expect(text.stdout).toContain('2027年4月薄弱维度（2 个）');
    expect(text.stdout).toContain('「守信激励和失信治理」连续两个月下降：2月87分→3月86.2分→4月85.1分');
    expect(text.stdout).toContain('（待处理）');

    const again = await cli('monitoring', 'import', good, '--dir', ws);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('2027年1月在工作区中已有监测结果');
    const replaced = await cli('monitoring', 'import', good, '--dir', ws, '--replace', '--json');
    expect(replaced.code, replaced.stderr).toBe(0);
    expect(JSON.parse(replaced.stdout)).toEqual({
      created: 0,
      updated: 4,
      months: ['2027-01', '2027-02', '2027-03', '2027-04'],
    });
    const json = JSON.parse(
      (await cli('monitoring', 'list', '--dir', ws, '--json')).stdout,
    ) as MonitoringOverview;
    expect(json.results.map((x) => x.rank)).toEqual([62, 48, 45, 41]);
    expect(json.streak).toMatchObject({ current: 3, achieved: true });
  });

  it('reports ranking writes the quarterly analysis; refuses an empty quarter and a bad option', async () => {
    const out = path.join(root, '报告', '一季度排名分析.docx');
    const r = await cli('reports', 'ranking', '--dir', ws, '--quarter', '2027-q1', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已生成 2027-Q1 预警监测排名分析报告');
    const xml = docxText(out);
    expect(xml).toContain('城市信用状况预警监测排名分析报告');
    expect(xml).toContain('3月我市综合信用指数85.9分，在401个参评城市中排第45名');

    const exists = await cli('reports', 'ranking', '--dir', ws, '--quarter', '2027-Q1', '--out', out);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('--force');
    const forced = await cli(
      'reports',
      'ranking',
      '--dir',
      ws,
      '--quarter',
      '2027-Q1',
      '--out',
      out,
      '--force',
    );
    expect(forced.code, forced.stderr).toBe(0);

    const empty = await cli(
      'reports',
      'ranking',
      '--dir',
      ws,
      '--quarter',
      '2027-Q3',
      '--out',
      path.join(root, 'q3.docx'),
    );
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('没有任何监测结果');
    expect(fs.existsSync(path.join(root, 'q3.docx'))).toBe(false);

    const usage = await cli(
      'reports',
      'ranking',
      '--dir',
      ws,
      '--quarter',
      '2027-1',
      '--out',
      path.join(root, 'x.docx'),
    );
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('季度格式应为 2027-Q1');
  });
});
