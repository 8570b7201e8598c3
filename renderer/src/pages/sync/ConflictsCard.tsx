import { Alert, Card, Table, Typography } from 'antd';
import dayjs from 'dayjs';
import type { Output } from '../../../../main/core/contract/index';
import { useCommandQuery } from '../../api';
import { changeValueText } from './kit';

type Conflict = Output<'sync.conflicts'>[number];

/**
 * 冲突记录: values that lost a last-writer-wins comparison. Nothing is dropped: the losing value
 * stays in history and here, so the user can put it back by hand.
 */
export function ConflictsCard() {
  const q = useCommandQuery('sync.conflicts', { limit: 200 });
  return (
    <Card
      title="冲突记录"
      extra={
        q.data && q.data.length > 0 ? (
          <Typography.Text type="secondary">最近 {q.data.length} 条</Typography.Text>
        ) : null
      }
      data-testid="sync-conflicts"
    >
      <Typography.Paragraph type="secondary">
        两台电脑修改了同一条记录的同一项时，按修改时间保留较晚的值；被覆盖的值不会丢失，记录在这里和「设置 →
        操作留痕」中，需要时可以手动改回。
      </Typography.Paragraph>
      {q.isError ? (
        <Alert type="warning" showIcon title="冲突记录暂时无法读取" description={q.error.message} />
      ) : (
        <Table<Conflict>
          rowKey={(c) => `${c.entityId}:${c.field}:${c.at}:${c.lost ?? ''}`}
          size="small"
          loading={q.isPending}
          dataSource={q.data ?? []}
          pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
          locale={{ emptyText: '没有冲突：所有电脑的修改都已合并' }}
          columns={[
            {
              title: '记录',
              key: 'record',
              width: 180,
              render: (_: unknown, c) => (
                <span title={c.entityId}>
                  {c.entityLabel}
                  <Typography.Text
                    type="secondary"
                    ellipsis
                    style={{ display: 'block', fontSize: 12, maxWidth: 170 }}
                  >
                    {c.entityName ?? c.entityId.slice(-6)}
                  </Typography.Text>
                </span>
              ),
            },
            { title: '字段', dataIndex: 'fieldLabel', width: 120 },
            {
              title: '保留的值',
              dataIndex: 'won',
              ellipsis: true,
              render: (v: string | null) => <span className="sync-value-won">{changeValueText(v)}</span>,
            },
            {
              title: '被覆盖的值',
              dataIndex: 'lost',
              ellipsis: true,
              render: (v: string | null) => <span className="sync-value-lost">{changeValueText(v)}</span>,
            },
            { title: '修改人', dataIndex: 'lostBy', width: 100 },
            {
              title: '时间',
              dataIndex: 'at',
              width: 150,
              render: (v: string) => (dayjs(v).isValid() ? dayjs(v).format('YYYY-MM-DD HH:mm') : v),
            },
          ]}
        />
      )}
    </Card>
  );
}
