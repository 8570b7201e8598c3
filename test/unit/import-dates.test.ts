/** Due dates as departments write them: serials (1900/1904), Date cells, Chinese text. */
import { describe, expect, it } from 'vitest';
import {
  calendarDateOf,
  type DueDateResult,
  excelSerialToDate,
  isoDate,
  parseDueDate,
} from '../../main/core/import/dates';

const today = new Date(2027, 0, 10);
const parse = (v: string | number | Date | null) => parseDueDate(v, { today });
const dateOf = (r: DueDateResult) => (r.kind === 'date' ? r.date : r.kind);

describe('excelSerialToDate', () => {
  it.each([
    [1, '1900-01-01'],
    [59, '1900-02-28'],
    [61, '1900-03-01'],
    [46477, '2027-03-31'],
    [46477.75, '2027-03-31'],
    [46812, '2028-02-29'],
  ])('1900 system: %d → %s', (serial, iso) => {
    const d = excelSerialToDate(serial, false);
    expect(d && isoDate(d)).toBe(iso);
  });

  it('has no 1900-02-29 (serial 60, the Lotus leap-year bug) and nothing before serial 1', () => {
    expect(excelSerialToDate(60, false)).toBeNull();
    expect(excelSerialToDate(0, false)).toBeNull();
    expect(excelSerialToDate(-5, false)).toBeNull();
    expect(excelSerialToDate(Number.NaN, false)).toBeNull();
  });

  it('1904 system: 0 = 1904-01-01, 45015 = 2027-03-31', () => {
    expect(isoDate(excelSerialToDate(0, true) ?? { y: 0, m: 0, d: 0 })).toBe('1904-01-01');
    expect(isoDate(excelSerialToDate(45015, true) ?? { y: 0, m: 0, d: 0 })).toBe('2027-03-31');
  });
});

describe('calendarDateOf (exceljs Dates are UTC)', () => {
  it('uses the UTC calendar date whatever the local zone, rounding float noise', () => {
    expect(isoDate(calendarDateOf(new Date(Date.UTC(2027, 2, 31))))).toBe('2027-03-31');
    expect(isoDate(calendarDateOf(new Date(Date.UTC(2027, 2, 31, 18, 30))))).toBe('2027-03-31');
    expect(isoDate(calendarDateOf(new Date(Date.UTC(2027, 2, 31) - 0.4)))).toBe('2027-03-31');
  });
});

