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
import { ENTITIES, type EntityName, type FieldDef, type FieldsOf } from './entities';

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
}
