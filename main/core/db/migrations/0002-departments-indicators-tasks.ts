import type { Migration } from './types';

/** The first slice: departments, indicators (basic shape), tasks and their links. */
export const m0002: Migration = {
  version: 2,
  name: 'departments-indicators-tasks',
  up(db) {
    db.exec(`
      CREATE TABLE departments (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        short_name TEXT,
        aliases    TEXT NOT NULL DEFAULT '[]',
        kind       TEXT NOT NULL DEFAULT 'department',
        role       TEXT NOT NULL DEFAULT 'responsible',
        contact    TEXT,
        phone      TEXT,
        sort       INTEGER NOT NULL DEFAULT 0,
        archived   INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX departments_sort ON departments(deleted, archived, sort);

      CREATE TABLE indicators (
        id             TEXT PRIMARY KEY,
        system_version TEXT NOT NULL,
        code           TEXT NOT NULL,
        title          TEXT NOT NULL,
        kind           TEXT NOT NULL CHECK (kind IN ('category','basic','scored','bonus')),
        parent_id      TEXT REFERENCES indicators(id),
        points         REAL,
        standard       TEXT,
        sort           INTEGER NOT NULL DEFAULT 0,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        deleted        INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX indicators_version ON indicators(system_version, deleted, sort);

      CREATE TABLE tasks (
        id           TEXT PRIMARY KEY,
        code         TEXT NOT NULL,
        title        TEXT NOT NULL,
        description  TEXT,
        standard     TEXT,
        lead_dept_id TEXT REFERENCES departments(id),
        due_date     TEXT,
        status       TEXT NOT NULL DEFAULT 'draft',
        priority     TEXT NOT NULL DEFAULT 'normal',
        recurrence   TEXT NOT NULL DEFAULT 'none',
        progress     INTEGER NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX tasks_dept_status ON tasks(lead_dept_id, status) WHERE deleted = 0;
      CREATE INDEX tasks_status_due ON tasks(status, due_date) WHERE deleted = 0;
      CREATE INDEX tasks_due ON tasks(due_date) WHERE deleted = 0;

      -- Cooperating departments of a task (the lead is tasks.lead_dept_id).
      CREATE TABLE task_departments (
        id         TEXT PRIMARY KEY,
        task_id    TEXT NOT NULL REFERENCES tasks(id),
        dept_id    TEXT NOT NULL REFERENCES departments(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX task_departments_task ON task_departments(task_id) WHERE deleted = 0;
      CREATE INDEX task_departments_dept ON task_departments(dept_id) WHERE deleted = 0;

      CREATE TABLE task_indicators (
        id           TEXT PRIMARY KEY,
        task_id      TEXT NOT NULL REFERENCES tasks(id),
        indicator_id TEXT NOT NULL REFERENCES indicators(id),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX task_indicators_task ON task_indicators(task_id) WHERE deleted = 0;
      CREATE INDEX task_indicators_indicator ON task_indicators(indicator_id) WHERE deleted = 0;
    `);
  },
};
