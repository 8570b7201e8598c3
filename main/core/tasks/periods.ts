/**
 * Calendar periods for recurring tasks and weekly dispatch, computed on calendar dates (UTC
 * arithmetic on YYYY-MM-DD strings, so no time zone or DST can shift a day):
 *   weekly    ISO weeks, Monday–Sunday, key 2027-W05, due on the Friday;
 *   monthly   key 2027-03, due on the month's last day (28/29/30/31, leap years included);
 *   quarterly key 2027-Q1, due on the quarter's last day.
 */
export type PeriodKind = 'weekly' | 'monthly' | 'quarterly';

export interface Period {
  kind: PeriodKind;
  key: string;
  start: string;
  end: string;
  due: string;
  label: string;
}

const DAY = 86_400_000;
const CN_QUARTER = ['一', '二', '三', '四'];

function parse(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

export function fmt(d: Date): string {
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fmt(new Date(parse(date).getTime() + days * DAY));
}

export function daysBetween(from: string, to: string): number {
  return Math.round((parse(to).getTime() - parse(from).getTime()) / DAY);
}

function lastDayOfMonth(y: number, m0: number): number {
  return new Date(Date.UTC(y, m0 + 1, 0)).getUTCDate();
}

function cnDate(date: string): string {
  const d = parse(date);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日`;
}

/** ISO week-year and week number of a date. */
export function isoWeek(date: string): { year: number; week: number } {
  const d = parse(date);
  const day = d.getUTCDay() || 7; // Mon=1 … Sun=7
  const thursday = new Date(d.getTime() + (4 - day) * DAY);
  const year = thursday.getUTCFullYear();
  const jan1 = Date.UTC(year, 0, 1);
  const week = Math.floor((thursday.getTime() - jan1) / DAY / 7) + 1;
  return { year, week };
}

/** Monday of an ISO week. */
export function isoWeekStart(year: number, week: number): string {
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const day = jan4.getUTCDay() || 7;
  const week1Monday = jan4.getTime() - (day - 1) * DAY;
  return fmt(new Date(week1Monday + (week - 1) * 7 * DAY));
}

export function weekKey(date: string): string {
  const { year, week } = isoWeek(date);
  return `${year}-W${String(week).padStart(2, '0')}`;
}

export function periodOf(kind: PeriodKind, date: string): Period {
  const d = parse(date);
  const y = d.getUTCFullYear();
  const m0 = d.getUTCMonth();
  if (kind === 'weekly') {
    const { year, week } = isoWeek(date);
    const start = isoWeekStart(year, week);
    const end = addDays(start, 6);
    return {
      kind,
      key: `${year}-W${String(week).padStart(2, '0')}`,
      start,
      end,
      due: addDays(start, 4),
      label: `${year}年第${week}周（${cnDate(start)}—${cnDate(end)}）`,
    };
  }
  if (kind === 'monthly') {
    const start = fmt(new Date(Date.UTC(y, m0, 1)));
    const end = fmt(new Date(Date.UTC(y, m0, lastDayOfMonth(y, m0))));
    return {
      kind,
      key: `${y}-${String(m0 + 1).padStart(2, '0')}`,
      start,
      end,
      due: end,
      label: `${y}年${m0 + 1}月`,
    };
  }
  const q = Math.floor(m0 / 3);
  const start = fmt(new Date(Date.UTC(y, q * 3, 1)));
  const end = fmt(new Date(Date.UTC(y, q * 3 + 2, lastDayOfMonth(y, q * 3 + 2))));
  return { kind, key: `${y}-Q${q + 1}`, start, end, due: end, label: `${y}年第${CN_QUARTER[q]}季度` };
}

/** The period right after `p`. */
export function nextPeriod(p: Period): Period {
  return periodOf(p.kind, addDays(p.end, 1));
}

/** The period right before `p`. */
export function previousPeriod(p: Period): Period {
  return periodOf(p.kind, addDays(p.start, -1));
}

/** Every period from the one containing `from` to the one containing `to` (inclusive). */
export function periodsBetween(kind: PeriodKind, from: string, to: string, max = 1000): Period[] {
  const out: Period[] = [];
  if (from > to) return out;
  let p = periodOf(kind, from);
  while (p.start <= to && out.length < max) {
    out.push(p);
    p = nextPeriod(p);
  }
  return out;
}

/** Parses a period key (2027-W05, 2027-03, 2027-Q1) back to its period; null if malformed. */
export function periodFromKey(key: string): Period | null {
  let m = /^(\d{4})-W(\d{2})$/.exec(key);
  if (m) {
    const week = Number(m[2]);
    if (week < 1 || week > 53) return null;
    const p = periodOf('weekly', isoWeekStart(Number(m[1]), week));
    return p.key === key ? p : null;
  }
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return periodOf('monthly', `${key}-01`);
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return periodOf('quarterly', `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`);
  return null;
}
