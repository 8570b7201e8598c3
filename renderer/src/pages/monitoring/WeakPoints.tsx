import { CheckOutlined, FallOutlined, StopOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Switch,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import type { WeakPoint } from '../../../../main/core/contract/indicators';
import { call, useCommandQuery } from '../../api';
import { navigate } from '../../route';
import { deptLabel } from '../task/deptLabel';
import { openTask } from '../supervisionKit';
import { fmtScore, monthLabel, useFormSave } from './kit';

const REASON_LABEL: Record<WeakPoint['reasons'][number], string> = {
  falling: '连续两个月下降',
  below_mean: '低于近三个月均值',
};

const keyOf = (w: WeakPoint) => `${w.month}:${w.dimension}`;

/**
 * 薄弱环节: each dimension that fell two months in a row or sits below its three-month mean,
 * with the reason and a proposed rectification item and task. 采纳 creates them (after the
 * user edits the proposal); 暂不处理 records the decision.
 */
export function WeakPoints({ weakPoints }: { weakPoints: WeakPoint[] }) {
  const { message, modal } = App.useApp();
  const [accepting, setAccepting] = useState<WeakPoint | null>(null);
  const open = weakPoints.filter((w) => w.decision === null);
  const decided = weakPoints.filter((w) => w.decision !== null);

  const dismiss = (w: WeakPoint) =>
    modal.confirm({
      title: `暂不处理「${w.label}」？`,
      content: '该薄弱环节将不再提示整改，之后仍可在此处查看。',
      okText: '暂不处理',
      cancelText: '取消',
      onOk: async () => {
        try {
          await call('monitoring.dismissWeakPoint', { month: w.month, dimension: w.dimension, note: null });
          message.success(`已标记「${w.label}」为暂不处理`);
        } catch (e) {
          message.error(e instanceof Error ? e.message : String(e));
        }
      },
    });

  if (!weakPoints.length) {
    return (
      <Empty
        image={Empty.PRESENTED_IMAGE_SIMPLE}
        description="最近的监测结果中没有发现薄弱环节（维度连续两个月下降或低于近三个月均值时会在这里提示）"
      />
    );
  }

  return (
    <div className="weak-list" data-testid="weak-points">
      {[...open, ...decided].map((w) => (
        <div
          key={keyOf(w)}
          className={`weak-item${w.decision ? ' weak-item-decided' : ''}`}
          data-testid="weak-point"
          data-dimension={w.dimension}
        >
          <div className="weak-head">
            <FallOutlined style={{ color: w.decision ? '#9ca3af' : '#d64541' }} />
            <span className="weak-title">{w.label}</span>
            <span className="muted">
              {monthLabel(w.month)} · 得分 {fmtScore(w.score)}
            </span>
            {w.reasons.map((r) => (
              <Tag key={r} color={w.decision ? 'default' : 'red'} variant="filled">
                {REASON_LABEL[r]}
              </Tag>
            ))}
            <span style={{ marginLeft: 'auto' }}>
              {w.decision === 'accepted' && (
                <Tag color="success" icon={<CheckOutlined />} data-testid="weak-accepted">
                  已采纳
                </Tag>
              )}
              {w.decision === 'dismissed' && <Tag icon={<StopOutlined />}>暂不处理</Tag>}
            </span>
          </div>
          <div className="weak-explain">{w.explanation}</div>
          {w.decision === null && (
            <div className="weak-proposal">
              <span className="muted">建议任务：</span>
              {w.proposal.taskTitle}
              <span className="muted">（完成时限 {w.proposal.deadline}）</span>
            </div>
          )}
          <div className="weak-actions">
            {w.decision === null && (
              <>
                <Button size="small" type="primary" onClick={() => setAccepting(w)} data-testid="weak-accept">
                  采纳…
                </Button>
                <Button size="small" onClick={() => dismiss(w)} data-testid="weak-dismiss">
                  暂不处理
                </Button>
              </>
            )}
            {w.rectId && (
              <Typography.Link
                onClick={() => navigate('rectification', { id: w.rectId ?? '' })}
                data-testid="weak-rect-link"
              >
                查看整改事项
              </Typography.Link>
            )}
            {w.taskId && (
              <Typography.Link onClick={() => openTask(w.taskId ?? '')} data-testid="weak-task-link">
                查看任务
              </Typography.Link>
            )}
          </div>
        </div>
      ))}
      <AcceptModal weakPoint={accepting} onClose={() => setAccepting(null)} />
    </div>
  );
}

interface AcceptValues {
  problem: string;
  measures?: string;
  deptId?: string | null;
  deadline?: Dayjs | null;
  withTask: boolean;
  taskTitle?: string;
  taskStandard?: string;
  leadDeptId?: string | null;
  dueDate?: Dayjs | null;
}

const date = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** The proposal as an editable form; 采纳 creates the rectification item (and the task). */
function AcceptModal({ weakPoint: w, onClose }: { weakPoint: WeakPoint | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<AcceptValues>();
  const {
    saving,
    error,
    close,
    save: saveForm,
  } = useFormSave(form, ['problem', 'measures', 'deptId', 'deadline'], onClose);
  const withTask = Form.useWatch('withTask', form);
  const depts = useCommandQuery('departments.list', { includeArchived: false });
  const deptOptions = useMemo(
    () => (depts.data ?? []).map((d) => ({ value: d.id, label: deptLabel(d) })),
    [depts.data],
  );

  useEffect(() => {
    if (!w) return;
    form.resetFields();
    const p = w.proposal;
    form.setFieldsValue({
      problem: p.problem,
      measures: p.measures,
      deptId: p.deptId,
      deadline: dayjs(p.deadline),
      withTask: true,
      taskTitle: p.taskTitle,
      taskStandard: p.taskStandard,
      leadDeptId: p.deptId,
      dueDate: dayjs(p.deadline),
    });
  }, [w, form]);

  const save = () =>
    saveForm(async (v) => {
      if (!w) return;
      const r = await call('monitoring.acceptWeakPoint', {
        month: w.month,
        dimension: w.dimension,
        problem: v.problem,
        measures: v.measures?.trim() || null,
        deptId: v.deptId ?? null,
        deadline: date(v.deadline),
        task: v.withTask
          ? {
              title: v.taskTitle ?? '',
              standard: v.taskStandard ?? '',
              leadDeptId: v.leadDeptId ?? null,
              dueDate: date(v.dueDate),
            }
          : null,
      });
      message.success(r.taskId ? '已创建整改事项和任务' : '已创建整改事项');
    });

  return (
    <Modal
      open={!!w}
      title={w ? `采纳薄弱环节整改建议：${w.label}` : ''}
      okText="采纳并创建"
      cancelText="取消"
      width={680}
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={close}
      forceRender
    >
      {w && (
        <div className="page-sub" style={{ marginBottom: 12 }}>
          {w.explanation}
        </div>
      )}
      <Form form={form} layout="vertical" data-testid="accept-form">
        <Form.Item
          label="问题描述"
          name="problem"
          rules={[{ required: true, whitespace: true, message: '请填写问题描述' }]}
        >
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={5000} />
        </Form.Item>
        <Form.Item label="整改措施" name="measures">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={14}>
            <Form.Item label="责任单位" name="deptId">
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                options={deptOptions}
                placeholder="选择责任单位"
                data-testid="accept-dept"
              />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item label="整改期限" name="deadline">
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <div className="mon-import-switch">
          <Form.Item name="withTask" valuePropName="checked" noStyle>
            <Switch data-testid="accept-with-task" />
          </Form.Item>
          <span>同时创建任务</span>
          <span className="page-sub">任务与整改事项关联，按任务督办流程下发和跟踪</span>
        </div>
        {withTask && (
          <div className="accept-task">
            <Form.Item
              label="任务名称"
              name="taskTitle"
              rules={[{ required: true, whitespace: true, message: '请填写任务名称' }]}
            >
              <Input maxLength={200} />
            </Form.Item>
            <Form.Item
              label="完成标准"
              name="taskStandard"
              rules={[{ required: true, whitespace: true, message: '请填写完成标准' }]}
            >
              <Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} maxLength={2000} />
            </Form.Item>
            <Row gutter={12}>
              <Col span={14}>
                <Form.Item label="牵头单位" name="leadDeptId">
                  <Select
                    allowClear
                    showSearch={{ optionFilterProp: 'label' }}
                    options={deptOptions}
                    placeholder="选择牵头单位"
                  />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item label="完成时限" name="dueDate">
                  <DatePicker style={{ width: '100%' }} />
                </Form.Item>
              </Col>
            </Row>
          </div>
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}
