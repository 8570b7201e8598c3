/**
 * Contract schemas of the indicator system (versioned tree, owners, evidence checklist,
 * readiness), tracked metrics, the monthly national credit-monitoring results with weak-point
 * proposals, the quarterly ranking analysis and the briefing deck (汇报PPT).
 */
import { z } from 'zod';
import { DateStr, Id, MonthStr, NonEmpty, OptionalText } from './common';
import { BRIEFING_SECTIONS, INDICATOR_STATUSES, METRICS, MONITORING_DIMENSIONS } from './labels';
import { FileRef } from './supervision';

// ---------- indicator system ----------

export const IndicatorSystem = z.object({
  version: z.string(),
  name: z.string(),
  /** Declared totals (null when the file did not declare them). */
  scoredTotal: z.number().nullable(),
  bonusTotal: z.number().nullable(),
  note: z.string().nullable(),
  /** Counts of live indicators by kind. */
  counts: z.object({ category: z.number(), basic: z.number(), scored: z.number(), bonus: z.number() }),
  /** Sum of the points of scored (resp. bonus) leaf indicators. */
  scoredPoints: z.number(),
  bonusPoints: z.number(),
  current: z.boolean(),
});
export type IndicatorSystem = z.infer<typeof IndicatorSystem>;

export const EvidenceItem = z.object({
  id: Id,
  indicatorId: Id,
  title: z.string(),
  note: z.string().nullable(),
  sort: z.number(),
  attachmentCount: z.number(),
  materialIds: z.array(Id),
  materialTitles: z.array(z.string()),
  /** Satisfied when it has at least one attachment or linked (live) material. */
  satisfied: z.boolean(),
});
export type EvidenceItem = z.infer<typeof EvidenceItem>;

const LinkedTask = z.object({
  id: Id,
  code: z.string(),
  title: z.string(),
  status: z.string(),
  leadDeptName: z.string().nullable(),
  dueDate: z.string().nullable(),
});
const LinkedRect = z.object({ id: Id, code: z.string(), problem: z.string(), status: z.string() });
const LinkedMaterial = z.object({ id: Id, title: z.string(), type: z.string(), status: z.string() });

/** Everything the indicator drawer shows. `indicator` is the list row (see records.Indicator). */
export const IndicatorDetail = z.object({
  id: Id,
  ownerDeptIds: z.array(Id),
  ownerDeptNames: z.array(z.string()),
  evidence: z.array(EvidenceItem),
  tasks: z.array(LinkedTask),
  rectifications: z.array(LinkedRect),
  materials: z.array(LinkedMaterial),
  /** Path of titles from the root to the parent (for the breadcrumb). */
  path: z.array(z.string()),
});
export type IndicatorDetail = z.infer<typeof IndicatorDetail>;

/**
 * Editable fields of an indicator: the self-assessment, and its description and owners.
 * `.partial()` so that a field left out stays unchanged (OptionalText alone turns it into null).
 */
export const IndicatorPatch = z
  .object({
    status: z.enum(INDICATOR_STATUSES).optional(),
    selfScore: z.number().min(0).max(1000).nullable().optional(),
    scoreNote: OptionalText('自评理由', 5000),
    narrative: OptionalText('自评说明', 50000),
    title: NonEmpty('指标名称', 200).optional(),
    standard: OptionalText('评分标准', 5000),
    points: z.number().min(0).max(1000).nullable().optional(),
    ownerDeptIds: z.array(Id).max(200).optional(),
  })
  .partial();

export const EvidenceInput = z.object({
  indicatorId: Id,
  title: NonEmpty('佐证材料名称', 200),
  note: OptionalText('说明', 2000).default(null),
  materialIds: z.array(Id).max(200).default([]),
});
export const EvidencePatch = z
  .object({
    title: NonEmpty('佐证材料名称', 200).optional(),
    note: OptionalText('说明', 2000),
    materialIds: z.array(Id).max(200).optional(),
    sort: z.number().int().optional(),
  })
  .partial();

