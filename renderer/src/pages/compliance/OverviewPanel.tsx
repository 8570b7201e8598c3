import { Alert, Button, DatePicker, Empty, Progress, Select, Skeleton, Table, Tooltip } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import type {
  ComplianceCategory,
  ComplianceOverview,
  DeptComplianceRow,
} from '../../../../main/core/contract/compliance';
import { useCommandQuery } from '../../api';
import { EChart, type ChartOption } from '../../components/charts/EChart';
import { navigate } from '../../route';
import {
  AXIS,
  COMPLIANCE_CATEGORY_LABELS,
  fmtInt,
  fmtRate,
  GREEN,
  monthLabel,
  PRIMARY,
  RED,
  rateColor,
  TOP_LEGEND,
} from './kit';

const LINE_COLORS = [PRIMARY, '#d9822b', '#8e5bd6', '#17a2b8', '#e0a800', '#6b7280'];
const deptKey = (d: Pick<DeptComplianceRow, 'deptId'>) => d.deptId ?? '__none__';

function RateCard({
  title,
  rate,
  sub,
  note,
  testId,
}: {
  title: string;
  rate: number | null;
  sub: string;
  note?: string;
  testId: string;
}) {
  return (
    <div className="cmp-card" data-testid={testId}>
      <div className="cmp-card-title">{title}</div>
      <div className="cmp-card-value" style={{ color: rateColor(rate) }} data-testid={`${testId}-value`}>
        {fmtRate(rate)}
        {rate !== null && <span className="cmp-card-unit">%</span>}
      </div>
      <div className="cmp-card-sub">{sub}</div>
      {note && <div className="cmp-card-note">{note}</div>}
    </div>
  );
}

function HistoryChart({ data, selected }: { data: ComplianceOverview; selected: DeptComplianceRow[] }) {
  const option = useMemo<ChartOption>(() => {
    const months = data.months;
    const withYear = new Set(months.map((m) => m.slice(0, 4))).size > 1;
    const label = (m: string) =>
      withYear ? `${m.slice(2, 4)}年${Number(m.slice(5, 7))}月` : `${Number(m.slice(5, 7))}月`;
    const values = selected
      .flatMap((d) => d.history.map((h) => h.rate))
      .filter((v): v is number => v !== null);
    const low = values.length ? Math.min(...values) : 90;
    const span = 100 - Math.min(low, 95) + 2;
    const step = span <= 12 ? 2 : span <= 25 ? 5 : span <= 50 ? 10 : 20;
    const min = Math.max(0, Math.floor((100 - span) / step) * step);
    return {
      grid: { left: 8, right: 80, top: 34, bottom: 4, containLabel: true },
      legend: TOP_LEGEND,
      tooltip: {
        trigger: 'axis',
        valueFormatter: (v: unknown) => (typeof v === 'number' ? `${fmtRate(v)}%` : '未检查'),
      },
      xAxis: {
        type: 'category',
        data: months.map(label),
        boundaryGap: false,
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d9dee7' } },
        axisLabel: { color: AXIS, fontSize: 11 },
      },
      yAxis: {
        type: 'value',
        min,
        max: 100,
        interval: step,
        splitLine: { lineStyle: { color: '#eef1f6' } },
        axisLabel: { color: AXIS, fontSize: 11, formatter: '{value}%' },
      },
      series: [
        ...selected.map((d, i) => {
          const byMonth = new Map(d.history.map((h) => [h.month, h.rate]));
          return {
            name: d.deptName,
            type: 'line' as const,
            data: months.map((m) => byMonth.get(m) ?? null),
            connectNulls: true,
            symbolSize: 6,
            itemStyle: { color: LINE_COLORS[i % LINE_COLORS.length] },
            lineStyle: { width: 2 },
          };
        }),
        {
          name: '目标 100%',
          type: 'line' as const,
          data: months.map(() => 100),
          symbol: 'none',
          silent: true,
          tooltip: { show: false },
          lineStyle: { type: 'dashed' as const, width: 1.5, color: GREEN },
          itemStyle: { color: GREEN },
          endLabel: { show: true, formatter: '目标 100%', color: GREEN, fontSize: 11 },
        },
      ],
    };
  }, [data.months, selected]);
  return (
    <EChart
      option={option}
      ariaLabel={`合规率趋势：${selected
        .map(
          (d) =>
            `${d.deptName}（${d.history.map((h) => `${monthLabel(h.month)}${h.rate === null ? '未检查' : `${fmtRate(h.rate)}%`}`).join('，')}）`,
        )
        .join('；')}`}
      data-testid="history-chart"
    />
  );
}

