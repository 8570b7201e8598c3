/**
 * Checking one file: reader → header match → row checker → counts, worst rows, first findings
 * and the streamed error workbook. Runs inside the job worker (and in-process for the CLI).
 * STUB — see /tmp/prompts/run.md.
 */
import type { ColumnMapping, FileCheckResult, Finding, RuleSetDefinition } from '../contract/compliance';
import type { ProgressFn, RawRow, StoredRuleSet } from './types';

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

export async function previewTable(
  path: string,
  fileName: string,
  sets: StoredRuleSet[],
  opts: { rowsLimit?: number; signal?: AbortSignal } = {},
): Promise<PreviewData> {
  void path;
  void fileName;
  void sets;
  void opts;
  throw new Error('previewTable: not implemented yet');
}

export interface CheckTableOptions {
  /** YYYY-MM-DD: dates after it are in the future. */
  today: string;
  /** Where to write the error workbook (.xlsx); null: none. Written only if there are findings. */
  errorWorkbookPath?: string | null;
  /** Every finding, in file order (the CLI's --json). */
  onFinding?: (f: Finding) => void;
  onProgress?: ProgressFn;
  signal?: AbortSignal;
}

export async function checkTable(
  path: string,
  fileName: string,
  def: RuleSetDefinition,
  opts: CheckTableOptions,
): Promise<FileCheckResult & { errorWorkbookWritten: boolean }> {
  void path;
  void fileName;
  void def;
  void opts;
  throw new Error('checkTable: not implemented yet');
}
