/**
 * `tasks import <文件>`: a task-list workbook as departments send it, through the core's preview
 * (tasks.importPreview) and commit (tasks.importCommit) — the same two steps as the desktop app's
 * import dialog. The preview's problems are printed one line each, naming row and column.
 *
 * Exit codes: 0 imported (or, with --dry-run, no row has an error); 1 the file cannot be read, or
 * rows have errors (--dry-run: reported; without --dry-run nothing is imported unless
 * --skip-errors), or a --map name/unit is wrong; 2 the command line itself is wrong.
 */
import type { Department, TaskImportPreview } from '../../core/contract/index';
import { foldText } from '../../core/departments/match';
import type * as WorkbookModule from '../../core/import/task-workbook';
import type { TaskImportPreview as CorePreview } from '../../core/import/task-workbook';
import { CommandError, UsageError } from '../errors';
import { formatFields } from '../io';
import { splitList } from '../labels';
import { defineCommand } from '../registry';
import { resolveDepartment } from './tasks';

/** Words that map an unmatched name to "ignore" instead of a unit. */
const IGNORE_WORDS = new Set(['-', '忽略', '不导入', 'ignore']);

interface MapArg {
  name: string;
  unit: string;
}

function parseMapArg(v: string): MapArg | null {
  const i = v.search(/[=＝]/);
  if (i <= 0) return null;
  const name = v.slice(0, i).trim();
  const unit = v.slice(i + 1).trim();
  return name ? { name, unit } : null;
}

const checkMap = (v: string) =>
  v
    .split(/[,，]/)
    .filter((p) => p.trim() !== '')
    .every((p) => parseMapArg(p) !== null)
    ? null
    : '应写成“原名=单位”，例如 --map "海洋渔业局=市农业农村局"';

/** --map values → { raw name as written in the workbook: department id | null (ignore) }. */
function buildMapping(
  args: MapArg[],
  preview: TaskImportPreview,
  depts: Department[],
): { mapping: Record<string, string | null>; shown: [string, string][] } {
  const unmatched = preview.unmatchedDepartments.map((u) => u.name);
  const mapping: Record<string, string | null> = {};
  const shown: [string, string][] = [];
  for (const a of args) {
    const raw = unmatched.includes(a.name) ? a.name : unmatched.find((u) => foldText(u) === foldText(a.name));
    if (raw === undefined) {
      throw new CommandError(
        unmatched.length === 0
          ? `--map「${a.name}」：「${preview.fileName}」中的单位都已匹配，不需要 --map。`
          : `--map「${a.name}」：「${preview.fileName}」中没有未匹配的单位「${a.name}」。未匹配的单位：${unmatched.map((u) => `「${u}」`).join('')}`,
        'BAD_INPUT',
      );
    }
    if (IGNORE_WORDS.has(a.unit.toLowerCase()) || a.unit === '') {
      mapping[raw] = null;
      shown.push([raw, '忽略（不作为牵头或配合单位）']);
    } else {
      const d = resolveDepartment(depts, a.unit);
      mapping[raw] = d.id;
      shown.push([raw, d.name]);
    }
  }
  return { mapping, shown };
}

/**
 * The contract's preview is the core's TaskImportPreview (plus the token) passed through as is;
 * the contract only widens its enum-like strings (problem kinds, field names) to string.
 */
const asCore = (p: TaskImportPreview) => p as unknown as CorePreview;

/**
 * The workbook module (and with it exceljs, a tenth of a second to load) is imported when this
 * command runs, not when the CLI starts.
 */
type Workbook = Pick<typeof WorkbookModule, 'applyDeptMapping' | 'formatProblem'>;

/** The preview with the mapping applied by the same function the commit uses. */
function withMapping(
  wb: Workbook,
  preview: TaskImportPreview,
  mapping: Record<string, string | null>,
): TaskImportPreview {
  if (Object.keys(mapping).length === 0) return preview;
  const mapped = wb.applyDeptMapping(asCore(preview), mapping);
  return { ...(mapped as unknown as TaskImportPreview), token: preview.token };
}

function previewText(wb: Workbook, p: TaskImportPreview, shown: [string, string][]): string {
  const c = p.counts;
  const header =
    p.headerRows === 2 ? `第 ${p.headerRow}–${p.headerRow + 1} 行（两行表头）` : `第 ${p.headerRow} 行`;
  const out: string[] = [
    `预览「${p.fileName}」\n`,
    formatFields(
      [
        ['工作表', `「${p.sheet}」`],
        ['表头', header],
        ['导入的列', p.columns.map((col) => `${col.column} ${col.header}`).join('、')],
        [
          '任务行',
          `${c.rows} 行：可导入 ${c.ready} 行，有错误 ${c.withErrors} 行，有提示 ${c.withWarnings} 行` +
            (c.skipped > 0 ? `；另跳过 ${c.skipped} 行（分类行、合计行等）` : ''),
        ],
      ],
      '  ',
    ),
  ];
  if (p.notices.length > 0) out.push('\n说明：\n', ...p.notices.map((n) => `  ${n}\n`));
  const problems = asCore(p).rows.flatMap((r) => r.problems.map((pr) => wb.formatProblem(r, pr)));
  const errors = p.rows.reduce((n, r) => n + r.problems.filter((x) => x.severity === 'error').length, 0);
  out.push(
    problems.length > 0
      ? `\n问题（${problems.length} 条，其中错误 ${errors} 条）：\n${problems.map((l) => `${l}\n`).join('')}`
      : '\n没有发现问题。\n',
  );
  if (shown.length > 0) {
    out.push('\n按 --map 指定的单位：\n', ...shown.map(([raw, to]) => `  「${raw}」→ ${to}\n`));
  }
  if (p.unmatchedDepartments.length > 0) {
    out.push(`\n未匹配的单位（${p.unmatchedDepartments.length} 个）：\n`);
    for (const u of p.unmatchedDepartments) {
      const rows = u.rows.length > 10 ? `${u.rows.slice(0, 10).join('、')} 等` : u.rows.join('、');
      const hint =
        u.suggestions.length > 0
          ? `；可能是：${u.suggestions.map((s) => `${s.name}（相似度 ${Math.round(s.score * 100)}%）`).join('、')}`
          : '；没有相近的单位';
      out.push(`  「${u.name}」第 ${rows} 行${hint}\n`);
    }
    const first = p.unmatchedDepartments[0]?.name ?? '原名';
    out.push(
      `  用 --map "${first}=单位" 指定对应的单位（全称、简称或别名），或 --map "${first}=忽略" 不导入该单位。\n`,
    );
  }
  return out.join('');
}

