/**
 * The supervision reports, built as the shared document model (main/core/documents) and written
 * by the one docx writer with the GB/T 9704 preset:
 *   每周工作调度报告   whole city, from the frozen week and its comparison with the week before;
 *   整改分析报告       one department: weak points, problems, recommendations, task table;
 *   澄清报告           the review panel's items with their clarifications and evidence.
 * Figures come from the same functions the screens use (leagueTable, compareWeek, the
 * rectification list), so a report never disagrees with the screen.
 */
import { STATUS_LABEL } from '../contract/labels';
import {
  bold,
  byline,
  doc,
  heading,
  list,
  paragraph,
  signature,
  table,
  title,
  addressee,
  type Block,
  type CellInput,
  type DocModel,
} from '../documents/model';
import { listAttachments } from '../blobs/attachments';
import { listRectifications, type Rectification } from '../rectification/rectifications';
import { getSettings } from '../workspace/settings';
import type { Workspace } from '../workspace/workspace';
import { compareWeek, type SnapshotTask } from './dispatch';
import { leagueTable, type LeagueRow } from './league';
import { periodFromKey } from '../tasks/periods';
import { localToday } from '../tasks/tasks';
import { AppError } from '../util/errors';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function cnDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

function cnShort(date: string | null): string {
  if (!date) return '—';
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日`;
}

function reasonText(reason: string | null): string {
  if (!reason) return '';
  const [kind, n] = reason.split(':');
  if (kind === 'overdue') return `逾期${n}天`;
  if (kind === 'stale') return `${n}天无进展`;
  if (kind === 'due_soon') return n === '0' ? '今日到期' : `${n}天后到期`;
  return '';
}

/** "2027年第10周（3月8日—3月14日）" → "（2027年第10周，3月8日—3月14日）" */
function weekByline(label: string): string {
  return `（${label.replace('（', '，').replace('）', '')}）`;
}

function issuer(city: string): string {
  return `${city}社会信用体系建设领导小组办公室`;
}

function taskTable(
  caption: string,
  tasks: SnapshotTask[],
  withDept = true,
  shortNames?: Map<string, string>,
): Block {
  const header: CellInput[] = [
    '序号',
    '编号',
    '任务名称',
    ...(withDept ? ['牵头单位'] : []),
    '状态',
    '截止日期',
    '说明',
  ];
  const rows: CellInput[][] = tasks.map((t, i) => [
    String(i + 1),
    t.code,
    t.title,
    ...(withDept ? [(t.deptId && shortNames?.get(t.deptId)) || t.deptName || '未指定'] : []),
    STATUS_LABEL[t.status as keyof typeof STATUS_LABEL] ?? t.status,
    cnShort(t.dueDate),
    reasonText(t.lightReason) || `进度${t.progress}%`,
  ]);
  return table(
    [
      { width: 0.6, align: 'center' },
      { width: 1.3, align: 'center' },
      { width: 4 },
      ...(withDept ? [{ width: 1.8 }] : []),
      { width: 1.3, align: 'center' },
      { width: 1.3, align: 'center' },
      { width: 1.5, align: 'center' },
    ],
    [header, ...rows],
    { caption, fontSize: 'xiaosi' },
  );
}

function leagueTableBlock(caption: string, rows: LeagueRow[]): Block {
  return table(
    [
      { width: 0.7, align: 'center' },
      { width: 3 },
      { width: 1, align: 'center' },
      { width: 1, align: 'center' },
      { width: 1.2, align: 'center' },
      { width: 1.3, align: 'center' },
      { width: 1, align: 'center' },
      { width: 1.3, align: 'center' },
    ],
    [
      ['名次', '单位', '任务数', '已办结', '完成率', '按时办结率', '逾期', '平均延误(天)'],
      ...rows.map((r) => [
        String(r.rank),
        r.shortName ?? r.deptName,
        String(r.total),
        String(r.done),
        pct(r.completionRate),
        pct(r.onTimeRate),
        String(r.overdue),
        r.avgDelayDays === null ? '—' : r.avgDelayDays.toFixed(1),
      ]),
    ],
    { caption, fontSize: 'xiaosi' },
  );
}

/** 每周工作调度报告 for a frozen week. */
export function weeklyReportModel(ws: Workspace, week: string, now: Date): DocModel {
  const s = getSettings(ws);
  const cmp = compareWeek(ws, week);
  const w = cmp.week;
  const sum = w.summary;
  const p = periodFromKey(week);
  const asOf = localToday(now) < w.weekEnd ? localToday(now) : w.weekEnd;
  const league = leagueTable(ws, { from: s.periodStart, to: w.weekEnd }, now);
  const red = sum.byLight.red ?? 0;
  const yellow = sum.byLight.yellow ?? 0;
  const shortNames = deptShortNames(ws);
  const worst = league
    .filter((r) => r.overdue > 0)
    .sort((a, b) => b.overdue - a.overdue)
    .slice(0, 5);
  const blocks: Block[] = [
    title(`${s.city}社会信用体系建设示范区创建`, '每周工作调度报告'),
    byline(weekByline(p?.label ?? week)),
    heading(1, '总体进展'),
    paragraph([
      `截至${cnDate(asOf)}，${s.campaignName}共督办任务`,
      bold(`${sum.total}项`),
      `，已办结`,
      bold(`${sum.done}项`),
      `，完成率${pct(sum.completionRate)}；亮灯情况为红灯${red}项、黄灯${yellow}项；逾期未办结${sum.overdue}项。`,
      cmp.previous
        ? `与${cmp.previous.label}相比，本周新办结${cmp.newlyDone.length}项，新增逾期${cmp.newlyOverdue.length}项，${cmp.stalled.length}项任务状态和进度均无变化。`
        : `本周新办结${cmp.newlyDone.length}项，新增逾期${cmp.newlyOverdue.length}项，${cmp.stalled.length}项任务本周无进展反馈。`,
    ]),
    heading(1, '各单位完成情况'),
    paragraph(`按${cnDate(s.periodStart)}至${cnDate(w.weekEnd)}到期的督办任务统计，各单位完成情况如下。`),
    leagueTableBlock('表1 各单位任务完成情况', league),
  ];
  blocks.push(heading(1, '本周新办结任务'));
  blocks.push(
    cmp.newlyDone.length
      ? taskTable(`表2 本周新办结任务（${cmp.newlyDone.length}项）`, cmp.newlyDone, true, shortNames)
      : paragraph('本周无新办结任务。'),
  );
  blocks.push(heading(1, '逾期和停滞任务'));
  blocks.push(heading(2, '新增逾期任务'));
  blocks.push(
    cmp.newlyOverdue.length
      ? taskTable(`表3 本周新增逾期任务（${cmp.newlyOverdue.length}项）`, cmp.newlyOverdue, true, shortNames)
      : paragraph('本周无新增逾期任务。'),
  );
  blocks.push(heading(2, '停滞任务'));
  blocks.push(
    cmp.stalled.length
      ? taskTable(`表4 停滞任务（${cmp.stalled.length}项）`, cmp.stalled, true, shortNames)
      : paragraph('本周无停滞任务。'),
  );
  blocks.push(heading(1, '下周工作安排'));
  const next: string[] = [];
  if (worst.length) {
    next.push(
      `重点督促${worst.map((r) => `${r.shortName ?? r.deptName}（逾期${r.overdue}项）`).join('、')}加快办理逾期任务，逐项明确完成时限。`,
    );
  }
  if (cmp.stalled.length)
    next.push(`对${cmp.stalled.length}项停滞任务逐一电话督办，要求责任单位本周内反馈进展和佐证材料。`);
  if (yellow) next.push(`对${yellow}项临近到期（黄灯）任务提前提醒，防止转为逾期。`);
  next.push('继续做好任务完成情况复核，对佐证材料不齐全的任务及时退回补充。');
  blocks.push(list(true, next));
  blocks.push(signature(issuer(s.city), asOf));
  return doc({ title: `${s.city}每周工作调度报告（${week}）`, created: now }, blocks);
}

/** 整改分析报告 for one department, from the frozen week. */
export function deptReportModel(ws: Workspace, week: string, deptId: string, now: Date): DocModel {
  const s = getSettings(ws);
  const dept = ws.db
    .prepare('SELECT name, short_name FROM departments WHERE id = ? AND deleted = 0')
    .get(deptId) as { name: string; short_name: string | null } | undefined;
  if (!dept) throw new AppError('NOT_FOUND', '该部门单位不存在或已被删除。');
  const cmp = compareWeek(ws, week);
  const p = periodFromKey(week);
  const asOf = localToday(now) < cmp.week.weekEnd ? localToday(now) : cmp.week.weekEnd;
  const mine = cmp.tasks.filter((t) => t.deptId === deptId);
  const league = leagueTable(ws, { from: s.periodStart, to: cmp.week.weekEnd }, now);
  const me = league.find((r) => r.deptId === deptId);
  const overdue = mine.filter((t) => t.lightReason?.startsWith('overdue:'));
  const stale = mine.filter((t) => t.lightReason?.startsWith('stale:'));
  const soon = mine.filter((t) => t.light === 'yellow');
  const stalledIds = new Set(cmp.stalled.map((t) => t.id));
  const stalled = mine.filter((t) => stalledIds.has(t.id));
  const rects = listRectifications(ws, { deptId }, asOf).filter((r) => r.status !== 'closed');
  const done = mine.filter((t) => t.status === 'done').length;
  const blocks: Block[] = [
    title(`${dept.name}`, '创建任务整改分析报告'),
    byline(weekByline(p?.label ?? week)),
    heading(1, '任务完成情况'),
    paragraph(
      `截至${cnDate(asOf)}，${dept.name}牵头督办任务${mine.length}项，已办结${done}项，` +
        `完成率${pct(mine.length ? done / mine.length : null)}；红灯${mine.filter((t) => t.light === 'red').length}项、` +
        `黄灯${soon.length}项，逾期${overdue.length}项。` +
        (me ? `在全市${league.length}个有任务的单位中完成率排第${me.rank}名。` : ''),
    ),
    heading(1, '薄弱环节和主要问题'),
  ];
  const problems: string[] = [];
  if (overdue.length) {
    problems.push(
      `逾期未办结任务${overdue.length}项：${overdue
        .slice(0, 8)
        .map((t) => `“${t.title}”（${reasonText(t.lightReason)}）`)
        .join('；')}${overdue.length > 8 ? '等' : ''}。`,
    );
  }
  if (stale.length)
    problems.push(`有${stale.length}项任务长期无进展反馈，督办信息不畅，存在底数不清的风险。`);
  if (stalled.length) problems.push(`本周有${stalled.length}项任务状态和进度均无变化。`);
  if (rects.length) {
    problems.push(
      `尚有${rects.length}项整改事项未销号${rects.some((r) => r.overdue) ? `，其中${rects.filter((r) => r.overdue).length}项已超过整改时限` : ''}。`,
    );
  }
  blocks.push(problems.length ? list(true, problems) : paragraph('本周未发现突出问题，各项任务按计划推进。'));
  blocks.push(heading(1, '整改建议'));
  const advice: string[] = [];
  for (const t of overdue.slice(0, 10)) {
    advice.push(`“${t.title}”已${reasonText(t.lightReason)}，请明确新的完成时限，尽快办结并报送佐证材料。`);
  }
  if (stale.length || stalled.length)
    advice.push('建立周报制度，每周至少反馈一次任务进展，附必要的佐证材料。');
  for (const r of rects.slice(0, 10)) advice.push(rectAdvice(r));
  if (soon.length) advice.push(`有${soon.length}项任务临近到期，请提前安排，确保按期完成。`);
  if (!advice.length) advice.push('保持现有工作节奏，做好已办结任务的佐证材料归档。');
  blocks.push(list(true, advice));
  blocks.push(heading(1, '任务明细'));
  blocks.push(
    mine.length
      ? taskTable(`表1 ${dept.short_name ?? dept.name}督办任务明细`, mine, false)
      : paragraph('本单位暂无督办任务。'),
  );
  blocks.push(signature(issuer(s.city), asOf));
  return doc({ title: `${dept.name}整改分析报告（${week}）`, created: now }, blocks);
}

function deptShortNames(ws: Workspace): Map<string, string> {
  const rows = ws.db.prepare('SELECT id, name, short_name FROM departments').all() as {
    id: string;
    name: string;
    short_name: string | null;
  }[];
  return new Map(rows.map((r) => [r.id, r.short_name ?? r.name]));
}

function rectAdvice(r: Rectification): string {
  return `整改事项“${r.problem.slice(0, 40)}${r.problem.length > 40 ? '…' : ''}”${
    r.deadline ? `须于${cnDate(r.deadline)}前` : '须尽快'
  }完成整改${r.overdue ? '（已超期）' : ''}${r.measures ? `，落实“${r.measures.slice(0, 40)}”等措施` : ''}。`;
}

/** 澄清报告 on the review panel's items. */
export function clarificationReportModel(ws: Workspace, ids: readonly string[], now: Date): DocModel {
  const s = getSettings(ws);
  const today = localToday(now);
  const all = listRectifications(ws, {}, today);
  const items = ids.map((id) => {
    const r = all.find((x) => x.id === id);
    if (!r) throw new AppError('NOT_FOUND', '所选整改事项中有不存在或已删除的事项。');
    return r;
  });
  const notPanel = items.filter((r) => r.source !== 'review_panel');
  if (notPanel.length) {
    throw new AppError(
      'BAD_INPUT',
      `澄清报告只针对国家评审反馈的问题；${notPanel.map((r) => r.code).join('、')} 的来源不是“国家评审反馈”。`,
    );
  }
  const blocks: Block[] = [
    title(`${s.city}关于社会信用体系建设示范区`, '评审反馈问题的澄清报告'),
    addressee('国家社会信用体系建设示范区评审组：'),
    paragraph(
      `${s.city}高度重视评审组反馈的问题，逐项对照核实，对确属工作不到位的问题立行立改，对因材料表述不充分造成误解的问题补充说明和佐证材料。现将有关情况报告如下。`,
    ),
  ];
  items.forEach((r) => {
    const long = r.problem.length > 60;
    blocks.push(heading(1, long ? `${r.problem.slice(0, 60)}…` : r.problem));
    if (long) blocks.push(paragraph([bold('反馈问题：'), r.problem]));
    blocks.push(paragraph([bold('澄清说明：'), r.clarification ?? '（待补充）']));
    blocks.push(
      paragraph([
        bold('整改情况：'),
        `${r.deptName ? `由${r.deptName}负责，` : ''}${r.measures ?? '正在制定整改措施'}。`,
        r.status === 'closed'
          ? `该问题已整改到位并验收销号${r.verification ? `（${r.verification}）` : ''}。`
          : `目前状态为“${rectStatusText(r)}”${r.deadline ? `，整改时限为${cnDate(r.deadline)}` : ''}。`,
      ]),
    );
    const evidence = listAttachments(ws, 'rectification', [r.id]);
    if (evidence.length) {
      blocks.push(paragraph([bold('佐证材料：')]));
      blocks.push(
        list(
          true,
          evidence.map((a) => a.name),
        ),
      );
    }
  });
  blocks.push(signature(issuer(s.city), today));
  return doc({ title: `${s.city}评审反馈问题澄清报告`, created: now }, blocks);
}

function rectStatusText(r: Rectification): string {
  return { open: '待整改', in_progress: '整改中', verifying: '待验收', closed: '已销号' }[r.status];
}
