/**
 * The supervision commands of the CLI, run in-process against a real workspace: importing a
 * messy task workbook (dry run with row/column problems, then with --map), the league table as
 * xlsx (read back and compared with league.table), weekly dispatch (freeze, weeks, report docx),
 * task and rectification exports, and bad input with its exit codes.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type {
  DispatchWeek,
  ExportResult,
  LeagueRow,
  Task,
  TaskImportPreview,
} from '../../main/core/contract/index';
import { periodOf } from '../../main/core/tasks/periods';
import { localToday } from '../../main/core/tasks/tasks';
import { call } from '../helpers/core';
import { cliWorkspace, docxText } from '../helpers/cli';

const { root, ws, cli, cliJson, withCore } = cliWorkspace('cwb-cli-sup-', '琼海工作区', {
  me: '李明',
  noErrorText: true,
  created: (r) => expect(r.stderr).toBe(''),
});

/** Days since 1899-12-30: how Excel stores a date in a cell without a date format. */
const excelSerial = (iso: string) => (Date.parse(`${iso}T00:00:00Z`) - Date.UTC(1899, 11, 30)) / 86_400_000;

const UNKNOWN_UNIT = '琼海市海洋渔业局';

/**
 *   1  琼海市发展和改革委员会2027年社会信用体系建设任务清单   (merged A1:G1)
 *   2  填报单位：琼海市发展和改革委员会  填报日期：2027年1月5日  (merged A2:G2)
 *   3  序号 | 任务名称 | 任务内容 | 完成标准 | 牵头单位 | 配合单位 | 完成时限
 *   4–5  牵头单位 merged E4:E5 (琼海市发展和改革委员会); dates 2027年3月31日 and 2027.3.31
 *   6  an unknown unit (琼海市海洋渔业局); the date as an Excel serial number (2027-06-30)
 *   7  a unit without the city prefix (人民法院 = 琼海市人民法院)
 *   8  the unknown unit again
 *   9  合计
 */
async function messyWorkbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('任务清单');
  sheet.getCell('A1').value = '琼海市发展和改革委员会2027年社会信用体系建设任务清单';
  sheet.mergeCells('A1:G1');
  sheet.getCell('A2').value = '填报单位：琼海市发展和改革委员会    填报日期：2027年1月5日';
  sheet.mergeCells('A2:G2');
  sheet.getRow(3).values = ['序号', '任务名称', '任务内容', '完成标准', '牵头单位', '配合单位', '完成时限'];
  const rows: (string | number | null)[][] = [
    [
      1,
      '调整充实市社会信用体系建设领导小组',
      '印发调整通知',
      '印发文件',
      '琼海市发展和改革委员会',
      '市财政局',
      '2027年3月31日',
    ],
    [2, '编制社会信用体系建设工作要点', '报市政府审定后印发', '印发文件', null, '税务局', '2027.3.31'],
    [
      3,
      '开展诚信宣传月活动',
      '组织诚信宣传进企业、进社区',
      '活动方案和照片',
      UNKNOWN_UNIT,
      '市委宣传部',
      excelSerial('2027-06-30'),
    ],
    [4, '归集司法判决失信信息', '按月推送至信用平台', '推送记录', '人民法院', null, '2027年4月30日'],
    [5, '推进渔业行业信用评价', '制定评价办法', '印发办法', UNKNOWN_UNIT, null, '2027.5.31'],
  ];
  rows.forEach((r, i) => {
    r.forEach((v, c) => {
      if (v !== null) sheet.getCell(4 + i, c + 1).value = v;
    });
  });
  sheet.mergeCells('E4:E5');
  sheet.getCell('A9').value = '合计';
  sheet.getCell('B9').value = '5 项';
  await wb.xlsx.writeFile(file);
}

/** The rows of an exported sheet below its header row (the row whose first cell is `first`). */
async function sheetRows(file: string, first: string): Promise<ExcelJS.CellValue[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const sheet = wb.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  const out: ExcelJS.CellValue[][] = [];
  let header = 0;
  sheet.eachRow((row, n) => {
    const values = (row.values as ExcelJS.CellValue[]).slice(1);
    if (!header) {
      if (values[0] === first) header = n;
      return;
    }
    out.push(values);
  });
  if (!header) throw new Error(`no header row starting with ${first}`);
  return out;
}

