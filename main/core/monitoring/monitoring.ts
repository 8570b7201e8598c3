/** Monthly national credit-monitoring results: entry, import, the top-N streak rule and weak points. */
import type { z } from 'zod';
import type {
  AcceptWeakPointInput,
  Dimension,
  MonitoringImportResult,
  MonitoringInput,
  MonitoringOverview,
  MonitoringResult,
  WeakPoint,
} from '../contract/indicators';
import { MONITORING_DIMENSION_LABEL, RECT_STATUS_LABEL } from '../contract/labels';
import type { ImportFile } from '../import/file';
import { insertRectification, nextCode as nextRectCode } from '../rectification/rectifications';
import type { Tx } from '../records/writer';
import { checkRefs, insertTask, localToday, nextTaskCode } from '../tasks/tasks';
import { AppError } from '../util/errors';
import { stableId } from '../util/ids';
import { getSettings } from '../workspace/settings';
import type { Workspace } from '../workspace/workspace';
import {
  addMonths,
  computeStreak,
  monthEnd,
  monthLabel,
  pickDepartment,
  pickIndicators,
  proposalText,
  rankChanges,
  weakFindings,
  type Dim,
} from './rules';

type Input = z.output<typeof MonitoringInput>;

/** Row id of a month's result: laptops entering the same month agree. */
export const resultId = (month: string): string => stableId(`monitoring|${month}`);
/** Row id of the decision on a weak point. */
export const decisionId = (month: string, dimension: string): string =>
  stableId(`weak|${month}|${dimension}`);

interface ResultRow {
  id: string;
  month: string;
  score: number;
  rank: number;
  total: number;
  d_incentive: number | null;
  d_system: number | null;
  d_culture: number | null;
  d_service: number | null;
  d_environment: number | null;
  note: string | null;
  updated_at: string;
}

/** Every live result, oldest first, with the rank change from the previous calendar month. */
export function loadResults(ws: Workspace): MonitoringResult[] {
  const rows = ws.db
    .prepare('SELECT * FROM monitoring_results WHERE deleted = 0 ORDER BY month')
    .all() as ResultRow[];
  const list = rows.map((r) => ({
    id: r.id,
    month: r.month,
    score: r.score,
    rank: r.rank,
    total: r.total,
    dims: {
      incentive: r.d_incentive,
      system: r.d_system,
      culture: r.d_culture,
      service: r.d_service,
      environment: r.d_environment,
    },
    note: r.note,
    rankChange: null as number | null,
    updatedAt: r.updated_at,
  }));
  const changes = rankChanges(list);
  for (const r of list) r.rankChange = changes.get(r.month) ?? null;
  return list;
}

function getResult(ws: Workspace, month: string): MonitoringResult {
  const r = loadResults(ws).find((x) => x.month === month);
  if (!r) throw new AppError('NOT_FOUND', `${monthLabel(month)}没有监测结果。`);
  return r;
}

// ---------- decisions ----------

export interface Decision {
  month: string;
  dimension: Dim;
  decision: 'accepted' | 'dismissed';
  rectId: string | null;
  taskId: string | null;
  note: string | null;
  at: string;
}

/**
 * Live decisions keyed "month|dimension". An accepted decision whose rectification item has
 * since been deleted counts as undecided (the proposal can be accepted again); a deleted task
 * is reported as no task.
 */
export function loadDecisions(ws: Workspace): Map<string, Decision> {
  const rows = ws.db
    .prepare(
      `SELECT w.month, w.dimension, w.decision, w.note, w.updated_at AS at,
         CASE WHEN r.deleted = 0 THEN w.rect_id END AS rect_id,
         CASE WHEN t.deleted = 0 THEN w.task_id END AS task_id
       FROM weak_point_decisions w
       LEFT JOIN rectifications r ON r.id = w.rect_id
       LEFT JOIN tasks t ON t.id = w.task_id
       WHERE w.deleted = 0`,
    )
    .all() as {
    month: string;
    dimension: Dim;
    decision: 'accepted' | 'dismissed';
    note: string | null;
    at: string;
    rect_id: string | null;
    task_id: string | null;
  }[];
  const out = new Map<string, Decision>();
  for (const r of rows) {
    if (r.decision === 'accepted' && r.rect_id === null) continue;
    out.set(`${r.month}|${r.dimension}`, {
      month: r.month,
      dimension: r.dimension,
      decision: r.decision,
      rectId: r.rect_id,
      taskId: r.task_id,
      note: r.note,
      at: r.at,
    });
  }
  return out;
}

// ---------- weak points ----------

interface ProposalRefs {
  departments: { id: string; name: string; shortName: string | null }[];
  indicators: { id: string; title: string; standard: string | null }[];
}

