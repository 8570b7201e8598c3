/** The streamed compliance readers: xlsx and csv files → rows, bad inputs refused with messages. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { afterAll, describe, expect, it } from 'vitest';
import { openTable, type OpenTableInternals } from '../../main/core/compliance/readers/open';
import { detectEncoding } from '../../main/core/compliance/readers/encoding';
import { isDateFormatCode, serialToText } from '../../main/core/compliance/readers/xlsx';
import type { RawRow } from '../../main/core/compliance/types';
import { AppError } from '../../main/core/util/errors';
import {
  csvBytes,
  rawXlsx,
  writeCsv,
  writeOle2,
  writePdf,
  writeTruncatedCopy,
  writeXlsx,
  writeZipBombXlsx,
} from '../helpers/compliance-files';
import { encodeGbk } from '../helpers/gbk';

const dir = mkdtempSync(join(tmpdir(), 'cwb-readers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let seq = 0;
const file = (name: string) => join(dir, `${++seq}-${name}`);

type Opts = Parameters<typeof openTable>[1];

async function readAll(
  path: string,
  opts: Opts = {},
): Promise<{ rows: RawRow[]; encoding: string | null; sheet: string | null; batches: number[] }> {
  const r = await openTable(path, opts);
  const rows: RawRow[] = [];
  const batches: number[] = [];
  try {
    for await (const b of r.batches()) {
      batches.push(b.length);
      rows.push(...b);
    }
  } finally {
    await r.close();
  }
  return { rows, encoding: r.encoding, sheet: r.sheetName, batches };
}

/** Rows as [n, ...cells] for compact expectations. */
const flat = (rows: RawRow[]) => rows.map((r) => [r.n, ...r.cells]);

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

const tiny: OpenTableInternals = { readChunk: 7, outChunk: 5 };

describe('xlsx: our streaming writer → reader', () => {
  const rows = [
    ['行政相对人名称', '罚款金额（万元）', '处罚决定日期', '是否', '备注'],
    ['A&B <某某> "公司"', 0.2, new Date(Date.UTC(2027, 0, 5)), true, null],
    [],
    [null, 12345678901234, new Date(Date.UTC(2027, 2, 1, 9, 5, 7)), false, '末尾'],
    [null, null, null, null, null],
    ['带\n换行', -3.25, null, null, '  前后空格  '],
  ];
  const expected = [
    [1, '行政相对人名称', '罚款金额（万元）', '处罚决定日期', '是否', '备注'],
    [2, 'A&B <某某> "公司"', '0.2', '2027-01-05', 'TRUE'],
    [4, '', '12345678901234', '2027-03-01 09:05:07', 'FALSE', '末尾'],
    [6, '带\n换行', '-3.25', '', '', '  前后空格  '],
  ];

  it('reads shared strings, numbers as written, dates, booleans, sparse and empty rows (row numbers true)', async () => {
    const p = file('shared.xlsx');
    await writeXlsx(p, [{ name: '行政处罚', rows }]);
    const got = await readAll(p);
    expect(flat(got.rows)).toEqual(expected);
    expect(got.sheet).toBe('行政处罚');
    expect(got.encoding).toBeNull();
  });

  it('reads inline strings the same, also with tiny chunks (boundaries inside tags, entities, characters)', async () => {
    const p = file('inline.xlsx');
    await writeXlsx(p, [{ name: 'S', rows }], { strings: 'inline' });
    expect(flat((await readAll(p)).rows)).toEqual(expected);
    expect(flat((await readAll(p, { internals: tiny })).rows)).toEqual(expected);
    const q = file('shared-tiny.xlsx');
    await writeXlsx(q, [{ name: 'S', rows }]);
    expect(flat((await readAll(q, { internals: tiny })).rows)).toEqual(expected);
  });

  it('reads the first VISIBLE sheet, wherever its part is', async () => {
    const p = file('order.xlsx');
    await writeXlsx(
      p,
      [
        { name: '说明', rows: [['hidden']], state: 'hidden' },
        { name: '数据', rows: [['名称'], ['甲']] },
        { name: '其他', rows: [['no']] },
      ],
      { parts: ['sheet2.xml', 'sheet3.xml', 'sheet1.xml'] },
    );
    const got = await readAll(p);
    expect(got.sheet).toBe('数据');
    expect(flat(got.rows)).toEqual([
      [1, '名称'],
      [2, '甲'],
    ]);
  });

  it('honours the 1904 date system', async () => {
    const p = file('1904.xlsx');
    await writeXlsx(p, [{ name: 'S', rows: [[new Date(Date.UTC(2027, 5, 30))]] }], { date1904: true });
    expect(flat((await readAll(p)).rows)).toEqual([[1, '2027-06-30']]);
  });

  it('yields batches of 1,000 rows', async () => {
    const p = file('batches.xlsx');
    await writeXlsx(p, [{ name: 'S', rows: Array.from({ length: 2500 }, (_, i) => [`r${i}`, i]) }]);
    const got = await readAll(p);
    expect(got.batches).toEqual([1000, 1000, 500]);
    expect(got.rows[2499]).toEqual({ n: 2500, cells: ['r2499', '2499'] });
  });
});

