import { z } from 'zod';

/** Client-generated UUIDv7 (or any UUID) identifying a record. */
export const Id = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'ID 格式不正确');
export type Id = z.infer<typeof Id>;

/** Calendar date as YYYY-MM-DD. */
export const DateStr = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, '日期格式应为 YYYY-MM-DD')
  // Round trip, so 2027-02-30 is refused too (Date.parse alone accepts any day up to 31).
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
  }, '不是有效日期');
export type DateStr = z.infer<typeof DateStr>;

/** Month as YYYY-MM. */
export const MonthStr = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, '月份格式应为 YYYY-MM');

/** ISO timestamp with milliseconds, UTC. */
export const Timestamp = z.string();

export const NonEmpty = (what: string, max = 500) =>
  z.string().trim().min(1, `请填写${what}`).max(max, `${what}不能超过 ${max} 个字符`);

export const OptionalText = (what: string, max = 5000) =>
  z
    .string()
    .trim()
    .max(max, `${what}不能超过 ${max} 个字符`)
    .optional()
    .transform((s) => (s === undefined || s === '' ? null : s))
    .or(z.null());

export const Empty = z.object({}).strict();
export const Ok = z.object({ ok: z.literal(true) });