export const tasksImportCommand = defineCommand({
  name: 'tasks import',
  summary: '从 Excel 任务清单（.xlsx）导入任务，可先 --dry-run 预览问题',
  description: [
    '识别标题行下面的表头（含两行表头、合并单元格、分类行和合计行），把各种写法的日期和单位名称（全称、简称、带或不带“琼海市”）对应到工作区的部门单位。',
    '先预览：每个问题一行，写明第几行、哪一列（表头）和原因；工作簿中找不到的单位列出可能的单位，用 --map 指定。',
    '加 --dry-run 只预览不写入：没有错误时退出码为 0，有行存在错误时为 1。',
    '不加 --dry-run 时在预览后导入（一个事务，全部成功或全部不写入）。仍有错误的行默认不导入任何任务、退出码为 1；加 --skip-errors 则只导入没有错误的行。',
    '--json：--dry-run 时输出预览（已按 --map 处理；有错误时退出码同样为 1），否则输出导入结果（created、skipped、taskIds）。',
  ].join('\n'),
  options: {
    file: {
      type: 'string',
      positional: true,
      required: true,
      value: '<文件.xlsx>',
      description: '要导入的任务清单工作簿',
    },
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
    'dry-run': { type: 'boolean', description: '只预览，不导入' },
    map: {
      type: 'string',
      multiple: true,
      value: '<原名=单位>',
      description:
        '把工作簿中未匹配的单位名称对应到工作区的单位（全称、简称或别名）；写成“原名=忽略”则不导入该单位',
      check: checkMap,
    },
    issue: { type: 'boolean', description: '导入后立即下发（默认导入为待下发）' },
    'skip-errors': { type: 'boolean', description: '有错误的行跳过，只导入没有错误的行' },
  },
  examples: [
    'tasks import ./发改委任务清单.xlsx --dir ./琼海创建 --dry-run',
    'tasks import ./发改委任务清单.xlsx --dir ./琼海创建 --map "海洋渔业局=市农业农村局" --issue',
  ],
  async run(ctx, o) {
    const mapArgs = splitList(o.map).map((v) => {
      const a = parseMapArg(v);
      if (!a) throw new UsageError(`选项 --map 的值「${v}」无效：${checkMap(v) ?? ''}`, 'tasks import');
      return a;
    });
    const wb = await import('../../core/import/task-workbook');
    await ctx.openWorkspace(o.dir);
    const depts = await ctx.call('departments.list', { includeArchived: false });
    const raw = await ctx.call('tasks.importPreview', { path: ctx.resolvePath(o.file) });
    const { mapping, shown } = buildMapping(mapArgs, raw, depts);
    const preview = withMapping(wb, raw, mapping);
    const c = preview.counts;

    if (o['dry-run']) {
      ctx.result(preview, (p) => previewText(wb, p, shown));
      if (c.withErrors > 0) {
        ctx.note(`预览发现 ${c.withErrors} 行有错误（见上面标为“错误”的行），修正后再导入。未写入任何数据。`);
        return 1;
      }
      if (!ctx.json) ctx.note('预览完成，未写入任何数据（--dry-run）。');
      return 0;
    }

    if (!ctx.json) ctx.io.stdout.write(`${previewText(wb, preview, shown)}\n`);
    if (c.withErrors > 0 && !o['skip-errors']) {
      throw new CommandError(
        `有 ${c.withErrors} 行存在错误，未导入任何任务。请修正工作簿或用 --map 指定未匹配的单位后重新导入；` +
          `如只导入没有错误的 ${c.ready} 行，请加 --skip-errors。`,
        'BAD_INPUT',
      );
    }
    const result = await ctx.call('tasks.importCommit', {
      token: preview.token,
      deptMapping: mapping,
      issue: o.issue,
    });
    ctx.result(result, (r) =>
      [
        `已导入 ${r.created} 项任务（${o.issue ? '已下发' : '待下发，可在任务清单中下发'}）`,
        r.skipped > 0 ? `，跳过 ${r.skipped} 行有错误的行` : '',
        '。\n',
      ].join(''),
    );
  },
});
