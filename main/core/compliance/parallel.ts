/**
 * The pieces of the two-thread check of a big CSV (the coordination is checkTable's, run.ts):
 *
 * - planSplit: the exact record boundary at or after a byte offset (the middle) and the number
 *   of records before it, found on the BYTES without decoding. In UTF-8, GBK and GB18030 the
 *   bytes LF, CR, '"' and the delimiters (',' '\t' ';') never occur inside a multi-byte
 *   character, so tracking the quote state with Buffer.indexOf jumps between '"' and LF follows
 *   the CSV reader's record rules exactly (readers/csv.ts: a field is quoted when it STARTS with
 *   '"'; "" inside quotes; after the closing quote anything up to the delimiter belongs to the
 *   field, and a CR there ends the record). UTF-16, CR-only files, a head without a header line
 *   and files whose encoding the head does not decide are not split.
 * - scanBoundaries: the same scan, every record boundary (also used to find records again).
 * - fetchRows: given rows of a range, re-reads just those records (for duplicates across halves).
 * - SpoolWriter / readSpool: a half's rows with findings on disk as JSON lines, in row order.
 */
import fs from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import type { Finding } from '../contract/compliance';
import type { CsvRange } from './readers/csv';
import { detectEncoding, SAMPLE_BYTES, type CsvEncoding } from './readers/encoding';
import { openTable } from './readers/open';
import type { RawRow } from './types';

const LF = 10;
const CR = 13;
const QUOTE = 34;
const SCAN_CHUNK = 4 * 1024 * 1024;

export interface CsvSplit {
  encoding: CsvEncoding;
  delimiter: CsvRange['delimiter'];
  /** First byte after the BOM. */
  dataStart: number;
  /** Byte offset of the first record of the second half. */
  at: number;
  /** Records (spreadsheet rows) before `at`: the second half starts at row rowsBefore + 1. */
  rowsBefore: number;
}

/**
 * Calls `onBoundary(offset, records)` at each record boundary after `from` (a record start, in
 * the unquoted state): `offset` is where the next record starts, `records` how many records were
 * completed since `from`. Stops when onBoundary returns true (→ true) or at `end` (→ false;
 * `openAtEnd` tells whether a quoted field was still open there).
 */
export async function scanBoundaries(
  handle: FileHandle,
  from: number,
  end: number,
  delimiter: number,
  onBoundary: (offset: number, records: number) => boolean,
): Promise<{ stopped: boolean; openAtEnd: boolean }> {
  const buf = Buffer.allocUnsafe(SCAN_CHUNK);
  let records = 0;
  let recStart = from;
  let inQuote = false;
  /** After a closing quote, up to the delimiter or the end of the record. */
  let afterClose = false;
  /** A '"' inside quotes was the previous chunk's last byte. */
  let pendingQuote = false;
  /** A CR after a closing quote was the previous chunk's last byte. */
  let pendingCr = false;
  let prevByte = LF;
  let pos = from;
  while (pos < end) {
    const { bytesRead } = await handle.read(buf, 0, Math.min(SCAN_CHUNK, end - pos), pos);
    if (bytesRead === 0) break;
    const base = pos;
    pos += bytesRead;
    const n = bytesRead;
    let p = 0;
    const boundary = (off: number): boolean => {
      records++;
      recStart = off;
      return onBoundary(off, records);
    };
    if (pendingQuote) {
      pendingQuote = false;
      if (buf[0] === QUOTE) p = 1;
      else {
        inQuote = false;
        afterClose = true;
      }
    } else if (pendingCr) {
      pendingCr = false;
      afterClose = false;
      if (buf[0] === LF) {
        p = 1;
        if (boundary(base + 1)) return { stopped: true, openAtEnd: false };
      } else if (boundary(base)) return { stopped: true, openAtEnd: false };
    }
    let nextLf = -1;
    let nextQuote = -1;
    while (p < n) {
      if (afterClose) {
        const c = buf[p]!;
        if (c === delimiter) {
          afterClose = false;
          p++;
        } else if (c === LF) {
          afterClose = false;
          p++;
          if (boundary(base + p)) return { stopped: true, openAtEnd: false };
        } else if (c === CR) {
          if (p + 1 >= n) {
            pendingCr = true;
            break;
          }
          afterClose = false;
          p += buf[p + 1] === LF ? 2 : 1;
          if (boundary(base + p)) return { stopped: true, openAtEnd: false };
        } else p++;
        continue;
      }
      if (inQuote) {
        const q = buf.indexOf(QUOTE, p);
        if (q < 0) break;
        if (q === n - 1) {
          pendingQuote = true;
          break;
        }
        if (buf[q + 1] === QUOTE) {
          p = q + 2;
          continue;
        }
        inQuote = false;
        afterClose = true;
        p = q + 1;
        continue;
      }
      if (nextLf < p) {
        nextLf = buf.indexOf(LF, p);
        if (nextLf < 0) nextLf = n;
      }
      if (nextQuote < p) {
        nextQuote = buf.indexOf(QUOTE, p);
        if (nextQuote < 0) nextQuote = n;
      }
      if (nextQuote < nextLf) {
        const q = nextQuote;
        const before = q > 0 ? buf[q - 1]! : prevByte;
        // a quote opens a quoted field only at the start of a field
        if (base + q === recStart || before === delimiter) inQuote = true;
        p = q + 1;
        continue;
      }
      if (nextLf >= n) break;
      p = nextLf + 1;
      if (boundary(base + p)) return { stopped: true, openAtEnd: false };
    }
    prevByte = buf[n - 1]!;
  }
  if (pendingCr) {
    // a CR after a closing quote at the very end ends the last record
    return { stopped: false, openAtEnd: false };
  }
  return { stopped: false, openAtEnd: inQuote || pendingQuote };
}

