/**
 * The sync engine of one core: configure (server + token), run (push records → pull records →
 * documents → attachments; one run at a time, progress as job.progress 'sync'), status,
 * conflicts, lazy blob download, and the opt-in scheduler (every interval when configured, soon
 * after a local commit, exponential backoff on failure capped at 5 minutes; stops on close).
 */
import type { z } from 'zod';
import type { CoreContext } from '../core';
import type { SyncConflict, SyncRunResult, SyncStatus } from '../contract/sync';
import { ENTITIES, type EntityDef } from '../records/entities';
import { AppError } from '../util/errors';
import { uuidv7 } from '../util/ids';
import type { Workspace } from '../workspace/workspace';
import { downloadBlob, downloadMissing, pendingUploads, uploadBlobs } from './blobs';
import { SyncClient, syncError, syncKind, type ClientOptions } from './client';
import { pendingDocs, syncDocs } from './docs';
import { Health, Me, PROTOCOL_VERSION, paths } from './protocol';
import { pendingChanges, pullRecords, pushRecords } from './records';
import { fileSecretStore, tokenKey, type SecretStore } from './secrets';
import { readState, writeState } from './state';

export type RunResult = z.output<typeof SyncRunResult>;
type Status = z.output<typeof SyncStatus>;
type Conflict = z.output<typeof SyncConflict>;

export const BACKOFF_CAP_MS = 5 * 60 * 1000;
/** Time budgets of one run for attachments (they never hold up records and documents). */
export const UPLOAD_BUDGET_MS = 60_000;
export const DOWNLOAD_BUDGET_MS = 30_000;

/** Checks the server (protocol) and the token (/v1/me). */
export async function checkServer(
  serverUrl: string,
  token: string,
  clientOpts: Partial<ClientOptions> = {},
): Promise<{ client: SyncClient; me: Me }> {
  const anon = new SyncClient({ ...clientOpts, baseUrl: serverUrl, token: null });
  let health: Health;
  try {
    health = await anon.json('GET', paths.health, Health);
  } catch (e) {
    if (syncKind(e) === 'BAD_RESPONSE' || syncKind(e) === 'NOT_FOUND')
      throw syncError(
        'BAD_RESPONSE',
        `「${serverUrl}」不是工作台的同步服务器（健康检查没有正确应答），请检查服务器地址。`,
      );
    throw e;
  }
  if (health.protocol !== PROTOCOL_VERSION) {
    throw syncError(
      'VERSION',
      `服务器版本不兼容：服务器使用同步协议 ${health.protocol}，本机为 ${PROTOCOL_VERSION}。请${health.protocol > PROTOCOL_VERSION ? '升级本机的工作台' : '联系管理员升级服务器'}。`,
    );
  }
  const client = new SyncClient({ ...clientOpts, baseUrl: serverUrl, token });
  const me = await client.json('GET', paths.me, Me);
  return { client, me };
}

function display(json: string | null): string | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as unknown;
    if (v === null) return null;
    if (typeof v === 'string') return v;
    if (typeof v === 'boolean') return v ? '是' : '否';
    return JSON.stringify(v);
  } catch {
    return json;
  }
}

export class SyncEngine {
  private running: Promise<RunResult> | null = null;
  private runningWs: Workspace | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private closed = false;
  private nextAt = 0;
  readonly clientOpts: Partial<ClientOptions>;

  constructor(
    private readonly ctx: CoreContext,
    clientOpts: Partial<ClientOptions> = {},
  ) {
    this.clientOpts = clientOpts;
    // (a bare context in some tests has no hooks)
    const hooks = (ctx as Partial<CoreContext>).hooks;
    hooks?.close.add(() => this.stop());
    if (ctx.autoSync && hooks) {
      hooks.commit.add(() => this.onCommit());
      this.schedule(ctx.autoSync.debounceMs ?? 3000);
    }
  }

  get secrets(): SecretStore {
    return this.ctx.platform.secrets ?? fileSecretStore(this.ctx.dataDir);
  }

