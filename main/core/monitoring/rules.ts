/**
 * The pure rules of the monthly credit monitoring (no database): calendar-month arithmetic, the
 * rank change, the "top N for three consecutive months" streak with the top-100 basic line, the
 * weak-point rules with their Chinese explanations, and the dimension-specific proposals.
 *
 * Months are 'YYYY-MM' strings; "consecutive" always means consecutive CALENDAR months, so a
 * month without a recorded result breaks a run and disables the rules that need it.
 */
import { MONITORING_DIMENSION_LABEL, MONITORING_DIMENSIONS } from '../contract/labels';

export type Dim = (typeof MONITORING_DIMENSIONS)[number];
export type WeakReason = 'falling' | 'below_mean';

/**
 * The basic indicator's limit: 城市信用监测排名前 100 名 (DOMAIN.md §5, the 示范城市 hard indicators:
 * "最近一年城市信用状况监测预警排名位于…县级市前100名"). Every recorded month must be within it.
 */
export const BASIC_RANK_LIMIT = 100;

/** Months in a row within the target needed for the campaign goal ("连续三个月进入前 N 名"). */
export const STREAK_MONTHS = 3;

/** The fields of a result the rules read. */
export interface ResultLike {
  month: string;
  score: number;
  rank: number;
  total: number;
  dims: Record<Dim, number | null>;
}

// ---------- months ----------

/** 'YYYY-MM' plus n calendar months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const i = y * 12 + (m - 1) + n;
  return `${String(Math.floor(i / 12)).padStart(4, '0')}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/** '2027-03' → '2027年3月'. */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${y}年${m}月`;
}

/** '2027-03' → '3月'. */
export function shortMonth(month: string): string {
  return `${Number(month.slice(5, 7))}月`;
}

/** The last calendar day of a month, 'YYYY-MM-DD'. */
export function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${month}-${String(d).padStart(2, '0')}`;
}

/** '2027-Q1' → its three months, oldest first; null if malformed. */
export function quarterMonths(quarter: string): [string, string, string] | null {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (!m) return null;
  const first = `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}`;
  return [first, addMonths(first, 1), addMonths(first, 2)];
}

/** Rounds to 2 decimals (scores are published with at most 2). */
export const round2 = (n: number): number => Math.round(n * 100) / 100;

/** A score as shown: up to 2 decimals without trailing zeros. */
export function fmtScore(n: number): string {
  return String(round2(n));
}

/** A signed change: '+1.2', '-0.35', '0'. */
export function fmtDelta(n: number): string {
  const r = round2(n);
  return r > 0 ? `+${r}` : String(r);
}

// ---------- rank change ----------

/**
 * Rank change of each result from the PREVIOUS CALENDAR MONTH (positive = moved up, i.e. the
 * rank number got smaller); null when that month has no result. Input in any order; output keyed by month.
 */
export function rankChanges(results: readonly ResultLike[]): Map<string, number | null> {
  const byMonth = new Map(results.map((r) => [r.month, r]));
  const out = new Map<string, number | null>();
  for (const r of results) {
    const prev = byMonth.get(addMonths(r.month, -1));
    out.set(r.month, prev ? prev.rank - r.rank : null);
  }
  return out;
}

/** "上升3名" / "下降2名" / "持平" / "—". */
export function rankChangeText(change: number | null): string {
  if (change === null) return '—';
  if (change > 0) return `上升${change}名`;
  if (change < 0) return `下降${-change}名`;
  return '持平';
}

// ---------- streak ----------

export interface StreakResult {
  target: number;
  current: number;
  best: number;
  achieved: boolean;
  months: string[];
  basicLimit: number;
  basicOk: boolean;
  monthsOutsideBasic: string[];
  explanation: string;
}

/**
 * The rule "top `target` for three consecutive months" over the recorded results:
 * - a run is a sequence of consecutive calendar months each ranked within the target (rank ≤
 *   target); a missing month or a month outside the target ends it;
 * - current: the run ending at the LATEST recorded month (0 when that month is outside);
 * - best: the longest run; achieved: some run reached 3 months;
 * - months: the first three months of the first run that reached 3, else the longest run (the
 *   most recent of equally long ones);
 * - basicOk: there is at least one result and every recorded month is within the top 100
 *   (BASIC_RANK_LIMIT); monthsOutsideBasic lists the others.
 */
