/**
 * The pure monitoring rules with fixture data: calendar months, rank changes, the "top N for
 * three consecutive months" streak (a missing month breaks a run; the top-100 basic line), the
 * weak-point rules (falling two months in a row; below the mean of the three months before;
 * missing months and scores), and the proposals' department and indicator picks.
 */
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  BASIC_RANK_LIMIT,
  computeStreak,
  monthEnd,
  pickDepartment,
  pickIndicators,
  proposalText,
  quarterMonths,
  rankChanges,
  weakFindings,
  type Dim,
  type ResultLike,
} from '../../main/core/monitoring/rules';

const NO_DIMS: Record<Dim, number | null> = {
  incentive: null,
  system: null,
  culture: null,
  service: null,
  environment: null,
};

function res(month: string, rank: number, dims: Partial<Record<Dim, number | null>> = {}): ResultLike {
  return { month, score: 85, rank, total: 400, dims: { ...NO_DIMS, ...dims } };
}

describe('months', () => {
  it('adds calendar months across years, gives month ends and quarters', () => {
    expect(addMonths('2027-01', -1)).toBe('2026-12');
    expect(addMonths('2026-11', 3)).toBe('2027-02');
    expect(monthEnd('2028-02')).toBe('2028-02-29');
    expect(monthEnd('2027-02')).toBe('2027-02-28');
    expect(quarterMonths('2027-Q4')).toEqual(['2027-10', '2027-11', '2027-12']);
    expect(quarterMonths('2027-Q5')).toBeNull();
  });

  it('rank change is against the previous calendar month only (positive = moved up)', () => {
    const c = rankChanges([res('2027-01', 60), res('2027-02', 52), res('2027-04', 40), res('2027-05', 44)]);
    expect(c.get('2027-01')).toBeNull();
    expect(c.get('2027-02')).toBe(8);
    expect(c.get('2027-04')).toBeNull(); // March missing
    expect(c.get('2027-05')).toBe(-4);
  });
});

describe('streak: top N for three consecutive months', () => {
  it('counts the current run ending at the latest month and explains what is left', () => {
    const s = computeStreak([res('2027-01', 70), res('2027-02', 48), res('2027-03', 45)], 50);
    expect(s).toMatchObject({
      target: 50,
      current: 2,
      best: 2,
      achieved: false,
      months: ['2027-02', '2027-03'],
    });
    expect(s.basicOk).toBe(true);
    expect(s.explanation).toContain('已连续2个月进入前50名，再保持1个月即达成');
  });

  it('achieves with three consecutive months and reports the first achieving run', () => {
    const s = computeStreak(
      [res('2027-01', 50), res('2027-02', 49), res('2027-03', 30), res('2027-04', 20), res('2027-05', 55)],
      50,
    );
    expect(s.achieved).toBe(true);
    expect(s.best).toBe(4);
    expect(s.current).toBe(0); // May is outside
    expect(s.months).toEqual(['2027-01', '2027-02', '2027-03']);
    expect(s.explanation).toContain('已于2027年1月至3月连续3个月进入前50名');
    expect(s.explanation).toContain('已退出前50名');
  });

  it('a missing month breaks the run even when both neighbours are inside', () => {
    const s = computeStreak([res('2027-01', 40), res('2027-02', 41), res('2027-04', 42)], 50);
    expect(s.achieved).toBe(false);
    expect(s.current).toBe(1);
    expect(s.best).toBe(2);
    expect(s.months).toEqual(['2027-01', '2027-02']);
  });

  it('the run continues across a year boundary; input order does not matter', () => {
    const s = computeStreak([res('2027-01', 10), res('2026-11', 10), res('2026-12', 10)], 50);
    expect(s.achieved).toBe(true);
    expect(s.current).toBe(3);
    expect(s.months).toEqual(['2026-11', '2026-12', '2027-01']);
  });

  it('basic line: every recorded month within the top 100', () => {
    expect(BASIC_RANK_LIMIT).toBe(100);
    const ok = computeStreak([res('2027-01', 100), res('2027-02', 99)], 50);
    expect(ok.basicOk).toBe(true);
    const bad = computeStreak([res('2027-01', 101), res('2027-02', 99), res('2027-03', 130)], 50);
    expect(bad.basicOk).toBe(false);
    expect(bad.monthsOutsideBasic).toEqual(['2027-01', '2027-03']);
    expect(bad.explanation).toContain('2027年1月、2027年3月排名在100名以外');
    expect(bad.current).toBe(0);
    expect(bad.explanation).toContain('2027年3月排名第130名，未进入前50名');
  });

  it('no results: nothing achieved, basic line not shown as met', () => {
    const s = computeStreak([], 50);
    expect(s).toMatchObject({ current: 0, best: 0, achieved: false, months: [], basicOk: false });
    expect(s.explanation).toContain('尚未录入监测结果');
  });
});

