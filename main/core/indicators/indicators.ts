import type { Indicator } from '../contract/records';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

interface Row {
  id: string;
  code: string;
  title: string;
  kind: Indicator['kind'];
  parent_id: string | null;
  points: number | null;
  standard: string | null;
  sort: number;
  task_count: number;
  status: Indicator['status'];
  self_score: number | null;
  score_note: string | null;
  narrative: string | null;
  material_count: number;
}

/** Indicators of the workspace's current indicator-system version, in order. */
export function listIndicators(ws: Workspace): Indicator[] {
  const rows = ws.db
    .prepare(
      `SELECT i.id, i.code, i.title, i.kind, i.parent_id, i.points, i.standard, i.sort,
         i.status, i.self_score, i.score_note, i.narrative,
         (SELECT COUNT(*) FROM material_indicators mi JOIN materials m ON m.id = mi.material_id
           WHERE mi.indicator_id = i.id AND mi.deleted = 0 AND m.deleted = 0) AS material_count,
         (SELECT COUNT(*) FROM task_indicators ti JOIN tasks t ON t.id = ti.task_id
           WHERE ti.indicator_id = i.id AND ti.deleted = 0 AND t.deleted = 0) AS task_count
       FROM indicators i
       WHERE i.deleted = 0 AND i.system_version = (SELECT indicator_version FROM workspace LIMIT 1)
       ORDER BY i.sort, i.code`,
    )
    .all() as Row[];
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    title: r.title,
    kind: r.kind,
    parentId: r.parent_id,
    points: r.points,
    standard: r.standard,
    sort: r.sort,
    taskCount: r.task_count,
    status: r.status,
    selfScore: r.self_score,
    scoreNote: r.score_note,
    narrative: r.narrative,
    materialCount: r.material_count,
    // filled in by the indicators work (issue 5)
    ownerDeptIds: [],
    ownerDeptNames: [],
    evidenceTotal: 0,
    evidenceSatisfied: 0,
    rectCount: 0,
    openRectCount: 0,
  }));
}

export interface AssessmentPatch {
  status?: Indicator['status'];
  selfScore?: number | null;
  scoreNote?: string | null;
  narrative?: string | null;
}

/** Updates an indicator's self-assessment (status, self-score and reason, narrative). */
export function updateAssessment(ws: Workspace, id: string, patch: AssessmentPatch): Indicator {
  if (!ws.db.prepare('SELECT 1 FROM indicators WHERE id = ? AND deleted = 0').get(id)) {
    throw new AppError('NOT_FOUND', '该指标不存在或已被删除。');
  }
  ws.writer.transact(ws.actor(), (tx) =>
    tx.update('indicator', id, {
      status: patch.status,
      self_score: patch.selfScore,
      score_note: patch.scoreNote,
      narrative: patch.narrative,
    }),
  );
  const found = listIndicators(ws).find((i) => i.id === id);
  if (!found) throw new AppError('NOT_FOUND', '该指标不属于当前指标体系版本。');
  return found;
}

// ---- issue 5 (filled in by the indicators work) ----
import type { z } from 'zod';
import type {
  EvidenceInput,
  EvidenceItem,
  EvidencePatch,
  IndicatorDetail,
  IndicatorPatch,
  Readiness,
} from '../contract/indicators';

const TODO = (): never => {
  throw new AppError('UNSUPPORTED', '尚未实现');
};
export function getIndicatorDetail(_ws: Workspace, _id: string): IndicatorDetail {
  return TODO();
}
export function updateIndicator(
  _ws: Workspace,
  _id: string,
  _patch: z.output<typeof IndicatorPatch>,
): Indicator {
  return TODO();
}
export function readiness(_ws: Workspace): Readiness {
  return TODO();
}
export function addEvidence(_ws: Workspace, _input: z.output<typeof EvidenceInput>): EvidenceItem {
  return TODO();
}
export function updateEvidence(
  _ws: Workspace,
  _id: string,
  _patch: z.output<typeof EvidencePatch>,
): EvidenceItem {
  return TODO();
}
export function removeEvidence(_ws: Workspace, _id: string): void {
  TODO();
}
