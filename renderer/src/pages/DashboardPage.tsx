import { ReloadOutlined, RightOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Progress, Skeleton, Tooltip, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import type { DashboardSummary, LeagueRow } from '../../../main/core/contract/supervision';
import { useCommandQuery } from '../api';
import { EChart, type ChartOption } from '../components/charts/EChart';
import { LightTag } from '../components/LightTag';
import { LIGHT_COLOR, LIGHT_LABEL } from '../labels';
import { navigate } from '../route';
import { CampaignCards } from './DashboardCampaign';
import { deptShort, openTask, openTasks, pct } from './supervisionKit';
import './supervision.css';

type Figure = DashboardSummary['totals']['supervised'];
type DashTask = DashboardSummary['overdue']['tasks'][number];

const PRIMARY = '#1f5fbf';
const AXIS = '#8c95a6';
/** Height of one department's bar row in the league charts. */
const ROW_H = 20;

/** A number that opens the tasks behind it. */
function FigureLink({ figure, children, title }: { figure: Figure; children?: ReactNode; title?: string }) {
  return (
    <Tooltip title={title ?? '查看这些任务'}>
      <a
        className="figure-link"
        onClick={(e) => {
          e.stopPropagation();
          openTasks(figure.filter);
        }}
      >
        {children ?? figure.value}
      </a>
    </Tooltip>
  );
}

function Kpi({
  label,
  value,
  unit,
  sub,
  tone,
  figure,
  testId,
  extra,
}: {
  label: string;
  value: string | number;
  unit?: string;
  sub?: ReactNode;
  tone?: 'danger' | 'success';
  figure: Figure;
  testId: string;
  extra?: ReactNode;
}) {
  return (
    <div
      className={`kpi${tone ? ` kpi-${tone}` : ''}`}
      role="button"
      tabIndex={0}
      data-testid={testId}
      onClick={() => openTasks(figure.filter)}
      onKeyDown={(e) => {
        if (e.key === 'Enter' || e.key === ' ') openTasks(figure.filter);
      }}
    >
      <div className="kpi-label">
        {label}
        <RightOutlined className="kpi-arrow" />
      </div>
      <div className="kpi-value">
        <span data-testid={`${testId}-value`}>{value}</span>
        {unit && <span className="kpi-unit">{unit}</span>}
      </div>
      {extra}
      <div className="kpi-sub">{sub}</div>
    </div>
  );
}

function Panel({
  title,
  sub,
  extra,
  children,
  className,
  testId,
}: {
  title: string;
  sub?: ReactNode;
  extra?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  return (
    <section className={`panel dash-panel ${className ?? ''}`} data-testid={testId}>
      <header className="dash-panel-head">
        <div>
          <span className="dash-panel-title">{title}</span>
          {sub && <span className="dash-panel-sub">{sub}</span>}
        </div>
        {extra}
      </header>
      <div className="dash-panel-body">{children}</div>
    </section>
  );
}

function LightsDonut({ lights }: { lights: DashboardSummary['lights'] }) {
  const items = useMemo(
    () => (['green', 'yellow', 'red'] as const).map((k) => ({ key: k, figure: lights[k] })),
    [lights],
  );
  const total = items.reduce((n, i) => n + i.figure.value, 0);
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', formatter: '{b}：{c} 项（{d}%）' },
      title: {
        text: String(total),
        subtext: '在办任务',
        left: 'center',
        top: '36%',
        textStyle: { fontSize: 24, fontWeight: 600, color: '#13294b' },
        subtextStyle: { fontSize: 12, color: AXIS },
        itemGap: 2,
      },
      series: [
        {
          type: 'pie',
          radius: ['58%', '82%'],
          center: ['50%', '50%'],
          avoidLabelOverlap: false,
          label: { show: false },
          itemStyle: { borderColor: '#fff', borderWidth: 2 },
          emphasis: { scale: true, scaleSize: 4 },
          data: items.map((i) => ({
            name: LIGHT_LABEL[i.key],
            value: i.figure.value,
            itemStyle: { color: LIGHT_COLOR[i.key] },
          })),
        },
      ],
    }),
    [items, total],
  );
  return (
    <div className="donut">
      <div className="donut-chart">
        {total === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有在办任务" />
        ) : (
          <EChart
            option={option}
            ariaLabel={items.map((i) => `${LIGHT_LABEL[i.key]} ${i.figure.value} 项`).join('，')}
            onClick={(e) => {
              const hit = e.dataIndex !== undefined ? items[e.dataIndex] : undefined;
              if (hit) openTasks(hit.figure.filter);
            }}
            data-testid="lights-chart"
          />
        )}
      </div>
      <div className="donut-legend">
        {items.map((i) => (
          <div
            key={i.key}
            className="donut-legend-item"
            role="button"
            tabIndex={0}
            data-testid={`light-${i.key}`}
            onClick={() => openTasks(i.figure.filter)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') openTasks(i.figure.filter);
            }}
          >
            <span className="dot" style={{ background: LIGHT_COLOR[i.key] }} />
            <span className="donut-legend-label">{LIGHT_LABEL[i.key]}</span>
            <span className="donut-legend-value">{i.figure.value}</span>
            <span className="donut-legend-pct">{total ? pct(i.figure.value / total, 0) : ''}</span>
          </div>
        ))}
      </div>
    </div>
  );
}

