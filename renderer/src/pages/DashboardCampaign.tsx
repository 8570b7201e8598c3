/**
 * The campaign half of the 驾驶舱 (dashboard.campaign): readiness against the indicator system
 * (基础指标 一票否决 with the unmet ones named, scored points), the city's monthly rank in the
 * national credit monitoring (latest rank, change, the "top 50 for three months running" streak,
 * the last 12 months against the target line), the tracked metrics against their targets and the
 * month's data compliance (compliance.overview: five-category rate, wrong codes, worst departments).
 */
import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  CheckCircleFilled,
  RightOutlined,
  WarningFilled,
} from '@ant-design/icons';
import { Alert, Button, Empty, Progress, Skeleton, Tag, Tooltip, Typography } from 'antd';
import { useMemo, type ReactNode } from 'react';
import type { CampaignSummary, Metric } from '../../../main/core/contract/indicators';
import { useCommandQuery } from '../api';
import { EChart, type ChartOption } from '../components/charts/EChart';
import { INDICATOR_STATUS_COLOR, INDICATOR_STATUS_LABEL } from '../labels';
import { navigate } from '../route';
import { fmtNum } from './indicators/tree';
import { CATEGORY_SHORT as COMPLIANCE_CATEGORY_SHORT, fmtInt, fmtRate, rateColor } from './compliance/kit';
import { rankAxis, rankTick } from './monitoring/kit';
import './indicators/indicators.css';
import './compliance/compliance.css';

const PRIMARY = '#1f5fbf';
const AXIS = '#8c95a6';
const RED = '#d64541';
const GREEN = '#2e9d5b';
/** Unmet basic indicators named on the card before "等 n 项". */
const UNMET_SHOWN = 4;

const monthShort = (m: string) => `${Number(m.slice(5, 7))}月`;
const monthLong = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;

function Card({
  title,
  sub,
  to,
  linkText,
  testId,
  children,
}: {
  title: string;
  sub?: ReactNode;
  to: string;
  linkText: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <section className="panel dash-panel campaign-card" data-testid={testId}>
      <header className="dash-panel-head">
        <div>
          <span className="dash-panel-title">{title}</span>
          {sub && <span className="dash-panel-sub">{sub}</span>}
        </div>
        <Typography.Link onClick={() => navigate(to)}>
          {linkText} <RightOutlined style={{ fontSize: 10 }} />
        </Typography.Link>
      </header>
      <div className="dash-panel-body campaign-body">{children}</div>
    </section>
  );
}

