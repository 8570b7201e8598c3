/**
 * Indicator-system workbooks: export → import as a new version gives the same tree; importing
 * an existing version updates by code (self-assessment and uploaded evidence kept), adds and
 * removes; a broken file names every bad row and column and writes nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import { call, callError, coreWithWorkspace, tempDir, writeCounts } from '../helpers/core';
import { importBook, systemWorkbook } from '../helpers/indicators';

/** The tree of a version as comparable data (ids replaced by codes). */
async function tree(core: Core, version: string) {
  const { listIndicators } = await import('../../main/core/indicators/indicators');
  const ws = core.workspace!;
  const list = listIndicators(ws, version);
  const code = new Map(list.map((i) => [i.id, i.code]));
  const evidence = (id: string) =>
    (
      ws.db
        .prepare('SELECT title FROM indicator_evidence WHERE indicator_id = ? AND deleted = 0 ORDER BY sort')
        .all(id) as { title: string }[]
    ).map((e) => e.title);
  return list.map((i) => ({
    code: i.code,
    title: i.title,
    kind: i.kind,
    parent: i.parentId ? code.get(i.parentId) : null,
    points: i.points,
    standard: i.standard,
    owners: i.ownerDeptIds,
    evidence: evidence(i.id),
  }));
}

async function exported(core: Core, version?: string): Promise<ExcelJS.Workbook> {
  const r = await call(core, 'indicators.exportSystem', { ...(version ? { version } : {}) });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(fs.readFileSync(r.file) as unknown as ArrayBuffer);
  return wb;
}

async function bufferOf(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Row number of a code in the exported 指标体系 sheet. */
function rowOf(wb: ExcelJS.Workbook, code: string): number {
  const ws = wb.getWorksheet('指标体系')!;
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 1).text === code) return r;
  throw new Error(`no row ${code}`);
}

describe('export and import round trip', () => {
  it('exports the documented format and imports it as a new version with the same tree', async () => {
    const { core } = await coreWithWorkspace();
    const wb = await exported(core);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['指标体系', '版本信息', '说明']);
    const sheet = wb.getWorksheet('指标体系')!;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      '编号',
      '名称',
      '类型',
      '上级编号',
      '分值',
      '评分标准',
      '责任单位',
      '佐证材料',
    ]);
    expect(sheet.getCell(rowOf(wb, '基础-03'), 7).text).toBe('市发改委、市市场监管局、市综合执法局');
    const info = wb.getWorksheet('版本信息')!;
    expect([info.getCell(1, 1).text, info.getCell(1, 2).text]).toEqual(['项目', '内容']);
    expect(info.getCell(2, 1).text).toBe('版本');
    expect(info.getCell(2, 2).text).toBe('2021');
    expect(info.getCell(4, 2).text).toBe('100');
    info.getCell(2, 2).value = '2021-副本';
    const r = await importBook(core, await bufferOf(wb), false);
    const original = await tree(core, '2021');
    expect(r).toEqual({
      version: '2021-副本',
      name: expect.stringContaining('示范区评审指标'),
      created: original.length,
      updated: 0,
      removed: 0,
      current: false,
    });
    expect(await tree(core, '2021-副本')).toEqual(original);
    const systems = await call(core, 'indicators.systems', {});
    expect(systems.find((s) => s.version === '2021-副本')).toMatchObject({
      scoredTotal: 100,
      bonusTotal: 10,
      scoredPoints: 100,
      current: false,
    });
    // and back again: exporting the copy gives the same rows
    const again = await exported(core, '2021-副本');
    const rows = (w: ExcelJS.Workbook) =>
      w
        .getWorksheet('指标体系')!
        .getSheetValues()
        .map((v) => JSON.stringify(v));
    expect(rows(again)).toEqual(rows(wb));
  });

  it('re-importing the same version updates by code, keeps self-assessments and uploaded evidence', async () => {
    const { core } = await coreWithWorkspace();
    const inds = await call(core, 'indicators.list', {});
    const b01 = inds.find((i) => i.code === '基础-01')!;
    const leaf = inds.find((i) => i.code === '评分-1.1')!;
    await call(core, 'indicators.update', { id: b01.id, patch: { status: 'met', narrative: '已达标说明' } });
    const [kept, dropped] = (await call(core, 'indicators.get', { id: b01.id })).evidence;
    const up = await call(core, 'attachments.upload', {
      uploadId: null,
      data: Buffer.from('x').toString('base64'),
    });
    await call(core, 'attachments.add', {
      ownerType: 'evidence',
      ownerId: kept!.id,
      file: { uploadId: up.uploadId, name: '审查意见.pdf' },
    });
    const wb = await exported(core);
    const sheet = wb.getWorksheet('指标体系')!;
    // edit: rename 基础-01, drop both its first evidence items from the list, remove 评分-1.1
    // (re-balancing its category), add 评分-1.4
    const r01 = rowOf(wb, '基础-01');
    sheet.getCell(r01, 2).value = '社会信用体系建设依法依规';
    sheet.getCell(r01, 8).value = '市司法局出具的合法性审查情况说明';
    sheet.spliceRows(rowOf(wb, '评分-1.1'), 1);
    const r13 = rowOf(wb, '评分-1.3');
    sheet.insertRow(r13 + 1, [
      '评分-1.4',
      '信用建设专项经费',
      '评分指标',
      '评分-1',
      4,
      '纳入财政预算。',
      '市财政局',
      '',
    ]);
    const before = await tree(core, '2021');
    const result = await importBook(core, await bufferOf(wb));
    expect(result).toMatchObject({ version: '2021', created: 1, updated: 1, removed: 1, current: true });
    const after = await call(core, 'indicators.list', {});
    expect(after.length).toBe(before.length);
    const b01After = after.find((i) => i.code === '基础-01')!;
    expect(b01After).toMatchObject({
      id: b01.id,
      title: '社会信用体系建设依法依规',
      status: 'met',
      narrative: '已达标说明',
    });
    const ev = (await call(core, 'indicators.get', { id: b01.id })).evidence;
    // the item with an upload stays (after the file's items); the one without is gone
    expect(ev.map((e) => e.title)).toEqual(['市司法局出具的合法性审查情况说明', kept!.title]);
    expect(ev.some((e) => e.id === dropped!.id)).toBe(false);
    expect(after.some((i) => i.id === leaf.id)).toBe(false);
    const added = after.find((i) => i.code === '评分-1.4')!;
    expect(added).toMatchObject({ points: 4, ownerDeptNames: ['市财政局'], kind: 'scored' });
    expect(after.find((i) => i.id === added.parentId)?.code).toBe('评分-1');
    // importing the same file again changes nothing
    const again = await importBook(core, await bufferOf(await exported(core)));
    expect(again).toMatchObject({ created: 0, updated: 0, removed: 0 });
  });
});

