/**
 * The records log: idempotent push (one row per (workspace, entityId, field, stamp)), pull by the
 * server's own sequence, pages that never split a transaction, and the live-record count.
 */
import { MAX_STAMP_AHEAD_MS, type Change, type PulledChange } from '../main/core/sync/protocol';
import type { Statement } from 'better-sqlite3';
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

/** A row of the page queries, `.raw()`: the columns of PULL_COLS in order. */
type RawChange = [
  seq: number,
  node: string,
  txId: string,
  entity: string,
  entityId: string,
  field: string,
  value: string | null,
  stamp: string,
  op: Change['op'],
  at: string,
  actorId: string | null,
  actorName: string,
];
const PULL_COLS = 'seq, node, tx_id, entity, entity_id, field, value, stamp, op, at, actor_id, actor_name';

function toPulled(r: RawChange): PulledChange {
  return {
    seq: r[0],
    node: r[1],
    txId: r[2],
    entity: r[3],
    entityId: r[4],
    field: r[5],
    value: r[6],
    stamp: r[7],
    op: r[8],
    at: r[9],
    actorId: r[10],
    actorName: r[11],
  };
}

/** A row of the compact page queries, `.raw()`: seq and three JSON texts built by SQLite. */
type CompactRow = [
  seq: number,
  /** `[node, txId, at, actorId, actorName]` */
  head: string,
  /** `[entity, entityId]` */
  record: string,
  /** `field,value,stamp,op` (JSON values, no brackets) */
  body: string,
];
const COMPACT_COLS = `seq, json_array(node, tx_id, at, actor_id, actor_name), json_array(entity, entity_id),
  json_quote(field) || ',' || json_quote(value) || ',' || json_quote(stamp) || ',' || json_quote(op)`;

/** How the page queries of one format read their rows. */
interface PageKind<R> {
  page: Statement<unknown[]>;
  range: Statement<unknown[]>;
  /** The row's node and transaction, or null when the same as the row before it. */
  txOf(r: R, before: R | undefined): [node: string, txId: string] | null;
}

interface PullStatements {
  full: PageKind<RawChange>;
  compact: PageKind<CompactRow>;
  txEnd: Statement<unknown[]>;
  anyAfter: Statement<unknown[]>;
  live: Statement<unknown[]>;
}

/** Prepared once per database (a clone pulls a hundred pages). */
const pullStatements = new WeakMap<ServerDb, PullStatements>();

function statementsOf(db: ServerDb): PullStatements {
  let st = pullStatements.get(db);
  if (!st) {
    const queries = (cols: string) => ({
      page: db
        .prepare<unknown[]>(
          `SELECT ${cols} FROM changes
            WHERE workspace_id = ? AND seq > ? AND (? IS NULL OR node <> ?)
            ORDER BY seq LIMIT ?`,
        )
        .raw(true),
      range: db
        .prepare<unknown[]>(
          `SELECT ${cols} FROM changes
            WHERE workspace_id = ? AND seq > ? AND seq <= ? AND (? IS NULL OR node <> ?)
            ORDER BY seq`,
        )
        .raw(true),
    });
    st = {
      full: {
        ...queries(PULL_COLS),
        txOf: (r, b) => (b && b[1] === r[1] && b[2] === r[2] ? null : [r[1], r[2]]),
      },
      compact: {
        ...queries(COMPACT_COLS),
        txOf: (r, b) => {
          if (b && b[1] === r[1]) return null;
          const [node, txId] = JSON.parse(r[1]) as [string, string];
          return [node, txId];
        },
      },
      txEnd: db.prepare<unknown[]>(
        'SELECT MAX(seq) AS seq FROM changes WHERE workspace_id = ? AND node = ? AND tx_id = ?',
      ),
      anyAfter: db.prepare<unknown[]>(
        'SELECT 1 FROM changes WHERE workspace_id = ? AND seq > ? AND (? IS NULL OR node <> ?) LIMIT 1',
      ),
      live: db.prepare<unknown[]>('SELECT COUNT(*) AS n FROM records WHERE workspace_id = ? AND deleted = 0'),
    };
    pullStatements.set(db, st);
  }
  return st;
}

