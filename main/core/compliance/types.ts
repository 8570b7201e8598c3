/**
 * The interfaces between the pieces of the compliance check: readers (xlsx/csv → rows), the
 * engine (rule set → header match → row checker), the run (reader + checker + error workbook)
 * and the worker jobs. Values crossing a worker boundary are plain data.
 */
import type { ColumnMapping, Finding, RuleSetDefinition } from '../contract/compliance';

/** One spreadsheet row: its 1-based row number in the sheet/file and its cells as text. */
export interface RawRow {
  n: number;
  cells: string[];
}

export interface OpenTableOptions {
  /** Name shown in messages (defaults to the path's base name). */
  fileName?: string;
  signal?: AbortSignal;
  /** A row with more cells is refused with a message naming the row (default 1,000). */
  maxColumns?: number;
}

/** A streamed table: rows in file order, in batches, never the whole file in memory. */
export interface TableReader {
  readonly fileName: string;
  readonly format: 'xlsx' | 'csv';
  /** csv: 'utf-8' | 'utf-8-bom' | 'gbk' | 'gb18030'; xlsx: null */
  readonly encoding: string | null;
  /** xlsx: the sheet read (the first visible worksheet); csv: null */
  readonly sheetName: string | null;
  /** Size of the file on disk. */
  readonly totalBytes: number;
  /** Bytes of the file consumed so far (for progress). */
  bytesRead(): number;
  /** Rows in order, in batches of up to ~1,000. Throws AppError BAD_INPUT / CANCELLED. */
  batches(): AsyncGenerator<RawRow[]>;
  close(): Promise<void>;
}

/** Where the rule set's fields are in a file. */
export interface HeaderMatch {
  /** 1-based row number of the header row. */
  headerRow: number;
  columns: ColumnMapping[];
  /** field key → 0-based column index */
  fieldIndex: Record<string, number>;
  /** Fields of the rule set found in the header. */
  matched: number;
  /** Names of required fields (required: true) with no column. */
  missingFields: string[];
}

/** A rule set with its stored id (what the engine chooses among). */
export interface StoredRuleSet {
  id: string;
  definition: RuleSetDefinition;
}

export interface CheckerOptions {
  /** The check day, YYYY-MM-DD (dates after it are in the future). */
  today: string;
}

/** Compiled checks of one rule set against one header. Findings are pushed in column order. */
export interface RowChecker {
  check(cells: string[], row: number, out: Finding[]): void;
}

export interface JobProgress {
  done: number;
  total: number | null;
  message: string;
  /** Data rows checked so far (the parallel check's second half reports it). */
  rows?: number;
}
export type ProgressFn = (p: JobProgress) => void;
