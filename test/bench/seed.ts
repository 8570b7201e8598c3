/**
 * Seeds the benchmark's workspaces through the real write path (Writer.transact: rows +
 * per-field change/audit entries) and caches them in a temp folder keyed by everything that
 * shapes the data, so reruns start at once:
 *   main    the template plus `tasks` generated rows shaped like a supervised 2027 campaign
 *           (series, their weekly/monthly/quarterly instances and one-off tasks, statuses along
 *           the workflow), and the 52 weekly dispatch snapshots of 2027 frozen with the real
 *           freezeWeek;
 *   report  the template plus 2,000 generated rows, weeks 51 and 52 frozen with some progress
 *           in between (the weekly report's comparison has content);
 *   import  a 5,000-row task workbook as departments send it (see import-workbook.ts).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../../main/core/core';
import type { Department, Indicator, TaskStatus } from '../../main/core/contract/index';
import type { Tx } from '../../main/core/records/writer';
import { freezeWeek } from '../../main/core/supervision/dispatch';
import {
  addDays,
  daysBetween,
  periodFromKey,
  type Period,
  type PeriodKind,
} from '../../main/core/tasks/periods';
import { duePeriods, instanceId } from '../../main/core/tasks/recurrence';
import { localToday } from '../../main/core/tasks/tasks';
import { stableId } from '../../main/core/util/ids';
import type { Workspace } from '../../main/core/workspace/workspace';
import { writeTaskWorkbook } from './import-workbook';
import { rng } from './text';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Bump when the generated data changes in a way the hash of the seed files would not catch. */
const SEED_FORMAT = 3;
/** Rows per transaction (a series and all its instances stay in one). */
const BATCH = 1000;
const START_MONTH = '2027-01';
export const REPORT_TASKS = 2000;
export const IMPORT_ROWS = 5000;

export interface SeedTimings {
  /** Seconds per step of the last seeding. */
  mainTasks: number;
  snapshots: number;
  reportWorkspace: number;
  importWorkbook: number;
  total: number;
}

export interface SeededWorkspace {
  /** Data folder whose app-state.json names the main workspace as the last one opened. */
  dataDir: string;
  workspaceDir: string;
  tasks: number;
  /** The 2,000-task workspace for the weekly report (its own data folder). */
  report: { dataDir: string; workspaceDir: string; tasks: number };
  /** The 5,000-row workbook for the import figure. */
  importWorkbook: string;
  /** Seconds spent seeding (also when reused: the time it took then). */
  seedSeconds: number;
  timings: SeedTimings;
  stats: SeedStats;
  reused: boolean;
  cacheKey: string;
  seededAt: string;
}

interface Marker {
  cacheKey: string;
  tasks: number;
  seedSeconds: number;
  timings: SeedTimings;
  stats: SeedStats;
  seededAt: string;
}

const VERBS = [
  '督促',
  '组织',
  '开展',
  '完成',
  '推进',
  '报送',
  '整改',
  '核查',
  '编制',
  '印发',
  '落实',
  '梳理',
  '归集',
  '更新',
  '公示',
  '培训',
  '宣传',
  '评估',
  '复核',
  '建立',
  '完善',
  '自查',
  '通报',
  '对接',
];
const OBJECTS = [
  '双公示数据',
  '行政许可信息',
  '行政处罚信息',
  '信用承诺书',
  '红黑名单认定',
  '失信被执行人名单',
  '信用修复申请',
  '信用信息共享平台数据',
  '城市信用监测指标',
  '重点行业信用评价',
  '守信激励措施',
  '失信惩戒措施',
  '信用报告应用',
  '诚信宣传活动',
  '市场主体信用档案',
  '政务诚信评价',
  '信用分级分类监管',
  '信易贷应用场景',
  '统一社会信用代码重错码',
  '城市信用监测预警材料',
  '行政管理信息',
  '公共信用综合评价',
  '涉企信用信息',
  '信用承诺履约情况',
  '信用联合奖惩案例',
  '政府机构失信问题',
  '拖欠账款清理',
  '信用服务机构监管',
  '自然人信用信息',
  '示范区创建台账',
];
const TAILS = [
  '工作',
  '情况',
  '专项行动',
  '并形成台账',
  '自查报告',
  '整改清单',
  '月度通报',
  '季度分析',
  '工作方案',
  '落实情况',
];
const PERIODS = [
  '',
  '',
  '',
  '第一季度',
  '第二季度',
  '第三季度',
  '第四季度',
  '上半年',
  '下半年',
  '月度',
  '年度',
];
const DESC_PARTS = [
  '按照示范区创建评审要求',
  '对照城市信用监测指标',
  '根据市信用办统一部署',
  '结合本单位职责',
  '在规定时限内',
  '会同相关配合单位',
  '逐条梳理问题',
  '明确责任人和完成时限',
  '通过信用信息共享平台',
  '对发现的问题建立台账',
  '每月跟踪进展',
  '形成书面材料报市信用办',
];
const STANDARDS = [
  '提供印发文件和工作台账',
  '数据上报及时率、合规率均达到100%',
  '形成报告并经分管领导审定',
  '问题整改销号率达到100%',
  '提供会议纪要、签到表和现场照片',
  '在信用网站公示并提供截图',
  '完成率不低于95%并提供统计表',
];

