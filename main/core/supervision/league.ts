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

/**
 * Appended to a FROM-subquery so SQLite runs it as a co-routine instead of flattening it into
 * the aggregate: each row's light and done date are then computed once, not once per SUM that
 * mentions them (halves the league and dashboard passes on 50,000 tasks).
 */
export const EVALUATE_ONCE = 'LIMIT -1 OFFSET 0';

/**
 * The league columns over CTE rows x(dept, status, due_date, done_date, light, r), counting
 * only rows with r = 1: shared by leagueTable and the dashboard's single pass.
 */
export const LEAGUE_AGGREGATES = `
  SUM(x.r) AS total,
  SUM(x.r AND x.status = 'done') AS done,
  SUM(x.r AND x.status = 'done' AND x.done_date <= x.due_date) AS on_time,
  SUM(x.r AND x.status <> 'done' AND x.due_date < @today) AS overdue,
  AVG(CASE WHEN NOT x.r THEN NULL
        WHEN x.status = 'done' AND x.done_date > x.due_date THEN julianday(x.done_date) - julianday(x.due_date)
        WHEN x.status <> 'done' AND x.due_date < @today THEN julianday(@today) - julianday(x.due_date)
      END) AS avg_delay,
  SUM(x.r AND x.light = 'red') AS red, SUM(x.r AND x.light = 'yellow') AS yellow, SUM(x.r AND x.light = 'green') AS green`;

/** The CTE row columns (without r) for a task t. */
export const LEAGUE_ROW_COLUMNS = `t.lead_dept_id AS dept, t.status, t.due_date,
  CASE WHEN t.done_at IS NOT NULL THEN date(t.done_at, @tz) END AS done_date, ${lightSql('t')} AS light`;

export interface LeagueGroup {
  dept: string | null;
  total: number | null;
  done: number | null;
  on_time: number | null;
  overdue: number | null;
  avg_delay: number | null;
  red: number | null;
  yellow: number | null;
  green: number | null;
}

/** League rows from the per-department groups (sorted and ranked). */
export function leagueRows(
  ws: Workspace,
  groups: readonly LeagueGroup[],
  includeEmpty: boolean,
): LeagueRow[] {
  const byDept = new Map(groups.map((g) => [g.dept, g]));
  const depts = ws.db.prepare('SELECT id, name, short_name FROM departments WHERE deleted = 0').all() as {
    id: string;
    name: string;
    short_name: string | null;
  }[];
  const out: LeagueRow[] = [];
  for (const d of depts) {
    const g = byDept.get(d.id);
    const total = g?.total ?? 0;
    if (!includeEmpty && total === 0) continue;
    out.push({
      rank: 0,
      deptId: d.id,
      deptName: d.name,
      shortName: d.short_name,
      total,
      done: g?.done ?? 0,
      onTime: g?.on_time ?? 0,
      overdue: g?.overdue ?? 0,
      completionRate: total > 0 ? round((g?.done ?? 0) / total, 4) : null,
      onTimeRate: total > 0 ? round((g?.on_time ?? 0) / total, 4) : null,
      avgDelayDays: g?.avg_delay === null || g?.avg_delay === undefined ? null : round(g.avg_delay, 1),
      red: g?.red ?? 0,
      yellow: g?.yellow ?? 0,
      green: g?.green ?? 0,
    });
  }
  out.sort(compareLeague);
  out.forEach((r, i) => (r.rank = r.total > 0 ? i + 1 : 0));
  return out;
}

export function leagueTable(ws: Workspace, q: LeagueQuery, now: Date): LeagueRow[] {
  const lp = currentLightParams(ws, now);
  const groups = ws.db
    .prepare(
      `SELECT x.dept, ${LEAGUE_AGGREGATES}
       FROM (SELECT ${LEAGUE_ROW_COLUMNS}, 1 AS r
             FROM tasks t
             WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft' AND t.lead_dept_id IS NOT NULL
               AND t.due_date >= @from AND t.due_date <= @to
             ${EVALUATE_ONCE}) x
       GROUP BY x.dept`,
    )
    .all({ ...lp, from: q.from, to: q.to }) as LeagueGroup[];
  return leagueRows(ws, groups, q.includeEmpty ?? false);
}
