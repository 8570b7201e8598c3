/** The laptop's sync state (table sync_state, migration 0009): server, cursors, last result. */
import type { Db } from '../db/open';

export interface SyncStateRow {
  server_url: string | null;
  user_id: string | null;
  user_name: string | null;
  registered: number;
  pull_cursor: number;
  pushed_id: number;
  doc_cursor: number;
  last_sync_at: string | null;
  error_code: string | null;
  error_message: string | null;
  mass_delete: string | null;
}

export function readState(db: Db): SyncStateRow {
  const row = db.prepare('SELECT * FROM sync_state WHERE id = 1').get() as SyncStateRow | undefined;
  if (row) return row;
  db.prepare('INSERT OR IGNORE INTO sync_state (id) VALUES (1)').run();
  return db.prepare('SELECT * FROM sync_state WHERE id = 1').get() as SyncStateRow;
}

export function writeState(db: Db, patch: Partial<SyncStateRow>): void {
  const keys = Object.keys(patch) as (keyof SyncStateRow)[];
  if (keys.length === 0) return;
  db.prepare(`UPDATE sync_state SET ${keys.map((k) => `${k} = ?`).join(', ')} WHERE id = 1`).run(
    ...keys.map((k) => patch[k] ?? null),
  );
}
