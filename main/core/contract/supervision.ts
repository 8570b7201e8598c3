/** Contract schemas of task supervision: workflow, feedback, attachments, lights, league, dashboard, dispatch, rectification. */
import { z } from 'zod';
import { DateStr, Id, NonEmpty, OptionalText } from './common';
import { RECT_ACTIONS, RECT_SOURCES, RECT_STATUSES, TASK_ACTIONS, TASK_STATUSES } from './labels';
import { Light, TaskFilter } from './records';

export const TaskAction = z.enum(TASK_ACTIONS);
export type TaskAction = z.infer<typeof TaskAction>;

export const TransitionInput = z.object({
  ids: z.array(Id).min(1, '请至少选择一项任务').max(2000, '一次最多处理 2000 项任务'),
  action: TaskAction,
  /** 退回 needs a reason; 反馈 may carry the feedback text. */
  note: OptionalText('说明', 2000),
});

export const TaskStep = z.object({
  id: Id,
  action: TaskAction,
  fromStatus: z.enum(TASK_STATUSES),
  toStatus: z.enum(TASK_STATUSES),
  note: z.string().nullable(),
  at: z.string(),
  actorName: z.string(),
});
export type TaskStep = z.infer<typeof TaskStep>;

export const OwnerType = z.enum([
  'task',
  'feedback',
  'rectification',
  'material',
  'evidence',
  'compliance_run',
]);
export type OwnerType = z.infer<typeof OwnerType>;

export const Attachment = z.object({
  id: Id,
  ownerType: OwnerType,
  ownerId: Id,
  sha256: z.string(),
  name: z.string(),
  size: z.number(),
  mime: z.string(),
  createdAt: z.string(),
  available: z.boolean(),
});
export type Attachment = z.infer<typeof Attachment>;

/** A file to attach: a path on this machine, or an upload made with attachments.upload. */
export const FileRef = z
  .object({
    path: z.string().min(1).max(4096).optional(),
    uploadId: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional(),
    name: z.string().trim().min(1).max(200).optional(),
  })
  .refine((f) => !!f.path !== !!f.uploadId, '附件需要文件路径或上传标识（二选一）');

export const Feedback = z.object({
  id: Id,
  taskId: Id,
  text: z.string(),
  progress: z.number().nullable(),
  at: z.string(),
  actorName: z.string(),
  attachments: z.array(Attachment),
});
export type Feedback = z.infer<typeof Feedback>;

export const FeedbackInput = z.object({
  taskId: Id,
  text: NonEmpty('反馈内容', 5000),
  progress: z.number().int().min(0, '进度不能小于 0').max(100, '进度不能超过 100').nullable().default(null),
  files: z.array(FileRef).max(50).default([]),
});

export const LightRulesSchema = z.object({
  yellowDays: z.number().int().min(0, '黄灯天数不能小于 0').max(60, '黄灯天数不能超过 60'),
  staleDays: z.number().int().min(1, '无反馈天数至少为 1').max(365, '无反馈天数不能超过 365'),
});

export const LeagueQuery = z
  .object({ from: DateStr, to: DateStr, includeEmpty: z.boolean().default(false) })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['to'] });

export const LeagueRow = z.object({
  rank: z.number(),
  deptId: Id,
  deptName: z.string(),
  shortName: z.string().nullable(),
  total: z.number(),
  done: z.number(),
  onTime: z.number(),
  overdue: z.number(),
  completionRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  avgDelayDays: z.number().nullable(),
  red: z.number(),
  yellow: z.number(),
  green: z.number(),
});
export type LeagueRow = z.infer<typeof LeagueRow>;

const Figure = z.object({ value: z.number(), filter: TaskFilter.omit({ limit: true }) });
const DashboardTask = z.object({
  id: Id,
  code: z.string(),
  title: z.string(),
  leadDeptName: z.string().nullable(),
  dueDate: z.string().nullable(),
  light: Light,
  lightReason: z.string().nullable(),
});

