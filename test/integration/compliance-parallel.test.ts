/**
 * The two-thread check of a CSV (checkTable with `parallel`; parallel.ts): the result, the
 * onFinding sequence and the error workbook are those of the one-thread check, on files built
 * to catch what could go wrong at the split — a quoted field with a newline across the chosen
 * byte, a title row above the header, GBK / UTF-8 / tab-separated, a missing required column,
 * duplicates across the halves (first occurrence in the first half, later ones in the second,
 * one of them with no other finding; a value repeated only inside the second half). Also: the
 * byte split agrees with the reader's row numbers at every byte of an awkward file, a
 * BAD_INPUT in the second half names the right row, cancel leaves no workbook and no spool.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_RULE_SETS } from '../../main/core/compliance/builtin';
import { planSplit } from '../../main/core/compliance/parallel';
import type { CsvRange } from '../../main/core/compliance/readers/csv';
import { openTable } from '../../main/core/compliance/readers/open';
import { checkTable, type CheckTableOptions } from '../../main/core/compliance/run';
import type { RawRow } from '../../main/core/compliance/types';
import { RuleSetDefinition, type Finding } from '../../main/core/contract/compliance';
import { isAppError } from '../../main/core/util/errors';
import { csvText, type CsvOptions } from '../helpers/compliance-files';
import { encodeGbk } from '../helpers/gbk';
import {
  injectDefects,
  PENALTY_COLUMNS,
  PENALTY_HEADERS,
  rng,
  validPenaltyRow,
} from '../helpers/compliance-rows';
import { tempDir } from '../helpers/core';

const TODAY = '2026-03-01';
const CHECKED_AT = '2026-03-01 09:30';
const penalty = RuleSetDefinition.parse(BUILTIN_RULE_SETS.find((s) => s.code === 'xzcf'));
const ROWS = 3000;
const WSH = PENALTY_COLUMNS.indexOf('CF_WSH');
const WFXW = PENALTY_COLUMNS.indexOf('CF_WFXW');
const MC = PENALTY_COLUMNS.indexOf('CF_XDR_MC');
const TITLE = ['琼海市行政处罚信息报送表（2026 年第一季度）', '', ''];

let dir = '';

beforeAll(() => {
  dir = tempDir();
});

interface Built {
  file: string;
  /** Byte offset of each data row's record (index = data row index). */
  offsets: number[];
  /** Spreadsheet row of data row 0. */
  firstDataRow: number;
  middle: number;
}

/**
 * Writes `rows` (with a title row and the header) record by record, so every record's byte
 * offset is known; `middle` is a data row whose 违法行为 holds a quoted newline.
 */
function build(name: string, header: string[], rows: string[][], opts: CsvOptions, middle: number): Built {
  const file = path.join(dir, name);
  const enc = (text: string) => (opts.encoding === 'gbk' ? encodeGbk(text) : Buffer.from(text, 'utf8'));
  const parts: Buffer[] = [];
  if (opts.encoding === 'utf-8-bom') parts.push(Buffer.from([0xef, 0xbb, 0xbf]));
  const line = (r: string[]) => enc(csvText([r], { eol: opts.eol, delimiter: opts.delimiter }));
  parts.push(line(TITLE), line(header));
  let at = parts.reduce((s, b) => s + b.length, 0);
  const offsets: number[] = [];
  for (const r of rows) {
    offsets.push(at);
    const b = line(r);
    parts.push(b);
    at += b.length;
  }
  fs.writeFileSync(file, Buffer.concat(parts));
  return { file, offsets, firstDataRow: 3, middle };
}

