import { FileTextOutlined } from '@ant-design/icons';
import { App, Button, Drawer, Empty, Form, Input, InputNumber, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useRef } from 'react';
import type { Indicator } from '../../../../main/core/contract/records';
import { useCommand, useCommandQuery } from '../../api';
import { useSubmit } from '../../forms';
import {
  INDICATOR_KIND_LABEL,
  INDICATOR_STATUS_COLOR,
  INDICATOR_STATUS_LABEL,
  MATERIAL_STATUS_LABEL,
  MATERIAL_TYPE_LABEL,
} from '../../labels';
import { navigate } from '../../route';

interface Values {
  status: Indicator['status'];
  selfScore: number | null;
  scoreNote: string;
  narrative: string;
}

const valuesOf = (i: Indicator): Values => ({
  status: i.status,
  selfScore: i.selfScore,
  scoreNote: i.scoreNote ?? '',
  narrative: i.narrative ?? '',
});

/**
 * The self-assessment of one indicator: 达标情况, 自评分 with its reason (scored indicators and
 * 加分项), and the 自评说明 that the 自评报告 prints under the indicator (blank lines separate
 * paragraphs). Shows the standard it is judged against and the materials linked to it.
 */
export function AssessmentDrawer({
  indicator,
  onClose,
}: {
  indicator: Indicator | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<Values>();
  const { modal } = App.useApp();
  const submit = useSubmit();
  const update = useCommand('indicators.update');
  const materials = useCommandQuery(
    'materials.list',
    { indicatorId: indicator?.id },
    { enabled: !!indicator },
  );
  const scored = indicator?.kind === 'scored' || indicator?.kind === 'bonus';
  const narrative = Form.useWatch('narrative', form) ?? '';

  // what the core holds for the open indicator (as of opening it or the last save)
  const saved = useRef<Values | null>(null);
  useEffect(() => {
    if (!indicator) return;
    saved.current = valuesOf(indicator);
    form.setFieldsValue(saved.current);
    // only when another indicator is opened: a refresh of the same one keeps what is being typed
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [indicator?.id]);

  const save = () =>
    submit(form, async (v) => {
      if (!indicator) return;
      await update.mutateAsync({
        id: indicator.id,
        patch: {
          status: v.status,
          selfScore: scored ? (v.selfScore ?? null) : undefined,
          scoreNote: scored ? v.scoreNote : undefined,
          narrative: v.narrative,
        },
      });
      saved.current = { ...v, selfScore: v.selfScore ?? null };
      return `已保存“${indicator.title}”的自评`;
    });

  const dirty = () => {
    const now = form.getFieldsValue();
    const was = saved.current;
    if (!was) return false;
    return (
      now.status !== was.status ||
      (now.narrative ?? '') !== was.narrative ||
      (scored && ((now.selfScore ?? null) !== was.selfScore || (now.scoreNote ?? '') !== was.scoreNote))
    );
  };

  const close = () => {
    if (!dirty()) return onClose();
    modal.confirm({
      title: '自评内容还没有保存',
      content: '关闭后，本次修改将丢失。',
      okText: '不保存，关闭',
      okButtonProps: { danger: true },
      cancelText: '继续编辑',
      onOk: onClose,
    });
  };

  return (
    <Drawer
      open={!!indicator}
      onClose={close}
      size={720}
      destroyOnHidden={false}
      title={
        indicator && (
          <Space size={8}>
            <span className="muted">{indicator.code}</span>
            <span>{indicator.title}</span>
            <Tag>{INDICATOR_KIND_LABEL[indicator.kind]}</Tag>
          </Space>
        )
      }
      extra={
        <Space>
          <Button onClick={close}>关闭</Button>
          <Button
            type="primary"
            loading={update.isPending}
            onClick={() => void save()}
            data-testid="assessment-save"
          >
            保存
          </Button>
        </Space>
      }
      data-testid="assessment-drawer"
    >
      {indicator && (
        <>
          {indicator.standard && (
            <div className="assess-standard">
              <div className="assess-label">评价标准</div>
              <div>{indicator.standard}</div>
            </div>
          )}
          <Form form={form} layout="vertical" requiredMark={false}>
            <Form.Item label="达标情况" name="status">
              <Radio.Group
                optionType="button"
                buttonStyle="solid"
                options={(['met', 'in_progress', 'not_met'] as const).map((s) => ({
                  value: s,
                  label: INDICATOR_STATUS_LABEL[s],
                }))}
                data-testid="assessment-status"
              />
            </Form.Item>
            {scored && (
              <Space align="start" size={16} style={{ display: 'flex' }}>
                <Form.Item
                  label={`自评分（满分 ${indicator.points ?? '—'}）`}
                  name="selfScore"
                  rules={[
                    {
                      validator: (_, v: number | null) =>
                        v !== null && v !== undefined && indicator.points !== null && v > indicator.points
                          ? Promise.reject(new Error(`自评分不能超过满分 ${indicator.points}`))
                          : Promise.resolve(),
                    },
                  ]}
                >
                  <InputNumber min={0} step={0.5} style={{ width: 160 }} data-testid="assessment-score" />
                </Form.Item>
                <Form.Item label="自评理由" name="scoreNote" style={{ flex: 1 }}>
                  <Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={5000} />
                </Form.Item>
              </Space>
            )}
            <Form.Item
              label={
                <Space>
                  自评说明
                  <span className="muted">（报告中写在本指标下，每行一段）</span>
                </Space>
              }
              name="narrative"
              extra={`${narrative.trim().length.toLocaleString('zh-CN')} 字`}
            >
              <Input.TextArea
                autoSize={{ minRows: 10, maxRows: 24 }}
                maxLength={50000}
                placeholder="例如：我市出台《××市社会信用体系建设工作方案》等制度文件 12 件，均经合法性审查……"
                data-testid="assessment-narrative"
              />
            </Form.Item>
          </Form>
          <div className="assess-label">
            关联材料（{materials.data?.length ?? 0}）<span className="muted">：汇编时编入本指标一节</span>
          </div>
          {materials.data?.length ? (
            <div className="assess-materials">
              {materials.data.map((m) => (
                <Typography.Link key={m.id} onClick={() => navigate('materials', { id: m.id })}>
                  <FileTextOutlined /> {m.title}
                  <span className="muted">
                    {' '}
                    · {MATERIAL_TYPE_LABEL[m.type]} · {MATERIAL_STATUS_LABEL[m.status]}
                  </span>
                </Typography.Link>
              ))}
            </div>
          ) : (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description="还没有关联材料：在材料的“关联”页选择本指标"
            />
          )}
          <div className="assess-foot">
            <Tag color={INDICATOR_STATUS_COLOR[indicator.status]}>
              当前：{INDICATOR_STATUS_LABEL[indicator.status]}
            </Tag>
            <span className="muted">关联任务 {indicator.taskCount} 项</span>
          </div>
        </>
      )}
    </Drawer>
  );
}
