import { DeleteOutlined, SendOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Form, Popconfirm, Space, Spin, Tabs, Tag, Typography } from 'antd';
import { useEffect, useMemo, useState } from 'react';
import type { Department, Indicator, Task } from '../../../main/core/contract/records';
import { errorMessage, useCommand, useCommandQuery } from '../api';
import { AttachmentList } from '../components/AttachmentList';
import { AuditTimeline, type AuditLookup } from '../components/AuditTimeline';
import { LightTag } from '../components/LightTag';
import { useSubmit } from '../forms';
import { LIGHT_LABEL, RECURRENCE_LABEL, lightReasonText } from '../labels';
import { deptLabel } from './task/deptLabel';
import { DispatchModal } from './task/DispatchModal';
import { FeedbackPanel } from './task/FeedbackPanel';
import { StepsTimeline } from './task/StepsTimeline';
import { TaskForm, createInput, updatePatch, valuesOf, type TaskFormValues } from './task/TaskForm';
import { WorkflowBar } from './task/WorkflowBar';

export { deptLabel };

interface Props {
  /** A task id, 'new', or null when closed. */
  taskId: string | 'new' | null;
  onClose: () => void;
  departments: Department[];
  indicators: Indicator[];
  defaults?: Partial<TaskFormValues>;
}

/** The light with its reason in words, next to the drawer's title. */
function TitleLight({ task }: { task: Task }) {
  if (task.kind === 'series') {
    return (
      <Tag color="geekblue" style={{ marginInlineEnd: 0 }}>
        周期 · {RECURRENCE_LABEL[task.recurrence]}
      </Tag>
    );
  }
  const why = lightReasonText(task.lightReason);
  return (
    <span
      data-testid="drawer-light"
      data-light={task.light}
      style={{ display: 'inline-flex', alignItems: 'center', gap: 6, fontSize: 13, fontWeight: 400 }}
    >
      <LightTag light={task.light} reason={task.lightReason} />
      <span>
        {LIGHT_LABEL[task.light]}
        {why && <Typography.Text type="secondary">（{why}）</Typography.Text>}
      </span>
    </span>
  );
}

