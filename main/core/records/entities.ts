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
} as const satisfies Record<string, EntityDef>;

export type EntityName = keyof typeof ENTITIES;
export type FieldsOf<E extends EntityName> = keyof (typeof ENTITIES)[E]['fields'] & string;

export function entityDef(name: string): EntityDef | undefined {
  return (ENTITIES as Record<string, EntityDef>)[name];
}
