/** League table, dashboard figures, weekly dispatch snapshots and the rectification list. */
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import type { Task } from '../../main/core/contract/index';
import { fakeClock, noon, type FakeClock } from '../helpers/clock';
import { call, callError, makeCore } from '../helpers/core';

interface World {
  core: Core;
  clock: FakeClock;
  a: string; // department ids
  b: string;
  c: string;
}

async function world(start = '2027-03-01'): Promise<World> {
  const clock = fakeClock(noon(start));
  const { core } = makeCore({ clock: clock.now });
  await call(core, 'workspace.create', {
    name: '排行测试',
    templateId: null,
    city: '某市',
    adminCode: '123456',
    startMonth: start.slice(0, 7),
    me: { name: '王芳', role: '驻场顾问' },
  });
  const mk = async (name: string) => (await call(core, 'departments.create', { name })).id;
  return { core, clock, a: await mk('甲局'), b: await mk('乙局'), c: await mk('丙镇') };
}

async function task(w: World, dept: string, due: string, title = '任务'): Promise<Task> {
  return call(w.core, 'tasks.create', { title, leadDeptId: dept, dueDate: due, issue: true });
}

async function finish(w: World, id: string): Promise<void> {
  for (const action of ['sign', 'start', 'report', 'approve'] as const) {
    await call(w.core, 'tasks.transition', { ids: [id], action });
  }
}

describe('league table', () => {
  it('computes completion, on-time, overdue and average delay per department, sorted', async () => {
    const w = await world('2027-03-01');
    // 甲局: 2 tasks, both done on time → 100% / 100%
    const a1 = await task(w, w.a, '2027-03-10');
    const a2 = await task(w, w.a, '2027-03-12');
    w.clock.set(noon('2027-03-09'));
    await finish(w, a1.id);
    await finish(w, a2.id);
    // 乙局: 3 tasks: one done 4 days late, one overdue (open), one not due yet
    const b1 = await task(w, w.b, '2027-03-05');
    await task(w, w.b, '2027-03-08');
    await task(w, w.b, '2027-03-30');
    w.clock.set(noon('2027-03-09'));
    await finish(w, b1.id);
    // 丙镇: nothing in range; a draft task doesn't count
    await call(w.core, 'tasks.create', { title: '草稿', leadDeptId: w.c, dueDate: '2027-03-15' });
    w.clock.set(noon('2027-03-20'));
    const rows = await call(w.core, 'league.table', { from: '2027-03-01', to: '2027-03-31' });
    expect(rows.map((r) => r.deptName)).toEqual(['甲局', '乙局']);
    expect(rows[0]).toMatchObject({
      rank: 1,
      total: 2,
      done: 2,
      onTime: 2,
      overdue: 0,
      completionRate: 1,
      onTimeRate: 1,
      avgDelayDays: null,
    });
    // b1: done 03-09 vs due 03-05 → 4 days late; b2: open, due 03-08, today 03-20 → 12 days overdue
    expect(rows[1]).toMatchObject({
      rank: 2,
      total: 3,
      done: 1,
      onTime: 0,
      overdue: 1,
      completionRate: 0.3333,
      onTimeRate: 0,
      avgDelayDays: 8,
      red: 1,
    });
    const withEmpty = await call(w.core, 'league.table', {
      from: '2027-03-01',
      to: '2027-03-31',
      includeEmpty: true,
    });
    expect(withEmpty.find((r) => r.deptName === '丙镇')).toMatchObject({
      total: 0,
      completionRate: null,
      rank: 0,
    });
    await callError(w.core, 'league.table', { from: '2027-04-01', to: '2027-03-01' }, 'BAD_INPUT');
    // clicking a league row opens exactly the tasks it counted
    for (const row of rows) {
      const list = await call(w.core, 'tasks.list', {
        deptIds: [row.deptId],
        leadOnly: true,
        supervisedOnly: true,
        dueFrom: '2027-03-01',
        dueTo: '2027-03-31',
      });
      expect(list.total, row.deptName).toBe(row.total);
    }
  });
});

describe('dashboard', () => {
  it('each figure equals the task list behind its filter, and the league part equals the league table', async () => {
    const w = await world('2027-03-01');
    await task(w, w.a, '2027-03-02');
    const t2 = await task(w, w.a, '2027-03-04');
    await task(w, w.b, '2027-03-10');
    await task(w, w.c, '2027-04-30');
    await call(w.core, 'tasks.create', { title: '草稿', leadDeptId: w.c, dueDate: '2027-03-09' });
    w.clock.set(noon('2027-03-08'));
    await finish(w, t2.id);
    const d = await call(w.core, 'dashboard.summary', {});
    const figures = [
      d.totals.supervised,
      d.totals.done,
      d.lights.red,
      d.lights.yellow,
      d.lights.green,
      d.dueThisWeek,
      d.overdue,
    ];
    for (const f of figures) {
      const list = await call(w.core, 'tasks.list', f.filter);
      expect(list.total).toBe(f.value);
    }
    expect(d.totals.supervised.value).toBe(4);
    expect(d.totals.done.value).toBe(1);
    expect(d.totals.completionRate).toBe(0.25);
    expect(d.overdue.value).toBe(1); // 03-02 open
    expect(d.dueThisWeek.value).toBe(1); // week of 2027-03-08: 03-10 open
    expect(d.dueThisWeek.tasks.map((t) => t.dueDate)).toEqual(['2027-03-10']);
    const league = await call(w.core, 'league.table', { from: d.league.from, to: d.league.to });
    expect(d.league.top).toEqual(league.slice(0, 5));
    expect(d.trend).toHaveLength(12);
    const thisWeek = d.trend.at(-1)!;
    expect(thisWeek.weekEnd).toBe('2027-03-14');
    expect(d.trend.find((p) => p.week === '2027-W09')).toMatchObject({ due: 2, doneOfDue: 1, completed: 0 });
    // each week's completed count is the list of tasks done that week
    for (const p of d.trend) {
      const list = await call(w.core, 'tasks.list', {
        supervisedOnly: true,
        doneFrom: p.weekStart,
        doneTo: p.weekEnd,
      });
      expect(list.total, p.week).toBe(p.completed);
    }
    expect(d.trend.find((p) => p.week === '2027-W10')?.completed).toBe(1);
  });
});