describe('xlsx written by exceljs', () => {
  it('reads rich text, formulas (cached values), builtin and custom date formats, booleans, errors', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('封面').state = 'hidden';
    const ws = wb.addWorksheet('行政许可');
    ws.addRow(['名称', '日期', '自定义日期', '金额', '公式', '富文本', '布尔', '错误']);
    ws.addRow([
      '某某公司',
      new Date(Date.UTC(2026, 11, 31)),
      new Date(Date.UTC(2027, 0, 2)),
      1.5,
      { formula: 'D2*2', result: 3 },
      { richText: [{ text: '富' }, { text: '文本', font: { bold: true } }] },
      true,
      { error: '#N/A' },
    ]);
    ws.getCell('C2').numFmt = 'yyyy"年"m"月"d"日"';
    ws.getCell('D2').numFmt = '#,##0.00';
    ws.getCell('A4').value = { formula: 'A2&"分公司"', result: '某某公司分公司' };
    ws.getCell('H4').value = 'x < y & z';
    const p = file('exceljs.xlsx');
    await wb.xlsx.writeFile(p);
    const got = await readAll(p);
    expect(got.sheet).toBe('行政许可');
    expect(flat(got.rows)).toEqual([
      [1, '名称', '日期', '自定义日期', '金额', '公式', '富文本', '布尔', '错误'],
      [2, '某某公司', '2026-12-31', '2027-01-02', '1.5', '3', '富文本', 'TRUE', '#N/A'],
      [4, '某某公司分公司', '', '', '', '', '', '', 'x < y & z'],
    ]);
    expect(flat((await readAll(p, { internals: tiny })).rows)).toEqual(flat(got.rows));
  });

  it('matches exceljs cell by cell on a generated sheet', async () => {
    const p = file('cross.xlsx');
    const data = Array.from({ length: 300 }, (_, i) => [
      `单位${i % 7}`,
      i * 1.25,
      i % 3 === 0 ? null : `备注&${i}`,
    ]);
    await writeXlsx(p, [{ name: 'S', rows: data }]);
    const ours = (await readAll(p)).rows;
    const theirs: (string | number)[][] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(p, {});
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as unknown[])
          .slice(1)
          .map((v) => (v === undefined || v === null ? '' : String(v)));
        while (values.length > 0 && values[values.length - 1] === '') values.pop();
        theirs.push([row.number, ...values]);
      }
    }
    expect(flat(ours)).toEqual(theirs);
  });
});

