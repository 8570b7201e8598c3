import type { Migration } from './types';

/**
 * 办结日期 (done_on): the local calendar day a task was completed, kept beside the completion
 * instant so on-time checks, delays and weekly counts compare dates instead of converting every
 * timestamp. And a narrow covering index for the passes over every supervised task (league
 * table, dashboard): read in department order they stream into per-department groups without
 * sorting and without touching the wide task rows (titles, texts).
 */
export const m0006: Migration = {
  version: 6,
  name: 'supervision-index',
  up(db) {
    db.exec(`
      ALTER TABLE tasks ADD COLUMN done_on TEXT;
      UPDATE tasks SET done_on = date(done_at, 'localtime') WHERE done_at IS NOT NULL;
      CREATE INDEX tasks_supervision ON tasks(
        lead_dept_id, kind, status, due_date, done_on, last_activity_at, issued_at, created_at
      ) WHERE deleted = 0;
    `);
  },
};