describe('weekly dispatch', () => {
  it('freezes week N, compares with N−1: newly done, newly overdue, stalled', async () => {
    const w = await world('2027-03-01');
    const done = await task(w, w.a, '2027-03-20', '将办结');
    const late = await task(w, w.b, '2027-03-10', '将逾期');
    const quiet = await task(w, w.c, '2027-04-30', '无进展');
    const busy = await task(w, w.c, '2027-04-30', '有进展');
    w.clock.set(noon('2027-03-05')); // Friday of 2027-W09
    const wk9 = await call(w.core, 'dispatch.freeze', {});
    expect(wk9.week).toBe('2027-W09');
    expect(wk9.summary.total).toBe(4);
    w.clock.set(noon('2027-03-11')); // 2027-W10
    await finish(w, done.id);
    await call(w.core, 'feedback.add', { taskId: busy.id, text: '已起草方案', progress: 40 });
    w.clock.set(noon('2027-03-12'));
    const wk10 = await call(w.core, 'dispatch.freeze', { note: '第10周调度' });
    expect(wk10.summary).toMatchObject({ total: 4, done: 1, overdue: 1 });
    const cmp = await call(w.core, 'dispatch.compare', { week: '2027-W10' });
    expect(cmp.previous?.week).toBe('2027-W09');
    expect(cmp.newlyDone.map((t) => t.id)).toEqual([done.id]);
    expect(cmp.newlyOverdue.map((t) => t.id)).toEqual([late.id]);
    expect(cmp.stalled.map((t) => t.id).sort()).toEqual([late.id, quiet.id].sort());
    // re-freezing replaces the week; the list shows both weeks, newest first
    const again = await call(w.core, 'dispatch.freeze', { week: '2027-W10' });
    expect(again.id).toBe(wk10.id);
    expect((await call(w.core, 'dispatch.weeks', {})).map((x) => x.week)).toEqual(['2027-W10', '2027-W09']);
    await callError(w.core, 'dispatch.freeze', { week: '2030-W01' }, 'BAD_INPUT');
    await callError(w.core, 'dispatch.compare', { week: '2027-W20' }, 'NOT_FOUND');
  });
});

describe('rectification list', () => {
  it('待整改 → 整改中 → 待验收 → 已销号, with 验收不通过 and reopen; forbidden steps refused', async () => {
    const w = await world('2027-03-01');
    const t = await task(w, w.a, '2027-03-31', '关联任务');
    const r = await call(w.core, 'rect.create', {
      source: 'review_panel',
      problem: '信用承诺履约情况未纳入信用记录',
      deptId: w.a,
      measures: '建立履约跟踪台账，按月归集',
      deadline: '2027-03-15',
      taskIds: [t.id],
    });
    expect(r).toMatchObject({ code: 'ZG-001', status: 'open', overdue: false, taskIds: [t.id] });
    await callError(w.core, 'rect.transition', { id: r.id, action: 'accept', note: 'x' }, 'CONFLICT');
    await call(w.core, 'rect.transition', { id: r.id, action: 'start' });
    await call(w.core, 'rect.transition', { id: r.id, action: 'submit' });
    await callError(w.core, 'rect.transition', { id: r.id, action: 'reject' }, 'BAD_INPUT');
    expect(
      (await call(w.core, 'rect.transition', { id: r.id, action: 'reject', note: '缺少台账' })).status,
    ).toBe('in_progress');
    await call(w.core, 'rect.transition', { id: r.id, action: 'submit' });
    w.clock.set(noon('2027-03-20'));
    const closed = await call(w.core, 'rect.transition', {
      id: r.id,
      action: 'accept',
      note: '台账已建立，验收通过',
    });
    expect(closed).toMatchObject({ status: 'closed', verification: '台账已建立，验收通过', overdue: false });
    expect(closed.closedAt).not.toBeNull();
    const open = await call(w.core, 'rect.create', {
      source: 'inspection',
      problem: '逾期事项',
      deadline: '2027-03-10',
    });
    expect(open.overdue).toBe(true);
    expect((await call(w.core, 'rect.list', { overdue: true })).map((x) => x.id)).toEqual([open.id]);
    expect((await call(w.core, 'rect.list', { statuses: ['closed'] })).map((x) => x.id)).toEqual([r.id]);
    expect((await call(w.core, 'rect.list', { search: '履约' })).map((x) => x.id)).toEqual([r.id]);
  });
});
