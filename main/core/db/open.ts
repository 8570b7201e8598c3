import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../util/errors';
import { LATEST_VERSION, migrations, type Migration } from './migrations/index';

export type Db = Database.Database;

/** PRAGMA application_id of every workspace file ("CWB1"); tells ours from any other SQLite file. */
export const APPLICATION_ID = 0x43574231;
const SQLITE_MAGIC = 'SQLite format 3\u0000';

export interface OpenOptions {
  /** Path of better_sqlite3.node to load (the Electron build); default: the package's own. */
  nativeBinding?: string;
  /** Create an empty workspace database if the file does not exist. */
  create?: boolean;
  /** Run pending migrations (default true). */
  migrate?: boolean;
  /** Override the migration list (tests). */
  migrations?: readonly Migration[];
}

export interface OpenResult {
  db: Db;
  /** File written before migrating, if a migration ran on an existing database. */
  preMigrationBackup: string | null;
  fromVersion: number;
}

function isSqliteFile(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = fs.readSync(fd, buf, 0, 16, 0);
    return n === 16 && buf.toString('latin1') === SQLITE_MAGIC;
  } finally {
    fs.closeSync(fd);
  }
}

/** Checks that a file is a workspace database of a version this program can open; throws AppError otherwise. */
export function inspectDbFile(file: string, opts: { nativeBinding?: string; latest?: number } = {}): number {
  const name = path.basename(file);
  if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `找不到文件「${file}」。`);
  const st = fs.statSync(file);
  if (!st.isFile() || st.size === 0 || !isSqliteFile(file)) {
    throw new AppError('NOT_A_WORKSPACE', `「${name}」不是工作区数据库文件（不是 SQLite 数据库）。`, {
      file,
    });
  }
  let db: Db | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true, nativeBinding: opts.nativeBinding });
    const appId = db.pragma('application_id', { simple: true }) as number;
    const version = db.pragma('user_version', { simple: true }) as number;
    if (appId !== APPLICATION_ID) {
      throw new AppError('NOT_A_WORKSPACE', `「${name}」是 SQLite 数据库，但不是本工作台的工作区文件。`, {
        file,
      });
    }
    checkNotNewer(version, name, opts.latest ?? LATEST_VERSION);
    return version;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'NOT_A_WORKSPACE',
      `无法读取「${name}」：文件已损坏或不是工作区数据库（${(e as Error).message}）。`,
      {
        file,
      },
    );
  } finally {
    db?.close();
  }
}

function checkNotNewer(version: number, name: string, latest: number): void {
  if (version > latest) {
    throw new AppError(
      'DB_NEWER',
      `工作区「${name}」由更新版本的工作台创建（数据库版本 ${version}，本程序最高支持 ${latest}）。为避免损坏数据，已拒绝打开，请先升级本程序。`,
      { version, latest },
    );
  }
}

function applyPragmas(db: Db): void {
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
}

function timestampForFile(d = new Date()): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\..+$/, '').replace('T', '-');
}

/**
 * Opens (and if asked, creates) a workspace database, refusing foreign or newer files,
 * backing up before any migration, and running pending migrations one transaction each.
 */
export function openDb(file: string, opts: OpenOptions = {}): OpenResult {
  const list = opts.migrations ?? migrations;
  const latest = list.length;
  const present = fs.existsSync(file);
  const exists = present && fs.statSync(file).size > 0;
  if (!exists && !opts.create) {
    // An empty file is there but is not a workspace: say so rather than "not found".
    if (present) inspectDbFile(file, { nativeBinding: opts.nativeBinding, latest });
    throw new AppError('NOT_FOUND', `找不到工作区数据库「${file}」。`);
  }
  let fromVersion = 0;
  if (exists) fromVersion = inspectDbFile(file, { nativeBinding: opts.nativeBinding, latest });

  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, { nativeBinding: opts.nativeBinding });
  } catch (e) {
    throw new AppError('IO_ERROR', `无法打开工作区数据库「${file}」：${(e as Error).message}`);
  }
  try {
    applyPragmas(db);
    if (!exists) db.pragma(`application_id = ${APPLICATION_ID}`);
    let preMigrationBackup: string | null = null;
    if (opts.migrate !== false && fromVersion < latest) {
      if (exists && fromVersion > 0) {
        preMigrationBackup = `${file}.v${fromVersion}-${timestampForFile()}.bak`;
        db.prepare('VACUUM INTO ?').run(preMigrationBackup);
      }
      runMigrations(db, list, fromVersion);
    }
    return { db, preMigrationBackup, fromVersion };
  } catch (e) {
    db.close();
    throw e;
  }
}

export function runMigrations(db: Db, list: readonly Migration[], from: number, to = list.length): void {
  for (const m of list) {
    if (m.version <= from || m.version > to) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

export { LATEST_VERSION };
