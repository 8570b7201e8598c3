/** The campaign half of the dashboard: readiness, monitoring trend and streak, tracked metrics. */
import type { CampaignSummary } from '../contract/indicators';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

export function campaignSummary(_ws: Workspace, _now: Date): CampaignSummary {
  throw new AppError('UNSUPPORTED', '尚未实现');
}
