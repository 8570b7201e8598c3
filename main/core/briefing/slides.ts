/**
 * The slides of the briefing deck, built from BriefingData (data.ts) on the theme's masters and
 * grid (theme.ts) with the chart helpers (charts.ts). planDeck() first lists every slide (long
 * lists are split over continuation slides), so the caller can report "slide i of n"; each
 * content slide gets speaker notes that state its figures in sentences.
 */
import type PptxGenJS from 'pptxgenjs';
import {
  BRIEFING_SECTION_LABEL,
  MONITORING_DIMENSION_LABEL,
  MONITORING_DIMENSIONS,
} from '../contract/labels';
import type { Rectification } from '../rectification/rectifications';
import { daysBetween } from '../tasks/periods';
import { barChart, ChartCounter, FMT, lineWithTarget, niceMax, type Box } from './charts';
import { monthLabel, shortMonth, type BriefingData } from './data';
import { COLOR, CONTENT_H, CONTENT_W, cols, FONT, GRID, MASTER, SIZE, SLIDE_W } from './theme';

type Slide = PptxGenJS.Slide;
type TableRow = PptxGenJS.TableRow;

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

// ---------------------------------------------------------------------------------------------
// formatting
// ---------------------------------------------------------------------------------------------

/** A fraction as a percentage with one decimal (0.6667 → 66.7%). */
export function pct(r: number | null | undefined): string {
  return r === null || r === undefined ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`;
}

/** A percentage value (98.5 → 98.5%). */
function pctValue(v: number | null | undefined): string {
  return v === null || v === undefined ? '—' : `${Number.isInteger(v) ? v : v.toFixed(1)}%`;
}

function num(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toFixed(1);
}

function cnDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** "3/8" (axis labels). */
function slashDate(date: string): string {
  const [, m, d] = date.split('-').map(Number);
  return `${m}/${d}`;
}

function cnShort(date: string | null): string {
  if (!date) return '—';
  const [, m, d] = date.split('-').map(Number);
  return `${m}月${d}日`;
}

/** Estimated width of a string in ems: CJK and full-width characters 1, others about 0.55. */
function ems(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u2e80-\uffef]/.test(ch) ? 1 : 0.55;
  return w;
}

/** Shortens `s` to fit `lines` lines of `widthIn` inches at `pt` points, ending with "…". */
export function fit(s: string, widthIn: number, pt: number, lines = 1): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  const maxEms = ((widthIn * 72) / pt) * lines * 0.9;
  if (ems(flat) <= maxEms) return flat;
  let out = '';
  let w = 0;
  for (const ch of flat) {
    const cw = /[\u2e80-\uffef]/.test(ch) ? 1 : 0.55;
    if (w + cw > maxEms - 1) break;
    out += ch;
    w += cw;
  }
  return `${out}…`;
}

/** Splits a list over as few slides as hold `max` items each, the parts as even as possible. */
export function chunk<T>(items: T[], max: number): T[][] {
  const parts = Math.max(1, Math.ceil(items.length / max));
  const size = Math.ceil(items.length / parts) || 1;
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out.length ? out : [[]];
}

// ---------------------------------------------------------------------------------------------
// building blocks
// ---------------------------------------------------------------------------------------------

export class SlideKit {
  readonly charts = new ChartCounter();
  constructor(
    readonly pptx: PptxGenJS,
    readonly data: BriefingData,
  ) {}

  content(title: string, lead: string | null): Slide {
    const slide = this.pptx.addSlide({ masterName: MASTER.content });
    slide.addText(title, { placeholder: 'title', fontFace: FONT });
    if (lead) {
      slide.addShape('rect', {
        x: GRID.marginX,
        y: GRID.leadY + 0.12,
        w: 0.07,
        h: GRID.leadH - 0.24,
        fill: { color: COLOR.red },
        line: { color: COLOR.red, width: 0 },
      });
      slide.addText(fit(lead, CONTENT_W - 0.3, SIZE.lead, 1), {
        x: GRID.marginX + 0.2,
        y: GRID.leadY,
        w: CONTENT_W - 0.2,
        h: GRID.leadH,
        fontFace: FONT,
        fontSize: SIZE.lead,
        bold: true,
        color: COLOR.navy,
        valign: 'middle',
        margin: 0,
      });
    }
    return slide;
  }

  /** A panel with a heading; returns the box below the heading for its content. */
  panel(slide: Slide, box: Box, heading: string): Box {
    slide.addShape('rect', {
      ...box,
      fill: { color: COLOR.white },
      line: { color: COLOR.line, width: 0.75 },
    });
    slide.addShape('rect', {
      x: box.x,
      y: box.y,
      w: box.w,
      h: 0.46,
      fill: { color: COLOR.panel },
      line: { color: COLOR.line, width: 0.75 },
    });
    slide.addText(heading, {
      x: box.x + 0.15,
      y: box.y,
      w: box.w - 0.3,
      h: 0.46,
      fontFace: FONT,
      fontSize: SIZE.body,
      bold: true,
      color: COLOR.navy,
      valign: 'middle',
      margin: 0,
    });
    return { x: box.x + 0.1, y: box.y + 0.56, w: box.w - 0.2, h: box.h - 0.66 };
  }

  /** A small right-aligned line at the bottom of a box: what did not fit ("另有 3 项见下页"). */
  more(slide: Slide, box: Box, text: string): void {
    slide.addText(text, {
      x: box.x,
      y: box.y + box.h - 0.35,
      w: box.w,
      h: 0.35,
      fontFace: FONT,
      fontSize: SIZE.small,
      color: COLOR.textLight,
      align: 'right',
      margin: 0,
    });
  }

  /** The "no data" text in a box: what is missing and what to do. */
  empty(slide: Slide, box: Box, message: string, hint: string): void {
    slide.addText(
      [
        {
          text: message,
          options: { fontSize: 20, bold: true, color: COLOR.textLight, breakLine: true },
        },
        { text: hint, options: { fontSize: SIZE.small, color: COLOR.textLight } },
      ],
      {
        ...box,
        fontFace: FONT,
        align: 'center',
        valign: 'middle',
        paraSpaceAfter: 8,
      },
    );
  }

  bullets(
    slide: Slide,
    box: Box,
    lines: { text: string; color?: string; bold?: boolean }[],
    pt: number = SIZE.body,
  ) {
    const maxLines = Math.max(1, Math.floor((box.h * 72) / (pt * 1.55)));
    const shown: { text: string; color?: string; bold?: boolean }[] = [];
    let used = 0;
    for (const l of lines) {
      const need = Math.ceil(ems(l.text) / (((box.w - 0.35) * 72) / pt) + 0.01) || 1;
      if (used + need > maxLines) {
        const left = maxLines - used;
        if (left > 0) shown.push({ ...l, text: fit(l.text, box.w - 0.35, pt, left) });
        break;
      }
      shown.push(l);
      used += need;
    }
    slide.addText(
      shown.map((l) => ({
        text: l.text,
        options: {
          bullet: { code: '25A0' },
          color: l.color ?? COLOR.text,
          bold: l.bold ?? false,
          breakLine: true,
        },
      })),
      {
        ...box,
        fontFace: FONT,
        fontSize: pt,
        valign: 'top',
        lineSpacingMultiple: 1.2,
        paraSpaceAfter: 4,
        margin: 0.05,
      },
    );
  }

  /**
   * A table with a navy header row and zebra rows. `widths` are fractions of the box width;
   * each cell's text is shortened to fit `lines` lines of its column.
   */
  table(
    slide: Slide,
    box: Box,
    header: string[],
    rows: string[][],
    widths: number[],
    opts: { lines?: number; pt?: number; align?: ('left' | 'center' | 'right')[]; rowH?: number } = {},
  ): void {
    const pt = opts.pt ?? SIZE.table;
    const lines = opts.lines ?? 1;
    const colW = widths.map((f) => f * box.w);
    const rowH = opts.rowH ?? Math.max(0.36, (lines * pt * 1.3) / 72 + 0.12);
    const cellOpts = (i: number, r: number): PptxGenJS.TableCellProps => ({
      fontFace: FONT,
      fontSize: pt,
      color: COLOR.text,
      align: opts.align?.[i] ?? 'left',
      valign: 'middle',
      fill: { color: r % 2 ? COLOR.zebra : COLOR.white },
      border: { type: 'solid', pt: 0.5, color: COLOR.line },
      margin: [0.02, 0.06, 0.02, 0.06],
    });
    const tableRows: TableRow[] = [
      header.map((h, i) => ({
        text: h,
        options: {
          fontFace: FONT,
          fontSize: pt,
          bold: true,
          color: COLOR.white,
          fill: { color: COLOR.navy },
          align: opts.align?.[i] ?? 'left',
          valign: 'middle',
          border: { type: 'solid', pt: 0.5, color: COLOR.navy },
          margin: [0.02, 0.06, 0.02, 0.06],
        },
      })),
      ...rows.map((row, r) =>
        row.map((cell, i) => ({
          text: fit(cell, (colW[i] ?? 1) - 0.14, pt, lines),
          options: cellOpts(i, r),
        })),
      ),
    ];
    slide.addTable(tableRows, {
      x: box.x,
      y: box.y,
      w: box.w,
      colW,
      rowH: [0.4, ...rows.map(() => rowH)],
    });
  }

  notes(slide: Slide, sentences: string[]): void {
    slide.addNotes(sentences.filter((s) => s.trim() !== '').join('\n'));
  }
}

/** A KPI card: label, big value, caption; the left bar and value coloured by tone. */
function kpiCard(
  slide: Slide,
  box: Box,
  card: {
    label: string;
    value: string;
    unit?: string;
    caption: string;
    tone: 'neutral' | 'good' | 'bad' | 'warn';
  },
): void {
  const toneColor = { neutral: COLOR.navy, good: COLOR.good, bad: COLOR.bad, warn: COLOR.warn }[card.tone];
  slide.addShape('rect', { ...box, fill: { color: COLOR.panel }, line: { color: COLOR.panel, width: 0 } });
  slide.addShape('rect', {
    x: box.x,
    y: box.y,
    w: 0.09,
    h: box.h,
    fill: { color: toneColor },
    line: { color: toneColor, width: 0 },
  });
  const inner = { x: box.x + 0.3, w: box.w - 0.45 };
  slide.addText(card.label, {
    ...inner,
    y: box.y + 0.2,
    h: 0.4,
    fontFace: FONT,
    fontSize: SIZE.body,
    color: COLOR.textMuted,
    margin: 0,
    valign: 'middle',
  });
  slide.addText(
    [
      { text: card.value, options: { fontSize: SIZE.kpi, bold: true, color: toneColor } },
      ...(card.unit
        ? [{ text: ` ${card.unit}`, options: { fontSize: SIZE.body, color: COLOR.textMuted } }]
        : []),
    ],
    { ...inner, y: box.y + 0.68, h: 0.8, fontFace: FONT, margin: 0, valign: 'middle' },
  );
  slide.addText(fit(card.caption, inner.w, SIZE.small, 2), {
    ...inner,
    y: box.y + 1.55,
    h: box.h - 1.7,
    fontFace: FONT,
    fontSize: SIZE.small,
    color: COLOR.textLight,
    margin: 0,
    valign: 'top',
  });
}

// ---------------------------------------------------------------------------------------------
// the plan
// ---------------------------------------------------------------------------------------------

export interface PlannedSlide {
  title: string;
  build: (kit: SlideKit) => void;
}

const FULL: Box = { x: GRID.marginX, y: GRID.top, w: CONTENT_W, h: CONTENT_H };
const box = (start: number, span: number, y = GRID.top, h = CONTENT_H): Box => ({
  ...cols(start, span),
  y,
  h,
});

/** Every slide of the deck, in order, for the chosen sections. */
export function planDeck(d: BriefingData): PlannedSlide[] {
  const slides: PlannedSlide[] = [{ title: '封面', build: (k) => cover(k) }];
  const numbered = d.sections.map((s, i) => ({
    section: s,
    heading: `${NUMERALS[i] ?? String(i + 1)}、${BRIEFING_SECTION_LABEL[s]}`,
  }));
  slides.push({
    title: '目录',
    build: (k) =>
      agenda(
        k,
        numbered.map((n) => n.heading),
      ),
  });
  for (const { section, heading } of numbered) {
    switch (section) {
      case 'overview':
        slides.push({ title: heading, build: (k) => overviewKpis(k, heading) });
        slides.push({ title: `${heading}（推进趋势）`, build: (k) => overviewTrend(k, heading) });
        break;
      case 'readiness':
        slides.push(...readinessSlides(d, heading));
        break;
      case 'departments':
        slides.push({ title: heading, build: (k) => departments(k, heading) });
        break;
      case 'ranking':
        slides.push({ title: heading, build: (k) => rankingTrend(k, heading) });
        if (d.monitoring.results.length)
          slides.push({ title: `${heading}（分维度）`, build: (k) => rankingDimensions(k, heading) });
        break;
      case 'compliance':
        slides.push({ title: heading, build: (k) => compliance(k, heading) });
        break;
      case 'rectifications':
        slides.push(...rectSlides(d, heading));
        break;
      case 'risks':
        slides.push(...riskSlides(d, heading));
        break;
      case 'next_steps':
        slides.push(...nextStepSlides(d, heading));
        break;
    }
  }
  slides.push({ title: '结束页', build: (k) => closing(k) });
  return slides;
}

// ---------------------------------------------------------------------------------------------
// cover, agenda, closing
// ---------------------------------------------------------------------------------------------

function cover(k: SlideKit): void {
  const d = k.data;
  const slide = k.pptx.addSlide({ masterName: MASTER.cover });
  const len = ems(d.title);
  const pt = len <= 22 ? 36 : len <= 40 ? 30 : 24;
  slide.addText(d.title, {
    x: 0.9,
    y: 1.0,
    w: SLIDE_W - 1.8,
    h: 2.0,
    fontFace: FONT,
    fontSize: pt,
    bold: true,
    color: COLOR.white,
    align: 'center',
    valign: 'middle',
    margin: 0,
  });
  slide.addShape('rect', {
    x: SLIDE_W / 2 - 0.8,
    y: 3.2,
    w: 1.6,
    h: 0.05,
    fill: { color: COLOR.gold },
    line: { color: COLOR.gold, width: 0 },
  });
  slide.addText(`汇报期间：${d.period.label}`, {
    x: 0.9,
    y: 3.45,
    w: SLIDE_W - 1.8,
    h: 0.6,
    fontFace: FONT,
    fontSize: 20,
    color: COLOR.white,
    align: 'center',
    valign: 'middle',
    margin: 0,
  });
  slide.addText(
    [
      {
        text: d.presenter ?? `${d.city}社会信用体系建设领导小组办公室`,
        options: { fontSize: 20, bold: true, color: COLOR.text, breakLine: true },
      },
      { text: cnDate(d.today), options: { fontSize: 16, color: COLOR.textMuted } },
    ],
    {
      x: 0.9,
      y: 5.15,
      w: SLIDE_W - 1.8,
      h: 1.2,
      fontFace: FONT,
      align: 'center',
      valign: 'middle',
      paraSpaceAfter: 6,
      margin: 0,
    },
  );
  k.notes(slide, [
    `${d.title}，汇报期间为${d.period.label}，数据截至${cnDate(d.today)}。`,
    d.presenter ? `汇报单位：${d.presenter}。` : '',
  ]);
}

function agenda(k: SlideKit, headings: string[]): void {
  const slide = k.content('目录', null);
  const twoColumns = headings.length > 4;
  const perColumn = twoColumns ? Math.ceil(headings.length / 2) : headings.length;
  const rowH = Math.min(1.1, CONTENT_H / Math.max(perColumn, 1));
  const top = GRID.top - 0.35 + (CONTENT_H + 0.35 - rowH * perColumn) / 2;
  headings.forEach((h, i) => {
    const column = twoColumns ? Math.floor(i / perColumn) : 0;
    const row = twoColumns ? i % perColumn : i;
    const c = twoColumns ? cols(column === 0 ? 1 : 7, 5) : cols(3, 6);
    const y = top + row * rowH + (rowH - 0.7) / 2;
    slide.addShape('rect', {
      x: c.x,
      y,
      w: 0.7,
      h: 0.7,
      fill: { color: COLOR.red },
      line: { color: COLOR.red, width: 0 },
    });
    slide.addText(String(i + 1).padStart(2, '0'), {
      x: c.x,
      y,
      w: 0.7,
      h: 0.7,
      fontFace: FONT,
      fontSize: 20,
      bold: true,
      color: COLOR.white,
      align: 'center',
      valign: 'middle',
      margin: 0,
    });
    slide.addText(h.replace(/^[一二三四五六七八九十]+、/, ''), {
      x: c.x + 0.9,
      y,
      w: c.w - 0.9,
      h: 0.7,
      fontFace: FONT,
      fontSize: 20,
      color: COLOR.text,
      valign: 'middle',
      margin: 0,
    });
    slide.addShape('line', {
      x: c.x + 0.9,
      y: y + 0.72,
      w: c.w - 0.9,
      h: 0,
      line: { color: COLOR.line, width: 0.75 },
    });
  });
  k.notes(slide, [`本次汇报共${headings.length}个部分：${headings.join('；')}。`]);
}

function closing(k: SlideKit): void {
  const d = k.data;
  const slide = k.pptx.addSlide({ masterName: MASTER.cover });
  slide.addText('汇报完毕，请各位领导批评指正！', {
    x: 0.9,
    y: 1.4,
    w: SLIDE_W - 1.8,
    h: 1.6,
    fontFace: FONT,
    fontSize: 36,
    bold: true,
    color: COLOR.white,
    align: 'center',
    valign: 'middle',
    margin: 0,
  });
  slide.addText(d.presenter ?? `${d.city}社会信用体系建设领导小组办公室`, {
    x: 0.9,
    y: 5.15,
    w: SLIDE_W - 1.8,
    h: 0.8,
    fontFace: FONT,
    fontSize: 20,
    bold: true,
    color: COLOR.text,
    align: 'center',
    valign: 'middle',
    margin: 0,
  });
  k.notes(slide, ['汇报结束。']);
}

// ---------------------------------------------------------------------------------------------
// overview
// ---------------------------------------------------------------------------------------------

function overviewKpis(k: SlideKit, heading: string): void {
  const d = k.data;
  const t = d.dashboard.totals;
  const r = d.readiness;
  const latest = d.monitoring.latest;
  const asOf = cnShort(d.today);
  const lead = `截至${asOf}，督办任务${t.supervised.value}项，已办结${t.done.value}项，完成率${pct(t.completionRate)}；逾期${d.dashboard.overdue.value}项`;
  const slide = k.content(heading, lead);
  const cards: Parameters<typeof kpiCard>[2][] = [
    {
      label: '督办任务',
      value: String(t.supervised.value),
      unit: '项',
      caption: `截至${asOf}已下发的督办任务`,
      tone: 'neutral',
    },
    {
      label: '已办结',
      value: String(t.done.value),
      unit: '项',
      caption: `已到期${t.dueToDate.value}项，其中已办结${t.doneOfDueToDate.value}项`,
      tone: 'good',
    },
    {
      label: '完成率',
      value: pct(t.completionRate),
      caption: '已办结任务占督办任务的比例',
      tone: (t.completionRate ?? 0) >= 0.8 ? 'good' : 'neutral',
    },
    {
      label: '逾期任务',
      value: String(d.dashboard.overdue.value),
      unit: '项',
      caption: '已过截止日期仍未办结',
      tone: d.dashboard.overdue.value > 0 ? 'bad' : 'good',
    },
    {
      label: '红灯 / 黄灯',
      value: `${d.dashboard.lights.red.value} / ${d.dashboard.lights.yellow.value}`,
      unit: '项',
      caption: '红灯为逾期或长期无进展，黄灯为临近到期',
      tone: d.dashboard.lights.red.value > 0 ? 'bad' : d.dashboard.lights.yellow.value > 0 ? 'warn' : 'good',
    },
    {
      label: '基础指标达标',
      value: `${r.basic.met}/${r.basic.total}`,
      unit: '项',
      caption: r.allBasicMet
        ? '基础指标已全部达标'
        : `尚有${r.basic.total - r.basic.met}项未达标（一票否决）`,
      tone: r.allBasicMet ? 'good' : 'bad',
    },
    {
      label: '评分指标自评分',
      value: num(r.scored.achieved),
      unit: `/ ${num(r.scored.possible)} 分`,
      caption: `评分指标${r.scored.count}项，已达标${r.scored.met}项`,
      tone: 'neutral',
    },
    {
      label: '最新监测排名',
      value: latest ? `第${latest.rank}名` : '—',
      caption: latest
        ? `${monthLabel(latest.month)}，共${latest.total}个城市参评`
        : '暂无监测数据，请在“监测排名”页录入',
      tone: latest ? (latest.rank <= d.monitoring.streak.target ? 'good' : 'warn') : 'neutral',
    },
  ];
  const cardH = (CONTENT_H - 0.3) / 2;
  cards.forEach((c, i) => {
    const row = Math.floor(i / 4);
    const col = i % 4;
    kpiCard(slide, { ...cols(col * 3, 3), y: GRID.top + row * (cardH + 0.3), h: cardH }, c);
  });
  k.notes(slide, [
    `截至${cnDate(d.today)}，全市共下发督办任务${t.supervised.value}项，已办结${t.done.value}项，完成率${pct(t.completionRate)}。`,
    `已到期任务${t.dueToDate.value}项，其中已办结${t.doneOfDueToDate.value}项；逾期未办结${d.dashboard.overdue.value}项。`,
    `红灯任务${d.dashboard.lights.red.value}项，黄灯任务${d.dashboard.lights.yellow.value}项，本周到期${d.dashboard.dueThisWeek.value}项。`,
    `基础指标${r.basic.total}项，已达标${r.basic.met}项${r.allBasicMet ? '，已全部达标' : `，${r.basic.total - r.basic.met}项未达标`}。`,
    `评分指标自评得分${num(r.scored.achieved)}分，满分${num(r.scored.possible)}分。`,
    latest
      ? `${monthLabel(latest.month)}全国城市信用状况监测排名第${latest.rank}名（共${latest.total}个城市），综合得分${num(latest.score)}分。`
      : '暂无信用监测排名数据。',
  ]);
}

function overviewTrend(k: SlideKit, heading: string): void {
  const d = k.data;
  const trend = d.dashboard.trend;
  const lastRate = trend.at(-1)?.cumulativeRate ?? null;
  const dueSum = trend.reduce((s, p) => s + p.due, 0);
  const doneSum = trend.reduce((s, p) => s + p.completed, 0);
  const slide = k.content(
    heading,
    `近${trend.length}周到期任务${dueSum}项，办结任务${doneSum}项；截至本周到期任务累计完成率${pct(lastRate)}`,
  );
  const left = k.panel(slide, box(0, 8), `近${trend.length}周任务到期与办结情况（项）`);
  if (dueSum + doneSum === 0) {
    k.empty(
      slide,
      left,
      '近期暂无到期或办结的任务',
      '任务下发并设置截止日期后，此处显示每周的到期和办结数量',
    );
  } else {
    barChart(
      k.charts,
      slide,
      left,
      trend.map((p) => slashDate(p.weekStart)),
      [
        { name: '当周到期', values: trend.map((p) => p.due) },
        { name: '当周办结', values: trend.map((p) => p.completed) },
      ],
      { colors: [COLOR.navy, COLOR.red], gap: 50 },
    );
  }
  const right = k.panel(slide, box(8, 4), '当前需关注');
  const overdue = d.dashboard.overdue;
  k.bullets(
    slide,
    right,
    [
      {
        text: `本周（${cnShort(d.dashboard.dueThisWeek.from)}—${cnShort(d.dashboard.dueThisWeek.to)}）到期未办结${d.dashboard.dueThisWeek.value}项`,
      },
      {
        text: `逾期未办结${overdue.value}项`,
        color: overdue.value > 0 ? COLOR.bad : COLOR.text,
        bold: overdue.value > 0,
      },
      ...overdue.tasks.slice(0, 4).map((t) => ({
        text: `${t.leadDeptName ?? '未指定单位'}：${t.title}（${cnShort(t.dueDate)}到期）`,
        color: COLOR.textMuted,
      })),
    ],
    SIZE.small + 1,
  );
  k.notes(slide, [
    `近${trend.length}周共有${dueSum}项任务到期，办结${doneSum}项。`,
    ...trend.map((p) => `${cnShort(p.weekStart)}当周到期${p.due}项、办结${p.completed}项。`),
    `截至本周，已到期任务累计完成率${pct(lastRate)}。`,
    `本周到期未办结${d.dashboard.dueThisWeek.value}项，逾期未办结${overdue.value}项。`,
  ]);
}

// ---------------------------------------------------------------------------------------------
// readiness
// ---------------------------------------------------------------------------------------------

const STATUS_TEXT = { not_met: '未达标', in_progress: '推进中', met: '已达标' } as const;

function readinessSlides(d: BriefingData, heading: string): PlannedSlide[] {
  const unmet = d.readiness.basic.unmet;
  const first = unmet.slice(0, 10);
  const rest = unmet.length > 10 ? chunk(unmet.slice(10), 12) : [];
  return [
    { title: heading, build: (k) => readiness(k, heading, first) },
    ...rest.map((part, i) => ({
      title: `${heading}（续${i + 1}）`,
      build: (k: SlideKit) => {
        const slide = k.content(`${heading}（续）`, `未达标的基础指标（续）`);
        k.table(
          slide,
          { ...FULL, h: 0.4 + part.length * 0.42 },
          ['编号', '指标名称', '状态'],
          part.map((u) => [u.code, u.title, STATUS_TEXT[u.status]]),
          [0.15, 0.7, 0.15],
          { align: ['left', 'left', 'center'] },
        );
        k.notes(slide, [
          `未达标的基础指标（续）：${part.map((u) => `${u.code}${u.title}（${STATUS_TEXT[u.status]}）`).join('；')}。`,
        ]);
      },
    })),
  ];
}

function readiness(
  k: SlideKit,
  heading: string,
  unmetShown: BriefingData['readiness']['basic']['unmet'],
): void {
  const d = k.data;
  const r = d.readiness;
  const lead = r.allBasicMet
    ? `基础指标${r.basic.total}项已全部达标；评分指标自评得分${num(r.scored.achieved)}/${num(r.scored.possible)}分`
    : `基础指标${r.basic.total}项中已达标${r.basic.met}项，尚有${r.basic.total - r.basic.met}项未达标（一票否决）`;
  const slide = k.content(heading, lead);
  const left = k.panel(slide, box(0, 6), '各类指标达标情况（项）');
  const kinds = d.indicatorsByKind;
  if (!kinds.length) {
    k.empty(slide, left, '暂无指标数据', '请在“指标体系”页导入或维护指标体系');
  } else {
    const chartBox = { ...left, h: left.h - 0.75 };
    barChart(
      k.charts,
      slide,
      chartBox,
      kinds.map((x) => x.label),
      [
        { name: '已达标', values: kinds.map((x) => x.met) },
        { name: '推进中', values: kinds.map((x) => x.inProgress) },
        { name: '未达标', values: kinds.map((x) => x.notMet) },
      ],
      { horizontal: true, stacked: true, colors: [COLOR.good, COLOR.warn, COLOR.bad], legend: true, gap: 45 },
    );
    slide.addText(
      `评分指标自评 ${num(r.scored.achieved)}/${num(r.scored.possible)} 分\u3000加分项 ${num(r.bonus.achieved)}/${num(r.bonus.possible)} 分\u3000佐证材料 ${r.evidence.satisfied}/${r.evidence.total} 项`,
      {
        x: left.x,
        y: left.y + left.h - 0.6,
        w: left.w,
        h: 0.55,
        fontFace: FONT,
        fontSize: SIZE.small,
        color: COLOR.textMuted,
        valign: 'middle',
        margin: 0,
      },
    );
  }
  const right = k.panel(slide, box(6, 6), '未达标的基础指标（一票否决）');
  if (!r.basic.unmet.length) {
    k.empty(
      slide,
      right,
      r.basic.total ? '基础指标已全部达标' : '暂无基础指标',
      r.basic.total ? '继续巩固，防止评审前出现反复' : '请在“指标体系”页维护基础指标',
    );
  } else {
    k.table(
      slide,
      { ...right, h: 0.4 + unmetShown.length * 0.42 },
      ['编号', '指标名称', '状态'],
      unmetShown.map((u) => [u.code, u.title, STATUS_TEXT[u.status]]),
      [0.18, 0.66, 0.16],
      { align: ['left', 'left', 'center'], pt: SIZE.small - 1, rowH: 0.4 },
    );
    if (r.basic.unmet.length > unmetShown.length) {
      k.more(slide, right, `另有${r.basic.unmet.length - unmetShown.length}项见下页`);
    }
  }
  k.notes(slide, [
    `基础指标共${r.basic.total}项，已达标${r.basic.met}项。`,
    r.basic.unmet.length
      ? `未达标的基础指标${r.basic.unmet.length}项：${r.basic.unmet.map((u) => `${u.code}${u.title}（${STATUS_TEXT[u.status]}）`).join('；')}。`
      : '基础指标已全部达标。',
    ...kinds.map((x) => `${x.label}：已达标${x.met}项，推进中${x.inProgress}项，未达标${x.notMet}项。`),
    `评分指标${r.scored.count}项，自评得分${num(r.scored.achieved)}分，满分${num(r.scored.possible)}分；加分项自评${num(r.bonus.achieved)}分，满分${num(r.bonus.possible)}分。`,
    `佐证材料清单共${r.evidence.total}项，已落实${r.evidence.satisfied}项。`,
  ]);
}

// ---------------------------------------------------------------------------------------------
// departments
// ---------------------------------------------------------------------------------------------

function departments(k: SlideKit, heading: string): void {
  const d = k.data;
  const rows = d.league;
  const total = rows.reduce((s, r) => s + r.total, 0);
  const done = rows.reduce((s, r) => s + r.done, 0);
  const full = rows.filter((r) => r.completionRate === 1).length;
  const low = rows.filter((r) => (r.completionRate ?? 0) < 0.5).length;
  const slide = k.content(
    heading,
    rows.length
      ? `${rows.length}个单位牵头的${total}项任务在本期到期，已办结${done}项（${pct(total ? done / total : null)}）；${full}个单位全部办结，${low}个单位完成率低于50%`
      : `本期（${d.period.label}）没有到期的督办任务`,
  );
  const name = (r: (typeof rows)[number]) => r.shortName ?? r.deptName;
  const rate = (r: (typeof rows)[number]) => r.completionRate ?? 0;
  /** Completion rates of these departments as horizontal bars (0–100%). */
  const rateBars = (at: Box, part: typeof rows, color: string) =>
    barChart(k.charts, slide, at, part.map(name), [{ name: '完成率', values: part.map(rate) }], {
      horizontal: true,
      format: FMT.fraction,
      valMax: 1,
      valMin: 0,
      colors: [color],
      gap: 40,
    });
  if (!rows.length) {
    k.empty(slide, FULL, '本期暂无到期任务', '各单位任务的截止日期落在汇报期间内时，此处按完成率排名');
  } else if (rows.length <= 12) {
    const inner = k.panel(slide, FULL, `各单位任务完成率（截止日期在${d.period.label}的任务）`);
    rateBars(inner, rows, COLOR.navy);
  } else {
    const top = rows.slice(0, 10);
    const bottom = rows.slice(-10);
    const l = k.panel(slide, box(0, 6), '完成率前十名');
    rateBars(l, top, COLOR.navy);
    const r = k.panel(slide, box(6, 6), '完成率后十名');
    rateBars(r, bottom, COLOR.red);
  }
  const line = (r: (typeof rows)[number]) =>
    `第${r.rank}名${name(r)}：任务${r.total}项，办结${r.done}项，完成率${pct(r.completionRate)}，逾期${r.overdue}项`;
  k.notes(slide, [
    `按截止日期在${d.period.label}（${cnDate(d.period.start)}至${cnDate(d.period.end)}）的督办任务统计，共${rows.length}个牵头单位、${total}项任务，已办结${done}项。`,
    ...(rows.length <= 12 ? rows : [...rows.slice(0, 10), ...rows.slice(-10)]).map((r) => `${line(r)}。`),
  ]);
}

// ---------------------------------------------------------------------------------------------
// ranking
// ---------------------------------------------------------------------------------------------

function rankingTrend(k: SlideKit, heading: string): void {
  const d = k.data;
  const m = d.monitoring;
  const s = m.streak;
  const latest = m.latest;
  const slide = k.content(
    heading,
    latest
      ? `${monthLabel(latest.month)}排名第${latest.rank}名（共${latest.total}个城市）${rankChangeText(latest.rankChange)}；${
          s.achieved
            ? `“连续三个月前${s.target}名”目标已实现`
            : s.current > 0
              ? `已连续${s.current}个月进入前${s.target}名`
              : `本月未进入前${s.target}名`
        }`
      : '暂无全国城市信用状况监测排名数据',
  );
  if (!latest) {
    k.empty(slide, FULL, '暂无监测数据', '请在“监测排名”页录入或导入每月的监测排名结果后重新生成汇报PPT');
    k.notes(slide, ['暂无全国城市信用状况监测排名数据，请录入每月监测结果后重新生成。']);
    return;
  }
  const sameYear = new Set(m.results.map((r) => r.month.slice(0, 4))).size === 1;
  const left = k.panel(slide, box(0, 8), `月度监测排名走势（目标：前${s.target}名）`);
  const ranks = m.results.map((r) => r.rank);
  lineWithTarget(
    k.charts,
    slide,
    left,
    m.results.map((r) => shortMonth(r.month, sameYear)),
    { name: '监测排名', values: ranks },
    { name: `目标线（前${s.target}名）`, value: s.target },
    {
      reversed: true,
      valMin: 0,
      valMax: niceMax(Math.max(...ranks, s.target) * 1.15),
      axisFormat: FMT.rankAxis,
    },
  );
  const right = k.panel(slide, box(8, 4), '目标达成情况');
  slide.addText(
    [
      {
        text: `第${latest.rank}名`,
        options: {
          fontSize: 32,
          bold: true,
          color: latest.rank <= s.target ? COLOR.good : COLOR.red,
          breakLine: true,
        },
      },
      {
        text: `${monthLabel(latest.month)}，共${latest.total}个城市；综合得分${num(latest.score)}分`,
        options: { fontSize: SIZE.small, color: COLOR.textMuted },
      },
    ],
    { x: right.x + 0.1, y: right.y, w: right.w - 0.2, h: 1.2, fontFace: FONT, margin: 0, valign: 'middle' },
  );
  k.bullets(
    slide,
    { x: right.x + 0.05, y: right.y + 1.35, w: right.w - 0.1, h: right.h - 1.4 },
    [
      {
        text: `连续${s.current}个月进入前${s.target}名，最长连续${s.best}个月`,
        bold: true,
      },
      {
        text: s.achieved
          ? `“连续3个月进入前${s.target}名”目标已实现`
          : `距“连续3个月进入前${s.target}名”目标还差${Math.max(1, 3 - s.current)}个月`,
        color: s.achieved ? COLOR.good : COLOR.bad,
        bold: true,
      },
      {
        text: s.basicOk
          ? `基础指标要求排名前${s.basicLimit}名：各月均满足`
          : `基础指标要求排名前${s.basicLimit}名：${s.monthsOutsideBasic.map((x) => monthLabel(x)).join('、')}未满足`,
        color: s.basicOk ? COLOR.text : COLOR.bad,
      },
    ],
    SIZE.small + 1,
  );
  k.notes(slide, [
    ...m.results.map(
      (r) => `${monthLabel(r.month)}排名第${r.rank}名（共${r.total}个城市），综合得分${num(r.score)}分。`,
    ),
    s.explanation,
    `目标为连续3个月进入前${s.target}名；目前连续${s.current}个月，最长${s.best}个月。`,
  ]);
}

function rankChangeText(change: number | null): string {
  if (change === null) return '';
  if (change > 0) return `，较上月上升${change}位`;
  if (change < 0) return `，较上月下降${-change}位`;
  return '，与上月持平';
}

function rankingDimensions(k: SlideKit, heading: string): void {
  const d = k.data;
  const m = d.monitoring;
  const withDims = m.results
    .filter((r) => MONITORING_DIMENSIONS.every((dim) => r.dims[dim] !== null))
    .slice(-3);
  const weak = m.weakPoints;
  const slide = k.content(
    heading,
    weak.length
      ? `${weak.length}个维度出现薄弱信号：${weak.map((w) => w.label).join('、')}`
      : '五个维度暂未发现连续下降或低于近三个月均值的情况',
  );
  const left = k.panel(slide, box(0, 8), '五个维度得分（分）');
  const labels = MONITORING_DIMENSIONS.map((dim) => MONITORING_DIMENSION_LABEL[dim]);
  if (!withDims.length) {
    k.empty(slide, left, '暂无分维度得分', '录入监测结果时填写五个维度的得分后，此处显示对比');
  } else {
    const values = withDims.flatMap((r) => MONITORING_DIMENSIONS.map((dim) => r.dims[dim] ?? 0));
    const lo = Math.min(...values);
    barChart(
      k.charts,
      slide,
      left,
      labels,
      withDims.map((r) => ({
        name: monthLabel(r.month),
        values: MONITORING_DIMENSIONS.map((dim) => r.dims[dim] ?? 0),
      })),
      {
        format: FMT.score,
        colors: ['A6B4CC', '5B7DB1', COLOR.navy],
        valMin: Math.max(0, Math.floor((lo - 5) / 5) * 5),
        legend: true,
        gap: 70,
      },
    );
  }
  const right = k.panel(slide, box(8, 4), '薄弱维度预警');
  if (!weak.length) {
    k.empty(slide, right, '暂无预警', '维度得分连续两个月下降或低于近三个月均值时提示');
  } else {
    k.bullets(
      slide,
      right,
      weak.map((w) => ({ text: `${w.label}（${monthLabel(w.month)}）：${w.explanation}` })),
      SIZE.small,
    );
  }
  k.notes(slide, [
    ...withDims.map(
      (r) =>
        `${monthLabel(r.month)}各维度得分：${MONITORING_DIMENSIONS.map((dim) => `${MONITORING_DIMENSION_LABEL[dim]}${num(r.dims[dim] ?? 0)}分`).join('，')}。`,
    ),
    weak.length
      ? `薄弱维度${weak.length}个：${weak.map((w) => `${w.label}，${w.explanation}`).join('；')}。`
      : '暂未发现薄弱维度。',
  ]);
}

// ---------------------------------------------------------------------------------------------
// compliance (tracked metrics)
// ---------------------------------------------------------------------------------------------

function compliance(k: SlideKit, heading: string): void {
  const d = k.data;
  const byKey = new Map(d.metrics.map((m) => [m.key, m]));
  const comp = byKey.get('compliance_rate');
  const commit = byKey.get('commitments');
  const repair = byKey.get('repair_rate');
  const parts: string[] = [];
  if (comp?.latest) parts.push(`五类数据合规率${pctValue(comp.latest.rate)}（目标${pctValue(comp.target)}）`);
  if (commit?.latest)
    parts.push(
      `信用承诺${num(commit.latest.value)}份${commit.latest.base !== null ? `，企业${num(commit.latest.base)}户` : ''}`,
    );
  if (repair?.latest) parts.push(`信用修复率${pctValue(repair.latest.rate)}`);
  const slide = k.content(heading, parts.length ? parts.join('；') : '暂无数据报送合规和信用承诺的监测数据');
  const sameYear = (months: string[]) => new Set(months.map((m) => m.slice(0, 4))).size <= 1;

  const rateChart = (metric: typeof comp, b: Box, title: string) => {
    const inner = k.panel(slide, b, title);
    if (!metric || !metric.values.length) {
      k.empty(slide, inner, '暂无数据', '请在“监测排名”页录入每月数值');
      return;
    }
    const months = metric.values.map((v) => v.month);
    const rates = metric.values.map((v) => v.rate ?? v.value);
    lineWithTarget(
      k.charts,
      slide,
      inner,
      months.map((m) => shortMonth(m, sameYear(months))),
      { name: metric.name, values: rates },
      { name: `目标 ${pctValue(metric.target)}`, value: metric.target },
      {
        bars: true,
        format: FMT.percent,
        axisFormat: FMT.percentAxis,
        valMin: Math.max(0, Math.floor((Math.min(...rates, metric.target) - 10) / 10) * 10),
        valMax: Math.max(100, niceMax(Math.max(...rates, metric.target))),
        colors: [COLOR.navy],
      },
    );
  };
  rateChart(comp, box(0, 4), '五类数据合规率');

  const mid = k.panel(slide, box(4, 4), '信用承诺数与企业总数');
  if (!commit || !commit.values.length) {
    k.empty(slide, mid, '暂无数据', '请在“监测排名”页录入每月的承诺数和企业数');
  } else {
    const months = commit.values.map((v) => v.month);
    barChart(
      k.charts,
      slide,
      mid,
      months.map((m) => shortMonth(m, sameYear(months))),
      [
        { name: '信用承诺数', values: commit.values.map((v) => v.value) },
        { name: '企业总数', values: commit.values.map((v) => v.base ?? 0) },
      ],
      { colors: [COLOR.red, 'A6A6A6'], legend: true, gap: 50, showValue: commit.values.length <= 4 },
    );
  }
  rateChart(repair, box(8, 4), '信用修复率');

  k.notes(
    slide,
    [comp, commit, repair]
      .filter((m): m is NonNullable<typeof m> => m !== undefined)
      .map((m) =>
        m.values.length
          ? `${m.name}：${m.values
              .map((v) =>
                m.key === 'commitments'
                  ? `${monthLabel(v.month)}承诺${num(v.value)}份${v.base !== null ? `、企业${num(v.base)}户、覆盖率${pctValue(v.rate)}` : ''}`
                  : `${monthLabel(v.month)}${pctValue(v.rate ?? v.value)}`,
              )
              .join(
                '，',
              )}；目标${pctValue(m.target)}${m.onTarget === false ? '，最新值未达目标' : m.onTarget ? '，最新值已达目标' : ''}。`
          : `${m.name}：暂无数据。`,
      ),
  );
}

// ---------------------------------------------------------------------------------------------
// rectifications
// ---------------------------------------------------------------------------------------------

function rectSlides(d: BriefingData, heading: string): PlannedSlide[] {
  const parts = d.rect.overdue.length ? chunk(d.rect.overdue, 10) : [];
  return [
    { title: heading, build: (k) => rectOverview(k, heading) },
    ...parts.map((part, i) => ({
      title: `${heading}（逾期事项${parts.length > 1 ? ` ${i + 1}/${parts.length}` : ''}）`,
      build: (k: SlideKit) => rectOverdue(k, heading, part, i, parts.length),
    })),
  ];
}

function rectOverview(k: SlideKit, heading: string): void {
  const d = k.data;
  const flow = d.rect.flow;
  const opened = flow.reduce((s, f) => s + f.opened, 0);
  const closed = flow.reduce((s, f) => s + f.closed, 0);
  const slide = k.content(
    heading,
    `本期新增整改事项${opened}项、销号${closed}项；目前未销号${d.rect.open}项，其中逾期${d.rect.overdue.length}项`,
  );
  const sameYear = new Set(flow.map((f) => f.month.slice(0, 4))).size <= 1;
  const left = k.panel(slide, box(0, 7), '整改事项新增与销号（项）');
  if (opened + closed === 0) {
    k.empty(slide, left, '本期暂无新增或销号的整改事项', '在“整改清单”中登记和销号后，此处按月统计');
  } else {
    barChart(
      k.charts,
      slide,
      left,
      flow.map((f) => shortMonth(f.month, sameYear)),
      [
        { name: '新增', values: flow.map((f) => f.opened) },
        { name: '销号', values: flow.map((f) => f.closed) },
      ],
      { colors: [COLOR.red, COLOR.good], legend: true, gap: 80 },
    );
  }
  const right = k.panel(slide, box(7, 5), '未销号事项来源（项）');
  if (!d.rect.open) {
    k.empty(slide, right, '整改事项已全部销号', '新的问题登记后在此显示');
  } else {
    barChart(
      k.charts,
      slide,
      right,
      d.rect.openBySource.map((s) => s.label),
      [{ name: '未销号', values: d.rect.openBySource.map((s) => s.count) }],
      { horizontal: true, colors: [COLOR.navy], gap: 50 },
    );
  }
  k.notes(slide, [
    `${d.period.label}共新增整改事项${opened}项，销号${closed}项。`,
    ...flow.map((f) => `${monthLabel(f.month)}新增${f.opened}项、销号${f.closed}项。`),
    `目前未销号${d.rect.open}项，其中${
      d.rect.openBySource
        .filter((s) => s.count)
        .map((s) => `${s.label}${s.count}项`)
        .join('、') || '无'
    }；逾期${d.rect.overdue.length}项。`,
  ]);
}

function rectOverdue(k: SlideKit, heading: string, part: Rectification[], i: number, n: number): void {
  const d = k.data;
  const slide = k.content(
    `${heading}${i ? '（续）' : ''}`,
    `逾期未销号的整改事项${d.rect.overdue.length}项${n > 1 ? `（第${i + 1}页，共${n}页）` : ''}`,
  );
  k.table(
    slide,
    { ...FULL, h: 0.4 + part.length * 0.46 },
    ['编号', '问题', '责任单位', '整改时限', '逾期天数', '状态'],
    part.map((r) => [
      r.code,
      r.problem,
      r.deptName ?? '—',
      cnShort(r.deadline),
      r.deadline ? String(daysBetween(r.deadline, d.today)) : '—',
      { open: '待整改', in_progress: '整改中', verifying: '待验收', closed: '已销号' }[r.status],
    ]),
    [0.1, 0.45, 0.17, 0.1, 0.09, 0.09],
    {
      align: ['left', 'left', 'left', 'center', 'center', 'center'],
      lines: 2,
      pt: SIZE.small - 1,
      rowH: 0.46,
    },
  );
  k.notes(
    slide,
    part.map(
      (r) =>
        `${r.code}：${r.problem}，责任单位${r.deptName ?? '未指定'}，整改时限${r.deadline ? cnDate(r.deadline) : '未设定'}${r.deadline ? `，已逾期${daysBetween(r.deadline, d.today)}天` : ''}。`,
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// risks
// ---------------------------------------------------------------------------------------------

export interface RiskRow {
  category: string;
  situation: string;
  response: string;
}

/** The risks, generated from the data: veto indicators, ranking, weak points, tasks, metrics. */
export function risks(d: BriefingData): RiskRow[] {
  const out: RiskRow[] = [];
  const r = d.readiness;
  if (r.basic.unmet.length) {
    out.push({
      category: '基础指标未达标',
      situation: `基础指标${r.basic.total}项中${r.basic.unmet.length}项未达标（一票否决）：${r.basic.unmet
        .slice(0, 4)
        .map((u) => `${u.code}${u.title}`)
        .join('、')}${r.basic.unmet.length > 4 ? '等' : ''}`,
      response: '逐项明确牵头单位、完成时限和佐证材料，评审前全部达标',
    });
  }
  const s = d.monitoring.streak;
  const latest = d.monitoring.latest;
  if (latest && !s.achieved) {
    out.push({
      category: '监测排名',
      situation: `最新排名第${latest.rank}名，连续进入前${s.target}名${s.current}个月，尚未实现连续3个月`,
      response: '对照五个维度补短板，按月跟踪排名变化',
    });
  }
  if (latest && !s.basicOk) {
    out.push({
      category: '监测排名',
      situation: `${s.monthsOutsideBasic.map(monthLabel).join('、')}排名在前${s.basicLimit}名以外，不满足基础指标要求`,
      response: '分析失分原因，形成指标提升方案并落实到部门',
    });
  }
  for (const w of d.monitoring.weakPoints) {
    out.push({
      category: '薄弱维度',
      situation: `${w.label}：${w.explanation}`,
      response: w.proposal.measures || '制定整改措施并明确责任单位',
    });
  }
  const overdue = d.dashboard.overdue;
  if (overdue.value > 0) {
    const depts = [...new Set(overdue.tasks.map((t) => t.leadDeptName).filter((n): n is string => !!n))];
    out.push({
      category: '任务逾期',
      situation: `逾期未办结任务${overdue.value}项${depts.length ? `，涉及${depts.slice(0, 4).join('、')}${depts.length > 4 ? '等' : ''}` : ''}`,
      response: '对逾期单位发督办提醒，限期办结并说明原因',
    });
  }
  if (d.dashboard.lights.red.value > 0) {
    out.push({
      category: '红灯预警',
      situation: `红灯任务${d.dashboard.lights.red.value}项（逾期或长期无进展）`,
      response: '专班逐项调度，每周通报进展',
    });
  }
  for (const m of d.metrics) {
    if (m.onTarget === false && m.latest) {
      out.push({
        category: '监测指标',
        situation: `${m.name}${m.key === 'commitments' ? '覆盖率' : ''}最新为${pctValue(m.latest.rate ?? m.latest.value)}，低于目标${pctValue(m.target)}`,
        response:
          m.key === 'compliance_rate' ? '核查不合规数据，督促报送单位整改' : '组织相关部门加快推进，按月通报',
      });
    }
  }
  if (d.rect.overdue.length) {
    out.push({
      category: '整改逾期',
      situation: `逾期未销号整改事项${d.rect.overdue.length}项`,
      response: '责任单位限期整改，完成后提交验收',
    });
  }
  return out;
}

function riskSlides(d: BriefingData, heading: string): PlannedSlide[] {
  const rows = risks(d);
  const parts = chunk(rows, 8);
  return parts.map((part, i) => ({
    title: i ? `${heading}（续）` : heading,
    build: (k: SlideKit) => {
      const offset = parts.slice(0, i).reduce((n, p) => n + p.length, 0);
      const slide = k.content(
        i ? `${heading}（续）` : heading,
        rows.length ? `需提请关注的风险和问题${rows.length}项` : '暂未发现需要提请关注的风险和问题',
      );
      if (!rows.length) {
        k.empty(slide, FULL, '暂无风险提示', '基础指标、监测排名、任务和整改事项均未发现异常');
        k.notes(slide, ['暂未发现需要提请关注的风险和问题。']);
        return;
      }
      k.table(
        slide,
        { ...FULL, h: 0.4 + part.length * 0.58 },
        ['序号', '类别', '具体情况', '应对建议'],
        part.map((r, j) => [String(offset + j + 1), r.category, r.situation, r.response]),
        [0.07, 0.13, 0.5, 0.3],
        { lines: 2, rowH: 0.58, align: ['center', 'left', 'left', 'left'] },
      );
      k.notes(
        slide,
        part.map((r, j) => `${offset + j + 1}. ${r.category}：${r.situation}。建议：${r.response}。`),
      );
    },
  }));
}

// ---------------------------------------------------------------------------------------------
// next steps
// ---------------------------------------------------------------------------------------------

export interface StepRow {
  category: string;
  item: string;
  owner: string;
  due: string;
}

const MAX_STEPS = 20;

export function nextSteps(d: BriefingData): { rows: StepRow[]; more: number } {
  const all: StepRow[] = [];
  for (const w of d.monitoring.weakPoints) {
    all.push({
      category: '薄弱维度提升',
      item: w.proposal.taskTitle,
      owner: '—',
      due: cnShort(w.proposal.deadline),
    });
  }
  for (const r of d.rect.dueSoon) {
    all.push({
      category: r.overdue ? '逾期整改' : '整改到期',
      item: r.problem,
      owner: r.deptName ?? '—',
      due: cnShort(r.deadline),
    });
  }
  for (const t of d.next.tasks) {
    all.push({
      category: `${shortMonth(d.next.month)}到期任务`,
      item: t.title,
      owner: t.deptName ?? '—',
      due: cnShort(t.dueDate),
    });
  }
  const extraTasks = d.next.taskTotal - d.next.tasks.length;
  return { rows: all.slice(0, MAX_STEPS), more: all.length - Math.min(all.length, MAX_STEPS) + extraTasks };
}

function nextStepSlides(d: BriefingData, heading: string): PlannedSlide[] {
  const { rows, more } = nextSteps(d);
  const parts = chunk(rows, 10);
  const taskCount = d.next.taskTotal;
  const lead = `${monthLabel(d.next.month)}到期任务${taskCount}项，待办整改事项${d.rect.dueSoon.length}项，薄弱维度提升${d.monitoring.weakPoints.length}项`;
  return parts.map((part, i) => ({
    title: i ? `${heading}（续）` : heading,
    build: (k: SlideKit) => {
      const offset = parts.slice(0, i).reduce((n, p) => n + p.length, 0);
      const slide = k.content(i ? `${heading}（续）` : heading, lead);
      if (!rows.length) {
        k.empty(slide, FULL, '下月暂无到期事项', '按创建工作方案继续推进各项任务');
        k.notes(slide, [`${monthLabel(d.next.month)}暂无到期的任务和整改事项。`]);
        return;
      }
      k.table(
        slide,
        { ...FULL, h: 0.4 + part.length * 0.42 },
        ['序号', '类别', '工作事项', '责任单位', '完成时限'],
        part.map((r, j) => [String(offset + j + 1), r.category, r.item, r.owner, r.due]),
        [0.07, 0.15, 0.5, 0.16, 0.12],
        { align: ['center', 'left', 'left', 'left', 'center'] },
      );
      if (i === parts.length - 1 && more > 0) {
        k.more(slide, FULL, `另有${more}项事项未列出，详见任务督办和整改清单。`);
      }
      k.notes(slide, [
        i === 0 ? `${lead}。` : '',
        ...part.map(
          (r, j) => `${offset + j + 1}. ${r.category}：${r.item}，责任单位${r.owner}，完成时限${r.due}。`,
        ),
        i === parts.length - 1 && more > 0 ? `另有${more}项事项未列出。` : '',
      ]);
    },
  }));
}
