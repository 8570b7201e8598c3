/**
 * What is linked to an indicator: the tasks working on it, its rectification items (and a new
 * one for it), and the materials filed under it; each opens its own page.
 */
import { FileTextOutlined, PlusOutlined, RightOutlined } from '@ant-design/icons';
import { App, DatePicker, Empty, Form, Input, Modal, Select, Tag, Typography, Button } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import type { IndicatorDetail } from '../../../../main/core/contract/indicators';
import type { Department, Indicator } from '../../../../main/core/contract/records';
import { useCommand } from '../../api';
import { useSubmit } from '../../forms';
import {
  MATERIAL_STATUS_LABEL,
  MATERIAL_TYPE_LABEL,
  RECT_SOURCE_LABEL,
  RECT_STATUS_COLOR,
  RECT_STATUS_LABEL,
  STATUS_COLOR,
  STATUS_LABEL,
  options,
} from '../../labels';
import { navigate } from '../../route';
import { deptLabel } from '../task/deptLabel';
import { openTask, openTasks } from '../supervisionKit';

/** A label of a status string from the core, or the string itself. */
function labelOf<K extends string>(labels: Record<K, string>, v: string): string {
  return (labels as Record<string, string>)[v] ?? v;
}
function colorOf<K extends string>(colors: Record<K, string>, v: string): string | undefined {
  return (colors as Record<string, string>)[v];
}

interface RectValues {
  source: keyof typeof RECT_SOURCE_LABEL;
  problem: string;
  deptId?: string | null;
  measures?: string;
  deadline?: Dayjs | null;
}

function NewRectModal({
  indicator,
  departments,
  open,
  onClose,
}: {
  indicator: Indicator;
  departments: Department[];
  open: boolean;
  onClose: () => void;
}) {
  const [form] = Form.useForm<RectValues>();
  const submit = useSubmit();
  const { message } = App.useApp();
  const create = useCommand('rect.create');
  const ok = () =>
    submit(form, async (v) => {
      const r = await create.mutateAsync({
        source: v.source,
        problem: v.problem,
        deptId: v.deptId ?? null,
        measures: v.measures?.trim() || null,
        deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : null,
        indicatorIds: [indicator.id],
      });
      onClose();
      message.success(
        <span>
          已登记整改事项 {r.code}{' '}
          <Typography.Link onClick={() => navigate('rectification', { id: r.id })}>查看</Typography.Link>
        </span>,
      );
    });
  return (
    <Modal
      open={open}
      title={`新建整改事项：${indicator.code} ${indicator.title}`}
      okText="登记"
      cancelText="取消"
      confirmLoading={create.isPending}
      onOk={() => void ok()}
      onCancel={onClose}
      destroyOnHidden
      data-testid="indicator-new-rect"
    >
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ source: 'inspection', deptId: indicator.ownerDeptIds[0] ?? null }}
      >
        <Form.Item label="来源" name="source">
          <Select options={options(RECT_SOURCE_LABEL)} />
        </Form.Item>
        <Form.Item
          label="问题描述"
          name="problem"
          rules={[{ required: true, whitespace: true, message: '请填写问题描述' }]}
        >
          <Input.TextArea
            autoSize={{ minRows: 3, maxRows: 8 }}
            maxLength={5000}
            placeholder="例如：部分窗口未留存信用查询记录"
          />
        </Form.Item>
        <Form.Item label="责任单位" name="deptId">
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="选择责任单位"
            options={departments
              .filter((d) => !d.archived)
              .map((d) => ({ value: d.id, label: deptLabel(d) }))}
          />
        </Form.Item>
        <Form.Item label="整改措施" name="measures">
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={5000} />
        </Form.Item>
        <Form.Item label="整改时限" name="deadline">
          <DatePicker style={{ width: 200 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function IndicatorLinks({
  indicator,
  detail,
  departments,
}: {
  indicator: Indicator;
  detail: IndicatorDetail | undefined;
  departments: Department[];
}) {
  const [newRect, setNewRect] = useState(false);
  if (!detail) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="加载中…" />;
  return (
    <div className="ind-links" data-testid="indicator-links">
      <section>
        <div className="ind-links-head">
          <span className="assess-label">关联任务（{detail.tasks.length}）</span>
          {detail.tasks.length > 0 && (
            <Typography.Link onClick={() => openTasks({ indicatorId: indicator.id })}>
              在任务督办中查看 <RightOutlined style={{ fontSize: 10 }} />
            </Typography.Link>
          )}
        </div>
        {detail.tasks.length === 0 ? (
          <div className="muted ind-links-empty">还没有任务关联本指标：在任务的“关联指标”中选择本指标</div>
        ) : (
          <ul className="ind-link-list">
            {detail.tasks.map((t) => (
              <li key={t.id} onClick={() => openTask(t.id)}>
                <span className="muted">{t.code}</span>
                <span className="ind-link-title" title={t.title}>
                  {t.title}
                </span>
                <span className="muted">
                  {t.leadDeptName ?? '未指定牵头单位'} · 截止 {t.dueDate ?? '—'}
                </span>
                <Tag color={colorOf(STATUS_COLOR, t.status)}>{labelOf(STATUS_LABEL, t.status)}</Tag>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <div className="ind-links-head">
          <span className="assess-label">整改事项（{detail.rectifications.length}）</span>
          <Button
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setNewRect(true)}
            data-testid="indicator-add-rect"
          >
            新建整改事项
          </Button>
        </div>
        {detail.rectifications.length === 0 ? (
          <div className="muted ind-links-empty">没有关联的整改事项</div>
        ) : (
          <ul className="ind-link-list">
            {detail.rectifications.map((r) => (
              <li key={r.id} onClick={() => navigate('rectification', { id: r.id })}>
                <span className="muted">{r.code}</span>
                <span className="ind-link-title" title={r.problem}>
                  {r.problem}
                </span>
                <Tag color={colorOf(RECT_STATUS_COLOR, r.status)}>{labelOf(RECT_STATUS_LABEL, r.status)}</Tag>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section>
        <div className="ind-links-head">
          <span className="assess-label">关联材料（{detail.materials.length}）</span>
          {detail.materials.length > 0 && (
            <Typography.Link onClick={() => navigate('materials', { indicator: indicator.id })}>
              在材料文档中查看 <RightOutlined style={{ fontSize: 10 }} />
            </Typography.Link>
          )}
        </div>
        {detail.materials.length === 0 ? (
          <div className="muted ind-links-empty">
            还没有关联材料：在材料的“关联”页选择本指标，评审材料汇编时编入本指标一节
          </div>
        ) : (
          <ul className="ind-link-list">
            {detail.materials.map((m) => (
              <li key={m.id} onClick={() => navigate('materials', { id: m.id })}>
                <FileTextOutlined />
                <span className="ind-link-title" title={m.title}>
                  {m.title}
                </span>
                <span className="muted">
                  {labelOf(MATERIAL_TYPE_LABEL, m.type)} · {labelOf(MATERIAL_STATUS_LABEL, m.status)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {/* mounted while open: every new item starts from a fresh form */}
      {newRect && (
        <NewRectModal
          indicator={indicator}
          departments={departments}
          open
          onClose={() => setNewRect(false)}
        />
      )}
    </div>
  );
}
