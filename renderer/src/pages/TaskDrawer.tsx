import { DeleteOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Col,
  DatePicker,
  Drawer,
  Form,
  Input,
  Popconfirm,
  Row,
  Select,
  Slider,
  Space,
  Spin,
  Tabs,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import type { Department, Indicator, Task } from '../../../main/core/contract/records';
import { errorMessage, useCommand, useCommandQuery } from '../api';
import { AuditTimeline, type AuditLookup } from '../components/AuditTimeline';
import { useSubmit } from '../forms';
import { PRIORITY_LABEL, RECURRENCE_LABEL, STATUS_LABEL, options } from '../labels';

interface FormValues {
  code?: string;
  title: string;
  description?: string;
  standard?: string;
  leadDeptId?: string | null;
  coopDeptIds?: string[];
  indicatorIds?: string[];
  dueDate?: Dayjs | null;
  status: Task['status'];
  priority: Task['priority'];
  recurrence: Task['recurrence'];
  progress: number;
}

interface Props {
  /** A task id, 'new', or null when closed. */
  taskId: string | 'new' | null;
  onClose: () => void;
  departments: Department[];
  indicators: Indicator[];
  defaults?: Partial<FormValues>;
}

export function deptLabel(d: Department): string {
  return d.shortName ? `${d.shortName}（${d.name}）` : d.name;
}

export function TaskDrawer({ taskId, onClose, departments, indicators, defaults }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const isNew = taskId === 'new';
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

  useEffect(() => {
    if (!taskId) return;
    if (isNew) {
      form.resetFields();
      form.setFieldsValue({
        status: 'draft',
        priority: 'normal',
        recurrence: 'none',
        progress: 0,
        ...defaults,
      });
    } else if (task.data) {
      const t = task.data;
      form.setFieldsValue({
        code: t.code,
        title: t.title,
        description: t.description ?? undefined,
        standard: t.standard ?? undefined,
        leadDeptId: t.leadDeptId,
        coopDeptIds: t.coopDeptIds,
        indicatorIds: t.indicatorIds,
        dueDate: t.dueDate ? dayjs(t.dueDate) : null,
        status: t.status,
        priority: t.priority,
        recurrence: t.recurrence,
        progress: t.progress,
      });
    }
  }, [taskId, isNew, task.data, form, defaults]);

  const submit = useSubmit();
  const save = () =>
    submit(form, async (v) => {
      const payload = {
        title: v.title,
        description: v.description ?? null,
        standard: v.standard ?? null,
        leadDeptId: v.leadDeptId ?? null,
        coopDeptIds: v.coopDeptIds ?? [],
        indicatorIds: v.indicatorIds ?? [],
        dueDate: v.dueDate ? v.dueDate.format('YYYY-MM-DD') : null,
        status: v.status,
        priority: v.priority,
        recurrence: v.recurrence,
        progress: v.progress,
      };
      let done = '已保存';
      if (isNew) {
        const t = await create.mutateAsync({ ...payload, code: v.code || undefined });
        done = `已新建任务 ${t.code}`;
      } else if (taskId) {
        await update.mutateAsync({ id: taskId, patch: { ...payload, ...(v.code ? { code: v.code } : {}) } });
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

  const formNode = (
    <Form<FormValues> form={form} layout="vertical" data-testid="task-form">
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item label="编号" name="code">
            <Input placeholder="自动生成" maxLength={40} />
          </Form.Item>
        </Col>
        <Col span={18}>
          <Form.Item
            label="任务名称"
            name="title"
            rules={[{ required: true, whitespace: true, message: '请填写任务名称' }]}
          >
            <Input maxLength={200} placeholder="例如：完成双公示数据 7 个工作日内上报" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="任务内容" name="description">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
      </Form.Item>
      <Form.Item label="完成标准" name="standard" tooltip="达到什么标准、以什么佐证材料为准视为完成">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item label="牵头单位" name="leadDeptId">
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              allowClear
              options={deptOptions}
              placeholder="选择牵头单位"
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="截止日期" name="dueDate">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="配合单位" name="coopDeptIds">
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={deptOptions}
          placeholder="可多选"
        />
      </Form.Item>
      <Form.Item label="关联指标" name="indicatorIds">
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={indicatorOptions}
          placeholder="可多选"
        />
      </Form.Item>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item label="状态" name="status">
            <Select options={options(STATUS_LABEL)} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label="优先级" name="priority">
            <Select options={options(PRIORITY_LABEL)} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item label="周期" name="recurrence">
            <Select options={options(RECURRENCE_LABEL)} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item label="进度（%）" name="progress">
        <Slider marks={{ 0: '0', 50: '50', 100: '100' }} />
      </Form.Item>
    </Form>
  );

  return (
    <Drawer
      open={!!taskId}
      onClose={onClose}
      size={720}
      destroyOnHidden
      title={isNew ? '新建任务' : task.data ? `${task.data.code} ${task.data.title}` : '任务详情'}
      footer={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          {!isNew ? (
            <Popconfirm
              title="删除该任务？"
              description="删除后任务不再出现在列表中，操作留痕中仍可查到。"
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
            <Button
              type="primary"
              onClick={() => void save()}
              loading={create.isPending || update.isPending}
              data-testid="save-task"
            >
              保存
            </Button>
          </Space>
        </Space>
      }
    >
      {!isNew && task.isPending ? (
        <Spin />
      ) : !isNew && task.isError ? (
        <Typography.Text type="danger">{task.error.message}</Typography.Text>
      ) : isNew ? (
        formNode
      ) : (
        <Tabs
          items={[
            { key: 'info', label: '基本信息', children: formNode },
            {
              key: 'audit',
              label: '操作留痕',
              children: taskId ? <AuditTimeline entityId={taskId} lookup={lookup} /> : null,
            },
          ]}
        />
      )}
    </Drawer>
  );
}
