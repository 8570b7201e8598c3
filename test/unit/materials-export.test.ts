/**
 * The editor round trip: ProseMirror JSON (as TipTap stores it in Yjs) → the document model
 * (pmToBlocks) → docx XML, asserted for each node type; then the same through the core
 * (materials.create + docs.push of a Yjs update → materials.export); and an export into a place
 * that cannot be written: IO_ERROR with a Chinese message and nothing left behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PmNodeJson } from '../../main/core/contract/index';
import { renderDocx } from '../../main/core/documents/docx';
import { writeFailure } from '../../main/core/handlers-output';
import { pmToBlocks, type PmToBlocksOptions } from '../../main/core/documents/from-prosemirror';
import * as m from '../../main/core/documents/model';
import { makePng, SMALL_JPEG } from '../fixtures/documents/models';
import { call, callError, coreWithWorkspace, isChinese, setDocContent, tempDir } from '../helpers/core';
import {
  childrenNamed,
  find,
  findAll,
  readDocx,
  wText,
  type DocxPackage,
  type XmlNode,
} from '../helpers/docx';

const EMU_PER_PX = 9525; // 914400 EMU per inch / 96 px per inch
const SHA_A = 'a'.repeat(64);
const SHA_JPEG = 'b'.repeat(64);
const SHA_MISSING = 'c'.repeat(64);
const PNG_200x100 = makePng(200, 100, (x) => (x < 100 ? [200, 40, 40] : [40, 40, 200]));

// ---------------------------------------------------------------------------------------------
// ProseMirror JSON builders (TipTap's node and mark names)
// ---------------------------------------------------------------------------------------------

type Mark = 'bold' | 'italic' | 'underline' | 'strike' | 'link';
const t = (text: string, ...marks: Mark[]): PmNodeJson => ({
  type: 'text',
  text,
  ...(marks.length
    ? {
        marks: marks.map((k) =>
          k === 'link' ? { type: k, attrs: { href: 'https://www.creditchina.gov.cn' } } : { type: k },
        ),
      }
    : {}),
});
const p = (...content: PmNodeJson[]): PmNodeJson => ({ type: 'paragraph', content });
const h = (level: number, text: string): PmNodeJson => ({
  type: 'heading',
  attrs: { level },
  content: [t(text)],
});
const li = (...content: PmNodeJson[]): PmNodeJson => ({ type: 'listItem', content });
const ul = (...items: PmNodeJson[]): PmNodeJson => ({ type: 'bulletList', content: items });
const ol = (start: number, ...items: PmNodeJson[]): PmNodeJson => ({
  type: 'orderedList',
  attrs: { start },
  content: items,
});
const td = (text: string, attrs: Record<string, unknown> = {}): PmNodeJson => ({
  type: 'tableCell',
  attrs: { colspan: 1, rowspan: 1, colwidth: null, ...attrs },
  content: [p(t(text))],
});
const th = (text: string, attrs: Record<string, unknown> = {}): PmNodeJson => ({
  ...td(text, attrs),
  type: 'tableHeader',
});
const tr = (...cells: PmNodeJson[]): PmNodeJson => ({ type: 'tableRow', content: cells });
const img = (src: string, attrs: Record<string, unknown> = {}): PmNodeJson => ({
  type: 'image',
  attrs: { src, alt: null, title: null, ...attrs },
});

/** Every node type of the editor, once (and the tricky cases). */
function everyNodeDoc(): PmNodeJson {
  return {
    type: 'doc',
    content: [
      p(),
      h(1, '总体要求'),
      p(
        t('　　为深入贯彻落实'),
        t('社会信用体系建设', 'bold'),
        t('部署，'),
        t('全面', 'italic'),
        t('推进', 'underline'),
        t('创建', 'strike'),
        t('信用中国', 'link'),
        t('工作。'),
      ),
      h(2, '（一）指导思想'), // a number typed by hand: dropped, the writer numbers it
      h(3, '工作目标'),
      h(4, '具体指标'),
      h(1, '主要任务'),
      h(2, '健全制度'),
      p(t('第一行'), { type: 'hardBreak' }, t('第二行')),
      ul(li(p(t('要点甲'))), li(p(t('要点乙')), ol(1, li(p(t('子项一'))), li(p(t('子项二')))))),
      ol(3, li(p(t('第三项'))), li(p(t('第四项')))),
      { type: 'blockquote', content: [p(t('引用的一段话。'))] },
      { type: 'horizontalRule' },
      {
        type: 'table',
        content: [
          tr(
            th('单位', { colwidth: [200] }),
            th('任务', { colwidth: [300] }),
            th('完成情况', { colwidth: [100] }),
          ),
          tr(
            td('市发改委', { rowspan: 2, colwidth: [200] }),
            td('制定方案', { colwidth: [300] }),
            td('已完成', { colwidth: [100] }),
          ),
          tr(td('开展培训', { colwidth: [300] }), td('进行中', { colwidth: [100] })),
          tr(td('合计：两项任务', { colspan: 3, colwidth: [200, 300, 100] })),
        ],
      },
      img(`cwb-blob:${SHA_A}`, { width: 200, height: 100, alt: '现场照片' }),
      img(`cwb-blob:${SHA_JPEG}`, { alt: '小图' }),
      img(`cwb-blob:${SHA_MISSING}`, { alt: '签到表' }),
      { type: 'pageBreak' },
      p(t('分页后的段落。')),
      { type: 'callout', content: [p(t('未知容器里的段落。'))] },
      { type: 'mention', attrs: { label: '未知节点的文字' } },
      p(),
    ],
  };
}

