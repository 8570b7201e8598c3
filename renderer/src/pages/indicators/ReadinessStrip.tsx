import { CheckCircleFilled, WarningFilled } from '@ant-design/icons';
import { Alert, Progress, Skeleton, Tag, Tooltip } from 'antd';
import type { Readiness } from '../../../../main/core/contract/indicators';
import { INDICATOR_STATUS_COLOR, INDICATOR_STATUS_LABEL } from '../../labels';
import { fmtNum } from './tree';

const ratio = (a: number, b: number) => (b > 0 ? Math.round((a / b) * 1000) / 10 : 0);

/**
 * 创建准备度: the basic indicators (一票否决: all must be met, the unmet ones named), the
 * self-scores of the scored indicators and bonus items against the points possible, and the
 * evidence checklist. Every figure comes from indicators.readiness.
 */
export function ReadinessStrip({
  data,
  loading,
  error,
  onOpen,
}: {
  data: Readiness | undefined;
  loading: boolean;
  error: string | null;
  onOpen: (id: string) => void;
}) {
  if (error) return <Alert type="error" showIcon title="达标情况加载失败" description={error} />;
  if (loading || !data) {
    return (
      <div className="panel">
        <Skeleton active paragraph={{ rows: 2 }} title={false} />
      </div>
    );
  }
  const b = data.basic;
  return (
    <div className="panel readiness" data-testid="readiness">
      <div className={`readiness-basic ${data.allBasicMet ? 'ok' : 'veto'}`}>
        <div className="stat-label">
          {data.allBasicMet ? <CheckCircleFilled /> : <WarningFilled />} 基础指标达标（一票否决）
        </div>
        <div className="stat-value" data-testid="readiness-basic">
          {b.met}
          <span className="muted"> / {b.total}</span>
        </div>
        <Progress
          percent={ratio(b.met, b.total)}
          showInfo={false}
          size="small"
          strokeColor={data.allBasicMet ? '#2e9d5b' : '#d64541'}
        />
      </div>
      <div className="readiness-unmet" data-testid="readiness-unmet">
        {b.total === 0 ? (
          <span className="muted">当前版本没有基础指标</span>
        ) : b.unmet.length === 0 ? (
          <span className="readiness-allmet">
            <CheckCircleFilled /> 全部基础指标均已达标
          </span>
        ) : (
          <>
            <div className="stat-label">尚未达标的基础指标（{b.unmet.length} 项）</div>
            <div className="readiness-tags">
              {b.unmet.map((u) => (
                <Tooltip key={u.id} title={`${u.code} ${u.title}：${INDICATOR_STATUS_LABEL[u.status]}`}>
                  <Tag
                    color={INDICATOR_STATUS_COLOR[u.status]}
                    className="readiness-tag"
                    onClick={() => onOpen(u.id)}
                  >
                    {u.code} {u.title}
                  </Tag>
                </Tooltip>
              ))}
            </div>
          </>
        )}
      </div>
      <div className="stat">
        <div className="stat-label">评分指标自评</div>
        <div className="stat-value" data-testid="readiness-scored">
          {data.scored.count === 0 ? (
            <span className="muted">—</span>
          ) : (
            <>
              {fmtNum(data.scored.achieved)}
              <span className="muted"> / {fmtNum(data.scored.possible)} 分</span>
            </>
          )}
        </div>
        <div className="stat-foot">
          {data.scored.count === 0
            ? '当前版本没有评分指标'
            : `${data.scored.count} 项，已达标 ${data.scored.met} 项`}
        </div>
      </div>
      <div className="stat">
        <div className="stat-label">加分项</div>
        <div className="stat-value" data-testid="readiness-bonus">
          {data.bonus.count === 0 ? (
            <span className="muted">—</span>
          ) : (
            <>
              {fmtNum(data.bonus.achieved)}
              <span className="muted"> / {fmtNum(data.bonus.possible)} 分</span>
            </>
          )}
        </div>
        <div className="stat-foot">
          {data.bonus.count === 0 ? '当前版本没有加分项' : `${data.bonus.count} 项`}
        </div>
      </div>
      <div className="stat">
        <div className="stat-label">佐证材料</div>
        <div className="stat-value" data-testid="readiness-evidence">
          {data.evidence.satisfied}
          <span className="muted"> / {data.evidence.total}</span>
        </div>
        <div className="stat-foot">
          {data.evidence.total === 0 ? '还没有列出佐证清单' : '已提供 / 清单项'}
        </div>
      </div>
      <div className="stat">
        <div className="stat-label">全部指标状态</div>
        <div className="readiness-status" data-testid="readiness-status">
          {(['met', 'in_progress', 'not_met'] as const).map((s) => (
            <span key={s}>
              <Tag color={INDICATOR_STATUS_COLOR[s]}>{INDICATOR_STATUS_LABEL[s]}</Tag>
              <b className="num">{data.byStatus[s]}</b>
            </span>
          ))}
        </div>
      </div>
    </div>
  );
}