describe('xlsx XML details', () => {
  it('phonetic runs, entities, _xHHHH_, xml:space, cells without refs, t=str/e/inlineStr/b/d, self-closing cells', async () => {
    const p = file('raw.xlsx');
    writeFileSync(
      p,
      rawXlsx({
        sharedStrings:
          '<si><t>纯文本</t></si>' +
          '<si><r><t>富</t></r><r><rPr><b/></rPr><t xml:space="preserve"> 文本 </t></r><rPh sb="0" eb="1"><t>フ</t></rPh></si>' +
          '<si><t>&amp;&lt;&gt;&quot;&apos;&#20013;&#x6587;</t></si>' +
          '<si><t>第一行_x000D_\n第二行</t></si>' +
          '<si/>' +
          '<si><t/></si>',
        sheetXml:
          '<row r="1" spans="1:6"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>' +
          '<c r="D1" t="s"><v>3</v></c><c r="E1" t="s"><v>4</v></c><c r="F1" t="s" s="0"><v>5</v></c><c r="G1" t="s"><v>0</v></c></row>' +
          '<row r="3"><c t="str"><f>A1</f><v>公式&amp;串</v></c><c t="e"><v>#DIV/0!</v></c><c s="1"/><c t="b"><v>0</v></c>' +
          '<c t="inlineStr"><is><r><t>内</t></r><r><t>联</t></r><rPh><t>x</t></rPh></is></c><c t="d"><v>2027-01-05T00:00:00</v></c></row>' +
          '<row r="5" customHeight="1"><c r="C5" s="1"><v>60</v></c><c r="D5" s="1"><v>61</v></c><c r="E5" s="2"><v>0.75</v></c>' +
          '<c r="F5" s="1"><v>46388.5</v></c><c r="G5" s="3"><v>0.125</v></c><c r="H5"><f>1+1</f></c></row>' +
          '<row r="6"/>',
        numFmts:
          '<numFmts><numFmt numFmtId="164" formatCode="h:mm AM/PM"/><numFmt numFmtId="165" formatCode="0.00%"/></numFmts>',
        cellXfs: '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>',
      }),
    );
    const expected = [
      [1, '纯文本', '富 文本 ', '&<>"\'中文', '第一行\r\n第二行', '', '', '纯文本'],
      [3, '公式&串', '#DIV/0!', '', 'FALSE', '内联', '2027-01-05T00:00:00'],
      [5, '', '', '1900-02-29', '1900-03-01', '18:00:00', '2027-01-01 12:00:00', '0.125'],
    ];
    expect(flat((await readAll(p)).rows)).toEqual(expected);
    expect(flat((await readAll(p, { internals: tiny })).rows)).toEqual(expected);
  });

  it('reads stored (uncompressed) entries and a namespace prefix', async () => {
    const p = file('stored.xlsx');
    const buf = rawXlsx({
      sheetXml: '<row r="2"><c r="B2" t="inlineStr"><is><t>存储</t></is></c></row>',
      stored: true,
    });
    writeFileSync(p, buf);
    expect(flat((await readAll(p)).rows)).toEqual([[2, '', '存储']]);
    const q = file('prefix.xlsx');
    writeFileSync(
      q,
      rawXlsx({
        sheetXml: '',
        sheetDoc:
          '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
          '<x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>前缀</x:t></x:is></x:c><x:c r="C1"><x:v>7</x:v></x:c></x:row>' +
          '</x:sheetData></x:worksheet>',
      }),
    );
    expect(flat((await readAll(q)).rows)).toEqual([[1, '前缀', '', '7']]);
  });

  it('recognises date formats', () => {
    expect(isDateFormatCode('yyyy"年"m"月"d"日"')).toBe(true);
    expect(isDateFormatCode('[$-F800]dddd, mmmm dd, yyyy')).toBe(true);
    expect(isDateFormatCode('[h]:mm:ss')).toBe(true);
    expect(isDateFormatCode('#,##0.00_);[Red](#,##0.00)')).toBe(false);
    expect(isDateFormatCode('"m²"0.00')).toBe(false);
    expect(isDateFormatCode('0.00E+00')).toBe(false);
    expect(isDateFormatCode('General')).toBe(false);
    expect(isDateFormatCode('\\d0')).toBe(false);
    expect(serialToText('1', false)).toBe('1900-01-01');
    expect(serialToText('59', false)).toBe('1900-02-28');
    expect(serialToText('45658', false)).toBe('2025-01-01');
    expect(serialToText('45658.999999', false)).toBe('2025-01-02');
    expect(serialToText('0', true)).toBe('1904-01-01');
    expect(serialToText('abc', false)).toBe('abc');
  });
});