function Trend({ trend }: { trend: DashboardSummary['trend'] }) {
  const option = useMemo<ChartOption>(() => {
    const weekNo = (key: string) => `第${Number(key.split('-W')[1])}周`;
    return {
      grid: { left: 4, right: 4, top: 30, bottom: 2, containLabel: true },
      legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 8, textStyle: { color: '#4b5563' } },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (raw: unknown) => {
          const arr = Array.isArray(raw) ? (raw as { dataIndex: number }[]) : [];
          const p = trend[arr[0]?.dataIndex ?? -1];
          if (!p) return '';
          return [
            `<b>${weekNo(p.week)}</b>（截至 ${p.weekEnd}）`,
            `本周办结：${p.completed} 项`,
            `本周到期：${p.due} 项，已办结 ${p.doneOfDue} 项`,
            `累计完成率：${pct(p.cumulativeRate)}`,
            '<span style="color:#9ca3af">点击柱形查看本周办结的任务</span>',
          ].join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        data: trend.map((p) => weekNo(p.week)),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d9dee7' } },
        axisLabel: { color: AXIS, fontSize: 11 },
      },
      yAxis: [
        {
          type: 'value',
          minInterval: 1,
          splitLine: { lineStyle: { color: '#eef1f6' } },
          axisLabel: { color: AXIS, fontSize: 11 },
        },
        {
          type: 'value',
          min: 0,
          max: 100,
          splitLine: { show: false },
          axisLabel: { color: AXIS, fontSize: 11, formatter: '{value}%' },
        },
      ],
      series: [
        {
          name: '本周办结',
          type: 'bar',
          barMaxWidth: 22,
          itemStyle: { color: PRIMARY, borderRadius: [3, 3, 0, 0] },
          data: trend.map((p) => p.completed),
        },
        {
          name: '累计完成率',
          type: 'line',
          yAxisIndex: 1,
          smooth: true,
          symbolSize: 6,
          itemStyle: { color: LIGHT_COLOR.green },
          lineStyle: { width: 2 },
          connectNulls: true,
          data: trend.map((p) =>
            p.cumulativeRate === null ? null : Math.round(p.cumulativeRate * 1000) / 10,
          ),
        },
      ],
    };
  }, [trend]);
  if (trend.every((p) => p.completed === 0 && p.due === 0))
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="近 12 周没有到期或办结的任务" />;
  return (
    <EChart
      option={option}
      ariaLabel={`近 ${trend.length} 周办结数与累计完成率`}
      data-testid="trend-chart"
      onClick={(e) => {
        // a week's bar opens the tasks completed in that week
        const p = e.dataIndex === undefined ? undefined : trend[e.dataIndex];
        if (p && e.seriesIndex === 0)
          openTasks({ supervisedOnly: true, doneFrom: p.weekStart, doneTo: p.weekEnd });
      }}
    />
  );
}

