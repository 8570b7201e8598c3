import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Modal, Row } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect } from 'react';
import type { MonitoringResult } from '../../../../main/core/contract/indicators';
import { call } from '../../api';
import { DIM_LABEL, DIMS, monthLabel, type Dim, useFormSave } from './kit';

interface Values {
  month: Dayjs | null;
  score: number | null;
  rank: number | null;
  total: number | null;
  dims: Partial<Record<Dim, number | null>>;
  note?: string;
}

const FIELDS = ['month', 'score', 'rank', 'total', 'note', ...DIMS.map((d) => `dims.${d}`)];

/**
 * 录入月度结果: one month of the national monitoring (composite score, rank of how many cities,
 * the five dimension scores). The core checks the figures; its words appear at the field.
 */
export function ResultForm({
  open,
  editing,
  results,
  onClose,
}: {
  open: boolean;
  /** The month being corrected, or null for a new month. */
  editing: MonitoringResult | null;
  results: MonitoringResult[];
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const { saving, error, close, save: saveForm } = useFormSave(form, FIELDS, onClose);
  const month = Form.useWatch('month', form);
  const monthKey = month ? month.format('YYYY-MM') : null;
  const exists = !editing && monthKey ? results.some((r) => r.month === monthKey) : false;

  useEffect(() => {
    if (!open) return;
    if (editing) {
      form.setFieldsValue({
        month: dayjs(`${editing.month}-01`),
        score: editing.score,
        rank: editing.rank,
        total: editing.total,
        dims: { ...editing.dims },
        note: editing.note ?? undefined,
      });
      return;
    }
    const latest = results.reduce<MonitoringResult | null>((a, r) => (!a || r.month > a.month ? r : a), null);
    const next = latest ? dayjs(`${latest.month}-01`).add(1, 'month') : dayjs().subtract(1, 'month');
    form.resetFields();
    form.setFieldsValue({ month: next.startOf('month'), total: latest?.total ?? null });
  }, [open, editing, results, form]);

  const save = () =>
    saveForm(async (v) => {
      const r = await call('monitoring.save', {
        month: v.month ? v.month.format('YYYY-MM') : '',
        score: v.score ?? Number.NaN,
        rank: v.rank ?? Number.NaN,
        total: v.total ?? Number.NaN,
        dims: Object.fromEntries(DIMS.map((d) => [d, v.dims?.[d] ?? null])) as Record<Dim, number | null>,
        note: v.note?.trim() || null,
      });
      message.success(`已保存${monthLabel(r.month)}的监测结果：第 ${r.rank} 名 / ${r.total} 个城市`);
    });

  const required = (label: string) => [{ required: true, message: `请填写${label}` }];
  return (
    <Modal
      open={open}
      title={editing ? `修改${monthLabel(editing.month)}的监测结果` : '录入月度监测结果'}
      okText="保存"
      cancelText="取消"
      width={640}
      confirmLoading={saving}
      onOk={() => void save()}
      onCancel={close}
      forceRender
    >
      <Form form={form} layout="vertical" data-testid="result-form">
        <Row gutter={12}>
          <Col span={6}>
            <Form.Item label="月份" name="month" rules={[{ required: true, message: '请选择月份' }]}>
              <DatePicker
                picker="month"
                format="YYYY年M月"
                allowClear={false}
                disabled={!!editing}
                style={{ width: '100%' }}
                data-testid="result-month"
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label="综合得分" name="score" rules={required('综合得分')}>
              <InputNumber min={0} step={0.1} style={{ width: '100%' }} data-testid="result-score" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label="排名" name="rank" rules={required('排名')}>
              <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="result-rank" />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label="参评城市数" name="total" rules={required('参评城市数')}>
              <InputNumber min={1} precision={0} style={{ width: '100%' }} data-testid="result-total" />
            </Form.Item>
          </Col>
        </Row>
        {exists && monthKey && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 12 }}
            title={`${monthLabel(monthKey)}已有监测结果，保存后将替换原结果。`}
          />
        )}
        <div className="mon-form-caption">五个维度得分（可选）</div>
        <Row gutter={12}>
          {DIMS.map((d) => (
            <Col span={12} key={d}>
              <Form.Item label={DIM_LABEL[d]} name={['dims', d]}>
                <InputNumber min={0} step={0.1} style={{ width: '100%' }} data-testid={`result-dim-${d}`} />
              </Form.Item>
            </Col>
          ))}
          <Col span={12}>
            <Form.Item label="备注" name="note">
              <Input maxLength={2000} placeholder="如：数据来源、通报文号" />
            </Form.Item>
          </Col>
        </Row>
        {error && <Alert type="error" showIcon title={error} data-testid="result-error" />}
      </Form>
    </Modal>
  );
}