let workbook: string;
/** Department id by short name (市发改委 → id). */
const deptIds = new Map<string, string>();
const idOf = (shortName: string) => {
  const id = deptIds.get(shortName);
  if (!id) throw new Error(`no department ${shortName}`);
  return id;
};

beforeAll(async () => {
  await withCore(async (core) => {
    for (const d of await call(core, 'departments.list', {})) deptIds.set(d.shortName ?? d.name, d.id);
  });
  workbook = path.join(root, '发改委任务清单.xlsx');
  await messyWorkbook(workbook);
});

describe('cli: tasks import', () => {
  it('previews a messy workbook with --dry-run: problems name row and column, nothing is written', async () => {
    const before = await withCore(async (core) => (await call(core, 'tasks.list', {})).total);
    const r = await cli('tasks', 'import', workbook, '--dir', ws, '--dry-run');
    expect(r.code, r.stderr).toBe(1); // rows with errors (the unknown unit)
    expect(r.stdout).toContain('预览「发改委任务清单.xlsx」');
    expect(r.stdout).toContain('「任务清单」');
    expect(r.stdout).toContain('第 3 行');
    expect(r.stdout).toMatch(/5 行：可导入 3 行，有错误 2 行/);
    expect(r.stdout).toContain(`错误  第 6 行 E 列（牵头单位）：「${UNKNOWN_UNIT}」不在部门单位名单中`);
    expect(r.stdout).toContain(`错误  第 8 行 E 列（牵头单位）：「${UNKNOWN_UNIT}」`);
    expect(r.stdout).toContain('未匹配的单位（1 个）');
    expect(r.stdout).toMatch(new RegExp(`「${UNKNOWN_UNIT}」第 6、8 行`));
    expect(r.stdout).toContain('--map');
    expect(r.stderr).toContain('2 行有错误');
    expect(await withCore(async (core) => (await call(core, 'tasks.list', {})).total)).toBe(before);

    // the merged 牵头单位 cell, three date spellings and the unit without the city prefix
    const json = await cli('tasks', 'import', workbook, '--dir', ws, '--dry-run', '--json');
    expect(json.code).toBe(1);
    const p = JSON.parse(json.stdout) as TaskImportPreview;
    const byRow = new Map(p.rows.map((row) => [row.rowNumber, row]));
    expect([...byRow.keys()]).toEqual([4, 5, 6, 7, 8]);
    expect(byRow.get(4)?.task.leadDeptId).toBe(idOf('市发改委'));
    expect(byRow.get(5)?.task.leadDeptId).toBe(idOf('市发改委'));
    expect(byRow.get(7)?.task.leadDeptId).toBe(idOf('市法院'));
    expect(byRow.get(4)?.task.dueDate).toBe('2027-03-31');
    expect(byRow.get(5)?.task.dueDate).toBe('2027-03-31');
    expect(byRow.get(6)?.task.dueDate).toBe('2027-06-30');
    expect(byRow.get(8)?.task.dueDate).toBe('2027-05-31');
    expect(p.unmatchedDepartments.map((u) => u.name)).toEqual([UNKNOWN_UNIT]);
  });

  it('a --dry-run with --map shows the rows as they would be imported (exit 0)', async () => {
    const r = await cli(
      'tasks',
      'import',
      workbook,
      '--dir',
      ws,
      '--dry-run',
      '--map',
      `${UNKNOWN_UNIT}=农业农村局`,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/5 行：可导入 5 行，有错误 0 行/);
    expect(r.stdout).toContain(`「${UNKNOWN_UNIT}」→ 琼海市农业农村局`);
    expect(r.stdout).not.toContain('错误  第');
  });

  it('refuses to import while rows have errors, and names the --map choices', async () => {
    const r = await cli('tasks', 'import', workbook, '--dir', ws);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^错误：有 2 行存在错误，未导入任何任务/);
    expect(r.stderr).toContain('--skip-errors');

    const wrongName = await cli('tasks', 'import', workbook, '--dir', ws, '--map', '海洋局=农业农村局');
    expect(wrongName.code).toBe(1);
    expect(wrongName.stderr).toContain(`没有未匹配的单位「海洋局」。未匹配的单位：「${UNKNOWN_UNIT}」`);

    const wrongUnit = await cli('tasks', 'import', workbook, '--dir', ws, '--map', `${UNKNOWN_UNIT}=海洋厅`);
    expect(wrongUnit.code).toBe(1);
    expect(wrongUnit.stderr).toContain('找不到单位「海洋厅」');

    const malformed = await cli('tasks', 'import', workbook, '--dir', ws, '--map', UNKNOWN_UNIT);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('应写成“原名=单位”');
    expect(await withCore(async (core) => (await call(core, 'tasks.list', { search: '渔业' })).total)).toBe(
      0,
    );
  });

  it('imports with --map for the unknown unit and --issue; the tasks are in the workspace', async () => {
    const r = await cli(
      'tasks',
      'import',
      workbook,
      '--dir',
      ws,
      '--map',
      `${UNKNOWN_UNIT}=市农业农村局`,
      '--issue',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已导入 5 项任务（已下发');

    const tasks = await withCore(
      async (core) => (await call(core, 'tasks.list', { supervisedOnly: true })).rows,
    );
    const byTitle = new Map(tasks.map((t) => [t.title, t]));
    const expected: [string, string, string][] = [
      ['调整充实市社会信用体系建设领导小组', '市发改委', '2027-03-31'],
      ['编制社会信用体系建设工作要点', '市发改委', '2027-03-31'],
      ['开展诚信宣传月活动', '市农业农村局', '2027-06-30'],
      ['归集司法判决失信信息', '市法院', '2027-04-30'],
      ['推进渔业行业信用评价', '市农业农村局', '2027-05-31'],
    ];
    for (const [title, leadShort, due] of expected) {
      const lead = idOf(leadShort);
      const t = byTitle.get(title);
      expect(t, title).toBeDefined();
      expect(t).toMatchObject({ leadDeptId: lead, dueDate: due, status: 'issued', kind: 'task' });
    }
    expect(byTitle.get('调整充实市社会信用体系建设领导小组')?.coopDeptIds).toEqual([idOf('市财政局')]);
    expect(byTitle.get('编制社会信用体系建设工作要点')?.coopDeptIds).toEqual([idOf('市税务局')]);
  });

  it('prints the commit result as JSON', async () => {
    const again = await cli(
      'tasks',
      'import',
      workbook,
      '--dir',
      ws,
      '--map',
      `${UNKNOWN_UNIT}=忽略`,
      '--json',
    );
    expect(again.code, again.stderr).toBe(0);
    const res = JSON.parse(again.stdout) as { created: number; skipped: number; taskIds: string[] };
    expect(res).toMatchObject({ created: 5, skipped: 0 });
    expect(res.taskIds).toHaveLength(5);
    const ignored = await withCore(async (core) => call(core, 'tasks.get', { id: res.taskIds[2] ?? '' }));
    expect(ignored).toMatchObject({ title: '开展诚信宣传月活动', leadDeptId: null, status: 'draft' });
  });

  it('a file that is not a workbook → 1, naming the file; a missing file → 1', async () => {
    const fake = path.join(root, '假清单.xlsx');
    fs.writeFileSync(fake, '序号,任务名称,牵头单位\n1,测试,市发改委\n');
    const r = await cli('tasks', 'import', fake, '--dir', ws, '--dry-run');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^错误：「假清单\.xlsx」/);
    expect(r.stdout).toBe('');
    const j = await cli('tasks', 'import', fake, '--dir', ws, '--json');
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toEqual({
      error: { code: 'BAD_INPUT', message: expect.stringContaining('假清单.xlsx') },
    });
    const missing = await cli('tasks', 'import', path.join(root, '没有这个.xlsx'), '--dir', ws);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('没有这个.xlsx');
  });

  it('usage errors → 2', async () => {
    const none = await cli('tasks', 'import', '--dir', ws);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('缺少参数 <文件.xlsx>');
    const two = await cli('tasks', 'import', workbook, workbook, '--dir', ws);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('多余的参数');
  });
});

