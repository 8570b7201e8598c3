/**
 * 自评报告 (reports.selfAssessment) on the bundled template's workspace: its tables equal
 * indicators.list, the figures of 一、总体情况 equal dashboard.summary and league.table, the
 * narratives written through indicators.update are there (and "（待补充自评说明）" where there is
 * none), the linked materials are listed as 佐证材料, scored indicators and bonus items get their
 * table and totals once entered, and regenerating after a change shows the change.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../main/core/contract/index';
import { INDICATOR_STATUS_LABEL } from '../../main/core/contract/index';
import { advanceTo, call, coreWithWorkspace, wsOf } from '../helpers/core';
import { fakeClock } from '../helpers/clock';
import {
  childrenNamed,
  find,
  findAll,
  readDocx,
  wText,
  type DocxPackage,
  type XmlNode,
} from '../helpers/docx';

const pct = (r: number | null) => (r === null ? '—' : `${(r * 100).toFixed(1)}%`);

function bodyOf(pkg: DocxPackage): XmlNode {
  const body = find(pkg.xml('word/document.xml'), 'w:body');
  if (!body) throw new Error('no w:body');
  return body;
}

/** Top-level paragraphs with their style and text, in order. */
function paragraphs(pkg: DocxPackage) {
  return childrenNamed(bodyOf(pkg), 'w:p').map((p) => {
    const pPr = childrenNamed(p, 'w:pPr')[0];
    return { style: pPr ? find(pPr, 'w:pStyle')?.attrs['w:val'] : undefined, text: wText(p) };
  });
}

/** Every table as rows of cell texts. */
function tables(pkg: DocxPackage): string[][][] {
  return findAll(bodyOf(pkg), 'w:tbl').map((t) =>
    childrenNamed(t, 'w:tr').map((r) => childrenNamed(r, 'w:tc').map((c) => wText(c))),
  );
}

function tableWithHeader(pkg: DocxPackage, header: string[]): string[][] {
  const found = tables(pkg).find((t) => JSON.stringify(t[0]) === JSON.stringify(header));
  if (!found) throw new Error(`no table with header ${header.join('/')}`);
  return found;
}

/** The paragraphs after the heading whose text is `heading`, up to the next heading. */
function section(pkg: DocxPackage, heading: string): string[] {
  const ps = paragraphs(pkg);
  const at = ps.findIndex((p) => p.style?.startsWith('Heading') && p.text === heading);
  if (at < 0)
    throw new Error(
      `no heading "${heading}"; have ${ps
        .filter((p) => p.style?.startsWith('Heading'))
        .map((p) => p.text)
        .join(' | ')}`,
    );
  const out: string[] = [];
  for (const p of ps.slice(at + 1)) {
    if (p.style?.startsWith('Heading')) break;
    out.push(p.text);
  }
  return out;
}

async function generate(core: Awaited<ReturnType<typeof coreWithWorkspace>>['core']): Promise<DocxPackage> {
  const r = await call(core, 'reports.selfAssessment', {});
  expect(r.file.endsWith('.docx')).toBe(true);
  return readDocx(fs.readFileSync(r.file));
}

async function setup() {
  const clock = fakeClock('2027-06-15T04:00:00Z');
  const t = await coreWithWorkspace({ clock: clock.now });
  const { core } = t;
  // start from the basic indicators only (the bundled scored skeleton removed): the test adds
  // scored and bonus indicators itself later and checks the report follows
  {
    const ws = wsOf(core);
    const others = (await call(core, 'indicators.list', {})).filter((i) => i.kind !== 'basic');
    expect(others.length).toBeGreaterThan(0);
    ws.writer.transact(ws.actor(), (tx) => {
      for (const i of others) tx.remove('indicator', i.id);
    });
  }
  // some tasks along the workflow: done, and issued but overdue
  const due = (await call(core, 'tasks.list', { kinds: ['task'], dueTo: '2027-05-31' })).rows.filter(
    (x) => x.leadDeptId,
  );
  expect(due.length).toBeGreaterThan(6);
  for (const x of due.slice(0, 3)) await advanceTo(core, x.id, 'done');
  for (const x of due.slice(3, 6)) await advanceTo(core, x.id, 'issued');
  // rectifications: one closed, one open
  const dept = (await call(core, 'departments.list', {}))[0]!;
  const r1 = await call(core, 'rect.create', {
    source: 'review_panel',
    problem: '双公示数据上报不及时',
    deptId: dept.id,
  });
  await call(core, 'rect.create', {
    source: 'inspection',
    problem: '信用承诺未公示',
    deptId: dept.id,
    deadline: '2027-06-01',
  });
  await call(core, 'rect.transition', { id: r1.id, action: 'start' });
  await call(core, 'rect.transition', { id: r1.id, action: 'submit' });
  await call(core, 'rect.transition', { id: r1.id, action: 'accept', note: '已验收' });
  return { ...t, clock };
}

