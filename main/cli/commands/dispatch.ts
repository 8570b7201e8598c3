import type { DispatchWeek } from '../../core/contract/index';
import { CommandError } from '../errors';
import { formatFields, formatTable } from '../io';
import { FORCE_OPTION, outOption, outputFile, rateText, weekKeyOf, weekOption, writtenLine } from '../output';
import { defineCommand } from '../registry';
import { resolveDepartment } from './tasks';

const DIR = { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' } as const;

function weekFields(w: DispatchWeek): [string, string][] {
  const s = w.summary;
  const light = (k: string) => s.byLight[k] ?? 0;
  return [
    ['周次', `${w.week}，${w.label}`],
    ['冻结时间', `${w.frozenAt}（${w.frozenBy}）`],
    [
      '督办任务',
      `${s.total} 项，已办结 ${s.done} 项（完成率 ${rateText(s.completionRate)}），逾期 ${s.overdue} 项`,
    ],
    ['亮灯', `红灯 ${light('red')} 项、黄灯 ${light('yellow')} 项、绿灯 ${light('green')} 项`],
    ...(w.note ? ([['备注', w.note]] as [string, string][]) : []),
  ];
}

export const dispatchFreezeCommand = defineCommand({
  name: 'dispatch freeze',
  summary: '冻结某一周的调度快照（全部督办任务的状态、亮灯和进度），供周报和逐周对比',
  description:
    '默认冻结本周；冻结过去的周时，亮灯按该周最后一天计算。同一周再次冻结会用当前状态替换原快照（原快照保留在历史中）。',
  options: {
    dir: DIR,
    week: weekOption('要冻结的周，例如 2027-W10；默认本周', false),
    note: { type: 'string', value: '<文字>', description: '备注（例如调度会议的要点）' },
  },
  examples: [
    'dispatch freeze --dir ./琼海创建',
    'dispatch freeze --dir ./琼海创建 --week 2027-W10 --note 第十周调度会',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const week = o.week === undefined ? undefined : weekKeyOf(o.week);
    const before = await ctx.call('dispatch.weeks', {});
    const frozen = await ctx.call('dispatch.freeze', { ...(week ? { week } : {}), note: o.note ?? null });
    const replaced = before.some((w) => w.week === frozen.week);
    ctx.result(frozen, (w) =>
      [
        `已冻结${w.label}的调度快照${replaced ? '（替换了此前冻结的快照）' : ''}\n`,
        formatFields(weekFields(w), '  '),
      ].join(''),
    );
  },
});

export const dispatchWeeksCommand = defineCommand({
  name: 'dispatch weeks',
  summary: '列出已冻结调度快照的周，最近的在前',
  options: { dir: DIR },
  examples: ['dispatch weeks --dir ./琼海创建', 'dispatch weeks --dir ./琼海创建 --json'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const weeks = await ctx.call('dispatch.weeks', {});
    ctx.result(weeks, (list) => {
      if (list.length === 0) return '还没有冻结过调度快照。可用 dispatch freeze 冻结本周。\n';
      return (
        formatTable(
          ['周次', '日期', '任务数', '已办结', '完成率', '逾期', '红灯', '黄灯', '冻结时间'],
          list.map((w) => [
            w.week,
            `${w.weekStart} 至 ${w.weekEnd}`,
            String(w.summary.total),
            String(w.summary.done),
            rateText(w.summary.completionRate),
            String(w.summary.overdue),
            String(w.summary.byLight.red ?? 0),
            String(w.summary.byLight.yellow ?? 0),
            `${w.frozenAt}（${w.frozenBy}）`,
          ]),
        ) + `\n共 ${list.length} 周。\n`
      );
    });
  },
});

export const dispatchReportCommand = defineCommand({
  name: 'dispatch report',
  summary: '生成某一周的《每周工作调度报告》，或某个单位的《整改分析报告》（.docx）',
  description:
    '报告依据该周冻结的调度快照（须先 dispatch freeze），与上一个冻结周对比新办结、新增逾期和停滞任务；版式为 GB/T 9704 公文格式。加 --dept 时生成该单位的整改分析报告。',
  options: {
    dir: DIR,
    week: weekOption('报告的周，例如 2027-W10', true),
    dept: { type: 'string', value: '<单位>', description: '单位全称、简称或别名：生成该单位的整改分析报告' },
    out: outOption('docx', './每周工作调度报告.docx'),
    force: FORCE_OPTION,
  },
  examples: [
    'dispatch report --dir ./琼海创建 --week 2027-W10 --out ./调度报告-第10周.docx',
    'dispatch report --dir ./琼海创建 --week 2027-W10 --dept 市发改委 --out ./发改委整改分析.docx',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const week = weekKeyOf(o.week);
    const dept =
      o.dept === undefined
        ? null
        : resolveDepartment(await ctx.call('departments.list', { includeArchived: true }), o.dept);
    const file = outputFile(ctx, o.out, o.force);
    const frozen = await ctx.call('dispatch.weeks', {});
    if (!frozen.some((w) => w.week === week)) {
      const last = frozen[0];
      throw new CommandError(
        `${week} 尚未冻结调度快照，无法生成报告。请先运行 dispatch freeze --week ${week}` +
          (last ? `（最近冻结的是 ${last.week}）。` : '。'),
        'NOT_FOUND',
      );
    }
    const written = dept
      ? await ctx.call('dispatch.deptReport', { week, deptId: dept.id, file })
      : await ctx.call('dispatch.report', { week, file });
    const what = dept ? `${dept.name}整改分析报告` : '每周工作调度报告';
    ctx.result({ ...written, week, deptId: dept?.id ?? null }, (r) =>
      [`已生成《${what}》（${r.week}）\n`, writtenLine(r)].join(''),
    );
  },
});
