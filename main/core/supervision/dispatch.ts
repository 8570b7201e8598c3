/**
 * Weekly dispatch (每周调度): freeze a snapshot of every supervised task for week N (status,
 * light, progress, due date, last activity) and compare it with the previous frozen week:
 * newly done, newly overdue, stalled (no change and no feedback since). The snapshot is stored
 * as a gzip'd JSON blob (content-addressed, so it syncs and backs up like any attachment); the
 * dispatch_weeks row keeps the counts for trends. Freezing the same week again replaces it
 * (the earlier snapshot stays in history).
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import { putBuffer, readBlob } from '../blobs/blobs';
import { AppError } from '../util/errors';
import { stableId } from '../util/ids';
import type { Workspace } from '../workspace/workspace';
import { lightReasonSql, lightSql, lightParams, readLightRules } from '../tasks/lights';
import { addDays, periodFromKey, periodOf, type Period } from '../tasks/periods';
import { localToday } from '../tasks/tasks';

export interface SnapshotTask {
  id: string;
  code: string;
  title: string;
  deptId: string | null;
  deptName: string | null;
  status: string;
  light: string;
  lightReason: string | null;
  progress: number;
  dueDate: string | null;
  doneAt: string | null;
  lastActivityAt: string | null;
}

export interface DeptSummary {
  deptId: string;
  deptName: string;
  total: number;
  done: number;
  red: number;
  yellow: number;
  overdue: number;
}

export interface WeekSummary {
  total: number;
  done: number;
  overdue: number;
  byStatus: Record<string, number>;
  byLight: Record<string, number>;
  completionRate: number | null;
  depts: DeptSummary[];
}

export interface DispatchWeekView {
  id: string;
  week: string;
  label: string;
  weekStart: string;
  weekEnd: string;
  frozenAt: string;
  frozenBy: string;
  note: string | null;
  summary: WeekSummary;
}

interface WeekRow {
  id: string;
  week: string;
  week_start: string;
  week_end: string;
  frozen_at: string;
  frozen_by: string;
  snapshot_sha: string;
  summary: string;
  note: string | null;
}

export function dispatchWeekId(week: string): string {
  return stableId(`dispatch-week|${week}`);
}

function weekOrThrow(week: string): Period {
  const p = periodFromKey(week);
  if (!p || p.kind !== 'weekly')
    throw new AppError('BAD_INPUT', `周次「${week}」格式不正确，应为 2027-W05 这样的写法。`);
  return p;
}

function summarize(tasks: SnapshotTask[]): WeekSummary {
  const byStatus: Record<string, number> = {};
  const byLight: Record<string, number> = {};
  const depts = new Map<string, DeptSummary>();
  let done = 0;
  let overdue = 0;
  for (const t of tasks) {
    byStatus[t.status] = (byStatus[t.status] ?? 0) + 1;
    byLight[t.light] = (byLight[t.light] ?? 0) + 1;
    const isOverdue = t.lightReason?.startsWith('overdue:') ?? false;
    if (t.status === 'done') done++;
    if (isOverdue) overdue++;
    if (t.deptId) {
      const d = depts.get(t.deptId) ?? {
        deptId: t.deptId,
        deptName: t.deptName ?? '',
        total: 0,
        done: 0,
        red: 0,
        yellow: 0,
        overdue: 0,
      };
      d.total++;
      if (t.status === 'done') d.done++;
      if (t.light === 'red') d.red++;
      if (t.light === 'yellow') d.yellow++;
      if (isOverdue) d.overdue++;
      depts.set(t.deptId, d);
    }
  }
  return {
    total: tasks.length,
    done,
    overdue,
    byStatus,
    byLight,
    completionRate: tasks.length ? Math.round((done / tasks.length) * 10000) / 10000 : null,
    depts: [...depts.values()].sort((a, b) => a.deptName.localeCompare(b.deptName, 'zh-CN')),
  };
}

/** The state of every supervised task now, with lights as of `asOf`. */
export function currentSnapshot(ws: Workspace, asOf: string): SnapshotTask[] {
  const lp = lightParams(readLightRules(ws), asOf);
  const rows = ws.db
    .prepare(
      `SELECT t.id, t.code, t.title, t.lead_dept_id AS dept_id, d.name AS dept_name, t.status,
         ${lightSql('t')} AS light, ${lightReasonSql('t')} AS light_reason, t.progress, t.due_date,
         t.done_at, t.last_activity_at
       FROM tasks t LEFT JOIN departments d ON d.id = t.lead_dept_id
       WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft'
       ORDER BY t.due_date IS NULL, t.due_date, t.code`,
    )
    .all(lp) as {
    id: string;
    code: string;
    title: string;
    dept_id: string | null;
    dept_name: string | null;
    status: string;
    light: string;
    light_reason: string | null;
    progress: number;
    due_date: string | null;
    done_at: string | null;
    last_activity_at: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    title: r.title,
    deptId: r.dept_id,
    deptName: r.dept_name,
    status: r.status,
    light: r.light,
    lightReason: r.light_reason,
    progress: r.progress,
    dueDate: r.due_date,
    doneAt: r.done_at,
    lastActivityAt: r.last_activity_at,
  }));
}

function toView(r: WeekRow): DispatchWeekView {
  return {
    id: r.id,
    week: r.week,
    label: periodFromKey(r.week)?.label ?? r.week,
    weekStart: r.week_start,
    weekEnd: r.week_end,
    frozenAt: r.frozen_at,
    frozenBy: r.frozen_by,
    note: r.note,
    summary: JSON.parse(r.summary) as WeekSummary,
  };
}

