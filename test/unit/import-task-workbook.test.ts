/**
 * Task-list workbooks as departments send them, generated here with exceljs: title rows above
 * a two-row header, merged cells, category rows, blank rows, 合计 and 填表说明 footers, every
 * date spelling, department variants, and the 5,000-row speed case.
 */
import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { DeptRef } from '../../main/core/departments/match';
import {
  applyDeptMapping,
  formatProblem,
  type IndicatorRef,
  previewTaskWorkbook,
  type TaskImportContext,
  type TaskImportPreview,
  type TaskImportRow,
} from '../../main/core/import/task-workbook';
import { AppError } from '../../main/core/util/errors';

// ---------- reference data (the sample template; the city comes from the context) ----------

const template = (file: string) =>
  JSON.parse(
    readFileSync(new URL(`../../resources/templates/qionghai/${file}`, import.meta.url), 'utf8'),
  ) as unknown;
const DEPTS: DeptRef[] = (
  template('departments.json') as {
    key: string;
    name: string;
    shortName: string;
    aliases: string[];
    kind: string;
  }[]
).map((d) => ({ id: d.key, name: d.name, shortName: d.shortName, aliases: d.aliases, kind: d.kind }));
// the 12 basic indicators (the bundled system also has 评分-n / 附加-n, which make a bare 「指标2」 ambiguous)
const INDICATORS: IndicatorRef[] = (
  template('indicators.json') as { items: { key: string; code: string; title: string; kind: string }[] }
).items
  .filter((i) => i.kind === 'basic')
  .map((i) => ({ id: i.key, code: i.code, title: i.title }));
const TOWNS = DEPTS.filter((d) => d.kind === 'town').map((d) => d.id);

const ctx: TaskImportContext = {
  city: '琼海市',
  departments: DEPTS,
  indicators: INDICATORS,
  today: new Date(2027, 0, 10),
};

async function toBuffer(wb: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await wb.xlsx.writeBuffer());
}

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

function row(p: TaskImportPreview, n: number): TaskImportRow {
  const r = p.rows.find((x) => x.rowNumber === n);
  if (!r) throw new Error(`row ${n} not in preview`);
  return r;
}

// ---------- the messy workbook ----------

/**
 *   1  琼海市社会信用体系建设示范区创建任务清单                         (merged A1:K1)
 *   2  填报单位：琼海市发展和改革委员会 (A2:E2)   填报日期：2027年1月5日 (F2:K2)
 *   3  序号 | 类别 | 任务名称 | 完成标准 | 责任单位 (E3:F3) | 完成时限 | 关联指标 | 优先级 | 周期 | 备注
 *   4  (merged down)              | 牵头单位 | 配合单位 | (merged down) …
 *   5  一、基础指标类任务                                               (merged A5:K5)
 *   6–8  three tasks; 类别 B6:B8 and 牵头单位 E6:E8 merged down
 *   9  blank
 *  10  （二）                                                           (序号 only)
 *  11–24 one task per date spelling / department variant
 *  25  blank
 *  26  合计 | 19 项
 *  27  填表说明：…
 */
