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
  /** -1 when recorded only in a ZIP64 extra field we do not decode. */
  size: number;
  encrypted: boolean;
}

/** Lists a zip's entries from its central directory without inflating anything; null if not a readable zip. */
export function listZipEntries(buf: Buffer): ZipEntryInfo[] | null {
  const EOCD = 0x06054b50;
  const minStart = Math.max(0, buf.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = buf.length - 22; i >= minStart; i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  let count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  if (offset === 0xffffffff || count === 0xffff) {
    // ZIP64: locator right before the EOCD points at the ZIP64 end record.
    const loc = eocd - 20;
    if (loc < 0 || buf.readUInt32LE(loc) !== 0x07064b50) return null;
    const rec = Number(buf.readBigUInt64LE(loc + 8));
    if (rec + 56 > buf.length || buf.readUInt32LE(rec) !== 0x06064b50) return null;
    count = Number(buf.readBigUInt64LE(rec + 32));
    offset = Number(buf.readBigUInt64LE(rec + 48));
  }
  const entries: ZipEntryInfo[] = [];
  let p = offset;
  for (let n = 0; n < count; n++) {
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== 0x02014b50) return null;
    const flags = buf.readUInt16LE(p + 8);
    const compressedSize = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    if (p + 46 + nameLen > buf.length) return null;
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    entries.push({
      name,
      compressedSize,
      size: size === 0xffffffff ? -1 : size,
      encrypted: (flags & 1) === 1,
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

// ---------- sniffing ----------

const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function looksLikeText(buf: Buffer): boolean {
  const sample = buf.subarray(0, Math.min(buf.length, 4096));
  let bad = 0;
  for (const b of sample) {
    if (b === 0) return false;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) bad++;
  }
  return bad <= sample.length * 0.02;
}

/**
 * Throws a BAD_INPUT AppError naming the file unless the bytes are a readable .xlsx/.xlsm zip
 * with a workbook part. Does not parse the workbook.
 */
export function assertXlsx(data: Buffer, fileName: string): void {
  const name = displayName(fileName);
  assertImportSize(name, data.length);
  if (data.length === 0) throw bad(name, `「${name}」是空文件（0 字节），请重新获取文件后再导入。`);
  const head = data.subarray(0, 8);
  const saveAs = '请在 Excel/WPS 中打开后“另存为” Excel 工作簿（.xlsx）再导入';
  if (head.equals(OLE2)) {
    if (data.indexOf(Buffer.from('EncryptedPackage', 'utf16le')) >= 0) {
      throw bad(
        name,
        `「${name}」设置了打开密码，无法读取。请在 Excel/WPS 中取消密码后另存为 .xlsx 再导入。`,
      );
    }
    throw bad(name, `「${name}」是旧版 Excel 97-2003 格式（.xls）或 WPS 表格格式（.et），${saveAs}。`);
  }
  const ascii = data.toString('latin1', 0, Math.min(data.length, 1024));
  if (ascii.startsWith('%PDF')) {
    throw bad(
      name,
      `「${name}」是 PDF 文件，不是 Excel 工作簿，无法导入任务。请向报送单位索要 Excel 原件（.xlsx）。`,
    );
  }
  const magic = data.length >= 4 ? data.readUInt32LE(0) : 0;
  if (magic !== 0x04034b50 && magic !== 0x06054b50) {
    const text = ascii
      .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
      .trimStart()
      .toLowerCase();
    if (text.startsWith('<')) {
      throw bad(name, `「${name}」是网页或 XML 格式的表格（常见于系统导出的“假 Excel”），${saveAs}。`);
    }
    if (text.startsWith('{\\rtf')) throw bad(name, `「${name}」是 RTF 文档，不是 Excel 工作簿。`);
    if (looksLikeText(data)) {
      throw bad(name, `「${name}」是纯文本/CSV 文件，不是 Excel 工作簿（可能只是改了扩展名）。${saveAs}。`);
    }
    throw bad(name, `「${name}」不是 Excel 工作簿（.xlsx），无法识别其格式。${saveAs}。`);
  }
  const entries = listZipEntries(data);
  if (!entries) {
    throw bad(name, `「${name}」已损坏或不完整（可能没有下载完），无法作为 .xlsx 打开。请重新获取文件。`);
  }
  const names = new Set(entries.map((e) => e.name));
  if (!names.has('xl/workbook.xml')) {
    if (names.has('xl/workbook.bin')) {
      throw bad(name, `「${name}」是 Excel 二进制工作簿（.xlsb），${saveAs}。`);
    }
    if (names.has('word/document.xml')) throw bad(name, `「${name}」是 Word 文档，不是 Excel 工作簿。`);
    if (names.has('ppt/presentation.xml'))
      throw bad(name, `「${name}」是 PowerPoint 演示文稿，不是 Excel 工作簿。`);
    if (names.has('content.xml') && names.has('mimetype')) {
      throw bad(name, `「${name}」是 OpenDocument 表格（.ods），${saveAs}。`);
    }
    throw bad(name, `「${name}」是压缩包，但其中没有 Excel 工作簿内容，无法导入。`);
  }
  if (entries.some((e) => e.encrypted)) {
    throw bad(name, `「${name}」中的内容经过加密，无法读取。请取消密码后另存为 .xlsx 再导入。`);
  }
  const unzipped = entries.reduce((sum, e) => sum + Math.max(0, e.size), 0);
  if (unzipped > MAX_UNZIPPED_BYTES) {
    throw bad(
      name,
      `「${name}」解压后内容约 ${formatSize(unzipped)}，超过导入上限 ${formatSize(MAX_UNZIPPED_BYTES)}。` +
        '请删除与任务清单无关的工作表后另存，或拆分为多个文件再导入。',
      { unzipped },
    );
  }
}