const images: PmToBlocksOptions['resolveImage'] = (sha) =>
  sha === SHA_A ? { data: PNG_200x100 } : sha === SHA_JPEG ? { data: SMALL_JPEG } : null;

// ---------------------------------------------------------------------------------------------
// XML helpers
// ---------------------------------------------------------------------------------------------

function bodyOf(pkg: DocxPackage): XmlNode {
  const body = find(pkg.xml('word/document.xml'), 'w:body');
  if (!body) throw new Error('no w:body');
  return body;
}
const pPr = (n: XmlNode) => childrenNamed(n, 'w:pPr')[0];
const styleOf = (n: XmlNode) => {
  const props = pPr(n);
  return props ? find(props, 'w:pStyle')?.attrs['w:val'] : undefined;
};
function paragraphs(pkg: DocxPackage) {
  return childrenNamed(bodyOf(pkg), 'w:p').map((node) => ({ node, style: styleOf(node), text: wText(node) }));
}
function paragraphWith(pkg: DocxPackage, text: string) {
  const found = paragraphs(pkg).find((x) => x.text.includes(text));
  if (!found)
    throw new Error(
      `no paragraph with "${text}": ${paragraphs(pkg)
        .map((x) => x.text)
        .join(' | ')}`,
    );
  return found;
}
/** The run whose text is exactly `text`, and its properties. */
function runWith(pkg: DocxPackage, text: string) {
  const r = findAll(bodyOf(pkg), 'w:r').find((x) => wText(x) === text);
  if (!r) throw new Error(`no run "${text}"`);
  const rPr = childrenNamed(r, 'w:rPr')[0];
  return { has: (name: string) => !!rPr && childrenNamed(rPr, name).length > 0 };
}