async function messyWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('填表说明').getCell('A1').value = '请按要求填写各工作表';
  const ws = wb.addWorksheet('任务清单');
  ws.getCell('A1').value = '琼海市社会信用体系建设示范区创建任务清单';
  ws.mergeCells('A1:K1');
  ws.getCell('A2').value = '填报单位：琼海市发展和改革委员会';
  ws.mergeCells('A2:E2');
  ws.getCell('F2').value = '填报日期：2027年1月5日';
  ws.mergeCells('F2:K2');
  const top = [
    '序号',
    '类别',
    '任务名称',
    '完成标准',
    '责任单位',
    '',
    '完成时限',
    '关联指标',
    '优先级',
    '周期',
    '备注',
  ];
  top.forEach((h, i) => {
    if (h) ws.getCell(3, i + 1).value = h;
  });
  for (const c of ['A', 'B', 'C', 'D', 'G', 'H', 'I', 'J', 'K']) ws.mergeCells(`${c}3:${c}4`);
  ws.mergeCells('E3:F3');
  ws.getCell('E4').value = '牵头单位';
  ws.getCell('F4').value = '配合单位';
  ws.getCell('A5').value = '一、基础指标类任务';
  ws.mergeCells('A5:K5');

  const put = (r: number, values: (ExcelJS.CellValue | undefined)[]) => {
    values.forEach((v, i) => {
      if (v !== undefined && v !== '') ws.getCell(r, i + 1).value = v;
    });
  };
  //      序号  类别        任务名称                         完成标准      牵头单位                   配合单位               完成时限            关联指标                          优先级  周期      备注
  put(6, [
    1,
    '基础指标',
    '调整充实市社会信用体系建设领导小组',
    '印发调整通知',
    '琼海市发展和改革委员会',
    '市财政局、市税务局',
    46477,
    '基础-01',
    '重要',
    '一次性',
    '',
  ]);
  put(7, [
    2,
    '',
    '编制《社会信用体系建设工作要点》',
    '',
    '',
    '琼海市司法局',
    new Date(Date.UTC(2027, 5, 30)),
    '指标2',
    '',
    '',
    '',
  ]);
  ws.getCell('G7').numFmt = 'yyyy-mm-dd';
  put(8, [
    3,
    '',
    '行政许可和行政处罚信息上报',
    '',
    '',
    '',
    '2027年3月31日',
    '行政许可、行政处罚 100%上报',
    '紧急',
    '',
    '',
  ]);
  ws.mergeCells('B6:B8');
  ws.mergeCells('E6:E8');
  ws.getCell('A10').value = '（二）';
  const tasks: [string, string, string, string][] = [
    // 任务名称, 牵头单位, 配合单位, 完成时限
    ['开展诚信教育进校园', '市市场监管局', '住建局', '2027.3.31'], // 11
    ['建立信用承诺制度', '琼海人社局', '', '2027/3/31'], // 12
    ['开展信用宣传月活动', '中共琼海市委宣传部', '', '2027-03-31'], // 13
    ['推行信用分级分类监管', '市监局、市财政局', '', '2027年3月底'], // 14
    ['建立市场主体信用档案', '琼海市市场监督管里局', '', '2027年3月'], // 15
    ['便民服务中心接入信用平台', '嘉积镇政府', '各镇（区）', '2027年第一季度'], // 16
    ['医疗机构信用承诺', '市卫健委', '', '2027年一季度'], // 17
    ['医保定点机构信用评价', '市医保局', '', '2027年底'], // 18
    ['失信被执行人联合惩戒', '琼海市公安局', '', '2027年12月底'], // 19
    ['诚信校园建设', '市教育局', '', '长期'], // 20
    ['社会组织信用监管', '市民政局', '', '持续推进'], // 21
    ['信用统计数据报送', '市统计局', '', '每月'], // 22
    ['信用平台数据归集', '市信息中心', '琼海市大数据管理局', '2027年2月30日'], // 23
    ['信用修复培训', '琼海市司法局', '', ''], // 24
  ];
  tasks.forEach(([title, lead, coop, due], i) => put(11 + i, [i + 4, '', title, '', lead, coop, due]));
  ws.getCell('A26').value = '合计';
  ws.getCell('C26').value = '19 项';
  ws.getCell('A27').value = '填表说明：1. 完成时限请填写具体日期；2. 牵头单位只填一个。';
  ws.mergeCells('A27:K27');
  return toBuffer(wb);
}

