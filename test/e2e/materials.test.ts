/**
 * 材料文档 in the real renderer (Debian Chromium over the web host): a writer creates a material
 * from a template, writes headings, a paragraph and a table (numbered 一、/（一） by the page's
 * CSS), reloads and finds everything (docs.load), saves a version, changes the text, restores
 * the version (the text comes back, the previous content is kept as a version), exports Word,
 * pastes Word's HTML (clean), inserts a picture, takes the material through 提交审核 → 定稿
 * (read-only) → 重新编辑, and finds it by full-text search in the library.
 */
import fs from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PmNodeJson } from '../../main/core/contract/materials';
import { plainText } from '../../main/core/docs/pm';
import { startHost, type Host } from '../../main/host/server';
import { call, tempDir } from '../helpers/core';
import { docxToPdf, pdfPagePng, pdfText } from '../helpers/docx';
import { ARTIFACTS, closeSessionAfterAll, drawPng, openWorkspaceSession, RENDERER_DIR } from './browser';

let browser: Browser;
let host: Host;
let page: Page;
let materialId = '';
const dataDir = tempDir('cwb-e2e-materials-');
const TITLE = '琼海市2027年社会信用体系建设工作要点（征求意见稿）';
const BODY = '为深入推进社会信用体系建设，制定本工作要点。';
const pageErrors: string[] = [];

function poll<T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: 10_000, ...opts });
}

const editor = () => page.getByTestId('material-editor');

async function shot(name: string): Promise<void> {
  await page.mouse.move(5, 890);
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Waits until every change has reached the core (the header says 已保存). */
async function savedState(): Promise<void> {
  await poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved');
}

/** The document as the core stores it. */
async function coreDoc(): Promise<PmNodeJson> {
  return (await call(host.core, 'docs.json', { docId: materialId })).json;
}

/**
 * The headings of the editor as the page renders them, numbers included: the numbers are CSS
 * counters in ::before, which no DOM API returns, so they are read from Chromium's layout tree.
 */
async function renderedHeadings(): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const snap = (await cdp.send('DOMSnapshot.captureSnapshot', { computedStyles: [] })) as unknown as {
      strings: string[];
      documents: {
        nodes: { parentIndex: number[]; nodeName: number[]; attributes: number[][] };
        layout: { nodeIndex: number[]; text: number[] };
      }[];
    };
    const s = snap.strings;
    const d = snap.documents[0];
    if (!d) return [];
    const { parentIndex, nodeName, attributes } = d.nodes;
    const text = new Map<number, string>();
    d.layout.nodeIndex.forEach((ni, li) => {
      const t = d.layout.text[li] ?? -1;
      if (t >= 0) text.set(ni, (text.get(ni) ?? '') + (s[t] ?? ''));
    });
    const attr = (i: number, name: string) => {
      const a = attributes[i] ?? [];
      for (let k = 0; k < a.length; k += 2) if (s[a[k] ?? -1] === name) return s[a[k + 1] ?? -1] ?? '';
      return '';
    };
    const ancestors = (i: number) => {
      const out: number[] = [];
      for (let p = parentIndex[i] ?? -1; p >= 0; p = parentIndex[p] ?? -1) out.push(p);
      return out;
    };
    const headings: { index: number; text: string }[] = [];
    for (let i = 0; i < nodeName.length; i++) {
      if (!/^H[1-4]$/.test(s[nodeName[i] ?? -1] ?? '')) continue;
      if (!ancestors(i).some((a) => attr(a, 'class').split(' ').includes('ProseMirror'))) continue;
      headings.push({ index: i, text: '' });
    }
    for (let i = 0; i < nodeName.length; i++) {
      const t = text.get(i);
      if (!t) continue;
      const up = ancestors(i);
      for (const h of headings) if (up.includes(h.index)) h.text += t;
    }
    return headings.map((h) => h.text);
  } finally {
    await cdp.detach();
  }
}

