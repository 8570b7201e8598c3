import type { Department, TaskFilter, TaskStatus } from '../../core/contract/index';
import type { CommandContext } from '../context';
import { CommandError, UsageError } from '../errors';
import { formatTable } from '../io';
import { parseStatus, splitList, STATUS_CHOICES_TEXT, STATUS_LABEL } from '../labels';
import { FORCE_OPTION, outOption, outputFile, writtenLine } from '../output';
import { defineCommand, type OptionSpecs, type OptionValues } from '../registry';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const checkDate = (v: string) =>
  DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? null : '日期格式应为 YYYY-MM-DD';
const MAX_LIMIT = 100000;

const norm = (s: string) => s.trim().toLowerCase();
const namesOf = (d: Department) =>
  [d.name, d.shortName ?? '', ...d.aliases].filter((n) => n !== '').map(norm);

/** Finds the department a user means by full name, short name, alias, or a unique part of one. */
export function resolveDepartment(depts: Department[], query: string): Department {
  const q = norm(query);
  const exact = depts.filter((d) => d.id === query || namesOf(d).includes(q));
  if (exact.length === 1 && exact[0]) return exact[0];
  const candidates = exact.length > 1 ? exact : depts.filter((d) => namesOf(d).some((n) => n.includes(q)));
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  if (candidates.length === 0)
    throw new CommandError(`找不到单位「${query}」。请使用单位全称、简称或别名。`, 'NOT_FOUND');
  const shown = candidates
    .slice(0, 8)
    .map((d) => d.name)
    .join('、');
  throw new CommandError(
    `「${query}」对应多个单位：${shown}${candidates.length > 8 ? ` 等 ${candidates.length} 个` : ''}。请写得更具体些。`,
    'BAD_INPUT',
  );
}

/** The task filter options shared by `tasks list` and `tasks export`. */
const FILTER_OPTIONS = {
  dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
  dept: {
    type: 'string',
    multiple: true,
    value: '<单位>',
    description: '单位全称、简称或别名',
  },
  status: {
    type: 'string',
    multiple: true,
    value: '<状态>',
    description: `状态，代码或中文均可：${STATUS_CHOICES_TEXT}`,
  },
  search: { type: 'string', value: '<文字>', description: '在编号、名称、内容、完成标准和牵头单位中查找' },
  'due-from': { type: 'string', value: '<YYYY-MM-DD>', description: '截止日期不早于', check: checkDate },
  'due-to': { type: 'string', value: '<YYYY-MM-DD>', description: '截止日期不晚于', check: checkDate },
} as const satisfies OptionSpecs;

type FilterValues = OptionValues<typeof FILTER_OPTIONS>;

/**
 * Opens the workspace and turns the filter options into a task filter (a wrong status is a usage
 * error, an unknown unit a failure). Returns the departments too, for printing.
 */
async function taskFilter(
  ctx: CommandContext,
  o: FilterValues,
  command: string,
): Promise<{ filter: TaskFilter; depts: Department[] }> {
  const statuses: TaskStatus[] = [];
  for (const s of splitList(o.status)) {
    const st = parseStatus(s);
    if (!st) throw new UsageError(`选项 --status 的值「${s}」无效，可选：${STATUS_CHOICES_TEXT}`, command);
    if (!statuses.includes(st)) statuses.push(st);
  }
  await ctx.openWorkspace(o.dir);
  const depts = await ctx.call('departments.list', { includeArchived: true });
  const deptIds = [...new Set(splitList(o.dept).map((q) => resolveDepartment(depts, q).id))];
  const filter: TaskFilter = {
    ...(deptIds.length ? { deptIds } : {}),
    ...(statuses.length ? { statuses } : {}),
    ...(o.search !== undefined ? { search: o.search } : {}),
    ...(o['due-from'] !== undefined ? { dueFrom: o['due-from'] } : {}),
    ...(o['due-to'] !== undefined ? { dueTo: o['due-to'] } : {}),
  };
  return { filter, depts };
}

export const tasksListCommand = defineCommand({
  name: 'tasks list',
  summary: '列出任务，可按单位、状态、截止日期和关键词筛选',
  description: '单位筛选同时匹配牵头单位和配合单位。--json 输出任务数组，便于脚本处理。',
  options: {
    ...FILTER_OPTIONS,
    limit: {
      type: 'string',
      value: '<数量>',
      description: `最多列出多少项（默认 20000，最多 ${MAX_LIMIT}）`,
      check: (v) =>
        /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= MAX_LIMIT
          ? null
          : `应为 1 到 ${MAX_LIMIT} 之间的整数`,
    },
  },
  examples: [
    'tasks list --dir ./琼海创建 --dept 市发改委 --status 办理中,待复核',
    'tasks list --dir ./琼海创建 --search 双公示 --json',
  ],
  async run(ctx, o) {
    const { filter, depts } = await taskFilter(ctx, o, 'tasks list');
    const result = await ctx.call('tasks.list', {
      ...filter,
      ...(o.limit !== undefined ? { limit: Number(o.limit) } : {}),
    });
    if (result.truncated) {
      ctx.note(`提示：只列出了前 ${result.rows.length} 项（共 ${result.total} 项），可用 --limit 调整。`);
    }
    const shortName = new Map(depts.map((d) => [d.id, d.shortName ?? d.name]));
    ctx.result(result.rows, (rows) => {
      if (rows.length === 0) return '没有符合条件的任务。\n';
      const table = formatTable(
        ['编号', '状态', '截止日期', '进度', '牵头单位', '任务名称'],
        rows.map((t) => [
          t.code,
          STATUS_LABEL[t.status],
          t.dueDate ?? '未定',
          `${t.progress}%`,
          (t.leadDeptId ? shortName.get(t.leadDeptId) : undefined) ?? t.leadDeptName ?? '—',
          t.title,
        ]),
      );
      return `${table}\n共 ${result.total} 项${result.truncated ? `，已列出前 ${rows.length} 项` : ''}。\n`;
    });
  },
});

export const tasksExportCommand = defineCommand({
  name: 'tasks export',
  summary: '把任务清单导出为 Excel（.xlsx），筛选条件与 tasks list 相同',
  description:
    '导出编号、名称、类型、牵头和配合单位、关联指标、完成标准、截止日期、状态、亮灯（带颜色）、进度等列。',
  options: {
    ...FILTER_OPTIONS,
    out: outOption('xlsx', './任务清单.xlsx'),
    force: FORCE_OPTION,
  },
  examples: [
    'tasks export --dir ./琼海创建 --out ./任务清单.xlsx',
    'tasks export --dir ./琼海创建 --dept 市发改委 --status 办理中 --out ./发改委办理中.xlsx',
  ],
  async run(ctx, o) {
    const { filter } = await taskFilter(ctx, o, 'tasks export');
    const file = outputFile(ctx, o.out, o.force);
    const count = await ctx.call('tasks.list', { ...filter, limit: 1 });
    const written = await ctx.call('tasks.export', { filter, file });
    ctx.result({ ...written, tasks: count.total }, (r) =>
      [`已导出 ${r.tasks} 项任务。\n`, writtenLine(r)].join(''),
    );
  },
});
