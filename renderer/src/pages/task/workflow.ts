/**
 * The supervision workflow as the UI sees it, from the contract's TASK_TRANSITIONS (the table
 * the core enforces in main/core/tasks/workflow.ts).
 */
import type { Task, TaskStatus } from '../../../../main/core/contract/records';
import type { TaskAction } from '../../../../main/core/contract/supervision';
import { TASK_TRANSITIONS } from '../../labels';

/** The contract's workflow table: the same data the core enforces. */
const FROM = (a: TaskAction): readonly TaskStatus[] => TASK_TRANSITIONS[a].from;

/** Same order as the core's TRANSITIONS. */
const ORDER: TaskAction[] = ['issue', 'recall', 'sign', 'start', 'report', 'approve', 'return'];

export function actionsFrom(status: TaskStatus, kind: Task['kind']): TaskAction[] {
  if (kind === 'series') return status === 'draft' ? ['issue'] : status === 'issued' ? ['recall'] : [];
  return ORDER.filter((a) => FROM(a).includes(status));
}

/** Button labels (the contract's TASK_ACTION_LABEL is the short verb used in messages). */
export const ACTION_BUTTON: Record<TaskAction, string> = {
  issue: '下发',
  recall: '撤回',
  sign: '签收',
  start: '开始办理',
  report: '反馈完成',
  approve: '复核通过',
  return: '退回',
};

export const SERIES_ACTION_BUTTON: Partial<Record<TaskAction, string>> = {
  issue: '启用（下发）',
  recall: '停用（撤回）',
};

/** The six nodes of the Steps bar. */
export const NODES = ['下发', '签收', '办理', '反馈', '复核', '办结'] as const;

/** Which node is in progress for a status (done: all six finished). */
export function currentNode(status: TaskStatus): number {
  switch (status) {
    case 'draft':
      return 0;
    case 'issued':
      return 1;
    case 'signed':
    case 'handling':
      return 2;
    case 'feedback':
      return 4;
    case 'done':
      return 5;
  }
}

/** The node a recorded step completes (退回 reopens 办理). */
export function nodeOfAction(action: TaskAction): number | null {
  switch (action) {
    case 'issue':
      return 0;
    case 'sign':
      return 1;
    case 'start':
      return 2;
    case 'report':
      return 3;
    case 'approve':
      return 4;
    default:
      return null;
  }
}
