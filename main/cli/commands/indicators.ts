/** The indicator-system commands: list, readiness, import/export as .xlsx, switch version. */
import {
  INDICATOR_KIND_LABEL,
  INDICATOR_STATUS_LABEL,
  type Indicator,
  type Readiness,
} from '../../core/contract/index';
import { formatTable } from '../io';
import { FORCE_OPTION, outOption, outputFile, writtenLine } from '../output';
import { defineCommand } from '../registry';

const DIR = { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' } as const;

const num = (n: number) => String(Number(n.toPrecision(12)));

/** Depth of each indicator in its tree (roots 0). */
function depthOf(list: readonly Indicator[]): Map<string, number> {
  const byId = new Map(list.map((i) => [i.id, i]));
  const out = new Map<string, number>();
  for (const i of list) {
    let d = 0;
    let p = i.parentId ? byId.get(i.parentId) : undefined;
    while (p && d < 20) {
      d++;
      p = p.parentId ? byId.get(p.parentId) : undefined;
    }
    out.set(i.id, d);
  }
  return out;
}

export function indicatorTreeText(list: readonly Indicator[]): string {
  if (list.length === 0) return '当前指标体系中没有指标。\n';
  const depth = depthOf(list);
  const rows = list.map((i) => {
    const category = i.kind === 'category';
    const score =
      i.kind === 'scored' || i.kind === 'bonus'
        ? `${i.selfScore === null ? '—' : num(i.selfScore)}/${i.points === null ? '—' : num(i.points)}`
        : category && i.points !== null
          ? `(${num(i.points)})`
          : '';
    return [
      `${'  '.repeat(depth.get(i.id) ?? 0)}${i.code}`,
      i.title,
      INDICATOR_KIND_LABEL[i.kind],
      category ? '' : INDICATOR_STATUS_LABEL[i.status],
      score,
      i.ownerDeptNames.join('、'),
      category || i.evidenceTotal === 0 ? '' : `${i.evidenceSatisfied}/${i.evidenceTotal}`,
    ];
  });
  return (
    formatTable(['编号', '名称', '类型', '状态', '得分/分值', '责任单位', '佐证'], rows) +
    `\n共 ${list.length} 项（类别 ${list.filter((i) => i.kind === 'category').length} 项）。\n`
  );
}

export function readinessText(r: Readiness): string {
  const lines = [`指标体系版本：${r.version}`];
  lines.push(
    `基础指标：已达标 ${r.basic.met}/${r.basic.total}${r.allBasicMet ? '，全部达标。' : '，以下未达标（一票否决）：'}`,
  );
  for (const u of r.basic.unmet) lines.push(`  ${u.code} ${u.title}（${INDICATOR_STATUS_LABEL[u.status]}）`);
  lines.push(
    `评分指标：${r.scored.count} 项，自评 ${num(r.scored.achieved)}/${num(r.scored.possible)} 分，已达标 ${r.scored.met} 项`,
  );
  lines.push(`加分项：${r.bonus.count} 项，自评 ${num(r.bonus.achieved)}/${num(r.bonus.possible)} 分`);
  lines.push(`佐证材料：已提供 ${r.evidence.satisfied}/${r.evidence.total} 项`);
  lines.push(
    `达标情况：已达标 ${r.byStatus.met} 项，推进中 ${r.byStatus.in_progress} 项，未达标 ${r.byStatus.not_met} 项`,
  );
  return lines.join('\n') + '\n';
}

export const indicatorsListCommand = defineCommand({
  name: 'indicators list',
  summary: '列出当前指标体系的指标（树形）：达标状态、自评分、责任单位、佐证材料',
  description:
    '按指标体系的顺序缩进显示类别和指标。“得分/分值”为自评分和分值，“佐证”为已提供佐证的清单项数/清单项总数。--json 输出指标数组。',
  options: { dir: DIR },
  examples: ['indicators list --dir ./琼海创建', 'indicators list --dir ./琼海创建 --json'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const list = await ctx.call('indicators.list', {});
    ctx.result(list, indicatorTreeText);
  },
});

export const indicatorsReadinessCommand = defineCommand({
  name: 'indicators readiness',
  summary: '对照指标体系的准备情况：基础指标是否全部达标、评分指标和加分项自评分、佐证材料',
  description: '基础指标为一票否决项，列出尚未达标的指标。与驾驶舱显示的数字一致。',
  options: { dir: DIR },
  examples: ['indicators readiness --dir ./琼海创建', 'indicators readiness --dir ./琼海创建 --json'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    ctx.result(await ctx.call('indicators.readiness', {}), readinessText);
  },
});

export const indicatorsImportCommand = defineCommand({
  name: 'indicators import',
  summary: '导入指标体系（.xlsx）：新版本或按编号更新已有版本',
  description: [
    '文件格式与 indicators export 导出的相同：工作表「版本信息」（版本、名称、评分指标总分、加分项总分、说明）和「指标体系」（编号、名称、类型、上级编号、分值、评分标准、责任单位、佐证材料），导出的文件中的「说明」工作表写明了填写规则。',
    '版本不存在时新建；已存在时按编号更新（保留自评、关联任务和材料、已上传的佐证），新增文件中新的编号，删除文件中没有的编号。',
    '文件有任何错误时不导入任何内容，逐条列出错误所在的工作表、行号和列。默认导入后设为当前版本；加 --no-current 则不切换。',
  ].join('\n'),
  options: {
    file: {
      type: 'string',
      positional: true,
      required: true,
      value: '<文件.xlsx>',
      description: '指标体系工作簿',
    },
    dir: DIR,
    'no-current': { type: 'boolean', description: '导入后不设为当前版本' },
  },
  examples: [
    'indicators import ./指标体系-2022.xlsx --dir ./琼海创建',
    'indicators import ./指标体系-2025.xlsx --dir ./琼海创建 --no-current',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const r = await ctx.call('indicators.importSystem', {
      file: { path: ctx.resolvePath(o.file) },
      makeCurrent: !o['no-current'],
    });
    ctx.result(
      r,
      (x) =>
        `已导入指标体系「${x.name}」（版本 ${x.version}）：新增 ${x.created} 项，更新 ${x.updated} 项，删除 ${x.removed} 项。` +
        `${x.current ? '当前使用该版本。' : '未切换当前版本（可用 indicators use 切换）。'}\n`,
    );
  },
});

export const indicatorsExportCommand = defineCommand({
  name: 'indicators export',
  summary: '把指标体系导出为 .xlsx（可编辑后再导入）',
  description: '默认导出当前版本；--version 指定其他版本。导出的文件含「说明」工作表，写明填写规则。',
  options: {
    dir: DIR,
    version: { type: 'string', value: '<版本>', description: '指标体系版本（默认当前版本）' },
    out: outOption('xlsx', './指标体系.xlsx'),
    force: FORCE_OPTION,
  },
  examples: [
    'indicators export --dir ./琼海创建 --out ./指标体系.xlsx',
    'indicators export --dir ./琼海创建 --version 2021 --out ./指标体系-2021.xlsx --force',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const file = outputFile(ctx, o.out, o.force);
    const written = await ctx.call('indicators.exportSystem', {
      file,
      ...(o.version !== undefined ? { version: o.version } : {}),
    });
    ctx.result(written, (r) => `已导出指标体系\n${writtenLine(r)}`);
  },
});

export const indicatorsUseCommand = defineCommand({
  name: 'indicators use',
  summary: '切换工作区使用的指标体系版本',
  description: '各页面、驾驶舱和自评报告都按当前版本统计。不带版本时列出已有版本。',
  options: {
    version: { type: 'string', positional: true, value: '<版本>', description: '要使用的版本，例如 2021' },
    dir: DIR,
  },
  examples: ['indicators use --dir ./琼海创建', 'indicators use 2022 --dir ./琼海创建'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    if (o.version !== undefined) await ctx.call('indicators.useSystem', { version: o.version });
    const systems = await ctx.call('indicators.systems', {});
    ctx.result(systems, (list) =>
      [
        o.version !== undefined ? `已切换到指标体系版本 ${o.version}。\n` : '',
        formatTable(
          ['', '版本', '名称', '基础', '评分', '加分', '评分分值', '加分分值'],
          list.map((s) => [
            s.current ? '*' : '',
            s.version,
            s.name,
            String(s.counts.basic),
            String(s.counts.scored),
            String(s.counts.bonus),
            num(s.scoredPoints),
            num(s.bonusPoints),
          ]),
        ),
        '\n（* 为当前版本）\n',
      ].join(''),
    );
  },
});
