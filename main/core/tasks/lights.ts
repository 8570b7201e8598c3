/**
 * Traffic lights (亮灯): THE one definition, as SQL, used by every task list, department count,
 * league table, dashboard figure and report. Nothing else decides a light.
 *
 *   none    not issued yet (待下发), or a recurring series itself
 *   done    办结
 *   red     overdue (due date before today), or no workflow step / feedback for staleDays
 *           (not while waiting for review: the department has reported)
 *   yellow  due within yellowDays (today included)
 *   green   on track
 */
import { z } from 'zod';
import type { Workspace } from '../workspace/workspace';

export const LightRules = z.object({
  yellowDays: z.number().int().min(0, '黄灯天数不能小于 0').max(60, '黄灯天数不能超过 60'),
  staleDays: z.number().int().min(1, '无反馈天数至少为 1').max(365, '无反馈天数不能超过 365'),
});
export type LightRules = z.infer<typeof LightRules>;

export const DEFAULT_LIGHT_RULES: LightRules = { yellowDays: 3, staleDays: 14 };

export function readLightRules(ws: Workspace): LightRules {
  const row = ws.db.prepare('SELECT light_rules FROM workspace WHERE id = ?').get(ws.id) as
    { light_rules: string } | undefined;
  try {
    return LightRules.parse(JSON.parse(row?.light_rules ?? ''));
  } catch {
    return DEFAULT_LIGHT_RULES;
  }
}

/** Named parameters the light expressions need (bind them with the statement). */
export interface LightParams {
  today: string;
  /** SQLite modifier turning a UTC timestamp into local time ('+480 minutes'). */
  tz: string;
  yellowDays: number;
  staleDays: number;
  /** The last due date that is "due soon": today + yellowDays. */
  yellowUntil: string;
  /**
   * A task whose last sign of life is before this instant (UTC ISO, the local midnight starting
   * the day staleDays - 1 days ago) has gone staleDays or more calendar days without one.
   */
  staleBefore: string;
}

function shiftDate(date: string, days: number): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days);
}

export function lightParams(rules: LightRules, today: string): LightParams {
  const y = shiftDate(today, rules.yellowDays);
  const p = (n: number) => String(n).padStart(2, '0');
  return {
    today,
    tz: tzModifier(),
    yellowDays: rules.yellowDays,
    staleDays: rules.staleDays,
    yellowUntil: `${y.getFullYear()}-${p(y.getMonth() + 1)}-${p(y.getDate())}`,
    // local midnight of (today - staleDays + 1): earlier timestamps are ≥ staleDays days back
    staleBefore: shiftDate(today, -rules.staleDays + 1).toISOString(),
  };
}

/**
 * The local UTC offset as a date modifier, bound instead of 'localtime': SQLite's 'localtime'
 * calls localtime() per row, which on glibc without TZ set stats /etc/localtime every time.
 */
export function tzModifier(now: Date = new Date()): string {
  return `${-now.getTimezoneOffset()} minutes`;
}

/** Days since the last sign of life (local calendar dates). */
function staleDaysExpr(t: string): string {
  return `(julianday(@today) - julianday(date(COALESCE(${t}.last_activity_at, ${t}.issued_at, ${t}.created_at), @tz)))`;
}

/**
 * SQL expression giving the light of the task row aliased `t`. Written as plain comparisons
 * against bound thresholds (no date functions per row): it runs over every task of the league
 * table and the dashboard.
 */
export function lightSql(t = 't'): string {
  return `(CASE
    WHEN ${t}.kind = 'series' OR ${t}.status = 'draft' THEN 'none'
    WHEN ${t}.status = 'done' THEN 'done'
    WHEN ${t}.due_date IS NOT NULL AND ${t}.due_date < @today THEN 'red'
    WHEN ${t}.status <> 'feedback' AND COALESCE(${t}.last_activity_at, ${t}.issued_at, ${t}.created_at) < @staleBefore THEN 'red'
    WHEN ${t}.due_date IS NOT NULL AND ${t}.due_date <= @yellowUntil THEN 'yellow'
    ELSE 'green' END)`;
}

/**
 * Why the light is what it is, as "overdue:<days>", "stale:<days>", "due_soon:<days>" or NULL;
 * the same branches as lightSql, in the same order.
 */
export function lightReasonSql(t = 't'): string {
  return `(CASE
    WHEN ${t}.kind = 'series' OR ${t}.status IN ('draft', 'done') THEN NULL
    WHEN ${t}.due_date IS NOT NULL AND ${t}.due_date < @today
      THEN 'overdue:' || CAST(julianday(@today) - julianday(${t}.due_date) AS INTEGER)
    WHEN ${t}.status <> 'feedback' AND COALESCE(${t}.last_activity_at, ${t}.issued_at, ${t}.created_at) < @staleBefore
      THEN 'stale:' || CAST(${staleDaysExpr(t)} AS INTEGER)
    WHEN ${t}.due_date IS NOT NULL AND ${t}.due_date <= @yellowUntil
      THEN 'due_soon:' || CAST(julianday(${t}.due_date) - julianday(@today) AS INTEGER)
    ELSE NULL END)`;
}
