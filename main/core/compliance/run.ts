/**
 * Checking one file: reader → header match → row checker → counts, worst rows, first findings
 * and the streamed error workbook. Runs inside the job worker (and in-process for the CLI).
 *
 * Memory is bounded whatever the file's size: rows are read in batches and dropped after
 * checking; what is kept is the first 2,000 findings, the 20 worst rows, per-rule/per-field
 * counters and whatever the checker keeps itself (the 决定书文号 seen, for duplicates).
 *
 * A big CSV is checked by two threads (checkHalves; the byte split, spool and re-reads are in
 * parallel.ts) with the same result as one thread: the same per-row loop (checkBatch) and the
 * same totals (Totals) fed in file order.
 */
import os, { availableParallelism } from 'node:os';
import nodePath from 'node:path';
import type {
  ColumnMapping,
  FileCheckResult,
  Finding,
  RuleCount,
  RuleSetDefinition,
  WorstRow,
} from '../contract/compliance';
import { runJob } from '../jobs/jobs';
import { AppError } from '../util/errors';
import { compileChecker, detectRuleSet, matchHeader, RULES } from './engine';
import { ErrorWorkbookWriter } from './error-workbook';
import { fetchRows, planSplit, readSpool, removeQuietly, SpoolWriter, type CsvSplit } from './parallel';
import type { CsvRange } from './readers/csv';
import { openTable } from './readers/open';
import type { HeaderMatch, ProgressFn, RawRow, RowChecker, StoredRuleSet, TableReader } from './types';

/** The header row is looked for among the file's first rows. */
export const HEADER_SCAN_ROWS = 30;
export const SAMPLE_FINDINGS = 2000;
export const WORST_ROWS = 20;
const PROGRESS_MS = 100;

export interface PreviewData {
  fileName: string;
  size: number;
  format: 'xlsx' | 'csv';
  encoding: string | null;
  sheetName: string | null;
  ruleSetId: string | null;
  candidates: { ruleSetId: string; name: string; matched: number; missing: string[] }[];
  headerRow: number | null;
  columns: ColumnMapping[];
  missingFields: string[];
  /** First rows after the header (at most `rowsLimit`). */
  rows: RawRow[];
}

// ---------------------------------------------------------------------------------------------
// Reading the head of a file
// ---------------------------------------------------------------------------------------------

function isEmptyRow(cells: readonly string[]): boolean {
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if (c === undefined || c.length === 0) continue;
    if (c.trim().length > 0) return false;
  }
  return true;
}

/**
 * Reads batches until `n` rows are in hand (or the file ends). Returns those batches (whole:
 * rows past the n-th are data rows still to be checked) and the first n rows.
 */
async function readHead(
  it: AsyncGenerator<RawRow[]>,
  n: number,
): Promise<{ batches: RawRow[][]; head: RawRow[]; ended: boolean }> {
  const batches: RawRow[][] = [];
  const head: RawRow[] = [];
  while (head.length < n) {
    const r = await it.next();
    if (r.done) return { batches, head, ended: true };
    batches.push(r.value);
    for (const row of r.value) {
      if (head.length >= n) break;
      head.push(row);
    }
  }
  return { batches, head, ended: false };
}

const NUMBER = new Intl.NumberFormat('en-US');

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('CANCELLED', '已取消');
}

// ---------------------------------------------------------------------------------------------
// Preview
// ---------------------------------------------------------------------------------------------