function ReadinessCard({ r }: { r: CampaignSummary['readiness'] }) {
  const b = r.basic;
  const shown = b.unmet.slice(0, UNMET_SHOWN);
  return (
    <Card
      title="指标达标"
      sub={`${r.version} 版指标体系`}
      to="indicators"
      linkText="指标体系"
      testId="campaign-readiness"
    >
      <div
        className="campaign-main"
        role="button"
        tabIndex={0}
        onClick={() => navigate('indicators')}
        onKeyDown={(e) => {
          if (e.key === 'Enter') navigate('indicators');
        }}
      >
        <div className={`campaign-big ${r.allBasicMet ? 'ok' : 'bad'}`} data-testid="campaign-basic">
          {b.met}
          <span className="campaign-of"> / {b.total}</span>
        </div>
        <div className="campaign-caption">
          基础指标已达标
          <div className="muted">一票否决：须全部达标</div>
        </div>
      </div>
      <Progress
        percent={b.total ? Math.round((b.met / b.total) * 1000) / 10 : 0}
        showInfo={false}
        size="small"
        strokeColor={r.allBasicMet ? GREEN : RED}
      />
      <div className="campaign-unmet" data-testid="campaign-unmet">
        {b.total === 0 ? (
          <span className="muted">当前指标体系没有基础指标</span>
        ) : b.unmet.length === 0 ? (
          <span className="campaign-ok">
            <CheckCircleFilled /> 全部基础指标均已达标
          </span>
        ) : (
          <>
            <span className="campaign-unmet-label">
              <WarningFilled /> 未达标 {b.unmet.length} 项：
            </span>
            {shown.map((u) => (
              <Tooltip key={u.id} title={`${u.code} ${u.title}（${INDICATOR_STATUS_LABEL[u.status]}）`}>
                <Tag
                  color={INDICATOR_STATUS_COLOR[u.status]}
                  className="campaign-tag"
                  onClick={() => navigate('indicators', { id: u.id })}
                >
                  {u.title}
                </Tag>
              </Tooltip>
            ))}
            {b.unmet.length > shown.length && (
              <Typography.Link onClick={() => navigate('indicators')}>等 {b.unmet.length} 项</Typography.Link>
            )}
          </>
        )}
      </div>
      <div className="campaign-foot">
        <span>
          评分指标自评{' '}
          {r.scored.count ? (
            <b data-testid="campaign-scored">
              {fmtNum(r.scored.achieved)} / {fmtNum(r.scored.possible)} 分
            </b>
          ) : (
            <span className="muted">—</span>
          )}
        </span>
        {r.bonus.count > 0 && (
          <span>
            加分项{' '}
            <b>
              {fmtNum(r.bonus.achieved)} / {fmtNum(r.bonus.possible)}
            </b>
          </span>
        )}
        <span>
          佐证{' '}
          <b>
            {r.evidence.satisfied} / {r.evidence.total}
          </b>
        </span>
      </div>
    </Card>
  );
}

function RankChart({ m }: { m: CampaignSummary['monitoring'] }) {
  const option = useMemo<ChartOption>(() => {
    const trend = m.trend;
    const target = m.streak.target;
    const maxRank = Math.max(target, ...trend.map((p) => p.rank));
    return {
      grid: { left: 2, right: 10, top: 8, bottom: 2, containLabel: true },
      tooltip: {
        trigger: 'axis',
        formatter: (raw: unknown) => {
          const arr = Array.isArray(raw) ? (raw as { dataIndex: number }[]) : [];
          const p = trend[arr[0]?.dataIndex ?? -1];
          if (!p) return '';
          const change =
            p.rankChange === null
              ? ''
              : p.rankChange > 0
                ? `，上升 ${p.rankChange} 名`
                : p.rankChange < 0
                  ? `，下降 ${-p.rankChange} 名`
                  : '，持平';
          return [
            `<b>${monthLong(p.month)}</b>`,
            `排名：第 ${p.rank} 名 / ${p.total} 个城市${change}`,
            `综合得分：${p.score}`,
            `目标：前 ${target} 名`,
          ].join('<br/>');
        },
      },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: trend.map((p) => monthShort(p.month)),
        axisTick: { show: false },
        axisLine: { lineStyle: { color: '#d9dee7' } },
        axisLabel: { color: AXIS, fontSize: 11 },
      },
      yAxis: {
        type: 'value',
        inverse: true,
        ...rankAxis(maxRank, 3),
        splitLine: { lineStyle: { color: '#eef1f6' } },
        axisLabel: { color: AXIS, fontSize: 11, formatter: rankTick },
      },
      series: [
        {
          name: '排名',
          type: 'line',
          data: trend.map((p) => p.rank),
          symbolSize: 6,
          itemStyle: { color: PRIMARY },
          lineStyle: { width: 2 },
          label: { show: trend.length <= 6, position: 'top', fontSize: 11, color: '#374151' },
        },
        {
          name: `目标：前 ${target} 名`,
          type: 'line',
          data: trend.map(() => target),
          symbol: 'none',
          lineStyle: { type: 'dashed', width: 1.5, color: RED },
          itemStyle: { color: RED },
          tooltip: { show: false },
          silent: true,
        },
      ],
    };
  }, [m]);
  return (
    <EChart
      option={option}
      ariaLabel={`近 ${m.trend.length} 个月排名：${m.trend.map((p) => `${monthShort(p.month)}第${p.rank}名`).join('，')}；目标前 ${m.streak.target} 名`}
      onClick={() => navigate('monitoring')}
      data-testid="campaign-rank-chart"
    />
  );
}

