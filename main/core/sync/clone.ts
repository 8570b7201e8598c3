/**
 * A new laptop joins a workspace that exists on the sync server: an empty workspace database with
 * the server workspace's id is created in a new folder, then filled by pulling every record and
 * document (attachments follow lazily). The folder is removed again if the first sync fails.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ENTITIES, type EntityDef, type EntityName } from '../records/entities';
import { newApplyMemo } from '../records/writer';
import { AppError } from '../util/errors';
import { Workspace } from '../workspace/workspace';
import type { ClientOptions } from './client';
import { syncDocs } from './docs';
import { checkServer } from './engine';
import { MAX_PULL_PAGE } from './protocol';
import { pullRecords } from './records';
import type { SecretStore } from './secrets';
import { tokenKey } from './secrets';
import { writeState } from './state';

export interface CloneOptions {
  dir: string;
  serverUrl: string;
  token: string;
  workspaceId: string;
  secrets: SecretStore;
  nativeBinding?: string;
  clock?: () => Date;
  onCommit?: (entities: EntityName[]) => void;
  onProgress?: (message: string) => void;
  clientOptions?: Partial<ClientOptions>;
}

export interface CloneResult {
  workspace: Workspace;
  records: number;
  docs: number;
}

export async function cloneWorkspace(opts: CloneOptions): Promise<CloneResult> {
  const dir = path.resolve(opts.dir);
  if (Workspace.exists(dir))
    throw new AppError('CONFLICT', `文件夹「${dir}」中已经有一个工作区，请换一个新文件夹。`);
  const url = opts.serverUrl.replace(/\/+$/, '');
  const { client, me } = await checkServer(url, opts.token, opts.clientOptions);
  const ref = me.workspaces.find((w) => w.id === opts.workspaceId);
  if (!ref) {
    const list = me.workspaces.map((w) => `${w.name}（${w.id}）`).join('、');
    throw new AppError(
      'NOT_FOUND',
      `账号「${me.user.name}」不能访问工作区「${opts.workspaceId}」。${list ? `可用的工作区：${list}。` : '该账号还没有加入任何工作区，'}请联系管理员把你加入工作区。`,
    );
  }
  const existed = fs.existsSync(dir);
  const ws = Workspace.createEmpty(dir, ref.id, {
    nativeBinding: opts.nativeBinding,
    clock: opts.clock,
    onCommit: opts.onCommit,
  });
  try {
    writeState(ws.db, { server_url: url, user_id: me.user.id, user_name: me.user.name, registered: 1 });
    await opts.secrets.set(tokenKey(ws.id), opts.token);
    opts.onProgress?.(`正在从服务器接收工作区「${ref.name}」…`);
    // bulk load: indexes of the synced tables and the change log are built after the load (one
    // sorted pass instead of a random insert per row); the winning stamps live in memory meanwhile
    const tables = [...(Object.values(ENTITIES) as EntityDef[]).map((d) => d.table), 'changes'];
    const indexes = ws.db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
           AND tbl_name IN (${tables.map(() => '?').join(', ')})`,
      )
      .all(...tables) as { name: string; sql: string }[];
    for (const ix of indexes) ws.db.exec(`DROP INDEX ${ix.name}`);
    ws.db.pragma('synchronous = OFF');
    let pulled: Awaited<ReturnType<typeof pullRecords>>;
    try {
      pulled = await pullRecords(ws, client, {
        allowMassDelete: true,
        pageSize: MAX_PULL_PAGE,
        memo: newApplyMemo(),
        onProgress: (n) => opts.onProgress?.(`已接收 ${n} 条修改`),
      });
    } finally {
      ws.db.pragma('synchronous = NORMAL');
      opts.onProgress?.('正在建立索引…');
      // the sorts of CREATE INDEX on a second thread too (the server is idle by now)
      ws.db.pragma('threads = 2');
      try {
        ws.db.transaction(() => {
          for (const ix of indexes) ws.db.exec(ix.sql);
        })();
      } finally {
        ws.db.pragma('threads = 0');
      }
    }
    const docs = await syncDocs(ws, client, (opts.clock?.() ?? new Date()).toISOString());
    if (!ws.db.prepare('SELECT 1 FROM workspace WHERE id = ?').get(ws.id)) {
      throw new AppError(
        'NOT_FOUND',
        `服务器上的工作区「${ref.name}」还没有任何数据，请先在创建它的电脑上同步一次。`,
      );
    }
    writeState(ws.db, { last_sync_at: (opts.clock?.() ?? new Date()).toISOString() });
    return { workspace: ws, records: pulled.pulled, docs };
  } catch (e) {
    ws.close();
    if (existed) {
      for (const f of ['workspace.sqlite', 'workspace.sqlite-wal', 'workspace.sqlite-shm', 'blobs'])
        fs.rmSync(path.join(dir, f), { recursive: true, force: true });
    } else fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
