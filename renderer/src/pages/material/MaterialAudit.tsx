import { Empty, Spin, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo } from 'react';
import type { AuditEntry } from '../../../../main/core/contract/records';
import { useCommandQuery } from '../../api';
import { MATERIAL_STATUS_LABEL, MATERIAL_TYPE_LABEL } from '../../labels';

const ORDER = ['title', 'type', 'status', 'owner_id', 'template_id', 'tags', 'deleted'];

/**
 * 留痕 of a material: who changed its title, type, status, owner, template or tags, and when — in
 * words (类型：工作要点 → 实施方案), not in codes.
 */
export function MaterialAudit({ materialId }: { materialId: string }) {
  const q = useCommandQuery('audit.list', { entityId: materialId, limit: 500 });
  const staff = useCommandQuery('staff.list', {});
  const templates = useCommandQuery('materials.templates', {});
  const names = useMemo(() => {
    const s = new Map((staff.data?.staff ?? []).map((x) => [x.id, x.name]));
    const t = new Map((templates.data ?? []).map((x) => [x.id, x.name]));
    return { staff: s, templates: t };
  }, [staff.data, templates.data]);

  const value = (e: AuditEntry, v: unknown): string => {
    if (v === null || v === undefined || v === '') return e.field === 'template_id' ? '空白文档' : '（空）';
    if (Array.isArray(v)) return v.join('、') || '（空）';
    const s = String(v);
    if (e.field === 'status') return MATERIAL_STATUS_LABEL[s as keyof typeof MATERIAL_STATUS_LABEL] ?? s;
    if (e.field === 'type') return MATERIAL_TYPE_LABEL[s as keyof typeof MATERIAL_TYPE_LABEL] ?? s;
    if (e.field === 'owner_id') return names.staff.get(s) ?? '（已删除的人员）';
    if (e.field === 'template_id') return names.templates.get(s) ?? '（已删除的模板）';
    return s;
  };
  const line = (e: AuditEntry): string => {
    if (e.field === 'deleted') return e.op === 'create' ? '' : e.newValue ? '删除了该材料' : '恢复了该材料';
    if (e.op === 'create') return `${e.fieldLabel}：${value(e, e.newValue)}`;
    return `${e.fieldLabel}：${value(e, e.oldValue)} → ${value(e, e.newValue)}`;
  };

  if (q.isPending) return <Spin />;
  if (q.isError) return <Typography.Text type="danger">{q.error.message}</Typography.Text>;
  const groups: { txId: string; at: string; actor: string; create: boolean; entries: AuditEntry[] }[] = [];
  for (const e of q.data.filter((x) => x.entity === 'material')) {
    const last = groups[groups.length - 1];
    if (last && last.txId === e.txId) last.entries.push(e);
    else groups.push({ txId: e.txId, at: e.at, actor: e.actorName, create: false, entries: [e] });
  }
  for (const g of groups) {
    g.create = g.entries.some((e) => e.op === 'create');
    g.entries.sort((a, b) => ORDER.indexOf(a.field) - ORDER.indexOf(b.field));
  }
  if (groups.length === 0) return <Empty description="暂无记录" />;
  return (
    <Timeline
      data-testid="material-audit"
      items={groups.map((g) => ({
        color: g.create
          ? 'green'
          : g.entries.some((e) => e.field === 'deleted' && e.newValue)
            ? 'red'
            : 'blue',
        content: (
          <div>
            <Typography.Text strong>{g.actor}</Typography.Text>{' '}
            <Typography.Text type="secondary">
              {dayjs(g.at).format('YYYY-MM-DD HH:mm:ss')} {g.create ? '创建' : '修改'}
            </Typography.Text>
            <ul style={{ margin: '4px 0 0', paddingLeft: 18 }}>
              {g.entries
                .map((e) => ({ id: e.id, text: line(e) }))
                .filter((x) => x.text)
                .map((x) => (
                  <li key={x.id}>{x.text}</li>
                ))}
            </ul>
          </div>
        ),
      }))}
    />
  );
}
