/**
 * Monthly monitoring results, weak points and tracked metrics through the core's commands on
 * the sample workspace: save (create, replace, revive a deleted month, same id on every laptop),
 * the overview (rank changes, streak, weak points with proposals), xlsx import (header and
 * month variants; bad files refused naming row and column with nothing written), accepting a
 * weak point (rectification + task + decision in one transaction, a second accept refused),
 * dismissing, the improvement plan material, and metrics (rates, targets, bad values).
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import type { Input } from '../../main/core/contract/index';
import { plainText } from '../../main/core/docs/pm';
import { stableId } from '../../main/core/util/ids';
import { fakeClock, noon } from '../helpers/clock';
import { call, callError, coreWithWorkspace, countRows, tempDir, wsOf } from '../helpers/core';
import { dims, HEADER } from '../helpers/monitoring';

type Save = Input<'monitoring.save'>;

let core: Core;

/** Four months: incentive falls twice (Feb→Apr) and service ends below its 3-month mean. */
const FOUR: Save[] = [
  { month: '2027-01', score: 84.1, rank: 62, total: 400, dims: dims(86, 80, 78, 82, 90) },
  { month: '2027-02', score: 85.3, rank: 48, total: 400, dims: dims(87, 81, 78.5, 84, 90.5) },
  { month: '2027-03', score: 85.9, rank: 45, total: 401, dims: dims(86.2, 82, 79, 83, 91) },
  { month: '2027-04', score: 86.4, rank: 41, total: 401, dims: dims(85.1, 82.4, 79.2, 82.5, 91.2) },
];

beforeEach(async () => {
  const clock = fakeClock(noon('2027-05-10'));
  ({ core } = await coreWithWorkspace({ clock: clock.now }));
});

async function saveAll(list: Save[] = FOUR) {
  for (const r of list) await call(core, 'monitoring.save', r);
}

/** Everything the monitoring writes touch, to prove a refused call wrote nothing. */
function snapshot() {
  return {
    results: countRows(core, 'monitoring_results'),
    changes: countRows(core, 'changes'),
    rects: countRows(core, 'rectifications'),
    tasks: countRows(core, 'tasks'),
    decisions: countRows(core, 'weak_point_decisions'),
  };
}

async function workbook(rows: (string | number | Date | null)[][], file = '监测结果.xlsx'): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('监测结果');
  for (const r of rows) sheet.addRow(r);
  const out = path.join(tempDir('cwb-mon-'), file);
  fs.writeFileSync(out, Buffer.from(await wb.xlsx.writeBuffer()));
  return out;
}