/** What Word (Chinese) puts on the clipboard: conditional comments, mso styles, o:p, a table. */
const WORD_HTML = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">
<head><meta name=ProgId content=Word.Document><style><!--
p.MsoNormal {mso-style-parent:""; font-family:等线;}
p.a {mso-style-name:"标题 2"; font-family:楷体_GB2312;}
--></style></head>
<body lang=ZH-CN><!--StartFragment-->
<h1 style='mso-outline-level:1'><span style='font-family:黑体;color:#C00000'>三、保障措施<o:p></o:p></span></h1>
<p class=a><span style='font-family:楷体_GB2312'>（一）加强组织领导<o:p></o:p></span></p>
<p class=MsoNormal style='text-indent:32.0pt;mso-char-indent-count:2.0'><span style='font-size:16.0pt;font-family:仿宋_GB2312;mso-bidi-font-family:"Times New Roman"'>\u3000\u3000各单位要<b>高度重视</b>，明确专人负责。<span lang=EN-US><o:p></o:p></span></span></p>
<table class=MsoTableGrid border=1 cellspacing=0 cellpadding=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>
 <tr style='mso-yfti-irow:0'><td width=200 style='width:150pt;border:solid windowtext 1.0pt'><p class=MsoNormal><span style='font-family:黑体'>粘贴的表格<o:p></o:p></span></p></td>
 <td width=200 style='width:150pt;border:solid windowtext 1.0pt'><p class=MsoNormal><span>责任单位<o:p></o:p></span></p></td></tr>
 <tr style='mso-yfti-irow:1;mso-yfti-lastrow:yes'><td colspan=2 style='border:solid windowtext 1.0pt'><p class=MsoNormal><span>市发展改革委<o:p></o:p></span></p></td></tr>
