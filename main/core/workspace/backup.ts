/**
 * Backup = one zip file: manifest.json, workspace.sqlite (a consistent VACUUM INTO copy) and
 * blobs/ab/<sha256>. Restore extracts into a staging folder, validates everything (manifest,
 * SQLite header, application id, schema version, integrity check, blob hashes) and only then
 * swaps it in; on any failure the current workspace is untouched.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { z } from 'zod';
import { inspectDbFile } from '../db/open';
import { readAt, readZipDirectory, ZipReader } from '../import/zip-reader';
import { AppError } from '../util/errors';
import { fileTimestamp, safeFileName } from '../util/names';
import { BLOBS_DIR, DB_FILE, Workspace } from './workspace';

export const BACKUP_FORMAT = 'credit-workbench-backup';
export const BACKUP_EXT = '.cwbak';

/** Default backup file name: <workspace name>-<YYYYMMDD-HHmmss>.cwbak */
export function backupFileName(workspaceName: string, at: Date): string {
  return `${safeFileName(workspaceName)}-${fileTimestamp(at)}${BACKUP_EXT}`;
}
const CHUNK = 1 << 20;

const Manifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(1),
  appVersion: z.string(),
  workspaceId: z.string(),
  workspaceName: z.string(),
  city: z.string(),
  schemaVersion: z.number().int(),
  createdAt: z.string(),
  blobCount: z.number().int(),
});
export type BackupManifest = z.infer<typeof Manifest>;

export type Progress = (done: number, total: number, message: string) => void;

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

function listBlobs(dir: string): string[] {
  const root = path.join(dir, BLOBS_DIR);
  if (!fs.existsSync(root)) return [];
  const out: string[] = [];
  for (const a of fs.readdirSync(root)) {
    if (!/^[0-9a-f]{2}$/.test(a)) continue;
    for (const b of fs.readdirSync(path.join(root, a))) {
      if (/^[0-9a-f]{64}$/.test(b) && b.startsWith(a)) out.push(`${a}/${b}`);
    }
  }
  return out.sort();
}