/** The bench's "today": the last day of the 2027 campaign, after its 52 weekly dispatches. */
export const BENCH_TODAY = '2027-12-31';
/** Local noon of BENCH_TODAY: the clock the supervision figures are measured with. */
export const BENCH_NOW = new Date(2027, 11, 31, 12, 0, 0);
/** The ISO weeks of 2027 (W01 … W52) frozen at seed time. */
export const BENCH_WEEKS = Array.from({ length: 52 }, (_, i) => `2027-W${String(i + 1).padStart(2, '0')}`);

const PROGRESS: Record<TaskStatus, [number, number]> = {
  draft: [0, 0],
  issued: [0, 0],
  signed: [0, 20],
  handling: [10, 80],
  feedback: [80, 95],
  done: [100, 100],
};
/** Share of rows that are instances of recurring series; one-off tasks take the rest. */
const INSTANCE_SHARE = 0.78;
const RECURRENCE_WEIGHTS: [PeriodKind, number][] = [
  ['weekly', 0.45],
  ['monthly', 0.4],
  ['quarterly', 0.15],
];
const RECUR_PREFIX: Record<PeriodKind, string> = { weekly: '每周', monthly: '每月', quarterly: '每季度' };

export interface SeedStats {
  rows: number;
  series: number;
  instances: number;
  oneOff: number;
  byStatus: Record<string, number>;
}

/**
 * Seeds `count` task rows (exactly) shaped like a supervised campaign as of `today`
 * (default BENCH_TODAY), through Writer.transact like every real write:
 *   - ~78 % instances (kind 'instance') of recurring series (kind 'series', issued, weekly /
 *     monthly / quarterly from early 2027 to the campaign's end), with the id, code, title,
 *     period and due date the core's generator would give them, and the series' cooperating
 *     departments and indicators copied — so opening the workspace generates nothing;
 *   - the rest one-off tasks (kind 'task'), a tenth of them drafts, due up to a quarter after
 *     `today`;
 *   - statuses along the workflow by due date: mostly done when due in the past (done_at a few
 *     days before or after the due date), some overdue; in flight or issued when due later;
 *     issued_at set for every issued task, last_activity_at between issue and today (some
 *     stale, so red lights appear for both reasons).
 */
