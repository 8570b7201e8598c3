/** The quarterly 预警监测排名分析报告 as a document model (rendered by the shared docx writer). */
import {
  MONITORING_DIMENSION_LABEL,
  MONITORING_DIMENSIONS,
  RECT_STATUS_LABEL,
  STATUS_LABEL,
} from '../contract/labels';
import type { MonitoringResult, WeakPoint } from '../contract/indicators';
import {
  bold,
  byline,
  cell,
  doc,
  heading,
  list,
  paragraph,
  signature,
  table,
  title,
  type Block,
  type CellInput,
  type DocModel,
} from '../documents/model';
import { localToday } from '../tasks/tasks';
import { AppError } from '../util/errors';
import { getSettings } from '../workspace/settings';
import type { Workspace } from '../workspace/workspace';
import { loadDecisions, loadResults, weakPointsOf } from './monitoring';
import {
  addMonths,
  computeStreak,
  fmtDelta,
  fmtScore,
  monthLabel,
  PLAYBOOK,
  quarterMonths,
  rankChangeText,
  round2,
  shortMonth,
  STREAK_MONTHS,
  type Dim,
} from './rules';

const CN_QUARTER = ['一', '二', '三', '四'];

interface Linked {
  code: string;
  status: string;
  deptName: string | null;
  deadline: string | null;
}

/**
 * 预警监测排名分析报告 of a quarter ('2027-Q1'): 一、总体情况 (the three months against the target
 * and the top-100 basic line), 二、分维度分析, 三、薄弱环节及整改情况 (weak points of each month of
 * the quarter with the rectification items and tasks made from them), 四、目标达成情况 (the streak
 * as of the quarter's last month), 五、下一步提升建议. Refused when the quarter has no result.
 */
