/**
 * Dashboard (驾驶舱) v1. Every figure is a task filter counted by countTasks, and the filter
 * travels with the figure: clicking it opens the task list with exactly that filter, which
 * shows exactly that many tasks. The league part is leagueTable, the same as the league page
 * and the weekly report.
 */
import type { z } from 'zod';
import type { Light, TaskFilter } from '../contract/records';
import { tzModifier } from '../tasks/lights';
import { addDays, periodOf } from '../tasks/periods';
import { currentLightParams, listTasks, localToday } from '../tasks/tasks';
import type { Workspace } from '../workspace/workspace';
import {
  EVALUATE_ONCE,
  LEAGUE_AGGREGATES,
  LEAGUE_ROW_COLUMNS,
  leagueRows,
  type LeagueGroup,
  type LeagueRow,
} from './league';

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
  // ONE pass over the supervised tasks, grouped by lead department: every count figure (summed
  // over the groups) and the league table's columns for [periodStart, today].
  const groups = ws.db
    .prepare(
      `SELECT x.dept, COUNT(*) AS supervised, SUM(x.status = 'done') AS all_done,
         SUM(x.due_date <= @today) AS due_to_date, SUM(x.status = 'done' AND x.due_date <= @today) AS done_of_due,
         SUM(x.light = 'green') AS all_green, SUM(x.light = 'yellow') AS all_yellow, SUM(x.light = 'red') AS all_red,
         SUM(x.status <> 'done' AND x.due_date >= @weekStart AND x.due_date <= @weekEnd) AS due_week,
         SUM(x.status <> 'done' AND x.due_date < @today) AS all_overdue,
         ${LEAGUE_AGGREGATES}
       FROM (SELECT ${LEAGUE_ROW_COLUMNS},
               IFNULL(t.lead_dept_id IS NOT NULL AND t.due_date >= @from AND t.due_date <= @to, 0) AS r
             FROM tasks t
             WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft'
             ${EVALUATE_ONCE}) x
       GROUP BY x.dept`,
    )
    .all({ ...lp, from: periodStart, to: today, weekStart: week.start, weekEnd: week.end }) as (LeagueGroup &
    Record<string, number | string | null>)[];
  const sum = (k: string) => groups.reduce((n, g) => n + Number(g[k] ?? 0), 0);
  const fig = (filter: Filter, value: number): Figure => ({ value, filter });
  const supervised = fig({ ...SUPERVISED }, sum('supervised'));
  const done = fig({ ...SUPERVISED, statuses: ['done'] }, sum('all_done'));
  const dueToDate = fig({ ...SUPERVISED, dueTo: today }, sum('due_to_date'));
  const doneOfDueToDate = fig({ ...SUPERVISED, dueTo: today, statuses: ['done'] }, sum('done_of_due'));
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
      green: fig({ lights: ['green'] }, sum('all_green')),
      yellow: fig({ lights: ['yellow'] }, sum('all_yellow')),
      red: fig({ lights: ['red'] }, sum('all_red')),
    },
    dueThisWeek: {
      ...fig(dueWeekFilter, sum('due_week')),
      from: week.start,
      to: week.end,
      tasks: pick(dueWeekFilter, 50, sum('due_week')),
    },
    overdue: {
      ...fig(overdueFilter, sum('all_overdue')),
      tasks: pick(overdueFilter, 50, sum('all_overdue')),
    },
    league: {
      from: periodStart,
      to: today,
      top: league.slice(0, 5),
      bottom: league.length > 5 ? league.slice(-5).reverse() : [],
      departments: league.length,
    },
    trend: weeklyTrend(ws, today, opts.trendWeeks ?? 12),
  };
}

/** The last `weeks` ISO weeks up to this one, from due and done dates (one pass over the tasks). */
export function weeklyTrend(ws: Workspace, today: string, weeks: number): TrendPoint[] {
  const last = periodOf('weekly', today);
  const first = periodOf('weekly', addDays(last.start, -7 * (weeks - 1)));
  // week index of a date relative to the first week, clamped to -1 (before) … weeks (after)
  const idx = (e: string) =>
    `CASE WHEN ${e} IS NULL THEN NULL ELSE MIN(MAX(CAST((julianday(${e}) - julianday(@first)) / 7 + 1 AS INTEGER) - 1, -1), @weeks) END`;
  const buckets = ws.db
    .prepare(
      `SELECT wd, wc, is_done, COUNT(*) AS n FROM (
         SELECT ${idx('x.due')} AS wd, ${idx('x.done')} AS wc, x.done IS NOT NULL AS is_done
         FROM (SELECT t.due_date AS due, CASE WHEN t.done_at IS NOT NULL THEN date(t.done_at, @tz) END AS done
               FROM tasks t WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft' ${EVALUATE_ONCE}) x
         ${EVALUATE_ONCE})
       GROUP BY wd, wc, is_done`,
    )
    .all({ first: first.start, weeks, tz: tzModifier() }) as {
    wd: number | null;
    wc: number | null;
    is_done: number;
    n: number;
  }[];
  const points: TrendPoint[] = [];
  let p = first;
  for (let i = 0; i < weeks; i++, p = periodOf('weekly', addDays(p.end, 1))) {
    let due = 0;
    let doneOfDue = 0;
    let completed = 0;
    let dueBy = 0;
    let doneBy = 0;
    for (const b of buckets) {
      if (b.wd === i) {
        due += b.n;
        if (b.is_done) doneOfDue += b.n;
      }
      if (b.wc === i) completed += b.n;
      if (b.wd !== null && b.wd <= i) {
        dueBy += b.n;
        if (b.wc !== null && b.wc <= i) doneBy += b.n;
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
