/**
 * Rectification list (整改清单): problems found by weekly inspection, weak monitoring
 * indicators or the national review panel, each with a responsible unit, measures, a deadline
 * and the status flow 待整改 → 整改中 → 待验收 → 已销号 (验收不通过 sends it back to 整改中,
 * a closed item can be reopened). Linked to tasks and indicators; evidence as attachments.
 */
import {
  RECT_TRANSITIONS,
  RECT_ACTION_LABEL,
  RECT_STATUS_LABEL,
  type RECT_ACTIONS,
  type RECT_SOURCES,
  type RECT_STATUSES,
} from '../contract/labels';
import { escapeLike } from '../departments/departments';
import { checkLinkRefs, syncLinks } from '../records/links';
import type { Tx } from '../records/writer';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

export type RectSource = (typeof RECT_SOURCES)[number];
export type RectStatus = (typeof RECT_STATUSES)[number];
export type RectAction = (typeof RECT_ACTIONS)[number];

export interface Rectification {
  id: string;
  code: string;
  source: RectSource;
  problem: string;
  deptId: string | null;
  deptName: string | null;
  measures: string | null;
  deadline: string | null;
  status: RectStatus;
  verification: string | null;
  clarification: string | null;
  closedAt: string | null;
  overdue: boolean;
  taskIds: string[];
  indicatorIds: string[];
  attachmentCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface RectInput {
  code?: string | null;
  source: RectSource;
  problem: string;
  deptId: string | null;
  measures: string | null;
  deadline: string | null;
  clarification: string | null;
  taskIds: string[];
  indicatorIds: string[];
}

export interface RectFilter {
  statuses?: RectStatus[];
  sources?: RectSource[];
  deptId?: string;
  search?: string;
  overdue?: boolean;
}

const TRANSITIONS = RECT_TRANSITIONS;

export function rectActionsFrom(status: RectStatus): RectAction[] {
  return (Object.keys(TRANSITIONS) as RectAction[]).filter((a) => TRANSITIONS[a].from.includes(status));
}

interface Row {
  id: string;
  code: string;
  source: RectSource;
  problem: string;
  dept_id: string | null;
  dept_name: string | null;
  measures: string | null;
  deadline: string | null;
  status: RectStatus;
  verification: string | null;
  clarification: string | null;
  closed_at: string | null;
  overdue: number;
  tasks: string;
  inds: string;
  attachment_count: number;
  created_at: string;
  updated_at: string;
}

const SELECT = `
  SELECT r.*, d.name AS dept_name,
    (r.status <> 'closed' AND r.deadline IS NOT NULL AND r.deadline < @today) AS overdue,
    (SELECT json_group_array(x.task_id) FROM rectification_tasks x WHERE x.rect_id = r.id AND x.deleted = 0) AS tasks,
    (SELECT json_group_array(x.indicator_id) FROM rectification_indicators x WHERE x.rect_id = r.id AND x.deleted = 0) AS inds,
    (SELECT COUNT(*) FROM attachments a WHERE a.owner_type = 'rectification' AND a.owner_id = r.id AND a.deleted = 0) AS attachment_count
  FROM rectifications r LEFT JOIN departments d ON d.id = r.dept_id`;

function toView(r: Row): Rectification {
  return {
    id: r.id,
    code: r.code,
    source: r.source,
    problem: r.problem,
    deptId: r.dept_id,
    deptName: r.dept_name,
    measures: r.measures,
    deadline: r.deadline,
    status: r.status,
    verification: r.verification,
    clarification: r.clarification,
    closedAt: r.closed_at,
    overdue: r.overdue === 1,
    taskIds: JSON.parse(r.tasks) as string[],
    indicatorIds: JSON.parse(r.inds) as string[],
    attachmentCount: r.attachment_count,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

export function listRectifications(ws: Workspace, f: RectFilter, today: string): Rectification[] {
  const where = ['r.deleted = 0'];
  const params: unknown[] = [];
  const inList = (col: string, values: readonly string[]) => {
    where.push(`${col} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  if (f.statuses?.length) inList('r.status', f.statuses);
  if (f.sources?.length) inList('r.source', f.sources);
  if (f.deptId) {
    where.push('r.dept_id = ?');
    params.push(f.deptId);
  }
  if (f.overdue) where.push("r.status <> 'closed' AND r.deadline < @today");
  if (f.search) {
    const like = `%${escapeLike(f.search)}%`;
    where.push(
      "(r.problem LIKE ? ESCAPE '\\' OR r.code LIKE ? ESCAPE '\\' OR r.measures LIKE ? ESCAPE '\\' OR d.name LIKE ? ESCAPE '\\')",
    );
    params.push(like, like, like, like);
  }
  const rows = ws.db
    .prepare(
      `${SELECT} WHERE ${where.join(' AND ')} ORDER BY r.status = 'closed', r.deadline IS NULL, r.deadline, r.code`,
    )
    .all({ today }, ...params) as Row[];
  return rows.map(toView);
}

export function getRectification(ws: Workspace, id: string, today: string): Rectification {
  const r = ws.db.prepare(`${SELECT} WHERE r.id = ? AND r.deleted = 0`).get({ today }, id) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该整改事项不存在或已被删除。');
  return toView(r);
}

/** The next free rectification code (ZG-001, ZG-002 …). */
export function nextCode(ws: Workspace): string {
  const row = ws.db
    .prepare(
      "SELECT MAX(CAST(substr(code, 4) AS INTEGER)) AS m FROM rectifications WHERE code GLOB 'ZG-[0-9]*'",
    )
    .get() as { m: number | null };
  return `ZG-${String((row.m ?? 0) + 1).padStart(3, '0')}`;
}

function checkRefs(ws: Workspace, input: Partial<RectInput>): void {
  if (
    input.deptId &&
    !ws.db.prepare('SELECT 1 FROM departments WHERE id = ? AND deleted = 0').get(input.deptId)
  ) {
    throw new AppError('BAD_INPUT', '所选责任单位不存在或已被删除。', { field: 'deptId' });
  }
  checkLinkRefs(ws, input);
}

/** Inserts inside a caller's transaction (used by create and by accepted proposals). */
export function insertRectification(ws: Workspace, tx: Tx, input: RectInput, code: string): string {
  const id = tx.insert('rectification', {
    code,
    source: input.source,
    problem: input.problem,
    dept_id: input.deptId,
    measures: input.measures,
    deadline: input.deadline,
    status: 'open',
    clarification: input.clarification,
  });
  syncLinks(ws, tx, 'rectification_task', id, input.taskIds);
  syncLinks(ws, tx, 'rectification_indicator', id, input.indicatorIds);
  return id;
}

export function createRectification(ws: Workspace, input: RectInput, today: string): Rectification {
  checkRefs(ws, input);
  const { value: id } = ws.writer.transact(ws.actor(), (tx) =>
    insertRectification(ws, tx, input, input.code ?? nextCode(ws)),
  );
  return getRectification(ws, id, today);
}

export function updateRectification(
  ws: Workspace,
  id: string,
  patch: Partial<RectInput>,
  today: string,
): Rectification {
  getRectification(ws, id, today);
  checkRefs(ws, patch);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('rectification', id, {
      code: patch.code === null ? undefined : patch.code,
      source: patch.source,
      problem: patch.problem,
      dept_id: patch.deptId,
      measures: patch.measures,
      deadline: patch.deadline,
      clarification: patch.clarification,
    });
    if (patch.taskIds) syncLinks(ws, tx, 'rectification_task', id, patch.taskIds);
    if (patch.indicatorIds) syncLinks(ws, tx, 'rectification_indicator', id, patch.indicatorIds);
  });
  return getRectification(ws, id, today);
}

export function transitionRectification(
  ws: Workspace,
  id: string,
  action: RectAction,
  note: string | null,
  today: string,
): Rectification {
  const r = getRectification(ws, id, today);
  const rule = TRANSITIONS[action];
  const label = RECT_ACTION_LABEL[action];
  if (!rule.from.includes(r.status)) {
    throw new AppError(
      'CONFLICT',
      `${r.code} 当前为「${RECT_STATUS_LABEL[r.status]}」，不能${label}（只适用于「${rule.from
        .map((s) => RECT_STATUS_LABEL[s])
        .join('、')}」的事项）。`,
    );
  }
  if (rule.needsNote && !note)
    throw new AppError('BAD_INPUT', `${label}时请填写验收意见或原因。`, { field: 'note' });
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('rectification', id, {
      status: rule.to,
      verification: note ?? undefined,
      closed_at: rule.to === 'closed' ? tx.at : r.closedAt ? null : undefined,
    });
  });
  return getRectification(ws, id, today);
}

export function deleteRectification(ws: Workspace, id: string, today: string): void {
  getRectification(ws, id, today);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('rectification', id);
  });
}