export function computeStreak(results: readonly ResultLike[], target: number): StreakResult {
  const sorted = [...results].sort((a, b) => a.month.localeCompare(b.month));
  const runs: string[][] = [];
  let run: string[] = [];
  let prevMonth: string | null = null;
  for (const r of sorted) {
    const contiguous = prevMonth !== null && addMonths(prevMonth, 1) === r.month;
    if (!contiguous && run.length) {
      runs.push(run);
      run = [];
    }
    if (r.rank <= target) run.push(r.month);
    else if (run.length) {
      runs.push(run);
      run = [];
    }
    prevMonth = r.month;
  }
  if (run.length) runs.push(run);

  const latest = sorted[sorted.length - 1];
  const lastRun = runs[runs.length - 1];
  const current = latest && lastRun && lastRun[lastRun.length - 1] === latest.month ? lastRun.length : 0;
  const best = runs.reduce((m, x) => Math.max(m, x.length), 0);
  const firstAchieving = runs.find((x) => x.length >= STREAK_MONTHS);
  let months: string[] = [];
  if (firstAchieving) months = firstAchieving.slice(0, STREAK_MONTHS);
  else if (best > 0) months = [...runs].reverse().find((x) => x.length === best) ?? [];
  const outside = sorted.filter((r) => r.rank > BASIC_RANK_LIMIT).map((r) => r.month);
  const basicOk = sorted.length > 0 && outside.length === 0;

  const result: StreakResult = {
    target,
    current,
    best,
    achieved: firstAchieving !== undefined,
    months,
    basicLimit: BASIC_RANK_LIMIT,
    basicOk,
    monthsOutsideBasic: outside,
    explanation: '',
  };
  result.explanation = streakExplanation(result, latest ?? null);
  return result;
}

function span(months: readonly string[]): string {
  const first = months[0];
  const last = months[months.length - 1];
  if (!first || !last) return '';
  if (first === last) return monthLabel(first);
  return first.slice(0, 4) === last.slice(0, 4)
    ? `${monthLabel(first)}至${shortMonth(last)}`
    : `${monthLabel(first)}至${monthLabel(last)}`;
}

function streakExplanation(s: StreakResult, latest: ResultLike | null): string {
  if (!latest) return `尚未录入监测结果，无法判断“连续${STREAK_MONTHS}个月进入前${s.target}名”目标。`;
  const parts: string[] = [];
  if (s.achieved) {
    parts.push(`已于${span(s.months)}连续${STREAK_MONTHS}个月进入前${s.target}名，达成目标`);
    if (s.current > 0) parts.push(`目前已连续${s.current}个月保持在前${s.target}名`);
    else parts.push(`但${monthLabel(latest.month)}排名第${latest.rank}名，已退出前${s.target}名，需尽快回升`);
  } else if (s.current > 0) {
    const left = STREAK_MONTHS - s.current;
    parts.push(
      `已连续${s.current}个月进入前${s.target}名，再保持${left}个月即达成“连续${STREAK_MONTHS}个月进入前${s.target}名”目标`,
    );
  } else {
    parts.push(
      `${monthLabel(latest.month)}排名第${latest.rank}名，未进入前${s.target}名；需连续${STREAK_MONTHS}个月进入前${s.target}名方可达成目标`,
    );
    if (s.best > 0) parts.push(`此前最长连续${s.best}个月进入前${s.target}名（${span(s.months)}）`);
  }
  parts.push(
    s.basicOk
      ? `各月排名均在前${s.basicLimit}名以内，满足基础指标要求`
      : `${s.monthsOutsideBasic.map(monthLabel).join('、')}排名在${s.basicLimit}名以外，不满足“城市信用监测排名前${s.basicLimit}名”基础指标要求`,
  );
  return `${parts.join('；')}。`;
}

// ---------- weak points ----------

export interface WeakFinding {
  month: string;
  dimension: Dim;
  label: string;
  score: number;
  history: { month: string; score: number }[];
  mean3: number | null;
  reasons: WeakReason[];
  explanation: string;
}

/**
 * The weak dimensions of `month` (which must have a result), judged from the results of that
 * month and the months before it:
 * - falling ("连续两个月下降"): the previous two calendar months m-2 and m-1 have a score for the
 *   dimension and m-2 > m-1 > m (strictly; round to 2 decimals first);
 * - below_mean ("低于近3个月均值"): mean3 is the mean of the dimension's scores in the three
 *   calendar months BEFORE m (m-3, m-2, m-1); it is defined only when all three have a score, and
 *   the dimension is weak when its score in m is strictly below mean3 (both rounded to 2 decimals).
 * A dimension without a score in m is never weak; a missing earlier month or score disables the
 * rule that needs it (mean3 is then null). Dimensions come out in the fixed order of the five.
 */