export const DashboardSummary = z.object({
  today: DateStr,
  periodStart: DateStr,
  totals: z.object({
    supervised: Figure,
    done: Figure,
    completionRate: z.number().nullable(),
    dueToDate: Figure,
    doneOfDueToDate: Figure,
  }),
  lights: z.object({ green: Figure, yellow: Figure, red: Figure }),
  dueThisWeek: Figure.extend({ from: DateStr, to: DateStr, tasks: z.array(DashboardTask) }),
  overdue: Figure.extend({ tasks: z.array(DashboardTask) }),
  league: z.object({
    from: DateStr,
    to: DateStr,
    top: z.array(LeagueRow),
    bottom: z.array(LeagueRow),
    departments: z.number(),
  }),
  trend: z.array(
    z.object({
      week: z.string(),
      weekStart: DateStr,
      weekEnd: DateStr,
      due: z.number(),
      doneOfDue: z.number(),
      completed: z.number(),
      cumulativeRate: z.number().nullable(),
    }),
  ),
});
export type DashboardSummary = z.infer<typeof DashboardSummary>;

export const WeekKey = z.string().regex(/^\d{4}-W\d{2}$/, '周次格式应为 2027-W05');

const SnapshotTask = z.object({
  id: Id,
  code: z.string(),
  title: z.string(),
  deptId: z.string().nullable(),
  deptName: z.string().nullable(),
  status: z.string(),
  light: z.string(),
  lightReason: z.string().nullable(),
  progress: z.number(),
  dueDate: z.string().nullable(),
  doneAt: z.string().nullable(),
  lastActivityAt: z.string().nullable(),
});

export const DispatchWeek = z.object({
  id: Id,
  week: z.string(),
  label: z.string(),
  weekStart: DateStr,
  weekEnd: DateStr,
  frozenAt: z.string(),
  frozenBy: z.string(),
  note: z.string().nullable(),
  summary: z.object({
    total: z.number(),
    done: z.number(),
    overdue: z.number(),
    byStatus: z.record(z.string(), z.number()),
    byLight: z.record(z.string(), z.number()),
    completionRate: z.number().nullable(),
    depts: z.array(
      z.object({
        deptId: z.string(),
        deptName: z.string(),
        total: z.number(),
        done: z.number(),
        red: z.number(),
        yellow: z.number(),
        overdue: z.number(),
      }),
    ),
  }),
});
export type DispatchWeek = z.infer<typeof DispatchWeek>;

export const WeekComparison = z.object({
  week: DispatchWeek,
  previous: DispatchWeek.nullable(),
  newlyDone: z.array(SnapshotTask),
  newlyOverdue: z.array(SnapshotTask),
  stalled: z.array(SnapshotTask),
  added: z.array(SnapshotTask),
});
export type WeekComparison = z.infer<typeof WeekComparison>;

export const RectSource = z.enum(RECT_SOURCES);
export const RectStatus = z.enum(RECT_STATUSES);
export const RectAction = z.enum(RECT_ACTIONS);

