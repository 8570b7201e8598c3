/**
 * The materials and reports commands of the CLI, in-process against a real workspace: materials
 * list (type and full-text filters, --json), materials export by title or id, reports
 * self-assessment and reports compile (--indicator); each output unzipped and its document.xml
 * checked for the title; failures with exit code 1 and usage errors with 2, in Chinese.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ExportResult, Material } from '../../main/core/contract/index';
import { call, setDocContent } from '../helpers/core';
import { cliWorkspace, docxText } from '../helpers/cli';

const { root, ws, cli, cliJson, withCore } = cliWorkspace('cwb-cli-materials-', '琼海创建');

beforeAll(async () => {
  // two materials written as the editor would (a Yjs update of ProseMirror JSON), linked to indicators
  await withCore(async (core) => {
    const inds = await call(core, 'indicators.list', {});
    const add = async (title: string, type: Material['type'], indicator: number, body: string) => {
      const m = await call(core, 'materials.create', {
        title,
        type,
        templateId: null,
        indicatorIds: [inds[indicator]!.id],
      });
      await setDocContent(core, m.id, {
        type: 'doc',
        content: [
          { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: '总体要求' }] },
          { type: 'paragraph', content: [{ type: 'text', text: body }] },
        ],
      });
      return m;
    };
    await add('琼海市社会信用体系建设实施方案', 'implementation_plan', 0, '全面推进双公示信息归集。');
    await add('信用工作联席会议纪要', 'meeting_minutes', 2, '会议研究了信用承诺工作。');
  });
}, 60_000);

describe('materials list', () => {
  it('lists the materials, filters by type (code or Chinese) and finds two-character words in the text', async () => {
    const all = await cliJson<Material[]>('materials', 'list', '--dir', ws);
    expect(all.map((m) => m.title).sort()).toEqual([
      '信用工作联席会议纪要',
      '琼海市社会信用体系建设实施方案',
    ]);
    const minutes = await cliJson<Material[]>('materials', 'list', '--dir', ws, '--type', '会议纪要');
    expect(minutes.map((m) => m.title)).toEqual(['信用工作联席会议纪要']);
    const plans = await cliJson<Material[]>(
      'materials',
      'list',
      '--dir',
      ws,
      '--type',
      'implementation_plan',
    );
    expect(plans.map((m) => m.title)).toEqual(['琼海市社会信用体系建设实施方案']);
    const found = await cliJson<Material[]>('materials', 'list', '--dir', ws, '--search', '承诺');
    expect(found.map((m) => m.title)).toEqual(['信用工作联席会议纪要']);
    const text = await cli('materials', 'list', '--dir', ws);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('实施方案');
    expect(text.stdout).toContain('共 2 份材料。');
  });

  it('refuses an unknown type as a usage error (exit 2) naming the choices', async () => {
    const r = await cli('materials', 'list', '--dir', ws, '--type', '通知公告');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('选项 --type 的值「通知公告」无效');
    expect(r.stderr).toContain('实施方案');
  });
});

describe('materials export', () => {
  it('writes a valid docx of a material found by a part of its title, or by id', async () => {
    const out = path.join(root, 'out', '实施方案.docx');
    const r = await cliJson<ExportResult & { id: string; title: string }>(
      'materials',
      'export',
      '--dir',
      ws,
      '--id',
      '实施方案',
      '--out',
      out,
    );
    expect(r.file).toBe(out);
    expect(r.title).toBe('琼海市社会信用体系建设实施方案');
    const text = docxText(out);
    expect(text).toContain('琼海市社会信用体系建设实施方案');
    expect(text).toContain('一、总体要求');
    expect(text).toContain('全面推进双公示信息归集。');
    // by id, over the existing file with --force
    const again = await cli('materials', 'export', '--dir', ws, '--id', r.id, '--out', out, '--force');
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('已导出《琼海市社会信用体系建设实施方案》');
  });

  it('fails with exit 1 and a Chinese message: unknown material, existing file, unwritable place', async () => {
    const unknown = await cli('materials', 'export', '--dir', ws, '--id', '不存在的材料', '--out', 'x.docx');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('错误：找不到材料「不存在的材料」');
    const ambiguous = await cli('materials', 'export', '--dir', ws, '--id', '信用', '--out', 'x.docx');
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('对应多份材料');

    const existing = path.join(root, '已有.docx');
    fs.writeFileSync(existing, 'keep');
    const refused = await cli('materials', 'export', '--dir', ws, '--id', '会议纪要', '--out', existing);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('如需覆盖，请加 --force');
    expect(fs.readFileSync(existing, 'utf8')).toBe('keep');

    const blocker = path.join(root, '一个文件');
    fs.writeFileSync(blocker, 'x');
    const bad = await cli(
      'materials',
      'export',
      '--dir',
      ws,
      '--id',
      '会议纪要',
      '--out',
      path.join(blocker, 'a.docx'),
      '--json',
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^错误：无法写入「a\.docx」：.*不是文件夹/);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'IO_ERROR' } });
    expect(fs.readdirSync(root).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('usage errors exit 2: missing --out, wrong extension', async () => {
    const missing = await cli('materials', 'export', '--dir', ws, '--id', '会议纪要');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('缺少必填选项 --out');
    const ext = await cli('materials', 'export', '--dir', ws, '--id', '会议纪要', '--out', 'a.pdf');
    expect(ext.code).toBe(2);
    expect(ext.stderr).toContain('文件名应以 .docx 结尾');
  });
});

describe('reports', () => {
  it('self-assessment writes the 自评报告 from the current data', async () => {
    const out = path.join(root, '自评报告.docx');
    const r = await cli('reports', 'self-assessment', '--dir', ws, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('已生成《自评报告》');
    const text = docxText(out);
    expect(text).toContain('关于参评社会信用体系');
    expect(text).toContain('一、总体情况');
    expect(text).toContain('二、基础指标达标情况');
    expect(text).toContain('《琼海市社会信用体系建设实施方案》');
    const again = await cli('reports', 'self-assessment', '--dir', ws, '--out', out);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('已存在');
  });

  it('compile writes the 评审材料汇编, all indicators or the chosen ones', async () => {
    const out = path.join(root, '汇编.docx');
    const all = await cliJson<ExportResult & { indicators: string[] }>(
      'reports',
      'compile',
      '--dir',
      ws,
      '--out',
      out,
    );
    expect(all.indicators).toEqual([]);
    const text = docxText(out);
    expect(text).toContain('创建评审材料汇编');
    expect(text).toContain('一、基础-01');
    expect(text).toContain('全面推进双公示信息归集。');
    expect(text).toContain('会议研究了信用承诺工作。');

    const part = path.join(root, '汇编-部分.docx');
    const some = await cliJson<ExportResult & { indicators: string[] }>(
      'reports',
      'compile',
      '--dir',
      ws,
      '--out',
      part,
      '--indicator',
      '基础-03',
    );
    expect(some.indicators).toEqual(['基础-03']);
    const partText = docxText(part);
    expect(partText).toContain('一、基础-03');
    expect(partText).not.toContain('基础-01');
    expect(partText).toContain('会议研究了信用承诺工作。');
    expect(partText).not.toContain('全面推进双公示信息归集。');
  });

  it('an unknown indicator fails with exit 1; a missing --dir is a usage error', async () => {
    const r = await cli('reports', 'compile', '--dir', ws, '--out', 'y.docx', '--indicator', '评分-99');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('找不到指标「评分-99」');
    const u = await cli('reports', 'self-assessment', '--out', 'z.docx');
    expect(u.code).toBe(2);
    expect(u.stderr).toContain('--dir');
    expect(fs.existsSync(path.join(root, 'y.docx'))).toBe(false);
  });
});
