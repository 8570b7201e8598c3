/**
 * Sync speed (issue 6), against the reference server on loopback ((l) in process, (m) the real
 * server process, as in use it is another machine):
 *   (l) 10,000 field changes pushed by one laptop and pulled by another (two 'sync.now'): < 2 s;
 *       the ratio to inserting the same change rows into SQLite directly is printed;
 *   (m) initial sync of the 50,000-task workspace to a new laptop (cloneWorkspace: every record
 *       pulled and applied through the write path): < 10 s, median of 3 clones — the workspace is
 *       first pushed from a copy of the seeded one (not timed; printed);
 *   (n) the convergence property run with more seeds and steps than CI (three laptops, the real
 *       server process behind the fault proxy): no target, fails the bench if laptops diverge.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { createCore, type Core } from '../../main/core/core';
import type { CommandName, Input, Output } from '../../main/core/contract/index';
import { cloneWorkspace } from '../../main/core/sync/clone';
import { fileSecretStore } from '../../main/core/sync/secrets';
import { parse } from '../../main/core/util/hlc';
import { createUser, issueToken } from '../../server/accounts';
import { createServer } from '../../server/app';
import { openServerDb } from '../../server/db';
import {
  docsSnapshot,
  lostWinners,
  NO_FAULTS,
  randomOp,
  recordsSnapshot,
  rng,
  ServerProcess,
  setupScenario,
  syncUntilQuiet,
  wsOfCore,
} from '../helpers/sync-faults';
import type { BenchRow } from './materials-bench';
import { seededWorkspace } from './seed';
import { stats } from './timing';

export const PUSH_PULL_TARGET_MS = 2000;
export const CLONE_TARGET_MS = 10_000;
const FIELD_CHANGES = 10_000;

async function must<N extends CommandName>(core: Core, name: N, input: Input<N>): Promise<Output<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

async function startServer(root: string) {
  const server = await createServer({ dataDir: path.join(root, 'server'), rateLimit: false });
  const { url } = await server.listen(0);
  const user = createUser(server.db, '基准测试');
  const token = issueToken(server.db, user.id).token;
  return { server, url, token };
}

/** (l) 10,000 field changes: push from A, pull into B. */
export async function pushPullRow(log: (s?: string) => void): Promise<BenchRow> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-sync-'));
  const { server, url, token } = await startServer(root);
  try {
    const a = createCore({
      dataDir: path.join(root, 'a'),
      runtime: 'cli',
      openLast: false,
      rememberRecent: false,
    });
    await must(a, 'workspace.create', {
      name: '同步基准',
      templateId: null,
      city: '测试市',
      startMonth: '2027-01',
      me: { name: '李明', role: '项目负责人' },
      dir: path.join(root, 'a', 'ws'),
    });
    await must(a, 'sync.configure', { serverUrl: url, token });
    await must(a, 'sync.now', {});
    const wsId = a.workspace!.id;
    const b = createCore({
      dataDir: path.join(root, 'b'),
      runtime: 'cli',
      openLast: false,
      rememberRecent: false,
    });
    const { workspace } = await cloneWorkspace({
      dir: path.join(root, 'b', 'ws'),
      serverUrl: url,
      token,
      workspaceId: wsId,
      secrets: fileSecretStore(path.join(root, 'b')),
    });
    workspace.close();
    await must(b, 'workspace.open', { dir: path.join(root, 'b', 'ws') });

    // 10,000 field changes on A through the write path: 1,000 tasks × 10 fields
    const ws = a.workspace!;
    const before = (ws.db.prepare('SELECT MAX(id) AS n FROM changes').get() as { n: number }).n;
    ws.writer.transact(ws.actor(), (tx) => {
      for (let i = 0; i < FIELD_CHANGES / 10; i++) {
        tx.insert('task', {
          code: `B-${i}`,
          title: `基准任务${i}`,
          description: `第 ${i} 项任务的内容说明`,
          standard: '按时完成',
          due_date: '2027-12-31',
          status: 'draft',
          priority: 'normal',
          recurrence: 'none',
          progress: i % 100,
          kind: 'task',
        });
      }
    });
    const made = (
      ws.db.prepare('SELECT COUNT(*) AS n FROM changes WHERE id > ?').get(before) as { n: number }
    ).n;

    const t0 = performance.now();
    const pushed = await must(a, 'sync.now', {});
    const t1 = performance.now();
    const pulled = await must(b, 'sync.now', {});
    const t2 = performance.now();
    if (pushed.pushed !== made || pulled.pulled !== made)
      throw new Error(`pushed ${pushed.pushed}, pulled ${pulled.pulled}, made ${made}`);

    // the same change rows inserted into SQLite directly (one transaction, prepared statement)
    const rows = ws.db
      .prepare(
        'SELECT tx_id, at, actor_id, actor_name, entity, entity_id, op, field, old_value, new_value, stamp FROM changes WHERE id > ?',
      )
      .all(before) as unknown[][];
    const raw = new Database(path.join(root, 'raw.sqlite'));
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.exec(
      `CREATE TABLE changes (id INTEGER PRIMARY KEY, tx_id TEXT, at TEXT, actor_id TEXT, actor_name TEXT, entity TEXT,
        entity_id TEXT, op TEXT, field TEXT, old_value TEXT, new_value TEXT, stamp TEXT)`,
    );
    const ins = raw.prepare(
      'INSERT INTO changes (tx_id, at, actor_id, actor_name, entity, entity_id, op, field, old_value, new_value, stamp) VALUES (@tx_id, @at, @actor_id, @actor_name, @entity, @entity_id, @op, @field, @old_value, @new_value, @stamp)',
    );
    const r0 = performance.now();
    raw.transaction(() => {
      for (const r of rows) ins.run(r);
    })();
    const rawMs = performance.now() - r0;
    raw.close();
    a.close();
    b.close();
    const total = t2 - t0;
    log(
      `(l) ${made} field changes: push ${(t1 - t0).toFixed(0)} ms, pull+apply ${(t2 - t1).toFixed(0)} ms; ` +
        `direct SQLite insert of the same rows ${rawMs.toFixed(1)} ms (sync is ${(total / rawMs).toFixed(0)}× that)`,
    );
    return {
      name: `sync: ${made} field changes pushed + pulled`,
      median: total,
      p95: null,
      runs: 1,
      target: PUSH_PULL_TARGET_MS,
      note: `push ${(t1 - t0).toFixed(0)} ms + pull ${(t2 - t1).toFixed(0)} ms; ${(total / rawMs).toFixed(0)}× a direct SQLite insert (${rawMs.toFixed(1)} ms)`,
    };
  } finally {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/**
 * (m) the seeded workspace cloned to a new laptop. The server is the real server process (in use
 * it is another machine: its page building and this laptop's applying run on two cores), with
 * its clock moved to the campaign's (the seeded stamps are dated 2027); `runs` clones of the one
 * pushed workspace, the median is the figure.
 */
export async function cloneRow(
  workspaceDir: string,
  tasks: number,
  log: (s?: string) => void,
  runs = 3,
): Promise<BenchRow> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-clone-'));
  const copy = path.join(root, 'a', 'ws');
  fs.mkdirSync(copy, { recursive: true });
  fs.copyFileSync(path.join(workspaceDir, 'workspace.sqlite'), path.join(copy, 'workspace.sqlite'));
  // the seeded workspace was written with the campaign's clock (2027): the server and the laptops
  // run on that clock too, so its stamps are not "far in the future"
  const probe = new Database(path.join(copy, 'workspace.sqlite'), { readonly: true });
  const newest = (probe.prepare('SELECT MAX(stamp) AS s FROM changes').get() as { s: string }).s;
  probe.close();
  const offset = Math.max(0, parse(newest).ms + 60_000 - Date.now());
  const clock = () => new Date(Date.now() + offset);
  // the account is made in the server's folder before it starts (as `admin` would)
  const serverDir = path.join(root, 'server');
  const sdb = openServerDb(serverDir);
  const user = createUser(sdb, '基准测试');
  const token = issueToken(sdb, user.id, { days: null }).token;
  sdb.close();
  const server = new ServerProcess(serverDir, ['--clock-offset-ms', String(offset)]);
  await server.start();
  const url = server.url;
  try {
    const a = createCore({
      clock,
      dataDir: path.join(root, 'a'),
      runtime: 'cli',
      openLast: false,
      rememberRecent: false,
    });
    await must(a, 'workspace.open', { dir: copy });
    await must(a, 'sync.configure', { serverUrl: url, token });
    const p0 = performance.now();
    const first = await must(a, 'sync.now', {});
    const pushMs = performance.now() - p0;
    const wsId = a.workspace!.id;
    a.close();
    log(
      `(m) first push of the ${tasks}-task workspace: ${first.pushed} changes in ${(pushMs / 1000).toFixed(1)} s`,
    );

    const times: number[] = [];
    let records = 0;
    let got = 0;
    for (let i = 0; i < runs; i++) {
      const c0 = performance.now();
      const cloned = await cloneWorkspace({
        dir: path.join(root, `b${i}`, 'ws'),
        serverUrl: url,
        token,
        workspaceId: wsId,
        secrets: fileSecretStore(path.join(root, `b${i}`)),
        clock,
      });
      const cloneMs = performance.now() - c0;
      records = cloned.records;
      const ws = cloned.workspace;
      got = (ws.db.prepare('SELECT COUNT(*) AS n FROM tasks').get() as { n: number }).n;
      ws.close();
      fs.rmSync(path.join(root, `b${i}`), { recursive: true, force: true });
      if (got < tasks) throw new Error(`clone has ${got} tasks, expected at least ${tasks}`);
      times.push(cloneMs);
      log(`(m) clone ${i + 1}/${runs}: ${records} changes, ${got} tasks in ${(cloneMs / 1000).toFixed(1)} s`);
    }
    const st = stats(times);
    return {
      name: `sync: clone of the ${tasks}-task workspace`,
      median: st.median,
      p95: null,
      runs,
      target: CLONE_TARGET_MS,
      note: `${records} changes, ${got} tasks, server in its own process; runs ${times.map((t) => (t / 1000).toFixed(1)).join(' / ')} s; first push ${(pushMs / 1000).toFixed(1)} s`,
    };
  } finally {
    await server.stop();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** (n) convergence with more seeds and steps than CI. */
export async function convergenceRow(
  log: (s?: string) => void,
  seeds = [11, 12, 13],
  steps = 80,
): Promise<BenchRow> {
  const t0 = performance.now();
  for (const seed of seeds) {
    const s = await setupScenario(seed, [0, 9 * 60_000, -9 * 60_000]);
    try {
      const r = rng(seed);
      s.proxy.faults = {
        dropBefore: 0.05,
        dropAfter: 0.05,
        duplicate: 0.08,
        error5xx: 0.05,
        delayMs: 15,
        restartOnPush: 0.04,
      };
      for (let step = 0; step < steps; step++) {
        await Promise.all(
          s.laptops.map(async (l) => {
            await randomOp(l, r, step);
            if (r() < 0.3) await l.core.invoke('sync.now', {});
          }),
        );
      }
      s.proxy.faults = NO_FAULTS;
      const rounds = await syncUntilQuiet(s.laptops);
      const [a, ...others] = s.laptops.map((l) => wsOfCore(l.core));
      const ra = JSON.stringify(recordsSnapshot(a!));
      const da = JSON.stringify(docsSnapshot(a!));
      for (const ws of others) {
        if (JSON.stringify(recordsSnapshot(ws)) !== ra) throw new Error(`seed ${seed}: records differ`);
        if (JSON.stringify(docsSnapshot(ws)) !== da) throw new Error(`seed ${seed}: documents differ`);
      }
      const lost = lostWinners(s.laptops);
      if (lost.length)
        throw new Error(`seed ${seed}: winning writes missing: ${lost.slice(0, 3).join('; ')}`);
      log(
        `(n) seed ${seed}: converged after ${rounds} quiet round(s); proxy ${JSON.stringify(s.proxy.counts)}`,
      );
    } finally {
      await s.close();
    }
  }
  return {
    name: `sync: convergence, ${seeds.length} seeds × ${steps} steps under faults`,
    median: performance.now() - t0,
    p95: null,
    runs: seeds.length,
    target: null,
    note: 'three laptops identical (records, documents), every winning write present',
  };
}

/**
 * `npx tsx test/bench/sync-bench.ts [--only l|m] [--runs n] [--tasks n]`: rows (l) and (m) alone
 * (the seeded workspace is reused from the bench's cache, see seed.ts), for work on sync speed.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      only: { type: 'string' },
      runs: { type: 'string', default: '3' },
      tasks: { type: 'string', default: '50000' },
    },
  });
  const log = (s = '') => process.stdout.write(`${s}\n`);
  const runs = Number(values.runs);
  if (values.only !== 'm') {
    for (let i = 0; i < runs; i++) await pushPullRow(log);
  }
  if (values.only !== 'l') {
    const seeded = await seededWorkspace(Number(values.tasks), { log });
    const row = await cloneRow(seeded.workspaceDir, seeded.tasks, log, runs);
    log(`(m) median ${(row.median / 1000).toFixed(2)} s of ${runs} (target ${CLONE_TARGET_MS / 1000} s)`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
