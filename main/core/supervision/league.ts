/**
 * Department league table (部门排行): per lead department, over the supervised tasks (issued,
 * not a series definition) whose due date falls in [from, to]:
 *   任务数 total; 已办结 done; 完成率 done / total; 按时办结 onTime (done no later than the
 *   due date); 按时办结率 onTime / total; 逾期 overdue (not done, due before today);
 *   平均延误天数 over the late ones (done late: days late; still open: days overdue so far).
 * The dashboard's top/bottom five and the weekly report use this same function.
 */
import type { Workspace } from '../workspace/workspace';
import { lightSql } from '../tasks/lights';
import { currentLightParams } from '../tasks/tasks';

export interface LeagueRow {
  rank: number;
  deptId: string;
  deptName: string;
  shortName: string | null;
  total: number;
  done: number;
  onTime: number;
  overdue: number;
  completionRate: number | null;
  onTimeRate: number | null;
  avgDelayDays: number | null;
  red: number;
  yellow: number;
  green: number;
}

export interface LeagueQuery {
  from: string;
  to: string;
  /** Include departments without tasks in the period (default false). */
  includeEmpty?: boolean;
}

interface Row {
  dept_id: string;
  dept_name: string;
  short_name: string | null;
  total: number;
  done: number | null;
  on_time: number | null;
  overdue: number | null;
  avg_delay: number | null;
  red: number | null;
  yellow: number | null;
  green: number | null;
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Sort: completion rate, then on-time rate, then fewer overdue, then more tasks. */
export function compareLeague(a: LeagueRow, b: LeagueRow): number {
  return (
    (b.completionRate ?? -1) - (a.completionRate ?? -1) ||
    (b.onTimeRate ?? -1) - (a.onTimeRate ?? -1) ||
    a.overdue - b.overdue ||
    b.total - a.total ||
    a.deptName.localeCompare(b.deptName, 'zh-CN')
  );
}

export function leagueTable(ws: Workspace, q: LeagueQuery, now: Date): LeagueRow[] {
  const lp = currentLightParams(ws, now);
  const rows = ws.db
    .prepare(
      `WITH x AS (
         SELECT t.lead_dept_id AS dept, t.status, t.due_date,
           CASE WHEN t.done_at IS NOT NULL THEN date(t.done_at, 'localtime') END AS done_date,
           ${lightSql('t')} AS light
         FROM tasks t
         WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft' AND t.lead_dept_id IS NOT NULL
           AND t.due_date >= @from AND t.due_date <= @to
       )
       SELECT d.id AS dept_id, d.name AS dept_name, d.short_name,
         COUNT(x.dept) AS total,
         SUM(x.status = 'done') AS done,
         SUM(x.status = 'done' AND x.done_date <= x.due_date) AS on_time,
         SUM(x.status <> 'done' AND x.due_date < @today) AS overdue,
         AVG(CASE
               WHEN x.status = 'done' AND x.done_date > x.due_date THEN julianday(x.done_date) - julianday(x.due_date)
               WHEN x.status <> 'done' AND x.due_date < @today THEN julianday(@today) - julianday(x.due_date)
             END) AS avg_delay,
         SUM(x.light = 'red') AS red, SUM(x.light = 'yellow') AS yellow, SUM(x.light = 'green') AS green
       FROM departments d LEFT JOIN x ON x.dept = d.id
       WHERE d.deleted = 0
       GROUP BY d.id`,
    )
    .all({ ...lp, from: q.from, to: q.to }) as Row[];
  const out: LeagueRow[] = rows
    .filter((r) => q.includeEmpty || r.total > 0)
    .map((r) => ({
      rank: 0,
      deptId: r.dept_id,
      deptName: r.dept_name,
      shortName: r.short_name,
      total: r.total,
      done: r.done ?? 0,
      onTime: r.on_time ?? 0,
      overdue: r.overdue ?? 0,
      completionRate: r.total > 0 ? round((r.done ?? 0) / r.total, 4) : null,
      onTimeRate: r.total > 0 ? round((r.on_time ?? 0) / r.total, 4) : null,
      avgDelayDays: r.avg_delay === null ? null : round(r.avg_delay, 1),
      red: r.red ?? 0,
      yellow: r.yellow ?? 0,
      green: r.green ?? 0,
    }));
  out.sort(compareLeague);
  out.forEach((r, i) => (r.rank = r.total > 0 ? i + 1 : 0));
  return out;
}
