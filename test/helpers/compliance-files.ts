/**
 * Fixture files for the compliance checks: CSV in UTF-8 / UTF-8 with BOM / GBK, real .xlsx
 * workbooks written by a compact STREAMING writer (fflate Zip + ZipDeflate straight to the file,
 * so the bench writes 200,000 × 20 quickly), and the bad inputs departments send (a truncated
 * copy, a zip bomb, a password-protected workbook's OLE2 container, a PDF).
 *
 *   writeCsv(p, [['行政相对人名称', '处罚类别'], ['某公司', '罚款']], { encoding: 'gbk' });
 *   await writeXlsx(p, [{ name: '行政处罚', rows: [['名称', '日期'], ['某公司', new Date(Date.UTC(2027, 0, 5))]] }]);
 */
import { closeSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { strToU8, Zip, ZipDeflate, ZipPassThrough, zipSync } from 'fflate';
import { encodeGbk } from './gbk';

// ---------- CSV ----------

export type CsvEncoding = 'utf-8' | 'utf-8-bom' | 'gbk';

export interface CsvOptions {
  encoding: CsvEncoding;
  /** Line ending between records (default '\r\n'). */
  eol?: '\r\n' | '\n';
  /** Field separator (default ','). */
  delimiter?: ',' | '\t' | ';';
  /** Leave out the newline after the last record. */
  noFinalNewline?: boolean;
}

/** One field as CSV: quoted (with "" doubled) when it holds the delimiter, a quote or a newline. */
function csvField(v: string, delimiter: string): string {
  if (v.includes(delimiter) || v.includes('"') || v.includes('\n') || v.includes('\r')) {
    return `"${v.replace(/"/g, '""')}"`;
  }
  return v;
}

/** The CSV text (no encoding applied). */
export function csvText(rows: string[][], opts: Omit<CsvOptions, 'encoding'> = {}): string {
  const eol = opts.eol ?? '\r\n';
  const d = opts.delimiter ?? ',';
  const text = rows.map((r) => r.map((v) => csvField(v, d)).join(d)).join(eol);
  return opts.noFinalNewline ? text : text + eol;
}

/** The CSV as bytes in the given encoding. */
export function csvBytes(rows: string[][], opts: CsvOptions): Buffer {
  const text = csvText(rows, opts);
  if (opts.encoding === 'gbk') return encodeGbk(text);
  const utf8 = Buffer.from(text, 'utf8');
  return opts.encoding === 'utf-8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]) : utf8;
}

/** Writes rows as a CSV file. */
export function writeCsv(path: string, rows: string[][], opts: CsvOptions): void {
  writeFileSync(path, csvBytes(rows, opts));
}

// ---------- xlsx ----------

export type XlsxCell = string | number | boolean | Date | null | undefined;

export interface XlsxSheet {
  name: string;
  /**
   * Rows from row 1; null/undefined/'' cells are left out (sparse), an empty array is an empty
   * row. An array or a function giving the rows again is read twice so the shared strings are
   * stored BEFORE the sheets (exceljs's streaming reader needs that order); a one-shot generator
   * puts them after the sheets.
   */
  rows: XlsxCell[][] | (() => Iterable<XlsxCell[]>) | Iterable<XlsxCell[]>;
  state?: 'visible' | 'hidden';
}

export interface XlsxOptions {
  /** 'shared' (what Excel writes, default) or 'inline' strings. */
  strings?: 'shared' | 'inline';
  /** Deflate level (default 6; 1 is faster for big bench files). */
  level?: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;
  /**
   * Part names of the worksheets in workbook order (default sheet1.xml, sheet2.xml…). E.g.
   * ['sheet3.xml', 'sheet1.xml'] puts the first sheet of the workbook in a later part.
   */
  parts?: string[];
  /** The 1904 date system. */
  date1904?: boolean;
}

const XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export function xmlEscape(s: string): string {
  return s.replace(/[&<>"]/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&quot;',
  );
}

/** A column index (0-based) as letters: 0 → A, 26 → AA. */
export function colLetters(i: number): string {
  let s = '';
  let n = i + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const DAY_MS = 86_400_000;
/** Excel serial of a Date (its UTC fields, like exceljs), in the 1900 or 1904 system. */
export function excelSerial(d: Date, date1904 = false): number {
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, 30);
  return (d.getTime() - epoch) / DAY_MS;
}

/** cellXfs: 0 general, 1 date (builtin numFmt 14), 2 date-time (custom 164). */
const STYLES =
  XML_HEAD +
  `<styleSheet xmlns="${NS_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd\\ hh:mm:ss"/></numFmts>` +
  '<fonts count="1"><font><sz val="11"/><name val="等线"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '</styleSheet>';

/**
 * Writes a real .xlsx, streaming: each sheet's XML is deflated as it is generated and written to
 * the file, so rows can come from a generator. Shared strings (default) are collected while
 * writing and stored after the sheets.
 */
export async function writeXlsx(path: string, sheets: XlsxSheet[], opts: XlsxOptions = {}): Promise<void> {
  const level = opts.level ?? 6;
  const shared = (opts.strings ?? 'shared') === 'shared';
  const parts = sheets.map((_, i) => opts.parts?.[i] ?? `sheet${i + 1}.xml`);
  const fd = openSync(path, 'w');
  let failure: Error | null = null;
  let resolveDone: () => void = () => undefined;
  const done = new Promise<void>((r) => (resolveDone = r));
  const zip = new Zip((err, chunk, final) => {
    if (err) failure = err;
    else writeSync(fd, chunk);
    if (final || err) resolveDone();
  });
  const addText = (name: string, text: string) => {
    const f = new ZipDeflate(name, { level });
    zip.add(f);
    f.push(strToU8(text), true);
  };
  try {
    addText(
      '[Content_Types].xml',
      XML_HEAD +
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>' +
        parts
          .map(
            (p) =>
              `<Override PartName="/xl/worksheets/${p}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
          )
          .join('') +
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>' +
        (shared
          ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
          : '') +
        '</Types>',
    );
    addText(
      '_rels/.rels',
      XML_HEAD +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>' +
        '</Relationships>',
    );
    addText(
      'xl/workbook.xml',
      XML_HEAD +
        `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
        (opts.date1904 ? '<workbookPr date1904="1"/>' : '<workbookPr/>') +
        '<sheets>' +
        sheets
          .map(
            (s, i) =>
              `<sheet name="${xmlEscape(s.name)}" sheetId="${i + 1}"` +
              `${s.state === 'hidden' ? ' state="hidden"' : ''} r:id="rId${i + 1}"/>`,
          )
          .join('') +
        '</sheets></workbook>',
    );
    addText(
      'xl/_rels/workbook.xml.rels',
      XML_HEAD +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        parts
          .map(
            (p, i) => `<Relationship Id="rId${i + 1}" Type="${NS_REL}/worksheet" Target="worksheets/${p}"/>`,
          )
          .join('') +
        `<Relationship Id="rId${parts.length + 1}" Type="${NS_REL}/styles" Target="styles.xml"/>` +
        (shared
          ? `<Relationship Id="rId${parts.length + 2}" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/>`
          : '') +
        '</Relationships>',
    );
    addText('xl/styles.xml', STYLES);

    const sst = new Map<string, number>();
    const sstList: string[] = [];
    const rowsOf = (sheet: XlsxSheet): Iterable<XlsxCell[]> =>
      typeof sheet.rows === 'function' ? sheet.rows() : sheet.rows;
    const intern = (v: string): number => {
      let idx = sst.get(v);
      if (idx === undefined) {
        idx = sstList.length;
        sst.set(v, idx);
        sstList.push(v);
      }
      return idx;
    };
    const writeSst = () => {
      const f = new ZipDeflate('xl/sharedStrings.xml', { level });
      zip.add(f);
      let buf =
        XML_HEAD + `<sst xmlns="${NS_MAIN}" count="${sstList.length}" uniqueCount="${sstList.length}">`;
      for (const s of sstList) {
        buf += `<si><t xml:space="preserve">${xmlEscape(s)}</t></si>`;
        if (buf.length > 1 << 20) {
          f.push(strToU8(buf));
          buf = '';
        }
      }
      f.push(strToU8(buf + '</sst>'), true);
    };
    const sstFirst = shared && sheets.every((s) => Array.isArray(s.rows) || typeof s.rows === 'function');
    if (sstFirst) {
      for (const sheet of sheets) {
        for (const row of rowsOf(sheet))
          for (const v of row) if (typeof v === 'string' && v !== '') intern(v);
      }
      writeSst();
    }
    for (let si = 0; si < sheets.length; si++) {
      const sheet = sheets[si] as XlsxSheet;
      const f = new ZipDeflate(`xl/worksheets/${parts[si] as string}`, { level });
      zip.add(f);
      let buf = XML_HEAD + `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheetData>`;
      const cols: string[] = [];
      let r = 0;
      for (const row of rowsOf(sheet)) {
        r++;
        if (row.length === 0) continue;
        buf += `<row r="${r}">`;
        for (let c = 0; c < row.length; c++) {
          const v = row[c];
          if (v === null || v === undefined || v === '') continue;
          const ref = (cols[c] ??= colLetters(c)) + r;
          if (typeof v === 'number') buf += `<c r="${ref}"><v>${v}</v></c>`;
          else if (typeof v === 'boolean') buf += `<c r="${ref}" t="b"><v>${v ? 1 : 0}</v></c>`;
          else if (v instanceof Date) {
            const serial = excelSerial(v, opts.date1904);
            buf += `<c r="${ref}" s="${Number.isInteger(serial) ? 1 : 2}"><v>${serial}</v></c>`;
          } else if (shared) {
            buf += `<c r="${ref}" t="s"><v>${intern(v)}</v></c>`;
          } else {
            buf += `<c r="${ref}" t="inlineStr"><is><t xml:space="preserve">${xmlEscape(v)}</t></is></c>`;
          }
        }
        buf += '</row>';
        if (buf.length > 1 << 20) {
          f.push(strToU8(buf));
          buf = '';
        }
      }
      buf += '</sheetData></worksheet>';
      f.push(strToU8(buf), true);
    }
    if (shared && !sstFirst) writeSst();
    zip.end();
    await done;
  } finally {
    closeSync(fd);
  }
  if (failure) throw failure;
}

/**
 * Builds an xlsx from hand-written parts (for XML the writer above does not produce: rich text,
 * phonetic runs, formulas, entities, odd attribute orders). `sheetXml` is the <sheetData> content
 * of sheet1; `sharedStrings` the <si> elements; `styles` the cellXfs/numFmts snippet.
 */
export function rawXlsx(opts: {
  sheetXml: string;
  sharedStrings?: string;
  numFmts?: string;
  cellXfs?: string;
  date1904?: boolean;
  /** Entries stored (method 0) instead of deflated. */
  stored?: boolean;
  sheetName?: string;
  /** The whole worksheet XML instead of one built around `sheetXml` (e.g. with a namespace prefix). */
  sheetDoc?: string;
}): Buffer {
  const wb =
    XML_HEAD +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">${opts.date1904 ? '<workbookPr date1904="true"/>' : ''}` +
    `<sheets><sheet name="${xmlEscape(opts.sheetName ?? 'Sheet1')}" sheetId="1" r:id="rId1"/></sheets></workbook>`;
  const rels =
    XML_HEAD +
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
    `<Relationship Id="rId1" Type="${NS_REL}/worksheet" Target="/xl/worksheets/sheet1.xml"/>` +
    `<Relationship Id="rId2" Type="${NS_REL}/styles" Target="styles.xml"/>` +
    `<Relationship Id="rId3" Type="${NS_REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`;
  const styles =
    XML_HEAD +
    `<styleSheet xmlns="${NS_MAIN}">${opts.numFmts ?? ''}` +
    `<cellXfs>${opts.cellXfs ?? '<xf numFmtId="0"/>'}</cellXfs></styleSheet>`;
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(
      XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    ),
    'xl/workbook.xml': strToU8(wb),
    'xl/_rels/workbook.xml.rels': strToU8(rels),
    'xl/styles.xml': strToU8(styles),
    'xl/sharedStrings.xml': strToU8(XML_HEAD + `<sst xmlns="${NS_MAIN}">${opts.sharedStrings ?? ''}</sst>`),
    'xl/worksheets/sheet1.xml': strToU8(
      opts.sheetDoc ??
        XML_HEAD + `<worksheet xmlns="${NS_MAIN}"><sheetData>${opts.sheetXml}</sheetData></worksheet>`,
    ),
  };
  return Buffer.from(zipSync(files, { level: opts.stored ? 0 : 6 }));
}

// ---------- bad inputs ----------

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** An OLE2 container like a legacy .xls/.et, or (encrypted) like a password-protected .xlsx. */
export function writeOle2(path: string, encrypted: boolean): void {
  const parts = [OLE2, Buffer.alloc(1024)];
  if (encrypted) parts.push(Buffer.from('EncryptedPackage', 'utf16le'), Buffer.alloc(2048));
  else parts.push(Buffer.from('Workbook', 'utf16le'), Buffer.alloc(2048));
  writeFileSync(path, Buffer.concat(parts));
}

/** A small PDF. */
export function writePdf(path: string): void {
  writeFileSync(path, '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
}

/** Copies the first `keep` bytes (or fraction when < 1) of a file, like a half-finished download. */
export function writeTruncatedCopy(src: string, dst: string, keep: number): void {
  const data = readFileSync(src);
  const n = keep < 1 ? Math.floor(data.length * keep) : keep;
  writeFileSync(dst, data.subarray(0, n));
}

/**
 * A zip bomb dressed as an xlsx: a worksheet of `megabytes` MB of blank rows that deflates to a
 * tiny entry. With `lie`, the central directory and local headers declare the sheet as 1 KB, so
 * only the limit enforced while inflating can catch it.
 */
export function writeZipBombXlsx(path: string, megabytes: number, lie = false): void {
  const rowXml = '<row r="1"></row>' + ' '.repeat(1024 - 17);
  const body = rowXml.repeat(1024);
  const f: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(XML_HEAD + '<Types/>'),
    'xl/workbook.xml': strToU8(
      XML_HEAD +
        `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    'xl/_rels/workbook.xml.rels': strToU8(
      XML_HEAD +
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        `<Relationship Id="rId1" Type="${NS_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
    ),
  };
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  for (const [name, data] of Object.entries(f)) {
    const e = new ZipPassThrough(name);
    zip.add(e);
    e.push(data, true);
  }
  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 9 });
  zip.add(sheet);
  sheet.push(strToU8(XML_HEAD + `<worksheet xmlns="${NS_MAIN}"><sheetData>`));
  const block = strToU8(body);
  for (let i = 0; i < megabytes; i++) sheet.push(block);
  sheet.push(strToU8('</sheetData></worksheet>'), true);
  zip.end();
  const out = Buffer.concat(chunks);
  if (lie) {
    // rewrite the uncompressed size of every entry bigger than 1 KB to 1 KB
    for (let p = 0; p + 4 <= out.length; p++) {
      const sig = out.readUInt32LE(p);
      if (sig === 0x02014b50 && out.readUInt32LE(p + 24) > 1024) out.writeUInt32LE(1024, p + 24);
      else if (sig === 0x04034b50 && out.readUInt32LE(p + 22) > 1024) out.writeUInt32LE(1024, p + 22);
      else if (sig === 0x08074b50 && out.readUInt32LE(p + 12) > 1024) out.writeUInt32LE(1024, p + 12);
    }
  }
  writeFileSync(path, out);
}
