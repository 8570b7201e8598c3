/**
 * The docx writer, structurally: unzip the package and assert on document.xml, styles.xml,
 * settings.xml, fontTable.xml, footers, relationships and core properties against the GB/T 9704
 * preset (DOMAIN.md §6). Rendering with LibreOffice is in documents-render.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../main/core/documents/docx';
import * as m from '../../main/core/documents/model';
import { isAppError } from '../../main/core/util/errors';
import { CREATED, everyBlockModel } from '../fixtures/documents/models';
import {
  childrenNamed,
  find,
  findAll,
  readDocx,
  wText,
  type DocxPackage,
  type XmlNode,
} from '../helpers/docx';

const MM = 1440 / 25.4; // twips per mm
const EMU_PER_MM = 36000;

const attr = (n: XmlNode | undefined, name: string) => n?.attrs[name];
const pPr = (p: XmlNode) => childrenNamed(p, 'w:pPr')[0];
/** A paragraph property element, or undefined (also when the paragraph has no w:pPr). */
const prop = (p: XmlNode | undefined, name: string) => {
  const props = p && pPr(p);
  return props ? find(props, name) : undefined;
};
const pStyle = (p: XmlNode) => attr(prop(p, 'w:pStyle'), 'w:val');
const child = (n: XmlNode | undefined, name: string) => (n ? childrenNamed(n, name)[0] : undefined);

function styleById(styles: XmlNode, id: string): XmlNode {
  const s = findAll(styles, 'w:style').find((x) => x.attrs['w:styleId'] === id);
  if (!s) throw new Error(`no style ${id}`);
  return s;
}

function bodyOf(pkg: DocxPackage): XmlNode {
  const body = find(pkg.xml('word/document.xml'), 'w:body');
  if (!body) throw new Error('no w:body');
  return body;
}

/** Top-level paragraphs of the body with their style and text. */
function paragraphs(pkg: DocxPackage) {
  return childrenNamed(bodyOf(pkg), 'w:p').map((p) => ({ node: p, style: pStyle(p), text: wText(p) }));
}

function paragraphWithText(pkg: DocxPackage, text: string) {
  const p = paragraphs(pkg).find((x) => x.text === text);
  if (!p)
    throw new Error(
      `no paragraph "${text}"; have ${paragraphs(pkg)
        .map((x) => x.text)
        .join(' | ')}`,
    );
  return p.node;
}

async function render(model: m.DocModel) {
  return readDocx(await renderDocx(model));
}

function codeOf(e: unknown): string | undefined {
  return isAppError(e) ? e.code : undefined;
}