export const Readiness = z.object({
  version: z.string(),
  basic: z.object({
    total: z.number(),
    met: z.number(),
    /** Basic indicators not (yet) met, in order: the veto list. */
    unmet: z.array(
      z.object({ id: Id, code: z.string(), title: z.string(), status: z.enum(INDICATOR_STATUSES) }),
    ),
  }),
  allBasicMet: z.boolean(),
  /** Self-scores achieved of the points possible (scored leaf indicators; bonus separately). */
  scored: z.object({ count: z.number(), possible: z.number(), achieved: z.number(), met: z.number() }),
  bonus: z.object({ count: z.number(), possible: z.number(), achieved: z.number() }),
  evidence: z.object({ total: z.number(), satisfied: z.number() }),
  byStatus: z.object({ not_met: z.number(), in_progress: z.number(), met: z.number() }),
});
export type Readiness = z.infer<typeof Readiness>;

/** An indicator-system file to import: a path here, or an upload (attachments.upload). */
export const SystemImportInput = z.object({
  file: FileRef,
  /** Make the imported version the workspace's current one. */
  makeCurrent: z.boolean().default(true),
});
export const SystemImportResult = z.object({
  version: z.string(),
  name: z.string(),
  created: z.number(),
  updated: z.number(),
  removed: z.number(),
  current: z.boolean(),
});

// ---------- tracked metrics ----------

export const MetricKey = z.enum(METRICS);
export type MetricKey = z.infer<typeof MetricKey>;

export const MetricPoint = z.object({
  month: z.string(),
  value: z.number(),
  base: z.number().nullable(),
  /** The value compared with its target: value / base × 100 for commitments, else value (%). */
  rate: z.number().nullable(),
  note: z.string().nullable(),
});
export const Metric = z.object({
  key: MetricKey,
  name: z.string(),
  unit: z.string(),
  /** Target of `rate` (percent). */
  target: z.number(),
  values: z.array(MetricPoint),
  latest: MetricPoint.nullable(),
  /** Change of the rate from the previous month (null with fewer than two months). */
  change: z.number().nullable(),
  onTarget: z.boolean().nullable(),
});
export type Metric = z.infer<typeof Metric>;

export const MetricInput = z.object({
  metric: MetricKey,
  month: MonthStr,
  value: z.number().min(0, '数值不能为负数').max(1e12),
  base: z.number().min(0).max(1e12).nullable().default(null),
  note: OptionalText('备注', 500).default(null),
});

// ---------- monitoring ----------

export const Dimension = z.enum(MONITORING_DIMENSIONS);
export type Dimension = z.infer<typeof Dimension>;

const DimScores = z.object({
  incentive: z.number().nullable(),
  system: z.number().nullable(),
  culture: z.number().nullable(),
  service: z.number().nullable(),
  environment: z.number().nullable(),
});

export const MonitoringResult = z.object({
  id: Id,
  month: z.string(),
  score: z.number(),
  rank: z.number(),
  total: z.number(),
  dims: DimScores,
  note: z.string().nullable(),
  /** Rank change from the previous month (positive = moved up), null when none. */
  rankChange: z.number().nullable(),
  updatedAt: z.string(),
});
export type MonitoringResult = z.infer<typeof MonitoringResult>;

const Score = z.number().min(0, '得分不能为负数').max(1000, '得分不能超过 1000');
export const MonitoringInput = z
  .object({
    month: MonthStr,
    score: Score,
    rank: z.number().int('排名应为整数').min(1, '排名应不小于 1'),
    total: z.number().int('参评城市数应为整数').min(1, '参评城市数应不小于 1').max(10000),
    dims: z.object({
      incentive: Score.nullable().default(null),
      system: Score.nullable().default(null),
      culture: Score.nullable().default(null),
      service: Score.nullable().default(null),
      environment: Score.nullable().default(null),
    }),
    note: OptionalText('备注', 2000).default(null),
  })
  .refine((r) => r.rank <= r.total, { message: '排名不能大于参评城市数', path: ['rank'] });

