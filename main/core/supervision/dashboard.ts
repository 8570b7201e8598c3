/**
 * Dashboard (驾驶舱) v1. Every figure is a task filter counted by countTasks, and the filter
 * travels with the figure: clicking it opens the task list with exactly that filter, which
 * shows exactly that many tasks. The league part is leagueTable, the same as the league page
 * and the weekly report.
 */
import type { z } from 'zod';
import type { Light, TaskFilter } from '../contract/records';
import { addDays, periodOf, type Period } from '../tasks/periods';
import { currentLightParams, listTasks, localToday } from '../tasks/tasks';
import type { Workspace } from '../workspace/workspace';
import { EVALUATE_ONCE, LEAGUE_ROW_COLUMNS, leagueRows, type LeagueGroup, type LeagueRow } from './league';

type Filter = z.input<typeof TaskFilter>;

export interface Figure {
  value: number;
  filter: Filter;
}

export interface TrendPoint {
  week: string;
  weekStart: string;
  weekEnd: string;
  /** Tasks due in that week, and how many of those are done by now. */
  due: number;
  doneOfDue: number;
  /** Tasks completed during that week. */
  completed: number;
  /** Share of tasks due by the week's end that were done by then. */
  cumulativeRate: number | null;
}

export interface DashboardSummary {
  today: string;
  periodStart: string;
  totals: {
    supervised: Figure;
    done: Figure;
    completionRate: number | null;
    dueToDate: Figure;
    doneOfDueToDate: Figure;
  };
  lights: { green: Figure; yellow: Figure; red: Figure };
  dueThisWeek: Figure & { from: string; to: string; tasks: DashboardTask[] };
  overdue: Figure & { tasks: DashboardTask[] };
  league: { from: string; to: string; top: LeagueRow[]; bottom: LeagueRow[]; departments: number };
  trend: TrendPoint[];
}

export interface DashboardTask {
  id: string;
  code: string;
  title: string;
  leadDeptName: string | null;
  dueDate: string | null;
  light: Light;
  lightReason: string | null;
}

const SUPERVISED = { supervisedOnly: true } as const;
const OPEN_STATUSES = ['issued', 'signed', 'handling', 'feedback'] as const;

