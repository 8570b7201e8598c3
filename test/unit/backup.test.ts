/** Backup to one file and restore from it; refusing every kind of bad file, leaving the workspace untouched. */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Core } from '../../main/core/core';
import type { ErrorCode, Result } from '../../main/core/contract/index';
import { APPLICATION_ID, LATEST_VERSION } from '../../main/core/db/open';
import { BACKUP_FORMAT, swapInRestored } from '../../main/core/workspace/backup';
import { call, coreWithWorkspace, expectError, isChinese, tempDir, wsOf } from '../helpers/core';

const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** Content whose sha256 starts with `prefix`, and that hash. */
function contentWithHashPrefix(prefix: string): { content: Buffer; hash: string } {
  for (let i = 0; ; i++) {
    const content = Buffer.from(`附件内容 #${i}\n`.repeat(50));
    const hash = sha256(content);
    if (hash.startsWith(prefix)) return { content, hash };
  }
}

/** Puts a content-addressed blob file into the workspace: <dir>/blobs/ab/<sha256>. */
function putBlob(wsDir: string): { file: string; content: Buffer; hash: string } {
  const { content, hash } = contentWithHashPrefix('ab');
  const file = path.join(wsDir, 'blobs', 'ab', hash);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  return { file, content, hash };
}

function meta(core: Core, key: string): string | undefined {
  return (
    wsOf(core).db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined
  )?.value;
}

/** What must not change when a restore is refused. */
async function snapshot(core: Core) {
  const ws = wsOf(core);
  const tasks = await call(core, 'tasks.list', {});
  return {
    ws,
    id: ws.id,
    tasks: tasks.rows.map((t) => `${t.id}|${t.title}|${t.status}`),
    name: (await call(core, 'workspace.settings', {})).name,
    dirEntries: fs
      .readdirSync(ws.dir)
      .filter((f) => !/-(wal|shm)$/.test(f))
      .sort(),
    nodeId: meta(core, 'node_id'),
  };
}

async function expectUntouched(core: Core, dataDir: string, before: Awaited<ReturnType<typeof snapshot>>) {
  expect(core.workspace).toBe(before.ws);
  expect(before.ws.isClosed).toBe(false);
  const after = await snapshot(core);
  expect(after.id).toBe(before.id);
  expect(after.tasks).toEqual(before.tasks);
  expect(after.name).toBe(before.name);
  expect(after.dirEntries).toEqual(before.dirEntries);
  expect(after.dirEntries.some((f) => f.startsWith('.pre-restore-'))).toBe(false);
  expect(after.nodeId).toBe(before.nodeId);
  // the staging folder was cleaned up
  const tmp = path.join(dataDir, 'tmp');
  expect(fs.existsSync(tmp) ? fs.readdirSync(tmp) : []).toEqual([]);
  // and the workspace still takes writes
  const t = await call(core, 'tasks.create', { title: '恢复失败后仍可写入' });
  expect((await call(core, 'tasks.get', { id: t.id })).title).toBe('恢复失败后仍可写入');
}

async function restoreFails(core: Core, file: string, code: ErrorCode, text?: RegExp) {
  const r: Result<unknown> = await core.invoke('workspace.restore', { file });
  const err = expectError(r, code);
  expect(isChinese(err.message)).toBe(true);
  if (text) expect(err.message).toMatch(text);
  return err;
}

/** A workspace with one extra task and one blob, and a good backup of it, unzipped. */
async function setup() {
  const t = await coreWithWorkspace();
  const ws = wsOf(t.core);
  const task = await call(t.core, 'tasks.create', { title: '备份前的任务', dueDate: '2027-03-31' });
  const blob = putBlob(ws.dir);
  const out = path.join(tempDir(), 'good.cwbak');
  const result = await call(t.core, 'workspace.backup', { file: out });
  const entries = unzipSync(fs.readFileSync(out));
  return { ...t, ws, task, blob, backup: result, entries };
}

function writeZip(entries: Zippable, name = 'bad.cwbak'): string {
  const file = path.join(tempDir(), name);
  fs.writeFileSync(file, zipSync(entries));
  return file;
}

