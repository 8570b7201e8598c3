import type { z } from 'zod';
import type { AuditEntry, AuditQuery } from '../contract/records';
import { entityDef } from '../records/entities';
import type { Workspace } from '../workspace/workspace';

interface Row {
  id: number;
  tx_id: string;
  at: string;
  actor_name: string;
  entity: string;
  entity_id: string;
  op: AuditEntry['op'];
  field: string;
  old_value: string | null;
  new_value: string | null;
}

const parse = (v: string | null): unknown => (v === null ? null : JSON.parse(v));

/** The audit trail (全程留痕), newest first; optionally for one record (and its link rows). */
export function listAudit(ws: Workspace, q: z.output<typeof AuditQuery>): AuditEntry[] {
  const where = ['applied = 1'];
  const params: unknown[] = [];
  if (q.entityId) {
    // Ids are unique across entities. Link rows (task → department / indicator) belong to
    // the task's history too.
    where.push(
      `entity_id IN (SELECT ? UNION ALL SELECT id FROM task_departments WHERE task_id = ?
        UNION ALL SELECT id FROM task_indicators WHERE task_id = ?)`,
    );
    params.push(q.entityId, q.entityId, q.entityId);
  } else if (q.entity) {
    where.push('entity = ?');
    params.push(q.entity);
  }
  if (q.beforeId !== undefined) {
    where.push('id < ?');
    params.push(q.beforeId);
  }
  const rows = ws.db
    .prepare(
      `SELECT id, tx_id, at, actor_name, entity, entity_id, op, field, old_value, new_value
       FROM changes WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ?`,
    )
    .all(...params, q.limit) as Row[];
  return rows.map((r) => {
    const def = entityDef(r.entity);
    return {
      id: r.id,
      txId: r.tx_id,
      at: r.at,
      actorName: r.actor_name,
      entity: r.entity,
      entityLabel: def?.label ?? r.entity,
      entityId: r.entity_id,
      op: r.op,
      field: r.field,
      fieldLabel: def?.fields[r.field]?.label ?? r.field,
      oldValue: parse(r.old_value),
      newValue: parse(r.new_value),
    };
  });
}
