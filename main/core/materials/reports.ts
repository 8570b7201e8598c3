/**
 * The two documents the review is built on, generated from the workspace's CURRENT data each time
 * as the shared document model (main/core/documents) and written by the one GB/T 9704 docx writer.
 *
 * 自评报告 (selfAssessmentModel):
 *   cover (city, title, date); title and opening paragraph;
 *   一、总体情况: campaign, period, units, the task figures of the dashboard (dashboardSummary: supervised,
 *     done, completion rate, overdue) and of the league (leagueTable over the same period), so the report
 *     never disagrees with the screens; rectifications opened and closed;
 *   二、基础指标达标情况: table 序号/指标/达标情况/说明, then per indicator its conclusion, narrative (or
 *     "（待补充自评说明）"), the tasks linked to it and its 佐证材料 (the linked materials' titles);
 *   三、评分指标自评情况 and 四、加分项: table 类别/指标/分值/自评分/理由 (categories merged) with a total,
 *     then the narratives; one sentence when none are entered;
 *   五、存在的问题和下一步工作: indicators not met, open rectifications, overdue tasks;
 *   附件说明, 落款 with the date, and the attached 自评得分汇总表.
 *
 * 评审材料汇编 (compiledMaterialsModel):
 *   cover; table of contents (a field Word/WPS fill in with page numbers on open); per indicator, in
 *   indicator order, a level-1 section "code title" with every linked material (a level-2 heading with
 *   its title, then its content with its own headings shifted two levels down, clamped at level 4),
 *   each material on a new page; 佐证材料索引: every attachment of those materials and of the tasks
 *   linked to the indicator (and their progress feedback), with size, owner and indicators; then the
 *   PNG/JPEG evidence inline with captions.
 */
import { INDICATOR_STATUS_LABEL, RECURRENCE_LABEL, STATUS_LABEL } from '../contract/labels';
import type { Indicator } from '../contract/records';
import { readBlob } from '../blobs/blobs';
import { docJson } from '../docs/store';
import { blobImages, dropRepeatedTitle, pmToBlocks } from '../documents/from-prosemirror';
import { imagePixelSize, sniffImageMime } from '../documents/images';
import { circledNumber } from '../documents/numbering';
import {
  attachmentHeading,
  attachmentNote,
  bold,
  doc,
  heading,
  list,
  pageBreak,
  paragraph,
  signature,
  table,
  title,
  toc,
  type Block,
  type CellInput,
  type DocModel,
  type TableCell,
} from '../documents/model';
import { listIndicators } from '../indicators/indicators';
import { listRectifications } from '../rectification/rectifications';
import { dashboardSummary } from '../supervision/dashboard';
import { leagueTable } from '../supervision/league';
import { localToday } from '../tasks/tasks';
import { AppError } from '../util/errors';
import { getSettings } from '../workspace/settings';
import type { Workspace } from '../workspace/workspace';

export const SELF_ASSESSMENT_TITLE = '关于参评社会信用体系建设示范区的自评报告';
export const COMPILED_TITLE = '社会信用体系建设示范区创建评审材料汇编';
/** Written where an indicator has no narrative yet. */
export const NARRATIVE_PENDING = '（待补充自评说明）';

// ---------------------------------------------------------------------------------------------
// Shared helpers
// ---------------------------------------------------------------------------------------------

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

/** 2027-03-31 → 2027年3月31日 */
function cnDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** 2027-03-31 → 2027.3.31 (compact, for table cells). */
function dotDate(date: string | null): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-').map(Number);
  return `${y}.${m}.${d}`;
}

/** 10 → "10", 2.5 → "2.5", 1.25 → "1.25". */
const score = (n: number) => String(Math.round(n * 100) / 100);

const issuer = (city: string) => `${city}社会信用体系建设领导小组办公室`;

