/** The month's 指标提升方案 (improvement plan), created as a draft material from the results. */
import type { Material } from '../contract/materials';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

export function createImprovementPlan(_ws: Workspace, _month: string, _now: Date): Material {
  throw new AppError('UNSUPPORTED', '尚未实现');
}