describe('ProseMirror JSON → document model', () => {
  const blocks = pmToBlocks(everyNodeDoc(), { resolveImage: images });

  it('maps every node type to its block, dropping the blank lines around the document', () => {
    expect(blocks.map((b) => b.type)).toEqual([
      'heading',
      'paragraph',
      'heading',
      'heading',
      'heading',
      'heading',
      'heading',
      'paragraph',
      'list',
      'list',
      'paragraph', // blockquote content
      'paragraph', // horizontal rule: a blank line
      'table',
      'paragraph', // a blank line keeps the picture off the table's bottom border
      'image',
      'image',
      'paragraph', // missing image
      'pageBreak',
      'paragraph',
      'paragraph', // unknown container: its paragraph
      'paragraph', // unknown leaf: its text
    ]);
  });

  it('keeps heading levels without number text, shifted and clamped on request', () => {
    const levels = (bs: m.Block[]) =>
      bs.flatMap((b) => (b.type === 'heading' ? [[b.level, m.toRuns(b.runs)[0]?.text]] : []));
    expect(levels(blocks).slice(0, 4)).toEqual([
      [1, '总体要求'],
      [2, '指导思想'],
      [3, '工作目标'],
      [4, '具体指标'],
    ]);
    const shifted = pmToBlocks(everyNodeDoc(), { resolveImage: images, headingShift: 2 });
    expect(
      levels(shifted)
        .slice(0, 4)
        .map((l) => l[0]),
    ).toEqual([3, 4, 4, 4]);
  });

  it('squares up a ragged table and cuts spans that would overlap', () => {
    const [table] = pmToBlocks(
      {
        type: 'doc',
        content: [
          {
            type: 'table',
            content: [
              tr(th('甲'), th('乙'), th('丙')),
              tr(td('跨两行', { rowspan: 5 }), td('只有一格')),
              tr(td('x', { colspan: 3 })),
            ],
          },
        ],
      },
      { resolveImage: images },
    );
    expect(table?.type).toBe('table');
    if (table?.type !== 'table') return;
    expect(table.columns).toHaveLength(3);
    expect(table.headerRows).toBe(1);
    // row 2 is padded to three columns, the rowspan is cut at the table's end, the colspan where it meets it
    expect(table.rows[1]).toEqual([
      { content: [{ text: '跨两行' }], rowSpan: 2 },
      { content: [{ text: '只有一格' }] },
      { content: '' },
    ]);
    expect(table.rows[2]).toEqual([{ content: [{ text: 'x' }], colSpan: 2 }]);
    // and the writer accepts it
    return expect(renderDocx(m.doc({ title: 't' }, [table]))).resolves.toBeInstanceOf(Buffer);
  });
});

describe('column widths of a table never resized in the editor', () => {
  const widthsOf = (rows: PmNodeJson[]) => {
    const [table] = pmToBlocks(
      { type: 'doc', content: [{ type: 'table', content: rows }] },
      { resolveImage: images },
    );
    if (table?.type !== 'table') throw new Error('no table');
    return table.columns.map((c) => c.width ?? 0);
  };

  it('come from the longest line of each column, short ones kept whole', () => {
    const w = widthsOf([
      tr(th('序号'), th('任务名称'), th('完成情况')),
      tr(td('1'), td('制定信用信息管理办法并报市政府审定后印发实施'), td('已完成')),
    ]);
    expect(w[0]).toBeCloseTo(2.8, 5); // 序号 + padding
    expect(w[2]).toBeCloseTo(4.8, 5); // 完成情况 + padding
    expect(w[1]).toBeCloseTo(22.8, 5);
  });

  it('give the long columns what the short ones leave when the line is too narrow', () => {
    const long = '依法依规归集共享各类公共信用信息并在信用网站公示'; // 24 字
    const w = widthsOf([
      tr(th('序号'), th('工作内容'), th('完成标准'), th('状态')),
      tr(td('1'), td(long), td(long), td('已完成')),
    ]);
    expect(w[0]).toBeCloseTo(2.8, 5);
    expect(w[3]).toBeCloseTo(3.8, 5); // 已完成 never wraps
    expect(w[1]).toBeCloseTo(w[2]!, 5);
    // together they fill the 156 mm line of 四号 text (31.6 字)
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(156 / ((14 * 25.4) / 72), 1);
  });
});

