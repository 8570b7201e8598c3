import { DeleteOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Drawer,
  Form,
  Input,
  Modal,
  Popconfirm,
  Row,
  Select,
  Space,
  Spin,
  Steps,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RECT_ACTIONS, RECT_SOURCES, RECT_STATUSES } from '../../../main/core/contract/labels';
import type { Department, Indicator } from '../../../main/core/contract/records';
import { errorMessage, useCommand, useCommandQuery } from '../api';
import { AttachmentList } from '../components/AttachmentList';
import { AuditTimeline, type AuditLookup } from '../components/AuditTimeline';
import { TaskSelect } from '../components/TaskSelect';
import { useSubmit } from '../forms';
import {
  RECT_ACTION_LABEL,
  RECT_SOURCE_LABEL,
  RECT_STATUS_COLOR,
  RECT_STATUS_LABEL,
  options,
  RECT_TRANSITIONS,
} from '../labels';

export type RectSource = (typeof RECT_SOURCES)[number];
export type RectStatus = (typeof RECT_STATUSES)[number];
export type RectAction = (typeof RECT_ACTIONS)[number];

/** The actions allowed from each status, from the contract's RECT_TRANSITIONS (what the core enforces). */
export const RECT_FLOW = Object.fromEntries(
  (['open', 'in_progress', 'verifying', 'closed'] as const).map((st) => [
    st,
    (Object.keys(RECT_TRANSITIONS) as RectAction[]).filter((a) => RECT_TRANSITIONS[a].from.includes(st)),
  ]),
) as Record<RectStatus, RectAction[]>;

/** Actions that need a written note, and how to ask for it. */
const NOTE_PROMPT: Partial<Record<RectAction, { label: string; placeholder: string }>> = {
  accept: { label: '验收意见', placeholder: '例如：整改材料齐全，问题已解决，同意销号' },
  reject: { label: '不通过原因', placeholder: '说明哪些方面未达到整改要求、需要补充什么' },
  reopen: { label: '重新整改原因', placeholder: '说明为什么需要重新整改' },
};

const STEP_ORDER: RectStatus[] = ['open', 'in_progress', 'verifying', 'closed'];

interface FormValues {
  code?: string;
  source: RectSource;
  problem: string;
  deptId?: string | null;
  measures?: string;
  deadline?: Dayjs | null;
  taskIds?: string[];
  indicatorIds?: string[];
  clarification?: string;
}

interface Props {
  /** An item's id, 'new', or null when closed. */
  rectId: string | 'new' | null;
  onClose: () => void;
  /** After creating: the new item's id (the drawer stays open on it, for evidence). */
  onCreated: (id: string) => void;
  departments: Department[];
  indicators: Indicator[];
}

function deptLabel(d: Department): string {
  return d.shortName ? `${d.shortName}（${d.name}）` : d.name;
}

/** Asks for the note an action needs (验收意见, reason), then runs it. */
function NoteModal({
  action,
  onCancel,
  onOk,
  loading,
}: {
  action: RectAction | null;
  onCancel: () => void;
  onOk: (note: string) => void;
  loading: boolean;
}) {
  const [note, setNote] = useState('');
  const prompt = action ? NOTE_PROMPT[action] : undefined;
  const empty = note.trim() === '';
  return (
    <Modal
      open={!!action && !!prompt}
      title={action ? RECT_ACTION_LABEL[action] : ''}
      okText={action ? RECT_ACTION_LABEL[action] : '确定'}
      okButtonProps={{ disabled: empty, danger: action === 'reject' }}
      cancelText="取消"
      confirmLoading={loading}
      onCancel={onCancel}
      onOk={() => onOk(note.trim())}
      afterOpenChange={(o) => {
        if (!o) setNote('');
      }}
    >
      <Typography.Text strong>{prompt?.label}</Typography.Text>
      <Input.TextArea
        value={note}
        onChange={(e) => setNote(e.target.value)}
        placeholder={prompt?.placeholder}
        autoSize={{ minRows: 3, maxRows: 8 }}
        maxLength={5000}
        style={{ marginTop: 6 }}
        aria-label={prompt?.label}
        data-testid="rect-note"
      />
    </Modal>
  );
}

