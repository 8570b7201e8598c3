import { FileTextOutlined } from '@ant-design/icons';
import {
  App,
  Button,
  Drawer,
  Empty,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Space,
  Tabs,
  Tag,
  Typography,
  type TabsProps,
} from 'antd';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { Department, Indicator } from '../../../../main/core/contract/records';
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
import { deptLabel } from '../task/deptLabel';

interface Values {
  status: Indicator['status'];
  selfScore: number | null;
  scoreNote: string;
  narrative: string;
  ownerDeptIds: string[];
}

const valuesOf = (i: Indicator): Values => ({
  status: i.status,
  selfScore: i.selfScore,
  scoreNote: i.scoreNote ?? '',
  narrative: i.narrative ?? '',
  ownerDeptIds: i.ownerDeptIds,
});

const sameIds = (a: string[] | undefined, b: string[]) =>
  (a ?? []).length === b.length && (a ?? []).every((x, k) => x === b[k]);

/**
 * The self-assessment of one indicator: 达标情况, 自评分 with its reason (scored indicators and
 * 加分项), and the 自评说明 that the 自评报告 prints under the indicator (blank lines separate
 * paragraphs). Shows the standard it is judged against and the materials linked to it.
 *
 * The 指标体系 page uses the same drawer with `departments` (the 责任单位 become part of the
 * form) and `tabs` (the evidence checklist and the linked records, beside the 自评 tab).
 */
export function AssessmentDrawer({
  indicator,
  onClose,
  departments,
  tabs,
  headerExtra,
}: {
  indicator: Indicator | null;
  onClose: () => void;
  /** Offer the owner departments (责任单位) in the form, chosen from these. */
  departments?: Department[];
  /** More tabs after 自评 (the form stays mounted while they show). */
  tabs?: (indicator: Indicator) => NonNullable<TabsProps['items']>;
  /** Shown before the 关闭/保存 buttons. */
  headerExtra?: ReactNode;
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
  const withOwners = !!departments;
  const [tab, setTab] = useState('assess');
  // another indicator opens on its 自评 tab
  const [tabOf, setTabOf] = useState(indicator?.id);
  if (tabOf !== indicator?.id) {
    setTabOf(indicator?.id);
    setTab('assess');
  }

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
          ownerDeptIds: withOwners ? (v.ownerDeptIds ?? []) : undefined,
        },
      });
      saved.current = { ...v, selfScore: v.selfScore ?? null, ownerDeptIds: v.ownerDeptIds ?? [] };
      return `已保存“${indicator.title}”的自评`;
    });

  const dirty = () => {
    const now = form.getFieldsValue();
    const was = saved.current;
    if (!was) return false;
    return (
      now.status !== was.status ||
      (now.narrative ?? '') !== was.narrative ||
      (withOwners && !sameIds(now.ownerDeptIds, was.ownerDeptIds)) ||
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
          {headerExtra}
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
        <AssessmentBody tabs={tabs?.(indicator)} tab={tab} onTab={setTab}>
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
            {departments && (
              <Form.Item label="责任单位" name="ownerDeptIds">
                <Select
                  mode="multiple"
                  allowClear
                  placeholder="选择负责本指标的单位（可多选）"
                  showSearch={{ optionFilterProp: 'search' }}
                  options={departments
                    .filter((d) => !d.archived || indicator.ownerDeptIds.includes(d.id))
                    .map((d) => ({
                      value: d.id,
                      label: d.shortName ?? d.name,
                      search: `${deptLabel(d)} ${d.aliases.join(' ')}`,
                    }))}
                  data-testid="assessment-owners"
                />
              </Form.Item>
            )}
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
          {!tabs && (
            <>
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
            </>
          )}
          <div className="assess-foot">
            <Tag color={INDICATOR_STATUS_COLOR[indicator.status]}>
              当前：{INDICATOR_STATUS_LABEL[indicator.status]}
            </Tag>
            <span className="muted">关联任务 {indicator.taskCount} 项</span>
          </div>
        </AssessmentBody>
      )}
    </Drawer>
  );
}

/** The 自评 content alone, or as the first of the tabs. */
function AssessmentBody({
  tabs,
  tab,
  onTab,
  children,
}: {
  tabs: TabsProps['items'] | undefined;
  tab: string;
  onTab: (key: string) => void;
  children: ReactNode;
}) {
  if (!tabs) return <>{children}</>;
  return (
    <Tabs
      activeKey={tab}
      onChange={onTab}
      items={[{ key: 'assess', label: '自评', children, forceRender: true }, ...tabs]}
      data-testid="indicator-tabs"
    />
  );
}
