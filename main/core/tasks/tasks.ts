import type { z } from 'zod';
import type { Task, TaskFilter, TaskInput, TaskListResult } from '../contract/records';
import { escapeLike } from '../departments/departments';
import type { Tx } from '../records/writer';
import { AppError } from '../util/errors';
import { stableId } from '../util/ids';
import type { Workspace } from '../workspace/workspace';

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
  created_at: string;
  updated_at: string;
  coop: string;
  inds: string;
}

const SELECT = `
  SELECT t.id, t.code, t.title, t.description, t.standard, t.lead_dept_id, d.name AS lead_dept_name,
    t.due_date, t.status, t.priority, t.recurrence, t.progress, t.created_at, t.updated_at,
    (SELECT json_group_array(td.dept_id) FROM task_departments td WHERE td.task_id = t.id AND td.deleted = 0) AS coop,
    (SELECT json_group_array(ti.indicator_id) FROM task_indicators ti WHERE ti.task_id = t.id AND ti.deleted = 0) AS inds
  FROM tasks t LEFT JOIN departments d ON d.id = t.lead_dept_id`;

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
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function buildWhere(f: z.output<typeof TaskFilter>): { sql: string; params: unknown[] } {
  const where = ['t.deleted = 0'];
  const params: unknown[] = [];
  if (f.deptIds && f.deptIds.length > 0) {
    // Lead OR cooperating department. Written as IN (… UNION …) so SQLite drives both sides
    // from their department indexes even without ANALYZE statistics (an EXISTS here was
    // planned per task and took seconds on 50,000 tasks).
    const marks = f.deptIds.map(() => '?').join(', ');
    where.push(
      `t.id IN (SELECT id FROM tasks WHERE lead_dept_id IN (${marks}) AND deleted = 0
         UNION SELECT task_id FROM task_departments WHERE dept_id IN (${marks}) AND deleted = 0)`,
    );
    params.push(...f.deptIds, ...f.deptIds);
  }
  if (f.statuses && f.statuses.length > 0) {
    where.push(`t.status IN (${f.statuses.map(() => '?').join(', ')})`);
    params.push(...f.statuses);
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
  if (f.search) {
    const like = `%${escapeLike(f.search)}%`;
    where.push(
      `(t.title LIKE ?1 ESCAPE '\\' OR t.code LIKE ?1 ESCAPE '\\' OR t.description LIKE ?1 ESCAPE '\\'
        OR t.standard LIKE ?1 ESCAPE '\\' OR d.name LIKE ?1 ESCAPE '\\' OR d.short_name LIKE ?1 ESCAPE '\\')`.replaceAll(
        '?1',
        '?',
      ),
    );
    params.push(like, like, like, like, like, like);
  }
  return { sql: where.join(' AND '), params };
}

export function listTasks(ws: Workspace, f: z.output<typeof TaskFilter>): TaskListResult {
  const { sql, params } = buildWhere(f);
  const rows = ws.db
    .prepare(`${SELECT} WHERE ${sql} ORDER BY t.due_date IS NULL, t.due_date, t.code LIMIT ?`)
    .all(...params, f.limit + 1) as Row[];
  const truncated = rows.length > f.limit;
  if (truncated) rows.pop();
  const total = truncated
    ? (
        ws.db
          .prepare(
            `SELECT COUNT(*) AS n FROM tasks t LEFT JOIN departments d ON d.id = t.lead_dept_id WHERE ${sql}`,
          )
          .get(...params) as { n: number }
      ).n
    : rows.length;
  return { rows: rows.map(toTask), total, truncated };
}

export function getTask(ws: Workspace, id: string): Task {
  const r = ws.db.prepare(`${SELECT} WHERE t.id = ? AND t.deleted = 0`).get(id) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该任务不存在或已被删除。');
  return toTask(r);
}

type In = z.output<typeof TaskInput>;

/** Referenced departments and indicators must exist; newly chosen departments must not be archived. */
function checkRefs(ws: Workspace, input: Partial<In>, current?: Task): void {
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
  const indOk = ws.db.prepare('SELECT 1 FROM indicators WHERE id = ? AND deleted = 0');
  for (const id of input.indicatorIds ?? []) {
    if (!indOk.get(id))
      throw new AppError('BAD_INPUT', '所选关联指标中有不存在的指标。', { field: 'indicatorIds' });
  }
}

export function nextTaskCode(ws: Workspace): string {
  const row = ws.db
    .prepare("SELECT MAX(CAST(substr(code, 4) AS INTEGER)) AS m FROM tasks WHERE code GLOB 'RW-[0-9]*'")
    .get() as { m: number | null };
  return `RW-${String((row.m ?? 0) + 1).padStart(3, '0')}`;
}

/** Makes the set of link rows (task → dept or indicator) equal `wanted`, reviving deleted links. */
function syncLinks(
  ws: Workspace,
  tx: Tx,
  entity: 'task_department' | 'task_indicator',
  taskId: string,
  wanted: string[],
): void {
  const [table, col] =
    entity === 'task_department' ? ['task_departments', 'dept_id'] : ['task_indicators', 'indicator_id'];
  const existing = ws.db
    .prepare(`SELECT id, ${col} AS ref, deleted FROM ${table} WHERE task_id = ?`)
    .all(taskId) as {
    id: string;
    ref: string;
    deleted: number;
  }[];
  const want = new Set(wanted);
  for (const e of existing) {
    if (want.has(e.ref)) {
      if (e.deleted === 1) tx.restore(entity, e.id);
      want.delete(e.ref);
    } else if (e.deleted === 0) {
      tx.remove(entity, e.id);
    }
  }
  for (const ref of want) {
    const values =
      entity === 'task_department'
        ? { task_id: taskId, dept_id: ref }
        : { task_id: taskId, indicator_id: ref };
    tx.insert(entity, values, stableId(`${taskId}|${ref}`));
  }
}

export function createTask(ws: Workspace, input: In): Task {
  checkRefs(ws, input);
  const { value: id } = ws.writer.transact(ws.actor(), (tx) => {
    const taskId = tx.insert('task', {
      code: input.code ?? nextTaskCode(ws),
      title: input.title,
      description: input.description,
      standard: input.standard,
      lead_dept_id: input.leadDeptId,
      due_date: input.dueDate,
      status: input.status,
      priority: input.priority,
      recurrence: input.recurrence,
      progress: input.progress,
    });
    syncLinks(
      ws,
      tx,
      'task_department',
      taskId,
      input.coopDeptIds.filter((d) => d !== input.leadDeptId),
    );
    syncLinks(ws, tx, 'task_indicator', taskId, input.indicatorIds);
    return taskId;
  });
  return getTask(ws, id);
}

export function updateTask(ws: Workspace, id: string, patch: Partial<In>): Task {
  const current = getTask(ws, id);
  checkRefs(ws, patch, current);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('task', id, {
      code: patch.code === null ? undefined : patch.code,
      title: patch.title,
      description: patch.description,
      standard: patch.standard,
      lead_dept_id: patch.leadDeptId,
      due_date: patch.dueDate,
      status: patch.status,
      priority: patch.priority,
      recurrence: patch.recurrence,
      progress: patch.progress,
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
  return getTask(ws, id);
}

export function deleteTask(ws: Workspace, id: string): void {
  getTask(ws, id);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('task', id);
  });
}
