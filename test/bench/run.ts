/**
 * `npm run bench` (npx tsx test/bench/run.ts): the speed targets of issues 2 and 3 on a workspace
 * with 50,000 tasks shaped like a supervised campaign (see seed.ts), seeded through the real
 * write path and cached in the temp folder.
 *
 * Issue 2:
 *   (a) core cold start opening that workspace: < 200 ms — a fresh plain-node process per run on
 *       the core built the way the app ships it (esbuild: dependencies external except those the
 *       build bundles, lazily loaded modules split into their own chunks), from before the core's import until
 *       createCore({ openLast: true }) has reopened it and the first 'app.info' and 'tasks.list'
 *       (limit 50) returned; median of 5 runs (1 warm-up). The same under `node --import tsx`
 *       (development) is printed for information.
 *   (b) 'tasks.list' with a department + status filter and a text search: < 50 ms — median of 20
 *       runs after warm-up, and p95.
 * Issue 3 ("Speed"), with the workspace clock at the campaign's last day (BENCH_NOW):
 *   (c) 'league.table' over the campaign: < 100 ms — median and p95 of 10 runs after warm-up;
 *   (d) 'dashboard.summary': < 100 ms — median and p95 of 10 runs after warm-up; both on the
 *       50,000 tasks with 52 weekly snapshots;
 *   (e) 'dispatch.report' (每周工作调度报告 docx) for a workspace with 2,000 tasks: < 2 s —
 *       median of 5 runs after a warm-up;
 *   (f) importing a 5,000-row task workbook, 'tasks.importPreview' + 'tasks.importCommit' end
 *       to end into a copy of the 50,000-task workspace: < 3 s — median of 3 runs after a warm-up.
 * Issue 4 ("Speed"), on a workspace of its own (materials-bench.ts):
 *   (g) 自评报告 (≈ 80,000 characters, 40 tables) by the built CLI as a whole process vs pandoc turning
 *       the same text as markdown into docx, both timed here: ours no slower than pandoc;
 *   (h) 评审材料汇编 of about 500 pages, 'reports.compile' in process: < 4 s.
 *   (i) opening a 200-page material (≈ 160,000 characters) in the editor, built renderer in Debian
 *       Chromium over the web host, click → document painted: < 500 ms — median of 7 opens after a
 *       warm-up (editor-open.ts; needs `npm run build`).
 * Issue 5 ("Speed"):
 *   (j) the quarterly 预警监测排名分析报告 docx, 'reports.rankingAnalysis' in process, for a workspace
 *       with 24 months of results and weak points (accepted and dismissed): < 1 s — median of 10
 *       after 3 warm-ups (ranking-bench.ts).
 *   (k) the briefing deck (汇报PPT) with all sections, 'briefing.export' in process, for a
 *       workspace with 2,000 tasks, 12 months of results, metrics and rectifications: about 20
 *       slides with at least 8 native charts, < 1 s — median of 10 after 3 warm-ups; slide and
 *       chart counts printed (briefing-bench.ts).
 * Issue 6 ("Speed"), against the reference sync server on loopback (sync-bench.ts):
 *   (l) 10,000 field changes pushed by one laptop and pulled by another: < 2 s; the ratio to
 *       inserting the same change rows into SQLite directly is printed;
 *   (m) initial sync (clone) of the 50,000-task workspace to a new laptop, from the real server
 *       process (run with a clock offset: the seeded stamps are dated 2027): < 10 s, median of 3;
 *   (n) the convergence property run (three laptops, real server process, fault proxy) with more
 *       seeds and steps than CI: fails the bench if the laptops diverge.
 * Issue 7 ("Speed"), data compliance checks (compliance-bench.ts; each measurement in its own
 * child process, peak RSS < 500 MB):
 *   (o) parsing a 500,000-row × 21-column GBK CSV alone (rows/s);
 *   (p) reading a 200,000 × 20 xlsx: ≥ 3× exceljs's streaming reader on the same file;
 *   (q) the full check of the same CSV with the bundled 行政处罚 rule set and its error workbook:
 *       ≥ 150,000 rows/s and ≥ half the parse-only throughput of the same run;
 *   (r) the full check of the xlsx (info).
 * Other figures are printed for information. Exits 1 if a target is missed.
 *
 * Options: --reseed (ignore the cache), --tasks <n> (default 50000).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { strFromU8, unzipSync } from 'fflate';
import { createCore, type Core } from '../../main/core/core';
import type { CommandName, Input, Output, TaskFilter } from '../../main/core/contract/index';
import type * as EsbuildNs from 'esbuild';
import { explainCommand, localtimeProbe, traceStatements, type TracedStatement } from './diagnose';
import { externalDependencies } from './build';
import { editorOpenRow } from './editor-open';
import { UNKNOWN_UNITS } from './import-workbook';
import { materialsBench } from './materials-bench';
import { rankingReportRow } from './ranking-bench';
import { briefingDeckRow } from './briefing-bench';
import { complianceBenchRows } from './compliance-bench';
import { cloneRow, convergenceRow, pushPullRow } from './sync-bench';
import {
  BENCH_NOW,
  BENCH_TODAY,
  BENCH_WEEKS,
  IMPORT_ROWS,
  REPO_ROOT,
  REPORT_TASKS,
  seededWorkspace,
} from './seed';
import { ms, stats } from './timing';

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
  /** The p95 must be under the target too. */
  p95Target?: boolean;
  note: string;
}

