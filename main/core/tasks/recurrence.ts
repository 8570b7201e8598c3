/**
 * Recurring tasks: a series (kind 'series', issued = active) produces one instance per period
 * (weekly / monthly / quarterly), each a normal task with its own status, feedback and
 * evidence. Instances are generated from the period in which the series was issued (or its
 * start date, whichever is later) up to the period containing today, never past its end date.
 * An instance's id is derived from series id + period key, so laptops that generate the same
 * instance offline agree on it when they sync.
 */
import type { Tx } from '../records/writer';
import { stableId } from '../util/ids';
import type { Workspace } from '../workspace/workspace';
import { addDays, periodFromKey, periodsBetween, type Period, type PeriodKind } from './periods';

interface SeriesRow {
  id: string;
  code: string;
  title: string;
  description: string | null;
  standard: string | null;
  lead_dept_id: string | null;
  priority: string;
  recurrence: PeriodKind;
  recur_start: string | null;
  recur_end: string | null;
  issued_at: string | null;
}

export const GENERATOR_ACTOR = { id: null, name: '系统（周期任务）' } as const;

export function instanceId(seriesId: string, periodKey: string): string {
  return stableId(`instance|${seriesId}|${periodKey}`);
}

function localDate(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The periods a series should have instances for, as of `today`. */
export function duePeriods(
  series: Pick<SeriesRow, 'recurrence' | 'recur_start' | 'recur_end' | 'issued_at'>,
  today: string,
  /** Key of the latest period that already has an instance: only later ones are returned. */
  after?: string,
): Period[] {
  if (!series.issued_at) return [];
  const issued = localDate(series.issued_at);
  let start = series.recur_start && series.recur_start > issued ? series.recur_start : issued;
  const lastDone = after ? periodFromKey(after) : null;
  if (lastDone && lastDone.kind === series.recurrence) {
    const next = addDays(lastDone.end, 1);
    if (next > start) start = next;
  }
  const end = series.recur_end && series.recur_end < today ? series.recur_end : today;
  if (start > end) return [];
  return periodsBetween(series.recurrence, start, end);
}

function insertInstance(ws: Workspace, tx: Tx, s: SeriesRow, p: Period): void {
  const id = instanceId(s.id, p.key);
  tx.insert(
    'task',
    {
      code: `${s.code}-${p.key}`,
      title: `${s.title}（${p.label.replace(/（.*）$/, '')}）`,
      description: s.description,
      standard: s.standard,
      lead_dept_id: s.lead_dept_id,
      due_date: p.due,
      status: 'issued',
      priority: s.priority,
      recurrence: 'none',
      progress: 0,
      kind: 'instance',
      series_id: s.id,
      period: p.key,
      issued_at: tx.at,
      last_activity_at: tx.at,
    },
    id,
  );
  const coop = ws.db
    .prepare('SELECT dept_id FROM task_departments WHERE task_id = ? AND deleted = 0')
    .all(s.id) as { dept_id: string }[];
  for (const c of coop) {
    tx.insert('task_department', { task_id: id, dept_id: c.dept_id }, stableId(`${id}|${c.dept_id}`));
  }
  const inds = ws.db
    .prepare('SELECT indicator_id FROM task_indicators WHERE task_id = ? AND deleted = 0')
    .all(s.id) as { indicator_id: string }[];
  for (const i of inds) {
    tx.insert(
      'task_indicator',
      { task_id: id, indicator_id: i.indicator_id },
      stableId(`${id}|${i.indicator_id}`),
    );
  }
}

/**
 * Creates the missing instances of every active series up to today. Idempotent; returns the
 * number created. Instances a user deleted stay deleted (the row exists with deleted = 1).
 */
export function generateInstances(ws: Workspace, today: string): number {
  const series = ws.db
    .prepare(
      `SELECT id, code, title, description, standard, lead_dept_id, priority, recurrence, recur_start, recur_end, issued_at
       FROM tasks WHERE kind = 'series' AND deleted = 0 AND status = 'issued'`,
    )
    .all() as SeriesRow[];
  // Only periods after the latest instance a series already has (deleted ones included, so a
  // deleted instance is not recreated) can be missing.
  const latest = new Map(
    (
      ws.db
        .prepare(
          'SELECT series_id, MAX(period) AS p FROM tasks WHERE series_id IS NOT NULL GROUP BY series_id',
        )
        .all() as { series_id: string; p: string }[]
    ).map((r) => [r.series_id, r.p]),
  );
  const exists = ws.db.prepare('SELECT 1 FROM tasks WHERE id = ?');
  const todo: { s: SeriesRow; p: Period }[] = [];
  for (const s of series) {
    for (const p of duePeriods(s, today, latest.get(s.id))) {
      if (!exists.get(instanceId(s.id, p.key))) todo.push({ s, p });
    }
  }
  if (todo.length === 0) return 0;
  ws.writer.transact(GENERATOR_ACTOR, (tx) => {
    for (const { s, p } of todo) insertInstance(ws, tx, s, p);
  });
  return todo.length;
}