const CATEGORY_ORDER: ComplianceCategory[] = ['double', 'five', 'six'];

/**
 * 部门合规率: per category, the five-category rate that feeds the tracked metric 五类数据合规率,
 * wrong codes, departments worst first and the history of the chosen departments.
 */
export function OverviewPanel() {
  const [month, setMonth] = useState<string | undefined>(undefined);
  const q = useCommandQuery('compliance.overview', month ? { month, months: 12 } : { months: 12 });
  const [picked, setPicked] = useState<string[] | null>(null);
  const data = q.data;

  const selected = useMemo(() => {
    if (!data) return [];
    const keys =
      picked ??
      data.departments
        .filter((d) => d.rate !== null)
        .slice(0, 3)
        .map(deptKey);
    return data.departments.filter((d) => keys.includes(deptKey(d)));
  }, [data, picked]);

  if (q.isPending) return <Skeleton active paragraph={{ rows: 8 }} />;
  if (q.isError)
    return (
      <Alert
        type="error"
        showIcon
        title="部门合规率加载失败"
        description={q.error.message}
        action={<Button onClick={() => void q.refetch()}>重试</Button>}
      />
    );
  const d = q.data;
  const byCat = new Map(d.categories.map((c) => [c.category, c]));
  const checked = d.departments.filter((x) => x.rate !== null);

  return (
    <div className="cmp-body" data-testid="overview-panel">
      <div className="cmp-toolbar">
        <span>统计月份</span>
        <DatePicker
          picker="month"
          format="YYYY年M月"
          allowClear={false}
          value={dayjs(`${d.month}-01`)}
          onChange={(v) => v && setMonth(v.format('YYYY-MM'))}
          data-testid="overview-month"
        />
        <span className="page-sub">同一单位同一规则集在当月多次检查时，以最近一次为准</span>
      </div>
      <div className="cmp-cards">
        {CATEGORY_ORDER.map((c) => {
          const x = byCat.get(c);
          return (
            <RateCard
              key={c}
              title={`${COMPLIANCE_CATEGORY_LABELS[c]}合规率`}
              rate={x?.rate ?? null}
              sub={x && x.rows > 0 ? `${fmtInt(x.rows)} 行，错误 ${fmtInt(x.errorRows)} 行` : '本月未检查'}
              testId={`overview-cat-${c}`}
            />
          );
        })}
        <RateCard
          title="五类数据合规率"
          rate={d.fiveCategoryRate}
          sub={d.fiveCategoryRate === null ? '本月没有五类行政管理信息的检查' : '目标 100%'}
          note="自动计入监测排名页的跟踪指标「五类数据合规率」"
          testId="overview-five"
        />
        <div
          className={`cmp-card${d.wrongCodes > 0 ? ' cmp-card-bad' : ''}`}
          data-testid="overview-wrong-codes"
        >
          <div className="cmp-card-title">错误统一社会信用代码</div>
          <div className="cmp-card-value" style={{ color: d.wrongCodes > 0 ? RED : GREEN }}>
            {fmtInt(d.wrongCodes)}
            <span className="cmp-card-unit">个</span>
          </div>
          <div className="cmp-card-sub">目标为 0</div>
        </div>
      </div>

      {d.departments.length === 0 ? (
        <section className="panel">
          <Empty
            description={`${monthLabel(d.month)}还没有检查记录。在「检查文件」中检查部门报送的文件后，这里按单位统计合规率。`}
          />
        </section>
      ) : (
        <div className="cmp-two cmp-two-wide">
          <section className="panel">
            <div className="cmp-box-title">
              各单位合规率 · {monthLabel(d.month)}
              <span className="cmp-box-sub">最差的在前；点击一行在右侧查看趋势</span>
            </div>
            <Table<DeptComplianceRow>
              size="small"
              rowKey={deptKey}
              dataSource={d.departments}
              pagination={
                d.departments.length > 15 ? { pageSize: 15, size: 'small', showSizeChanger: false } : false
              }
              data-testid="overview-depts"
              onRow={(r) => ({
                onClick: () => {
                  const k = deptKey(r);
                  const cur = selected.map(deptKey);
                  setPicked(cur.includes(k) ? cur.filter((x) => x !== k) : [...cur, k].slice(-6));
                },
                className: selected.some((s) => deptKey(s) === deptKey(r)) ? 'cmp-row-picked' : undefined,
              })}
              columns={[
                {
                  title: '单位',
                  dataIndex: 'deptName',
                  ellipsis: { showTitle: false },
                  render: (v: string, r) => (
                    <Tooltip title={v}>
                      {r.deptId ? <span className="cmp-dept">{v}</span> : <span className="muted">{v}</span>}
                    </Tooltip>
                  ),
                },
                {
                  title: '合规率',
                  dataIndex: 'rate',
                  width: 210,
                  render: (v: number | null) =>
                    v === null ? (
                      <span className="muted">未检查</span>
                    ) : (
                      <div className="cmp-ratebar" data-testid="dept-rate">
                        <Progress percent={v} showInfo={false} size="small" strokeColor={rateColor(v)} />
                        <span className="num" style={{ color: rateColor(v) }}>
                          {fmtRate(v)}%
                        </span>
                      </div>
                    ),
                },
                {
                  title: '数据行',
                  dataIndex: 'rows',
                  width: 92,
                  align: 'right',
                  render: (v: number) => <span className="num">{fmtInt(v)}</span>,
                },
                {
                  title: '错误行',
                  dataIndex: 'errorRows',
                  width: 80,
                  align: 'right',
                  render: (v: number) => (
                    <span className={`num${v > 0 ? ' cmp-text-danger' : ''}`}>{fmtInt(v)}</span>
                  ),
                },
                {
                  title: '文件',
                  dataIndex: 'files',
                  width: 56,
                  align: 'right',
                  render: (v: number) => <span className="num">{v}</span>,
                },
              ]}
            />
          </section>
          <section className="panel cmp-chart-panel">
            <div className="cmp-box-title cmp-chart-head">
              <span>
                合规率趋势<span className="cmp-box-sub">近 {d.months.length} 个月</span>
              </span>
              <Select
                mode="multiple"
                size="small"
                maxTagCount="responsive"
                placeholder="选择单位"
                value={selected.map(deptKey)}
                onChange={(v: string[]) => setPicked(v)}
                options={d.departments.map((x) => ({ value: deptKey(x), label: x.deptName }))}
                showSearch={{ optionFilterProp: 'label' }}
                style={{ width: 280 }}
                data-testid="history-depts"
              />
            </div>
            <div className="cmp-chart">
              {selected.length ? (
                <HistoryChart data={d} selected={selected} />
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="选择单位查看每月合规率" />
              )}
            </div>
            {checked.length > 0 && (
              <div className="page-sub">
                共 {checked.length} 个单位本月有检查记录，{checked.filter((x) => (x.rate ?? 0) >= 100).length}{' '}
                个达到 100%。
                <a onClick={() => navigate('monitoring')}>查看跟踪指标</a>
              </div>
            )}
          </section>
        </div>
      )}
    </div>
  );
}
