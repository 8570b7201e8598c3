/**
 * The compliance commands against a real core and workspace: preview (a path; an upload moved,
 * not copied) → check in the worker with job.progress → the stored run → exportErrors (the
 * workbook opens) → overview; a five-category check feeds metrics.list's compliance_rate; a bad
 * file or a header that does not fit is BAD_INPUT with nothing written; an expired preview;
 * cancel stops a running check and records nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import type { EventPayload } from '../../main/core/contract/index';
import { fakeClock } from '../helpers/clock';
import {
  csvBytes,
  writeCsv,
  writeOle2,
  writePdf,
  writeTruncatedCopy,
  writeXlsx,
  writeZipBombXlsx,
} from '../helpers/compliance-files';
import { injectDefects, PENALTY_HEADERS, rng, validPenaltyRow } from '../helpers/compliance-rows';
import { call, callError, coreWithWorkspace, countRows, isChinese, tempDir, wsOf } from '../helpers/core';

const SCJ = '琼海市市场监督管理局';
const SOURCE_COL = PENALTY_HEADERS.indexOf('数据来源单位');

function penaltyRows(n: number, seed: number): string[][] {
  const rand = rng(seed);
  const rows: string[][] = [];
  for (let i = 0; i < n; i++) {
    const r = validPenaltyRow(rand, i);
    r[SOURCE_COL] = SCJ;
    rows.push(r);
  }
  return rows;
}

function deptIdOf(core: Core, name: string): string {
  return (wsOf(core).db.prepare('SELECT id FROM departments WHERE name = ?').get(name) as { id: string }).id;
}

const changes = (core: Core) => countRows(core, 'changes');

function progressOf(core: Core): EventPayload<'job.progress'>[] {
  const seen: EventPayload<'job.progress'>[] = [];
  core.on('job.progress', (p) => seen.push(p));
  return seen;
}

describe('compliance commands', () => {
  it('preview → check → run → exportErrors → overview', async () => {
    const { core, dataDir } = await coreWithWorkspace({ clock: fakeClock('2026-03-15T04:00:00Z').now });
    const dir = tempDir();
    const rows = penaltyRows(300, 7);
    const defects = injectDefects(rows, rng(8), {
      kinds: ['required', 'uscc_check', 'date_format', 'whitespace'],
    });
    const errorRows = new Set(defects.filter((d) => d.severity === 'error').map((d) => d.index)).size;
    const file = path.join(dir, '市监局-行政处罚-2026年3月.xlsx');
    await writeXlsx(file, [{ name: '行政处罚', rows: [[...PENALTY_HEADERS], ...rows] }]);

    const sets = await call(core, 'compliance.ruleSets', {});
    const xzcf = sets.find((s) => s.code === 'xzcf')!;
    const preview = await call(core, 'compliance.preview', { file: { path: file } });
    expect(preview).toMatchObject({
      fileName: '市监局-行政处罚-2026年3月.xlsx',
      format: 'xlsx',
      encoding: null,
      sheetName: '行政处罚',
      ruleSetId: xzcf.id,
      headerRow: 1,
      missingFields: [],
      deptId: deptIdOf(core, SCJ),
    });
    expect(preview.rows[0]).toEqual({ row: 2, cells: rows[0] });
    expect(preview.columns.filter((c) => c.field !== null)).toHaveLength(PENALTY_HEADERS.length);

    const events = progressOf(core);
    const before = changes(core);
    const run = await call(core, 'compliance.check', {
      previewId: preview.previewId,
      ruleSetId: xzcf.id,
      deptId: preview.deptId,
      month: '2026-03',
      jobId: 'job-1',
    });
    expect(changes(core)).toBeGreaterThan(before);
    expect(run).toMatchObject({
      fileName: '市监局-行政处罚-2026年3月.xlsx',
      ruleSetCode: 'xzcf',
      deptName: SCJ,
      month: '2026-03',
      rows: 300,
      errorRows,
      warningRows: defects.length - errorRows,
    });
    expect(run.rate).toBe(Math.floor(((300 - errorRows) * 10000) / 300) / 100);
    expect(run.workbookId).not.toBeNull();
    const found = run.result.sample.map((f) => `${f.row}|${f.field}|${f.rule}`).sort();
    expect(found).toEqual(defects.map((d) => `${d.index + 2}|${d.field}|${d.rule}`).sort());
    expect(events.every((e) => e.jobId === 'job-1' && e.kind === 'compliance')).toBe(true);
    expect(events.at(-1)?.state).toBe('done');
    // the temporary workbook is gone; the stored copy is the run's attachment
    expect(
      fs.readdirSync(path.join(dataDir, 'tmp', 'compliance')).filter((f) => f.endsWith('.xlsx')),
    ).toEqual([]);
    expect(await call(core, 'compliance.run', { id: run.id })).toEqual(run);
    expect((await call(core, 'compliance.runs', { month: '2026-03' })).map((r) => r.id)).toEqual([run.id]);

    const out = path.join(dir, '导出', '错误明细.xlsx');
    const exported = await call(core, 'compliance.exportErrors', { id: run.id, file: out });
    expect(exported.file).toBe(out);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    const sheet = wb.getWorksheet('错误明细')!;
    expect(sheet.rowCount).toBe(1 + new Set(defects.map((d) => d.index)).size);

    const o = await call(core, 'compliance.overview', {});
    expect(o.month).toBe('2026-03');
    expect(o.departments[0]).toMatchObject({ deptName: SCJ, rows: 300, errorRows, files: 1 });
    expect(o.categories.find((c) => c.category === 'double')!.rows).toBe(300);

    // the same preview checked again (corrected rule choice): the latest run counts
    await call(core, 'compliance.check', {
      previewId: preview.previewId,
      ruleSetId: xzcf.id,
      deptId: preview.deptId,
      month: '2026-03',
    });
    const o2 = await call(core, 'compliance.overview', { month: '2026-03' });
    expect(o2.departments[0]).toMatchObject({ rows: 300, files: 1 });
    await call(core, 'compliance.removeRun', { id: run.id });
    expect(await call(core, 'compliance.runs', {})).toHaveLength(1);
  });

  it('an upload is moved into the preview folder; a five-category check feeds compliance_rate', async () => {
    const { core, dataDir } = await coreWithWorkspace({ clock: fakeClock('2026-03-15T04:00:00Z').now });
    const set = await call(core, 'compliance.saveRuleSet', {
      definition: {
        code: 'test_five',
        name: '测试行政检查',
        category: 'five',
        version: '1',
        fields: [
          { key: 'JC_DX', name: '被检查对象名称', required: true },
          { key: 'JC_WSH', name: '检查文书号', format: 'doc_no', unique: true, required: true },
          { key: 'JC_RQ', name: '检查日期', format: 'date', required: true },
        ],
      },
    });
    const csv = ['被检查对象名称,检查文书号,检查日期'];
    for (let i = 1; i <= 10; i++)
      csv.push(`${i === 4 ? '' : `对象${i}`},琼检〔2026〕${i}号,2026-01-${String(i).padStart(2, '0')}`);
    const data = Buffer.from(`${csv.join('\r\n')}\r\n`, 'utf8');
    const up = await call(core, 'attachments.upload', { uploadId: null, data: data.toString('base64') });
    const uploaded = path.join(dataDir, 'tmp', 'uploads', up.uploadId);
    expect(fs.existsSync(uploaded)).toBe(true);
    const preview = await call(core, 'compliance.preview', {
      file: { uploadId: up.uploadId, name: '行政检查.csv' },
    });
    expect(fs.existsSync(uploaded)).toBe(false);
    expect(
      fs.readFileSync(path.join(dataDir, 'tmp', 'compliance', preview.previewId, '行政检查.csv')),
    ).toEqual(data);
    expect(preview).toMatchObject({
      fileName: '行政检查.csv',
      format: 'csv',
      encoding: 'utf-8',
      headerRow: 1,
    });
    expect(preview.candidates.map((c) => c.ruleSetId)).toContain(set.id);

    const run = await call(core, 'compliance.check', {
      previewId: preview.previewId,
      ruleSetId: set.id,
      deptId: null,
      month: '2026-03',
    });
    expect(run).toMatchObject({ category: 'five', rows: 10, errorRows: 1, deptName: null });
    const metric = (await call(core, 'metrics.list', {})).find((m) => m.key === 'compliance_rate')!;
    expect(metric.values).toContainEqual(
      expect.objectContaining({
        month: '2026-03',
        value: 90,
        note: '由数据合规检查自动计算（1 个文件，10 行）',
      }),
    );
    const o = await call(core, 'compliance.overview', {});
    expect(o.fiveCategoryRate).toBe(90);
    expect(o.departments.map((d) => d.deptName)).toEqual(['未指定单位']);
    await call(core, 'compliance.removeRun', { id: run.id });
    const after = (await call(core, 'metrics.list', {})).find((m) => m.key === 'compliance_rate')!;
    expect(after.values.some((v) => v.month === '2026-03')).toBe(false);

    // a run arriving from another laptop (committed without recordRun, as a sync pull does)
    const ws = wsOf(core);
    ws.writer.transact(ws.actor(), (tx) =>
      tx.insert('compliance_run', {
        file_name: '另一台电脑.csv',
        rule_set_code: 'test_five',
        rule_set_name: '测试行政检查',
        rule_set_version: '1',
        category: 'five',
        dept_id: null,
        month: '2026-02',
        rows: 200,
        error_rows: 1,
        warning_rows: 0,
        errors: 1,
        warnings: 0,
        rate: 99.5,
        wrong_codes: 0,
        result: run.result,
        checked_at: '2026-03-01T00:00:00.000Z',
      }),
    );
    const pulled = (await call(core, 'metrics.list', {})).find((m) => m.key === 'compliance_rate')!;
    expect(pulled.values).toContainEqual(expect.objectContaining({ month: '2026-02', value: 99.5 }));
  });

  it('a bad file or a header that does not fit is refused in words; nothing is written', async () => {
    const { core } = await coreWithWorkspace({ clock: fakeClock('2026-03-15T04:00:00Z').now });
    const dir = tempDir();
    const sets = await call(core, 'compliance.ruleSets', {});
    const pdf = path.join(dir, '处罚数据.xlsx');
    writePdf(pdf);
    const before = changes(core);
    const e = await callError(core, 'compliance.preview', { file: { path: pdf } }, 'BAD_INPUT');
    expect(isChinese(e.message)).toBe(true);
    expect(e.message).toContain('处罚数据.xlsx');

    // a readable GBK file whose header is not a rule set's
    const file = path.join(dir, '通讯录.csv');
    writeCsv(
      file,
      [
        ['姓名', '电话', '住址'],
        ['张三', '13800000000', '嘉积镇'],
      ],
      { encoding: 'gbk' },
    );
    const preview = await call(core, 'compliance.preview', { file: { path: file } });
    expect(preview).toMatchObject({ encoding: 'gbk', ruleSetId: null, headerRow: null });
    const xzcf = sets.find((s) => s.code === 'xzcf')!;
    const events = progressOf(core);
    const wrong = await callError(
      core,
      'compliance.check',
      { previewId: preview.previewId, ruleSetId: xzcf.id, month: '2026-03' },
      'BAD_INPUT',
    );
    expect(wrong.message).toContain('没有找到');
    expect(events.at(-1)?.state).toBe('failed');
    expect(changes(core)).toBe(before);
    expect(await call(core, 'compliance.runs', {})).toEqual([]);

    const expired = await callError(
      core,
      'compliance.check',
      { previewId: 'f'.repeat(32), ruleSetId: xzcf.id, month: '2026-03' },
      'NOT_FOUND',
    );
    expect(expired.message).toBe('预览已过期，请重新选择文件。');
    expect(changes(core)).toBe(before);
  });

  it('every kind of unusable file is refused in words through the worker; the workspace does not change', async () => {
    const { core } = await coreWithWorkspace({ clock: fakeClock('2026-03-15T04:00:00Z').now });
    const dir = tempDir();
    const xzcf = (await call(core, 'compliance.ruleSets', {})).find((s) => s.code === 'xzcf')!;
    const before = changes(core);
    const good = path.join(dir, '完整.xlsx');
    await writeXlsx(good, [{ name: '处罚', rows: [[...PENALTY_HEADERS], ...penaltyRows(400, 5)] }]);
    const cases: [string, (f: string) => void | Promise<void>, RegExp][] = [
      ['设了密码.xlsx', (f) => writeOle2(f, true), /密码/],
      ['旧格式.xls', (f) => writeOle2(f, false), /97-2003|\.xls/],
      ['没下载完.xlsx', (f) => writeTruncatedCopy(good, f, 0.6), /不完整/],
      ['压缩炸弹.xlsx', (f) => writeZipBombXlsx(f, 80, true), /异常巨大|压缩比/],
      // bytes that are neither UTF-8 nor GBK (lone lead bytes before ASCII)
      [
        '乱码.csv',
        (f) => fs.writeFileSync(f, Buffer.from([0x41, 0x2c, 0x42, 0x0a, 0xff, 0x41, 0x80, 0x0a])),
        /编码/,
      ],
      [
        '表头不对.csv',
        (f) =>
          writeCsv(
            f,
            [
              ['甲', '乙'],
              ['1', '2'],
            ],
            { encoding: 'utf-8' },
          ),
        /表头|规则集/,
      ],
    ];
    for (const [name, make, text] of cases) {
      const file = path.join(dir, name);
      await make(file);
      const r = await core.invoke('compliance.preview', { file: { path: file } });
      let message: string;
      if (r.ok) {
        // readable at first: the check refuses it
        const e = await callError(
          core,
          'compliance.check',
          { previewId: r.value.previewId, ruleSetId: xzcf.id, month: '2026-03' },
          'BAD_INPUT',
        );
        message = e.message;
      } else {
        expect(r.error.code, name).toBe('BAD_INPUT');
        message = r.error.message;
      }
      expect(isChinese(message), name).toBe(true);
      expect(message, name).toMatch(text);
    }
    expect(changes(core)).toBe(before);
    expect(await call(core, 'compliance.runs', {})).toEqual([]);
  });

  it('a data file over the 200 MB attachment limit can be uploaded and previewed', async () => {
    const { core } = await coreWithWorkspace({ clock: fakeClock('2026-03-15T04:00:00Z').now });
    // 201 MB of CSV: the header and rows, repeated up to the size, sent as the renderer does (4 MB chunks)
    const rows = csvBytes([[...PENALTY_HEADERS], ...penaltyRows(2000, 8)], { encoding: 'utf-8' });
    const header = rows.subarray(0, rows.indexOf(10) + 1);
    const body = rows.subarray(header.length);
    const chunk = 4 * 1024 * 1024;
    let uploadId: string | null = null;
    let sent = 0;
    let pending = Buffer.from(header);
    while (sent < 201 * 1024 * 1024) {
      while (pending.length < chunk) pending = Buffer.concat([pending, body]);
      const part = pending.subarray(0, chunk);
      pending = Buffer.from(pending.subarray(chunk));
      const r: { uploadId: string; size: number } = await call(core, 'attachments.upload', {
        uploadId,
        data: part.toString('base64'),
      });
      uploadId = r.uploadId;
      sent = r.size;
    }
    const preview = await call(core, 'compliance.preview', {
      file: { uploadId: uploadId!, name: '大文件.csv' },
    });
    expect(preview.size).toBeGreaterThan(200 * 1024 * 1024);
    expect(preview.headerRow).toBe(1);
    expect(preview.rows.length).toBeGreaterThan(0);
  });

  it('cancel stops a running check; nothing is recorded', async () => {
    const { core, dataDir } = await coreWithWorkspace({ clock: fakeClock('2026-03-15T04:00:00Z').now });
    const dir = tempDir();
    const file = path.join(dir, '大文件.csv');
    const rows = penaltyRows(120_000, 11);
    writeCsv(file, [[...PENALTY_HEADERS], ...rows], { encoding: 'utf-8' });
    const xzcf = (await call(core, 'compliance.ruleSets', {})).find((s) => s.code === 'xzcf')!;
    const preview = await call(core, 'compliance.preview', { file: { path: file } });
    const before = changes(core);
    let cancelled: Promise<{ cancelled: number }> | null = null;
    core.on('job.progress', (p) => {
      if (p.jobId === 'big' && p.state === 'running' && p.done > 0 && !cancelled)
        cancelled = call(core, 'compliance.cancel', { jobId: 'big' });
    });
    const r = await core.invoke('compliance.check', {
      previewId: preview.previewId,
      ruleSetId: xzcf.id,
      month: '2026-03',
      jobId: 'big',
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.code).toBe('CANCELLED');
    expect(await cancelled).toEqual({ cancelled: 1 });
    expect(changes(core)).toBe(before);
    expect(
      fs.readdirSync(path.join(dataDir, 'tmp', 'compliance')).filter((f) => f.endsWith('.xlsx')),
    ).toEqual([]);
    expect(await call(core, 'compliance.cancel', {})).toEqual({ cancelled: 0 });
  }, 60_000);
});
