import type { z } from 'zod';
import type {
  EvidenceInput,
  EvidenceItem,
  EvidencePatch,
  IndicatorDetail,
  IndicatorPatch,
  Readiness,
} from '../contract/indicators';
import type { Indicator } from '../contract/records';
import { insertLinks, syncLinks } from '../records/links';
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
  evidence_total: number;
  evidence_satisfied: number;
  rect_count: number;
  open_rect_count: number;
}

/** SQL: an evidence item `e` is satisfied (a live attachment or a live linked material). */
export const EVIDENCE_SATISFIED_SQL = `(EXISTS (SELECT 1 FROM attachments a
    WHERE a.owner_type = 'evidence' AND a.owner_id = e.id AND a.deleted = 0)
  OR EXISTS (SELECT 1 FROM evidence_materials em JOIN materials m ON m.id = em.material_id
    WHERE em.evidence_id = e.id AND em.deleted = 0 AND m.deleted = 0))`;

const SELECT_INDICATORS = `SELECT i.id, i.code, i.title, i.kind, i.parent_id, i.points, i.standard, i.sort,
     i.status, i.self_score, i.score_note, i.narrative,
     (SELECT COUNT(*) FROM material_indicators mi JOIN materials m ON m.id = mi.material_id
       WHERE mi.indicator_id = i.id AND mi.deleted = 0 AND m.deleted = 0) AS material_count,
     (SELECT COUNT(*) FROM task_indicators ti JOIN tasks t ON t.id = ti.task_id
       WHERE ti.indicator_id = i.id AND ti.deleted = 0 AND t.deleted = 0) AS task_count,
     (SELECT COUNT(*) FROM indicator_evidence e
       WHERE e.indicator_id = i.id AND e.deleted = 0) AS evidence_total,
     (SELECT COUNT(*) FROM indicator_evidence e
       WHERE e.indicator_id = i.id AND e.deleted = 0 AND ${EVIDENCE_SATISFIED_SQL}) AS evidence_satisfied,
     (SELECT COUNT(*) FROM rectification_indicators ri JOIN rectifications r ON r.id = ri.rect_id
       WHERE ri.indicator_id = i.id AND ri.deleted = 0 AND r.deleted = 0) AS rect_count,
     (SELECT COUNT(*) FROM rectification_indicators ri JOIN rectifications r ON r.id = ri.rect_id
       WHERE ri.indicator_id = i.id AND ri.deleted = 0 AND r.deleted = 0
         AND r.status <> 'closed') AS open_rect_count
   FROM indicators i`;

interface OwnerRow {
  indicator_id: string;
  dept_id: string;
  name: string;
}

/** Owner departments of the given indicators (live links to live departments, in department order). */
function ownersOf(ws: Workspace, where: string, params: unknown[]): Map<string, OwnerRow[]> {
  const rows = ws.db
    .prepare(
      `SELECT idp.indicator_id, idp.dept_id, COALESCE(d.short_name, d.name) AS name
       FROM indicator_departments idp
       JOIN indicators i ON i.id = idp.indicator_id
       JOIN departments d ON d.id = idp.dept_id
       WHERE idp.deleted = 0 AND d.deleted = 0 AND ${where}
       ORDER BY d.sort, d.name`,
    )
    .all(...params) as OwnerRow[];
  const map = new Map<string, OwnerRow[]>();
  for (const r of rows) {
    const list = map.get(r.indicator_id);
    if (list) list.push(r);
    else map.set(r.indicator_id, [r]);
  }
  return map;
}

function toIndicator(r: Row, owners: OwnerRow[] | undefined): Indicator {
  return {
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
    ownerDeptIds: (owners ?? []).map((o) => o.dept_id),
    ownerDeptNames: (owners ?? []).map((o) => o.name),
    evidenceTotal: r.evidence_total,
    evidenceSatisfied: r.evidence_satisfied,
    rectCount: r.rect_count,
    openRectCount: r.open_rect_count,
  };
}

const CURRENT_VERSION = '(SELECT indicator_version FROM workspace LIMIT 1)';

/**
 * Indicators of an indicator-system version (default: the workspace's current one), in order,
 * with owners, evidence counts, linked tasks, materials and rectification items. Two queries.
 */
export function listIndicators(ws: Workspace, version?: string): Indicator[] {
  const versionSql = version === undefined ? CURRENT_VERSION : '?';
  const params = version === undefined ? [] : [version];
  const rows = ws.db
    .prepare(
      `${SELECT_INDICATORS}
       WHERE i.deleted = 0 AND i.system_version = ${versionSql}
       ORDER BY i.sort, i.code`,
    )
    .all(...params) as Row[];
  const owners = ownersOf(ws, `i.deleted = 0 AND i.system_version = ${versionSql}`, params);
  return rows.map((r) => toIndicator(r, owners.get(r.id)));
}

