import type { Indicator } from '../contract/records';
import type { Workspace } from '../workspace/workspace';

interface Row {
  id: string;
  code: string;
  title: string;
  kind: Indicator['kind'];
  parent_id: string | null;
  points: number | null;
  standard: string | null;
  sort: number;
  task_count: number;
}

/** Indicators of the workspace's current indicator-system version, in order. */
export function listIndicators(ws: Workspace): Indicator[] {
  const rows = ws.db
    .prepare(
      `SELECT i.id, i.code, i.title, i.kind, i.parent_id, i.points, i.standard, i.sort,
         (SELECT COUNT(*) FROM task_indicators ti JOIN tasks t ON t.id = ti.task_id
           WHERE ti.indicator_id = i.id AND ti.deleted = 0 AND t.deleted = 0) AS task_count
       FROM indicators i
       WHERE i.deleted = 0 AND i.system_version = (SELECT indicator_version FROM workspace LIMIT 1)
       ORDER BY i.sort, i.code`,
    )
    .all() as Row[];
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    title: r.title,
    kind: r.kind,
    parentId: r.parent_id,
    points: r.points,
    standard: r.standard,
    sort: r.sort,
    taskCount: r.task_count,
  }));
}
