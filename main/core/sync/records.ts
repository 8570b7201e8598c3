/**
 * Records sync: push this laptop's changes (origin 'local', after the acknowledged id) in
 * batches, then pull the server's changes page by page from its sequence cursor and apply each
 * page in one transaction through the write path (Writer.applyRemote: per-field last-writer-wins).
 * Push is idempotent (the server keeps a change once; the cursor advances only after success).
 * A pull that would delete more than half of the live records stops before writing.
 */
import { ENTITIES, type EntityDef } from '../records/entities';
import type { ApplyMemo, ApplyRemoteResult, RemoteChange } from '../records/writer';
import type { Workspace } from '../workspace/workspace';
import { z } from 'zod';
import { checkJson, readJson, syncError, type SyncClient } from './client';
import {
  MAX_PUSH_CHANGES,
  PULL_FORMAT_COMPACT,
  PULL_PAGE,
  paths,
  PullResult,
  PullResultCompact,
  PushResult,
  type Change,
} from './protocol';
import { readState, writeState } from './state';

/** A pull deleting more than this share of the live records (and more than MASS_DELETE_MIN) asks first. */
export const MASS_DELETE_SHARE = 0.5;
export const MASS_DELETE_MIN = 20;

interface ChangeRow {
  id: number;
  tx_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string;
  entity: string;
  entity_id: string;
  op: Change['op'];
  field: string;
  new_value: string | null;
  stamp: string;
}

export function pendingChanges(ws: Workspace): number {
  const { pushed_id } = readState(ws.db);
  return (
    ws.db.prepare("SELECT COUNT(*) AS n FROM changes WHERE id > ? AND origin = 'local'").get(pushed_id) as {
      n: number;
    }
  ).n;
}

/**
 * Bytes of change values in one push, well under the server's default JSON body limit (16 MB):
 * a few large values (a compliance run's result, a rule set) would otherwise make a batch the
 * server refuses, every time.
 */
export const MAX_PUSH_BYTES = 6 * 1024 * 1024;
/** What a change costs in the request besides its value (ids, stamp, names, JSON syntax). */
const CHANGE_OVERHEAD_BYTES = 300;

/**
 * The next batch to push: at most `limit` changes and `maxBytes` of values, whole transactions
 * unless one alone exceeds the limits (at least one change always goes).
 */
export function nextBatch(
  ws: Workspace,
  after: number,
  limit: number,
  maxBytes = MAX_PUSH_BYTES,
): ChangeRow[] {
  const rows = ws.db
    .prepare(
      `SELECT id, tx_id, at, actor_id, actor_name, entity, entity_id, op, field, new_value, stamp
         FROM changes WHERE id > ? AND origin = 'local' ORDER BY id LIMIT ?`,
    )
    .all(after, limit + 1) as ChangeRow[];
  let end = Math.min(rows.length, limit);
  let bytes = 0;
  for (let i = 0; i < end; i++) {
    const v = rows[i]!.new_value;
    bytes += CHANGE_OVERHEAD_BYTES + (v === null ? 0 : Buffer.byteLength(v));
    if (bytes > maxBytes && i > 0) {
      end = i;
      break;
    }
  }
  if (end >= rows.length) return rows;
  const nextTx = rows[end]!.tx_id;
  let cut = end;
  while (cut > 0 && rows[cut - 1]!.tx_id === nextTx) cut--;
  return rows.slice(0, cut > 0 ? cut : end);
}

export async function pushRecords(
  ws: Workspace,
  client: SyncClient,
  onProgress?: (done: number) => void,
  batchSize = MAX_PUSH_CHANGES,
): Promise<number> {
  let pushed = 0;
  for (;;) {
    const { pushed_id } = readState(ws.db);
    const batch = nextBatch(ws, pushed_id, batchSize);
    if (batch.length === 0) return pushed;
    const changes: Change[] = batch.map((r) => ({
      txId: r.tx_id,
      entity: r.entity,
      entityId: r.entity_id,
      field: r.field,
      value: r.new_value,
      stamp: r.stamp,
      op: r.op,
      at: r.at,
      actorId: r.actor_id,
      actorName: r.actor_name,
    }));
    await client.json('POST', paths.changes(ws.id), PushResult, { node: ws.hlc.node, changes });
    writeState(ws.db, { pushed_id: batch[batch.length - 1]!.id });
    pushed += batch.length;
    onProgress?.(pushed);
  }
}

