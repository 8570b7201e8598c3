/**
 * The central server's own SQLite database (WAL) in its data folder: users, tokens, workspaces,
 * members, the changes log (the pull cursor is its `seq`), Yjs document states, blob ownership and
 * uploads in progress. Numbered migrations run on open (PRAGMA user_version).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';

export type ServerDb = Database.Database;

export interface ServerMigration {
  version: number;
  name: string;
  sql: string;
}

export const serverMigrations: readonly ServerMigration[] = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL,
        disabled INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users(id),
        token_hash TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        expires_at TEXT,
        revoked_at TEXT
      );
      CREATE INDEX tokens_user ON tokens(user_id);
      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT REFERENCES users(id)
      );
      CREATE TABLE members (
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        user_id TEXT NOT NULL REFERENCES users(id),
        role TEXT NOT NULL CHECK (role IN ('owner', 'member')),
        PRIMARY KEY (workspace_id, user_id)
      );
      CREATE INDEX members_user ON members(user_id);
      CREATE TABLE changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        workspace_id TEXT NOT NULL,
        node TEXT NOT NULL,
        tx_id TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        field TEXT NOT NULL,
        value TEXT,
        stamp TEXT NOT NULL,
        op TEXT NOT NULL,
        at TEXT NOT NULL,
        actor_id TEXT,
        actor_name TEXT NOT NULL,
        received_at TEXT NOT NULL,
        UNIQUE (workspace_id, entity_id, field, stamp)
      );
      CREATE INDEX changes_ws_seq ON changes(workspace_id, seq);
      CREATE INDEX changes_ws_tx ON changes(workspace_id, node, tx_id, seq);
      -- One row per record seen in a workspace, with its latest 'deleted' value by stamp:
      -- answers liveRecords of a pull without scanning the log.
      CREATE TABLE records (
        workspace_id TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        entity TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        deleted_stamp TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (workspace_id, entity_id)
      );
      CREATE INDEX records_live ON records(workspace_id, deleted);
      CREATE TABLE sequences (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      );
      INSERT INTO sequences (name, value) VALUES ('doc', 0);
      CREATE TABLE docs (
        workspace_id TEXT NOT NULL,
        doc_id TEXT NOT NULL,
        state BLOB NOT NULL,
        seq INTEGER NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, doc_id)
      );
      CREATE INDEX docs_ws_seq ON docs(workspace_id, seq);
      -- Blob files are content-addressed and shared; a workspace may read a blob only after one
      -- of its members uploaded it (an ownership row).
      CREATE TABLE blobs (
        workspace_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, sha256)
      );
      CREATE TABLE uploads (
        workspace_id TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        offset INTEGER NOT NULL,
        temp_file TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (workspace_id, sha256)
      );
    `,
  },
];

export const SERVER_DB_FILE = 'server.db';

/** Opens (creating if needed) the server database in `dataDir` and runs pending migrations. */
export function openServerDb(dataDir: string): ServerDb {
  fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(path.join(dataDir, SERVER_DB_FILE));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

export function migrate(db: ServerDb, list: readonly ServerMigration[] = serverMigrations): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (const m of list) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

export function nowIso(ms: number = Date.now()): string {
  return new Date(ms).toISOString();
}
