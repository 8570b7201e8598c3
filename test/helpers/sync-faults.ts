/**
 * Convergence under faults: the REAL server process (spawned `tsx server/index.ts`) behind a
 * fault-injecting HTTP proxy (requests dropped before or after the server saw them, duplicated,
 * delayed so concurrent requests reorder, answered 5xx, and the server killed and restarted while
 * a push is in flight), three laptops with skewed clocks doing random operations with a fixed
 * seed, then syncing until quiet and comparing everything. Used by the property test (fixed seeds,
 * CI) and the bench (more iterations).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import type { Core } from '../../main/core/core';
import { createCore } from '../../main/core/core';
import { docToJson, replaceDocContent } from '../../main/core/docs/pm';
import { loadDoc } from '../../main/core/docs/store';
import { ENTITIES, type EntityDef } from '../../main/core/records/entities';
import { fromDb } from '../../main/core/records/writer';
import { cloneWorkspace } from '../../main/core/sync/clone';
import { fileSecretStore } from '../../main/core/sync/secrets';
import type { Workspace } from '../../main/core/workspace/workspace';
import { createUser, issueToken } from '../../server/accounts';
import { openServerDb } from '../../server/db';
import { fileURLToPath } from 'node:url';
import { rng } from '../bench/text';

/** The seeded generator (mulberry32) the scenarios and the bench share. */
export { rng };

/** Repository root (no import of ./core: that one needs vitest, and the bench uses this file). */
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