/** Live (not deleted) records of every synced table. */
export function liveRecords(ws: Workspace): number {
  let n = 0;
  for (const def of Object.values(ENTITIES) as EntityDef[]) {
    n += (ws.db.prepare(`SELECT COUNT(*) AS n FROM ${def.table} WHERE deleted = 0`).get() as { n: number }).n;
  }
  return n;
}

/** Records a page would newly delete (a winning `deleted = true` on a live row). */
function deletesIn(ws: Workspace, changes: readonly RemoteChange[], seen: Set<string>): number {
  let n = 0;
  for (const c of changes) {
    if (c.field !== 'deleted' || c.value !== 'true' || seen.has(c.entityId)) continue;
    const def = (ENTITIES as Record<string, EntityDef>)[c.entity];
    if (!def) continue;
    const row = ws.db.prepare(`SELECT deleted FROM ${def.table} WHERE id = ?`).get(c.entityId) as
      { deleted: number } | undefined;
    if (!row || row.deleted === 1) continue;
    const win = ws.db
      .prepare(
        "SELECT MAX(stamp) AS s FROM changes WHERE entity_id = ? AND field = 'deleted' AND applied = 1",
      )
      .get(c.entityId) as { s: string | null };
    if (win.s !== null && c.stamp <= win.s) continue;
    seen.add(c.entityId);
    n++;
  }
  return n;
}

/**
 * A pull page, checked by hand: zod over a million change objects costs seconds on a new
 * laptop's first sync; the envelope is the protocol's, each change is checked field by field.
 * The client asks for the compact format (PullResultCompact) and reads either (a server that does
 * not know it answers a PullResult).
 */
const PullPage = PullResult.extend({ changes: z.array(z.unknown()) });
const CompactPage = PullResultCompact.extend({ txs: z.array(z.unknown()) });
const STAMP = /^\d{13}-[0-9a-f]{4}-[\w-]{1,64}$/;
const OPS = new Set(['create', 'update', 'delete', 'restore']);
const str = (v: unknown, max: number) => typeof v === 'string' && v.length > 0 && v.length <= max;
const badPage = () =>
  syncError(
    'BAD_RESPONSE',
    '同步服务器返回的修改记录格式不正确，已停止接收（未写入任何内容），稍后自动重试。',
  );

function checkChange(c: RemoteChange): boolean {
  return (
    str(c.txId, 64) &&
    str(c.entity, 64) &&
    str(c.entityId, 64) &&
    str(c.field, 64) &&
    (c.value === null || (typeof c.value === 'string' && c.value.length <= 1024 * 1024)) &&
    typeof c.stamp === 'string' &&
    STAMP.test(c.stamp) &&
    typeof c.op === 'string' &&
    OPS.has(c.op) &&
    typeof c.at === 'string' &&
    c.at.length <= 40 &&
    (c.actorId === null || (typeof c.actorId === 'string' && c.actorId.length <= 64)) &&
    typeof c.actorName === 'string' &&
    c.actorName.length <= 100
  );
}

function checkChanges(list: unknown[]): RemoteChange[] {
  for (const x of list) {
    const c = x as Record<string, unknown>;
    const ok =
      typeof c === 'object' &&
      c !== null &&
      checkChange(c as unknown as RemoteChange) &&
      typeof c.seq === 'number' &&
      typeof c.node === 'string';
    if (!ok) throw badPage();
  }
  return list as RemoteChange[];
}