export const Rectification = z.object({
  id: Id,
  code: z.string(),
  source: RectSource,
  problem: z.string(),
  deptId: Id.nullable(),
  deptName: z.string().nullable(),
  measures: z.string().nullable(),
  deadline: DateStr.nullable(),
  status: RectStatus,
  verification: z.string().nullable(),
  clarification: z.string().nullable(),
  closedAt: z.string().nullable(),
  overdue: z.boolean(),
  taskIds: z.array(Id),
  indicatorIds: z.array(Id),
  attachmentCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Rectification = z.infer<typeof Rectification>;

const RectFields = z.object({
  code: OptionalText('编号', 40),
  source: RectSource,
  problem: NonEmpty('问题描述', 5000),
  deptId: Id.nullable(),
  measures: OptionalText('整改措施', 5000),
  deadline: DateStr.nullable(),
  clarification: OptionalText('澄清说明', 20000),
  taskIds: z.array(Id).max(200),
  indicatorIds: z.array(Id).max(200),
});
export const RectInput = RectFields.extend({
  deptId: RectFields.shape.deptId.default(null),
  measures: RectFields.shape.measures.default(null),
  deadline: RectFields.shape.deadline.default(null),
  clarification: RectFields.shape.clarification.default(null),
  taskIds: RectFields.shape.taskIds.default([]),
  indicatorIds: RectFields.shape.indicatorIds.default([]),
});
export const RectPatch = RectFields.partial();

export const RectFilter = z.object({
  statuses: z.array(RectStatus).optional(),
  sources: z.array(RectSource).optional(),
  deptId: Id.optional(),
  search: z.string().trim().max(100).optional(),
  overdue: z.boolean().optional(),
});

/** Where an export was written; `file` is under the data folder's exports/ unless a path was given. */
export const ExportResult = z.object({ file: z.string(), bytes: z.number() });
export type ExportResult = z.infer<typeof ExportResult>;
export const ExportTarget = z.object({ file: z.string().min(1).max(4096).optional() });

// ---------- task workbook import (mirrors main/core/import/task-workbook.ts) ----------
const ImportProblem = z.object({
  kind: z.string(),
  column: z.string(),
  header: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  value: z.string().optional(),
});
const ImportedTask = z.object({
  code: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  standard: z.string().nullable(),
  leadDeptId: z.string().nullable(),
  coopDeptIds: z.array(z.string()),
  indicatorIds: z.array(z.string()),
  dueDate: z.string().nullable(),
  priority: z.enum(['normal', 'high', 'urgent']),
  recurrence: z.enum(['none', 'weekly', 'monthly', 'quarterly']),
});
export const TaskImportPreview = z.object({
  /** Handle for tasks.importCommit (kept in memory for an hour). */
  token: z.string(),
  fileName: z.string(),
  sheet: z.string(),
  headerRow: z.number(),
  headerRows: z.number(),
  columns: z.array(z.object({ field: z.string(), column: z.string(), header: z.string() })),
  ignoredColumns: z.array(z.object({ column: z.string(), header: z.string() })),
  rows: z.array(
    z.object({
      sheet: z.string(),
      rowNumber: z.number(),
      category: z.string().nullable(),
      cells: z.record(z.string(), z.string()),
      task: ImportedTask,
      depts: z.array(
        z.object({
          raw: z.string(),
          source: z.enum(['lead', 'coop']),
          deptId: z.string().nullable(),
          match: z.enum(['exact', 'normalized', 'group', 'mapped', 'ignored', 'none']),
        }),
      ),
      problems: z.array(ImportProblem),
      importable: z.boolean(),
    }),
  ),
  skipped: z.array(
    z.object({ rowNumber: z.number(), reason: z.enum(['category', 'total', 'header']), text: z.string() }),
  ),
  unmatchedDepartments: z.array(
    z.object({
      name: z.string(),
      rows: z.array(z.number()),
      suggestions: z.array(z.object({ id: z.string(), name: z.string(), score: z.number() })),
    }),
  ),
  notices: z.array(z.string()),
  counts: z.object({
    rows: z.number(),
    ready: z.number(),
    withErrors: z.number(),
    withWarnings: z.number(),
    skipped: z.number(),
  }),
});
export type TaskImportPreview = z.infer<typeof TaskImportPreview>;

export const ImportSource = z
  .object({
    path: z.string().min(1).max(4096).optional(),
    uploadId: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional(),
    fileName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((f) => !!f.path !== !!f.uploadId, '请选择要导入的文件');

export const ImportCommitInput = z.object({
  token: z.string().min(1),
  /** Unmatched unit name → department id, or null to ignore that name. */
  deptMapping: z.record(z.string(), Id.nullable()).default({}),
  /** Issue (下发) the imported tasks at once. */
  issue: z.boolean().default(false),
});
export const ImportCommitResult = z.object({
  created: z.number(),
  skipped: z.number(),
  taskIds: z.array(Id),
});
