/**
 * Local persistence of Yjs documents: each update the editor makes is appended as one row
 * (doc_updates); past a threshold the updates are merged into the document's snapshot
 * (doc_snapshots) in one transaction. Opening a document only reads (never writes). A corrupt
 * update or snapshot is skipped on load and reported, so the document opens from the last good
 * state. The sync issue ships the same updates between laptops by state vector.
 */
import * as Y from 'yjs';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';
import { docToJson, plainText, type PmNode } from './pm';

/** Merge into the snapshot past this many updates, or this many bytes of updates. */
export const COMPACT_UPDATES = 200;
export const COMPACT_BYTES = 2 * 1024 * 1024;
/** Largest single update accepted (a huge paste is refused with a message). */
export const MAX_UPDATE_BYTES = 16 * 1024 * 1024;

export interface LoadedDoc {
  doc: Y.Doc;
  /** Problems met while loading (Chinese), e.g. skipped corrupt updates. */
  problems: string[];
  updates: number;
}

interface Cached {
  doc: Y.Doc;
  /** Text index is stale since this time (ms), or null when current. */
  dirtySince: number | null;
}

/** One in-memory Y.Doc per open document, kept per workspace (bounded). */
const caches = new WeakMap<Workspace, Map<string, Cached>>();
const MAX_CACHED = 12;

function cacheOf(ws: Workspace): Map<string, Cached> {
  let c = caches.get(ws);
  if (!c) {
    c = new Map();
    caches.set(ws, c);
  }
  return c;
}

function applyFast(doc: Y.Doc, update: Uint8Array): boolean {
  try {
    Y.applyUpdate(doc, update);
    return true;
  } catch {
    return false;
  }
}

/** Reads a document from its snapshot and updates. Never writes. */
export function loadDoc(ws: Workspace, docId: string): LoadedDoc {
  const doc = new Y.Doc();
  const problems: string[] = [];
  const snap = ws.db.prepare('SELECT data FROM doc_snapshots WHERE doc_id = ?').get(docId) as
    { data: Buffer } | undefined;
  if (snap && !applyFast(doc, new Uint8Array(snap.data))) {
    problems.push('文档快照已损坏，已从其后的修改记录重建内容。');
  }
  const rows = ws.db
    .prepare('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq')
    .all(docId) as {
    seq: number;
    data: Buffer;
  }[];
  // One by one: a malformed update fails on its own (Yjs decodes an update completely before
  // integrating it) and is skipped; merging them first could hide or spread the damage.
  let skipped = 0;
  for (const r of rows) if (!applyFast(doc, new Uint8Array(r.data))) skipped++;
  if (skipped) problems.push(`有 ${skipped} 条损坏的修改记录无法读取，已跳过；文档显示的是其余内容。`);
  return { doc, problems, updates: rows.length };
}

function cached(ws: Workspace, docId: string): Cached {
  const cache = cacheOf(ws);
  let c = cache.get(docId);
  if (c) {
    cache.delete(docId);
    cache.set(docId, c); // most recently used last
    return c;
  }
  c = { doc: loadDoc(ws, docId).doc, dirtySince: null };
  cache.set(docId, c);
  while (cache.size > MAX_CACHED) {
    const oldest = cache.keys().next().value as string;
    flushText(ws, oldest);
    cache.get(oldest)?.doc.destroy();
    cache.delete(oldest);
  }
  return c;
}

/** The whole document as one Yjs update (what the editor loads). */
export function docState(ws: Workspace, docId: string): { update: Uint8Array; problems: string[] } {
  const loaded = loadDoc(ws, docId);
  return { update: Y.encodeStateAsUpdate(loaded.doc), problems: loaded.problems };
}

/**
 * Appends one update from the editor (validated), compacting past the threshold. Sync appends
 * what other laptops wrote with origin 'remote' (local updates are what sync sends).
 */
