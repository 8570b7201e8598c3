/**
 * Dashboard (驾驶舱) v1. Every figure is a task filter counted by countTasks, and the filter
 * travels with the figure: clicking it opens the task list with exactly that filter, which
 * shows exactly that many tasks. The league part is leagueTable, the same as the league page
 * and the weekly report.
 */
import type { z } from 'zod';
import type { Light, TaskFilter } from '../contract/records';
import { addDays, periodOf } from '../tasks/periods';
import { countTasks, listTasks, localToday } from '../tasks/tasks';
import type { Workspace } from '../workspace/workspace';
import { leagueTable, type LeagueRow } from './league';

type Filter = z.input<typeof TaskFilter>;

export interface Figure {
  value: number;
  filter: Filter;
}

export interface TrendPoint {
  week: string;
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
  const fig = (filter: Filter): Figure => ({ value: countTasks(ws, filter, now), filter });
  const supervised = fig({ ...SUPERVISED });
  const done = fig({ ...SUPERVISED, statuses: ['done'] });
  const dueToDate = fig({ ...SUPERVISED, dueTo: today });
  const doneOfDueToDate = fig({ ...SUPERVISED, dueTo: today, statuses: ['done'] });
  const week = periodOf('weekly', today);
  const dueWeekFilter: Filter = {
    ...SUPERVISED,
    dueFrom: week.start,
    dueTo: week.end,
    statuses: [...OPEN_STATUSES],
  };
  const pick = (filter: Filter, limit: number): DashboardTask[] =>
    listTasks(ws, { ...filter, limit }, now).rows.map((t) => ({
      id: t.id,
      code: t.code,
      title: t.title,
      leadDeptName: t.leadDeptName,
      dueDate: t.dueDate,
      light: t.light,
      lightReason: t.lightReason,
    }));
  const overdueFilter: Filter = { overdue: true };
  const league = leagueTable(ws, { from: periodStart, to: today }, now);
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
      green: fig({ lights: ['green'] }),
      yellow: fig({ lights: ['yellow'] }),
      red: fig({ lights: ['red'] }),
    },
    dueThisWeek: { ...fig(dueWeekFilter), from: week.start, to: week.end, tasks: pick(dueWeekFilter, 50) },
    overdue: { ...fig(overdueFilter), tasks: pick(overdueFilter, 50) },
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
  const rows = ws.db
    .prepare(
      `SELECT t.due_date AS due, CASE WHEN t.done_at IS NOT NULL THEN date(t.done_at, 'localtime') END AS done
       FROM tasks t WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft'
         AND (t.due_date <= @end OR t.done_at IS NOT NULL)`,
    )
    .all({ end: last.end }) as { due: string | null; done: string | null }[];
  const points: TrendPoint[] = [];
  for (let p = first; p.start <= last.start; p = periodOf('weekly', addDays(p.end, 1))) {
    let due = 0;
    let doneOfDue = 0;
    let completed = 0;
    let dueBy = 0;
    let doneBy = 0;
    for (const r of rows) {
      if (r.due && r.due >= p.start && r.due <= p.end) {
        due++;
        if (r.done) doneOfDue++;
      }
      if (r.done && r.done >= p.start && r.done <= p.end) completed++;
      if (r.due && r.due <= p.end) {
        dueBy++;
        if (r.done && r.done <= p.end) doneBy++;
      }
    }
    points.push({
      week: p.key,
      weekEnd: p.end,
      due,
      doneOfDue,
      completed,
      cumulativeRate: dueBy > 0 ? Math.round((doneBy / dueBy) * 10000) / 10000 : null,
    });
  }
  return points;
}
