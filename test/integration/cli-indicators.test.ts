/**
 * The indicators commands of the CLI, in-process against a real workspace: list (tree, --json),
 * readiness, export → edit → import as a new version (--no-current), use, and a broken file
 * refused with exit code 1 naming the row; usage errors with 2, in Chinese.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Indicator, IndicatorSystem, Readiness } from '../../main/core/contract/index';
import { cliWorkspace } from '../helpers/cli';

const { root, ws, cli, cliJson } = cliWorkspace('cwb-cli-indicators-', '琼海创建');

describe('indicators list and readiness', () => {
  it('prints the tree with status, score, owners and evidence; --json gives the list', async () => {
    const r = await cli('indicators', 'list', '--dir', ws);
    expect(r.code, r.stderr).toBe(0);
    const line = r.stdout.split('\n').find((l) => l.includes('基础-03'))!;
    expect(line).toContain('行政许可、行政处罚 100%上报');
    expect(line).toContain('推进中');
    expect(line).toContain('市发改委、市市场监管局、市综合执法局');
    expect(line).toContain('0/3');
    // a scored leaf indented under its category, with self-score/points
    const leaf = r.stdout.split('\n').find((l) => l.includes('评分-1.1'))!;
    expect(leaf).toMatch(/^\s{2,}评分-1\.1/);
    expect(leaf).toContain('—/4');
    const list = await cliJson<Indicator[]>('indicators', 'list', '--dir', ws);
    expect(list.filter((i) => i.kind === 'basic')).toHaveLength(12);
  });

  it('readiness lists the unmet basic indicators', async () => {
    const r = await cli('indicators', 'readiness', '--dir', ws);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('基础指标：已达标 0/12');
    expect(r.stdout).toContain('基础-12 信用信息系统安全零失误（推进中）');
    expect(r.stdout).toContain('评分指标：19 项，自评 0/100 分');
    const json = await cliJson<Readiness>('indicators', 'readiness', '--dir', ws);
    expect(json).toMatchObject({ allBasicMet: false, scored: { possible: 100 }, bonus: { possible: 10 } });
  });
});

describe('indicators export, import and use', () => {
  it('round-trips a version through a file and switches to it', async () => {
    const out = path.join(root, '指标体系.xlsx');
    const ex = await cli('indicators', 'export', '--dir', ws, '--out', out);
    expect(ex.code, ex.stderr).toBe(0);
    expect(ex.stdout).toContain('已写入');
    // a second export to the same file needs --force
    const again = await cli('indicators', 'export', '--dir', ws, '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('--force');

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(out) as unknown as ArrayBuffer);
    wb.getWorksheet('版本信息')!.getCell(2, 2).value = '2022';
    wb.getWorksheet('版本信息')!.getCell(3, 2).value = '2022年版（试行）';
    const edited = path.join(root, '指标体系-2022.xlsx');
    fs.writeFileSync(edited, Buffer.from(await wb.xlsx.writeBuffer()));
    const imp = await cli('indicators', 'import', edited, '--dir', ws, '--no-current');
    expect(imp.code, imp.stderr).toBe(0);
    expect(imp.stdout).toContain(
      '已导入指标体系「2022年版（试行）」（版本 2022）：新增 42 项，更新 0 项，删除 0 项',
    );
    expect(imp.stdout).toContain('未切换当前版本');

    const use = await cli('indicators', 'use', '2022', '--dir', ws);
    expect(use.code, use.stderr).toBe(0);
    expect(use.stdout).toContain('已切换到指标体系版本 2022');
    const systems = await cliJson<IndicatorSystem[]>('indicators', 'use', '--dir', ws);
    expect(systems.map((s) => [s.version, s.current])).toEqual([
      ['2021', false],
      ['2022', true],
    ]);
    const unknown = await cli('indicators', 'use', '2099', '--dir', ws);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('指标体系版本「2099」不存在');
  });

  it('refuses a broken file naming the row, and a missing file argument', async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('指标体系');
    sheet.addRow(['编号', '名称', '类型', '上级编号', '分值']);
    sheet.addRow(['X', '类别', '类别', '', '']);
    sheet.addRow(['X.1', '评分项', '评分指标', 'Y', 3]);
    const info = wb.addWorksheet('版本信息');
    info.addRow(['项目', '内容']);
    info.addRow(['版本', '2030']);
    info.addRow(['名称', '坏文件']);
    const bad = path.join(root, '坏.xlsx');
    fs.writeFileSync(bad, Buffer.from(await wb.xlsx.writeBuffer()));
    const r = await cli('indicators', 'import', bad, '--dir', ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('第 3 行 D 列「上级编号」：找不到上级编号「Y」');
    expect(r.stderr).toContain('未导入任何内容');
    const usage = await cli('indicators', 'import', '--dir', ws);
    expect(usage.code).toBe(2);
  });
});