function RankingCard({ m }: { m: CampaignSummary['monitoring'] }) {
  const latest = m.latest;
  const s = m.streak;
  return (
    <Card
      title="监测排名"
      sub={latest ? `全国城市信用状况监测 · ${monthLong(latest.month)}` : '全国城市信用状况监测'}
      to="monitoring"
      linkText="监测排名"
      testId="campaign-ranking"
    >
      {!latest ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="尚无监测数据，请在监测排名页录入"
          style={{ margin: '28px 0' }}
        >
          <Button size="small" onClick={() => navigate('monitoring')}>
            去录入
          </Button>
        </Empty>
      ) : (
        <>
          <div className="campaign-rank-head">
            <div className="campaign-main" onClick={() => navigate('monitoring')}>
              <div
                className={`campaign-big ${latest.rank <= s.target ? 'ok' : 'bad'}`}
                data-testid="campaign-rank"
              >
                <span className="campaign-unit">第</span>
                {latest.rank}
                <span className="campaign-unit">名</span>
              </div>
              <div className="campaign-caption">
                共 {latest.total} 个城市
                <div>
                  {latest.rankChange === null ? (
                    <span className="muted">上月无数据</span>
                  ) : latest.rankChange > 0 ? (
                    <span className="campaign-up">
                      <ArrowUpOutlined /> 上升 {latest.rankChange} 名
                    </span>
                  ) : latest.rankChange < 0 ? (
                    <span className="campaign-down">
                      <ArrowDownOutlined /> 下降 {-latest.rankChange} 名
                    </span>
                  ) : (
                    <span className="muted">与上月持平</span>
                  )}
                </div>
              </div>
            </div>
            <Tooltip title={s.explanation} styles={{ root: { maxWidth: 420 } }}>
              <div className="campaign-streak" data-testid="campaign-streak">
                <Tag color={s.achieved ? 'green' : s.current > 0 ? 'gold' : 'red'}>
                  {s.achieved ? '目标已达成' : `目标：连续 3 个月前 ${s.target}`}
                </Tag>
                <div>
                  连续 <b>{s.current}</b> 个月前 {s.target}
                  {s.best > s.current && <span className="muted">（最长 {s.best} 个月）</span>}
                </div>
                <div className={s.basicOk ? 'campaign-ok' : 'campaign-down'}>
                  {s.basicOk
                    ? `各月均在前 ${s.basicLimit} 名`
                    : `${s.monthsOutsideBasic.length} 个月在 ${s.basicLimit} 名以外`}
                </div>
              </div>
            </Tooltip>
          </div>
          <div className="campaign-chart">
            <RankChart m={m} />
          </div>
          {m.weakPoints > 0 && (
            <Typography.Link className="campaign-weak" onClick={() => navigate('monitoring')}>
              <WarningFilled /> {m.weakPoints} 个薄弱维度待处理
            </Typography.Link>
          )}
        </>
      )}
    </Card>
  );
}

