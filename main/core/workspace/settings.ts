import type { z } from 'zod';
import type { WorkspaceSettings, WorkspaceSettingsPatch } from '../contract/workspace';
import { AppError } from '../util/errors';
import type { Workspace } from './workspace';

interface Row {
  id: string;
  name: string;
  city: string;
  admin_code: string;
  campaign_name: string;
  period_start: string;
  period_end: string;
  ranking_target: number;
  indicator_version: string;
  template_id: string | null;
  created_at: string;
}

export function getSettings(ws: Workspace): WorkspaceSettings {
  const r = ws.db.prepare('SELECT * FROM workspace WHERE id = ?').get(ws.id) as Row | undefined;
  if (!r) throw new AppError('NOT_A_WORKSPACE', '工作区设置缺失，数据库可能已损坏。');
  return {
    id: r.id,
    name: r.name,
    city: r.city,
    adminCode: r.admin_code,
    campaignName: r.campaign_name,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    rankingTarget: r.ranking_target,
    indicatorVersion: r.indicator_version,
    templateId: r.template_id,
    createdAt: r.created_at,
  };
}

export function updateSettings(
  ws: Workspace,
  patch: z.output<typeof WorkspaceSettingsPatch>,
): WorkspaceSettings {
  const current = getSettings(ws);
  const start = patch.periodStart ?? current.periodStart;
  const end = patch.periodEnd ?? current.periodEnd;
  if (start > end) throw new AppError('BAD_INPUT', '创建周期的开始日期不能晚于结束日期。');
  ws.writer.transact(ws.actor(), (tx) => {
    tx.update('workspace', ws.id, {
      name: patch.name,
      city: patch.city,
      admin_code: patch.adminCode,
      campaign_name: patch.campaignName,
      period_start: patch.periodStart,
      period_end: patch.periodEnd,
      ranking_target: patch.rankingTarget,
      indicator_version: patch.indicatorVersion,
    });
  });
  return getSettings(ws);
}
