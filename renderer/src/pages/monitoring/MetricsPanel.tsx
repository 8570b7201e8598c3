import { AimOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Skeleton,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import type { Metric, MetricKey } from '../../../../main/core/contract/indicators';
import { call, useCommandQuery } from '../../api';
import { EChart, type ChartOption } from '../../components/charts/EChart';
import { AXIS, DANGER, monthLabel, PRIMARY, shortMonth, SUCCESS, TOP_LEGEND, useFormSave } from './kit';
import { RowOps } from './RowOps';

type Point = Metric['values'][number];

/** 12.345 → "12.3%" (rates are percentages already). */
const pctText = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : `${Math.round(v * 10) / 10}%`;
const num = (v: number | null | undefined) =>
  v === null || v === undefined ? '—' : v.toLocaleString('zh-CN');

/** What a month's figures are called, per metric (commitments compare two counts). */
const VALUE_LABEL: Record<MetricKey, string> = {
  commitments: '信用承诺数',
  repair_rate: '信用修复率（%）',
  compliance_rate: '五类数据合规率（%）',
};

/**
 * 跟踪指标: credit commitments against the number of enterprises, the credit-repair rate and the
 * five-category data compliance rate, each with its monthly values, target and trend.
 */
export function MetricsPanel() {
  const metrics = useCommandQuery('metrics.list', {});
  const [entry, setEntry] = useState<{ metric: Metric; point: Point | null } | null>(null);
  const [targeting, setTargeting] = useState<Metric | null>(null);

  if (metrics.isPending) return <Skeleton active />;
  if (metrics.isError)
    return <Alert type="error" showIcon title="跟踪指标加载失败" description={metrics.error.message} />;

  return (
    <div className="metric-list" data-testid="metrics">
      {metrics.data.map((m) => (
        <MetricRow
          key={m.key}
          metric={m}
          onEntry={(point) => setEntry({ metric: m, point })}
          onTarget={() => setTargeting(m)}
        />
      ))}
      <MetricEntryModal entry={entry} onClose={() => setEntry(null)} />
      <TargetModal metric={targeting} onClose={() => setTargeting(null)} />
    </div>
  );
}

function MetricRow({
  metric: m,
  onEntry,
  onTarget,
}: {
  metric: Metric;
  onEntry: (p: Point | null) => void;
  onTarget: () => void;
}) {
  const { message, modal } = App.useApp();
  const rows = useMemo(() => [...m.values].sort((a, b) => b.month.localeCompare(a.month)), [m.values]);
  const option = useMemo<ChartOption>(() => {
    const vals = [...m.values].sort((a, b) => a.month.localeCompare(b.month));
    const withYear = new Set(vals.map((v) => v.month.slice(0, 4))).size > 1;
    return {
      grid: { left: 4, right: 12, top: 28, bottom: 2, containLabel: true },
      legend: TOP_LEGEND,
      tooltip: {
        trigger: 'axis',
        formatter: (raw: unknown) => {
          const p = vals[(raw as { dataIndex: number }[])[0]?.dataIndex ?? -1];
          if (!p) return '';
          const lines = [`<b>${monthLabel(p.month)}</b>`];
          if (m.key === 'commitments') lines.push(`信用承诺数：${num(p.value)}`, `企业总数：${num(p.base)}`);
          lines.push(
            `${m.key === 'commitments' ? '覆盖率' : '数值'}：${pctText(p.rate)}（目标 ${m.target}%）`,
          );
          return lines.join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        data: vals.map((v) => shortMonth(v.month, withYear)),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d9dee7' } },
        axisLabel: { color: AXIS, fontSize: 11 },
      },
      yAxis: {
        type: 'value',
        scale: true,
        // keep the target inside the axis range
        max: (v: { max: number }) => Math.max(v.max, m.target),
        splitLine: { lineStyle: { color: '#eef1f6' } },
        axisLabel: { color: AXIS, fontSize: 11, formatter: '{value}%' },
      },
      series: [
        {
          name: m.key === 'commitments' ? '承诺覆盖率' : m.name,
          type: 'line',
          data: vals.map((v) => v.rate),
          connectNulls: true,
          symbolSize: 7,
          lineStyle: { width: 2.5, color: PRIMARY },
          itemStyle: { color: PRIMARY },
          // the target as a line across the chart (also with a single month)
          markLine: {
            silent: true,
            symbol: 'none',
            data: [{ yAxis: m.target }],
            lineStyle: { type: 'dashed', color: SUCCESS, width: 1.5 },
            label: { formatter: `目标 ${m.target}%`, position: 'insideEndTop', color: SUCCESS, fontSize: 11 },
          },
        },
      ],
    };
  }, [m]);

  const remove = (p: Point) =>
    modal.confirm({
      title: `删除${monthLabel(p.month)}的「${m.name}」？`,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await call('metrics.remove', { metric: m.key, month: p.month });
          message.success('已删除');
        } catch (e) {
          message.error(e instanceof Error ? e.message : String(e));
        }
      },
    });

  const columns: ColumnsType<Point> = [
    { title: '月份', dataIndex: 'month', width: 92, render: (v: string) => monthLabel(v) },
    ...(m.key === 'commitments'
      ? [
          {
            title: '承诺数',
            dataIndex: 'value',
            width: 80,
            align: 'right' as const,
            render: (v: number) => num(v),
          },
          {
            title: '企业总数',
            dataIndex: 'base',
            width: 84,
            align: 'right' as const,
            render: (v: number | null) => num(v),
          },
        ]
      : []),
    {
      title: m.key === 'commitments' ? '覆盖率' : '数值',
      dataIndex: 'rate',
      align: 'right',
      width: 72,
      render: (v: number | null) => (
        <span className={v !== null && v < m.target ? 'row-overdue' : undefined}>{pctText(v)}</span>
      ),
    },
    { title: '备注', dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? '' },
    {
      title: '',
      key: 'ops',
      width: 64,
      render: (_: unknown, p) => <RowOps onEdit={() => onEntry(p)} onDelete={() => remove(p)} />,
    },
  ];

  const latest = m.latest;
  return (
    <section className="panel metric-row" data-testid={`metric-${m.key}`}>
      <div className="metric-summary">
        <div className="metric-name">{m.name}</div>
        <div className="metric-value">
          <span data-testid={`metric-${m.key}-rate`}>{pctText(latest?.rate)}</span>
          {latest && (
            <Tag color={m.onTarget ? 'success' : 'error'} style={{ marginLeft: 8 }}>
              {m.onTarget
                ? '达到目标'
                : `距目标 ${Math.round((m.target - (latest.rate ?? 0)) * 10) / 10} 个百分点`}
            </Tag>
          )}
        </div>
        <div className="page-sub">
          {latest ? `${monthLabel(latest.month)}` : '尚未录入'}
          {m.key === 'commitments' && latest
            ? `：承诺 ${num(latest.value)} 份 / 企业 ${num(latest.base)} 家`
            : ''}
          {m.change !== null && (
            <span style={{ color: m.change >= 0 ? SUCCESS : DANGER, marginLeft: 6 }}>
              较上月 {m.change >= 0 ? '↑' : '↓'} {Math.abs(Math.round(m.change * 10) / 10)} 个百分点
            </span>
          )}
        </div>
        <div className="page-sub">
          目标：{m.target}%{m.key === 'commitments' ? '（承诺数不少于企业总数）' : ''}
        </div>
        <div className="metric-actions">
          <Button
            size="small"
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => onEntry(null)}
            data-testid={`metric-${m.key}-add`}
          >
            录入月度数值
          </Button>
          <Button
            size="small"
            icon={<AimOutlined />}
            onClick={onTarget}
            data-testid={`metric-${m.key}-target`}
          >
            修改目标
          </Button>
        </div>
      </div>
      <div className="metric-chart">
        {m.values.length ? (
          <EChart option={option} ariaLabel={`${m.name}趋势`} />
        ) : (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="录入月度数值后显示趋势" />
        )}
      </div>
      <div className="metric-table">
        <Table<Point>
          size="small"
          rowKey="month"
          columns={columns}
          dataSource={rows}
          pagination={false}
          scroll={{ y: 168 }}
          locale={{ emptyText: '暂无数值' }}
        />
      </div>
    </section>
  );
}

