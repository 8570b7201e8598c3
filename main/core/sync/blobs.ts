/**
 * Attachment (blob) transfers, on their own queue so a large file never blocks records or
 * documents: every local blob (attachments, document pictures, version and weekly snapshots) not
 * yet on the server is uploaded — HEAD tells how much of an interrupted upload the server holds,
 * PUT continues from there in chunks — within a time budget per run; a failure backs off per blob.
 * Downloads are lazy: a pulled attachment's file is fetched when opened (and in the background
 * within a budget); its sha256 is checked before it is stored.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { blobPath, hasBlob, putBuffer } from '../blobs/blobs';
import type { Workspace } from '../workspace/workspace';
import { BLOBS_DIR } from '../workspace/workspace';
import { isTransient, syncError, syncKind, type SyncClient } from './client';
import { BlobHead, BlobPutResult, paths } from './protocol';
import { parseJson } from './client';

export const CHUNK_BYTES = 4 * 1024 * 1024;
const MAX_BACKOFF_MS = 60 * 60 * 1000;

const SHA = /^[0-9a-f]{64}$/;

/** Hashes referenced by synced records (attachments, versions, weekly snapshots). */
export function referencedBlobs(ws: Workspace): Set<string> {
  const rows = ws.db
    .prepare(
      `SELECT sha256 AS s FROM attachments WHERE deleted = 0
       UNION SELECT snapshot_sha FROM doc_versions WHERE deleted = 0
       UNION SELECT snapshot_sha FROM dispatch_weeks WHERE deleted = 0`,
    )
    .all() as { s: string | null }[];
  return new Set(rows.flatMap((r) => (r.s && SHA.test(r.s) ? [r.s] : [])));
}

/** Hashes of the blob files on this laptop (document pictures are referenced only inside documents). */
export function localBlobs(ws: Workspace): string[] {
  const root = path.join(ws.dir, BLOBS_DIR);
  const out: string[] = [];
  let dirs: string[];
  try {
    dirs = fs.readdirSync(root);
  } catch {
    return out;
  }
  for (const d of dirs) {
    if (!/^[0-9a-f]{2}$/.test(d)) continue;
    for (const f of fs.readdirSync(path.join(root, d))) if (SHA.test(f) && f.startsWith(d)) out.push(f);
  }
  return out;
}

function uploadedSet(ws: Workspace): Set<string> {
  return new Set(
    (ws.db.prepare('SELECT sha256 FROM sync_blobs WHERE uploaded = 1').all() as { sha256: string }[]).map(
      (r) => r.sha256,
    ),
  );
}

/** Blobs on this laptop not yet on the server. */
export function pendingUploads(ws: Workspace): string[] {
  const done = uploadedSet(ws);
  return localBlobs(ws).filter((s) => !done.has(s));
}

function markUploaded(ws: Workspace, sha: string): void {
  ws.db
    .prepare(
      `INSERT INTO sync_blobs (sha256, uploaded, attempts, next_at, error) VALUES (?, 1, 0, 0, NULL)
       ON CONFLICT(sha256) DO UPDATE SET uploaded = 1, attempts = 0, next_at = 0, error = NULL`,
    )
    .run(sha);
}

function markFailed(ws: Workspace, sha: string, now: number, message: string): void {
  const row = ws.db.prepare('SELECT attempts FROM sync_blobs WHERE sha256 = ?').get(sha) as
    { attempts: number } | undefined;
  const attempts = (row?.attempts ?? 0) + 1;
  const wait = Math.min(MAX_BACKOFF_MS, 5000 * 2 ** (attempts - 1));
  ws.db
    .prepare(
      `INSERT INTO sync_blobs (sha256, uploaded, attempts, next_at, error) VALUES (?, 0, ?, ?, ?)
       ON CONFLICT(sha256) DO UPDATE SET attempts = excluded.attempts, next_at = excluded.next_at, error = excluded.error`,
    )
    .run(sha, attempts, now + wait, message);
}

/** Bytes of an interrupted upload the server holds, or 'complete'. */
async function serverOffset(ws: Workspace, client: SyncClient, sha: string): Promise<number | 'complete'> {
  const res = await client.request('HEAD', paths.blob(ws.id, sha), { accept: [404] });
  const header = res.headers.get(BlobHead.uploadOffset);
  const offset = header === null ? 0 : Number(header);
  if (res.status === 200 && (header === null || res.headers.get(BlobHead.length) === header))
    return 'complete';
  return Number.isFinite(offset) && offset >= 0 ? offset : 0;
}

