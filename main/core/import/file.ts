/**
 * Import files: size limit, format sniffing and zip sanity checks, BEFORE any parser sees the
 * bytes. Departments send .xls, CSV renamed to .xlsx, PDFs, password-protected workbooks and
 * half-downloaded files; each gets a Chinese message naming the file and what to do.
 */
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { AppError } from '../util/errors';

/** Largest workbook accepted for import (bytes on disk). */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Largest total uncompressed size of the workbook's zip entries (zip-bomb guard). */
export const MAX_UNZIPPED_BYTES = 300 * 1024 * 1024;

export interface ImportFile {
  data: Buffer;
  fileName: string;
}

export function displayName(fileName: string): string {
  return basename(fileName.replace(/\\/g, '/')) || fileName || '文件';
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} 字节`;
}

function bad(fileName: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('BAD_INPUT', message, { fileName: displayName(fileName), ...details });
}

export function assertImportSize(fileName: string, size: number, limit = MAX_IMPORT_BYTES): void {
  if (size > limit) {
    throw bad(
      fileName,
      `「${displayName(fileName)}」大小为 ${formatSize(size)}，超过导入上限 ${formatSize(limit)}。` +
        '请删除与任务清单无关的工作表、图片后另存，或拆分为多个文件再导入。',
      { size, limit },
    );
  }
}

/**
 * Reads a workbook from disk after checking its size with stat, so a 50 MB file is refused
 * without reading it.
 */
export async function readImportFile(path: string, limit = MAX_IMPORT_BYTES): Promise<ImportFile> {
  const fileName = displayName(path);
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw bad(fileName, `「${fileName}」不是文件，请选择一个 .xlsx 工作簿。`);
    size = st.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('IO_ERROR', `无法读取「${fileName}」：文件不存在或没有读取权限。`, { fileName });
  }
  assertImportSize(fileName, size, limit);
  const handle = await open(path, 'r');
  try {
    const data = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const { bytesRead } = await handle.read(data, read, size - read, read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { data: data.subarray(0, read), fileName };
  } finally {
    await handle.close();
  }
}

// ---------- zip central directory ----------

export interface ZipEntryInfo {
  name: string;
  compressedSize: number;
  /** -1 when recorded only in a ZIP64 extra field we could not decode. */
  size: number;
  encrypted: boolean;
  /** Compression method: 0 stored, 8 deflate. */
  method: number;
  /** Offset of the entry's local header in the file (-1 when not decodable). */
  localOffset: number;
}

/** Where a zip's central directory is, from its end-of-central-directory record. */
export interface ZipEnd {
  count: number;
  /** Absolute offset of the central directory in the file. */
  offset: number;
  size: number;
}

/**
 * Finds the end-of-central-directory record (and the ZIP64 one when present) in `tail`, the last
 * bytes of the file starting at absolute offset `tailStart` (a whole file: 0). Null if not a zip.
 */
export function findZipEnd(tail: Buffer, tailStart = 0): ZipEnd | null {
  const EOCD = 0x06054b50;
  const minStart = Math.max(0, tail.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = tail.length - 22; i >= minStart; i--) {
    if (tail.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  let count = tail.readUInt16LE(eocd + 10);
  let size = tail.readUInt32LE(eocd + 12);
  let offset = tail.readUInt32LE(eocd + 16);
  if (offset === 0xffffffff || count === 0xffff || size === 0xffffffff) {
    // ZIP64: locator right before the EOCD points at the ZIP64 end record.
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== 0x07064b50) return null;
    const rec = Number(tail.readBigUInt64LE(loc + 8)) - tailStart;
    if (rec < 0 || rec + 56 > tail.length || tail.readUInt32LE(rec) !== 0x06064b50) return null;
    count = Number(tail.readBigUInt64LE(rec + 32));
    size = Number(tail.readBigUInt64LE(rec + 40));
    offset = Number(tail.readBigUInt64LE(rec + 48));
  }
  return { count, offset, size };
}

/** Parses `count` central-directory records from `cd` (the directory's bytes); null if damaged. */
export function parseCentralDirectory(cd: Buffer, count: number): ZipEntryInfo[] | null {
  const entries: ZipEntryInfo[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) return null;
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    let compressedSize = cd.readUInt32LE(p + 20);
    let size = cd.readUInt32LE(p + 24);
    const nameLen = cd.readUInt16LE(p + 28);
    const extraLen = cd.readUInt16LE(p + 30);
    const commentLen = cd.readUInt16LE(p + 32);
    let localOffset = cd.readUInt32LE(p + 42);
    if (p + 46 + nameLen > cd.length) return null;
    const name = cd.toString('utf8', p + 46, p + 46 + nameLen);
    if (size === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      // ZIP64 extended information (id 1): the 8-byte values present are those marked 0xffffffff
      const sizes = { size: -1, compressedSize: -1, localOffset: -1 };
      let e = p + 46 + nameLen;
      const end = Math.min(cd.length, e + extraLen);
      while (e + 4 <= end) {
        const id = cd.readUInt16LE(e);
        const len = cd.readUInt16LE(e + 2);
        if (id === 1) {
          let q = e + 4;
          const next = () => {
            if (q + 8 > e + 4 + len || q + 8 > cd.length) return -1;
            const v = Number(cd.readBigUInt64LE(q));
            q += 8;
            return v;
          };
          if (size === 0xffffffff) sizes.size = next();
          if (compressedSize === 0xffffffff) sizes.compressedSize = next();
          if (localOffset === 0xffffffff) sizes.localOffset = next();
          break;
        }
        e += 4 + len;
      }
      if (size === 0xffffffff) size = sizes.size;
      if (compressedSize === 0xffffffff) compressedSize = sizes.compressedSize;
      if (localOffset === 0xffffffff) localOffset = sizes.localOffset;
    }
    entries.push({ name, compressedSize, size, encrypted: (flags & 1) === 1, method, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

/** Lists a zip's entries from its central directory without inflating anything; null if not a readable zip. */
export function listZipEntries(buf: Buffer): ZipEntryInfo[] | null {
  const end = findZipEnd(buf);
  if (!end) return null;
  return parseCentralDirectory(buf.subarray(Math.min(end.offset, buf.length)), end.count);
}

// ---------- sniffing ----------

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

/** The bytes start like an OLE2 compound file (.xls, .et, .doc, or a password-protected .xlsx). */
export function isOle2(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).equals(OLE2);
}

/** The UTF-16 name of the stream a password-protected OOXML file keeps in its OLE2 container. */
export const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

function looksLikeText(buf: Buffer): boolean {
  const sample = buf.subarray(0, Math.min(buf.length, 4096));
  let bad = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) bad++;
  }
  return bad <= sample.length * 0.02;
}

const SAVE_AS = '请在 Excel/WPS 中打开后“另存为” Excel 工作簿（.xlsx）再导入';

export interface ZipHeadOptions {
  /** Whether an OLE2 file holds an EncryptedPackage stream (asked only for OLE2 files). */
  encrypted: () => boolean;
  /** What the PDF message says cannot be done (default 导入任务). */
  action?: string;
}

/**
 * Throws a BAD_INPUT AppError naming the file unless `head` (the file's first bytes, at least
 * 4 KB when the file is that long) starts like a zip: OLE2 (.xls/.et, or password-protected),
 * PDF, HTML/XML, RTF, plain text/CSV, anything else.
 */
export function assertZipHead(head: Buffer, fileName: string, opts: ZipHeadOptions): void {
  const name = displayName(fileName);
  if (isOle2(head)) {
    if (opts.encrypted()) {
      throw bad(
        name,
        `「${name}」设置了打开密码，无法读取。请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入。`,
      );
    }
    throw bad(name, `「${name}」是旧版 Excel 97-2003 格式（.xls）或 WPS 表格格式（.et），${SAVE_AS}。`);
  }
  const ascii = head.toString('latin1', 0, Math.min(head.length, 1024));
  if (ascii.startsWith('%PDF')) {
    throw bad(
      name,
      `「${name}」是 PDF 文件，不是 Excel 工作簿，无法${opts.action ?? '导入任务'}。请向报送单位索要 Excel 原件（.xlsx）。`,
    );
  }
  const magic = head.length >= 4 ? head.readUInt32LE(0) : 0;
  if (magic !== 0x04034b50 && magic !== 0x06054b50) {
    const text = ascii
      .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
      .trimStart()
      .toLowerCase();
    if (text.startsWith('<')) {
      throw bad(name, `「${name}」是网页或 XML 格式的表格（常见于系统导出的“假 Excel”），${SAVE_AS}。`);
    }
    if (text.startsWith('{\\rtf')) throw bad(name, `「${name}」是 RTF 文档，不是 Excel 工作簿。`);
    if (looksLikeText(head)) {
      throw bad(name, `「${name}」是纯文本/CSV 文件，不是 Excel 工作簿（可能只是改了扩展名）。${SAVE_AS}。`);
    }
    throw bad(name, `「${name}」不是 Excel 工作簿（.xlsx），无法识别其格式。${SAVE_AS}。`);
  }
}

/**
 * Throws a BAD_INPUT AppError naming the file unless the zip's entries (null: no readable
 * central directory) are an unencrypted .xlsx/.xlsm with a workbook part whose declared
 * uncompressed total is within `maxUnzipped`.
 */
export function assertXlsxEntries(
  entries: ZipEntryInfo[] | null,
  fileName: string,
  maxUnzipped = MAX_UNZIPPED_BYTES,
): void {
  const name = displayName(fileName);
  if (!entries) {
    throw bad(name, `「${name}」已损坏或不完整（可能没有下载完），无法作为 .xlsx 打开。请重新获取文件。`);
  }
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('xl/workbook.xml')) {
    if (names.has('xl/workbook.bin')) {
      throw bad(name, `「${name}」是 Excel 二进制工作簿（.xlsb），${SAVE_AS}。`);
    }
    if (names.has('word/document.xml')) throw bad(name, `「${name}」是 Word 文档，不是 Excel 工作簿。`);
    if (names.has('ppt/presentation.xml'))
      throw bad(name, `「${name}」是 PowerPoint 演示文稿，不是 Excel 工作簿。`);
    if (names.has('content.xml') && names.has('mimetype')) {
      throw bad(name, `「${name}」是 OpenDocument 表格（.ods），${SAVE_AS}。`);
    }
    throw bad(name, `「${name}」是压缩包，但其中没有 Excel 工作簿内容，无法导入。`);
  }
  if (entries.some((e) => e.encrypted)) {
    throw bad(name, `「${name}」中的内容经过加密，无法读取。请取消密码后另存为 .xlsx 再导入。`);
  }
  const unzipped = entries.reduce((sum, e) => sum + Math.max(0, e.size), 0);
  if (unzipped > maxUnzipped) {
    throw bad(
      name,
      `「${name}」解压后内容约 ${formatSize(unzipped)}，超过导入上限 ${formatSize(maxUnzipped)}。` +
        '请删除与任务清单无关的工作表后另存，或拆分为多个文件再导入。',
      { unzipped },
    );
  }
}

/**
 * Throws a BAD_INPUT AppError naming the file unless the bytes are a readable .xlsx/.xlsm zip
 * with a workbook part. Does not parse the workbook.
 */
export function assertXlsx(data: Buffer, fileName: string): void {
  const name = displayName(fileName);
  assertImportSize(name, data.length);
  if (data.length === 0) throw bad(name, `「${name}」是空文件（0 字节），请重新获取文件后再导入。`);
  assertZipHead(data, name, { encrypted: () => data.indexOf(ENCRYPTED_PACKAGE) >= 0 });
  assertXlsxEntries(listZipEntries(data), name);
}
