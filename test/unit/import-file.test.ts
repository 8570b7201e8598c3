/** Import files that are not workbooks, too large or damaged: refused with a message naming the file. */
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { assertXlsx, listZipEntries, MAX_IMPORT_BYTES, readImportFile } from '../../main/core/import/file';
import { previewTaskWorkbook, previewTaskWorkbookFile } from '../../main/core/import/task-workbook';
import { AppError } from '../../main/core/util/errors';

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof fsp>();
  return { ...actual, open: vi.fn(actual.open), readFile: vi.fn(actual.readFile) };
});

const ctx = { city: '琼海市', departments: [], indicators: [], today: new Date(2027, 0, 10) };
const dir = mkdtempSync(join(tmpdir(), 'cwb-import-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refusal(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function refusalAsync(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function smallWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Sheet1');
  ws.addRow(['任务名称', '牵头单位', '完成时限']);
  ws.addRow(['编制工作要点', '市发改委', '2027-03-31']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

describe('assertXlsx', () => {
  it('refuses a legacy .xls (OLE2) and asks to save as .xlsx', () => {
    const xls = Buffer.concat([Buffer.from(OLE2), Buffer.alloc(4096, 0)]);
    const e = refusal(() => assertXlsx(xls, 'C:\\报送\\任务清单.xls'));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('「任务清单.xls」是旧版 Excel 97-2003 格式');
    expect(e.message).toContain('另存为');
    expect(e.message).toContain('.xlsx');
    expect(e.details).toMatchObject({ fileName: '任务清单.xls' });
  });

  it('recognises a password-protected workbook (encrypted OOXML in an OLE2 container)', () => {
    const enc = Buffer.concat([
      Buffer.from(OLE2),
      Buffer.alloc(600),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    expect(refusal(() => assertXlsx(enc, '加密.xlsx')).message).toContain('设置了打开密码');
  });

  it('refuses CSV renamed to .xlsx', () => {
    const csv = Buffer.from('任务名称,牵头单位,完成时限\n编制工作要点,市发改委,2027-03-31\n', 'utf8');
    const e = refusal(() => assertXlsx(csv, '任务清单.xlsx'));
    expect(e.message).toContain('「任务清单.xlsx」是纯文本/CSV 文件');
  });

  it('refuses a PDF, an HTML "xls", an empty file', () => {
    expect(refusal(() => assertXlsx(Buffer.from('%PDF-1.7\n...'), '清单.xlsx')).message).toContain(
      '是 PDF 文件',
    );
    expect(
      refusal(() => assertXlsx(Buffer.from('<html><table><tr><td>1</td></tr></table></html>'), '导出.xls'))
        .message,
    ).toContain('网页或 XML 格式');
    expect(refusal(() => assertXlsx(Buffer.alloc(0), '空.xlsx')).message).toBe(
      '「空.xlsx」是空文件（0 字节），请重新获取文件后再导入。',
    );
    expect(refusal(() => assertXlsx(Buffer.from([1, 2]), 'x.xlsx')).message).toContain('「x.xlsx」');
  });

  it('refuses a zip that is not a workbook, a Word file and a truncated download', async () => {
    const zip = Buffer.from(zipSync({ 'readme.txt': strToU8('hello') }));
    expect(refusal(() => assertXlsx(zip, '资料.xlsx')).message).toContain('没有 Excel 工作簿内容');
    const docx = Buffer.from(
      zipSync({ '[Content_Types].xml': strToU8('<x/>'), 'word/document.xml': strToU8('<w/>') }),
    );
    expect(refusal(() => assertXlsx(docx, '通知.xlsx')).message).toContain('Word 文档');
    const good = await smallWorkbook();
    expect(() => assertXlsx(good, 'ok.xlsx')).not.toThrow();
    const cut = good.subarray(0, Math.floor(good.length / 2));
    expect(refusal(() => assertXlsx(cut, '半截.xlsx')).message).toContain('已损坏或不完整');
  });

  it('refuses a zip whose entries would inflate beyond the limit (zip bomb) without inflating', () => {
    const zip = Buffer.from(zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') }));
    const entries = listZipEntries(zip);
    expect(entries?.map((e) => e.name)).toEqual(['xl/workbook.xml']);
    // Patch the central directory's uncompressed size to 400 MB.
    const cd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(400 * 1024 * 1024, cd + 24);
    expect(refusal(() => assertXlsx(zip, 'bomb.xlsx')).message).toContain('解压后内容约 400.0 MB');
  });

  it('refuses a 50 MB buffer by size before looking inside', () => {
    const big = Buffer.alloc(50 * 1024 * 1024);
    const t = performance.now();
    const e = refusal(() => assertXlsx(big, '大文件.xlsx'));
    expect(performance.now() - t).toBeLessThan(200);
    expect(e.message).toContain('「大文件.xlsx」大小为 50.0 MB，超过导入上限 20.0 MB');
    expect(e.details).toMatchObject({ size: 50 * 1024 * 1024, limit: MAX_IMPORT_BYTES });
  });
});

describe('readImportFile', () => {
  it('refuses a 50 MB file from its size alone, without opening it', async () => {
    const path = join(dir, '50MB 任务清单.xlsx');
    writeFileSync(path, '');
    truncateSync(path, 50 * 1024 * 1024); // sparse: instant, no 50 MB written
    vi.mocked(fsp.open).mockClear();
    vi.mocked(fsp.readFile).mockClear();
    const t = performance.now();
    const e = await refusalAsync(readImportFile(path));
    const ms = performance.now() - t;
    expect(ms).toBeLessThan(500);
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('「50MB 任务清单.xlsx」大小为 50.0 MB');
    expect(fsp.open).not.toHaveBeenCalled();
    expect(fsp.readFile).not.toHaveBeenCalled();
    // The same through the preview entry point.
    const e2 = await refusalAsync(previewTaskWorkbookFile(path, ctx));
    expect(e2.message).toContain('超过导入上限');
    expect(fsp.open).not.toHaveBeenCalled();
  });

  it('reads a normal file and reports a missing one as IO_ERROR', async () => {
    const path = join(dir, 'ok.xlsx');
    const data = await smallWorkbook();
    writeFileSync(path, data);
    const f = await readImportFile(path);
    expect(f.fileName).toBe('ok.xlsx');
    expect(f.data.equals(data)).toBe(true);
    const missing = await refusalAsync(readImportFile(join(dir, 'nope.xlsx')));
    expect(missing.code).toBe('IO_ERROR');
    expect(missing.message).toContain('「nope.xlsx」');
  });
});

describe('previewTaskWorkbook on bad input', () => {
  it('throws BAD_INPUT naming the file for each kind of non-workbook', async () => {
    const cases: [Buffer, string, string][] = [
      [Buffer.concat([Buffer.from(OLE2), Buffer.alloc(512)]), '旧表.xls', '旧版 Excel 97-2003'],
      [Buffer.from('a,b\n1,2\n'), '表.xlsx', 'CSV'],
      [Buffer.alloc(0), '空.xlsx', '空文件'],
      [Buffer.from(zipSync({ 'a.txt': strToU8('x') })), '包.xlsx', '没有 Excel 工作簿内容'],
    ];
    for (const [data, fileName, text] of cases) {
      const e = await refusalAsync(previewTaskWorkbook({ data, fileName }, ctx));
      expect(e.code).toBe('BAD_INPUT');
      expect(e.message).toContain(`「${fileName}」`);
      expect(e.message).toContain(text);
    }
  });

  it('reports a zip with workbook parts exceljs cannot read as damaged', async () => {
    const junk = Buffer.from(
      zipSync({
        '[Content_Types].xml': strToU8('not xml at all <<<'),
        'xl/workbook.xml': strToU8('<<<garbage'),
      }),
    );
    const e = await refusalAsync(previewTaskWorkbook({ data: junk, fileName: '坏.xlsx' }, ctx));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('「坏.xlsx」无法读取');
    expect(e.details).toHaveProperty('cause');
  });
});
