import type { Migration } from './types';

/**
 * The task list's default order (due date, undated last, then code) served by an index, so the
 * first page of 50,000 tasks comes back without sorting them all.
 */
export const m0003: Migration = {
  version: 3,
  name: 'task-list-order',
  up(db) {
    db.exec(`
      CREATE INDEX tasks_list_order ON tasks(due_date IS NULL, due_date, code) WHERE deleted = 0;
    `);
  },
};
