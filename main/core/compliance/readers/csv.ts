/**
 * A streamed CSV reader (RFC 4180): the file is read in 1 MB chunks, decoded with a streaming
 * TextDecoder (UTF-8, GBK/GB18030 or UTF-16 as detected) and split with indexOf over the decoded
 * text — unquoted lines are cut at the delimiter without looking at every character; lines with a
 * quote take the quoted-field path (doubled "" and newlines inside quotes, one record = one row
 * number). Separators: ',' or, when the header line has none, '\t' or ';'.
 */
import type { FileHandle } from 'node:fs/promises';
import type { RawRow, TableReader } from '../types';
import {
  decoderLabel,
  detectEncoding,
  firstNonAscii,
  gbkKind,
  isUtf8,
  SAMPLE_BYTES,
  type CsvEncoding,
} from './encoding';
import { BATCH_ROWS } from './xlsx';
import { badInput, cancelled } from '../../import/zip-reader';

/** Bytes read per chunk. */
const READ_CHUNK = 1024 * 1024;
/** A single record longer than this (an unclosed quote in a huge file) is refused. */
const MAX_RECORD_CHARS = 256 * 1024 * 1024;

export interface CsvReaderOptions {
  fileName: string;
  signal?: AbortSignal;
  maxColumns: number;
  /** Bytes per read (tests use tiny chunks). */
  readChunk?: number;
  /** Read only these bytes of the file (the parallel check's halves). */
  range?: CsvRange;
}

/**
 * A byte range of a CSV read on its own: [start, end) holds whole records (start is the data
 * start or a record boundary), the first of which is row `firstRow`. Encoding and delimiter are
 * the whole file's (detected by the caller on the file's head and header line).
 */
export interface CsvRange {
  start: number;
  end: number;
  firstRow: number;
  encoding: CsvEncoding;
  delimiter: ',' | '\t' | ';';
}