describe('monitoring results', () => {
  it('saves a month with a stable id, replaces it, removes and revives it', async () => {
    const r = await call(core, 'monitoring.save', FOUR[0]!);
    expect(r.id).toBe(stableId('monitoring|2027-01'));
    expect(r).toMatchObject({ month: '2027-01', score: 84.1, rank: 62, total: 400, rankChange: null });
    const again = await call(core, 'monitoring.save', { ...FOUR[0]!, rank: 60 });
    expect(again.id).toBe(r.id);
    expect(again.rank).toBe(60);
    expect(countRows(core, 'monitoring_results')).toBe(1);
    await call(core, 'monitoring.remove', { month: '2027-01' });
    expect((await call(core, 'monitoring.overview', {})).results).toEqual([]);
    const e = await callError(core, 'monitoring.remove', { month: '2027-01' }, 'NOT_FOUND');
    expect(e.message).toContain('2027年1月没有监测结果');
    const revived = await call(core, 'monitoring.save', FOUR[0]!);
    expect(revived.id).toBe(r.id);
    expect(countRows(core, 'monitoring_results')).toBe(1);
    expect((await call(core, 'monitoring.overview', {})).results).toHaveLength(1);
  });

  it('refuses a rank larger than the number of cities', async () => {
    const e = await callError(core, 'monitoring.save', { ...FOUR[0]!, rank: 401, total: 400 }, 'BAD_INPUT');
    expect(e.message).toContain('排名不能大于参评城市数');
    expect(countRows(core, 'monitoring_results')).toBe(0);
  });

  it('overview: oldest first with rank changes, the streak against the workspace target, weak points', async () => {
    await saveAll();
    const o = await call(core, 'monitoring.overview', {});
    expect(o.results.map((r) => r.month)).toEqual(['2027-01', '2027-02', '2027-03', '2027-04']);
    expect(o.results.map((r) => r.rankChange)).toEqual([null, 14, 3, 4]);
    expect(o.latest?.month).toBe('2027-04');
    expect(o.streak).toMatchObject({ target: 50, current: 3, achieved: true, basicOk: true });
    expect(o.streak.months).toEqual(['2027-02', '2027-03', '2027-04']);
    // incentive: 87 → 86.2 → 85.1 falls twice and is below mean(86, 87, 86.2) = 86.4
    // service: 84 → 83 → 82.5 falls twice and is below mean(82, 84, 83) = 83
    expect(o.weakPoints.map((w) => [w.dimension, w.reasons])).toEqual([
      ['incentive', ['falling', 'below_mean']],
      ['service', ['falling', 'below_mean']],
    ]);
    const w = o.weakPoints[0]!;
    expect(w.mean3).toBe(86.4);
    expect(w.decision).toBeNull();
    expect(w.proposal.deadline).toBe('2027-06-30'); // end of the month after "now" (May)
    const ws = wsOf(core);
    const ndrc = ws.db.prepare("SELECT id FROM departments WHERE name = '琼海市发展和改革委员会'").get() as {
      id: string;
    };
    expect(w.proposal.deptId).toBe(ndrc.id);
    const codes = w.proposal.indicatorIds.map(
      (id) => (ws.db.prepare('SELECT code FROM indicators WHERE id = ?').get(id) as { code: string }).code,
    );
    expect(codes[0]).toBe('基础-05'); // the ranking indicator first
    expect(codes).toContain('基础-07'); // 各级政府部门零失信
    expect(w.proposal.measures).toContain('信用修复');
  });

  it('the workspace ranking target decides the streak', async () => {
    await saveAll();
    await call(core, 'workspace.updateSettings', { rankingTarget: 45 });
    const o = await call(core, 'monitoring.overview', {});
    expect(o.streak).toMatchObject({ target: 45, current: 2, achieved: false });
    expect(o.streak.explanation).toContain('再保持1个月');
  });
});

