/**
 * The monthly credit-monitoring results on the command line: `monitoring import` (an .xlsx of
 * monthly results; any bad row refuses the whole file, naming row and column, nothing written),
 * `monitoring list` (months, score, rank, the top-N streak and the latest weak points) and
 * `reports ranking` (the quarterly 预警监测排名分析报告 .docx).
 *
 * Exit codes: 0 done; 1 the file or the data is refused; 2 the command line itself is wrong.
 */
import type { MonitoringOverview } from '../../core/contract/index';
import { formatTable } from '../io';
import { FORCE_OPTION, outOption, outputFile, writtenLine } from '../output';
import { defineCommand } from '../registry';

const DIR = { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' } as const;

const monthText = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
const changeText = (c: number | null) => (c === null ? '—' : c > 0 ? `↑${c}` : c < 0 ? `↓${-c}` : '持平');

function overviewText(o: MonitoringOverview): string {
  if (o.results.length === 0) return '工作区中还没有监测结果。可用 monitoring import 导入 Excel。\n';
  const out: string[] = [
    formatTable(
      ['月份', '综合得分', '排名', '参评城市数', '排名变化'],
      o.results.map((r) => [
        monthText(r.month),
        String(r.score),
        String(r.rank),
        String(r.total),
        changeText(r.rankChange),
      ]),
    ),
    `\n目标（连续3个月进入前${o.streak.target}名）：${o.streak.explanation}\n`,
  ];
  if (o.latest) {
    out.push(
      o.weakPoints.length === 0
        ? `\n${monthText(o.latest.month)}未发现薄弱维度。\n`
        : `\n${monthText(o.latest.month)}薄弱维度（${o.weakPoints.length} 个）：\n${o.weakPoints
            .map(
              (w) =>
                `  ${w.explanation}${w.decision === 'accepted' ? '（已转整改）' : w.decision === 'dismissed' ? '（暂不整改）' : '（待处理）'}\n`,
            )
            .join('')}`,
    );
  }
  return out.join('');
}

export const monitoringImportCommand = defineCommand({
  name: 'monitoring import',
  summary: '从 Excel（.xlsx）导入城市信用监测月度结果',
  description: [
    '每月一行：月份、综合得分（或综合信用指数）、排名（或名次）、参评城市数，以及五个维度得分（守信激励和失信治理、信用制度和基础建设、诚信文化和诚信建设、信用服务和信用创新、信用环境和营商环境），可有备注列。',
    '月份可写成 2027-03、2027年3月、2027.3 或 Excel 日期。先检查整个文件：同一月份出现两次、排名大于参评城市数、得分不是数字、必填单元格为空，或月份在工作区中已有结果（未加 --replace）时，列出每个问题的行和列，不导入任何数据，退出码为 1。',
    '没有问题时在一个事务中全部导入。',
  ].join('\n'),
  options: {
    file: {
      type: 'string',
      positional: true,
      required: true,
      value: '<文件.xlsx>',
      description: '要导入的监测结果工作簿',
    },
    dir: DIR,
    replace: { type: 'boolean', description: '用文件中的数据覆盖工作区中已有的月份' },
  },
  examples: [
    'monitoring import ./监测结果.xlsx --dir ./琼海创建',
    'monitoring import ./监测结果.xlsx --dir ./琼海创建 --replace --json',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const r = await ctx.call('monitoring.import', {
      file: { path: ctx.resolvePath(o.file) },
      replace: o.replace,
    });
    ctx.result(
      r,
      (x) =>
        `已导入 ${x.months.length} 个月的监测结果（新增 ${x.created} 个月，覆盖 ${x.updated} 个月）：${x.months.map(monthText).join('、')}。\n`,
    );
  },
});

export const monitoringListCommand = defineCommand({
  name: 'monitoring list',
  summary: '列出各月监测结果、“连续3个月前N名”目标状态和最新一期的薄弱维度',
  description:
    '排名变化与上一个自然月比较（↑ 为上升）。薄弱维度：连续两个月下降，或低于此前3个月的均值。--json 输出完整的监测概况（results、latest、streak、weakPoints）。',
  options: { dir: DIR },
  examples: ['monitoring list --dir ./琼海创建', 'monitoring list --dir ./琼海创建 --json'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const overview = await ctx.call('monitoring.overview', {});
    ctx.result(overview, overviewText);
  },
});

export const reportsRankingCommand = defineCommand({
  name: 'reports ranking',
  summary: '生成季度《城市信用状况预警监测排名分析报告》（.docx）',
  description: [
    '按工作区中该季度各月的监测结果生成：总体情况（得分、排名、与目标和前100名基础线比较）、分维度分析、薄弱环节及整改情况、目标达成情况和下一步提升建议。版式为 GB/T 9704 公文格式。',
    '该季度没有任何监测结果时不生成，退出码为 1。',
  ].join('\n'),
  options: {
    dir: DIR,
    quarter: {
      type: 'string',
      required: true,
      value: '<YYYY-Qn>',
      description: '季度，例如 2027-Q1',
      check: (v) => (/^\d{4}-[Qq][1-4]$/.test(v) ? null : '季度格式应为 2027-Q1'),
    },
    out: outOption('docx', './排名分析报告.docx'),
    force: FORCE_OPTION,
  },
  examples: ['reports ranking --dir ./琼海创建 --quarter 2027-Q1 --out ./2027年一季度排名分析报告.docx'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const file = outputFile(ctx, o.out, o.force);
    const quarter = o.quarter.toUpperCase();
    const written = await ctx.call('reports.rankingAnalysis', { quarter, file });
    ctx.result({ ...written, quarter }, (r) =>
      [`已生成 ${r.quarter} 预警监测排名分析报告\n`, writtenLine(r)].join(''),
    );
  },
});
