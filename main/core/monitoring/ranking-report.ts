/** The quarterly 预警监测排名分析报告 as a document model (rendered by the shared docx writer). */
import type { DocModel } from '../documents/model';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

export function rankingAnalysisModel(_ws: Workspace, _quarter: string, _now: Date): DocModel {
  throw new AppError('UNSUPPORTED', '尚未实现');
}