export function weakFindings(results: readonly ResultLike[], month: string): WeakFinding[] {
  const byMonth = new Map(results.map((r) => [r.month, r]));
  const now = byMonth.get(month);
  if (!now) return [];
  const score = (m: string, d: Dim): number | null => {
    const v = byMonth.get(m)?.dims[d];
    return v === null || v === undefined ? null : round2(v);
  };
  const m1 = addMonths(month, -1);
  const m2 = addMonths(month, -2);
  const m3 = addMonths(month, -3);
  const out: WeakFinding[] = [];
  for (const d of MONITORING_DIMENSIONS) {
    const s = score(month, d);
    if (s === null) continue;
    const s1 = score(m1, d);
    const s2 = score(m2, d);
    const s3 = score(m3, d);
    const falling = s1 !== null && s2 !== null && s2 > s1 && s1 > s;
    const mean3 = s1 !== null && s2 !== null && s3 !== null ? round2((s1 + s2 + s3) / 3) : null;
    const below = mean3 !== null && s < mean3;
    if (!falling && !below) continue;
    const reasons: WeakReason[] = [];
    if (falling) reasons.push('falling');
    if (below) reasons.push('below_mean');
    const months = below ? [m3, m2, m1, month] : [m2, m1, month];
    const history = months.map((m) => ({ month: m, score: score(m, d) ?? 0 }));
    const label = MONITORING_DIMENSION_LABEL[d];
    const texts: string[] = [];
    if (falling)
      texts.push(
        `连续两个月下降：${shortMonth(m2)}${fmtScore(s2!)}分→${shortMonth(m1)}${fmtScore(s1!)}分→${shortMonth(month)}${fmtScore(s)}分，两个月累计下降${fmtScore(s2! - s)}分`,
      );
    if (below)
      texts.push(
        `低于近3个月均值：${shortMonth(month)}${fmtScore(s)}分，低于${shortMonth(m3)}至${shortMonth(m1)}均值${fmtScore(mean3!)}分（${fmtDelta(s - mean3!)}分）`,
      );
    out.push({
      month,
      dimension: d,
      label,
      score: s,
      history,
      mean3,
      reasons,
      explanation: `「${label}」${texts.join('；')}。`,
    });
  }
  return out;
}

// ---------- proposals ----------

/** What the team usually does about a weak dimension, and where to look for an owner and indicators. */
export interface DimensionPlaybook {
  /** The measures, as numbered Chinese sentences. */
  measures: string[];
  /** A short name of the task. */
  task: string;
  /** The task's completion standard. */
  standard: string;
  /** Department name keywords, most suitable first. */
  deptKeywords: string[];
  /** Indicator title/standard keywords linked to this dimension. */
  indicatorKeywords: string[];
}