export async function previewTable(
  path: string,
  fileName: string,
  sets: StoredRuleSet[],
  opts: { rowsLimit?: number; signal?: AbortSignal } = {},
): Promise<PreviewData> {
  const rowsLimit = opts.rowsLimit ?? 20;
  const reader = await openTable(path, { fileName, signal: opts.signal });
  try {
    const it = reader.batches();
    const { batches, head, ended } = await readHead(it, HEADER_SCAN_ROWS);
    const { best, candidates } = detectRuleSet(head, sets);
    const headerRow = best ? best.match.headerRow : null;
    const rows: RawRow[] = [];
    const take = (batch: readonly RawRow[]) => {
      for (const row of batch) {
        if (rows.length >= rowsLimit) return;
        if (headerRow !== null && row.n <= headerRow) continue;
        if (isEmptyRow(row.cells)) continue;
        rows.push({ n: row.n, cells: row.cells.slice() });
      }
    };
    for (const b of batches) take(b);
    if (!ended) {
      while (rows.length < rowsLimit) {
        const r = await it.next();
        if (r.done) break;
        take(r.value);
      }
    }
    await it.return(undefined);
    const list = candidates.map((c) => ({
      ruleSetId: c.set.id,
      name: c.set.definition.name,
      matched: c.match.matched,
      missing: c.match.missingFields,
    }));
    if (best && !list.some((c) => c.ruleSetId === best.set.id)) {
      list.unshift({
        ruleSetId: best.set.id,
        name: best.set.definition.name,
        matched: best.match.matched,
        missing: best.match.missingFields,
      });
    }
    return {
      fileName,
      size: reader.totalBytes,
      format: reader.format,
      encoding: reader.encoding,
      sheetName: reader.sheetName,
      ruleSetId: best ? best.set.id : null,
      candidates: list,
      headerRow,
      columns: best ? best.match.columns : [],
      missingFields: best ? best.match.missingFields : [],
      rows,
    };
  } finally {
    await reader.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Check
// ---------------------------------------------------------------------------------------------

export interface CheckTableOptions {
  /** YYYY-MM-DD: dates after it are in the future. */
  today: string;
  /** Where to write the error workbook (.xlsx); null: none. Written only if there are findings. */
  errorWorkbookPath?: string | null;
  /** Every finding, in file order (the CLI's --json). */
  onFinding?: (f: Finding) => void;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
  /** Shown in the workbook's 汇总 as the check time (default: now, local time). */
  checkedAt?: string;
  /**
   * Two threads over a CSV (the result is identical to the one-thread check): undefined =
   * automatic (CSV of PARALLEL_MIN_BYTES or more and at least 2 cores), false = never, true =
   * whenever the file can be split, { splitAt } = split at the first record boundary at or after
   * that byte offset (tests).
   */
  parallel?: boolean | { splitAt: number };
  /** Called when the file is checked in two halves: where the second half starts (tests, bench). */
  onSplit?: (split: { at: number; rowsBefore: number }) => void;
}

/** CSV files from this size up are checked by two threads (when the machine has two cores). */
export const PARALLEL_MIN_BYTES = 16 * 1024 * 1024;

type CheckResult = FileCheckResult & { errorWorkbookWritten: boolean };

/** Rule ids whose failure on a uscc/org_code column makes the code "wrong" (FileCheckResult.wrongCodes). */
function isCodeRule(rule: string): boolean {
  return rule.startsWith('uscc') || rule.startsWith('org_code') || rule === 'sci_notation';
}

/** The 20 worst rows: a small array with its weakest entry's index kept at hand. */
class WorstRows {
  readonly rows: WorstRow[] = [];
  private weakest = -1;

  constructor(private readonly size: number) {}

  private static worse(a: WorstRow, errors: number, warnings: number): boolean {
    // is (errors, warnings) strictly worse than a?
    return errors > a.errors || (errors === a.errors && warnings > a.warnings);
  }

  /** Cheap test before the findings are copied. */
  wants(errors: number, warnings: number): boolean {
    if (this.rows.length < this.size) return true;
    const w = this.rows[this.weakest];
    return w !== undefined && WorstRows.worse(w, errors, warnings);
  }

  add(row: WorstRow): void {
    if (this.rows.length < this.size) this.rows.push(row);
    else this.rows[this.weakest] = row;
    if (this.rows.length < this.size) return;
    // find the new weakest: fewest errors, then fewest warnings, then the latest row
    let k = 0;
    for (let i = 1; i < this.rows.length; i++) {
      const a = this.rows[i];
      const b = this.rows[k];
      if (!a || !b) continue;
      if (
        a.errors < b.errors ||
        (a.errors === b.errors && (a.warnings < b.warnings || (a.warnings === b.warnings && a.row > b.row)))
      ) {
        k = i;
      }
    }
    this.weakest = k;
  }

  sorted(): WorstRow[] {
    return this.rows.slice().sort((a, b) => b.errors - a.errors || b.warnings - a.warnings || a.row - b.row);
  }
}

function localStamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

// ---------- the per-row loop (every path: one thread, either half of two) ----------

/** A required field without a column: one row-level finding per data row (see rowFindings). */
interface MissingField {
  name: string;
  message: string;
}

/*
 * A required column missing from the file makes EVERY data row non-compliant. The checker
 * skips fields without a column, so the run adds, per data row, one row-level finding per
 * missing field (rule 'required', column null, field = its name). They are ordinary findings:
 * counts, the sample, the worst rows, onFinding and the error workbook all agree (a file
 * without a required column gets every row in its error workbook, which is what the
 * department has to fix). The cost is one small object per row and missing field.
 */
function missingFields(match: HeaderMatch): MissingField[] {
  return match.missingFields.map((name) => ({
    name,
    message: `缺少必填列「${name}」：文件中没有这一列。请按规则集模板增加「${name}」列并逐行填写。`,
  }));
}

/** All findings of one data row, in order, appended to `out`. */
function rowFindings(
  checker: RowChecker,
  missing: readonly MissingField[],
  cells: string[],
  n: number,
  out: Finding[],
): void {
  checker.check(cells, n, out);
  for (let m = 0; m < missing.length; m++) {
    const mf = missing[m];
    if (!mf) continue;
    out.push({
      row: n,
      column: null,
      field: mf.name,
      rule: 'required',
      severity: 'error',
      message: mf.message,
      value: null,
    });
  }
}

/** Receives the rows with findings, in file order (`findings` is reused after the call). */
interface RowSink {
  addRow(n: number, cells: string[], findings: Finding[]): void;
}

/**
 * Checks the data rows of a batch (rows after the header, not empty), hands each row with
 * findings to `sink`; returns the number of data rows.
 */
function checkBatch(
  batch: readonly RawRow[],
  headerRow: number,
  checker: RowChecker,
  missing: readonly MissingField[],
  findings: Finding[],
  sink: RowSink,
): number {
  let rows = 0;
  for (let bi = 0; bi < batch.length; bi++) {
    const raw = batch[bi];
    if (!raw || raw.n <= headerRow) continue;
    const cells = raw.cells;
    if (isEmptyRow(cells)) continue;
    rows++;
    rowFindings(checker, missing, cells, raw.n, findings);
    if (findings.length === 0) continue;
    sink.addRow(raw.n, cells, findings);
    findings.length = 0;
  }
  return rows;
}

// ---------- totals (counts, sample, worst rows, error workbook) ----------

interface WorkbookSpec {
  path: string;
  header: string[];
  sampleRows: string[][];
}

/** Everything a check reports, fed with the rows with findings in file order. */
class Totals implements RowSink {
  rows = 0;
  errorRows = 0;
  warningRows = 0;
  errors = 0;
  warnings = 0;
  wrongCodes = 0;
  totalFindings = 0;
  readonly sample: Finding[] = [];
  readonly byRule = new Map<string, RuleCount>();
  readonly byField = new Map<string, { field: string; errors: number; warnings: number }>();
  readonly worst = new WorstRows(WORST_ROWS);
  workbook: ErrorWorkbookWriter | null = null;

  constructor(
    private readonly codeColumns: Uint8Array,
    private readonly onFinding: ((f: Finding) => void) | undefined,
    private readonly workbookSpec: WorkbookSpec | null,
  ) {}

  addRow(n: number, cells: string[], findings: Finding[]): void {
    const { byRule, byField, codeColumns, onFinding, sample } = this;
    const nf = findings.length;
    let rowErrors = 0;
    let rowWarnings = 0;
    let lastCodeCol = -1;
    for (let k = 0; k < nf; k++) {
      const f = findings[k] as Finding;
      const isError = f.severity === 'error';
      if (isError) rowErrors++;
      else rowWarnings++;
      const ruleKey = isError ? f.rule : `${f.rule}\u0000w`;
      let rc = byRule.get(ruleKey);
      if (!rc) {
        rc = { rule: f.rule, name: RULES[f.rule]?.name ?? f.rule, severity: f.severity, count: 0 };
        byRule.set(ruleKey, rc);
      }
      rc.count++;
      const fieldName = f.field ?? '（整行）';
      let fc = byField.get(fieldName);
      if (!fc) {
        fc = { field: fieldName, errors: 0, warnings: 0 };
        byField.set(fieldName, fc);
      }
      if (isError) fc.errors++;
      else fc.warnings++;
      if (
        f.column !== null &&
        f.column !== lastCodeCol &&
        codeColumns[f.column] === 1 &&
        isCodeRule(f.rule)
      ) {
        lastCodeCol = f.column;
        this.wrongCodes++;
      }
      if (sample.length < SAMPLE_FINDINGS) sample.push(f);
      if (onFinding) onFinding(f);
    }
    this.totalFindings += nf;
    this.errors += rowErrors;
    this.warnings += rowWarnings;
    if (rowErrors > 0) this.errorRows++;
    else this.warningRows++;
    if (this.worst.wants(rowErrors, rowWarnings)) {
      this.worst.add({ row: n, errors: rowErrors, warnings: rowWarnings, findings: findings.slice() });
    }
    const spec = this.workbookSpec;
    if (spec) {
      if (!this.workbook) {
        this.workbook = new ErrorWorkbookWriter(spec.path, spec.header, { sampleRows: spec.sampleRows });
      }
      this.workbook.addRow(n, cells, findings);
    }
  }

  /** Finishes the workbook and builds the result. */
  finish(
    reader: TableReader,
    match: HeaderMatch,
    def: RuleSetDefinition,
    checkedAt: string | undefined,
    started: number,
  ): CheckResult {
    const base = {
      fileName: reader.fileName,
      format: reader.format,
      encoding: reader.encoding,
      sheetName: reader.sheetName,
      headerRow: match.headerRow,
      columns: match.columns,
      missingFields: match.missingFields,
    };
    const { rows, errorRows, warningRows, errors, warnings, wrongCodes } = this;
    const rate = rows === 0 ? 100 : ((rows - errorRows) / rows) * 100;
    const byRuleList = [...this.byRule.values()].sort(
      (a, b) => b.count - a.count || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
    );
    const counts = { rows, errorRows, warningRows, errors, warnings, rate, wrongCodes, byRule: byRuleList };
    const workbook = this.workbook;
    const written = workbook !== null;
    if (workbook) {
      workbook.finish({
        fileName: base.fileName,
        ruleSet: { code: def.code, name: def.name, version: def.version },
        checkedAt: checkedAt ?? localStamp(new Date()),
        ...counts,
      });
      this.workbook = null;
    }
    return {
      fileName: base.fileName,
      format: base.format,
      encoding: base.encoding,
      sheetName: base.sheetName,
      ruleSet: { code: def.code, name: def.name, version: def.version, category: def.category },
      headerRow: base.headerRow,
      columns: base.columns,
      missingFields: base.missingFields,
      ...counts,
      byField: [...this.byField.values()].sort((a, b) => b.errors - a.errors || b.warnings - a.warnings),
      worstRows: this.worst.sorted(),
      sample: this.sample,
      sampleTruncated: this.totalFindings > this.sample.length,
      durationMs: Math.round(performance.now() - started),
      errorWorkbookWritten: written,
    };
  }

  abort(): void {
    this.workbook?.abort();
    this.workbook = null;
  }
}

function noHeader(fileName: string, def: RuleSetDefinition): AppError {
  return new AppError(
    'BAD_INPUT',
    `「${fileName}」中没有找到「${def.name}」的表头（前 ${HEADER_SCAN_ROWS} 行中没有与规则集字段匹配的行）。请确认文件内容与所选规则集一致。`,
    { fileName, ruleSet: def.code },
  );
}

/** What the head of the file decides: the totals (code columns, workbook header and widths). */
function newTotals(
  def: RuleSetDefinition,
  match: HeaderMatch,
  head: readonly RawRow[],
  headBatches: readonly RawRow[][],
  opts: CheckTableOptions,
): Totals {
  const headerRow = match.headerRow;
  const headerCells = head.find((r) => r.n === headerRow)?.cells.slice() ?? [];
  // the header's width in the workbook: up to the last non-empty header cell or mapped column
  let headerWidth = headerCells.length;
  while (headerWidth > 0 && (headerCells[headerWidth - 1] ?? '').trim() === '') headerWidth--;
  for (const c of match.columns) if (c.field !== null) headerWidth = Math.max(headerWidth, c.index + 1);
  const workbookHeader = headerCells.slice(0, headerWidth);
  while (workbookHeader.length < headerWidth) workbookHeader.push('');

  const codeColumns = new Uint8Array(Math.max(headerWidth, 1) + 1);
  const formatOf = new Map(def.fields.map((f) => [f.key, f.format]));
  for (const [key, idx] of Object.entries(match.fieldIndex)) {
    const fmt = formatOf.get(key);
    if ((fmt === 'uscc' || fmt === 'org_code') && idx < codeColumns.length) codeColumns[idx] = 1;
  }
  const sampleRows: string[][] = [];
  for (const b of headBatches) {
    for (const r of b) {
      if (r.n > headerRow && sampleRows.length < 50) sampleRows.push(r.cells);
    }
  }
  const spec = opts.errorWorkbookPath
    ? { path: opts.errorWorkbookPath, header: workbookHeader, sampleRows }
    : null;
  return new Totals(codeColumns, opts.onFinding, spec);
}

/** Data rows the workbook's column widths are taken from (newTotals): the first 50. */
const WIDTH_SAMPLE_ROWS = 50;

function wantsParallel(opts: CheckTableOptions, size: number): boolean {
  if (opts.parallel === false) return false;
  if (opts.parallel !== undefined) return true;
  return size >= PARALLEL_MIN_BYTES && availableParallelism() >= 2;
}

export async function checkTable(
  path: string,
  fileName: string,
  def: RuleSetDefinition,
  opts: CheckTableOptions,
): Promise<CheckResult> {
  const started = performance.now();
  const { signal } = opts;
  throwIfAborted(signal);
  let reader: TableReader = await openTable(path, { fileName, signal });
  if (reader.format === 'csv' && wantsParallel(opts, reader.totalBytes)) {
    await reader.close();
    const target = typeof opts.parallel === 'object' ? opts.parallel.splitAt : undefined;
    const split = await planSplit(path, target);
    if (split) {
      const result = await checkHalves(path, fileName, def, opts, split, started);
      if (result) return result;
    }
    throwIfAborted(signal);
    reader = await openTable(path, { fileName, signal });
  }
  return checkSequential(reader, fileName, def, opts, started);
}

/** The one-thread check (xlsx, small or unsplittable CSV, and the fallback). */
async function checkSequential(
  reader: TableReader,
  fileName: string,
  def: RuleSetDefinition,
  opts: CheckTableOptions,
  started: number,
): Promise<CheckResult> {
  const { signal } = opts;
  let totals: Totals | null = null;
  try {
    const it = reader.batches();
    const { batches, head } = await readHead(it, HEADER_SCAN_ROWS);
    const match: HeaderMatch | null = matchHeader(head, def);
    if (!match) throw noHeader(fileName, def);
    const checker = compileChecker(def, match, { today: opts.today });
    const headerRow = match.headerRow;
    const missing = missingFields(match);
    const t = newTotals(def, match, head, batches, opts);
    totals = t;
    const findings: Finding[] = [];

    let lastProgress = performance.now();
    const progress = (force: boolean) => {
      if (!opts.onProgress) return;
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_MS) return;
      lastProgress = now;
      opts.onProgress({
        done: reader.bytesRead(),
        total: reader.totalBytes,
        message: `已检查 ${NUMBER.format(t.rows)} 行`,
      });
    };

    for (const b of batches) t.rows += checkBatch(b, headerRow, checker, missing, findings, t);
    batches.length = 0;
    progress(false);
    for (;;) {
      throwIfAborted(signal);
      const r = await it.next();
      if (r.done) break;
      t.rows += checkBatch(r.value, headerRow, checker, missing, findings, t);
      progress(false);
    }
    throwIfAborted(signal);
    progress(true);
    return t.finish(reader, match, def, opts.checkedAt, started);
  } catch (e) {
    totals?.abort();
    throw e;
  } finally {
    await reader.close();
  }
}

// ---------- two threads ----------

/** What the second half's thread checks (the job 'compliance.checkPart'). */
export interface PartInput {
  path: string;
  fileName: string;
  def: RuleSetDefinition;
  match: HeaderMatch;
  today: string;
  range: CsvRange;
  /** Where the rows with findings are spooled (JSON lines, parallel.ts). */
  spoolPath: string;
}

export interface PartOutput {
  /** Data rows checked. */
  rows: number;
  /** Rows written to the spool. */
  spooled: number;
  /** The duplicate table of the `unique` column (slots of [h1, h2, first row]), if any. */
  unique: { column: number; entries: Int32Array } | null;
}

/**
 * Checks a byte range of a CSV (the second half) with its own checker; the rows with findings go
 * to the spool, as they are (the coordinator corrects duplicates of values the first half has).
 * Progress: done = bytes of the range read, total = the range's size, rows = data rows checked.
 */
export async function checkPart(
  input: PartInput,
  opts: { signal?: AbortSignal; onProgress?: ProgressFn } = {},
): Promise<PartOutput> {
  const { signal } = opts;
  const reader = await openTable(input.path, { fileName: input.fileName, signal, csvRange: input.range });
  const spool = new SpoolWriter(input.spoolPath);
  try {
    const checker = compileChecker(input.def, input.match, { today: input.today });
    const missing = missingFields(input.match);
    const headerRow = input.match.headerRow;
    const findings: Finding[] = [];
    const total = input.range.end - input.range.start;
    let rows = 0;
    let last = performance.now();
    const it = reader.batches();
    for (;;) {
      throwIfAborted(signal);
      const r = await it.next();
      if (r.done) break;
      rows += checkBatch(r.value, headerRow, checker, missing, findings, spool);
      const now = performance.now();
      if (opts.onProgress && now - last >= PROGRESS_MS) {
        last = now;
        opts.onProgress({
          done: reader.bytesRead(),
          total,
          message: `已检查 ${NUMBER.format(rows)} 行`,
          rows,
        });
      }
    }
    throwIfAborted(signal);
    spool.close();
    const u = checker.unique[0];
    return {
      rows,
      spooled: spool.count,
      unique: u ? { column: u.column, entries: u.table.entries } : null,
    };
  } catch (e) {
    spool.discard();
    throw e;
  } finally {
    await reader.close();
  }
}

let spoolSeq = 0;

/**
 * The two-thread check of a CSV split at `split` (parallel.ts): this thread checks the first
 * half (feeding the totals and the workbook as it goes) while a job worker checks the second
 * half into a spool; then the spool is fed to the same totals in order, so the result, the
 * findings' order and the workbook are those of the one-thread check. Duplicates across the
 * halves: the second half's table is looked up in the first half's; its rows holding a value the
 * first half has (the first occurrence in the second half, re-read from the file when it had no
 * other finding, and the later ones) are checked again with the first half's checker, whose
 * table names the first half's row. Errors: the first half's comes first (file order, as with
 * one thread), so an error of the second half is reported once the first half is through; cancel
 * stops both threads; the spool and a partial workbook are removed. Null when the split does not
 * suit (the caller checks in one thread): a header or the workbook's width sample not inside the
 * first half, several unique columns.
 */
async function checkHalves(
  path: string,
  fileName: string,
  def: RuleSetDefinition,
  opts: CheckTableOptions,
  split: CsvSplit,
  started: number,
): Promise<CheckResult | null> {
  const { signal } = opts;
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) inner.abort();
  const base = { encoding: split.encoding, delimiter: split.delimiter };
  const reader = await openTable(path, {
    fileName,
    signal: inner.signal,
    csvRange: { ...base, start: split.dataStart, end: split.at, firstRow: 1 },
  });
  const range2: CsvRange = {
    ...base,
    start: split.at,
    end: reader.totalBytes,
    firstRow: split.rowsBefore + 1,
  };
  let totals: Totals | null = null;
  let spoolPath: string | null = null;
  let part: Promise<PartOutput | null> | null = null;
  let partError: unknown = null;
  try {
    const it = reader.batches();
    const { batches, head } = await readHead(it, HEADER_SCAN_ROWS);
    if (head.length < HEADER_SCAN_ROWS) return null;
    const match = matchHeader(head, def);
    if (!match) throw noHeader(fileName, def);
    const checker = compileChecker(def, match, { today: opts.today });
    if (checker.unique.length > 1) return null;
    let dataRows = 0;
    for (const b of batches) for (const r of b) if (r.n > match.headerRow) dataRows++;
    if (dataRows < WIDTH_SAMPLE_ROWS) return null;
    opts.onSplit?.({ at: split.at, rowsBefore: split.rowsBefore });

    const headerRow = match.headerRow;
    const missing = missingFields(match);
    const t = newTotals(def, match, head, batches, opts);
    totals = t;
    const findings: Finding[] = [];

    // the second half, in another thread
    spoolPath = nodePath.join(os.tmpdir(), `cwb-check-${process.pid}-${Date.now()}-${spoolSeq++}.jsonl`);
    let doneBytes2 = 0;
    let rows2 = 0;
    let lastProgress = performance.now();
    const progress = (force: boolean) => {
      if (!opts.onProgress) return;
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_MS) return;
      lastProgress = now;
      opts.onProgress({
        done: split.dataStart + reader.bytesRead() + doneBytes2,
        total: reader.totalBytes,
        message: `已检查 ${NUMBER.format(t.rows + rows2)} 行`,
      });
    };
    const input: PartInput = { path, fileName, def, match, today: opts.today, range: range2, spoolPath };
    part = runJob('compliance.checkPart', input, {
      signal: inner.signal,
      onProgress: (p) => {
        doneBytes2 = p.done;
        rows2 = p.rows ?? rows2;
        progress(false);
      },
    }).catch((e: unknown) => {
      partError = e;
      return null;
    });

    // the first half, here (an error here comes first in file order: it wins)
    for (const b of batches) t.rows += checkBatch(b, headerRow, checker, missing, findings, t);
    batches.length = 0;
    progress(false);
    for (;;) {
      throwIfAborted(inner.signal);
      const r = await it.next();
      if (r.done) break;
      t.rows += checkBatch(r.value, headerRow, checker, missing, findings, t);
      progress(false);
    }
    throwIfAborted(inner.signal);

    const out = await part;
    part = null;
    if (partError !== null || !out) throw partError ?? new AppError('INTERNAL', '后台任务没有返回结果');
    doneBytes2 = range2.end - range2.start;
    rows2 = out.rows;
    progress(false);

    // the second half's rows with findings, duplicates of the first half's values corrected
    const uniq = checker.unique[0] ?? null;
    const fix: number[] = [];
    if (uniq && out.unique && out.unique.column === uniq.column) {
      const t1 = uniq.table;
      const e = out.unique.entries;
      for (let k = 0; k < e.length; k += 3) {
        const row = e[k + 2]!;
        if (row !== 0 && t1.findHash(e[k]!, e[k + 1]!) !== 0) fix.push(row);
      }
      fix.sort((a, b) => a - b);
    }
    const recheck = (cells: string[], n: number) => {
      rowFindings(checker, missing, cells, n, findings);
      if (findings.length > 0) t.addRow(n, cells, findings);
      findings.length = 0;
    };
    const fetched = fetchRows(path, fileName, range2, fix, inner.signal);
    const spooled = readSpool(spoolPath);
    try {
      let f = await fetched.next();
      let s = await spooled.next();
      let count = 0;
      while (!f.done || !s.done) {
        if ((++count & 1023) === 0) throwIfAborted(inner.signal);
        if (!f.done && (s.done || f.value.n <= s.value.n)) {
          if (!s.done && s.value.n === f.value.n) s = await spooled.next();
          recheck(f.value.cells, f.value.n);
          f = await fetched.next();
          continue;
        }
        if (s.done) break;
        const row = s.value;
        if (uniq && uniq.table.find(row.cells[uniq.column] ?? '') !== 0) recheck(row.cells, row.n);
        else t.addRow(row.n, row.cells, row.findings);
        s = await spooled.next();
      }
    } finally {
      await fetched.return(undefined);
      await spooled.return(undefined);
    }
    t.rows += out.rows;
    throwIfAborted(inner.signal);
    progress(true);
    return t.finish(reader, match, def, opts.checkedAt, started);
  } catch (e) {
    totals?.abort();
    throw e;
  } finally {
    signal?.removeEventListener('abort', onAbort);
    if (part) {
      // this half failed or was cancelled: stop the other and wait for it to end
      inner.abort();
      await part;
    }
    await reader.close();
    if (spoolPath) removeQuietly(spoolPath);
  }
}
