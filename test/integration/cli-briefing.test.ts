/**
 * `briefing export` run in-process against a real workspace: the deck for a period with all or
 * some sections (slides and charts counted in the pptx), --json, and bad input with its exit
 * codes (a malformed month, a period that ends before it starts, an unknown section, an existing
 * file without --force).
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { call } from '../helpers/core';
import { cliWorkspace } from '../helpers/cli';
import { readDocx } from '../helpers/docx';

const { root, ws, cli, withCore } = cliWorkspace('cwb-cli-brief-', '琼海工作区', { me: '李明' });

/** `briefing export --dir <ws> --from <from> --to <to>` and the rest. */
const exportDeck = (from: string, to: string, ...rest: string[]) =>
  cli('briefing', 'export', '--dir', ws, '--from', from, '--to', to, ...rest);

function parts(file: string, re: RegExp): number {
  return Object.keys(readDocx(fs.readFileSync(file)).files).filter((n) => re.test(n)).length;
}

beforeAll(async () => {
  await withCore(async (core) => {
    for (const [month, rank] of [
      ['2027-01', 58],
      ['2027-02', 47],
      ['2027-03', 41],
    ] as const) {
      await call(core, 'monitoring.save', {
        month,
        score: 85,
        rank,
        total: 390,
        dims: { incentive: 86, system: 87, culture: 82, service: 81, environment: 85 },
      });
    }
  });
});

describe('cli: briefing export', () => {
  it('writes the whole deck and reports slides and charts', async () => {
    const r = await exportDeck('2027-01', '2027-03', '--out', '汇报/一季度.pptx');
    expect(r.code, r.stderr).toBe(0);
    const file = path.join(root, '汇报', '一季度.pptx');
    const slides = parts(file, /^ppt\/slides\/slide\d+\.xml$/);
    const charts = parts(file, /^ppt\/charts\/chart\d+\.xml$/);
    expect(r.stdout).toContain(`已生成汇报PPT（2027-01 至 2027-03）：${slides} 页，${charts} 个图表`);
    expect(r.stdout).toContain('章节：创建工作总体情况、指标达标情况');
    expect(r.stdout).toContain(`已写入 ${file}`);
    // no task is issued yet: readiness, the ranking and its dimensions
    expect(charts).toBe(3);
  });

  it('takes the chosen sections in deck order, a title and --json', async () => {
    const r = await exportDeck(
      '2027-03',
      '2027-03',
      '--section',
      'ranking,overview',
      '--title',
      '三月份创建工作汇报',
      '--presenter',
      '市发展改革委',
      '--out',
      '三月.pptx',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { file: string; slides: number; charts: number; sections: string[] };
    expect(j.sections).toEqual(['overview', 'ranking']);
    // cover, agenda, overview KPIs + trend, ranking trend + dimensions, closing
    expect(j.slides).toBe(7);
    expect(parts(j.file, /^ppt\/slides\/slide\d+\.xml$/)).toBe(7);
    expect(parts(j.file, /^ppt\/charts\/chart\d+\.xml$/)).toBe(j.charts);
    const cover = readDocx(fs.readFileSync(j.file)).text('ppt/slides/slide1.xml');
    expect(cover).toContain('三月份创建工作汇报');
    expect(cover).toContain('市发展改革委');
    expect(cover).toContain('2027年3月');
  });

  it('refuses bad input with a clear message and exit code', async () => {
    const refused = async (code: number, message: string, ...argv: [string, string, ...string[]]) => {
      const r = await exportDeck(...argv);
      expect(r.code).toBe(code);
      expect(r.stderr).toContain(message);
    };
    await refused(2, '月份格式应为 YYYY-MM', '2027-1', '2027-03', '--out', 'x.pptx');
    await refused(2, '开始月份 2027-03 不能晚于结束月份 2027-01', '2027-03', '2027-01', '--out', 'x.pptx');
    await refused(2, '未知的章节：summary', '2027-01', '2027-03', '--section', 'summary', '--out', 'x.pptx');
    await refused(2, '文件名应以 .pptx 结尾', '2027-01', '2027-03', '--out', 'x.docx');
    await refused(1, '已存在', '2027-03', '2027-03', '--out', '三月.pptx');
    expect(fs.existsSync(path.join(root, 'x.pptx'))).toBe(false);
  });
});