export async function backupWorkspace(
  ws: Workspace,
  file: string,
  appVersion: string,
  progress: Progress = () => {},
): Promise<{ bytes: number; blobs: number; createdAt: string; schemaVersion: number }> {
  // loaded here, not with the core: every start of the app and the CLI would pay for its tables
  const { Zip, ZipDeflate, ZipPassThrough } = await import('fflate');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmpDb = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.sqlite`);
  const tmpZip = `${file}.${process.pid}.part`;
  fs.rmSync(tmpDb, { force: true });
  const blobs = listBlobs(ws.dir);
  const summary = ws.summary();
  const createdAt = new Date().toISOString();
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    formatVersion: 1,
    appVersion,
    workspaceId: ws.id,
    workspaceName: summary.name,
    city: summary.city,
    schemaVersion: ws.schemaVersion(),
    createdAt,
    blobCount: blobs.length,
  };
  const total = blobs.length + 2;
  progress(0, total, '正在生成数据库快照…');
  ws.db.prepare('VACUUM INTO ?').run(tmpDb);

  const fd = fs.openSync(tmpZip, 'w');
  let failed: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failed = err;
    else fs.writeSync(fd, data);
  });
  const addFile = async (name: string, src: string, compress: boolean) => {
    const entry = compress ? new ZipDeflate(name, { level: 6 }) : new ZipPassThrough(name);
    zip.add(entry);
    const rfd = fs.openSync(src, 'r');
    try {
      const buf = Buffer.alloc(CHUNK);
      for (;;) {
        const n = fs.readSync(rfd, buf, 0, CHUNK, null);
        if (n === 0) break;
        entry.push(new Uint8Array(buf.subarray(0, n)), false);
        await yieldToLoop();
      }
      entry.push(new Uint8Array(0), true);
    } finally {
      fs.closeSync(rfd);
    }
  };
  try {
    const m = new ZipDeflate('manifest.json', { level: 6 });
    zip.add(m);
    m.push(new TextEncoder().encode(JSON.stringify(manifest, null, 2)), true);
    progress(1, total, '正在写入数据库…');
    await addFile(DB_FILE, tmpDb, true);
    for (let i = 0; i < blobs.length; i++) {
      const rel = blobs[i] as string;
      progress(2 + i, total, `正在写入附件 ${i + 1}/${blobs.length}…`);
      await addFile(`${BLOBS_DIR}/${rel}`, path.join(ws.dir, BLOBS_DIR, rel), false);
    }
    zip.end();
    if (failed) throw failed;
    fs.closeSync(fd);
    fs.renameSync(tmpZip, file);
  } catch (e) {
    try {
      fs.closeSync(fd);
    } catch {
      // already closed
    }
    fs.rmSync(tmpZip, { force: true });
    throw new AppError('IO_ERROR', `备份失败：${(e as Error).message}`);
  } finally {
    fs.rmSync(tmpDb, { force: true });
  }
  progress(total, total, '备份完成');
  return {
    bytes: fs.statSync(file).size,
    blobs: blobs.length,
    createdAt,
    schemaVersion: manifest.schemaVersion,
  };
}

const ENTRY_OK = /^(manifest\.json|workspace\.sqlite|blobs\/([0-9a-f]{2})\/\2[0-9a-f]{62})$/;

function notBackup(file: string, why: string): AppError {
  return new AppError(
    'BACKUP_INVALID',
    `「${path.basename(file)}」不是有效的工作台备份文件：${why}。当前工作区未做任何改动。`,
    {
      file,
    },
  );
}

/**
 * Extracts and validates a backup into `staging`; returns its manifest. Throws BACKUP_INVALID.
 *
 * Entries are found through the zip's central directory (offsets and sizes), never by scanning
 * the data for headers: attachments are stored uncompressed, and an attachment that is itself
 * a zip (.xlsx, .docx) would otherwise be mistaken for entries of the backup.
 */
export async function extractBackup(
  file: string,
  staging: string,
  opts: { nativeBinding?: string; progress?: Progress } = {},
): Promise<BackupManifest> {
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `找不到备份文件「${file}」。`);
  const size = fs.statSync(file).size;
  const handle = await fsp.open(file, 'r');
  let manifestText = '';
  const seen = new Set<string>();
  const hashes = new Map<string, string>();
  try {
    const head = await readAt(handle, 0, 4);
    if (size < 22 || head.length < 4 || head.readUInt32LE(0) !== 0x04034b50)
      throw notBackup(file, '文件不是 zip 格式');
    const entries = await readZipDirectory(handle, size);
    if (!entries) throw notBackup(file, '文件不完整（末尾缺失，可能未复制完整）');
    const reader = new ZipReader(handle, size, entries, {
      fileName: file,
      // a workspace database compresses far beyond any bomb ratio; sizes are still enforced per entry
      limits: { maxUnzipped: Number.MAX_SAFE_INTEGER, bombMinBytes: Infinity, bombRatio: Infinity },
      readChunk: CHUNK,
    });
    fs.mkdirSync(path.join(staging, BLOBS_DIR), { recursive: true });
    const total = entries.reduce((n, e) => n + Math.max(0, e.compressedSize), 0);
    let done = 0;
    for (const entry of entries) {
      if (!ENTRY_OK.test(entry.name) || seen.has(entry.name))
        throw notBackup(file, `包含不应有的条目「${entry.name}」`);
      if (entry.encrypted) throw notBackup(file, `条目「${entry.name}」已加密`);
      seen.add(entry.name);
      const isManifest = entry.name === 'manifest.json';
      const target = path.join(staging, ...entry.name.split('/'));
      if (!isManifest) fs.mkdirSync(path.dirname(target), { recursive: true });
      const fd = isManifest ? -1 : fs.openSync(target, 'w');
      const hash = entry.name.startsWith(`${BLOBS_DIR}/`) ? createHash('sha256') : null;
      const decoder = new TextDecoder();
      try {
        for await (const data of reader.chunks(entry)) {
          if (isManifest) manifestText += decoder.decode(data, { stream: true });
          else fs.writeSync(fd, data);
          hash?.update(data);
          await yieldToLoop();
        }
      } catch (e) {
        throw notBackup(
          file,
          `条目「${entry.name}」已损坏（${e instanceof AppError ? '数据不完整' : (e as Error).message}）`,
        );
      } finally {
        if (fd >= 0) fs.closeSync(fd);
      }
      if (hash) hashes.set(entry.name, hash.digest('hex'));
      done += Math.max(0, entry.compressedSize);
      opts.progress?.(done, total, '正在读取备份…');
    }
  } finally {
    await handle.close();
  }
  if (!seen.has('manifest.json')) throw notBackup(file, '缺少 manifest.json');
  if (!seen.has(DB_FILE)) throw notBackup(file, `缺少 ${DB_FILE}`);
  let manifest: BackupManifest;
  try {
    manifest = Manifest.parse(JSON.parse(manifestText));
  } catch {
    throw notBackup(file, 'manifest.json 内容不正确');
  }
  for (const [name, digest] of hashes) {
    if (!name.endsWith(digest)) throw notBackup(file, `附件「${name}」内容与其校验值不符`);
  }
  if (hashes.size !== manifest.blobCount)
    throw notBackup(file, `附件数量（${hashes.size}）与清单（${manifest.blobCount}）不符`);
  const dbFile = path.join(staging, DB_FILE);
  try {
    inspectDbFile(dbFile, { nativeBinding: opts.nativeBinding });
  } catch (e) {
    if (e instanceof AppError && e.code === 'DB_NEWER') throw e;
    throw notBackup(file, (e as Error).message);
  }
  let db: Database.Database | null = null;
  try {
    db = new Database(dbFile, { readonly: true, nativeBinding: opts.nativeBinding });
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw notBackup(file, `数据库完整性检查未通过（${String(check)}）`);
    const meta = db.prepare("SELECT value FROM meta WHERE key = 'workspace_id'").get() as
      { value: string } | undefined;
    if (meta?.value !== manifest.workspaceId) throw notBackup(file, '数据库与清单中的工作区标识不一致');
  } catch (e) {
    // SQLITE_CORRUPT, "no such table", … from a damaged or foreign database
    if (e instanceof AppError) throw e;
    throw notBackup(file, `数据库已损坏（${(e as Error).message}）`);
  } finally {
    db?.close();
  }
  return manifest;
}

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..+$/, '').replace('T', '-');
}

/**
 * Replaces the workspace in `dir` (if any) with the validated content of `staging`. The previous
 * content moves to `dir/.pre-restore-<time>/` so it can be recovered by hand. On failure, whatever
 * was moved is put back, so `dir` holds the previous content again.
 */
export function swapInRestored(dir: string, staging: string): string | null {
  fs.mkdirSync(dir, { recursive: true });
  const names = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, BLOBS_DIR];
  let keep: string | null = null;
  const movedAside: string[] = [];
  const movedIn: string[] = [];
  try {
    if (Workspace.exists(dir)) {
      // unique even for two restores within the same second
      keep = path.join(dir, `.pre-restore-${timestamp()}`);
      for (let i = 2; fs.existsSync(keep); i++) keep = path.join(dir, `.pre-restore-${timestamp()}-${i}`);
      fs.mkdirSync(keep);
      for (const n of names) {
        const p = path.join(dir, n);
        if (fs.existsSync(p)) {
          fs.renameSync(p, path.join(keep, n));
          movedAside.push(n);
        }
      }
    }
    for (const n of [DB_FILE, BLOBS_DIR]) {
      fs.renameSync(path.join(staging, n), path.join(dir, n));
      movedIn.push(n);
    }
  } catch (e) {
    // put the previous content back (only what was actually moved)
    for (const n of movedIn) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
    if (keep) {
      for (const n of movedAside) fs.renameSync(path.join(keep, n), path.join(dir, n));
      fs.rmSync(keep, { recursive: true, force: true });
    }
    throw new AppError('IO_ERROR', `恢复失败，已保留原工作区：${(e as Error).message}`);
  }
  fs.rmSync(staging, { recursive: true, force: true });
  return keep;
}

/** Undo of swapInRestored when the restored workspace then fails to open. */
export function undoSwap(dir: string, keep: string | null): void {
  for (const n of [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, BLOBS_DIR]) {
    fs.rmSync(path.join(dir, n), { recursive: true, force: true });
  }
  if (!keep) return;
  for (const n of fs.readdirSync(keep)) fs.renameSync(path.join(keep, n), path.join(dir, n));
  fs.rmSync(keep, { recursive: true, force: true });
}