export function rankingAnalysisModel(ws: Workspace, quarter: string, now: Date): DocModel {
  const months = quarterMonths(quarter);
  if (!months) throw new AppError('BAD_INPUT', `季度「${quarter}」格式不对，应写成 2027-Q1。`);
  const s = getSettings(ws);
  const year = months[0].slice(0, 4);
  const qn = CN_QUARTER[Number(quarter.slice(-1)) - 1] ?? '';
  const all = loadResults(ws);
  const inQ = months
    .map((m) => all.find((r) => r.month === m))
    .filter((r): r is MonitoringResult => r !== undefined);
  if (inQ.length === 0)
    throw new AppError(
      'NOT_FOUND',
      `${year}年第${qn}季度（${shortMonth(months[0])}至${shortMonth(months[2])}）没有任何监测结果，无法生成排名分析报告。请先录入或导入该季度的监测结果。`,
    );
  const upTo = all.filter((r) => r.month <= months[2]);
  const target = s.rankingTarget;
  const streak = computeStreak(upTo, target);
  const first = inQ[0]!;
  const last = inQ[inQ.length - 1]!;
  const missing = months.filter((m) => !inQ.some((r) => r.month === m));
  const beforeQ = all.find((r) => r.month === addMonths(months[0], -1)) ?? null;
  const decisions = loadDecisions(ws);
  const weak: WeakPoint[] = inQ.flatMap((r) => weakPointsOf(ws, all, r.month, now, undefined, decisions));

  const blocks: Block[] = [
    title(`${s.city}${year}年第${qn}季度`, '城市信用状况预警监测排名分析报告'),
    byline(`（${year}年${shortMonth(months[0])}—${shortMonth(months[2])}）`),
    paragraph(
      `根据国家城市信用状况监测平台按月发布的监测结果，现将${s.city}${year}年第${qn}季度城市信用状况预警监测排名情况分析如下。`,
    ),
  ];

  // 一、总体情况
  blocks.push(heading(1, '总体情况'));
  const best = inQ.reduce((a, b) => (b.rank < a.rank ? b : a));
  const avgRank = round2(inQ.reduce((n, r) => n + r.rank, 0) / inQ.length);
  const inTarget = inQ.filter((r) => r.rank <= target).length;
  const outBasic = inQ.filter((r) => r.rank > streak.basicLimit);
  const vsBefore = beforeQ
    ? `与上季度末（${monthLabel(beforeQ.month)}第${beforeQ.rank}名）相比${rankChangeText(beforeQ.rank - last.rank)}`
    : '';
  blocks.push(
    paragraph([
      `本季度共发布监测结果${inQ.length}期${missing.length ? `（${missing.map(shortMonth).join('、')}结果未录入）` : ''}。`,
      `${shortMonth(last.month)}我市综合信用指数`,
      bold(`${fmtScore(last.score)}分`),
      `，在${last.total}个参评城市中排`,
      bold(`第${last.rank}名`),
      `${vsBefore ? `，${vsBefore}` : ''}。季度内最好名次为${shortMonth(best.month)}第${best.rank}名，平均名次${avgRank}名；`,
      `${inTarget}个月进入前${target}名目标区间，`,
      outBasic.length
        ? `${outBasic.map((r) => shortMonth(r.month)).join('、')}排名在${streak.basicLimit}名以外，不满足基础指标要求。`
        : `各月均在前${streak.basicLimit}名基础线以内。`,
    ]),
  );
  const mark = (ok: boolean) => (ok ? '达到' : '未达到');
  blocks.push(
    table(
      [
        { width: 1.7, align: 'center' },
        { width: 1.2, align: 'center' },
        { width: 0.9, align: 'center' },
        { width: 1.3, align: 'center' },
        { width: 1.3, align: 'center' },
        { width: 1.3, align: 'center' },
        { width: 1.4, align: 'center' },
      ],
      [
        [
          '月份',
          '综合得分',
          '排名',
          '参评城市数',
          '排名变化',
          `前${target}名目标`,
          `前${streak.basicLimit}名基础线`,
        ],
        ...months.map((m): CellInput[] => {
          const r = inQ.find((x) => x.month === m);
          if (!r) return [monthLabel(m), cell('未录入', { colSpan: 6 })];
          return [
            monthLabel(m),
            fmtScore(r.score),
            String(r.rank),
            String(r.total),
            rankChangeText(r.rankChange),
            mark(r.rank <= target),
            mark(r.rank <= streak.basicLimit),
          ];
        }),
      ],
      { caption: `表1 ${year}年第${qn}季度监测排名情况`, fontSize: 'xiaosi' },
    ),
  );

  // 二、分维度分析
  blocks.push(heading(1, '分维度分析'));
  const dimChange = (d: Dim): { from: number; to: number; delta: number } | null => {
    const withScore = inQ.filter((r) => r.dims[d] !== null);
    const a = withScore[0];
    const b = withScore[withScore.length - 1];
    if (!a || !b || a === b) return null;
    const from = a.dims[d]!;
    const to = b.dims[d]!;
    return { from, to, delta: round2(to - from) };
  };
  const changes = MONITORING_DIMENSIONS.map((d) => ({ d, c: dimChange(d) }));
  const rises = changes.filter((x) => x.c && x.c.delta > 0).sort((a, b) => b.c!.delta - a.c!.delta);
  const falls = changes.filter((x) => x.c && x.c.delta < 0).sort((a, b) => a.c!.delta - b.c!.delta);
  const steady = changes.filter((x) => x.c && x.c.delta === 0);
  const dimText = (x: { d: Dim; c: { from: number; to: number; delta: number } | null }) =>
    `“${MONITORING_DIMENSION_LABEL[x.d]}”（${fmtScore(x.c!.from)}分→${fmtScore(x.c!.to)}分，${fmtDelta(x.c!.delta)}分）`;
  let analysis: string;
  if (inQ.length < 2) analysis = '本季度仅有一期监测结果，暂无法分析季度内各维度变化。';
  else {
    const clauses: string[] = [];
    if (rises.length) clauses.push(`${rises.map(dimText).join('、')}得分上升`);
    if (falls.length) clauses.push(`${falls.map(dimText).join('、')}得分下降`);
    if (steady.length)
      clauses.push(`${steady.map((x) => `“${MONITORING_DIMENSION_LABEL[x.d]}”`).join('、')}得分持平`);
    const top = falls[0];
    analysis = clauses.length
      ? `从${shortMonth(first.month)}到${shortMonth(last.month)}，${clauses.join('；')}。` +
        (top
          ? `其中“${MONITORING_DIMENSION_LABEL[top.d]}”降幅最大，是影响综合排名的主要短板。`
          : '各维度得分总体稳中有升。')
      : '本季度各月的分维度得分录入不完整，暂无法比较。';
  }
  blocks.push(paragraph(analysis));
  blocks.push(
    table(
      [
        { width: 3.2 },
        ...months.map(() => ({ width: 1.2, align: 'center' as const })),
        { width: 1.4, align: 'center' },
      ],
      [
        ['维度', ...months.map(shortMonth), '季度变化'],
        ...changes.map(({ d, c }): CellInput[] => [
          MONITORING_DIMENSION_LABEL[d],
          ...months.map((m) => {
            const v = inQ.find((r) => r.month === m)?.dims[d];
            return v === null || v === undefined ? '—' : fmtScore(v);
          }),
          c ? fmtDelta(c.delta) : '—',
        ]),
        [
          cell('综合得分', { bold: true }),
          ...months.map((m) => {
            const v = inQ.find((r) => r.month === m)?.score;
            return v === undefined ? '—' : fmtScore(v);
          }),
          inQ.length > 1 ? fmtDelta(last.score - first.score) : '—',
        ],
      ],
      { caption: `表2 ${year}年第${qn}季度分维度得分情况（单位：分）`, fontSize: 'xiaosi' },
    ),
  );

  // 三、薄弱环节及整改情况
  blocks.push(heading(1, '薄弱环节及整改情况'));
  const rectOf = ws.db.prepare(
    `SELECT r.code, r.status, r.deadline, COALESCE(d.short_name, d.name) AS deptName FROM rectifications r
     LEFT JOIN departments d ON d.id = r.dept_id WHERE r.id = ?`,
  );
  const taskOf = ws.db.prepare(
    `SELECT t.code, t.status, t.due_date AS deadline, COALESCE(d.short_name, d.name) AS deptName FROM tasks t
     LEFT JOIN departments d ON d.id = t.lead_dept_id WHERE t.id = ?`,
  );
  const deptOf = ws.db.prepare('SELECT COALESCE(short_name, name) AS name FROM departments WHERE id = ?');
  /** An undecided weak point shows the suggested lead department. */
  const proposedDept = (id: string | null) =>
    id ? `${(deptOf.get(id) as { name: string } | undefined)?.name ?? '—'}（建议）` : '—';
  if (weak.length === 0) {
    blocks.push(paragraph('按“连续两个月下降或低于近3个月均值”的判定规则，本季度各月均未发现薄弱维度。'));
  } else {
    const accepted = weak.filter((w) => w.decision === 'accepted').length;
    const dismissed = weak.filter((w) => w.decision === 'dismissed').length;
    blocks.push(
      paragraph(
        `按“连续两个月下降或低于近3个月均值”的判定规则，本季度共发现薄弱环节${weak.length}个，` +
          `已转为整改事项${accepted}个，经研究暂不整改${dismissed}个，待研究${weak.length - accepted - dismissed}个。具体情况如下：`,
      ),
    );
    const rows: CellInput[][] = weak.map((w) => {
      const rect = w.rectId ? (rectOf.get(w.rectId) as Linked | undefined) : undefined;
      const task = w.taskId ? (taskOf.get(w.taskId) as Linked | undefined) : undefined;
      const handling =
        w.decision === 'accepted' && rect
          ? `整改事项${rect.code}（${RECT_STATUS_LABEL[rect.status as keyof typeof RECT_STATUS_LABEL] ?? rect.status}）` +
            (task
              ? `\n任务${task.code}（${STATUS_LABEL[task.status as keyof typeof STATUS_LABEL] ?? task.status}）`
              : '')
          : w.decision === 'dismissed'
            ? '暂不整改'
            : '待研究';
      return [
        shortMonth(w.month),
        w.label,
        w.explanation.replace(`「${w.label}」`, ''),
        rect?.deptName ?? task?.deptName ?? (w.decision === null ? proposedDept(w.proposal.deptId) : '—'),
        handling,
      ];
    });
    blocks.push(
      table(
        [{ width: 0.9, align: 'center' }, { width: 2 }, { width: 4.2 }, { width: 1.8 }, { width: 2.2 }],
        [['月份', '维度', '问题表现', '责任单位', '整改情况'], ...rows],
        { caption: `表3 ${year}年第${qn}季度薄弱环节及整改情况`, fontSize: 'xiaosi' },
      ),
    );
  }

  // 四、目标达成情况
  blocks.push(heading(1, '目标达成情况'));
  blocks.push(
    paragraph(
      `我市创建目标为城市信用监测排名“连续${STREAK_MONTHS}个月进入前${target}名”，基础指标要求各月排名均在前${streak.basicLimit}名以内。截至${monthLabel(months[2])}：${streak.explanation}`,
    ),
  );

  // 五、下一步提升建议
  blocks.push(heading(1, '下一步提升建议'));
  const next: string[] = [];
  const weakDims = [...new Set(weak.map((w) => w.dimension))];
  const focus = [...new Set([...weakDims, ...falls.map((f) => f.d)])];
  for (const d of focus) {
    const p = PLAYBOOK[d];
    next.push(`补齐“${MONITORING_DIMENSION_LABEL[d]}”短板。${p.measures.slice(0, 2).join('；')}。`);
  }
  const open = weak.filter((w) => w.decision === 'accepted' && w.rectId);
  if (open.length)
    next.push(
      `加快已立项整改事项的办理，对${open.length}个由薄弱环节转化的整改事项实行每周调度、逐项销号，确保在下一期监测中见效。`,
    );
  if (weak.some((w) => w.decision === null))
    next.push('对尚未研究的薄弱环节尽快研究确定整改措施和责任单位，防止问题累积。');
  if (streak.achieved && streak.current > 0)
    next.push(`巩固排名成果，保持各维度得分稳定，确保持续保持在前${target}名以内。`);
  else if (streak.current > 0)
    next.push(
      `保持当前排名势头，再连续${STREAK_MONTHS - streak.current}个月进入前${target}名即可达成目标，各责任单位要确保数据报送不断档、得分不下滑。`,
    );
  else
    next.push(
      `对标前${target}名城市，逐项分析失分点，力争下一期监测进入前${target}名，并连续保持${STREAK_MONTHS}个月。`,
    );
  next.push('每月监测结果发布后5个工作日内完成分析研判，形成月度指标提升方案，报领导小组办公室。');
  blocks.push(list(true, next));

  blocks.push(signature(`${s.city}社会信用体系建设领导小组办公室`, localToday(now)));
  return doc(
    {
      title: `${s.city}${year}年第${qn}季度城市信用状况预警监测排名分析报告`,
      created: now,
      subject: '预警监测排名分析报告',
    },
    blocks,
  );
}
