import { stableId } from '../../util/ids';
import type { Migration } from './types';

/** Id of an indicator-system version's row. */
export const systemId = (version: string): string => stableId(`indicator-system|${version}`);

/**
 * Indicators as versioned data with owners and evidence; the monthly national credit-monitoring
 * results; tracked campaign metrics; decisions on proposed weak points.
 *
 * - indicator_systems: one row per indicator-system version (名称, declared point totals).
 *   Existing versions found in `indicators` get a row here; the id is derived from the version
 *   (systemId), so laptops that import the same version agree.
 * - indicator_departments: owner departments of an indicator (link rows).
 * - indicator_evidence: the evidence checklist of an indicator; an item is satisfied by its
 *   attachments (owner_type 'evidence') or linked materials (evidence_materials).
 * - monitoring_results: one row per month (id derived from the month, so laptops agree).
 * - metric_values: one row per metric and month (id derived from both).
 * - weak_point_decisions: accepted or dismissed proposals, one per month and dimension.
 */
export const m0008: Migration = {
  version: 8,
  name: 'indicators-monitoring',
  up(db) {
    db.exec(`
      CREATE TABLE indicator_systems (
        id           TEXT PRIMARY KEY,
        version      TEXT NOT NULL,
        name         TEXT NOT NULL,
        scored_total REAL,
        bonus_total  REAL,
        note         TEXT,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX indicator_systems_version ON indicator_systems(version) WHERE deleted = 0;

      CREATE TABLE indicator_departments (
        id           TEXT PRIMARY KEY,
        indicator_id TEXT NOT NULL REFERENCES indicators(id),
        dept_id      TEXT NOT NULL REFERENCES departments(id),
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX indicator_departments_indicator ON indicator_departments(indicator_id);
      CREATE INDEX indicator_departments_dept ON indicator_departments(dept_id) WHERE deleted = 0;

      CREATE TABLE indicator_evidence (
        id           TEXT PRIMARY KEY,
        indicator_id TEXT NOT NULL REFERENCES indicators(id),
        title        TEXT NOT NULL,
        note         TEXT,
        sort         INTEGER NOT NULL DEFAULT 0,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        deleted      INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX indicator_evidence_indicator ON indicator_evidence(indicator_id, sort) WHERE deleted = 0;

      CREATE TABLE evidence_materials (
        id          TEXT PRIMARY KEY,
        evidence_id TEXT NOT NULL REFERENCES indicator_evidence(id),
        material_id TEXT NOT NULL REFERENCES materials(id),
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        deleted     INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX evidence_materials_evidence ON evidence_materials(evidence_id);
      CREATE INDEX evidence_materials_material ON evidence_materials(material_id) WHERE deleted = 0;

      CREATE TABLE monitoring_results (
        id            TEXT PRIMARY KEY,
        month         TEXT NOT NULL,
        score         REAL NOT NULL,
        rank          INTEGER NOT NULL,
        total         INTEGER NOT NULL,
        d_incentive   REAL,
        d_system      REAL,
        d_culture     REAL,
        d_service     REAL,
        d_environment REAL,
        note          TEXT,
        created_at    TEXT NOT NULL,
        updated_at    TEXT NOT NULL,
        deleted       INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX monitoring_results_month ON monitoring_results(month) WHERE deleted = 0;

      CREATE TABLE metric_values (
        id         TEXT PRIMARY KEY,
        metric     TEXT NOT NULL,
        month      TEXT NOT NULL,
        value      REAL NOT NULL,
        base       REAL,
        note       TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX metric_values_metric ON metric_values(metric, month) WHERE deleted = 0;

      -- metric key → target (JSON object); missing keys use the defaults in labels.ts
      ALTER TABLE workspace ADD COLUMN metric_targets TEXT NOT NULL DEFAULT '{}';

      CREATE TABLE weak_point_decisions (
        id         TEXT PRIMARY KEY,
        month      TEXT NOT NULL,
        dimension  TEXT NOT NULL,
        decision   TEXT NOT NULL,
        rect_id    TEXT REFERENCES rectifications(id),
        task_id    TEXT REFERENCES tasks(id),
        note       TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted    INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX weak_point_decisions_month ON weak_point_decisions(month) WHERE deleted = 0;
    `);
    const versions = db
      .prepare(
        `SELECT system_version AS version, MIN(created_at) AS created, MAX(updated_at) AS updated
         FROM indicators GROUP BY system_version`,
      )
      .all() as { version: string; created: string; updated: string }[];
    const add = db.prepare(
      'INSERT INTO indicator_systems (id, version, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)',
    );
    for (const v of versions)
      add.run(systemId(v.version), v.version, `指标体系（${v.version}）`, v.created, v.updated);
  },
};
