/**
 * Push batches are bounded by bytes as well as by count: a few large values (a compliance run's
 * stored result, a rule set) must not make a request the server refuses (16 MB body limit)
 * again and again; transactions stay whole unless one alone is over the limit.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PUSH_CHANGES } from '../../main/core/sync/protocol';
import { MAX_PUSH_BYTES, nextBatch } from '../../main/core/sync/records';
import { fitForSync, MAX_RESULT_CHARS } from '../../main/core/compliance/store';
import type { FileCheckResult, Finding } from '../../main/core/contract/compliance';
import { coreWithWorkspace, wsOf } from '../helpers/core';

const T = '2026-11-29T00:00:00.000Z';

async function workspaceWithChanges(txs: { tx: string; values: number[] }[]) {
  const { core } = await coreWithWorkspace();
  const ws = wsOf(core);
  const start = (ws.db.prepare('SELECT COALESCE(MAX(id), 0) AS n FROM changes').get() as { n: number }).n;
  const ins = ws.db.prepare(
    `INSERT INTO changes (tx_id, at, actor_name, entity, entity_id, op, field, new_value, stamp)
     VALUES (?, ?, '测试', 'compliance_run', ?, 'update', 'result', ?, ?)`,
  );
  let k = 0;
  for (const t of txs) {
    for (const size of t.values) {
      k++;
      ins.run(t.tx, T, `e${k}`, JSON.stringify('x'.repeat(size)), `0000${k}`);
    }
  }
  return { ws, start };
}

describe('push batches', () => {
  it('stop before the byte limit at a transaction boundary', async () => {
    const MB = 1024 * 1024;
    // three transactions of 2.5 MB + 2.5 MB values each: 5 MB per transaction
    const { ws, start } = await workspaceWithChanges([
      { tx: 'a', values: [2.5 * MB, 2.5 * MB] },
      { tx: 'b', values: [2.5 * MB, 2.5 * MB] },
      { tx: 'c', values: [2.5 * MB, 2.5 * MB] },
    ]);
    const first = nextBatch(ws, start, MAX_PUSH_CHANGES);
    // transaction a fits, b would cross MAX_PUSH_BYTES: the batch ends after a
    expect(MAX_PUSH_BYTES).toBeLessThan(16 * MB);
    expect(first.map((r) => r.tx_id)).toEqual(['a', 'a']);
    const second = nextBatch(ws, first.at(-1)!.id, MAX_PUSH_CHANGES);
    expect(second.map((r) => r.tx_id)).toEqual(['b', 'b']);
  });

  it('a transaction over the limit alone is split, and a single huge change still goes', async () => {
    const MB = 1024 * 1024;
    const { ws, start } = await workspaceWithChanges([{ tx: 'big', values: [4 * MB, 4 * MB, 4 * MB] }]);
    const a = nextBatch(ws, start, MAX_PUSH_CHANGES);
    expect(a).toHaveLength(1);
    const one = nextBatch(ws, start, MAX_PUSH_CHANGES, 1024);
    expect(one).toHaveLength(1);
  });

  it('small changes are still limited by count, whole transactions first', async () => {
    const { ws, start } = await workspaceWithChanges([
      { tx: 'a', values: [10, 10, 10] },
      { tx: 'b', values: [10, 10, 10] },
    ]);
    expect(nextBatch(ws, start, 4).map((r) => r.tx_id)).toEqual(['a', 'a', 'a']);
    expect(nextBatch(ws, start, 10)).toHaveLength(6);
  });
});

describe('a compliance result stays under the sync limit of one value', () => {
  it('long findings are shortened: first the sample, then the worst rows', () => {
    const finding = (row: number): Finding => ({
      row,
      column: 3,
      field: '违法事实',
      rule: 'max_length',
      severity: 'error',
      message: '「违法事实」最多 2000 个字，当前 2400 个字，请精简'.repeat(5),
      value: '某'.repeat(200),
    });
    const sample = Array.from({ length: 2000 }, (_, i) => finding(i + 2));
    const result = {
      fileName: 'a.csv',
      format: 'csv',
      encoding: 'gbk',
      sheetName: null,
      ruleSet: { code: 'xzcf', name: '行政处罚', version: '2026.1', category: 'double' },
      headerRow: 1,
      columns: [],
      missingFields: [],
      rows: 5000,
      errorRows: 2000,
      warningRows: 0,
      errors: 2000,
      warnings: 0,
      rate: 60,
      wrongCodes: 0,
      byRule: [],
      byField: [],
      worstRows: Array.from({ length: 20 }, (_, i) => ({
        row: i + 2,
        errors: 30,
        warnings: 0,
        findings: Array.from({ length: 30 }, () => finding(i + 2)),
      })),
      sample,
      sampleTruncated: false,
      durationMs: 1,
    } satisfies FileCheckResult;
    expect(JSON.stringify(result).length).toBeGreaterThan(1024 * 1024);
    const fitted = fitForSync(result);
    expect(JSON.stringify(fitted).length).toBeLessThanOrEqual(MAX_RESULT_CHARS);
    expect(fitted.sampleTruncated).toBe(true);
    expect(fitted.sample[0]).toEqual(sample[0]);
    // counts are never touched
    expect(fitted.errorRows).toBe(2000);
    expect(fitted.worstRows).toHaveLength(20);
    // a small result is left as it is
    const small = { ...result, sample: sample.slice(0, 10), worstRows: [] };
    expect(fitForSync(small)).toBe(small);
  });
});
