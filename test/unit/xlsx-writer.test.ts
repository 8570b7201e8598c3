/** The shared xlsx writer: read back with exceljs and checked in the raw XML. */
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { defineSheet, displayWidth, writeWorkbook, type XlsxSheet } from '../../main/core/export/xlsx';

async function readBack(buf: Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as Parameters<typeof wb.xlsx.load>[0]);
  return wb;
}

function sheetXml(buf: Buffer, index = 1): string {
  const files = unzipSync(new Uint8Array(buf));
  const f = files[`xl/worksheets/sheet${index}.xml`];
  if (!f) throw new Error(`sheet${index}.xml missing`);
  return strFromU8(f);
}

type Key = 'code' | 'title' | 'dept' | 'due' | 'rate' | 'count' | 'delay' | 'light';

const FORMULA_LIKE = [
  '=1+1',
  '+86 898 6288 0000',
  '-5 天',
  '@SUM(A1:A2)',
  '\t=cmd|/c calc!A1',
  '\r=2',
  '=HYPERLINK("http://x","点我")',
];

const league = defineSheet<Key>({
  name: '部门排名',
  title: '琼海市社会信用体系建设任务部门排名',
  subtitle: '统计周期：2027-01-01 至 2027-03-31',
  columns: [
    { key: 'code', header: '编号', width: 10 },
    { key: 'title', header: '任务名称' },
    { key: 'dept', header: '牵头单位' },
    { key: 'due', header: '完成时限', type: 'date' },
    { key: 'rate', header: '完成率', type: 'percent' },
    { key: 'count', header: '逾期数', type: 'int' },
    { key: 'delay', header: '平均延期（天）', type: 'number', decimals: 1 },
    { key: 'light', header: '亮灯' },
  ],
  rows: [
    {
      cells: {
        code: 'RW-001',
        title: '编制工作要点',
        dept: '市发改委',
        due: '2027-03-31',
        rate: 0.853,
        count: 2,
        delay: 3.14159,
        light: '绿灯',
      },
      cellFills: { light: 'green' },
    },
    {
      cells: {
        code: 'RW-002',
        title: FORMULA_LIKE[0],
        dept: FORMULA_LIKE[1],
        due: new Date(2027, 5, 30),
        rate: 1,
        count: 12.6,
        delay: 0,
        light: '红灯',
      },
      fill: 'red',
    },
    {
      cells: {
        code: FORMULA_LIKE[2],
        title: FORMULA_LIKE[3],
        dept: FORMULA_LIKE[4],
        due: 'N/A',
        rate: null,
        count: '—',
        light: FORMULA_LIKE[5],
      },
      fill: 'yellow',
      cellFills: { light: '#00B0F0' },
    },
    { cells: { code: '001', title: FORMULA_LIKE[6], dept: 'a\u0000b\u0007c', due: '2027-02-30' } },
    { cells: { title: '合计', count: 14 }, bold: true },
  ],
  notes: ['说明：完成率 = 已办结任务数 ÷ 任务总数；逾期数按截止日期统计。'],
});