/** Valid rows with ~2.7 % defects, a quoted newline at `middle` and duplicates across it. */
function penaltyRows(seed: number): { rows: string[][]; middle: number; clean: number[] } {
  const rand = rng(seed);
  const rows: string[][] = [];
  for (let i = 0; i < ROWS; i++) rows.push(validPenaltyRow(rand, i));
  const defects = injectDefects(rows, rand, { perKind: 3 });
  const bad = new Set(defects.map((d) => d.index));
  const clean = rows.map((_, i) => i).filter((i) => !bad.has(i));
  const pick = (from: number) => clean.find((i) => i >= from)!;
  const middle = pick(ROWS / 2);
  rows[middle]![WFXW] = '未按规定公示，\r\n经责令改正后仍未改正（"逾期"）';
  // 1st occurrence in the first half, 2nd (no other finding) and 3rd (with another) in the second
  const a = pick(100);
  const a2 = pick(middle + 200);
  const a3 = pick(middle + 600);
  rows[a2]![WSH] = rows[a]![WSH]!;
  rows[a3]![WSH] = ` ${rows[a]![WSH]!}`;
  rows[a3]![MC] = '';
  // the first row of the second half repeats a first-half value (a clean row, re-read from the file)
  const b = pick(300);
  rows[middle + 1]![WSH] = rows[b]![WSH]!;
  // repeated only inside the second half
  const c = pick(middle + 900);
  const c2 = pick(middle + 1100);
  rows[c2]![WSH] = rows[c]![WSH]!;
  // repeated only inside the first half
  rows[pick(700)]![WSH] = rows[pick(50)]![WSH]!;
  return { rows, middle, clean };
}

interface Outcome {
  result: Record<string, unknown>;
  findings: Finding[];
  workbook: unknown[] | null;
  split: { at: number; rowsBefore: number } | null;
}

async function readWorkbook(file: string): Promise<unknown[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: unknown[] = [];
  for (const ws of wb.worksheets) {
    const rows: unknown[] = [];
    ws.eachRow({ includeEmpty: true }, (row) => {
      const cells: unknown[] = [];
      row.eachCell({ includeEmpty: true }, (cell) => {
        const fill = cell.fill as ExcelJS.FillPattern | undefined;
        cells.push([cell.value, fill?.type === 'pattern' ? (fill.fgColor?.argb ?? null) : null]);
      });
      rows.push(cells);
    });
    out.push({ name: ws.name, rows });
  }
  return out;
}

async function check(file: string, parallel: CheckTableOptions['parallel'], tag: string): Promise<Outcome> {
  const findings: Finding[] = [];
  const wb = path.join(dir, `${path.basename(file)}.${tag}.xlsx`);
  let split: Outcome['split'] = null;
  const r = await checkTable(file, path.basename(file), penalty, {
    today: TODAY,
    checkedAt: CHECKED_AT,
    errorWorkbookPath: wb,
    onFinding: (f) => findings.push(f),
    parallel,
    onSplit: (s) => {
      split = s;
    },
  });
  const { durationMs, ...result } = r;
  expect(durationMs).toBeGreaterThanOrEqual(0);
  return { result, findings, workbook: r.errorWorkbookWritten ? await readWorkbook(wb) : null, split };
}

async function expectSame(b: Built, splitAt: number): Promise<Outcome> {
  const seq = await check(b.file, false, 'seq');
  const par = await check(b.file, { splitAt }, 'par');
  expect(seq.split).toBeNull();
  expect(par.split).not.toBeNull();
  expect(par.result).toEqual(seq.result);
  expect(par.findings).toEqual(seq.findings);
  expect(par.workbook).toEqual(seq.workbook);
  return par;
}