export function RectificationDrawer({ rectId, onClose, onCreated, departments, indicators }: Props) {
  const { message } = App.useApp();
  const [form] = Form.useForm<FormValues>();
  const isNew = rectId === 'new';
  const item = useCommandQuery(
    'rect.get',
    { id: isNew || !rectId ? '' : rectId },
    { enabled: !!rectId && !isNew },
  );
  const create = useCommand('rect.create');
  const update = useCommand('rect.update');
  const transition = useCommand('rect.transition');
  const remove = useCommand('rect.delete');
  const [asking, setAsking] = useState<RectAction | null>(null);
  const [tab, setTab] = useState('info');
  // another item opens on its first tab; a just-created one stays on 整改证据
  const [shownId, setShownId] = useState(rectId);
  if (shownId !== rectId) {
    setShownId(rectId);
    if (shownId !== 'new' || !rectId) setTab('info');
  }
  const source = Form.useWatch('source', form);

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

  // Which version of the item the form shows ("id|updatedAt"). Changes elsewhere (evidence,
  // status, another window) refresh the form only while it has no unsaved edits.
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (!rectId) {
      shown.current = null;
      return;
    }
    if (isNew) {
      if (shown.current === 'new') return;
      shown.current = 'new';
      form.resetFields();
      form.setFieldsValue({ source: 'inspection', taskIds: [], indicatorIds: [] });
      return;
    }
    const r = item.data;
    if (!r) return;
    const version = `${r.id}|${r.updatedAt}`;
    if (shown.current === version) return;
    if (shown.current?.startsWith(`${r.id}|`) && form.isFieldsTouched()) return;
    shown.current = version;
    form.resetFields();
    form.setFieldsValue({
      code: r.code,
      source: r.source,
      problem: r.problem,
      deptId: r.deptId,
      measures: r.measures ?? undefined,
      deadline: r.deadline ? dayjs(r.deadline) : null,
      taskIds: r.taskIds,
      indicatorIds: r.indicatorIds,
      clarification: r.clarification ?? undefined,
    });
  }, [rectId, isNew, item.data, form]);

  const submit = useSubmit();
  const save = () =>
    submit(form, async (v) => {
      const body = {
        source: v.source,
        problem: v.problem,
        deptId: v.deptId ?? null,
        measures: v.measures ?? null,
        deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : null,
        taskIds: v.taskIds ?? [],
        indicatorIds: v.indicatorIds ?? [],
        clarification: v.clarification ?? null,
      };
      if (isNew) {
        const r = await create.mutateAsync({ ...body, code: v.code || undefined });
        onCreated(r.id);
        setTab('evidence');
        return `已新增整改事项 ${r.code}，可继续上传整改证据`;
      }
      if (rectId) {
        const { clarification, ...rest } = body;
        await update.mutateAsync({
          id: rectId,
          patch: {
            ...rest,
            ...(v.code ? { code: v.code } : {}),
            // 澄清说明 is only on the form for 国家评审反馈: otherwise keep what is stored
            ...(v.source === 'review_panel' ? { clarification } : {}),
          },
        });
        shown.current = null; // show the saved version (and forget the edits' touched state)
      }
      return '已保存';
    });

  const run = async (action: RectAction, note?: string) => {
    if (!rectId || isNew) return;
    try {
      const r = await transition.mutateAsync({ id: rectId, action, note: note ?? null });
      message.success(`${RECT_ACTION_LABEL[action]}：${r.code} 现为“${RECT_STATUS_LABEL[r.status]}”`);
      setAsking(null);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const doDelete = async () => {
    if (!rectId || isNew) return;
    try {
      await remove.mutateAsync({ id: rectId });
      message.success('整改事项已删除');
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const r = item.data;

  const formNode = (
    <Form<FormValues> form={form} layout="vertical" data-testid="rect-form">
      <Row gutter={12}>
        <Col span={6}>
          <Form.Item label="编号" name="code">
            <Input placeholder="自动生成" maxLength={40} />
          </Form.Item>
        </Col>
        <Col span={9}>
          <Form.Item label="来源" name="source" rules={[{ required: true, message: '请选择来源' }]}>
            <Select options={options(RECT_SOURCE_LABEL)} data-testid="rect-source" />
          </Form.Item>
        </Col>
        <Col span={9}>
          <Form.Item label="整改时限" name="deadline">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item
        label="问题描述"
        name="problem"
        rules={[{ required: true, whitespace: true, message: '请填写问题描述' }]}
      >
        <Input.TextArea
          autoSize={{ minRows: 3, maxRows: 8 }}
          maxLength={5000}
          placeholder="例如：信用门户网站“双公示”栏目行政处罚信息未在 7 个工作日内公示"
        />
      </Form.Item>
      <Form.Item label="责任单位" name="deptId">
        <Select
          showSearch={{ optionFilterProp: 'label' }}
          allowClear
          options={deptOptions}
          placeholder="选择责任单位"
          data-testid="rect-dept"
        />
      </Form.Item>
      <Form.Item label="整改措施" name="measures">
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 8 }} maxLength={5000} />
      </Form.Item>
      <Form.Item label="关联任务" name="taskIds">
        <TaskSelect testId="rect-tasks" />
      </Form.Item>
      <Form.Item label="关联指标" name="indicatorIds">
        <Select
          mode="multiple"
          showSearch={{ optionFilterProp: 'label' }}
          options={indicatorOptions}
          placeholder="可多选"
        />
      </Form.Item>
      {source === 'review_panel' && (
        <Form.Item
          label="澄清说明"
          name="clarification"
          tooltip="对评审专家指出的问题逐条说明实际情况和佐证材料，用于生成澄清报告"
        >
          <Input.TextArea autoSize={{ minRows: 4, maxRows: 14 }} maxLength={20000} />
        </Form.Item>
      )}
    </Form>
  );

  const actions = r ? RECT_FLOW[r.status] : [];
  const statusBar = r && (
    <div style={{ marginBottom: 12 }}>
      <Steps
        size="small"
        current={STEP_ORDER.indexOf(r.status)}
        status={r.status === 'closed' ? 'finish' : 'process'}
        items={STEP_ORDER.map((s) => ({ title: RECT_STATUS_LABEL[s] }))}
        style={{ marginBottom: 12 }}
      />
      <Space wrap>
        {actions.map((a) => (
          <Button
            key={a}
            type={a === 'reject' || a === 'reopen' ? 'default' : 'primary'}
            danger={a === 'reject'}
            loading={transition.isPending && transition.variables?.action === a}
            onClick={() => (NOTE_PROMPT[a] ? setAsking(a) : void run(a))}
            data-testid={`rect-action-${a}`}
          >
            {RECT_ACTION_LABEL[a]}
          </Button>
        ))}
        {r.overdue && <Tag color="error">已超过整改时限</Tag>}
        {r.closedAt && (
          <Typography.Text type="secondary">
            销号于 {dayjs(r.closedAt).format('YYYY-MM-DD HH:mm')}
          </Typography.Text>
        )}
      </Space>
      {r.verification && (
        <Alert
          type={r.status === 'closed' ? 'success' : 'warning'}
          showIcon
          style={{ marginTop: 12 }}
          title={r.status === 'closed' ? '验收意见' : '最近一次验收意见'}
          description={r.verification}
        />
      )}
    </div>
  );

  return (
    <Drawer
      open={!!rectId}
      onClose={onClose}
      size={760}
      destroyOnHidden
      title={
        isNew ? (
          '新增整改事项'
        ) : r ? (
          <Space>
            <span>{r.code} 整改事项</span>
            <Tag color={RECT_STATUS_COLOR[r.status]}>{RECT_STATUS_LABEL[r.status]}</Tag>
          </Space>
        ) : (
          '整改事项'
        )
      }
      footer={
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          {!isNew ? (
            <Popconfirm
              title="删除该整改事项？"
              description="删除后不再出现在整改清单中，操作留痕中仍可查到。"
              okText="删除"
              okButtonProps={{ danger: true }}
              cancelText="取消"
              onConfirm={() => void doDelete()}
            >
              <Button danger icon={<DeleteOutlined />} loading={remove.isPending} data-testid="rect-delete">
                删除
              </Button>
            </Popconfirm>
          ) : (
            <span />
          )}
          <Space>
            <Button onClick={onClose}>关闭</Button>
            <Button
              type="primary"
              onClick={() => void save()}
              loading={create.isPending || update.isPending}
              data-testid="rect-save"
            >
              保存
            </Button>
          </Space>
        </Space>
      }
    >
      {!isNew && item.isPending ? (
        <Spin />
      ) : !isNew && item.isError ? (
        <Alert type="error" showIcon title={item.error.message} />
      ) : isNew ? (
        formNode
      ) : (
        <>
          {statusBar}
          <Tabs
            activeKey={tab}
            onChange={setTab}
            items={[
              { key: 'info', label: '基本信息', children: formNode, forceRender: true },
              {
                key: 'evidence',
                label: `整改证据（${r?.attachmentCount ?? 0}）`,
                children: rectId ? <AttachmentList ownerType="rectification" ownerId={rectId} /> : null,
              },
              {
                key: 'audit',
                label: '操作留痕',
                children: rectId ? <AuditTimeline entityId={rectId} lookup={lookup} /> : null,
              },
            ]}
          />
        </>
      )}
      <NoteModal
        action={asking}
        loading={transition.isPending}
        onCancel={() => setAsking(null)}
        onOk={(note) => {
          if (asking) void run(asking, note);
        }}
      />
    </Drawer>
  );
}
