/**
 * A small ECharts wrapper: echarts/core with only the charts and components this app draws
 * (bar, line, pie; grid, tooltip, legend, title, mark lines) on canvas. Renders into a div that follows
 * its container's size (ResizeObserver) and disposes the chart on unmount.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkLineComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type CSSProperties } from 'react';
import { theme } from '../../theme';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  MarkLineComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | TitleComponentOption
>;

/** What a click on a chart element reports (series item or axis label). */
export interface ChartClick {
  componentType: string;
  seriesIndex?: number;
  dataIndex?: number;
  name?: string;
  /** For axis labels (triggerEvent: true): the label text. */
  value?: unknown;
}

interface Props {
  option: ChartOption;
  onClick?: (e: ChartClick) => void;
  style?: CSSProperties;
  className?: string;
  /** Accessible description of what the chart shows (canvas content is not readable). */
  ariaLabel?: string;
  'data-testid'?: string;
}

const FONT = theme.token?.fontFamily;

export function EChart({ option, onClick, style, className, ariaLabel, ...rest }: Props) {
  const el = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);

  useEffect(() => {
    clickRef.current = onClick;
  }, [onClick]);

  useEffect(() => {
    const div = el.current;
    if (!div) return;
    const c = echarts.init(div, undefined, { renderer: 'canvas' });
    chart.current = c;
    c.on('click', (p) => clickRef.current?.(p as ChartClick));
    const ro = new ResizeObserver(() => c.resize());
    ro.observe(div);
    return () => {
      ro.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(
      { textStyle: { fontFamily: FONT }, animationDuration: 400, ...option },
      { notMerge: true },
    );
  }, [option]);

  return (
    <div
      ref={el}
      className={className}
      role="img"
      aria-label={ariaLabel}
      style={{ width: '100%', height: '100%', minHeight: 0, ...style }}
      {...rest}
    />
  );
}