describe('parseDueDate', () => {
  it.each([
    ['2027年3月31日', '2027-03-31'],
    ['2027年03月31号', '2027-03-31'],
    ['2027 年 3 月 31 日前', '2027-03-31'],
    ['2027.3.31', '2027-03-31'],
    ['2027/3/31', '2027-03-31'],
    ['2027-03-31', '2027-03-31'],
    ['2027-03-31 17:00:00', '2027-03-31'],
    ['２０２７年３月３１日', '2027-03-31'],
    ['20270331', '2027-03-31'],
    ['2027年3月底', '2027-03-31'],
    ['2027年3月底前', '2027-03-31'],
    ['2027年3月末', '2027-03-31'],
    ['2027年3月', '2027-03-31'],
    ['2027年2月', '2027-02-28'],
    ['2028年2月底', '2028-02-29'],
    ['2027.3', '2027-03-31'],
    ['2027.10', '2027-10-31'],
    ['2027-06', '2027-06-30'],
    ['2027年3月上旬', '2027-03-10'],
    ['2027年3月中旬', '2027-03-20'],
    ['2027年3月下旬', '2027-03-31'],
    ['2027年三月底', '2027-03-31'],
    ['2027年十二月', '2027-12-31'],
    ['二〇二七年六月底', '2027-06-30'],
    ['2027年第一季度', '2027-03-31'],
    ['2027年一季度', '2027-03-31'],
    ['2027年第2季度末', '2027-06-30'],
    ['2027年三季度', '2027-09-30'],
    ['2027Q4', '2027-12-31'],
    ['2027年上半年', '2027-06-30'],
    ['2027年下半年', '2027-12-31'],
    ['2027年底', '2027-12-31'],
    ['2027年年底前', '2027-12-31'],
    ['2027年12月底', '2027-12-31'],
    ['2027年', '2027-12-31'],
    ['2027年年中', '2027-06-30'],
  ])('%s → %s', (text, iso) => {
    const r = parse(text);
    expect(dateOf(r)).toBe(iso);
    if (r.kind === 'date') expect(r.warnings).toEqual([]);
  });

  it('reads Date cells as calendar dates and serial numbers as dates', () => {
    expect(dateOf(parse(new Date(Date.UTC(2027, 5, 30))))).toBe('2027-06-30');
    expect(dateOf(parse(46477))).toBe('2027-03-31');
    expect(dateOf(parse('46477'))).toBe('2027-03-31');
    expect(dateOf(parseDueDate(45015, { today, date1904: true }))).toBe('2027-03-31');
  });

  it('reads a number typed as 2027.3 as a month, with a warning (2027.1 may mean October)', () => {
    const r = parse(2027.3);
    expect(dateOf(r)).toBe('2027-03-31');
    const jan = parse(2027.1);
    expect(dateOf(jan)).toBe('2027-01-31');
    expect(jan.kind === 'date' && jan.warnings[0]).toContain('10 月');
  });

  it('refuses dates that do not exist, naming the value and the month length', () => {
    const r = parse('2027年2月30日');
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.message).toContain('「2027年2月30日」');
    expect(r.kind === 'invalid' && r.message).toContain('2月只有 28 天');
    expect(parse('2027-13-01').kind).toBe('invalid');
    expect(parse('2027.4.31').kind).toBe('invalid');
    expect(parse('2027年13月').kind).toBe('invalid');
    expect(dateOf(parse('2028年2月29日'))).toBe('2028-02-29');
  });

  it('refuses text with no date at all, suggesting formats', () => {
    const r = parse('尽快完成');
    expect(r.kind).toBe('invalid');
    expect(r.kind === 'invalid' && r.message).toContain('2027年3月31日');
  });

  it.each([
    ['长期', null],
    ['长期坚持', null],
    ['持续推进', null],
    ['常态化开展', null],
    ['每月', 'monthly'],
    ['每月10日前', 'monthly'],
    ['每季度', 'quarterly'],
    ['每周五前', 'weekly'],
    ['每年', null],
  ])('%s → no due date, recurrence %s, with a warning', (text, rec) => {
    const r = parse(text);
    expect(r.kind).toBe('none');
    if (r.kind === 'none') {
      expect(r.recurrence).toBe(rec);
      expect(r.warnings.length).toBeGreaterThan(0);
    }
  });

  it('takes the latest of several dates and says so', () => {
    const r = parse('2027年3月底前完成方案，6月底前完成验收');
    expect(dateOf(r)).toBe('2027-06-30');
    expect(r.kind === 'date' && r.warnings.join()).toContain('已取最晚的 2027-06-30');
  });

  it('takes the year of an earlier date for a later one without a year', () => {
    expect(dateOf(parse('2028年1月至3月'))).toBe('2028-03-31');
  });

  it('uses the current year for a date without one, with a warning', () => {
    const r = parse('3月31日前');
    expect(dateOf(r)).toBe('2027-03-31');
    expect(r.kind === 'date' && r.warnings.join()).toContain('没有写年份');
  });

  it('warns about dates far outside the campaign', () => {
    const r = parse('2099-12-31');
    expect(dateOf(r)).toBe('2099-12-31');
    expect(r.kind === 'date' && r.warnings.join()).toContain('超出');
    const old = parse(5);
    expect(dateOf(old)).toBe('1900-01-05');
    expect(old.kind === 'date' && old.warnings.length).toBe(1);
  });

  it('keeps a recurrence word next to a date as a hint', () => {
    const r = parse('2027年12月底前，每月报送进展');
    expect(dateOf(r)).toBe('2027-12-31');
    expect(r.kind === 'date' && r.recurrence).toBe('monthly');
  });

  it('treats blanks and dashes as empty', () => {
    expect(parse(null).kind).toBe('empty');
    expect(parse('  ').kind).toBe('empty');
    expect(parse('—').kind).toBe('empty');
    expect(parse('无').kind).toBe('empty');
  });
});
