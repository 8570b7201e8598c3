import { z } from 'zod';
import { DateStr, Id, NonEmpty, OptionalText } from './common';
import {
  DEPT_KINDS,
  DEPT_ROLES,
  INDICATOR_KINDS,
  INDICATOR_STATUSES,
  LIGHTS,
  RECURRENCES,
  TASK_KINDS,
  TASK_PRIORITIES,
  TASK_STATUSES,
} from './labels';

// ---------- departments ----------
export const DeptKind = z.enum(DEPT_KINDS);
export const DeptRole = z.enum(DEPT_ROLES);

export const Department = z.object({
  id: Id,
  name: z.string(),
  shortName: z.string().nullable(),
  aliases: z.array(z.string()),
  kind: DeptKind,
  role: DeptRole,
  contact: z.string().nullable(),
  phone: z.string().nullable(),
  sort: z.number(),
  archived: z.boolean(),
  taskCount: z.number(),
  openTaskCount: z.number(),
  updatedAt: z.string(),
});
export type Department = z.infer<typeof Department>;

const DepartmentFields = z.object({
  name: NonEmpty('单位全称', 80),
  shortName: OptionalText('简称', 40),
  aliases: z.array(z.string().trim().min(1).max(80)).max(20),
  kind: DeptKind,
  role: DeptRole,
  contact: OptionalText('联系人', 40),
  phone: OptionalText('联系电话', 40),
  sort: z.number().int().optional(),
});
export const DepartmentInput = DepartmentFields.extend({
  aliases: DepartmentFields.shape.aliases.default([]),
  kind: DeptKind.default('department'),
  role: DeptRole.default('responsible'),
});
/** Partial update: absent keys stay unchanged (no defaults applied). */
export const DepartmentPatch = DepartmentFields.partial();

// ---------- indicators (minimal for the foundation; the indicators issue extends it) ----------
export const IndicatorKind = z.enum(INDICATOR_KINDS);
export const Indicator = z.object({
  id: Id,
  code: z.string(),
  title: z.string(),
  kind: IndicatorKind,
  parentId: Id.nullable(),
  points: z.number().nullable(),
  standard: z.string().nullable(),
  sort: z.number(),
  taskCount: z.number(),
  /** Self-assessment: 未达标 / 推进中 / 已达标, self-score, its reason, the narrative of the 自评报告. */
  status: z.enum(INDICATOR_STATUSES),
  selfScore: z.number().nullable(),
  scoreNote: z.string().nullable(),
  narrative: z.string().nullable(),
  materialCount: z.number(),
  /** Owner (responsible) departments. */
  ownerDeptIds: z.array(Id),
  ownerDeptNames: z.array(z.string()),
  /** Evidence checklist items, and how many are satisfied (attachment or linked material). */
  evidenceTotal: z.number(),
  evidenceSatisfied: z.number(),
  /** Live rectification items linked to the indicator, and how many are not closed. */
  rectCount: z.number(),
  openRectCount: z.number(),
});
export type Indicator = z.infer<typeof Indicator>;

// ---------- tasks ----------
export const TaskStatus = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof TaskStatus>;
export const TaskPriority = z.enum(TASK_PRIORITIES);
export const Recurrence = z.enum(RECURRENCES);
export const TaskKind = z.enum(TASK_KINDS);
export const Light = z.enum(LIGHTS);
export type Light = z.infer<typeof Light>;

export const Task = z.object({
  id: Id,
  code: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  standard: z.string().nullable(),
  leadDeptId: Id.nullable(),
  leadDeptName: z.string().nullable(),
  coopDeptIds: z.array(Id),
  indicatorIds: z.array(Id),
  dueDate: DateStr.nullable(),
  status: TaskStatus,
  priority: TaskPriority,
  recurrence: Recurrence,
  progress: z.number(),
  kind: TaskKind,
  seriesId: Id.nullable(),
  /** Period key of an instance (2027-W05, 2027-03, 2027-Q1) and its Chinese label. */
  period: z.string().nullable(),
  periodLabel: z.string().nullable(),
  recurStart: DateStr.nullable(),
  recurEnd: DateStr.nullable(),
  parentId: Id.nullable(),
  issuedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  lastActivityAt: z.string().nullable(),
  light: Light,
  /** overdue:<days> | stale:<days> | due_soon:<days> | null */
  lightReason: z.string().nullable(),
  feedbackCount: z.number(),
  attachmentCount: z.number(),
  updatedAt: z.string(),
  createdAt: z.string(),
});
export type Task = z.infer<typeof Task>;

