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
  SUM(CASE WHEN NOT x.r THEN NULL
        WHEN x.status = 'done' AND x.done_date > x.due_date THEN julianday(x.done_date) - julianday(x.due_date)
        WHEN x.status <> 'done' AND x.due_date < @today THEN julianday(@today) - julianday(x.due_date)
      END) AS delay_sum,
  SUM(x.r AND ((x.status = 'done' AND x.done_date > x.due_date) OR (x.status <> 'done' AND x.due_date < @today))) AS delay_n,
  SUM(x.r AND x.light = 'red') AS red, SUM(x.r AND x.light = 'yellow') AS yellow, SUM(x.r AND x.light = 'green') AS green`;

/** The CTE row columns (without r) for a task t. */
export const LEAGUE_ROW_COLUMNS = `t.lead_dept_id AS dept, t.status, t.due_date,
  t.done_on AS done_date, ${lightSql('t')} AS light`;

export interface LeagueGroup {
  dept: string | null;
  total: number | null;
  done: number | null;
  on_time: number | null;
  overdue: number | null;
  /** Sum and count of the late tasks' days (groups of one department may be summed). */
  delay_sum: number | null;
  delay_n: number | null;
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
  // several groups may belong to one department (the dashboard also splits by week): sum them
  const byDept = new Map<string | null, LeagueGroup>();
  const keys = [
    'total',
    'done',
    'on_time',
    'overdue',
    'delay_sum',
    'delay_n',
    'red',
    'yellow',
    'green',
  ] as const;
  for (const g of groups) {
    const acc = byDept.get(g.dept);
    if (!acc) byDept.set(g.dept, { ...g });
    else for (const k of keys) acc[k] = (acc[k] ?? 0) + (g[k] ?? 0);
  }
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
      avgDelayDays: g?.delay_n ? round((g.delay_sum ?? 0) / g.delay_n, 1) : null,
      red: g?.red ?? 0,
      yellow: g?.yellow ?? 0,
      green: g?.green ?? 0,
    });
  }
  out.sort(compareLeague);
  out.forEach((r, i) => (r.rank = r.total > 0 ? i + 1 : 0));
  return out;
}

/** Ranges longer than this read every supervised task in department order (see leagueTable). */
const WIDE_RANGE_DAYS = 62;

export function leagueTable(ws: Workspace, q: LeagueQuery, now: Date): LeagueRow[] {
  const lp = currentLightParams(ws, now);
  // A short period (a week, a month) is best found through the due-date index; a long one (a
  // quarter, the whole campaign) covers most tasks, and reading them all in department order
  // from the narrow covering index avoids both the table rows and a sort. SQLite cannot tell
  // the two apart without statistics, so the choice is made here.
  const days = (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;
  const source = days > WIDE_RANGE_DAYS ? 'tasks t INDEXED BY tasks_supervision' : 'tasks t';
  const groups = ws.db
    .prepare(
      `SELECT x.dept, ${LEAGUE_AGGREGATES}
       FROM (SELECT ${LEAGUE_ROW_COLUMNS}, 1 AS r
             FROM ${source}
             WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft' AND t.lead_dept_id IS NOT NULL
               AND t.due_date >= @from AND t.due_date <= @to
             ORDER BY t.lead_dept_id ${EVALUATE_ONCE}) x
       GROUP BY x.dept`,
    )
    .all({ ...lp, from: q.from, to: q.to }) as LeagueGroup[];
  return leagueRows(ws, groups, q.includeEmpty ?? false);
}
