import type { Migration } from './types';

/**
 * Data-compliance checks.
 * - compliance_rule_sets: rule sets as data (JSON definition validated by the contract's
 *   RuleSetDefinition), one row per code and version; the latest saved version of a code is
 *   the one new checks use. Bundled sets are written on first use and marked builtin.
 * - compliance_runs: one checked file: counts, rate, the month and department it counts for,
 *   and the full FileCheckResult (per-rule counts, worst rows, first findings) as JSON. The
 *   error workbook is an attachment (owner_type 'compliance_run').
 */
export const m0010: Migration = {
  version: 10,
  name: 'compliance',
  up(db) {
    db.exec(`
      CREATE TABLE compliance_rule_sets (
        id          TEXT PRIMARY KEY,
        code        TEXT NOT NULL,
        name        TEXT NOT NULL,
        category    TEXT NOT NULL,
        version     TEXT NOT NULL,
        definition  TEXT NOT NULL,
        builtin     INTEGER NOT NULL DEFAULT 0,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX compliance_rule_sets_code ON compliance_rule_sets(code, version) WHERE deleted = 0;

      CREATE TABLE compliance_runs (
        id              TEXT PRIMARY KEY,
        file_name       TEXT NOT NULL,
        rule_set_code   TEXT NOT NULL,
        rule_set_name   TEXT NOT NULL,
        rule_set_version TEXT NOT NULL,
        category        TEXT NOT NULL,
        dept_id         TEXT,
        month           TEXT NOT NULL,
        rows            INTEGER NOT NULL,
        error_rows      INTEGER NOT NULL,
        warning_rows    INTEGER NOT NULL,
        errors          INTEGER NOT NULL,
        warnings        INTEGER NOT NULL,
        rate            REAL NOT NULL,
        wrong_codes     INTEGER NOT NULL DEFAULT 0,
        result          TEXT NOT NULL,
        checked_at      TEXT NOT NULL,
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL,
        deleted         INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX compliance_runs_month ON compliance_runs(month, dept_id) WHERE deleted = 0;
    `);
  },
};
