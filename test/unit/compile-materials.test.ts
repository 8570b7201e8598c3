/**
 * 评审材料汇编 (reports.compile): materials linked to two indicators appear under each, in
 * indicator order, with their content (their own headings shifted below the material's); the
 * table of contents is a TOC field Word/WPS update on open; the evidence index lists every
 * attachment of those materials, of the indicator's tasks and of their progress feedback, with
 * size and indicators; image evidence is inline with a caption. Rendered with LibreOffice: the
 * cover and the contents carry no page number, the body starts at "— 1 —", the sections appear.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Indicator, PmNodeJson } from '../../main/core/contract/index';
import { makePng } from '../fixtures/documents/models';
import {
  advanceTo,
  call,
  callError,
  coreWithWorkspace,
  isChinese,
  setDocContent,
  tempDir,
} from '../helpers/core';
import {
  childrenNamed,
  docxToPdf,
  find,
  findAll,
  pdfPages,
  readDocx,
  wText,
  type DocxPackage,
  type XmlNode,
} from '../helpers/docx';

type Core = Awaited<ReturnType<typeof coreWithWorkspace>>['core'];

const text = (s: string): PmNodeJson => ({ type: 'text', text: s });
const para = (s: string): PmNodeJson => ({ type: 'paragraph', content: [text(s)] });
const head = (level: number, s: string): PmNodeJson => ({
  type: 'heading',
  attrs: { level },
  content: [text(s)],
});

function setContent(core: Core, id: string, content: PmNodeJson[]): Promise<void> {
  return setDocContent(core, id, { type: 'doc', content });
}

function bodyOf(pkg: DocxPackage): XmlNode {
  const body = find(pkg.xml('word/document.xml'), 'w:body');
  if (!body) throw new Error('no w:body');
  return body;
}
function paragraphs(pkg: DocxPackage) {
  return childrenNamed(bodyOf(pkg), 'w:p').map((p) => {
    const pPr = childrenNamed(p, 'w:pPr')[0];
    return { node: p, style: pPr ? find(pPr, 'w:pStyle')?.attrs['w:val'] : undefined, text: wText(p) };
  });
}
/** Level-1 sections: heading text → the [style, text] of what follows up to the next level-1 heading. */
function sections(pkg: DocxPackage): Map<string, [string | undefined, string][]> {
  const out = new Map<string, [string | undefined, string][]>();
  let current: [string | undefined, string][] | null = null;
  for (const p of paragraphs(pkg)) {
    if (p.style === 'Heading1') out.set(p.text, (current = []));
    else current?.push([p.style, p.text]);
  }
  return out;
}

interface Fixture {
  core: Core;
  a: Indicator;
  b: Indicator;
  all: Indicator[];
  taskCode: string;
  taskTitle: string;
  pkg: DocxPackage;
  file: string;
}

