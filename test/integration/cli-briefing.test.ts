/**
 * `briefing export` run in-process against a real workspace: the deck for a period with all or
 * some sections (slides and charts counted in the pptx), --json, and bad input with its exit
 * codes (a malformed month, a period that ends before it starts, an unknown section, an existing
 * file without --force).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../main/cli/run';
import { call, makeCore } from '../helpers/core';
import { readDocx } from '../helpers/docx';

class Capture {
  text = '';
  readonly isTTY = false;
  write(s: string): boolean {
    this.text += s;
    return true;
  }
}

let root: string;
let dataDir: string;
let ws: string;

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runCli(['--data-dir', dataDir, ...argv], { stdout, stderr, env: {}, cwd: root });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

function parts(file: string, re: RegExp): number {
  return Object.keys(readDocx(fs.readFileSync(file)).files).filter((n) => re.test(n)).length;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cwb-cli-brief-'));
  dataDir = path.join(root, 'data');
  ws = path.join(root, '琼海工作区');
  const r = await cli(
    'workspace',
    'create',
    '--template',
    'qionghai',
    '--dir',
    ws,
    '--me',
    '李明',
    '--start',
    '2027-01',
  );
  expect(r.code, r.stderr).toBe(0);
  const t = makeCore({ dataDir: path.join(root, 'core-data'), openLast: false });
  try {
    await call(t.core, 'workspace.open', { dir: ws });
    for (const [month, rank] of [
      ['2027-01', 58],
      ['2027-02', 47],
      ['2027-03', 41],
    ] as const) {
      await call(t.core, 'monitoring.save', {
        month,
        score: 85,
        rank,
        total: 390,
        dims: { incentive: 86, system: 87, culture: 82, service: 81, environment: 85 },
      });
    }
  } finally {
    t.close();
  }
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('cli: briefing export', () => {
  it('writes the whole deck and reports slides and charts', async () => {
    const r = await cli(
      'briefing',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-01',
      '--to',
      '2027-03',
      '--out',
      '汇报/一季度.pptx',
    );
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
    const r = await cli(
      'briefing',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-03',
      '--to',
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
    const month = await cli(
      'briefing',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-1',
      '--to',
      '2027-03',
      '--out',
      'x.pptx',
    );
    expect(month.code).toBe(2);
    expect(month.stderr).toContain('月份格式应为 YYYY-MM');
    const order = await cli(
      'briefing',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-03',
      '--to',
      '2027-01',
      '--out',
      'x.pptx',
    );
    expect(order.code).toBe(2);
    expect(order.stderr).toContain('开始月份 2027-03 不能晚于结束月份 2027-01');
    const section = await cli(
      'briefing',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-01',
      '--to',
      '2027-03',
      '--section',
      'summary',
      '--out',
      'x.pptx',
    );
    expect(section.code).toBe(2);
    expect(section.stderr).toContain('未知的章节：summary');
    const ext = await cli(
      'briefing',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-01',
      '--to',
      '2027-03',
      '--out',
      'x.docx',
    );
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('文件名应以 .pptx 结尾');
    const again = await cli(
      'briefing',
      'export',
      '--dir',
      ws,
      '--from',
      '2027-03',
      '--to',
      '2027-03',
      '--out',
      '三月.pptx',
    );
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('已存在');
    expect(fs.existsSync(path.join(root, 'x.pptx'))).toBe(false);
  });
});