/** Uploads one blob, resuming from what the server holds. */
export async function uploadBlob(
  ws: Workspace,
  client: SyncClient,
  sha: string,
  chunkBytes = CHUNK_BYTES,
): Promise<void> {
  const file = blobPath(ws.dir, sha);
  const size = fs.statSync(file).size;
  let offset = await serverOffset(ws, client, sha);
  if (offset === 'complete') return;
  if (offset > size) offset = 0;
  const fd = fs.openSync(file, 'r');
  try {
    for (let guard = 0; guard < 100_000; guard++) {
      const len = Math.min(chunkBytes, size - offset);
      const chunk = Buffer.alloc(len);
      if (len > 0) fs.readSync(fd, chunk, 0, len, offset);
      const res = await client.request('PUT', `${paths.blob(ws.id, sha)}?offset=${offset}&size=${size}`, {
        body: chunk,
        accept: [409],
      });
      if (res.status === 409) {
        // the server holds a different amount (a chunk of ours was lost or duplicated): continue there
        const held = Number(res.headers.get(BlobHead.uploadOffset));
        if (!Number.isFinite(held) || held < 0 || held > size || held === offset)
          throw syncError('BAD_RESPONSE', '附件上传位置与服务器不一致，稍后重新上传。');
        offset = held;
        continue;
      }
      const r = parseJson(BlobPutResult, res.body, 'PUT blob');
      if (r.complete) return;
      offset = r.offset;
    }
  } finally {
    fs.closeSync(fd);
  }
  throw syncError('BAD_RESPONSE', '附件上传未能完成，稍后重试。');
}

export interface BlobRunResult {
  up: number;
  down: number;
  failed: number;
  /** An error that concerns every blob (e.g. the token), surfaced to the user. */
  fatal: unknown;
}

/** Uploads pending blobs (within `budgetMs`); never throws for one blob's failure. */
export async function uploadBlobs(
  ws: Workspace,
  client: SyncClient,
  opts: { now: () => number; budgetMs: number },
): Promise<BlobRunResult> {
  const start = Date.now();
  const result: BlobRunResult = { up: 0, down: 0, failed: 0, fatal: null };
  const waiting = new Map(
    (
      ws.db.prepare('SELECT sha256, next_at FROM sync_blobs WHERE uploaded = 0').all() as {
        sha256: string;
        next_at: number;
      }[]
    ).map((r) => [r.sha256, r.next_at]),
  );
  for (const sha of pendingUploads(ws)) {
    if (Date.now() - start > opts.budgetMs) break;
    if ((waiting.get(sha) ?? 0) > opts.now()) continue;
    try {
      await uploadBlob(ws, client, sha);
      markUploaded(ws, sha);
      result.up++;
    } catch (e) {
      const kind = syncKind(e);
      if (kind === 'UNAUTHORIZED' || kind === 'FORBIDDEN' || kind === 'VERSION' || kind === 'OFFLINE') {
        result.fatal = e;
        break;
      }
      markFailed(ws, sha, opts.now(), e instanceof Error ? e.message : String(e));
      result.failed++;
    }
  }
  return result;
}

/** Downloads one blob (hash checked) into the local store. */
export async function downloadBlob(ws: Workspace, client: SyncClient, sha: string): Promise<void> {
  const res = await client.request('GET', paths.blob(ws.id, sha));
  const got = createHash('sha256').update(res.body).digest('hex');
  if (got !== sha) {
    throw syncError('HASH_MISMATCH', '从服务器下载的附件内容与校验值不符，未保存，稍后重新下载。');
  }
  putBuffer(ws.dir, res.body);
  markUploaded(ws, sha);
}

/** Referenced blobs missing here, downloaded in the background within `budgetMs`. */
export async function downloadMissing(
  ws: Workspace,
  client: SyncClient,
  budgetMs: number,
): Promise<{ down: number; failed: number; fatal: unknown }> {
  const start = Date.now();
  let down = 0;
  let failed = 0;
  for (const sha of referencedBlobs(ws)) {
    if (Date.now() - start > budgetMs) break;
    if (hasBlob(ws.dir, sha)) continue;
    try {
      await downloadBlob(ws, client, sha);
      down++;
    } catch (e) {
      const kind = syncKind(e);
      if (!isTransient(e) && kind !== 'NOT_FOUND' && kind !== 'HASH_MISMATCH')
        return { down, failed, fatal: e };
      if (kind === 'OFFLINE') return { down, failed, fatal: e };
      failed++;
    }
  }
  return { down, failed, fatal: null };
}
