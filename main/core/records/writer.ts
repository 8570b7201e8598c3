/**
 * THE write path. Every change to a synced record goes through `Writer.transact`, which in one
 * SQLite transaction writes the row, and for each changed field one `changes` row holding the
 * audit entry (who, when, entity, field, old → new) and the field's hybrid-logical-clock stamp
 * for per-field last-writer-wins sync. If anything throws, neither the row nor the audit exists.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/open';
import { AppError } from '../util/errors';
import type { Hlc } from '../util/hlc';
import { uuidv7 } from '../util/ids';
import { ENTITIES, entityDef, type EntityName, type FieldDef, type FieldsOf } from './entities';

export interface Actor {
  id: string | null;
  name: string;
}

export type Values<E extends EntityName> = Partial<Record<FieldsOf<E>, unknown>>;
type Op = 'create' | 'update' | 'delete' | 'restore';

export interface Tx {
  readonly txId: string;
  readonly at: string;
  readonly actor: Actor;
  /** Inserts a new record; returns its id (UUIDv7 unless given). */
  insert<E extends EntityName>(entity: E, values: Values<E>, id?: string): string;
  /** Updates the given fields; returns the names of fields whose value changed. */
  update<E extends EntityName>(entity: E, id: string, patch: Values<E>): string[];
  /** Marks a record deleted (deletion is a field, so sync can merge it). */
  remove(entity: EntityName, id: string): boolean;
  /** Clears the deleted mark. */
  restore(entity: EntityName, id: string): boolean;
  /** Reads the current row (raw columns) or undefined. */
  get(entity: EntityName, id: string): Record<string, unknown> | undefined;
}

/** A change pulled from the server (the protocol's Change without the server's bookkeeping). */
export interface RemoteChange {
  txId: string;
  entity: string;
  entityId: string;
  field: string;
  /** JSON-encoded value, as `changes.new_value`. */
  value: string | null;
  stamp: string;
  op: Op;
  at: string;
  actorId: string | null;
  actorName: string;
}

/** meta key of the newest stamp received from other laptops (seeds the clock on open). */
export const HLC_HIGH_KEY = 'hlc_high';

/**
 * Winning stamps kept in memory while a new laptop's empty database is filled (clone): every
 * change there came from the pull, so the look-ups in the change log (whose indexes are built
 * after the load) are answered from here instead, and a record not in here has no row yet.
 */
export interface ApplyMemo {
  /** entityId → its record as the pulled changes left it (a row exists for every entry). */
  records: Map<string, RecordMemo>;
}

interface RecordMemo {
  /** field → winning stamp */
  win: Map<string, string>;
  /** The winning `deleted` value and stamp. */
  deleted: { v: string | null; stamp: string } | null;
  /** The newest stamp of its other fields. */
  other: string | null;
}

export function newApplyMemo(): ApplyMemo {
  return { records: new Map() };
}

/** Rows per multi-row INSERT of the change log (8 values each, plus the 4 of the transaction). */
const LOG_ROWS = 64;
/** Values per multi-row INSERT of a synced table. */
const ROW_VALUES = 1000;

export interface ApplyRemoteResult {
  /** Remote values written (newer than the field's winning stamp). */
  applied: number;
  /** Remote values older than the field's winning stamp: kept in history with applied = 0. */
  lost: number;
  /** Changes this laptop already had (a re-pulled page). */
  duplicates: number;
  /** Records deleted here that a newer remote edit brought back. */
  revived: number;
  /** Records a winning remote deletion removed. */
  deleted: number;
  /** Local values a newer remote value replaced (their change rows marked applied = 0). */
  overwritten: number;
  entities: EntityName[];
}

export interface TransactResult<T> {
  value: T;
  entities: EntityName[];
  txId: string;
}

function toDb(def: FieldDef, v: unknown): unknown {
  if (v === undefined || v === null) return def.type === 'json' ? 'null' : null;
  switch (def.type) {
    case 'bool':
      return v ? 1 : 0;
    case 'json':
      return JSON.stringify(v);
    case 'int':
    case 'real':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`not a number: ${String(v)}`);
      return def.type === 'int' ? Math.trunc(v) : v;
    case 'text':
      return String(v);
  }
}

