/**
 * Enumerations and their Chinese labels: one list shared by the contract's schemas, the
 * renderer and the CLI. Pure constants with no imports, so the renderer may import this file
 * at runtime (eslint allows exactly this one).
 */

export const STAFF_ROLES = ['项目负责人', '驻场顾问', '数据专员', '协作顾问', '其他'] as const;

export const DEPT_KINDS = ['department', 'town', 'enterprise', 'other'] as const;
export const DEPT_KIND_LABEL: Record<(typeof DEPT_KINDS)[number], string> = {
  department: '职能部门',
  town: '镇（区）',
  enterprise: '企事业单位',
  other: '其他',
};

/** Campaign role: 牵头单位 / 责任单位 / 配合单位. */
export const DEPT_ROLES = ['lead', 'responsible', 'cooperating'] as const;
export const DEPT_ROLE_LABEL: Record<(typeof DEPT_ROLES)[number], string> = {
  lead: '牵头单位',
  responsible: '责任单位',
  cooperating: '配合单位',
};

export const INDICATOR_KINDS = ['category', 'basic', 'scored', 'bonus'] as const;
export const INDICATOR_KIND_LABEL: Record<(typeof INDICATOR_KINDS)[number], string> = {
  category: '类别',
  basic: '基础指标',
  scored: '评分指标',
  bonus: '加分项',
};

/** Supervision workflow states (下发 → 签收 → 办理 → 反馈 → 复核 → 办结). */
export const TASK_STATUSES = ['draft', 'issued', 'signed', 'handling', 'feedback', 'done'] as const;
export const STATUS_LABEL: Record<(typeof TASK_STATUSES)[number], string> = {
  draft: '待下发',
  issued: '待签收',
  signed: '已签收',
  handling: '办理中',
  feedback: '待复核',
  done: '已办结',
};

export const TASK_PRIORITIES = ['normal', 'high', 'urgent'] as const;
export const PRIORITY_LABEL: Record<(typeof TASK_PRIORITIES)[number], string> = {
  normal: '一般',
  high: '重要',
  urgent: '紧急',
};

export const RECURRENCES = ['none', 'weekly', 'monthly', 'quarterly'] as const;
export const RECURRENCE_LABEL: Record<(typeof RECURRENCES)[number], string> = {
  none: '一次性',
  weekly: '每周',
  monthly: '每月',
  quarterly: '每季度',
};

export const TASK_KINDS = ['task', 'series', 'instance'] as const;
export const TASK_KIND_LABEL: Record<(typeof TASK_KINDS)[number], string> = {
  task: '一次性任务',
  series: '周期任务',
  instance: '周期任务（本期）',
};

/** Workflow actions: 下发 → 签收 → 办理 → 反馈 → 复核（通过即办结，或退回）; 撤回 undoes an unsigned 下发. */
export const TASK_ACTIONS = ['issue', 'recall', 'sign', 'start', 'report', 'approve', 'return'] as const;
export const TASK_ACTION_LABEL: Record<(typeof TASK_ACTIONS)[number], string> = {
  issue: '下发',
  recall: '撤回',
  sign: '签收',
  start: '办理',
  report: '反馈',
  approve: '复核通过',
  return: '退回',
};

/** Traffic lights (亮灯). none = not yet issued; done = 办结. */
export const LIGHTS = ['none', 'green', 'yellow', 'red', 'done'] as const;
export const LIGHT_LABEL: Record<(typeof LIGHTS)[number], string> = {
  none: '未下发',
  green: '绿灯',
  yellow: '黄灯',
  red: '红灯',
  done: '已办结',
};

export const RECT_SOURCES = ['inspection', 'weak_indicator', 'review_panel', 'other'] as const;
export const RECT_SOURCE_LABEL: Record<(typeof RECT_SOURCES)[number], string> = {
  inspection: '每周巡查',
  weak_indicator: '监测薄弱指标',
  review_panel: '国家评审反馈',
  other: '其他',
};

