/** Tracked metrics (信用承诺数 vs 企业总数, 信用修复率, 五类数据合规率): monthly values, target, trend. */
import type { z } from 'zod';
import type { Metric, MetricInput, MetricKey } from '../contract/indicators';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

const TODO = (): never => {
  throw new AppError('UNSUPPORTED', '尚未实现');
};
export function listMetrics(_ws: Workspace): Metric[] {
  return TODO();
}
export function setMetric(_ws: Workspace, _input: z.output<typeof MetricInput>): Metric {
  return TODO();
}
export function removeMetric(_ws: Workspace, _metric: MetricKey, _month: string): void {
  TODO();
}
export function setMetricTarget(_ws: Workspace, _metric: MetricKey, _target: number): Metric {
  return TODO();
}