interface PullRows<R> {
  rows: R[];
  next: number;
  more: boolean;
  liveRecords: number;
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
function pullRows<R extends [number, ...unknown[]]>(
  db: ServerDb,
  kind: (st: PullStatements) => PageKind<R>,
  workspaceId: string,
  since: number,
  limit: number,
  exclude: string | null,
): PullRows<R> {
  const st = statementsOf(db);
  const k = kind(st);
  return db.transaction((): PullRows<R> => {
    const rows = k.page.all(workspaceId, since, exclude, exclude, limit) as R[];
    let end = rows.length ? (rows[rows.length - 1] as R)[0] : since;
    // Extend to the end of every transaction present in the page (repeat: the rows added may
    // belong to further transactions interleaved with them).
    const checked = new Set<string>();
    let scanFrom = 0;
    for (;;) {
      let target = end;
      for (let i = scanFrom; i < rows.length; i++) {
        const tx = k.txOf(rows[i] as R, i > scanFrom ? rows[i - 1] : undefined);
        if (tx === null) continue;
        const key = `${tx[0]}\u0000${tx[1]}`;
        if (checked.has(key)) continue;
        checked.add(key);
        const last = (st.txEnd.get(workspaceId, tx[0], tx[1]) as { seq: number }).seq;
        if (last > target) target = last;
      }
      if (target <= end) break;
      scanFrom = rows.length;
      for (const r of k.range.all(workspaceId, end, target, exclude, exclude) as R[]) rows.push(r);
      end = target;
    }
    const more = rows.length > 0 && st.anyAfter.get(workspaceId, end, exclude, exclude) !== undefined;
    const liveRecords = (st.live.get(workspaceId) as { n: number }).n;
    return { rows, next: end, more, liveRecords };
  })();
}

/** A page in the default format (PullResult: one object per change). */
export function pullChanges(
  db: ServerDb,
  workspaceId: string,
  since: number,
  limit: number,
  exclude: string | null,
): PullOutcome {
  const { rows, next, more, liveRecords } = pullRows(db, (st) => st.full, workspaceId, since, limit, exclude);
  return { changes: rows.map(toPulled), next, more, liveRecords };
}

/**
 * The same page in the compact format (PullResultCompact, `format=compact`), as JSON text built
 * directly from the rows: consecutive changes sharing node, transaction, time and actor form one
 * group `[node, txId, at, actorId, actorName, ...records]`, and within it consecutive changes of
 * one record form `[entity, entityId, field, value, stamp, op, field, value, stamp, op, …]`.
 * Every change of the page is there, in seq order; only the per-change seq is left out (`next` is
 * the cursor).
 */
export function pullChangesCompact(
  db: ServerDb,
  workspaceId: string,
  since: number,
  limit: number,
  exclude: string | null,
): string {
  const page = pullRows(db, (st) => st.compact, workspaceId, since, limit, exclude);
  // the texts are SQLite's JSON (json_array, json_quote): only brackets and commas are added here
  let out = '{"txs":[';
  let head: string | null = null;
  let record: string | null = null;
  for (const r of page.rows) {
    if (r[1] !== head) {
      out += `${head === null ? '' : ']],'}[${r[1].slice(1, -1)},${r[2].slice(0, -1)}`;
      head = r[1];
      record = r[2];
    } else if (r[2] !== record) {
      out += `],${r[2].slice(0, -1)}`;
      record = r[2];
    }
    out += `,${r[3]}`;
  }
  if (head !== null) out += ']]';
  return `${out}],"next":${page.next},"more":${page.more},"liveRecords":${page.liveRecords}}`;
}
