/**
 * THE contract between the renderer (or CLI, or web host) and the core.
 * Every command has a zod input and output schema; every event a payload schema.
 * The renderer imports only types from here.
 */
import { z } from 'zod';
import { complianceCommands } from './compliance';
import { Empty, Id, MonthStr, NonEmpty, Ok, OptionalText } from './common';
import {
  DocVersion,
  ImageRef,
  Material,
  MaterialAction,
  MaterialFilter,
  MaterialInput,
  MaterialPatch,
  MaterialTemplate,
  PmJson,
  UpdateB64,
} from './materials';
import {
  SyncConfigureInput,
  SyncConflict,
  SyncJoinInput,
  SyncRemoteWorkspaces,
  SyncRunResult,
  SyncStatus,
} from './sync';
import {
  AcceptWeakPointInput,
  BriefingInput,
  BriefingResult,
  CampaignSummary,
  Dimension,
  EvidenceInput,
  EvidenceItem,
  EvidencePatch,
  IndicatorDetail,
  IndicatorPatch,
  IndicatorSystem,
  Metric,
  MetricInput,
  MetricKey,
  MonitoringImportInput,
  MonitoringImportResult,
  MonitoringInput,
  MonitoringOverview,
  MonitoringResult,
  QuarterStr,
  Readiness,
  SystemImportInput,
  SystemImportResult,
} from './indicators';
import {
  Attachment,
  DashboardSummary,
  DispatchWeek,
  ExportResult,
  ExportTarget,
  Feedback,
  FeedbackInput,
  FileRef,
  ImportCommitInput,
  ImportCommitResult,
  ImportSource,
  TaskImportPreview,
  LeagueQuery,
  LeagueRow,
  LightRulesSchema,
  OwnerType,
  RectAction,
  RectFilter,
  Rectification,
  RectInput,
  RectPatch,
  TaskStep,
  TransitionInput,
  WeekComparison,
  WeekKey,
} from './supervision';
import {
  BackupResult,
  CreateWorkspaceInput,
  RecentWorkspace,
  Staff,
  StaffInput,
  StaffPatch,
  TemplateInfo,
  WorkspaceSettings,
  WorkspaceSettingsPatch,
  WorkspaceSummary,
} from './workspace';
import {
  AuditEntry,
  AuditQuery,
  Department,
  DepartmentInput,
  DepartmentPatch,
  Indicator,
  Task,
  TaskFilter,
  TaskInput,
  TaskListResult,
  TaskPatch,
} from './records';

