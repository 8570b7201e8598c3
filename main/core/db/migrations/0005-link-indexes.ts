import type { Migration } from './types';

/**
 * Link rows are looked up by their owner including deleted ones (to revive a removed link), so
 * the owner indexes must cover every row, not only undeleted ones: without them each task update
 * (and each imported task) scanned the whole link table. Likewise a series' instances are read
 * with deleted ones included when generating new periods.
 */
export const m0005: Migration = {
  version: 5,
  name: 'link-indexes',
  up(db) {
    db.exec(`
      DROP INDEX task_departments_task;
      DROP INDEX task_indicators_task;
      DROP INDEX rectification_tasks_rect;
      DROP INDEX rectification_indicators_rect;
      CREATE INDEX task_departments_task ON task_departments(task_id);
      CREATE INDEX task_indicators_task ON task_indicators(task_id);
      CREATE INDEX rectification_tasks_rect ON rectification_tasks(rect_id);
      CREATE INDEX rectification_indicators_rect ON rectification_indicators(rect_id);
      -- the latest period of each series, deleted instances included (they must not come back)
      DROP INDEX tasks_series;
      CREATE INDEX tasks_series ON tasks(series_id, period);
    `);
  },
};