  private now(): Date {
    return this.ctx.clock();
  }

  async token(ws: Workspace): Promise<string | null> {
    return this.secrets.get(tokenKey(ws.id));
  }

  async status(ws: Workspace): Promise<Status> {
    const st = readState(ws.db);
    const token = st.server_url ? await this.token(ws) : null;
    const configured = st.server_url !== null && token !== null;
    let massDelete: Status['massDelete'] = null;
    if (st.mass_delete) {
      try {
        massDelete = JSON.parse(st.mass_delete) as Status['massDelete'];
      } catch {
        massDelete = null;
      }
    }
    let blobs: number;
    try {
      blobs = pendingUploads(ws).length;
    } catch {
      blobs = 0; // the blobs folder is unreadable: status still answers
    }
    return {
      state: !configured
        ? 'unconfigured'
        : this.running && this.runningWs === ws
          ? 'syncing'
          : st.error_code === 'OFFLINE'
            ? 'offline'
            : st.error_code
              ? 'error'
              : 'idle',
      serverUrl: st.server_url,
      user: st.user_id ? { id: st.user_id, name: st.user_name ?? '' } : null,
      lastSyncAt: st.last_sync_at,
      pending: { changes: pendingChanges(ws), docs: pendingDocs(ws), blobs },
      error: st.error_code ? { code: st.error_code, message: st.error_message ?? '' } : null,
      massDelete,
    };
  }

  async configure(ws: Workspace, serverUrl: string, token: string): Promise<Status> {
    const url = serverUrl.replace(/\/+$/, '');
    const { client, me } = await checkServer(url, token, this.clientOpts);
    const name = ws.summary().name;
    await client.request('POST', paths.workspaces, { json: { id: ws.id, name } });
    const before = readState(ws.db);
    await this.secrets.set(tokenKey(ws.id), token);
    ws.db.transaction(() => {
      if (before.server_url !== url) resetCursors(ws);
      writeState(ws.db, {
        server_url: url,
        user_id: me.user.id,
        user_name: me.user.name,
        registered: 1,
        error_code: null,
        error_message: null,
      });
    })();
    if (this.ctx.autoSync) this.schedule(0);
    return this.status(ws);
  }

  async logout(ws: Workspace): Promise<Status> {
    await this.secrets.set(tokenKey(ws.id), null);
    writeState(ws.db, {
      user_id: null,
      user_name: null,
      error_code: null,
      error_message: null,
      mass_delete: null,
    });
    return this.status(ws);
  }

  private async clientFor(ws: Workspace, signal?: AbortSignal): Promise<SyncClient> {
    const st = readState(ws.db);
    const token = st.server_url ? await this.token(ws) : null;
    if (!st.server_url || !token) {
      throw new AppError(
        'BAD_INPUT',
        '尚未设置同步服务器：请在“设置 → 同步”中填写服务器地址和访问令牌后登录。',
      );
    }
    return new SyncClient({
      ...this.clientOpts,
      baseUrl: st.server_url,
      token,
      ...(signal ? { signal } : {}),
    });
  }

  /** Cancels the run in progress (between requests; every applied page stays). False when none runs. */
  cancel(): boolean {
    if (!this.abort || this.abort.signal.aborted) return false;
    this.abort.abort();
    return true;
  }

  private abort: AbortController | null = null;

  /** One sync run; a second caller waits for the current run, then runs again. */
  async run(ws: Workspace, opts: { allowMassDelete?: boolean } = {}): Promise<RunResult> {
    while (this.running) {
      try {
        await this.running;
      } catch {
        // the next run reports its own result
      }
    }
    this.runningWs = ws;
    this.abort = new AbortController();
    this.running = this.runOnce(ws, opts.allowMassDelete === true, this.abort.signal);
    try {
      return await this.running;
    } finally {
      this.running = null;
      this.runningWs = null;
      this.abort = null;
    }
  }