describe('previewTaskWorkbook: the messy workbook', () => {
  it('finds the sheet, the two-row header under the title rows, and the columns', async () => {
    const p = await previewTaskWorkbook(
      { data: await messyWorkbook(), fileName: '/tmp/报送/任务清单（发改委）.xlsx' },
      ctx,
    );
    expect(p.fileName).toBe('任务清单（发改委）.xlsx');
    expect(p.sheet).toBe('任务清单');
    expect(p.headerRow).toBe(3);
    expect(p.headerRows).toBe(2);
    expect(p.columns).toEqual([
      { field: 'seq', column: 'A', header: '序号' },
      { field: 'category', column: 'B', header: '类别' },
      { field: 'title', column: 'C', header: '任务名称' },
      { field: 'standard', column: 'D', header: '完成标准' },
      { field: 'lead', column: 'E', header: '牵头单位' },
      { field: 'coop', column: 'F', header: '配合单位' },
      { field: 'dueDate', column: 'G', header: '完成时限' },
      { field: 'indicators', column: 'H', header: '关联指标' },
      { field: 'priority', column: 'I', header: '优先级' },
      { field: 'recurrence', column: 'J', header: '周期' },
      { field: 'remark', column: 'K', header: '备注' },
    ]);
    expect(p.notices.join('\n')).toContain('本次导入「任务清单」');
    expect(p.notices.join('\n')).toContain('第 3–4 行（两行表头）');
    expect(p.notices.join('\n')).toContain('第 27 行起为「填表说明');
    expect(p.notices.join('\n')).toContain('“类别”列的内容只在预览中显示，不会保存到任务中。');
  });

  it('imports task rows only, with the row numbers Excel shows', async () => {
    const p = await previewTaskWorkbook({ data: await messyWorkbook(), fileName: '任务清单.xlsx' }, ctx);
    expect(p.rows.map((r) => r.rowNumber)).toEqual([
      6, 7, 8, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,
    ]);
    expect(p.rows.every((r) => r.sheet === '任务清单')).toBe(true);
    expect(p.skipped).toEqual([
      { rowNumber: 5, reason: 'category', text: '一、基础指标类任务' },
      { rowNumber: 10, reason: 'category', text: '（二）' },
      { rowNumber: 26, reason: 'total', text: '合计' },
    ]);
    expect(p.notices.join('\n')).toContain('已跳过 2 个分类行、1 个合计行、2 个空行');
    expect(p.counts).toEqual({
      rows: 17,
      ready: 15,
      withErrors: 2,
      withWarnings: expect.any(Number),
      skipped: 3,
    });
  });

  it('spreads vertically merged cells over the rows they cover', async () => {
    const p = await previewTaskWorkbook({ data: await messyWorkbook(), fileName: '任务清单.xlsx' }, ctx);
    for (const n of [6, 7, 8]) {
      expect(row(p, n).task.leadDeptId).toBe('fgw');
      expect(row(p, n).category).toBe('基础指标');
      expect(row(p, n).cells.lead).toBe('琼海市发展和改革委员会');
    }
    expect(row(p, 11).category).toBe('（二）');
    expect(row(p, 11).cells.lead).toBe('市市场监管局');
  });

  it('builds the task of a complete row', async () => {
    const p = await previewTaskWorkbook({ data: await messyWorkbook(), fileName: '任务清单.xlsx' }, ctx);
    const r = row(p, 6);
    expect(r.task).toEqual({
      code: null,
      title: '调整充实市社会信用体系建设领导小组',
      description: null,
      standard: '印发调整通知',
      leadDeptId: 'fgw',
      coopDeptIds: ['czj', 'swj'],
      indicatorIds: ['b01'],
      dueDate: '2027-03-31',
      priority: 'high',
      recurrence: 'none',
    });
    expect(r.problems).toEqual([]);
    expect(r.importable).toBe(true);
    expect(r.cells).toMatchObject({ seq: '1', dueDate: '46477', indicators: '基础-01', priority: '重要' });
  });

  it('reads every date spelling', async () => {
    const p = await previewTaskWorkbook({ data: await messyWorkbook(), fileName: '任务清单.xlsx' }, ctx);
    const due = Object.fromEntries(p.rows.map((r) => [r.rowNumber, r.task.dueDate]));
    expect(due).toEqual({
      6: '2027-03-31', // serial number
      7: '2027-06-30', // Date cell
      8: '2027-03-31', // 2027年3月31日
      11: '2027-03-31', // 2027.3.31
      12: '2027-03-31', // 2027/3/31
      13: '2027-03-31', // 2027-03-31
      14: '2027-03-31', // 2027年3月底
      15: '2027-03-31', // 2027年3月
      16: '2027-03-31', // 2027年第一季度
      17: '2027-03-31', // 2027年一季度
      18: '2027-12-31', // 2027年底
      19: '2027-12-31', // 2027年12月底
      20: null, // 长期
      21: null, // 持续推进
      22: null, // 每月
      23: null, // 2027年2月30日 (error)
      24: null, // blank
    });
    expect(row(p, 22).task.recurrence).toBe('monthly');
    expect(row(p, 20).problems).toEqual([
      expect.objectContaining({ kind: 'date_warning', column: 'G', header: '完成时限', severity: 'warning' }),
    ]);
    expect(row(p, 24).problems).toEqual([
      expect.objectContaining({ kind: 'date_missing', column: 'G', severity: 'warning' }),
    ]);
    expect(row(p, 24).importable).toBe(true);
  });

  it('reports an impossible date as an error in the right row and column', async () => {
    const p = await previewTaskWorkbook({ data: await messyWorkbook(), fileName: '任务清单.xlsx' }, ctx);
    const r = row(p, 23);
    const err = r.problems.find((x) => x.kind === 'date_invalid');
    expect(err).toMatchObject({ column: 'G', header: '完成时限', severity: 'error', value: '2027年2月30日' });
    expect(err?.message).toContain('「2027年2月30日」不是有效日期');
    expect(r.importable).toBe(false);
    expect(formatProblem(r, err ?? r.problems[0]!)).toMatch(
      /^错误 {2}第 23 行 G 列（完成时限）：「2027年2月30日」/,
    );
  });

  it('matches department variants and collects the unmatched ones with suggestions', async () => {
    const p = await previewTaskWorkbook({ data: await messyWorkbook(), fileName: '任务清单.xlsx' }, ctx);
    expect(row(p, 11).task).toMatchObject({ leadDeptId: 'scjgj', coopDeptIds: ['zjj'] }); // 简称 + alias
    expect(row(p, 12).task.leadDeptId).toBe('rsj'); // 琼海 + abbreviation
    expect(row(p, 13).task.leadDeptId).toBe('xcb'); // 全称
    expect(row(p, 17).task.leadDeptId).toBe('wjw');
    expect(row(p, 19).task.leadDeptId).toBe('gaj');
    // Several units in the lead cell: first leads, the rest cooperate.
    const multi = row(p, 14);
    expect(multi.task).toMatchObject({ leadDeptId: 'scjgj', coopDeptIds: ['czj'] });
    expect(multi.problems).toEqual([
      expect.objectContaining({
        kind: 'lead_multiple',
        column: 'E',
        header: '牵头单位',
        severity: 'warning',
      }),
    ]);
    expect(multi.importable).toBe(true);
    // 各镇（区） in the cooperating cell expands to the towns (without the lead).
    const towns = row(p, 16);
    expect(towns.task.leadDeptId).toBe('town-jiaji');
    expect(towns.task.coopDeptIds.sort()).toEqual(TOWNS.filter((t) => t !== 'town-jiaji').sort());
    expect(towns.problems.map((x) => x.kind)).toEqual(['dept_group']);
    // A typo: never auto-accepted, an error in column E with suggestions.
    const typo = row(p, 15);
    expect(typo.task.leadDeptId).toBeNull();
    expect(typo.importable).toBe(false);
    expect(typo.problems[0]).toMatchObject({
      kind: 'dept_unmatched',
      column: 'E',
      header: '牵头单位',
      severity: 'error',
      value: '琼海市市场监督管里局',
    });
    expect(typo.problems[0]?.message).toContain('可能是：琼海市市场监督管理局');
    expect(p.unmatchedDepartments).toEqual([
      { name: '琼海市市场监督管里局', rows: [15], suggestions: expect.any(Array) },
      { name: '琼海市大数据管理局', rows: [23], suggestions: expect.any(Array) },
    ]);
    expect(p.unmatchedDepartments[0]?.suggestions[0]).toMatchObject({ id: 'scjgj' });
    expect(row(p, 23).problems.find((x) => x.kind === 'dept_unmatched')).toMatchObject({
      column: 'F',
      header: '配合单位',
    });
  });

  it('matches indicators by code, by number and by title', async () => {
    const p = await previewTaskWorkbook({ data: await messyWorkbook(), fileName: '任务清单.xlsx' }, ctx);
    expect(row(p, 6).task.indicatorIds).toEqual(['b01']);
    expect(row(p, 7).task.indicatorIds).toEqual(['b02']);
    expect(row(p, 8).task.indicatorIds).toEqual(['b03']);
    expect(row(p, 8).task.priority).toBe('urgent');
  });

  it('applyDeptMapping resolves names, clears their problems and leaves the input untouched', async () => {
    const p = await previewTaskWorkbook({ data: await messyWorkbook(), fileName: '任务清单.xlsx' }, ctx);
    const before = JSON.stringify(p);
    const q = applyDeptMapping(p, { 琼海市市场监督管里局: 'scjgj', 琼海市大数据管理局: null });
    expect(JSON.stringify(p)).toBe(before);
    expect(q.unmatchedDepartments).toEqual([]);
    expect(row(q, 15).task.leadDeptId).toBe('scjgj');
    expect(row(q, 15).problems).toEqual([]);
    expect(row(q, 15).importable).toBe(true);
    expect(row(q, 15).depts).toEqual([
      { raw: '琼海市市场监督管里局', source: 'lead', deptId: 'scjgj', match: 'mapped' },
    ]);
    // Row 23: the ignored cooperating unit is gone, the date error stays.
    expect(row(q, 23).task.coopDeptIds).toEqual([]);
    expect(row(q, 23).problems.map((x) => x.kind)).toEqual(['date_invalid']);
    expect(q.counts).toMatchObject({ rows: 17, ready: 16, withErrors: 1 });
    // Unchanged rows are shared, not copied.
    expect(row(q, 6)).toBe(row(p, 6));
    // Mapping again replaces an earlier choice.
    const r = applyDeptMapping(q, { 琼海市市场监督管里局: null });
    expect(row(r, 15).task.leadDeptId).toBeNull();
    expect(row(r, 15).problems.map((x) => x.kind)).toEqual(['lead_missing']);
  });
});

