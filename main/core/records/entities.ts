/**
 * Every synced record type: its table, Chinese label and fields (column names).
 * The write path accepts only these fields; the audit view and sync use the labels and types.
 * `id`, `created_at` and `updated_at` are managed by the write path and are not fields.
 */
export type FieldType = 'text' | 'int' | 'real' | 'bool' | 'json';

export interface FieldDef {
  label: string;
  type: FieldType;
}

export interface EntityDef {
  table: string;
  label: string;
  fields: Record<string, FieldDef>;
}

const deleted: FieldDef = { label: '已删除', type: 'bool' };

export const ENTITIES = {
  workspace: {
    table: 'workspace',
    label: '工作区',
    fields: {
      name: { label: '名称', type: 'text' },
      city: { label: '城市', type: 'text' },
      admin_code: { label: '行政区划代码', type: 'text' },
      campaign_name: { label: '创建活动', type: 'text' },
      period_start: { label: '开始日期', type: 'text' },
      period_end: { label: '结束日期', type: 'text' },
      ranking_target: { label: '排名目标', type: 'int' },
      indicator_version: { label: '指标体系版本', type: 'text' },
      template_id: { label: '模板', type: 'text' },
      light_rules: { label: '亮灯规则', type: 'json' },
      metric_targets: { label: '跟踪指标目标', type: 'json' },
      deleted,
    },
  },
  staff: {
    table: 'staff',
    label: '驻场人员',
    fields: {
      name: { label: '姓名', type: 'text' },
      role: { label: '角色', type: 'text' },
      phone: { label: '电话', type: 'text' },
      email: { label: '邮箱', type: 'text' },
      active: { label: '在岗', type: 'bool' },
      deleted,
    },
  },
  department: {
    table: 'departments',
    label: '部门单位',
    fields: {
      name: { label: '全称', type: 'text' },
      short_name: { label: '简称', type: 'text' },
      aliases: { label: '别名', type: 'json' },
      kind: { label: '类型', type: 'text' },
      role: { label: '创建角色', type: 'text' },
      contact: { label: '联系人', type: 'text' },
      phone: { label: '联系电话', type: 'text' },
      sort: { label: '排序', type: 'int' },
      archived: { label: '已归档', type: 'bool' },
      deleted,
    },
  },
  indicator: {
    table: 'indicators',
    label: '指标',
    fields: {
      system_version: { label: '指标体系版本', type: 'text' },
      code: { label: '编号', type: 'text' },
      title: { label: '名称', type: 'text' },
      kind: { label: '类型', type: 'text' },
      parent_id: { label: '上级指标', type: 'text' },
      points: { label: '分值', type: 'real' },
      standard: { label: '评分标准', type: 'text' },
      sort: { label: '排序', type: 'int' },
      status: { label: '达标状态', type: 'text' },
      self_score: { label: '自评分', type: 'real' },
      score_note: { label: '自评理由', type: 'text' },
      narrative: { label: '自评说明', type: 'text' },
      deleted,
    },
  },
  task: {
    table: 'tasks',
    label: '任务',
    fields: {
      code: { label: '编号', type: 'text' },
      title: { label: '任务名称', type: 'text' },
      description: { label: '任务内容', type: 'text' },
      standard: { label: '完成标准', type: 'text' },
      lead_dept_id: { label: '牵头单位', type: 'text' },
      due_date: { label: '截止日期', type: 'text' },
      status: { label: '状态', type: 'text' },
      priority: { label: '优先级', type: 'text' },
      recurrence: { label: '周期', type: 'text' },
      progress: { label: '进度', type: 'int' },
      kind: { label: '类型', type: 'text' },
      series_id: { label: '所属周期任务', type: 'text' },
      period: { label: '周期', type: 'text' },
      recur_start: { label: '周期开始', type: 'text' },
      recur_end: { label: '周期结束', type: 'text' },
      parent_id: { label: '分发自', type: 'text' },
      issued_at: { label: '下发时间', type: 'text' },
      done_at: { label: '办结时间', type: 'text' },
      done_on: { label: '办结日期', type: 'text' },
      last_activity_at: { label: '最近动态', type: 'text' },
      deleted,
    },
  },
  task_department: {
    table: 'task_departments',
    label: '任务配合单位',
    fields: {
      task_id: { label: '任务', type: 'text' },
      dept_id: { label: '配合单位', type: 'text' },
      deleted,
    },
  },
  task_indicator: {
    table: 'task_indicators',
    label: '任务关联指标',
    fields: {
      task_id: { label: '任务', type: 'text' },
      indicator_id: { label: '指标', type: 'text' },
      deleted,
    },
  },
  task_step: {
    table: 'task_steps',
    label: '办理环节',
    fields: {
      task_id: { label: '任务', type: 'text' },
      action: { label: '操作', type: 'text' },
      from_status: { label: '原状态', type: 'text' },
      to_status: { label: '新状态', type: 'text' },
      note: { label: '说明', type: 'text' },
      at: { label: '时间', type: 'text' },
      actor_id: { label: '操作人', type: 'text' },
      actor_name: { label: '操作人姓名', type: 'text' },
      deleted,
    },
  },
  task_feedback: {
    table: 'task_feedback',
    label: '进展反馈',
    fields: {
      task_id: { label: '任务', type: 'text' },
      text: { label: '反馈内容', type: 'text' },
      progress: { label: '进度', type: 'int' },
      at: { label: '时间', type: 'text' },
      actor_id: { label: '填报人', type: 'text' },
      actor_name: { label: '填报人姓名', type: 'text' },
      deleted,
    },
  },
  attachment: {
    table: 'attachments',
    label: '附件',
    fields: {
      owner_type: { label: '所属类型', type: 'text' },
      owner_id: { label: '所属记录', type: 'text' },
      sha256: { label: '内容校验值', type: 'text' },
      name: { label: '文件名', type: 'text' },
      size: { label: '大小', type: 'int' },
      mime: { label: '类型', type: 'text' },
      deleted,
    },
  },
  rectification: {
    table: 'rectifications',
    label: '整改事项',
    fields: {
      code: { label: '编号', type: 'text' },
      source: { label: '来源', type: 'text' },
      problem: { label: '问题', type: 'text' },
      dept_id: { label: '责任单位', type: 'text' },
      measures: { label: '整改措施', type: 'text' },
      deadline: { label: '整改时限', type: 'text' },
      status: { label: '状态', type: 'text' },
      verification: { label: '验收意见', type: 'text' },
      clarification: { label: '澄清说明', type: 'text' },
      closed_at: { label: '销号时间', type: 'text' },
      deleted,
    },
  },
  rectification_task: {
    table: 'rectification_tasks',
    label: '整改关联任务',
    fields: {
      rect_id: { label: '整改事项', type: 'text' },
      task_id: { label: '任务', type: 'text' },
      deleted,
    },
  },
  rectification_indicator: {
    table: 'rectification_indicators',
    label: '整改关联指标',
    fields: {
      rect_id: { label: '整改事项', type: 'text' },
      indicator_id: { label: '指标', type: 'text' },
      deleted,
    },
  },
  dispatch_week: {
    table: 'dispatch_weeks',
    label: '每周调度',
    fields: {
      week: { label: '周次', type: 'text' },
      week_start: { label: '开始日期', type: 'text' },
      week_end: { label: '结束日期', type: 'text' },
      frozen_at: { label: '冻结时间', type: 'text' },
      frozen_by: { label: '冻结人', type: 'text' },
      snapshot_sha: { label: '快照', type: 'text' },
      summary: { label: '汇总', type: 'json' },
      note: { label: '备注', type: 'text' },
      deleted,
    },
  },
  material: {
    table: 'materials',
    label: '材料',
    fields: {
      title: { label: '标题', type: 'text' },
      type: { label: '类型', type: 'text' },
      status: { label: '状态', type: 'text' },
      owner_id: { label: '负责人', type: 'text' },
      tags: { label: '标签', type: 'json' },
      template_id: { label: '模板', type: 'text' },
      deleted,
    },
  },
  material_task: {
    table: 'material_tasks',
    label: '材料关联任务',
    fields: {
      material_id: { label: '材料', type: 'text' },
      task_id: { label: '任务', type: 'text' },
      deleted,
    },
  },
  material_indicator: {
    table: 'material_indicators',
    label: '材料关联指标',
    fields: {
      material_id: { label: '材料', type: 'text' },
      indicator_id: { label: '指标', type: 'text' },
      deleted,
    },
  },
  doc_version: {
    table: 'doc_versions',
    label: '文档版本',
    fields: {
      doc_id: { label: '文档', type: 'text' },
      name: { label: '版本名称', type: 'text' },
      author: { label: '保存人', type: 'text' },
      snapshot_sha: { label: '快照', type: 'text' },
      chars: { label: '字数', type: 'int' },
      deleted,
    },
  },
  material_template: {
    table: 'material_templates',
    label: '材料模板',
    fields: {
      name: { label: '名称', type: 'text' },
      type: { label: '类型', type: 'text' },
      description: { label: '说明', type: 'text' },
      content: { label: '内容', type: 'json' },
      deleted,
    },
  },
  indicator_system: {
    table: 'indicator_systems',
    label: '指标体系',
    fields: {
      version: { label: '版本', type: 'text' },
      name: { label: '名称', type: 'text' },
      scored_total: { label: '评分指标总分', type: 'real' },
      bonus_total: { label: '加分项总分', type: 'real' },
      note: { label: '说明', type: 'text' },
      deleted,
    },
  },
  indicator_department: {
    table: 'indicator_departments',
    label: '指标责任单位',
    fields: {
      indicator_id: { label: '指标', type: 'text' },
      dept_id: { label: '责任单位', type: 'text' },
      deleted,
    },
  },
  indicator_evidence: {
    table: 'indicator_evidence',
    label: '佐证清单项',
    fields: {
      indicator_id: { label: '指标', type: 'text' },
      title: { label: '佐证材料', type: 'text' },
      note: { label: '说明', type: 'text' },
      sort: { label: '排序', type: 'int' },
      deleted,
    },
  },
  evidence_material: {
    table: 'evidence_materials',
    label: '佐证关联材料',
    fields: {
      evidence_id: { label: '佐证清单项', type: 'text' },
      material_id: { label: '材料', type: 'text' },
      deleted,
    },
  },
  monitoring_result: {
    table: 'monitoring_results',
    label: '监测结果',
    fields: {
      month: { label: '月份', type: 'text' },
      score: { label: '综合得分', type: 'real' },
      rank: { label: '排名', type: 'int' },
      total: { label: '参评城市数', type: 'int' },
      d_incentive: { label: '守信激励和失信治理', type: 'real' },
      d_system: { label: '信用制度和基础建设', type: 'real' },
      d_culture: { label: '诚信文化和诚信建设', type: 'real' },
      d_service: { label: '信用服务和信用创新', type: 'real' },
      d_environment: { label: '信用环境和营商环境', type: 'real' },
      note: { label: '备注', type: 'text' },
      deleted,
    },
  },
  metric_value: {
    table: 'metric_values',
    label: '跟踪指标值',
    fields: {
      metric: { label: '指标', type: 'text' },
      month: { label: '月份', type: 'text' },
      value: { label: '数值', type: 'real' },
      base: { label: '对比基数', type: 'real' },
      note: { label: '备注', type: 'text' },
      deleted,
    },
  },
  weak_point_decision: {
    table: 'weak_point_decisions',
    label: '薄弱环节处理',
    fields: {
      month: { label: '月份', type: 'text' },
      dimension: { label: '维度', type: 'text' },
      decision: { label: '处理', type: 'text' },
      rect_id: { label: '整改事项', type: 'text' },
      task_id: { label: '任务', type: 'text' },
      note: { label: '说明', type: 'text' },
      deleted,
    },
  },
  compliance_rule_set: {
    table: 'compliance_rule_sets',
    label: '合规规则集',
    fields: {
      code: { label: '代码', type: 'text' },
      name: { label: '名称', type: 'text' },
      category: { label: '类别', type: 'text' },
      version: { label: '版本', type: 'text' },
      definition: { label: '规则定义', type: 'json' },
      builtin: { label: '内置', type: 'bool' },
      deleted,
    },
  },
  compliance_run: {
    table: 'compliance_runs',
    label: '合规检查',
    fields: {
      file_name: { label: '文件', type: 'text' },
      rule_set_code: { label: '规则集代码', type: 'text' },
      rule_set_name: { label: '规则集', type: 'text' },
      rule_set_version: { label: '规则集版本', type: 'text' },
      category: { label: '类别', type: 'text' },
      dept_id: { label: '报送单位', type: 'text' },
      month: { label: '月份', type: 'text' },
      rows: { label: '行数', type: 'int' },
      error_rows: { label: '错误行数', type: 'int' },
      warning_rows: { label: '警告行数', type: 'int' },
      errors: { label: '错误数', type: 'int' },
      warnings: { label: '警告数', type: 'int' },
      rate: { label: '合规率', type: 'real' },
      wrong_codes: { label: '错误信用代码数', type: 'int' },
      result: { label: '检查结果', type: 'json' },
      checked_at: { label: '检查时间', type: 'text' },
      deleted,
    },
  },
} as const satisfies Record<string, EntityDef>;

export type EntityName = keyof typeof ENTITIES;
export type FieldsOf<E extends EntityName> = keyof (typeof ENTITIES)[E]['fields'] & string;

export function entityDef(name: string): EntityDef | undefined {
  return (ENTITIES as Record<string, EntityDef>)[name];
}
