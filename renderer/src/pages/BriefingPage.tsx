import {
  BarChartOutlined,
  DownloadOutlined,
  FolderOpenOutlined,
  FundProjectionScreenOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Checkbox, DatePicker, Form, Input, Progress, Skeleton } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import type { BriefingSection } from '../../../main/core/contract/indicators';
import { BRIEFING_SECTIONS, BRIEFING_SECTION_LABEL } from '../../../main/core/contract/labels';
import type { EventPayload } from '../../../main/core/contract/index';
import { call, errorMessage, useCommandQuery } from '../api';
import { useExport } from '../components/useExport';
import { downloadExport, openExport } from '../exports';
import { fmtScore, monthLabel } from './monitoring/kit';
import './supervision.css';
import './briefing/briefing.css';

interface Values {
  period: [Dayjs, Dayjs];
  sections: BriefingSection[];
  title?: string;
  presenter?: string;
}

interface Done {
  file: string;
  bytes: number;
  slides: number;
  charts: number;
  from: string;
  to: string;
}

const baseName = (file: string) => file.split(/[\\/]/).pop() ?? file;

/** The progress of the deck being written (job.progress of kind 'briefing'). */
function useBriefingProgress(): [EventPayload<'job.progress'> | null, () => void] {
  const [p, setP] = useState<EventPayload<'job.progress'> | null>(null);
  useEffect(() => window.app.on('job.progress', (e) => e.kind === 'briefing' && setP(e)), []);
  return [p, () => setP(null)];
}

/** The figures the deck will carry, from the dashboard's own query. */
function Figures() {
  const campaign = useCommandQuery('dashboard.campaign', {});
  const dash = useCommandQuery('dashboard.summary', {});
  if (campaign.isPending || dash.isPending) return <Skeleton active paragraph={{ rows: 3 }} />;
  if (campaign.isError) return <Alert type="warning" showIcon title={campaign.error.message} />;
  const c = campaign.data;
  const latest = c.monitoring.latest;
  const items: { label: string; value: string; sub?: string }[] = [
    {
      label: '基础指标达标',
      value: `${c.readiness.basic.met} / ${c.readiness.basic.total}`,
      sub: c.readiness.allBasicMet ? '全部达标' : `${c.readiness.basic.unmet.length} 项未达标`,
    },
    {
      label: '评分指标自评',
      value: `${fmtScore(c.readiness.scored.achieved)} / ${fmtScore(c.readiness.scored.possible)}`,
      sub: '自评分 / 总分',
    },
    latest
      ? {
          label: `监测排名（${monthLabel(latest.month)}）`,
          value: `第 ${latest.rank} 名`,
          sub: `${latest.total} 个城市，综合得分 ${fmtScore(latest.score)}`,
        }
      : { label: '监测排名', value: '—', sub: '尚未录入监测结果' },
  ];
  if (dash.data) {
    const t = dash.data.totals;
    items.push({ label: '督办任务', value: String(t.supervised.value), sub: `已办结 ${t.done.value} 项` });
  }
  return (
    <div className="brief-figures" data-testid="briefing-figures">
      {items.map((i) => (
        <div key={i.label} className="brief-figure">
          <div className="brief-figure-label">{i.label}</div>
          <div className="brief-figure-value">{i.value}</div>
          {i.sub && <div className="brief-figure-sub">{i.sub}</div>}
        </div>
      ))}
    </div>
  );
}

/**
 * 汇报PPT: the lead picks the period and the sections; the core writes a 16:9 deck with native
 * (editable) charts and speaker notes, every figure from the same queries as the dashboard.
 */