/** The changes of a compact page (PullResultCompact), in order, each checked. */
export function expandCompact(txs: unknown[]): RemoteChange[] {
  const out: RemoteChange[] = [];
  for (const g of txs) {
    if (!Array.isArray(g) || g.length < 6 || typeof g[0] !== 'string') throw badPage();
    const [, txId, at, actorId, actorName] = g as [unknown, string, string, string | null, string];
    for (let i = 5; i < g.length; i++) {
      const r = g[i] as unknown[];
      if (!Array.isArray(r) || r.length < 6 || (r.length - 2) % 4 !== 0) throw badPage();
      const entity = r[0] as string;
      const entityId = r[1] as string;
      for (let j = 2; j < r.length; j += 4) {
        const c: RemoteChange = {
          txId,
          entity,
          entityId,
          field: r[j] as string,
          value: r[j + 1] as string | null,
          stamp: r[j + 2] as string,
          op: r[j + 3] as RemoteChange['op'],
          at,
          actorId,
          actorName,
        };
        if (!checkChange(c)) throw badPage();
        out.push(c);
      }
    }
  }
  return out;
}

/** Reads a pull page in either format. */
export function readPullPage(body: Buffer): { changes: RemoteChange[]; next: number; more: boolean } {
  const data = readJson(body, 'GET changes');
  if (data !== null && typeof data === 'object' && 'txs' in data) {
    const page = checkJson(CompactPage, data, 'GET changes');
    return { changes: expandCompact(page.txs), next: page.next, more: page.more };
  }
  const page = checkJson(PullPage, data, 'GET changes');
  return { changes: checkChanges(page.changes), next: page.next, more: page.more };
}

export type PullTotals = Omit<ApplyRemoteResult, 'entities'> & { pulled: number };

export async function pullRecords(
  ws: Workspace,
  client: SyncClient,
  opts: {
    allowMassDelete: boolean;
    onProgress?: (done: number) => void;
    pageSize?: number;
    /** Filling a new laptop's empty database (clone): winning stamps kept in memory. */
    memo?: ApplyMemo;
  },
): Promise<PullTotals> {
  const totals: PullTotals = {
    pulled: 0,
    applied: 0,
    lost: 0,
    duplicates: 0,
    revived: 0,
    deleted: 0,
    overwritten: 0,
  };
  const live = opts.allowMassDelete ? 0 : liveRecords(ws);
  const seen = new Set<string>();
  let deletes = 0;
  const fetchPage = async (since: number) => {
    const q = new URLSearchParams({
      since: String(since),
      limit: String(opts.pageSize ?? PULL_PAGE),
      exclude: ws.hlc.node,
      format: PULL_FORMAT_COMPACT,
    });
    const res = await client.request('GET', `${paths.changes(ws.id)}?${q.toString()}`);
    return readPullPage(res.body);
  };
  let next = fetchPage(readState(ws.db).pull_cursor);
  for (;;) {
    const { pull_cursor } = readState(ws.db);
    const page = await next;
    // the next page is on its way while this one is applied
    next = page.more ? fetchPage(page.next) : Promise.resolve({ changes: [], next: page.next, more: false });
    next.catch(() => undefined); // reported when awaited
    if (page.changes.length > 0) {
      if (!opts.allowMassDelete) {
        deletes += deletesIn(ws, page.changes, seen);
        if (deletes > MASS_DELETE_MIN && deletes > live * MASS_DELETE_SHARE) {
          throw syncError(
            'MASS_DELETE',
            `服务器上的修改将删除本工作区 ${live} 条记录中的 ${deletes} 条（超过一半），已暂停同步，尚未删除任何内容。确认无误请点“仍然同步”（命令行加 --allow-mass-delete）；否则请联系同事核实。`,
            { deletes, live },
          );
        }
      }
      const r = ws.writer.applyRemote(page.changes, opts.memo);
      totals.pulled += page.changes.length;
      totals.applied += r.applied;
      totals.lost += r.lost;
      totals.duplicates += r.duplicates;
      totals.revived += r.revived;
      totals.deleted += r.deleted;
      totals.overwritten += r.overwritten;
      opts.onProgress?.(totals.pulled);
    }
    if (page.next !== pull_cursor) writeState(ws.db, { pull_cursor: page.next });
    if (!page.more) return totals;
  }
}
