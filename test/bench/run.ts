/**
 * `npm run bench` (npx tsx test/bench/run.ts): the speed targets of issue 2 on a workspace with
 * 50,000 tasks, seeded through the real write path and cached in the temp folder.
 *
 *   (a) core cold start opening that workspace: < 200 ms — fresh `node --import tsx` process per
 *       run, from before the core's import until createCore({ openLast: true }) has reopened it and
 *       the first 'app.info' and 'tasks.list' (limit 50) returned; median of 5 runs (1 warm-up).
 *   (b) 'tasks.list' with a department + status filter and a text search: < 50 ms — median of 20
 *       runs after warm-up, and p95.
 * Other figures are printed for information. Exits 1 if a target is missed.
 *
 * Options: --reseed (ignore the cache), --tasks <n> (default 50000).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../../main/core/core';
import type { TaskFilter } from '../../main/core/contract/index';
import type * as EsbuildNs from 'esbuild';
import { REPO_ROOT, seededWorkspace } from './seed';

interface ColdStart {
  totalMs: number;
  importMs: number;
  openMs: number;
  appInfoMs: number;
  tasksListMs: number;
  tasks: number;
}

interface Row {
  name: string;
  median: number;
  p95: number | null;
  runs: number;
  target: number | null;
  note: string;
}

const { values: args } = parseArgs({
  options: { reseed: { type: 'boolean', default: false }, tasks: { type: 'string', default: '50000' } },
});
const TASKS = Number(args.tasks);
if (!Number.isInteger(TASKS) || TASKS < 1000) throw new Error('--tasks must be an integer ≥ 1000');

const COLD_TARGET_MS = 200;
const LIST_TARGET_MS = 50;
const COLD_RUNS = 5;
const LIST_RUNS = 20;
const INFO_RUNS = 10;
/** A case whose runs take longer than this stops early (at least 3 runs): a miss is a miss. */
const TARGET_BUDGET_MS = 15_000;
const INFO_BUDGET_MS = 4_000;

const log = (s = '') => process.stdout.write(`${s}\n`);
const ms = (n: number) => `${n.toFixed(1)} ms`;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
}
function stats(samples: number[]): { median: number; p95: number; min: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mid =
    s.length % 2
      ? (s[(s.length - 1) / 2] ?? NaN)
      : ((s[s.length / 2 - 1] ?? NaN) + (s[s.length / 2] ?? NaN)) / 2;
  return { median: mid, p95: quantile(s, 0.95), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN };
}

function runChild(cmd: string, argv: string[]): ColdStart {
  const r = spawnSync(cmd, argv, { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0)
    throw new Error(`cold start failed (exit ${r.status}): ${r.stderr || r.error?.message || ''}`);
  const line = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as ColdStart;
}

function coldStarts(label: string, cmd: string, argv: string[]): ColdStart[] {
  runChild(cmd, argv); // warm-up: OS file cache, tsx's transform cache
  const runs: ColdStart[] = [];
  for (let i = 0; i < COLD_RUNS; i++) runs.push(runChild(cmd, argv));
  const total = stats(runs.map((r) => r.totalMs));
  const part = (k: keyof ColdStart) => stats(runs.map((r) => r[k])).median;
  log(
    `  ${label}: median ${ms(total.median)} (min ${ms(total.min)}, max ${ms(total.max)}) — ` +
      `import ${ms(part('importMs'))}, open ${ms(part('openMs'))}, app.info ${ms(part('appInfoMs'))}, ` +
      `tasks.list ${ms(part('tasksListMs'))}`,
  );
  return runs;
}

/** Bundles the core and the cold-start script like the app build does (dependencies external). */
async function bundleForNode(): Promise<{ script: string; core: string } | null> {
  let esbuild: typeof EsbuildNs;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  // inside the repository so the bundles find node_modules (zod, better-sqlite3, …)
  const dir = path.join(REPO_ROOT, 'node_modules', '.cache', 'cwb-bench');
  fs.mkdirSync(dir, { recursive: true });
  const common = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'error',
  } as const;
  const core = path.join(dir, 'core.mjs');
  const script = path.join(dir, 'cold-start.mjs');
  await esbuild.build({ ...common, entryPoints: [path.join(REPO_ROOT, 'main/core/core.ts')], outfile: core });
  await esbuild.build({
    ...common,
    entryPoints: [path.join(REPO_ROOT, 'test/bench/cold-start.ts')],
    outfile: script,
  });
  return { script, core };
}

