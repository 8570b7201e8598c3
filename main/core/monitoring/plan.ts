/** The month's 指标提升方案 (improvement plan), created as a draft material from the results. */
import { MONITORING_DIMENSION_LABEL, MONITORING_DIMENSIONS, RECT_STATUS_LABEL } from '../contract/labels';
import type { Material } from '../contract/materials';
import type { PmNode } from '../docs/pm';
import { createMaterial, getMaterial, replaceContent } from '../materials/materials';
import { AppError } from '../util/errors';
import { getSettings } from '../workspace/settings';
import type { Workspace } from '../workspace/workspace';
import { loadResults, weakPointsOf } from './monitoring';
import {
  addMonths,
  computeStreak,
  fmtDelta,
  fmtScore,
  monthLabel,
  rankChangeText,
  RANKING_INDICATOR_KEYWORDS,
} from './rules';

const text = (t: string): PmNode => ({ type: 'text', text: t });
const para = (t: string): PmNode => ({ type: 'paragraph', content: t ? [text(t)] : [] });
const heading = (level: number, t: string): PmNode => ({
  type: 'heading',
  attrs: { level },
  content: [text(t)],
});
const tableCell = (t: string, header: boolean): PmNode => ({
  type: header ? 'tableHeader' : 'tableCell',
  attrs: { colspan: 1, rowspan: 1, colwidth: null },
  content: [para(t)],
});
const pmTable = (rows: string[][]): PmNode => ({
  type: 'table',
  content: rows.map((r, i) => ({ type: 'tableRow', content: r.map((c) => tableCell(c, i === 0)) })),
});

/** Ids of the indicators that name the monitoring rank (基础-05 城市信用监测排名前 100 名). */
export function rankingIndicatorIds(ws: Workspace): string[] {
  const version = getSettings(ws).indicatorVersion;
  const rows = ws.db
    .prepare(
      "SELECT id, title FROM indicators WHERE deleted = 0 AND kind <> 'category' AND system_version = ? ORDER BY sort, code",
    )
    .all(version) as { id: string; title: string }[];
  return rows.filter((r) => RANKING_INDICATOR_KEYWORDS.some((k) => r.title.includes(k))).map((r) => r.id);
}

/**
 * Creates 「2027年3月城市信用监测指标提升方案」 (draft, type improvement_plan) with its content built
 * from that month's result, the five dimensions against the previous month, the weak points with
 * their proposals and decisions, and the streak status; linked to the ranking indicator(s) and
 * to the tasks created from the month's accepted weak points. A month without a result is refused.
 */
