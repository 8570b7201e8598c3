/** Shared by the 监测排名 page parts: labels, number and month formats, field errors from the core. */
import type { FormInstance } from 'antd';
import { useState } from 'react';
import { MONITORING_DIMENSIONS, MONITORING_DIMENSION_LABEL } from '../../../../main/core/contract/labels';
import { ApiError, errorMessage } from '../../api';

export type Dim = (typeof MONITORING_DIMENSIONS)[number];
export const DIMS = MONITORING_DIMENSIONS;
export const DIM_LABEL = MONITORING_DIMENSION_LABEL;

/** Short names of the five dimensions for table headers and chart legends. */
export const DIM_SHORT: Record<Dim, string> = {
  incentive: '守信激励',
  system: '信用制度',
  culture: '诚信文化',
  service: '信用服务',
  environment: '信用环境',
};

/** Chart colours of the five dimensions (the composite score is the primary blue). */
export const DIM_COLOR: Record<Dim, string> = {
  incentive: '#2e9d5b',
  system: '#8e5bd6',
  culture: '#e0a800',
  service: '#17a2b8',
  environment: '#d9822b',
};

export const PRIMARY = '#1f5fbf';
export const DANGER = '#d64541';
export const SUCCESS = '#2e9d5b';
export const WARN = '#e0a800';
export const AXIS = '#8c95a6';

/** The small legend at the top left of the trend charts. */
export const TOP_LEGEND = {
  top: 0,
  left: 0,
  itemWidth: 14,
  itemHeight: 8,
  textStyle: { color: '#4b5563', fontSize: 11 },
} as const;

/** "2027-03" → "2027年3月". */
export function monthLabel(month: string): string {
  const [y, m] = month.split('-');
  return `${y}年${Number(m)}月`;
}

/** "2027-03" → "3月" (chart axes; the year is shown when the series spans years). */
export function shortMonth(month: string, withYear: boolean): string {
  const [y, m] = month.split('-');
  return withYear ? `${y?.slice(2)}年${Number(m)}月` : `${Number(m)}月`;
}

/** "2027-03" → "2027-Q1". */
export function quarterOf(month: string): string {
  const [y, m] = month.split('-');
  return `${y}-Q${Math.ceil(Number(m) / 3)}`;
}

/** "2027-Q1" → "2027年第一季度". */
export function quarterLabel(q: string): string {
  const [y, n] = q.split('-Q');
  return `${y}年第${['一', '二', '三', '四'][Number(n) - 1] ?? n}季度`;
}

/** A score with at most two decimals, or "—". */
export function fmtScore(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
}

/**
 * The core words a refused input as `字段「rank」：排名不能大于参评城市数；…`. Puts each such
 * message on its form field (path "dims.incentive" → ['dims', 'incentive']) and returns what
 * could not be placed on a field (shown as a message), or null when everything was placed.
 */
export function showFieldErrors<T>(form: FormInstance<T>, e: unknown, known: string[]): string | null {
  const text = errorMessage(e);
  if (!(e instanceof ApiError) || e.code !== 'BAD_INPUT') return text;
  // a refusal of the core's own rules names its field in the details
  const field = e.details?.field;
  if (typeof field === 'string' && known.includes(field)) {
    form.setFields([{ name: field.split('.'), errors: [text] }] as Parameters<
      FormInstance<T>['setFields']
    >[0]);
    return null;
  }
  const rest: string[] = [];
  const fields: { name: string[]; errors: string[] }[] = [];
  for (const part of text.split('；')) {
    const m = /^字段「([^」]+)」：(.*)$/.exec(part);
    if (m && known.includes(m[1] ?? '')) fields.push({ name: (m[1] ?? '').split('.'), errors: [m[2] ?? ''] });
    else rest.push(part);
  }
  // antd's NamePath typing is generic over the form's values; a path of strings is what it takes
  form.setFields(fields as Parameters<FormInstance<T>['setFields']>[0]);
  return rest.length ? rest.join('；') : null;
}

/**
 * Saving state of a modal form: `save(action)` validates the form, runs the action with its
 * values and closes on success; a refusal goes to its field (see showFieldErrors) or to `error`.
 */
export function useFormSave<T>(form: FormInstance<T>, fields: string[], onClose: () => void) {
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const close = () => {
    setError(null);
    onClose();
  };
  const save = async (action: (values: T) => Promise<void>) => {
    let values: T;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await action(values);
      close();
    } catch (e) {
      setError(showFieldErrors(form, e, fields));
    } finally {
      setSaving(false);
    }
  };
  return { saving, error, close, save };
}

/**
 * A rank axis (up = better) with round ticks: 1, 20, 40 … up to a little past the worst rank. The
 * axis starts at 0 so the ticks are round, and 0 is labelled 1 (there is no rank 0).
 */
export function rankAxis(worst: number, ticks = 5): { min: number; max: number; interval: number } {
  const raw = Math.max(worst * 1.1, 10) / ticks;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 2.5, 5, 10].find((f) => f * mag >= raw) ?? 10) * mag;
  return { min: 0, max: Math.ceil((worst * 1.1) / step) * step, interval: step };
}

/** Label of a rank-axis tick (0 is the top of the axis: rank 1). */
export const rankTick = (v: number): string => (v === 0 ? '1' : String(v));
