/** Parsing of Chinese labels given on the command line; the labels themselves are the contract's. */
import { STATUS_LABEL, TASK_STATUSES, type TaskStatus } from '../core/contract/index';

export { STATUS_LABEL };

/** Other words people use for the same states. */
const STATUS_SYNONYMS: Record<string, TaskStatus> = {
  草稿: 'draft',
  已下发: 'issued',
  下发: 'issued',
  签收: 'signed',
  办理: 'handling',
  已反馈: 'feedback',
  反馈: 'feedback',
  复核: 'feedback',
  办结: 'done',
  完成: 'done',
  已完成: 'done',
};

export const STATUS_CHOICES_TEXT = TASK_STATUSES.map((s) => `${s}（${STATUS_LABEL[s]}）`).join('、');

/** A status given as code (handling) or Chinese label (办理中); null if unknown. */
export function parseStatus(s: string): TaskStatus | null {
  const v = s.trim();
  const lower = v.toLowerCase();
  const code = TASK_STATUSES.find((t) => t === lower);
  if (code) return code;
  const byLabel = TASK_STATUSES.find((t) => STATUS_LABEL[t] === v);
  return byLabel ?? STATUS_SYNONYMS[v] ?? null;
}

/** Splits "a,b，c" and repeated options into one list. */
export function splitList(values: readonly string[]): string[] {
  return values
    .flatMap((v) => v.split(/[,，]/))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
