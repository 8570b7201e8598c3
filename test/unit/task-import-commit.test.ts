/** Task workbook import through the core: preview, map unmatched units, commit in one transaction. */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { fakeClock, noon } from '../helpers/clock';
import { call, callError, countRows, makeCore, tempDir, wsOf } from '../helpers/core';

async function messyWorkbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务清单');
  ws.addRow(['琼海市社会信用体系建设示范区创建任务分解表']);
  ws.mergeCells('A1:E1');
  ws.addRow(['填报单位：市信用办', '', '', '日期：2027年1月5日']);
  ws.addRow(['序号', '工作任务', '牵头单位', '配合单位', '完成时限']);
  ws.addRow([1, '归集纳税信用信息', '税务局', '市财政局', '2027年3月31日']);
  ws.addRow([2, '归集水电气缴费信息', '市供水公司', '', '2027.4.30']);
  ws.addRow([3, '开展诚信宣传月活动', '宣传部', '各镇（区）', 46173]); // 2026-05-31 as a serial
  ws.addRow([4, '建设信用街区', '某某不存在的局', '', '2027年6月底']);
  await wb.xlsx.writeFile(file);
}

describe('tasks import through the core', () => {
  it('previews with problems, maps an unknown unit, commits every row in one transaction', async () => {
    const clock = fakeClock(noon('2027-01-10'));
    const { core } = makeCore({ clock: clock.now });
    await call(core, 'workspace.create', {
      name: '导入测试',
      templateId: 'qionghai',
      startMonth: '2027-01',
      me: { name: '李明', role: '项目负责人' },
    });
    const file = path.join(tempDir(), '各单位任务清单.xlsx');
    await messyWorkbook(file);
    const preview = await call(core, 'tasks.importPreview', { path: file });
    expect(preview.headerRow).toBe(3);
    expect(preview.rows.map((r) => r.rowNumber)).toEqual([4, 5, 6, 7]);
    expect(preview.rows.map((r) => r.task.dueDate)).toEqual([
      '2027-03-31',
      '2027-04-30',
      '2026-05-31',
      '2027-06-30',
    ]);
    expect(preview.unmatchedDepartments.map((u) => u.name)).toEqual(['某某不存在的局']);
    const bad = preview.rows.find((r) => r.rowNumber === 7)!;
    expect(bad.importable).toBe(false);
    expect(bad.problems.some((p) => p.column === 'C' && p.severity === 'error')).toBe(true);

    const depts = await call(core, 'departments.list', {});
    const target = depts.find((d) => d.shortName === '市住建局') ?? depts[0]!;
    const before = countRows(core, 'tasks');
    const r = await call(core, 'tasks.importCommit', {
      token: preview.token,
      deptMapping: { 某某不存在的局: target.id },
      issue: true,
    });
    expect(r).toMatchObject({ created: 4, skipped: 0 });
    expect(countRows(core, 'tasks')).toBe(before + 4);
    const created = await Promise.all(r.taskIds.map((id) => call(core, 'tasks.get', { id })));
    expect(created.map((t) => t.title)).toEqual([
      '归集纳税信用信息',
      '归集水电气缴费信息',
      '开展诚信宣传月活动',
      '建设信用街区',
    ]);
    expect(created.every((t) => t.status === 'issued')).toBe(true);
    expect(created[3]!.leadDeptId).toBe(target.id);
    expect(created[0]!.leadDeptName).toContain('税务局');
    // one transaction for the whole commit
    const txs = wsOf(core)
      .db.prepare(
        `SELECT COUNT(DISTINCT tx_id) AS n FROM changes WHERE op = 'create' AND entity_id IN (${r.taskIds.map(() => '?').join(',')})`,
      )
      .get(...r.taskIds) as { n: number };
    expect(txs.n).toBe(1);
    // the preview token is spent
    await callError(core, 'tasks.importCommit', { token: preview.token }, 'NOT_FOUND');
  });

  it('refuses files that are not workbooks, naming the file; nothing is written', async () => {
    const { core } = makeCore();
    await call(core, 'workspace.create', {
      name: 'x',
      templateId: 'qionghai',
      me: { name: '甲', role: '驻场顾问' },
    });
    const dir = tempDir();
    const csv = path.join(dir, '任务.xlsx');
    fs.writeFileSync(csv, '序号,任务名称\n1,测试\n');
    const before = countRows(core, 'changes');
    const e = await callError(core, 'tasks.importPreview', { path: csv }, 'BAD_INPUT');
    expect(e.message).toContain('任务.xlsx');
    const xls = path.join(dir, '老表格.xls');
    fs.writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
    expect((await callError(core, 'tasks.importPreview', { path: xls }, 'BAD_INPUT')).message).toContain(
      '另存为',
    );
    expect(countRows(core, 'changes')).toBe(before);
  });
});
