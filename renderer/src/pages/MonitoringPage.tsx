import { BulbOutlined, FileExcelOutlined, LineChartOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Empty, Skeleton, Space, Table, Tabs, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState, type ReactNode } from 'react';
import type { MonitoringOverview, MonitoringResult } from '../../../main/core/contract/indicators';
import { call, errorMessage, useCommandQuery } from '../api';
import { navigate } from '../route';
import { ImportModal } from './monitoring/ImportModal';
import { DANGER, DIM_LABEL, DIM_SHORT, DIMS, fmtScore, monthLabel, SUCCESS } from './monitoring/kit';
import { MetricsPanel } from './monitoring/MetricsPanel';
import { RankingReport } from './monitoring/RankingReport';
import { ResultForm } from './monitoring/ResultForm';
import { RankChart, ScoreChart } from './monitoring/TrendCharts';
import { WeakPoints } from './monitoring/WeakPoints';
import './supervision.css';
import './monitoring/monitoring.css';
import { RowOps } from './monitoring/RowOps';

function Kpi({
  label,
  value,
  unit,
  sub,
  tone,
  testId,
}: {
  label: string;
  value: ReactNode;
  unit?: string;
  sub?: ReactNode;
  tone?: 'danger' | 'success';
  testId: string;
}) {
  return (
    <div className={`kpi mon-kpi${tone ? ` kpi-${tone}` : ''}`} data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">
        <span data-testid={`${testId}-value`}>{value}</span>
        {unit && <span className="kpi-unit">{unit}</span>}
      </div>
      <div className="kpi-sub">{sub}</div>
    </div>
  );
}

/** "↑ 3" green when the rank moved up, "↓ 2" red when down. */
function RankMove({ change }: { change: number | null }) {
  if (change === null) return <span className="muted">首个月份</span>;
  if (change === 0) return <span className="muted">与上月持平</span>;
  return (
    <span style={{ color: change > 0 ? SUCCESS : DANGER }}>
      较上月{change > 0 ? '上升' : '下降'} {Math.abs(change)} 位 {change > 0 ? '↑' : '↓'}
    </span>
  );
}

function Headline({ data }: { data: MonitoringOverview }) {
  const { latest, streak, results } = data;
  if (!latest) return null;
  const sorted = [...results].sort((a, b) => a.month.localeCompare(b.month));
  const prev = sorted[sorted.findIndex((r) => r.month === latest.month) - 1];
  const scoreChange = prev ? Math.round((latest.score - prev.score) * 100) / 100 : null;
  const inTarget = latest.rank <= streak.target;
  return (
    <>
      <div className="kpi-row" data-testid="monitoring-headline">
        <Kpi
          label={`综合得分 · ${monthLabel(latest.month)}`}
          value={fmtScore(latest.score)}
          unit="分"
          testId="kpi-score"
          sub={
            scoreChange === null ? (
              <span className="muted">首个月份</span>
            ) : (
              <span style={{ color: scoreChange >= 0 ? SUCCESS : DANGER }}>
                较上月 {scoreChange >= 0 ? '+' : ''}
                {fmtScore(scoreChange)} 分
              </span>
            )
          }
        />
        <Kpi
          label="全国排名"
          value={
            <>
              第 {latest.rank} 名<span className="kpi-unit"> / {latest.total} 个城市</span>
            </>
          }
          tone={inTarget ? 'success' : latest.rank > streak.basicLimit ? 'danger' : undefined}
          testId="kpi-rank"
          sub={<RankMove change={latest.rankChange} />}
        />
        <Kpi
          label={`目标：连续三个月前 ${streak.target} 名`}
          value={streak.achieved ? '已实现' : `连续 ${streak.current} 个月`}
          tone={streak.achieved ? 'success' : undefined}
          testId="kpi-streak"
          sub={
            streak.achieved ? (
              <span>实现月份：{streak.months.map(monthLabel).join('、')}</span>
            ) : inTarget ? (
              <span>再保持 {Math.max(0, 3 - streak.current)} 个月即可实现</span>
            ) : (
              <span>
                本月距前 {streak.target} 名还差 <b>{latest.rank - streak.target}</b> 位
              </span>
            )
          }
        />
        <Kpi
          label={`基础指标：排名前 ${streak.basicLimit} 名`}
          value={streak.basicOk ? '符合' : '不符合'}
          tone={streak.basicOk ? 'success' : 'danger'}
          testId="kpi-basic"
          sub={
            streak.basicOk ? (
              <span>已录入的每个月均在前 {streak.basicLimit} 名</span>
            ) : (
              <span>
                未进入前 {streak.basicLimit} 名：{streak.monthsOutsideBasic.map(monthLabel).join('、')}
              </span>
            )
          }
        />
      </div>
      <Alert
        type={streak.achieved ? 'success' : inTarget ? 'info' : 'warning'}
        showIcon
        title={streak.explanation}
        data-testid="streak-explanation"
      />
    </>
  );
}