</table>
<!--EndFragment--></body></html>`;

describe('materials: write, version, export and paste in the editor', () => {
  beforeAll(async () => {
    ({ browser, host, page } = await openWorkspaceSession(dataDir, pageErrors));
  });

  closeSessionAfterAll(() => ({ browser, host, page }), 'material');

  it('creates a material from a template and opens it in the editor', async () => {
    await page.goto(host.openUrl);
    await poll(() => page.getByTestId('workspace-name').textContent(), { timeout: 20_000 }).toContain(
      '琼海市',
    );
    await page.getByRole('menuitem', { name: '材料文档' }).click();
    await poll(() => page.locator('.page-header h2').textContent()).toBe('材料文档');

    const templates = await call(host.core, 'materials.templates', {});
    const workPoints = templates.find((t) => t.builtin && t.type === 'work_points');
    await page.getByTestId('new-material').click();
    const form = page.getByTestId('new-material-form');
    await form.getByLabel('标题').fill(TITLE);
    if (workPoints) {
      // a bundled template (being written alongside this page); otherwise a blank document
      await page.getByTestId('new-material-template').click();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: workPoints.name })
        .first()
        .click();
      await poll(() => form.textContent()).toContain(workPoints.description ?? workPoints.name);
    }
    await shot('material-new');
    await page.getByRole('button', { name: '创建并打开' }).click();
    await poll(() => page.getByTestId('material-title').textContent()).toBe(TITLE);
    materialId = new URLSearchParams(page.url().split('?')[1] ?? '').get('id') ?? '';
    expect(materialId).not.toBe('');
    await poll(() => editor().count()).toBe(1);
    // the title is printed on the page as in the exported document (not part of the text)
    expect(await page.getByTestId('paper-title').textContent()).toBe(TITLE);
    // a click on the printed title edits it in the header
    await page.getByTestId('paper-title').click();
    // while editing, antd renders a text area in place of the heading
    const titleInput = page.locator('.mat-header-title textarea');
    await titleInput.fill(`${TITLE}（改）`);
    await titleInput.press('Enter');
    await poll(() => page.getByTestId('paper-title').textContent()).toBe(`${TITLE}（改）`);
    await page.getByTestId('paper-title').click();
    await titleInput.fill(TITLE);
    await titleInput.press('Enter');
    await poll(() => page.getByTestId('paper-title').textContent()).toBe(TITLE);
    const m = await call(host.core, 'materials.get', { id: materialId });
    expect(m.type).toBe('work_points');
    expect(m.status).toBe('draft');
    if (workPoints) {
      expect(m.templateId).toBe(workPoints.id);
      // the template's content, with the city filled in
      await poll(async () => (await editor().textContent())?.length ?? 0).toBeGreaterThan(100);
      expect(await editor().textContent()).not.toContain('{{城市}}');
      await shot('material-template');
    }
  });

  it('writes headings, a paragraph and a table; headings are numbered 一、/（一）', async () => {
    // start from an empty page
    await editor().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await poll(() => editor().locator('h1, h2, table').count()).toBe(0);

    await page.getByTestId('block-style').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '标题1' })
      .click();
    await page.keyboard.type('总体要求');
    await page.keyboard.press('Enter');
    await page.keyboard.type(BODY);
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Alt+2');
    await page.keyboard.type('工作目标');
    await page.keyboard.press('Enter');

    await page.getByTestId('tb-table').click();
    await page.getByRole('menuitem', { name: /插入表格/ }).click();
    await poll(() => editor().locator('table').count()).toBe(1);
    for (const [i, t] of [
      '指标',
      '牵头单位',
      '完成时限',
      '双公示',
      '市发展改革委',
      '2027年6月底前',
    ].entries()) {
      if (i > 0) await page.keyboard.press('Tab');
      await page.keyboard.type(t);
    }

    await poll(() => editor().locator('h1').textContent()).toBe('总体要求');
    await poll(() => editor().locator('h2').textContent()).toBe('工作目标');
    await poll(() => editor().locator('p').first().textContent()).toBe(BODY);
    expect(await editor().locator('table tr').count()).toBe(3);
    expect(await editor().locator('table th').count()).toBe(3);
    expect(await editor().locator('table td').first().textContent()).toBe('双公示');

    // the numbers are drawn by CSS, not typed into the text
    expect(await renderedHeadings()).toEqual(['一、总体要求', '（一）工作目标']);
    const before = await editor()
      .locator('h1')
      .evaluate((el) => getComputedStyle(el, '::before').content);
    expect(before).toContain('simp-chinese-informal');
    // the page: A4 width, 3号 body with a 2-character first-line indent
    const look = await editor()
      .locator('p')
      .first()
      .evaluate((el) => {
        const cs = getComputedStyle(el);
        return { size: cs.fontSize, indent: cs.textIndent, width: el.getBoundingClientRect().width };
      });
    expect(parseFloat(look.size)).toBeCloseTo(21.33, 1);
    expect(parseFloat(look.indent)).toBeCloseTo(42.67, 0);
    expect(look.width).toBeGreaterThan(585);
    expect(look.width).toBeLessThan(595);
    await poll(() => page.getByTestId('char-count').textContent()).toMatch(/字数 \d+/);

    await savedState();
    const doc = await coreDoc();
    const types = (doc.content ?? []).map((n) => `${n.type}${n.attrs?.level ?? ''}`);
    expect(types.slice(0, 4)).toEqual(['heading1', 'paragraph', 'heading2', 'table']);
    expect(plainText(doc)).not.toContain('一、');
    await page.locator('.ProseMirror h1').click();
    await shot('material-editor');
  });

  it('keeps everything after a reload (the document comes back from docs.load)', async () => {
    await page.reload();
    await poll(() => editor().locator('h1').textContent(), { timeout: 20_000 }).toBe('总体要求');
    expect(await editor().locator('h2').textContent()).toBe('工作目标');
    expect(await editor().locator('p').first().textContent()).toBe(BODY);
    expect(await editor().locator('table td').allTextContents()).toEqual([
      '双公示',
      '市发展改革委',
      '2027年6月底前',
      '',
      '',
      '',
    ]);
    expect(await renderedHeadings()).toEqual(['一、总体要求', '（一）工作目标']);
    await poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved');
  });

  it('saves a version, changes the text, restores the version', async () => {
    await page.getByTestId('save-version').click();
    await page.getByTestId('name-input').fill('初稿');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    const rows = page.getByTestId('version-row');
    await poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('初稿');

    // change the paragraph
    await editor().locator('p').filter({ hasText: BODY }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('（已按领导意见修改）');
    await poll(() => editor().locator('p').first().textContent()).toBe(`${BODY}（已按领导意见修改）`);
    await savedState();
    expect(plainText(await coreDoc())).toContain('已按领导意见修改');

    // restore 初稿: the old text is back, the changed content is kept as a version of its own
    await rows.filter({ hasText: '初稿' }).getByTestId('version-restore').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '恢复' }).click();
    await poll(() => editor().locator('p').first().textContent()).toBe(BODY);
    await poll(() => rows.count()).toBe(2);
    expect(await rows.allTextContents()).toEqual(
      expect.arrayContaining([
        expect.stringContaining('恢复「初稿」之前的内容'),
        expect.stringContaining('初稿'),
      ]),
    );
    await savedState();
    expect(plainText(await coreDoc())).not.toContain('已按领导意见修改');
    expect(await renderedHeadings()).toEqual(['一、总体要求', '（一）工作目标']);

    // the backup version shows the changed text in a read-only preview
    await rows.filter({ hasText: '之前的内容' }).getByRole('button', { name: '查看' }).click();
    const preview = page.getByTestId('version-preview');
    await poll(() => preview.textContent()).toContain('已按领导意见修改');
    expect(await preview.getAttribute('contenteditable')).toBe('false');
    await shot('material-version-preview');
    await page.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();
    await poll(() => preview.count()).toBe(0);

    await shot('material-versions');
  });

  it('exports the material to Word', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-word').click(),
    ]);
    const file = await download.path();
    const bytes = fs.readFileSync(file);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const parts = unzipSync(new Uint8Array(bytes));
    const xml = strFromU8(parts['word/document.xml'] ?? new Uint8Array());
    expect(xml).toContain('总体要求');
    expect(xml).toContain('工作目标');
    expect(xml).toContain('市发展改革委');
    expect(download.suggestedFilename()).toMatch(/\.docx$/);
    // and it opens: LibreOffice lays it out like Word would, with the title and the headings
    const pdf = await docxToPdf(bytes);
    const text = (await pdfText(pdf)).replace(/\s+/g, '');
    expect(text).toContain('总体要求');
    expect(text).toContain('市发展改革委');
    fs.writeFileSync(path.join(ARTIFACTS, 'material-export-page1.png'), await pdfPagePng(pdf, 1));
  });

  it('pastes from Word: keeps the heading and the table, drops the junk', async () => {
    // a click on the sheet below the table: a new paragraph at the end
    await page.getByTestId('editor-canvas').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    const paper = await page.locator('.cwb-paper').boundingBox();
    if (!paper) throw new Error('no page');
    await page.mouse.click(paper.x + 300, paper.y + paper.height - 40);
    await poll(() => editor().evaluate((el) => el.lastElementChild?.tagName)).toBe('P');
    await page.evaluate((html) => {
      const target = document.querySelector('.ProseMirror');
      const data = new DataTransfer();
      data.setData('text/html', html);
      data.setData('text/plain', '三、保障措施');
      target?.dispatchEvent(
        new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }),
      );
    }, WORD_HTML);
    await poll(() => editor().locator('h1').count()).toBe(2);
    expect(await editor().locator('h1').nth(1).textContent()).toBe('保障措施');
    expect(await editor().locator('h2').nth(1).textContent()).toBe('加强组织领导');
    await poll(() => editor().locator('table').count()).toBe(2);
    expect(await editor().locator('table').nth(1).locator('td').allTextContents()).toEqual([
      '粘贴的表格',
      '责任单位',
      '市发展改革委',
    ]);
    expect(await editor().locator('table').nth(1).locator('td[colspan="2"]').count()).toBe(1);
    const para = editor().locator('p').filter({ hasText: '明确专人负责' });
    expect(await para.textContent()).toBe('各单位要高度重视，明确专人负责。');
    expect(await para.locator('strong').textContent()).toBe('高度重视');
    const html = await editor().innerHTML();
    expect(html).not.toMatch(/mso-|font-family|MsoNormal|<o:p|<span|color:|lang=/i);
    expect(await renderedHeadings()).toEqual([
      '一、总体要求',
      '（一）工作目标',
      '二、保障措施',
      '（一）加强组织领导',
    ]);

    await savedState();
    const doc = await coreDoc();
    const top = (doc.content ?? []).map((n) => `${n.type}${n.attrs?.level ?? ''}`);
    expect(top).toEqual(expect.arrayContaining(['heading1', 'heading2', 'table']));
    expect(JSON.stringify(doc)).not.toMatch(/mso|仿宋_GB2312|font/);
    await editor().locator('h1').nth(1).scrollIntoViewIfNeeded();
    await shot('material-paste');
  });

  it('inserts a picture (stored as a blob) and refuses what is not one', async () => {
    await editor().locator('p').filter({ hasText: '明确专人负责' }).click();
    await page.keyboard.press('End');
    // the picture goes where the editor's selection is; the editor learns of a caret moved by the
    // browser (End) a moment later, but of typed text at once: type and take back one character
    await page.keyboard.type('。');
    await page.keyboard.press('Backspace');
    await page.getByTestId('image-input').setInputFiles({
      name: '公示截图.png',
      mimeType: 'image/png',
      buffer: await drawPng(page, 180),
    });
    const img = editor().locator('.cwb-image img');
    await poll(() => img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await savedState();
    const images = JSON.stringify(await coreDoc()).match(/"src":"cwb-blob:[0-9a-f]{64}"/g) ?? [];
    expect(images).toHaveLength(1);
    expect(JSON.stringify(await coreDoc())).toContain('"width":320');

    await page.getByTestId('image-input').setInputFiles({
      name: '说明.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('不是图片'),
    });
    await poll(() => page.locator('.ant-message').textContent()).toContain('不是图片');
    expect(await img.count()).toBe(1);
  });

  it('inserts a page break with Ctrl+Enter; Shift+Enter stays a line break', async () => {
    await editor().locator('p').filter({ hasText: '明确专人负责' }).click();
    await page.keyboard.press('End');
    await page.keyboard.press('Control+Enter');
    await poll(() => editor().locator('.cwb-page-break').count()).toBe(1);
    await page.keyboard.type('新的一页');
    await page.keyboard.press('Shift+Enter');
    await page.keyboard.type('第二行');
    await poll(() => editor().locator('p').filter({ hasText: '新的一页' }).locator('br').count()).toBe(1);
    await savedState();
    const json = JSON.stringify(await coreDoc());
    expect(json).toContain('"type":"pageBreak"');
    expect(json).toContain('"type":"hardBreak"');
    // and gone again (the later steps count blocks)
    // undo steps group what was typed within half a second: undo only as far as the break
    for (let i = 0; i < 4; i++) {
      const typed = (await editor().textContent())?.includes('新的一页');
      if (!typed && (await editor().locator('.cwb-page-break').count()) === 0) break;
      await page.keyboard.press('Control+Z');
      await page.waitForTimeout(150);
    }
    await poll(() => editor().locator('.cwb-page-break').count()).toBe(0);
    expect(await editor().textContent()).not.toContain('新的一页');
    expect(await editor().textContent()).toContain('明确专人负责');
  });

  it('goes 提交审核 → 定稿 (read-only) → 重新编辑', async () => {
    await page.getByTestId('material-action-submit').click();
    await poll(() => page.getByTestId('material-status').textContent()).toBe('待审');
    await page.getByTestId('material-action-approve').click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '审定（定稿）' }).click();
    await poll(() => page.getByTestId('material-status').textContent()).toBe('定稿');
    await poll(() => editor().getAttribute('contenteditable')).toBe('false');
    expect(await page.getByTestId('tb-bold').isDisabled()).toBe(true);
    await shot('material-final');
    await page.getByTestId('material-action-reopen').click();
    await poll(() => page.getByTestId('material-status').textContent()).toBe('草稿');
    await poll(() => editor().getAttribute('contenteditable')).toBe('true');
  });

  it('saves the material as a template of the team', async () => {
    await page.getByTestId('material-more').click();
    await page.getByRole('menuitem', { name: '另存为模板' }).click();
    await page.getByTestId('name-input').fill('工作要点（本市格式）');
    await page.getByRole('button', { name: '保存', exact: true }).click();
    await poll(async () =>
      (await call(host.core, 'materials.templates', {})).some(
        (t) => !t.builtin && t.name === '工作要点（本市格式）',
      ),
    ).toBe(true);
  });

  it('finds the material by a two-character word of its text, with the hit marked', async () => {
    await page.getByTestId('back-to-library').click();
    await poll(() => page.locator('.page-header h2').textContent()).toBe('材料文档');
    await page.getByTestId('material-search').fill('专人');
    const row = page.locator('[data-testid="material-table"] .ant-table-row').filter({ hasText: TITLE });
    await poll(() => row.count()).toBe(1);
    await poll(() => row.getByTestId('material-excerpt').locator('mark').first().textContent()).toBe('专人');
    await shot('material-library');
    await page.getByTestId('material-search').fill('没有这个词语');
    await poll(() => row.count()).toBe(0);
  });

  it('opens a document with a damaged stored change and says what it skipped', async () => {
    const ws = host.core.workspace;
    if (!ws) throw new Error('no workspace');
    ws.db
      .prepare('INSERT INTO doc_updates (doc_id, data, at, actor_id) VALUES (?, ?, ?, ?)')
      .run(materialId, Buffer.from('not a yjs update at all'), new Date().toISOString(), null);
    await page.evaluate((id) => {
      location.hash = `#/materials?id=${id}`;
    }, materialId);
    await poll(() => page.getByTestId('doc-problems').textContent(), { timeout: 20_000 }).toContain(
      '已跳过损坏的修改记录',
    );
    expect(await editor().locator('h1').first().textContent()).toBe('总体要求');
    expect(await renderedHeadings()).toEqual([
      '一、总体要求',
      '（一）工作目标',
      '二、保障措施',
      '（一）加强组织领导',
    ]);
    await shot('material-problems');
  });

  it('keeps what is typed while the core is unreachable and saves it when the core is back', async () => {
    const { port, token } = host;
    await host.close();
    await editor().locator('p').filter({ hasText: '明确专人负责' }).click();
    await page.keyboard.press('End');
    await page.keyboard.type('（离线时写的）');
    await poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('error');
    expect(await page.getByTestId('save-state').textContent()).toContain('保存失败（重试）');
    await shot('material-offline');
    host = await startHost({ dataDir, rendererDir: RENDERER_DIR, port, token });
    await page.getByTestId('save-state').click(); // 重试 at once instead of waiting for the next attempt
    await poll(() => page.getByTestId('save-state').getAttribute('data-state'), { timeout: 40_000 }).toBe(
      'saved',
    );
    expect(plainText(await coreDoc())).toContain('明确专人负责。（离线时写的）');
    expect(pageErrors).toEqual([]);
  });
  it('报告输出: self-assesses an indicator, generates the 自评报告 and the 评审材料汇编 with the material', async () => {
    const indicators = await call(host.core, 'indicators.list', {});
    const first = indicators.find((i) => i.code === '基础-01');
    if (!first) throw new Error('no indicator 基础-01');
    await call(host.core, 'materials.update', { id: materialId, patch: { indicatorIds: [first.id] } });

    await page.getByRole('menuitem', { name: '报告输出' }).click();
    await poll(() => page.locator('.page-header h2').textContent()).toBe('报告输出');
    await poll(() => page.getByTestId('self-summary').textContent()).toContain('基础指标已达标0 / 12');
    const row = page.locator('[data-testid="indicator-table"] .ant-table-row').filter({ hasText: '基础-01' });
    await row.getByTestId('indicator-open').click();
    const drawer = page.getByTestId('assessment-drawer');
    await poll(() => drawer.textContent()).toContain('评价标准');
    expect(await drawer.textContent()).toContain(TITLE); // the linked material
    await drawer.getByText('已达标', { exact: true }).click();
    const NARRATIVE = '我市出台的信用制度文件均经合法性审查，失信惩戒措施均有法律法规依据。';
    await page.getByTestId('assessment-narrative').fill(`${NARRATIVE}\n第二段：清理不当惩戒措施三项。`);
    await shot('reports-assessment');
    await page.getByTestId('assessment-save').click();
    await poll(
      async () => (await call(host.core, 'indicators.list', {})).find((i) => i.id === first.id)?.status,
    ).toBe('met');
    await page.locator('.ant-drawer-close').click();
    await poll(() => page.getByTestId('self-summary').textContent()).toContain('基础指标已达标1 / 12');
    await poll(() => row.getByTestId('indicator-status').textContent()).toBe('已达标');
    await shot('reports-page');

    const [self] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-self-assessment').click(),
    ]);
    const selfXml = strFromU8(
      unzipSync(new Uint8Array(fs.readFileSync(await self.path())))['word/document.xml'] ?? new Uint8Array(),
    );
    expect(selfXml).toContain(NARRATIVE);
    expect(selfXml).toContain('第二段：清理不当惩戒措施三项。');
    expect(self.suggestedFilename()).toMatch(/^自评报告-.*\.docx$/);

    await page.getByTestId('compile-indicators').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '基础-01' })
      .click();
    await page.keyboard.press('Escape');
    await poll(() => page.getByTestId('card-compile').textContent()).toContain(
      '已选 1 项指标，关联材料 1 份',
    );
    const [compiled] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-compiled').click(),
    ]);
    const compiledXml = strFromU8(
      unzipSync(new Uint8Array(fs.readFileSync(await compiled.path())))['word/document.xml'] ??
        new Uint8Array(),
    );
    expect(compiledXml).toContain(TITLE);
    expect(compiledXml).toContain('明确专人负责');
    expect(compiledXml).toContain('基础-01');
    expect(compiledXml).not.toContain('基础-02');
    expect(pageErrors).toEqual([]);
  });
});