describe('bad files', () => {
  it('names every bad row and column, and writes nothing', async () => {
    const { core } = await coreWithWorkspace();
    const book = await systemWorkbook(
      { version: '2022', name: '坏文件', scoredTotal: 100, bonusTotal: null },
      [
        { 编号: 'A', 名称: '类别甲', 类型: '类别', 分值: 10 },
        { 编号: 'A.1', 名称: '一', 类型: '评分指标', 上级编号: 'A', 分值: 6 },
        { 编号: 'A.1', 名称: '重复', 类型: '评分指标', 上级编号: 'A', 分值: 3 },
        { 编号: 'B.1', 名称: '孤儿', 类型: '评分指标', 上级编号: 'B', 分值: 1 },
        { 编号: 'C', 名称: '叶子上级', 类型: '评分指标', 上级编号: 'A.1', 分值: 1 },
        { 编号: 'D', 名称: '类型错', 类型: '必选项' },
        { 编号: 'E', 名称: '缺分值', 类型: '评分指标' },
        { 编号: 'F', 名称: '负分', 类型: '加分项', 分值: -1 },
        { 编号: 'G', 名称: '循环一', 类型: '类别', 上级编号: 'H' },
        { 编号: 'H', 名称: '循环二', 类型: '类别', 上级编号: 'G' },
        { 编号: 'J', 名称: '基础', 类型: '基础指标', 责任单位: '市发改委、市大数据局' },
      ],
    );
    const file = path.join(tempDir(), '指标体系-2022.xlsx');
    fs.writeFileSync(file, book);
    const before = writeCounts(core);
    const err = await callError(
      core,
      'indicators.importSystem',
      { file: { path: file }, makeCurrent: true },
      'BAD_INPUT',
    );
    const m = err.message;
    expect(m).toContain('未导入任何内容');
    expect(m).toContain('第 4 行 A 列「编号」：编号「A.1」与第 3 行重复');
    expect(m).toContain('第 5 行 D 列「上级编号」：找不到上级编号「B」');
    expect(m).toContain(
      '第 6 行 D 列「上级编号」：上级「A.1」（第 3 行）是评分指标，只有“类别”可以有下级指标',
    );
    expect(m).toContain('第 7 行 C 列「类型」：类型「必选项」无法识别');
    expect(m).toContain('第 8 行 E 列「分值」：评分指标须填写分值');
    expect(m).toContain('第 9 行 E 列「分值」：分值不能为负数');
    expect(m).toMatch(/第 1[01] 行 D 列「上级编号」：上级关系形成循环/);
    expect(m).toContain('第 2 行 E 列「分值」：类别「A 类别甲」的分值 10 与其下各项分值之和 9 不一致');
    expect(m).toContain('工作表「版本信息」第 4 行 B 列「内容」：“评分指标总分”为 100');
    expect(m).toContain('第 12 行 G 列「责任单位」：找不到责任单位「市大数据局」');
    expect(writeCounts(core)).toEqual(before);
    expect((await call(core, 'indicators.systems', {})).map((s) => s.version)).toEqual(['2021']);
  });

  it('refuses a file without the sheets, and a file that is not a workbook', async () => {
    const { core } = await coreWithWorkspace();
    const { writeWorkbook } = await import('../../main/core/export/xlsx');
    const file = path.join(tempDir(), '随便.xlsx');
    fs.writeFileSync(
      file,
      await writeWorkbook({
        sheets: [{ name: 'Sheet1', columns: [{ key: 'a', header: '序号' }], rows: [] }],
      }),
    );
    const err = await callError(core, 'indicators.importSystem', { file: { path: file } }, 'BAD_INPUT');
    expect(err.message).toContain('缺少工作表「版本信息」');
    expect(err.message).toContain('缺少工作表「指标体系」');
    const txt = path.join(tempDir(), '指标.xlsx');
    fs.writeFileSync(txt, '编号,名称\n1,2\n');
    expect(
      (await callError(core, 'indicators.importSystem', { file: { path: txt } }, 'BAD_INPUT')).message,
    ).toContain('纯文本');
  });
});
