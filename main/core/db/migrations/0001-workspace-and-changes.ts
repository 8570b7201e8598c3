import type { Migration } from './types';

/**
 * Workspace settings, resident staff, local metadata, and the change log that is both the
 * audit trail (who, when, entity, field, old → new) and the per-field clock record for sync.
 */
export const m0001: Migration = {
  version: 1,
  name: 'workspace-and-changes',
  up(db) {
    db.exec(`
      -- Local, never synced: workspace id, this laptop's node id, who "me" is.
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      CREATE TABLE workspace (
        id                TEXT PRIMARY KEY,
        name              TEXT NOT NULL,
        city              TEXT NOT NULL,
        admin_code        TEXT NOT NULL,
        campaign_name     TEXT NOT NULL,
        period_start      TEXT NOT NULL,
        period_end        TEXT NOT NULL,
        ranking_target    INTEGER NOT NULL,
        indicator_version TEXT NOT NULL,
        template_id       TEXT,
        created_at        TEXT NOT NULL,
        updated_at        TEXT NOT NULL,
        deleted           INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      CREATE TABLE staff (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        role       TEXT NOT NULL,
        phone      TEXT,
        email      TEXT,
        active     INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0
      ) STRICT;

      -- One row per field written. origin: 'local' or 'remote'; applied = 0 keeps a value
      -- that lost a last-writer-wins comparison, so nothing is dropped silently.
      CREATE TABLE changes (
        id         INTEGER PRIMARY KEY,
        tx_id      TEXT NOT NULL,
        at         TEXT NOT NULL,
        actor_id   TEXT,
        actor_name TEXT NOT NULL,
        entity     TEXT NOT NULL,
        entity_id  TEXT NOT NULL,
        op         TEXT NOT NULL CHECK (op IN ('create','update','delete','restore')),
        field      TEXT NOT NULL,
        old_value  TEXT,
        new_value  TEXT,
        stamp      TEXT NOT NULL,
        origin     TEXT NOT NULL DEFAULT 'local' CHECK (origin IN ('local','remote')),
        applied    INTEGER NOT NULL DEFAULT 1
      ) STRICT;
      -- History of one record. Kept to a single index: the log grows by one row per field
      -- written, so every extra index costs disk on every write.
      CREATE INDEX changes_entity ON changes(entity_id, id);
    `);
  },
};