function Sparkline({ metric }: { metric: Metric }) {
  const points = metric.values.slice(-12);
  const option = useMemo<ChartOption>(
    () => ({
      grid: { left: 2, right: 2, top: 4, bottom: 4 },
      xAxis: { type: 'category', show: false, boundaryGap: false, data: points.map((p) => p.month) },
      yAxis: { type: 'value', show: false, scale: true },
      tooltip: {
        trigger: 'axis',
        confine: true,
        formatter: (raw: unknown) => {
          const arr = Array.isArray(raw) ? (raw as { dataIndex: number }[]) : [];
          const p = points[arr[0]?.dataIndex ?? -1];
          return p ? `${monthLong(p.month)}：${p.rate === null ? '—' : `${fmtNum(p.rate)}%`}` : '';
        },
      },
      series: [
        {
          type: 'line',
          data: points.map((p) => p.rate),
          symbol: 'none',
          smooth: true,
          lineStyle: { width: 1.5, color: metric.onTarget ? GREEN : PRIMARY },
          areaStyle: { color: metric.onTarget ? 'rgba(46,157,91,0.12)' : 'rgba(31,95,191,0.1)' },
          connectNulls: true,
        },
        {
          type: 'line',
          data: points.map(() => metric.target),
          symbol: 'none',
          lineStyle: { type: 'dashed', width: 1, color: RED },
          silent: true,
        },
      ],
    }),
    [points, metric.onTarget, metric.target],
  );
  if (points.length === 0) return null;
  if (points.length < 2) return <span className="muted campaign-spark-empty">仅 1 个月数据</span>;
  return (
    <div className="campaign-spark">
      <EChart option={option} ariaLabel={`${metric.name}近 ${points.length} 个月趋势`} />
    </div>
  );
}