const cmd = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const AppInfo = z.object({
  version: z.string(),
  dataDir: z.string(),
  schemaVersion: z.number(),
  runtime: z.enum(['electron', 'web', 'cli', 'test']),
  capabilities: z.object({ pickPath: z.boolean(), openPath: z.boolean() }),
  workspace: WorkspaceSummary.nullable(),
  lastError: z.string().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const PickPathInput = z.object({
  mode: z.enum(['open-file', 'save-file', 'open-dir']),
  title: z.string().max(100).optional(),
  defaultPath: z.string().max(4096).optional(),
  filters: z.array(z.object({ name: z.string(), extensions: z.array(z.string()) })).optional(),
});
export type PickPathInput = z.infer<typeof PickPathInput>;

export const commands = {
  'app.info': cmd(Empty, AppInfo),
  'system.pickPath': cmd(PickPathInput, z.object({ path: z.string().nullable() })),

  'workspace.templates': cmd(Empty, z.array(TemplateInfo)),
  'workspace.recent': cmd(Empty, z.array(RecentWorkspace)),
  'workspace.create': cmd(CreateWorkspaceInput, WorkspaceSummary),
  'workspace.open': cmd(z.object({ dir: z.string().min(1, '请选择工作区文件夹') }), WorkspaceSummary),
  'workspace.close': cmd(Empty, Ok),
  'workspace.forget': cmd(z.object({ dir: z.string().min(1) }), Ok),
  'workspace.rename': cmd(
    z.object({ name: z.string().trim().min(1, '请填写工作区名称').max(80) }),
    WorkspaceSummary,
  ),
  'workspace.settings': cmd(Empty, WorkspaceSettings),
  'workspace.updateSettings': cmd(WorkspaceSettingsPatch, WorkspaceSettings),
  'workspace.backup': cmd(z.object({ file: z.string().min(1).optional() }), BackupResult),
  /** Replaces the open workspace's content with a backup (the previous content is kept aside). */
  'workspace.restore': cmd(z.object({ file: z.string().min(1, '请选择备份文件') }), WorkspaceSummary),
  /** Restores a backup as a workspace in a new (or empty) folder and opens it. */
  'workspace.importBackup': cmd(
    z.object({ file: z.string().min(1, '请选择备份文件'), dir: z.string().min(1).optional() }),
    WorkspaceSummary,
  ),

  'staff.list': cmd(Empty, z.object({ staff: z.array(Staff), meId: Id.nullable() })),
  'staff.create': cmd(StaffInput, Staff),
  'staff.update': cmd(z.object({ id: Id, patch: StaffPatch }), Staff),
  'staff.setMe': cmd(z.object({ id: Id }), Ok),

  'departments.list': cmd(
    z.object({ includeArchived: z.boolean().default(false), search: z.string().trim().max(80).optional() }),
    z.array(Department),
  ),
  'departments.create': cmd(DepartmentInput, Department),
  'departments.update': cmd(z.object({ id: Id, patch: DepartmentPatch }), Department),
  'departments.archive': cmd(z.object({ id: Id, archived: z.boolean() }), Department),
  'departments.export': cmd(
    z.object({ includeArchived: z.boolean().default(false), file: ExportTarget.shape.file }),
    ExportResult,
  ),

  'indicators.list': cmd(Empty, z.array(Indicator)),
  'indicators.get': cmd(z.object({ id: Id }), IndicatorDetail),
  /** The self-assessment of an indicator (status, self-score and reason, narrative), its text and owners. */
  'indicators.update': cmd(z.object({ id: Id, patch: IndicatorPatch }), Indicator),
  'indicators.readiness': cmd(Empty, Readiness),
  /** The indicator-system versions in this workspace. */
  'indicators.systems': cmd(Empty, z.array(IndicatorSystem)),
  /** Makes a version the workspace's current indicator system. */
  'indicators.useSystem': cmd(z.object({ version: z.string().min(1).max(40) }), Ok),
  /** Imports an indicator system (.xlsx) — a new version, or an update of one by indicator code. */
  'indicators.importSystem': cmd(SystemImportInput, SystemImportResult),
  /** Exports a version (default: the current one) as .xlsx in the import format. */
  'indicators.exportSystem': cmd(
    z.object({ version: z.string().min(1).max(40).optional(), file: ExportTarget.shape.file }),
    ExportResult,
  ),
  'evidence.add': cmd(EvidenceInput, EvidenceItem),
  'evidence.update': cmd(z.object({ id: Id, patch: EvidencePatch }), EvidenceItem),
  'evidence.remove': cmd(z.object({ id: Id }), Ok),

  'metrics.list': cmd(Empty, z.array(Metric)),
  'metrics.set': cmd(MetricInput, Metric),
  'metrics.remove': cmd(z.object({ metric: MetricKey, month: MonthStr }), Ok),
  'metrics.setTarget': cmd(z.object({ metric: MetricKey, target: z.number().min(0).max(1000) }), Metric),

  'monitoring.overview': cmd(Empty, MonitoringOverview),
  /** Saves one month's result (creates or replaces that month). */
  'monitoring.save': cmd(MonitoringInput, MonitoringResult),
  'monitoring.remove': cmd(z.object({ month: MonthStr }), Ok),
  /** Imports monthly results from .xlsx; any bad row refuses the whole file (nothing written). */
  'monitoring.import': cmd(MonitoringImportInput, MonitoringImportResult),
  /** Creates the proposed rectification item (and task) of a weak point. */
  'monitoring.acceptWeakPoint': cmd(AcceptWeakPointInput, z.object({ rectId: Id, taskId: Id.nullable() })),
  'monitoring.dismissWeakPoint': cmd(
    z.object({ month: MonthStr, dimension: Dimension, note: OptionalText('说明', 500).default(null) }),
    Ok,
  ),
  /** Creates the month's 指标提升方案 as a material (draft) from the results and weak points. */
  'monitoring.improvementPlan': cmd(z.object({ month: MonthStr }), Material),
  /** 预警监测排名分析报告 of a quarter (.docx). */
  'reports.rankingAnalysis': cmd(
    z.object({ quarter: QuarterStr, file: ExportTarget.shape.file }),
    ExportResult,
  ),

  /** Readiness, monitoring and metrics: the campaign half of the dashboard (and of the deck). */
  'dashboard.campaign': cmd(Empty, CampaignSummary),
  /** The briefing deck (.pptx) for a period, with the chosen sections. */
  'briefing.export': cmd(BriefingInput, BriefingResult),

  'materials.list': cmd(MaterialFilter, z.array(Material)),
  'materials.get': cmd(z.object({ id: Id }), Material),
  'materials.create': cmd(MaterialInput, Material),
  'materials.update': cmd(z.object({ id: Id, patch: MaterialPatch }), Material),
  'materials.transition': cmd(z.object({ id: Id, action: MaterialAction }), Material),
  'materials.delete': cmd(z.object({ id: Id }), Ok),
  'materials.templates': cmd(Empty, z.array(MaterialTemplate)),
  'materials.saveTemplate': cmd(
    z.object({ materialId: Id, name: NonEmpty('模板名称', 80), description: OptionalText('说明', 500) }),
    MaterialTemplate,
  ),
  'materials.deleteTemplate': cmd(z.object({ id: z.string().min(1) }), Ok),
  /** A material as a .docx in the GB/T 9704 format (to `file`, or to the data folder's exports/). */
  'materials.export': cmd(z.object({ id: Id, file: ExportTarget.shape.file }), ExportResult),
  /** 自评报告 generated from the current indicators, self-assessments, tasks and rectifications (.docx). */
  'reports.selfAssessment': cmd(z.object({ file: ExportTarget.shape.file }), ExportResult),
  /**
   * 评审材料汇编 (.docx): cover, table of contents, one section per indicator with its linked materials,
   * the evidence index and image evidence. `indicatorIds` limits it to those indicators (default: all).
   */
  'reports.compile': cmd(
    z.object({
      file: ExportTarget.shape.file,
      indicatorIds: z.array(Id).min(1, '请至少选择一个指标').max(500).optional(),
    }),
    ExportResult,
  ),
  /** The whole document as one Yjs update (base64) and any problems met reading it. */
  'docs.load': cmd(z.object({ docId: Id }), z.object({ update: z.string(), problems: z.array(z.string()) })),
  /** Appends one Yjs update (base64) from the editor. */
  'docs.push': cmd(z.object({ docId: Id, update: UpdateB64 }), Ok),
  'docs.json': cmd(z.object({ docId: Id }), z.object({ json: PmJson })),
  'docs.versions': cmd(z.object({ docId: Id }), z.array(DocVersion)),
  'docs.saveVersion': cmd(z.object({ docId: Id, name: NonEmpty('版本名称', 80) }), DocVersion),
  'docs.versionJson': cmd(z.object({ versionId: Id }), z.object({ json: PmJson })),
  /** Restores a version as a new change; returns the update for an open editor. */
  'docs.restoreVersion': cmd(
    z.object({ versionId: Id }),
    z.object({ update: z.string(), backup: DocVersion }),
  ),
  /** Stores an image for a document (uploaded in chunks or from a path); returns its hash and size. */
  'docs.putImage': cmd(
    z
      .object({
        uploadId: z
          .string()
          .regex(/^[0-9a-f]{32}$/)
          .optional(),
        path: z.string().min(1).max(4096).optional(),
        name: z.string().max(200).optional(),
      })
      .refine((f) => !!f.path !== !!f.uploadId, '请选择图片'),
    ImageRef,
  ),
  'docs.image': cmd(
    z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }),
    z.object({ mime: z.string(), base64: z.string() }),
  ),

  'tasks.list': cmd(TaskFilter, TaskListResult),
  'tasks.get': cmd(z.object({ id: Id }), Task),
  'tasks.create': cmd(TaskInput, Task),
  'tasks.update': cmd(z.object({ id: Id, patch: TaskPatch }), Task),
  'tasks.delete': cmd(z.object({ id: Id }), Ok),

  'tasks.transition': cmd(TransitionInput, z.object({ tasks: z.array(Task) })),
  'tasks.dispatch': cmd(
    z.object({ id: Id, deptIds: z.array(Id).min(1, '请至少选择一个单位').max(200) }),
    z.object({ tasks: z.array(Task) }),
  ),
  'tasks.steps': cmd(z.object({ taskId: Id }), z.array(TaskStep)),
  'tasks.importPreview': cmd(ImportSource, TaskImportPreview),
  /** Applies the department mapping and creates every importable row in ONE transaction. */
  'tasks.importCommit': cmd(ImportCommitInput, ImportCommitResult),
  'tasks.export': cmd(z.object({ filter: TaskFilter, file: ExportTarget.shape.file }), ExportResult),

  'feedback.list': cmd(z.object({ taskId: Id }), z.array(Feedback)),
  'feedback.add': cmd(FeedbackInput, Feedback),

  'attachments.list': cmd(z.object({ ownerType: OwnerType, ownerId: Id }), z.array(Attachment)),
  /** Sends a file in base64 chunks (≤ 4 MB each); the first call passes uploadId null. */
  'attachments.upload': cmd(
    z.object({
      uploadId: z
        .string()
        .regex(/^[0-9a-f]{32}$/)
        .nullable(),
      data: z.string().max(6_000_000),
    }),
    z.object({ uploadId: z.string(), size: z.number() }),
  ),
  'attachments.add': cmd(z.object({ ownerType: OwnerType, ownerId: Id, file: FileRef }), Attachment),
  'attachments.read': cmd(
    z.object({ id: Id }),
    z.object({ name: z.string(), mime: z.string(), size: z.number(), base64: z.string() }),
  ),
  'attachments.open': cmd(z.object({ id: Id }), Ok),
  'attachments.remove': cmd(z.object({ id: Id }), Ok),

  'lights.rules': cmd(Empty, LightRulesSchema),
  'lights.updateRules': cmd(LightRulesSchema, LightRulesSchema),

  'league.table': cmd(LeagueQuery, z.array(LeagueRow)),
  'league.export': cmd(z.object({ query: LeagueQuery, file: ExportTarget.shape.file }), ExportResult),
  'dashboard.summary': cmd(Empty, DashboardSummary),

  'dispatch.weeks': cmd(Empty, z.array(DispatchWeek)),
  'dispatch.freeze': cmd(
    z.object({ week: WeekKey.optional(), note: OptionalText('备注', 2000) }),
    DispatchWeek,
  ),
  'dispatch.compare': cmd(z.object({ week: WeekKey }), WeekComparison),
  'dispatch.report': cmd(z.object({ week: WeekKey, file: ExportTarget.shape.file }), ExportResult),
  'dispatch.deptReport': cmd(
    z.object({ week: WeekKey, deptId: Id, file: ExportTarget.shape.file }),
    ExportResult,
  ),

  'rect.list': cmd(RectFilter, z.array(Rectification)),
  'rect.get': cmd(z.object({ id: Id }), Rectification),
  'rect.create': cmd(RectInput, Rectification),
  'rect.update': cmd(z.object({ id: Id, patch: RectPatch }), Rectification),
  'rect.transition': cmd(
    z.object({ id: Id, action: RectAction, note: OptionalText('说明', 5000) }),
    Rectification,
  ),
  'rect.delete': cmd(z.object({ id: Id }), Ok),
  'rect.export': cmd(z.object({ filter: RectFilter, file: ExportTarget.shape.file }), ExportResult),
  'rect.clarificationReport': cmd(
    z.object({ ids: z.array(Id).min(1).max(500), file: ExportTarget.shape.file }),
    ExportResult,
  ),

  /** Reads a file this app exported (under the data folder's exports/), for download in the browser. */
  'exports.read': cmd(
    z.object({ file: z.string().min(1) }),
    z.object({ name: z.string(), base64: z.string() }),
  ),
  'exports.open': cmd(z.object({ file: z.string().min(1) }), Ok),

  'audit.list': cmd(AuditQuery, z.array(AuditEntry)),

  'sync.status': cmd(Empty, SyncStatus),
  /** Signs in to the central platform: checks the server and the token, then stores the token. */
  'sync.configure': cmd(SyncConfigureInput, SyncStatus),
  'sync.logout': cmd(Empty, SyncStatus),
  /** Syncs now (push, pull, documents, attachments). `allowMassDelete` confirms a large deletion. */
  'sync.now': cmd(z.object({ allowMassDelete: z.boolean().default(false) }), SyncRunResult),
  /** Cancels the sync run in progress; what was already applied stays (each page is one transaction). */
  'sync.cancel': cmd(Empty, z.object({ cancelled: z.boolean() })),
  'sync.conflicts': cmd(
    z.object({ limit: z.number().int().min(1).max(500).default(100) }),
    z.array(SyncConflict),
  ),
  /** Checks a server and a token (no workspace needed) and lists the workspaces the user may download. */
  'sync.remoteWorkspaces': cmd(SyncConfigureInput, SyncRemoteWorkspaces),
  /** Downloads a workspace from the server as a new local workspace (a new laptop joins) and opens it. */
  'sync.join': cmd(SyncJoinInput, WorkspaceSummary),
  ...complianceCommands,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
/** What a caller passes (defaults may be omitted). */
export type Input<N extends CommandName> = z.input<Commands[N]['input']>;
/** What the handler receives after validation and defaults. */
export type ParsedInput<N extends CommandName> = z.output<Commands[N]['input']>;
export type Output<N extends CommandName> = z.output<Commands[N]['output']>;

export const events = {
  /** Records of these entities changed (locally or by sync); caches should refresh. */
  'records.changed': z.object({ entities: z.array(z.string()) }),
  /** The open workspace changed (opened, closed, restored, renamed). */
  'workspace.changed': z.object({ workspace: WorkspaceSummary.nullable() }),
  /** Progress of a long-running job. */
  'job.progress': z.object({
    jobId: z.string(),
    kind: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    message: z.string(),
    state: z.enum(['running', 'done', 'failed', 'cancelled']),
  }),
} as const;

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;

export const commandNames = Object.keys(commands) as CommandName[];

export * from './common';
export * from './errors';
export * from './workspace';
export * from './records';
export * from './labels';
export * from './supervision';
export * from './materials';
export * from './indicators';
export * from './sync';
export * from './compliance';
