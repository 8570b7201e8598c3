import type { z } from 'zod';
import type { Department, DepartmentInput } from '../contract/records';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

interface Row {
  id: string;
  name: string;
  short_name: string | null;
  aliases: string;
  kind: Department['kind'];
  role: Department['role'];
  contact: string | null;
  phone: string | null;
  sort: number;
  archived: number;
  updated_at: string;
  task_count: number;
  open_task_count: number;
}

const SELECT = `
  SELECT d.*,
    (SELECT COUNT(*) FROM tasks t WHERE t.lead_dept_id = d.id AND t.deleted = 0) AS task_count,
    (SELECT COUNT(*) FROM tasks t WHERE t.lead_dept_id = d.id AND t.deleted = 0 AND t.status <> 'done') AS open_task_count
  FROM departments d`;

function toDept(r: Row): Department {
  return {
    id: r.id,
    name: r.name,
    shortName: r.short_name,
    aliases: JSON.parse(r.aliases) as string[],
    kind: r.kind,
    role: r.role,
    contact: r.contact,
    phone: r.phone,
    sort: r.sort,
    archived: r.archived === 1,
    taskCount: r.task_count,
    openTaskCount: r.open_task_count,
    updatedAt: r.updated_at,
  };
}

export function listDepartments(
  ws: Workspace,
  opts: { includeArchived: boolean; search?: string },
): Department[] {
  const where = ['d.deleted = 0'];
  const params: unknown[] = [];
  if (!opts.includeArchived) where.push('d.archived = 0');
  if (opts.search) {
    where.push(
      "(d.name LIKE ? ESCAPE '\\' OR d.short_name LIKE ? ESCAPE '\\' OR d.aliases LIKE ? ESCAPE '\\')",
    );
    const like = `%${escapeLike(opts.search)}%`;
    params.push(like, like, like);
  }
  const rows = ws.db
    .prepare(`${SELECT} WHERE ${where.join(' AND ')} ORDER BY d.archived, d.sort, d.name`)
    .all(...params) as Row[];
  return rows.map(toDept);
}

export function getDepartment(ws: Workspace, id: string): Department {
  const r = ws.db.prepare(`${SELECT} WHERE d.id = ? AND d.deleted = 0`).get(id) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该部门单位不存在或已被删除。');
  return toDept(r);
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

type In = z.output<typeof DepartmentInput>;

function assertUniqueName(ws: Workspace, name: string, exceptId?: string): void {
  const dup = ws.db
    .prepare('SELECT id FROM departments WHERE deleted = 0 AND name = ? AND id IS NOT ?')
    .get(name, exceptId ?? null) as { id: string } | undefined;
  if (dup) throw new AppError('CONFLICT', `已有名为「${name}」的单位，请勿重复添加。`, { field: 'name' });
}

export function createDepartment(ws: Workspace, input: In): Department {
  assertUniqueName(ws, input.name);
  const sort =
    input.sort ??
    (ws.db.prepare('SELECT COALESCE(MAX(sort), 0) AS m FROM departments').get() as { m: number }).m + 10;
  const { value: id } = ws.writer.transact(ws.actor(), (tx) =>
    tx.insert('department', {
      name: input.name,
      short_name: input.shortName,
      aliases: input.aliases,
      kind: input.kind,
      role: input.role,
      contact: input.contact,
      phone: input.phone,
      sort,
      archived: false,
    }),
  );
  return getDepartment(ws, id);
}

export function updateDepartment(ws: Workspace, id: string, patch: Partial<In>): Department {
  getDepartment(ws, id);
  if (patch.name) assertUniqueName(ws, patch.name, id);
  ws.writer.transact(ws.actor(), (tx) =>
    tx.update('department', id, {
      name: patch.name,
      short_name: patch.shortName,
      aliases: patch.aliases,
      kind: patch.kind,
      role: patch.role,
      contact: patch.contact,
      phone: patch.phone,
      sort: patch.sort,
    }),
  );
  return getDepartment(ws, id);
}

export function archiveDepartment(ws: Workspace, id: string, archived: boolean): Department {
  getDepartment(ws, id);
  ws.writer.transact(ws.actor(), (tx) => tx.update('department', id, { archived }));
  return getDepartment(ws, id);
}
