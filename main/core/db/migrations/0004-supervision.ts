import type { Migration } from './types';

/**
 * Task supervision: workflow steps, recurring series and their instances, progress feedback,
 * content-addressed attachments, traffic-light rules, the rectification list and frozen weekly
 * dispatch snapshots.
 */
export const m0004: Migration = {
  version: 4,
  name: 'supervision',
  up(db) {
    db.exec(`
      -- kind: 'task' (one-off), 'series' (a recurring definition; not counted), 'instance'
      -- (one period of a series, id derived from series + period so laptops agree).
      ALTER TABLE tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'task';
      ALTER TABLE tasks ADD COLUMN series_id TEXT REFERENCES tasks(id);
      ALTER TABLE tasks ADD COLUMN period TEXT;
      ALTER TABLE tasks ADD COLUMN recur_start TEXT;
      ALTER TABLE tasks ADD COLUMN recur_end TEXT;
      -- the task this one was dispatched from (one copy per department)
      ALTER TABLE tasks ADD COLUMN parent_id TEXT REFERENCES tasks(id);
      ALTER TABLE tasks ADD COLUMN issued_at TEXT;
      ALTER TABLE tasks ADD COLUMN done_at TEXT;
      -- last workflow step or feedback: drives the "no feedback for N days" light
      ALTER TABLE tasks ADD COLUMN last_activity_at TEXT;
      CREATE INDEX tasks_series ON tasks(series_id, period) WHERE deleted = 0;
      CREATE INDEX tasks_kind_due ON tasks(kind, due_date) WHERE deleted = 0;
      CREATE INDEX tasks_done_at ON tasks(done_at) WHERE deleted = 0 AND done_at IS NOT NULL;

      ALTER TABLE workspace ADD COLUMN light_rules TEXT NOT NULL DEFAULT '{"yellowDays":3,"staleDays":14}';

      CREATE TABLE task_steps (
        id          TEXT PRIMARY KEY,
        task_id     TEXT NOT NULL REFERENCES tasks(id),
        action      TEXT NOT NULL,
        from_status TEXT NOT NULL,
        to_status   TEXT NOT NULL,
        note        TEXT,
        at          TEXT NOT NULL,
        actor_id    TEXT,
        actor_name  TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX task_steps_task ON task_steps(task_id, at);

      CREATE TABLE task_feedback (
        id         TEXT PRIMARY KEY,
        task_id    TEXT NOT NULL REFERENCES tasks(id),
        text       TEXT NOT NULL,
        progress   INTEGER,
        at         TEXT NOT NULL,
        actor_id   TEXT,
        actor_name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX task_feedback_task ON task_feedback(task_id, at) WHERE deleted = 0;

      -- Files live in blobs/ab/<sha256>; a row links one to a record (task, feedback,
      -- rectification …). The same file attached twice is stored once.
      CREATE TABLE attachments (
        id         TEXT PRIMARY KEY,
        owner_type TEXT NOT NULL,
        owner_id   TEXT NOT NULL,
        sha256     TEXT NOT NULL,
        name       TEXT NOT NULL,
        size       INTEGER NOT NULL,
        mime       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX attachments_owner ON attachments(owner_type, owner_id) WHERE deleted = 0;
      CREATE INDEX attachments_sha ON attachments(sha256);

      CREATE TABLE rectifications (
        id           TEXT PRIMARY KEY,
        code         TEXT NOT NULL,
        source       TEXT NOT NULL,
        problem      TEXT NOT NULL,
        dept_id      TEXT REFERENCES departments(id),
        measures     TEXT,
        deadline     TEXT,
        status       TEXT NOT NULL DEFAULT 'open',
        verification TEXT,
        clarification TEXT,
        closed_at    TEXT,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX rectifications_status ON rectifications(status, deadline) WHERE deleted = 0;
      CREATE INDEX rectifications_dept ON rectifications(dept_id) WHERE deleted = 0;

      CREATE TABLE rectification_tasks (
        id         TEXT PRIMARY KEY,
        rect_id    TEXT NOT NULL REFERENCES rectifications(id),
        task_id    TEXT NOT NULL REFERENCES tasks(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX rectification_tasks_rect ON rectification_tasks(rect_id) WHERE deleted = 0;
      CREATE INDEX rectification_tasks_task ON rectification_tasks(task_id) WHERE deleted = 0;

      CREATE TABLE rectification_indicators (
        id           TEXT PRIMARY KEY,
        rect_id      TEXT NOT NULL REFERENCES rectifications(id),
        indicator_id TEXT NOT NULL REFERENCES indicators(id),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX rectification_indicators_rect ON rectification_indicators(rect_id) WHERE deleted = 0;
      CREATE INDEX rectification_indicators_ind ON rectification_indicators(indicator_id) WHERE deleted = 0;

      -- A frozen week: id derived from the week key; the full snapshot (one row per task) is
      -- a gzip'd JSON blob, the counts are kept here for trends.
      CREATE TABLE dispatch_weeks (
        id           TEXT PRIMARY KEY,
        week         TEXT NOT NULL,
        week_start   TEXT NOT NULL,
        week_end     TEXT NOT NULL,
        frozen_at    TEXT NOT NULL,
        frozen_by    TEXT NOT NULL,
        snapshot_sha TEXT NOT NULL,
        summary      TEXT NOT NULL,
        note         TEXT,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX dispatch_weeks_week ON dispatch_weeks(week) WHERE deleted = 0;
    `);
  },
};
