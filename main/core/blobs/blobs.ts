/**
 * Content-addressed file store beside the workspace database: blobs/ab/<sha256>. A file added
 * twice is stored once. Backups carry the whole folder; sync will move blobs by hash.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../util/errors';
import { BLOBS_DIR } from '../workspace/workspace';

export const MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024;

export function blobPath(wsDir: string, sha: string): string {
  if (!/^[0-9a-f]{64}$/.test(sha)) throw new AppError('BAD_INPUT', '附件校验值格式不正确。');
  return path.join(wsDir, BLOBS_DIR, sha.slice(0, 2), sha);
}

export function hasBlob(wsDir: string, sha: string): boolean {
  return fs.existsSync(blobPath(wsDir, sha));
}

/** Copies a file into the store (hashing while copying); returns its hash and size. */
export function putFile(wsDir: string, src: string): { sha256: string; size: number } {
  const name = path.basename(src);
  let st: fs.Stats;
  try {
    st = fs.statSync(src);
  } catch {
    throw new AppError('NOT_FOUND', `找不到文件「${src}」，无法作为附件添加。`, { file: src });
  }
  if (!st.isFile()) throw new AppError('BAD_INPUT', `「${name}」不是文件，无法作为附件添加。`, { file: src });
  if (st.size > MAX_ATTACHMENT_BYTES) {
    throw new AppError(
      'BAD_INPUT',
      `「${name}」有 ${(st.size / 1048576).toFixed(0)} MB，超过附件上限 200 MB。`,
      { file: src },
    );
  }
  const tmpDir = path.join(wsDir, BLOBS_DIR, 'tmp');
  fs.mkdirSync(tmpDir, { recursive: true });
  const tmp = path.join(tmpDir, randomBytes(8).toString('hex'));
  const hash = createHash('sha256');
  let rfd: number;
  try {
    rfd = fs.openSync(src, 'r');
  } catch (e) {
    throw new AppError(
      'IO_ERROR',
      `无法读取文件「${name}」：${(e as NodeJS.ErrnoException).code === 'EACCES' ? '没有读取权限' : (e as Error).message}`,
      {
        file: src,
      },
    );
  }
  const wfd = fs.openSync(tmp, 'w');
  let size = 0;
  try {
    const buf = Buffer.alloc(1 << 20);
    for (;;) {
      let n: number;
      try {
        n = fs.readSync(rfd, buf, 0, buf.length, null);
      } catch (e) {
        throw new AppError('IO_ERROR', `读取文件「${name}」时出错：${(e as Error).message}`, { file: src });
      }
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
      fs.writeSync(wfd, buf, 0, n);
      size += n;
    }
  } catch (e) {
    fs.closeSync(wfd);
    fs.rmSync(tmp, { force: true });
    throw e;
  } finally {
    fs.closeSync(rfd);
  }
  fs.closeSync(wfd);
  const sha256 = hash.digest('hex');
  const dest = blobPath(wsDir, sha256);
  if (fs.existsSync(dest)) fs.rmSync(tmp, { force: true });
  else {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.renameSync(tmp, dest);
  }
  return { sha256, size };
}

export function putBuffer(wsDir: string, data: Uint8Array): { sha256: string; size: number } {
  const sha256 = createHash('sha256').update(data).digest('hex');
  const dest = blobPath(wsDir, sha256);
  if (!fs.existsSync(dest)) {
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    const tmp = `${dest}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, dest);
  }
  return { sha256, size: data.byteLength };
}

export function readBlob(wsDir: string, sha: string): Buffer {
  const p = blobPath(wsDir, sha);
  if (!fs.existsSync(p)) throw new AppError('NOT_FOUND', '附件文件不在本机（可能尚未从其他电脑同步过来）。');
  return fs.readFileSync(p);
}

const MIME: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.bmp': 'image/bmp',
  '.pdf': 'application/pdf',
  '.doc': 'application/msword',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.ppt': 'application/vnd.ms-powerpoint',
  '.pptx': 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  '.wps': 'application/vnd.ms-works',
  '.ofd': 'application/ofd',
  '.txt': 'text/plain',
  '.csv': 'text/csv',
  '.zip': 'application/zip',
  '.rar': 'application/vnd.rar',
  '.mp4': 'video/mp4',
};

export function mimeOf(fileName: string): string {
  return MIME[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}
