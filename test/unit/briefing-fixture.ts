/** Plain figures of a campaign three months in, for the briefing deck tests (no workspace). */
import type { BriefingData } from '../../main/core/briefing/data';
import type { MonitoringResult } from '../../main/core/contract/indicators';
import { BRIEFING_SECTIONS } from '../../main/core/contract/labels';
import type { Rectification } from '../../main/core/rectification/rectifications';
import { findAll, parseXml } from '../helpers/docx';

const fig = (value: number) => ({ value, filter: { supervisedOnly: true } });

function result(month: string, rank: number, score: number, dims: number[]): MonitoringResult {
  const [incentive, system, culture, service, environment] = dims;
  return {
    id: `r-${month}`,
    month,
    score,
    rank,
    total: 380,
    dims: {
      incentive: incentive ?? null,
      system: system ?? null,
      culture: culture ?? null,
      service: service ?? null,
      environment: environment ?? null,
    },
    note: null,
    rankChange: null,
    updatedAt: '2027-03-01T00:00:00Z',
  };
}

function rect(i: number, over: Partial<Rectification> = {}): Rectification {
  return {
    id: `rect-${i}`,
    code: `ZG-${String(i).padStart(3, '0')}`,
    source: 'inspection',
    problem: `第${i}个整改问题：政务服务大厅信用信息查询窗口未按要求接入信用信息共享平台`,
    deptId: null,
    deptName: '市政务服务中心',
    measures: null,
    deadline: '2027-02-20',
    status: 'open',
    verification: null,
    clarification: null,
    closedAt: null,
    overdue: true,
    taskIds: [],
    indicatorIds: [],
    attachmentCount: 0,
    createdAt: '2027-01-10T02:00:00Z',
    updatedAt: '2027-01-10T02:00:00Z',
    ...over,
  };
}