// ---------- other layouts ----------

describe('previewTaskWorkbook: other layouts', () => {
  it('reads a single-row header of synonyms and assigns 责任单位 as cooperating next to 牵头单位', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow([
      '编号',
      '工作任务',
      '具体内容',
      '牵头单位',
      '责任单位',
      '截止时间',
      '对应指标',
      '紧急程度',
      '频次',
      '责任人',
    ]);
    ws.addRow([
      'JC-01',
      '信用信息归集',
      '归集行政许可信息',
      '市发改委',
      '市政务中心；市司法局',
      '2027年6月底',
      '基础-03',
      '特急',
      '每季度',
      '张三',
    ]);
    ws.addRow(['1', '信用承诺', '', '市税务局', '', '2027年6月', '评分指标9', '？', '半年', '']);
    const p = await previewTaskWorkbook({ data: await toBuffer(wb), fileName: 'a.xlsx' }, ctx);
    expect(p.headerRow).toBe(1);
    expect(p.headerRows).toBe(1);
    expect(p.columns.map((c) => `${c.column}:${c.field}`)).toEqual([
      'A:code',
      'B:title',
      'C:description',
      'D:lead',
      'E:coop',
      'F:dueDate',
      'G:indicators',
      'H:priority',
      'I:recurrence',
    ]);
    expect(p.ignoredColumns).toEqual([{ column: 'J', header: '责任人' }]);
    expect(row(p, 2).task).toEqual({
      code: 'JC-01',
      title: '信用信息归集',
      description: '归集行政许可信息',
      standard: null,
      leadDeptId: 'fgw',
      coopDeptIds: ['zwzx', 'sfj'],
      indicatorIds: ['b03'],
      dueDate: '2027-06-30',
      priority: 'urgent',
      recurrence: 'quarterly',
    });
    const r3 = row(p, 3);
    expect(r3.task.code).toBeNull();
    expect(r3.problems.map((x) => `${x.column}:${x.kind}`)).toEqual([
      'G:indicator_unmatched',
      'H:priority_unknown',
      'I:recurrence_unknown',
    ]);
    expect(r3.importable).toBe(true);
  });

  it('reads serials and Date cells of a 1904-date-system workbook', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('任务');
    ws.addRow(['任务名称', '牵头单位', '完成时限']);
    ws.addRow(['甲', '市发改委', 45015]);
    ws.addRow(['乙', '市发改委', new Date(Date.UTC(2027, 2, 31))]);
    ws.getCell('C3').numFmt = 'yyyy-mm-dd';
    const p = await previewTaskWorkbook({ data: await toBuffer(wb), fileName: 'mac.xlsx' }, ctx);
    expect(p.rows.map((r) => r.task.dueDate)).toEqual(['2027-03-31', '2027-03-31']);
  });

  it('handles rich text, formulas with cached results, a repeated header and a category in the title column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('清单');
    ws.addRow(['序号', '任务名称', '牵头单位', '完成时限']);
    ws.addRow(['一', '基础类', '', '']);
    ws.addRow([
      1,
      { richText: [{ text: '编制' }, { text: '实施方案', font: { bold: true } }] },
      '市发改委',
      { formula: 'DATE(2027,3,31)', result: new Date(Date.UTC(2027, 2, 31)) },
    ]);
    ws.getCell('D3').numFmt = 'yyyy-mm-dd';
    ws.addRow(['序号', '任务名称', '牵头单位', '完成时限']);
    ws.addRow([2, '编制\n工作要点', '市发改委', '2027-04-30']);
    ws.addRow([3, '二、提升类', '', '']);
    ws.addRow(['小计', '', '', '']);
    const p = await previewTaskWorkbook({ data: await toBuffer(wb), fileName: 'r.xlsx' }, ctx);
    expect(p.rows.map((r) => [r.rowNumber, r.task.title, r.task.dueDate, r.category])).toEqual([
      [3, '编制实施方案', '2027-03-31', '一、基础类'],
      [5, '编制工作要点', '2027-04-30', '一、基础类'],
    ]);
    expect(p.skipped.map((s) => `${s.rowNumber}:${s.reason}`)).toEqual([
      '2:category',
      '4:header',
      '6:category',
      '7:total',
    ]);
  });

  it('marks duplicate titles and a missing title', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['任务名称', '牵头单位', '完成时限']);
    ws.addRow(['同一任务', '市发改委', '2027-03-31']);
    ws.addRow(['同一任务', '市财政局', '2027-03-31']);
    ws.addRow(['', '市财政局', '2027-03-31']);
    const p = await previewTaskWorkbook({ data: await toBuffer(wb), fileName: 'd.xlsx' }, ctx);
    expect(row(p, 3).problems).toEqual([
      expect.objectContaining({
        kind: 'duplicate',
        column: 'A',
        severity: 'warning',
        message: '与第 2 行的任务名称相同，请确认是否重复填报。',
      }),
    ]);
    expect(row(p, 4).problems).toEqual([
      expect.objectContaining({ kind: 'title_missing', column: 'A', severity: 'error' }),
    ]);
  });

  it('chooses the first visible sheet with a header and says which one', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('封面').getCell('A1').value = '2027 年任务清单';
    const hidden = wb.addWorksheet('旧表', { state: 'hidden' });
    hidden.addRow(['任务名称', '牵头单位']);
    hidden.addRow(['旧任务', '市发改委']);
    const a = wb.addWorksheet('发改委');
    a.addRow(['任务名称', '牵头单位']);
    a.addRow(['新任务', '市发改委']);
    const b = wb.addWorksheet('财政局');
    b.addRow(['任务名称', '完成时限']);
    b.addRow(['另一任务', '2027-01-31']);
    const p = await previewTaskWorkbook({ data: await toBuffer(wb), fileName: 'm.xlsx' }, ctx);
    expect(p.sheet).toBe('发改委');
    expect(p.rows.map((r) => r.task.title)).toEqual(['新任务']);
    expect(p.notices[0]).toContain('工作簿共有 4 个工作表，本次导入「发改委」');
    expect(p.notices[0]).toContain('「财政局」');
    expect(p.notices.join()).toContain('没有“完成时限”列');
  });

  it('refuses a workbook without a recognisable header, naming file and sheets', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Sheet1');
    ws.addRow(['工作', '单位', '日期']);
    ws.addRow(['x', 'y', 'z']);
    const only = await refusal(
      previewTaskWorkbook({ data: await toBuffer(wb), fileName: '无表头.xlsx' }, ctx),
    );
    expect(only.code).toBe('BAD_INPUT');
    expect(only.message).toBe(
      '「无表头.xlsx」的工作表「Sheet1」前 30 行中找不到表头（需要至少包含“任务名称”和“牵头单位”或“完成时限”等列）。请检查表头文字，或把任务清单放在第一个工作表。',
    );
    wb.addWorksheet('Sheet2').addRow(['任务名称', '备注']);
    const two = await refusal(
      previewTaskWorkbook({ data: await toBuffer(wb), fileName: '无表头.xlsx' }, ctx),
    );
    expect(two.message).toContain('「Sheet1」「Sheet2」前 30 行中都找不到表头');
    expect(two.message).toContain('「Sheet2」中只识别到 “任务名称”、“备注”');
  });

  it('does not look for the header below row 30', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    for (let i = 1; i <= 30; i++) ws.addRow([`说明第 ${i} 行`]);
    ws.addRow(['任务名称', '牵头单位', '完成时限']);
    ws.addRow(['甲', '市发改委', '2027-03-31']);
    const e = await refusal(previewTaskWorkbook({ data: await toBuffer(wb), fileName: 'deep.xlsx' }, ctx));
    expect(e.message).toContain('前 30 行中找不到表头');
  });

  it('stays fast with a stray cell far below the table, without counting the empty rows', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('S');
    ws.addRow(['任务名称', '牵头单位', '完成时限']);
    ws.addRow(['甲', '市发改委', '2027-03-31']);
    ws.addRow([]);
    ws.addRow(['乙', '市财政局', '2027-04-30']);
    ws.getCell('Z200000').value = ' ';
    const t = performance.now();
    const p = await previewTaskWorkbook({ data: await toBuffer(wb), fileName: 'stray.xlsx' }, ctx);
    expect(performance.now() - t).toBeLessThan(2000);
    expect(p.rows.map((r) => r.rowNumber)).toEqual([2, 4]);
    expect(p.notices.join()).toContain('已跳过 1 个空行');
  });

  it('refuses a header without data', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('S').addRow(['任务名称', '牵头单位', '完成时限']);
    const e = await refusal(previewTaskWorkbook({ data: await toBuffer(wb), fileName: 'empty.xlsx' }, ctx));
    expect(e.message).toBe('「empty.xlsx」的工作表「S」表头（第 1 行）下面没有任务数据。');
  });
});

