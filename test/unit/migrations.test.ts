/**
 * One test per migration file (apply up to N-1, insert rows, apply N, check schema and data),
 * plus the rules around migrating: backup first, refuse newer databases, roll back a failing step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, LATEST_VERSION, openDb, runMigrations, type Db } from '../../main/core/db/open';
import { migrations, type Migration } from '../../main/core/db/migrations/index';
import { systemId } from '../../main/core/db/migrations/0008-indicators-monitoring';
import { AppError } from '../../main/core/util/errors';
import { callError, coreWithWorkspace, isChinese, makeCore, call, tempDir } from '../helpers/core';

const MIGRATIONS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../main/core/db/migrations',
);

type Db3 = Db;

function freshDb(): { db: Db3; file: string } {
  const file = path.join(tempDir(), 'm.sqlite');
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  return { db, file };
}

const userVersion = (db: Db3) => db.pragma('user_version', { simple: true }) as number;

function tables(db: Db3): string[] {
  return (
    db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .all() as {
      name: string;
    }[]
  ).map((r) => r.name);
}

function columns(
  db: Db3,
  table: string,
): Record<string, { type: string; notnull: number; pk: number; dflt_value: unknown }> {
  const rows = db.prepare(`PRAGMA table_info(${table})`).all() as {
    name: string;
    type: string;
    notnull: number;
    pk: number;
    dflt_value: unknown;
  }[];
  return Object.fromEntries(rows.map((r) => [r.name, r]));
}

function indexes(db: Db3, table: string): Record<string, string> {
  const rows = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL")
    .all(table) as { name: string; sql: string }[];
  return Object.fromEntries(rows.map((r) => [r.name, r.sql]));
}

function isStrict(db: Db3, table: string): boolean {
  const r = db.prepare('SELECT strict FROM pragma_table_list WHERE name = ?').get(table) as
    { strict: number } | undefined;
  return r?.strict === 1;
}

function expectColumns(db: Db3, table: string, expected: string[]): void {
  expect(Object.keys(columns(db, table)).sort()).toEqual([...expected].sort());
}

const SYNCED = ['created_at', 'updated_at', 'deleted'];
const T0 = '2027-01-01T00:00:00.000Z';

/** Inserts the rows every later migration must keep: meta, workspace, staff, a change. */
function seedV1(db: Db3): void {
  db.prepare(
    "INSERT INTO meta (key, value) VALUES ('workspace_id', 'ws-1'), ('node_id', 'node-a'), ('me_staff_id', 'st-1')",
  ).run();
  db.prepare(
    `INSERT INTO workspace (id, name, city, admin_code, campaign_name, period_start, period_end, ranking_target,
       indicator_version, template_id, created_at, updated_at)
     VALUES ('ws-1', '旧工作区', '琼海市', '469002', '创建示范区', '2027-01-01', '2027-12-31', 50, '2021', NULL, ?, ?)`,
  ).run(T0, T0);
  db.prepare(
    "INSERT INTO staff (id, name, role, created_at, updated_at) VALUES ('st-1', '李明', '项目负责人', ?, ?), ('st-2', '王芳', '驻场顾问', ?, ?)",
  ).run(T0, T0, T0, T0);
  db.prepare(
    `INSERT INTO changes (tx_id, at, actor_id, actor_name, entity, entity_id, op, field, old_value, new_value, stamp)
     VALUES ('tx-1', ?, 'st-1', '李明', 'workspace', 'ws-1', 'create', 'name', NULL, '"旧工作区"', '1700000000000-0000-node-a')`,
  ).run(T0);
}

function expectV1Data(db: Db3): void {
  expect(db.prepare('SELECT key, value FROM meta ORDER BY key').all()).toEqual([
    { key: 'me_staff_id', value: 'st-1' },
    { key: 'node_id', value: 'node-a' },
    { key: 'workspace_id', value: 'ws-1' },
  ]);
  expect(db.prepare('SELECT name, city, ranking_target, deleted FROM workspace').all()).toEqual([
    { name: '旧工作区', city: '琼海市', ranking_target: 50, deleted: 0 },
  ]);
  expect(db.prepare('SELECT id, name, active FROM staff ORDER BY id').all()).toEqual([
    { id: 'st-1', name: '李明', active: 1 },
    { id: 'st-2', name: '王芳', active: 1 },
  ]);
  expect(
    db.prepare('SELECT tx_id, actor_name, field, old_value, new_value, origin, applied FROM changes').all(),
  ).toEqual([
    {
      tx_id: 'tx-1',
      actor_name: '李明',
      field: 'name',
      old_value: null,
      new_value: '"旧工作区"',
      origin: 'local',
      applied: 1,
    },
  ]);
}