  private async runOnce(ws: Workspace, allowMassDelete: boolean, signal: AbortSignal): Promise<RunResult> {
    const jobId = uuidv7();
    const progress = (
      message: string,
      done: number,
      total: number | null,
      state: 'running' | 'done' | 'failed' | 'cancelled',
    ) => this.ctx.emit('job.progress', { jobId, kind: 'sync', done, total, message, state });
    progress('正在连接同步服务器…', 0, null, 'running');
    const result: Omit<RunResult, 'status'> = {
      pushed: 0,
      pulled: 0,
      conflicts: 0,
      revived: 0,
      docs: 0,
      blobsUp: 0,
      blobsDown: 0,
    };
    try {
      const client = await this.clientFor(ws, signal);
      client.checkCancelled();
      if (!readState(ws.db).registered) {
        await client.request('POST', paths.workspaces, { json: { id: ws.id, name: ws.summary().name } });
        writeState(ws.db, { registered: 1 });
      }
      result.pushed = await pushRecords(ws, client, (n) =>
        progress(`已上传 ${n} 条修改`, n, null, 'running'),
      );
      const pulled = await pullRecords(ws, client, {
        allowMassDelete,
        onProgress: (n) => progress(`已接收 ${n} 条修改`, n, null, 'running'),
      });
      result.pulled = pulled.pulled;
      result.conflicts = pulled.lost;
      result.revived = pulled.revived;
      writeState(ws.db, { mass_delete: null });
      client.checkCancelled();
      result.docs = await syncDocs(ws, client, this.now().toISOString(), (d, t) =>
        progress(`正在同步文档 ${d}/${t}`, d, t, 'running'),
      );
      client.checkCancelled();
      // attachments last, within budgets: they never hold up records and documents
      const up = await uploadBlobs(ws, client, {
        now: () => this.now().getTime(),
        budgetMs: UPLOAD_BUDGET_MS,
      });
      result.blobsUp = up.up;
      let fatal = up.fatal;
      if (!fatal) {
        const down = await downloadMissing(ws, client, DOWNLOAD_BUDGET_MS);
        result.blobsDown = down.down;
        fatal = down.fatal;
      }
      if (fatal) {
        this.recordError(ws, fatal);
      } else {
        writeState(ws.db, { error_code: null, error_message: null });
      }
      writeState(ws.db, { last_sync_at: this.now().toISOString() });
      const status = await this.status(ws);
      progress(
        `同步完成：上传 ${result.pushed} 条、接收 ${result.pulled} 条修改${result.revived ? `，${result.revived} 条已删除的记录因其他电脑的修改而恢复` : ''}`,
        1,
        1,
        'done',
      );
      return { ...result, status };
    } catch (e) {
      if (e instanceof AppError && e.code === 'CANCELLED') {
        // not a failure: what was applied stays, the next run continues from there
        progress(e.message, 0, null, 'cancelled');
        throw e;
      }
      this.recordError(ws, e);
      progress(e instanceof Error ? e.message : String(e), 0, null, 'failed');
      throw e;
    }
  }

  private recordError(ws: Workspace, e: unknown): void {
    if (ws.isClosed) return;
    const kind = syncKind(e);
    const message = e instanceof Error ? e.message : String(e);
    const patch: Parameters<typeof writeState>[1] = { error_code: kind, error_message: message };
    if (kind === 'MASS_DELETE' && e instanceof AppError) {
      patch.mass_delete = JSON.stringify({ deletes: e.details?.deletes ?? 0, live: e.details?.live ?? 0 });
    }
    writeState(ws.db, patch);
  }