/** Applies `edit` to the workspace.sqlite of a backup and returns the new bytes. */
function editSqlite(bytes: Uint8Array, edit: (db: Database.Database) => void): Uint8Array {
  const file = path.join(tempDir(), 'edit.sqlite');
  fs.writeFileSync(file, bytes);
  const db = new Database(file);
  edit(db);
  db.pragma('journal_mode = DELETE');
  db.close();
  return new Uint8Array(fs.readFileSync(file));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('backup', () => {
  it('writes one zip with a manifest, a consistent database copy and the blobs', async () => {
    const { ws, blob, backup, entries } = await setup();
    expect(backup.blobs).toBe(1);
    expect(backup.schemaVersion).toBe(LATEST_VERSION);
    expect(backup.bytes).toBe(fs.statSync(backup.file).size);
    expect(Object.keys(entries).sort()).toEqual(
      ['blobs/ab/' + blob.hash, 'manifest.json', 'workspace.sqlite'].sort(),
    );
    const manifest = JSON.parse(Buffer.from(entries['manifest.json']!).toString('utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest).toMatchObject({
      format: BACKUP_FORMAT,
      formatVersion: 1,
      workspaceId: ws.id,
      workspaceName: '测试工作区',
      city: '琼海市',
      schemaVersion: LATEST_VERSION,
      blobCount: 1,
    });
    expect(Buffer.from(entries[`blobs/ab/${blob.hash}`]!).equals(blob.content)).toBe(true);
    // the database copy is a complete workspace file
    const copy = path.join(tempDir(), 'copy.sqlite');
    fs.writeFileSync(copy, entries['workspace.sqlite']!);
    const db = new Database(copy, { readonly: true });
    try {
      expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(
        (db.prepare("SELECT COUNT(*) n FROM tasks WHERE title = '备份前的任务'").get() as { n: number }).n,
      ).toBe(1);
    } finally {
      db.close();
    }
    // no temporary files left beside the backup
    expect(fs.readdirSync(path.dirname(backup.file))).toEqual(['good.cwbak']);
  });

  it('without a file name, writes to <dataDir>/backups/<name>-<time>.cwbak', async () => {
    const { core, dataDir } = await coreWithWorkspace();
    const r = await call(core, 'workspace.backup', {});
    expect(path.dirname(r.file)).toBe(path.join(dataDir, 'backups'));
    expect(path.basename(r.file)).toMatch(/^测试工作区-\d{8}-\d{6}\.cwbak$/);
    expect(fs.existsSync(r.file)).toBe(true);
  });
});

describe('restore round trip', () => {
  it('brings back data and blobs; node_id changes, workspace id stays; previous content kept aside', async () => {
    const { core, ws, task, blob, backup } = await setup();
    const nodeBefore = meta(core, 'node_id');
    const tasksAtBackup = (await call(core, 'tasks.list', {})).rows.map((t) => t.id).sort();

    // change everything after the backup
    await call(core, 'tasks.delete', { id: task.id });
    const later = await call(core, 'tasks.create', { title: '备份后才加的任务' });
    await call(core, 'workspace.rename', { name: '改过名字' });
    const firstOther = (await call(core, 'tasks.list', {})).rows.find((t) => t.id !== later.id)!;
    await call(core, 'tasks.update', {
      id: firstOther.id,
      patch: { title: '备份后改的名字', progress: 100 },
    });
    fs.rmSync(path.join(ws.dir, 'blobs'), { recursive: true });

    const events: string[] = [];
    core.on('records.changed', (p) => events.push(...p.entities));
    const summary = await call(core, 'workspace.restore', { file: backup.file });

    expect(summary.id).toBe(ws.id);
    expect(summary.dir).toBe(ws.dir);
    expect(summary.name).toBe('测试工作区');
    expect(core.workspace).not.toBe(ws);
    expect(ws.isClosed).toBe(true);
    const restoredTasks = await call(core, 'tasks.list', {});
    expect(restoredTasks.rows.map((t) => t.id).sort()).toEqual(tasksAtBackup);
    expect((await call(core, 'tasks.get', { id: task.id })).title).toBe('备份前的任务');
    expect(restoredTasks.rows.find((t) => t.id === later.id)).toBeUndefined();
    expect((await call(core, 'tasks.get', { id: firstOther.id })).status).toBe('draft');
    expect(fs.readFileSync(blob.file).equals(blob.content)).toBe(true);
    expect(sha256(fs.readFileSync(blob.file))).toBe(blob.hash);

    // restore replaces content but this laptop gets a new sync identity
    expect(meta(core, 'node_id')).toBeDefined();
    expect(meta(core, 'node_id')).not.toBe(nodeBefore);
    expect(meta(core, 'workspace_id')).toBe(ws.id);
    expect(events).toContain('task');

    // the previous content is kept in .pre-restore-*/ and still holds the later task
    const kept = fs.readdirSync(ws.dir).filter((f) => f.startsWith('.pre-restore-'));
    expect(kept).toHaveLength(1);
    const old = new Database(path.join(ws.dir, kept[0]!, 'workspace.sqlite'), { readonly: true });
    try {
      expect(
        (old.prepare('SELECT title FROM tasks WHERE id = ?').get(later.id) as { title: string }).title,
      ).toBe('备份后才加的任务');
    } finally {
      old.close();
    }
    // the staging folder is gone
    expect(fs.readdirSync(path.join(core.dataDir, 'tmp'))).toEqual([]);
    // and the restored workspace takes writes, stamped with the new node id
    const t = await call(core, 'tasks.create', { title: '恢复后新建' });
    const stamp = (
      wsOf(core).db.prepare('SELECT stamp FROM changes WHERE entity_id = ? LIMIT 1').get(t.id) as {
        stamp: string;
      }
    ).stamp;
    expect(stamp.endsWith(`-${meta(core, 'node_id')}`)).toBe(true);
  });

  it('attachments that are themselves zips (.xlsx, .docx) come back intact', async () => {
    const t = await coreWithWorkspace();
    const ws = wsOf(t.core);
    // an xlsx-like attachment, stored uncompressed in the backup: its own zip headers must not
    // be mistaken for entries of the backup
    const inner = Buffer.from(
      zipSync({
        '[Content_Types].xml': strToU8('<Types/>'),
        'xl/workbook.xml': strToU8('<workbook/>'),
        'xl/worksheets/sheet1.xml': strToU8('<worksheet>'.padEnd(5000, ' ') + '</worksheet>'),
      }),
    );
    const src = path.join(tempDir(), '错误明细.xlsx');
    fs.writeFileSync(src, inner);
    const task = await call(t.core, 'tasks.create', { title: '带 Excel 附件的任务' });
    const att = await call(t.core, 'attachments.add', {
      ownerType: 'task',
      ownerId: task.id,
      file: { path: src },
    });
    const out = path.join(tempDir(), 'nested.cwbak');
    await call(t.core, 'workspace.backup', { file: out });
    fs.rmSync(path.join(ws.dir, 'blobs'), { recursive: true });
    await call(t.core, 'workspace.restore', { file: out });
    const back = await call(t.core, 'attachments.read', { id: att.id });
    expect(Buffer.from(back.base64, 'base64').equals(inner)).toBe(true);
  });

  it('restoring twice within the same second works (the kept-aside folders do not collide)', async () => {
    const { core, ws, backup } = await setup();
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2027-06-01T08:00:00.000Z'));
    await call(core, 'workspace.restore', { file: backup.file });
    await call(core, 'workspace.restore', { file: backup.file });
    await call(core, 'workspace.restore', { file: backup.file });
    vi.useRealTimers();
    expect(core.workspace?.id).toBe(ws.id);
    expect((await call(core, 'tasks.list', {})).total).toBeGreaterThan(30);
    expect(fs.readdirSync(ws.dir).filter((f) => f.startsWith('.pre-restore-'))).toHaveLength(3);
  });

  it('a backup made by another workspace replaces this one (its id comes along)', async () => {
    const a = await setup();
    const b = await coreWithWorkspace();
    const bDir = wsOf(b.core).dir;
    const s = await call(b.core, 'workspace.restore', { file: a.backup.file });
    expect(s.id).toBe(a.ws.id);
    expect(s.dir).toBe(bDir);
    expect((await call(b.core, 'tasks.list', { search: '备份前的任务' })).total).toBe(1);
  });
});

describe('restore refuses bad files and leaves the current workspace untouched', () => {
  it('a missing file: NOT_FOUND', async () => {
    const { core, dataDir } = await setup();
    const before = await snapshot(core);
    await restoreFails(core, path.join(tempDir(), 'nope.cwbak'), 'NOT_FOUND');
    await expectUntouched(core, dataDir, before);
  });

  it('random bytes', async () => {
    const { core, dataDir } = await setup();
    const before = await snapshot(core);
    const file = path.join(tempDir(), 'random.cwbak');
    fs.writeFileSync(file, randomBytes(64 * 1024));
    await restoreFails(core, file, 'BACKUP_INVALID', /不是有效的工作台备份文件.*zip/);
    await expectUntouched(core, dataDir, before);
  });

  it('an empty file and a tiny file', async () => {
    const { core, dataDir } = await setup();
    const before = await snapshot(core);
    for (const content of ['', 'PK', 'PK\u0003\u0004']) {
      const file = path.join(tempDir(), 'tiny.cwbak');
      fs.writeFileSync(file, content);
      await restoreFails(core, file, 'BACKUP_INVALID');
    }
    await expectUntouched(core, dataDir, before);
  });

  it('random bytes behind a zip signature', async () => {
    const { core, dataDir } = await setup();
    const before = await snapshot(core);
    const file = path.join(tempDir(), 'garbage.cwbak');
    fs.writeFileSync(file, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), randomBytes(50_000)]));
    await restoreFails(core, file, 'BACKUP_INVALID');
    await expectUntouched(core, dataDir, before);
  });

  for (const keep of [0.1, 0.5, 0.9, 0.999]) {
    it(`a truncated backup (first ${keep * 100}% of the file)`, async () => {
      const { core, dataDir, backup } = await setup();
      const before = await snapshot(core);
      const bytes = fs.readFileSync(backup.file);
      const file = path.join(tempDir(), 'truncated.cwbak');
      fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * keep)));
      await restoreFails(core, file, 'BACKUP_INVALID', /不是有效的工作台备份文件/);
      await expectUntouched(core, dataDir, before);
    });
  }

  it('a backup missing only its last bytes (the zip end record)', async () => {
    const { core, dataDir, backup } = await setup();
    const before = await snapshot(core);
    const bytes = fs.readFileSync(backup.file);
    for (const cut of [1, 22, 60]) {
      const file = path.join(tempDir(), 'cut.cwbak');
      fs.writeFileSync(file, bytes.subarray(0, bytes.length - cut));
      await restoreFails(core, file, 'BACKUP_INVALID', /不完整|已损坏/);
    }
    await expectUntouched(core, dataDir, before);
  });

  it('a zip that is not ours', async () => {
    const { core, dataDir } = await setup();
    const before = await snapshot(core);
    const file = writeZip(
      { 'readme.txt': strToU8('hello'), 'data/report.csv': strToU8('a,b\n1,2\n') },
      'other.zip',
    );
    await restoreFails(core, file, 'BACKUP_INVALID', /readme\.txt/);
    await expectUntouched(core, dataDir, before);
  });

  it('a zip with a path-traversal entry name (../evil) writes nothing outside', async () => {
    const { core, dataDir, entries } = await setup();
    const before = await snapshot(core);
    const file = writeZip({ ...entries, '../evil': strToU8('pwned'), '../../evil2': strToU8('pwned') });
    // the traversal entry first, so nothing legitimate is extracted before it
    const first = writeZip({ '../evil': strToU8('pwned'), ...entries }, 'first.cwbak');
    for (const f of [file, first])
      await restoreFails(core, f, 'BACKUP_INVALID', /不应有的条目「\.\.\/evil」|不应有的条目/);
    for (const d of [dataDir, path.join(dataDir, 'tmp'), path.dirname(dataDir)]) {
      expect(fs.existsSync(path.join(d, 'evil')), d).toBe(false);
      expect(fs.existsSync(path.join(d, 'evil2')), d).toBe(false);
    }
    await expectUntouched(core, dataDir, before);
  });

  it('absolute and odd entry names are refused too', async () => {
    const { core, dataDir, entries } = await setup();
    const before = await snapshot(core);
    for (const name of [
      '/etc/evil',
      'blobs/ab/../../evil',
      'blobs\\ab\\x',
      'workspace.sqlite-wal',
      'blobs/cd/ab' + '0'.repeat(62),
    ]) {
      await restoreFails(core, writeZip({ ...entries, [name]: strToU8('x') }), 'BACKUP_INVALID');
    }
    await expectUntouched(core, dataDir, before);
  });

  it('a backup whose blob content does not match its hash', async () => {
    const { core, dataDir, entries, blob } = await setup();
    const before = await snapshot(core);
    const file = writeZip({ ...entries, [`blobs/ab/${blob.hash}`]: strToU8('被篡改的附件内容') });
    await restoreFails(core, file, 'BACKUP_INVALID', /校验值不符/);
    await expectUntouched(core, dataDir, before);
  });

  it('a backup whose blob count differs from its manifest', async () => {
    const { core, dataDir, entries, blob } = await setup();
    const before = await snapshot(core);
    const rest = Object.fromEntries(Object.entries(entries).filter(([k]) => k !== `blobs/ab/${blob.hash}`));
    await restoreFails(core, writeZip(rest), 'BACKUP_INVALID', /附件数量/);
    await expectUntouched(core, dataDir, before);
  });

  it('a backup without manifest, without database, or with a wrong manifest', async () => {
    const { core, dataDir, entries, ws } = await setup();
    const before = await snapshot(core);
    const { 'manifest.json': manifestBytes, ...noManifest } = entries;
    const { 'workspace.sqlite': _db, ...noDb } = entries;
    const manifest = JSON.parse(Buffer.from(manifestBytes!).toString('utf8')) as Record<string, unknown>;
    const withManifest = (m: unknown) =>
      writeZip({ ...entries, 'manifest.json': strToU8(typeof m === 'string' ? m : JSON.stringify(m)) });
    await restoreFails(core, writeZip(noManifest), 'BACKUP_INVALID', /缺少 manifest\.json/);
    await restoreFails(core, writeZip(noDb), 'BACKUP_INVALID', /缺少 workspace\.sqlite/);
    await restoreFails(core, withManifest('{ not json'), 'BACKUP_INVALID', /manifest\.json 内容不正确/);
    await restoreFails(
      core,
      withManifest({ ...manifest, format: 'something-else' }),
      'BACKUP_INVALID',
      /manifest/,
    );
    await restoreFails(
      core,
      withManifest({ ...manifest, workspaceId: `${ws.id.slice(0, -1)}${ws.id.endsWith('0') ? '1' : '0'}` }),
      'BACKUP_INVALID',
      /工作区标识不一致/,
    );
    await expectUntouched(core, dataDir, before);
  });

  it('a backup whose sqlite has user_version above LATEST: DB_NEWER', async () => {
    const { core, dataDir, entries } = await setup();
    const before = await snapshot(core);
    const newer = editSqlite(entries['workspace.sqlite']!, (db) =>
      db.pragma(`user_version = ${LATEST_VERSION + 1}`),
    );
    const err = await restoreFails(
      core,
      writeZip({ ...entries, 'workspace.sqlite': newer }),
      'DB_NEWER',
      /更新版本/,
    );
    expect(err.message).toContain(String(LATEST_VERSION + 1));
    await expectUntouched(core, dataDir, before);
  });

  it('a backup whose sqlite is not ours, not SQLite, or corrupt', async () => {
    const { core, dataDir, entries } = await setup();
    const before = await snapshot(core);
    const foreign = editSqlite(entries['workspace.sqlite']!, (db) => db.pragma('application_id = 0'));
    await restoreFails(
      core,
      writeZip({ ...entries, 'workspace.sqlite': foreign }),
      'BACKUP_INVALID',
      /不是本工作台的工作区文件/,
    );
    await restoreFails(
      core,
      writeZip({ ...entries, 'workspace.sqlite': strToU8('not a database') }),
      'BACKUP_INVALID',
    );
    // header and pragmas intact, pages after the first overwritten with garbage
    const good = entries['workspace.sqlite']!;
    const corrupt = new Uint8Array(good);
    corrupt.set(randomBytes(good.length - 4096), 4096);
    await restoreFails(core, writeZip({ ...entries, 'workspace.sqlite': corrupt }), 'BACKUP_INVALID');
    // ours by its header, but not a workspace inside (no meta table)
    const empty = editSqlite(entries['workspace.sqlite']!, (db) => db.exec('DROP TABLE meta'));
    await restoreFails(core, writeZip({ ...entries, 'workspace.sqlite': empty }), 'BACKUP_INVALID');
    await expectUntouched(core, dataDir, before);
  });
});

describe('swapInRestored', () => {
  it('puts the previous content back when moving the restored content in fails', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'workspace.sqlite'), 'ORIGINAL DB');
    fs.mkdirSync(path.join(dir, 'blobs', 'ab'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'blobs', 'ab', 'x'), 'ORIGINAL BLOB');
    const staging = tempDir();
    fs.writeFileSync(path.join(staging, 'workspace.sqlite'), 'RESTORED DB');
    // no staging/blobs: the second move fails
    expect(() => swapInRestored(dir, staging)).toThrow(
      expect.objectContaining({ code: 'IO_ERROR' }) as Error,
    );
    expect(fs.readFileSync(path.join(dir, 'workspace.sqlite'), 'utf8')).toBe('ORIGINAL DB');
    expect(fs.readFileSync(path.join(dir, 'blobs', 'ab', 'x'), 'utf8')).toBe('ORIGINAL BLOB');
    expect(fs.readdirSync(dir).sort()).toEqual(['blobs', 'workspace.sqlite']);
  });
});
