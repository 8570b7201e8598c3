import { z } from 'zod';
import { DateStr, Id, MonthStr, NonEmpty, OptionalText } from './common';
import { STAFF_ROLES } from './labels';

export const StaffRole = z.enum(STAFF_ROLES, { message: '角色应为：' + STAFF_ROLES.join('、') });
export type StaffRole = z.infer<typeof StaffRole>;

export const Staff = z.object({
  id: Id,
  name: z.string(),
  role: StaffRole,
  phone: z.string().nullable(),
  email: z.string().nullable(),
  active: z.boolean(),
});
export type Staff = z.infer<typeof Staff>;

const StaffFields = z.object({
  name: NonEmpty('姓名', 40),
  role: StaffRole,
  phone: OptionalText('电话', 40),
  email: OptionalText('邮箱', 120),
  active: z.boolean(),
});
export const StaffInput = StaffFields.extend({ active: z.boolean().default(true) });
/** Partial update: absent keys stay unchanged. */
export const StaffPatch = StaffFields.partial();

export const AdminCode = z.string().regex(/^\d{6}$/, '行政区划代码应为 6 位数字（GB/T 2260）');

export const WorkspaceSettings = z.object({
  id: Id,
  name: z.string(),
  city: z.string(),
  adminCode: z.string(),
  campaignName: z.string(),
  periodStart: DateStr,
  periodEnd: DateStr,
  rankingTarget: z.number().int(),
  indicatorVersion: z.string(),
  templateId: z.string().nullable(),
  createdAt: z.string(),
});
export type WorkspaceSettings = z.infer<typeof WorkspaceSettings>;

export const WorkspaceSettingsPatch = z
  .object({
    name: NonEmpty('工作区名称', 80),
    city: NonEmpty('城市', 40),
    adminCode: AdminCode,
    campaignName: NonEmpty('创建活动名称', 120),
    periodStart: DateStr,
    periodEnd: DateStr,
    rankingTarget: z
      .number()
      .int('排名目标应为整数')
      .min(1, '排名目标至少为 1')
      .max(1000, '排名目标不能超过 1000'),
    indicatorVersion: NonEmpty('指标体系版本', 40),
  })
  .partial()
  .refine((p) => !(p.periodStart && p.periodEnd) || p.periodStart <= p.periodEnd, {
    message: '创建周期的开始日期不能晚于结束日期',
    path: ['periodEnd'],
  });

export const WorkspaceSummary = z.object({
  id: Id,
  dir: z.string(),
  name: z.string(),
  city: z.string(),
  campaignName: z.string(),
  schemaVersion: z.number().int(),
  me: Staff.nullable(),
  counts: z.object({ departments: z.number(), tasks: z.number(), indicators: z.number(), staff: z.number() }),
});
export type WorkspaceSummary = z.infer<typeof WorkspaceSummary>;

export const RecentWorkspace = z.object({
  dir: z.string(),
  name: z.string(),
  city: z.string(),
  openedAt: z.string(),
  exists: z.boolean(),
});
export type RecentWorkspace = z.infer<typeof RecentWorkspace>;

export const TemplateInfo = z.object({
  id: z.string(),
  name: z.string(),
  city: z.string(),
  adminCode: z.string(),
  description: z.string(),
  counts: z.object({ departments: z.number(), indicators: z.number(), tasks: z.number() }),
  /** Why the template cannot be used (it failed its schema), or null. */
  error: z.string().nullable(),
});
export type TemplateInfo = z.infer<typeof TemplateInfo>;

export const CreateWorkspaceInput = z.object({
  name: NonEmpty('工作区名称', 80),
  templateId: z.string().nullable(),
  /** Folder for the workspace; default: a new folder under the data folder. */
  dir: z.string().min(1).optional(),
  /** First month of the campaign; due dates in the template count from it. */
  startMonth: MonthStr.optional(),
  /** Required without a template; with one, overrides the template's city. */
  city: z.string().trim().min(1).max(40).optional(),
  adminCode: AdminCode.optional(),
  me: z.object({ name: NonEmpty('我的姓名', 40), role: StaffRole }),
  colleagues: z
    .array(z.object({ name: NonEmpty('同事姓名', 40), role: StaffRole }))
    .max(20)
    .default([]),
});
export type CreateWorkspaceInput = z.input<typeof CreateWorkspaceInput>;

export const BackupResult = z.object({
  file: z.string(),
  bytes: z.number(),
  blobs: z.number(),
  schemaVersion: z.number(),
  createdAt: z.string(),
});
export type BackupResult = z.infer<typeof BackupResult>;
