import { describe, expect, it } from 'vitest';
import {
  MAX_STAMP_AHEAD_MS,
  PullResult,
  PullResultCompact,
  PushResult,
  paths,
  type Change,
} from '../../main/core/sync/protocol';
import { expandCompact } from '../../main/core/sync/records';
import { change, errorOf, startServer, type TestServer } from './helpers';

async function push(t: TestServer, token: string, ws: string, node: string, changes: Change[]) {
  const r = await t.request({ method: 'POST', url: paths.changes(ws), token, json: { node, changes } });
  if (r.status !== 200) throw new Error(`push ${r.status} ${r.body}`);
  return PushResult.parse(r.json());
}

async function pull(
  t: TestServer,
  token: string,
  ws: string,
  q: { since?: number; limit?: number; exclude?: string },
) {
  const qs = new URLSearchParams();
  if (q.since !== undefined) qs.set('since', String(q.since));
  if (q.limit !== undefined) qs.set('limit', String(q.limit));
  if (q.exclude !== undefined) qs.set('exclude', q.exclude);
  const r = await t.request({ method: 'GET', url: `${paths.changes(ws)}?${qs}`, token });
  if (r.status !== 200) throw new Error(`pull ${r.status} ${r.body}`);
  return PullResult.parse(r.json());
}

async function pullAll(t: TestServer, token: string, ws: string, limit: number, exclude?: string) {
  const pages: PullPage[] = [];
  let since = 0;
  for (let i = 0; i < 1000; i++) {
    const p = await pull(t, token, ws, { since, limit, ...(exclude ? { exclude } : {}) });
    pages.push(p);
    since = p.next;
    if (!p.more) break;
  }
  return pages;
}
type PullPage = ReturnType<typeof PullResult.parse>;

async function setup() {
  const t = await startServer();
  const li = t.user('李明');
  t.member(li.id, 'ws', 'owner');
  return { t, token: li.token };
}

