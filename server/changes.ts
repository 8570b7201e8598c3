/**
 * The records log: idempotent push (one row per (workspace, entityId, field, stamp)), pull by the
 * server's own sequence, pages that never split a transaction, and the live-record count.
 */
import { MAX_STAMP_AHEAD_MS, type Change, type PulledChange } from '../main/core/sync/protocol';
import { nowIso, type ServerDb } from './db';
import { HttpError } from './errors';

export interface PushOutcome {
  accepted: number;
  duplicates: number;
  seq: number;
}

/** Milliseconds of an HLC stamp (`<13-digit ms>-…`). */
export function stampMs(stamp: string): number {
  return Number(stamp.slice(0, 13));
}

function isDeletedValue(value: string | null): boolean {
  return value === 'true' || value === '1';
}

export function pushChanges(
  db: ServerDb,
  workspaceId: string,
  node: string,
  changes: readonly Change[],
  now: number,
): PushOutcome {
  // Refuse the whole push if a stamp is far in the future: a laptop with a wrong clock would
  // otherwise win every conflict for as long as its clock is ahead.
  let worst = 0;
  for (const c of changes) worst = Math.max(worst, stampMs(c.stamp) - now);
  if (worst > MAX_STAMP_AHEAD_MS) {
    const minutes = Math.ceil(worst / 60_000);
    throw new HttpError(
      409,
      'STAMP_AHEAD',
      `这台电脑上传的修改时间比服务器时间快约 ${minutes} 分钟（允许 ${MAX_STAMP_AHEAD_MS / 60_000} 分钟），本次同步未保存任何内容。请把这台电脑的系统时间校准（开启“自动设置时间”）后再同步。`,
    );
  }
  const insert = db.prepare(
    `INSERT OR IGNORE INTO changes
       (workspace_id, node, tx_id, entity, entity_id, field, value, stamp, op, at, actor_id, actor_name, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const upsertRecord = db.prepare(
    `INSERT INTO records (workspace_id, entity_id, entity) VALUES (?, ?, ?)
     ON CONFLICT (workspace_id, entity_id) DO NOTHING`,
  );
  const setDeleted = db.prepare(
    `UPDATE records SET deleted = ?, deleted_stamp = ?
      WHERE workspace_id = ? AND entity_id = ? AND deleted_stamp < ?`,
  );
  const maxSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM changes WHERE workspace_id = ?');
  const receivedAt = nowIso(now);
  return db.transaction((): PushOutcome => {
    let accepted = 0;
    for (const c of changes) {
      const info = insert.run(
        workspaceId,
        node,
        c.txId,
        c.entity,
        c.entityId,
        c.field,
        c.value,
        c.stamp,
        c.op,
        c.at,
        c.actorId,
        c.actorName,
        receivedAt,
      );
      if (info.changes === 0) continue;
      accepted++;
      upsertRecord.run(workspaceId, c.entityId, c.entity);
      if (c.field === 'deleted') {
        setDeleted.run(isDeletedValue(c.value) ? 1 : 0, c.stamp, workspaceId, c.entityId, c.stamp);
      }
    }
    const seq = (maxSeq.get(workspaceId) as { seq: number }).seq;
    return { accepted, duplicates: changes.length - accepted, seq };
  })();
}

interface ChangeRow {
  seq: number;
  node: string;
  tx_id: string;
  entity: string;
  entity_id: string;
  field: string;
  value: string | null;
  stamp: string;
  op: Change['op'];
  at: string;
  actor_id: string | null;
  actor_name: string;
}

function toPulled(r: ChangeRow): PulledChange {
  return {
    seq: r.seq,
    node: r.node,
    txId: r.tx_id,
    entity: r.entity,
    entityId: r.entity_id,
    field: r.field,
    value: r.value,
    stamp: r.stamp,
    op: r.op,
    at: r.at,
    actorId: r.actor_id,
    actorName: r.actor_name,
  };
}

export interface PullOutcome {
  changes: PulledChange[];
  next: number;
  more: boolean;
  liveRecords: number;
}

/**
 * Changes after `since` in seq order, at most `limit` — except that a page is extended so that
 * every transaction it contains is complete (a transaction larger than `limit` comes whole in one
 * page). Runs in one read transaction, so the page and `more` agree.
 */
export function pullChanges(
  db: ServerDb,
  workspaceId: string,
  since: number,
  limit: number,
  exclude: string | null,
): PullOutcome {
  const cols = 'seq, node, tx_id, entity, entity_id, field, value, stamp, op, at, actor_id, actor_name';
  const page = db.prepare(
    `SELECT ${cols} FROM changes
      WHERE workspace_id = ? AND seq > ? AND (? IS NULL OR node <> ?)
      ORDER BY seq LIMIT ?`,
  );
  const range = db.prepare(
    `SELECT ${cols} FROM changes
      WHERE workspace_id = ? AND seq > ? AND seq <= ? AND (? IS NULL OR node <> ?)
      ORDER BY seq`,
  );
  const txEnd = db.prepare(
    'SELECT MAX(seq) AS seq FROM changes WHERE workspace_id = ? AND node = ? AND tx_id = ?',
  );
  const anyAfter = db.prepare(
    'SELECT 1 FROM changes WHERE workspace_id = ? AND seq > ? AND (? IS NULL OR node <> ?) LIMIT 1',
  );
  const live = db.prepare('SELECT COUNT(*) AS n FROM records WHERE workspace_id = ? AND deleted = 0');

  return db.transaction((): PullOutcome => {
    const rows = page.all(workspaceId, since, exclude, exclude, limit) as ChangeRow[];
    let end = rows.length ? (rows[rows.length - 1] as ChangeRow).seq : since;
    // Extend to the end of every transaction present in the page (repeat: the rows added may
    // belong to further transactions interleaved with them).
    const checked = new Set<string>();
    let scanFrom = 0;
    for (;;) {
      let target = end;
      for (let i = scanFrom; i < rows.length; i++) {
        const r = rows[i] as ChangeRow;
        const key = `${r.node}\u0000${r.tx_id}`;
        if (checked.has(key)) continue;
        checked.add(key);
        const last = (txEnd.get(workspaceId, r.node, r.tx_id) as { seq: number }).seq;
        if (last > target) target = last;
      }
      if (target <= end) break;
      scanFrom = rows.length;
      rows.push(...(range.all(workspaceId, end, target, exclude, exclude) as ChangeRow[]));
      end = target;
    }
    const more = rows.length > 0 && anyAfter.get(workspaceId, end, exclude, exclude) !== undefined;
    const liveRecords = (live.get(workspaceId) as { n: number }).n;
    return { changes: rows.map(toPulled), next: end, more, liveRecords };
  })();
}