/** A narrative as paragraphs: one per non-empty line, typed indents dropped (the writer indents). */
function narrativeBlocks(text: string | null): Block[] {
  const paras = (text ?? '')
    .split(/\r?\n/)
    .map((l) => l.replace(/^[\s\u3000]+|[\s\u3000]+$/g, ''))
    .filter((l) => l !== '');
  return paras.length ? paras.map((p) => paragraph(p)) : [paragraph(NARRATIVE_PENDING)];
}

/** Size of a file as 12.3 KB / 4.5 MB. */
export function sizeText(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1048576).toFixed(1)} MB`;
  return `${Math.max(0.1, bytes / 1024).toFixed(1)} KB`;
}

interface LinkedMaterial {
  indicatorId: string;
  id: string;
  title: string;
}

/** Materials linked to indicators (not deleted), in the order they were made. */
function linkedMaterials(ws: Workspace): Map<string, LinkedMaterial[]> {
  const rows = ws.db
    .prepare(
      `SELECT mi.indicator_id AS indicatorId, m.id, m.title
       FROM material_indicators mi JOIN materials m ON m.id = mi.material_id AND m.deleted = 0
       WHERE mi.deleted = 0
       ORDER BY m.created_at, m.id`,
    )
    .all() as LinkedMaterial[];
  const out = new Map<string, LinkedMaterial[]>();
  for (const r of rows) {
    const list = out.get(r.indicatorId);
    if (list) list.push(r);
    else out.set(r.indicatorId, [r]);
  }
  return out;
}

interface LinkedTask {
  indicatorId: string;
  id: string;
  code: string;
  title: string;
  kind: 'task' | 'series';
  status: keyof typeof STATUS_LABEL;
  dueDate: string | null;
  recurrence: keyof typeof RECURRENCE_LABEL;
  dept: string | null;
  /** Series: issued instances and how many are done. */
  periods: number;
  periodsDone: number;
}

/** One-off tasks and recurring series (one row each, not their instances) linked to indicators. */
function linkedTasks(ws: Workspace): Map<string, LinkedTask[]> {
  const rows = ws.db
    .prepare(
      `SELECT ti.indicator_id AS indicatorId, t.id, t.code, t.title, t.kind, t.status, t.due_date AS dueDate,
         t.recurrence, COALESCE(d.short_name, d.name) AS dept,
         COALESCE(s.n, 0) AS periods, COALESCE(s.done, 0) AS periodsDone
       FROM task_indicators ti
       JOIN tasks t ON t.id = ti.task_id AND t.deleted = 0 AND t.kind IN ('task', 'series')
       LEFT JOIN departments d ON d.id = t.lead_dept_id
       LEFT JOIN (SELECT series_id, COUNT(*) AS n, SUM(status = 'done') AS done FROM tasks
                  WHERE kind = 'instance' AND deleted = 0 AND status <> 'draft' GROUP BY series_id) s
         ON s.series_id = t.id
       WHERE ti.deleted = 0
       ORDER BY t.code, t.id`,
    )
    .all() as LinkedTask[];
  const out = new Map<string, LinkedTask[]>();
  for (const r of rows) {
    const list = out.get(r.indicatorId);
    if (list) list.push(r);
    else out.set(r.indicatorId, [r]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// 自评报告
// ---------------------------------------------------------------------------------------------

/** The figures of 一、总体情况, from the functions the dashboard and the league use. */
export interface SelfAssessmentFigures {
  today: string;
  units: number;
  supervised: number;
  done: number;
  completionRate: number | null;
  overdue: number;
  /** Departments with tasks due in the campaign so far (the league's rows), and those with all done. */
  leagueUnits: number;
  leagueUnitsAllDone: number;
  rectifications: number;
  rectificationsClosed: number;
  rectificationsOverdue: number;
}

export function selfAssessmentFigures(ws: Workspace, now: Date): SelfAssessmentFigures {
  const s = getSettings(ws);
  const today = localToday(now);
  const dash = dashboardSummary(ws, now, { trendWeeks: 1 });
  const league = leagueTable(ws, { from: s.periodStart, to: today }, now);
  const rects = listRectifications(ws, {}, today);
  const units = (
    ws.db.prepare('SELECT COUNT(*) AS n FROM departments WHERE deleted = 0 AND archived = 0').get() as {
      n: number;
    }
  ).n;
  return {
    today,
    units,
    supervised: dash.totals.supervised.value,
    done: dash.totals.done.value,
    completionRate: dash.totals.completionRate,
    overdue: dash.overdue.value,
    leagueUnits: league.length,
    leagueUnitsAllDone: league.filter((r) => r.total > 0 && r.done === r.total).length,
    rectifications: rects.length,
    rectificationsClosed: rects.filter((r) => r.status === 'closed').length,
    rectificationsOverdue: rects.filter((r) => r.overdue).length,
  };
}

class TableCounter {
  private n = 0;
  next(text: string): string {
    return `表${++this.n} ${text}`;
  }
}

function tasksTable(caption: string, tasks: LinkedTask[]): Block {
  return table(
    [
      { width: 1, align: 'center' },
      { width: 4.4 },
      { width: 2.4, align: 'center' },
      { width: 1.7, align: 'center' },
      { width: 1.9, align: 'center' },
    ],
    [
      ['序号', '任务名称', '牵头单位', '完成时限', '完成情况'],
      ...tasks.map((t, i) => [
        String(i + 1),
        t.title,
        t.dept ?? '未指定',
        t.kind === 'series' ? RECURRENCE_LABEL[t.recurrence] : dotDate(t.dueDate),
        t.kind === 'series'
          ? t.periods > 0
            ? `已办结${t.periodsDone}/${t.periods}期`
            : STATUS_LABEL[t.status]
          : STATUS_LABEL[t.status],
      ]),
    ],
    { caption, fontSize: 'xiaosi' },
  );
}

/** Conclusion, narrative, related tasks and 佐证材料 of one indicator. */
function indicatorBody(
  ind: Indicator,
  conclusion: string,
  tasks: LinkedTask[],
  materials: LinkedMaterial[],
  tables: TableCounter,
): Block[] {
  const out: Block[] = [paragraph([bold('自评结论：'), conclusion])];
  out.push(...narrativeBlocks(ind.narrative));
  if (tasks.length) {
    const done = tasks.filter((t) => t.status === 'done').length;
    const caption = tables.next(`“${ind.title}”相关任务完成情况`);
    out.push(
      paragraph(
        `围绕该指标部署任务${tasks.length}项，已办结${done}项，详见${caption.split(' ')[0] ?? '下表'}。`,
      ),
    );
    out.push(tasksTable(caption, tasks));
  }
  if (materials.length) {
    // numbered ①②… so the items are not read as the 1. 2. of the headings around them
    out.push(paragraph([bold('佐证材料：')], { keepNext: true }));
    materials.forEach((m, i) =>
      out.push(
        paragraph(
          `${circledNumber(i + 1)}《${m.title}》`,
          i < materials.length - 1 ? { keepNext: true } : {},
        ),
      ),
    );
  }
  return out;
}

/** Scored indicators or bonus items: a table with a total row, then each one's narrative. */
function scoredSection(
  items: Indicator[],
  categories: Map<string, Indicator>,
  what: '评分指标' | '加分项',
  tasksBy: Map<string, LinkedTask[]>,
  materialsBy: Map<string, LinkedMaterial[]>,
  tables: TableCounter,
): Block[] {
  if (items.length === 0) {
    return [
      paragraph(
        `${what}尚未录入工作台，暂未开展${what}自评；录入${what}及其分值和自评分后，重新生成本报告即可列出。`,
      ),
    ];
  }
  const points = items.reduce((a, i) => a + (i.points ?? 0), 0);
  const self = items.reduce((a, i) => a + (i.selfScore ?? 0), 0);
  const unscored = items.filter((i) => i.selfScore === null).length;
  const withCategory = items.some((i) => i.parentId && categories.has(i.parentId));
  const categoryOf = (i: Indicator) => (i.parentId ? categories.get(i.parentId)?.title : undefined) ?? '其他';
  const caption = tables.next(`${what}自评情况`);
  const blocks: Block[] = [
    paragraph(
      `${what}共${items.length}项，分值合计${score(points)}分，自评得分${score(self)}分` +
        (unscored ? `（其中${unscored}项尚未自评）` : '') +
        `，详见${caption.split(' ')[0] ?? '下表'}。`,
    ),
  ];
  const header: CellInput[] = [...(withCategory ? ['类别'] : []), '指标', '分值', '自评分', '理由'];
  const rows: CellInput[][] = [];
  items.forEach((ind, k) => {
    const row: CellInput[] = [];
    if (withCategory) {
      const cat = categoryOf(ind);
      if (k === 0 || categoryOf(items[k - 1]!) !== cat) {
        let span = 1;
        while (k + span < items.length && categoryOf(items[k + span]!) === cat) span++;
        const c: TableCell = { content: cat };
        if (span > 1) c.rowSpan = span;
        row.push(c);
      }
    }
    row.push(
      ind.title,
      ind.points === null ? '—' : score(ind.points),
      ind.selfScore === null ? '未自评' : score(ind.selfScore),
      ind.scoreNote ?? '',
    );
    rows.push(row);
  });
  rows.push([
    { content: '合计', colSpan: withCategory ? 2 : 1, align: 'center', bold: true },
    { content: score(points), bold: true },
    { content: score(self), bold: true },
    '',
  ]);
  blocks.push(
    table(
      [
        ...(withCategory ? [{ width: 1.8 }] : []),
        { width: 3.4 },
        { width: 0.9, align: 'center' as const },
        { width: 1, align: 'center' as const },
        { width: 3.4 },
      ],
      [header, ...rows],
      { caption, fontSize: 'xiaosi' },
    ),
  );
  let lastCategory: string | undefined;
  for (const ind of items) {
    if (withCategory) {
      const cat = categoryOf(ind);
      if (cat !== lastCategory) blocks.push(heading(2, cat));
      lastCategory = cat;
    }
    blocks.push(heading(withCategory ? 3 : 2, ind.title));
    const conclusion =
      ind.selfScore === null
        ? `尚未自评（分值${ind.points === null ? '未定' : `${score(ind.points)}分`}）。`
        : `自评得分${score(ind.selfScore)}分${ind.points === null ? '' : `（分值${score(ind.points)}分）`}。`;
    blocks.push(
      ...indicatorBody(ind, conclusion, tasksBy.get(ind.id) ?? [], materialsBy.get(ind.id) ?? [], tables),
    );
  }
  return blocks;
}

/** The 自评报告 as a document model, from the workspace's current data. */
export function selfAssessmentModel(ws: Workspace, now: Date): DocModel {
  const s = getSettings(ws);
  const f = selfAssessmentFigures(ws, now);
  const indicators = listIndicators(ws);
  const categories = new Map(indicators.filter((i) => i.kind === 'category').map((i) => [i.id, i]));
  const basic = indicators.filter((i) => i.kind === 'basic');
  const scored = indicators.filter((i) => i.kind === 'scored');
  const bonus = indicators.filter((i) => i.kind === 'bonus');
  const tasksBy = linkedTasks(ws);
  const materialsBy = linkedMaterials(ws);
  const tables = new TableCounter();
  const met = basic.filter((i) => i.status === 'met');
  const inProgress = basic.filter((i) => i.status === 'in_progress');
  const notMet = basic.filter((i) => i.status === 'not_met');

  const blocks: Block[] = [
    title(`${s.city}关于参评社会信用体系`, '建设示范区的自评报告'),
    paragraph(
      `按照社会信用体系建设示范区创建和评审工作要求，${s.city}对照评审指标，逐项开展自查自评。现将有关情况报告如下。`,
    ),
    // 一、总体情况
    heading(1, '总体情况'),
    paragraph(
      `按照“${s.campaignName}”工作部署，创建周期为${cnDate(s.periodStart)}至${cnDate(s.periodEnd)}。` +
        `全市共明确责任单位${f.units}个，将创建任务逐项分解到各责任单位，实行清单化管理、节点化推进。`,
    ),
    paragraph(
      f.supervised > 0
        ? `截至${cnDate(f.today)}，共督办任务${f.supervised}项，已办结${f.done}项，办结率${pct(f.completionRate)}；` +
            `逾期未办结${f.overdue}项。` +
            (f.leagueUnits > 0
              ? `已有任务到期的${f.leagueUnits}个责任单位中，${f.leagueUnitsAllDone}个单位到期任务全部办结。`
              : '目前尚无到期任务。')
        : `截至${cnDate(f.today)}，创建任务尚未下发督办。`,
    ),
    paragraph(
      f.rectifications > 0
        ? `针对评审反馈和自查发现的问题，共建立整改事项${f.rectifications}项，已整改销号${f.rectificationsClosed}项，` +
            `正在整改${f.rectifications - f.rectificationsClosed}项` +
            (f.rectificationsOverdue ? `（其中${f.rectificationsOverdue}项已超过整改时限）` : '') +
            '。'
        : '目前暂无登记的整改事项。',
    ),
    // 二、基础指标达标情况
    heading(1, '基础指标达标情况'),
  ];
  if (basic.length === 0) {
    blocks.push(paragraph('基础指标尚未录入工作台，暂未开展基础指标自评。'));
  } else {
    const caption = tables.next('基础指标达标情况');
    blocks.push(
      paragraph(
        `评审指标中共有基础指标${basic.length}项。经逐项自查，已达标${met.length}项，推进中${inProgress.length}项，` +
          `未达标${notMet.length}项，详见${caption.split(' ')[0] ?? '下表'}。`,
      ),
      table(
        [{ width: 1, align: 'center' }, { width: 4.2 }, { width: 1.6, align: 'center' }, { width: 4.6 }],
        [
          ['序号', '指标', '达标情况', '说明'],
          ...basic.map((ind, i) => [
            String(i + 1),
            ind.title,
            INDICATOR_STATUS_LABEL[ind.status],
            ind.scoreNote ?? '',
          ]),
        ],
        { caption, fontSize: 'xiaosi' },
      ),
    );
    for (const ind of basic) {
      blocks.push(heading(2, ind.title));
      blocks.push(
        ...indicatorBody(
          ind,
          `${INDICATOR_STATUS_LABEL[ind.status]}。`,
          tasksBy.get(ind.id) ?? [],
          materialsBy.get(ind.id) ?? [],
          tables,
        ),
      );
    }
  }
  // 三、评分指标 / 四、加分项
  blocks.push(heading(1, '评分指标自评情况'));
  blocks.push(...scoredSection(scored, categories, '评分指标', tasksBy, materialsBy, tables));
  blocks.push(heading(1, '加分项'));
  blocks.push(...scoredSection(bonus, categories, '加分项', tasksBy, materialsBy, tables));

  // 五、存在的问题和下一步工作
  blocks.push(heading(1, '存在的问题和下一步工作'));
  const problems: string[] = [];
  const names = (list: Indicator[]) =>
    list
      .slice(0, 8)
      .map((i) => `“${i.title}”`)
      .join('、') + (list.length > 8 ? `等${list.length}项` : '');
  if (notMet.length) problems.push(`基础指标中仍有${notMet.length}项未达标：${names(notMet)}。`);
  if (inProgress.length) problems.push(`基础指标中有${inProgress.length}项正在推进：${names(inProgress)}。`);
  const scoredAll = [...scored, ...bonus];
  const lost = scoredAll.reduce(
    (a, i) => a + (i.points !== null && i.selfScore !== null ? Math.max(0, i.points - i.selfScore) : 0),
    0,
  );
  if (lost > 0) problems.push(`评分指标和加分项自评共失分${score(lost)}分，得分仍有提升空间。`);
  const openRects = f.rectifications - f.rectificationsClosed;
  if (openRects > 0)
    problems.push(
      `尚有${openRects}项整改事项未销号` +
        (f.rectificationsOverdue ? `，其中${f.rectificationsOverdue}项已超过整改时限` : '') +
        '。',
    );
  if (f.overdue > 0) problems.push(`督办任务中有${f.overdue}项逾期未办结。`);
  blocks.push(heading(2, '存在的问题'));
  blocks.push(problems.length ? list(true, problems) : paragraph('经自查，暂未发现突出问题。'));
  const next: string[] = [];
  if (notMet.length || inProgress.length)
    next.push('对未达标和正在推进的基础指标，逐项明确牵头单位、完成时限和佐证材料，确保评审前全部达标。');
  if (lost > 0) next.push('对照评分标准查找失分原因，补强薄弱环节，完善佐证材料。');
  if (openRects > 0) next.push(`加快${openRects}项整改事项的整改和验收销号，做到问题不解决不销号。`);
  if (f.overdue > 0) next.push(`对${f.overdue}项逾期任务挂牌督办，每周调度进展，限期办结。`);
  next.push('持续做好佐证材料的收集、审核和归档，按评审要求汇编成册。');
  next.push('巩固创建成果，推动社会信用体系建设常态化、长效化。');
  blocks.push(heading(2, '下一步工作'));
  blocks.push(list(true, next));

  // 附件说明, 落款, 附件
  blocks.push(attachmentNote(['自评得分汇总表']));
  blocks.push(signature(issuer(s.city), f.today));
  blocks.push(attachmentHeading('附件', '自评得分汇总表'));
  const sum = (list: Indicator[], k: 'points' | 'selfScore') => list.reduce((a, i) => a + (i[k] ?? 0), 0);
  const scoredRow = (what: string, list: Indicator[]): CellInput[] =>
    list.length
      ? [
          what,
          String(list.length),
          `${score(sum(list, 'selfScore'))}/${score(sum(list, 'points'))}分`,
          list.some((i) => i.selfScore === null)
            ? `${list.filter((i) => i.selfScore === null).length}项尚未自评`
            : '已全部自评',
        ]
      : [what, '0', '未录入', '—'];
  blocks.push(
    table(
      [{ width: 1.6 }, { width: 1, align: 'center' }, { width: 2, align: 'center' }, { width: 3 }],
      [
        ['指标类型', '指标数', '自评结果', '说明'],
        basic.length
          ? [
              '基础指标',
              String(basic.length),
              `达标${met.length}/${basic.length}`,
              notMet.length || inProgress.length
                ? `推进中${inProgress.length}项，未达标${notMet.length}项`
                : '全部达标',
            ]
          : ['基础指标', '0', '未录入', '—'],
        scoredRow('评分指标', scored),
        scoredRow('加分项', bonus),
      ],
    ),
  );

  return doc({ title: `${s.city}${SELF_ASSESSMENT_TITLE}`, created: now, subject: '自评报告' }, blocks, {
    cover: {
      organisation: s.city,
      title: ['关于参评社会信用体系', '建设示范区的自评报告'],
      issuer: issuer(s.city),
      date: f.today.slice(0, 7),
    },
  });
}

// ---------------------------------------------------------------------------------------------
// 评审材料汇编
// ---------------------------------------------------------------------------------------------

export interface EvidenceRow {
  id: string;
  name: string;
  size: number;
  mime: string;
  sha256: string;
  /** 《材料》 or "任务编号 任务名称" (with "（进展反馈）" for feedback evidence). */
  owner: string;
  /** Codes of the indicators it belongs to, in indicator order. */
  indicators: string[];
}

interface EvidenceSql {
  id: string;
  name: string;
  size: number;
  mime: string;
  sha256: string;
  indicatorId: string;
  ownerType: 'material' | 'task' | 'feedback';
  ownerTitle: string;
  ownerCode: string | null;
}

/** The evidence of the indicators: their materials' attachments, their tasks' and those tasks' feedback's. */
export function evidenceIndex(ws: Workspace, indicators: readonly Indicator[]): EvidenceRow[] {
  const cols = 'a.id, a.name, a.size, a.mime, a.sha256';
  const rows = ws.db
    .prepare(
      `SELECT * FROM (
         SELECT ${cols}, mi.indicator_id AS indicatorId, 'material' AS ownerType, m.title AS ownerTitle,
           NULL AS ownerCode, 0 AS part, m.created_at AS k1, m.id AS k2, a.created_at AS k3
         FROM attachments a
         JOIN materials m ON a.owner_type = 'material' AND m.id = a.owner_id AND m.deleted = 0
         JOIN material_indicators mi ON mi.material_id = m.id AND mi.deleted = 0
         WHERE a.deleted = 0
         UNION ALL
         SELECT ${cols}, ti.indicator_id, 'task', t.title, t.code, 1, t.code, t.id, a.created_at
         FROM attachments a
         JOIN tasks t ON a.owner_type = 'task' AND t.id = a.owner_id AND t.deleted = 0
         JOIN task_indicators ti ON ti.task_id = t.id AND ti.deleted = 0
         WHERE a.deleted = 0
         UNION ALL
         SELECT ${cols}, ti.indicator_id, 'feedback', t.title, t.code, 1, t.code, t.id, f.at || a.created_at
         FROM attachments a
         JOIN task_feedback f ON a.owner_type = 'feedback' AND f.id = a.owner_id AND f.deleted = 0
         JOIN tasks t ON t.id = f.task_id AND t.deleted = 0
         JOIN task_indicators ti ON ti.task_id = t.id AND ti.deleted = 0
         WHERE a.deleted = 0)
       ORDER BY part, k1, k2, k3, id`,
    )
    .all() as EvidenceSql[];
  const order = new Map(indicators.map((i, k) => [i.id, k]));
  const code = new Map(indicators.map((i) => [i.id, i.code]));
  const wanted = rows
    .filter((r) => order.has(r.indicatorId))
    .sort((a, b) => (order.get(a.indicatorId) ?? 0) - (order.get(b.indicatorId) ?? 0)); // stable
  const byId = new Map<string, EvidenceRow>();
  for (const r of wanted) {
    const c = code.get(r.indicatorId) ?? '';
    const seen = byId.get(r.id);
    if (seen) {
      if (!seen.indicators.includes(c)) seen.indicators.push(c);
      continue;
    }
    byId.set(r.id, {
      id: r.id,
      name: r.name,
      size: r.size,
      mime: r.mime,
      sha256: r.sha256,
      owner:
        r.ownerType === 'material'
          ? `《${r.ownerTitle}》`
          : `${r.ownerCode ?? ''} ${r.ownerTitle}${r.ownerType === 'feedback' ? '（进展反馈）' : ''}`.trim(),
      indicators: [c],
    });
  }
  return [...byId.values()];
}

const IMAGE_MIMES = new Set(['image/png', 'image/jpeg']);
/** Image evidence is printed at most this tall: two photos and their captions fit on a page. */
const EVIDENCE_IMAGE_HEIGHT_MM = 90;

/** The 评审材料汇编 as a document model, from the workspace's current data. */
export function compiledMaterialsModel(
  ws: Workspace,
  now: Date,
  opts: { indicatorIds?: readonly string[] } = {},
): DocModel {
  const s = getSettings(ws);
  const today = localToday(now);
  const all = listIndicators(ws).filter((i) => i.kind !== 'category');
  let indicators = all;
  if (opts.indicatorIds) {
    const want = new Set(opts.indicatorIds);
    const known = new Set(all.map((i) => i.id));
    const unknown = [...want].filter((id) => !known.has(id));
    if (unknown.length)
      throw new AppError(
        'NOT_FOUND',
        `所选指标中有${unknown.length}项不存在、已删除、不属于当前指标体系或是指标类别（类别请选择其下的指标）。`,
      );
    indicators = all.filter((i) => want.has(i.id));
  }
  const materialsBy = linkedMaterials(ws);
  const resolveImage = blobImages(ws);
  const blocks: Block[] = [toc({ levels: 2 })];
  let previousHadMaterials = false;
  indicators.forEach((ind, k) => {
    const materials = materialsBy.get(ind.id) ?? [];
    // a section with materials starts on a new page; sections without any share one
    if (k > 0 && (materials.length > 0 || previousHadMaterials)) blocks.push(pageBreak());
    previousHadMaterials = materials.length > 0;
    blocks.push(heading(1, `${ind.code} ${ind.title}`));
    if (materials.length === 0) blocks.push(paragraph('（本指标暂无关联材料）'));
    materials.forEach((m, j) => {
      if (j > 0) blocks.push(pageBreak());
      blocks.push(heading(2, m.title));
      const content = dropRepeatedTitle(
        pmToBlocks(docJson(ws, m.id), { resolveImage, headingShift: 2 }),
        m.title,
      );
      blocks.push(...(content.length ? content : [paragraph('（该材料暂无内容）')]));
    });
  });

  // 佐证材料索引
  const evidence = evidenceIndex(ws, indicators);
  blocks.push(pageBreak());
  blocks.push(heading(1, '佐证材料索引', { numbered: false }));
  if (evidence.length === 0) {
    blocks.push(paragraph('所选指标的材料和任务尚无佐证材料附件。'));
  } else {
    blocks.push(
      paragraph(`所选指标的材料和任务共有佐证材料${evidence.length}件，清单如下（图片附后）。`),
      table(
        [
          { width: 0.9, align: 'center' },
          { width: 3.2 },
          { width: 1.6, align: 'center' },
          { width: 3.2 },
          { width: 1.6, align: 'center' },
        ],
        [
          ['序号', '文件名', '大小', '所属材料/任务', '关联指标'],
          ...evidence.map((e, i) => [
            String(i + 1),
            e.name,
            sizeText(e.size),
            e.owner,
            e.indicators.join('\n'),
          ]),
        ],
        { fontSize: 'xiaosi' },
      ),
    );
  }
  // image evidence, inline with captions
  const images = evidence.filter((e) => IMAGE_MIMES.has(e.mime));
  if (images.length) {
    blocks.push(pageBreak());
    blocks.push(heading(1, '图片佐证材料', { numbered: false }));
    images.forEach((e, i) => {
      const caption = `图${i + 1} ${e.name.replace(/\.(png|jpe?g)$/i, '')}（${e.indicators.join('、')}）`;
      let data: Uint8Array | null;
      try {
        data = readBlob(ws.dir, e.sha256);
      } catch {
        data = null;
      }
      const mime = data ? sniffImageMime(data) : null;
      let px: { width: number; height: number } | null = null;
      if (data && mime) {
        try {
          px = imagePixelSize(data, mime);
        } catch {
          px = null;
        }
      }
      // at most EVIDENCE_IMAGE_HEIGHT_MM tall, so two photos with their captions share a page
      const natural = px ? (px.width / 96) * 25.4 : 0;
      if (data && mime && px)
        blocks.push({
          type: 'image',
          data,
          mime,
          caption,
          alt: e.name,
          widthMm: Math.min(natural, (EVIDENCE_IMAGE_HEIGHT_MM * px.width) / px.height),
        });
      else
        blocks.push(
          paragraph(`[图片缺失：${e.name}${data ? '（文件已损坏）' : '（文件不在本机）'}]`, {
            align: 'center',
            indent: 0,
          }),
        );
    });
  }

  return doc({ title: `${s.city}${COMPILED_TITLE}`, created: now, subject: '评审材料汇编' }, blocks, {
    cover: {
      organisation: s.city,
      title: ['社会信用体系建设示范区', '创建评审材料汇编'],
      issuer: issuer(s.city),
      date: today.slice(0, 7),
    },
  });
}