export function createImprovementPlan(ws: Workspace, month: string, now: Date): Material {
  const s = getSettings(ws);
  const all = loadResults(ws);
  const r = all.find((x) => x.month === month);
  if (!r)
    throw new AppError(
      'NOT_FOUND',
      `${monthLabel(month)}还没有监测结果，无法生成指标提升方案。请先录入或导入该月的监测结果。`,
    );
  const upTo = all.filter((x) => x.month <= month);
  const prev = all.find((x) => x.month === addMonths(month, -1)) ?? null;
  const streak = computeStreak(upTo, s.rankingTarget);
  const weak = weakPointsOf(ws, all, month, now);
  const deptName = (id: string | null) =>
    id
      ? ((ws.db.prepare('SELECT name FROM departments WHERE id = ?').get(id) as { name: string } | undefined)
          ?.name ?? '待明确')
      : '待明确';
  const codeOf = (table: 'rectifications' | 'tasks', id: string | null) =>
    id
      ? (ws.db.prepare(`SELECT code, status FROM ${table} WHERE id = ?`).get(id) as
          { code: string; status: string } | undefined)
      : undefined;

  const label = monthLabel(month);
  const content: PmNode[] = [
    para(
      `根据国家城市信用状况监测平台发布的${label}监测结果，${s.city}综合信用指数${fmtScore(r.score)}分，` +
        `在${r.total}个参评城市中排第${r.rank}名` +
        (r.rankChange !== null ? `，较上月${rankChangeText(r.rankChange)}` : '') +
        `。为补齐短板弱项、稳步提升监测排名，确保实现“连续三个月进入前${s.rankingTarget}名”目标，制定本方案。`,
    ),
    heading(1, '监测结果总体情况'),
    para(
      `${label}，我市综合得分${fmtScore(r.score)}分，排名第${r.rank}名（参评城市${r.total}个）` +
        (prev
          ? `；上月综合得分${fmtScore(prev.score)}分、排名第${prev.rank}名，得分变化${fmtDelta(r.score - prev.score)}分`
          : '；上月无监测结果，暂无法比较') +
        `。${r.rank <= s.rankingTarget ? `本月已进入前${s.rankingTarget}名。` : `距前${s.rankingTarget}名目标还差${r.rank - s.rankingTarget}个名次。`}`,
    ),
    para(`目标达成情况：${streak.explanation}`),
    heading(1, '分维度得分情况'),
    pmTable([
      ['维度', '上月得分', '本月得分', '变化', '判断'],
      ...MONITORING_DIMENSIONS.map((d) => {
        const now1 = r.dims[d];
        const before = prev?.dims[d] ?? null;
        const w = weak.find((x) => x.dimension === d);
        return [
          MONITORING_DIMENSION_LABEL[d],
          before === null ? '—' : fmtScore(before),
          now1 === null ? '—' : fmtScore(now1),
          now1 === null || before === null ? '—' : fmtDelta(now1 - before),
          w ? '薄弱' : now1 === null ? '未录入' : '正常',
        ];
      }),
    ]),
    heading(1, '薄弱环节分析'),
  ];
  if (weak.length === 0)
    content.push(
      para(
        '本月五个维度均未出现连续两个月下降或低于近3个月均值的情况，未发现薄弱环节。下一步重点巩固现有成效。',
      ),
    );
  for (const w of weak) {
    content.push(heading(2, w.label), para(w.explanation));
  }
  content.push(heading(1, '提升措施'));
  if (weak.length === 0)
    content.push(
      para('持续做好信用信息归集报送、联合奖惩案例报送和诚信宣传等日常工作，确保各维度得分稳中有升。'),
    );
  for (const w of weak) {
    content.push(heading(2, w.label));
    for (const line of w.proposal.measures.split('\n')) content.push(para(line));
    const rect = codeOf('rectifications', w.rectId);
    const task = codeOf('tasks', w.taskId);
    const decision =
      w.decision === 'accepted' && rect
        ? `已转为整改事项${rect.code}（${RECT_STATUS_LABEL[rect.status as keyof typeof RECT_STATUS_LABEL] ?? rect.status}）${task ? `，督办任务${task.code}` : ''}`
        : w.decision === 'dismissed'
          ? '经研究暂不列入整改'
          : '待研究确定';
    content.push(
      para(
        `责任单位：${deptName(w.proposal.deptId)}；完成时限：${w.proposal.deadline}；完成标准：${w.proposal.taskStandard}处理情况：${decision}。`,
      ),
    );
  }
  content.push(
    heading(1, '工作要求'),
    para(
      '各责任单位要对照本方案明确专人负责，按时限完成各项提升措施，并将佐证材料报市社会信用体系建设领导小组办公室。',
    ),
    para('领导小组办公室每月跟踪监测结果和各维度得分变化，对措施落实不力、得分持续下滑的单位予以通报督办。'),
  );

  const taskIds = weak.map((w) => w.taskId).filter((id): id is string => id !== null);
  const m = createMaterial(
    ws,
    '',
    {
      title: `${label}城市信用监测指标提升方案`,
      type: 'improvement_plan',
      ownerId: null,
      tags: ['指标提升方案', label],
      indicatorIds: rankingIndicatorIds(ws),
      taskIds,
      templateId: null,
    },
    now,
  );
  replaceContent(ws, m.id, { type: 'doc', content }, now.toISOString(), ws.actor().id);
  return getMaterial(ws, m.id);
}