async function build(): Promise<Fixture> {
  const { core } = await coreWithWorkspace();
  const all = (await call(core, 'indicators.list', {})).filter((i) => i.kind !== 'category');
  const a = all[0]!;
  const b = all[2]!;
  const dir = tempDir();
  const m1 = await call(core, 'materials.create', {
    title: '信用制度建设情况说明',
    type: 'regulation',
    templateId: null,
    indicatorIds: [b.id, a.id],
  });
  const m2 = await call(core, 'materials.create', {
    title: '双公示工作实施方案',
    type: 'implementation_plan',
    templateId: null,
    indicatorIds: [b.id],
  });
  const m3 = await call(core, 'materials.create', {
    title: '信用承诺工作方案',
    type: 'implementation_plan',
    templateId: null,
    indicatorIds: [a.id],
  });
  await setContent(core, m1.id, [
    para('信用制度建设情况说明'), // repeats the title: left out
    head(1, '工作背景'),
    para('我市先后出台信用制度文件二十余件。'),
    head(2, '主要做法'),
    head(4, '第四级标题'),
    para('制度文件均经合法性审查。'),
  ]);
  await setContent(core, m2.id, [head(1, '总体要求'), para('行政许可和行政处罚信息七个工作日内上报。')]);
  await setContent(core, m3.id, [para('在行政审批中全面推行信用承诺制。')]);

  // evidence: a material's PDF (on two indicators through m1), a material's photo, a task's file,
  // and a file of the task's progress feedback
  const pdf = path.join(dir, '制度文件.pdf');
  fs.writeFileSync(pdf, Buffer.alloc(3000, 1));
  await call(core, 'attachments.add', { ownerType: 'material', ownerId: m1.id, file: { path: pdf } });
  const photo = path.join(dir, '双公示专栏截图.png');
  fs.writeFileSync(
    photo,
    makePng(300, 200, (x, y) => ((x + y) % 40 < 20 ? [30, 90, 160] : [240, 240, 240])),
  );
  await call(core, 'attachments.add', { ownerType: 'material', ownerId: m2.id, file: { path: photo } });
  const task = (await call(core, 'tasks.list', { indicatorId: a.id, kinds: ['task'] })).rows.find(
    (t) => t.leadDeptId,
  );
  if (!task) throw new Error('no task linked to the first indicator');
  const big = path.join(dir, '任务方案.docx');
  fs.writeFileSync(big, Buffer.alloc(Math.round(2.5 * 1048576), 7));
  await call(core, 'attachments.add', { ownerType: 'task', ownerId: task.id, file: { path: big } });
  await advanceTo(core, task.id, 'handling');
  const sheet = path.join(dir, '签到表.pdf');
  fs.writeFileSync(sheet, Buffer.alloc(1536, 2));
  await call(core, 'feedback.add', {
    taskId: task.id,
    text: '已召开部署会',
    progress: 30,
    files: [{ path: sheet }],
  });

  const file = path.join(dir, '评审材料汇编.docx');
  await call(core, 'reports.compile', { file });
  return {
    core,
    a,
    b,
    all,
    taskCode: task.code,
    taskTitle: task.title,
    pkg: readDocx(fs.readFileSync(file)),
    file,
  };
}

