/**
 * Diagnosis printed by run.ts when a supervision target is missed: every SQL statement a core
 * command ran, with its time and EXPLAIN QUERY PLAN (recorded by wrapping the workspace
 * connection's prepare for the duration of one call), and a probe of what SQLite's 'localtime'
 * modifier costs per row on this machine.
 */
import type { Statement } from 'better-sqlite3';
import type { Core } from '../../main/core/core';
import type { Db } from '../../main/core/db/open';

export interface TracedStatement {
  sql: string;
  ms: number;
  calls: number;
  rows: number;
  plan: string[];
}

type Params = unknown[];

/** Runs `fn` while recording the statements it prepares on `db` and how long their runs take. */
export async function traceStatements(db: Db, fn: () => Promise<unknown>): Promise<TracedStatement[]> {
  const seen = new Map<string, { sql: string; ms: number; calls: number; rows: number; params: Params }>();
  const original = db.prepare.bind(db);
  const wrap = (sql: string, stmt: Statement<Params>) => {
    for (const method of ['all', 'get', 'run', 'iterate'] as const) {
      const run = (stmt[method] as (...a: Params) => unknown).bind(stmt);
      (stmt as unknown as Record<string, unknown>)[method] = (...args: Params) => {
        const t = performance.now();
        const out = run(...args);
        const e = seen.get(sql) ?? { sql, ms: 0, calls: 0, rows: 0, params: args };
        e.ms += performance.now() - t;
        e.calls++;
        e.rows += Array.isArray(out) ? out.length : out === undefined ? 0 : 1;
        seen.set(sql, e);
        return out;
      };
    }
    return stmt;
  };
  (db as unknown as { prepare: (sql: string) => Statement<Params> }).prepare = (sql: string) =>
    wrap(sql, original(sql) as Statement<Params>);
  try {
    await fn();
  } finally {
    (db as unknown as { prepare: unknown }).prepare = original;
  }
  return [...seen.values()]
    .map((e) => {
      let plan: string[];
      try {
        plan = (db.prepare(`EXPLAIN QUERY PLAN ${e.sql}`).all(...e.params) as { detail: string }[]).map(
          (r) => r.detail,
        );
      } catch (err) {
        plan = [`(no plan: ${(err as Error).message})`];
      }
      return { sql: e.sql, ms: e.ms, calls: e.calls, rows: e.rows, plan };
    })
    .sort((a, b) => b.ms - a.ms);
}

const oneLine = (sql: string, max = 150) => {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > max ? `${s.slice(0, max)}…` : s;
};

/** Prints the statements of one call of `name`, slowest first. */
export async function explainCommand(
  core: Core,
  label: string,
  call: () => Promise<unknown>,
  log: (s?: string) => void,
): Promise<void> {
  const db = core.workspace?.db;
  if (!db) return;
  await call(); // warm
  const t = performance.now();
  const traced = await traceStatements(db, call);
  const total = performance.now() - t;
  const inSql = traced.reduce((n, s) => n + s.ms, 0);
  log(
    `  ${label}: ${total.toFixed(1)} ms, of which ${inSql.toFixed(1)} ms in ${traced.reduce((n, s) => n + s.calls, 0)} SQL statement runs:`,
  );
  for (const s of traced.slice(0, 12)) {
    log(
      `    ${s.ms.toFixed(1).padStart(7)} ms  ${String(s.calls).padStart(2)}×  ${s.rows} rows  ${oneLine(s.sql)}`,
    );
    for (const p of s.plan) log(`                 plan: ${p}`);
  }
}

/** µs per row of date(x, 'localtime') against a fixed-offset modifier, over the done tasks. */
export function localtimeProbe(core: Core, log: (s?: string) => void): void {
  const db = core.workspace?.db;
  if (!db) return;
  const time = (expr: string) => {
    const st = db.prepare(`SELECT COUNT(${expr}) AS n FROM tasks WHERE done_at IS NOT NULL`);
    st.get();
    const t = performance.now();
    const n = (st.get() as { n: number }).n;
    return { ms: performance.now() - t, n };
  };
  const local = time("date(done_at, 'localtime')");
  const fixed = time("date(done_at, '+480 minutes')");
  const perRow = (x: { ms: number; n: number }) => ((x.ms * 1000) / Math.max(1, x.n)).toFixed(2);
  log(
    `  SQLite date(…, 'localtime') over ${local.n.toLocaleString('en-US')} rows: ${local.ms.toFixed(1)} ms (${perRow(local)} µs/row) ` +
      `vs a fixed offset date(…, '+480 minutes'): ${fixed.ms.toFixed(1)} ms (${perRow(fixed)} µs/row); TZ ${process.env.TZ ? `= ${process.env.TZ}` : 'not set'}` +
      (process.env.TZ
        ? ''
        : ' (glibc then re-reads /etc/localtime on every localtime() call, one stat per row)'),
  );
}