/** The server as a child process (`node --import tsx server/index.ts`), restartable on the same port. */
export class ServerProcess {
  private child: ChildProcess | null = null;
  port = 0;
  /** `args`: further server options (e.g. `--clock-offset-ms`). */
  constructor(
    readonly dataDir: string,
    readonly args: readonly string[] = [],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (!this.port) this.port = await freePort();
    // node itself with tsx's loader, so killing the child kills the server (no wrapper process)
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(REPO_ROOT, 'server', 'index.ts'),
        '--port',
        String(this.port),
        '--data',
        this.dataDir,
        '--rate-limit',
        '1000000',
        '--quiet',
        ...this.args,
      ],
      { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 30_000);
      const onData = (b: Buffer) => {
        out += b.toString();
        if (out.includes('"listening"')) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (b: Buffer) => (out += b.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}): ${out}`));
      });
    });
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}

export interface FaultRates {
  /** Request never reaches the server. */
  dropBefore: number;
  /** The server handles it, the answer is lost. */
  dropAfter: number;
  duplicate: number;
  error5xx: number;
  /** Max added delay (ms); concurrent requests of three laptops reorder. */
  delayMs: number;
  /** Kill and restart the server while a push is in flight. */
  restartOnPush: number;
}

export const NO_FAULTS: FaultRates = {
  dropBefore: 0,
  dropAfter: 0,
  duplicate: 0,
  error5xx: 0,
  delayMs: 0,
  restartOnPush: 0,
};

/** An HTTP proxy in front of the server injecting faults by a seeded PRNG. */
export class FaultProxy {
  private server: http.Server | null = null;
  faults: FaultRates = NO_FAULTS;
  port = 0;
  readonly counts = { requests: 0, dropBefore: 0, dropAfter: 0, duplicate: 0, error5xx: 0, restarts: 0 };
  private restarting: Promise<void> | null = null;
  readonly restartErrors: string[] = [];

  constructor(
    private readonly target: ServerProcess,
    private readonly random: () => number,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  private forward(
    req: http.IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = http.request(
        {
          host: '127.0.0.1',
          port: this.target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: `127.0.0.1:${this.target.port}` },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
          );
          res.on('error', reject);
        },
      );
      out.on('error', reject);
      out.end(body);
    });
  }

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        void this.handle(req, Buffer.concat(chunks), res);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  private async handle(req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): Promise<void> {
    const f = this.faults;
    const r = this.random;
    this.counts.requests++;
    try {
      if (this.restarting) await this.restarting;
      if (f.delayMs > 0) await new Promise((x) => setTimeout(x, r() * f.delayMs));
      if (r() < f.dropBefore) {
        this.counts.dropBefore++;
        res.socket?.destroy();
        return;
      }
      if (r() < f.error5xx) {
        this.counts.error5xx++;
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'INTERNAL', message: '服务器暂时不可用（故障注入）' } }));
        return;
      }
      const isPush = req.method === 'POST' && /\/changes$/.test(req.url ?? '');
      if (isPush && !this.restarting && r() < f.restartOnPush) {
        // the server dies while the push is in flight, then comes back
        this.counts.restarts++;
        const pending = this.forward(req, body).catch(() => null);
        this.restarting = (async () => {
          await new Promise((x) => setTimeout(x, r() * 5));
          await this.target.restart();
        })();
        try {
          await this.restarting;
        } catch (e) {
          this.restartErrors.push(e instanceof Error ? e.message : String(e));
          await this.target.restart();
        } finally {
          this.restarting = null;
        }
        await pending;
        res.socket?.destroy();
        return;
      }
      let answer = await this.forward(req, body);
      if (r() < f.duplicate) {
        this.counts.duplicate++;
        answer = await this.forward(req, body);
      }
      if (r() < f.dropAfter) {
        this.counts.dropAfter++;
        res.socket?.destroy();
        return;
      }
      const headers = { ...answer.headers };
      delete headers['transfer-encoding'];
      delete headers.connection;
      res.writeHead(answer.status, headers);
      res.end(answer.body);
    } catch {
      res.socket?.destroy();
    }
  }

  async close(): Promise<void> {
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
    this.server?.closeAllConnections?.();
  }
}

// ---------- laptops ----------

export interface Laptop {
  name: string;
  core: Core;
  dataDir: string;
  skewMs: number;
}

export function wsOfCore(core: Core): Workspace {
  const ws = core.workspace;
  if (!ws) throw new Error('no workspace open');
  return ws;
}

async function ok<T>(
  p: Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>,
): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`${r.error.code} ${r.error.message}`);
  return r.value;
}

export interface Scenario {
  root: string;
  server: ServerProcess;
  proxy: FaultProxy;
  laptops: Laptop[];
  token: string;
  close(): Promise<void>;
}

/** Server process + proxy + the first laptop (template workspace) + others cloned from the server. */
export async function setupScenario(seed: number, skews: number[]): Promise<Scenario> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-conv-'));
  const serverDir = path.join(root, 'server');
  const sdb = openServerDb(serverDir);
  const user = createUser(sdb, '驻场团队');
  const token = issueToken(sdb, user.id).token;
  sdb.close();
  const server = new ServerProcess(serverDir);
  await server.start();
  const proxy = new FaultProxy(server, rng(seed ^ 0x5bd1e995));
  await proxy.start();

  const laptops: Laptop[] = [];
  const mk = (i: number): Laptop => {
    const skewMs = skews[i] ?? 0;
    const dataDir = path.join(root, `laptop${i + 1}`);
    const core = createCore({
      dataDir,
      runtime: 'test',
      openLast: false,
      rememberRecent: false,
      clock: () => new Date(Date.now() + skewMs),
    });
    return { name: `笔记本${i + 1}`, core, dataDir, skewMs };
  };
  const first = mk(0);
  await ok(
    first.core.invoke('workspace.create', {
      name: '收敛测试',
      templateId: 'qionghai',
      startMonth: '2027-01',
      me: { name: '李明', role: '项目负责人' },
      dir: path.join(first.dataDir, 'ws'),
    }),
  );
  await ok(first.core.invoke('sync.configure', { serverUrl: proxy.url, token }));
  await ok(first.core.invoke('sync.now', {}));
  laptops.push(first);
  const wsId = wsOfCore(first.core).id;
  for (let i = 1; i < skews.length; i++) {
    const l = mk(i);
    const dir = path.join(l.dataDir, 'ws');
    const { workspace } = await cloneWorkspace({
      dir,
      serverUrl: proxy.url,
      token,
      workspaceId: wsId,
      secrets: fileSecretStore(l.dataDir),
      clock: () => new Date(Date.now() + l.skewMs),
    });
    workspace.close();
    await ok(l.core.invoke('workspace.open', { dir }));
    laptops.push(l);
  }
  return {
    root,
    server,
    proxy,
    laptops,
    token,
    async close() {
      for (const l of laptops) l.core.close();
      await proxy.close();
      await server.stop();
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}

const WORDS = ['信用承诺', '红黑名单', '联合奖惩', '信用修复', '双公示', '信用监测', '数据归集', '示范创建'];

/** One random operation of a laptop on tasks, indicators or materials (refusals are fine). */
export async function randomOp(l: Laptop, r: () => number, step: number): Promise<string> {
  const core = l.core;
  const pick = <T>(xs: readonly T[]): T | undefined => xs[Math.floor(r() * xs.length)];
  const word = () => `${pick(WORDS)}${step}`;
  const kind = r();
  try {
    if (kind < 0.35) {
      const tasks = await ok(core.invoke('tasks.list', {}));
      const t = pick(tasks.rows);
      if (!t || r() < 0.2) {
        await ok(core.invoke('tasks.create', { title: `${l.name}新建${word()}`, dueDate: '2027-10-31' }));
        return 'task.create';
      }
      const x = r();
      if (x < 0.5)
        await ok(core.invoke('tasks.update', { id: t.id, patch: { title: `${l.name}改${word()}` } }));
      else if (x < 0.85)
        await ok(core.invoke('tasks.update', { id: t.id, patch: { progress: Math.floor(r() * 100) } }));
      else await ok(core.invoke('tasks.delete', { id: t.id }));
      return 'task.edit';
    }
    if (kind < 0.6) {
      const inds = await ok(core.invoke('indicators.list', {}));
      const ind = pick(inds);
      if (!ind) return 'none';
      await ok(
        core.invoke('indicators.update', {
          id: ind.id,
          patch:
            r() < 0.5
              ? { narrative: `${l.name}的自评说明${word()}` }
              : { scoreNote: `${l.name}理由${word()}` },
        }),
      );
      return 'indicator.update';
    }
    const mats = await ok(core.invoke('materials.list', {}));
    const m = pick(mats);
    if (!m || r() < 0.15) {
      await ok(
        core.invoke('materials.create', {
          title: `${l.name}的材料${word()}`,
          type: 'work_points',
          templateId: null,
          tags: [],
          indicatorIds: [],
          taskIds: [],
        }),
      );
      return 'material.create';
    }
    if (r() < 0.25) {
      await ok(core.invoke('materials.update', { id: m.id, patch: { title: `${l.name}改材料${word()}` } }));
      return 'material.update';
    }
    // a document edit, the way the editor sends it
    const loaded = await ok(core.invoke('docs.load', { docId: m.id }));
    const d = new Y.Doc();
    Y.applyUpdate(d, Buffer.from(loaded.update, 'base64'));
    const json = docToJson(d);
    const before = Y.encodeStateVector(d);
    replaceDocContent(d, {
      ...json,
      content: [
        ...(json.content ?? []),
        { type: 'paragraph', content: [{ type: 'text', text: `${l.name}写：${word()}` }] },
      ],
    });
    const update = Y.encodeStateAsUpdate(d, before);
    d.destroy();
    await ok(core.invoke('docs.push', { docId: m.id, update: Buffer.from(update).toString('base64') }));
    return 'doc.edit';
  } catch {
    return 'refused';
  }
}

/** Syncs every laptop round after round until a round moves nothing (or `maxRounds`). */
export async function syncUntilQuiet(laptops: Laptop[], maxRounds = 12): Promise<number> {
  for (let round = 1; round <= maxRounds; round++) {
    let moved = 0;
    for (const l of laptops) {
      const r = await l.core.invoke('sync.now', {});
      if (!r.ok) {
        moved++;
        continue;
      }
      moved += r.value.pushed + r.value.pulled + r.value.docs + r.value.blobsUp + r.value.blobsDown;
    }
    if (moved === 0) return round;
  }
  throw new Error(`laptops did not converge within ${maxRounds} rounds`);
}

/** Every synced table as rows of id + fields (sorted), for comparison between laptops. */
export function recordsSnapshot(ws: Workspace): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const def of Object.values(ENTITIES) as EntityDef[]) {
    const cols = ['id', ...Object.keys(def.fields)];
    out[def.table] = ws.db.prepare(`SELECT ${cols.join(', ')} FROM ${def.table} ORDER BY id`).all();
  }
  return out;
}

/** Every document's content (ProseMirror JSON) and state vector. */
export function docsSnapshot(ws: Workspace): Record<string, { json: unknown; sv: string }> {
  const ids = (
    ws.db
      .prepare('SELECT doc_id FROM doc_snapshots UNION SELECT doc_id FROM doc_updates ORDER BY 1')
      .all() as { doc_id: string }[]
  ).map((r) => r.doc_id);
  const out: Record<string, { json: unknown; sv: string }> = {};
  for (const id of ids) {
    const { doc } = loadDoc(ws, id);
    const sv = Y.decodeStateVector(Y.encodeStateVector(doc));
    out[id] = {
      json: docToJson(doc),
      sv: JSON.stringify([...sv.entries()].sort((a, b) => a[0] - b[0])),
    };
    doc.destroy();
  }
  return out;
}

/**
 * Fields whose value differs from the value of the newest-stamped change among all laptops'
 * change logs (every write that won by its stamp must be present). Deletion is checked apart.
 */
export function lostWinners(laptops: Laptop[]): string[] {
  const best = new Map<string, { stamp: string; value: string | null }>();
  for (const l of laptops) {
    const rows = wsOfCore(l.core)
      .db.prepare("SELECT entity, entity_id, field, stamp, new_value FROM changes WHERE field != 'deleted'")
      .all() as {
      entity: string;
      entity_id: string;
      field: string;
      stamp: string;
      new_value: string | null;
    }[];
    for (const c of rows) {
      const key = `${c.entity}\u0000${c.entity_id}\u0000${c.field}`;
      const b = best.get(key);
      if (!b || c.stamp > b.stamp) best.set(key, { stamp: c.stamp, value: c.new_value });
    }
  }
  const problems: string[] = [];
  for (const l of laptops) {
    const ws = wsOfCore(l.core);
    for (const [key, b] of best) {
      const [entity, id, field] = key.split('\u0000') as [string, string, string];
      const def = (ENTITIES as Record<string, EntityDef>)[entity];
      const fdef = def?.fields[field];
      if (!def || !fdef) continue;
      const row = ws.db.prepare(`SELECT ${field} AS v FROM ${def.table} WHERE id = ?`).get(id) as
        { v: unknown } | undefined;
      const have = row ? JSON.stringify(fromDb(fdef, row.v)) : '(missing row)';
      if (have !== (b.value ?? 'null'))
        problems.push(`${l.name} ${entity}.${field} ${id}: ${have} ≠ ${b.value}`);
    }
  }
  return problems;
}