describe('writeWorkbook', () => {
  it('writes a merged bold title, a styled header, frozen panes and an autofilter', async () => {
    const buf = await writeWorkbook({ sheets: [league], created: new Date(Date.UTC(2027, 0, 1)) });
    const wb = await readBack(buf);
    const ws = wb.getWorksheet('部门排名');
    if (!ws) throw new Error('sheet missing');
    expect(ws.getCell('A1').value).toBe('琼海市社会信用体系建设任务部门排名');
    expect(ws.getCell('A1').font).toMatchObject({ bold: true, size: 16 });
    expect(ws.getCell('H1').isMerged).toBe(true);
    expect(ws.getCell('H1').master.address).toBe('A1');
    expect(ws.getCell('A2').value).toBe('统计周期：2027-01-01 至 2027-03-31');
    const header = ws.getRow(3);
    expect(header.values).toEqual([
      undefined,
      '编号',
      '任务名称',
      '牵头单位',
      '完成时限',
      '完成率',
      '逾期数',
      '平均延期（天）',
      '亮灯',
    ]);
    for (let c = 1; c <= 8; c++) {
      const cell = header.getCell(c);
      expect(cell.font?.bold).toBe(true);
      expect(cell.fill).toMatchObject({ type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFD9E1F2' } });
      expect(cell.border?.top?.style).toBe('thin');
      expect(cell.border?.bottom?.style).toBe('thin');
    }
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });

    const xml = sheetXml(buf);
    expect(xml).toContain('<mergeCell ref="A1:H1"/>');
    expect(xml).toContain('<mergeCell ref="A2:H2"/>');
    expect(xml).toMatch(/<pane [^>]*ySplit="3"[^>]*state="frozen"/);
    expect(xml).toContain('<autoFilter ref="A3:H8"/>');
    expect(xml).toMatch(/<mergeCell ref="A10:H10"\/>/); // the note under the table
  });

  it('writes typed columns: real dates, percentages, integers and decimals', async () => {
    const wb = await readBack(await writeWorkbook({ sheets: [league] }));
    const ws = wb.getWorksheet(1);
    if (!ws) throw new Error('sheet missing');
    const due = ws.getCell('D4');
    expect(due.value).toBeInstanceOf(Date);
    expect((due.value as Date).toISOString()).toBe('2027-03-31T00:00:00.000Z');
    expect(due.numFmt).toBe('yyyy-mm-dd');
    expect((ws.getCell('D5').value as Date).toISOString()).toBe('2027-06-30T00:00:00.000Z'); // local Date → its calendar day
    expect(ws.getCell('E4').value).toBe(0.853);
    expect(ws.getCell('E4').numFmt).toBe('0.0%');
    expect(ws.getCell('F5').value).toBe(13);
    expect(ws.getCell('F5').numFmt).toBe('#,##0');
    expect(ws.getCell('G4').value).toBeCloseTo(3.14159);
    expect(ws.getCell('G4').numFmt).toBe('#,##0.0');
    // Values that are not what the column expects are kept as text, not dropped.
    expect(ws.getCell('D6').value).toBe('N/A');
    expect(ws.getCell('D7').value).toBe('2027-02-30');
    expect(ws.getCell('F6').value).toBe('—');
    expect(ws.getCell('E6').value).toBeNull();
    expect(ws.getCell('A7').value).toBe('001');
    expect(ws.getCell('C7').value).toBe('abc');
    expect(ws.getCell('B8').font?.bold).toBe(true);

    const xml = sheetXml(await writeWorkbook({ sheets: [league] }));
    // The date is a number cell (no t="s"), serial 46477 with a date style.
    expect(xml).toMatch(/<c r="D4" s="\d+"><v>46477<\/v><\/c>/);
  });

  it('never writes a formula for text that looks like one', async () => {
    const buf = await writeWorkbook({ sheets: [league] });
    const xml = sheetXml(buf);
    expect(xml).not.toMatch(/<f[\s>]/);
    const ws = (await readBack(buf)).getWorksheet(1);
    if (!ws) throw new Error('sheet missing');
    const texts = ['B5', 'C5', 'A6', 'B6', 'C6', 'H6', 'B7'].map((a) => ws.getCell(a).value);
    expect(texts).toEqual([
      FORMULA_LIKE[0],
      FORMULA_LIKE[1],
      FORMULA_LIKE[2],
      FORMULA_LIKE[3],
      FORMULA_LIKE[4],
      '\n=2', // a carriage return is stored as a line break
      FORMULA_LIKE[6],
    ]);
    for (const a of ['B5', 'A6', 'B6', 'B7']) {
      expect(ws.getCell(a).type).toBe(ExcelJS.ValueType.String);
      expect(ws.getCell(a).numFmt).toBe('@');
    }
  });

  it('fills rows and cells for traffic lights', async () => {
    const ws = (await readBack(await writeWorkbook({ sheets: [league] }))).getWorksheet(1);
    if (!ws) throw new Error('sheet missing');
    expect(ws.getCell('H4').fill).toMatchObject({ fgColor: { argb: 'FFC6EFCE' } });
    expect(ws.getCell('H4').font?.color?.argb).toBe('FF006100');
    expect(ws.getCell('A4').fill).not.toMatchObject({ pattern: 'solid' });
    for (const a of ['A5', 'D5', 'H5'])
      expect(ws.getCell(a).fill).toMatchObject({ fgColor: { argb: 'FFFFC7CE' } });
    expect(ws.getCell('A6').fill).toMatchObject({ fgColor: { argb: 'FFFFEB9C' } });
    expect(ws.getCell('H6').fill).toMatchObject({ fgColor: { argb: 'FF00B0F0' } });
  });

  it('estimates CJK-aware widths, respects given widths and wraps very long text', async () => {
    const long = '对照示范区评审指标逐项分析我市现状和差距，编制创建实施方案，配套任务清单和完成标准。';
    const sheet: XlsxSheet = {
      name: 'w',
      columns: [
        { key: 'a', header: 'A' },
        { key: 'cjk', header: '单位' },
        { key: 'ascii', header: 'B' },
        { key: 'fixed', header: '固定', width: 33 },
        { key: 'long', header: '任务描述' },
        { key: 'd', header: '日期', type: 'date' },
      ],
      rows: [
        {
          cells: {
            a: 'x',
            cjk: '琼海市发展和改革委员会',
            ascii: 'abcdefghijk',
            fixed: 'x',
            long,
            d: '2027-01-01',
          },
        },
      ],
    };
    const ws = (await readBack(await writeWorkbook({ sheets: [sheet] }))).getWorksheet(1);
    if (!ws) throw new Error('sheet missing');
    const width = (c: number) => ws.getColumn(c).width ?? 0;
    expect(width(1)).toBe(6);
    expect(width(2)).toBe(24); // 11 CJK characters × 2 + 2
    expect(width(3)).toBe(13); // 11 ASCII characters + 2
    expect(width(4)).toBe(33);
    expect(width(5)).toBe(50);
    expect(ws.getCell('E2').alignment?.wrapText).toBe(true);
    expect(width(6)).toBe(12);
    expect(displayWidth('琼海Qh１')).toBe(8);
  });

  it('cleans and de-duplicates sheet names, writes several sheets and empty tables', async () => {
    const cols = [{ key: 'a', header: '甲' }];
    const buf = await writeWorkbook({
      sheets: [
        { name: '任务/清单:2027*', columns: cols, rows: [] },
        { name: '任务_清单_2027_', columns: cols, rows: [{ cells: { a: 1 } }] },
        {
          name: '一个非常非常非常非常非常非常非常非常非常非常长的工作表名称超过三十一个字',
          columns: cols,
          rows: [],
        },
      ],
    });
    const wb = await readBack(buf);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      '任务_清单_2027_',
      '任务_清单_2027_(2)',
      '一个非常非常非常非常非常非常非常非常非常非常长的工作表名称超过',
    ]);
    expect(sheetXml(buf, 1)).toContain('<autoFilter ref="A1:A1"/>');
    expect(wb.worksheets[0]?.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });

  it('refuses a sheet without columns', async () => {
    await expect(writeWorkbook({ sheets: [{ name: 'x', columns: [], rows: [] }] })).rejects.toThrow(
      /no columns/,
    );
    await expect(writeWorkbook({ sheets: [] })).rejects.toThrow(/at least one sheet/);
  });

  it('writes 20,000 rows quickly', async () => {
    const rows = Array.from({ length: 20_000 }, (_, i) => ({
      cells: { code: `RW-${i}`, title: `任务 ${i}`, due: '2027-03-31', rate: i / 20_000 },
      fill: i % 10 === 0 ? ('red' as const) : undefined,
    }));
    const t = performance.now();
    const buf = await writeWorkbook({
      sheets: [
        {
          name: '任务',
          title: '任务清单',
          columns: [
            { key: 'code', header: '编号' },
            { key: 'title', header: '任务名称' },
            { key: 'due', header: '完成时限', type: 'date' },
            { key: 'rate', header: '进度', type: 'percent' },
          ],
          rows,
        },
      ],
    });
    const ms = performance.now() - t;
    console.log(
      `[speed] writeWorkbook: 20,000 rows × 4 columns in ${ms.toFixed(0)} ms (${(buf.length / 1024).toFixed(0)} KB)`,
    );
    expect(ms).toBeLessThan(10_000);
  });
});
