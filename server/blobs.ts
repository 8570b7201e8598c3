/**
 * Blobs by sha256: complete files live content-addressed under <data>/blobs/ab/<sha256> (shared by
 * workspaces); a workspace may read one only after one of its members uploaded it (ownership row).
 * Uploads are resumable: chunks are appended at the offset the server holds (uploads table +
 * <data>/uploads/<workspace>-<sha256>.part); the last chunk completes the upload after the hash
 * is checked.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sha256hex } from '../main/core/util/ids';
import { nowIso, type ServerDb } from './db';
import { formatBytes, HttpError } from './errors';

export interface BlobState {
  /** Size when the workspace has the complete blob. */
  size: number | null;
  /** Bytes of an interrupted upload (0 when none). */
  offset: number;
}

interface UploadRow {
  size: number;
  offset: number;
  temp_file: string;
}

export class BlobStore {
  private readonly blobsDir: string;
  private readonly uploadsDir: string;
  /** Uploads being hashed and moved into place right now (workspace + sha256). */
  private readonly completing = new Set<string>();

  constructor(
    private readonly db: ServerDb,
    dataDir: string,
    readonly maxBlobBytes: number,
  ) {
    this.blobsDir = path.join(dataDir, 'blobs');
    this.uploadsDir = path.join(dataDir, 'uploads');
    fs.mkdirSync(this.blobsDir, { recursive: true });
    fs.mkdirSync(this.uploadsDir, { recursive: true });
  }

  filePath(sha256: string): string {
    return path.join(this.blobsDir, sha256.slice(0, 2), sha256);
  }

  private ownedSize(ws: string, sha256: string): number | null {
    const row = this.db
      .prepare('SELECT size FROM blobs WHERE workspace_id = ? AND sha256 = ?')
      .get(ws, sha256) as { size: number } | undefined;
    if (!row || !fs.existsSync(this.filePath(sha256))) return null;
    return row.size;
  }

  private upload(ws: string, sha256: string): UploadRow | null {
    return (
      (this.db
        .prepare('SELECT size, offset, temp_file FROM uploads WHERE workspace_id = ? AND sha256 = ?')
        .get(ws, sha256) as UploadRow | undefined) ?? null
    );
  }

  state(ws: string, sha256: string): BlobState {
    const size = this.ownedSize(ws, sha256);
    if (size !== null) return { size, offset: size };
    return { size: null, offset: this.upload(ws, sha256)?.offset ?? 0 };
  }

  /** The file of a complete blob the workspace may read, or null. */
  readable(ws: string, sha256: string): { file: string; size: number } | null {
    const size = this.ownedSize(ws, sha256);
    return size === null ? null : { file: this.filePath(sha256), size };
  }

  private dropUpload(ws: string, sha256: string, row: UploadRow | null): void {
    if (row) fs.rmSync(path.join(this.uploadsDir, row.temp_file), { force: true });
    this.db.prepare('DELETE FROM uploads WHERE workspace_id = ? AND sha256 = ?').run(ws, sha256);
  }

  private offsetConflict(current: number, message: string): HttpError {
    return new HttpError(409, 'BAD_REQUEST', message, { 'upload-offset': String(current) });
  }

  /** Appends one chunk at `offset` of an upload of `size` bytes; completes it when full. */
  async put(
    ws: string,
    sha256: string,
    offset: number,
    size: number,
    chunk: Buffer,
    now: number,
  ): Promise<{ sha256: string; offset: number; complete: boolean }> {
    if (size > this.maxBlobBytes) {
      throw new HttpError(
        413,
        'PAYLOAD_TOO_LARGE',
        `附件大小 ${formatBytes(size)} 超过服务器上限 ${formatBytes(this.maxBlobBytes)}，未上传。请压缩或拆分该文件，或请管理员调高上限。`,
      );
    }
    const owned = this.ownedSize(ws, sha256);
    if (owned !== null) return { sha256, offset: owned, complete: true };
    const key = `${ws}\u0000${sha256}`;
    let row = this.upload(ws, sha256);
    if (this.completing.has(key)) {
      throw this.offsetConflict(row?.offset ?? size, '该附件正在服务器上校验，请稍后查询上传进度后继续。');
    }
    if (row && row.size !== size) {
      if (offset !== 0) {
        throw this.offsetConflict(
          row.offset,
          `附件声明的大小（${size} 字节）与之前中断的上传（${row.size} 字节）不一致。请从头（offset=0）重新上传。`,
        );
      }
      this.dropUpload(ws, sha256, row);
      row = null;
    }
    const current = row?.offset ?? 0;
    if (offset !== current) {
      throw this.offsetConflict(
        current,
        `上传位置不一致：服务器已收到该附件的 ${current} 字节，请求却从第 ${offset} 字节开始。请从 ${current} 字节处继续上传。`,
      );
    }
    if (offset + chunk.length > size) {
      throw new HttpError(
        400,
        'BAD_REQUEST',
        `上传的数据超出了声明的附件大小（${size} 字节）。请检查 size 参数后从 ${current} 字节处继续。`,
      );
    }
    const tempFile = row?.temp_file ?? `${sha256hex(ws).slice(0, 16)}-${sha256}.part`;
    const tempPath = path.join(this.uploadsDir, tempFile);
    const end = offset + chunk.length;
    if (chunk.length > 0 || !row) {
      const fd = fs.openSync(tempPath, fs.existsSync(tempPath) ? 'r+' : 'w');
      try {
        if (chunk.length > 0) fs.writeSync(fd, chunk, 0, chunk.length, offset);
        fs.ftruncateSync(fd, end);
      } finally {
        fs.closeSync(fd);
      }
      const at = nowIso(now);
      this.db
        .prepare(
          `INSERT INTO uploads (workspace_id, sha256, size, offset, temp_file, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (workspace_id, sha256) DO UPDATE SET offset = excluded.offset, updated_at = excluded.updated_at`,
        )
        .run(ws, sha256, size, end, tempFile, at, at);
    }
    if (end < size) return { sha256, offset: end, complete: false };

    this.completing.add(key);
    try {
      const hash = createHash('sha256');
      await pipeline(fs.createReadStream(tempPath), hash);
      const actual = hash.digest('hex');
      if (actual !== sha256) {
        this.dropUpload(ws, sha256, { size, offset: end, temp_file: tempFile });
        throw new HttpError(
          422,
          'HASH_MISMATCH',
          `附件内容与其校验值不符（应为 ${sha256.slice(0, 12)}…，实际 ${actual.slice(0, 12)}…），服务器已丢弃这次上传。文件可能在上传过程中被修改或损坏，请重新上传。`,
        );
      }
      const target = this.filePath(sha256);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      if (fs.existsSync(target)) fs.rmSync(tempPath, { force: true });
      else fs.renameSync(tempPath, target);
      this.db.transaction(() => {
        this.db
          .prepare('INSERT OR IGNORE INTO blobs (workspace_id, sha256, size, created_at) VALUES (?, ?, ?, ?)')
          .run(ws, sha256, size, nowIso(now));
        this.db.prepare('DELETE FROM uploads WHERE workspace_id = ? AND sha256 = ?').run(ws, sha256);
      })();
      return { sha256, offset: size, complete: true };
    } finally {
      this.completing.delete(key);
    }
  }
}
