/** The campaign half of the dashboard: readiness, monitoring trend and streak, tracked metrics. */
import type { CampaignSummary } from '../contract/indicators';
import { readiness } from '../indicators/indicators';
import type { Workspace } from '../workspace/workspace';
import { listMetrics } from './metrics';
import { monitoringOverview } from './monitoring';

/** The month `n` months before `month` (YYYY-MM). */
function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const i = (y ?? 1970) * 12 + (m ?? 1) - 1 - n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

/**
 * Readiness against the indicator system, the monitoring results of the last 12 months (the 12
 * calendar months ending with the latest result, oldest first) with the streak rule and the
 * number of weak points nobody decided on yet, and the tracked metrics. The same functions feed
 * the indicator, monitoring and metrics pages, so the dashboard shows their figures.
 */
export function campaignSummary(ws: Workspace, now: Date): CampaignSummary {
  const overview = monitoringOverview(ws, now);
  const results = [...overview.results].sort((a, b) => a.month.localeCompare(b.month));
  const latest = results.at(-1) ?? null;
  const from = latest ? monthsBefore(latest.month, 11) : '';
  return {
    readiness: readiness(ws),
    monitoring: {
      latest,
      trend: latest ? results.filter((r) => r.month >= from) : [],
      streak: overview.streak,
      weakPoints: overview.weakPoints.filter((w) => w.decision === null).length,
    },
    metrics: listMetrics(ws),
  };
}
