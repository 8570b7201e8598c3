/** Tracked metrics (信用承诺数 vs 企业总数, 信用修复率, 五类数据合规率): monthly values, target, trend. */
import type { z } from 'zod';
import type { Metric, MetricInput, MetricKey } from '../contract/indicators';
import { METRIC_DEFAULT_TARGET, METRIC_LABEL, METRICS } from '../contract/labels';
import type { Tx } from '../records/writer';
import { AppError } from '../util/errors';
import { stableId } from '../util/ids';
import type { Workspace } from '../workspace/workspace';
import { monthLabel } from './rules';

/** Row id of a metric's month: laptops entering the same value agree. */
export const metricId = (metric: MetricKey, month: string): string => stableId(`metric|${metric}|${month}`);

/** Commitments are counted (家) against the number of enterprises; the others are percentages. */
export const METRIC_UNIT: Record<MetricKey, string> = {
  commitments: '家',
  repair_rate: '%',
  compliance_rate: '%',
};

/** Rates are kept to one decimal (a percentage of thousands of enterprises needs no more). */
const round1 = (n: number) => Math.round(n * 10) / 10;

/** value / base × 100 for commitments (null without a base), else the value itself (percent). */
export function metricRate(metric: MetricKey, value: number, base: number | null): number | null {
  if (metric !== 'commitments') return value;
  return base !== null && base > 0 ? round1((value / base) * 100) : null;
}

/** The targets set in this workspace (workspace.metric_targets JSON), without defaults. */
function storedTargets(ws: Workspace): Partial<Record<MetricKey, number>> {
  const row = ws.db.prepare('SELECT metric_targets FROM workspace WHERE id = ?').get(ws.id) as
    { metric_targets: string | null } | undefined;
  let stored: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row?.metric_targets ?? '{}');
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      stored = parsed as Record<string, unknown>;
  } catch {
    // a damaged value falls back to the defaults
  }
  const out: Partial<Record<MetricKey, number>> = {};
  for (const k of METRICS) {
    const v = stored[k];
    if (typeof v === 'number' && Number.isFinite(v)) out[k] = v;
  }
  return out;
}

/** Targets: workspace.metric_targets (JSON) over the defaults. */
export function metricTargets(ws: Workspace): Record<MetricKey, number> {
  return { ...METRIC_DEFAULT_TARGET, ...storedTargets(ws) };
}

interface Row {
  metric: MetricKey;
  month: string;
  value: number;
  base: number | null;
  note: string | null;
}

function build(key: MetricKey, rows: Row[], target: number): Metric {
  const values = rows.map((r) => ({
    month: r.month,
    value: r.value,
    base: r.base,
    rate: metricRate(key, r.value, r.base),
    note: r.note,
  }));
  const latest = values[values.length - 1] ?? null;
  const prev = values[values.length - 2] ?? null;
  const change =
    latest?.rate !== null && latest?.rate !== undefined && prev?.rate !== null && prev?.rate !== undefined
      ? round1(latest.rate - prev.rate)
      : null;
  return {
    key,
    name: METRIC_LABEL[key],
    unit: METRIC_UNIT[key],
    target,
    values,
    latest,
    change,
    onTarget: latest?.rate === null || latest?.rate === undefined ? null : latest.rate >= target,
  };
}

/** The three metrics, each with its values oldest first. */
export function listMetrics(ws: Workspace): Metric[] {
  const rows = ws.db
    .prepare('SELECT metric, month, value, base, note FROM metric_values WHERE deleted = 0 ORDER BY month')
    .all() as Row[];
  const targets = metricTargets(ws);
  return METRICS.map((k) =>
    build(
      k,
      rows.filter((r) => r.metric === k),
      targets[k],
    ),
  );
}

function getMetric(ws: Workspace, key: MetricKey): Metric {
  const m = listMetrics(ws).find((x) => x.key === key);
  if (!m) throw new AppError('NOT_FOUND', '没有这个跟踪指标。');
  return m;
}

export function setMetric(ws: Workspace, input: z.output<typeof MetricInput>): Metric {
  const label = METRIC_LABEL[input.metric];
  if (input.metric === 'commitments') {
    if (input.base === null || !(input.base > 0))
      throw new AppError(
        'BAD_INPUT',
        `${monthLabel(input.month)}的信用承诺数需要同时填写企业总数（对比基数），且企业总数应大于 0。`,
        { field: 'base' },
      );
    if (!Number.isInteger(input.value) || !Number.isInteger(input.base))
      throw new AppError('BAD_INPUT', '信用承诺数和企业总数应为整数（单位：家）。', { field: 'value' });
  } else if (input.value > 100) {
    throw new AppError('BAD_INPUT', `${label}是百分比，应在 0 到 100 之间，当前填写的是 ${input.value}。`, {
      field: 'value',
    });
  }
  ws.writer.transact(ws.actor(), (tx) => writeMetricValue(tx, input));
  return getMetric(ws, input.metric);
}

export interface MetricValueRow {
  metric: MetricKey;
  month: string;
  value: number;
  base: number | null;
  note: string | null;
}

/**
 * Writes one month's value inside the caller's transaction (inserting, restoring a deleted one
 * or updating it). setMetric validates first; computed feeds (the compliance checks) call it
 * directly so the value changes in the same transaction as what it is computed from.
 */
export function writeMetricValue(tx: Tx, v: MetricValueRow): void {
  const id = metricId(v.metric, v.month);
  const values = { metric: v.metric, month: v.month, value: v.value, base: v.base, note: v.note };
  const row = tx.get('metric_value', id);
  if (!row) tx.insert('metric_value', values, id);
  else {
    if (row.deleted === 1) tx.restore('metric_value', id);
    tx.update('metric_value', id, values);
  }
}

/** The stored value of a month (null when none or deleted). */
export function readMetricValue(ws: Workspace, metric: MetricKey, month: string): MetricValueRow | null {
  const r = ws.db
    .prepare('SELECT metric, month, value, base, note FROM metric_values WHERE id = ? AND deleted = 0')
    .get(metricId(metric, month)) as Row | undefined;
  return r ?? null;
}

export function removeMetric(ws: Workspace, metric: MetricKey, month: string): void {
  const id = metricId(metric, month);
  const row = ws.db.prepare('SELECT deleted FROM metric_values WHERE id = ?').get(id) as
    { deleted: number } | undefined;
  if (!row || row.deleted === 1)
    throw new AppError('NOT_FOUND', `${METRIC_LABEL[metric]}没有${monthLabel(month)}的数值，无需删除。`);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('metric_value', id);
  });
}

export function setMetricTarget(ws: Workspace, metric: MetricKey, target: number): Metric {
  if (target > 100 && metric !== 'commitments')
    throw new AppError('BAD_INPUT', `${METRIC_LABEL[metric]}的目标是百分比，应在 0 到 100 之间。`, {
      field: 'target',
    });
  const stored = storedTargets(ws);
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('workspace', ws.id, { metric_targets: { ...stored, [metric]: target } });
  });
  return getMetric(ws, metric);
}
