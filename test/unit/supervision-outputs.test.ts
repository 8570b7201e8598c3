/**
 * Output checks: the weekly dispatch report, a department's rectification analysis, the
 * clarification report (docx opened as XML) and the xlsx exports (read back with exceljs) carry
 * exactly the figures the database gives.
 */
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import { fakeClock, noon, type FakeClock } from '../helpers/clock';
import { call, makeCore, tempDir } from '../helpers/core';
import { findAll, readDocx, wText, type XmlNode } from '../helpers/docx';

let core: Core;
let clock: FakeClock;
let week: string;

function paragraphs(buf: Buffer): string[] {
  const body = readDocx(buf).xml('word/document.xml');
  return findAll(body, 'w:p').map((p) => wText(p));
}

function tables(buf: Buffer): string[][][] {
  const body = readDocx(buf).xml('word/document.xml');
  return findAll(body, 'w:tbl').map((t: XmlNode) =>
    findAll(t, 'w:tr').map((tr) => findAll(tr, 'w:tc').map((tc) => wText(tc).trim())),
  );
}

beforeAll(async () => {
  clock = fakeClock(noon('2027-03-01'));
  ({ core } = makeCore({ clock: clock.now, dataDir: tempDir('cwb-out-') }));
  await call(core, 'workspace.create', {
    name: '输出测试',
    templateId: 'qionghai',
    startMonth: '2027-01',
    me: { name: '李明', role: '项目负责人' },
  });
  const list = await call(core, 'tasks.list', { kinds: ['task'] });
  await call(core, 'tasks.transition', { ids: list.rows.map((t) => t.id), action: 'issue' });
  clock.set(noon('2027-03-05'));
  await call(core, 'dispatch.freeze', {});
  clock.set(noon('2027-03-10'));
  for (const t of list.rows.slice(0, 6)) {
    for (const action of ['sign', 'start', 'report', 'approve'] as const) {
      await call(core, 'tasks.transition', { ids: [t.id], action });
    }
  }
  clock.set(noon('2027-03-12'));
  week = (await call(core, 'dispatch.freeze', {})).week;
});

describe('weekly dispatch report (docx)', () => {
  it('has the title, the numbered sections and the frozen figures', async () => {
    const r = await call(core, 'dispatch.report', { week });
    const buf = fs.readFileSync(r.file);
    const paras = paragraphs(buf);
    const text = paras.join('\n');
    const w = (await call(core, 'dispatch.weeks', {}))[0]!;
    const cmp = await call(core, 'dispatch.compare', { week });
    expect(paras[0]).toBe('琼海市社会信用体系建设示范区创建\n每周工作调度报告');
    for (const h of [
      '一、总体进展',
      '二、各单位完成情况',
      '三、本周新办结任务',
      '四、逾期和停滞任务',
      '五、下周工作安排',
    ]) {
      expect(paras, h).toContain(h);
    }
    expect(text).toContain(`共督办任务${w.summary.total}项`);
    expect(text).toContain(`已办结${w.summary.done}项`);
    expect(text).toContain(`本周新办结${cmp.newlyDone.length}项`);
    expect(text).toContain('琼海市社会信用体系建设领导小组办公室');
    expect(text).toContain('2027年3月12日');
    // table 1 = the league table for the campaign to the week's end
    const settings = await call(core, 'workspace.settings', {});
    const league = await call(core, 'league.table', { from: settings.periodStart, to: w.weekEnd });
    const [t1, t2] = tables(buf);
    expect(t1![0]).toEqual([
      '名次',
      '单位',
      '任务数',
      '已办结',
      '完成率',
      '按时办结率',
      '逾期',
      '平均延误(天)',
    ]);
    expect(t1!.slice(1).map((row) => [row[1], Number(row[2]), Number(row[3]), Number(row[6])])).toEqual(
      league.map((l) => [l.shortName ?? l.deptName, l.total, l.done, l.overdue]),
    );
    // table 2 = the tasks newly done this week
    expect(t2!.slice(1).map((row) => row[1])).toEqual(cmp.newlyDone.map((t) => t.code));
    expect(cmp.newlyDone).toHaveLength(6);
  });

  it('a department report lists that department’s tasks and problems', async () => {
    const tasks = await call(core, 'tasks.list', { supervisedOnly: true });
    const deptId = tasks.rows.find((t) => t.light === 'red')?.leadDeptId ?? tasks.rows[0]!.leadDeptId!;
    const dept = (await call(core, 'departments.list', {})).find((d) => d.id === deptId)!;
    const r = await call(core, 'dispatch.deptReport', { week, deptId });
    const buf = fs.readFileSync(r.file);
    const paras = paragraphs(buf);
    expect(paras[0]).toBe(`${dept.name}\n创建任务整改分析报告`);
    for (const h of ['一、任务完成情况', '二、薄弱环节和主要问题', '三、整改建议', '四、任务明细'])
      expect(paras).toContain(h);
    const mine = tasks.rows
      .filter((t) => t.leadDeptId === deptId)
      .map((t) => t.code)
      .sort();
    const detail = tables(buf).at(-1)!;
    expect(
      detail
        .slice(1)
        .map((row) => row[1])
        .sort(),
    ).toEqual(mine);
    expect(paras.join('\n')).toContain(`牵头督办任务${mine.length}项`);
  });

  it('the clarification report carries each review-panel item with its clarification', async () => {
    const rect = await call(core, 'rect.create', {
      source: 'review_panel',
      problem: '部分行业主管部门未建立信用分级分类监管制度',
      measures: '督促住建、交通等部门出台分级分类监管办法',
      clarification: '市住建局、市交通局已于2026年出台分级分类监管办法，现补充文件。',
    });
    const other = await call(core, 'rect.create', { source: 'inspection', problem: '巡查发现的问题' });
    const r = await call(core, 'rect.clarificationReport', { ids: [rect.id] });
    const text = paragraphs(fs.readFileSync(r.file)).join('\n');
    expect(text).toContain('评审反馈问题的澄清报告');
    expect(text).toContain('国家社会信用体系建设示范区评审组：');
    expect(text).toContain('一、部分行业主管部门未建立信用分级分类监管制度');
    expect(text).toContain('澄清说明：市住建局、市交通局已于2026年出台分级分类监管办法');
    const refused = await core.invoke('rect.clarificationReport', { ids: [rect.id, other.id] });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.message).toContain(other.code);
  });
});

