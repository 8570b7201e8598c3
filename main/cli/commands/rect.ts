import { RECT_STATUS_LABEL, RECT_STATUSES } from '../../core/contract/index';
import { UsageError } from '../errors';
import { splitList } from '../labels';
import { FORCE_OPTION, outOption, outputFile, writtenLine } from '../output';
import { defineCommand } from '../registry';
import { resolveDepartment } from './tasks';

type RectStatus = (typeof RECT_STATUSES)[number];

const RECT_STATUS_TEXT = RECT_STATUSES.map((s) => `${s}（${RECT_STATUS_LABEL[s]}）`).join('、');

function parseRectStatus(v: string): RectStatus | null {
  const t = v.trim();
  return RECT_STATUSES.find((s) => s === t.toLowerCase() || RECT_STATUS_LABEL[s] === t) ?? null;
}

export const rectExportCommand = defineCommand({
  name: 'rect export',
  summary: '把整改清单导出为 Excel（.xlsx）',
  description:
    '导出编号、问题来源、问题描述、责任单位、整改措施、整改时限（超期标红）、状态、验收意见和佐证材料份数。',
  options: {
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
    dept: { type: 'string', value: '<单位>', description: '只导出该责任单位的事项（全称、简称或别名）' },
    status: {
      type: 'string',
      multiple: true,
      value: '<状态>',
      description: `只导出这些状态，代码或中文均可：${RECT_STATUS_TEXT}`,
    },
    out: outOption('xlsx', './整改清单.xlsx'),
    force: FORCE_OPTION,
  },
  examples: [
    'rect export --dir ./琼海创建 --out ./整改清单.xlsx',
    'rect export --dir ./琼海创建 --status 待整改,整改中 --out ./未销号整改事项.xlsx',
  ],
  async run(ctx, o) {
    const statuses: RectStatus[] = [];
    for (const s of splitList(o.status)) {
      const st = parseRectStatus(s);
      if (!st)
        throw new UsageError(`选项 --status 的值「${s}」无效，可选：${RECT_STATUS_TEXT}`, 'rect export');
      if (!statuses.includes(st)) statuses.push(st);
    }
    await ctx.openWorkspace(o.dir);
    const deptId =
      o.dept === undefined
        ? undefined
        : resolveDepartment(await ctx.call('departments.list', { includeArchived: true }), o.dept).id;
    const filter = { ...(statuses.length ? { statuses } : {}), ...(deptId ? { deptId } : {}) };
    const file = outputFile(ctx, o.out, o.force);
    const items = await ctx.call('rect.list', filter);
    const written = await ctx.call('rect.export', { filter, file });
    ctx.result({ ...written, items: items.length }, (r) =>
      [`已导出 ${r.items} 项整改事项。\n`, writtenLine(r)].join(''),
    );
  },
});