describe('docx: the every-block sample', () => {
  let pkg: DocxPackage;
  beforeAll(async () => {
    pkg = await render(everyBlockModel());
  });

  it('is A4 with margins 37/35/28/26 mm in every section', () => {
    const sects = findAll(bodyOf(pkg), 'w:sectPr');
    expect(sects).toHaveLength(3); // cover, table of contents, body
    for (const s of sects) {
      const size = child(s, 'w:pgSz');
      const mar = child(s, 'w:pgMar');
      expect(size?.attrs).toMatchObject({ 'w:w': '11906', 'w:h': '16838' });
      expect(mar?.attrs).toMatchObject({
        'w:top': '2098',
        'w:bottom': '1984',
        'w:left': '1587',
        'w:right': '1474',
        'w:footer': '1446',
      });
      // Within half a twip of the millimetres (twips are integers).
      expect(Math.abs(11906 / MM - 210)).toBeLessThan(0.05);
      expect(Math.abs(2098 / MM - 37)).toBeLessThan(0.05);
      // 版心 156 × 225 mm.
      expect(Math.abs((11906 - 1587 - 1474) / MM - 156)).toBeLessThan(0.05);
      expect(Math.abs((16838 - 2098 - 1984) / MM - 225)).toBeLessThan(0.05);
    }
  });

  it('has a 22 × 28 document grid in every section', () => {
    for (const s of findAll(bodyOf(pkg), 'w:sectPr')) {
      expect(child(s, 'w:docGrid')?.attrs).toEqual({
        'w:type': 'linesAndChars',
        'w:linePitch': '579',
        'w:charSpace': '-842',
      });
    }
    // 22 lines of 579 twips fit the 12756-twip text block, 23 do not; 28 characters of
    // 16 pt − 842/4096 pt fit the 8845-twip line, 29 do not.
    expect(22 * 579).toBeLessThanOrEqual(12756);
    expect(23 * 579).toBeGreaterThan(12756);
    const pitch = (16 - 842 / 4096) * 20;
    expect(28 * pitch).toBeLessThanOrEqual(8845);
    expect(29 * pitch).toBeGreaterThan(8845);
  });

  it('styles: body 仿宋_GB2312 3号 on the grid, title 方正小标宋简体 2号, headings 黑体/楷体/仿宋, digits Times New Roman', () => {
    const styles = pkg.xml('word/styles.xml');
    const fonts = (id: string) => find(styleById(styles, id), 'w:rFonts')?.attrs;
    const sz = (id: string) => attr(find(styleById(styles, id), 'w:sz'), 'w:val');

    const normal = styleById(styles, 'Normal');
    expect(normal.attrs['w:default']).toBe('1');
    expect(fonts('Normal')).toEqual({
      'w:ascii': 'Times New Roman',
      'w:hAnsi': 'Times New Roman',
      'w:eastAsia': '仿宋_GB2312',
      'w:cs': 'Times New Roman',
    });
    expect(sz('Normal')).toBe('32');
    expect(find(normal, 'w:spacing')?.attrs).toMatchObject({ 'w:line': '579', 'w:lineRule': 'exact' });
    expect(attr(find(normal, 'w:jc'), 'w:val')).toBe('both');
    expect(find(normal, 'w:snapToGrid')).toBeUndefined(); // snaps (the default)
    expect(attr(find(normal, 'w:widowControl'), 'w:val')).toBe('0');

    expect(fonts('Title')?.['w:eastAsia']).toBe('方正小标宋简体');
    expect(sz('Title')).toBe('44');
    expect(attr(find(styleById(styles, 'Title'), 'w:jc'), 'w:val')).toBe('center');

    const headingFonts = [1, 2, 3, 4].map((l) => fonts(`Heading${l}`)?.['w:eastAsia']);
    expect(headingFonts).toEqual(['黑体', '楷体_GB2312', '仿宋_GB2312', '仿宋_GB2312']);
    for (const l of [1, 2, 3, 4]) {
      const h = styleById(styles, `Heading${l}`);
      expect(attr(child(h, 'w:name'), 'w:val')).toBe(`heading ${l}`);
      expect(attr(find(h, 'w:outlineLvl'), 'w:val')).toBe(String(l - 1));
      expect(attr(find(h, 'w:b'), 'w:val')).toBe('0'); // not bold unless headingBold
      expect(sz(`Heading${l}`)).toBeUndefined(); // 3号 from Normal
      expect(fonts(`Heading${l}`)?.['w:ascii']).toBe('Times New Roman');
    }

    const defaults = find(styles, 'w:docDefaults');
    expect(find(defaults ?? styles, 'w:lang')?.attrs['w:eastAsia']).toBe('zh-CN');
    expect(fonts('Footer')?.['w:eastAsia']).toBe('宋体');
    expect(sz('Footer')).toBe('28');
    expect(sz('GBTableText')).toBe('28');
    expect(fonts('GBTableText')).toBeUndefined(); // 仿宋 from Normal
    expect(sz('GBTableTextSmall')).toBe('24');

    // Grid-snapped text is scaled to 98% so LibreOffice fits 28 characters per line (see gbt9704.ts);
    // lines set off the grid keep their true width.
    const scale = (id: string) => attr(find(styleById(styles, id), 'w:w'), 'w:val');
    const snaps = (id: string) => attr(find(styleById(styles, id), 'w:snapToGrid'), 'w:val') !== '0';
    expect(scale('Normal')).toBe('98');
    expect(snaps('Normal')).toBe(true);
    for (const l of [1, 2, 3, 4]) expect(snaps(`Heading${l}`)).toBe(true);
    for (const id of ['Title', 'GBTableText', 'Footer', 'Caption', 'GBSignature', 'GBByline', 'GBFigure']) {
      expect(snaps(id), id).toBe(false);
      if (id !== 'GBFigure') expect(scale(id), id).toBe('100');
    }
  });

  it('declares fallbacks for the GB fonts in the font table', () => {
    const fonts = findAll(pkg.xml('word/fontTable.xml'), 'w:font');
    const byName = new Map(fonts.map((f) => [f.attrs['w:name'], f]));
    const alt = (name: string) => attr(child(byName.get(name), 'w:altName'), 'w:val');
    expect(alt('仿宋_GB2312')).toBe('FangSong');
    expect(alt('楷体_GB2312')).toBe('KaiTi');
    expect(alt('黑体')).toBe('SimHei');
    expect(alt('宋体')).toBe('SimSun');
    expect(alt('方正小标宋简体')).toBe('SimSun');
    for (const name of ['仿宋_GB2312', '楷体_GB2312', '黑体', '宋体', '方正小标宋简体']) {
      expect(attr(child(byName.get(name), 'w:charset'), 'w:val')).toBe('86');
      expect(attr(child(byName.get(name), 'w:panose1'), 'w:val')).toMatch(/^[0-9A-F]{20}$/);
    }
    expect(byName.has('Times New Roman')).toBe(true);
  });

  it('numbers headings 一、/（一）/1./（1） and restarts them', () => {
    const headings = paragraphs(pkg)
      .filter((p) => p.style?.startsWith('Heading'))
      .map((p) => `${p.style}:${p.text}`);
    expect(headings).toEqual([
      'Heading1:一、总体情况',
      'Heading2:（一）工作进展',
      'Heading3:1.组织领导',
      'Heading4:（1）专班运行',
      'Heading4:（2）例会制度',
      'Heading3:2.制度建设已印发制度文件12件。',
      'Heading2:（二）存在问题',
      'Heading3:1.进度不均',
      'Heading1:二、下一步工作',
      'Heading2:（一）加强调度',
      'Heading1:附录',
      'Heading2:（一）附表说明',
    ]);
  });

  it('writes run-in heading text in the body font and lets that paragraph break from the next', () => {
    const p = paragraphWithText(pkg, '2.制度建设已印发制度文件12件。');
    const runs = findAll(p, 'w:r');
    const last = runs[runs.length - 1];
    expect(wText(last ?? p)).toBe('已印发制度文件12件。');
    expect(attr(find(last ?? p, 'w:rFonts'), 'w:eastAsia')).toBe('仿宋_GB2312');
    expect(attr(prop(p, 'w:keepNext'), 'w:val')).toMatch(/^(0|false)$/);
  });

  it('indents body paragraphs two characters and honours alignment', () => {
    const ind = prop(paragraphWithText(pkg, '正文第一段，含加粗、倾斜和下划线文字。'), 'w:ind');
    expect(ind?.attrs).toMatchObject({ 'w:firstLine': '628', 'w:firstLineChars': '200' });
    const centred = paragraphWithText(pkg, '居中段落');
    expect(attr(prop(centred, 'w:jc'), 'w:val')).toBe('center');
    expect(prop(centred, 'w:ind')).toBeUndefined();
    expect(prop(paragraphWithText(pkg, '顶格段落'), 'w:ind')).toBeUndefined();
    const formatted = paragraphWithText(pkg, '正文第一段，含加粗、倾斜和下划线文字。');
    const runs = findAll(formatted, 'w:r').map((r) => ({
      text: wText(r),
      b: Boolean(find(r, 'w:b')),
      i: Boolean(find(r, 'w:i')),
      u: attr(find(r, 'w:u'), 'w:val'),
    }));
    expect(runs.find((r) => r.text === '加粗')?.b).toBe(true);
    expect(runs.find((r) => r.text === '倾斜')?.i).toBe(true);
    expect(runs.find((r) => r.text === '下划线')?.u).toBe('single');
  });

  it('writes the title lines, the addressee flush left and the byline centred', () => {
    const title = paragraphs(pkg).find((p) => p.style === 'Title' && p.text.startsWith('琼海市'));
    expect(title?.text).toBe('琼海市社会信用体系建设\n全部块类型样例');
    const addressee = paragraphWithText(pkg, '各镇人民政府，市直各有关单位：');
    expect(prop(addressee, 'w:ind')).toBeUndefined();
    expect(attr(prop(addressee, 'w:jc'), 'w:val')).toBe('left');
    expect(paragraphs(pkg).find((p) => p.text === '（2027年3月31日）')?.style).toBe('GBByline');
  });

  it('writes lists with their markers and nesting', () => {
    const texts = paragraphs(pkg).map((p) => p.text);
    expect(texts).toEqual(
      expect.arrayContaining(['1.第一项', '2.第二项', '（1）子项一', '（2）子项二', '3.第三项', '● 要点甲']),
    );
    const nested = prop(paragraphWithText(pkg, '（1）子项一'), 'w:ind');
    expect(nested?.attrs).toMatchObject({ 'w:left': '628', 'w:firstLineChars': '200' });
  });

  it('writes the table full width with single black borders, repeated bold header rows and merges', () => {
    const body = bodyOf(pkg);
    const tbl = find(body, 'w:tbl');
    if (!tbl) throw new Error('no table');
    const tblPr = child(tbl, 'w:tblPr');
    expect(child(tblPr, 'w:tblW')?.attrs).toMatchObject({ 'w:w': '8845', 'w:type': 'dxa' });
    const borders = child(tblPr, 'w:tblBorders');
    for (const side of ['w:top', 'w:left', 'w:bottom', 'w:right', 'w:insideH', 'w:insideV']) {
      expect(child(borders, side)?.attrs).toMatchObject({
        'w:val': 'single',
        'w:sz': '4',
        'w:color': '000000',
      });
    }
    const cols = findAll(tbl, 'w:gridCol').map((c) => Number(c.attrs['w:w']));
    expect(cols).toEqual([1474, 4422, 1474, 1475]);
    expect(cols.reduce((a, b) => a + b, 0)).toBe(8845);

    const rows = childrenNamed(tbl, 'w:tr');
    expect(rows.map((r) => Boolean(find(r, 'w:tblHeader')))).toEqual([true, true, false, false, false]);
    expect(rows.every((r) => Boolean(find(r, 'w:cantSplit')))).toBe(true);

    const cells = (r: XmlNode) =>
      childrenNamed(r, 'w:tc').map((tc) => ({
        text: wText(tc),
        span: attr(find(tc, 'w:gridSpan'), 'w:val'),
        vMerge: find(tc, 'w:vMerge') ? (attr(find(tc, 'w:vMerge'), 'w:val') ?? 'continue') : undefined,
        vAlign: attr(find(tc, 'w:vAlign'), 'w:val'),
        bold: findAll(tc, 'w:r').every((run) => Boolean(find(run, 'w:b'))),
        style: pStyle(find(tc, 'w:p') ?? tc),
        jc: attr(find(tc, 'w:jc'), 'w:val'),
      }));
    const [r0, r1, r2, , r4] = rows.map(cells);
    expect(r0?.map((c) => [c.text, c.span, c.vMerge])).toEqual([
      ['序号', undefined, 'restart'],
      ['单位', undefined, 'restart'],
      ['任务', '2', undefined],
    ]);
    expect(r1?.map((c) => [c.text, c.vMerge, c.style])).toEqual([
      ['', 'continue', 'GBTableText'],
      ['', 'continue', 'GBTableText'],
      ['总数', undefined, 'GBTableText'],
      ['已办结', undefined, 'GBTableText'],
    ]);
    expect(r0?.every((c) => c.bold && c.jc === 'center')).toBe(true);
    expect(r2?.map((c) => [c.text, c.jc, c.bold])).toEqual([
      ['1', 'center', false],
      ['市发展和改革委员会', 'left', false],
      ['12', 'right', false],
      ['11', 'right', false],
    ]);
    expect(r4?.map((c) => [c.text, c.span, c.bold, c.jc])).toEqual([
      ['合计', '2', true, 'center'],
      ['22', undefined, false, 'right'],
      ['19', undefined, false, 'right'],
    ]);
    expect(rows.flatMap(cells).every((c) => c.vAlign === 'center')).toBe(true);

    // The caption is the paragraph right before the table, kept with it.
    const bodyChildren = body.children;
    const before = bodyChildren[bodyChildren.indexOf(tbl) - 1];
    expect(before && wText(before)).toBe('表1 各单位任务完成情况');
    expect(before && pStyle(before)).toBe('Caption');
    expect(before && find(before, 'w:keepNext')).toBeDefined();
  });

  it('writes a real TOC field over levels 1–2, prefilled with the headings, and updateFields', () => {
    const sdt = find(bodyOf(pkg), 'w:sdt');
    if (!sdt) throw new Error('no TOC content control');
    expect(attr(find(sdt, 'w:docPartGallery'), 'w:val')).toBe('Table of Contents');
    const instr = findAll(sdt, 'w:instrText').map((i) => i.text);
    expect(instr[0]).toMatch(/^\s*TOC\b.*\\o "1-2"/);
    expect(findAll(sdt, 'w:fldChar').map((f) => f.attrs['w:fldCharType'])[0]).toBe('begin');
    const entries = findAll(sdt, 'w:p')
      .filter((p) => /^TOC\d$/.test(pStyle(p) ?? ''))
      .map((p) => `${pStyle(p)}:${wText(p).replace(/\t.*$/, '')}`);
    expect(entries).toEqual([
      'TOC1:一、总体情况',
      'TOC2:（一）工作进展',
      'TOC2:（二）存在问题',
      'TOC1:二、下一步工作',
      'TOC2:（一）加强调度',
      'TOC1:附录',
      'TOC2:（一）附表说明',
    ]);
    const settings = pkg.xml('word/settings.xml');
    const update = find(settings, 'w:updateFields');
    expect(update).toBeDefined();
    expect(update?.attrs['w:val'] ?? 'true').toMatch(/^(1|true)$/);
    // The TOC title.
    expect(paragraphs(pkg).find((p) => p.text === '目　录')?.style).toBe('Title');
  });

  it('puts page numbers — n — in odd (right) and even (left) footers of the body only', () => {
    const settings = pkg.xml('word/settings.xml');
    expect(find(settings, 'w:evenAndOddHeaders')).toBeDefined();
    const [cover, front, body] = findAll(bodyOf(pkg), 'w:sectPr');
    expect(findAll(cover ?? settings, 'w:footerReference')).toHaveLength(0);
    expect(findAll(front ?? settings, 'w:footerReference')).toHaveLength(0);
    expect(attr(child(body, 'w:pgNumType'), 'w:start')).toBe('1');
    expect(attr(child(body, 'w:type'), 'w:val') ?? 'nextPage').toBe('nextPage');

    const rels = findAll(pkg.xml('word/_rels/document.xml.rels'), 'Relationship');
    const footerFor = (type: string) => {
      const ref = findAll(body ?? settings, 'w:footerReference').find((f) => f.attrs['w:type'] === type);
      const target = rels.find((r) => r.attrs.Id === ref?.attrs['r:id'])?.attrs.Target;
      if (!target) throw new Error(`no ${type} footer`);
      return pkg.xml(`word/${target}`);
    };
    const odd = find(footerFor('default'), 'w:p');
    const even = find(footerFor('even'), 'w:p');
    if (!odd || !even) throw new Error('footer without paragraph');
    for (const [p, jc, side] of [
      [odd, 'right', 'w:right'],
      [even, 'left', 'w:left'],
    ] as const) {
      expect(pStyle(p)).toBe('Footer');
      expect(attr(find(p, 'w:jc'), 'w:val')).toBe(jc);
      expect(attr(find(p, 'w:ind'), side)).toBe('280'); // one 4号 character
      expect(wText(p)).toBe('—  —');
      expect(findAll(p, 'w:instrText').map((i) => i.text.trim())).toEqual(['PAGE']);
      expect(findAll(p, 'w:t').map((t) => t.text)).toEqual(['— ', ' —']);
    }
  });

  it('inlines images scaled to the 156 mm text width, centred, with the caption below', () => {
    const rels = findAll(pkg.xml('word/_rels/document.xml.rels'), 'Relationship').filter((r) =>
      r.attrs.Type?.endsWith('/image'),
    );
    expect(rels).toHaveLength(2);
    for (const r of rels) expect(pkg.files[`word/${r.attrs.Target ?? ''}`]).toBeDefined();
    const ids = findAll(bodyOf(pkg), 'a:blip').map((b) => b.attrs['r:embed']);
    expect(ids.sort()).toEqual(rels.map((r) => r.attrs.Id).sort());

    const inlines = findAll(bodyOf(pkg), 'wp:inline');
    expect(inlines).toHaveLength(2);
    const [chart, jpeg] = inlines.map((i) => child(i, 'wp:extent')?.attrs);
    // 960 × 400 px is 254 mm wide at 96 dpi: scaled down to 156 mm, aspect kept.
    expect(Number(chart?.cx) / EMU_PER_MM).toBeCloseTo(156, 0);
    expect(Number(chart?.cy) / Number(chart?.cx)).toBeCloseTo(400 / 960, 3);
    expect(Number(jpeg?.cx) / EMU_PER_MM).toBeCloseTo(20, 0);

    const figure = paragraphs(pkg).findIndex((p) => p.style === 'GBFigure');
    const ps = paragraphs(pkg);
    expect(ps[figure + 1]?.style).toBe('Caption');
    expect(ps[figure + 1]?.text).toBe('图1 近八周任务办结率');
    const styles = pkg.xml('word/styles.xml');
    expect(attr(find(styleById(styles, 'GBFigure'), 'w:jc'), 'w:val')).toBe('center');
    expect(attr(find(styleById(styles, 'GBFigure'), 'w:spacing'), 'w:lineRule')).toBe('auto');
  });

  it('breaks the page before the next paragraph', () => {
    expect(prop(paragraphWithText(pkg, '分页后的段落'), 'w:pageBreakBefore')).toBeDefined();
  });

  it('writes 附件说明 with aligned numbers, no trailing punctuation, one blank line above', () => {
    const ps = paragraphs(pkg);
    const i = ps.findIndex((p) => p.text.startsWith('附件：'));
    expect(ps[i - 1]?.text).toBe('');
    expect(ps[i]?.text).toBe('附件：1.\t各单位任务完成情况统计表');
    expect(ps[i + 1]?.text).toBe('2.\t整改清单');
    const ind = (k: number) => prop(ps[k]?.node, 'w:ind')?.attrs;
    // Both names start 6 字 in; the first line starts 2 字 in, the second line's number 5 字 in.
    expect(ind(i)).toMatchObject({ 'w:left': String(6 * 314), 'w:hanging': String(4 * 314) });
    expect(ind(i + 1)).toMatchObject({ 'w:left': String(6 * 314), 'w:hanging': String(314) });
  });

  it('places the signature: the date 2027年3月31日 centred under a long organisation name 右空二字', () => {
    const sig = paragraphs(pkg).filter((p) => p.style === 'GBSignature');
    expect(sig.map((p) => p.text)).toEqual(['琼海市社会信用体系建设领导小组办公室', '2027年3月31日']);
    const styles = pkg.xml('word/styles.xml');
    expect(attr(find(styleById(styles, 'GBSignature'), 'w:jc'), 'w:val')).toBe('center');
    // Both lines are centred in the same box [left, right margin]: 18-字 name with 右空二字 → axis
    // 2 + 9 = 11 字 from the right, box from 28 − 22 = 6 字.
    const lefts = sig.map((p) => attr(prop(p.node, 'w:ind'), 'w:left'));
    expect(lefts).toEqual([
      String(8845 - Math.round(22 * (8845 / 28))),
      String(8845 - Math.round(22 * (8845 / 28))),
    ]);
    expect(sig.every((p) => attr(prop(p.node, 'w:ind'), 'w:right') === undefined)).toBe(true);
  });

  it('sets the core properties', () => {
    const core = pkg.text('docProps/core.xml');
    expect(core).toContain('<dc:title>全部块类型样例</dc:title>');
    expect(core).toContain('<dc:creator>测试</dc:creator>');
    expect(core).toMatch(/<dcterms:created[^>]*>2027-03-31T08:00:00Z<\/dcterms:created>/);
    expect(core).toContain('<cp:keywords>信用; 样例</cp:keywords>');
  });
});