describe('weak-point decisions', () => {
  const acceptInput = (task = true): Input<'monitoring.acceptWeakPoint'> => ({
    month: '2027-04',
    dimension: 'incentive',
    problem: '守信激励和失信治理维度连续两个月下降',
    measures: '1. 开展信用修复。',
    deptId: null,
    deadline: '2027-06-30',
    task: task
      ? { title: '失信主体信用修复专项行动', standard: '修复率提升', leadDeptId: null, dueDate: '2027-06-30' }
      : null,
  });

  it('accept creates a linked rectification item, task and decision in one transaction; a second accept is refused', async () => {
    await saveAll();
    const before = snapshot();
    const { rectId, taskId } = await call(core, 'monitoring.acceptWeakPoint', acceptInput());
    expect(taskId).not.toBeNull();
    const after = snapshot();
    expect(after.rects - before.rects).toBe(1);
    expect(after.tasks - before.tasks).toBe(1);
    expect(after.decisions - before.decisions).toBe(1);
    const ws = wsOf(core);
    const txs = ws.db
      .prepare(
        "SELECT COUNT(DISTINCT tx_id) AS n FROM changes WHERE entity IN ('rectification', 'task', 'weak_point_decision', 'rectification_task') AND rowid > ?",
      )
      .get(before.changes) as { n: number };
    expect(txs.n).toBe(1);

    const rect = await call(core, 'rect.get', { id: rectId });
    expect(rect).toMatchObject({ source: 'weak_indicator', status: 'open', deadline: '2027-06-30' });
    expect(rect.taskIds).toEqual([taskId]);
    expect(rect.indicatorIds.length).toBeGreaterThan(0);
    const task = await call(core, 'tasks.get', { id: taskId! });
    expect(task).toMatchObject({ title: '失信主体信用修复专项行动', status: 'draft', dueDate: '2027-06-30' });
    expect(task.code).toMatch(/^RW-\d{3}$/);
    expect(task.indicatorIds).toEqual(rect.indicatorIds);
    const decision = ws.db
      .prepare('SELECT * FROM weak_point_decisions WHERE id = ?')
      .get(stableId('weak|2027-04|incentive')) as { decision: string; rect_id: string; task_id: string };
    expect(decision).toMatchObject({ decision: 'accepted', rect_id: rectId, task_id: taskId });

    const o = await call(core, 'monitoring.overview', {});
    expect(o.weakPoints[0]).toMatchObject({ decision: 'accepted', rectId, taskId });

    const again = snapshot();
    const e = await callError(core, 'monitoring.acceptWeakPoint', acceptInput(), 'CONFLICT');
    expect(e.message).toContain('已经接受');
    expect(e.message).toContain(rect.code);
    expect(snapshot()).toEqual(again);
    // dismissing an accepted one is refused too
    await callError(
      core,
      'monitoring.dismissWeakPoint',
      { month: '2027-04', dimension: 'incentive', note: null },
      'CONFLICT',
    );
  });

  it('a failure inside the transaction leaves nothing behind', async () => {
    await saveAll();
    const before = snapshot();
    const e = await callError(
      core,
      'monitoring.acceptWeakPoint',
      { ...acceptInput(), deptId: '01890000-0000-7000-8000-000000000000' },
      'BAD_INPUT',
    );
    expect(e.message).toContain('不存在');
    expect(snapshot()).toEqual(before);
  });

  it('refuses a dimension that is not weak; accepts without a task; dismiss is recorded and can be accepted later', async () => {
    await saveAll();
    const e = await callError(
      core,
      'monitoring.acceptWeakPoint',
      { ...acceptInput(), dimension: 'environment' },
      'BAD_INPUT',
    );
    expect(e.message).toContain('“信用环境和营商环境”不是薄弱环节');
    await call(core, 'monitoring.dismissWeakPoint', {
      month: '2027-04',
      dimension: 'service',
      note: '数据口径调整',
    });
    let o = await call(core, 'monitoring.overview', {});
    expect(o.weakPoints.find((w) => w.dimension === 'service')?.decision).toBe('dismissed');
    const r = await call(core, 'monitoring.acceptWeakPoint', {
      ...acceptInput(false),
      dimension: 'service',
    });
    expect(r.taskId).toBeNull();
    o = await call(core, 'monitoring.overview', {});
    expect(o.weakPoints.find((w) => w.dimension === 'service')).toMatchObject({
      decision: 'accepted',
      rectId: r.rectId,
      taskId: null,
    });
    // deleting the rectification item makes the proposal open again
    await call(core, 'rect.delete', { id: r.rectId });
    o = await call(core, 'monitoring.overview', {});
    expect(o.weakPoints.find((w) => w.dimension === 'service')?.decision).toBeNull();
  });

  it('the improvement plan is a draft material with the figures, weak points and decisions', async () => {
    await saveAll();
    const { rectId } = await call(core, 'monitoring.acceptWeakPoint', acceptInput());
    const rect = await call(core, 'rect.get', { id: rectId });
    const m = await call(core, 'monitoring.improvementPlan', { month: '2027-04' });
    expect(m).toMatchObject({
      title: '2027年4月城市信用监测指标提升方案',
      type: 'improvement_plan',
      status: 'draft',
    });
    expect(m.indicatorIds).toHaveLength(1);
    expect(m.taskIds).toEqual(rect.taskIds);
    const text = plainText((await call(core, 'docs.json', { docId: m.id })).json);
    expect(JSON.stringify((await call(core, 'docs.json', { docId: m.id })).json)).toContain('"tableHeader"');
    for (const s of [
      '综合信用指数86.4分',
      '在401个参评城市中排第41名，较上月上升4名',
      '分维度得分情况',
      '守信激励和失信治理',
      '86.2',
      '85.1',
      '-1.1',
      '连续两个月下降',
      `已转为整改事项${rect.code}`,
      '已于2027年2月至4月连续3个月进入前50名',
    ])
      expect(text).toContain(s);
    const e = await callError(core, 'monitoring.improvementPlan', { month: '2027-05' }, 'NOT_FOUND');
    expect(e.message).toContain('2027年5月还没有监测结果');
  });
});

