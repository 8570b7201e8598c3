/**
 * A zip read through a file handle with positioned reads: the central directory from the file's
 * tail, then one entry at a time inflated on demand (Node's native raw inflate, 1 MB compressed
 * chunks), never the whole file in memory. Limits against zip bombs are checked on the declared
 * sizes AND enforced while inflating (declared sizes can lie).
 */
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { displayName, findZipEnd, formatSize, parseCentralDirectory, type ZipEntryInfo } from './file';
import { AppError } from '../util/errors';

/** Largest compliance file accepted (bytes on disk). */
export const MAX_COMPLIANCE_FILE_BYTES = 2 * 1024 * 1024 * 1024;
/** Largest total uncompressed size of a workbook's zip entries. */
export const MAX_COMPLIANCE_UNZIPPED_BYTES = 4 * 1024 * 1024 * 1024;
/** Entries bigger than this uncompressed must not inflate more than BOMB_RATIO times. */
export const BOMB_MIN_BYTES = 64 * 1024 * 1024;
export const BOMB_RATIO = 200;
/** Compressed bytes read per chunk. */
const READ_CHUNK = 1024 * 1024;

export interface ZipLimits {
  maxUnzipped: number;
  bombMinBytes: number;
  bombRatio: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxUnzipped: MAX_COMPLIANCE_UNZIPPED_BYTES,
  bombMinBytes: BOMB_MIN_BYTES,
  bombRatio: BOMB_RATIO,
};

export function badInput(fileName: string, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('BAD_INPUT', message, { fileName: displayName(fileName), ...details });
}

export function truncated(fileName: string): AppError {
  const name = displayName(fileName);
  return badInput(
    name,
    `「${name}」文件不完整（可能没有下载完）或已损坏，无法读取。请重新获取完整的文件后再校验。`,
  );
}

export function bombError(fileName: string, unzipped: number, limit: number): AppError {
  const name = displayName(fileName);
  return badInput(
    name,
    `「${name}」解压后内容异常巨大（约 ${formatSize(unzipped)}，上限 ${formatSize(limit)}，或压缩比异常），` +
      '疑似“压缩炸弹”，已拒绝读取。请在 Excel/WPS 中打开后删除无关内容另存再校验。',
    { unzipped },
  );
}

export function cancelled(): AppError {
  return new AppError('CANCELLED', '已取消');
}

/** Reads exactly `length` bytes at `position` (fewer only at the end of the file). */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await handle.read(buf, got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got < length ? buf.subarray(0, got) : buf;
}

/** Reads the central directory: null when the file is not a readable zip (truncated, damaged). */
export async function readZipDirectory(handle: FileHandle, size: number): Promise<ZipEntryInfo[] | null> {
  const tailLen = Math.min(size, 22 + 0xffff + 20 + 56);
  const tailStart = size - tailLen;
  const tail = await readAt(handle, tailStart, tailLen);
  const end = findZipEnd(tail, tailStart);
  if (!end || end.offset + end.size > size || end.size < 0) return null;
  const cd =
    end.offset >= tailStart && end.offset + end.size <= size
      ? tail.subarray(end.offset - tailStart, end.offset - tailStart + end.size)
      : await readAt(handle, end.offset, end.size);
  return parseCentralDirectory(cd, end.count);
}

/**
 * Throws when the declared sizes already exceed the limits: the total, or a big entry whose
 * declared ratio is beyond BOMB_RATIO.
 */
export function checkDeclaredSizes(entries: ZipEntryInfo[], fileName: string, limits: ZipLimits): void {
  let total = 0;
  for (const e of entries) {
    if (e.size < 0 || e.compressedSize < 0 || e.localOffset < 0) throw truncated(fileName);
    total += e.size;
    if (e.size > limits.bombMinBytes && e.size > e.compressedSize * limits.bombRatio) {
      throw bombError(fileName, e.size, limits.maxUnzipped);
    }
  }
  if (total > limits.maxUnzipped) throw bombError(fileName, total, limits.maxUnzipped);
}

export interface ZipReaderOptions {
  fileName: string;
  limits?: ZipLimits;
  signal?: AbortSignal;
  /** Compressed bytes per read (tests use tiny chunks). */
  readChunk?: number;
  /** Uncompressed bytes per chunk handed on (tests use tiny chunks). */
  outChunk?: number;
}

