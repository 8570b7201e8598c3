/**
 * Link rows (task ↔ department, task/material/rectification ↔ indicator, material/rectification ↔
 * task): one row per pair with a deterministic id (owner|ref), so two laptops adding the same link
 * agree; removing a link is the `deleted` field, adding it again revives the row.
 */
import { AppError } from '../util/errors';
import { stableId } from '../util/ids';
import type { Workspace } from '../workspace/workspace';
import { ENTITIES } from './entities';
import type { Tx, Values } from './writer';

/** Link entity → [owner column, referenced column]; the table is the entity's. */
const LINKS = {
  task_department: ['task_id', 'dept_id'],
  task_indicator: ['task_id', 'indicator_id'],
  material_task: ['material_id', 'task_id'],
  material_indicator: ['material_id', 'indicator_id'],
  rectification_task: ['rect_id', 'task_id'],
  rectification_indicator: ['rect_id', 'indicator_id'],
  indicator_department: ['indicator_id', 'dept_id'],
  evidence_material: ['evidence_id', 'material_id'],
} as const;
export type LinkEntity = keyof typeof LINKS;

/** Inserts the link rows of a new owner (it has none yet). */
export function insertLinks(tx: Tx, entity: LinkEntity, ownerId: string, refs: readonly string[]): void {
  const [ownerCol, refCol] = LINKS[entity];
  for (const ref of new Set(refs)) {
    const values = { [ownerCol]: ownerId, [refCol]: ref } as Values<LinkEntity>;
    tx.insert(entity, values, stableId(`${ownerId}|${ref}`));
  }
}

/** Makes the owner's set of live links equal `wanted`: removes the others, revives deleted ones. */
export function syncLinks(
  ws: Workspace,
  tx: Tx,
  entity: LinkEntity,
  ownerId: string,
  wanted: readonly string[],
): void {
  const [ownerCol, refCol] = LINKS[entity];
  const existing = ws.db
    .prepare(`SELECT id, ${refCol} AS ref, deleted FROM ${ENTITIES[entity].table} WHERE ${ownerCol} = ?`)
    .all(ownerId) as { id: string; ref: string; deleted: number }[];
  const want = new Set(wanted);
  for (const e of existing) {
    if (want.has(e.ref)) {
      if (e.deleted === 1) tx.restore(entity, e.id);
      want.delete(e.ref);
    } else if (e.deleted === 0) tx.remove(entity, e.id);
  }
  insertLinks(tx, entity, ownerId, [...want]);
}

const REF_CHECKS = {
  indicatorIds: ['indicators', '所选关联指标中有不存在的指标。'],
  taskIds: ['tasks', '所选关联任务中有不存在或已删除的任务。'],
} as const;

/** Refuses ids that name no live indicator or task, naming the field. */
export function checkLinkRefs(
  ws: Workspace,
  input: Partial<Record<keyof typeof REF_CHECKS, readonly string[]>>,
): void {
  for (const field of Object.keys(REF_CHECKS) as (keyof typeof REF_CHECKS)[]) {
    const ids = input[field];
    if (!ids?.length) continue;
    const [table, message] = REF_CHECKS[field];
    const live = ws.db.prepare(`SELECT 1 FROM ${table} WHERE id = ? AND deleted = 0`);
    if (ids.some((id) => !live.get(id))) throw new AppError('BAD_INPUT', message, { field });
  }
}