/**
 * Where to split a CSV (see the file comment): the first record boundary at or after `target`
 * (default: the middle), or null when the file is not split. The file must already have been
 * sniffed as a CSV (openTable).
 */
export async function planSplit(path: string, target?: number): Promise<CsvSplit | null> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    await handle.read(head, 0, head.length, 0);
    const det = detectEncoding(head, size <= SAMPLE_BYTES);
    if (!det || det.asciiOnly || det.encoding === 'utf-16le' || det.encoding === 'utf-16be') return null;
    const dataStart = det.bom;
    // the header line decides the delimiter, as in the reader
    const firstLf = head.indexOf(LF, dataStart);
    if (firstLf < 0) return null;
    const header = head.subarray(dataStart, firstLf);
    const delimiter: CsvRange['delimiter'] =
      header.indexOf(0x2c) >= 0
        ? ','
        : header.indexOf(0x09) >= 0
          ? '\t'
          : header.indexOf(0x3b) >= 0
            ? ';'
            : ',';
    const want = Math.max(dataStart + 1, Math.min(size, target ?? Math.floor(size / 2)));
    let at = -1;
    let rowsBefore = 0;
    const r = await scanBoundaries(handle, dataStart, size, delimiter.charCodeAt(0), (off, records) => {
      if (off < want) return false;
      at = off;
      rowsBefore = records;
      return true;
    });
    if (!r.stopped || at >= size) return null;
    return { encoding: det.encoding, delimiter, dataStart, at, rowsBefore };
  } finally {
    await handle.close();
  }
}

/** Records closer than this are read together (one range). */
const FETCH_GAP = 1024 * 1024;

/**
 * The records of `rows` (ascending, all ≥ range.firstRow) from the range starting at
 * range.start (a record boundary, row range.firstRow), in row order.
 */
export async function* fetchRows(
  path: string,
  fileName: string,
  range: CsvRange,
  rows: readonly number[],
  signal?: AbortSignal,
): AsyncGenerator<RawRow> {
  if (rows.length === 0) return;
  // byte spans of the wanted records
  const spans: { start: number; end: number; row: number }[] = [];
  const handle = await open(path, 'r');
  try {
    let k = 0;
    let openStart = -1;
    let openRow = 0;
    if (rows[0] === range.firstRow) {
      openStart = range.start;
      openRow = range.firstRow;
      k = 1;
    }
    await scanBoundaries(handle, range.start, range.end, range.delimiter.charCodeAt(0), (off, records) => {
      if (openStart >= 0) {
        spans.push({ start: openStart, end: off, row: openRow });
        openStart = -1;
      }
      if (k >= rows.length) return true;
      const next = range.firstRow + records; // the row starting at `off`
      if (rows[k] === next) {
        openStart = off;
        openRow = next;
        k++;
      }
      return false;
    });
    if (openStart >= 0) spans.push({ start: openStart, end: range.end, row: openRow });
  } finally {
    await handle.close();
  }
  const wanted = new Set(rows);
  let i = 0;
  while (i < spans.length) {
    const first = spans[i]!;
    let last = first;
    let j = i + 1;
    while (j < spans.length && spans[j]!.start - last.end < FETCH_GAP) last = spans[j++]!;
    i = j;
    const reader = await openTable(path, {
      fileName,
      signal,
      csvRange: { ...range, start: first.start, end: last.end, firstRow: first.row },
    });
    try {
      for await (const batch of reader.batches()) {
        for (const row of batch) if (wanted.has(row.n)) yield row;
      }
    } finally {
      await reader.close();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Spool: rows with findings as JSON lines
// ---------------------------------------------------------------------------------------------

export interface SpooledRow {
  n: number;
  cells: string[];
  findings: Finding[];
}

const SPOOL_FLUSH = 1024 * 1024;

/** Appends rows with their findings to a file, buffered. */
export class SpoolWriter {
  private readonly fd: number;
  private parts: string[] = [];
  private pending = 0;
  count = 0;

  constructor(readonly path: string) {
    this.fd = fs.openSync(path, 'w');
  }

  addRow(n: number, cells: readonly string[], findings: readonly Finding[]): void {
    const line = `${JSON.stringify({ n, cells, findings })}\n`;
    this.parts.push(line);
    this.pending += line.length;
    this.count++;
    if (this.pending >= SPOOL_FLUSH) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    fs.writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.pending = 0;
  }

  close(): void {
    this.flush();
    fs.closeSync(this.fd);
  }

  /** Closes and deletes the file (failure, cancel). */
  discard(): void {
    try {
      fs.closeSync(this.fd);
    } catch {
      // already closed
    }
    removeQuietly(this.path);
  }
}

export function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // best effort: a temp file
  }
}

/** The spooled rows in order. */
export async function* readSpool(file: string): AsyncGenerator<SpooledRow> {
  const handle = await open(file, 'r');
  try {
    const decoder = new TextDecoder('utf-8');
    const chunk = Buffer.allocUnsafe(SPOOL_FLUSH);
    let rest = '';
    let pos = 0;
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const text = rest + decoder.decode(chunk.subarray(0, bytesRead), { stream: true });
      let s = 0;
      for (;;) {
        const e = text.indexOf('\n', s);
        if (e < 0) break;
        yield JSON.parse(text.substring(s, e)) as SpooledRow;
        s = e + 1;
      }
      rest = text.substring(s);
    }
    rest += decoder.decode();
    if (rest.trim() !== '') yield JSON.parse(rest) as SpooledRow;
  } finally {
    await handle.close();
  }
}