describe('reports.selfAssessment', () => {
  it('matches indicators.list, dashboard.summary and league.table, and regenerates from current data', async () => {
    const { core, clock } = await setup();
    const inds = await call(core, 'indicators.list', {});
    const basic = inds.filter((i) => i.kind === 'basic');
    expect(basic).toHaveLength(12);
    await call(core, 'indicators.update', {
      id: basic[0]!.id,
      patch: {
        status: 'met',
        scoreNote: '制度文件均经合法性审查',
        narrative: '我市出台《公共信用信息管理办法》。\n\n　　全部失信惩戒措施均在基础清单范围内。',
      },
    });
    await call(core, 'indicators.update', { id: basic[1]!.id, patch: { status: 'not_met' } });
    const material = await call(core, 'materials.create', {
      title: '琼海市社会信用体系建设实施方案',
      type: 'implementation_plan',
      templateId: null,
      indicatorIds: [basic[0]!.id],
    });
    expect(material.indicatorIds).toEqual([basic[0]!.id]);

    let pkg = await generate(core);
    const list = (await call(core, 'indicators.list', {})).filter((i) => i.kind === 'basic');

    // 二、the basic-indicator table: one row per indicator, in order, with the status label and note
    const table = tableWithHeader(pkg, ['序号', '指标', '达标情况', '说明']);
    expect(table.slice(1)).toEqual(
      list.map((i, k) => [String(k + 1), i.title, INDICATOR_STATUS_LABEL[i.status], i.scoreNote ?? '']),
    );

    // 一、the figures are the dashboard's and the league's
    const dash = await call(core, 'dashboard.summary', {});
    const settings = await call(core, 'workspace.settings', {});
    const league = await call(core, 'league.table', { from: settings.periodStart, to: clock.today() });
    expect(dash.totals.supervised.value).toBeGreaterThanOrEqual(6);
    expect(dash.totals.done.value).toBe(3);
    expect(dash.overdue.value).toBeGreaterThanOrEqual(3);
    const overall = section(pkg, '一、总体情况').join('');
    expect(overall).toContain(
      `共督办任务${dash.totals.supervised.value}项，已办结${dash.totals.done.value}项，办结率${pct(dash.totals.completionRate)}；逾期未办结${dash.overdue.value}项。`,
    );
    const allDone = league.filter((r) => r.total > 0 && r.done === r.total).length;
    expect(league.length).toBeGreaterThan(0);
    expect(overall).toContain(
      `已有任务到期的${league.length}个责任单位中，${allDone}个单位到期任务全部办结。`,
    );
    const units = (await call(core, 'departments.list', {})).length;
    expect(overall).toContain(`全市共明确责任单位${units}个`);
    expect(overall).toContain('共建立整改事项2项，已整改销号1项，正在整改1项（其中1项已超过整改时限）。');
    expect(overall).toContain('创建周期为2027年1月1日至2027年12月31日');

    // the narratives, one paragraph per line, typed indents dropped; the pending marker elsewhere
    const first = section(pkg, `（一）${basic[0]!.title}`);
    expect(first.slice(0, 3)).toEqual([
      '自评结论：已达标。',
      '我市出台《公共信用信息管理办法》。',
      '全部失信惩戒措施均在基础清单范围内。',
    ]);
    expect(first).toContain('佐证材料：');
    expect(first[first.indexOf('佐证材料：') + 1]).toBe('①《琼海市社会信用体系建设实施方案》');
    const pending = paragraphs(pkg).filter((p) => p.text === '（待补充自评说明）');
    expect(pending).toHaveLength(11);
    expect(section(pkg, `（二）${basic[1]!.title}`)[0]).toBe('自评结论：未达标。');

    // the tasks linked to an indicator, in a table of their own
    const linked = await call(core, 'tasks.list', { indicatorId: basic[0]!.id, kinds: ['task', 'series'] });
    const taskTable = tableWithHeader(pkg, ['序号', '任务名称', '牵头单位', '完成时限', '完成情况']);
    expect(
      taskTable
        .slice(1)
        .map((r) => r[1])
        .sort(),
    ).toEqual(linked.rows.map((x) => x.title).sort());

    // 三、四 without scored indicators or bonus items: a sentence each
    expect(section(pkg, '三、评分指标自评情况').join('')).toContain('评分指标尚未录入');
    expect(section(pkg, '四、加分项').join('')).toContain('加分项尚未录入');

    // 五、the problems name what is not met
    const problems = section(pkg, '（一）存在的问题').join('');
    expect(problems).toContain(`基础指标中仍有1项未达标：“${basic[1]!.title}”。`);
    expect(problems).toContain('尚有1项整改事项未销号，其中1项已超过整改时限。');
    expect(problems).toContain(`督办任务中有${dash.overdue.value}项逾期未办结。`);

    // 附件: the summary table, and the 落款 date
    const summary = tableWithHeader(pkg, ['指标类型', '指标数', '自评结果', '说明']);
    expect(summary[1]).toEqual([
      '基础指标',
      '12',
      '达标1/12',
      `推进中${list.filter((i) => i.status === 'in_progress').length}项，未达标1项`,
    ]);
    expect(summary[2]).toEqual(['评分指标', '0', '未录入', '—']);
    expect(paragraphs(pkg).some((p) => p.text === '2027年6月15日')).toBe(true);
    expect(paragraphs(pkg).some((p) => p.text === '附件：自评得分汇总表')).toBe(true);

    // ---- change the data and regenerate: the report follows
    await call(core, 'indicators.update', {
      id: basic[1]!.id,
      patch: { status: 'met', narrative: '已全部接入。' },
    });
    const ws = wsOf(core);
    ws.writer.transact(ws.actor(), (tx) => {
      const cat = tx.insert('indicator', {
        system_version: settings.indicatorVersion,
        code: '评分-一',
        title: '信用制度建设',
        kind: 'category',
        sort: 500,
      });
      const add = (
        code: string,
        title: string,
        kind: Indicator['kind'],
        points: number,
        sort: number,
        extra: Record<string, unknown> = {},
      ) =>
        tx.insert('indicator', {
          system_version: settings.indicatorVersion,
          code,
          title,
          kind,
          parent_id: kind === 'scored' ? cat : null,
          points,
          sort,
          ...extra,
        });
      add('评分-01', '信用立法和制度建设', 'scored', 4, 510, {
        self_score: 3.5,
        score_note: '出台地方性法规',
        narrative: '制定了信用条例。',
      });
      add('评分-02', '信用信息归集共享', 'scored', 6, 520);
      add('加分-01', '信用创新案例', 'bonus', 2, 600, { self_score: 2 });
    });
    clock.advanceDays(1);
    pkg = await generate(core);
    expect(section(pkg, `（二）${basic[1]!.title}`).slice(0, 2)).toEqual([
      '自评结论：已达标。',
      '已全部接入。',
    ]);
    expect(tableWithHeader(pkg, ['序号', '指标', '达标情况', '说明'])[2]?.[2]).toBe('已达标');
    expect(paragraphs(pkg).filter((p) => p.text === '（待补充自评说明）')).toHaveLength(10 + 2); // two scored/bonus without
    const scored = tableWithHeader(pkg, ['类别', '指标', '分值', '自评分', '理由']);
    expect(scored.slice(1)).toEqual([
      ['信用制度建设', '信用立法和制度建设', '4', '3.5', '出台地方性法规'],
      ['', '信用信息归集共享', '6', '未自评', ''], // the category cell is merged down
      ['合计', '10', '3.5', ''],
    ]);
    expect(section(pkg, '（一）信用制度建设')).toEqual([]);
    expect(section(pkg, '1.信用立法和制度建设').slice(0, 2)).toEqual([
      '自评结论：自评得分3.5分（分值4分）。',
      '制定了信用条例。',
    ]);
    expect(tableWithHeader(pkg, ['指标', '分值', '自评分', '理由']).slice(1)).toEqual([
      ['信用创新案例', '2', '2', ''],
      ['合计', '2', '2', ''],
    ]);
    const summary2 = tableWithHeader(pkg, ['指标类型', '指标数', '自评结果', '说明']);
    expect(summary2.slice(1)).toEqual([
      [
        '基础指标',
        '12',
        '达标2/12',
        `推进中${list.filter((i) => i.status === 'in_progress').length}项，未达标0项`,
      ],
      ['评分指标', '2', '3.5/10分', '1项尚未自评'],
      ['加分项', '1', '2/2分', '已全部自评'],
    ]);
    expect(paragraphs(pkg).some((p) => p.text === '2027年6月16日')).toBe(true);
  });

  it('has a cover without a page number and the body numbered from 1', async () => {
    const { core } = await coreWithWorkspace();
    const pkg = await generate(core);
    const sects = findAll(bodyOf(pkg), 'w:sectPr');
    expect(sects).toHaveLength(2); // cover, body
    expect(findAll(sects[0]!, 'w:footerReference')).toHaveLength(0);
    expect(find(sects[1]!, 'w:pgNumType')?.attrs['w:start']).toBe('1');
    const cover = paragraphs(pkg)
      .slice(0, 6)
      .map((p) => p.text);
    expect(cover).toContain('琼海市');
    expect(cover.join('')).toContain('关于参评社会信用体系\n建设示范区的自评报告');
  });
});