describe('docx: options and edge cases', () => {
  it('makes headings bold only with headingBold', async () => {
    const pkg = await render(everyBlockModel({ headingBold: true }));
    const styles = pkg.xml('word/styles.xml');
    for (const l of [1, 2, 3, 4]) {
      const b = find(styleById(styles, `Heading${l}`), 'w:b');
      expect(b).toBeDefined();
      expect(b?.attrs['w:val']).toBeUndefined();
    }
  });

  it('leaves out footers and updateFields when not asked for', async () => {
    const pkg = await render(
      m.doc({ title: 't', created: CREATED }, [m.paragraph('正文')], { options: { showPageNumbers: false } }),
    );
    expect(findAll(bodyOf(pkg), 'w:footerReference')).toHaveLength(0);
    const settings = pkg.xml('word/settings.xml');
    expect(find(settings, 'w:evenAndOddHeaders')?.attrs['w:val'] ?? 'false').toBe('false');
    expect(find(settings, 'w:updateFields')).toBeUndefined();
  });

  it('centres organisation names over the date (右空四字), moving the axis left for a long name', async () => {
    const axis = async (orgs: string[]) => {
      const pkg = await render(m.doc({ title: 't', created: CREATED }, [m.signature(orgs, '2027-10-01')]));
      const sig = paragraphs(pkg).filter((p) => p.style === 'GBSignature');
      const left = new Set(sig.map((p) => Number(attr(prop(p.node, 'w:ind'), 'w:left'))));
      expect(left.size).toBe(1); // one box for all lines
      // Distance of the centring axis from the right margin, in 字.
      return { lines: sig.map((p) => p.text), axis: (8845 - [...left][0]!) / 2 / (8845 / 28) };
    };
    // The date is 6.5 字 wide (digits are half a 字): 右空四字 puts the axis 4 + 3.25 字 from the right.
    const short = await axis(['市信用办', '市发展和改革委员会']);
    expect(short.lines).toEqual(['市信用办', '市发展和改革委员会', '2027年10月1日']);
    expect(short.axis).toBeCloseTo(7.25, 2);
    // A 14-字 name would end 0.25 字 from the edge: it keeps 右空二字 (axis 2 + 7 字) and the date follows.
    expect((await axis(['市信用办', '琼海市社会信用体系建设办公室'])).axis).toBeCloseTo(9, 2);
  });

  it('leaves one blank line under the title, or under a byline right below it', async () => {
    const after = async (blocks: m.Block[]) => {
      const pkg = await render(m.doc({ title: 't', created: CREATED }, blocks));
      return paragraphs(pkg).map((p) => [p.text, attr(prop(p.node, 'w:spacing'), 'w:after')]);
    };
    expect(await after([m.title('标题'), m.addressee('各单位：')])).toEqual([
      ['标题', '579'],
      ['各单位：', undefined],
    ]);
    expect(await after([m.title('标题'), m.byline('（2027年第10周）'), m.paragraph('正文')])).toEqual([
      ['标题', '0'],
      ['（2027年第10周）', '579'],
      ['正文', undefined],
    ]);
  });

  it('uses 小四 table text on request and a single attachment without number', async () => {
    const pkg = await render(
      m.doc({ title: 't', created: CREATED }, [
        m.table([1], [['表头'], ['内容']], { fontSize: 'xiaosi', repeatHeader: false }),
        m.attachmentNote(['整改清单；']),
      ]),
    );
    const tbl = find(bodyOf(pkg), 'w:tbl');
    expect(findAll(tbl ?? bodyOf(pkg), 'w:pStyle').map((s) => s.attrs['w:val'])).toEqual([
      'GBTableTextSmall',
      'GBTableTextSmall',
    ]);
    expect(find(tbl ?? bodyOf(pkg), 'w:tblHeader')).toBeUndefined();
    expect(paragraphs(pkg).map((p) => p.text)).toContain('附件：整改清单');
  });

  it('is reproducible byte for byte', async () => {
    const a = await renderDocx(everyBlockModel());
    const b = await renderDocx(everyBlockModel());
    expect(Buffer.compare(a, b)).toBe(0);
  });

  it('refuses tables whose rows do not fill the columns, naming the row', async () => {
    const bad = (rows: m.CellInput[][]) =>
      renderDocx(m.doc({ title: 't' }, [m.table([1, 1, 1], rows, { caption: '表2 测试' })])).then(
        () => undefined,
        (e: unknown) => e,
      );
    const short = await bad([
      ['a', 'b', 'c'],
      ['a', 'b'],
    ]);
    expect(codeOf(short)).toBe('BAD_INPUT');
    expect(String(short)).toContain('表格“表2 测试”第2行只有 2 列，应为 3 列');
    const overlap = await bad([
      [m.cell('a', { rowSpan: 2 }), 'b', 'c'],
      ['x', 'y', 'z'],
    ]);
    expect(String(overlap)).toContain('第2行的单元格超出了 3 列');
    const dangling = await bad([
      ['a', 'b', m.cell('c', { rowSpan: 3 })],
      ['x', 'y'],
    ]);
    expect(codeOf(dangling)).toBe('BAD_INPUT');
    const wide = await bad([['a', m.cell('b', { colSpan: 3 })]]);
    expect(String(wide)).toContain('超出了 3 列');
  });

  it('refuses an image that is not what its type says', async () => {
    const e = await renderDocx(
      m.doc({ title: 't' }, [m.image(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'image/png')]),
    ).catch((x: unknown) => x);
    expect(codeOf(e)).toBe('BAD_INPUT');
    expect(String(e)).toContain('PNG');
  });
});