function MetricsCard({ metrics }: { metrics: Metric[] }) {
  return (
    <Card title="跟踪指标" sub="最新值对比目标" to="monitoring" linkText="录入数据" testId="campaign-metrics">
      <div className="campaign-metrics">
        {metrics.map((m) => {
          const l = m.latest;
          return (
            <div className="campaign-metric" key={m.key} data-testid={`campaign-metric-${m.key}`}>
              <div className="campaign-metric-text">
                <div className="campaign-metric-name" title={m.name}>
                  {m.name}
                </div>
                {l ? (
                  <div className="campaign-metric-value">
                    <b
                      className={
                        m.onTarget ? 'campaign-ok' : m.onTarget === false ? 'campaign-down' : undefined
                      }
                    >
                      {l.rate === null ? '—' : `${fmtNum(l.rate)}%`}
                    </b>
                    <span className="muted"> / 目标 {fmtNum(m.target)}%</span>
                    {m.change !== null && m.change !== 0 && (
                      <span className={m.change > 0 ? 'campaign-up' : 'campaign-down'}>
                        {' '}
                        {m.change > 0 ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
                        {fmtNum(Math.abs(m.change))}
                      </span>
                    )}
                  </div>
                ) : (
                  <div className="muted campaign-metric-value">
                    {m.key === 'compliance_rate' ? '尚无数据' : '尚未录入'}
                  </div>
                )}
                <div className="muted campaign-metric-sub">
                  {l
                    ? m.key === 'commitments' && l.base !== null
                      ? `${monthLong(l.month)} · 承诺 ${l.value.toLocaleString('zh-CN')} / 企业 ${l.base.toLocaleString('zh-CN')}`
                      : monthLong(l.month)
                    : m.key === 'compliance_rate'
                      ? '检查五类行政管理信息后自动计算'
                      : '在监测排名页录入每月数值'}
                </div>
              </div>
              <Sparkline metric={m} />
            </div>
          );
        })}
        {metrics.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有跟踪指标" />}
      </div>
    </Card>
  );
}

/**
 * 数据合规 as one strip under the campaign cards: the month's five-category rate (the tracked
 * metric 五类数据合规率), wrong codes (target 0), the three worst departments and the rate per
 * category; every part opens 数据合规 › 部门合规率.
 */
function ComplianceStrip() {
  const q = useCommandQuery('compliance.overview', { months: 1 });
  const open = () => navigate('compliance', { tab: 'overview' });
  const o = q.data;
  const worst = o ? o.departments.filter((d) => d.rate !== null && d.rate < 100).slice(0, 3) : [];
  const checked = o ? o.departments.filter((d) => d.rate !== null).length : 0;
  return (
    <section className="panel campaign-compliance" data-testid="campaign-compliance">
      <div className="campaign-compliance-title">
        <span className="dash-panel-title">数据合规</span>
        <span className="dash-panel-sub">{o ? monthLong(o.month) : '部门报送数据'}</span>
      </div>
      {q.isPending ? (
        <Skeleton active title={false} paragraph={{ rows: 1 }} />
      ) : q.isError ? (
        <span className="muted">数据合规情况暂不可用：{q.error.message}</span>
      ) : (
        o && (
          <>
            <div className="campaign-compliance-figure" role="button" tabIndex={0} onClick={open}>
              <span
                className="campaign-compliance-big"
                style={{ color: rateColor(o.fiveCategoryRate) }}
                data-testid="campaign-compliance-rate"
              >
                {fmtRate(o.fiveCategoryRate)}
                {o.fiveCategoryRate !== null && <span className="campaign-unit">%</span>}
              </span>
              <span className="campaign-caption">
                五类数据合规率
                <div className="muted">
                  {o.fiveCategoryRate === null ? '本月尚无五类数据检查' : '目标 100%'}
                </div>
              </span>
            </div>
            <div className="campaign-compliance-figure" role="button" tabIndex={0} onClick={open}>
              <span
                className={`campaign-compliance-big ${o.wrongCodes > 0 ? 'campaign-down' : 'campaign-ok'}`}
                data-testid="campaign-compliance-codes"
              >
                {fmtInt(o.wrongCodes)}
              </span>
              <span className="campaign-caption">
                错误统一社会信用代码
                <div className="muted">目标 0 个</div>
              </span>
            </div>
            <div className="campaign-compliance-worst">
              {worst.length > 0 ? (
                <>
                  <span className="campaign-unmet-label">
                    <WarningFilled /> 合规率最低：
                  </span>
                  {worst.map((d) => (
                    <Tooltip
                      key={d.deptId ?? 'none'}
                      title={`${d.deptName}：${d.rows} 行，错误 ${d.errorRows} 行`}
                    >
                      <span
                        className="campaign-compliance-dept"
                        data-testid="campaign-compliance-dept"
                        onClick={open}
                      >
                        <span className="campaign-compliance-name">{d.deptName}</span>
                        <b style={{ color: rateColor(d.rate) }}>{fmtRate(d.rate)}%</b>
                      </span>
                    </Tooltip>
                  ))}
                </>
              ) : checked > 0 ? (
                <span className="campaign-ok">
                  <CheckCircleFilled /> 本月检查的 {checked} 个单位全部合规
                </span>
              ) : (
                <span className="muted">本月还没有检查部门报送的数据</span>
              )}
            </div>
            <div className="campaign-compliance-cats">
              {o.categories.map((c) => (
                <span key={c.category}>
                  {COMPLIANCE_CATEGORY_SHORT[c.category]}{' '}
                  <b>{c.rate === null ? '—' : `${fmtRate(c.rate)}%`}</b>
                </span>
              ))}
            </div>
          </>
        )
      )}
      <Typography.Link className="campaign-compliance-link" onClick={open}>
        数据合规 <RightOutlined style={{ fontSize: 10 }} />
      </Typography.Link>
    </section>
  );
}

/** The row of campaign cards; loads on its own so the supervision half never waits for it. */
export function CampaignCards() {
  const q = useCommandQuery('dashboard.campaign', {});
  if (q.isPending)
    return (
      <div className="campaign-row">
        {[0, 1, 2].map((k) => (
          <div className="panel dash-panel campaign-card" key={k}>
            <Skeleton active paragraph={{ rows: 5 }} />
          </div>
        ))}
      </div>
    );
  if (q.isError)
    return (
      <Alert
        type="error"
        showIcon
        title="指标达标、监测排名和跟踪指标加载失败"
        description={q.error.message}
        action={<Button onClick={() => void q.refetch()}>重试</Button>}
        data-testid="campaign-error"
      />
    );
  const c = q.data;
  return (
    <>
      <div className="campaign-row" data-testid="campaign">
        <ReadinessCard r={c.readiness} />
        <RankingCard m={c.monitoring} />
        <MetricsCard metrics={c.metrics} />
      </div>
      <ComplianceStrip />
    </>
  );
}