function ResultsTable({
  results,
  onEdit,
}: {
  results: MonitoringResult[];
  onEdit: (r: MonitoringResult) => void;
}) {
  const { message, modal } = App.useApp();
  const rows = useMemo(() => [...results].sort((a, b) => b.month.localeCompare(a.month)), [results]);
  const remove = (r: MonitoringResult) =>
    modal.confirm({
      title: `删除${monthLabel(r.month)}的监测结果？`,
      content: `第 ${r.rank} 名 / ${r.total} 个城市，综合得分 ${fmtScore(r.score)}。删除后趋势、连续排名和薄弱环节会重新计算。`,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await call('monitoring.remove', { month: r.month });
          message.success(`已删除${monthLabel(r.month)}的监测结果`);
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });
  const columns: ColumnsType<MonitoringResult> = [
    { title: '月份', dataIndex: 'month', width: 100, render: (m: string) => monthLabel(m) },
    {
      title: '综合得分',
      dataIndex: 'score',
      width: 84,
      align: 'right',
      render: (v: number) => <span className="num">{fmtScore(v)}</span>,
    },
    {
      title: '排名',
      key: 'rank',
      width: 132,
      render: (_: unknown, r) => (
        <span className="num">
          <b>{r.rank}</b>
          <span className="muted"> / {r.total}</span>
          {r.rankChange !== null && r.rankChange !== 0 && (
            <span style={{ color: r.rankChange > 0 ? SUCCESS : DANGER, marginLeft: 6 }}>
              {r.rankChange > 0 ? '↑' : '↓'}
              {Math.abs(r.rankChange)}
            </span>
          )}
        </span>
      ),
    },
    ...DIMS.map((d) => ({
      title: <Tooltip title={DIM_LABEL[d]}>{DIM_SHORT[d]}</Tooltip>,
      key: d,
      width: 84,
      align: 'right' as const,
      render: (_: unknown, r: MonitoringResult) => <span className="num">{fmtScore(r.dims[d])}</span>,
    })),
    { title: '备注', dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? '' },
    {
      title: '',
      key: 'ops',
      width: 72,
      render: (_: unknown, r) => (
        <RowOps onEdit={() => onEdit(r)} onDelete={() => remove(r)} deleteTestId="result-delete" />
      ),
    },
  ];
  return (
    <Table<MonitoringResult>
      size="small"
      rowKey="month"
      columns={columns}
      dataSource={rows}
      pagination={false}
      data-testid="results-table"
    />
  );
}

/**
 * 监测排名: the city's monthly national credit-monitoring results (entered or imported), the trend,
 * the rule "前 N 名连续三个月" and the basic line 前 100 名, the weak points with proposed
 * rectifications, the monthly 指标提升方案 and the quarterly analysis report; and the tracked
 * metrics (信用承诺、信用修复、数据合规).
 */