describe('reports.compile', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await build();
  }, 60_000);

  it('has one level-1 section per indicator in indicator order, each with its materials and their content', () => {
    const secs = sections(f.pkg);
    const titles = [...secs.keys()];
    const numbered = titles.filter((x) => !['佐证材料索引', '图片佐证材料'].includes(x));
    expect(numbered).toHaveLength(f.all.length);
    numbered.forEach((x, i) => expect(x.endsWith(`${f.all[i]!.code} ${f.all[i]!.title}`), x).toBe(true));
    expect(numbered[0]).toBe(`一、${f.a.code} ${f.a.title}`);

    const underA = secs.get(`一、${f.a.code} ${f.a.title}`)!;
    const underB = secs.get(`三、${f.b.code} ${f.b.title}`)!;
    const level2 = (s: [string | undefined, string][]) =>
      s.filter(([st]) => st === 'Heading2').map(([, t]) => t);
    expect(level2(underA)).toEqual(['（一）信用制度建设情况说明', '（二）信用承诺工作方案']);
    expect(level2(underB)).toEqual(['（一）信用制度建设情况说明', '（二）双公示工作实施方案']);
    // the material's content, its headings two levels down (level 4 at most), in both sections
    for (const s of [underA, underB]) {
      const i = s.findIndex(([, t]) => t === '（一）信用制度建设情况说明');
      expect(s.slice(i + 1, i + 6)).toEqual([
        ['Heading3', '1.工作背景'],
        [undefined, '我市先后出台信用制度文件二十余件。'],
        ['Heading4', '（1）主要做法'],
        ['Heading4', '（2）第四级标题'],
        [undefined, '制度文件均经合法性审查。'],
      ]);
    }
    expect(underA.map(([, t]) => t)).toContain('在行政审批中全面推行信用承诺制。');
    expect(underB.map(([, t]) => t)).toContain('行政许可和行政处罚信息七个工作日内上报。');
    // an indicator without materials says so
    expect(secs.get(`二、${f.all[1]!.code} ${f.all[1]!.title}`)?.map(([, t]) => t)).toEqual([
      '（本指标暂无关联材料）',
    ]);
    // the title the material repeats at its top is not printed again
    expect(paragraphs(f.pkg).filter((p) => p.text === '信用制度建设情况说明')).toHaveLength(0);
  });

  it('has a table of contents field that Word/WPS update on open', () => {
    const instr = findAll(bodyOf(f.pkg), 'w:instrText').map((n) => n.text);
    expect(instr.some((x) => /^TOC\b.*\\o "1-2"/.test(x.trim()))).toBe(true);
    const update = find(f.pkg.xml('word/settings.xml'), 'w:updateFields');
    expect(update).toBeDefined();
    expect(['true', '1', undefined]).toContain(update?.attrs['w:val']); // absent val means true
    expect(paragraphs(f.pkg).some((p) => p.style === 'Title' && p.text === '目　录')).toBe(true);
  });

  it('lists every piece of evidence with its size, owner and indicators', () => {
    const tbl = findAll(bodyOf(f.pkg), 'w:tbl')
      .map((t) => childrenNamed(t, 'w:tr').map((r) => childrenNamed(r, 'w:tc').map(wText)))
      .find((t) => t[0]?.[0] === '序号' && t[0]?.[1] === '文件名');
    if (!tbl) throw new Error('no evidence index');
    expect(tbl[0]).toEqual(['序号', '文件名', '大小', '所属材料/任务', '关联指标']);
    expect(tbl.slice(1)).toEqual([
      ['1', '制度文件.pdf', '2.9 KB', '《信用制度建设情况说明》', `${f.a.code}\n${f.b.code}`],
      ['2', '任务方案.docx', '2.5 MB', `${f.taskCode} ${f.taskTitle}`, f.a.code],
      ['3', '签到表.pdf', '1.5 KB', `${f.taskCode} ${f.taskTitle}（进展反馈）`, f.a.code],
      ['4', '双公示专栏截图.png', expect.stringMatching(/^\d+\.\d KB$/), '《双公示工作实施方案》', f.b.code],
    ]);
  });

  it('puts the image evidence inline after the index, with a caption', () => {
    const ps = paragraphs(f.pkg);
    const index = ps.findIndex((p) => p.text === '佐证材料索引');
    const figure = ps.findIndex((p) => p.style === 'GBFigure');
    expect(figure).toBeGreaterThan(index);
    expect(findAll(ps[figure]!.node, 'w:drawing')).toHaveLength(1);
    expect(ps[figure + 1]).toMatchObject({ style: 'Caption', text: `图1 双公示专栏截图（${f.b.code}）` });
    const rels = findAll(f.pkg.xml('word/_rels/document.xml.rels'), 'Relationship').filter((r) =>
      r.attrs.Type?.endsWith('/image'),
    );
    expect(rels).toHaveLength(1);
  });

  it('limits the compilation to the chosen indicators', async () => {
    const r = await call(f.core, 'reports.compile', { indicatorIds: [f.b.id] });
    const pkg = readDocx(fs.readFileSync(r.file));
    expect([...sections(pkg).keys()]).toEqual([
      `一、${f.b.code} ${f.b.title}`,
      '佐证材料索引',
      '图片佐证材料',
    ]);
    const e = await callError(
      f.core,
      'reports.compile',
      { indicatorIds: ['0190a1b2-0000-7000-8000-000000000000'] },
      'NOT_FOUND',
    );
    expect(isChinese(e.message)).toBe(true);
  });

  it('renders in LibreOffice: cover and contents without page numbers, the sections in order', async () => {
    const pdf = await docxToPdf(fs.readFileSync(f.file), { updateIndexes: true });
    const pages = await pdfPages(pdf);
    const pageNumber = (page: string) => /—\s*(\d+)\s*—/.exec(page)?.[1];
    expect(pages[0]).toContain('创建评审材料汇编');
    expect(pages[0]).toContain('琼海市');
    expect(pageNumber(pages[0]!)).toBeUndefined();
    expect(pages[1]?.replace(/\s/g, '')).toContain('目录');
    // the contents (one line per indicator of the bundled system) may take more than one page
    const body = pages.findIndex((p) => pageNumber(p) !== undefined);
    expect(body).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < body; i++) expect(pageNumber(pages[i]!)).toBeUndefined();
    expect(pageNumber(pages[body]!)).toBe('1');
    const flat = pages.map((p) => p.replace(/\s+/g, ''));
    // (the contents pages list the headings too: look in the body pages)
    const where = (s: string) => flat.findIndex((p, i) => i >= body && p.includes(s.replace(/\s+/g, '')));
    const a = where(`一、${f.a.code}`);
    const b = where(`三、${f.b.code}`);
    expect(a).toBe(body);
    expect(b).toBeGreaterThan(a);
    expect(where('佐证材料索引')).toBeGreaterThan(b);
    // the contents got page numbers when updated: 一、… on body page 1
    expect(flat[1]).toMatch(new RegExp(`一、${f.a.code.replace(/[-]/g, '\\-')}.*?\\.{3,}1(?!\\d)`));
  }, 120_000);
});
