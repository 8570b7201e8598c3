/**
 * Due dates as departments write them: Excel serial numbers (1900 system with its leap-year
 * bug, or 1904), Date cells, and Chinese text such as 2027年3月31日, 2027.3.31, 2027年3月底,
 * 2027年第一季度, 2027年底, 长期, 每月. Everything resolves to a calendar date (YYYY-MM-DD), no
 * date (long-term or recurring work, with a recurrence hint), or an error message.
 */
import type { RECURRENCES } from '../contract/labels';

export type RecurrenceHint = (typeof RECURRENCES)[number];

export interface CalendarDate {
  y: number;
  m: number;
  d: number;
}

export type DueDateResult =
  | { kind: 'empty' }
  | { kind: 'date'; date: string; warnings: string[]; recurrence: RecurrenceHint | null }
  /** No due date: long-term (长期/持续推进) or recurring (每月) work. */
  | { kind: 'none'; recurrence: RecurrenceHint | null; warnings: string[] }
  | { kind: 'invalid'; message: string };

export interface DueDateOptions {
  date1904?: boolean;
  /** Supplies the year for 3月31日 without a year and the sane range (−5 … +10 years). */
  today: Date;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function isoDate(c: CalendarDate): string {
  return `${pad(c.y, 4)}-${pad(c.m)}-${pad(c.d)}`;
}

export function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function fromUtcMs(ms: number): CalendarDate {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
}

const DAY_MS = 86_400_000;

/**
 * Excel serial → calendar date. 1900 system: serial 1 = 1900-01-01 and serial 60 is Lotus's
 * nonexistent 1900-02-29 (null); from 61 on, day 0 is 1899-12-30. 1904 system: 0 = 1904-01-01.
 * The time fraction is ignored. Null for serials below 1 (1900) / 0 (1904) or beyond 9999-12-31.
 */
export function excelSerialToDate(serial: number, date1904 = false): CalendarDate | null {
  if (!Number.isFinite(serial)) return null;
  const day = Math.floor(serial + 1e-7);
  if (date1904) {
    if (day < 0 || day > 2_957_003) return null;
    return fromUtcMs(Date.UTC(1904, 0, 1) + day * DAY_MS);
  }
  if (day < 1 || day > 2_958_465 || day === 60) return null;
  const epoch = day < 60 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return fromUtcMs(epoch + day * DAY_MS);
}

/**
 * A Date from exceljs is the serial read as UTC midnight (plus any time of day): its UTC fields
 * are the calendar date Excel shows, whatever this machine's time zone. Rounded to the nearest
 * second first so 23:59:59.9995 floating-point noise lands on the next day as Excel shows it.
 */
export function calendarDateOf(d: Date): CalendarDate {
  return fromUtcMs(Math.round(d.getTime() / 1000) * 1000);
}

// ---------- text ----------

const CN_DIGIT: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** 一 … 三十一 → 1 … 31; NaN otherwise. */
function cnNumber(s: string): number {
  if (s === '十') return 10;
  const m = /^([一二三])?十([一二三四五六七八九])?$/.exec(s);
  if (m) return (m[1] ? (CN_DIGIT[m[1]] ?? 0) : 1) * 10 + (m[2] ? (CN_DIGIT[m[2]] ?? 0) : 0);
  if (s.length === 1 && CN_DIGIT[s] !== undefined) return CN_DIGIT[s] ?? Number.NaN;
  return Number.NaN;
}

function prepare(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[〇零一二三四五六七八九]{4}(?=年)/g, (y) =>
      [...y].map((c) => String(CN_DIGIT[c] ?? c)).join(''),
    )
    .replace(/元月/g, '1月')
    .replace(/(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,3}(?=月|日|号|季)/g, (n) => {
      const v = cnNumber(n);
      return Number.isNaN(v) ? n : String(v);
    });
}

const TOKEN = new RegExp(
  [
    String.raw`(?<!\d)(?<fy>\d{4})(?:年|[./-])(?<fm>\d{1,2})(?:月|[./-])(?<fd>\d{1,2})(?!\d)(?:日|号)?`,
    String.raw`(?<!\d)(?<cy>(?:19|20|21)\d{2})(?<cm>[01]\d)(?<cd>[0-3]\d)(?!\d)`,
    String.raw`(?<!\d)(?<qy>\d{4})(?:年度?)?(?:第)?(?<q>[1-4])季度?(?:末|底)?`,
    String.raw`(?<!\d)(?<qy2>\d{4})年?[Qq](?<q2>[1-4])`,
    String.raw`(?<!\d)(?<hy>\d{4})年?(?<h>上|下)半年`,
    String.raw`(?<!\d)(?<my>\d{4})(?:年|[./-])(?<mm>\d{1,2})(?!\d)(?:月份?)?(?<mx>上旬|中旬|下旬|月底|月末|底|末|中|初)?`,
    String.raw`(?<!\d)(?<yy>\d{4})年度?(?<yx>年底|年末|底|末|年中|中)?`,
    String.raw`(?<![\d年])第?(?<q3>[1-4])季度(?:末|底)?`,
    String.raw`(?<!\d)(?<nm>\d{1,2})月(?<nd>\d{1,2})(?!\d)(?:日|号)`,
    String.raw`(?<!\d)(?<om>\d{1,2})月份?(?<ox>上旬|中旬|下旬|底|末|中|初)?`,
  ].join('|'),
  'g',
);

