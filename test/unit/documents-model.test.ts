/** Document model: constructors, option defaults, and the GB/T 9704 text rules (numbering, dates). */
import { describe, expect, it } from 'vitest';
import * as m from '../../main/core/documents/model';
import {
  HeadingCounter,
  chineseNumeral,
  formatChineseDate,
  headingNumberText,
  headingNumbers,
  listMarker,
  parseDateInput,
} from '../../main/core/documents/numbering';
import { isAppError } from '../../main/core/util/errors';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isAppError(e) ? e.code : 'not-an-AppError';
  }
  return undefined;
}

describe('chineseNumeral', () => {
  it.each([
    [1, '一'],
    [9, '九'],
    [10, '十'],
    [11, '十一'],
    [19, '十九'],
    [20, '二十'],
    [21, '二十一'],
    [99, '九十九'],
    [100, '一百'],
    [101, '一百零一'],
    [110, '一百一十'],
    [1010, '一千零一十'],
    [2005, '二千零五'],
  ])('%i → %s', (n, text) => {
    expect(chineseNumeral(n)).toBe(text);
  });

  it('refuses 0, negatives and fractions', () => {
    expect(codeOf(() => chineseNumeral(0))).toBe('BAD_INPUT');
    expect(codeOf(() => chineseNumeral(-1))).toBe('BAD_INPUT');
    expect(codeOf(() => chineseNumeral(1.5))).toBe('BAD_INPUT');
  });
});

describe('heading numbers', () => {
  it('writes the four GB levels', () => {
    expect([1, 2, 3, 4].map((l) => headingNumberText(l as m.HeadingLevel, 3))).toEqual([
      '三、',
      '（三）',
      '3.',
      '（3）',
    ]);
    expect(headingNumberText(1, 12)).toBe('十二、');
    expect(headingNumberText(2, 10)).toBe('（十）');
  });

  it('has a two-level scheme (一、 then 1.)', () => {
    expect([1, 2, 3, 4].map((l) => headingNumberText(l as m.HeadingLevel, 2, 'two-level'))).toEqual([
      '二、',
      '2.',
      '（2）',
      '②',
    ]);
  });

  it('restarts deeper levels under each heading, also under an unnumbered one', () => {
    const c = new HeadingCounter();
    const seq: [m.HeadingLevel, boolean?][] = [
      [1],
      [2],
      [3],
      [4],
      [4],
      [3],
      [2],
      [1],
      [2],
      [3],
      [1, false],
      [2],
      [4],
      [1],
    ];
    expect(seq.map(([level, numbered]) => c.next(level, numbered ?? true))).toEqual([
      '一、',
      '（一）',
      '1.',
      '（1）',
      '（2）',
      '2.',
      '（二）',
      '二、',
      '（一）',
      '1.',
      '',
      '（一）',
      '（1）',
      '三、',
    ]);
  });

  it('numbers the heading blocks of a document by index', () => {
    const blocks = [
      m.heading(1, '甲'),
      m.paragraph('正文'),
      m.heading(2, '乙'),
      m.heading(1, '丙', { numbered: false }),
    ];
    expect([...headingNumbers(blocks).entries()]).toEqual([
      [0, '一、'],
      [2, '（一）'],
      [3, ''],
    ]);
  });
});

describe('list markers', () => {
  it('uses 1. / （1） / ① for ordered lists and ● / ○ / ■ for bullets', () => {
    expect([0, 1, 2, 3].map((d) => listMarker(true, d, 2))).toEqual(['2.', '（2）', '②', '2.']);
    expect([0, 1, 2].map((d) => listMarker(false, d, 1))).toEqual(['●', '○', '■']);
  });
});

describe('dates', () => {
  it('writes 成文日期 without leading zeros', () => {
    expect(formatChineseDate('2027-03-31')).toBe('2027年3月31日');
    expect(formatChineseDate('2027-10-01')).toBe('2027年10月1日');
    expect(formatChineseDate('2027-03')).toBe('2027年3月');
    expect(formatChineseDate(new Date(2028, 1, 29))).toBe('2028年2月29日');
  });

  it('refuses dates that do not exist or cannot be read', () => {
    expect(codeOf(() => parseDateInput('2027-02-29'))).toBe('BAD_INPUT');
    expect(codeOf(() => parseDateInput('2027-13-01'))).toBe('BAD_INPUT');
    expect(codeOf(() => parseDateInput('2027年3月31日'))).toBe('BAD_INPUT');
    expect(codeOf(() => parseDateInput(new Date(Number.NaN)))).toBe('BAD_INPUT');
    expect(parseDateInput('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
  });
});

describe('model constructors and options', () => {
  it('turns strings into runs and keeps formatting', () => {
    expect(m.paragraph(['甲', m.bold('乙')]).runs).toEqual([{ text: '甲' }, { text: '乙', bold: true }]);
    expect(m.heading(2, '标题', { runIn: '正文' })).toEqual({
      type: 'heading',
      level: 2,
      runs: [{ text: '标题' }],
      runIn: [{ text: '正文' }],
    });
    expect(m.list(true, ['一', m.listItem('二', m.list(false, ['子']))]).items[1]?.children?.items).toEqual([
      { runs: [{ text: '子' }] },
    ]);
    expect(m.table([2, 1], [['a', 1]]).columns).toEqual([{ width: 2 }, { width: 1 }]);
    expect(m.signature('市信用办', '2027-03-31').organisations).toEqual(['市信用办']);
  });

  it('fills option defaults; updateFieldsOnOpen follows the presence of a TOC', () => {
    const plain = m.doc({ title: 't' }, [m.paragraph('x')]);
    expect(m.resolveOptions(plain)).toEqual({
      preset: 'gbt9704',
      headingBold: false,
      showPageNumbers: true,
      headingNumbering: 'four-level',
      updateFieldsOnOpen: false,
    });
    expect(m.resolveOptions(m.doc({ title: 't' }, [m.toc(), m.paragraph('x')])).updateFieldsOnOpen).toBe(
      true,
    );
    expect(
      m.resolveOptions(m.doc({ title: 't' }, [m.toc()], { options: { updateFieldsOnOpen: false } }))
        .updateFieldsOnOpen,
    ).toBe(false);
  });
});