describe('csv', () => {
  const rows = [
    ['行政相对人名称', '处罚类别', '违法事实', '金额'],
    ['某某有限公司', '罚款', '未按规定公示，"情节"较轻', '0.2'],
    ['张三', '警告', '第一行\r\n第二行\n第三行', ''],
    ['', '', '', ''],
    ['个体户,逗号', '没收违法所得', '普通', '1.5'],
  ];
  const expected = [
    [1, '行政相对人名称', '处罚类别', '违法事实', '金额'],
    [2, '某某有限公司', '罚款', '未按规定公示，"情节"较轻', '0.2'],
    [3, '张三', '警告', '第一行\r\n第二行\n第三行', ''],
    [5, '个体户,逗号', '没收违法所得', '普通', '1.5'],
  ];

  for (const encoding of ['utf-8', 'utf-8-bom', 'gbk'] as const) {
    for (const eol of ['\r\n', '\n'] as const) {
      it(`${encoding}, ${JSON.stringify(eol)}: quotes, newlines inside quotes, empty rows skipped with true row numbers`, async () => {
        const p = file(`t-${encoding}.csv`);
        writeCsv(p, rows, { encoding, eol });
        const got = await readAll(p);
        expect(got.encoding).toBe(encoding);
        expect(flat(got.rows)).toEqual(expected);
        for (const readChunk of [1, 2, 3, 5, 64]) {
          expect(flat((await readAll(p, { internals: { readChunk } })).rows)).toEqual(expected);
        }
      });
    }
  }

  it('GB18030: four-byte sequences detected and decoded', async () => {
    const four = Buffer.from([0x81, 0x30, 0x89, 0x38]); // a character outside GBK
    const ch = new TextDecoder('gb18030').decode(four);
    expect(ch).not.toBe('\ufffd');
    const p = file('gb18030.csv');
    writeFileSync(p, Buffer.concat([encodeGbk('名称,代码\r\n张'), four, encodeGbk('三,1\r\n')]));
    const got = await readAll(p);
    expect(got.encoding).toBe('gb18030');
    expect(flat(got.rows)).toEqual([
      [1, '名称', '代码'],
      [2, `张${ch}三`, '1'],
    ]);
  });

  it('UTF-16 with a BOM, tab and semicolon separators, CR-only line ends, no final newline, trailing empty line', async () => {
    const p16 = file('u16.csv');
    writeFileSync(
      p16,
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('名称\t金额\r\n甲\t1\r\n', 'utf16le')]),
    );
    const g16 = await readAll(p16);
    expect(g16.encoding).toBe('utf-16le');
    expect(flat(g16.rows)).toEqual([
      [1, '名称', '金额'],
      [2, '甲', '1'],
    ]);
    const semi = file('semi.csv');
    writeFileSync(semi, '名称;金额\r乙;"2;3"\r丙;4');
    expect(flat((await readAll(semi)).rows)).toEqual([
      [1, '名称', '金额'],
      [2, '乙', '2;3'],
      [3, '丙', '4'],
    ]);
    const trail = file('trail.csv');
    writeFileSync(trail, 'a,b\n1,"x"\n\n');
    expect(flat((await readAll(trail)).rows)).toEqual([
      [1, 'a', 'b'],
      [2, '1', 'x'],
    ]);
    const noNl = file('nonl.csv');
    writeFileSync(noNl, 'a,b\n1,"x ""y"""');
    for (const readChunk of [1, 3, 100]) {
      expect(flat((await readAll(noNl, { internals: { readChunk } })).rows)).toEqual([
        [1, 'a', 'b'],
        [2, '1', 'x "y"'],
      ]);
    }
  });

  it('detects the encoding from the first bytes (UTF-8 cut mid-character at the sample end is still UTF-8)', () => {
    expect(detectEncoding(Buffer.from('abc'), true)).toMatchObject({ encoding: 'utf-8', asciiOnly: true });
    expect(detectEncoding(Buffer.from('名称'), true)?.encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('名称').subarray(0, 4), false)?.encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('名称').subarray(0, 4), true)?.encoding).not.toBe('utf-8');
    expect(detectEncoding(encodeGbk('行政处罚'), true)?.encoding).toBe('gbk');
    expect(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x41]), true)).toMatchObject({
      encoding: 'utf-8-bom',
      bom: 3,
    });
    expect(detectEncoding(Buffer.from([0x41, 0xff, 0xff, 0x80]), true)).toBeNull();
  });

  it('an ASCII start decides the encoding at the first non-ASCII byte, even after 64 KB', async () => {
    const p = file('late-gbk.csv');
    const head = 'code,name\r\n' + 'A1,plain ascii row\r\n'.repeat(5000);
    writeFileSync(p, Buffer.concat([Buffer.from(head), encodeGbk('B2,某某公司\r\n')]));
    const got = await readAll(p);
    expect(got.encoding).toBe('gbk');
    expect(got.rows[got.rows.length - 1]).toEqual({ n: 5002, cells: ['B2', '某某公司'] });
  });

  it('matches csvBytes on a larger GBK file read in small chunks', async () => {
    const data = Array.from({ length: 3000 }, (_, i) => [
      `单位${i}`,
      i % 5 === 0 ? `含,逗号"${i}"` : '普通',
      String(i),
    ]);
    const p = file('big.csv');
    writeFileSync(p, csvBytes(data, { encoding: 'gbk' }));
    const got = await readAll(p, { internals: { readChunk: 4093 } });
    expect(got.rows.map((r) => r.cells)).toEqual(data);
    expect(got.rows[2999]?.n).toBe(3000);
  });
});

