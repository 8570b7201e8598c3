/**
 * Named versions of a document: the whole Yjs state at that moment, kept as a content-addressed
 * blob (so it backs up and syncs like any attachment), with who saved it and when. Viewing a
 * version reads the blob; restoring writes the version's content as a new change, after saving
 * the current content as a version of its own, so nothing is ever lost.
 */
import * as Y from 'yjs';
import { putBuffer, readBlob } from '../blobs/blobs';
import type { DocVersion } from '../contract/materials';
import { replaceContent } from '../materials/materials';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';
import { docToJson, plainText, type PmNode } from './pm';
import { loadDoc } from './store';

interface Row {
  id: string;
  doc_id: string;
  name: string;
  author: string;
  chars: number;
  created_at: string;
  snapshot_sha: string;
}

const toView = (r: Row): DocVersion => ({
  id: r.id,
  docId: r.doc_id,
  name: r.name,
  author: r.author,
  chars: r.chars,
  createdAt: r.created_at,
});

export function saveVersion(ws: Workspace, docId: string, name: string): DocVersion {
  const { doc } = loadDoc(ws, docId);
  const state = Y.encodeStateAsUpdate(doc);
  const chars = plainText(docToJson(doc)).replace(/\s/g, '').length;
  doc.destroy();
  const { sha256 } = putBuffer(ws.dir, state);
  const actor = ws.actor();
  const { value: id } = ws.writer.transact(actor, (tx) =>
    tx.insert('doc_version', { doc_id: docId, name, author: actor.name, snapshot_sha: sha256, chars }),
  );
  return getVersion(ws, id);
}

function row(ws: Workspace, id: string): Row {
  const r = ws.db.prepare('SELECT * FROM doc_versions WHERE id = ? AND deleted = 0').get(id) as
    Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该版本不存在或已被删除。');
  return r;
}

export function getVersion(ws: Workspace, id: string): DocVersion {
  return toView(row(ws, id));
}

export function listVersions(ws: Workspace, docId: string): DocVersion[] {
  const rows = ws.db
    .prepare('SELECT * FROM doc_versions WHERE doc_id = ? AND deleted = 0 ORDER BY created_at DESC, id DESC')
    .all(docId) as Row[];
  return rows.map(toView);
}

export function versionJson(ws: Workspace, id: string): PmNode {
  const r = row(ws, id);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, new Uint8Array(readBlob(ws.dir, r.snapshot_sha)));
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('BAD_INPUT', `版本「${r.name}」的内容已损坏，无法打开。`);
  }
  const json = docToJson(doc);
  doc.destroy();
  return json;
}

/** Restores a version as a new change; the content before it is saved as a version first. */
export function restoreVersion(
  ws: Workspace,
  id: string,
  now: Date,
): { update: Uint8Array; backup: DocVersion } {
  const r = row(ws, id);
  const json = versionJson(ws, id);
  const backup = saveVersion(ws, r.doc_id, `恢复「${r.name}」之前的内容`);
  const update = replaceContent(ws, r.doc_id, json, now.toISOString(), ws.actor().id);
  return { update, backup };
}
