/**
 * Attachments: a row linking a stored blob to a record (a task, a progress feedback entry, a
 * rectification item). Files come from a path on this machine (desktop dialog, CLI) or from an
 * upload sent in chunks by the renderer (browser or desktop file picker).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';
import { MAX_COMPLIANCE_FILE_BYTES } from '../import/zip-reader';
import { blobPath, mimeOf, putFile, readBlob } from './blobs';

export const OWNER_TYPES = [
  'task',
  'feedback',
  'rectification',
  'material',
  'evidence',
  'compliance_run',
] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

const OWNER_TABLE: Record<OwnerType, { table: string; label: string }> = {
  task: { table: 'tasks', label: '任务' },
  feedback: { table: 'task_feedback', label: '进展反馈' },
  rectification: { table: 'rectifications', label: '整改事项' },
  material: { table: 'materials', label: '材料' },
  evidence: { table: 'indicator_evidence', label: '佐证清单项' },
  compliance_run: { table: 'compliance_runs', label: '合规检查' },
};

export interface AttachmentView {
  id: string;
  ownerType: OwnerType;
  ownerId: string;
  sha256: string;
  name: string;
  size: number;
  mime: string;
  createdAt: string;
  /** The file is on this machine (it may still be on another laptop before sync). */
  available: boolean;
}

interface Row {
  id: string;
  owner_type: OwnerType;
  owner_id: string;
  sha256: string;
  name: string;
  size: number;
  mime: string;
  created_at: string;
}

function toView(ws: Workspace, r: Row): AttachmentView {
  return {
    id: r.id,
    ownerType: r.owner_type,
    ownerId: r.owner_id,
    sha256: r.sha256,
    name: r.name,
    size: r.size,
    mime: r.mime,
    createdAt: r.created_at,
    available: fs.existsSync(blobPath(ws.dir, r.sha256)),
  };
}

export function assertOwner(ws: Workspace, ownerType: OwnerType, ownerId: string): void {
  const o = OWNER_TABLE[ownerType];
  const row = ws.db.prepare(`SELECT 1 FROM ${o.table} WHERE id = ? AND deleted = 0`).get(ownerId);
  if (!row) throw new AppError('NOT_FOUND', `要添加附件的${o.label}不存在或已被删除。`);
}

/** Stores a file and links it to a record, in one transaction for the row. */
export function attachFile(
  ws: Workspace,
  ownerType: OwnerType,
  ownerId: string,
  src: string,
  displayName?: string,
): AttachmentView {
  assertOwner(ws, ownerType, ownerId);
  const { sha256, size } = putFile(ws.dir, src);
  const name = (displayName ?? path.basename(src)).slice(0, 200);
  const { value: id } = ws.writer.transact(ws.actor(), (tx) =>
    tx.insert('attachment', {
      owner_type: ownerType,
      owner_id: ownerId,
      sha256,
      name,
      size,
      mime: mimeOf(name),
    }),
  );
  return getAttachment(ws, id);
}

export function getAttachment(ws: Workspace, id: string): AttachmentView {
  const r = ws.db.prepare('SELECT * FROM attachments WHERE id = ? AND deleted = 0').get(id) as
    Row | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该附件不存在或已被删除。');
  return toView(ws, r);
}

export function listAttachments(
  ws: Workspace,
  ownerType: OwnerType,
  ownerIds: readonly string[],
): AttachmentView[] {
  if (ownerIds.length === 0) return [];
  const rows = ws.db
    .prepare(
      `SELECT * FROM attachments WHERE owner_type = ? AND deleted = 0 AND owner_id IN (${ownerIds
        .map(() => '?')
        .join(', ')}) ORDER BY created_at, id`,
    )
    .all(ownerType, ...ownerIds) as Row[];
  return rows.map((r) => toView(ws, r));
}

export const MAX_READ_BYTES = 50 * 1024 * 1024;

export function readAttachment(
  ws: Workspace,
  id: string,
): { name: string; mime: string; size: number; data: Buffer } {
  const a = getAttachment(ws, id);
  if (a.size > MAX_READ_BYTES) {
    throw new AppError(
      'BAD_INPUT',
      `「${a.name}」较大（${(a.size / 1048576).toFixed(0)} MB），无法在此预览，请用“打开”在系统程序中查看。`,
    );
  }
  return { name: a.name, mime: a.mime, size: a.size, data: readBlob(ws.dir, a.sha256) };
}

/** A copy of the file under its own name (so the system picks the right program). */
export function exportAttachmentCopy(ws: Workspace, id: string, dir: string): string {
  const a = getAttachment(ws, id);
  const src = blobPath(ws.dir, a.sha256);
  if (!fs.existsSync(src))
    throw new AppError('NOT_FOUND', `附件「${a.name}」的文件不在本机（可能尚未同步）。`);
  const out = path.join(dir, randomBytes(4).toString('hex'), a.name.replace(/[\\/:*?"<>|]/g, '_'));
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.copyFileSync(src, out);
  return out;
}

export function removeAttachment(ws: Workspace, id: string): void {
  getAttachment(ws, id);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('attachment', id);
  });
}

// ---------- chunked uploads (renderer → core) ----------

export const MAX_CHUNK_BYTES = 4 * 1024 * 1024;

function uploadsDir(dataDir: string): string {
  return path.join(dataDir, 'tmp', 'uploads');
}

export function uploadFile(dataDir: string, uploadId: string): string {
  if (!/^[0-9a-f]{32}$/.test(uploadId)) throw new AppError('BAD_INPUT', '上传标识不正确。');
  return path.join(uploadsDir(dataDir), uploadId);
}

/**
 * Largest upload: the largest file any command takes (a data-compliance file); each command
 * then applies its own limit (attachments 200 MB, task workbooks 20 MB) with its own message.
 */
export const MAX_UPLOAD_BYTES = MAX_COMPLIANCE_FILE_BYTES;

/** Appends a base64 chunk to an upload (a new one when uploadId is null); returns id and size so far. */
export function appendUpload(
  dataDir: string,
  uploadId: string | null,
  base64: string,
): { uploadId: string; size: number } {
  const id = uploadId ?? randomBytes(16).toString('hex');
  const file = uploadFile(dataDir, id);
  if (uploadId && !fs.existsSync(file)) throw new AppError('NOT_FOUND', '上传已过期，请重新选择文件。');
  const data = Buffer.from(base64, 'base64');
  if (data.length > MAX_CHUNK_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', '上传分块过大。');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.appendFileSync(file, data);
  const size = fs.statSync(file).size;
  if (size > MAX_UPLOAD_BYTES) {
    fs.rmSync(file, { force: true });
    throw new AppError('BAD_INPUT', `文件超过上传上限 ${MAX_UPLOAD_BYTES / 1024 ** 3} GB。`);
  }
  return { uploadId: id, size };
}

export function discardUpload(dataDir: string, uploadId: string): void {
  fs.rmSync(uploadFile(dataDir, uploadId), { force: true });
}