describe('cli: league export', () => {
  it('writes the league table as xlsx with the rows of league.table, and prints it', async () => {
    const out = path.join(root, '导出', '部门排行.xlsx');
    const r = await cli(
      'league',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-01-01',
      '--to',
      '2027-12-31',
      '--out',
      out,
    );
    expect(r.code, r.stderr).toBe(0);
    for (const h of ['名次', '单位', '任务数', '已办结', '完成率', '按时办结率', '逾期', '平均延误'])
      expect(r.stdout).toContain(h);
    expect(r.stdout).toContain('市发改委');
    expect(r.stdout).toContain(out);

    const table = await withCore(async (core) =>
      call(core, 'league.table', { from: '2027-01-01', to: '2027-12-31' }),
    );
    expect(table.map((t) => t.shortName)).toEqual(
      expect.arrayContaining(['市发改委', '市农业农村局', '市法院']),
    );
    const rows = await sheetRows(out, '名次');
    const data = rows.filter((row) => typeof row[0] === 'number');
    expect(data).toHaveLength(table.length);
    table.forEach((t, i) => {
      const row = data[i] ?? [];
      expect(row.slice(0, 4)).toEqual([t.rank, t.deptName, t.total, t.done]);
      expect(row[4]).toBeCloseTo(t.completionRate ?? 0, 4);
      expect(row[5]).toBe(t.onTime);
      expect(row[7]).toBe(t.overdue);
    });

    // the JSON document carries the same rows
    const again = await cliJson<ExportResult & { from: string; to: string; rows: LeagueRow[] }>(
      'league',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-01-01',
      '--to',
      '2027-12-31',
      '--out',
      out,
      '--force',
    );
    expect(again.rows).toEqual(table);
    expect(fs.statSync(out).size).toBe(again.bytes);
  });

  it('uses the campaign by default and a calendar period with --period', async () => {
    const today = localToday(new Date());
    const campaign = await cliJson<{ from: string; to: string }>(
      'league',
      'export',
      '--dir',
      ws,
      '--out',
      path.join(root, '导出', '创建周期.xlsx'),
    );
    expect(campaign.from).toBe('2027-01-01');
    expect(campaign.to).toBe(today < '2027-01-01' ? '2027-12-31' : today);
    const month = await cliJson<{ from: string; to: string }>(
      'league',
      'export',
      '--dir',
      ws,
      '--period',
      'this-month',
      '--out',
      path.join(root, '导出', '本月.xlsx'),
    );
    const p = periodOf('monthly', today);
    expect(month).toMatchObject({ from: p.start, to: p.end });
  });

  it('bad options → 2; an existing file without --force → 1', async () => {
    const out = path.join(root, '导出', '排行.xlsx');
    const period = await cli('league', 'export', '--dir', ws, '--period', 'last-year', '--out', out);
    expect(period.code).toBe(2);
    expect(period.stderr).toContain(
      '--period 的值「last-year」无效，可选：this-week、this-month、this-quarter、campaign',
    );
    const both = await cli(
      'league',
      'export',
      '--dir',
      ws,
      '--period',
      'campaign',
      '--from',
      '2027-01-01',
      '--out',
      out,
    );
    expect(both.code).toBe(2);
    const reversed = await cli(
      'league',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-05-01',
      '--to',
      '2027-04-01',
      '--out',
      out,
    );
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('不能晚于');
    const ext = await cli('league', 'export', '--dir', ws, '--out', path.join(root, '排行.csv'));
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('.xlsx');
    expect(fs.existsSync(out)).toBe(false);

    fs.writeFileSync(out, 'old');
    const exists = await cli('league', 'export', '--dir', ws, '--out', out);
    expect(exists.code).toBe(1);
    expect(exists.stderr).toContain('--force');
    expect(fs.readFileSync(out, 'utf8')).toBe('old');
  });
});