describe('xlsx exports', () => {
  async function sheet(file: string): Promise<ExcelJS.Worksheet> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    return wb.worksheets[0]!;
  }

  it('the league table export has the same rows as the league table', async () => {
    const q = { from: '2027-01-01', to: '2027-03-31' };
    const league = await call(core, 'league.table', q);
    const r = await call(core, 'league.export', { query: q });
    const ws = await sheet(r.file);
    const header = (ws.getRow(3).values as unknown[]).slice(1);
    expect(header.slice(0, 5)).toEqual(['名次', '单位', '任务数', '已办结', '完成率']);
    const rows: unknown[][] = [];
    for (let i = 4; i < 4 + league.length; i++) rows.push((ws.getRow(i).values as unknown[]).slice(1, 5));
    expect(rows).toEqual(league.map((l) => [l.rank, l.deptName, l.total, l.done]));
    expect(ws.getRow(4).getCell(5).numFmt).toContain('%');
  });

  it('the department export lists every department with its task counts', async () => {
    const depts = await call(core, 'departments.list', {});
    const r = await call(core, 'departments.export', {});
    const ws = await sheet(r.file);
    const got: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (n > 3) got.push([row.getCell(1).value, row.getCell(5).value, row.getCell(6).value]);
    });
    expect(got).toEqual(depts.map((d) => [d.name, d.openTaskCount, d.taskCount]));
  });

  it('the task export has every task of the filter, with lights in Chinese', async () => {
    const filter = { supervisedOnly: true };
    const list = await call(core, 'tasks.list', filter);
    const r = await call(core, 'tasks.export', { filter });
    const ws = await sheet(r.file);
    const codes: string[] = [];
    ws.eachRow((row, n) => {
      if (n > 3 && typeof row.getCell(1).value === 'string') codes.push(row.getCell(1).value as string);
    });
    expect(codes).toEqual(list.rows.map((t) => t.code));
    const lights = new Set<string>();
    ws.eachRow((row, n) => {
      if (n > 3) lights.add(String(row.getCell(10).value));
    });
    expect([...lights].every((l) => ['绿灯', '黄灯', '红灯', '已办结'].includes(l))).toBe(true);
  });
});