const TaskFields = z.object({
  code: OptionalText('任务编号', 40),
  title: NonEmpty('任务名称', 200),
  description: OptionalText('任务内容'),
  standard: OptionalText('完成标准'),
  leadDeptId: Id.nullable(),
  coopDeptIds: z.array(Id).max(100),
  indicatorIds: z.array(Id).max(100),
  dueDate: DateStr.nullable(),
  priority: TaskPriority,
  recurrence: Recurrence,
  /** Recurring tasks: the first day of the first period, and an optional last day. */
  recurStart: DateStr.nullable(),
  recurEnd: DateStr.nullable(),
  progress: z.number().int().min(0, '进度不能小于 0').max(100, '进度不能超过 100'),
});
/** Create: a new task starts 待下发, or is issued at once with issue: true. */
export const TaskInput = TaskFields.extend({
  issue: z.boolean().default(false),
  leadDeptId: TaskFields.shape.leadDeptId.default(null),
  coopDeptIds: TaskFields.shape.coopDeptIds.default([]),
  indicatorIds: TaskFields.shape.indicatorIds.default([]),
  dueDate: TaskFields.shape.dueDate.default(null),
  priority: TaskPriority.default('normal'),
  recurrence: Recurrence.default('none'),
  recurStart: TaskFields.shape.recurStart.default(null),
  recurEnd: TaskFields.shape.recurEnd.default(null),
  progress: TaskFields.shape.progress.default(0),
}).refine((t) => !t.recurStart || !t.recurEnd || t.recurStart <= t.recurEnd, {
  message: '周期结束日期不能早于开始日期',
  path: ['recurEnd'],
});
export type TaskInput = z.input<typeof TaskInput>;

/**
 * Partial update: absent keys stay unchanged (no defaults applied). The status is not here:
 * it changes only through the workflow (tasks.transition).
 */
export const TaskPatch = TaskFields.omit({ recurrence: true }).partial();

export const TaskFilter = z.object({
  deptIds: z.array(Id).max(500).optional(),
  /** With deptIds: only tasks those departments lead (as the league table counts them). */
  leadOnly: z.boolean().optional(),
  statuses: z.array(TaskStatus).optional(),
  lights: z.array(Light).optional(),
  /** Default: one-off tasks, instances and series. */
  kinds: z.array(TaskKind).optional(),
  seriesId: Id.optional(),
  /** Tasks whose id is in this list. */
  ids: z.array(Id).max(100000).optional(),
  /** Issued, not done, due before today (the overdue list of the dashboard). */
  overdue: z.boolean().optional(),
  /** Only supervised tasks: issued (not 待下发) and not a series definition. */
  supervisedOnly: z.boolean().optional(),
  indicatorId: Id.optional(),
  dueFrom: DateStr.optional(),
  dueTo: DateStr.optional(),
  /** Completed (办结) between these local dates (the dashboard's weekly trend). */
  doneFrom: DateStr.optional(),
  doneTo: DateStr.optional(),
  search: z.string().trim().max(100).optional(),
  limit: z.number().int().min(1).max(100000).default(20000),
});
export type TaskFilter = z.input<typeof TaskFilter>;

export const TaskListResult = z.object({ rows: z.array(Task), total: z.number(), truncated: z.boolean() });
export type TaskListResult = z.infer<typeof TaskListResult>;

// ---------- audit ----------
export const AuditEntry = z.object({
  id: z.number(),
  txId: z.string(),
  at: z.string(),
  actorName: z.string(),
  entity: z.string(),
  entityLabel: z.string(),
  entityId: z.string(),
  op: z.enum(['create', 'update', 'delete', 'restore']),
  field: z.string(),
  fieldLabel: z.string(),
  oldValue: z.unknown(),
  newValue: z.unknown(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditQuery = z.object({
  entity: z.string().optional(),
  entityId: z.string().optional(),
  limit: z.number().int().min(1).max(5000).default(200),
  beforeId: z.number().int().optional(),
});