function unknownEncoding(fileName: string): Error {
  return badInput(
    fileName,
    `「${fileName}」无法识别文件编码（既不是 UTF-8 也不是 GBK/GB18030）。请在 Excel/WPS 或记事本中打开后另存为 UTF-8 或 GBK 编码的 CSV 再校验。`,
  );
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/** Opens a CSV whose first bytes are `head` (up to SAMPLE_BYTES). */
export async function openCsv(
  handle: FileHandle,
  size: number,
  head: Buffer,
  opts: CsvReaderOptions,
): Promise<TableReader> {
  const { fileName, signal, maxColumns } = opts;
  const range = opts.range ?? null;
  const detected = range
    ? { encoding: range.encoding, asciiOnly: false, bom: range.start }
    : detectEncoding(head.subarray(0, SAMPLE_BYTES), size <= SAMPLE_BYTES);
  if (!detected) throw unknownEncoding(fileName);
  let encoding: CsvEncoding = detected.encoding;
  let undecided = detected.asciiOnly;
  const start = detected.bom;
  const end = range ? Math.min(size, range.end) : size;
  let pos = start;
  let closed = false;
  const readChunk = opts.readChunk ?? READ_CHUNK;

  async function* batches(): AsyncGenerator<RawRow[]> {
    // a range inside the file keeps a U+FEFF at its start (it is data there, not a BOM)
    let decoder = new TextDecoder(decoderLabel(encoding), {
      fatal: encoding.startsWith('utf-8'),
      ignoreBOM: range !== null && range.firstRow > 1,
    });
    let buf = '';
    let rowNo = range ? range.firstRow - 1 : 0;
    let delimStr: string = range ? range.delimiter : ',';
    let delim = range ? delimStr.charCodeAt(0) : -1;
    let crOnly = false;
    let ready: RawRow[][] = [];
    let batch: RawRow[] = [];

    const tooWide = (n: number, cols: number): never => {
      throw badInput(
        fileName,
        `「${fileName}」第 ${n} 行有 ${cols} 列，超过上限 ${maxColumns} 列。请检查分隔符和引号是否正确，删除多余的列后再校验。`,
        { row: n, columns: cols, maxColumns },
      );
    };
    const emit = (cells: string[]) => {
      if (cells.length > maxColumns) tooWide(rowNo, cells.length);
      batch.push({ n: rowNo, cells });
      if (batch.length >= BATCH_ROWS) {
        ready.push(batch);
        batch = [];
      }
    };

    /** Parses complete records of `text`; returns the index where the unfinished record starts. */
    const parse = (text: string, final: boolean): number => {
      if (delim < 0) {
        let firstNl = text.indexOf('\n');
        if (firstNl < 0) {
          const cr = text.indexOf('\r');
          // a CR followed by something other than LF (CR LF may be split between chunks)
          if (cr >= 0 && (cr + 1 < text.length || final)) {
            crOnly = true;
            firstNl = cr;
          } else if (!final) return 0;
        }
        const header = firstNl < 0 ? text : text.substring(0, firstNl);
        delimStr = header.includes(',')
          ? ','
          : header.includes('\t')
            ? '\t'
            : header.includes(';')
              ? ';'
              : ',';
        delim = delimStr.charCodeAt(0);
      }
      const NL = crOnly ? '\r' : '\n';
      const n = text.length;
      let p = 0;
      let nextQuote = -1; // next '"' at or after p (n: none)
      let nextDelim = -1; // next delimiter at or after a field start (n: none)
      while (p < n) {
        const recStart = p;
        let nl = text.indexOf(NL, p);
        if (nl < 0) {
          if (!final) return recStart;
          nl = n;
        }
        let lineEnd = nl;
        if (!crOnly && lineEnd > p && text.charCodeAt(lineEnd - 1) === CR) lineEnd--;
        if (nextQuote < p) {
          nextQuote = text.indexOf('"', p);
          if (nextQuote < 0) nextQuote = n;
        }
        if (nextQuote >= lineEnd) {
          // fast path: no quote on this line
          rowNo++;
          p = nl + 1;
          if (lineEnd === recStart) continue; // empty line
          const cells: string[] = [];
          let s = recStart;
          for (;;) {
            if (nextDelim < s) {
              nextDelim = text.indexOf(delimStr, s);
              if (nextDelim < 0) nextDelim = n;
            }
            if (nextDelim >= lineEnd) {
              cells.push(text.substring(s, lineEnd));
              break;
            }
            cells.push(text.substring(s, nextDelim));
            s = nextDelim + 1;
          }
          if (lineEnd - recStart === cells.length - 1) continue; // only separators
          emit(cells);
          continue;
        }
        // quoted fields: may contain separators, quotes ("") and newlines
        const cells: string[] = [];
        let s = recStart;
        let nonEmpty = false;
        for (;;) {
          if (s < n && text.charCodeAt(s) === QUOTE) {
            let value = '';
            let from = s + 1;
            let qe: number;
            for (;;) {
              qe = text.indexOf('"', from);
              if (qe < 0 || (qe + 1 >= n && !final)) break;
              if (text.charCodeAt(qe + 1) === QUOTE) {
                value += text.substring(from, qe + 1);
                from = qe + 2;
                continue;
              }
              value += text.substring(from, qe);
              break;
            }
            if (qe < 0 || (qe + 1 >= n && !final)) {
              if (!final) return recStart;
              throw badInput(
                fileName,
                `「${fileName}」第 ${rowNo + 1} 行的双引号没有闭合（从这一行起直到文件末尾都没有配对的引号）。请检查该行内容后另存再校验。`,
                { row: rowNo + 1 },
              );
            }
            s = qe + 1;
            // anything between the closing quote and the separator is kept as is
            let c = text.charCodeAt(s);
            if (s < n && c !== delim && c !== LF && c !== CR) {
              let e = s;
              while (e < n) {
                c = text.charCodeAt(e);
                if (c === delim || c === LF || c === CR) break;
                e++;
              }
              value += text.substring(s, e);
              s = e;
            }
            if (value !== '') nonEmpty = true;
            cells.push(value);
            if (s < n && c === delim) {
              s++;
              continue;
            }
            if (s >= n) {
              if (!final) return recStart;
              break;
            }
            // end of record: CR LF, LF or CR
            if (c === CR) {
              if (s + 1 >= n && !final && !crOnly) return recStart;
              s += !crOnly && text.charCodeAt(s + 1) === LF ? 2 : 1;
            } else s += 1;
            break;
          }
          let e = text.indexOf(NL, s);
          if (e < 0) {
            if (!final) return recStart;
            e = n;
          }
          let fieldEnd = e;
          const d = text.indexOf(delimStr, s);
          if (d >= 0 && d < e) fieldEnd = d;
          else if (!crOnly && e > s && text.charCodeAt(e - 1) === CR) fieldEnd = e - 1;
          const value = text.substring(s, fieldEnd);
          if (value !== '') nonEmpty = true;
          cells.push(value);
          if (fieldEnd === d) {
            s = d + 1;
            continue;
          }
          s = e + 1;
          break;
        }
        rowNo++;
        p = s;
        if (nonEmpty) emit(cells);
      }
      return p;
    };

    const flush = function* () {
      if (ready.length > 0) {
        const out = ready;
        ready = [];
        yield* out;
      }
    };

    const chunk = Buffer.allocUnsafe(readChunk);
    for (;;) {
      if (signal?.aborted) throw cancelled();
      if (pos >= end) break;
      const { bytesRead } = await handle.read(chunk, 0, Math.min(readChunk, end - pos), pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      const bytes = chunk.subarray(0, bytesRead);
      if (undecided) {
        const i = firstNonAscii(bytes);
        if (i >= 0) {
          undecided = false;
          const rest = bytes.subarray(i);
          const cut = pos < end;
          if (!isUtf8(rest, cut)) {
            const g = gbkKind(rest, cut);
            if (!g) throw unknownEncoding(fileName);
            encoding = g;
            decoder = new TextDecoder(decoderLabel(g));
          }
        }
      }
      let text: string;
      try {
        text = decoder.decode(bytes, { stream: true });
      } catch {
        throw badInput(
          fileName,
          `「${fileName}」第 ${rowNo + 1} 行附近含有不是 ${encoding === 'utf-8-bom' ? 'UTF-8' : encoding.toUpperCase()} 编码的内容（文件可能混用了多种编码）。请另存为 UTF-8 或 GBK 编码的 CSV 再校验。`,
          { row: rowNo + 1 },
        );
      }
      buf = buf.length > 0 ? buf + text : text;
      const used = parse(buf, false);
      buf = used === 0 ? buf : buf.substring(used);
      if (buf.length > MAX_RECORD_CHARS) {
        throw badInput(fileName, `「${fileName}」第 ${rowNo + 1} 行内容过长，请检查引号是否配对。`, {
          row: rowNo + 1,
        });
      }
      for (const b of flush()) {
        if (signal?.aborted) throw cancelled();
        yield b;
      }
    }
    let tail: string;
    try {
      tail = decoder.decode();
    } catch {
      tail = '\ufffd';
    }
    buf += tail;
    if (buf.length > 0) parse(buf, true);
    yield* flush();
    if (batch.length > 0) yield batch;
  }

  return {
    fileName,
    format: 'csv',
    get encoding() {
      return encoding;
    },
    sheetName: null,
    totalBytes: size,
    bytesRead: () => Math.min(end, pos) - (range ? start : 0),
    batches,
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}