export function BriefingPage() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const runExport = useExport();
  const info = useCommandQuery('app.info', {});
  const caps = info.data?.capabilities;
  const [progress, resetProgress] = useBriefingProgress();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<Done | null>(null);
  const [error, setError] = useState<string | null>(null);

  const generate = async () => {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const from = v.period[0].format('YYYY-MM');
    const to = v.period[1].format('YYYY-MM');
    setBusy(true);
    setError(null);
    setDone(null);
    resetProgress();
    try {
      let result: Done | null = null;
      await runExport({
        defaultName: `汇报PPT-${from}至${to}.pptx`,
        filters: [{ name: 'PowerPoint 演示文稿', extensions: ['pptx'] }],
        run: async (file) => {
          try {
            const r = await call('briefing.export', {
              from,
              to,
              sections: BRIEFING_SECTIONS.filter((s) => v.sections.includes(s)),
              title: v.title?.trim() || null,
              presenter: v.presenter?.trim() || null,
              file,
            });
            result = { ...r, from, to };
            return r;
          } catch (e) {
            setError(errorMessage(e));
            throw e;
          }
        },
      });
      if (result) setDone(result);
    } finally {
      setBusy(false);
    }
  };

  const pct =
    progress && progress.total
      ? Math.min(100, Math.round((progress.done / progress.total) * 100))
      : busy
        ? 5
        : 0;

  return (
    <div className="page dash" data-testid="briefing-page">
      <div className="page-header">
        <div>
          <h2>汇报PPT</h2>
          <div className="page-sub">选择汇报期间和章节，一键生成向市领导汇报的演示文稿（16:9）</div>
        </div>
      </div>
      <div className="brief-grid">
        <section className="panel brief-form">
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{
              period: [dayjs().subtract(2, 'month').startOf('month'), dayjs().startOf('month')],
              sections: [...BRIEFING_SECTIONS],
            }}
            data-testid="briefing-form"
          >
            <Form.Item
              label="汇报期间"
              name="period"
              rules={[{ required: true, message: '请选择汇报期间' }]}
              extra="默认最近三个月；排名趋势、任务完成和整改情况按此期间统计"
            >
              <DatePicker.RangePicker
                picker="month"
                format="YYYY年M月"
                allowClear={false}
                placeholder={['开始月份', '结束月份']}
                data-testid="briefing-period"
              />
            </Form.Item>
            <Form.Item
              label="章节"
              name="sections"
              rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个章节' }]}
              extra="封面和目录总是包含"
            >
              <Checkbox.Group className="brief-sections" data-testid="briefing-sections">
                {BRIEFING_SECTIONS.map((s, i) => (
                  <Checkbox key={s} value={s}>
                    {i + 1}. {BRIEFING_SECTION_LABEL[s]}
                  </Checkbox>
                ))}
              </Checkbox.Group>
            </Form.Item>
            <Form.Item label="标题（可选）" name="title">
              <Input maxLength={80} placeholder="默认：××市社会信用体系建设示范区创建工作汇报" />
            </Form.Item>
            <Form.Item label="汇报单位（可选）" name="presenter">
              <Input maxLength={80} placeholder="如：市发展改革委" />
            </Form.Item>
            <Button
              type="primary"
              size="large"
              icon={<FundProjectionScreenOutlined />}
              loading={busy}
              onClick={() => void generate()}
              data-testid="briefing-generate"
            >
              生成汇报PPT
            </Button>
          </Form>
        </section>

        <div className="brief-side">
          {(busy || progress?.state === 'running') && (
            <section className="panel" data-testid="briefing-progress">
              <div className="dash-panel-title">正在生成…</div>
              <Progress percent={pct} status="active" />
              <div className="page-sub">{progress?.message ?? '准备数据'}</div>
            </section>
          )}
          {error && !busy && <Alert type="error" showIcon title="生成失败" description={error} />}
          {done && (
            <section className="panel brief-done" data-testid="briefing-result">
              <div className="dash-panel-title">已生成汇报PPT</div>
              <div className="brief-done-name" title={done.file}>
                {baseName(done.file)}
              </div>
              <div className="brief-done-stats">
                <span>
                  <b data-testid="briefing-slides">{done.slides}</b> 页幻灯片
                </span>
                <span>
                  <BarChartOutlined /> <b data-testid="briefing-charts">{done.charts}</b> 个原生图表
                </span>
                <span>{(done.bytes / 1024).toFixed(0)} KB</span>
                <span>
                  {monthLabel(done.from)}至{monthLabel(done.to)}
                </span>
              </div>
              <div className="brief-done-actions">
                {caps?.openPath ? (
                  <Button
                    type="primary"
                    icon={<FolderOpenOutlined />}
                    onClick={() => void openExport(done.file).catch((e) => message.error(errorMessage(e)))}
                  >
                    打开
                  </Button>
                ) : (
                  <Button
                    type="primary"
                    icon={<DownloadOutlined />}
                    onClick={() =>
                      void downloadExport(done.file).catch((e) => message.error(errorMessage(e)))
                    }
                    data-testid="briefing-download"
                  >
                    再次下载
                  </Button>
                )}
              </div>
            </section>
          )}
          <section className="panel">
            <div className="dash-panel-title">说明</div>
            <ul className="brief-notes">
              <li>
                图表是 PowerPoint 原生图表，不是图片：在 PowerPoint 或 WPS
                中右键“编辑数据”即可修改数字、调整样式。
              </li>
              <li>每页的数字与驾驶舱一致（同一查询），演讲者备注中列出该页的全部数字，便于汇报时照读。</li>
              <li>字体为微软雅黑（无此字体的电脑自动使用黑体等中文字体）。</li>
            </ul>
            <div className="dash-panel-title" style={{ marginTop: 8 }}>
              当前数据
            </div>
            <Figures />
          </section>
        </div>
      </div>
    </div>
  );
}
