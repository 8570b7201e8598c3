import type { LineSeriesOption } from 'echarts/charts';
import { useMemo } from 'react';
import type { MonitoringResult } from '../../../../main/core/contract/indicators';
import { EChart, type ChartOption } from '../../components/charts/EChart';
import {
  AXIS,
  DANGER,
  DIM_COLOR,
  DIM_LABEL,
  DIM_SHORT,
  DIMS,
  fmtScore,
  monthLabel,
  rankAxis,
  rankTick,
  PRIMARY,
  shortMonth,
  SUCCESS,
  TOP_LEGEND,
  WARN,
} from './kit';

type Tip = { dataIndex: number }[];

const axisCommon = {
  axisTick: { show: false },
  axisLine: { lineStyle: { color: '#d9dee7' } },
  axisLabel: { color: AXIS, fontSize: 11 },
} as const;

/** A horizontal reference line drawn as a series (label at its right end). */
function refLine(name: string, value: number, n: number, color: string): LineSeriesOption[] {
  return [
    {
      name,
      type: 'line',
      data: Array.from({ length: n }, () => value),
      symbol: 'none',
      silent: true,
      lineStyle: { type: 'dashed', width: 1.5, color },
      itemStyle: { color },
      endLabel: { show: true, formatter: name, color, fontSize: 11 },
      z: 1,
    },
  ];
}

/**
 * 排名趋势: the monthly rank with the target line (前 N 名) and the basic line (前 100 名); the
 * y axis is inverted so that up means better.
 */
export function RankChart({
  results,
  target,
  basicLimit,
}: {
  results: MonitoringResult[];
  target: number;
  basicLimit: number;
}) {
  const option = useMemo<ChartOption>(() => {
    const withYear = new Set(results.map((r) => r.month.slice(0, 4))).size > 1;
    const worst = Math.max(basicLimit, target, ...results.map((r) => r.rank));
    return {
      grid: { left: 8, right: 72, top: 30, bottom: 4, containLabel: true },
      legend: { ...TOP_LEGEND, data: ['排名'] },
      tooltip: {
        trigger: 'axis',
        formatter: (raw: unknown) => {
          const r = results[(raw as Tip)[0]?.dataIndex ?? -1];
          if (!r) return '';
          const change =
            r.rankChange === null
              ? ''
              : r.rankChange > 0
                ? `（上升 ${r.rankChange} 位）`
                : r.rankChange < 0
                  ? `（下降 ${-r.rankChange} 位）`
                  : '（持平）';
          return [
            `<b>${monthLabel(r.month)}</b>`,
            `排名：第 ${r.rank} 名 / ${r.total} 个城市${change}`,
            `综合得分：${fmtScore(r.score)}`,
            `目标：前 ${target} 名${r.rank <= target ? '（已进入）' : `（差 ${r.rank - target} 位）`}`,
          ].join('<br/>');
        },
      },
      xAxis: { type: 'category', data: results.map((r) => shortMonth(r.month, withYear)), ...axisCommon },
      yAxis: {
        type: 'value',
        inverse: true,
        ...rankAxis(worst),
        splitLine: { lineStyle: { color: '#eef1f6' } },
        axisLabel: { color: AXIS, fontSize: 11, formatter: rankTick },
      },
      series: [
        ...refLine(`目标 前${target}名`, target, results.length, SUCCESS),
        ...refLine(`基本线 前${basicLimit}名`, basicLimit, results.length, WARN),
        {
          name: '排名',
          type: 'line',
          data: results.map((r) => ({
            value: r.rank,
            itemStyle: { color: r.rank <= target ? SUCCESS : r.rank <= basicLimit ? PRIMARY : DANGER },
          })),
          symbolSize: 9,
          lineStyle: { width: 3, color: PRIMARY },
          itemStyle: { color: PRIMARY },
          label: { show: true, position: 'top', formatter: '{c}', color: '#13294b', fontWeight: 600 },
          z: 3,
        },
      ],
    };
  }, [results, target, basicLimit]);
  return (
    <EChart
      option={option}
      ariaLabel={`排名趋势：${results.map((r) => `${monthLabel(r.month)}第${r.rank}名`).join('，')}`}
      data-testid="rank-chart"
    />
  );
}

/** 综合得分和五个维度: the composite score (bold) and the five dimension scores per month. */
export function ScoreChart({ results }: { results: MonitoringResult[] }) {
  const option = useMemo<ChartOption>(() => {
    const withYear = new Set(results.map((r) => r.month.slice(0, 4))).size > 1;
    const dims = DIMS.filter((d) => results.some((r) => r.dims[d] !== null));
    return {
      grid: { left: 8, right: 12, top: 52, bottom: 4, containLabel: true },
      legend: TOP_LEGEND,
      tooltip: {
        trigger: 'axis',
        formatter: (raw: unknown) => {
          const r = results[(raw as Tip)[0]?.dataIndex ?? -1];
          if (!r) return '';
          return [
            `<b>${monthLabel(r.month)}</b>`,
            `综合得分：${fmtScore(r.score)}`,
            ...dims.map((d) => `${DIM_LABEL[d]}：${fmtScore(r.dims[d])}`),
          ].join('<br/>');
        },
      },
      xAxis: { type: 'category', data: results.map((r) => shortMonth(r.month, withYear)), ...axisCommon },
      yAxis: {
        type: 'value',
        scale: true,
        name: '得分',
        nameTextStyle: { color: AXIS, fontSize: 11 },
        splitLine: { lineStyle: { color: '#eef1f6' } },
        axisLabel: { color: AXIS, fontSize: 11 },
      },
      series: [
        {
          name: '综合得分',
          type: 'line',
          data: results.map((r) => r.score),
          symbolSize: 8,
          lineStyle: { width: 3, color: PRIMARY },
          itemStyle: { color: PRIMARY },
          label: { show: results.length <= 12, position: 'top', color: '#13294b', fontSize: 11 },
          z: 3,
        },
        ...dims.map((d): LineSeriesOption => ({
          name: DIM_SHORT[d],
          type: 'line',
          data: results.map((r) => r.dims[d]),
          connectNulls: true,
          symbolSize: 5,
          lineStyle: { width: 1.5, color: DIM_COLOR[d] },
          itemStyle: { color: DIM_COLOR[d] },
        })),
      ],
    };
  }, [results]);
  return (
    <EChart
      option={option}
      ariaLabel={`综合得分：${results.map((r) => `${monthLabel(r.month)} ${fmtScore(r.score)} 分`).join('，')}`}
      data-testid="score-chart"
    />
  );
}
