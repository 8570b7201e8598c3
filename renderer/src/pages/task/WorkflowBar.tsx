import { ApartmentOutlined, UnorderedListOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Popconfirm, Space, Steps, Tag, Typography } from 'antd';
import dayjs from 'dayjs';
import { useRef, useState } from 'react';
import type { Task } from '../../../../main/core/contract/records';
import type { TaskAction, TaskStep } from '../../../../main/core/contract/supervision';
import { useCommand, useCommandQuery } from '../../api';
import { RECURRENCE_LABEL, STATUS_LABEL } from '../../labels';
import { navigate } from '../../route';
import { filterParam } from './filter';
import {
  ACTION_BUTTON,
  NODES,
  SERIES_ACTION_BUTTON,
  actionsFrom,
  currentNode,
  nodeOfAction,
} from './workflow';

/** Actions that ask for a note first: title, field label, whether it is required, hint. */
const NOTE_ACTIONS: Partial<
  Record<TaskAction, { title: string; label: string; required: boolean; hint: string; ok: string }>
> = {
  report: {
    title: '反馈完成',
    label: '完成情况说明',
    required: true,
    hint: '说明完成了什么、佐证材料是什么。这段说明会记入“进展反馈”，任务转为“待复核”。',
    ok: '提交复核',
  },
  return: {
    title: '退回重新办理',
    label: '退回原因',
    required: true,
    hint: '写明哪里不符合完成标准、需要补充什么。原因会记入“办理记录”，任务回到“办理中”。',
    ok: '退回',
  },
  approve: {
    title: '复核通过',
    label: '复核意见（可选）',
    required: false,
    hint: '复核通过后任务办结，进度记为 100%。',
    ok: '复核通过，办结',
  },
};

function stepTimes(steps: TaskStep[] | undefined): Map<number, TaskStep> {
  const m = new Map<number, TaskStep>();
  for (const s of steps ?? []) {
    const n = nodeOfAction(s.action);
    if (n !== null) m.set(n, s);
    // a recall undoes the 下发
    if (s.action === 'recall') m.delete(0);
    // a return reopens 反馈 and 复核
    if (s.action === 'return') {
      m.delete(3);
      m.delete(4);
    }
  }
  return m;
}

interface Props {
  task: Task;
  /** Opens 分发到多个单位 (one-off draft tasks). */
  onDispatch: () => void;
}