export function seedTasks(
  ws: Workspace,
  depts: Department[],
  indicators: Indicator[],
  count: number,
  onBatch?: (done: number) => void,
  opts: { today?: string; seed?: number } = {},
): SeedStats {
  const today = opts.today ?? BENCH_TODAY;
  const rand = rng(opts.seed ?? 20270101);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const weighted = <T>(pairs: readonly (readonly [T, number])[]): T => {
    let r = rand();
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return (pairs[pairs.length - 1] as readonly [T, number])[0];
  };
  const minDate = (a: string, b: string) => (a < b ? a : b);
  const maxDate = (a: string, b: string) => (a > b ? a : b);
  /** A time on `date` between 01:00 and 09:59 UTC: the same calendar day from UTC to UTC+14. */
  const at = (date: string) =>
    `${date}T0${int(1, 9)}:${String(int(0, 59)).padStart(2, '0')}:${String(int(0, 59)).padStart(2, '0')}.000Z`;
  const basic = indicators.filter((i) => i.kind !== 'category');
  const actor = ws.actor('基准测试');
  const stats: SeedStats = { rows: 0, series: 0, instances: 0, oneOff: 0, byStatus: {} };

  const links = () => {
    const coop = new Set<string>();
    const lead = pick(depts);
    const n = int(0, 3); // 0–3 cooperating departments
    while (coop.size < n) {
      const d = pick(depts);
      if (d.id !== lead.id) coop.add(d.id);
    }
    return { lead, coop: [...coop], indicator: basic.length > 0 && rand() < 0.6 ? pick(basic).id : null };
  };

  /** Status, progress and workflow timestamps of an issued task due on `due`, issued on `issued`. */
  const fate = (due: string, issued: string) => {
    const issuedDay = minDate(issued, today);
    let status: TaskStatus;
    let doneDay: string | null = null;
    const left = daysBetween(today, due);
    if (left < 0) {
      if (rand() < 0.82) {
        status = 'done';
        doneDay =
          rand() < 0.78
            ? maxDate(issuedDay, addDays(due, -int(0, 5)))
            : minDate(today, addDays(due, int(1, 12)));
      } else
        status = weighted([
          ['issued', 0.12],
          ['signed', 0.2],
          ['handling', 0.48],
          ['feedback', 0.2],
        ]);
    } else if (rand() < (left <= 14 ? 0.3 : 0.05)) {
      status = 'done';
      doneDay = maxDate(issuedDay, addDays(today, -int(0, Math.min(20, daysBetween(issuedDay, today)))));
    } else {
      status = weighted([
        ['issued', 0.3],
        ['signed', 0.25],
        ['handling', 0.33],
        ['feedback', 0.12],
      ]);
    }
    const [lo, hi] = PROGRESS[status];
    const span = daysBetween(issuedDay, today);
    let lastDay: string;
    if (doneDay) lastDay = doneDay;
    else if (status === 'issued') lastDay = issuedDay;
    else if (rand() < 0.85) lastDay = maxDate(issuedDay, addDays(today, -int(0, 10)));
    else lastDay = addDays(issuedDay, int(0, Math.max(0, span - 15))); // stale: no news for 15+ days
    const issuedAt = at(issuedDay);
    const doneAt = doneDay ? at(doneDay) : null;
    const lastAt = doneAt ?? (lastDay === issuedDay ? issuedAt : at(lastDay));
    return {
      status,
      progress: lo + Math.round(rand() * (hi - lo)),
      issued_at: issuedAt,
      done_at: doneAt,
      done_on: doneAt ? localToday(new Date(doneAt)) : null,
      last_activity_at: lastAt < issuedAt ? issuedAt : lastAt,
    };
  };

  // ---- the plan: series with their periods (within the instance budget), then one-off tasks
  interface SeriesPlan {
    id: string;
    code: string;
    title: string;
    kind: PeriodKind;
    recurStart: string;
    recurEnd: string;
    issuedAt: string;
    periods: Period[];
  }
  const campaignStart = addDays(today, -364);
  const budget = Math.floor(count * INSTANCE_SHARE);
  const plans: SeriesPlan[] = [];
  let planned = 0;
  while (planned < budget && plans.length + planned + 1 < count) {
    const kind = weighted(RECURRENCE_WEIGHTS);
    const recurStart = addDays(campaignStart, int(0, kind === 'weekly' ? 28 : 45));
    let recurEnd = today;
    const issuedAt = at(addDays(recurStart, -int(1, 5)));
    // the periods the core's generator wants (far-future today: up to the series' end)
    let periods = duePeriods(
      { recurrence: kind, recur_start: recurStart, recur_end: recurEnd, issued_at: issuedAt },
      '2999-12-31',
    );
    const room = Math.min(budget - planned, count - plans.length - 1 - planned);
    if (periods.length > room) {
      periods = periods.slice(0, Math.max(1, room));
      recurEnd = (periods[periods.length - 1] as Period).end;
    }
    const n = plans.length + 1;
    const id = stableId(`bench-series|${n}`);
    plans.push({
      id,
      code: `ZQ-${String(n).padStart(4, '0')}`,
      title: `${RECUR_PREFIX[kind]}${pick(VERBS)}${pick(OBJECTS)}${pick(TAILS)}`,
      kind,
      recurStart,
      recurEnd,
      issuedAt,
      periods,
    });
    planned += periods.length;
  }

  // ---- write: whole series (definition + instances) per transaction, ~BATCH rows each
  type Job = (tx: Tx) => void;
  const jobs: { rows: number; run: Job }[] = [];
  for (const plan of plans) {
    jobs.push({
      rows: 1 + plan.periods.length,
      run: (tx) => {
        const l = links();
        tx.insert(
          'task',
          {
            code: plan.code,
            title: plan.title,
            description: `${pick(DESC_PARTS)}，${RECUR_PREFIX[plan.kind]}${pick(VERBS)}${pick(OBJECTS)}，${pick(DESC_PARTS)}。`,
            standard: `${pick(STANDARDS)}。`,
            lead_dept_id: l.lead.id,
            status: 'issued',
            priority: rand() < 0.8 ? 'normal' : 'high',
            recurrence: plan.kind,
            progress: 0,
            kind: 'series',
            recur_start: plan.recurStart,
            recur_end: plan.recurEnd,
            issued_at: plan.issuedAt,
            last_activity_at: plan.issuedAt,
          },
          plan.id,
        );
        const linkRows = (taskId: string) => {
          for (const d of l.coop)
            tx.insert('task_department', { task_id: taskId, dept_id: d }, stableId(`${taskId}|${d}`));
          if (l.indicator)
            tx.insert(
              'task_indicator',
              { task_id: taskId, indicator_id: l.indicator },
              stableId(`${taskId}|${l.indicator}`),
            );
        };
        linkRows(plan.id);
        stats.series++;
        for (const p of plan.periods) {
          const id = instanceId(plan.id, p.key);
          const f = fate(p.due, p.start);
          tx.insert(
            'task',
            {
              code: `${plan.code}-${p.key}`,
              title: `${plan.title}（${p.label.replace(/（.*）$/, '')}）`,
              lead_dept_id: l.lead.id,
              due_date: p.due,
              priority: 'normal',
              recurrence: 'none',
              kind: 'instance',
              series_id: plan.id,
              period: p.key,
              ...f,
            },
            id,
          );
          linkRows(id);
          stats.instances++;
          stats.byStatus[f.status] = (stats.byStatus[f.status] ?? 0) + 1;
        }
      },
    });
  }
  const oneOff = count - plans.length - planned;
  for (let i = 0; i < oneOff; i++) {
    jobs.push({
      rows: 1,
      run: (tx) => {
        const l = links();
        const leadName = l.lead.shortName ?? l.lead.name;
        const due = addDays(campaignStart, int(14, 364 + 90));
        const f =
          rand() < 0.1
            ? { status: 'draft' as const, progress: 0 }
            : fate(due, maxDate(campaignStart, addDays(due, -int(14, 90))));
        const taskId = tx.insert('task', {
          code: `JZ-${String(i + 1).padStart(5, '0')}`,
          title: `${pick(PERIODS)}${pick(VERBS)}${rand() < 0.3 ? leadName : ''}${pick(OBJECTS)}${pick(TAILS)}`,
          description: `${pick(DESC_PARTS)}，${pick(DESC_PARTS)}，${pick(VERBS)}${pick(OBJECTS)}，${pick(DESC_PARTS)}。`,
          standard: `${pick(STANDARDS)}；${pick(STANDARDS)}。`,
          lead_dept_id: l.lead.id,
          due_date: due,
          priority: rand() < 0.7 ? 'normal' : rand() < 0.7 ? 'high' : 'urgent',
          recurrence: 'none',
          kind: 'task',
          ...f,
        });
        for (const d of l.coop)
          tx.insert('task_department', { task_id: taskId, dept_id: d }, stableId(`${taskId}|${d}`));
        if (l.indicator)
          tx.insert(
            'task_indicator',
            { task_id: taskId, indicator_id: l.indicator },
            stableId(`${taskId}|${l.indicator}`),
          );
        stats.oneOff++;
        stats.byStatus[f.status] = (stats.byStatus[f.status] ?? 0) + 1;
      },
    });
  }
  let i = 0;
  while (i < jobs.length) {
    let rows = 0;
    const batch: Job[] = [];
    while (i < jobs.length && (batch.length === 0 || rows + (jobs[i]?.rows ?? 0) <= BATCH)) {
      const job = jobs[i++] as { rows: number; run: Job };
      rows += job.rows;
      batch.push(job.run);
    }
    ws.writer.transact(actor, (tx) => {
      for (const run of batch) run(tx);
    });
    stats.rows += rows;
    onBatch?.(stats.rows);
  }
  return stats;
}

