/** Shared by the 数据合规 page parts: rate formats and colours, labels of rules and conditions. */
import type {
  ComplianceCategory,
  FieldCondition,
  RuleField,
  Severity,
} from '../../../../main/core/contract/compliance';

export { COMPLIANCE_CATEGORY_LABELS, SEVERITY_LABELS } from '../../../../main/core/contract/labels';
// the monitoring page's chart colours and legend, so both pages' charts look alike
import { AXIS, DANGER as RED, PRIMARY, SUCCESS as GREEN, TOP_LEGEND } from '../monitoring/kit';
export { AXIS, GREEN, PRIMARY, RED, TOP_LEGEND };
export { monthLabel } from '../monitoring/kit';

export const AMBER = '#d9822b';

/** Short category names for tags and cards. */
export const CATEGORY_SHORT: Record<ComplianceCategory, string> = {
  double: '双公示',
  five: '五类',
  six: '六类',
};
export const CATEGORY_COLOR: Record<ComplianceCategory, string> = {
  double: 'blue',
  five: 'purple',
  six: 'cyan',
};
export const SEVERITY_COLOR: Record<Severity, string> = { error: 'red', warning: 'gold' };

/**
 * A compliance rate as text without the % sign: at most two decimals, and never "100" for a rate
 * below 100 (99.996 reads 99.99, so a file with one bad row among 30,000 does not look clean).
 */
export function fmtRate(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return '—';
  if (rate >= 100) return '100';
  const r = Math.floor(rate * 100) / 100;
  return Number.isInteger(r) ? String(r) : r.toFixed(2).replace(/0$/, '');
}

/** Green at 100 %, amber from 95 %, red below. */
export function rateColor(rate: number | null | undefined): string {
  if (rate === null || rate === undefined) return AXIS;
  if (rate >= 100) return GREEN;
  return rate >= 95 ? AMBER : RED;
}

/** Thousands separators the Chinese way (1,234,567). */
export const fmtInt = (n: number): string => n.toLocaleString('zh-CN');

export function fmtBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1048576) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

export function fmtDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} 毫秒`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} 秒`;
  return `${Math.floor(ms / 60_000)} 分 ${Math.round((ms % 60_000) / 1000)} 秒`;
}

/** "utf-8-bom" → "UTF-8（带 BOM）编码" … as the preview shows it. */
export function encodingLabel(encoding: string | null): string | null {
  if (!encoding) return null;
  const e = encoding.toLowerCase();
  if (e === 'utf-8') return 'UTF-8 编码';
  if (e === 'utf-8-bom') return 'UTF-8（带 BOM）编码';
  if (e === 'gbk') return 'GBK 编码';
  if (e === 'gb18030') return 'GB18030 编码';
  return `${encoding} 编码`;
}

/** "2026-03-05T08:01:02.000Z" → "2026-03-05 16:01" in local time. */
export function fmtTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

const OP_TEXT: Record<FieldCondition['op'], string> = {
  eq: '=',
  ne: '≠',
  in: '为',
  notIn: '不为',
  contains: '包含',
  notEmpty: '已填写',
  empty: '未填写',
};

/** "当 行政相对人类别 = 自然人 时必填", naming the other field by its standard name. */
export function conditionText(c: FieldCondition, fields: Pick<RuleField, 'key' | 'name'>[]): string {
  const name = fields.find((f) => f.key === c.field)?.name ?? c.field;
  const values = c.values.join('、');
  if (c.op === 'notEmpty' || c.op === 'empty') return `当 ${name} ${OP_TEXT[c.op]} 时必填`;
  return `当 ${name} ${OP_TEXT[c.op]} ${values} 时必填`;
}