/** One live indicator (of any version) as a list row. */
export function getIndicator(ws: Workspace, id: string): Indicator {
  const r = ws.db.prepare(`${SELECT_INDICATORS} WHERE i.id = ? AND i.deleted = 0`).get(id) as Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该指标不存在或已被删除。');
  return toIndicator(r, ownersOf(ws, 'i.id = ?', [id]).get(id));
}

export interface AssessmentPatch {
  status?: Indicator['status'];
  selfScore?: number | null;
  scoreNote?: string | null;
  narrative?: string | null;
}

/** Updates an indicator's self-assessment (status, self-score and reason, narrative). */
export function updateAssessment(ws: Workspace, id: string, patch: AssessmentPatch): Indicator {
  return updateIndicator(ws, id, patch);
}

// ---- detail, editing, evidence checklist, readiness ----

interface IndicatorRow {
  id: string;
  code: string;
  title: string;
  kind: Indicator['kind'];
  parent_id: string | null;
  points: number | null;
  self_score: number | null;
}

function liveIndicator(ws: Workspace, id: string): IndicatorRow {
  const r = ws.db
    .prepare(
      'SELECT id, code, title, kind, parent_id, points, self_score FROM indicators WHERE id = ? AND deleted = 0',
    )
    .get(id) as IndicatorRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该指标不存在或已被删除。');
  return r;
}

/** A number as users read it: 2, 2.5 (no float noise). */
export function fmtPoints(n: number): string {
  return String(Number(n.toPrecision(12)));
}

interface EvidenceRow {
  id: string;
  indicator_id: string;
  title: string;
  note: string | null;
  sort: number;
  attachment_count: number;
}

function evidenceItems(ws: Workspace, where: string, params: unknown[]): EvidenceItem[] {
  const rows = ws.db
    .prepare(
      `SELECT e.id, e.indicator_id, e.title, e.note, e.sort,
         (SELECT COUNT(*) FROM attachments a
           WHERE a.owner_type = 'evidence' AND a.owner_id = e.id AND a.deleted = 0) AS attachment_count
       FROM indicator_evidence e WHERE e.deleted = 0 AND ${where}
       ORDER BY e.sort, e.created_at, e.id`,
    )
    .all(...params) as EvidenceRow[];
  if (rows.length === 0) return [];
  const mats = ws.db
    .prepare(
      `SELECT em.evidence_id, m.id, m.title FROM evidence_materials em
       JOIN materials m ON m.id = em.material_id
       JOIN indicator_evidence e ON e.id = em.evidence_id
       WHERE em.deleted = 0 AND m.deleted = 0 AND e.deleted = 0 AND ${where}
       ORDER BY m.title`,
    )
    .all(...params) as { evidence_id: string; id: string; title: string }[];
  return rows.map((r) => {
    const linked = mats.filter((m) => m.evidence_id === r.id);
    return {
      id: r.id,
      indicatorId: r.indicator_id,
      title: r.title,
      note: r.note,
      sort: r.sort,
      attachmentCount: r.attachment_count,
      materialIds: linked.map((m) => m.id),
      materialTitles: linked.map((m) => m.title),
      satisfied: r.attachment_count > 0 || linked.length > 0,
    };
  });
}

function evidenceItem(ws: Workspace, id: string): EvidenceItem {
  const found = evidenceItems(ws, 'e.id = ?', [id])[0];
  if (!found) throw new AppError('NOT_FOUND', '该佐证清单项不存在或已被删除。');
  return found;
}