describe('document model → docx XML, for each node type', () => {
  let pkg: DocxPackage;
  beforeAll(async () => {
    pkg = readDocx(
      await renderDocx(
        m.doc(
          { title: '实施方案', created: new Date('2027-03-31T08:00:00Z') },
          pmToBlocks(everyNodeDoc(), { resolveImage: images }),
        ),
      ),
    );
  });

  it('numbers headings 一、（一）1.（1） in the heading styles', () => {
    const headings = paragraphs(pkg).filter((x) => x.style?.startsWith('Heading'));
    expect(headings.map((x) => [x.style, x.text])).toEqual([
      ['Heading1', '一、总体要求'],
      ['Heading2', '（一）指导思想'],
      ['Heading3', '1.工作目标'],
      ['Heading4', '（1）具体指标'],
      ['Heading1', '二、主要任务'],
      ['Heading2', '（一）健全制度'],
    ]);
  });

  it('indents paragraphs two characters on the first line and drops typed full-width spaces', () => {
    const para = paragraphWith(pkg, '为深入贯彻落实');
    expect(para.text).toBe('为深入贯彻落实社会信用体系建设部署，全面推进创建信用中国工作。');
    const ind = find(pPr(para.node)!, 'w:ind');
    expect(ind?.attrs).toMatchObject({ 'w:firstLine': '628', 'w:firstLineChars': '200' });
  });

  it('writes bold, italic, underline and strike runs; a link keeps its text', () => {
    expect(runWith(pkg, '社会信用体系建设').has('w:b')).toBe(true);
    expect(runWith(pkg, '全面').has('w:i')).toBe(true);
    expect(runWith(pkg, '推进').has('w:u')).toBe(true);
    expect(runWith(pkg, '创建').has('w:strike')).toBe(true);
    const plain = runWith(pkg, '信用中国工作。'); // the link's text joins the plain run after it
    for (const k of ['w:b', 'w:i', 'w:u', 'w:strike']) expect(plain.has(k)).toBe(false);
    expect(findAll(bodyOf(pkg), 'w:hyperlink')).toHaveLength(0);
  });

  it('turns a hard break into a line break inside the paragraph', () => {
    const para = paragraphWith(pkg, '第一行');
    expect(para.text).toBe('第一行\n第二行');
    expect(findAll(para.node, 'w:br').map((b) => b.attrs['w:type'])).toEqual([undefined]);
  });

  it('writes lists with their markers, nested, and an ordered list from its start number', () => {
    const texts = paragraphs(pkg).map((x) => x.text);
    const at = texts.indexOf('● 要点甲');
    expect(at).toBeGreaterThan(0);
    expect(texts.slice(at, at + 6)).toEqual([
      '● 要点甲',
      '● 要点乙',
      '（1）子项一',
      '（2）子项二',
      '3.第三项',
      '4.第四项',
    ]);
    // nested items sit two characters further in
    const nested = paragraphWith(pkg, '子项一').node;
    expect(Number(find(pPr(nested)!, 'w:ind')?.attrs['w:left'])).toBeGreaterThan(0);
  });

  it('keeps blockquote text, a horizontal rule as a blank line, unknown nodes as their text', () => {
    expect(paragraphWith(pkg, '引用的一段话。').text).toBe('引用的一段话。');
    expect(paragraphWith(pkg, '未知容器里的段落。')).toBeDefined();
    expect(paragraphWith(pkg, '未知节点的文字')).toBeDefined();
    const ps = paragraphs(pkg);
    const quote = ps.findIndex((x) => x.text === '引用的一段话。');
    expect(ps[quote + 1]?.text).toBe(''); // the rule
  });

  it('writes the table with a repeated header row, merged cells and the editor column widths', () => {
    const tbl = find(bodyOf(pkg), 'w:tbl');
    if (!tbl) throw new Error('no table');
    const rows = childrenNamed(tbl, 'w:tr');
    expect(rows).toHaveLength(4);
    const isHeader = (r: XmlNode) => !!find(r, 'w:tblHeader');
    expect(rows.map(isHeader)).toEqual([true, false, false, false]);
    const cells = (r: XmlNode) => childrenNamed(r, 'w:tc');
    expect(cells(rows[0]!).map(wText)).toEqual(['单位', '任务', '完成情况']);
    // rowspan 2: restart, then continue in the row below
    expect(find(cells(rows[1]!)[0]!, 'w:vMerge')?.attrs['w:val']).toBe('restart');
    const cont = find(cells(rows[2]!)[0]!, 'w:vMerge');
    expect(cont).toBeDefined();
    expect(cont?.attrs['w:val'] ?? 'continue').toBe('continue');
    // colspan 3
    expect(cells(rows[3]!)).toHaveLength(1);
    expect(find(cells(rows[3]!)[0]!, 'w:gridSpan')?.attrs['w:val']).toBe('3');
    // colwidth 200/300/100 px → 2:3:1 of the 8845-twip text width
    const grid = findAll(tbl, 'w:gridCol').map((g) => Number(g.attrs['w:w']));
    expect(grid.reduce((a, b) => a + b, 0)).toBe(8845);
    expect(grid[1]! / grid[0]!).toBeCloseTo(1.5, 2);
    expect(grid[0]! / grid[2]!).toBeCloseTo(2, 2);
    // header cells bold
    expect(find(cells(rows[0]!)[0]!, 'w:b')).toBeDefined();
  });

  it('embeds images with a relationship and a drawing of the editor size; a missing one is named', () => {
    const rels = findAll(pkg.xml('word/_rels/document.xml.rels'), 'Relationship').filter((r) =>
      r.attrs.Type?.endsWith('/image'),
    );
    expect(rels).toHaveLength(2);
    for (const r of rels) expect(pkg.files[`word/${r.attrs.Target ?? ''}`]).toBeDefined();
    const drawings = findAll(bodyOf(pkg), 'w:drawing');
    expect(drawings).toHaveLength(2);
    const blips = findAll(bodyOf(pkg), 'a:blip').map((b) => b.attrs['r:embed']);
    expect(blips.sort()).toEqual(rels.map((r) => r.attrs.Id).sort());
    // width 200 px in the editor: 200 px at 96 dpi; the height follows the picture (2:1)
    const extent = find(drawings[0]!, 'wp:extent')?.attrs;
    expect(Number(extent?.cx)).toBe(200 * EMU_PER_PX);
    expect(Number(extent?.cy)).toBe(100 * EMU_PER_PX);
    expect(find(drawings[0]!, 'wp:docPr')?.attrs.descr).toBe('现场照片');
    // the JPEG without a width: its natural 29 × 40 px
    const small = find(drawings[1]!, 'wp:extent')?.attrs;
    expect(Number(small?.cx)).toBe(29 * EMU_PER_PX);
    expect(Number(small?.cy)).toBe(40 * EMU_PER_PX);
    expect(paragraphWith(pkg, '[图片缺失：签到表]').text).toBe('[图片缺失：签到表]');
  });

  it('breaks the page before the next paragraph', () => {
    const after = paragraphWith(pkg, '分页后的段落。').node;
    expect(find(pPr(after)!, 'w:pageBreakBefore')).toBeDefined();
  });
});

