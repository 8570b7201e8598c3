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