function proposalRefs(ws: Workspace): ProposalRefs {
  const version = getSettings(ws).indicatorVersion;
  const departments = ws.db
    .prepare(
      'SELECT id, name, short_name AS shortName FROM departments WHERE deleted = 0 AND archived = 0 ORDER BY sort, name',
    )
    .all() as ProposalRefs['departments'];
  const indicators = ws.db
    .prepare(
      `SELECT id, title, standard FROM indicators
       WHERE deleted = 0 AND kind <> 'category' AND system_version = ? ORDER BY sort, code`,
    )
    .all(version) as ProposalRefs['indicators'];
  return { departments, indicators };
}

/**
 * The weak points of `month` with their proposals and decisions. Deadline of a proposal: the
 * end of the month after the current one (by the workspace clock).
 */
export function weakPointsOf(
  ws: Workspace,
  results: readonly MonitoringResult[],
  month: string,
  now: Date,
  refs: ProposalRefs = proposalRefs(ws),
  decisions: Map<string, Decision> = loadDecisions(ws),
): WeakPoint[] {
  const deadline = monthEnd(addMonths(localToday(now).slice(0, 7), 1));
  return weakFindings(results, month).map((f) => {
    const text = proposalText(f);
    const d = decisions.get(`${f.month}|${f.dimension}`);
    return {
      ...f,
      proposal: {
        ...text,
        deadline,
        deptId: pickDepartment(f.dimension, refs.departments),
        indicatorIds: pickIndicators(f.dimension, refs.indicators),
      },
      decision: d?.decision ?? null,
      rectId: d?.rectId ?? null,
      taskId: d?.taskId ?? null,
    };
  });
}

export function monitoringOverview(ws: Workspace, now: Date): MonitoringOverview {
  const results = loadResults(ws);
  const latest = results[results.length - 1] ?? null;
  return {
    results,
    latest,
    streak: computeStreak(results, getSettings(ws).rankingTarget),
    weakPoints: latest ? weakPointsOf(ws, results, latest.month, now) : [],
  };
}

// ---------- writes ----------

/** Creates or replaces a month's row inside a transaction (reviving a deleted month). */
function writeResult(
  tx: Tx,
  r: Omit<Input, 'dims'> & { dims: Record<Dim, number | null> },
): 'created' | 'updated' {
  const id = resultId(r.month);
  const values = {
    month: r.month,
    score: r.score,
    rank: r.rank,
    total: r.total,
    d_incentive: r.dims.incentive,
    d_system: r.dims.system,
    d_culture: r.dims.culture,
    d_service: r.dims.service,
    d_environment: r.dims.environment,
    note: r.note,
  };
  const row = tx.get('monitoring_result', id);
  if (!row) {
    tx.insert('monitoring_result', values, id);
    return 'created';
  }
  const wasDeleted = row.deleted === 1;
  if (wasDeleted) tx.restore('monitoring_result', id);
  tx.update('monitoring_result', id, values);
  return wasDeleted ? 'created' : 'updated';
}

export function saveResult(ws: Workspace, input: Input): MonitoringResult {
  if (input.rank > input.total)
    throw new AppError('BAD_INPUT', `排名 ${input.rank} 大于参评城市数 ${input.total}，请核对。`, {
      field: 'rank',
    });
  ws.writer.transact(ws.actor(), (tx) => writeResult(tx, input));
  return getResult(ws, input.month);
}

export function removeResult(ws: Workspace, month: string): void {
  const id = resultId(month);
  const row = ws.db.prepare('SELECT deleted FROM monitoring_results WHERE id = ?').get(id) as
    { deleted: number } | undefined;
  if (!row || row.deleted === 1)
    throw new AppError('NOT_FOUND', `${monthLabel(month)}没有监测结果，无需删除。`);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('monitoring_result', id);
  });
}

/**
 * Imports an .xlsx of monthly results. Everything is checked first (see results-workbook.ts,
 * plus months already in the workspace unless `replace`); any problem refuses the whole file
 * naming rows and columns, and nothing is written. Otherwise one transaction.
 */
export async function importResults(
  ws: Workspace,
  file: ImportFile,
  replace: boolean,
): Promise<z.output<typeof MonitoringImportResult>> {
  const { parseResultsWorkbook, importError } = await import('./results-workbook');
  const { rows, problems } = await parseResultsWorkbook(file);
  if (!replace) {
    const live = new Set(loadResults(ws).map((r) => r.month));
    for (const r of rows) {
      if (live.has(r.month))
        problems.push({
          row: r.row,
          column: r.monthColumn,
          message: `${monthLabel(r.month)}在工作区中已有监测结果。如需用文件中的数据覆盖，请选择“覆盖已有月份”（命令行加 --replace）。`,
        });
    }
  }
  if (problems.length) {
    problems.sort((a, b) => a.row - b.row);
    throw importError(file.fileName, problems);
  }
  const { value } = ws.writer.transact(ws.actor(), (tx) => {
    let created = 0;
    let updated = 0;
    for (const r of rows) {
      if (writeResult(tx, r) === 'created') created++;
      else updated++;
    }
    return { created, updated };
  });
  return { ...value, months: rows.map((r) => r.month).sort() };
}