describe('import', () => {
  it('imports header and month variants in one transaction; replace overwrites', async () => {
    const file = await workbook([
      ['2027年城市信用监测结果'],
      [
        '月 份',
        '综合信用指数（分）',
        '名次',
        '参评城市',
        '守信激励和失信治理',
        '信用制度和基础建设',
        '诚信文化和诚信建设',
        '信用服务和信用创新',
        '信用环境和营商环境',
        '备注',
      ],
      [new Date(Date.UTC(2027, 0, 1)), 84.1, 62, 400, 86, 80, 78, 82, 90, null],
      ['2027年2月', '85.3', '第48名', 400, 87, 81, 78.5, 84, 90.5, '二月'],
      [],
      ['2027.3', 85.9, 45, 401, 86.2, 82, 79, 83, 91, null],
      ['2027-04', 86.4, 41, 401, null, null, null, null, null, null],
    ]);
    const before = countRows(core, 'changes');
    const r = await call(core, 'monitoring.import', { file: { path: file }, replace: false });
    expect(r).toEqual({ created: 4, updated: 0, months: ['2027-01', '2027-02', '2027-03', '2027-04'] });
    const ws = wsOf(core);
    const txs = ws.db
      .prepare('SELECT COUNT(DISTINCT tx_id) AS n FROM changes WHERE rowid > ?')
      .get(before) as {
      n: number;
    };
    expect(txs.n).toBe(1);
    const o = await call(core, 'monitoring.overview', {});
    expect(o.results[1]).toMatchObject({ score: 85.3, rank: 48, note: '二月' });
    expect(o.results[3]!.dims.incentive).toBeNull();

    const again = await workbook([HEADER, ['2027-04', 86.5, 40, 401, 85, 82, 79, 82, 91]]);
    const e = await callError(
      core,
      'monitoring.import',
      { file: { path: again }, replace: false },
      'BAD_INPUT',
    );
    expect(e.message).toContain('第2行A「月份」列：2027年4月在工作区中已有监测结果');
    const replaced = await call(core, 'monitoring.import', { file: { path: again }, replace: true });
    expect(replaced).toEqual({ created: 0, updated: 1, months: ['2027-04'] });
    expect((await call(core, 'monitoring.overview', {})).latest?.rank).toBe(40);
  });

  const BAD: [string, (string | number | null)[][], string[]][] = [
    [
      'a month twice',
      [HEADER, ['2027-01', 84, 60, 400], ['2027-02', 85, 55, 400], ['2027年1月', 84, 61, 400]],
      ['第4行A「月份」列：2027年1月在文件中出现了两次（另见第2行）'],
    ],
    [
      'a rank larger than the number of cities',
      [HEADER, ['2027-01', 84, 60, 400], ['2027-02', 85, 420, 400]],
      ['第3行C「排名」列：排名 420 大于参评城市数 400'],
    ],
    [
      'non-numeric and missing cells',
      [HEADER, ['2027-01', '八十四', 60, 400, 'abc'], ['2027-13', 85, null, 400]],
      [
        '第2行B「综合得分」列：「八十四」不是数字',
        '第2行E「守信激励和失信治理」列：「abc」不是数字',
        '第3行A「月份」列：「2027-13」不是有效的月份',
        '第3行C「排名」列：排名为空',
      ],
    ],
    [
      'a missing required column',
      [
        ['月份', '综合得分', '参评城市数'],
        ['2027-01', 84, 400],
      ],
      ['第1行：表头缺少“排名”列'],
    ],
  ];
  for (const [name, rows, messages] of BAD) {
    it(`refuses ${name}, naming row and column, and writes nothing`, async () => {
      await call(core, 'monitoring.save', { ...FOUR[0]!, month: '2026-12' });
      const before = snapshot();
      const file = await workbook(rows);
      const e = await callError(
        core,
        'monitoring.import',
        { file: { path: file }, replace: true },
        'BAD_INPUT',
      );
      expect(e.message).toContain('未导入任何监测结果');
      for (const m of messages) expect(e.message).toContain(m);
      expect(snapshot()).toEqual(before);
    });
  }

  it('refuses a file that is not a workbook', async () => {
    const dir = tempDir();
    const csv = path.join(dir, '结果.xlsx');
    fs.writeFileSync(csv, '月份,排名\n2027-01,5\n');
    const e = await callError(
      core,
      'monitoring.import',
      { file: { path: csv }, replace: false },
      'BAD_INPUT',
    );
    expect(e.message).toContain('不是 Excel 工作簿');
  });
});

