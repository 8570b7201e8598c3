/**
 * Document sync by state vector: for every document with local writes not yet sent (sync_docs.dirty,
 * bumped by triggers on doc_updates / doc_snapshots) or changed on the server since our document
 * cursor, send our state vector and what the server lacks (our state minus the server's state
 * vector we stored last time, so compaction of the local log loses nothing), and append what we
 * lack as an update with origin 'remote'. Yjs merges concurrent edits; nothing is lost.
 */
import * as Y from 'yjs';
import { appendUpdate, loadDoc } from '../docs/store';
import type { Workspace } from '../workspace/workspace';
import type { SyncClient } from './client';
import { DocList, DocSyncResult, paths } from './protocol';
import { readState, writeState } from './state';

interface DocRow {
  doc_id: string;
  server_sv: Buffer | null;
  seq: number;
  dirty: number;
}

export function pendingDocs(ws: Workspace): number {
  return (ws.db.prepare('SELECT COUNT(*) AS n FROM sync_docs WHERE dirty > 0').get() as { n: number }).n;
}

function isEmptyUpdate(update: Uint8Array): boolean {
  try {
    const d = Y.decodeUpdate(update);
    return d.structs.length === 0 && d.ds.clients.size === 0;
  } catch {
    return false;
  }
}

/** Syncs one document; returns true when something was sent or received. */
export async function syncDoc(
  ws: Workspace,
  client: SyncClient,
  docId: string,
  at: string,
): Promise<boolean> {
  const row = ws.db.prepare('SELECT * FROM sync_docs WHERE doc_id = ?').get(docId) as DocRow | undefined;
  const dirty = row?.dirty ?? 0;
  const { doc } = loadDoc(ws, docId);
  let sv: Uint8Array;
  let update: Uint8Array | null = null;
  try {
    sv = Y.encodeStateVector(doc);
    if (dirty > 0) {
      const diff = row?.server_sv
        ? Y.encodeStateAsUpdate(doc, new Uint8Array(row.server_sv))
        : Y.encodeStateAsUpdate(doc);
      if (!isEmptyUpdate(diff)) update = diff;
    }
  } finally {
    doc.destroy();
  }
  const res = await client.json('POST', paths.docSync(ws.id, docId), DocSyncResult, {
    stateVector: Buffer.from(sv).toString('base64'),
    update: update ? Buffer.from(update).toString('base64') : null,
  });
  const lacking = new Uint8Array(Buffer.from(res.update, 'base64'));
  const received = !isEmptyUpdate(lacking);
  ws.db.transaction(() => {
    if (received) appendUpdate(ws, docId, lacking, at, null, 'remote');
    ws.db
      .prepare(
        `INSERT INTO sync_docs (doc_id, server_sv, seq, dirty) VALUES (?, ?, ?, 0)
         ON CONFLICT(doc_id) DO UPDATE SET server_sv = excluded.server_sv,
           seq = MAX(seq, excluded.seq), dirty = MAX(0, dirty - ?)`,
      )
      .run(docId, Buffer.from(res.stateVector, 'base64'), res.seq, dirty);
  })();
  return received || update !== null;
}

/** Syncs every document with unsent local writes or changed on the server; returns how many changed. */
export async function syncDocs(
  ws: Workspace,
  client: SyncClient,
  at: string,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const { doc_cursor } = readState(ws.db);
  const list = await client.json('GET', `${paths.docs(ws.id)}?since=${doc_cursor}`, DocList);
  const ids = new Set<string>(
    (ws.db.prepare('SELECT doc_id FROM sync_docs WHERE dirty > 0').all() as { doc_id: string }[]).map(
      (r) => r.doc_id,
    ),
  );
  const seqOf = ws.db.prepare('SELECT seq FROM sync_docs WHERE doc_id = ?');
  for (const d of list.docs) {
    const known = seqOf.get(d.docId) as { seq: number } | undefined;
    if (!known || known.seq < d.seq) ids.add(d.docId);
  }
  let changed = 0;
  let done = 0;
  for (const id of ids) {
    if (await syncDoc(ws, client, id, at)) changed++;
    onProgress?.(++done, ids.size);
  }
  if (list.next !== doc_cursor) writeState(ws.db, { doc_cursor: list.next });
  return changed;
}