function LeagueBars({
  rows,
  from,
  to,
  color,
  testId,
}: {
  rows: LeagueRow[];
  from: string;
  to: string;
  color: string;
  testId: string;
}) {
  const open = (r: LeagueRow | undefined) => {
    if (r) openTasks({ deptIds: [r.deptId], leadOnly: true, dueFrom: from, dueTo: to, supervisedOnly: true });
  };
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 2, right: 50, top: 0, bottom: 0, containLabel: true },
      tooltip: {
        trigger: 'item',
        formatter: (raw: unknown) => {
          const r = rows[(raw as { dataIndex: number }).dataIndex];
          if (!r) return '';
          return [
            `<b>${r.rank}. ${r.deptName}</b>`,
            `完成率：${pct(r.completionRate)}（${r.done}/${r.total}）`,
            `按时办结率：${pct(r.onTimeRate)}`,
            `逾期：${r.overdue} 项`,
          ].join('<br/>');
        },
      },
      xAxis: { type: 'value', min: 0, max: 100, show: false },
      yAxis: {
        type: 'category',
        inverse: true,
        triggerEvent: true,
        data: rows.map((r) => `${r.rank}. ${deptShort(r)}`),
        axisTick: { show: false },
        axisLine: { show: false },
        axisLabel: { color: '#374151', fontSize: 12, width: 110, overflow: 'truncate' },
      },
      series: [
        {
          type: 'bar',
          barWidth: 10,
          showBackground: true,
          backgroundStyle: { color: '#f1f3f7', borderRadius: 6 },
          itemStyle: { color, borderRadius: 6 },
          label: {
            show: true,
            position: 'right',
            color: '#374151',
            fontSize: 12,
            formatter: (p: { dataIndex: number }) => pct(rows[p.dataIndex]?.completionRate),
          },
          data: rows.map((r) => (r.completionRate === null ? 0 : Math.round(r.completionRate * 1000) / 10)),
        },
      ],
    }),
    [rows, color],
  );
  return (
    <EChart
      option={option}
      ariaLabel={rows.map((r) => `${r.rank}. ${deptShort(r)} ${pct(r.completionRate)}`).join('，')}
      onClick={(e) => {
        if (e.componentType === 'series') open(rows[e.dataIndex ?? -1]);
        else if (e.componentType === 'yAxis')
          open(rows.find((r) => `${r.rank}. ${deptShort(r)}` === e.value));
      }}
      data-testid={testId}
    />
  );
}

function TaskList({ tasks, empty, testId }: { tasks: DashTask[]; empty: string; testId: string }) {
  if (tasks.length === 0)
    return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} style={{ margin: '24px 0' }} />;
  return (
    <ul className="dash-tasks" data-testid={testId}>
      {tasks.map((t) => (
        <li key={t.id} onClick={() => openTask(t.id)}>
          <div className="dash-task-main">
            <span className="dash-task-title" title={t.title}>
              {t.title}
            </span>
            <span className="dash-task-meta">
              {t.code} · {t.leadDeptName ?? '未指定牵头单位'} · 截止 {t.dueDate ?? '—'}
            </span>
          </div>
          <span className="dash-task-why">
            <LightTag light={t.light} reason={t.lightReason} showText />
          </span>
        </li>
      ))}
    </ul>
  );
}

function ViewAll({ figure, testId }: { figure: Figure; testId: string }) {
  return (
    <Typography.Link onClick={() => openTasks(figure.filter)} data-testid={testId}>
      查看全部 {figure.value} 项 <RightOutlined style={{ fontSize: 10 }} />
    </Typography.Link>
  );
}

