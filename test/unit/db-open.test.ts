/** Opening workspace databases: pragmas, and refusing files that are not ours. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, inspectDbFile, LATEST_VERSION, openDb } from '../../main/core/db/open';
import { AppError } from '../../main/core/util/errors';
import { call, callError, coreWithWorkspace, isChinese, makeCore, tempDir } from '../helpers/core';

function catchAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw new Error(`expected an AppError, got ${String(e)}`, { cause: e });
  }
  throw new Error('expected an AppError, nothing was thrown');
}

describe('openDb', () => {
  it('creates a workspace database with WAL, foreign keys, busy timeout and our application id', () => {
    const file = path.join(tempDir(), 'sub', 'workspace.sqlite');
    const { db } = openDb(file, { create: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION);
    } finally {
      db.close();
    }
    expect(inspectDbFile(file)).toBe(LATEST_VERSION);
  });

  it('reopening sets the pragmas again (they are per connection)', () => {
    const file = path.join(tempDir(), 'workspace.sqlite');
    openDb(file, { create: true }).db.close();
    const { db } = openDb(file);
    try {
      expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
      expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      db.close();
    }
  });

  it('refuses a missing file unless asked to create it', () => {
    const file = path.join(tempDir(), 'workspace.sqlite');
    expect(catchAppError(() => openDb(file)).code).toBe('NOT_FOUND');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('refuses a text file renamed workspace.sqlite with NOT_A_WORKSPACE, leaving it as it was', () => {
    const file = path.join(tempDir(), 'workspace.sqlite');
    fs.writeFileSync(file, '这不是数据库，只是一个文本文件。\n'.repeat(100));
    const before = fs.readFileSync(file);
    const err = catchAppError(() => openDb(file));
    expect(err.code).toBe('NOT_A_WORKSPACE');
    expect(err.message).toContain('不是');
    expect(isChinese(err.message)).toBe(true);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('refuses an empty file with NOT_A_WORKSPACE (not "not found")', () => {
    const file = path.join(tempDir(), 'workspace.sqlite');
    fs.writeFileSync(file, '');
    const err = catchAppError(() => openDb(file));
    expect(err.code).toBe('NOT_A_WORKSPACE');
    expect(fs.statSync(file).size).toBe(0);
  });

  it('refuses a file with a SQLite header but corrupt content', () => {
    const file = path.join(tempDir(), 'workspace.sqlite');
    fs.writeFileSync(
      file,
      Buffer.concat([Buffer.from('SQLite format 3\u0000', 'latin1'), randomBytes(8192)]),
    );
    const err = catchAppError(() => openDb(file));
    expect(err.code).toBe('NOT_A_WORKSPACE');
    expect(isChinese(err.message)).toBe(true);
  });

  it('refuses a foreign SQLite file (no application id) and does not modify it', () => {
    const file = path.join(tempDir(), 'workspace.sqlite');
    const foreign = new Database(file);
    foreign.exec(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('别人的数据');",
    );
    foreign.pragma('user_version = 1');
    foreign.close();
    const before = fs.readFileSync(file);

    const err = catchAppError(() => openDb(file));
    expect(err.code).toBe('NOT_A_WORKSPACE');
    expect(err.message).toContain('不是本工作台的工作区文件');

    expect(fs.readFileSync(file).equals(before)).toBe(true);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(0);
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(
        (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map(
          (r) => r.name,
        ),
      ).toEqual(['notes']);
    } finally {
      db.close();
    }
  });

  it('refuses a directory in place of the database file', () => {
    const file = path.join(tempDir(), 'workspace.sqlite');
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'x'), 'x');
    expect(catchAppError(() => openDb(file)).code).toBe('NOT_A_WORKSPACE');
  });
});

describe('workspace.open on files that are not workspaces', () => {
  const cases: [string, (file: string) => void][] = [
    ['a text file renamed workspace.sqlite', (f) => fs.writeFileSync(f, 'hello, not sqlite')],
    [
      'a foreign SQLite file',
      (f) => {
        const db = new Database(f);
        db.exec('CREATE TABLE t (x)');
        db.close();
      },
    ],
    ['random bytes', (f) => fs.writeFileSync(f, randomBytes(4096))],
    ['an empty file', (f) => fs.writeFileSync(f, '')],
  ];

  for (const [what, make] of cases) {
    it(`${what}: NOT_A_WORKSPACE, no crash, the current workspace stays open`, async () => {
      const { core } = await coreWithWorkspace();
      const current = core.workspace!;
      const tasksBefore = (await call(core, 'tasks.list', {})).total;
      const dir = path.join(tempDir(), 'bad');
      fs.mkdirSync(dir);
      const file = path.join(dir, 'workspace.sqlite');
      make(file);
      const before = fs.readFileSync(file);

      const err = await callError(core, 'workspace.open', { dir }, 'NOT_A_WORKSPACE');
      expect(isChinese(err.message)).toBe(true);
      expect(fs.readFileSync(file).equals(before)).toBe(true);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([]);

      expect(core.workspace).toBe(current);
      expect(current.isClosed).toBe(false);
      expect((await call(core, 'tasks.list', {})).total).toBe(tasksBefore);
      expect((await call(core, 'app.info', {})).workspace?.id).toBe(current.id);
    });
  }

  it('without any workspace open, a bad folder still gives a clear error and the core keeps working', async () => {
    const { core } = makeCore();
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'workspace.sqlite'), 'nope');
    await callError(core, 'workspace.open', { dir }, 'NOT_A_WORKSPACE');
    const missing = await callError(
      core,
      'workspace.open',
      { dir: path.join(dir, 'does-not-exist') },
      'NOT_FOUND',
    );
    expect(missing.message).toContain('没有工作区');
    const info = await call(core, 'app.info', {});
    expect(info.workspace).toBeNull();
  });
});