const RECURRING: readonly [RegExp, RecurrenceHint | null, string][] = [
  [/每周|每星期|按周|逐周|周报/, 'weekly', '每周'],
  [/每季度|每季|按季|逐季|季报/, 'quarterly', '每季度'],
  [/每月|按月|逐月|月报/, 'monthly', '每月'],
  [/每半年|每年|按年|年报/, null, '每年/每半年'],
];
const LONG_TERM = /长期|持续|常态化|长效|不定期|定期|随时|及时|动态|按需|适时|立行立改/;

interface Found {
  date?: CalendarDate;
  error?: string;
}

function checked(raw: string, y: number, m: number, d: number | 'last'): Found {
  if (!Number.isInteger(m) || m < 1 || m > 12)
    return { error: `「${raw}」中的月份 ${m} 不存在，请改为正确日期，如 ${y}-12-31。` };
  const dim = daysInMonth(y, m);
  if (d === 'last') return { date: { y, m, d: dim } };
  if (d < 1 || d > dim) {
    return {
      error: `「${raw}」不是有效日期：${y}年${m}月只有 ${dim} 天。请改为正确日期，如 ${y}-${pad(m)}-${pad(dim)}。`,
    };
  }
  return { date: { y, m, d } };
}

function monthPart(raw: string, y: number, m: number, suffix: string | undefined): Found {
  switch (suffix) {
    case '上旬':
    case '初':
      return checked(raw, y, m, 10);
    case '中旬':
      return checked(raw, y, m, 20);
    case '中':
      return checked(raw, y, m, 15);
    default:
      return checked(raw, y, m, 'last');
  }
}

function compare(a: CalendarDate, b: CalendarDate): number {
  return a.y - b.y || a.m - b.m || a.d - b.d;
}

function withRangeCheck(date: CalendarDate, shown: string, today: Date, warnings: string[]): void {
  const ty = today.getFullYear();
  if (date.y < ty - 5 || date.y > ty + 10) {
    warnings.push(`完成时限「${shown}」（${isoDate(date)}）明显超出创建周期，请核对是否填写有误。`);
  }
}

function recurrenceOf(text: string): { hint: RecurrenceHint | null; label: string } | null {
  for (const [re, hint, label] of RECURRING) if (re.test(text)) return { hint, label };
  return null;
}