interface MigrationSpec {
  /** Rows written at version N-1 (the previous migrations applied). */
  before(db: Db3): void;
  /** Schema and data checks at version N. */
  after(db: Db3): void;
}

/** One entry per migration file. Adding a migration without adding its spec fails the test below. */
const SPECS: Record<number, MigrationSpec> = {
  1: {
    before(db) {
      expect(tables(db)).toEqual([]);
    },
    after(db) {
      expect(tables(db)).toEqual(['changes', 'meta', 'staff', 'workspace']);
      expectColumns(db, 'meta', ['key', 'value']);
      expectColumns(db, 'workspace', [
        'id',
        'name',
        'city',
        'admin_code',
        'campaign_name',
        'period_start',
        'period_end',
        'ranking_target',
        'indicator_version',
        'template_id',
        ...SYNCED,
      ]);
      expectColumns(db, 'staff', ['id', 'name', 'role', 'phone', 'email', 'active', ...SYNCED]);
      expectColumns(db, 'changes', [
        'id',
        'tx_id',
        'at',
        'actor_id',
        'actor_name',
        'entity',
        'entity_id',
        'op',
        'field',
        'old_value',
        'new_value',
        'stamp',
        'origin',
        'applied',
      ]);
      for (const t of ['meta', 'workspace', 'staff', 'changes']) expect(isStrict(db, t), t).toBe(true);
      expect(columns(db, 'changes').stamp!.notnull).toBe(1);
      expect(columns(db, 'changes').actor_name!.notnull).toBe(1);
      expect(Object.keys(indexes(db, 'changes')).sort()).toEqual(['changes_entity']);
      expect(indexes(db, 'changes').changes_entity).toMatch(/\(entity_id, id\)/);
      // the new schema takes the representative rows
      seedV1(db);
      expectV1Data(db);
      // op is constrained
      expect(() =>
        db
          .prepare(
            "INSERT INTO changes (tx_id, at, actor_name, entity, entity_id, op, field, stamp) VALUES ('t', 'a', 'x', 'task', 'i', 'bogus', 'f', 's')",
          )
          .run(),
      ).toThrow(/CHECK/);
      // STRICT: wrong types are refused
      expect(() =>
        db
          .prepare(
            "INSERT INTO staff (id, name, role, active, created_at, updated_at) VALUES ('s9', 'x', 'y', 'not-an-int', 'a', 'b')",
          )
          .run(),
      ).toThrow();
    },
  },
  2: {
    before(db) {
      seedV1(db);
    },
    after(db) {
      expect(tables(db)).toEqual([
        'changes',
        'departments',
        'indicators',
        'meta',
        'staff',
        'task_departments',
        'task_indicators',
        'tasks',
        'workspace',
      ]);
      expectColumns(db, 'departments', [
        'id',
        'name',
        'short_name',
        'aliases',
        'kind',
        'role',
        'contact',
        'phone',
        'sort',
        'archived',
        ...SYNCED,
      ]);
      expectColumns(db, 'indicators', [
        'id',
        'system_version',
        'code',
        'title',
        'kind',
        'parent_id',
        'points',
        'standard',
        'sort',
        ...SYNCED,
      ]);
      expectColumns(db, 'tasks', [
        'id',
        'code',
        'title',
        'description',
        'standard',
        'lead_dept_id',
        'due_date',
        'status',
        'priority',
        'recurrence',
        'progress',
        ...SYNCED,
      ]);
      expectColumns(db, 'task_departments', ['id', 'task_id', 'dept_id', ...SYNCED]);
      expectColumns(db, 'task_indicators', ['id', 'task_id', 'indicator_id', ...SYNCED]);
      for (const t of ['departments', 'indicators', 'tasks', 'task_departments', 'task_indicators']) {
        expect(isStrict(db, t), t).toBe(true);
      }
      expect(columns(db, 'departments').aliases!.dflt_value).toBe("'[]'");
      expect(columns(db, 'tasks').status!.dflt_value).toBe("'draft'");
      expect(Object.keys(indexes(db, 'tasks')).sort()).toEqual([
        'tasks_dept_status',
        'tasks_due',
        'tasks_status_due',
      ]);
      expect(indexes(db, 'tasks').tasks_dept_status).toMatch(/WHERE deleted = 0/);
      expect(Object.keys(indexes(db, 'departments'))).toEqual(['departments_sort']);
      expect(Object.keys(indexes(db, 'indicators'))).toEqual(['indicators_version']);
      expect(Object.keys(indexes(db, 'task_departments')).sort()).toEqual([
        'task_departments_dept',
        'task_departments_task',
      ]);
      expect(Object.keys(indexes(db, 'task_indicators')).sort()).toEqual([
        'task_indicators_indicator',
        'task_indicators_task',
      ]);
      const fks = (t: string) =>
        (db.prepare(`PRAGMA foreign_key_list(${t})`).all() as { table: string; from: string }[])
          .map((f) => `${f.from}->${f.table}`)
          .sort();
      expect(fks('tasks')).toEqual(['lead_dept_id->departments']);
      expect(fks('task_departments')).toEqual(['dept_id->departments', 'task_id->tasks']);
      expect(fks('task_indicators')).toEqual(['indicator_id->indicators', 'task_id->tasks']);
      expect(fks('indicators')).toEqual(['parent_id->indicators']);

      // earlier data survived untouched
      expectV1Data(db);

      // the new tables work together, and foreign keys hold
      db.prepare(
        "INSERT INTO departments (id, name, created_at, updated_at) VALUES ('d1', '市发展和改革委员会', ?, ?)",
      ).run(T0, T0);
      db.prepare(
        "INSERT INTO indicators (id, system_version, code, title, kind, created_at, updated_at) VALUES ('i1', '2021', '基础-01', '依法', 'basic', ?, ?)",
      ).run(T0, T0);
      db.prepare(
        "INSERT INTO tasks (id, code, title, lead_dept_id, created_at, updated_at) VALUES ('t1', 'RW-001', '编制工作要点', 'd1', ?, ?)",
      ).run(T0, T0);
      db.prepare(
        "INSERT INTO task_departments (id, task_id, dept_id, created_at, updated_at) VALUES ('td1', 't1', 'd1', ?, ?)",
      ).run(T0, T0);
      db.prepare(
        "INSERT INTO task_indicators (id, task_id, indicator_id, created_at, updated_at) VALUES ('ti1', 't1', 'i1', ?, ?)",
      ).run(T0, T0);
      expect(
        db.prepare("SELECT status, priority, recurrence, progress, deleted FROM tasks WHERE id = 't1'").get(),
      ).toEqual({
        status: 'draft',
        priority: 'normal',
        recurrence: 'none',
        progress: 0,
        deleted: 0,
      });
      expect(() =>
        db
          .prepare(
            "INSERT INTO tasks (id, code, title, lead_dept_id, created_at, updated_at) VALUES ('t2', 'x', 'y', 'nope', 'a', 'b')",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
      expect(() =>
        db
          .prepare(
            "INSERT INTO indicators (id, system_version, code, title, kind, created_at, updated_at) VALUES ('i2', 'v', 'c', 't', 'weird', 'a', 'b')",
          )
          .run(),
      ).toThrow(/CHECK/);
    },
  },
  3: {
    before(db) {
      seedV1(db);
      db.prepare(
        "INSERT INTO departments (id, name, created_at, updated_at) VALUES ('d1', '市发展和改革委员会', ?, ?)",
      ).run(T0, T0);
      const ins = db.prepare(
        'INSERT INTO tasks (id, code, title, lead_dept_id, due_date, created_at, updated_at, deleted) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      );
      ins.run('t1', 'RW-002', '晚到期', 'd1', '2027-03-31', T0, T0, 0);
      ins.run('t2', 'RW-001', '无期限', 'd1', null, T0, T0, 0);
      ins.run('t3', 'RW-003', '早到期', 'd1', '2027-01-31', T0, T0, 0);
      ins.run('t4', 'RW-004', '已删除', 'd1', '2026-12-31', T0, T0, 1);
    },
    after(db) {
      expect(indexes(db, 'tasks').tasks_list_order).toMatch(
        /\(due_date IS NULL, due_date, code\) WHERE deleted = 0/,
      );
      // the list's default order is served by the new index (no temp b-tree sort)
      const sql =
        'SELECT id FROM tasks t WHERE t.deleted = 0 ORDER BY t.due_date IS NULL, t.due_date, t.code LIMIT 50';
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map(
        (r) => r.detail,
      );
      expect(plan.join('\n')).toContain('tasks_list_order');
      expect(plan.join('\n')).not.toMatch(/TEMP B-TREE/);
      // existing rows kept and ordered: dated first by date, undated last, deleted hidden
      expect((db.prepare(sql).all() as { id: string }[]).map((r) => r.id)).toEqual(['t3', 't1', 't2']);
      expectV1Data(db);
    },
  },
  4: {
    before(db) {
      seedV1(db);
      db.prepare(
        "INSERT INTO departments (id, name, created_at, updated_at) VALUES ('d1', '市发展和改革委员会', ?, ?)",
      ).run(T0, T0);
      db.prepare(
        "INSERT INTO tasks (id, code, title, lead_dept_id, due_date, status, created_at, updated_at) VALUES ('t1', 'RW-001', '旧任务', 'd1', '2027-03-31', 'handling', ?, ?)",
      ).run(T0, T0);
    },
    after(db) {
      // existing tasks become one-off tasks; workspaces get the default light rules
      expect(
        db.prepare("SELECT kind, series_id, issued_at, status FROM tasks WHERE id = 't1'").get(),
      ).toEqual({
        kind: 'task',
        series_id: null,
        issued_at: null,
        status: 'handling',
      });
      const rules = db.prepare('SELECT light_rules FROM workspace').all() as { light_rules: string }[];
      expect(rules.length).toBeGreaterThan(0);
      for (const r of rules) expect(JSON.parse(r.light_rules)).toEqual({ yellowDays: 3, staleDays: 14 });
      for (const c of [
        'kind',
        'series_id',
        'period',
        'recur_start',
        'recur_end',
        'parent_id',
        'issued_at',
        'done_at',
        'last_activity_at',
      ]) {
        expect(columns(db, 'tasks')[c], c).toBeDefined();
      }
      expect(tables(db)).toEqual(
        expect.arrayContaining([
          'task_steps',
          'task_feedback',
          'attachments',
          'rectifications',
          'rectification_tasks',
          'rectification_indicators',
          'dispatch_weeks',
        ]),
      );
      for (const t of ['task_steps', 'task_feedback', 'attachments', 'rectifications', 'dispatch_weeks']) {
        expect(isStrict(db, t), t).toBe(true);
        expectColumns(db, t, [...Object.keys(columns(db, t)).filter((c) => !SYNCED.includes(c)), ...SYNCED]);
      }
      expect(Object.keys(indexes(db, 'tasks'))).toEqual(
        expect.arrayContaining(['tasks_series', 'tasks_kind_due', 'tasks_done_at']),
      );
      expect(columns(db, 'rectifications').status!.dflt_value).toBe("'open'");
      // the new tables take rows and keep foreign keys
      db.prepare(
        "INSERT INTO task_steps (id, task_id, action, from_status, to_status, at, actor_name, created_at, updated_at) VALUES ('s1', 't1', 'report', 'handling', 'feedback', ?, '李明', ?, ?)",
      ).run(T0, T0, T0);
      expect(() =>
        db
          .prepare(
            "INSERT INTO task_feedback (id, task_id, text, at, actor_name, created_at, updated_at) VALUES ('f1', 'nope', 'x', 'a', 'b', 'c', 'd')",
          )
          .run(),
      ).toThrow(/FOREIGN KEY/);
      db.prepare(
        "INSERT INTO rectifications (id, code, source, problem, dept_id, created_at, updated_at) VALUES ('r1', 'ZG-001', 'inspection', '问题', 'd1', ?, ?)",
      ).run(T0, T0);
      db.prepare(
        "INSERT INTO rectification_tasks (id, rect_id, task_id, created_at, updated_at) VALUES ('rt1', 'r1', 't1', ?, ?)",
      ).run(T0, T0);
      expectV1Data(db);
    },
  },
  5: {
    before(db) {
      seedV1(db);
      db.prepare(
        "INSERT INTO departments (id, name, created_at, updated_at) VALUES ('d1', '市发展和改革委员会', ?, ?)",
      ).run(T0, T0);
      db.prepare(
        "INSERT INTO tasks (id, code, title, created_at, updated_at) VALUES ('t1', 'RW-001', '任务', ?, ?)",
      ).run(T0, T0);
      db.prepare(
        "INSERT INTO task_departments (id, task_id, dept_id, created_at, updated_at, deleted) VALUES ('l1', 't1', 'd1', ?, ?, 1)",
      ).run(T0, T0);
    },
    after(db) {
      for (const [table, index, col] of [
        ['task_departments', 'task_departments_task', 'task_id'],
        ['task_indicators', 'task_indicators_task', 'task_id'],
        ['rectification_tasks', 'rectification_tasks_rect', 'rect_id'],
        ['rectification_indicators', 'rectification_indicators_rect', 'rect_id'],
      ] as const) {
        const sql = indexes(db, table)[index]!;
        expect(sql, index).toMatch(new RegExp(`\\(${col}\\)$`));
        expect(sql, index).not.toMatch(/WHERE/);
        const plan = (
          db.prepare(`EXPLAIN QUERY PLAN SELECT id, deleted FROM ${table} WHERE ${col} = ?`).all('x') as {
            detail: string;
          }[]
        )
          .map((r) => r.detail)
          .join(' ');
        expect(plan, table).toContain(index);
      }
      expect(indexes(db, 'tasks').tasks_series).toMatch(/\(series_id, period\)$/);
      // a deleted link row is still found by its task
      expect(db.prepare("SELECT id FROM task_departments WHERE task_id = 't1'").all()).toEqual([
        { id: 'l1' },
      ]);
      expectV1Data(db);
    },
  },
};

const SPEC6: MigrationSpec = {
  before(db) {
    seedV1(db);
    db.prepare(
      "INSERT INTO tasks (id, code, title, status, done_at, created_at, updated_at) VALUES ('t6', 'RW-006', '已办结', 'done', '2027-03-31T18:30:00.000Z', ?, ?)",
    ).run(T0, T0);
    db.prepare(
      "INSERT INTO tasks (id, code, title, created_at, updated_at) VALUES ('t7', 'RW-007', '未办结', ?, ?)",
    ).run(T0, T0);
  },
  after(db) {
    // the completion day is the local calendar day of the completion instant
    const local = (() => {
      const d = new Date('2027-03-31T18:30:00.000Z');
      return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    })();
    expect(db.prepare("SELECT id, done_on FROM tasks WHERE id IN ('t6', 't7') ORDER BY id").all()).toEqual([
      { id: 't6', done_on: local },
      { id: 't7', done_on: null },
    ]);
    expect(indexes(db, 'tasks').tasks_supervision).toMatch(
      /\(\s*lead_dept_id, kind, status, due_date, done_on, last_activity_at, issued_at, created_at\s*\) WHERE deleted = 0/,
    );
    // the league pass reads it in department order: covering, no sort for the grouping
    const plan = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT x.d, COUNT(*) FROM (SELECT t.lead_dept_id AS d, t.status FROM tasks t
           WHERE t.deleted = 0 AND t.kind <> 'series' AND t.status <> 'draft' ORDER BY t.lead_dept_id LIMIT -1 OFFSET 0) x GROUP BY x.d`,
        )
        .all() as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('COVERING INDEX tasks_supervision');
    expect(plan).not.toContain('TEMP B-TREE');
    expectV1Data(db);
  },
};
SPECS[6] = SPEC6;

const SPEC7: MigrationSpec = {
  before(db) {
    seedV1(db);
    db.prepare(
      "INSERT INTO indicators (id, system_version, code, title, kind, points, created_at, updated_at) VALUES ('i1', '2025', '1.1', '信用承诺', 'scored', 2, ?, ?)",
    ).run(T0, T0);
  },
  after(db) {
    for (const t of [
      'materials',
      'material_tasks',
      'material_indicators',
      'doc_updates',
      'doc_snapshots',
      'doc_text',
      'doc_versions',
      'material_templates',
    ]) {
      expect(tables(db), t).toContain(t);
      expect(isStrict(db, t), t).toBe(true);
    }
    expectColumns(db, 'materials', [
      'id',
      'title',
      'type',
      'status',
      'owner_id',
      'tags',
      'template_id',
      ...SYNCED,
    ]);
    expectColumns(db, 'doc_updates', ['seq', 'doc_id', 'data', 'at', 'actor_id', 'origin']);
    expect(columns(db, 'doc_updates').seq!.pk).toBe(1);
    expect(indexes(db, 'doc_updates').doc_updates_doc).toMatch(/\(doc_id, seq\)$/);
    // an existing indicator gets the self-assessment fields with their defaults
    expect(
      db
        .prepare("SELECT code, status, self_score, score_note, narrative FROM indicators WHERE id = 'i1'")
        .get(),
    ).toEqual({ code: '1.1', status: 'in_progress', self_score: null, score_note: null, narrative: null });
    // a link to a missing material is refused
    expect(() =>
      db
        .prepare(
          "INSERT INTO material_indicators (id, material_id, indicator_id, created_at, updated_at) VALUES ('x', 'nope', 'i1', ?, ?)",
        )
        .run(T0, T0),
    ).toThrow(/FOREIGN KEY/);
    // updates of one document are read in order through the index
    const plan = (
      db
        .prepare('EXPLAIN QUERY PLAN SELECT seq, data FROM doc_updates WHERE doc_id = ? ORDER BY seq')
        .all('d') as {
        detail: string;
      }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('doc_updates_doc');
    expect(plan).not.toContain('TEMP B-TREE');
    expectV1Data(db);
  },
};
SPECS[7] = SPEC7;

const SPEC8: MigrationSpec = {
  before(db) {
    seedV1(db);
    db.prepare(
      "INSERT INTO indicators (id, system_version, code, title, kind, points, created_at, updated_at) VALUES ('i1', '2021', '基础-01', '依法', 'basic', NULL, ?, ?), ('i2', '2025', '1.1', '信用承诺', 'scored', 2, ?, ?)",
    ).run(T0, T0, T0, T0);
    db.prepare(
      "INSERT INTO departments (id, name, created_at, updated_at) VALUES ('d1', '市发展改革委', ?, ?)",
    ).run(T0, T0);
  },
  after(db) {
    for (const t of [
      'indicator_systems',
      'indicator_departments',
      'indicator_evidence',
      'evidence_materials',
      'monitoring_results',
      'metric_values',
      'weak_point_decisions',
    ]) {
      expect(tables(db), t).toContain(t);
      expect(isStrict(db, t), t).toBe(true);
    }
    expectColumns(db, 'monitoring_results', [
      'id',
      'month',
      'score',
      'rank',
      'total',
      'd_incentive',
      'd_system',
      'd_culture',
      'd_service',
      'd_environment',
      'note',
      ...SYNCED,
    ]);
    expectColumns(db, 'metric_values', ['id', 'metric', 'month', 'value', 'base', 'note', ...SYNCED]);
    // every version already present gets its system row, with the id derived from the version
    expect(
      db
        .prepare('SELECT id, version, name, scored_total, deleted FROM indicator_systems ORDER BY version')
        .all(),
    ).toEqual([
      { id: systemId('2021'), version: '2021', name: '指标体系（2021）', scored_total: null, deleted: 0 },
      { id: systemId('2025'), version: '2025', name: '指标体系（2025）', scored_total: null, deleted: 0 },
    ]);
    expect(systemId('2021')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(db.prepare('SELECT metric_targets FROM workspace').get()).toEqual({ metric_targets: '{}' });
    // owners must be real indicators and departments
    db.prepare(
      "INSERT INTO indicator_departments (id, indicator_id, dept_id, created_at, updated_at) VALUES ('x1', 'i1', 'd1', ?, ?)",
    ).run(T0, T0);
    expect(() =>
      db
        .prepare(
          "INSERT INTO indicator_departments (id, indicator_id, dept_id, created_at, updated_at) VALUES ('x2', 'i1', 'nope', ?, ?)",
        )
        .run(T0, T0),
    ).toThrow(/FOREIGN KEY/);
    expect(() =>
      db
        .prepare(
          "INSERT INTO indicator_evidence (id, indicator_id, title, created_at, updated_at) VALUES ('e1', 'nope', '文件', ?, ?)",
        )
        .run(T0, T0),
    ).toThrow(/FOREIGN KEY/);
    // a month's result is found through the index
    const plan = (
      db
        .prepare('EXPLAIN QUERY PLAN SELECT * FROM monitoring_results WHERE deleted = 0 ORDER BY month')
        .all() as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('monitoring_results_month');
    expectV1Data(db);
  },
};
SPECS[8] = SPEC8;

const SPEC9: MigrationSpec = {
  before(db) {
    seedV1(db);
    db.prepare("INSERT INTO doc_snapshots (doc_id, data, merged, at) VALUES ('m1', x'00', 0, ?)").run(T0);
    db.prepare("INSERT INTO doc_updates (doc_id, data, at) VALUES ('m2', x'00', ?)").run(T0);
  },
  after(db) {
    for (const t of ['sync_state', 'sync_docs', 'sync_blobs']) {
      expect(tables(db), t).toContain(t);
      expect(isStrict(db, t), t).toBe(true);
    }
    // one state row, nothing pushed or pulled yet
    expect(db.prepare('SELECT pull_cursor, pushed_id, doc_cursor, server_url FROM sync_state').all()).toEqual(
      [{ pull_cursor: 0, pushed_id: 0, doc_cursor: 0, server_url: null }],
    );
    // documents written before sync existed are sent once
    expect(db.prepare('SELECT doc_id, dirty FROM sync_docs ORDER BY doc_id').all()).toEqual([
      { doc_id: 'm1', dirty: 1 },
      { doc_id: 'm2', dirty: 1 },
    ]);
    // a local document write marks it unsent; a pulled one does not
    db.prepare("INSERT INTO doc_updates (doc_id, data, at) VALUES ('m1', x'00', ?)").run(T0);
    db.prepare("INSERT INTO doc_updates (doc_id, data, at, origin) VALUES ('m3', x'00', ?, 'remote')").run(
      T0,
    );
    expect(db.prepare('SELECT doc_id, dirty FROM sync_docs ORDER BY doc_id').all()).toEqual([
      { doc_id: 'm1', dirty: 2 },
      { doc_id: 'm2', dirty: 1 },
    ]);
    // a field's winning stamp is one index seek
    const plan = (
      db
        .prepare(
          "EXPLAIN QUERY PLAN SELECT MAX(stamp) FROM changes WHERE entity_id = 'x' AND field = 'title' AND applied = 1",
        )
        .all() as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('changes_field_stamp');
    expectV1Data(db);
  },
};
SPECS[9] = SPEC9;

const SPEC10: MigrationSpec = {
  before(db) {
    seedV1(db);
  },
  after(db) {
    for (const t of ['compliance_rule_sets', 'compliance_runs']) {
      expect(tables(db), t).toContain(t);
      expect(isStrict(db, t), t).toBe(true);
    }
    expectColumns(db, 'compliance_rule_sets', [
      'id',
      'code',
      'name',
      'category',
      'version',
      'definition',
      'builtin',
      ...SYNCED,
    ]);
    expectColumns(db, 'compliance_runs', [
      'id',
      'file_name',
      'rule_set_code',
      'rule_set_name',
      'rule_set_version',
      'category',
      'dept_id',
      'month',
      'rows',
      'error_rows',
      'warning_rows',
      'errors',
      'warnings',
      'rate',
      'wrong_codes',
      'result',
      'checked_at',
      ...SYNCED,
    ]);
    // a month's runs are found through the index
    const plan = (
      db
        .prepare("EXPLAIN QUERY PLAN SELECT * FROM compliance_runs WHERE month = '2026-11' AND deleted = 0")
        .all() as { detail: string }[]
    )
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('compliance_runs_month');
    expect(db.prepare('SELECT COUNT(*) AS n FROM compliance_rule_sets').get()).toEqual({ n: 0 });
    expectV1Data(db);
  },
};
SPECS[10] = SPEC10;

describe('migration files', () => {
  it('are numbered NNNN-name.ts, listed in order, and each has a spec in this test', () => {
    const files = fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}-.+\.ts$/.test(f))
      .sort();
    expect(files.length).toBe(migrations.length);
    expect(LATEST_VERSION).toBe(migrations.length);
    files.forEach((f, i) => {
      const m = migrations[i]!;
      expect(m.version, f).toBe(i + 1);
      expect(f).toBe(`${String(m.version).padStart(4, '0')}-${m.name}.ts`);
    });
    expect(
      Object.keys(SPECS)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(migrations.map((m) => m.version));
  });

  for (const m of migrations) {
    it(`${String(m.version).padStart(4, '0')}-${m.name}: applies on top of version ${m.version - 1}, keeps earlier data`, () => {
      const spec = SPECS[m.version];
      if (!spec) throw new Error(`no test spec for migration ${m.version}: add one to SPECS`);
      const { db } = freshDb();
      try {
        runMigrations(db, migrations, 0, m.version - 1);
        expect(userVersion(db)).toBe(m.version - 1);
        spec.before(db);
        runMigrations(db, migrations, m.version - 1, m.version);
        expect(userVersion(db)).toBe(m.version);
        spec.after(db);
        expect(db.pragma('foreign_key_check')).toEqual([]);
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
    });
  }

  it('runMigrations sets user_version after each step and skips applied ones', () => {
    const { db } = freshDb();
    try {
      for (const m of migrations) {
        runMigrations(db, migrations, userVersion(db), m.version);
        expect(userVersion(db)).toBe(m.version);
      }
      // running again from the latest version is a no-op (would fail with "table exists" otherwise)
      expect(() => runMigrations(db, migrations, LATEST_VERSION)).not.toThrow();
      expect(userVersion(db)).toBe(LATEST_VERSION);
    } finally {
      db.close();
    }
  });

  it('a migration that throws is rolled back: no partial schema, user_version unchanged', () => {
    const broken: Migration = {
      version: LATEST_VERSION + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        throw new Error('boom');
      },
    };
    const { db } = freshDb();
    try {
      runMigrations(db, migrations, 0);
      expect(() => runMigrations(db, [...migrations, broken], LATEST_VERSION)).toThrow('boom');
      expect(userVersion(db)).toBe(LATEST_VERSION);
      expect(tables(db)).not.toContain('half_done');
    } finally {
      db.close();
    }
  });
});

/** Creates a workspace database file at version 1 as an older program would have left it. */
function makeV1Workspace(dir: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'workspace.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`application_id = ${APPLICATION_ID}`);
  runMigrations(db, migrations, 0, 1);
  seedV1(db);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return file;
}

describe('migrating an existing database', () => {
  it('writes a backup at the old version before migrating, then migrates to LATEST', () => {
    const dir = tempDir();
    const file = makeV1Workspace(dir);
    const { db, preMigrationBackup, fromVersion } = openDb(file);
    try {
      expect(fromVersion).toBe(1);
      expect(userVersion(db)).toBe(LATEST_VERSION);
      expectV1Data(db);
      expect(preMigrationBackup).not.toBeNull();
      expect(path.dirname(preMigrationBackup!)).toBe(dir);
      expect(path.basename(preMigrationBackup!)).toMatch(/^workspace\.sqlite\.v1-\d{8}-\d{6}\.bak$/);
    } finally {
      db.close();
    }
    // the backup is a valid SQLite workspace file at the old version, with the old data
    const bytes = fs.readFileSync(preMigrationBackup!);
    expect(bytes.subarray(0, 16).toString('latin1')).toBe('SQLite format 3\u0000');
    const bak = new Database(preMigrationBackup!, { readonly: true });
    try {
      expect(bak.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(userVersion(bak)).toBe(1);
      expect(bak.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
      expect(tables(bak)).toEqual(['changes', 'meta', 'staff', 'workspace']);
      expectV1Data(bak);
    } finally {
      bak.close();
    }
  });

  it('writes no backup when nothing needs migrating, nor for a brand-new file', () => {
    const dir = tempDir();
    const file = path.join(dir, 'workspace.sqlite');
    const created = openDb(file, { create: true });
    expect(created.preMigrationBackup).toBeNull();
    expect(created.fromVersion).toBe(0);
    created.db.close();
    const again = openDb(file);
    expect(again.preMigrationBackup).toBeNull();
    expect(again.fromVersion).toBe(LATEST_VERSION);
    again.db.close();
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });

  it('if a migration fails, the database stays at the old version and the backup remains', () => {
    const dir = tempDir();
    const file = makeV1Workspace(dir);
    const failing: Migration = {
      version: 2,
      name: 'fails',
      up() {
        throw new Error('migration exploded');
      },
    };
    expect(() => openDb(file, { migrations: [migrations[0]!, failing] })).toThrow('migration exploded');
    const db = new Database(file, { readonly: true });
    try {
      expect(userVersion(db)).toBe(1);
      expectV1Data(db);
    } finally {
      db.close();
    }
    expect(fs.readdirSync(dir).some((f) => /^workspace\.sqlite\.v1-.*\.bak$/.test(f))).toBe(true);
  });

  it('the core opens an old workspace folder, migrating it with a backup beside it', async () => {
    const dir = path.join(tempDir(), 'old-ws');
    makeV1Workspace(dir);
    const { core } = makeCore();
    const summary = await call(core, 'workspace.open', { dir });
    expect(summary.schemaVersion).toBe(LATEST_VERSION);
    expect(summary.name).toBe('旧工作区');
    expect(summary.me?.name).toBe('李明');
    expect(summary.counts).toEqual({ departments: 0, tasks: 0, indicators: 0, staff: 2 });
    expect(core.workspace?.preMigrationBackup).toMatch(/\.v1-.*\.bak$/);
    expect(fs.existsSync(core.workspace!.preMigrationBackup!)).toBe(true);
    // the migrated workspace is usable
    const dept = await call(core, 'departments.create', { name: '市发展和改革委员会' });
    const task = await call(core, 'tasks.create', { title: '迁移后的任务', leadDeptId: dept.id });
    expect((await call(core, 'tasks.list', {})).rows.map((t) => t.id)).toEqual([task.id]);
  });
});

describe('a database written by a newer version', () => {
  function makeNewerWorkspace(dir: string, version = LATEST_VERSION + 1): string {
    const file = makeV1Workspace(dir);
    const db = new Database(file);
    runMigrations(db, migrations, 1);
    db.pragma(`user_version = ${version}`);
    db.close();
    return file;
  }

  it('is refused by openDb with DB_NEWER and a Chinese message, and left untouched', () => {
    const dir = tempDir();
    const file = makeNewerWorkspace(dir);
    const before = fs.readFileSync(file);
    let err: unknown;
    try {
      openDb(file);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('DB_NEWER');
    expect((err as AppError).message).toContain('更新版本');
    expect((err as AppError).message).toContain(String(LATEST_VERSION + 1));
    expect(isChinese((err as AppError).message)).toBe(true);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    // no pre-migration backup: nothing was migrated. (The read-only inspection leaves empty
    // -wal/-shm files beside a WAL database; they hold no data.)
    expect(fs.readdirSync(dir).filter((f) => f !== 'workspace.sqlite' && !/-(wal|shm)$/.test(f))).toEqual([]);
    const db = new Database(file, { readonly: true });
    expect(userVersion(db)).toBe(LATEST_VERSION + 1);
    db.close();
  });

  it('is refused by an older program (shorter migration list)', () => {
    const dir = tempDir();
    const file = makeNewerWorkspace(dir, 2);
    expect(() => openDb(file, { migrations: migrations.slice(0, 1) })).toThrow(
      expect.objectContaining({ code: 'DB_NEWER' }) as Error,
    );
  });

  it("is refused by the core's workspace.open, and the open workspace stays open", async () => {
    const { core } = await coreWithWorkspace();
    const current = core.workspace!.id;
    const dir = path.join(tempDir(), 'newer');
    makeNewerWorkspace(dir, LATEST_VERSION + 5);
    const err = await callError(core, 'workspace.open', { dir }, 'DB_NEWER');
    expect(err.message).toMatch(/更新版本的工作台/);
    expect(err.message).toContain('请先升级');
    expect(core.workspace?.id).toBe(current);
    expect((await call(core, 'tasks.list', {})).total).toBeGreaterThan(0);
    // and the last-opened workspace recorded is still the current one
    const info = await call(core, 'app.info', {});
    expect(info.workspace?.id).toBe(current);
  });
});
