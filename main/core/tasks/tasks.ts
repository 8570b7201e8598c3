import type { z } from 'zod';
import {
  TaskFilter,
  type Task,
  type TaskInput,
  type TaskListResult,
  type TaskPatch,
} from '../contract/records';
import { escapeLike } from '../departments/departments';
import { checkLinkRefs, insertLinks, syncLinks } from '../records/links';
import type { Tx } from '../records/writer';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';
import { lightParams, lightReasonSql, lightSql, readLightRules, type LightParams } from './lights';
import { periodFromKey } from './periods';

interface Row {
  id: string;
  code: string;
  title: string;
  description: string | null;
  standard: string | null;
  lead_dept_id: string | null;
  lead_dept_name: string | null;
  due_date: string | null;
  status: Task['status'];
  priority: Task['priority'];
  recurrence: Task['recurrence'];
  progress: number;
  kind: Task['kind'];
  series_id: string | null;
  period: string | null;
  recur_start: string | null;
  recur_end: string | null;
  parent_id: string | null;
  issued_at: string | null;
  done_at: string | null;
  last_activity_at: string | null;
  light: Task['light'];
  light_reason: string | null;
  feedback_count: number;
  attachment_count: number;
  created_at: string;
  updated_at: string;
  coop: string;
  inds: string;
}

/** Every task read goes through this SELECT, so lights are the same everywhere. */
export function taskSelect(): string {
  return `
  SELECT t.id, t.code, t.title, t.description, t.standard, t.lead_dept_id, d.name AS lead_dept_name,
    t.due_date, t.status, t.priority, t.recurrence, t.progress, t.kind, t.series_id, t.period,
    t.recur_start, t.recur_end, t.parent_id, t.issued_at, t.done_at, t.last_activity_at,
    ${lightSql('t')} AS light, ${lightReasonSql('t')} AS light_reason,
    (SELECT COUNT(*) FROM task_feedback f WHERE f.task_id = t.id AND f.deleted = 0) AS feedback_count,
    (SELECT COUNT(*) FROM attachments a WHERE a.owner_type = 'task' AND a.owner_id = t.id AND a.deleted = 0)
      + (SELECT COUNT(*) FROM attachments a JOIN task_feedback f ON a.owner_type = 'feedback' AND a.owner_id = f.id
         WHERE f.task_id = t.id AND a.deleted = 0 AND f.deleted = 0) AS attachment_count,
    t.created_at, t.updated_at,
    (SELECT json_group_array(td.dept_id) FROM task_departments td WHERE td.task_id = t.id AND td.deleted = 0) AS coop,
    (SELECT json_group_array(ti.indicator_id) FROM task_indicators ti WHERE ti.task_id = t.id AND ti.deleted = 0) AS inds
  FROM tasks t LEFT JOIN departments d ON d.id = t.lead_dept_id`;
}

