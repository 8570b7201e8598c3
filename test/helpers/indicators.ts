/** Indicator-system workbooks in the import format, for tests. */
import fs from 'node:fs';
import path from 'node:path';
import type { Core } from '../../main/core/core';
import { writeWorkbook } from '../../main/core/export/xlsx';
import { call, tempDir } from './core';

export type SystemRow = Record<string, string | number | null>;

/** An indicator-system workbook in the import format. */
export async function systemWorkbook(
  info: { version: string; name: string; scoredTotal?: number | null; bonusTotal?: number | null },
  rows: SystemRow[],
): Promise<Buffer> {
  return writeWorkbook({
    sheets: [
      {
        name: '指标体系',
        columns: ['编号', '名称', '类型', '上级编号', '分值', '评分标准', '责任单位', '佐证材料'].map(
          (h) => ({
            key: h,
            header: h,
            type: h === '分值' ? ('number' as const) : ('text' as const),
          }),
        ),
        rows: rows.map((cells) => ({ cells })),
      },
      {
        name: '版本信息',
        columns: [
          { key: 'k', header: '项目' },
          { key: 'v', header: '内容' },
        ],
        rows: [
          { cells: { k: '版本', v: info.version } },
          { cells: { k: '名称', v: info.name } },
          { cells: { k: '评分指标总分', v: info.scoredTotal ?? null } },
          { cells: { k: '加分项总分', v: info.bonusTotal ?? null } },
        ],
      },
    ],
  });
}

export async function importBook(core: Core, book: Buffer, makeCurrent = true) {
  const file = path.join(tempDir(), '指标体系.xlsx');
  fs.writeFileSync(file, book);
  return call(core, 'indicators.importSystem', { file: { path: file }, makeCurrent });
}
