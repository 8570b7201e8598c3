/**
 * The supervision workflow 下发 → 签收 → 办理 → 反馈 → 复核 → 办结, with 退回 (back to 办理,
 * reason required) from 复核 and 撤回 of an unsigned 下发. Only these transitions exist; each
 * step is a task_steps row written in the same transaction as the status change, so who did
 * what and when is on record (and in the audit trail).
 */
import { STATUS_LABEL, TASK_ACTION_LABEL, TASK_TRANSITIONS, type TASK_ACTIONS } from '../contract/labels';
import type { TaskStatus } from '../contract/records';
import type { Tx } from '../records/writer';
import { AppError } from '../util/errors';
import { localToday } from './tasks';
import type { Workspace } from '../workspace/workspace';

export type TaskAction = (typeof TASK_ACTIONS)[number];

export const TRANSITIONS = TASK_TRANSITIONS;

/** The actions allowed from a status (for the UI's buttons). */
export function actionsFrom(status: TaskStatus, kind: 'task' | 'series' | 'instance'): TaskAction[] {
  if (kind === 'series') return status === 'draft' ? ['issue'] : status === 'issued' ? ['recall'] : [];
  return (Object.keys(TRANSITIONS) as TaskAction[]).filter((a) => TRANSITIONS[a].from.includes(status));
}

interface TaskRow {
  id: string;
  code: string;
  title: string;
  status: TaskStatus;
  kind: 'task' | 'series' | 'instance';
  progress: number;
  issued_at: string | null;
}

/** Applies one step to one task inside a transaction; throws a Chinese error if not allowed. */
export function applyStep(tx: Tx, task: TaskRow, action: TaskAction, note: string | null): void {
  const rule = TRANSITIONS[action];
  const label = TASK_ACTION_LABEL[action];
  const name = `${task.code}「${task.title}」`;
  if (task.kind === 'series' && action !== 'issue' && action !== 'recall') {
    throw new AppError('CONFLICT', `${name}是周期任务本身，不能${label}；请在每一期任务上操作。`);
  }
  if (!rule.from.includes(task.status)) {
    throw new AppError(
      'CONFLICT',
      `${name}当前为「${STATUS_LABEL[task.status]}」，不能${label}（${label}只适用于「${rule.from
        .map((s) => STATUS_LABEL[s])
        .join('、')}」的任务）。`,
      { taskId: task.id, action },
    );
  }
  if (rule.needsNote && !note) throw new AppError('BAD_INPUT', `${label}时请填写原因。`, { field: 'note' });
  const to = rule.to;
  tx.update('task', task.id, {
    status: to,
    issued_at: action === 'issue' ? tx.at : action === 'recall' ? null : undefined,
    done_at: to === 'done' ? tx.at : task.status === 'done' ? null : undefined,
    done_on: to === 'done' ? localToday(new Date(tx.at)) : task.status === 'done' ? null : undefined,
    progress: to === 'done' ? 100 : undefined,
    last_activity_at: tx.at,
  });
  tx.insert('task_step', {
    task_id: task.id,
    action,
    from_status: task.status,
    to_status: to,
    note,
    at: tx.at,
    actor_id: tx.actor.id,
    actor_name: tx.actor.name,
  });
  if (action === 'report' && note) {
    tx.insert('task_feedback', {
      task_id: task.id,
      text: note,
      progress: null,
      at: tx.at,
      actor_id: tx.actor.id,
      actor_name: tx.actor.name,
    });
  }
}

/**
 * Applies an action to one or many tasks (bulk 下发) in ONE transaction: if any task cannot
 * take the step, nothing is written and the error names every such task.
 */
export function transitionTasks(
  ws: Workspace,
  ids: readonly string[],
  action: TaskAction,
  note: string | null,
): void {
  const get = ws.db.prepare(
    'SELECT id, code, title, status, kind, progress, issued_at FROM tasks WHERE id = ? AND deleted = 0',
  );
  const rows = ids.map((id) => {
    const r = get.get(id) as TaskRow | undefined;
    if (!r) throw new AppError('NOT_FOUND', '所选任务中有不存在或已被删除的任务，请刷新后重试。');
    return r;
  });
  const refused: string[] = [];
  for (const r of rows) {
    const allowed = actionsFrom(r.status, r.kind).includes(action);
    if (!allowed) refused.push(`${r.code}（${r.kind === 'series' ? '周期任务' : STATUS_LABEL[r.status]}）`);
  }
  if (refused.length > 0 && rows.length > 1) {
    throw new AppError(
      'CONFLICT',
      `以下 ${refused.length} 项任务不能${TASK_ACTION_LABEL[action]}，本次未做任何改动：${refused.slice(0, 20).join('、')}${
        refused.length > 20 ? ' 等' : ''
      }`,
    );
  }
  ws.writer.transact(ws.actor(), (tx) => {
    for (const r of rows) applyStep(tx, r, action, note);
  });
}

export interface TaskStepView {
  id: string;
  action: TaskAction;
  fromStatus: TaskStatus;
  toStatus: TaskStatus;
  note: string | null;
  at: string;
  actorName: string;
}

export function listSteps(ws: Workspace, taskId: string): TaskStepView[] {
  const rows = ws.db
    .prepare(
      'SELECT id, action, from_status, to_status, note, at, actor_name FROM task_steps WHERE task_id = ? AND deleted = 0 ORDER BY at, id',
    )
    .all(taskId) as {
    id: string;
    action: TaskAction;
    from_status: TaskStatus;
    to_status: TaskStatus;
    note: string | null;
    at: string;
    actor_name: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    fromStatus: r.from_status,
    toStatus: r.to_status,
    note: r.note,
    at: r.at,
    actorName: r.actor_name,
  }));
}