/** A campaign three months in: 30 departments, six months of ranks, metrics, rectifications. */
export function fixture(over: Partial<BriefingData> = {}): BriefingData {
  const depts = Array.from({ length: 30 }, (_, i) => ({
    rank: i + 1,
    deptId: `d${i}`,
    deptName: `测试单位${i + 1}`,
    shortName: i % 3 === 0 ? `单位${i + 1}` : null,
    total: 4 + (i % 5),
    done: Math.max(0, 4 - Math.floor(i / 7)),
    onTime: 2,
    overdue: i % 4,
    completionRate: Math.round((1 - i / 35) * 10000) / 10000,
    onTimeRate: 0.5,
    avgDelayDays: null,
    red: 0,
    yellow: 0,
    green: 1,
  }));
  const results = [
    result('2026-10', 96, 84.1, [85.2, 86.1, 80.3, 79.5, 83.2]),
    result('2026-11', 82, 84.9, [85.9, 86.4, 81.1, 80.2, 83.9]),
    result('2026-12', 61, 85.6, [86.3, 87.0, 81.8, 80.9, 84.4]),
    result('2027-01', 48, 86.2, [86.8, 87.5, 82.6, 81.3, 84.9]),
    result('2027-02', 44, 86.5, [87.1, 87.9, 82.1, 81.8, 85.2]),
    result('2027-03', 39, 86.9, [87.6, 88.2, 81.7, 82.3, 85.6]),
  ];
  return {
    city: '琼海市',
    title: '琼海市社会信用体系建设示范区创建工作汇报',
    presenter: '琼海市发展和改革委员会',
    sections: [...BRIEFING_SECTIONS],
    today: '2027-03-12',
    period: {
      from: '2027-01',
      to: '2027-03',
      start: '2027-01-01',
      end: '2027-03-31',
      label: '2027年1月—3月',
      months: ['2027-01', '2027-02', '2027-03'],
    },
    dashboard: {
      today: '2027-03-12',
      periodStart: '2027-01-01',
      totals: {
        supervised: fig(59),
        done: fig(21),
        completionRate: 0.3559,
        dueToDate: fig(30),
        doneOfDueToDate: fig(19),
      },
      lights: { green: fig(40), yellow: fig(8), red: fig(11) },
      dueThisWeek: { ...fig(6), from: '2027-03-08', to: '2027-03-14', tasks: [] },
      overdue: {
        ...fig(11),
        tasks: [
          {
            id: 't1',
            code: 'RW-001',
            title: '建立信用承诺制度并在政务服务事项中全面推行',
            leadDeptName: '市发展和改革委员会',
            dueDate: '2027-02-28',
            light: 'red',
            lightReason: 'overdue:12',
          },
        ],
      },
      league: { from: '2027-01-01', to: '2027-03-12', top: [], bottom: [], departments: 30 },
      trend: Array.from({ length: 12 }, (_, i) => ({
        week: `2026-W${50 + i}`,
        weekStart: `2027-0${1 + Math.floor(i / 4)}-${String(1 + (i % 4) * 7).padStart(2, '0')}`,
        weekEnd: '2027-01-07',
        due: 2 + (i % 4),
        doneOfDue: 1,
        completed: 1 + (i % 3),
        cumulativeRate: 0.4 + i * 0.02,
      })),
    },
    league: depts,
    readiness: {
      version: '2022',
      basic: {
        total: 12,
        met: 3,
        unmet: Array.from({ length: 9 }, (_, i) => ({
          id: `b${i}`,
          code: `基础-${String(i + 4).padStart(2, '0')}`,
          title: `基础指标第${i + 4}项：统一社会信用代码重错码率低于万分之一`,
          status: i % 2 ? ('in_progress' as const) : ('not_met' as const),
        })),
      },
      allBasicMet: false,
      scored: { count: 28, possible: 100, achieved: 61.5, met: 12 },
      bonus: { count: 3, possible: 10, achieved: 4 },
      evidence: { total: 40, satisfied: 22 },
      byStatus: { not_met: 10, in_progress: 12, met: 21 },
    },
    indicatorsByKind: [
      { kind: 'basic', label: '基础指标', met: 3, inProgress: 4, notMet: 5 },
      { kind: 'scored', label: '评分指标', met: 12, inProgress: 10, notMet: 6 },
      { kind: 'bonus', label: '加分项', met: 1, inProgress: 1, notMet: 1 },
    ],
    monitoring: {
      results,
      latest: results.at(-1) ?? null,
      streak: {
        target: 50,
        current: 3,
        best: 3,
        achieved: true,
        months: ['2027-01', '2027-02', '2027-03'],
        basicLimit: 100,
        basicOk: true,
        monthsOutsideBasic: [],
        explanation: '已连续3个月（2027年1月至3月）进入前50名，目标已实现。',
      },
      weakPoints: [
        {
          month: '2027-03',
          dimension: 'culture',
          label: '诚信文化和诚信建设',
          score: 81.7,
          history: [
            { month: '2027-01', score: 82.6 },
            { month: '2027-02', score: 82.1 },
            { month: '2027-03', score: 81.7 },
          ],
          mean3: 82.1,
          reasons: ['falling'],
          explanation: '连续两个月下降：82.6 → 82.1 → 81.7',
          proposal: {
            problem: '诚信文化和诚信建设维度得分连续两个月下降',
            measures: '开展诚信宣传进企业、进社区活动，报送典型案例',
            taskTitle: '提升“诚信文化和诚信建设”维度得分',
            taskStandard: '报送诚信宣传活动信息不少于10条',
            deadline: '2027-04-30',
            deptId: null,
            indicatorIds: [],
          },
          decision: null,
          rectId: null,
          taskId: null,
        },
      ],
    },
    metrics: [
      {
        key: 'commitments',
        name: '信用承诺数（对比企业总数）',
        unit: '份',
        target: 100,
        values: [
          { month: '2027-01', value: 8200, base: 10400, rate: 78.85, note: null },
          { month: '2027-02', value: 9100, base: 10450, rate: 87.08, note: null },
          { month: '2027-03', value: 9800, base: 10500, rate: 93.33, note: null },
        ],
        latest: { month: '2027-03', value: 9800, base: 10500, rate: 93.33, note: null },
        change: 6.25,
        onTarget: false,
      },
      {
        key: 'repair_rate',
        name: '信用修复率',
        unit: '%',
        target: 90,
        values: [
          { month: '2027-01', value: 86, base: null, rate: 86, note: null },
          { month: '2027-02', value: 91.5, base: null, rate: 91.5, note: null },
        ],
        latest: { month: '2027-02', value: 91.5, base: null, rate: 91.5, note: null },
        change: 5.5,
        onTarget: true,
      },
      {
        key: 'compliance_rate',
        name: '五类数据合规率',
        unit: '%',
        target: 100,
        values: [
          { month: '2027-01', value: 97.2, base: null, rate: 97.2, note: null },
          { month: '2027-02', value: 98.6, base: null, rate: 98.6, note: null },
          { month: '2027-03', value: 99.1, base: null, rate: 99.1, note: null },
        ],
        latest: { month: '2027-03', value: 99.1, base: null, rate: 99.1, note: null },
        change: 0.5,
        onTarget: false,
      },
    ],
    rect: {
      flow: [
        { month: '2027-01', opened: 8, closed: 2 },
        { month: '2027-02', opened: 5, closed: 4 },
        { month: '2027-03', opened: 3, closed: 3 },
      ],
      open: 16,
      openBySource: [
        { source: 'inspection', label: '每周巡查', count: 13 },
        { source: 'weak_indicator', label: '监测薄弱指标', count: 2 },
        { source: 'review_panel', label: '国家评审反馈', count: 1 },
        { source: 'other', label: '其他', count: 0 },
      ],
      overdue: Array.from({ length: 12 }, (_, i) => rect(i + 1)),
      dueSoon: [rect(1), rect(2, { overdue: false, deadline: '2027-04-15' })],
    },
    next: {
      month: '2027-04',
      start: '2027-04-01',
      end: '2027-04-30',
      tasks: Array.from({ length: 14 }, (_, i) => ({
        code: `RW-${100 + i}`,
        title: `第${i + 1}项四月到期任务：完善行业信用监管制度`,
        deptName: '市市场监督管理局',
        dueDate: '2027-04-30',
      })),
      taskTotal: 14,
    },
    ...over,
  };
}

/** Values of each series of each chart part, in part order (chart1, chart2, …). */
export function chartSeries(files: Record<string, Uint8Array>): { name: string; values: number[] }[][] {
  const names = Object.keys(files)
    .filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n))
    .sort((a, b) => Number(/(\d+)\.xml$/.exec(a)?.[1]) - Number(/(\d+)\.xml$/.exec(b)?.[1]));
  return names.map((n) => {
    const xml = parseXml(new TextDecoder().decode(files[n]));
    return findAll(xml, 'c:ser').map((ser) => ({
      name: findAll(findAll(ser, 'c:tx')[0]!, 'c:v')[0]?.text ?? '',
      values: findAll(findAll(ser, 'c:val')[0]!, 'c:v').map((v) => Number(v.text)),
    }));
  });
}