// ---------------------------------------------------------------------------------------------
// Through the core
// ---------------------------------------------------------------------------------------------

async function materialWithContent() {
  const t0 = await coreWithWorkspace();
  const { core } = t0;
  const dir = tempDir();
  const pngFile = path.join(dir, '现场照片.png');
  fs.writeFileSync(pngFile, PNG_200x100);
  const image = await call(core, 'docs.putImage', { path: pngFile, name: '现场照片.png' });
  const mat = await call(core, 'materials.create', {
    title: '琼海市社会信用体系建设实施方案',
    type: 'implementation_plan',
    templateId: null,
  });
  const json: PmNodeJson = {
    type: 'doc',
    content: [
      p(t('琼海市社会信用体系建设实施方案')), // the title repeated at the top: not printed twice
      h(1, '总体要求'),
      p(t('为深入贯彻落实'), t('社会信用体系建设', 'bold'), t('部署，制定本方案。')),
      h(2, '工作目标'),
      {
        type: 'table',
        content: [tr(th('指标'), th('目标')), tr(td('双公示上报率'), td('100%'))],
      },
      img(`cwb-blob:${image.sha256}`, { width: 200, height: 100, alt: '现场照片' }),
      img(`cwb-blob:${SHA_MISSING}`, { alt: '尚未同步的照片' }),
    ],
  };
  await setDocContent(core, mat.id, json);
  return { ...t0, mat, dir };
}