/** Converts a raw column value to the JS value used in audit entries and API objects. */
export function fromDb(def: FieldDef, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  switch (def.type) {
    case 'bool':
      return v === 1 || v === true;
    case 'json':
      return typeof v === 'string' ? JSON.parse(v) : v;
    default:
      return v;
  }
}

export class Writer {
  private stmtCache = new Map<string, Statement<unknown[]>>();
  private logInserts: Statement<unknown[]>[] = [];

  constructor(
    private readonly db: Db,
    private readonly hlc: Hlc,
    private readonly clock: () => Date = () => new Date(),
    private readonly onCommit?: (entities: EntityName[]) => void,
  ) {}

  private stmt(sql: string): Statement<unknown[]> {
    let s = this.stmtCache.get(sql);
    if (!s) {
      s = this.db.prepare<unknown[]>(sql);
      this.stmtCache.set(sql, s);
    }
    return s;
  }

  transact<T>(actor: Actor, fn: (tx: Tx) => T): TransactResult<T> {
    const touched = new Set<EntityName>();
    const txId = uuidv7();
    const at = this.clock().toISOString();
    const logStmt = this.stmt(
      `INSERT INTO changes (tx_id, at, actor_id, actor_name, entity, entity_id, op, field, old_value, new_value, stamp)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const log = (entity: EntityName, id: string, op: Op, field: string, oldV: unknown, newV: unknown) => {
      logStmt.run(
        txId,
        at,
        actor.id,
        actor.name,
        entity,
        id,
        op,
        field,
        oldV === undefined ? null : JSON.stringify(oldV),
        JSON.stringify(newV ?? null),
        this.hlc.now(),
      );
    };

    const get = (entity: EntityName, id: string) =>
      this.stmt(`SELECT * FROM ${ENTITIES[entity].table} WHERE id = ?`).get(id) as
        Record<string, unknown> | undefined;

    const fieldsOf = (entity: EntityName, keys: string[]) => {
      const defs = ENTITIES[entity].fields as Record<string, FieldDef>;
      return keys.map((k) => {
        const def = defs[k];
        if (!def) throw new Error(`unknown field ${entity}.${k}`);
        return [k, def] as const;
      });
    };

    const setFields = (entity: EntityName, id: string, patch: Record<string, unknown>, op: Op): string[] => {
      const row = get(entity, id);
      if (!row) throw new AppError('NOT_FOUND', `${ENTITIES[entity].label}不存在或已被删除（${id}）。`);
      const changed: { col: string; dbValue: unknown; oldV: unknown; newV: unknown }[] = [];
      for (const [col, def] of fieldsOf(
        entity,
        Object.keys(patch).filter((k) => patch[k] !== undefined),
      )) {
        const dbValue = toDb(def, patch[col]);
        const current = row[col] === undefined ? null : row[col];
        if (current === dbValue) continue;
        changed.push({ col, dbValue, oldV: fromDb(def, current), newV: fromDb(def, dbValue) });
      }
      if (changed.length === 0) return [];
      const sets = changed.map((c) => `${c.col} = ?`).join(', ');
      this.stmt(`UPDATE ${ENTITIES[entity].table} SET ${sets}, updated_at = ? WHERE id = ?`).run(
        ...changed.map((c) => c.dbValue),
        at,
        id,
      );
      for (const c of changed) log(entity, id, op, c.col, c.oldV, c.newV);
      touched.add(entity);
      return changed.map((c) => c.col);
    };

    const tx: Tx = {
      txId,
      at,
      actor,
      get,
      insert: (entity, values, givenId) => {
        const id = givenId ?? uuidv7();
        const entries = fieldsOf(
          entity,
          Object.keys(values).filter((k) => (values as Record<string, unknown>)[k] !== undefined),
        );
        const cols = entries.map(([c]) => c);
        const dbValues = entries.map(([c, def]) => toDb(def, (values as Record<string, unknown>)[c]));
        const placeholders = cols.map(() => '?').join(', ');
        this.stmt(
          `INSERT INTO ${ENTITIES[entity].table} (id, ${cols.join(', ')}${cols.length ? ', ' : ''}created_at, updated_at)
           VALUES (?, ${placeholders}${cols.length ? ', ' : ''}?, ?)`,
        ).run(id, ...dbValues, at, at);
        entries.forEach(([c, def], i) => log(entity, id, 'create', c, undefined, fromDb(def, dbValues[i])));
        touched.add(entity);
        return id;
      },
      update: (entity, id, patch) => {
        if ('deleted' in patch) throw new Error('use remove/restore to change deleted');
        return setFields(entity, id, patch as Record<string, unknown>, 'update');
      },
      remove: (entity, id) => setFields(entity, id, { deleted: true }, 'delete').length > 0,
      restore: (entity, id) => setFields(entity, id, { deleted: false }, 'restore').length > 0,
    };

    const value = this.db.transaction(() => fn(tx))();
    const entities = [...touched];
    if (entities.length > 0) this.onCommit?.(entities);
    return { value, entities, txId };
  }

  /**
   * Applies changes pulled from the server in ONE transaction, per field last-writer-wins by
   * stamp: a value newer than the field's winning stamp (the max stamp of its applied changes) is
   * written to the row (the row is inserted when missing) and logged with origin 'remote' and the
   * remote stamp; an older one is logged with applied = 0 (the losing value stays in history);
   * a local value replaced by a newer remote one keeps its change row, marked applied = 0.
   * Deletion is the field `deleted`, effective only while its stamp is newer than every other
   * field's: an edit after a delete brings the record back (counted as revived) on every laptop
   * alike. Every remote stamp advances the clock (`Hlc.receive` refuses stamps far ahead).
   * Changes already present (same record, field and stamp) are skipped.
   */
  applyRemote(changes: readonly RemoteChange[], memo?: ApplyMemo): ApplyRemoteResult {
    const result: ApplyRemoteResult = {
      applied: 0,
      lost: 0,
      duplicates: 0,
      revived: 0,
      deleted: 0,
      overwritten: 0,
      entities: [],
    };
    if (changes.length === 0) return result;
    const touched = new Set<EntityName>();
    const dupStmt = this.stmt(
      'SELECT 1 FROM changes WHERE entity_id = ? AND field = ? AND applied IN (0, 1) AND stamp = ?',
    );
    const winStmt = this.stmt(
      'SELECT MAX(stamp) AS s FROM changes WHERE entity_id = ? AND field = ? AND applied = 1',
    );
    const anyStmt = this.stmt('SELECT 1 FROM changes WHERE entity_id = ? LIMIT 1');
    const demoteStmt = this.stmt(
      "UPDATE changes SET applied = 0 WHERE entity_id = ? AND field = ? AND applied = 1 AND stamp = ? AND origin = 'local'",
    );
    const delWinStmt = this.stmt(
      "SELECT new_value AS v, stamp FROM changes WHERE entity_id = ? AND field = 'deleted' AND applied = 1 ORDER BY stamp DESC LIMIT 1",
    );
    const otherMaxStmt = this.stmt(
      "SELECT MAX(stamp) AS s FROM changes WHERE entity_id = ? AND field != 'deleted' AND applied = 1",
    );

    // The change log is written in multi-row INSERTs (rows in order; the transaction's txId, at
    // and actor bound once per statement), flushed before the log is read and at the end.
    let head: RemoteChange | null = null;
    const logRows: unknown[] = [];
    let logCount = 0;
    const flushLog = () => {
      if (logCount === 0) return;
      const h = head!;
      this.logInsert(logCount).run(h.txId, h.at, h.actorId, h.actorName, ...logRows);
      logRows.length = 0;
      logCount = 0;
    };
    const log = (c: RemoteChange, oldV: unknown, applied: 0 | 1) => {
      if (
        logCount > 0 &&
        (c.txId !== head!.txId ||
          c.at !== head!.at ||
          c.actorId !== head!.actorId ||
          c.actorName !== head!.actorName ||
          logCount === LOG_ROWS)
      )
        flushLog();
      if (logCount === 0) head = c;
      logRows.push(
        c.entity,
        c.entityId,
        c.op,
        c.field,
        oldV === undefined ? null : JSON.stringify(oldV),
        c.value,
        c.stamp,
        applied,
      );
      logCount++;
    };

    // New rows are inserted in multi-row INSERTs, consecutive rows of one table and column list
    // together, in order (a row inserted before a row it references would make SQLite look for
    // the children of every later row); nothing reads them before the end (a page holds each
    // record once).
    let insertKey = '';
    let insert: { table: string; cols: string[]; values: unknown[]; rows: number } | null = null;
    const flushInsert = () => {
      if (!insert || insert.rows === 0) return;
      this.rowInsert(insert.table, insert.cols, insert.rows).run(...insert.values);
      insert.values.length = 0;
      insert.rows = 0;
    };
    const insertRow = (table: string, cols: string[], values: unknown[]) => {
      const key = `${table}(${cols.join(',')})`;
      if (key !== insertKey || !insert || insert.values.length + values.length > ROW_VALUES) {
        flushInsert();
        insertKey = key;
        insert = { table, cols, values: [], rows: 0 };
      }
      for (const v of values) insert.values.push(v);
      insert.rows++;
    };

    // Records in order of first appearance; a page never splits a transaction, so every field
    // of a record created remotely arrives together.
    const records = new Map<string, RemoteChange[]>();
    let list: RemoteChange[] | undefined;
    let prev: RemoteChange | undefined;
    for (const c of changes) {
      if (!prev || c.entityId !== prev.entityId || c.entity !== prev.entity) {
        const key = `${c.entity}\u0000${c.entityId}`;
        list = records.get(key);
        if (!list) records.set(key, (list = []));
      }
      list!.push(c);
      prev = c;
    }

    let newest = '';
    for (const c of changes) if (c.stamp > newest) newest = c.stamp;
    // the newest stamp bounds them all: one drift check, and the clock moves past every one
    this.hlc.receive(newest);
    this.db.transaction(() => {
      // rows may arrive before the rows they reference (in seq order, but across records)
      this.db.pragma('defer_foreign_keys = ON');
      // the clock restarts after the newest stamp received (see Hlc.seed)
      this.stmt(
        `INSERT INTO meta (key, value) VALUES ('${HLC_HIGH_KEY}', ?)
         ON CONFLICT(key) DO UPDATE SET value = MAX(value, excluded.value)`,
      ).run(newest);
      for (const list of records.values()) {
        const first = list[0]!;
        const def = entityDef(first.entity);
        const entity = first.entity as EntityName;
        const id = first.entityId;
        const rec = memo?.records.get(id);
        // (a clone's record not in the memo has no row yet)
        const row =
          def && (!memo || rec)
            ? (this.stmt(`SELECT * FROM ${def.table} WHERE id = ?`).get(id) as
                Record<string, unknown> | undefined)
            : undefined;
        // A record this laptop never saw has no history: skip the per-field look-ups.
        const known = row !== undefined || (!memo && anyStmt.get(id) !== undefined);
        const winners = new Map<string, { c: RemoteChange; prev: string | null }>();
        for (const c of list) {
          const fdef = def?.fields[c.field];
          const seen = memo
            ? rec?.win.get(c.field) === c.stamp
            : known && dupStmt.get(id, c.field, c.stamp) !== undefined;
          if (seen) {
            result.duplicates++;
            continue;
          }
          if (!def || !fdef) {
            // written by a newer version of the app: keep it in history, write nothing
            log(c, undefined, 0);
            result.lost++;
            continue;
          }
          const inTx = winners.get(c.field);
          const stored = inTx
            ? null
            : memo
              ? (rec?.win.get(c.field) ?? null)
              : known
                ? ((winStmt.get(id, c.field) as { s: string | null }).s ?? null)
                : null;
          const best = inTx ? inTx.c.stamp : stored;
          if (best !== null && c.stamp <= best) {
            if (c.stamp === best) {
              result.duplicates++;
              continue;
            }
            log(c, row ? fromDb(fdef, row[c.field]) : undefined, 0);
            result.lost++;
            continue;
          }
          if (inTx) log(inTx.c, row ? fromDb(fdef, row[c.field]) : undefined, 1);
          winners.set(c.field, { c, prev: inTx ? inTx.prev : stored });
        }
        if (!def || winners.size === 0) continue;

        // the winning values (deleted is settled below)
        const cols: string[] = [];
        const vals: unknown[] = [];
        let at = '';
        let mem = rec;
        if (memo && !mem) memo.records.set(id, (mem = { win: new Map(), deleted: null, other: null }));
        for (const [field, { c, prev }] of winners) {
          const fdef = def.fields[field]!;
          log(c, row ? fromDb(fdef, row[field]) : undefined, 1);
          result.applied++;
          if (c.at > at) at = c.at;
          if (mem) {
            mem.win.set(field, c.stamp);
            if (field === 'deleted') mem.deleted = { v: c.value, stamp: c.stamp };
            else if (mem.other === null || c.stamp > mem.other) mem.other = c.stamp;
          } else if (prev !== null && row && demoteStmt.run(id, field, prev).changes > 0) {
            if (JSON.stringify(fromDb(fdef, row[field])) !== (c.value ?? 'null')) result.overwritten++;
          }
          if (field === 'deleted') continue;
          cols.push(field);
          vals.push(toDb(fdef, c.value === null ? null : JSON.parse(c.value)));
        }

        // deletion: effective while the winning `deleted = true` is newer than every other field
        const before = row ? row.deleted === 1 : false;
        let effective = before;
        const settle = 'deleted' in def.fields && (winners.has('deleted') || before);
        if (settle) {
          if (!mem) flushLog(); // the look-ups below read this record's new log rows
          const del = mem
            ? mem.deleted
            : (delWinStmt.get(id) as { v: string | null; stamp: string } | undefined);
          effective = false;
          if (del && del.v === 'true') {
            const other = mem ? mem.other : (otherMaxStmt.get(id) as { s: string | null }).s;
            effective = other === null || del.stamp > other;
          }
        }

        if (row) {
          if (cols.length > 0) {
            if (effective !== before) cols.push('deleted');
            this.stmt(
              `UPDATE ${def.table} SET ${cols.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`,
            ).run(...vals, ...(effective !== before ? [effective ? 1 : 0] : []), at, id);
          } else if (effective !== before) {
            this.stmt(`UPDATE ${def.table} SET deleted = ? WHERE id = ?`).run(effective ? 1 : 0, id);
          }
        } else {
          if (settle) {
            cols.push('deleted');
            vals.push(effective ? 1 : 0);
          }
          insertRow(def.table, cols, [id, ...vals, at, at]);
        }
        touched.add(entity);
        if (before && !effective) result.revived++;
        if (!before && effective && row) result.deleted++;
      }
      flushLog();
      flushInsert();
    })();
    result.entities = [...touched];
    if (result.entities.length > 0) this.onCommit?.(result.entities);
    return result;
  }

  /** INSERT of `n` rows of remote changes into the log (see applyRemote). */
  private logInsert(n: number): Statement<unknown[]> {
    let st = this.logInserts[n];
    if (st) return st;
    st = this.stmt(
      `INSERT INTO changes (tx_id, at, actor_id, actor_name, entity, entity_id, op, field, old_value, new_value, stamp, origin, applied)
       SELECT ?, ?, ?, ?, column1, column2, column3, column4, column5, column6, column7, 'remote', column8
         FROM (VALUES ${Array.from({ length: n }, () => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')})`,
    );
    this.logInserts[n] = st;
    return st;
  }

  /** INSERT of `n` new rows of a synced table (id, the columns, created_at, updated_at). */
  private rowInsert(table: string, cols: string[], n: number): Statement<unknown[]> {
    const one = `(?, ${cols.map(() => '?, ').join('')}?, ?)`;
    return this.stmt(
      `INSERT INTO ${table} (id, ${cols.map((c) => `${c}, `).join('')}created_at, updated_at)
       VALUES ${Array.from({ length: n }, () => one).join(', ')}`,
    );
  }
}