interface EntryValues {
  month: Dayjs | null;
  value: number | null;
  base: number | null;
  note?: string;
}

function MetricEntryModal({
  entry,
  onClose,
}: {
  entry: { metric: Metric; point: Point | null } | null;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<EntryValues>();
  const {
    saving,
    error,
    close,
    save: saveForm,
  } = useFormSave(form, ['month', 'value', 'base', 'note'], onClose);
  const m = entry?.metric;

  useEffect(() => {
    if (!entry) return;
    form.resetFields();
    const p = entry.point;
    const last = entry.metric.latest;
    form.setFieldsValue(
      p
        ? { month: dayjs(`${p.month}-01`), value: p.value, base: p.base, note: p.note ?? undefined }
        : {
            month: last ? dayjs(`${last.month}-01`).add(1, 'month') : dayjs().startOf('month'),
            value: null,
            base: entry.metric.key === 'commitments' ? (last?.base ?? null) : null,
          },
    );
  }, [entry, form]);

  const save = () =>
    saveForm(async (v) => {
      if (!m) return;
      await call('metrics.set', {
        metric: m.key,
        month: v.month ? v.month.format('YYYY-MM') : '',
        value: v.value ?? Number.NaN,
        base: m.key === 'commitments' ? (v.base ?? null) : null,
        note: v.note?.trim() || null,
      });
      message.success(`已保存${v.month ? monthLabel(v.month.format('YYYY-MM')) : ''}的「${m.name}」`);
    });

  return (
    <Modal
      open={!!entry}
      title={m ? `${entry?.point ? '修改' : '录入'}「${m.name}」` : ''}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={close}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="metric-form">
        <Form.Item label="月份" name="month" rules={[{ required: true, message: '请选择月份' }]}>
          <DatePicker picker="month" format="YYYY年M月" allowClear={false} disabled={!!entry?.point} />
        </Form.Item>
        <Form.Item
          label={m ? VALUE_LABEL[m.key] : '数值'}
          name="value"
          rules={[{ required: true, message: '请填写数值' }]}
        >
          <InputNumber min={0} max={m && m.key !== 'commitments' ? 100 : undefined} style={{ width: 220 }} />
        </Form.Item>
        {m?.key === 'commitments' && (
          <Form.Item
            label="企业总数"
            name="base"
            rules={[{ required: true, message: '请填写企业总数（用于计算承诺覆盖率）' }]}
            extra="辖区内在营企业数量；承诺数不少于企业总数即达到目标"
          >
            <InputNumber min={0} precision={0} style={{ width: 220 }} />
          </Form.Item>
        )}
        <Form.Item label="备注" name="note">
          <Input maxLength={500} placeholder="如：数据来源" />
        </Form.Item>
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}

function TargetModal({ metric, onClose }: { metric: Metric | null; onClose: () => void }) {
  const { message } = App.useApp();
  const [target, setTarget] = useState<number | null>(null);
  const [saving, setSaving] = useState(false);
  const [seen, setSeen] = useState(metric);
  if (seen !== metric) {
    setSeen(metric);
    setTarget(metric?.target ?? null);
  }
  const save = async () => {
    if (!metric || target === null) return;
    setSaving(true);
    try {
      await call('metrics.setTarget', { metric: metric.key, target });
      message.success(`「${metric.name}」的目标已改为 ${target}%`);
      onClose();
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open={!!metric}
      title={metric ? `修改「${metric.name}」的目标` : ''}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      okButtonProps={{ disabled: target === null }}
      onOk={() => void save()}
      onCancel={onClose}
      destroyOnHidden
    >
      <InputNumber
        min={0}
        max={1000}
        value={target}
        onChange={(v) => setTarget(v)}
        suffix="%"
        style={{ width: 200 }}
      />
      <div className="page-sub" style={{ marginTop: 8 }}>
        {metric?.key === 'commitments' ? '承诺数占企业总数的百分比，100% 即二者相等。' : '百分比。'}
      </div>
    </Modal>
  );
}
