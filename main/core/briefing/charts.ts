/**
 * Native, editable charts (pptxgenjs addChart: DrawingML chart parts with their data workbook),
 * styled once here: the deck's font on every label, light grid lines, no chart borders, legend
 * at the bottom. Values go into the chart exactly as given (rates as fractions with a % number
 * format), so the chart data equals the database figures.
 */
import type PptxGenJS from 'pptxgenjs';
import { COLOR, FONT, SERIES, SIZE } from './theme';

type Slide = PptxGenJS.Slide;
type ChartOpts = PptxGenJS.IChartOpts;

export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface Series {
  name: string;
  values: number[];
}

/** Counts the charts placed, for the result and the tests. */
export class ChartCounter {
  count = 0;
}

/** Number formats. */
export const FMT = {
  /** A fraction shown as a percentage (0.625 → 63%). */
  fraction: '0%',
  fraction1: '0.0%',
  /** A number that already is a percentage (98.5 → 98.5%). */
  percent: '0.0"%"',
  /** Axis labels of percentages (98 → 98%). */
  percentAxis: '0"%"',
  /** Ranks on an axis from 0: the 0 is not a rank, so it shows nothing. */
  rankAxis: '0;-0;',
  integer: '0',
  /** Counts as data labels: a 0 shows nothing (no "0" clutter on empty weeks or stacks). */
  count: '0;-0;',
  score: '0.0',
} as const;

function base(box: Box): ChartOpts {
  return {
    ...box,
    catAxisLabelFontFace: FONT,
    catAxisLabelFontSize: SIZE.chartLabel,
    catAxisLabelColor: COLOR.textMuted,
    catAxisLineShow: true,
    catAxisLineColor: COLOR.line,
    catAxisMajorTickMark: 'none',
    valAxisLabelFontFace: FONT,
    valAxisLabelFontSize: SIZE.chartLabel,
    valAxisLabelColor: COLOR.textLight,
    valAxisLineShow: false,
    valAxisMajorTickMark: 'none',
    valGridLine: { color: COLOR.grid, size: 0.75, style: 'solid' },
    catGridLine: { style: 'none' },
    dataLabelFontFace: FONT,
    dataLabelFontSize: SIZE.chartLabel,
    dataLabelColor: COLOR.text,
    legendFontFace: FONT,
    legendFontSize: SIZE.chartLabel,
    legendColor: COLOR.textMuted,
    legendPos: 'b',
    titleFontFace: FONT,
    fontFace: FONT,
    lang: 'zh-CN',
  };
}

export interface BarOptions {
  /** Horizontal bars (first category on top). */
  horizontal?: boolean;
  stacked?: boolean;
  format?: string;
  colors?: readonly string[];
  showValue?: boolean;
  legend?: boolean;
  valMax?: number;
  valMin?: number;
  gap?: number;
}

export function barChart(
  counter: ChartCounter,
  slide: Slide,
  box: Box,
  labels: string[],
  series: Series[],
  o: BarOptions = {},
): void {
  const format = o.format ?? FMT.integer;
  slide.addChart(
    'bar',
    series.map((s) => ({ name: s.name, labels, values: s.values })),
    {
      ...base(box),
      barDir: o.horizontal ? 'bar' : 'col',
      barGrouping: o.stacked ? 'stacked' : 'clustered',
      barOverlapPct: o.stacked ? 100 : -10,
      barGapWidthPct: o.gap ?? 60,
      chartColors: [...(o.colors ?? SERIES)],
      showValue: o.showValue ?? true,
      dataLabelFormatCode: format === FMT.integer ? FMT.count : format,
      dataLabelPosition: o.stacked ? 'ctr' : 'outEnd',
      dataLabelColor: o.stacked ? COLOR.white : COLOR.text,
      valAxisLabelFormatCode: format,
      ...(o.valMax !== undefined ? { valAxisMaxVal: o.valMax } : {}),
      valAxisMinVal: o.valMin ?? 0,
      // horizontal: the first category at the top
      ...(o.horizontal
        ? { catAxisOrientation: 'maxMin' as 'minMax', valAxisLabelPos: 'high' as const, valAxisHidden: true }
        : {}),
      showLegend: o.legend ?? series.length > 1,
    },
  );
  counter.count++;
}

