/**
 * Seeds a workspace with many realistic tasks through the real write path (Writer.transact:
 * rows + per-field change/audit entries), 1,000 tasks per transaction, and caches it in a
 * temp folder keyed by everything that shapes the data, so reruns start at once.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../main/core/core';
import type { Department, Indicator, TaskStatus } from '../../main/core/contract/index';
import { stableId } from '../../main/core/util/ids';
import type { Workspace } from '../../main/core/workspace/workspace';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Bump when the generated data changes in a way the hash of this file would not catch. */
const SEED_FORMAT = 1;
const BATCH = 1000;
const START = '2027-01-01';

export interface SeededWorkspace {
  /** Data folder whose app-state.json names the workspace as the last one opened. */
  dataDir: string;
  workspaceDir: string;
  tasks: number;
  /** Seconds spent seeding (0 when reused from the cache). */
  seedSeconds: number;
  reused: boolean;
  cacheKey: string;
}

interface Marker {
  cacheKey: string;
  tasks: number;
  seedSeconds: number;
  seededAt: string;
}

/** Deterministic pseudo-random numbers (mulberry32), so every run seeds the same data. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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

// Share of tasks per status: most in flight, a good part done, some drafts.
const STATUS_WEIGHTS: [TaskStatus, number][] = [
  ['draft', 0.1],
  ['issued', 0.15],
  ['signed', 0.15],
  ['handling', 0.25],
  ['feedback', 0.1],
  ['done', 0.25],
];
const PROGRESS: Record<TaskStatus, [number, number]> = {
  draft: [0, 0],
  issued: [0, 0],
  signed: [0, 20],
  handling: [10, 80],
  feedback: [80, 95],
  done: [100, 100],
};

function addDays(iso: string, days: number): string {
  const d = new Date(`${iso}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Inserts `count` generated tasks (with cooperating-department and indicator links). */
export function seedTasks(
  ws: Workspace,
  depts: Department[],
  indicators: Indicator[],
  count: number,
  onBatch?: (done: number) => void,
): void {
  const rand = rng(20270101);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const pickStatus = (): TaskStatus => {
    let r = rand();
    for (const [s, w] of STATUS_WEIGHTS) {
      if ((r -= w) < 0) return s;
    }
    return 'done';
  };
  const basic = indicators.filter((i) => i.kind !== 'category');
  const actor = ws.actor('基准测试');
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    ws.writer.transact(actor, (tx) => {
      for (let i = start; i < end; i++) {
        const lead = pick(depts);
        const status = pickStatus();
        const [lo, hi] = PROGRESS[status];
        const leadName = lead.shortName ?? lead.name;
        const title = `${pick(PERIODS)}${pick(VERBS)}${rand() < 0.3 ? leadName : ''}${pick(OBJECTS)}${pick(TAILS)}`;
        const taskId = tx.insert('task', {
          code: `JZ-${String(i + 1).padStart(5, '0')}`,
          title,
          description: `${pick(DESC_PARTS)}，${pick(DESC_PARTS)}，${pick(VERBS)}${pick(OBJECTS)}，${pick(DESC_PARTS)}。`,
          standard: `${pick(STANDARDS)}；${pick(STANDARDS)}。`,
          lead_dept_id: lead.id,
          due_date: addDays(START, Math.floor(rand() * 365)),
          status,
          priority: rand() < 0.7 ? 'normal' : rand() < 0.7 ? 'high' : 'urgent',
          recurrence: rand() < 0.8 ? 'none' : pick(['weekly', 'monthly', 'quarterly'] as const),
          progress: lo + Math.round(rand() * (hi - lo)),
        });
        const coop = new Set<string>();
        const nCoop = Math.floor(rand() * 4); // 0–3 cooperating departments
        while (coop.size < nCoop) {
          const d = pick(depts);
          if (d.id !== lead.id) coop.add(d.id);
        }
        for (const d of coop)
          tx.insert('task_department', { task_id: taskId, dept_id: d }, stableId(`${taskId}|${d}`));
        if (basic.length > 0 && rand() < 0.6) {
          const ind = pick(basic);
          tx.insert(
            'task_indicator',
            { task_id: taskId, indicator_id: ind.id },
            stableId(`${taskId}|${ind.id}`),
          );
        }
      }
    });
    onBatch?.(end);
  }
}

/** Hash of what shapes the seeded database: this file, the migrations and the template. */
function cacheKey(tasks: number): string {
  const h = createHash('sha256').update(`format ${SEED_FORMAT} tasks ${tasks}`);
  const files = [
    fileURLToPath(import.meta.url),
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

/** Returns a workspace with `tasks` generated tasks (plus the template's), seeding it if not cached. */
export async function seededWorkspace(
  tasks: number,
  opts: { reseed?: boolean; log?: (msg: string) => void } = {},
): Promise<SeededWorkspace> {
  const log = opts.log ?? (() => {});
  const key = cacheKey(tasks);
  const root = path.join(os.tmpdir(), `cwb-bench-${key}`);
  const dataDir = path.join(root, 'data');
  const workspaceDir = path.join(root, 'workspace');
  const markerFile = path.join(root, 'seeded.json');
  if (!opts.reseed && fs.existsSync(markerFile)) {
    const m = JSON.parse(fs.readFileSync(markerFile, 'utf8')) as Marker;
    if (m.cacheKey === key && m.tasks === tasks) {
      return { dataDir, workspaceDir, tasks, seedSeconds: 0, reused: true, cacheKey: key };
    }
  }
  // caches of older keys are several hundred MB each: remove them
  for (const name of fs.readdirSync(os.tmpdir())) {
    if (/^cwb-bench-[0-9a-f]{12}$/.test(name))
      fs.rmSync(path.join(os.tmpdir(), name), { recursive: true, force: true });
  }
  fs.mkdirSync(root, { recursive: true });
  const t0 = performance.now();
  const core = createCore({ dataDir, runtime: 'cli', openLast: false });
  try {
    const created = await core.invoke('workspace.create', {
      name: '基准测试工作区',
      templateId: 'qionghai',
      dir: workspaceDir,
      startMonth: START.slice(0, 7),
      me: { name: '基准测试', role: '项目负责人' },
    });
    if (!created.ok) throw new Error(`workspace.create: ${created.error.message}`);
    const depts = await core.invoke('departments.list', { includeArchived: false });
    const inds = await core.invoke('indicators.list', {});
    if (!depts.ok || !inds.ok) throw new Error('could not read departments/indicators');
    const ws = core.workspace;
    if (!ws) throw new Error('no open workspace');
    let lastLog = 0;
    seedTasks(ws, depts.value, inds.value, tasks, (done) => {
      if (done - lastLog >= 10000 || done === tasks) {
        log(
          `  ${done.toLocaleString('en-US')} / ${tasks.toLocaleString('en-US')} tasks written (${((performance.now() - t0) / 1000).toFixed(1)} s)`,
        );
        lastLog = done;
      }
    });
  } finally {
    core.close(); // checkpoints the WAL, so a cold start does not replay it
  }
  const seedSeconds = (performance.now() - t0) / 1000;
  const marker: Marker = { cacheKey: key, tasks, seedSeconds, seededAt: new Date().toISOString() };
  fs.writeFileSync(markerFile, JSON.stringify(marker, null, 2));
  return { dataDir, workspaceDir, tasks, seedSeconds, reused: false, cacheKey: key };
}