/** Where the task is in 下发 → 签收 → 办理 → 反馈 → 复核 → 办结, and the buttons to move it on. */
export function WorkflowBar({ task, onDispatch }: Props) {
  const { message } = App.useApp();
  const steps = useCommandQuery('tasks.steps', { taskId: task.id });
  const transition = useCommand('tasks.transition');
  const [noteFor, setNoteFor] = useState<TaskAction | null>(null);
  const [form] = Form.useForm<{ note?: string }>();
  // the clicked button disappears with the step; keep the focus in the drawer (Esc still closes it)
  const barRef = useRef<HTMLDivElement>(null);
  const series = task.kind === 'series';
  const allowed = actionsFrom(task.status, task.kind);

  const run = async (action: TaskAction, note?: string): Promise<boolean> => {
    try {
      const r = await transition.mutateAsync({ ids: [task.id], action, note: note || undefined });
      const to = r.tasks[0]?.status ?? task.status;
      const label = series ? SERIES_ACTION_BUTTON[action] : ACTION_BUTTON[action];
      message.success({
        duration: 2,
        content: series
          ? action === 'issue'
            ? '周期任务已启用，系统按周期自动生成每一期任务'
            : '周期任务已停用，不再生成新的一期'
          : `${label}：${task.code} 现为「${STATUS_LABEL[to]}」`,
      });
      barRef.current?.focus({ preventScroll: true });
      return true;
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
      return false;
    }
  };

  const onNoteOk = async () => {
    if (!noteFor) return;
    let v: { note?: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    if (await run(noteFor, v.note?.trim())) setNoteFor(null);
  };

  const button = (a: TaskAction) => {
    const label = series ? (SERIES_ACTION_BUTTON[a] ?? ACTION_BUTTON[a]) : ACTION_BUTTON[a];
    const common = {
      key: a,
      'data-testid': `action-${a}`,
      loading: transition.isPending && transition.variables?.action === a,
      disabled: transition.isPending && transition.variables?.action !== a,
    };
    if (NOTE_ACTIONS[a]) {
      return (
        <Button
          {...common}
          type={a === 'return' ? 'default' : 'primary'}
          danger={a === 'return'}
          onClick={() => setNoteFor(a)}
        >
          {label}
        </Button>
      );
    }
    if (a === 'recall') {
      return (
        <Popconfirm
          key={a}
          title={series ? '停用该周期任务？' : '撤回下发？'}
          description={
            series
              ? '停用后不再生成新的一期；已生成的各期任务照常办理。'
              : '撤回后任务回到“待下发”，责任单位不再看到该任务。'
          }
          okText={series ? '停用' : '撤回'}
          cancelText="取消"
          onConfirm={() => void run(a)}
        >
          <Button {...common}>{label}</Button>
        </Popconfirm>
      );
    }
    return (
      <Button {...common} type="primary" onClick={() => void run(a)}>
        {label}
      </Button>
    );
  };

  const lastStep = steps.data?.[steps.data.length - 1];
  const returned = !series && task.status === 'handling' && lastStep?.action === 'return' ? lastStep : null;
  const noteSpec = noteFor ? NOTE_ACTIONS[noteFor] : undefined;

  let status: React.ReactNode;
  if (series) {
    const active = task.status === 'issued';
    status = (
      <Space size={8} wrap>
        <Tag color="geekblue">周期任务</Tag>
        <span>{RECURRENCE_LABEL[task.recurrence]}生成一期</span>
        <Tag color={active ? 'success' : 'default'}>{active ? '已启用' : '未启用'}</Tag>
        <Typography.Text type="secondary">
          {task.recurStart ? `自 ${task.recurStart} 起` : ''}
          {task.recurEnd ? `，至 ${task.recurEnd} 止` : '，长期'}
        </Typography.Text>
      </Space>
    );
  } else {
    const times = stepTimes(steps.data);
    const cur = currentNode(task.status);
    status = (
      <Steps
        size="small"
        titlePlacement="vertical"
        current={cur}
        status={task.status === 'done' ? 'finish' : 'process'}
        data-testid="workflow-steps"
        items={NODES.map((title, i) => {
          // 办结 is the moment of 复核通过
          const s = i === 5 ? times.get(4) : times.get(i);
          let content: React.ReactNode = null;
          if (i < cur || task.status === 'done') {
            content = s ? (
              <span title={`${s.actorName} ${dayjs(s.at).format('YYYY-MM-DD HH:mm')}`}>
                {dayjs(s.at).format('MM-DD HH:mm')}
              </span>
            ) : null;
          } else if (i === cur) {
            content = STATUS_LABEL[task.status];
          }
          return { title, content };
        })}
      />
    );
  }

  const extra: React.ReactNode[] = [];
  if (task.kind === 'task' && task.status === 'draft') {
    extra.push(
      <Button key="dispatch" icon={<ApartmentOutlined />} onClick={onDispatch} data-testid="dispatch-task">
        分发到多个单位
      </Button>,
    );
  }
  if (task.kind === 'series' || task.kind === 'instance') {
    const seriesId = task.kind === 'series' ? task.id : task.seriesId;
    if (seriesId) {
      extra.push(
        <Button
          key="instances"
          type="link"
          icon={<UnorderedListOutlined />}
          onClick={() => navigate('tasks', filterParam({ seriesId }))}
          data-testid="show-instances"
        >
          查看各期任务
        </Button>,
      );
    }
  }

  return (
    <div
      ref={barRef}
      tabIndex={-1}
      data-testid="workflow-bar"
      style={{
        outline: 'none',
        border: '1px solid #e5e7eb',
        borderRadius: 8,
        background: '#fafbfc',
        padding: '12px 16px 10px',
        marginBottom: 8,
      }}
    >
      <div style={{ paddingBottom: 10 }}>{status}</div>
      {returned && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 10 }}
          title={`${returned.actorName} 于 ${dayjs(returned.at).format('MM-DD HH:mm')} 退回`}
          description={`退回原因：${returned.note ?? '（未填写）'}`}
          data-testid="returned-alert"
        />
      )}
      <div
        style={{
          display: 'flex',
          alignItems: 'center',
          flexWrap: 'wrap',
          gap: 8,
          borderTop: '1px dashed #e5e7eb',
          paddingTop: 10,
        }}
      >
        {allowed.length > 0 && (
          <Typography.Text type="secondary">{series ? '操作：' : '下一步：'}</Typography.Text>
        )}
        {allowed.map(button)}
        {allowed.length === 0 && !series && task.status === 'done' && (
          <Typography.Text type="success">
            任务已办结{task.doneAt ? `（${dayjs(task.doneAt).format('YYYY-MM-DD HH:mm')}）` : ''}
          </Typography.Text>
        )}
        <span style={{ flex: 1 }} />
        {extra}
      </div>
      <Modal
        open={!!noteFor}
        title={noteSpec?.title}
        okText={noteSpec?.ok}
        cancelText="取消"
        okButtonProps={{ danger: noteFor === 'return' }}
        confirmLoading={transition.isPending}
        onOk={() => void onNoteOk()}
        onCancel={() => setNoteFor(null)}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">{noteSpec?.hint}</Typography.Paragraph>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item
            name="note"
            label={noteSpec?.label}
            rules={
              noteSpec?.required
                ? [{ required: true, whitespace: true, message: `请填写${noteSpec.label}` }]
                : []
            }
          >
            <Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} maxLength={2000} showCount autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}