describe('bad input', () => {
  async function xlsxFile(): Promise<string> {
    const p = file('good.xlsx');
    await writeXlsx(p, [
      { name: 'S', rows: Array.from({ length: 20000 }, (_, i) => [`某某单位${i}`, i, `备注${i * 7}`]) },
    ]);
    return p;
  }

  it('refuses a PDF, a legacy .xls, a password-protected workbook, a Word file, random bytes, an empty file', async () => {
    const pdf = file('报告.xlsx');
    writePdf(pdf);
    expect((await refusal(openTable(pdf))).message).toContain('「');
    expect((await refusal(openTable(pdf))).message).toContain('是 PDF 文件');
    const xls = file('旧版.xls');
    writeOle2(xls, false);
    const ex = await refusal(openTable(xls));
    expect(ex.code).toBe('BAD_INPUT');
    expect(ex.message).toMatch(/「\d+-旧版\.xls」是旧版 Excel 97-2003 格式/);
    const enc = file('加密.xlsx');
    writeOle2(enc, true);
    expect((await refusal(openTable(enc))).message).toContain('设置了打开密码');
    const docx = file('通知.xlsx');
    writeFileSync(
      docx,
      zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8('<w/>') }),
    );
    expect((await refusal(openTable(docx))).message).toContain('Word 文档');
    const rnd = file('乱码.csv');
    const bytes = Buffer.alloc(4096);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(rnd, bytes);
    expect((await refusal(openTable(rnd))).message).toContain('无法识别');
    const empty = file('空.csv');
    writeFileSync(empty, '');
    expect((await refusal(openTable(empty))).message).toContain('空文件');
  });

  it('refuses an unknown encoding and an unclosed quote naming the row', async () => {
    const p = file('enc.csv');
    writeFileSync(p, Buffer.from([0x61, 0x2c, 0x62, 0x0a, 0xff, 0xfe, 0x80, 0x81, 0xff, 0x0a]));
    const e = await refusal(openTable(p));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('无法识别文件编码');
    expect(e.message).toContain('UTF-8 或 GBK');
    const q = file('quote.csv');
    writeFileSync(q, '名称,事实\n甲,正常\n乙,"没有闭合\n丙,继续\n');
    const eq = await refusal(readAll(q));
    expect(eq.message).toContain('第 3 行的双引号没有闭合');
    expect(eq.details).toMatchObject({ row: 3 });
  });

  it('refuses a truncated xlsx: no central directory, or an entry cut / damaged mid-stream', async () => {
    const good = await xlsxFile();
    const half = file('半截.xlsx');
    writeTruncatedCopy(good, half, 0.5);
    const e = await refusal(openTable(half));
    expect(e.message).toContain('不完整（可能没有下载完）');
    // keep the central directory but damage the sheet's compressed bytes in the middle
    const data = readFileSync(good);
    const bad = Buffer.from(data);
    const at = Math.floor(data.length * 0.3);
    for (let i = at; i < at + 2000; i++) bad[i] = 0xff;
    const damaged = file('损坏.xlsx');
    writeFileSync(damaged, bad);
    const e2 = await refusal(readAll(damaged));
    expect(e2.code).toBe('BAD_INPUT');
    expect(e2.message).toContain('文件不完整（可能没有下载完）');
  });

  it('refuses zip bombs: declared ratio before inflating, lying sizes while inflating, the total limit', async () => {
    const bomb = file('bomb.xlsx');
    writeZipBombXlsx(bomb, 65);
    const t = performance.now();
    const e = await refusal(openTable(bomb));
    expect(performance.now() - t).toBeLessThan(1000);
    expect(e.message).toContain('压缩炸弹');
    const liar = file('liar.xlsx');
    writeZipBombXlsx(liar, 8, true);
    const e2 = await refusal(readAll(liar));
    expect(e2.message).toContain('压缩炸弹');
    const good = await xlsxFile();
    const e3 = await refusal(
      readAll(good, {
        internals: { zipLimits: { maxUnzipped: 100_000, bombMinBytes: 1e12, bombRatio: 200 } },
      }),
    );
    expect(e3.message).toContain('压缩炸弹');
  });

  it('refuses a workbook without a visible worksheet and a row wider than maxColumns', async () => {
    const p = file('hidden.xlsx');
    await writeXlsx(p, [{ name: '隐藏', rows: [['a']], state: 'hidden' }]);
    expect((await refusal(openTable(p))).message).toContain('没有可读取的工作表');
    const wide = file('wide.xlsx');
    await writeXlsx(wide, [{ name: 'S', rows: [['a'], Array.from({ length: 1001 }, (_, i) => i)] }]);
    const e = await refusal(readAll(wide));
    expect(e.message).toMatch(/第 2 行有 1001 列，超过上限 1000 列/);
    expect(flat((await readAll(wide, { maxColumns: 2000 })).rows)[1]).toHaveLength(1002);
    const wideCsv = file('wide.csv');
    writeFileSync(wideCsv, `a\n${Array.from({ length: 10000 }, (_, i) => i).join(',')}\n`);
    expect((await refusal(readAll(wideCsv))).message).toMatch(/第 2 行有 10000 列，超过上限 1000 列/);
  });
});

