import { Empty, Spin, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import type { AuditEntry } from '../../../main/core/contract/records';
import { useCommandQuery } from '../api';
import {
  DEPT_KIND_LABEL,
  DEPT_ROLE_LABEL,
  PRIORITY_LABEL,
  RECT_SOURCE_LABEL,
  RECT_STATUS_LABEL,
  RECURRENCE_LABEL,
  STATUS_LABEL,
} from '../labels';

/** Names for ids and codes that appear in audit values. */
export interface AuditLookup {
  dept: (id: string) => string | undefined;
  indicator: (id: string) => string | undefined;
}

const ENUM_LABELS: Record<string, Record<string, string>> = {
  'task.status': STATUS_LABEL,
  'task.priority': PRIORITY_LABEL,
  'task.recurrence': RECURRENCE_LABEL,
  'department.kind': DEPT_KIND_LABEL,
  'department.role': DEPT_ROLE_LABEL,
  'rectification.status': RECT_STATUS_LABEL,
  'rectification.source': RECT_SOURCE_LABEL,
};

export function formatAuditValue(e: AuditEntry, v: unknown, lookup?: AuditLookup): string {
  if (v === null || v === undefined || v === '') return '（空）';
  const key = `${e.entity}.${e.field}`;
  if (typeof v === 'string') {
    const en = ENUM_LABELS[key]?.[v];
    if (en) return en;
    if (key === 'task.lead_dept_id' || key === 'task_department.dept_id' || key === 'rectification.dept_id') {
      return lookup?.dept(v) ?? v;
    }
    if (key === 'task_indicator.indicator_id') return lookup?.indicator(v) ?? v;
    return v;
  }
  if (typeof v === 'boolean') return v ? '是' : '否';
  if (Array.isArray(v)) return v.join('、') || '（空）';
  return String(v);
}

interface Group {
  txId: string;
  at: string;
  actor: string;
  entries: AuditEntry[];
}

function group(entries: AuditEntry[]): Group[] {
  const out: Group[] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last && last.txId === e.txId) last.entries.push(e);
    else out.push({ txId: e.txId, at: e.at, actor: e.actorName, entries: [e] });
  }
  return out;
}

function describe(e: AuditEntry, lookup?: AuditLookup): string {
  // Link rows read as additions/removals on the task.
  if (e.entity === 'task_department' || e.entity === 'task_indicator') {
    const what = e.entity === 'task_department' ? '配合单位' : '关联指标';
    if (e.field === 'deleted') return `${e.newValue ? '移除' : '恢复'}${what}`;
    if (e.field === 'task_id') return '';
    return `添加${what}：${formatAuditValue(e, e.newValue, lookup)}`;
  }
  if (e.op === 'delete') return `删除了该${e.entityLabel}`;
  if (e.op === 'restore') return `恢复了该${e.entityLabel}`;
  if (e.op === 'create') return `${e.fieldLabel}：${formatAuditValue(e, e.newValue, lookup)}`;
  return `${e.fieldLabel}：${formatAuditValue(e, e.oldValue, lookup)} → ${formatAuditValue(e, e.newValue, lookup)}`;
}

export function AuditTimeline({ entityId, lookup }: { entityId: string; lookup?: AuditLookup }) {
  const q = useCommandQuery('audit.list', { entityId, limit: 500 });
  if (q.isPending) return <Spin />;
  if (q.isError) return <Typography.Text type="danger">{q.error.message}</Typography.Text>;
  if (q.data.length === 0) return <Empty description="暂无记录" />;
  return (
    <Timeline
      items={group(q.data).map((g) => {
        const isCreate = g.entries.some(
          (e) => e.op === 'create' && e.entity !== 'task_department' && e.entity !== 'task_indicator',
        );
        const lines = g.entries.map((e) => describe(e, lookup)).filter(Boolean);
        return {
          color: isCreate ? 'green' : g.entries.some((e) => e.op === 'delete') ? 'red' : 'blue',
          content: (
            <div>
              <Typography.Text strong>{g.actor}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {dayjs(g.at).format('YYYY-MM-DD HH:mm:ss')} {isCreate ? '创建' : '修改'}
              </Typography.Text>
              <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
                {lines.map((l, i) => (
                  <li key={i}>{l}</li>
                ))}
              </ul>
            </div>
          ),
        };
      })}
    />
  );
}