export function TaskDrawer({ taskId, onClose, departments, indicators, defaults }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<TaskFormValues>();
  const isNew = taskId === 'new';
  const [tab, setTab] = useState('info');
  const [dispatchOpen, setDispatchOpen] = useState(false);
  const task = useCommandQuery(
    'tasks.get',
    { id: isNew || !taskId ? '' : taskId },
    { enabled: !!taskId && !isNew },
  );
  const create = useCommand('tasks.create');
  const update = useCommand('tasks.update');
  const remove = useCommand('tasks.delete');

  const deptOptions = useMemo(
    () =>
      departments.map((d) => ({
        value: d.id,
        label: d.archived ? `${deptLabel(d)}（已归档）` : deptLabel(d),
        disabled: d.archived,
      })),
    [departments],
  );
  const indicatorOptions = useMemo(
    () => indicators.map((i) => ({ value: i.id, label: `${i.code} ${i.title}` })),
    [indicators],
  );
  const lookup: AuditLookup = useMemo(() => {
    const dm = new Map(departments.map((d) => [d.id, d.shortName ?? d.name]));
    const im = new Map(indicators.map((i) => [i.id, `${i.code} ${i.title}`]));
    return { dept: (id) => dm.get(id), indicator: (id) => im.get(id) };
  }, [departments, indicators]);

  // a different task (or a new one) starts on 基本信息
  const [shownId, setShownId] = useState(taskId);
  if (shownId !== taskId) {
    setShownId(taskId);
    setTab('info');
    setDispatchOpen(false);
  }

  // The form follows the stored task: filled when it loads and again whenever it changes
  // (a workflow step or a feedback entry changes progress), keyed by updatedAt so a refetch
  // of the same version does nothing; fields the user has edited and not saved are kept.
  const version = task.data ? `${task.data.id}|${task.data.updatedAt}` : null;
  useEffect(() => {
    if (!taskId) return;
    if (isNew) {
      form.resetFields();
      form.setFieldsValue({ priority: 'normal', recurrence: 'none', progress: 0, ...defaults });
    } else if (task.data) {
      const stored = valuesOf(task.data);
      const keys = Object.keys(stored) as (keyof TaskFormValues)[];
      form.setFieldsValue(
        Object.fromEntries(keys.filter((k) => !form.isFieldTouched(k)).map((k) => [k, stored[k]])),
      );
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- version stands for task.data
  }, [taskId, isNew, version, form, defaults]);

  const submit = useSubmit();
  const save = (issue: boolean) =>
    submit(form, async (v) => {
      let done = '已保存';
      if (isNew) {
        const t = await create.mutateAsync(createInput(v, issue));
        done =
          t.kind === 'series'
            ? `已新建周期任务 ${t.code}${issue ? '并启用' : '（未启用）'}`
            : `已新建任务 ${t.code}${issue ? '并下发' : ''}`;
      } else if (task.data) {
        await update.mutateAsync({ id: task.data.id, patch: updatePatch(v, task.data) });
      }
      onClose();
      return done;
    });

  const doDelete = async () => {
    if (!taskId || isNew) return;
    try {
      await remove.mutateAsync({ id: taskId });
      message.success('任务已删除');
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const t = task.data;
  const recurringNew = Form.useWatch('recurrence', form);
  const formNode = (
    <TaskForm
      form={form}
      task={isNew ? null : (t ?? null)}
      deptOptions={deptOptions}
      indicatorOptions={indicatorOptions}
    />
  );

  const title = isNew ? (
    '新建任务'
  ) : t ? (
    <div style={{ display: 'flex', alignItems: 'center', gap: 10, minWidth: 0 }}>
      <Typography.Text strong ellipsis={{ tooltip: `${t.code} ${t.title}` }} style={{ minWidth: 0 }}>
        {t.code} {t.title}
      </Typography.Text>
      <span style={{ flexShrink: 0 }}>
        <TitleLight task={t} />
      </span>
    </div>
  ) : (
    '任务详情'
  );

  const tabs = t
    ? [
        { key: 'info', label: '基本信息', children: formNode },
        ...(t.kind !== 'series'
          ? [
              {
                key: 'feedback',
                label: `进展反馈${t.feedbackCount ? `（${t.feedbackCount}）` : ''}`,
                children: <FeedbackPanel task={t} />,
              },
            ]
          : []),
        {
          key: 'steps',
          label: '办理记录',
          children: <StepsTimeline taskId={t.id} series={t.kind === 'series'} />,
        },
        {
          key: 'evidence',
          label: '证据材料',
          children: <AttachmentList ownerType="task" ownerId={t.id} />,
        },
        {
          key: 'audit',
          label: '操作留痕',
          children: <AuditTimeline entityId={t.id} lookup={lookup} />,
        },
      ]
    : [];

  return (
    <Drawer
      open={!!taskId}
      onClose={onClose}
      size={760}
      destroyOnHidden
      title={title}
      footer={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          {!isNew ? (
            <Popconfirm
              title="删除该任务？"
              description={
                t?.kind === 'series'
                  ? '删除周期任务，同时删除尚未开始办理的各期任务；已在办理或已办结的各期保留。'
                  : '删除后任务不再出现在列表中，操作留痕中仍可查到。'
              }
              okText="删除"
              okButtonProps={{ danger: true }}
              cancelText="取消"
              onConfirm={() => void doDelete()}
            >
              <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="delete-task">
                删除
              </Button>
            </Popconfirm>
          ) : (
            <span />
          )}
          <Space>
            <Button onClick={onClose}>取消</Button>
            {(isNew || tab === 'info') && (
              <Button
                type={isNew ? 'default' : 'primary'}
                onClick={() => void save(false)}
                loading={(create.isPending && create.variables?.issue !== true) || update.isPending}
                data-testid="save-task"
              >
                保存
              </Button>
            )}
            {isNew && (
              <Button
                type="primary"
                icon={<SendOutlined />}
                onClick={() => void save(true)}
                loading={create.isPending && create.variables?.issue === true}
                data-testid="save-issue-task"
              >
                {recurringNew && recurringNew !== 'none' ? '保存并启用' : '保存并下发'}
              </Button>
            )}
          </Space>
        </Space>
      }
    >
      {!isNew && task.isPending ? (
        <Spin />
      ) : !isNew && task.isError ? (
        <Typography.Text type="danger">{task.error.message}</Typography.Text>
      ) : isNew || !t ? (
        formNode
      ) : (
        <>
          <WorkflowBar task={t} onDispatch={() => setDispatchOpen(true)} />
          <Tabs activeKey={tab} onChange={setTab} items={tabs} />
          <DispatchModal
            task={t}
            open={dispatchOpen}
            onClose={() => setDispatchOpen(false)}
            departments={departments}
          />
        </>
      )}
    </Drawer>
  );
}
