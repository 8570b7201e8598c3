/**
 * Opens an xlsx or csv file as a streamed table, the format sniffed from the BYTES (not the
 * name): a zip → .xlsx (its central directory read with positioned reads, sizes checked against
 * zip bombs); OLE2 (.xls/.et or password-protected), PDF, HTML, RTF or binary → refused with
 * the import messages; anything else → CSV with its encoding detected.
 */
import { open, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import {
  assertXlsxEntries,
  assertZipHead,
  displayName,
  ENCRYPTED_PACKAGE,
  formatSize,
  isOle2,
} from '../../import/file';
import { AppError } from '../../util/errors';
import type { OpenTableOptions, TableReader } from '../types';
import { openCsv, type CsvRange } from './csv';
import { SAMPLE_BYTES } from './encoding';
import { openXlsx } from './xlsx';
import {
  badInput,
  checkDeclaredSizes,
  DEFAULT_ZIP_LIMITS,
  MAX_COMPLIANCE_FILE_BYTES,
  readAt,
  readZipDirectory,
  ZipReader,
  type ZipLimits,
} from '../../import/zip-reader';

export { MAX_COMPLIANCE_FILE_BYTES, MAX_COMPLIANCE_UNZIPPED_BYTES } from '../../import/zip-reader';

/** Default limit of cells in one row. */
export const DEFAULT_MAX_COLUMNS = 1000;

/** Internal knobs for tests: tiny chunks to cross every boundary, lower zip limits. */
export interface OpenTableInternals {
  readChunk?: number;
  outChunk?: number;
  zipLimits?: ZipLimits;
}

/** Whether an OLE2 file holds an EncryptedPackage stream: its first directory sector, else the first 1 MB. */
async function oleEncrypted(handle: FileHandle, head: Buffer, size: number): Promise<boolean> {
  if (head.indexOf(ENCRYPTED_PACKAGE) >= 0) return true;
  if (head.length >= 0x34) {
    const sectorSize = 1 << head.readUInt16LE(0x1e);
    const dirSector = head.readUInt32LE(0x30);
    const at = (dirSector + 1) * sectorSize;
    if (sectorSize >= 128 && sectorSize <= 65536 && at < size) {
      const dir = await readAt(handle, at, sectorSize * 4);
      if (dir.indexOf(ENCRYPTED_PACKAGE) >= 0) return true;
    }
  }
  const first = await readAt(handle, 0, Math.min(size, 1024 * 1024));
  return first.indexOf(ENCRYPTED_PACKAGE) >= 0;
}

/** Zip local header or empty-zip end record. */
function isZip(head: Buffer): boolean {
  if (head.length < 4) return false;
  const magic = head.readUInt32LE(0);
  return magic === 0x04034b50 || magic === 0x06054b50;
}

function isBinary(head: Buffer): boolean {
  // UTF-16 text has NULs but starts with its BOM (decoded by the csv reader)
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return false;
  return head.indexOf(0) >= 0;
}

export async function openTable(
  path: string,
  opts: OpenTableOptions & {
    internals?: OpenTableInternals;
    /** Read only this byte range of a CSV (already sniffed by the caller: no format/encoding detection). */
    csvRange?: CsvRange;
  } = {},
): Promise<TableReader> {
  const fileName = displayName(opts.fileName ?? path);
  const maxColumns = opts.maxColumns ?? DEFAULT_MAX_COLUMNS;
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw badInput(fileName, `「${fileName}」不是文件，请选择一个 .xlsx 或 .csv 文件。`);
    size = st.size;
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('IO_ERROR', `无法读取「${fileName}」：文件不存在或没有读取权限。`, { fileName });
  }
  if (size === 0) throw badInput(fileName, `「${fileName}」是空文件（0 字节），请重新获取文件后再校验。`);
  if (size > MAX_COMPLIANCE_FILE_BYTES) {
    throw badInput(
      fileName,
      `「${fileName}」大小为 ${formatSize(size)}，超过校验上限 ${formatSize(MAX_COMPLIANCE_FILE_BYTES)}。请拆分为多个文件再校验。`,
      { size, limit: MAX_COMPLIANCE_FILE_BYTES },
    );
  }
  const handle = await open(path, 'r');
  try {
    if (opts.csvRange) {
      return await openCsv(handle, size, Buffer.alloc(0), {
        fileName,
        signal: opts.signal,
        maxColumns,
        readChunk: opts.internals?.readChunk,
        range: opts.csvRange,
      });
    }
    const head = await readAt(handle, 0, Math.min(size, SAMPLE_BYTES));
    if (opts.signal?.aborted) throw new AppError('CANCELLED', '已取消');
    if (isZip(head)) {
      const entries = await readZipDirectory(handle, size);
      assertXlsxEntries(entries, fileName, Number.POSITIVE_INFINITY);
      const limits = opts.internals?.zipLimits ?? DEFAULT_ZIP_LIMITS;
      checkDeclaredSizes(entries ?? [], fileName, limits);
      const zip = new ZipReader(handle, size, entries ?? [], {
        fileName,
        limits,
        signal: opts.signal,
        readChunk: opts.internals?.readChunk,
        outChunk: opts.internals?.outChunk,
      });
      return await openXlsx(handle, size, zip, { fileName, signal: opts.signal, maxColumns });
    }
    const text = !isOle2(head) && !isBinary(head) && !head.toString('latin1', 0, 5).startsWith('%PDF');
    if (!text) {
      const encrypted = isOle2(head) ? await oleEncrypted(handle, head, size) : false;
      assertZipHead(head, fileName, { encrypted: () => encrypted, action: '校验' });
      // a zip-less binary the import sniffing let through: still not a table
      throw badInput(fileName, `「${fileName}」不是 Excel 工作簿或 CSV 文件，无法识别其格式。`);
    }
    const trimmed = head
      .toString('latin1', 0, 256)
      .replace(/^\xEF\xBB\xBF/, '')
      .trimStart()
      .toLowerCase();
    if (trimmed.startsWith('<') || trimmed.startsWith('{\\rtf')) {
      assertZipHead(head, fileName, { encrypted: () => false, action: '校验' });
    }
    return await openCsv(handle, size, head, {
      fileName,
      signal: opts.signal,
      maxColumns,
      readChunk: opts.internals?.readChunk,
    });
  } catch (e) {
    await handle.close();
    throw e;
  }
}