describe('materials.export through the core', () => {
  it('writes the material with its title, numbered headings, table and image', async () => {
    const { core, mat, dir } = await materialWithContent();
    const file = path.join(dir, 'out', '实施方案.docx');
    const r = await call(core, 'materials.export', { id: mat.id, file });
    expect(r.file).toBe(file);
    expect(fs.statSync(file).size).toBe(r.bytes);
    const pkg = readDocx(fs.readFileSync(file));
    const ps = paragraphs(pkg);
    expect(ps.filter((x) => x.style === 'Title').map((x) => x.text)).toEqual([
      '琼海市社会信用体系建设实施方案',
    ]);
    expect(ps.filter((x) => x.text.includes('琼海市社会信用体系建设实施方案'))).toHaveLength(1);
    expect(ps.filter((x) => x.style?.startsWith('Heading')).map((x) => x.text)).toEqual([
      '一、总体要求',
      '（一）工作目标',
    ]);
    expect(findAll(bodyOf(pkg), 'w:tbl')).toHaveLength(1);
    expect(findAll(bodyOf(pkg), 'w:drawing')).toHaveLength(1);
    expect(paragraphWith(pkg, '图片缺失').text).toBe('[图片缺失：尚未同步的照片]');
    expect(pkg.text('docProps/core.xml')).toContain('<dc:title>琼海市社会信用体系建设实施方案</dc:title>');
    // without a file: the exports folder, named after the material
    const auto = await call(core, 'materials.export', { id: mat.id });
    expect(path.basename(auto.file)).toBe('琼海市社会信用体系建设实施方案.docx');
    expect(fs.existsSync(auto.file)).toBe(true);
  });

  it('refuses an unknown material with a Chinese message', async () => {
    const { core } = await coreWithWorkspace();
    const e = await callError(
      core,
      'materials.export',
      { id: '0190a1b2-0000-7000-8000-000000000000' },
      'NOT_FOUND',
    );
    expect(isChinese(e.message)).toBe(true);
  });

  it('an unwritable target gives IO_ERROR in Chinese and leaves nothing half-written', async () => {
    const { core, mat, dir } = await materialWithContent();
    const leftovers = (d: string) => fs.readdirSync(d).filter((f) => f.endsWith('.part'));

    // a path whose parent is a file
    const blocker = path.join(dir, '不是文件夹.txt');
    fs.writeFileSync(blocker, 'x');
    const e1 = await callError(
      core,
      'materials.export',
      { id: mat.id, file: path.join(blocker, 'a.docx') },
      'IO_ERROR',
    );
    expect(isChinese(e1.message)).toBe(true);
    expect(e1.message).toContain('不是文件夹');
    expect(fs.readFileSync(blocker, 'utf8')).toBe('x');
    expect(leftovers(dir)).toEqual([]);

    // a target that is a folder: the temporary file is written, the rename fails, and it is removed
    const folder = path.join(dir, '导出.docx');
    fs.mkdirSync(folder);
    const e2 = await callError(core, 'materials.export', { id: mat.id, file: folder }, 'IO_ERROR');
    expect(e2.message).toContain('文件夹');
    expect(leftovers(dir)).toEqual([]);
    expect(fs.readdirSync(folder)).toEqual([]);

    // folders made for the target are removed again when the write fails (a name too long to create)
    const deep = path.join(dir, '新建', '子目录', `${'很长的文件名'.repeat(30)}.docx`);
    const e3 = await callError(core, 'materials.export', { id: mat.id, file: deep }, 'IO_ERROR');
    expect(e3.message).toContain('过长');
    expect(fs.existsSync(path.join(dir, '新建'))).toBe(false);
  });

  // root may write anywhere, so the folder test above skips there; the words for every refusal
  // the system can give are checked on their own
  it('names the reason of every write refusal in Chinese', () => {
    const target = path.join('/导出', '自评报告.docx');
    const reason = (code: string) =>
      writeFailure(target, Object.assign(new Error(`${code}: raw`), { code }) as NodeJS.ErrnoException);
    for (const code of ['EACCES', 'EPERM', 'EROFS']) {
      expect(reason(code)).toContain(
        process.platform === 'win32' && code === 'EPERM' ? '写入权限' : '没有写入文件夹「/导出」的权限',
      );
    }
    expect(reason('EBUSY')).toContain('正在 Excel/WPS 中打开');
    expect(reason('ENOSPC')).toContain('磁盘空间不足');
    expect(reason('ENOTDIR')).toContain('是文件而不是文件夹');
    expect(reason('EISDIR')).toContain('这是一个文件夹');
    expect(reason('ENAMETOOLONG')).toContain('过长');
    for (const code of ['EACCES', 'EBUSY', 'ENOSPC', 'ENOTDIR']) {
      expect(reason(code)).toContain('「自评报告.docx」');
      expect(reason(code)).not.toContain('raw');
    }
  });

  it.skipIf(process.getuid?.() === 0)(
    'a read-only folder gives IO_ERROR in Chinese and no .part file',
    async () => {
      const { core, mat, dir } = await materialWithContent();
      const ro = path.join(dir, '只读');
      fs.mkdirSync(ro);
      fs.chmodSync(ro, 0o555);
      try {
        const e = await callError(
          core,
          'materials.export',
          { id: mat.id, file: path.join(ro, 'a.docx') },
          'IO_ERROR',
        );
        expect(e.message).toContain('权限');
        expect(fs.readdirSync(ro)).toEqual([]);
      } finally {
        fs.chmodSync(ro, 0o755);
      }
    },
  );
});