/** Hash of what shapes the seeded data: the seed files, the migrations and the template. */
function cacheKey(tasks: number): string {
  const h = createHash('sha256').update(`format ${SEED_FORMAT} tasks ${tasks}`);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const files = [
    path.join(here, 'seed.ts'),
    path.join(here, 'import-workbook.ts'),
    ...['main/core/db/migrations', 'resources/templates/qionghai'].flatMap((dir) =>
      fs
        .readdirSync(path.join(REPO_ROOT, dir))
        .sort()
        .map((f) => path.join(REPO_ROOT, dir, f)),
    ),
  ];
  for (const f of files) h.update(f).update(fs.readFileSync(f));
  return h.digest('hex').slice(0, 12);
}

async function createWorkspace(core: Core, dir: string, name: string) {
  const created = await core.invoke('workspace.create', {
    name,
    templateId: 'qionghai',
    dir,
    startMonth: START_MONTH,
    me: { name: '基准测试', role: '项目负责人' },
  });
  if (!created.ok) throw new Error(`workspace.create: ${created.error.message}`);
  const depts = await core.invoke('departments.list', { includeArchived: false });
  const inds = await core.invoke('indicators.list', {});
  if (!depts.ok || !inds.ok) throw new Error('could not read departments/indicators');
  const ws = core.workspace;
  if (!ws) throw new Error('no open workspace');
  return { ws, depts: depts.value, inds: inds.value };
}