export const WeakPointReason = z.enum(['falling', 'below_mean']);
export const WeakPoint = z.object({
  month: z.string(),
  dimension: Dimension,
  label: z.string(),
  score: z.number(),
  /** Scores of the months that triggered the rule, oldest first. */
  history: z.array(z.object({ month: z.string(), score: z.number() })),
  mean3: z.number().nullable(),
  reasons: z.array(WeakPointReason),
  /** Chinese explanation ("连续两个月下降：…"). */
  explanation: z.string(),
  /** Proposed rectification item and task, editable before accepting. */
  proposal: z.object({
    problem: z.string(),
    measures: z.string(),
    taskTitle: z.string(),
    taskStandard: z.string(),
    deadline: DateStr,
    deptId: Id.nullable(),
    indicatorIds: z.array(Id),
  }),
  decision: z.enum(['accepted', 'dismissed']).nullable(),
  rectId: Id.nullable(),
  taskId: Id.nullable(),
});
export type WeakPoint = z.infer<typeof WeakPoint>;

export const Streak = z.object({
  target: z.number(),
  /** Months in a row, ending with the latest month, ranked within the target. */
  current: z.number(),
  /** Longest run so far. */
  best: z.number(),
  achieved: z.boolean(),
  /** The months of the first run of three (or the best run), oldest first. */
  months: z.array(z.string()),
  /** Basic indicator: every month within the top `basicLimit`. */
  basicLimit: z.number(),
  basicOk: z.boolean(),
  monthsOutsideBasic: z.array(z.string()),
  explanation: z.string(),
});
export type Streak = z.infer<typeof Streak>;

export const MonitoringOverview = z.object({
  results: z.array(MonitoringResult),
  latest: MonitoringResult.nullable(),
  streak: Streak,
  weakPoints: z.array(WeakPoint),
});
export type MonitoringOverview = z.infer<typeof MonitoringOverview>;

export const MonitoringImportInput = z.object({
  file: FileRef,
  /** Overwrite months that already have a result (otherwise such a month is an error). */
  replace: z.boolean().default(false),
});
export const MonitoringImportResult = z.object({
  created: z.number(),
  updated: z.number(),
  months: z.array(z.string()),
});

export const AcceptWeakPointInput = z.object({
  month: MonthStr,
  dimension: Dimension,
  problem: NonEmpty('问题描述', 5000),
  measures: OptionalText('整改措施', 5000).default(null),
  deptId: Id.nullable().default(null),
  deadline: DateStr.nullable().default(null),
  /** Also create this task (linked to the rectification item); null for none. */
  task: z
    .object({
      title: NonEmpty('任务名称', 200),
      standard: NonEmpty('完成标准', 2000),
      leadDeptId: Id.nullable().default(null),
      dueDate: DateStr.nullable().default(null),
    })
    .nullable()
    .default(null),
});

export const QuarterStr = z.string().regex(/^\d{4}-Q[1-4]$/, '季度格式应为 2027-Q1');

// ---------- campaign summary (dashboard + briefing) ----------

export const CampaignSummary = z.object({
  readiness: Readiness,
  monitoring: z.object({
    latest: MonitoringResult.nullable(),
    /** Up to the last 12 months, oldest first. */
    trend: z.array(MonitoringResult),
    streak: Streak,
    weakPoints: z.number(),
  }),
  metrics: z.array(Metric),
});
export type CampaignSummary = z.infer<typeof CampaignSummary>;

// ---------- briefing deck ----------

export const BriefingSection = z.enum(BRIEFING_SECTIONS);
export type BriefingSection = z.infer<typeof BriefingSection>;

export const BriefingInput = z
  .object({
    /** First and last month of the period reported on. */
    from: MonthStr,
    to: MonthStr,
    sections: z.array(BriefingSection).min(1, '请至少选择一个章节'),
    /** Cover title; default 《<city>社会信用体系建设示范区创建工作汇报》. */
    title: OptionalText('标题', 80).default(null),
    /** Who presents (cover), e.g. 市发展改革委. */
    presenter: OptionalText('汇报单位', 80).default(null),
    file: z.string().min(1).max(4096).optional(),
  })
  .refine((b) => b.from <= b.to, { message: '开始月份不能晚于结束月份', path: ['from'] });

export const BriefingResult = z.object({
  file: z.string(),
  bytes: z.number(),
  slides: z.number(),
  charts: z.number(),
});
