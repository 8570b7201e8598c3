/**
 * A streamed .xlsx reader: the first visible worksheet's rows as text, in batches, without ever
 * holding the sheet. The workbook, its relationships and styles (which cell styles are dates)
 * are read whole (they are small), the shared strings into one array, and the sheet XML is
 * scanned chunk by chunk with indexOf over the decoded text (no DOM, no SAX events per node).
 */
import type { FileHandle } from 'node:fs/promises';
import type { ZipEntryInfo } from '../../import/file';
import type { RawRow, TableReader } from '../types';
import { attr, collectText, startTags, unescapeXml } from './xml';
import { badInput, cancelled, truncated, type ZipReader } from '../../import/zip-reader';

/** Rows per batch. */
export const BATCH_ROWS = 1000;
/** A single row's XML larger than this is refused (no sane row is that big). */
const MAX_ROW_CHARS = 256 * 1024 * 1024;

// ---------- dates ----------

function isBuiltinDateFormat(id: number): boolean {
  return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

/** A number format code shows a date or time: y/m/d/h/s outside quotes, brackets and escapes. */
export function isDateFormatCode(code: string): boolean {
  // the first section decides (positive numbers)
  let inQuote = false;
  for (let i = 0; i < code.length; i++) {
    const ch = code[i] as string;
    if (inQuote) {
      if (ch === '"') inQuote = false;
      continue;
    }
    if (ch === '"') inQuote = true;
    else if (ch === '\\' || ch === '_' || ch === '*') i++;
    else if (ch === '[') {
      const end = code.indexOf(']', i);
      const inner = code.slice(i + 1, end < 0 ? code.length : end).toLowerCase();
      // [h], [mm], [ss]: elapsed time
      if (/^(h+|m+|s+)$/.test(inner)) return true;
      i = end < 0 ? code.length : end;
    } else if (ch === ';') return false;
    else if ('yYmMdDhHsSeE'.includes(ch)) {
      if ((ch === 'e' || ch === 'E') && /[0#?]/.test(code.slice(Math.max(0, i - 2), i))) continue; // 0.00E+00
      if (ch === 'e' || ch === 'E') {
        // 'e' is the era year only in East-Asian formats; "General" has an e too
        if (/general/i.test(code)) return false;
        continue;
      }
      return true;
    }
  }
  return false;
}

/** Per cellXfs index: whether the style is a date/time format. */
export function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>();
  for (const tag of startTags(stylesXml, 'numFmt')) {
    const id = Number(attr(tag, 'numFmtId'));
    const code = attr(tag, 'formatCode');
    if (Number.isInteger(id) && code !== null) custom.set(id, code);
  }
  const start = stylesXml.search(/<(?:[\w.-]+:)?cellXfs[\s>]/);
  if (start < 0) return [];
  const endM = /<\/(?:[\w.-]+:)?cellXfs>/.exec(stylesXml.slice(start));
  const section = stylesXml.slice(start, endM ? start + endM.index : stylesXml.length);
  return startTags(section, 'xf').map((tag) => {
    const id = Number(attr(tag, 'numFmtId') ?? '0');
    const code = custom.get(id);
    return code !== undefined ? isDateFormatCode(code) : isBuiltinDateFormat(id);
  });
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** Days since 1970-01-01 → [year, month, day] (proleptic Gregorian, H. Hinnant's algorithm). */
function civil(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Days from 1970-01-01 to 1899-12-30 (the 1900 system's day 0 for serials ≥ 61). */
const EPOCH_1900 = -25569;
/** Days from 1970-01-01 to 1904-01-01. */
const EPOCH_1904 = -24107;

/**
 * An Excel serial as YYYY-MM-DD (with ' HH:mm:ss' when it has a time part; 'HH:mm:ss' alone for
 * a time below one day). 1900 system with its phantom 1900-02-29 (serial 60), or 1904.
 */
export function serialToText(raw: string, date1904: boolean): string {
  const v = Number(raw);
  if (!Number.isFinite(v) || v < 0 || v > 2958465) return raw;
  let day = Math.floor(v);
  let secs = Math.round((v - day) * 86400);
  if (secs >= 86400) {
    day += 1;
    secs -= 86400;
  }
  const time =
    secs === 0
      ? ''
      : `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`;
  if (day === 0 && !date1904) return time || raw;
  let date: string;
  if (!date1904 && day === 60) date = '1900-02-29';
  else {
    const [y, m, d] = civil(date1904 ? EPOCH_1904 + day : day < 60 ? EPOCH_1900 + day + 1 : EPOCH_1900 + day);
    date = `${y}-${pad2(m)}-${pad2(d)}`;
  }
  return time ? `${date} ${time}` : date;
}

// ---------- workbook ----------

interface SheetChoice {
  name: string;
  part: string;
}

function resolveTarget(base: string, target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = base.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

interface WorkbookInfo {
  sheet: SheetChoice;
  date1904: boolean;
  sharedStrings: string | null;
  styles: string | null;
}

async function readWorkbook(zip: ZipReader, fileName: string): Promise<WorkbookInfo> {
  const wbEntry = zip.entry('xl/workbook.xml');
  if (!wbEntry) throw noSheet(fileName);
  const wbXml = await zip.text(wbEntry);
  const relsEntry = zip.entry('xl/_rels/workbook.xml.rels');
  const rels = new Map<string, { type: string; target: string }>();
  if (relsEntry) {
    for (const tag of startTags(await zip.text(relsEntry), 'Relationship')) {
      const id = attr(tag, 'Id');
      const target = attr(tag, 'Target');
      if (id && target && attr(tag, 'TargetMode') !== 'External') {
        rels.set(id, { type: attr(tag, 'Type') ?? '', target: resolveTarget('xl/workbook.xml', target) });
      }
    }
  }
  const prTag = startTags(wbXml, 'workbookPr')[0];
  const d1904 = prTag ? attr(prTag, 'date1904') : null;
  let sheet: SheetChoice | null = null;
  for (const tag of startTags(wbXml, 'sheet')) {
    const state = attr(tag, 'state');
    if (state === 'hidden' || state === 'veryHidden') continue;
    const rid = /\s[\w.-]+:id\s*=\s*"([^"]*)"/.exec(tag)?.[1];
    const rel = rid ? rels.get(rid) : undefined;
    if (!rel || !/\/worksheet$/.test(rel.type) || !zip.entry(rel.target)) continue;
    sheet = { name: attr(tag, 'name') ?? '', part: rel.target };
    break;
  }
  if (!sheet) throw noSheet(fileName);
  const byType = (suffix: string, fallback: string) => {
    for (const r of rels.values()) if (r.type.endsWith(suffix) && zip.entry(r.target)) return r.target;
    return zip.entry(fallback) ? fallback : null;
  };
  return {
    sheet,
    date1904: d1904 === '1' || d1904 === 'true',
    sharedStrings: byType('/sharedStrings', 'xl/sharedStrings.xml'),
    styles: byType('/styles', 'xl/styles.xml'),
  };
}

function noSheet(fileName: string) {
  return badInput(
    fileName,
    `「${fileName}」中没有可读取的工作表（可能全部隐藏或只有图表）。请在 Excel/WPS 中确认数据所在的工作表后另存再校验。`,
  );
}

// ---------- streamed XML text ----------

/** Reads the shared strings into an array (index = the number in a t="s" cell). */
async function readSharedStrings(
  zip: ZipReader,
  entry: ZipEntryInfo,
  fileName: string,
  signal: AbortSignal | undefined,
): Promise<string[]> {
  const out: string[] = [];
  let prefix: string | null = null;
  const scan = scanEntryQueue(
    zip,
    entry,
    fileName,
    (text, final) => {
      if (prefix === null) {
        const m = /<([\w.-]+:)?sst[\s>]/.exec(text);
        if (!m) return 0;
        prefix = m[1] ?? '';
      }
      const siOpen = `<${prefix}si`;
      const siClose = `</${prefix}si>`;
      const tOpen = `<${prefix}t`;
      const tClose = `</${prefix}t>`;
      const end = final ? text.length : text.lastIndexOf(siClose) + siClose.length;
      if (end < siClose.length && !final) return 0;
      let p = 0;
      for (;;) {
        const s = text.indexOf(siOpen, p);
        if (s < 0 || s >= end) break;
        const after = text.charCodeAt(s + siOpen.length);
        const gt = text.indexOf('>', s);
        if (gt < 0) break;
        if (after !== 62 && after !== 32 && after !== 47) {
          p = s + siOpen.length;
          continue;
        }
        if (text.charCodeAt(gt - 1) === 47) {
          out.push('');
          p = gt + 1;
          continue;
        }
        const sEnd = text.indexOf(siClose, gt);
        if (sEnd < 0 || sEnd >= end) break;
        let value: string | null = null;
        const t = gt + 1;
        if (text.startsWith(tOpen, t)) {
          const c = text.charCodeAt(t + tOpen.length);
          if (c === 62 || c === 32) {
            const tgt = text.indexOf('>', t);
            const tEnd = text.indexOf(tClose, tgt);
            if (text.charCodeAt(tgt - 1) !== 47 && tEnd + tClose.length === sEnd) {
              value = unescapeXml(text.substring(tgt + 1, tEnd));
            }
          }
        }
        out.push(value ?? collectText(text, gt + 1, sEnd, prefix));
        p = sEnd + siClose.length;
      }
      if (final && p < text.length && text.indexOf(siOpen, p) >= 0) throw truncated(fileName);
      return end;
    },
    signal,
  );
  for await (const _ of scan) void _;
  return out;
}

// ---------- the reader ----------

export interface XlsxReaderOptions {
  fileName: string;
  signal?: AbortSignal;
  maxColumns: number;
}

const T_N = 0;
const T_S = 1;
const T_STR = 2;
const T_INLINE = 3;
const T_B = 4;
const T_E = 5;
const T_D = 6;

export async function openXlsx(
  handle: FileHandle,
  size: number,
  zip: ZipReader,
  opts: XlsxReaderOptions,
): Promise<TableReader> {
  const { fileName, signal, maxColumns } = opts;
  const wb = await readWorkbook(zip, fileName);
  const stylesEntry = wb.styles ? zip.entry(wb.styles) : undefined;
  const isDate = stylesEntry ? dateStyles(await zip.text(stylesEntry)) : [];
  const sstEntry = wb.sharedStrings ? zip.entry(wb.sharedStrings) : undefined;
  const sheetEntry = zip.entry(wb.sheet.part) as ZipEntryInfo;
  const date1904 = wb.date1904;
  let sst: string[] | null = null;
  let closed = false;

  async function* batches(): AsyncGenerator<RawRow[]> {
    if (sst === null) sst = sstEntry ? await readSharedStrings(zip, sstEntry, fileName, signal) : [];
    const strings = sst;
    let ready: RawRow[][] = [];
    let batch: RawRow[] = [];
    let prefix: string | null = null;
    let rowOpen = '';
    let rowClose = '';
    let cOpen = '';
    let cClose = '';
    let vOpen = '';
    let vOpenGt = '';
    let vClose = '';
    let lastRow = 0;

    const tooWide = (text: string, rowN: number, from: number, rowEnd: number): never => {
      // count the row's cells (the last cell's column when refs are given)
      let cols = 0;
      let last = -1;
      for (let q = text.indexOf(cOpen, from); q >= 0 && q < rowEnd; q = text.indexOf(cOpen, q + 1)) {
        cols++;
        last = q;
      }
      const ref = last >= 0 ? /\sr="([A-Z]+)/.exec(text.substring(last, text.indexOf('>', last)))?.[1] : null;
      if (ref) cols = Math.max(cols, colIndex(ref, 0, ref.length) + 1);
      throw badInput(
        fileName,
        `「${fileName}」第 ${rowN} 行有 ${cols} 列，超过上限 ${maxColumns} 列。请删除多余的列（或检查是否选错了工作表）后再校验。`,
        { row: rowN, columns: cols, maxColumns },
      );
    };

    const process = (text: string, final: boolean): number => {
      if (prefix === null) {
        const m = /<([\w.-]+:)?worksheet[\s>]/.exec(text);
        if (!m) {
          if (final) throw truncated(fileName);
          return 0;
        }
        prefix = m[1] ?? '';
        rowOpen = `<${prefix}row`;
        rowClose = `</${prefix}row>`;
        cOpen = `<${prefix}c`;
        cClose = `</${prefix}c>`;
        vOpen = `<${prefix}v`;
        vOpenGt = `<${prefix}v>`;
        vClose = `</${prefix}v>`;
      }
      const lastClose = text.lastIndexOf(rowClose);
      let end = final ? text.length : lastClose < 0 ? 0 : lastClose + rowClose.length;
      let p = 0;
      for (;;) {
        const r = text.indexOf(rowOpen, p);
        if (r < 0 || r >= end) break;
        const ra = text.charCodeAt(r + rowOpen.length);
        if (ra !== 32 && ra !== 62 && ra !== 47 && ra !== 9 && ra !== 10 && ra !== 13) {
          p = r + rowOpen.length;
          continue;
        }
        const gt = text.indexOf('>', r);
        if (gt < 0) {
          if (final) throw truncated(fileName);
          end = r;
          break;
        }
        // row number
        let rowN = lastRow + 1;
        const rAttr = text.indexOf(' r="', r);
        if (rAttr >= 0 && rAttr < gt) {
          let v = 0;
          for (let i = rAttr + 4; ; i++) {
            const d = text.charCodeAt(i) - 48;
            if (d < 0 || d > 9) break;
            v = v * 10 + d;
          }
          if (v > 0) rowN = v;
        }
        lastRow = rowN;
        if (text.charCodeAt(gt - 1) === 47) {
          p = gt + 1;
          continue; // <row …/>: no cells
        }
        const rowEnd = text.indexOf(rowClose, gt);
        if (rowEnd < 0) {
          if (final) throw truncated(fileName);
          end = r;
          break;
        }
        const cells: string[] = [];
        let nonEmpty = false;
        let nextCol = 0;
        let q = gt + 1;
        for (;;) {
          const c = text.indexOf(cOpen, q);
          if (c < 0 || c >= rowEnd) break;
          const ca = text.charCodeAt(c + cOpen.length);
          if (ca !== 32 && ca !== 62 && ca !== 47 && ca !== 9 && ca !== 10 && ca !== 13) {
            q = c + cOpen.length;
            continue;
          }
          const cgt = text.indexOf('>', c);
          // attributes r, s, t
          let col = -1;
          let style = 0;
          let type = T_N;
          let i = c + cOpen.length;
          while (i < cgt) {
            const ch = text.charCodeAt(i);
            if (ch <= 32 || ch === 47) {
              i++;
              continue;
            }
            const nameStart = i;
            while (i < cgt && text.charCodeAt(i) !== 61) i++;
            const nameEnd = i;
            i++;
            while (text.charCodeAt(i) <= 32) i++;
            const quote = text.charCodeAt(i);
            const vs = i + 1;
            const ve = text.indexOf(quote === 39 ? "'" : '"', vs);
            if (ve < 0 || ve > cgt) break;
            if (nameEnd - nameStart === 1) {
              const n = text.charCodeAt(nameStart);
              if (n === 114) col = colIndex(text, vs, ve);
              else if (n === 115) {
                let sv = 0;
                for (let k = vs; k < ve; k++) sv = sv * 10 + text.charCodeAt(k) - 48;
                style = sv;
              } else if (n === 116) {
                const t0 = text.charCodeAt(vs);
                const len = ve - vs;
                type =
                  t0 === 115
                    ? len === 1
                      ? T_S
                      : T_STR
                    : t0 === 105
                      ? T_INLINE
                      : t0 === 98
                        ? T_B
                        : t0 === 101
                          ? T_E
                          : t0 === 100
                            ? T_D
                            : T_N;
              }
            }
            i = ve + 1;
          }
          if (col < 0) col = nextCol;
          nextCol = col + 1;
          if (col >= maxColumns) tooWide(text, rowN, gt, rowEnd);
          if (text.charCodeAt(cgt - 1) === 47) {
            q = cgt + 1;
            continue; // <c …/>: no value
          }
          let value: string;
          let vgt: number;
          let vEnd: number;
          if (type !== T_INLINE && text.startsWith(vOpenGt, cgt + 1)) {
            // fast path: <c …><v>…</v></c>
            vgt = cgt + vOpenGt.length;
            vEnd = text.indexOf(vClose, vgt);
            const after = vEnd + vClose.length;
            if (vEnd > 0 && text.startsWith(cClose, after)) q = after + cClose.length;
            else {
              const cEnd = text.indexOf(cClose, cgt);
              if (cEnd < 0 || cEnd > rowEnd) throw truncated(fileName);
              q = cEnd + cClose.length;
            }
          } else {
            const cEnd = text.indexOf(cClose, cgt);
            if (cEnd < 0 || cEnd > rowEnd) throw truncated(fileName);
            q = cEnd + cClose.length;
            if (type === T_INLINE) {
              vgt = vEnd = -1;
            } else {
              const v = text.indexOf(vOpen, cgt);
              if (v < 0 || v > cEnd) continue; // a formula without a cached value
              vgt = text.indexOf('>', v);
              if (text.charCodeAt(vgt - 1) === 47) continue;
              vEnd = text.indexOf(vClose, vgt);
            }
          }
          if (type === T_INLINE) {
            value = collectText(text, cgt + 1, q - cClose.length, prefix);
          } else {
            if (type === T_S) {
              let idx = 0;
              for (let k = vgt + 1; k < vEnd; k++) idx = idx * 10 + text.charCodeAt(k) - 48;
              value = strings[idx] ?? '';
            } else {
              const raw = text.substring(vgt + 1, vEnd);
              if (type === T_N) value = isDate[style] === true ? serialToText(raw, date1904) : raw;
              else if (type === T_B) value = raw === '1' || raw === 'true' ? 'TRUE' : 'FALSE';
              else if (type === T_D) value = raw;
              else value = unescapeXml(raw); // str, e
            }
          }
          if (value === '') continue;
          nonEmpty = true;
          if (col === cells.length) cells.push(value);
          else if (col > cells.length) {
            while (cells.length < col) cells.push('');
            cells.push(value);
          } else cells[col] = value;
        }
        p = rowEnd + rowClose.length;
        if (!nonEmpty) continue;
        batch.push({ n: rowN, cells });
        if (batch.length >= BATCH_ROWS) {
          ready.push(batch);
          batch = [];
        }
      }
      return end;
    };

    const sheetChunks = scanEntryQueue(zip, sheetEntry, fileName, process, signal);
    for await (const _ of sheetChunks) {
      if (ready.length > 0) {
        const out = ready;
        ready = [];
        for (const b of out) {
          if (signal?.aborted) throw cancelled();
          yield b;
        }
      }
    }
    for (const b of ready) yield b;
    if (batch.length > 0) yield batch;
  }

  return {
    fileName,
    format: 'xlsx',
    encoding: null,
    sheetName: wb.sheet.name,
    totalBytes: size,
    bytesRead: () => Math.min(size, zip.consumed),
    batches,
    close: async () => {
      if (closed) return;
      closed = true;
      await handle.close();
    },
  };
}

/**
 * Decodes an entry's chunks as UTF-8 (multi-byte characters cut between chunks are kept by the
 * stream decoder) and hands on complete pieces: `process(text, final)` gets the text so far (the
 * unfinished tail of the previous call first) and returns how much of it it consumed. Yields
 * after each chunk so the caller can hand on what `process` produced.
 */
async function* scanEntryQueue(
  zip: ZipReader,
  entry: ZipEntryInfo,
  fileName: string,
  process: (text: string, final: boolean) => number,
  signal: AbortSignal | undefined,
): AsyncGenerator<void> {
  const decoder = new TextDecoder('utf-8');
  let tail = '';
  for await (const chunk of zip.chunks(entry)) {
    if (signal?.aborted) throw cancelled();
    const text = tail + decoder.decode(chunk, { stream: true });
    const used = process(text, false);
    tail = used === 0 ? text : text.substring(used);
    if (tail.length > MAX_ROW_CHARS) throw badInput(fileName, `「${fileName}」中有一行内容过大，无法读取。`);
    yield;
  }
  process(tail + decoder.decode(), true);
  yield;
}

/** Column index (0-based) from the letters of a cell reference text[from, to) ("B12" → 1). */
function colIndex(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const ch = text.charCodeAt(i);
    if (ch >= 65 && ch <= 90) n = n * 26 + ch - 64;
    else if (ch >= 97 && ch <= 122) n = n * 26 + ch - 96;
    else break;
  }
  return n - 1;
}
