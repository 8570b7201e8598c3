import type { LeagueRow } from '../../core/contract/index';
import { periodOf } from '../../core/tasks/periods';
import type { CommandContext } from '../context';
import { UsageError } from '../errors';
import { formatTable } from '../io';
import { FORCE_OPTION, outOption, outputFile, rateText, todayText, writtenLine } from '../output';
import { defineCommand } from '../registry';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const checkDate = (v: string) =>
  DATE.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) ? null : '日期格式应为 YYYY-MM-DD';

export const LEAGUE_PERIODS = ['this-week', 'this-month', 'this-quarter', 'campaign'] as const;
type LeaguePeriod = (typeof LEAGUE_PERIODS)[number];

const PERIOD_TEXT: Record<LeaguePeriod, string> = {
  'this-week': '本周',
  'this-month': '本月',
  'this-quarter': '本季度',
  campaign: '创建周期',
};

export interface LeagueRange {
  from: string;
  to: string;
  label: string;
}

/**
 * The date range of the league table: --from/--to, or a --period (default campaign =
 * the workspace's period start to today; before the campaign has started, its whole period).
 */
export async function leagueRange(
  ctx: CommandContext,
  o: { from: string | undefined; to: string | undefined; period: string | undefined },
  command: string,
): Promise<LeagueRange> {
  if (o.period !== undefined && (o.from !== undefined || o.to !== undefined))
    throw new UsageError('--period 不能与 --from/--to 同时使用', command);
  const settings = await ctx.call('workspace.settings', {});
  const today = todayText();
  let range: LeagueRange;
  if (o.from !== undefined || o.to !== undefined) {
    const from = o.from ?? settings.periodStart;
    const to = o.to ?? (today < from ? settings.periodEnd : today);
    range = { from, to, label: `${from} 至 ${to}` };
  } else {
    const period = (o.period ?? 'campaign') as LeaguePeriod;
    if (period === 'campaign') {
      const to = today < settings.periodStart ? settings.periodEnd : today;
      range = {
        from: settings.periodStart,
        to,
        label: `${PERIOD_TEXT.campaign}（${settings.periodStart} 至 ${to}）`,
      };
    } else {
      const kind = period === 'this-week' ? 'weekly' : period === 'this-month' ? 'monthly' : 'quarterly';
      const p = periodOf(kind, today);
      range = { from: p.start, to: p.end, label: `${PERIOD_TEXT[period]}（${p.start} 至 ${p.end}）` };
    }
  }
  if (range.from > range.to)
    throw new UsageError(`开始日期 ${range.from} 不能晚于结束日期 ${range.to}`, command);
  return range;
}

export function leagueText(rows: LeagueRow[]): string {
  if (rows.length === 0) return '该期间没有到期的已下发任务。\n';
  return formatTable(
    ['名次', '单位', '任务数', '已办结', '完成率', '按时办结率', '逾期', '平均延误'],
    rows.map((r) => [
      r.rank > 0 ? String(r.rank) : '—',
      r.shortName ?? r.deptName,
      String(r.total),
      String(r.done),
      rateText(r.completionRate),
      rateText(r.onTimeRate),
      String(r.overdue),
      r.avgDelayDays === null ? '—' : `${r.avgDelayDays.toFixed(1)} 天`,
    ]),
  );
}

export const leagueExportCommand = defineCommand({
  name: 'league export',
  summary: '部门排行：按单位统计任务数、完成率、按时办结率、逾期和平均延误，导出为 Excel（.xlsx）',
  description: [
    '统计截止日期在所选期间内的已下发任务（不含待下发和周期任务本身），按牵头单位汇总，与桌面版“部门排行”页和驾驶舱相同。',
    '期间用 --period 选择（默认 campaign：工作区创建周期开始日至今天），或用 --from/--to 指定；只给 --from 时截止到今天，只给 --to 时从创建周期开始日算起。',
    '同时在屏幕上打印排行表；--json 输出 { file, bytes, from, to, rows }。',
  ].join('\n'),
  options: {
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
    from: { type: 'string', value: '<YYYY-MM-DD>', description: '截止日期不早于', check: checkDate },
    to: { type: 'string', value: '<YYYY-MM-DD>', description: '截止日期不晚于', check: checkDate },
    period: {
      type: 'string',
      value: '<期间>',
      choices: LEAGUE_PERIODS,
      description: '统计期间：本周、本月、本季度（自然周/月/季度）或整个创建周期（默认）',
    },
    'include-empty': { type: 'boolean', description: '也列出该期间没有任务的单位' },
    out: outOption('xlsx', './部门排行.xlsx'),
    force: FORCE_OPTION,
  },
  examples: [
    'league export --dir ./琼海创建 --out ./部门排行.xlsx',
    'league export --dir ./琼海创建 --period this-month --out ./本月排行.xlsx',
    'league export --dir ./琼海创建 --from 2027-01-01 --to 2027-03-31 --out ./一季度排行.xlsx --json',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const range = await leagueRange(ctx, o, 'league export');
    const file = outputFile(ctx, o.out, o.force);
    const query = { from: range.from, to: range.to, includeEmpty: o['include-empty'] };
    const rows = await ctx.call('league.table', query);
    const written = await ctx.call('league.export', { query, file });
    ctx.result({ ...written, from: range.from, to: range.to, rows }, (r) =>
      [
        `部门排行：${range.label}，截止日期在此期间的已下发任务\n\n`,
        leagueText(r.rows),
        '\n',
        writtenLine(r),
      ].join(''),
    );
  },
});