function findWeakPoint(ws: Workspace, month: string, dimension: Dimension, now: Date): WeakPoint {
  const results = loadResults(ws);
  if (!results.some((r) => r.month === month))
    throw new AppError('NOT_FOUND', `${monthLabel(month)}没有监测结果。`);
  const wp = weakPointsOf(ws, results, month, now).find((w) => w.dimension === dimension);
  if (!wp)
    throw new AppError(
      'BAD_INPUT',
      `${monthLabel(month)}“${MONITORING_DIMENSION_LABEL[dimension]}”不是薄弱环节（未连续两个月下降，也不低于近3个月均值），无需处理。`,
    );
  return wp;
}

function refuseIfAccepted(ws: Workspace, wp: WeakPoint, what: string): void {
  if (wp.decision !== 'accepted') return;
  const rect = ws.db.prepare('SELECT code, status FROM rectifications WHERE id = ?').get(wp.rectId) as
    { code: string; status: keyof typeof RECT_STATUS_LABEL } | undefined;
  throw new AppError(
    'CONFLICT',
    `${monthLabel(wp.month)}“${wp.label}”的整改建议已经接受，整改事项 ${rect?.code ?? ''}（${rect ? RECT_STATUS_LABEL[rect.status] : ''}）已在整改清单中，${what}。`,
  );
}

/**
 * Accepts a weak point's proposal: in ONE transaction the rectification item (source
 * 'weak_indicator', linked to the proposal's indicators), optionally its task (draft, linked to
 * the item and the same indicators) and the decision row. Refused when already accepted.
 */
export function acceptWeakPoint(
  ws: Workspace,
  input: z.output<typeof AcceptWeakPointInput>,
  now: Date,
): { rectId: string; taskId: string | null } {
  const wp = findWeakPoint(ws, input.month, input.dimension, now);
  refuseIfAccepted(ws, wp, '不能重复接受');
  const indicatorIds = wp.proposal.indicatorIds;
  checkRefs(ws, { leadDeptId: input.deptId, indicatorIds });
  if (input.task) checkRefs(ws, { leadDeptId: input.task.leadDeptId });
  const today = localToday(now);
  const id = decisionId(input.month, input.dimension);
  const { value } = ws.writer.transact(ws.actor(), (tx) => {
    let taskId: string | null = null;
    if (input.task) {
      taskId = insertTask(
        ws,
        tx,
        {
          code: null,
          title: input.task.title,
          description: input.measures ?? input.problem,
          standard: input.task.standard,
          leadDeptId: input.task.leadDeptId ?? input.deptId,
          coopDeptIds: [],
          indicatorIds,
          dueDate: input.task.dueDate ?? input.deadline,
          priority: 'high',
          recurrence: 'none',
          recurStart: null,
          recurEnd: null,
          progress: 0,
          issue: false,
        },
        nextTaskCode(ws),
        today,
      );
    }
    const rectId = insertRectification(
      ws,
      tx,
      {
        source: 'weak_indicator',
        problem: input.problem,
        deptId: input.deptId,
        measures: input.measures,
        deadline: input.deadline,
        clarification: null,
        taskIds: taskId ? [taskId] : [],
        indicatorIds,
      },
      nextRectCode(ws),
    );
    const values = {
      month: input.month,
      dimension: input.dimension,
      decision: 'accepted',
      rect_id: rectId,
      task_id: taskId,
      note: null,
    };
    const row = tx.get('weak_point_decision', id);
    if (!row) tx.insert('weak_point_decision', values, id);
    else {
      if (row.deleted === 1) tx.restore('weak_point_decision', id);
      tx.update('weak_point_decision', id, values);
    }
    return { rectId, taskId };
  });
  return value;
}

export function dismissWeakPoint(
  ws: Workspace,
  month: string,
  dimension: Dimension,
  note: string | null,
  now: Date = new Date(),
): void {
  const wp = findWeakPoint(ws, month, dimension, now);
  refuseIfAccepted(ws, wp, '如不再需要，请在整改清单中删除该整改事项');
  const id = decisionId(month, dimension);
  ws.writer.transact(ws.actor(), (tx) => {
    const values = { month, dimension, decision: 'dismissed', rect_id: null, task_id: null, note };
    const row = tx.get('weak_point_decision', id);
    if (!row) tx.insert('weak_point_decision', values, id);
    else {
      if (row.deleted === 1) tx.restore('weak_point_decision', id);
      tx.update('weak_point_decision', id, values);
    }
  });
}