/** Sunday evening of a week, or BENCH_NOW if that is earlier: when its dispatch is frozen. */
function freezeTime(week: string): Date {
  const p = periodFromKey(week);
  if (!p) throw new Error(`bad week ${week}`);
  const [y, m, d] = p.end.split('-').map(Number);
  const t = new Date(y ?? 2027, (m ?? 1) - 1, d ?? 1, 20, 0, 0);
  return t < BENCH_NOW ? t : BENCH_NOW;
}

/** Moves a share of the open tasks due by `until` forward (as a week of work would). */
function advanceSome(ws: Workspace, until: string, share: number): number {
  const rand = rng(5252);
  const open = ws.db
    .prepare(
      `SELECT id, status, issued_at FROM tasks WHERE deleted = 0 AND kind <> 'series'
         AND status IN ('issued', 'signed', 'handling', 'feedback') AND due_date <= ? ORDER BY id`,
    )
    .all(until) as { id: string; status: TaskStatus; issued_at: string }[];
  let n = 0;
  ws.writer.transact(ws.actor('基准测试'), (tx) => {
    for (const t of open) {
      if (rand() >= share) continue;
      const day = `${addDays(BENCH_TODAY, -Math.floor(rand() * 4))}T03:00:00.000Z`;
      const at = day < t.issued_at ? t.issued_at : day;
      const done = t.status === 'feedback' || rand() < 0.5;
      tx.update('task', t.id, {
        status: done ? 'done' : 'feedback',
        progress: done ? 100 : 90,
        done_at: done ? at : undefined,
        done_on: done ? localToday(new Date(at)) : undefined,
        last_activity_at: at,
      });
      n++;
    }
  });
  return n;
}