function parseText(raw: string, opts: DueDateOptions): DueDateResult {
  const shown = raw.trim();
  const s = prepare(shown);
  if (!s || /^[-—/\\无暂无]+$/.test(s)) return { kind: 'empty' };
  const warnings: string[] = [];
  const found: CalendarDate[] = [];
  let year: number | null = null;
  let guessedYear = false;
  if (/^\d{4}$/.test(s)) {
    const y = Number(s);
    const date = { y, m: 12, d: 31 };
    warnings.push(`完成时限只写了年份「${shown}」，已按 ${y}-12-31 导入。`);
    withRangeCheck(date, shown, opts.today, warnings);
    return { kind: 'date', date: isoDate(date), warnings, recurrence: null };
  }
  for (const m of s.matchAll(TOKEN)) {
    const g = m.groups ?? {};
    let f: Found;
    if (g.fy) {
      year = Number(g.fy);
      f = checked(shown, year, Number(g.fm), Number(g.fd));
    } else if (g.cy) {
      year = Number(g.cy);
      f = checked(shown, year, Number(g.cm), Number(g.cd));
    } else if (g.qy || g.qy2) {
      year = Number(g.qy ?? g.qy2);
      f = checked(shown, year, Number(g.q ?? g.q2) * 3, 'last');
    } else if (g.hy) {
      year = Number(g.hy);
      f = checked(shown, year, g.h === '上' ? 6 : 12, 'last');
    } else if (g.my) {
      year = Number(g.my);
      f = monthPart(shown, year, Number(g.mm), g.mx?.replace(/^月/, ''));
    } else if (g.yy) {
      year = Number(g.yy);
      f = checked(shown, year, g.yx === '年中' || g.yx === '中' ? 6 : 12, 'last');
    } else {
      if (year === null) guessedYear = true;
      const y = year ?? opts.today.getFullYear();
      if (g.q3) f = checked(shown, y, Number(g.q3) * 3, 'last');
      else if (g.nm) f = checked(shown, y, Number(g.nm), Number(g.nd));
      else f = monthPart(shown, y, Number(g.om), g.ox);
    }
    if (f.error) return { kind: 'invalid', message: f.error };
    if (f.date) found.push(f.date);
  }
  const rec = recurrenceOf(s);
  if (found.length === 0) {
    if (rec) {
      warnings.push(
        rec.hint
          ? `完成时限为「${shown}」，没有具体截止日期；已按“${rec.label}”周期任务导入，请核对。`
          : `完成时限为「${shown}」（${rec.label}），系统暂不支持该周期，导入后不设截止日期，请核对。`,
      );
      return { kind: 'none', recurrence: rec.hint, warnings };
    }
    if (LONG_TERM.test(s)) {
      warnings.push(`完成时限为「${shown}」，没有具体截止日期，导入后不设截止日期。`);
      return { kind: 'none', recurrence: null, warnings };
    }
    return {
      kind: 'invalid',
      message: `无法识别完成时限「${shown}」。请填写如 2027-03-31、2027年3月31日、2027年3月底、2027年第一季度 或 2027年底 等格式。`,
    };
  }
  found.sort(compare);
  const last = found[found.length - 1] as CalendarDate;
  const distinct = [...new Set(found.map(isoDate))];
  if (distinct.length > 1) {
    warnings.push(
      `完成时限填写了多个时间（${distinct.join('、')}），已取最晚的 ${isoDate(last)} 作为截止日期。`,
    );
  }
  if (guessedYear) warnings.push(`完成时限「${shown}」没有写年份，已按 ${last.y} 年导入，请核对。`);
  if (rec) {
    warnings.push(
      rec.hint
        ? `完成时限「${shown}」含“${rec.label}”，已设为${rec.label}周期任务，截止日期 ${isoDate(last)}，请核对。`
        : `完成时限「${shown}」含“${rec.label}”，系统暂不支持该周期，已按一次性任务导入。`,
    );
  }
  withRangeCheck(last, shown, opts.today, warnings);
  return { kind: 'date', date: isoDate(last), warnings, recurrence: rec?.hint ?? null };
}

function parseNumber(n: number, opts: DueDateOptions): DueDateResult {
  const warnings: string[] = [];
  const shown = String(n);
  let date: CalendarDate | null;
  if (Number.isInteger(n) && n >= 19_000_101 && n <= 21_001_231) {
    return parseText(shown, opts);
  }
  if (n >= 1900 && n < 2200 && !Number.isInteger(n)) {
    // 2027.3 typed into a General cell is stored as the number 2027.3 (and 2027.10 as 2027.1).
    const y = Math.floor(n);
    const frac = shown.split('.')[1] ?? '';
    const m = frac.length <= 2 ? Number(frac) : Number.NaN;
    const f = checked(shown, y, m, 'last');
    if (f.error || !f.date) return { kind: 'invalid', message: f.error ?? `无法识别完成时限「${shown}」。` };
    date = f.date;
    warnings.push(
      m === 1
        ? `完成时限「${shown}」是数字，已按 ${y}年1月底导入；如为 10 月请把单元格设为文本后填写 ${y}.10。`
        : `完成时限「${shown}」是数字，已按 ${y}年${m}月底导入，请核对。`,
    );
  } else if (Number.isInteger(n) && n >= 1900 && n < 2200) {
    date = { y: n, m: 12, d: 31 };
    warnings.push(`完成时限只写了年份「${shown}」，已按 ${n}-12-31 导入。`);
  } else {
    date = excelSerialToDate(n, opts.date1904 ?? false);
    if (!date) {
      return {
        kind: 'invalid',
        message: `完成时限「${shown}」不是有效的日期。请填写如 2027-03-31 或 2027年3月31日 等格式。`,
      };
    }
  }
  withRangeCheck(date, isoDate(date), opts.today, warnings);
  return { kind: 'date', date: isoDate(date), warnings, recurrence: null };
}

/** Parses one 完成时限 cell value (string, number, Date, or anything else as text). */
export function parseDueDate(
  value: string | number | Date | null | undefined,
  opts: DueDateOptions,
): DueDateResult {
  if (value === null || value === undefined) return { kind: 'empty' };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime()))
      return { kind: 'invalid', message: '完成时限单元格中的日期无效，请重新填写。' };
    const date = calendarDateOf(value);
    const warnings: string[] = [];
    withRangeCheck(date, isoDate(date), opts.today, warnings);
    return { kind: 'date', date: isoDate(date), warnings, recurrence: null };
  }
  if (typeof value === 'number') return parseNumber(value, opts);
  const text = value.trim();
  // A serial number stored as text (「46477」); 2027.3 and 20270331 are read as text below.
  if (/^\d{1,7}$/.test(text) && !/^\d{4}$/.test(text)) return parseNumber(Number(text), opts);
  return parseText(text, opts);
}