/** Everything the indicator drawer shows besides the list row. */
export function getIndicatorDetail(ws: Workspace, id: string): IndicatorDetail {
  const ind = getIndicator(ws, id);
  const tasks = ws.db
    .prepare(
      `SELECT t.id, t.code, t.title, t.status, COALESCE(d.short_name, d.name) AS lead_dept_name,
         t.due_date
       FROM task_indicators ti JOIN tasks t ON t.id = ti.task_id
       LEFT JOIN departments d ON d.id = t.lead_dept_id
       WHERE ti.indicator_id = ? AND ti.deleted = 0 AND t.deleted = 0
       ORDER BY t.due_date IS NULL, t.due_date, t.code`,
    )
    .all(id) as {
    id: string;
    code: string;
    title: string;
    status: string;
    lead_dept_name: string | null;
    due_date: string | null;
  }[];
  const rectifications = ws.db
    .prepare(
      `SELECT r.id, r.code, r.problem, r.status FROM rectification_indicators ri
       JOIN rectifications r ON r.id = ri.rect_id
       WHERE ri.indicator_id = ? AND ri.deleted = 0 AND r.deleted = 0
       ORDER BY r.code`,
    )
    .all(id) as { id: string; code: string; problem: string; status: string }[];
  const materials = ws.db
    .prepare(
      `SELECT m.id, m.title, m.type, m.status FROM material_indicators mi
       JOIN materials m ON m.id = mi.material_id
       WHERE mi.indicator_id = ? AND mi.deleted = 0 AND m.deleted = 0
       ORDER BY m.title`,
    )
    .all(id) as { id: string; title: string; type: string; status: string }[];
  const path: string[] = [];
  const seen = new Set<string>([id]);
  let parent = ind.parentId;
  const parentOf = ws.db.prepare('SELECT id, title, parent_id FROM indicators WHERE id = ?');
  while (parent && !seen.has(parent)) {
    seen.add(parent);
    const p = parentOf.get(parent) as { id: string; title: string; parent_id: string | null } | undefined;
    if (!p) break;
    path.unshift(p.title);
    parent = p.parent_id;
  }
  return {
    id,
    ownerDeptIds: ind.ownerDeptIds,
    ownerDeptNames: ind.ownerDeptNames,
    evidence: evidenceItems(ws, 'e.indicator_id = ?', [id]),
    tasks: tasks.map((t) => ({
      id: t.id,
      code: t.code,
      title: t.title,
      status: t.status,
      leadDeptName: t.lead_dept_name,
      dueDate: t.due_date,
    })),
    rectifications,
    materials,
    path,
  };
}

/** Refuses department ids that name no live department. */
export function checkDepartments(ws: Workspace, ids: readonly string[]): void {
  const live = ws.db.prepare('SELECT 1 FROM departments WHERE id = ? AND deleted = 0');
  const missing = ids.filter((d) => !live.get(d));
  if (missing.length) {
    throw new AppError(
      'BAD_INPUT',
      `所选责任单位中有 ${missing.length} 个不存在或已被删除，请重新选择责任单位。`,
      { field: 'ownerDeptIds', missing },
    );
  }
}

/**
 * Updates an indicator in one transaction: the self-assessment (status, self-score and reason,
 * narrative), its name, scoring standard and points, and its owner departments. The self-score
 * may not exceed the indicator's points.
 */
export function updateIndicator(
  ws: Workspace,
  id: string,
  patch: z.output<typeof IndicatorPatch>,
): Indicator {
  const row = liveIndicator(ws, id);
  const points = patch.points !== undefined ? patch.points : row.points;
  const score = patch.selfScore !== undefined ? patch.selfScore : row.self_score;
  if (points !== null && score !== null && score > points + 1e-9) {
    throw new AppError(
      'BAD_INPUT',
      `指标「${row.code} ${patch.title ?? row.title}」的自评分 ${fmtPoints(score)} 分超过了该指标的分值 ${fmtPoints(points)} 分，请修改自评分${patch.points !== undefined ? '或分值' : ''}。`,
      { field: patch.selfScore !== undefined ? 'selfScore' : 'points' },
    );
  }
  if (patch.ownerDeptIds) checkDepartments(ws, patch.ownerDeptIds);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('indicator', id, {
      status: patch.status,
      self_score: patch.selfScore,
      score_note: patch.scoreNote,
      narrative: patch.narrative,
      title: patch.title,
      standard: patch.standard,
      points: patch.points,
    });
    if (patch.ownerDeptIds) syncLinks(ws, tx, 'indicator_department', id, patch.ownerDeptIds);
  });
  return getIndicator(ws, id);
}

/** Refuses material ids that name no live material. */
function checkMaterials(ws: Workspace, ids: readonly string[]): void {
  const live = ws.db.prepare('SELECT 1 FROM materials WHERE id = ? AND deleted = 0');
  if (ids.some((m) => !live.get(m))) {
    throw new AppError('BAD_INPUT', '所选关联材料中有不存在或已删除的材料，请重新选择。', {
      field: 'materialIds',
    });
  }
}

/** Adds an item to an indicator's evidence checklist (at the end). */
export function addEvidence(ws: Workspace, input: z.output<typeof EvidenceInput>): EvidenceItem {
  const ind = liveIndicator(ws, input.indicatorId);
  checkMaterials(ws, input.materialIds);
  const title = input.title.trim();
  const dup = ws.db
    .prepare('SELECT 1 FROM indicator_evidence WHERE indicator_id = ? AND title = ? AND deleted = 0')
    .get(ind.id, title);
  if (dup) {
    throw new AppError('CONFLICT', `指标「${ind.code}」的佐证清单中已有「${title}」。`, { field: 'title' });
  }
  const { max } = ws.db
    .prepare(
      'SELECT COALESCE(MAX(sort), 0) AS max FROM indicator_evidence WHERE indicator_id = ? AND deleted = 0',
    )
    .get(ind.id) as { max: number };
  const { value: id } = ws.writer.transact(ws.actor(), (tx) => {
    const eid = tx.insert('indicator_evidence', {
      indicator_id: ind.id,
      title,
      note: input.note,
      sort: max + 10,
    });
    insertLinks(tx, 'evidence_material', eid, input.materialIds);
    return eid;
  });
  return evidenceItem(ws, id);
}