describe('cli: dispatch', () => {
  it('freezes weeks, lists them and writes the weekly report and a department report', async () => {
    const first = await cliJson<DispatchWeek>('dispatch', 'freeze', '--dir', ws, '--week', '2026-W40');
    expect(first.week).toBe('2026-W40');
    const r = await cli('dispatch', 'freeze', '--dir', ws, '--week', '2026-w41', '--note', '第41周调度会');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已冻结2026年第41周');
    expect(r.stdout).toContain('第41周调度会');
    const again = await cli('dispatch', 'freeze', '--dir', ws, '--week', '2026-W41');
    expect(again.stdout).toContain('替换了此前冻结的快照');

    const weeks = await cliJson<DispatchWeek[]>('dispatch', 'weeks', '--dir', ws);
    expect(weeks.map((w) => w.week)).toEqual(['2026-W41', '2026-W40']);
    const text = await cli('dispatch', 'weeks', '--dir', ws);
    expect(text.stdout).toContain('2026-10-05 至 2026-10-11');
    expect(text.stdout).toContain('共 2 周');

    const out = path.join(root, '报告', '调度报告.docx');
    const rep = await cli('dispatch', 'report', '--dir', ws, '--week', '2026-W41', '--out', out);
    expect(rep.code, rep.stderr).toBe(0);
    expect(rep.stdout).toContain('每周工作调度报告');
    expect(docxText(out)).toContain('每周工作调度报告');

    const deptOut = path.join(root, '报告', '发改委.docx');
    const dept = await cliJson<ExportResult>(
      'dispatch',
      'report',
      '--dir',
      ws,
      '--week',
      '2026-W41',
      '--dept',
      '市发改委',
      '--out',
      deptOut,
    );
    expect(dept.file).toBe(deptOut);
    const deptText = docxText(deptOut);
    expect(deptText).toContain('整改分析报告');
    expect(deptText).toContain('琼海市发展和改革委员会');
  });

  it('a week not frozen → 1; a malformed week → 2', async () => {
    const r = await cli(
      'dispatch',
      'report',
      '--dir',
      ws,
      '--week',
      '2026-W30',
      '--out',
      path.join(root, 'x.docx'),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('2026-W30 尚未冻结调度快照');
    expect(r.stderr).toContain('dispatch freeze --week 2026-W30');
    expect(fs.existsSync(path.join(root, 'x.docx'))).toBe(false);
    const bad = await cli('dispatch', 'freeze', '--dir', ws, '--week', '2026-10');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('周次格式应为 2027-W10');
    const noWeek = await cli('dispatch', 'freeze', '--dir', ws, '--week', '2027-W53');
    expect(noWeek.code).toBe(2);
    const future = await cli('dispatch', 'freeze', '--dir', ws, '--week', '2099-W10');
    expect(future.code).toBe(1);
    expect(future.stderr).toContain('还没有开始');
  });
});

describe('cli: tasks export and rect export', () => {
  it('exports the filtered task list', async () => {
    const out = path.join(root, '导出', '发改委任务.xlsx');
    const res = await cliJson<ExportResult & { tasks: number }>(
      'tasks',
      'export',
      '--dir',
      ws,
      '--dept',
      '市发改委',
      '--status',
      '待签收',
      '--out',
      out,
    );
    const listed = await cliJson<Task[]>(
      'tasks',
      'list',
      '--dir',
      ws,
      '--dept',
      '市发改委',
      '--status',
      '待签收',
    );
    expect(res.tasks).toBe(listed.length);
    expect(listed.length).toBeGreaterThanOrEqual(2);
    const rows = (await sheetRows(out, '编号')).filter((row) => listed.some((t) => t.code === row[0]));
    expect(rows).toHaveLength(listed.length);
  });

  it('exports the rectification list', async () => {
    await withCore(async (core) => {
      await call(core, 'rect.create', {
        source: 'inspection',
        problem: '双公示数据报送不及时',
        deptId: idOf('市发改委'),
      });
    });
    const out = path.join(root, '导出', '整改清单.xlsx');
    const r = await cli('rect', 'export', '--dir', ws, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已导出 1 项整改事项');
    const rows = await sheetRows(out, '编号');
    expect(rows.some((row) => row.includes('双公示数据报送不及时'))).toBe(true);
    const bad = await cli('rect', 'export', '--dir', ws, '--status', '完成了', '--out', out);
    expect(bad.code).toBe(2);
  });

  it('lists the new groups in the program help', async () => {
    const r = await cli('--help');
    for (const c of [
      'tasks import',
      'tasks export',
      'league export',
      'dispatch freeze',
      'dispatch weeks',
      'dispatch report',
      'rect export',
    ])
      expect(r.stdout).toContain(c);
    const group = await cli('dispatch', '--help');
    expect(group.stdout).toContain('每周调度');
  });
});