describe('weak points', () => {
  it('falling two months in a row (strictly) is weak; one fall or a flat month is not', () => {
    const results = [
      res('2027-01', 60, { incentive: 86, system: 80, culture: 70 }),
      res('2027-02', 58, { incentive: 85.5, system: 79, culture: 70 }),
      res('2027-03', 55, { incentive: 84.2, system: 79.5, culture: 69 }),
    ];
    const w = weakFindings(results, '2027-03');
    expect(w.map((x) => x.dimension)).toEqual(['incentive']);
    expect(w[0]).toMatchObject({
      reasons: ['falling'],
      score: 84.2,
      mean3: null, // only two months before March
      history: [
        { month: '2027-01', score: 86 },
        { month: '2027-02', score: 85.5 },
        { month: '2027-03', score: 84.2 },
      ],
    });
    expect(w[0]!.explanation).toBe(
      '「守信激励和失信治理」连续两个月下降：1月86分→2月85.5分→3月84.2分，两个月累计下降1.8分。',
    );
    // culture fell 70 → 70 → 69: not strictly falling twice
  });

  it('below the mean of the three months before it (m-3, m-2, m-1), not including the month itself', () => {
    const results = [
      res('2027-01', 60, { service: 80, environment: 90 }),
      res('2027-02', 60, { service: 84, environment: 88 }),
      res('2027-03', 60, { service: 82, environment: 89 }),
      res('2027-04', 60, { service: 81.9, environment: 89 }),
    ];
    // service: mean(80, 84, 82) = 82 → 81.9 < 82 is weak; it did not fall twice (84 → 82 → 81.9 does!)
    // environment: mean(90, 88, 89) = 89 → 89 is not below
    const w = weakFindings(results, '2027-04');
    expect(w.map((x) => x.dimension)).toEqual(['service']);
    expect(w[0]!.mean3).toBe(82);
    expect(w[0]!.reasons).toEqual(['falling', 'below_mean']);
    expect(w[0]!.history.map((h) => h.month)).toEqual(['2027-01', '2027-02', '2027-03', '2027-04']);
    expect(w[0]!.explanation).toContain('低于近3个月均值：4月81.9分，低于1月至3月均值82分（-0.1分）');
  });

  it('below the mean alone (no double fall)', () => {
    const results = [
      res('2027-01', 60, { system: 90 }),
      res('2027-02', 60, { system: 80 }),
      res('2027-03', 60, { system: 85 }),
      res('2027-04', 60, { system: 84 }),
    ];
    const w = weakFindings(results, '2027-04');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ dimension: 'system', reasons: ['below_mean'], mean3: 85 });
  });

  it('missing months and scores disable the rules that need them; fewer months give none', () => {
    expect(weakFindings([res('2027-03', 50, { incentive: 80 })], '2027-03')).toEqual([]);
    expect(weakFindings([res('2027-03', 50, { incentive: 80 })], '2027-04')).toEqual([]); // no such month
    // February missing: no double fall, no 3-month mean
    const gap = [
      res('2026-12', 50, { incentive: 90 }),
      res('2027-01', 50, { incentive: 88 }),
      res('2027-03', 50, { incentive: 70 }),
    ];
    expect(weakFindings(gap, '2027-03')).toEqual([]);
    // the dimension has no score in the latest month: never weak
    const noScore = [
      res('2027-01', 50, { culture: 90 }),
      res('2027-02', 50, { culture: 85 }),
      res('2027-03', 50, { culture: null }),
    ];
    expect(weakFindings(noScore, '2027-03')).toEqual([]);
    // one score missing among the three months before: no mean, but the double fall still counts
    const partial = [
      res('2027-01', 50, { culture: null }),
      res('2027-02', 50, { culture: 85 }),
      res('2027-03', 50, { culture: 84 }),
      res('2027-04', 50, { culture: 83 }),
    ];
    const w = weakFindings(partial, '2027-04');
    expect(w).toHaveLength(1);
    expect(w[0]).toMatchObject({ reasons: ['falling'], mean3: null });
  });

  it('scores are compared at 2 decimals (float noise is not a fall)', () => {
    const results = [
      res('2027-01', 50, { incentive: 80.1 + 0.2 }), // 80.30000000000001
      res('2027-02', 50, { incentive: 80.3 }),
      res('2027-03', 50, { incentive: 80.3 - 1e-12 }),
    ];
    expect(weakFindings(results, '2027-03')).toEqual([]);
  });
});

describe('proposals', () => {
  const depts = [
    { id: 'd1', name: '琼海市财政局', shortName: '市财政局' },
    { id: 'd2', name: '琼海市发展和改革委员会', shortName: '市发改委' },
    { id: 'd3', name: '中共琼海市委宣传部', shortName: '市委宣传部' },
  ];
  const inds = [
    { id: 'b05', title: '城市信用监测排名前 100 名', standard: '在国家城市信用状况监测预警县级市排名中…' },
    { id: 'b07', title: '各级政府部门零失信', standard: '无被列入失信被执行人名单…' },
    { id: 'b10', title: '中小企业账款零拖欠', standard: '拖欠中小企业账款实现动态清零' },
    { id: 'b11', title: '信用网站意识形态零问题', standard: '信用宣传新媒体账号…' },
  ];

  it('picks the department by name keyword, in the dimension order of preference', () => {
    expect(pickDepartment('incentive', depts)).toBe('d2');
    expect(pickDepartment('culture', depts)).toBe('d3');
    expect(pickDepartment('culture', [depts[0]!])).toBeNull();
  });

  it('links the ranking indicator and the indicators naming the dimension keywords', () => {
    expect(pickIndicators('incentive', inds)).toEqual(['b05', 'b07']);
    expect(pickIndicators('environment', inds)).toEqual(['b05', 'b07', 'b10']);
    expect(pickIndicators('culture', inds)).toEqual(['b05', 'b11']);
  });

  it('the proposal text carries the numbers and dimension-specific measures', () => {
    const f = weakFindings(
      [
        res('2027-01', 60, { environment: 86 }),
        res('2027-02', 58, { environment: 85 }),
        res('2027-03', 55, { environment: 84 }),
      ],
      '2027-03',
    )[0]!;
    const p = proposalText(f);
    expect(p.problem).toContain('2027年3月城市信用监测“信用环境和营商环境”维度得分84分');
    expect(p.problem).toContain('1月86分→2月85分→3月84分');
    expect(p.measures).toContain('政务诚信');
    expect(p.measures).toContain('账款');
    expect(p.measures.split('\n')).toHaveLength(3);
    expect(p.taskTitle).toContain('信用环境和营商环境');
  });
});