async function timeList(core: Core, input: TaskFilter, runs: number, budgetMs: number) {
  let total = -1;
  const once = async () => {
    const t = performance.now();
    const r = await core.invoke('tasks.list', input);
    const dt = performance.now() - t;
    if (!r.ok) throw new Error(`tasks.list: ${r.error.message}`);
    total = r.value.total;
    return dt;
  };
  // warm-up (statement cache, page cache): 3 runs, fewer when a run is very slow
  const first = await once();
  if (first * 3 < budgetMs) for (let i = 0; i < 2; i++) await once();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < runs && (samples.length < 3 || performance.now() - started < budgetMs))
    samples.push(await once());
  return { ...stats(samples), total, runs: samples.length, cut: samples.length < runs };
}

const loadavg = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<number> {
  const started = performance.now();
  log(
    `Benchmark: ${TASKS.toLocaleString('en-US')} tasks — node ${process.version}, ${process.platform}/${process.arch}, ` +
      `${os.cpus().length} CPUs, load average ${loadavg()}`,
  );
  log();

  // ---------------------------------------------------------------- seed
  log('Seeding (cached between runs; --reseed to redo)…');
  const seeded = await seededWorkspace(TASKS, { reseed: args.reseed, log });
  const dbBytes = fs.statSync(path.join(seeded.workspaceDir, 'workspace.sqlite')).size;
  log(
    seeded.reused
      ? `  reused cached workspace ${seeded.workspaceDir} (key ${seeded.cacheKey})`
      : `  seeded in ${seeded.seedSeconds.toFixed(1)} s → ${seeded.workspaceDir}`,
  );
  log(`  database ${(dbBytes / 1048576).toFixed(1)} MB`);
  log();

  const rows: Row[] = [];

  // ---------------------------------------------------------------- (a) cold start
  log(`Cold start (fresh process each run, ${COLD_RUNS} runs after 1 warm-up)…`);
  const tsx = coldStarts('node --import tsx (dev, the target)', process.execPath, [
    '--import',
    'tsx',
    'test/bench/cold-start.ts',
    seeded.dataDir,
  ]);
  const expectTotal = tsx[0]?.tasks ?? 0;
  if (expectTotal < TASKS) throw new Error(`cold start saw ${expectTotal} tasks, expected ≥ ${TASKS}`);
  const a = stats(tsx.map((r) => r.totalMs));
  rows.push({
    name: '(a) cold start: import + open + app.info + tasks.list(50)',
    median: a.median,
    p95: null,
    runs: COLD_RUNS,
    target: COLD_TARGET_MS,
    note: 'node --import tsx',
  });
  const bundled = await bundleForNode();
  if (bundled) {
    const b = coldStarts('bundled core, plain node (like the built app)', process.execPath, [
      bundled.script,
      seeded.dataDir,
      bundled.core,
    ]);
    rows.push({
      name: '    cold start, bundled like the app build',
      median: stats(b.map((r) => r.totalMs)).median,
      p95: null,
      runs: COLD_RUNS,
      target: null,
      note: 'info: no tsx transform',
    });
  } else {
    log('  (bundled variant skipped: esbuild not available)');
  }
  log();

  // ---------------------------------------------------------------- (b) tasks.list
  log(`tasks.list in process (${LIST_RUNS} runs after 3 warm-up)…`);
  const core = createCore({ dataDir: seeded.dataDir, runtime: 'cli', openLast: true });
  try {
    const depts = await core.invoke('departments.list', {});
    if (!depts.ok || !core.workspace) throw new Error('workspace did not open');
    const dept = depts.value.find((d) => d.shortName === '市发改委') ?? depts.value[0];
    if (!dept) throw new Error('no departments');
    const filter: TaskFilter = { deptIds: [dept.id], statuses: ['handling', 'feedback'], search: '双公示' };

    // correctness of the measured query: every row matches the filter
    const sample = await core.invoke('tasks.list', filter);
    if (!sample.ok || sample.value.rows.length === 0) throw new Error('the benchmark filter finds no tasks');
    for (const t of sample.value.rows) {
      const inDept = t.leadDeptId === dept.id || t.coopDeptIds.includes(dept.id);
      const text = [t.title, t.code, t.description, t.standard, t.leadDeptName].join(' ');
      if (!inDept || !['handling', 'feedback'].includes(t.status) || !text.includes('双公示')) {
        throw new Error(`tasks.list returned a row outside the filter: ${t.code}`);
      }
    }

    const cases: { name: string; input: TaskFilter; target: number | null; note: string }[] = [
      {
        name: '(b) tasks.list dept + status + search',
        input: filter,
        target: LIST_TARGET_MS,
        note: `${dept.shortName ?? dept.name}, 办理中+待复核, "双公示"`,
      },
      {
        name: '    dept + one status + search',
        input: { ...filter, statuses: ['handling'] },
        target: null,
        note: 'info',
      },
      {
        name: '    dept + status, no search',
        input: { deptIds: filter.deptIds, statuses: filter.statuses },
        target: null,
        note: 'info',
      },
      { name: '    search only', input: { search: '双公示' }, target: null, note: 'info' },
      { name: '    first page, no filter (limit 50)', input: { limit: 50 }, target: null, note: 'info' },
      {
        name: '    no filter, default limit (20,000 rows)',
        input: {},
        target: null,
        note: 'info: whole table for the UI',
      },
    ];
    for (const c of cases) {
      const s = await timeList(
        core,
        c.input,
        c.target ? LIST_RUNS : INFO_RUNS,
        c.target ? TARGET_BUDGET_MS : INFO_BUDGET_MS,
      );
      log(
        `  ${c.name.trim()}: median ${ms(s.median)}, p95 ${ms(s.p95)} over ${s.runs} runs` +
          `${s.cut ? ' (stopped early: too slow)' : ''} (${s.total.toLocaleString('en-US')} matching)`,
      );
      rows.push({
        name: c.name,
        median: s.median,
        p95: s.p95,
        runs: s.runs,
        target: c.target,
        note: `${c.note}; ${s.total.toLocaleString('en-US')} rows${s.cut ? '; stopped early' : ''}`,
      });
    }
  } finally {
    core.close();
  }
  log();

  // ---------------------------------------------------------------- summary
  const pad = (s: string, n: number) => s.padEnd(n);
  const padL = (s: string, n: number) => s.padStart(n);
  const nameW = Math.max(...rows.map((r) => r.name.length));
  log('Summary');
  log(
    `${pad('measure', nameW)}  ${padL('median', 10)}  ${padL('p95', 10)}  ${padL('runs', 4)}  ${padL('target', 8)}  result  note`,
  );
  log('-'.repeat(nameW + 70));
  let failed = 0;
  for (const r of rows) {
    const result = r.target === null ? '' : r.median < r.target ? 'PASS' : 'FAIL';
    if (result === 'FAIL') failed++;
    log(
      `${pad(r.name, nameW)}  ${padL(ms(r.median), 10)}  ${padL(r.p95 === null ? '—' : ms(r.p95), 10)}  ${padL(String(r.runs), 4)}  ` +
        `${padL(r.target === null ? '—' : `< ${r.target}`, 8)}  ${pad(result, 6)}  ${r.note}`,
    );
  }
  log();
  log(
    `Seeding: ${seeded.reused ? 'reused cache' : `${seeded.seedSeconds.toFixed(1)} s`}; ` +
      `whole benchmark ${((performance.now() - started) / 1000).toFixed(1)} s; load average now ${loadavg()}.`,
  );
  log(failed === 0 ? 'All targets met.' : `${failed} target(s) missed.`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`benchmark error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  },
);