export function appendUpdate(
  ws: Workspace,
  docId: string,
  update: Uint8Array,
  at: string,
  actorId: string | null,
  origin: 'local' | 'remote' = 'local',
): void {
  if (update.byteLength > MAX_UPDATE_BYTES) {
    throw new AppError(
      'PAYLOAD_TOO_LARGE',
      `这次修改有 ${(update.byteLength / 1048576).toFixed(1)} MB，超过上限 16 MB（可能粘贴了过大的图片），未保存。请压缩图片后再插入。`,
    );
  }
  const c = cached(ws, docId);
  if (!applyFast(c.doc, update)) {
    throw new AppError('BAD_INPUT', '收到的修改记录已损坏，未保存；请刷新文档后重试。');
  }
  ws.db
    .prepare('INSERT INTO doc_updates (doc_id, data, at, actor_id, origin) VALUES (?, ?, ?, ?, ?)')
    .run(docId, Buffer.from(update), at, actorId, origin);
  c.dirtySince ??= Date.now();
  const stats = ws.db
    .prepare(
      'SELECT COUNT(*) AS n, COALESCE(SUM(length(data)), 0) AS bytes FROM doc_updates WHERE doc_id = ?',
    )
    .get(docId) as { n: number; bytes: number };
  if (stats.n >= COMPACT_UPDATES || stats.bytes >= COMPACT_BYTES) compactDoc(ws, docId, at);
}

/** Merges every update of a document into its snapshot, in one transaction. */
export function compactDoc(ws: Workspace, docId: string, at: string): void {
  ws.db.transaction(() => {
    const rows = ws.db
      .prepare('SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq')
      .all(docId) as {
      seq: number;
      data: Buffer;
    }[];
    if (rows.length === 0) return;
    const snap = ws.db.prepare('SELECT data, merged FROM doc_snapshots WHERE doc_id = ?').get(docId) as
      { data: Buffer; merged: number } | undefined;
    // merge through a document so a corrupt piece is dropped instead of poisoning the snapshot
    const { doc } = loadDoc(ws, docId);
    const merged = Y.encodeStateAsUpdate(doc);
    doc.destroy();
    ws.db
      .prepare(
        `INSERT INTO doc_snapshots (doc_id, data, merged, at) VALUES (?, ?, ?, ?)
         ON CONFLICT(doc_id) DO UPDATE SET data = excluded.data, merged = excluded.merged, at = excluded.at`,
      )
      .run(docId, Buffer.from(merged), (snap?.merged ?? 0) + rows.length, at);
    const last = rows[rows.length - 1]?.seq ?? 0;
    ws.db.prepare('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?').run(docId, last);
  })();
}

/** Replaces a document's content with `update` (a new document; used when creating). */
export function initDoc(ws: Workspace, docId: string, update: Uint8Array, at: string): void {
  ws.db
    .prepare(
      `INSERT INTO doc_snapshots (doc_id, data, merged, at) VALUES (?, ?, 0, ?)
       ON CONFLICT(doc_id) DO NOTHING`,
    )
    .run(docId, Buffer.from(update), at);
  const json = docToJson(loadDoc(ws, docId).doc);
  writeText(ws, docId, plainText(json), at);
}

function writeText(ws: Workspace, docId: string, text: string, at: string): void {
  ws.db
    .prepare(
      `INSERT INTO doc_text (doc_id, text, at) VALUES (?, ?, ?)
       ON CONFLICT(doc_id) DO UPDATE SET text = excluded.text, at = excluded.at`,
    )
    .run(docId, text, at);
}

/** Brings the search text of a document up to date (cheap when nothing changed). */
export function flushText(ws: Workspace, docId: string): void {
  const c = cacheOf(ws).get(docId);
  if (!c || c.dirtySince === null) return;
  writeText(ws, docId, plainText(docToJson(c.doc)), new Date().toISOString());
  c.dirtySince = null;
}

/** Flushes every document whose text is stale (before a search). */
export function flushAllText(ws: Workspace): void {
  for (const id of cacheOf(ws).keys()) flushText(ws, id);
}

/** The document's content as ProseMirror JSON (from the cache when open). */
export function docJson(ws: Workspace, docId: string): PmNode {
  return docToJson(cached(ws, docId).doc);
}

/** Drops a workspace's cached documents (on close), writing pending search text first. */
export function closeDocs(ws: Workspace): void {
  const cache = cacheOf(ws);
  for (const [id, c] of cache) {
    try {
      flushText(ws, id);
    } catch {
      // closing must not fail on the search index
    }
    c.doc.destroy();
  }
  cache.clear();
}