export const PLAYBOOK: Record<Dim, DimensionPlaybook> = {
  incentive: {
    measures: [
      '全面梳理辖区内失信被执行人和严重失信主体名单，逐户建立台账，主动指导失信主体开展信用修复，提高信用修复完成率',
      '归集守信联合激励和失信联合惩戒典型案例，按月向省信用平台和“信用中国”报送，确保案例数量和质量',
      '督促各执法部门在行政管理中落实信用承诺、信用核查和联合奖惩措施，留存应用记录',
    ],
    task: '失信主体信用修复和联合奖惩案例归集专项行动',
    standard:
      '完成辖区失信主体台账梳理并逐户告知信用修复渠道，信用修复率较上月提升；报送联合奖惩典型案例不少于5个，应用记录可查。',
    deptKeywords: ['发展和改革', '发改', '法院', '市场监督'],
    indicatorKeywords: ['失信', '惩戒', '修复', '奖惩', '黑名单'],
  },
  system: {
    measures: [
      '加快出台信用分级分类监管、信用承诺等配套制度文件，按要求完成合法性审查并在信用网站公开',
      '对照“双公示”和五类数据归集要求，督促各部门及时、准确、完整上报信用信息，消除漏报、迟报和错报',
      '核查信用信息共享平台与省、国家平台的数据交换情况，确保归集上报数据按日交换',
    ],
    task: '信用制度文件出台和信用信息归集上报专项整改',
    standard:
      '本月出台（或提请审议）信用制度文件不少于1件；行政许可、行政处罚等信用信息7个工作日内上报率和合规率均达到100%，漏报迟报清零。',
    deptKeywords: ['发展和改革', '发改', '政务服务', '信息中心'],
    indicatorKeywords: ['制度', '归集', '上报', '共享平台', '联通', '接入', '统一社会信用代码'],
  },
  culture: {
    measures: [
      '围绕“诚信建设万里行”、“信用记录关爱日”等主题集中开展诚信宣传活动，进机关、进企业、进社区、进校园',
      '及时向省信用办和“信用中国”报送信用工作信息、诚信典型和诚信宣传稿件，保持信息报送数量稳定',
      '加强信用网站和新媒体账号内容审核，落实“三审三校”',
    ],
    task: '诚信宣传活动和信用信息报送专项行动',
    standard:
      '本月组织诚信主题宣传活动不少于2场并留存图片、新闻报道；向上级报送信用工作信息和诚信典型稿件不少于10篇，全部经审核发布。',
    deptKeywords: ['宣传部', '融媒体', '发展和改革', '发改'],
    indicatorKeywords: ['宣传', '诚信', '网站', '意识形态'],
  },
  service: {
    measures: [
      '拓展“信易+”应用场景（信易贷、信易批、信易游等），推动守信主体在审批、融资、消费等领域享受便利，做好案例统计',
      '在政府采购、招标投标、评先评优、资金扶持等事项中推广使用信用报告和信用核查，留存查询和应用记录',
      '培育和规范信用服务机构，推动信用服务产品在重点行业落地',
    ],
    task: '“信易+”场景建设和信用报告应用推广',
    standard:
      '本月新增或完善“信易+”应用场景不少于1个并形成案例材料；在政府采购、招标投标等领域应用信用报告和信用核查不少于20次，记录可查。',
    deptKeywords: ['发展和改革', '发改', '金融', '财政'],
    indicatorKeywords: ['信易', '信用报告', '信用服务', '场景', '应用'],
  },
  environment: {
    measures: [
      '开展政务诚信专项治理，清理政府机构失信案件，防止新增政府失信被执行人',
      '排查政府采购、招商引资等重大合同履约情况，防范政府违约、拖欠行为',
      '落实拖欠中小企业账款动态清零，畅通投诉渠道并按时办结，持续优化营商环境',
    ],
    task: '政务诚信、合同履约和账款拖欠专项治理',
    standard:
      '政府机构失信案件和拖欠中小企业账款实现动态清零，无新增；重大合同履约情况排查全覆盖并形成台账；相关投诉线索100%按时办结。',
    deptKeywords: ['发展和改革', '发改', '财政', '司法'],
    indicatorKeywords: ['政务诚信', '零失信', '合同', '账款', '拖欠', '债务', '违约', '营商环境'],
  },
};

/** Keywords that identify the basic indicator of the monitoring rank (基础-05 城市信用监测排名前 100 名). */
export const RANKING_INDICATOR_KEYWORDS = ['监测排名', '信用监测', '监测预警'];

export interface ProposalText {
  problem: string;
  measures: string;
  taskTitle: string;
  taskStandard: string;
}

/** The proposed rectification text of a weak finding. */
export function proposalText(f: WeakFinding): ProposalText {
  const p = PLAYBOOK[f.dimension];
  return {
    problem: `${monthLabel(f.month)}城市信用监测“${f.label}”维度得分${fmtScore(f.score)}分，${f.explanation.replace(`「${f.label}」`, '')}`,
    measures: p.measures.map((m, i) => `${i + 1}. ${m}。`).join('\n'),
    taskTitle: `${p.task}（${f.label}）`,
    taskStandard: p.standard,
  };
}

/** Picks the department for a dimension: the first keyword that matches a department name. */
export function pickDepartment(
  dimension: Dim,
  departments: readonly { id: string; name: string; shortName: string | null }[],
): string | null {
  for (const k of PLAYBOOK[dimension].deptKeywords) {
    const d = departments.find((x) => x.name.includes(k) || (x.shortName ?? '').includes(k));
    if (d) return d.id;
  }
  return null;
}

/**
 * The indicators a weak dimension concerns: the ranking indicator(s) (title naming the monitoring
 * rank) first, then every indicator whose title or standard contains one of the dimension's keywords.
 */
export function pickIndicators(
  dimension: Dim,
  indicators: readonly { id: string; title: string; standard: string | null }[],
): string[] {
  const ranking = indicators.filter((i) => RANKING_INDICATOR_KEYWORDS.some((k) => i.title.includes(k)));
  const keys = PLAYBOOK[dimension].indicatorKeywords;
  const related = indicators.filter((i) =>
    keys.some((k) => i.title.includes(k) || (i.standard ?? '').includes(k)),
  );
  return [...new Set([...ranking, ...related].map((i) => i.id))];
}