// ---------- speed ----------

describe('previewTaskWorkbook: speed', () => {
  it('previews 5,000 data rows well under 3 s', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('任务清单');
    ws.getCell('A1').value = '琼海市社会信用体系建设示范区创建任务清单';
    ws.mergeCells('A1:J1');
    ws.addRow([
      '序号',
      '任务名称',
      '任务描述',
      '完成标准',
      '牵头单位',
      '配合单位',
      '完成时限',
      '关联指标',
      '优先级',
      '周期',
    ]);
    const leads = [
      '琼海市发展和改革委员会',
      '市市场监管局',
      '琼海人社局',
      '市监局',
      '市卫健委',
      '琼海市市场监督管里局',
    ];
    const dues: ExcelJS.CellValue[] = [
      '2027年3月31日',
      46477,
      '2027.6.30',
      '2027年第二季度',
      '2027年底',
      '每月',
    ];
    for (let i = 0; i < 5000; i++) {
      ws.addRow([
        i + 1,
        `任务 ${i + 1}：完善社会信用体系建设工作机制`,
        '对照示范区评审指标逐项分析现状和差距，明确责任分工。'.repeat(3),
        '印发文件并报市信用办备案。',
        leads[i % leads.length],
        i % 3 === 0 ? '市财政局、市税务局' : '',
        dues[i % dues.length],
        `基础-${String((i % 12) + 1).padStart(2, '0')}`,
        i % 7 === 0 ? '重要' : '一般',
        '',
      ]);
    }
    const data = await toBuffer(wb);
    const t0 = performance.now();
    const p = await previewTaskWorkbook({ data, fileName: '5000.xlsx' }, ctx);
    const ms = performance.now() - t0;
    console.log(
      `[speed] previewTaskWorkbook: 5,000 rows (${(data.length / 1024).toFixed(0)} KB) in ${ms.toFixed(0)} ms`,
    );
    expect(p.counts.rows).toBe(5000);
    expect(p.rows[0]?.rowNumber).toBe(3);
    expect(p.rows[4999]?.rowNumber).toBe(5002);
    expect(p.unmatchedDepartments).toHaveLength(1);
    expect(p.unmatchedDepartments[0]?.rows).toHaveLength(Math.ceil(5000 / 6) - 1);
    expect(ms).toBeLessThan(3000);
  });
});
