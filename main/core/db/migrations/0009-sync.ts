import type { Migration } from './types';

/**
 * Sync with the central platform: the laptop's sync state (server, cursors, last error), per
 * document bookkeeping (the server's last state vector, a dirty counter bumped by triggers on
 * local document writes), the blob transfer queue, and the index that finds a field's winning
 * stamp (max stamp among its applied changes) without scanning the change log.
 */
export const m0009: Migration = {
  version: 9,
  name: 'sync',
  up(db) {
    db.exec(`
      -- Local, never synced. One row.
      CREATE TABLE sync_state (
        id             INTEGER PRIMARY KEY CHECK (id = 1),
        server_url     TEXT,
        user_id        TEXT,
        user_name      TEXT,
        registered     INTEGER NOT NULL DEFAULT 0,
        -- the server's sequence: next pull starts after it
        pull_cursor    INTEGER NOT NULL DEFAULT 0,
        -- changes.id of the last local change the server acknowledged
        pushed_id      INTEGER NOT NULL DEFAULT 0,
        -- the server's document sequence: documents changed after it are listed
        doc_cursor     INTEGER NOT NULL DEFAULT 0,
        last_sync_at   TEXT,
        error_code     TEXT,
        error_message  TEXT,
        -- JSON {deletes, live} of a pull waiting for confirmation
        mass_delete    TEXT
      ) STRICT;
      INSERT INTO sync_state (id) VALUES (1);

      -- Per document: the server's state vector after the last sync, and a counter of local
      -- writes since (bumped by the triggers below, cleared when a sync sent them).
      CREATE TABLE sync_docs (
        doc_id    TEXT PRIMARY KEY,
        server_sv BLOB,
        -- the server's document sequence after our last sync of it (its own listing is skipped)
        seq       INTEGER NOT NULL DEFAULT 0,
        dirty     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TRIGGER sync_docs_update AFTER INSERT ON doc_updates WHEN NEW.origin = 'local'
      BEGIN
        INSERT INTO sync_docs (doc_id, dirty) VALUES (NEW.doc_id, 1)
          ON CONFLICT(doc_id) DO UPDATE SET dirty = dirty + 1;
      END;
      CREATE TRIGGER sync_docs_snapshot AFTER INSERT ON doc_snapshots
      BEGIN
        INSERT INTO sync_docs (doc_id, dirty) VALUES (NEW.doc_id, 1)
          ON CONFLICT(doc_id) DO UPDATE SET dirty = dirty + 1;
      END;
      -- documents that existed before sync was set up are sent once
      INSERT OR IGNORE INTO sync_docs (doc_id, dirty) SELECT doc_id, 1 FROM doc_snapshots;
      INSERT OR IGNORE INTO sync_docs (doc_id, dirty) SELECT DISTINCT doc_id, 1 FROM doc_updates;

      -- Blob transfers: uploaded ones are remembered; failures back off per blob.
      CREATE TABLE sync_blobs (
        sha256    TEXT PRIMARY KEY,
        uploaded  INTEGER NOT NULL DEFAULT 0,
        attempts  INTEGER NOT NULL DEFAULT 0,
        -- ms since epoch before which this blob is not tried again
        next_at   INTEGER NOT NULL DEFAULT 0,
        error     TEXT
      ) STRICT;

      -- A field's winning stamp: MAX(stamp) WHERE entity_id = ? AND field = ? AND applied = 1
      -- is one index seek. Also finds a pulled change already applied (idempotent re-pull).
      CREATE INDEX changes_field_stamp ON changes(entity_id, field, applied, stamp);
    `);
  },
};