describe('checkTable in two threads', () => {
  it.each([
    ['GBK, CRLF', 'gbk', '\r\n', ','],
    ['UTF-8 with BOM, LF, tabs', 'utf-8-bom', '\n', '\t'],
  ] as const)(
    '%s: the same result, findings and error workbook as one thread, split inside a quoted newline',
    async (label, encoding, eol, delimiter) => {
      const { rows, middle } = penaltyRows(11);
      const b = build(
        `par-${encoding}.csv`,
        [...PENALTY_HEADERS],
        rows,
        { encoding, eol, delimiter },
        middle,
      );
      // the chosen byte is the newline inside the quoted 违法行为 of the middle row
      const record = fs.readFileSync(b.file).subarray(b.offsets[middle]!, b.offsets[middle + 1]!);
      const inside = record.indexOf(0x0a);
      expect(inside).toBeLessThan(record.length - 1);
      const par = await expectSame(b, b.offsets[middle]! + inside);
      // the second half starts with the next record, at the right spreadsheet row
      expect(par.split).toEqual({ at: b.offsets[middle + 1], rowsBefore: b.firstDataRow + middle });
      const dups = par.findings.filter((f) => f.rule === 'duplicate');
      expect(dups.length).toBe(3 /* injected */ + 2 + 1 + 1 + 1);
      // the second half's repeats of first-half values name the first half's rows
      const firstRow = (f: Finding) => Number(/与第 (\d+) 行重复/.exec(f.message)?.[1]);
      const across = dups.filter(
        (f) => f.row > par.split!.rowsBefore && firstRow(f) <= par.split!.rowsBefore,
      );
      expect(across.length).toBeGreaterThanOrEqual(3);
      expect(par.result.headerRow).toBe(2);
      expect(par.result.encoding).toBe(encoding);
      void label;
    },
    60_000,
  );

  it('a missing required column: every row reported, identically', async () => {
    const { rows, middle } = penaltyRows(12);
    const drop = MC;
    const header = PENALTY_HEADERS.filter((_, i) => i !== drop);
    const cut = rows.map((r) => r.filter((_, i) => i !== drop));
    const b = build('par-missing.csv', header, cut, { encoding: 'utf-8', eol: '\n' }, middle);
    const par = await expectSame(b, Math.floor(fs.statSync(b.file).size / 2));
    expect(par.result.missingFields).toEqual([PENALTY_HEADERS[drop]]);
    expect(par.result.errorRows).toBe(ROWS);
  }, 60_000);

  it('splits exactly where the reader counts rows, at every byte of an awkward file', async () => {
    const text =
      '标题\r\n名称,代码,备注\r\n' +
      '甲,"乙\r\n丙",丁\r\n' +
      '\r\n' +
      '"引""号",戊,"己"尾巴\r\n' +
      '庚,辛"壬,癸\n' +
      '"子"\r丑,寅,卯\n' +
      ',,\n' +
      '"多\n\n行",2,3\r\n' +
      '辰,"巳,午""",未\n' +
      '申,酉,戌';
    for (const [encoding, bytes] of [
      ['gbk', encodeGbk(text)],
      ['utf-8', Buffer.from(text, 'utf8')],
    ] as const) {
      const file = path.join(dir, `awkward-${encoding}.csv`);
      fs.writeFileSync(file, bytes);
      const all = await readRows(file);
      expect(all.length).toBeGreaterThan(8);
      let splits = 0;
      for (let at = 1; at < bytes.length; at++) {
        const s = await planSplit(file, at);
        if (!s) continue;
        splits++;
        expect(s.at).toBeGreaterThanOrEqual(at);
        const range = { encoding: s.encoding, delimiter: s.delimiter };
        const first = await readRows(file, { ...range, start: s.dataStart, end: s.at, firstRow: 1 });
        const second = await readRows(file, {
          ...range,
          start: s.at,
          end: bytes.length,
          firstRow: s.rowsBefore + 1,
        });
        expect([...first, ...second]).toEqual(all);
        expect(first.every((r) => r.n <= s.rowsBefore)).toBe(true);
        expect(second.every((r) => r.n > s.rowsBefore)).toBe(true);
      }
      expect(splits).toBeGreaterThan(5);
    }
  });

  it('a BAD_INPUT in the second half names the right row; the first half keeps its own error first', async () => {
    const { rows, middle } = penaltyRows(13);
    const wide = middle + 700;
    rows[wide] = [...rows[wide]!, ...Array.from({ length: 1000 }, (_, i) => `x${i}`)];
    const b = build('par-wide.csv', [...PENALTY_HEADERS], rows, { encoding: 'gbk' }, middle);
    const err = await checkTable(b.file, 'par-wide.csv', penalty, {
      today: TODAY,
      errorWorkbookPath: path.join(dir, 'par-wide.xlsx'),
      parallel: { splitAt: b.offsets[middle]! },
    }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('BAD_INPUT');
    expect((err as Error).message).toContain(`第 ${b.firstDataRow + wide} 行有 1021 列`);
    expect(fs.existsSync(path.join(dir, 'par-wide.xlsx'))).toBe(false);

    // a wide row in each half: the first half's is reported (as by one thread)
    const early = middle - 500;
    rows[early] = [...rows[early]!, ...Array.from({ length: 990 }, (_, i) => `y${i}`)];
    const b1 = build('par-wide2.csv', [...PENALTY_HEADERS], rows, { encoding: 'gbk' }, middle);
    const err1 = await checkTable(b1.file, 'par-wide2.csv', penalty, {
      today: TODAY,
      parallel: { splitAt: b1.offsets[middle]! },
    }).catch((e: unknown) => e);
    expect((err1 as Error).message).toContain(`第 ${b1.firstDataRow + early} 行有 1011 列`);

    // an unclosed quote in the second half
    const { rows: rows2, middle: m2 } = penaltyRows(14);
    const open = m2 + 300;
    const b2 = build('par-quote.csv', [...PENALTY_HEADERS], rows2, { encoding: 'utf-8' }, m2);
    const bytes = fs.readFileSync(b2.file);
    fs.writeFileSync(
      b2.file,
      Buffer.concat([
        bytes.subarray(0, b2.offsets[open]!),
        Buffer.from('某某公司,"未闭合的引号,x\n甲,乙,丙\n丁,戊,己\n'),
      ]),
    );
    const seq = await checkTable(b2.file, 'q.csv', penalty, { today: TODAY, parallel: false }).catch(
      (e: unknown) => e,
    );
    const par = await checkTable(b2.file, 'q.csv', penalty, {
      today: TODAY,
      parallel: { splitAt: b2.offsets[m2 + 1]! },
    }).catch((e: unknown) => e);
    expect(isAppError(seq) && seq.code).toBe('BAD_INPUT');
    expect((par as Error).message).toBe((seq as Error).message);
    expect((par as Error).message).toContain(`第 ${b2.firstDataRow + open} 行的双引号没有闭合`);
  }, 60_000);

  it('cancel stops both halves and leaves no workbook and no spool', async () => {
    const { rows, middle } = penaltyRows(15);
    const more: string[][] = [];
    for (let k = 0; k < 20; k++) for (const r of rows) more.push(r);
    const b = build('par-cancel.csv', [...PENALTY_HEADERS], more, { encoding: 'gbk' }, middle);
    const wb = path.join(dir, 'par-cancel.xlsx');
    const spools = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith(`cwb-check-${process.pid}-`));
    const before = spools().length;
    const ac = new AbortController();
    let progressed = 0;
    const err = await checkTable(b.file, 'par-cancel.csv', penalty, {
      today: TODAY,
      errorWorkbookPath: wb,
      parallel: true,
      signal: ac.signal,
      onSplit: () => setTimeout(() => ac.abort(), 300),
      onProgress: () => progressed++,
    }).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('CANCELLED');
    expect(progressed).toBeGreaterThan(0);
    expect(fs.existsSync(wb)).toBe(false);
    expect(spools().length).toBe(before);
  }, 60_000);
});

async function readRows(file: string, csvRange?: CsvRange): Promise<RawRow[]> {
  const reader = await openTable(file, { csvRange });
  const out: RawRow[] = [];
  try {
    for await (const b of reader.batches()) out.push(...b);
  } finally {
    await reader.close();
  }
  return out;
}