const { values: args } = parseArgs({
  options: { reseed: { type: 'boolean', default: false }, tasks: { type: 'string', default: '50000' } },
});
const TASKS = Number(args.tasks);
if (!Number.isInteger(TASKS) || TASKS < 1000) throw new Error('--tasks must be an integer ≥ 1000');

const COLD_TARGET_MS = 200;
const LIST_TARGET_MS = 50;
const QUERY_TARGET_MS = 100;
const REPORT_TARGET_MS = 2000;
const IMPORT_TARGET_MS = 3000;
const QUERY_RUNS = 10;
const REPORT_RUNS = 5;
const IMPORT_RUNS = 3;
const COLD_RUNS = 5;
const LIST_RUNS = 20;
const INFO_RUNS = 10;
/** A case whose runs take longer than this stops early (at least 3 runs): a miss is a miss. */
const TARGET_BUDGET_MS = 15_000;
const INFO_BUDGET_MS = 4_000;

const log = (s = '') => process.stdout.write(`${s}\n`);

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

/**
 * Bundles the core and the cold-start script like the app build does: dependencies stay in
 * node_modules except those the build bundles (electron.vite.config.ts BUNDLED_DEPENDENCIES), and
 * modules the core loads on first use (the docx and xlsx writers, the workbook reader) stay in
 * their own chunks, as Rollup splits them in the Electron build.
 */
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
  const coreDir = path.join(dir, 'core');
  fs.rmSync(coreDir, { recursive: true, force: true });
  const core = path.join(coreDir, 'core.js');
  const script = path.join(dir, 'cold-start.mjs');
  const { packages: _external, ...bundling } = common;
  await esbuild.build({
    ...bundling,
    external: externalDependencies(),
    entryPoints: [path.join(REPO_ROOT, 'main/core/core.ts')],
    outdir: coreDir,
    splitting: true,
    outExtension: { '.js': '.js' },
  });
  fs.writeFileSync(path.join(coreDir, 'package.json'), '{ "type": "module" }');
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

type Seeded = Awaited<ReturnType<typeof seededWorkspace>>;

async function must<N extends CommandName>(core: Core, name: N, input: Input<N>): Promise<Output<N>> {
  const r = await core.invoke(name, input);
  if (!r.ok) throw new Error(`${name}: ${r.error.code} ${r.error.message}`);
  return r.value;
}

/** Times `once` (3 warm-up runs, fewer when slow), then `runs` runs within the budget. */
async function timeIt(once: () => Promise<unknown>, runs: number, budgetMs: number, warmups = 3) {
  const t0 = performance.now();
  await once();
  const first = performance.now() - t0;
  for (let i = 1; i < warmups && first * 3 < budgetMs; i++) await once();
  const samples: number[] = [];
  const started = performance.now();
  while (samples.length < runs && (samples.length < 3 || performance.now() - started < budgetMs)) {
    const t = performance.now();
    await once();
    samples.push(performance.now() - t);
  }
  return { ...stats(samples), runs: samples.length, cut: samples.length < runs };
}

const clock = () => new Date(BENCH_NOW);

function passed(r: Row): boolean {
  return r.target === null || (r.median < r.target && (!r.p95Target || (r.p95 ?? Infinity) < r.target));
}