/** Returns the seeded workspaces (seeding them if not cached). */
export async function seededWorkspace(
  tasks: number,
  opts: { reseed?: boolean; log?: (msg: string) => void } = {},
): Promise<SeededWorkspace> {
  const log = opts.log ?? (() => {});
  const key = cacheKey(tasks);
  const root = path.join(os.tmpdir(), `cwb-bench-${key}`);
  const dataDir = path.join(root, 'data');
  const workspaceDir = path.join(root, 'workspace');
  const report = {
    dataDir: path.join(root, 'report-data'),
    workspaceDir: path.join(root, 'report-workspace'),
    tasks: REPORT_TASKS,
  };
  const importWorkbook = path.join(root, `任务清单-${IMPORT_ROWS}行.xlsx`);
  const markerFile = path.join(root, 'seeded.json');
  const paths = { dataDir, workspaceDir, tasks, report, importWorkbook, cacheKey: key };
  if (!opts.reseed && fs.existsSync(markerFile)) {
    const m = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as Marker;
    if (m.cacheKey === key && m.tasks === tasks) {
      return {
        ...paths,
        seedSeconds: m.seedSeconds,
        timings: m.timings,
        stats: m.stats,
        reused: true,
        seededAt: m.seededAt,
      };
    }
  }
  // caches of older keys are several hundred MB each: remove them
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (/^cwb-bench-[0-9a-f]{12}$/.test(name))
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
  fs.mkdirSync(root, { recursive: true });
  const t0 = performance.now();
  const lap = (() => {
    let last = t0;
    return () => {
      const now = performance.now();
      const s = (now - last) / 1000;
      last = now;
      return s;
    };
  })();
  const clock = () => new Date(BENCH_NOW);

  const core = createCore({ dataDir, runtime: 'cli', openLast: false, clock });
  let stats: SeedStats;
  let mainTasks: number;
  let snapshots: number;
  try {
    const { ws, depts, inds } = await createWorkspace(core, workspaceDir, '基准测试工作区');
    let lastLog = 0;
    stats = seedTasks(ws, depts, inds, tasks, (done) => {
      if (done - lastLog >= 10000 || done === tasks) {
        log(
          `  ${done.toLocaleString('en-US')} / ${tasks.toLocaleString('en-US')} task rows written (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
        lastLog = done;
      }
    });
    log(
      `  ${stats.series} series, ${stats.instances.toLocaleString('en-US')} instances, ${stats.oneOff.toLocaleString('en-US')} one-off tasks; ` +
        Object.entries(stats.byStatus)
          .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
          .join(', '),
    );
    mainTasks = lap();
    for (const [i, week] of BENCH_WEEKS.entries()) {
      freezeWeek(ws, freezeTime(week), week, null);
      if ((i + 1) % 13 === 0)
        log(
          `  ${i + 1} / ${BENCH_WEEKS.length} weekly snapshots frozen (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
    }
    snapshots = lap();
  } finally {
    core.close(); // checkpoints the WAL, so a cold start does not replay it
  }

  const reportCore = createCore({ dataDir: report.dataDir, runtime: 'cli', openLast: false, clock });
  try {
    const { ws, depts, inds } = await createWorkspace(reportCore, report.workspaceDir, '周报基准工作区');
    seedTasks(ws, depts, inds, REPORT_TASKS, undefined, { seed: 52 });
    freezeWeek(ws, freezeTime('2027-W51'), '2027-W51', null);
    const moved = advanceSome(ws, '2028-01-02', 0.15);
    freezeWeek(ws, freezeTime('2027-W52'), '2027-W52', null);
    log(
      `  report workspace: ${REPORT_TASKS} tasks, weeks 51 and 52 frozen (${moved} tasks moved on in between)`,
    );
  } finally {
    reportCore.close();
  }
  const reportWorkspace = lap();

  await writeTaskWorkbook(importWorkbook, IMPORT_ROWS);
  const importWb = lap();
  log(
    `  ${IMPORT_ROWS.toLocaleString('en-US')}-row import workbook written (${(fs.statSync(importWorkbook).size / 1024).toFixed(0)} KB)`,
  );

  const seedSeconds = (performance.now() - t0) / 1000;
  const timings: SeedTimings = {
    mainTasks,
    snapshots,
    reportWorkspace,
    importWorkbook: importWb,
    total: seedSeconds,
  };
  const seededAt = new Date().toISOString();
  const marker: Marker = { cacheKey: key, tasks, seedSeconds, timings, stats, seededAt };
  fs.writeFileSync(markerFile, JSON.stringify(marker, null, 2));
  return { ...paths, seedSeconds, timings, stats, reused: false, seededAt };
}
