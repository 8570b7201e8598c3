import type { Department, Task } from '../../main/core/contract/records';

export {
  DEPT_KIND_LABEL,
  DEPT_ROLE_LABEL,
  PRIORITY_LABEL,
  RECURRENCE_LABEL,
  STAFF_ROLES,
  STATUS_LABEL,
} from '../../main/core/contract/labels';

export const STATUS_COLOR: Record<Task['status'], string> = {
  draft: 'default',
  issued: 'blue',
  signed: 'cyan',
  handling: 'processing',
  feedback: 'purple',
  done: 'success',
};

export const PRIORITY_COLOR: Record<Task['priority'], string> = {
  normal: 'default',
  high: 'orange',
  urgent: 'red',
};

export const DEPT_ROLE_COLOR: Record<Department['role'], string> = {
  lead: 'red',
  responsible: 'blue',
  cooperating: 'default',
};

export const options = <K extends string>(labels: Record<K, string>) =>
  (Object.keys(labels) as K[]).map((value) => ({ value, label: labels[value] }));

export {
  LIGHT_LABEL,
  RECT_ACTION_LABEL,
  RECT_SOURCE_LABEL,
  RECT_STATUS_LABEL,
  TASK_ACTION_LABEL,
  TASK_KIND_LABEL,
  TASK_TRANSITIONS,
  RECT_TRANSITIONS,
} from '../../main/core/contract/labels';

export {
  INDICATOR_KIND_LABEL,
  INDICATOR_STATUS_LABEL,
  MATERIAL_ACTION_LABEL,
  MATERIAL_STATUS_LABEL,
  MATERIAL_TRANSITIONS,
  MATERIAL_TYPE_LABEL,
} from '../../main/core/contract/labels';

/** 未达标 / 推进中 / 已达标 as antd Tag colours. */
export const INDICATOR_STATUS_COLOR: Record<'not_met' | 'in_progress' | 'met', string> = {
  not_met: 'red',
  in_progress: 'gold',
  met: 'green',
};

/** Traffic-light colours (antd Tag colours and plain CSS colours for charts). */
export const LIGHT_COLOR: Record<Task['light'], string> = {
  none: '#bfbfbf',
  green: '#2e9d5b',
  yellow: '#e0a800',
  red: '#d64541',
  done: '#1f5fbf',
};

export const RECT_STATUS_COLOR: Record<'open' | 'in_progress' | 'verifying' | 'closed', string> = {
  open: 'orange',
  in_progress: 'processing',
  verifying: 'purple',
  closed: 'success',
};

/** "overdue:5" → "逾期 5 天" etc. */
export function lightReasonText(reason: string | null): string | null {
  if (!reason) return null;
  const [kind, n] = reason.split(':');
  if (kind === 'overdue') return `逾期 ${n} 天`;
  if (kind === 'stale') return `${n} 天无进展反馈`;
  if (kind === 'due_soon') return n === '0' ? '今天到期' : `${n} 天后到期`;
  return null;
}