describe('streaming', () => {
  it('stops with CANCELLED when the signal aborts', async () => {
    const p = file('cancel.xlsx');
    await writeXlsx(p, [{ name: 'S', rows: Array.from({ length: 30000 }, (_, i) => [`行${i}`, i]) }]);
    const ac = new AbortController();
    const r = await openTable(p, { signal: ac.signal });
    let seen = 0;
    const e = await refusal(
      (async () => {
        for await (const b of r.batches()) {
          seen += b.length;
          ac.abort();
        }
      })(),
    );
    await r.close();
    expect(e.code).toBe('CANCELLED');
    expect(seen).toBeLessThan(30000);
    const c = file('cancel.csv');
    writeCsv(
      c,
      Array.from({ length: 30000 }, (_, i) => [`行${i}`, String(i)]),
      { encoding: 'gbk' },
    );
    const ac2 = new AbortController();
    const r2 = await openTable(c, { signal: ac2.signal, internals: { readChunk: 64 * 1024 } });
    const e2 = await refusal(
      (async () => {
        for await (const _ of r2.batches()) ac2.abort();
      })(),
    );
    await r2.close();
    expect(e2.code).toBe('CANCELLED');
  });

  it('reads a 100,000-row file in batches before the whole file is read, with bounded heap', async () => {
    const p = file('100k.xlsx');
    await writeXlsx(
      p,
      [
        {
          name: 'S',
          rows: (function* () {
            for (let i = 0; i < 100_000; i++) yield [i, i * 3, i * 7, i * 11, i * 13, i + 0.5];
          })(),
        },
      ],
      { level: 1 },
    );
    // 256 KB compressed reads (the default is 1 MB; this file is only a few MB): the first batch
    // must come after a fraction of the file, not after all of it
    const r = await openTable(p, { internals: { readChunk: 256 * 1024 } });
    const base = process.memoryUsage().heapUsed;
    let peak = 0;
    let rows = 0;
    let firstBatchAt = -1;
    for await (const b of r.batches()) {
      if (firstBatchAt < 0) firstBatchAt = r.bytesRead();
      rows += b.length;
      if (rows % 10_000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    }
    await r.close();
    expect(rows).toBe(100_000);
    expect(firstBatchAt).toBeLessThan(r.totalBytes / 2);
    expect(r.bytesRead()).toBeGreaterThan(r.totalBytes * 0.9);
    // all 600,000 cells held would be far beyond this
    expect(peak).toBeLessThan(120 * 1024 * 1024);
  });
});