describe('metrics', () => {
  it('computes rates, change and target; overrides targets; removes values', async () => {
    await call(core, 'metrics.set', { metric: 'commitments', month: '2027-01', value: 3000, base: 4000 });
    let m = await call(core, 'metrics.set', {
      metric: 'commitments',
      month: '2027-02',
      value: 4123,
      base: 4100,
    });
    expect(m).toMatchObject({ key: 'commitments', unit: '家', target: 100, change: 25.6, onTarget: true });
    expect(m.values.map((v) => v.rate)).toEqual([75, 100.6]);
    expect(m.latest).toMatchObject({ month: '2027-02', value: 4123, base: 4100, rate: 100.6 });

    m = await call(core, 'metrics.set', { metric: 'repair_rate', month: '2027-02', value: 82.5 });
    expect(m).toMatchObject({ unit: '%', target: 90, onTarget: false, change: null });
    expect(m.latest?.rate).toBe(82.5);
    m = await call(core, 'metrics.setTarget', { metric: 'repair_rate', target: 80 });
    expect(m).toMatchObject({ target: 80, onTarget: true });
    const all = await call(core, 'metrics.list', {});
    expect(all.map((x) => [x.key, x.target])).toEqual([
      ['commitments', 100],
      ['repair_rate', 80],
      ['compliance_rate', 100],
    ]);
    const ws = wsOf(core);
    expect(
      JSON.parse(
        (ws.db.prepare('SELECT metric_targets FROM workspace').get() as { metric_targets: string })
          .metric_targets,
      ),
    ).toEqual({ repair_rate: 80 });

    // the same month replaces; the id is stable
    await call(core, 'metrics.set', { metric: 'repair_rate', month: '2027-02', value: 85 });
    expect(countRows(core, 'metric_values', "metric = 'repair_rate'")).toBe(1);
    expect(ws.db.prepare('SELECT id FROM metric_values WHERE metric = ?').get('repair_rate')).toEqual({
      id: stableId('metric|repair_rate|2027-02'),
    });
    await call(core, 'metrics.remove', { metric: 'repair_rate', month: '2027-02' });
    expect((await call(core, 'metrics.list', {}))[1]!.values).toEqual([]);
    await callError(core, 'metrics.remove', { metric: 'repair_rate', month: '2027-02' }, 'NOT_FOUND');
  });

  it('refuses commitments without enterprises and rates above 100', async () => {
    const before = countRows(core, 'changes');
    const a = await callError(
      core,
      'metrics.set',
      { metric: 'commitments', month: '2027-01', value: 10 },
      'BAD_INPUT',
    );
    expect(a.message).toContain('企业总数');
    const b = await callError(
      core,
      'metrics.set',
      { metric: 'commitments', month: '2027-01', value: 10, base: 0 },
      'BAD_INPUT',
    );
    expect(b.message).toContain('大于 0');
    const c = await callError(
      core,
      'metrics.set',
      { metric: 'compliance_rate', month: '2027-01', value: 120 },
      'BAD_INPUT',
    );
    expect(c.message).toContain('应在 0 到 100 之间');
    expect(countRows(core, 'changes')).toBe(before);
  });
});
