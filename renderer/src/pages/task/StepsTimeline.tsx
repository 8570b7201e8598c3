import { Empty, Spin, Tag, Timeline, Typography } from 'antd';
import dayjs from 'dayjs';
import type { TaskStep } from '../../../../main/core/contract/supervision';
import { useCommandQuery } from '../../api';
import { STATUS_COLOR, STATUS_LABEL } from '../../labels';
import { ACTION_BUTTON } from './workflow';

const NOTE_LABEL: Partial<Record<TaskStep['action'], string>> = {
  return: '退回原因',
  report: '完成情况',
  approve: '复核意见',
};

const COLOR: Partial<Record<TaskStep['action'], string>> = {
  return: 'red',
  recall: 'gray',
  approve: 'green',
};

/** 办理记录: every workflow step with who, when and the note (退回原因 etc.). */
export function StepsTimeline({ taskId, series = false }: { taskId: string; series?: boolean }) {
  const q = useCommandQuery('tasks.steps', { taskId });
  if (q.isPending) return <Spin />;
  if (q.isError) return <Typography.Text type="danger">{q.error.message}</Typography.Text>;
  if (q.data.length === 0) return <Empty description="尚无办理记录（任务下发后开始记录）" />;
  return (
    <Timeline
      data-testid="steps-timeline"
      items={q.data.map((s) => ({
        key: s.id,
        color: COLOR[s.action] ?? 'blue',
        content: (
          <div>
            <Typography.Text strong>
              {series && s.action === 'issue'
                ? '启用'
                : series && s.action === 'recall'
                  ? '停用'
                  : ACTION_BUTTON[s.action]}
            </Typography.Text>{' '}
            <Tag color={STATUS_COLOR[s.fromStatus]} style={{ marginInlineEnd: 4 }}>
              {STATUS_LABEL[s.fromStatus]}
            </Tag>
            →{' '}
            <Tag color={STATUS_COLOR[s.toStatus]} style={{ marginInlineStart: 4 }}>
              {STATUS_LABEL[s.toStatus]}
            </Tag>
            <div>
              <Typography.Text type="secondary">
                {s.actorName} · {dayjs(s.at).format('YYYY-MM-DD HH:mm')}
              </Typography.Text>
            </div>
            {s.note && (
              <div
                style={{
                  marginTop: 4,
                  padding: '4px 8px',
                  borderRadius: 4,
                  background: s.action === 'return' ? '#fff1f0' : '#f5f7fa',
                  color: s.action === 'return' ? '#a8071a' : undefined,
                  whiteSpace: 'pre-wrap',
                }}
              >
                {NOTE_LABEL[s.action] ?? '说明'}：{s.note}
              </div>
            )}
          </div>
        ),
      }))}
    />
  );
}