export function dashboardSummary(
  ws: Workspace,
  now: Date,
  opts: { trendWeeks?: number } = {},
): DashboardSummary {
  const today = localToday(now);
  const periodStart = (
    ws.db.prepare('SELECT period_start FROM workspace WHERE id = ?').get(ws.id) as { period_start: string }
  ).period_start;
  const week = periodOf('weekly', today);
  const lp = currentLightParams(ws, now);
  const weeks = opts.trendWeeks ?? 12;
  const lastWeek = periodOf('weekly', today);
  const firstWeek = periodOf('weekly', addDays(lastWeek.start, -7 * (weeks - 1)));
  // ONE pass over the supervised tasks (the covering index tasks_supervision, no table rows),
  // each row's light and done day computed once and reduced to a few flags; rows with the same
  // department and flags are counted together, and every figure, the league columns for
  // [periodStart, today] and the lights are sums over those groups. (Counting by flags is
  // cheaper than eighteen SUM columns over every row.)
  const flagRows = ws.db
    .prepare(
      `SELECT x.dept, x.status = 'done' AS dn, x.light AS lt, x.r,
         IFNULL(x.due_date <= @today, 0) AS dtd, IFNULL(x.due_date < @today, 0) AS ov,
         IFNULL(x.due_date >= @weekStart AND x.due_date <= @weekEnd, 0) AS dw,
         IFNULL(x.done_date <= x.due_date, 0) AS ot,
         COUNT(*) AS n,
         SUM(CASE WHEN NOT x.r THEN NULL
               WHEN x.status = 'done' AND x.done_date > x.due_date THEN julianday(x.done_date) - julianday(x.due_date)
               WHEN x.status <> 'done' AND x.due_date < @today THEN julianday(@today) - julianday(x.due_date)
             END) AS delay
       FROM (SELECT ${LEAGUE_ROW_COLUMNS},
               IFNULL(t.lead_dept_id IS NOT NULL AND t.due_date >= @from AND t.due_date <= @to, 0) AS r
             FROM tasks t INDEXED BY tasks_supervision
             WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft'
             ${EVALUATE_ONCE}) x
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    )
    .all({ ...lp, from: periodStart, to: today, weekStart: week.start, weekEnd: week.end }) as {
    dept: string | null;
    dn: number;
    lt: Light;
    r: number;
    dtd: number;
    ov: number;
    dw: number;
    ot: number;
    n: number;
    delay: number | null;
  }[];
  const total = {
    supervised: 0,
    done: 0,
    dueToDate: 0,
    doneOfDue: 0,
    dueWeek: 0,
    overdue: 0,
    green: 0,
    yellow: 0,
    red: 0,
  };
  const byDept = new Map<string | null, LeagueGroup>();
  for (const g of flagRows) {
    total.supervised += g.n;
    if (g.dn) total.done += g.n;
    if (g.dtd) total.dueToDate += g.n;
    if (g.dn && g.dtd) total.doneOfDue += g.n;
    if (!g.dn && g.dw) total.dueWeek += g.n;
    if (!g.dn && g.ov) total.overdue += g.n;
    if (g.lt === 'green' || g.lt === 'yellow' || g.lt === 'red') total[g.lt] += g.n;
    if (!g.r) continue;
    // the league columns (LEAGUE_AGGREGATES) of the rows due in [periodStart, today]
    const d = byDept.get(g.dept) ?? {
      dept: g.dept,
      total: 0,
      done: 0,
      on_time: 0,
      overdue: 0,
      delay_sum: 0,
      delay_n: 0,
      red: 0,
      yellow: 0,
      green: 0,
    };
    d.total = (d.total ?? 0) + g.n;
    if (g.dn) d.done = (d.done ?? 0) + g.n;
    if (g.dn && g.ot) d.on_time = (d.on_time ?? 0) + g.n;
    if (!g.dn && g.ov) d.overdue = (d.overdue ?? 0) + g.n;
    if ((g.dn && !g.ot) || (!g.dn && g.ov)) {
      d.delay_sum = (d.delay_sum ?? 0) + (g.delay ?? 0);
      d.delay_n = (d.delay_n ?? 0) + g.n;
    }
    if (g.lt === 'green' || g.lt === 'yellow' || g.lt === 'red') d[g.lt] = (d[g.lt] ?? 0) + g.n;
    byDept.set(g.dept, d);
  }
  const groups = [...byDept.values()];
  const fig = (filter: Filter, value: number): Figure => ({ value, filter });
  const supervised = fig({ ...SUPERVISED }, total.supervised);
  const done = fig({ ...SUPERVISED, statuses: ['done'] }, total.done);
  const dueToDate = fig({ ...SUPERVISED, dueTo: today }, total.dueToDate);
  const doneOfDueToDate = fig({ ...SUPERVISED, dueTo: today, statuses: ['done'] }, total.doneOfDue);
  const dueWeekFilter: Filter = {
    ...SUPERVISED,
    dueFrom: week.start,
    dueTo: week.end,
    statuses: [...OPEN_STATUSES],
  };
  const pick = (filter: Filter, limit: number, total: number): DashboardTask[] =>
    listTasks(ws, { ...filter, limit }, now, { knownTotal: total }).rows.map((t) => ({
      id: t.id,
      code: t.code,
      title: t.title,
      leadDeptName: t.leadDeptName,
      dueDate: t.dueDate,
      light: t.light,
      lightReason: t.lightReason,
    }));
  const overdueFilter: Filter = { overdue: true };
  const league = leagueRows(ws, groups, false);
  return {
    today,
    periodStart,
    totals: {
      supervised,
      done,
      completionRate:
        supervised.value > 0 ? Math.round((done.value / supervised.value) * 10000) / 10000 : null,
      dueToDate,
      doneOfDueToDate,
    },
    lights: {
      green: fig({ lights: ['green'] }, total.green),
      yellow: fig({ lights: ['yellow'] }, total.yellow),
      red: fig({ lights: ['red'] }, total.red),
    },
    dueThisWeek: {
      ...fig(dueWeekFilter, total.dueWeek),
      from: week.start,
      to: week.end,
      tasks: pick(dueWeekFilter, 50, total.dueWeek),
    },
    overdue: {
      ...fig(overdueFilter, total.overdue),
      tasks: pick(overdueFilter, 50, total.overdue),
    },
    league: {
      from: periodStart,
      to: today,
      top: league.slice(0, 5),
      bottom: league.length > 5 ? league.slice(-5).reverse() : [],
      departments: league.length,
    },
    trend: weeklyTrend(ws, firstWeek, weeks),
  };
}

/**
 * The `weeks` ISO weeks from `first`: tasks due in week i, done of those, completed in week i,
 * and the cumulative share of tasks due by the week's end that were done by then. Each task is
 * placed in its due week and done week (办结日期) by comparing with the weeks' first days, which
 * needs no date function per row.
 */
function weeklyTrend(ws: Workspace, first: Period, weeks: number): TrendPoint[] {
  const params: Record<string, string> = {};
  for (let i = 0; i <= weeks; i++) {
    const start = addDays(first.start, 7 * i);
    params[`d${i}`] = start;
  }
  const bucket = (e: string, p: string) =>
    `CASE WHEN ${e} IS NULL THEN NULL ${Array.from(
      { length: weeks + 1 },
      (_, i) => `WHEN ${e} < @${p}${i} THEN ${i - 1}`,
    ).join(' ')} ELSE ${weeks} END`;
  const supervised = "t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft'";
  // Tasks with a due or done day inside the window are bucketed one by one …
  const buckets = ws.db
    .prepare(
      `SELECT wd, wc, COUNT(*) AS n FROM (
         SELECT ${bucket('t.due_date', 'd')} AS wd, ${bucket('t.done_on', 'd')} AS wc
         FROM tasks t WHERE ${supervised} AND (t.due_date >= @d0 OR t.done_on >= @d0) ${EVALUATE_ONCE})
       GROUP BY wd, wc`,
    )
    .all(params) as { wd: number | null; wc: number | null; n: number }[];
  // … the rest only matter as "due before the window" (done before it, or not done): two counts,
  // read from the covering index (SQLite would otherwise pick the due-date index and fetch rows).
  const before = ws.db
    .prepare(
      `SELECT SUM(t.done_on < @d0) AS done, SUM(t.done_on IS NULL) AS open
       FROM tasks t INDEXED BY tasks_supervision WHERE ${supervised} AND t.due_date < @d0`,
    )
    .get({ d0: params.d0 }) as { done: number | null; open: number | null };
  buckets.push({ wd: -1, wc: -1, n: before.done ?? 0 }, { wd: -1, wc: null, n: before.open ?? 0 });
  const points: TrendPoint[] = [];
  let p = first;
  for (let i = 0; i < weeks; i++, p = periodOf('weekly', addDays(p.end, 1))) {
    let due = 0;
    let doneOfDue = 0;
    let completed = 0;
    let dueBy = 0;
    let doneBy = 0;
    for (const b of buckets) {
      const n = b.n;
      if (b.wd === i) {
        due += n;
        if (b.wc !== null) doneOfDue += n;
      }
      if (b.wc === i) completed += n;
      if (b.wd !== null && b.wd <= i) {
        dueBy += n;
        if (b.wc !== null && b.wc <= i) doneBy += n;
      }
    }
    points.push({
      week: p.key,
      weekStart: p.start,
      weekEnd: p.end,
      due,
      doneOfDue,
      completed,
      cumulativeRate: dueBy > 0 ? Math.round((doneBy / dueBy) * 10000) / 10000 : null,
    });
  }
  return points;
}
