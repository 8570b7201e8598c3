import type { Indicator } from '../../core/contract/index';
import { CommandError } from '../errors';
import { FORCE_OPTION, outOption, outputFile, writtenLine } from '../output';
import { defineCommand } from '../registry';

const DIR = { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' } as const;

/** Finds the indicator a user means by code (基础-01), exact title, or a unique part of a title. */
export function resolveIndicator(indicators: Indicator[], query: string): Indicator {
  const q = query.trim();
  const norm = (s: string) => s.replace(/\s+/g, '').toLowerCase();
  const exact = indicators.filter((i) => i.id === q || norm(i.code) === norm(q) || i.title === q);
  if (exact.length === 1 && exact[0]) return exact[0];
  const candidates = exact.length > 1 ? exact : indicators.filter((i) => norm(i.title).includes(norm(q)));
  if (candidates.length === 1 && candidates[0]) return candidates[0];
  if (candidates.length === 0)
    throw new CommandError(
      `找不到指标「${query}」。请使用指标编号（例如 ${indicators[0]?.code ?? '基础-01'}）或名称。`,
      'NOT_FOUND',
    );
  const shown = candidates
    .slice(0, 8)
    .map((i) => `${i.code} ${i.title}`)
    .join('、');
  throw new CommandError(
    `「${query}」对应多个指标：${shown}${candidates.length > 8 ? ` 等 ${candidates.length} 个` : ''}。请使用指标编号。`,
    'BAD_INPUT',
  );
}

export const reportsSelfAssessmentCommand = defineCommand({
  name: 'reports self-assessment',
  summary: '生成《关于参评社会信用体系建设示范区的自评报告》（.docx）',
  description: [
    '每次都按工作区的当前数据生成：总体情况（督办任务数、办结率、逾期数与驾驶舱和部门排行一致，整改事项）、基础指标达标情况（表格及各指标的自评说明、相关任务、佐证材料）、评分指标和加分项自评情况、存在的问题和下一步工作，以及自评得分汇总表。',
    '各指标的达标情况、自评分、理由和自评说明在桌面版“指标自评”中填写；未填写自评说明的指标写“（待补充自评说明）”。版式为 GB/T 9704 公文格式，带封面。',
  ].join('\n'),
  options: {
    dir: DIR,
    out: outOption('docx', './自评报告.docx'),
    force: FORCE_OPTION,
  },
  examples: [
    'reports self-assessment --dir ./琼海创建 --out ./自评报告.docx',
    'reports self-assessment --dir ./琼海创建 --out ./自评报告.docx --force --json',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const file = outputFile(ctx, o.out, o.force);
    const written = await ctx.call('reports.selfAssessment', { file });
    ctx.result(written, (r) => ['已生成《自评报告》\n', writtenLine(r)].join(''));
  },
});

export const reportsCompileCommand = defineCommand({
  name: 'reports compile',
  summary: '生成《社会信用体系建设示范区创建评审材料汇编》（.docx）',
  description: [
    '按指标顺序，每个指标一章，收录与该指标关联的全部材料（材料自身的标题依次降级编号）；前有封面和目录（Word/WPS 打开时更新页码），后附佐证材料索引（文件名、大小、所属材料或任务、关联指标）和图片佐证材料。',
    '默认收录全部指标；用 --indicator 只收录指定的指标（可重复，或用逗号分隔）。',
  ].join('\n'),
  options: {
    dir: DIR,
    indicator: {
      type: 'string',
      multiple: true,
      value: '<编号>',
      description: '只收录这些指标：指标编号（例如 基础-01）或名称',
    },
    out: outOption('docx', './评审材料汇编.docx'),
    force: FORCE_OPTION,
  },
  examples: [
    'reports compile --dir ./琼海创建 --out ./评审材料汇编.docx',
    'reports compile --dir ./琼海创建 --indicator 基础-01 --indicator 基础-03 --out ./汇编-部分.docx',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const wanted = o.indicator
      .flatMap((v) => v.split(/[,，]/))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    let indicatorIds: string[] | undefined;
    let codes: string[] = [];
    if (wanted.length) {
      const all = (await ctx.call('indicators.list', {})).filter((i) => i.kind !== 'category');
      const chosen = wanted.map((q) => resolveIndicator(all, q));
      indicatorIds = [...new Set(chosen.map((i) => i.id))];
      codes = [...new Set(chosen.map((i) => i.code))];
    }
    const file = outputFile(ctx, o.out, o.force);
    const written = await ctx.call('reports.compile', { file, ...(indicatorIds ? { indicatorIds } : {}) });
    ctx.result({ ...written, indicators: codes }, (r) =>
      [
        `已生成《评审材料汇编》${r.indicators.length ? `（指标 ${r.indicators.join('、')}）` : '（全部指标）'}\n`,
        writtenLine(r),
      ].join(''),
    );
  },
});