export interface LineOptions {
  format?: string;
  /** Number format of the value axis labels (default: `format`). */
  axisFormat?: string;
  /** Value axis reversed (rank: 1 at the top). */
  reversed?: boolean;
  valMin?: number;
  valMax?: number;
  colors?: readonly string[];
  showValue?: boolean;
}

/** Adds a chart of several parts (e.g. bars with a target line) in one plot area. */
function addCombo(slide: Slide, parts: PptxGenJS.IChartMulti[], opts: ChartOpts): void {
  // pptxgenjs takes the options as the second argument when the first is a list of parts
  // (its type declaration only describes the single-type call).
  const add = slide.addChart as unknown as (this: Slide, t: PptxGenJS.IChartMulti[], o: ChartOpts) => Slide;
  add.call(slide, parts, opts);
}

/**
 * The actual values as a line (or bars) with a dashed target line over the same months. With
 * `reversed` the value axis runs from `valMin` at the top down to `valMax`, so "up" is better
 * for ranks, and the category axis sits at the bottom.
 */
export function lineWithTarget(
  counter: ChartCounter,
  slide: Slide,
  box: Box,
  labels: string[],
  actual: Series,
  target: { name: string; value: number },
  o: LineOptions & { bars?: boolean } = {},
): void {
  const format = o.format ?? FMT.integer;
  const color = o.colors?.[0] ?? COLOR.red;
  const actualPart: PptxGenJS.IChartMulti = {
    type: o.bars ? 'bar' : 'line',
    data: [{ name: actual.name, labels, values: actual.values }],
    options: {
      chartColors: [color],
      barDir: 'col',
      barGapWidthPct: 80,
      lineSize: 2.5,
      lineDataSymbol: 'circle',
      lineDataSymbolSize: 8,
      showValue: o.showValue ?? true,
      dataLabelPosition: o.bars ? 'outEnd' : o.reversed ? 'b' : 't',
      dataLabelFormatCode: format,
    },
  };
  const targetPart: PptxGenJS.IChartMulti = {
    type: 'line',
    data: [{ name: target.name, labels, values: labels.map(() => target.value) }],
    options: {
      chartColors: [COLOR.target],
      lineSize: 1.5,
      lineDash: 'dash',
      lineDataSymbol: 'none',
      showValue: false,
    },
  };
  addCombo(slide, o.bars ? [actualPart, targetPart] : [targetPart, actualPart], {
    ...base(box),
    showLegend: true,
    valAxisLabelFormatCode: o.axisFormat ?? format,
    ...(o.valMin !== undefined ? { valAxisMinVal: o.valMin } : {}),
    ...(o.valMax !== undefined ? { valAxisMaxVal: o.valMax } : {}),
    ...(o.reversed
      ? {
          // pptxgenjs writes the orientation as given; its type lists only the default
          valAxisOrientation: 'maxMin' as 'minMax',
          // the category axis crosses the value axis at its largest value: the bottom edge
          // (pptxgenjs writes the value as given; its type lists only autoZero)
          valAxisCrossesAt: 'max' as 'autoZero',
          // labels at the high end of the value axis, which is the bottom when reversed
          catAxisLabelPos: 'high' as const,
        }
      : {}),
  });
  counter.count++;
}

/** Several series as lines over the same categories. */
export function lineChart(
  counter: ChartCounter,
  slide: Slide,
  box: Box,
  labels: string[],
  series: Series[],
  o: LineOptions = {},
): void {
  const format = o.format ?? FMT.integer;
  slide.addChart(
    'line',
    series.map((s) => ({ name: s.name, labels, values: s.values })),
    {
      ...base(box),
      chartColors: [...(o.colors ?? SERIES)],
      lineSize: 2,
      lineDataSymbol: 'circle',
      lineDataSymbolSize: 6,
      showValue: o.showValue ?? false,
      dataLabelFormatCode: format,
      valAxisLabelFormatCode: format,
      ...(o.valMin !== undefined ? { valAxisMinVal: o.valMin } : {}),
      ...(o.valMax !== undefined ? { valAxisMaxVal: o.valMax } : {}),
      showLegend: series.length > 1,
    },
  );
  counter.count++;
}

/** A "nice" axis maximum above `max` (1, 2, 2.5, 5 × 10^n steps). */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const exp = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) {
    if (m * exp >= max) return m * exp;
  }
  return 10 * exp;
}
