import { BRIEFING_SECTION_LABEL, BRIEFING_SECTIONS } from '../../core/contract/labels';
import { UsageError } from '../errors';
import { FORCE_OPTION, outOption, outputFile, writtenLine } from '../output';
import { defineCommand } from '../registry';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const checkMonth = (v: string) => (MONTH.test(v) ? null : '月份格式应为 YYYY-MM，例如 2027-01');

type Section = (typeof BRIEFING_SECTIONS)[number];

export const briefingExportCommand = defineCommand({
  name: 'briefing export',
  summary: '生成汇报PPT（.pptx，16:9，原生可编辑图表，带演讲者备注）',
  description: [
    '按所选期间和章节，从工作区当前数据生成向市领导汇报用的PPT：封面、目录，以及创建工作总体情况、指标达标情况、各单位任务完成情况、信用监测排名趋势、数据报送合规情况、整改事项开展情况、主要风险和问题、下一步工作安排。',
    '图表为 PowerPoint 原生图表（可在 PowerPoint/WPS 中编辑数据），数字与驾驶舱、部门排行、信用监测页一致；每页带演讲者备注。',
    `章节用 --section 选择（可重复或用逗号分隔），默认全部：${BRIEFING_SECTIONS.map((s) => `${s}（${BRIEFING_SECTION_LABEL[s]}）`).join('、')}。`,
  ].join('\n'),
  options: {
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
    from: {
      type: 'string',
      required: true,
      value: '<YYYY-MM>',
      description: '汇报期间的第一个月',
      check: checkMonth,
    },
    to: {
      type: 'string',
      required: true,
      value: '<YYYY-MM>',
      description: '汇报期间的最后一个月',
      check: checkMonth,
    },
    section: {
      type: 'string',
      multiple: true,
      value: '<章节>',
      description: `只包含这些章节（默认全部）：${BRIEFING_SECTIONS.join('、')}`,
    },
    title: {
      type: 'string',
      value: '<标题>',
      description: '封面标题（默认《<城市>社会信用体系建设示范区创建工作汇报》）',
    },
    presenter: { type: 'string', value: '<单位>', description: '汇报单位，例如 市发展改革委' },
    out: outOption('pptx', './汇报PPT.pptx'),
    force: FORCE_OPTION,
  },
  examples: [
    'briefing export --dir ./琼海创建 --from 2027-01 --to 2027-03 --out ./一季度汇报.pptx',
    'briefing export --dir ./琼海创建 --from 2027-03 --to 2027-03 --section overview --section ranking --presenter 市发展改革委 --out ./三月汇报.pptx --json',
  ],
  async run(ctx, o) {
    if (o.from > o.to) throw new UsageError(`开始月份 ${o.from} 不能晚于结束月份 ${o.to}`, 'briefing export');
    const wanted = o.section
      .flatMap((v) => v.split(/[,，]/))
      .map((v) => v.trim())
      .filter((v) => v !== '');
    const unknown = wanted.filter((v) => !(BRIEFING_SECTIONS as readonly string[]).includes(v));
    if (unknown.length)
      throw new UsageError(
        `未知的章节：${unknown.join('、')}。可选：${BRIEFING_SECTIONS.join('、')}`,
        'briefing export',
      );
    // in deck order, each once
    const sections: Section[] = wanted.length
      ? BRIEFING_SECTIONS.filter((s) => wanted.includes(s))
      : [...BRIEFING_SECTIONS];
    await ctx.openWorkspace(o.dir);
    const file = outputFile(ctx, o.out, o.force);
    const r = await ctx.call('briefing.export', {
      from: o.from,
      to: o.to,
      sections,
      title: o.title ?? null,
      presenter: o.presenter ?? null,
      file,
    });
    ctx.result({ ...r, from: o.from, to: o.to, sections }, (x) =>
      [
        `已生成汇报PPT（${x.from} 至 ${x.to}）：${x.slides} 页，${x.charts} 个图表\n`,
        `章节：${x.sections.map((s) => BRIEFING_SECTION_LABEL[s]).join('、')}\n`,
        writtenLine(x),
      ].join(''),
    );
  },
});