function toTask(r: Row): Task {
  return {
    id: r.id,
    code: r.code,
    title: r.title,
    description: r.description,
    standard: r.standard,
    leadDeptId: r.lead_dept_id,
    leadDeptName: r.lead_dept_name,
    coopDeptIds: JSON.parse(r.coop) as string[],
    indicatorIds: JSON.parse(r.inds) as string[],
    dueDate: r.due_date,
    status: r.status,
    priority: r.priority,
    recurrence: r.recurrence,
    progress: r.progress,
    kind: r.kind,
    seriesId: r.series_id,
    period: r.period,
    periodLabel: r.period ? (periodFromKey(r.period)?.label ?? r.period) : null,
    recurStart: r.recur_start,
    recurEnd: r.recur_end,
    parentId: r.parent_id,
    issuedAt: r.issued_at,
    doneAt: r.done_at,
    lastActivityAt: r.last_activity_at,
    light: r.light,
    lightReason: r.light_reason,
    feedbackCount: r.feedback_count,
    attachmentCount: r.attachment_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** Today as a local calendar date (YYYY-MM-DD) by the workspace clock. */
export function localToday(now: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

export function currentLightParams(ws: Workspace, now: Date): LightParams {
  return lightParams(readLightRules(ws), localToday(now));
}

type Filter = z.output<typeof TaskFilter>;
type FilterInput = z.input<typeof TaskFilter>;

/** WHERE clause (over tasks t LEFT JOIN departments d) for a task filter; uses the light params. */
export function buildWhere(f: Filter): { sql: string; params: unknown[] } {
  const where = ['t.deleted = 0'];
  const params: unknown[] = [];
  const inList = (col: string, values: readonly unknown[]) => {
    where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (f.deptIds && f.deptIds.length > 0) {
    const marks = f.deptIds.map(() => '?').join(', ');
    if (f.leadOnly) {
      where.push(`t.lead_dept_id IN (${marks})`);
      params.push(...f.deptIds);
    } else {
      // Lead OR cooperating department. Written as IN (… UNION …) so SQLite drives both sides
      // from their department indexes even without ANALYZE statistics (an EXISTS here was
      // planned per task and took seconds on 50,000 tasks).
      where.push(
        `t.id IN (SELECT id FROM tasks WHERE lead_dept_id IN (${marks}) AND deleted = 0
           UNION SELECT task_id FROM task_departments WHERE dept_id IN (${marks}) AND deleted = 0)`,
      );
      params.push(...f.deptIds, ...f.deptIds);
    }
  }
  if (f.statuses && f.statuses.length > 0) inList('t.status', f.statuses);
  if (f.kinds && f.kinds.length > 0) inList('t.kind', f.kinds);
  if (f.lights && f.lights.length > 0) inList(lightSql('t'), f.lights);
  if (f.ids) inList('t.id', f.ids.length > 0 ? f.ids : ['']);
  if (f.overdue)
    where.push("t.status NOT IN ('draft', 'done') AND t.kind <> 'series' AND t.due_date < @today");
  if (f.supervisedOnly) where.push("t.status <> 'draft' AND t.kind <> 'series'");
  if (f.seriesId) {
    where.push('t.series_id = ?');
    params.push(f.seriesId);
  }
  if (f.indicatorId) {
    where.push(
      'EXISTS (SELECT 1 FROM task_indicators ti WHERE ti.task_id = t.id AND ti.deleted = 0 AND ti.indicator_id = ?)',
    );
    params.push(f.indicatorId);
  }
  if (f.dueFrom) {
    where.push('t.due_date >= ?');
    params.push(f.dueFrom);
  }
  if (f.dueTo) {
    where.push('t.due_date <= ?');
    params.push(f.dueTo);
  }
  if (f.doneFrom) {
    where.push('t.done_on >= ?');
    params.push(f.doneFrom);
  }
  if (f.doneTo) {
    where.push('t.done_on <= ?');
    params.push(f.doneTo);
  }
  if (f.search) {
    const like = `%${escapeLike(f.search)}%`;
    const cols = ['t.title', 't.code', 't.description', 't.standard', 'd.name', 'd.short_name'];
    where.push(`(${cols.map((c) => `${c} LIKE ? ESCAPE '\\'`).join(' OR ')})`);
    params.push(...cols.map(() => like));
  }
  return { sql: where.join(' AND '), params };
}

export function listTasks(
  ws: Workspace,
  input: FilterInput,
  now: Date,
  opts: { knownTotal?: number } = {},
): TaskListResult {
  const f = TaskFilter.parse(input);
  const { sql, params } = buildWhere(f);
  const lp = currentLightParams(ws, now);
  const rows = ws.db
    .prepare(`${taskSelect()} WHERE ${sql} ORDER BY t.due_date IS NULL, t.due_date, t.code LIMIT ?`)
    .all(lp, ...params, f.limit + 1) as Row[];
  const truncated = rows.length > f.limit;
  if (truncated) rows.pop();
  const total = truncated
    ? opts.knownTotal !== undefined
      ? opts.knownTotal
      : (
          ws.db
            .prepare(
              `SELECT COUNT(*) AS n FROM tasks t LEFT JOIN departments d ON d.id = t.lead_dept_id WHERE ${sql}`,
            )
            .get(lp, ...params) as { n: number }
        ).n
    : rows.length;
  return { rows: rows.map(toTask), total, truncated };
}

/** How many tasks match a filter: the number behind every dashboard and report figure. */
export function countTasks(ws: Workspace, input: FilterInput, now: Date): number {
  const { sql, params } = buildWhere(TaskFilter.parse(input));
  return (
    ws.db
      .prepare(
        `SELECT COUNT(*) AS n FROM tasks t LEFT JOIN departments d ON d.id = t.lead_dept_id WHERE ${sql}`,
      )
      .get(currentLightParams(ws, now), ...params) as { n: number }
  ).n;
}

export function getTask(ws: Workspace, id: string, now: Date): Task {
  const r = ws.db
    .prepare(`${taskSelect()} WHERE t.id = ? AND t.deleted = 0`)
    .get(currentLightParams(ws, now), id) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该任务不存在或已被删除。');
  return toTask(r);
}

type In = z.output<typeof TaskInput>;
type Patch = z.output<typeof TaskPatch>;
interface Refs {
  leadDeptId?: string | null;
  coopDeptIds?: string[];
  indicatorIds?: string[];
}

/** Referenced departments and indicators must exist; newly chosen departments must not be archived. */
export function checkRefs(
  ws: Workspace,
  input: Refs,
  current?: Pick<Task, 'leadDeptId' | 'coopDeptIds'>,
): void {
  const deptOk = ws.db.prepare('SELECT name, archived FROM departments WHERE id = ? AND deleted = 0');
  const check = (id: string, field: string, what: string, already: boolean) => {
    const d = deptOk.get(id) as { name: string; archived: number } | undefined;
    if (!d) throw new AppError('BAD_INPUT', `所选${what}不存在或已被删除。`, { field });
    if (d.archived === 1 && !already) {
      throw new AppError(
        'BAD_INPUT',
        `「${d.name}」已归档，不能再指定为${what}；如需使用请先在“部门单位”中恢复。`,
        { field },
      );
    }
  };
  if (input.leadDeptId)
    check(input.leadDeptId, 'leadDeptId', '牵头单位', current?.leadDeptId === input.leadDeptId);
  for (const id of input.coopDeptIds ?? []) {
    check(id, 'coopDeptIds', '配合单位', current?.coopDeptIds.includes(id) ?? false);
  }
  checkLinkRefs(ws, { indicatorIds: input.indicatorIds });
}

export function nextTaskCode(ws: Workspace): string {
  const row = ws.db
    .prepare("SELECT MAX(CAST(substr(code, 4) AS INTEGER)) AS m FROM tasks WHERE code GLOB 'RW-[0-9]*'")
    .get() as { m: number | null };
  return `RW-${String((row.m ?? 0) + 1).padStart(3, '0')}`;
}

/**
 * Inserts one task (inside a caller's transaction). Recurring tasks become a series (kind
 * 'series') whose instances are generated per period; a one-off task may be issued at once.
 */
export function insertTask(ws: Workspace, tx: Tx, input: In, code: string, today: string): string {
  const series = input.recurrence !== 'none';
  const issue = input.issue;
  const taskId = tx.insert('task', {
    code,
    title: input.title,
    description: input.description,
    standard: input.standard,
    lead_dept_id: input.leadDeptId,
    due_date: series ? null : input.dueDate,
    status: issue ? 'issued' : 'draft',
    priority: input.priority,
    recurrence: input.recurrence,
    progress: input.progress,
    kind: series ? 'series' : 'task',
    recur_start: series ? (input.recurStart ?? today) : null,
    recur_end: series ? input.recurEnd : null,
    issued_at: issue ? tx.at : null,
    last_activity_at: issue ? tx.at : null,
  });
  // a new task has no link rows yet: insert them (syncLinks would look up existing ones)
  insertLinks(
    tx,
    'task_department',
    taskId,
    input.coopDeptIds.filter((d) => d !== input.leadDeptId),
  );
  insertLinks(tx, 'task_indicator', taskId, input.indicatorIds);
  if (issue) {
    tx.insert('task_step', {
      task_id: taskId,
      action: 'issue',
      from_status: 'draft',
      to_status: 'issued',
      note: null,
      at: tx.at,
      actor_id: tx.actor.id,
      actor_name: tx.actor.name,
    });
  }
  return taskId;
}

export function createTask(ws: Workspace, input: In, now: Date): Task {
  checkRefs(ws, input);
  const today = localToday(now);
  const { value: id } = ws.writer.transact(ws.actor(), (tx) =>
    insertTask(ws, tx, input, input.code ?? nextTaskCode(ws), today),
  );
  return getTask(ws, id, now);
}

export function updateTask(ws: Workspace, id: string, patch: Patch, now: Date): Task {
  const current = getTask(ws, id, now);
  checkRefs(ws, patch, current);
  if (current.kind === 'instance' && (patch.recurStart !== undefined || patch.recurEnd !== undefined)) {
    throw new AppError('BAD_INPUT', '每期任务没有周期设置，请修改所属的周期任务。');
  }
  const series = current.kind === 'series';
  const recurStart = patch.recurStart === undefined ? current.recurStart : patch.recurStart;
  const recurEnd = patch.recurEnd === undefined ? current.recurEnd : patch.recurEnd;
  if (series && recurStart && recurEnd && recurStart > recurEnd) {
    throw new AppError('BAD_INPUT', '周期结束日期不能早于开始日期。', { field: 'recurEnd' });
  }
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('task', id, {
      code: patch.code === null ? undefined : patch.code,
      title: patch.title,
      description: patch.description,
      standard: patch.standard,
      lead_dept_id: patch.leadDeptId,
      due_date: series ? undefined : patch.dueDate,
      priority: patch.priority,
      progress: patch.progress,
      recur_start: series ? (patch.recurStart ?? undefined) : undefined,
      recur_end: series ? patch.recurEnd : undefined,
    });
    const lead = patch.leadDeptId === undefined ? current.leadDeptId : patch.leadDeptId;
    if (patch.coopDeptIds !== undefined || patch.leadDeptId !== undefined) {
      const coop = patch.coopDeptIds ?? current.coopDeptIds;
      syncLinks(
        ws,
        tx,
        'task_department',
        id,
        coop.filter((d) => d !== lead),
      );
    }
    if (patch.indicatorIds !== undefined) syncLinks(ws, tx, 'task_indicator', id, patch.indicatorIds);
  });
  return getTask(ws, id, now);
}

export function deleteTask(ws: Workspace, id: string, now: Date): void {
  const task = getTask(ws, id, now);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('task', id);
    // deleting a series deletes its instances that have not started (issued but untouched)
    if (task.kind === 'series') {
      const open = ws.db
        .prepare(
          "SELECT id FROM tasks WHERE series_id = ? AND deleted = 0 AND status = 'issued' AND progress = 0",
        )
        .all(id) as { id: string }[];
      for (const r of open) tx.remove('task', r.id);
    }
  });
}
