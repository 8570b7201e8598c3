/**
 * Yjs document sync by state vector, on bytes only (no Y.Doc): the stored state is one merged
 * update (Yjs V1); a client's update is merged in with Y.mergeUpdates and the answer is
 * Y.diffUpdate(state, clientStateVector).
 */
import * as Y from 'yjs';
import { nowIso, type ServerDb } from './db';
import { HttpError } from './errors';

/** The empty Yjs V1 update (no structs, empty delete set). */
const EMPTY_UPDATE = new Uint8Array([0, 0]);

export interface DocSyncOutcome {
  update: Uint8Array;
  stateVector: Uint8Array;
  seq: number;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return (
    a.length === b.length &&
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.length),
      Buffer.from(b.buffer, b.byteOffset, b.length),
    ) === 0
  );
}

function nextDocSeq(db: ServerDb): number {
  db.prepare("UPDATE sequences SET value = value + 1 WHERE name = 'doc'").run();
  return (db.prepare("SELECT value FROM sequences WHERE name = 'doc'").get() as { value: number }).value;
}

export function syncDoc(
  db: ServerDb,
  workspaceId: string,
  docId: string,
  clientStateVector: Uint8Array,
  clientUpdate: Uint8Array | null,
  now: number,
): DocSyncOutcome {
  try {
    Y.decodeStateVector(clientStateVector);
  } catch {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `文档「${docId}」的状态向量（stateVector）已损坏，无法同步。请重新打开该文档后再同步。`,
    );
  }
  if (clientUpdate) {
    try {
      Y.decodeUpdate(clientUpdate);
    } catch {
      throw new HttpError(
        400,
        'BAD_REQUEST',
        `文档「${docId}」上传的修改内容（update）已损坏，服务器没有保存。请在本机检查该文档能否正常打开，然后重新同步。`,
      );
    }
  }
  return db.transaction((): DocSyncOutcome => {
    const row = db
      .prepare('SELECT state, seq FROM docs WHERE workspace_id = ? AND doc_id = ?')
      .get(workspaceId, docId) as { state: Buffer; seq: number } | undefined;
    const current: Uint8Array = row ? new Uint8Array(row.state) : EMPTY_UPDATE;
    let state = current;
    let seq = row?.seq ?? 0;
    if (clientUpdate && clientUpdate.length > 0) {
      let merged: Uint8Array;
      try {
        merged = row ? Y.mergeUpdates([current, clientUpdate]) : Y.mergeUpdates([clientUpdate]);
      } catch {
        throw new HttpError(
          400,
          'BAD_REQUEST',
          `文档「${docId}」上传的修改内容无法与服务器上的版本合并，服务器没有保存。请重新同步；如仍失败请联系管理员。`,
        );
      }
      if (!row || !sameBytes(merged, current)) {
        state = merged;
        seq = nextDocSeq(db);
        db.prepare(
          `INSERT INTO docs (workspace_id, doc_id, state, seq, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (workspace_id, doc_id) DO UPDATE SET state = excluded.state, seq = excluded.seq,
             updated_at = excluded.updated_at`,
        ).run(workspaceId, docId, Buffer.from(state), seq, nowIso(now));
      }
    }
    return {
      update: Y.diffUpdate(state, clientStateVector),
      stateVector: Y.encodeStateVectorFromUpdate(state),
      seq,
    };
  })();
}

export function listDocs(
  db: ServerDb,
  workspaceId: string,
  since: number,
): { docs: { docId: string; seq: number }[]; next: number } {
  const docs = db
    .prepare('SELECT doc_id AS docId, seq FROM docs WHERE workspace_id = ? AND seq > ? ORDER BY seq')
    .all(workspaceId, since) as { docId: string; seq: number }[];
  const last = docs[docs.length - 1];
  return { docs, next: last ? last.seq : since };
}