export const RECT_STATUSES = ['open', 'in_progress', 'verifying', 'closed'] as const;
export const RECT_STATUS_LABEL: Record<(typeof RECT_STATUSES)[number], string> = {
  open: '待整改',
  in_progress: '整改中',
  verifying: '待验收',
  closed: '已销号',
};

export const RECT_ACTIONS = ['start', 'submit', 'accept', 'reject', 'reopen'] as const;
export const RECT_ACTION_LABEL: Record<(typeof RECT_ACTIONS)[number], string> = {
  start: '开始整改',
  submit: '提交验收',
  accept: '验收销号',
  reject: '验收不通过',
  reopen: '重新整改',
};

type TaskStatusName = (typeof TASK_STATUSES)[number];
type RectStatusName = (typeof RECT_STATUSES)[number];

/**
 * The workflow as data: which statuses each action applies to and where it leads. The core
 * enforces it (main/core/tasks/workflow.ts); the renderer shows only these buttons.
 */
export const TASK_TRANSITIONS: Record<
  (typeof TASK_ACTIONS)[number],
  { from: readonly TaskStatusName[]; to: TaskStatusName; needsNote?: boolean }
> = {
  issue: { from: ['draft'], to: 'issued' },
  recall: { from: ['issued'], to: 'draft' },
  sign: { from: ['issued'], to: 'signed' },
  start: { from: ['signed'], to: 'handling' },
  report: { from: ['handling'], to: 'feedback' },
  approve: { from: ['feedback'], to: 'done' },
  return: { from: ['feedback'], to: 'handling', needsNote: true },
};

/** The rectification flow 待整改 → 整改中 → 待验收 → 已销号, as data (enforced by the core). */
export const RECT_TRANSITIONS: Record<
  (typeof RECT_ACTIONS)[number],
  { from: readonly RectStatusName[]; to: RectStatusName; needsNote?: boolean }
> = {
  start: { from: ['open'], to: 'in_progress' },
  submit: { from: ['in_progress'], to: 'verifying' },
  accept: { from: ['verifying'], to: 'closed', needsNote: true },
  reject: { from: ['verifying'], to: 'in_progress', needsNote: true },
  reopen: { from: ['closed'], to: 'in_progress', needsNote: true },
};

export const MATERIAL_TYPES = [
  'work_points',
  'implementation_plan',
  'regulation',
  'meeting_minutes',
  'training',
  'scenario_design',
  'clarification',
  'self_assessment',
  'improvement_plan',
  'other',
] as const;
export const MATERIAL_TYPE_LABEL: Record<(typeof MATERIAL_TYPES)[number], string> = {
  work_points: '工作要点',
  implementation_plan: '实施方案',
  regulation: '制度文件',
  meeting_minutes: '会议纪要',
  training: '培训材料',
  scenario_design: '信易+场景设计',
  clarification: '澄清报告',
  self_assessment: '自评报告',
  improvement_plan: '指标提升方案',
  other: '其他',
};

/** 草稿 → 待审 → 定稿 (退回 to 草稿 from 待审; a 定稿 may be reopened as a 草稿). */
export const MATERIAL_STATUSES = ['draft', 'review', 'final'] as const;
export const MATERIAL_STATUS_LABEL: Record<(typeof MATERIAL_STATUSES)[number], string> = {
  draft: '草稿',
  review: '待审',
  final: '定稿',
};
export const MATERIAL_ACTIONS = ['submit', 'approve', 'reject', 'reopen'] as const;
export const MATERIAL_ACTION_LABEL: Record<(typeof MATERIAL_ACTIONS)[number], string> = {
  submit: '提交审核',
  approve: '审定（定稿）',
  reject: '退回修改',
  reopen: '重新编辑',
};
export const MATERIAL_TRANSITIONS: Record<
  (typeof MATERIAL_ACTIONS)[number],
  { from: readonly (typeof MATERIAL_STATUSES)[number][]; to: (typeof MATERIAL_STATUSES)[number] }