  /** Values that lost last-writer-wins, newest first, with the value that won. */
  conflicts(ws: Workspace, limit: number): Conflict[] {
    const rows = ws.db
      .prepare(
        `SELECT c.entity, c.entity_id, c.field, c.new_value, c.actor_name, c.at, c.origin,
                (SELECT w.new_value FROM changes w
                  WHERE w.entity_id = c.entity_id AND w.field = c.field AND w.applied = 1
                  ORDER BY w.stamp DESC LIMIT 1) AS won
           FROM changes c WHERE c.applied = 0 ORDER BY c.id DESC LIMIT ?`,
      )
      .all(limit * 2) as {
      entity: string;
      entity_id: string;
      field: string;
      new_value: string | null;
      actor_name: string;
      at: string;
      origin: string;
      won: string | null;
    }[];
    const out: Conflict[] = [];
    // the record's name: its code and title, title, name or problem — whichever the table has
    const nameOf = (def: EntityDef | undefined, id: string): string | null => {
      if (!def) return null;
      const f = def.fields;
      const cols = [
        'code' in f && 'title' in f ? "code || ' ' || title" : null,
        'title',
        'name',
        'problem',
      ].find((c) => c !== null && (c.includes('||') || c in f));
      if (!cols) return null;
      const row = ws.db.prepare(`SELECT ${cols} AS n FROM ${def.table} WHERE id = ?`).get(id) as
        { n: string | null } | undefined;
      return row?.n ?? null;
    };
    for (const r of rows) {
      if (r.won !== null && r.won === r.new_value) continue; // the same value won: no real conflict
      const def = (ENTITIES as Record<string, EntityDef>)[r.entity];
      out.push({
        entity: r.entity,
        entityLabel: def?.label ?? r.entity,
        entityId: r.entity_id,
        entityName: nameOf(def, r.entity_id),
        field: r.field,
        fieldLabel: def?.fields[r.field]?.label ?? r.field,
        lost: display(r.new_value),
        won: display(r.won),
        lostBy: r.origin === 'local' ? `${r.actor_name}（本机）` : r.actor_name,
        at: r.at,
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Downloads a missing blob on demand; false when not configured or it cannot be fetched now. */
  async fetchBlob(ws: Workspace, sha: string): Promise<boolean> {
    let client: SyncClient;
    try {
      client = await this.clientFor(ws);
    } catch {
      return false;
    }
    await downloadBlob(ws, client, sha);
    return true;
  }

  // ---------- scheduler ----------

  private schedule(delayMs: number): void {
    if (this.closed || !this.ctx.autoSync) return;
    const at = Date.now() + delayMs;
    if (this.timer && this.nextAt <= at) return;
    if (this.timer) clearTimeout(this.timer);
    this.nextAt = at;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delayMs);
    this.timer.unref?.();
  }

  private onCommit(): void {
    if (this.running || this.failures > 0) return; // pulled data, or backing off
    this.schedule(this.ctx.autoSync?.debounceMs ?? 3000);
  }

  private async tick(): Promise<void> {
    const interval = this.ctx.autoSync?.intervalMs ?? 60_000;
    const ws = this.ctx.ws;
    if (this.closed) return;
    if (!ws || ws.isClosed || !readState(ws.db).server_url || !(await this.token(ws))) {
      this.schedule(interval);
      return;
    }
    try {
      await this.run(ws);
      this.failures = 0;
      this.schedule(interval);
    } catch (e) {
      this.failures++;
      const kind = syncKind(e);
      // the user must act (sign in again, confirm a deletion): keep trying, but slowly
      const base = kind === 'UNAUTHORIZED' || kind === 'FORBIDDEN' || kind === 'MASS_DELETE' ? 60_000 : 5_000;
      this.schedule(Math.min(BACKOFF_CAP_MS, base * 2 ** (this.failures - 1)));
    }
  }

  stop(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Forgets every cursor (a different server): everything is pushed and pulled again, deduplicated. */
export function resetCursors(ws: Workspace): void {
  writeState(ws.db, { pull_cursor: 0, pushed_id: 0, doc_cursor: 0, registered: 0, mass_delete: null });
  ws.db.prepare('UPDATE sync_docs SET server_sv = NULL, seq = 0, dirty = dirty + 1').run();
  ws.db.prepare('DELETE FROM sync_blobs').run();
}