export function DashboardPage() {
  const q = useCommandQuery('dashboard.summary', {});

  if (q.isPending) {
    return (
      <div className="page">
        <div className="page-header">
          <h2>驾驶舱</h2>
        </div>
        <div className="panel">
          <Skeleton active paragraph={{ rows: 10 }} />
        </div>
      </div>
    );
  }
  if (q.isError) {
    return (
      <div className="page">
        <div className="page-header">
          <h2>驾驶舱</h2>
        </div>
        <Alert
          type="error"
          showIcon
          title="驾驶舱数据加载失败"
          description={q.error.message}
          action={<Button onClick={() => void q.refetch()}>重试</Button>}
        />
      </div>
    );
  }

  const s = q.data;
  const t = s.totals;
  // with fewer than ten departments the two ends overlap: show each department once
  const topIds = new Set(s.league.top.map((r) => r.deptId));
  const bottom = s.league.bottom.filter((r) => !topIds.has(r.deptId));
  const dueRate = t.dueToDate.value > 0 ? t.doneOfDueToDate.value / t.dueToDate.value : null;

  if (t.supervised.value === 0) {
    return (
      <div className="page">
        <div className="page-header">
          <div>
            <h2>驾驶舱</h2>
            <div className="page-sub">数据截至 {s.today}</div>
          </div>
        </div>
        <CampaignCards />
        <div className="panel fill" style={{ display: 'grid', placeItems: 'center', minHeight: 200 }}>
          <Empty description="还没有下发的督办任务。任务下发后，这里会显示完成情况、亮灯、部门排行和趋势。">
            <Button type="primary" onClick={() => openTasks({ statuses: ['draft'] })}>
              查看待下发的任务
            </Button>
          </Empty>
        </div>
      </div>
    );
  }

  return (
    <div className="page dash" data-testid="dashboard">
      <div className="page-header">
        <div>
          <h2>驾驶舱</h2>
          <div className="page-sub">
            数据截至 {s.today} · 创建周期自 {s.periodStart} 起 · 点击任一数字查看对应任务
          </div>
        </div>
        <Button icon={<ReloadOutlined />} onClick={() => void q.refetch()} loading={q.isFetching}>
          刷新
        </Button>
      </div>

      <div className="kpi-row">
        <Kpi
          label="已下发任务"
          value={t.supervised.value}
          unit="项"
          figure={t.supervised}
          testId="kpi-supervised"
          sub={
            <>
              截至今日到期 <FigureLink figure={t.dueToDate} title="截止日期不晚于今天的已下发任务" /> 项
            </>
          }
        />
        <Kpi
          label="已办结"
          value={t.done.value}
          unit="项"
          tone="success"
          figure={t.done}
          testId="kpi-done"
          sub={
            <>
              到期任务中已办结 <FigureLink figure={t.doneOfDueToDate} /> 项
            </>
          }
        />
        <Kpi
          label="完成率"
          value={pct(t.completionRate)}
          figure={t.done}
          testId="kpi-rate"
          extra={
            <Progress
              percent={t.completionRate === null ? 0 : Math.round(t.completionRate * 1000) / 10}
              showInfo={false}
              size="small"
              strokeColor={LIGHT_COLOR.green}
              style={{ margin: '2px 0 0' }}
            />
          }
          sub={<>已办结 ÷ 已下发 · 到期任务完成率 {pct(dueRate)}</>}
        />
        <Kpi
          label="逾期"
          value={s.overdue.value}
          unit="项"
          tone={s.overdue.value > 0 ? 'danger' : undefined}
          figure={s.overdue}
          testId="kpi-overdue"
          sub={
            <>
              红灯 <FigureLink figure={s.lights.red} /> · 黄灯 <FigureLink figure={s.lights.yellow} />
            </>
          }
        />
      </div>

      <CampaignCards />

      <div className="dash-grid">
        <Panel title="亮灯情况" sub="在办任务" className="span-3" testId="panel-lights">
          <LightsDonut lights={s.lights} />
        </Panel>
        <Panel title="每周办结趋势" sub="近 12 周 · 悬停查看每周明细" className="span-5">
          <Trend trend={s.trend} />
        </Panel>
        <Panel
          title="部门排行"
          sub={`完成率 · 共 ${s.league.departments} 个单位`}
          className="span-4"
          extra={
            <Typography.Link onClick={() => navigate('league')}>
              完整排行 <RightOutlined style={{ fontSize: 10 }} />
            </Typography.Link>
          }
          testId="panel-league"
        >
          {s.league.top.length === 0 ? (
            <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="创建周期内还没有到期的任务" />
          ) : (
            <div className="league-pair">
              <div className="league-half">
                <div className="league-caption">前五名</div>
                <div className="league-chart" style={{ height: s.league.top.length * ROW_H }}>
                  <LeagueBars
                    rows={s.league.top}
                    from={s.league.from}
                    to={s.league.to}
                    color={LIGHT_COLOR.green}
                    testId="league-top"
                  />
                </div>
              </div>
              {bottom.length > 0 && (
                <div className="league-half">
                  <div className="league-caption">后五名</div>
                  <div className="league-chart" style={{ height: bottom.length * ROW_H }}>
                    <LeagueBars
                      rows={bottom}
                      from={s.league.from}
                      to={s.league.to}
                      color={LIGHT_COLOR.red}
                      testId="league-bottom"
                    />
                  </div>
                </div>
              )}
            </div>
          )}
        </Panel>
        <Panel
          title="本周到期"
          sub={`${s.dueThisWeek.from} 至 ${s.dueThisWeek.to} · 未办结`}
          className="span-6 dash-list"
          extra={<ViewAll figure={s.dueThisWeek} testId="due-week-all" />}
          testId="panel-due-week"
        >
          <TaskList tasks={s.dueThisWeek.tasks} empty="本周没有到期的未办结任务" testId="due-week-list" />
        </Panel>
        <Panel
          title="逾期任务"
          sub="已下发、未办结、截止日期已过"
          className="span-6 dash-list"
          extra={<ViewAll figure={s.overdue} testId="overdue-all" />}
          testId="panel-overdue"
        >
          <TaskList tasks={s.overdue.tasks} empty="没有逾期任务" testId="overdue-list" />
        </Panel>
      </div>
    </div>
  );
}