> = {
  submit: { from: ['draft'], to: 'review' },
  approve: { from: ['review'], to: 'final' },
  reject: { from: ['review'], to: 'draft' },
  reopen: { from: ['final'], to: 'draft' },
};

/** Indicator readiness: 未达标 / 推进中 / 已达标. */
export const INDICATOR_STATUSES = ['not_met', 'in_progress', 'met'] as const;
export const INDICATOR_STATUS_LABEL: Record<(typeof INDICATOR_STATUSES)[number], string> = {
  not_met: '未达标',
  in_progress: '推进中',
  met: '已达标',
};

/** The five dimensions of the national city credit-status monitoring (DOMAIN.md §4). */
export const MONITORING_DIMENSIONS = ['incentive', 'system', 'culture', 'service', 'environment'] as const;
export const MONITORING_DIMENSION_LABEL: Record<(typeof MONITORING_DIMENSIONS)[number], string> = {
  incentive: '守信激励和失信治理',
  system: '信用制度和基础建设',
  culture: '诚信文化和诚信建设',
  service: '信用服务和信用创新',
  environment: '信用环境和营商环境',
};

/**
 * Tracked campaign metrics (seed items 2–3): credit commitments against the number of
 * enterprises (value = commitments, base = enterprises, target: equal), the credit-repair rate
 * and the five-category data compliance rate (percentages).
 */
export const METRICS = ['commitments', 'repair_rate', 'compliance_rate'] as const;
export const METRIC_LABEL: Record<(typeof METRICS)[number], string> = {
  commitments: '信用承诺数（对比企业总数）',
  repair_rate: '信用修复率',
  compliance_rate: '五类数据合规率',
};
/** Default targets: commitments ≥ 100% of enterprises; rates in percent. */
export const METRIC_DEFAULT_TARGET: Record<(typeof METRICS)[number], number> = {
  commitments: 100,
  repair_rate: 90,
  compliance_rate: 100,
};

/** Weak-point proposals: what the team decided. */
export const WEAK_DECISIONS = ['accepted', 'dismissed'] as const;

/** Sections of the briefing deck (汇报PPT), in deck order; cover and agenda are always there. */
export const BRIEFING_SECTIONS = [
  'overview',
  'readiness',
  'departments',
  'ranking',
  'compliance',
  'rectifications',
  'risks',
  'next_steps',
] as const;
export const BRIEFING_SECTION_LABEL: Record<(typeof BRIEFING_SECTIONS)[number], string> = {
  overview: '创建工作总体情况',
  readiness: '指标达标情况',
  departments: '各单位任务完成情况',
  ranking: '信用监测排名趋势',
  compliance: '数据报送合规情况',
  rectifications: '整改事项开展情况',
  risks: '主要风险和问题',
  next_steps: '下一步工作安排',
};

// ---------- data compliance (contract/compliance.ts) ----------

/** 双公示 (行政许可/行政处罚), the five 行政管理信息 categories, the six 特定信用信息 kinds. */
export const COMPLIANCE_CATEGORIES = ['double', 'five', 'six'] as const;
export const COMPLIANCE_CATEGORY_LABELS: Record<(typeof COMPLIANCE_CATEGORIES)[number], string> = {
  double: '双公示',
  five: '五类行政管理信息',
  six: '六类特定信用信息',
};
export const SEVERITIES = ['error', 'warning'] as const;
export const SEVERITY_LABELS: Record<(typeof SEVERITIES)[number], string> = {
  error: '错误',
  warning: '警告',
};
/** Formats of a rule-set field (see FieldFormat in contract/compliance.ts). */
export const FIELD_FORMATS = [
  'text',
  'uscc',
  'org_code',
  'id_number',
  'date',
  'amount',
  'code',
  'doc_no',
] as const;
export const FIELD_FORMAT_LABELS: Record<(typeof FIELD_FORMATS)[number], string> = {
  text: '文本',
  uscc: '统一社会信用代码',
  org_code: '组织机构代码',
  id_number: '证件号码',
  date: '日期',
  amount: '金额（万元）',
  code: '代码表',
  doc_no: '文书号',
};
