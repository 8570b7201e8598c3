/**
 * The briefing deck built from plain figures (no workspace): slide plan and continuation slides,
 * the chart parts and their values, notes, fonts, 16:9, the empty-data slides, and the
 * LibreOffice rendering of the full deck.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDeck } from '../../main/core/briefing/deck';
import { fit, nextSteps, planDeck, risks } from '../../main/core/briefing/slides';
import { hasSoffice, officeToPdf, pdfPageCount, pdfPagePng, pdfPages, readDocx } from '../helpers/docx';
import { chartSeries, fixture } from './briefing-fixture';

describe('briefing deck from plain figures', () => {
  it('plans cover, agenda, every section with continuation slides, and the closing slide', () => {
    const plan = planDeck(fixture()).map((p) => p.title);
    expect(plan[0]).toBe('封面');
    expect(plan[1]).toBe('目录');
    expect(plan.at(-1)).toBe('结束页');
    // 9 unmet basic indicators fit on the readiness slide; 13 (a 2022 system) need one more
    expect(plan.filter((t) => t.startsWith('二、指标达标情况'))).toHaveLength(1);
    const d = fixture();
    const unmet13 = Array.from({ length: 13 }, (_, i) => ({ ...d.readiness.basic.unmet[0]!, id: `u${i}` }));
    const plan13 = planDeck({
      ...d,
      readiness: { ...d.readiness, basic: { total: 13, met: 0, unmet: unmet13 } },
    });
    expect(plan13.filter((t) => t.title.startsWith('二、指标达标情况')).map((t) => t.title)).toEqual([
      '二、指标达标情况',
      '二、指标达标情况（续1）',
    ]);
    // 12 overdue rectifications: two table slides of 10 and 2
    expect(plan.filter((t) => t.includes('逾期事项'))).toHaveLength(2);
    expect(plan.length).toBeLessThanOrEqual(20);
  });

  it('writes native charts whose series are the figures, notes, the font and 16:9', async () => {
    const d = fixture();
    const deck = await buildDeck(d);
    const pkg = readDocx(deck.data);
    const slides = Object.keys(pkg.files).filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    expect(slides).toHaveLength(deck.slides);
    expect(deck.slides).toBe(planDeck(d).length);
    const series = chartSeries(pkg.files);
    expect(series).toHaveLength(deck.charts);
    expect(deck.charts).toBeGreaterThanOrEqual(8);
    // no chart is a picture
    expect(Object.keys(pkg.files).filter((n) => /^ppt\/media\//.test(n))).toEqual([]);

    const find = (name: string) => series.find((s) => s.some((x) => x.name === name));
    // ranking: target line and the ranks in month order
    const rank = find('监测排名')!;
    expect(rank.find((s) => s.name === '监测排名')!.values).toEqual(d.monitoring.results.map((r) => r.rank));
    expect(rank.find((s) => s.name.startsWith('目标线'))!.values).toEqual(d.monitoring.results.map(() => 50));
    // the rank axis is reversed (1 at the top)
    const rankXml = Object.entries(pkg.files).find(
      ([n, b]) => n.startsWith('ppt/charts/chart') && new TextDecoder().decode(b).includes('监测排名'),
    )!;
    expect(new TextDecoder().decode(rankXml[1])).toContain('<c:orientation val="maxMin"/>');
    // departments: top ten and bottom ten of the league, rates as fractions
    const rates = series.filter((s) => s.length === 1 && s[0]!.name === '完成率').map((s) => s[0]!.values);
    expect(rates).toEqual([
      d.league.slice(0, 10).map((r) => r.completionRate),
      d.league.slice(-10).map((r) => r.completionRate),
    ]);
    // compliance rate with its target; commitments against enterprises
    const comp = find('五类数据合规率')!;
    expect(comp.find((s) => s.name === '五类数据合规率')!.values).toEqual([97.2, 98.6, 99.1]);
    expect(find('信用承诺数')!.map((s) => s.values)).toEqual([
      [8200, 9100, 9800],
      [10400, 10450, 10500],
    ]);
    // rectifications opened and closed per month
    expect(find('新增')!.map((s) => s.values)).toEqual([
      [8, 5, 3],
      [2, 4, 3],
    ]);
    // readiness by kind (stacked)
    expect(find('已达标')!.map((s) => s.values)).toEqual([
      [3, 12, 1],
      [4, 10, 1],
      [5, 6, 1],
    ]);

    // notes on every slide, with the figures
    const notes = Object.keys(pkg.files).filter((n) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(n));
    expect(notes).toHaveLength(deck.slides);
    const allNotes = notes.map((n) => pkg.text(n)).join('\n');
    expect(allNotes).toContain('全市共下发督办任务59项，已办结21项，完成率35.6%');
    expect(allNotes).toContain('2027年3月排名第39名（共380个城市）');

    // 16:9 wide, every typeface the Chinese font
    const pres = pkg.text('ppt/presentation.xml');
    expect(pres).toMatch(/<p:sldSz cx="12192000" cy="6858000"/);
    const faces = new Set<string>();
    for (const [n, b] of Object.entries(pkg.files)) {
      if (!/^ppt\/(slides\/slide|charts\/chart|slideLayouts\/slideLayout)\d+\.xml$/.test(n)) continue;
      for (const m of new TextDecoder().decode(b).matchAll(/<a:(?:latin|ea) typeface="([^"]*)"/g))
        faces.add(m[1]!);
    }
    expect([...faces].filter((f) => !f.startsWith('+'))).toEqual(['微软雅黑']);
    const theme = pkg.text('ppt/theme/theme1.xml');
    expect(theme).toContain('<a:ea typeface="微软雅黑"/>');
    // the chart labels name the Chinese font as East Asian face too
    expect(new TextDecoder().decode(rankXml[1])).toContain('<a:ea typeface="微软雅黑"/>');
  });

  it('shows a clear text instead of a broken chart when there is no data', async () => {
    const d = fixture({
      monitoring: { ...fixture().monitoring, results: [], latest: null, weakPoints: [] },
      metrics: [],
      league: [],
      sections: ['ranking', 'compliance', 'departments'],
    });
    const deck = await buildDeck(d);
    const pkg = readDocx(deck.data);
    expect(deck.charts).toBe(0);
    expect(Object.keys(pkg.files).some((n) => n.startsWith('ppt/charts/'))).toBe(false);
    const text = Object.keys(pkg.files)
      .filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n))
      .map((n) => pkg.text(n))
      .join('');
    expect(text).toContain('暂无监测数据');
    expect(text).toContain('本期暂无到期任务');
    expect(text).toContain('暂无数据');
  });

  it('generates risks and next steps from the figures', () => {
    const d = fixture();
    const r = risks(d);
    expect(r.map((x) => x.category)).toEqual([
      '基础指标未达标',
      '薄弱维度',
      '任务逾期',
      '红灯预警',
      '监测指标',
      '监测指标',
      '整改逾期',
    ]);
    expect(r[0]!.situation).toContain('基础指标12项中9项未达标');
    expect(r[3]!.situation).toBe('红灯任务11项（逾期或长期无进展）');
    const steps = nextSteps(d);
    expect(steps.rows[0]).toEqual({
      category: '薄弱维度提升',
      item: '提升“诚信文化和诚信建设”维度得分',
      owner: '—',
      due: '4月30日',
    });
    expect(steps.rows).toHaveLength(17);
    expect(steps.more).toBe(0);
  });

  it('shortens text to the space it has', () => {
    expect(fit('短文本', 2, 12)).toBe('短文本');
    const long = '很'.repeat(100);
    const s = fit(long, 2, 12, 1);
    expect(s.endsWith('…')).toBe(true);
    expect(s.length).toBeLessThanOrEqual(12);
  });

  it.runIf(hasSoffice())(
    'LibreOffice renders every slide, with the Chinese text',
    async () => {
      const d = fixture();
      const deck = await buildDeck(d);
      const pdf = await officeToPdf(deck.data, { ext: 'pptx' });
      expect(await pdfPageCount(pdf)).toBe(deck.slides);
      const pages = await pdfPages(pdf);
      expect(pages[0]).toContain('琼海市社会信用体系建设示范区创建工作汇报');
      expect(pages[1]).toContain('目录');
      expect(pages.join('\n')).toContain('最新监测排名');
      const out = process.env.BRIEFING_PNG_DIR;
      if (out) {
        fs.mkdirSync(out, { recursive: true });
        for (let p = 1; p <= deck.slides; p++) {
          fs.writeFileSync(path.join(out, `slide-${p}.png`), await pdfPagePng(pdf, p, { dpi: 80 }));
        }
      }
    },
    180_000,
  );
});
