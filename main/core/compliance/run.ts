/**
 * Checking one file: reader → header match → row checker → counts, worst rows, first findings
 * and the streamed error workbook. Runs inside the job worker (and in-process for the CLI).
 *
 * Memory is bounded whatever the file's size: rows are read in batches and dropped after
 * checking; what is kept is the first 2,000 findings, the 20 worst rows, per-rule/per-field
 * counters and whatever the checker keeps itself (the 决定书文号 seen, for duplicates).
 */
import type {
  ColumnMapping,
  FileCheckResult,
  Finding,
  RuleCount,
  RuleSetDefinition,
  WorstRow,
} from '../contract/compliance';
import { AppError } from '../util/errors';
import { compileChecker, detectRuleSet, matchHeader, RULES } from './engine';
import { ErrorWorkbookWriter } from './error-workbook';
import { openTable } from './readers/open';
import type { HeaderMatch, ProgressFn, RawRow, StoredRuleSet, TableReader } from './types';

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
}

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

export async function checkTable(
  path: string,
  fileName: string,
  def: RuleSetDefinition,
  opts: CheckTableOptions,
): Promise<FileCheckResult & { errorWorkbookWritten: boolean }> {
  const started = performance.now();
  const { signal } = opts;
  throwIfAborted(signal);
  const reader: TableReader = await openTable(path, { fileName, signal });
  let workbook: ErrorWorkbookWriter | null = null;
  try {
    const it = reader.batches();
    const { batches, head } = await readHead(it, HEADER_SCAN_ROWS);
    const match: HeaderMatch | null = matchHeader(head, def);
    if (!match) {
      throw new AppError(
        'BAD_INPUT',
        `「${fileName}」中没有找到「${def.name}」的表头（前 ${HEADER_SCAN_ROWS} 行中没有与规则集字段匹配的行）。请确认文件内容与所选规则集一致。`,
        { fileName, ruleSet: def.code },
      );
    }
    const checker = compileChecker(def, match, { today: opts.today });
    const headerRow = match.headerRow;
    const headerCells = head.find((r) => r.n === headerRow)?.cells.slice() ?? [];
    // the header's width in the workbook: up to the last non-empty header cell or mapped column
    let headerWidth = headerCells.length;
    while (headerWidth > 0 && (headerCells[headerWidth - 1] ?? '').trim() === '') headerWidth--;
    for (const c of match.columns) if (c.field !== null) headerWidth = Math.max(headerWidth, c.index + 1);
    const workbookHeader = headerCells.slice(0, headerWidth);
    while (workbookHeader.length < headerWidth) workbookHeader.push('');

    /*
     * A required column missing from the file makes EVERY data row non-compliant. The checker
     * skips fields without a column, so the run adds, per data row, one row-level finding per
     * missing field (rule 'required', column null, field = its name). They are ordinary findings:
     * counts, the sample, the worst rows, onFinding and the error workbook all agree (a file
     * without a required column gets every row in its error workbook, which is what the
     * department has to fix). The cost is one small object per row and missing field.
     */
    const missing = match.missingFields.map((name) => ({
      name,
      message: `缺少必填列「${name}」：文件中没有这一列。请按规则集模板增加「${name}」列并逐行填写。`,
    }));

    const codeColumns = new Uint8Array(Math.max(headerWidth, 1) + 1);
    const formatOf = new Map(def.fields.map((f) => [f.key, f.format]));
    for (const [key, idx] of Object.entries(match.fieldIndex)) {
      const fmt = formatOf.get(key);
      if ((fmt === 'uscc' || fmt === 'org_code') && idx < codeColumns.length) codeColumns[idx] = 1;
    }

    const findings: Finding[] = [];
    const sample: Finding[] = [];
    let totalFindings = 0;
    let rows = 0;
    let errorRows = 0;
    let warningRows = 0;
    let errors = 0;
    let warnings = 0;
    let wrongCodes = 0;
    const byRule = new Map<string, RuleCount>();
    const byField = new Map<string, { field: string; errors: number; warnings: number }>();
    const worst = new WorstRows(WORST_ROWS);
    const onFinding = opts.onFinding;
    const sampleRows: string[][] = [];
    for (const b of batches) {
      for (const r of b) {
        if (r.n > headerRow && sampleRows.length < 50) sampleRows.push(r.cells);
      }
    }

    const processBatch = (batch: readonly RawRow[]) => {
      for (let bi = 0; bi < batch.length; bi++) {
        const raw = batch[bi];
        if (!raw || raw.n <= headerRow) continue;
        const cells = raw.cells;
        if (isEmptyRow(cells)) continue;
        rows++;
        checker.check(cells, raw.n, findings);
        for (let m = 0; m < missing.length; m++) {
          const mf = missing[m];
          if (!mf) continue;
          findings.push({
            row: raw.n,
            column: null,
            field: mf.name,
            rule: 'required',
            severity: 'error',
            message: mf.message,
            value: null,
          });
        }
        const nf = findings.length;
        if (nf === 0) continue;

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
            wrongCodes++;
          }
          if (sample.length < SAMPLE_FINDINGS) sample.push(f);
          if (onFinding) onFinding(f);
        }
        totalFindings += nf;
        errors += rowErrors;
        warnings += rowWarnings;
        if (rowErrors > 0) errorRows++;
        else warningRows++;
        if (worst.wants(rowErrors, rowWarnings)) {
          worst.add({ row: raw.n, errors: rowErrors, warnings: rowWarnings, findings: findings.slice() });
        }
        if (opts.errorWorkbookPath) {
          if (!workbook) {
            workbook = new ErrorWorkbookWriter(opts.errorWorkbookPath, workbookHeader, { sampleRows });
          }
          workbook.addRow(raw.n, cells, findings);
        }
        findings.length = 0;
      }
    };

    let lastProgress = performance.now();
    const progress = (force: boolean) => {
      if (!opts.onProgress) return;
      const now = performance.now();
      if (!force && now - lastProgress < PROGRESS_MS) return;
      lastProgress = now;
      opts.onProgress({
        done: reader.bytesRead(),
        total: reader.totalBytes,
        message: `已检查 ${NUMBER.format(rows)} 行`,
      });
    };

    for (const b of batches) processBatch(b);
    batches.length = 0;
    progress(false);
    for (;;) {
      throwIfAborted(signal);
      const r = await it.next();
      if (r.done) break;
      processBatch(r.value);
      progress(false);
    }
    throwIfAborted(signal);
    progress(true);

    const rate = rows === 0 ? 100 : ((rows - errorRows) / rows) * 100;
    const byRuleList = [...byRule.values()].sort(
      (a, b) => b.count - a.count || (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1),
    );
    const written = workbook !== null;
    if (workbook) {
      (workbook as ErrorWorkbookWriter).finish({
        fileName,
        ruleSet: { code: def.code, name: def.name, version: def.version },
        checkedAt: opts.checkedAt ?? localStamp(new Date()),
        rows,
        errorRows,
        warningRows,
        errors,
        warnings,
        rate,
        wrongCodes,
        byRule: byRuleList,
      });
      workbook = null;
    }
    return {
      fileName,
      format: reader.format,
      encoding: reader.encoding,
      sheetName: reader.sheetName,
      ruleSet: { code: def.code, name: def.name, version: def.version, category: def.category },
      headerRow,
      columns: match.columns,
      missingFields: match.missingFields,
      rows,
      errorRows,
      warningRows,
      errors,
      warnings,
      rate,
      wrongCodes,
      byRule: byRuleList,
      byField: [...byField.values()].sort((a, b) => b.errors - a.errors || b.warnings - a.warnings),
      worstRows: worst.sorted(),
      sample,
      sampleTruncated: totalFindings > sample.length,
      durationMs: Math.round(performance.now() - started),
      errorWorkbookWritten: written,
    };
  } catch (e) {
    (workbook as ErrorWorkbookWriter | null)?.abort();
    throw e;
  } finally {
    await reader.close();
  }
}
