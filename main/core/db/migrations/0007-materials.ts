import type { Migration } from './types';

/**
 * Materials (材料文档): records with links to tasks and indicators; their content is a Yjs
 * document kept as an append-only log of updates merged into a snapshot past a threshold;
 * named versions (the snapshot as a content-addressed blob); user templates; a plain-text copy
 * of each document for search. And the self-assessment fields of indicators (status, self-score
 * and the narrative the 自评报告 prints).
 */
export const m0007: Migration = {
  version: 7,
  name: 'materials',
  up(db) {
    db.exec(`
      CREATE TABLE materials (
        id          TEXT PRIMARY KEY,
        title       TEXT NOT NULL,
        type        TEXT NOT NULL,
        status      TEXT NOT NULL DEFAULT 'draft',
        owner_id    TEXT REFERENCES staff(id),
        tags        TEXT NOT NULL DEFAULT '[]',
        template_id TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX materials_type ON materials(type, status) WHERE deleted = 0;

      CREATE TABLE material_tasks (
        id          TEXT PRIMARY KEY,
        material_id TEXT NOT NULL REFERENCES materials(id),
        task_id     TEXT NOT NULL REFERENCES tasks(id),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX material_tasks_material ON material_tasks(material_id);
      CREATE INDEX material_tasks_task ON material_tasks(task_id) WHERE deleted = 0;

      CREATE TABLE material_indicators (
        id           TEXT PRIMARY KEY,
        material_id  TEXT NOT NULL REFERENCES materials(id),
        indicator_id TEXT NOT NULL REFERENCES indicators(id),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX material_indicators_material ON material_indicators(material_id);
      CREATE INDEX material_indicators_indicator ON material_indicators(indicator_id) WHERE deleted = 0;

      -- Yjs document content. Not last-writer-wins records: CRDT updates, merged by Yjs.
      CREATE TABLE doc_updates (
        seq      INTEGER PRIMARY KEY,
        doc_id   TEXT NOT NULL,
        data     BLOB NOT NULL,
        at       TEXT NOT NULL,
        actor_id TEXT,
        origin   TEXT NOT NULL DEFAULT 'local'
      ) STRICT;
      CREATE INDEX doc_updates_doc ON doc_updates(doc_id, seq);

      CREATE TABLE doc_snapshots (
        doc_id   TEXT PRIMARY KEY,
        data     BLOB NOT NULL,
        -- number of updates merged into this snapshot so far (for information)
        merged   INTEGER NOT NULL,
        at       TEXT NOT NULL
      ) STRICT;

      -- Plain text of each document, for search (derived, rebuilt from the content).
      CREATE TABLE doc_text (
        doc_id TEXT PRIMARY KEY,
        text   TEXT NOT NULL,
        at     TEXT NOT NULL
      ) STRICT;

      CREATE TABLE doc_versions (
        id           TEXT PRIMARY KEY,
        doc_id       TEXT NOT NULL,
        name         TEXT NOT NULL,
        author       TEXT NOT NULL,
        snapshot_sha TEXT NOT NULL,
        chars        INTEGER NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX doc_versions_doc ON doc_versions(doc_id, created_at) WHERE deleted = 0;

      CREATE TABLE material_templates (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        type        TEXT NOT NULL,
        description TEXT,
        content     TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      ALTER TABLE indicators ADD COLUMN status TEXT NOT NULL DEFAULT 'in_progress';
      ALTER TABLE indicators ADD COLUMN self_score REAL;
      ALTER TABLE indicators ADD COLUMN score_note TEXT;
      ALTER TABLE indicators ADD COLUMN narrative TEXT;
    `);
  },
};
