import type Database from 'better-sqlite3';

export interface Migration {
  /** Equals the NNNN prefix of the file name and the resulting PRAGMA user_version. */
  version: number;
  name: string;
  up(db: Database.Database): void;
}