export function MonitoringPage() {
  const { message } = App.useApp();
  const overview = useCommandQuery('monitoring.overview', {});
  const [tab, setTab] = useState('ranking');
  const [form, setForm] = useState<{ editing: MonitoringResult | null } | null>(null);
  const [importing, setImporting] = useState(false);
  const [planning, setPlanning] = useState(false);
  const data = overview.data;
  const results = useMemo(
    () => [...(data?.results ?? [])].sort((a, b) => a.month.localeCompare(b.month)),
    [data?.results],
  );

  const makePlan = async () => {
    if (!data?.latest) return;
    setPlanning(true);
    try {
      const m = await call('monitoring.improvementPlan', { month: data.latest.month });
      message.success(`已生成「${m.title}」，可在材料文档中编辑`);
      navigate('materials', { id: m.id });
    } catch (e) {
      message.error(errorMessage(e));
    } finally {
      setPlanning(false);
    }
  };

  const addButtons = (primary: boolean) => (
    <>
      <Button
        type={primary ? 'primary' : 'default'}
        icon={<PlusOutlined />}
        onClick={() => setForm({ editing: null })}
        data-testid="add-result"
      >
        录入月度结果
      </Button>
      <Button icon={<FileExcelOutlined />} onClick={() => setImporting(true)} data-testid="import-results">
        从 Excel 导入
      </Button>
    </>
  );

  let ranking: ReactNode;
  if (overview.isPending) ranking = <Skeleton active />;
  else if (overview.isError)
    ranking = <Alert type="error" showIcon title="监测结果加载失败" description={overview.error.message} />;
  else {
    const d = overview.data;
    ranking = !results.length ? (
      <div className="panel mon-empty" data-testid="monitoring-empty">
        <Empty
          image={<LineChartOutlined style={{ fontSize: 56, color: '#1f5fbf' }} />}
          description={
            <div style={{ maxWidth: 560, margin: '0 auto' }}>
              <div className="mon-empty-title">还没有监测结果</div>
              <div className="page-sub">
                每月全国城市信用状况监测结果公布后，录入本市的综合得分、排名、参评城市数和五个维度得分，
                或把历史月份整理成 Excel 一次导入。录入后这里会显示排名趋势、“连续三个月前 {d.streak.target}{' '}
                名”的进展和需要整改的薄弱环节。
              </div>
            </div>
          }
        >
          <Space>{addButtons(true)}</Space>
        </Empty>
      </div>
    ) : (
      <div className="mon-body">
        <Headline data={d} />
        <div className="dash-grid">
          <section className="panel dash-panel span-6 mon-chart-panel">
            <header className="dash-panel-head">
              <div>
                <span className="dash-panel-title">排名趋势</span>
                <span className="dash-panel-sub">越靠上越好</span>
              </div>
            </header>
            <div className="dash-panel-body">
              <RankChart results={results} target={d.streak.target} basicLimit={d.streak.basicLimit} />
            </div>
          </section>
          <section className="panel dash-panel span-6 mon-chart-panel">
            <header className="dash-panel-head">
              <div>
                <span className="dash-panel-title">综合得分和五个维度</span>
              </div>
            </header>
            <div className="dash-panel-body">
              <ScoreChart results={results} />
            </div>
          </section>
        </div>
        <section className="panel" data-testid="weak-panel">
          <header className="dash-panel-head">
            <div>
              <span className="dash-panel-title">薄弱环节</span>
              <span className="dash-panel-sub">维度得分连续两个月下降，或低于近三个月均值</span>
            </div>
            <Tooltip
              title={`按${monthLabel(d.latest?.month ?? results[results.length - 1]?.month ?? '')}的结果和薄弱环节生成指标提升方案（材料草稿）`}
            >
              <Button
                icon={<BulbOutlined />}
                loading={planning}
                onClick={() => void makePlan()}
                data-testid="improvement-plan"
              >
                生成指标提升方案
              </Button>
            </Tooltip>
          </header>
          <WeakPoints weakPoints={d.weakPoints} />
        </section>
        <section className="panel">
          <header className="dash-panel-head">
            <div>
              <span className="dash-panel-title">月度监测结果</span>
              <span className="dash-panel-sub">共 {results.length} 个月</span>
            </div>
          </header>
          <ResultsTable results={results} onEdit={(r) => setForm({ editing: r })} />
        </section>
      </div>
    );
  }

  return (
    <div className="page dash" data-testid="monitoring-page">
      <div className="page-header">
        <div>
          <h2>监测排名</h2>
          <div className="page-sub">全国城市信用状况监测的月度结果、排名目标、薄弱环节和创建跟踪指标</div>
        </div>
        <Space>
          {tab === 'ranking' && results.length > 0 && addButtons(true)}
          {tab === 'ranking' && <RankingReport />}
        </Space>
      </div>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        className="mon-tabs"
        items={[
          { key: 'ranking', label: '监测排名', children: ranking },
          {
            key: 'metrics',
            label: <span data-testid="tab-metrics">跟踪指标</span>,
            children: <MetricsPanel />,
          },
        ]}
      />
      <ResultForm
        open={!!form}
        editing={form?.editing ?? null}
        results={results}
        onClose={() => setForm(null)}
      />
      <ImportModal open={importing} onClose={() => setImporting(false)} />
    </div>
  );
}
