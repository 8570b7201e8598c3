/**
 * Checks run in a worker thread (runJob): the main thread stays responsive, progress arrives
 * and grows, cancel stops the job within about a second and leaves no error workbook, a
 * BAD_INPUT raised in the worker arrives with its code and Chinese message, and a preview runs
 * there too. Real readers, engine and builtin rule sets.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS } from '../../main/core/compliance/builtin';
import type { StoredRuleSet } from '../../main/core/compliance/types';
import { RuleSetDefinition } from '../../main/core/contract/compliance';
import { CANCEL_GRACE_MS, runJob } from '../../main/core/jobs/jobs';
import { writeCsv, writePdf } from '../helpers/compliance-files';
import { injectDefects, PENALTY_HEADERS, rng, validPenaltyRow } from '../helpers/compliance-rows';
import { tempDir } from '../helpers/core';

const TODAY = '2026-03-01';
const ROWS = 200_000;
const penalty = RuleSetDefinition.parse(BUILTIN_RULE_SETS.find((s) => s.code === 'xzcf'));
const SETS: StoredRuleSet[] = BUILTIN_RULE_SETS.map((d, i) => ({
  id: `set-${i}-${d.code}`,
  definition: RuleSetDefinition.parse(d),
}));

let dir = '';
let big = '';
let defects = 0;

beforeAll(() => {
  dir = tempDir();
  big = path.join(dir, '行政处罚-大.csv');
  const rand = rng(7);
  const rows: string[][] = [];
  for (let i = 0; i < ROWS; i++) rows.push(validPenaltyRow(rand, i));
  defects = injectDefects(rows, rand, { kinds: ['uscc_check'], perKind: 2000 }).length;
  writeCsv(big, [[...PENALTY_HEADERS], ...rows], { encoding: 'gbk' });
}, 120_000);

describe('runJob (worker threads)', () => {
  it('checks a big file in a worker with progress while the main thread keeps running', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const progress: number[] = [];
    const t0 = performance.now();
    const wb = path.join(dir, 'errors-1.xlsx');
    try {
      const r = await runJob(
        'compliance.check',
        { path: big, fileName: '行政处罚-大.csv', def: penalty, today: TODAY, errorWorkbookPath: wb },
        { onProgress: (p) => progress.push(p.done) },
      );
      const ms = performance.now() - t0;
      expect(r.rows).toBe(ROWS);
      expect(r.encoding).toBe('gbk');
      expect(r.errorRows).toBe(defects);
      expect(r.errorWorkbookWritten).toBe(true);
      expect(fs.existsSync(wb)).toBe(true);
      // a blocked main thread would not tick at all during the check
      expect(ticks).toBeGreaterThan((ms / 20) * 0.3);
      expect(progress.length).toBeGreaterThanOrEqual(3);
      for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]!);
      expect(progress[progress.length - 1]).toBe(fs.statSync(big).size);
    } finally {
      clearInterval(timer);
    }
  }, 60_000);

  it('cancel stops the job within about a second and leaves no error workbook', async () => {
    const wb = path.join(dir, 'errors-cancel.xlsx');
    const ac = new AbortController();
    let abortedAt = 0;
    let sawWorkbook = false;
    const job = runJob(
      'compliance.check',
      { path: big, fileName: '行政处罚-大.csv', def: penalty, today: TODAY, errorWorkbookPath: wb },
      {
        signal: ac.signal,
        onProgress: (p) => {
          sawWorkbook ||= fs.existsSync(wb);
          // cancel once the check is well under way (the workbook has been started)
          if (!ac.signal.aborted && sawWorkbook && p.done > 0) {
            abortedAt = performance.now();
            ac.abort();
          }
        },
      },
    );
    await expect(job).rejects.toMatchObject({ code: 'CANCELLED', message: '已取消' });
    expect(abortedAt).toBeGreaterThan(0);
    expect(performance.now() - abortedAt).toBeLessThan(CANCEL_GRACE_MS + 300);
    // the worker deletes its partial workbook (terminate would leave it; give the fs a moment)
    await new Promise((r) => setTimeout(r, 50));
    expect(fs.existsSync(wb)).toBe(false);
  }, 60_000);

  it('a BAD_INPUT raised in the worker arrives with its Chinese message', async () => {
    const pdf = path.join(dir, '报表.xlsx');
    writePdf(pdf);
    const e1 = await runJob('compliance.check', {
      path: pdf,
      fileName: '报表.xlsx',
      def: penalty,
      today: TODAY,
      errorWorkbookPath: null,
    }).catch((e: unknown) => e);
    expect(e1).toMatchObject({ name: 'AppError', code: 'BAD_INPUT' });
    expect((e1 as Error).message).toMatch(/报表\.xlsx/);
    expect((e1 as Error).message).toMatch(/[\u4e00-\u9fff]/);

    const other = path.join(dir, '名单.csv');
    writeCsv(
      other,
      [
        ['姓名', '年龄'],
        ['张三', '30'],
      ],
      { encoding: 'utf-8' },
    );
    await expect(
      runJob('compliance.check', {
        path: other,
        fileName: '名单.csv',
        def: penalty,
        today: TODAY,
        errorWorkbookPath: null,
      }),
    ).rejects.toMatchObject({
      code: 'BAD_INPUT',
      message:
        '「名单.csv」中没有找到「行政处罚」的表头（前 30 行中没有与规则集字段匹配的行）。请确认文件内容与所选规则集一致。',
    });
  }, 30_000);

  it('previews in a worker; startup is measured', async () => {
    const small = path.join(dir, '小.csv');
    const rand = rng(3);
    const rows = [['某某局 2026 年行政处罚信息'], [...PENALTY_HEADERS]];
    for (let i = 0; i < 40; i++) rows.push(validPenaltyRow(rand, i));
    writeCsv(small, rows, { encoding: 'utf-8-bom' });
    const t0 = performance.now();
    const p = await runJob('compliance.preview', { path: small, fileName: '小.csv', sets: SETS });
    const ms = performance.now() - t0;
    console.log(`[compliance-jobs] preview of a small file through a new worker: ${ms.toFixed(0)} ms`);
    expect(p.ruleSetId).toBe(SETS.find((s) => s.definition.code === 'xzcf')?.id);
    expect(p.headerRow).toBe(2);
    expect(p.encoding).toBe('utf-8-bom');
    expect(p.rows.length).toBe(20);
    expect(p.rows[0]?.n).toBe(3);
    expect(ms).toBeLessThan(5000);
  }, 30_000);
});