async function supervision(seeded: Seeded): Promise<Row[]> {
  const rows: Row[] = [];
  const line = (name: string, s: { median: number; p95: number; runs: number; cut: boolean }, extra = '') =>
    log(
      `  ${name}: median ${ms(s.median)}, p95 ${ms(s.p95)} over ${s.runs} runs${s.cut ? ' (stopped early: too slow)' : ''}${extra}`,
    );

  // ---- (c), (d): league table and dashboard on the 50,000 tasks
  log(`Supervision queries in process, clock ${BENCH_TODAY} (${QUERY_RUNS} runs after 3 warm-up)…`);
  const core = createCore({ dataDir: seeded.dataDir, runtime: 'cli', openLast: true, clock });
  try {
    // the first call of a day creates the recurring series' missing instances (here: none
    // missing, so this is the cost of checking the 52 weeks × series already there)
    const tFirst = performance.now();
    await must(core, 'tasks.list', { limit: 1 });
    const firstCall = performance.now() - tFirst;
    const tSecond = performance.now();
    await must(core, 'tasks.list', { limit: 1 });
    const secondCall = performance.now() - tSecond;
    log(
      `  first core call of the day: ${ms(firstCall)} (the same call again: ${ms(secondCall)}) — generateInstances checking every period of every series`,
    );
    rows.push({
      name: '    first call of a day (recurring-instance check)',
      median: firstCall,
      p95: null,
      runs: 1,
      target: null,
      note: `info: tasks.list(1) first ${ms(firstCall)} vs then ${ms(secondCall)}`,
    });
    const settings = await must(core, 'workspace.settings', {});
    const weeks = await must(core, 'dispatch.weeks', {});
    if (weeks.length !== BENCH_WEEKS.length)
      throw new Error(`expected ${BENCH_WEEKS.length} frozen weeks, found ${weeks.length}`);
    const supervised = (await must(core, 'tasks.list', { supervisedOnly: true, limit: 1 })).total;
    log(
      `  ${supervised.toLocaleString('en-US')} supervised tasks, ${weeks.length} weekly snapshots (${weeks.at(-1)?.week} … ${weeks[0]?.week})`,
    );
    const campaign = { from: settings.periodStart, to: BENCH_TODAY };

    // correctness of what is measured: the league adds up to the supervised tasks in the range,
    // and the dashboard's top five are the league's
    const league = await must(core, 'league.table', campaign);
    const inRange = (
      await must(core, 'tasks.list', {
        supervisedOnly: true,
        dueFrom: campaign.from,
        dueTo: campaign.to,
        limit: 1,
      })
    ).total;
    const leagueTotal = league.reduce((n, r) => n + r.total, 0);
    const dash = await must(core, 'dashboard.summary', {});
    if (leagueTotal === 0 || leagueTotal > inRange)
      throw new Error(`league total ${leagueTotal} vs ${inRange} tasks in range`);
    if (JSON.stringify(dash.league.top) !== JSON.stringify(league.slice(0, 5)))
      throw new Error('dashboard top five differ from the league table');
    log(
      `  league: ${league.length} departments, ${leagueTotal.toLocaleString('en-US')} tasks due in ${campaign.from} … ${campaign.to}; ` +
        `dashboard: ${dash.totals.supervised.value.toLocaleString('en-US')} supervised, red ${dash.lights.red.value.toLocaleString('en-US')}, ` +
        `yellow ${dash.lights.yellow.value}, overdue ${dash.overdue.value.toLocaleString('en-US')}`,
    );

    const cases: { name: string; run: () => Promise<unknown>; target: number | null; note: string }[] = [
      {
        name: '(c) league.table, whole campaign',
        run: () => must(core, 'league.table', campaign),
        target: QUERY_TARGET_MS,
        note: `${campaign.from} … ${campaign.to}, ${league.length} departments`,
      },
      {
        name: '(d) dashboard.summary',
        run: () => must(core, 'dashboard.summary', {}),
        target: QUERY_TARGET_MS,
        note: '12-week trend, league top/bottom five, 2×50 task rows',
      },
      {
        // the dashboard page's other half: readiness, monitoring trend and metrics
        name: '    dashboard.campaign',
        run: () => must(core, 'dashboard.campaign', {}),
        target: QUERY_TARGET_MS,
        note: 'readiness (42 indicators with task counts), monitoring, metrics',
      },
      {
        name: '    league.table, one month',
        run: () => must(core, 'league.table', { from: '2027-12-01', to: '2027-12-31' }),
        target: null,
        note: 'info',
      },
      {
        name: '    dispatch.compare W52 vs W51',
        run: () => must(core, 'dispatch.compare', { week: '2027-W52' }),
        target: null,
        note: 'info: two snapshots unzipped',
      },
      {
        name: '    dispatch.weeks (52)',
        run: () => must(core, 'dispatch.weeks', {}),
        target: null,
        note: 'info',
      },
    ];
    for (const c of cases) {
      const s = await timeIt(c.run, c.target ? QUERY_RUNS : 5, c.target ? TARGET_BUDGET_MS : INFO_BUDGET_MS);
      line(c.name.trim(), s);
      rows.push({
        name: c.name,
        median: s.median,
        p95: s.p95,
        runs: s.runs,
        target: c.target,
        p95Target: c.target !== null,
        note: `${c.note}${s.cut ? '; stopped early' : ''}`,
      });
    }
    const missed = rows.filter((r) => r.target !== null && !passed(r));
    if (missed.length > 0) {
      log();
      log(
        `  Diagnosis (${missed.map((r) => r.name.slice(0, 3)).join(', ')} missed): statements of one call, slowest first`,
      );
      localtimeProbe(core, log);
      await explainCommand(core, 'league.table', () => must(core, 'league.table', campaign), log);
      await explainCommand(core, 'dashboard.summary', () => must(core, 'dashboard.summary', {}), log);
    }
  } finally {
    core.close();
  }
  log();

  // ---- (e): the weekly report of a 2,000-task workspace
  log(
    `Weekly report docx, ${REPORT_TASKS.toLocaleString('en-US')}-task workspace (${REPORT_RUNS} runs after 1 warm-up)…`,
  );
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-out-'));
  try {
    const rcore = createCore({ dataDir: seeded.report.dataDir, runtime: 'cli', openLast: true, clock });
    try {
      const cmp = await must(rcore, 'dispatch.compare', { week: '2027-W52' });
      let n = 0;
      let bytes = 0;
      const s = await timeIt(
        async () => {
          const r = await must(rcore, 'dispatch.report', {
            week: '2027-W52',
            file: path.join(outDir, `调度报告-${n++}.docx`),
          });
          bytes = r.bytes;
        },
        REPORT_RUNS,
        TARGET_BUDGET_MS * 2,
        1,
      );
      const xml = strFromU8(
        unzipSync(new Uint8Array(fs.readFileSync(path.join(outDir, '调度报告-0.docx'))))[
          'word/document.xml'
        ] ?? new Uint8Array(),
      );
      if (!xml.replace(/<[^>]+>/g, '').includes('每周工作调度报告'))
        throw new Error('the report lacks its title');
      const tableRows = (xml.match(/<w:tr[ >]/g) ?? []).length;
      line('(e) dispatch.report', s, `; ${(bytes / 1024).toFixed(0)} KB, ${tableRows} table rows`);
      log(
        `  the report's tables: ${cmp.week.summary.total} tasks, newly done ${cmp.newlyDone.length}, newly overdue ${cmp.newlyOverdue.length}, stalled ${cmp.stalled.length}`,
      );
      rows.push({
        name: '(e) dispatch.report docx, 2,000 tasks',
        median: s.median,
        p95: s.p95,
        runs: s.runs,
        target: REPORT_TARGET_MS,
        note: `${(bytes / 1024).toFixed(0)} KB, ${tableRows} table rows`,
      });
    } finally {
      rcore.close();
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
  log();

  // ---- (f): importing the 5,000-row workbook into a copy of the big workspace
  log(
    `Import of a ${IMPORT_ROWS.toLocaleString('en-US')}-row workbook (${IMPORT_RUNS} runs after 1 warm-up, each into a fresh copy)…`,
  );
  const phases: { preview: number; commit: number; copy: number }[] = [];
  let created = 0;
  let previewInfo = '';
  let trace: TracedStatement[] = [];
  const importOnce = async (traced = false) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-bench-import-'));
    try {
      const t0 = performance.now();
      const wsDir = path.join(dir, 'workspace');
      fs.mkdirSync(path.join(wsDir, 'blobs'), { recursive: true });
      fs.copyFileSync(
        path.join(seeded.workspaceDir, 'workspace.sqlite'),
        path.join(wsDir, 'workspace.sqlite'),
      );
      const icore = createCore({ dataDir: path.join(dir, 'data'), runtime: 'cli', openLast: false, clock });
      try {
        await must(icore, 'workspace.open', { dir: wsDir });
        const depts = await must(icore, 'departments.list', {});
        const copy = performance.now() - t0;
        // what is measured: preview, then commit with the mapping a user picks for the unknown units
        const t1 = performance.now();
        const preview = await must(icore, 'tasks.importPreview', { path: seeded.importWorkbook });
        const t2 = performance.now();
        const target = depts.find((d) => d.shortName === '市农业农村局')?.id ?? depts[0]?.id ?? null;
        const deptMapping = Object.fromEntries(UNKNOWN_UNITS.map((u) => [u, target]));
        const commit = () =>
          must(icore, 'tasks.importCommit', { token: preview.token, deptMapping, issue: true });
        let result: Output<'tasks.importCommit'> | undefined;
        const db = icore.workspace?.db;
        if (traced && db)
          trace = await traceStatements(db, async () => {
            result = await commit();
          });
        else result = await commit();
        if (!result) throw new Error('tasks.importCommit returned nothing');
        const t3 = performance.now();
        created = result.created;
        const c = preview.counts;
        previewInfo = `${c.rows} rows, ${c.withErrors} with errors before mapping, ${c.withWarnings} with warnings, ${c.skipped} skipped`;
        phases.push({ preview: t2 - t1, commit: t3 - t2, copy });
        return t3 - t1;
      } finally {
        icore.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  // warm-up (exceljs, statements), with the commit's statements traced for the diagnosis; a
  // warm-up far over the target is a miss already: it becomes the only sample
  const warm = await importOnce(true);
  const samples: number[] = [];
  const cut = warm > IMPORT_TARGET_MS * 2;
  if (cut) samples.push(warm);
  else for (let i = 0; i < IMPORT_RUNS; i++) samples.push(await importOnce());
  const s = { ...stats(samples), runs: samples.length, cut };
  const measured = cut ? phases : phases.slice(1);
  const med = (k: 'preview' | 'commit' | 'copy') => stats(measured.map((p) => p[k])).median;
  line(
    '(f) tasks.importPreview + tasks.importCommit',
    s,
    ` (preview ${ms(med('preview'))}, commit ${ms(med('commit'))}; copying the workspace ${ms(med('copy'))}, not counted)`,
  );
  log(`  preview: ${previewInfo}; ${created.toLocaleString('en-US')} tasks created`);
  if (s.median >= IMPORT_TARGET_MS) {
    log('  Diagnosis: statements of the commit, slowest first');
    for (const t of trace.slice(0, 6)) {
      log(
        `    ${t.ms.toFixed(0).padStart(7)} ms  ${String(t.calls).padStart(5)}×  ${t.sql.replace(/\s+/g, ' ').trim().slice(0, 120)}`,
      );
      for (const p of t.plan) log(`                 plan: ${p}`);
    }
  }
  if (created < IMPORT_ROWS * 0.95) throw new Error(`only ${created} of ${IMPORT_ROWS} rows were imported`);
  rows.push({
    name: '(f) import 5,000-row workbook (preview + commit)',
    median: s.median,
    p95: s.p95,
    runs: s.runs,
    target: IMPORT_TARGET_MS,
    note: `preview ${ms(med('preview'))} + commit ${ms(med('commit'))}; ${created.toLocaleString('en-US')} created${cut ? '; warm-up only: far over the target' : ''}`,
  });
  log();
  return rows;
}

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
  const t = seeded.timings;
  const seedLine =
    `${seeded.seedSeconds.toFixed(1)} s (tasks ${t.mainTasks.toFixed(1)} s, 52 snapshots ${t.snapshots.toFixed(1)} s, ` +
    `report workspace ${t.reportWorkspace.toFixed(1)} s, import workbook ${t.importWorkbook.toFixed(1)} s)`;
  log(
    seeded.reused
      ? `  reused cached workspace ${seeded.workspaceDir} (key ${seeded.cacheKey}; seeded ${seeded.seededAt} in ${seedLine})`
      : `  seeded in ${seedLine} → ${seeded.workspaceDir}`,
  );
  const st = seeded.stats;
  log(
    `  ${st.rows.toLocaleString('en-US')} generated rows: ${st.series} series, ${st.instances.toLocaleString('en-US')} instances, ` +
      `${st.oneOff.toLocaleString('en-US')} one-off; ` +
      Object.entries(st.byStatus)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
        .join(', '),
  );
  log(`  database ${(dbBytes / 1048576).toFixed(1)} MB`);
  log();

  const rows: Row[] = [];

  // ---------------------------------------------------------------- (a) cold start
  log(`Cold start (fresh process each run, ${COLD_RUNS} runs after 1 warm-up)…`);
  const tsx = coldStarts('node --import tsx (development)', process.execPath, [
    '--import',
    'tsx',
    'test/bench/cold-start.ts',
    seeded.dataDir,
  ]);
  const expectTotal = tsx[0]?.tasks ?? 0;
  if (expectTotal < TASKS) throw new Error(`cold start saw ${expectTotal} tasks, expected ≥ ${TASKS}`);
  const a = stats(tsx.map((r) => r.totalMs));
  // The target is the app's own start: the built core (plain node, dependencies external except
  // the bundled ones, lazy modules in their own chunks). Under tsx every import also goes through the TypeScript
  // loader (zod alone takes twice as long), which a user never pays; it is shown for information.
  const bundled = await bundleForNode();
  if (bundled) {
    const b = coldStarts('built core, plain node (the target)', process.execPath, [
      bundled.script,
      seeded.dataDir,
      bundled.core,
    ]);
    rows.push({
      name: '(a) cold start: import + open + app.info + tasks.list(50)',
      median: stats(b.map((r) => r.totalMs)).median,
      p95: null,
      runs: COLD_RUNS,
      target: COLD_TARGET_MS,
      note: 'built core, plain node',
    });
    rows.push({
      name: '    cold start under node --import tsx',
      median: a.median,
      p95: null,
      runs: COLD_RUNS,
      target: null,
      note: 'info: development, TypeScript loader',
    });
  } else {
    log('  (built variant skipped: esbuild not available; the tsx figure is the target)');
    rows.push({
      name: '(a) cold start: import + open + app.info + tasks.list(50)',
      median: a.median,
      p95: null,
      runs: COLD_RUNS,
      target: COLD_TARGET_MS,
      note: 'node --import tsx',
    });
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

  // ---------------------------------------------------------------- (c)–(f) supervision
  rows.push(...(await supervision(seeded)));

  // ---------------------------------------------------------------- (g), (h) documents
  rows.push(...(await materialsBench(log, { reseed: args.reseed })));

  // ---------------------------------------------------------------- (i) the editor
  rows.push(await editorOpenRow(log));

  // ---------------------------------------------------------------- (j) quarterly ranking analysis
  rows.push(await rankingReportRow(log));

  // ---------------------------------------------------------------- (k) briefing deck
  rows.push(await briefingDeckRow(log));

  // ---------------------------------------------------------------- (l)–(n) sync
  rows.push(await pushPullRow(log));
  rows.push(await cloneRow(seeded.workspaceDir, seeded.tasks, log));
  rows.push(await convergenceRow(log));

  // ---------------------------------------------------------------- (o)–(r) data compliance
  rows.push(...(await complianceBenchRows(log, { reseed: args.reseed })));

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
    const result = r.target === null ? '' : passed(r) ? 'PASS' : 'FAIL';
    if (result === 'FAIL') failed++;
    log(
      `${pad(r.name, nameW)}  ${padL(ms(r.median), 10)}  ${padL(r.p95 === null ? '—' : ms(r.p95), 10)}  ${padL(String(r.runs), 4)}  ` +
        `${padL(r.target === null ? '—' : `< ${r.target}${r.p95Target ? '*' : ''}`, 8)}  ${pad(result, 6)}  ${r.note}`,
    );
  }
  log('(* median and p95 must both be under the target)');
  log();
  log(
    `Seeding: ${seeded.reused ? `reused cache (seeding took ${seeded.seedSeconds.toFixed(1)} s)` : `${seeded.seedSeconds.toFixed(1)} s`}; ` +
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
