/**
 * Pure text rules of GB/T 9704-2012 shared by every writer and by the editor's preview:
 * heading numbers (一、 /（一）/ 1. /（1）), Chinese numerals, list markers and dates (2027年3月31日).
 */
import { AppError } from '../util/errors';
import type { Block, DateInput, DocOptions, HeadingLevel } from './model';

const DIGITS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'] as const;
const UNITS = ['', '十', '百', '千'] as const;

/** 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五, 1010 → 一千零一十 (1..9999). */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) {
    throw new AppError('BAD_INPUT', `无法写成中文序号：${n}（应为 1 至 9999 的整数）`);
  }
  const digits = String(n).split('').map(Number);
  let out = '';
  let pendingZero = false;
  digits.forEach((d, i) => {
    const unit = UNITS[digits.length - 1 - i] ?? '';
    if (d === 0) {
      pendingZero = out !== '';
      return;
    }
    if (pendingZero) out += '零';
    pendingZero = false;
    out += (DIGITS[d] ?? '') + unit;
  });
  // 一十 → 十 at the start (10..19), as written in documents.
  return out.startsWith('一十') ? out.slice(1) : out;
}

const CIRCLED = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';

/** ① … ⑳, then (21) etc. */
export function circledNumber(n: number): string {
  return n >= 1 && n <= 20 ? (CIRCLED[n - 1] ?? String(n)) : `（${n}）`;
}

/** The number text of the n-th heading of a level: 一、 （一） 1. （1） (or the two-level scheme). */
export function headingNumberText(
  level: HeadingLevel,
  n: number,
  scheme: DocOptions['headingNumbering'] = 'four-level',
): string {
  const styles =
    scheme === 'two-level'
      ? (['cn-dun', 'arabic-dot', 'arabic-paren', 'circled'] as const)
      : (['cn-dun', 'cn-paren', 'arabic-dot', 'arabic-paren'] as const);
  switch (styles[level - 1]) {
    case 'cn-dun':
      return `${chineseNumeral(n)}、`;
    case 'cn-paren':
      return `（${chineseNumeral(n)}）`;
    case 'arabic-dot':
      return `${n}.`;
    case 'arabic-paren':
      return `（${n}）`;
    default:
      return circledNumber(n);
  }
}

/**
 * Counts headings in document order. A numbered heading increments its level; any heading (numbered
 * or not) resets the deeper levels, so （一） restarts under each 一、, 1. under each （一） and so on.
 */
export class HeadingCounter {
  private readonly counts = [0, 0, 0, 0];

  constructor(private readonly scheme: DocOptions['headingNumbering'] = 'four-level') {}

  /** The number text for this heading, or '' when it is not numbered. */
  next(level: HeadingLevel, numbered = true): string {
    for (let l = level; l < 4; l++) this.counts[l] = 0;
    if (!numbered) return '';
    const n = (this.counts[level - 1] ?? 0) + 1;
    this.counts[level - 1] = n;
    return headingNumberText(level, n, this.scheme);
  }
}

/** The number text of every heading block, by block index (unnumbered headings map to ''). */
export function headingNumbers(
  blocks: readonly Block[],
  scheme: DocOptions['headingNumbering'] = 'four-level',
): Map<number, string> {
  const counter = new HeadingCounter(scheme);
  const out = new Map<number, string>();
  blocks.forEach((b, i) => {
    if (b.type === 'heading') out.set(i, counter.next(b.level, b.numbered !== false));
  });
  return out;
}

/** List item marker by depth (0-based): ordered 1. / （1） / ①, bullets ● / ○ / ■. */
export function listMarker(ordered: boolean, depth: number, n: number): string {
  if (!ordered) return ['●', '○', '■'][depth % 3] ?? '●';
  switch (depth % 3) {
    case 0:
      return `${n}.`;
    case 1:
      return `（${n}）`;
    default:
      return circledNumber(n);
  }
}

export interface CalendarDate {
  year: number;
  month: number;
  /** Absent for month precision ('YYYY-MM'). */
  day?: number;
}

/** Reads 'YYYY-MM-DD', 'YYYY-MM' or a Date (its local calendar day). */
export function parseDateInput(date: DateInput): CalendarDate {
  if (date instanceof Date) {
    if (Number.isNaN(date.getTime())) throw new AppError('BAD_INPUT', '日期无效');
    return { year: date.getFullYear(), month: date.getMonth() + 1, day: date.getDate() };
  }
  const m = /^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?$/.exec(date.trim());
  if (!m) throw new AppError('BAD_INPUT', `无法识别的日期：${date}（应为 2027-03-31 或 2027-03）`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = m[3] === undefined ? undefined : Number(m[3]);
  const maxDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || (day !== undefined && (day < 1 || day > maxDay))) {
    throw new AppError('BAD_INPUT', `日期不存在：${date}`);
  }
  return day === undefined ? { year, month } : { year, month, day };
}

/** 成文日期 style: 2027年3月31日 (Arabic numerals, no leading zeros); month precision gives 2027年3月. */
export function formatChineseDate(date: DateInput): string {
  const d = parseDateInput(date);
  return d.day === undefined ? `${d.year}年${d.month}月` : `${d.year}年${d.month}月${d.day}日`;
}