/** Edits an evidence item: title, note, order, linked materials. */
export function updateEvidence(
  ws: Workspace,
  id: string,
  patch: z.output<typeof EvidencePatch>,
): EvidenceItem {
  const item = evidenceItem(ws, id);
  if (patch.materialIds) checkMaterials(ws, patch.materialIds);
  if (patch.title !== undefined) {
    const dup = ws.db
      .prepare(
        'SELECT 1 FROM indicator_evidence WHERE indicator_id = ? AND title = ? AND deleted = 0 AND id <> ?',
      )
      .get(item.indicatorId, patch.title.trim(), id);
    if (dup) {
      throw new AppError('CONFLICT', `该指标的佐证清单中已有「${patch.title.trim()}」。`, { field: 'title' });
    }
  }
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('indicator_evidence', id, {
      title: patch.title?.trim(),
      note: patch.note,
      sort: patch.sort,
    });
    if (patch.materialIds) syncLinks(ws, tx, 'evidence_material', id, patch.materialIds);
  });
  return evidenceItem(ws, id);
}

/** Removes an evidence item (its attachments stay, reachable through the audit trail). */
export function removeEvidence(ws: Workspace, id: string): void {
  evidenceItem(ws, id);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('indicator_evidence', id);
  });
}

/**
 * Readiness against the current indicator-system version: the basic indicators (all must be
 * met: the veto list), self-scores of the scored leaf indicators against their points, bonus
 * items separately, evidence checklist progress and the count of indicators by status
 * (categories are not counted).
 */
export function readiness(ws: Workspace): Readiness {
  const { version } = ws.db.prepare('SELECT indicator_version AS version FROM workspace LIMIT 1').get() as {
    version: string;
  };
  const rows = ws.db
    .prepare(
      `SELECT i.id, i.code, i.title, i.kind, i.status, i.points, i.self_score,
         EXISTS (SELECT 1 FROM indicators c WHERE c.parent_id = i.id AND c.deleted = 0) AS has_children
       FROM indicators i WHERE i.deleted = 0 AND i.system_version = ?
       ORDER BY i.sort, i.code`,
    )
    .all(version) as {
    id: string;
    code: string;
    title: string;
    kind: Indicator['kind'];
    status: Indicator['status'];
    points: number | null;
    self_score: number | null;
    has_children: number;
  }[];
  const ev = ws.db
    .prepare(
      `SELECT COUNT(*) AS total, COALESCE(SUM(${EVIDENCE_SATISFIED_SQL}), 0) AS satisfied
       FROM indicator_evidence e JOIN indicators i ON i.id = e.indicator_id
       WHERE e.deleted = 0 AND i.deleted = 0 AND i.system_version = ?`,
    )
    .get(version) as { total: number; satisfied: number };
  const basic = rows.filter((r) => r.kind === 'basic');
  const unmet = basic.filter((r) => r.status !== 'met');
  const leaves = (kind: 'scored' | 'bonus') => rows.filter((r) => r.kind === kind && r.has_children === 0);
  const sum = (list: typeof rows, f: (r: (typeof rows)[number]) => number | null) =>
    Number(list.reduce((a, r) => a + (f(r) ?? 0), 0).toPrecision(12));
  const scored = leaves('scored');
  const bonus = leaves('bonus');
  const counted = rows.filter((r) => r.kind !== 'category');
  const byStatus = { not_met: 0, in_progress: 0, met: 0 };
  for (const r of counted) byStatus[r.status]++;
  return {
    version,
    basic: {
      total: basic.length,
      met: basic.length - unmet.length,
      unmet: unmet.map((r) => ({ id: r.id, code: r.code, title: r.title, status: r.status })),
    },
    allBasicMet: unmet.length === 0,
    scored: {
      count: scored.length,
      possible: sum(scored, (r) => r.points),
      achieved: sum(scored, (r) => r.self_score),
      met: scored.filter((r) => r.status === 'met').length,
    },
    bonus: {
      count: bonus.length,
      possible: sum(bonus, (r) => r.points),
      achieved: sum(bonus, (r) => r.self_score),
    },
    evidence: { total: ev.total, satisfied: ev.satisfied },
    byStatus,
  };
}