/** The entries of a zip on an open file handle, inflated one at a time on demand. */
export class ZipReader {
  private readonly byName = new Map<string, ZipEntryInfo>();
  private readonly byLowerName = new Map<string, ZipEntryInfo>();
  private unzippedSoFar = 0;
  /** Compressed bytes of the current entry read so far (plus finished entries). */
  consumed = 0;
  readonly limits: ZipLimits;

  constructor(
    private readonly handle: FileHandle,
    private readonly size: number,
    readonly entries: ZipEntryInfo[],
    private readonly opts: ZipReaderOptions,
  ) {
    this.limits = opts.limits ?? DEFAULT_ZIP_LIMITS;
    for (const e of entries) {
      this.byName.set(e.name, e);
      this.byLowerName.set(e.name.toLowerCase(), e);
    }
  }

  /** An entry by its exact name, or case-insensitively (some exporters differ in case). */
  entry(name: string): ZipEntryInfo | undefined {
    const n = name.replace(/^\/+/, '');
    return this.byName.get(n) ?? this.byLowerName.get(n.toLowerCase());
  }

  /** Where the entry's data starts (after its local header). */
  private async dataStart(e: ZipEntryInfo): Promise<number> {
    const lh = await readAt(this.handle, e.localOffset, 30);
    if (lh.length < 30 || lh.readUInt32LE(0) !== 0x04034b50) throw truncated(this.opts.fileName);
    const start = e.localOffset + 30 + lh.readUInt16LE(26) + lh.readUInt16LE(28);
    if (start + e.compressedSize > this.size) throw truncated(this.opts.fileName);
    return start;
  }

  /** The entry's compressed bytes in chunks. */
  private async *raw(e: ZipEntryInfo, start: number): AsyncGenerator<Buffer> {
    const chunk = this.opts.readChunk ?? READ_CHUNK;
    let pos = start;
    const end = start + e.compressedSize;
    while (pos < end) {
      if (this.opts.signal?.aborted) throw cancelled();
      const buf = await readAt(this.handle, pos, Math.min(chunk, end - pos));
      if (buf.length === 0) throw truncated(this.opts.fileName);
      pos += buf.length;
      this.consumed += buf.length;
      yield buf;
    }
  }

  /**
   * The entry's uncompressed bytes in chunks. Throws BAD_INPUT for a damaged/cut entry and for
   * output beyond the declared size, the total limit or the ratio limit.
   */
  async *chunks(e: ZipEntryInfo): AsyncGenerator<Buffer> {
    const name = this.opts.fileName;
    if (e.method !== 0 && e.method !== 8) {
      throw badInput(
        name,
        `「${displayName(name)}」使用了不支持的压缩方式，请在 Excel/WPS 中另存为 .xlsx 后再校验。`,
      );
    }
    const start = await this.dataStart(e);
    let out = 0;
    const check = (n: number) => {
      out += n;
      this.unzippedSoFar += n;
      if (out > e.size) throw bombError(name, out, this.limits.maxUnzipped);
      if (this.unzippedSoFar > this.limits.maxUnzipped)
        throw bombError(name, this.unzippedSoFar, this.limits.maxUnzipped);
      if (out > this.limits.bombMinBytes && out > e.compressedSize * this.limits.bombRatio)
        throw bombError(name, out, this.limits.maxUnzipped);
    };
    if (e.method === 0) {
      for await (const b of this.raw(e, start)) {
        check(b.length);
        yield b;
      }
      return;
    }
    const outChunk = this.opts.outChunk ?? 256 * 1024;
    const inflate = createInflateRaw({ chunkSize: Math.max(64, outChunk) });
    let readError: unknown = null;
    pipeline(Readable.from(this.raw(e, start)), inflate, (err) => {
      if (err) readError = err;
    });
    try {
      for await (const b of inflate as AsyncIterable<Buffer>) {
        check(b.length);
        if (b.length <= outChunk) yield b;
        else for (let i = 0; i < b.length; i += outChunk) yield b.subarray(i, i + outChunk);
      }
    } catch (err) {
      const cause = readError ?? err;
      if (cause instanceof AppError) throw cause;
      throw truncated(name);
    } finally {
      inflate.destroy();
    }
    if (readError instanceof AppError) throw readError;
    if (readError) throw truncated(name);
    if (out !== e.size) throw truncated(name);
  }

  /** A whole (small) entry as text. */
  async text(e: ZipEntryInfo): Promise<string> {
    const parts: Buffer[] = [];
    for await (const b of this.chunks(e)) parts.push(b);
    return Buffer.concat(parts).toString('utf8');
  }
}
