/**
 * Schema of a bundled campaign template: a folder in resources/templates/<id>/ holding
 * template.json, departments.json, indicators.json and tasks.json. Templates are data; this
 * schema (and the JSON Schema generated from it, resources/templates/template.schema.json) is
 * what makes them trustworthy.
 */
import { z } from 'zod';
import { DEPT_KINDS, DEPT_ROLES, INDICATOR_KINDS, RECURRENCES, TASK_PRIORITIES } from '../contract/labels';

const Key = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'key 只能用小写字母、数字、下划线和连字符');
const Text = (max: number) => z.string().trim().min(1, '不能为空').max(max, `不能超过 ${max} 个字符`);

export const TemplateMeta = z.object({
  id: Key,
  name: Text(80),
  description: Text(500),
  city: Text(40),
  adminCode: z.string().regex(/^\d{6}$/, '行政区划代码应为 6 位数字'),
  campaignName: Text(120),
  /** Length of the campaign in months, counted from the chosen start month. */
  periodMonths: z.number().int().min(1).max(60),
  rankingTarget: z.number().int().min(1).max(1000),
  indicatorVersion: Text(40),
});
export type TemplateMeta = z.infer<typeof TemplateMeta>;

export const TemplateDepartment = z.object({
  key: Key,
  name: Text(80),
  shortName: Text(40).optional(),
  aliases: z.array(Text(80)).default([]),
  kind: z.enum(DEPT_KINDS),
  role: z.enum(DEPT_ROLES),
});
export const TemplateDepartments = z.array(TemplateDepartment).min(1, '至少需要一个单位');

export const TemplateIndicator = z.object({
  key: Key,
  code: Text(20),
  title: Text(200),
  kind: z.enum(INDICATOR_KINDS),
  parent: Key.optional(),
  points: z.number().min(0).optional(),
  standard: Text(2000).optional(),
  /** Owner (responsible) departments, by department key. */
  owners: z.array(Key).default([]),
  /** The evidence checklist: titles of the evidence materials the indicator needs. */
  evidence: z.array(Text(200)).default([]),
});
export const TemplateIndicators = z.object({
  version: Text(40),
  name: Text(120),
  /** Declared totals: the points of all scored (bonus) indicators must add up to these. */
  scoredTotal: z.number().min(0).optional(),
  bonusTotal: z.number().min(0).optional(),
  note: Text(2000).optional(),
  items: z.array(TemplateIndicator).min(1, '至少需要一个指标'),
});

export const TemplateTask = z.object({
  code: Text(40),
  title: Text(200),
  description: Text(2000).optional(),
  standard: Text(2000),
  lead: Key,
  coop: z.array(Key).default([]),
  indicators: z.array(Key).default([]),
  /** Due at the end of this month of the campaign (1 = the first month). */
  dueMonth: z.number().int().min(1).max(60),
  priority: z.enum(TASK_PRIORITIES).default('normal'),
  recurrence: z.enum(RECURRENCES).default('none'),
});
export const TemplateTasks = z.array(TemplateTask).min(1, '至少需要一项任务');

export const TEMPLATE_FILES = {
  'template.json': TemplateMeta,
  'departments.json': TemplateDepartments,
  'indicators.json': TemplateIndicators,
  'tasks.json': TemplateTasks,
} as const;

export interface LoadedTemplate {
  dir: string;
  meta: TemplateMeta;
  departments: z.infer<typeof TemplateDepartments>;
  indicators: z.infer<typeof TemplateIndicators>;
  tasks: z.infer<typeof TemplateTasks>;
}