describe('sync server: records push and pull', () => {
  it('push is idempotent: the same push twice counts duplicates, pull returns each change once, seq grows', async () => {
    const { t, token } = await setup();
    const batch = [
      change('task-1', 'title', '建立信用承诺制度', { txId: 't1' }),
      change('task-1', 'status', 'issued', { txId: 't1' }),
      change('task-2', 'title', '归集行政许可信息', { txId: 't2' }),
    ];
    const first = await push(t, token, 'ws', 'nodeA', batch);
    expect(first).toMatchObject({ accepted: 3, duplicates: 0 });
    const again = await push(t, token, 'ws', 'nodeA', batch);
    expect(again).toEqual({ accepted: 0, duplicates: 3, seq: first.seq });
    // A push that overlaps a previous one stores only the new change.
    const more = await push(t, token, 'ws', 'nodeA', [
      ...batch.slice(1),
      change('task-2', 'status', 'done', { txId: 't3' }),
    ]);
    expect(more).toMatchObject({ accepted: 1, duplicates: 2 });
    expect(more.seq).toBeGreaterThan(first.seq);

    const page = await pull(t, token, 'ws', {});
    expect(page.changes).toHaveLength(4);
    expect(page.more).toBe(false);
    expect(page.next).toBe(more.seq);
    const seqs = page.changes.map((c) => c.seq);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(4);
    expect(page.changes[0]).toMatchObject({ ...batch[0], node: 'nodeA' });
    // Pulling from the cursor gives nothing new.
    const empty = await pull(t, token, 'ws', { since: page.next });
    expect(empty).toMatchObject({ changes: [], next: page.next, more: false });
    // Another laptop pulling with exclude sees them; the pushing laptop does not see its own.
    expect((await pull(t, token, 'ws', { exclude: 'nodeA' })).changes).toHaveLength(0);
    expect((await pull(t, token, 'ws', { exclude: 'nodeB' })).changes).toHaveLength(4);
  });

  it('a pull page never splits a transaction, even interleaved ones or one larger than the page', async () => {
    const { t, token } = await setup();
    const expected: Change[] = [];
    // Laptop A: transactions of 1..7 fields.
    for (let i = 0; i < 30; i++) {
      const n = (i % 7) + 1;
      const tx = Array.from({ length: n }, (_, f) =>
        change(`a-${i}`, `f${f}`, i * 10 + f, { txId: `A${i}`, counter: f }),
      );
      await push(t, token, 'ws', 'nodeA', tx);
      expected.push(...tx);
    }
    // One big transaction (an import) of 50 rows.
    const big = Array.from({ length: 50 }, (_, k) =>
      change(`imp-${k}`, 'title', `导入 ${k}`, { txId: 'IMPORT', counter: k }),
    );
    await push(t, token, 'ws', 'nodeA', big);
    expected.push(...big);
    // Laptop B pushes one transaction in two pushes with a push of C between them (a client
    // that split a large transaction): the page must still hold B's transaction whole.
    const bTx = Array.from({ length: 6 }, (_, f) =>
      change('b-1', `f${f}`, f, { txId: 'B1', node: 'nodeB', counter: f }),
    );
    await push(t, token, 'ws', 'nodeB', bTx.slice(0, 3));
    const cTx = [change('c-1', 'title', 'C', { txId: 'C1', node: 'nodeC' })];
    await push(t, token, 'ws', 'nodeC', cTx);
    await push(t, token, 'ws', 'nodeB', bTx.slice(3));
    expected.push(...bTx, ...cTx);

    for (const limit of [1, 3, 4, 10, 37]) {
      const pages = await pullAll(t, token, 'ws', limit);
      const seen = new Map<string, number>(); // "node tx" → page index
      const all = pages.flatMap((p) => p.changes);
      pages.forEach((p, i) => {
        for (const c of p.changes) {
          const key = `${c.node} ${c.txId}`;
          const at = seen.get(key);
          expect(at === undefined || at === i, `tx ${key} split across pages (limit ${limit})`).toBe(true);
          seen.set(key, i);
        }
        // A page holds at least `limit` changes unless it is the last one.
        if (p.more) expect(p.changes.length).toBeGreaterThanOrEqual(limit);
        if (p.changes.length) expect(p.next).toBe(p.changes[p.changes.length - 1]?.seq);
      });
      expect(all.length, `limit ${limit}`).toBe(expected.length);
      const seqs = all.map((c) => c.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
      expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
      // The import came whole in one page even with a page of 1.
      const importPages = new Set(
        pages.flatMap((p, i) => p.changes.filter((c) => c.txId === 'IMPORT').map(() => i)),
      );
      expect(importPages.size).toBe(1);
    }
    // Exclude still pages correctly.
    const others = (await pullAll(t, token, 'ws', 2, 'nodeA')).flatMap((p) => p.changes);
    expect(others.map((c) => c.txId).sort()).toEqual([...bTx.map(() => 'B1'), 'C1'].sort());
  });

  it('format=compact carries the same pages as the default format (grouped, in order, nothing lost)', async () => {
    const { t, token } = await setup();
    // transactions of several records and fields, a value with quotes and a newline, null values,
    // one actor id, and a transaction of B split by a push of C
    await push(t, token, 'ws', 'nodeA', [
      change('a-1', 'title', '标题 "引号"\n换行', { txId: 'A1' }),
      change('a-1', 'status', 'issued', { txId: 'A1', counter: 1 }),
      change('a-2', 'title', null, { txId: 'A1', counter: 2 }),
      change('a-1', 'progress', 10, { txId: 'A1', counter: 3 }),
      { ...change('a-3', 'deleted', true, { txId: 'A2', entity: 'department' }), actorId: 'u-1' },
    ]);
    const bTx = Array.from({ length: 4 }, (_, f) =>
      change('b-1', `f${f}`, f, { txId: 'B1', node: 'nodeB', counter: f }),
    );
    await push(t, token, 'ws', 'nodeB', bTx.slice(0, 2));
    await push(t, token, 'ws', 'nodeC', [change('c-1', 'title', 'C', { txId: 'C1', node: 'nodeC' })]);
    await push(t, token, 'ws', 'nodeB', bTx.slice(2));
    for (const [limit, exclude] of [
      [1, undefined],
      [3, undefined],
      [100, undefined],
      [2, 'nodeA'],
    ] as const) {
      let since = 0;
      for (let i = 0; i < 100; i++) {
        const qs = new URLSearchParams({ since: String(since), limit: String(limit), format: 'compact' });
        if (exclude) qs.set('exclude', exclude);
        const r = await t.request({ method: 'GET', url: `${paths.changes('ws')}?${qs}`, token });
        expect(r.status).toBe(200);
        const compact = PullResultCompact.parse(r.json());
        const full = await pull(t, token, 'ws', { since, limit, ...(exclude ? { exclude } : {}) });
        expect(expandCompact(compact.txs)).toEqual(full.changes.map(({ seq: _seq, node: _node, ...c }) => c));
        expect({ next: compact.next, more: compact.more, live: compact.liveRecords }).toEqual({
          next: full.next,
          more: full.more,
          live: full.liveRecords,
        });
        // groups: node, txId, at, actor once per run of one transaction
        for (const g of compact.txs) expect(typeof g[0]).toBe('string');
        since = full.next;
        if (!full.more) break;
      }
    }
    // an unknown format is refused in words
    const bad = await t.request({ method: 'GET', url: `${paths.changes('ws')}?format=xml`, token });
    expect(bad.status).toBe(400);
  });

  it('a push with a stamp far in the future is refused whole with 409, and nothing is stored', async () => {
    const { t, token } = await setup();
    const ahead = Date.now() + MAX_STAMP_AHEAD_MS + 15 * 60_000;
    const r = await t.request({
      method: 'POST',
      url: paths.changes('ws'),
      token,
      json: {
        node: 'nodeA',
        changes: [change('x', 'title', '正常'), change('y', 'title', '超前', { ms: ahead })],
      },
    });
    expect(r.status).toBe(409);
    const e = errorOf(r);
    expect(e.code).toBe('STAMP_AHEAD');
    expect(e.message).toMatch(/快约 4[45] 分钟/);
    expect(e.message).toMatch(/系统时间/);
    expect((await pull(t, token, 'ws', {})).changes).toHaveLength(0);
    // A stamp within the allowed drift is fine.
    const fine = await push(t, token, 'ws', 'nodeA', [
      change('z', 'title', '略快', { ms: Date.now() + 10 * 60_000 }),
    ]);
    expect(fine.accepted).toBe(1);
  });

  it('liveRecords counts records whose latest deleted value (by stamp) is not true', async () => {
    const { t, token } = await setup();
    const base = Date.now() - 60_000;
    await push(t, token, 'ws', 'nodeA', [
      change('r1', 'title', '一', { ms: base }),
      change('r2', 'title', '二', { ms: base }),
      change('r3', 'title', '三', { ms: base }),
    ]);
    expect((await pull(t, token, 'ws', {})).liveRecords).toBe(3);
    await push(t, token, 'ws', 'nodeA', [change('r1', 'deleted', true, { ms: base + 1000 })]);
    expect((await pull(t, token, 'ws', {})).liveRecords).toBe(2);
    // An older restore arriving later does not bring r1 back; a newer one does.
    await push(t, token, 'ws', 'nodeB', [change('r1', 'deleted', false, { ms: base + 500, node: 'nodeB' })]);
    expect((await pull(t, token, 'ws', {})).liveRecords).toBe(2);
    await push(t, token, 'ws', 'nodeB', [change('r1', 'deleted', false, { ms: base + 2000, node: 'nodeB' })]);
    expect((await pull(t, token, 'ws', {})).liveRecords).toBe(3);
  });

  it('workspaces do not see each other’s changes', async () => {
    const { t, token } = await setup();
    const wang = t.user('王芳');
    t.member(wang.id, 'other', 'owner');
    await push(t, token, 'ws', 'nodeA', [change('a', 'title', 'A')]);
    await push(t, wang.token, 'other', 'nodeB', [change('b', 'title', 'B')]);
    expect((await pull(t, token, 'ws', {})).changes.map((c) => c.entityId)).toEqual(['a']);
    expect((await pull(t, wang.token, 'other', {})).changes.map((c) => c.entityId)).toEqual(['b']);
  });
});