/**
 * Freezes week `week` (default: the current week). Lights are taken as of today, or as of the
 * week's last day when freezing a past week.
 */
export function freezeWeek(ws: Workspace, now: Date, week?: string, note?: string | null): DispatchWeekView {
  const today = localToday(now);
  const p = week ? weekOrThrow(week) : periodOf('weekly', today);
  if (p.start > today) throw new AppError('BAD_INPUT', `${p.label}还没有开始，不能冻结。`);
  const asOf = today < p.end ? today : p.end;
  const tasks = currentSnapshot(ws, asOf);
  const summary = summarize(tasks);
  const blob = gzipSync(Buffer.from(JSON.stringify({ week: p.key, asOf, tasks })), { level: 6 });
  const { sha256 } = putBuffer(ws.dir, blob);
  const id = dispatchWeekId(p.key);
  const actor = ws.actor();
  ws.writer.transact(actor, (tx) => {
    const values = {
      week: p.key,
      week_start: p.start,
      week_end: p.end,
      frozen_at: tx.at,
      frozen_by: actor.name,
      snapshot_sha: sha256,
      summary,
      note: note ?? null,
    };
    const existing = tx.get('dispatch_week', id);
    if (!existing) tx.insert('dispatch_week', values, id);
    else {
      if (existing.deleted === 1) tx.restore('dispatch_week', id);
      tx.update('dispatch_week', id, values);
    }
  });
  return getWeek(ws, p.key);
}

export function getWeek(ws: Workspace, week: string): DispatchWeekView {
  const r = ws.db
    .prepare('SELECT * FROM dispatch_weeks WHERE id = ? AND deleted = 0')
    .get(dispatchWeekId(week)) as WeekRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', `${periodFromKey(week)?.label ?? week}尚未冻结调度快照。`);
  return toView(r);
}

export function listWeeks(ws: Workspace): DispatchWeekView[] {
  const rows = ws.db
    .prepare('SELECT * FROM dispatch_weeks WHERE deleted = 0 ORDER BY week DESC')
    .all() as WeekRow[];
  return rows.map(toView);
}

export function loadSnapshot(ws: Workspace, week: string): SnapshotTask[] {
  const r = ws.db
    .prepare('SELECT snapshot_sha FROM dispatch_weeks WHERE id = ? AND deleted = 0')
    .get(dispatchWeekId(week)) as { snapshot_sha: string } | undefined;
  if (!r) throw new AppError('NOT_FOUND', `${periodFromKey(week)?.label ?? week}尚未冻结调度快照。`);
  const data = JSON.parse(gunzipSync(readBlob(ws.dir, r.snapshot_sha)).toString('utf8')) as {
    tasks: SnapshotTask[];
  };
  return data.tasks;
}

export interface WeekComparison {
  week: DispatchWeekView;
  previous: DispatchWeekView | null;
  newlyDone: SnapshotTask[];
  newlyOverdue: SnapshotTask[];
  stalled: SnapshotTask[];
  added: SnapshotTask[];
  /** Every task of week N, for the report's tables. */
  tasks: SnapshotTask[];
}

function localDay(iso: string): string {
  return localToday(new Date(iso));
}

const isOverdue = (t: SnapshotTask) => t.lightReason?.startsWith('overdue:') ?? false;

/** Week N against the latest frozen week before it. */
export function compareWeek(ws: Workspace, week: string): WeekComparison {
  const current = getWeek(ws, week);
  const prevRow = ws.db
    .prepare('SELECT week FROM dispatch_weeks WHERE deleted = 0 AND week < ? ORDER BY week DESC LIMIT 1')
    .get(week) as { week: string } | undefined;
  const tasks = loadSnapshot(ws, week);
  const previous = prevRow ? getWeek(ws, prevRow.week) : null;
  const prevTasks = prevRow ? loadSnapshot(ws, prevRow.week) : [];
  const before = new Map(prevTasks.map((t) => [t.id, t]));
  const newlyDone: SnapshotTask[] = [];
  const newlyOverdue: SnapshotTask[] = [];
  const stalled: SnapshotTask[] = [];
  const added: SnapshotTask[] = [];
  const { weekStart, weekEnd } = current;
  const inWeek = (iso: string | null) => !!iso && localDay(iso) >= weekStart && localDay(iso) <= weekEnd;
  for (const t of tasks) {
    const b = before.get(t.id);
    if (previous && !b) added.push(t);
    if (previous) {
      if (t.status === 'done' && b?.status !== 'done') newlyDone.push(t);
      if (isOverdue(t) && !(b && isOverdue(b))) newlyOverdue.push(t);
      if (
        b &&
        t.status !== 'done' &&
        t.status === b.status &&
        t.progress === b.progress &&
        t.lastActivityAt === b.lastActivityAt
      ) {
        stalled.push(t);
      }
    } else {
      // First frozen week: judge by what happened within the week itself.
      if (t.status === 'done' && inWeek(t.doneAt)) newlyDone.push(t);
      if (isOverdue(t) && t.dueDate !== null && t.dueDate >= addDays(weekStart, -1) && t.dueDate <= weekEnd) {
        newlyOverdue.push(t);
      }
      if (t.status !== 'done' && (!t.lastActivityAt || localDay(t.lastActivityAt) < weekStart))
        stalled.push(t);
    }
  }
  return { week: current, previous, newlyDone, newlyOverdue, stalled, added, tasks };
}
