/**
 * The briefing deck (汇报PPT) exported through the core from a workspace with real data: tasks
 * issued and done, three rectification items opened and one closed, six months of monitoring
 * results, metrics, indicator statuses. The pptx is unzipped and every chart's series compared
 * with the figures the screens' own commands give (dashboard, league table, monitoring, metrics,
 * indicators); notes, fonts and the 16:9 size are checked; LibreOffice renders it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import type { Input } from '../../main/core/contract/index';
import { BRIEFING_SECTIONS } from '../../main/core/contract/labels';
import { fakeClock, noon, type FakeClock } from '../helpers/clock';
import { call, callError, makeCore, tempDir } from '../helpers/core';
import { hasSoffice, officeToPdf, pdfPageCount, pdfPagePng, pdfPages, readDocx } from '../helpers/docx';
import { dims } from '../helpers/monitoring';
import { chartSeries } from './briefing-fixture';

let core: Core;
let clock: FakeClock;
let dir: string;

const RESULTS: Input<'monitoring.save'>[] = [
  { month: '2026-10', score: 84.1, rank: 96, total: 380, dims: dims(85.2, 86.1, 80.3, 79.5, 83.2) },
  { month: '2026-11', score: 84.9, rank: 82, total: 380, dims: dims(85.9, 86.4, 81.1, 80.2, 83.9) },
  { month: '2026-12', score: 85.6, rank: 61, total: 381, dims: dims(86.3, 87.0, 81.8, 80.9, 84.4) },
  { month: '2027-01', score: 86.2, rank: 48, total: 381, dims: dims(86.8, 87.5, 82.6, 81.3, 84.9) },
  { month: '2027-02', score: 86.5, rank: 44, total: 381, dims: dims(87.1, 87.9, 82.1, 81.8, 85.2) },
  { month: '2027-03', score: 86.9, rank: 39, total: 382, dims: dims(87.6, 88.2, 81.7, 82.3, 85.6) },
  // after the period: must not appear in a deck for January–March
  { month: '2027-04', score: 87.0, rank: 35, total: 382, dims: dims(87.6, 88.2, 81.7, 82.3, 85.6) },
];

beforeAll(async () => {
  clock = fakeClock(noon('2027-01-15'));
  dir = tempDir('cwb-brief-');
  ({ core } = makeCore({ clock: clock.now, dataDir: dir }));
  await call(core, 'workspace.create', {
    name: '汇报测试',
    templateId: 'qionghai',
    startMonth: '2027-01',
    me: { name: '李明', role: '项目负责人' },
  });
  const list = await call(core, 'tasks.list', { kinds: ['task'] });
  await call(core, 'tasks.transition', { ids: list.rows.map((t) => t.id), action: 'issue' });
  // rectifications: two in January, one in February; one closed in March
  const depts = await call(core, 'departments.list', {});
  const r1 = await call(core, 'rect.create', {
    source: 'inspection',
    problem: '政务服务大厅信用查询窗口未接入信用信息共享平台',
    deptId: depts[0]!.id,
    deadline: '2027-02-20',
  });
  await call(core, 'rect.create', {
    source: 'review_panel',
    problem: '行政处罚信息公示不及时',
    deptId: depts[1]!.id,
    deadline: '2027-04-10',
  });
  clock.set(noon('2027-02-10'));
  await call(core, 'rect.create', {
    source: 'weak_indicator',
    problem: '信用修复培训覆盖不足',
    deadline: null,
  });
  clock.set(noon('2027-03-05'));
  for (const action of ['start', 'submit', 'accept'] as const) {
    await call(core, 'rect.transition', {
      id: r1.id,
      action,
      note: action === 'accept' ? '已现场核验' : null,
    });
  }
  for (const t of list.rows.slice(0, 8)) {
    for (const action of ['sign', 'start', 'report', 'approve'] as const) {
      await call(core, 'tasks.transition', { ids: [t.id], action });
    }
  }
  for (const r of RESULTS) await call(core, 'monitoring.save', r);
  for (const [month, value] of [
    ['2027-01', 97.2],
    ['2027-02', 98.6],
    ['2027-03', 99.1],
  ] as const) {
    await call(core, 'metrics.set', { metric: 'compliance_rate', month, value });
    await call(core, 'metrics.set', { metric: 'commitments', month, value: value * 100, base: 10_400 });
  }
  const inds = await call(core, 'indicators.list', {});
  const basic = inds.filter((i) => i.kind === 'basic');
  await call(core, 'indicators.update', { id: basic[0]!.id, patch: { status: 'met' } });
  await call(core, 'indicators.update', { id: basic[1]!.id, patch: { status: 'met' } });
  await call(core, 'indicators.update', { id: basic[2]!.id, patch: { status: 'in_progress' } });
  clock.set(noon('2027-03-12'));
});

async function exportDeck(input: Partial<Input<'briefing.export'>> = {}) {
  const file = path.join(dir, `deck-${Math.random().toString(36).slice(2)}.pptx`);
  const r = await call(core, 'briefing.export', {
    from: '2027-01',
    to: '2027-03',
    sections: [...BRIEFING_SECTIONS],
    file,
    ...input,
  });
  return { r, buf: fs.readFileSync(r.file) };
}

describe('briefing.export', () => {
  it('writes every chart natively with the figures of the screens, notes, the font and 16:9', async () => {
    const { r, buf } = await exportDeck({ presenter: '琼海市发展和改革委员会' });
    const pkg = readDocx(buf);
    const names = Object.keys(pkg.files);
    expect(names.filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))).toHaveLength(r.slides);
    expect(r.slides).toBeGreaterThanOrEqual(12);
    expect(r.slides).toBeLessThanOrEqual(22);
    const series = chartSeries(pkg.files);
    expect(series).toHaveLength(r.charts);
    expect(r.charts).toBeGreaterThanOrEqual(8);
    expect(r.bytes).toBe(buf.length);
    const find = (name: string) => series.find((s) => s.some((x) => x.name === name));

    // ranking: the saved ranks up to the period's end, in month order, with the target line
    const overview = await call(core, 'monitoring.overview', {});
    const inPeriod = overview.results.filter((x) => x.month <= '2027-03');
    expect(inPeriod.map((x) => x.rank)).toEqual([96, 82, 61, 48, 44, 39]);
    const rank = find('监测排名')!;
    expect(rank.find((s) => s.name === '监测排名')!.values).toEqual(inPeriod.map((x) => x.rank));
    const settings = await call(core, 'workspace.settings', {});
    expect(rank.find((s) => s.name.startsWith('目标线'))!.values).toEqual(
      inPeriod.map(() => settings.rankingTarget),
    );
    // five dimensions: the last three months
    const dimChart = find('2027年3月')!;
    expect(dimChart.map((s) => s.name)).toEqual(['2027年1月', '2027年2月', '2027年3月']);
    expect(dimChart[2]!.values).toEqual([87.6, 88.2, 81.7, 82.3, 85.6]);

    // departments: the league table for January–March (the league page with that period)
    const league = await call(core, 'league.table', { from: '2027-01-01', to: '2027-03-31' });
    const rates = series
      .filter((s) => s.length === 1 && s[0]!.name === '完成率')
      .flatMap((s) => s[0]!.values);
    const expected = league.length <= 12 ? league : [...league.slice(0, 10), ...league.slice(-10)];
    expect(league.length).toBeGreaterThan(0);
    expect(rates).toEqual(expected.map((l) => l.completionRate ?? 0));

    // metrics
    const metrics = await call(core, 'metrics.list', {});
    const comp = metrics.find((m) => m.key === 'compliance_rate')!;
    expect(find('五类数据合规率')!.find((s) => s.name === '五类数据合规率')!.values).toEqual(
      comp.values.map((v) => v.rate),
    );
    expect(find('信用承诺数')!.map((s) => s.values)).toEqual([
      [9720, 9860, 9910],
      [10400, 10400, 10400],
    ]);

    // rectifications opened and closed per month
    expect(find('新增')!.map((s) => s.values)).toEqual([
      [2, 1, 0],
      [0, 0, 1],
    ]);
    const open = find('未销号')!;
    expect(open[0]!.values).toEqual([0, 1, 1, 0]);

    // readiness by kind equals the indicator list
    const inds = (await call(core, 'indicators.list', {})).filter((i) => i.kind !== 'category');
    const kinds = (['basic', 'scored', 'bonus'] as const).filter((k) => inds.some((i) => i.kind === k));
    const count = (kind: string, status: string) =>
      inds.filter((i) => i.kind === kind && i.status === status).length;
    expect(find('已达标')!.map((s) => s.values)).toEqual([
      kinds.map((k) => count(k, 'met')),
      kinds.map((k) => count(k, 'in_progress')),
      kinds.map((k) => count(k, 'not_met')),
    ]);

    // notes with the dashboard's figures
    const dash = await call(core, 'dashboard.summary', {});
    const readiness = await call(core, 'indicators.readiness', {});
    const notes = names
      .filter((n) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(n))
      .map((n) => pkg.text(n))
      .join('\n');
    expect(names.filter((n) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(n))).toHaveLength(r.slides);
    expect(notes).toContain(
      `全市共下发督办任务${dash.totals.supervised.value}项，已办结${dash.totals.done.value}项`,
    );
    expect(notes).toContain(`逾期未办结${dash.overdue.value}项`);
    expect(notes).toContain(`基础指标${readiness.basic.total}项，已达标${readiness.basic.met}项`);
    expect(notes).toContain('2027年3月排名第39名（共382个城市）');
    expect(notes).not.toContain('2027年4月排名');

    // cover and slide text
    const slide1 = pkg.text('ppt/slides/slide1.xml');
    expect(slide1).toContain('琼海市社会信用体系建设示范区创建工作汇报');
    expect(slide1).toContain('2027年1月—3月');
    expect(slide1).toContain('琼海市发展和改革委员会');
    // the footer (city + period) sits on the content master's layout
    const layouts = names
      .filter((n) => /^ppt\/slideLayouts\/slideLayout\d+\.xml$/.test(n))
      .map((n) => pkg.text(n));
    expect(
      layouts.some((x) => x.includes('琼海市社会信用体系建设示范区创建工作汇报　|　2027年1月—3月')),
    ).toBe(true);

    // 16:9, the Chinese font everywhere
    expect(pkg.text('ppt/presentation.xml')).toMatch(/<p:sldSz cx="12192000" cy="6858000"/);
    const faces = new Set<string>();
    for (const [n, b] of Object.entries(pkg.files)) {
      if (!/^ppt\/(slides\/slide|charts\/chart)\d+\.xml$/.test(n)) continue;
      for (const m of new TextDecoder().decode(b).matchAll(/<a:(?:latin|ea) typeface="([^"]*)"/g))
        faces.add(m[1]!);
    }
    expect([...faces].filter((f) => !f.startsWith('+'))).toEqual(['微软雅黑']);
  });

  it('keeps only the chosen sections, with the title given', async () => {
    const { r, buf } = await exportDeck({ sections: ['ranking'], title: '信用监测排名专题汇报' });
    const pkg = readDocx(buf);
    // cover, agenda, ranking trend, five dimensions, closing
    expect(r.slides).toBe(5);
    expect(r.charts).toBe(2);
    expect(pkg.text('ppt/slides/slide1.xml')).toContain('信用监测排名专题汇报');
    expect(pkg.text('ppt/slides/slide2.xml')).toContain('信用监测排名趋势');
    expect(pkg.text('ppt/slides/slide2.xml')).not.toContain('各单位任务完成情况');
  });

  it('refuses a period that ends before it starts, or no section', async () => {
    const e = await callError(
      core,
      'briefing.export',
      { from: '2027-03', to: '2027-01', sections: ['overview'] },
      'BAD_INPUT',
    );
    expect(e.message).toContain('开始月份不能晚于结束月份');
    const e2 = await callError(
      core,
      'briefing.export',
      { from: '2027-01', to: '2027-03', sections: [] },
      'BAD_INPUT',
    );
    expect(e2.message).toContain('请至少选择一个章节');
  });

  it('reports progress slide by slide', async () => {
    const events: { done: number; total: number | null; state: string }[] = [];
    const off = core.on('job.progress', (p) => {
      if (p.kind === 'briefing') events.push({ done: p.done, total: p.total, state: p.state });
    });
    const { r } = await exportDeck({ sections: ['overview', 'departments'] });
    off();
    const running = events.filter((e) => e.state === 'running' && e.total === r.slides);
    expect(running.map((e) => e.done)).toEqual([...Array.from({ length: r.slides }, (_, i) => i), r.slides]);
    expect(events.at(-1)!.state).toBe('done');
  });

  it.runIf(hasSoffice())(
    'LibreOffice renders the deck: one page per slide, the Chinese text',
    async () => {
      const { r, buf } = await exportDeck();
      const pdf = await officeToPdf(buf, { ext: 'pptx' });
      expect(await pdfPageCount(pdf)).toBe(r.slides);
      const pages = await pdfPages(pdf);
      expect(pages[0]).toContain('琼海市社会信用体系建设示范区创建工作汇报');
      expect(pages.join('\n')).toMatch(/第\s*39\s*名/);
      // the streak is as of the period's end: April (after the period) does not lengthen it
      expect(pages.join('\n')).toMatch(/连续\s*3\s*个月进入前\s*50\s*名/);
      expect(pages.join('\n')).not.toMatch(/连续\s*4\s*个月/);
      // departments by their short names
      expect(pages.join('\n')).not.toContain('琼海市人民政府办');
      expect(pages.at(-1)).toContain('汇报完毕');
      // BRIEFING_PNG_DIR=<folder>: the slides as PNG files, to look at them
      const out = process.env.BRIEFING_PNG_DIR;
      if (out) {
        fs.mkdirSync(out, { recursive: true });
        for (let p = 1; p <= r.slides; p++) {
          fs.writeFileSync(path.join(out, `ws-slide-${p}.png`), await pdfPagePng(pdf, p, { dpi: 80 }));
        }
      }
    },
    180_000,
  );
});
