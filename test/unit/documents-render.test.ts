/**
 * The GB/T 9704 preset as LibreOffice lays it out: docx → PDF (soffice) → text and word boxes
 * (poppler). Measures 22 lines per page and 28 characters per line, the page-number footers, the
 * cover, and the TOC once LibreOffice updates it. Needs soffice (libreoffice-writer-nogui),
 * pdftotext/pdftoppm (poppler-utils) and fonts-noto-cjk; fails with a clear message without them.
 *
 * Also renders a 每周工作调度报告 sample to test-results/documents/ for a person to look at.
 */
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderDocx } from '../../main/core/documents/docx';
import { layoutModel, longTableModel, pagedModel, weeklyReportModel } from '../fixtures/documents/models';
import { REPO_ROOT } from '../helpers/core';
import {
  PT_PER_MM,
  docxToPdf,
  pdfImages,
  pdfPageCount,
  pdfPagePng,
  pdfPages,
  pdfWords,
  type PdfWord,
} from '../helpers/docx';

// Page geometry in PDF points (from the top left), from the preset's millimetres.
const LEFT = 28 * PT_PER_MM;
const RIGHT = (210 - 26) * PT_PER_MM;
const TOP = 37 * PT_PER_MM;
const BOTTOM = (37 + 225) * PT_PER_MM; // bottom edge of the 版心
const ONE_4HAO = 14; // one 4号 character, the page number's space from the edge
const LINE_PT = 579 / 20; // grid line pitch: 28.95 pt

const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/gu;
const cjkCount = (s: string) => s.match(CJK)?.length ?? 0;
const PAGE_NUMBER = /^\s*—\s*(\d+)\s*—\s*$/;
const squash = (s: string) => s.replace(/\s+/g, '');

/** Words grouped into lines (same page, same top), left to right. */
function lines(words: PdfWord[], page: number) {
  const byTop = new Map<number, PdfWord[]>();
  for (const w of words.filter((x) => x.page === page)) {
    const key = Math.round(w.yMin * 10) / 10;
    byTop.set(key, [...(byTop.get(key) ?? []), w]);
  }
  return [...byTop.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([yMin, ws]) => {
      ws.sort((a, b) => a.xMin - b.xMin);
      return {
        yMin,
        yMax: Math.max(...ws.map((w) => w.yMax)),
        xMin: Math.min(...ws.map((w) => w.xMin)),
        xMax: Math.max(...ws.map((w) => w.xMax)),
        text: ws.map((w) => w.text).join(''),
      };
    });
}

const bodyLines = (page: string) => page.split('\n').filter((l) => l.trim() !== '' && !PAGE_NUMBER.test(l));

describe('GB/T 9704 layout in LibreOffice: 22 lines × 28 characters', () => {
  let pages: string[];
  let words: PdfWord[];
  beforeAll(async () => {
    const pdf = await docxToPdf(await renderDocx(layoutModel(60)));
    pages = await pdfPages(pdf);
    words = await pdfWords(pdf);
  }, 120_000);

  it('sets exactly 22 lines on every full page, 28.95 pt apart, inside the 版心', () => {
    expect(pages.length).toBeGreaterThanOrEqual(8);
    const full = pages.slice(1, -1); // the first page has the title, the last is partly filled
    for (const [i, page] of full.entries()) {
      expect(bodyLines(page), `page ${i + 2}`).toHaveLength(22);
      const ls = lines(words, i + 2).filter((l) => !PAGE_NUMBER.test(l.text));
      expect(ls).toHaveLength(22);
      for (let k = 1; k < ls.length; k++) {
        expect(Math.abs((ls[k]?.yMin ?? 0) - (ls[k - 1]?.yMin ?? 0) - LINE_PT)).toBeLessThan(0.2);
      }
      expect(ls[0]?.yMin ?? 0).toBeGreaterThanOrEqual(TOP - 0.5);
      expect(ls[ls.length - 1]?.yMax ?? 0).toBeLessThanOrEqual(BOTTOM + 0.5);
    }
    // The title and its blank line take two of the first page's 22 lines.
    expect(squash(pages[0] ?? '')).toContain('版面测试');
    expect(bodyLines(pages[0] ?? '')).toHaveLength(21);
  });

  it('sets 28 characters on every full line, filling the 156 mm line', () => {
    const all = pages.flatMap((p) => bodyLines(p)).filter((l) => squash(l) !== '版面测试');
    const counts = all.map(cjkCount);
    // Paragraphs are 26 (after the two-character indent) + 28 + 28 + 10 characters.
    expect(new Set(counts)).toEqual(new Set([26, 28, 10]));
    expect(counts.filter((c) => c === 28).length).toBeGreaterThanOrEqual(100);
    for (const line of all.filter((l) => cjkCount(l) === 26)) expect(line).toMatch(/^\s+\S/);

    const full = pages
      .map((_, i) => lines(words, i + 1))
      .flat()
      .filter((l) => cjkCount(l.text) === 28);
    expect(full.length).toBe(counts.filter((c) => c === 28).length);
    for (const l of full) {
      expect(l.xMin).toBeGreaterThanOrEqual(LEFT - 0.5);
      expect(l.xMax).toBeLessThanOrEqual(RIGHT + 0.5);
      expect((l.xMax - l.xMin) / PT_PER_MM).toBeGreaterThan(154); // 28 characters span the 156 mm line
    }
  });
});

describe('GB/T 9704 page numbers, cover and TOC in LibreOffice', () => {
  let pdf: Buffer;
  let pages: string[];
  let words: PdfWord[];
  beforeAll(async () => {
    pdf = await docxToPdf(await renderDocx(pagedModel()));
    pages = await pdfPages(pdf);
    words = await pdfWords(pdf);
  }, 120_000);

  const footer = (page: number) => words.filter((w) => w.page === page && w.yMin > BOTTOM);

  it('numbers body pages — 1 —, — 2 — … from the first body page; the cover and TOC pages have none', async () => {
    const count = await pdfPageCount(pdf);
    expect(count).toBeGreaterThanOrEqual(5);
    expect(footer(1)).toEqual([]);
    expect(footer(2)).toEqual([]);
    expect(squash(pages[0] ?? '')).toContain('评审材料汇编');
    expect(squash(pages[0] ?? '')).toContain('2027年3月');
    for (let page = 3; page <= count; page++) {
      const n = page - 2;
      const text = footer(page)
        .sort((a, b) => a.xMin - b.xMin)
        .map((w) => w.text)
        .join(' ');
      expect(text, `page ${page}`).toMatch(new RegExp(`^—\\s*${n}\\s*—$`));
      expect(pages[page - 1]).toMatch(new RegExp(`—\\s*${n}\\s*—`));
    }
  });

  it('puts odd numbers right and even numbers left, one 4号 character from the edge, 7 mm below the 版心', () => {
    for (let page = 3; page <= pages.length; page++) {
      const ws = footer(page);
      const n = page - 2;
      const xMin = Math.min(...ws.map((w) => w.xMin));
      const xMax = Math.max(...ws.map((w) => w.xMax));
      if (n % 2 === 1) expect(Math.abs(xMax - (RIGHT - ONE_4HAO)), `page ${page}`).toBeLessThan(1.5);
      else expect(Math.abs(xMin - (LEFT + ONE_4HAO)), `page ${page}`).toBeLessThan(1.5);
      const centre = (Math.min(...ws.map((w) => w.yMin)) + Math.max(...ws.map((w) => w.yMax))) / 2;
      expect(Math.abs((centre - BOTTOM) / PT_PER_MM - 7), `page ${page}`).toBeLessThan(1);
    }
  });

  it('shows the title and the numbered headings', () => {
    const body = squash(pages.slice(2).join(''));
    for (const h of [
      '一、第一部分',
      '（一）第一部分第一节',
      '（二）第一部分第二节',
      '二、第二部分',
      '三、第三部分',
    ]) {
      expect(body).toContain(h);
    }
  });

  it('lists the headings in the TOC before any update (the field result is prefilled)', () => {
    const toc = squash(pages[1] ?? '');
    expect(toc).toContain('目录');
    for (const h of ['一、第一部分', '（一）第一部分第一节', '三、第三部分', '（二）第三部分第二节']) {
      expect(toc).toContain(h);
    }
  });

  it('is a real TOC field: LibreOffice updates it with the page numbers the headings are on', async () => {
    const updated = await pdfPages(await docxToPdf(await renderDocx(pagedModel()), { updateIndexes: true }));
    const pageOf = (heading: string) => {
      const i = updated.findIndex((p, k) => k >= 2 && squash(p).includes(heading));
      const label = PAGE_NUMBER.exec(updated[i]?.split('\n').find((l) => PAGE_NUMBER.test(l)) ?? '');
      return label?.[1];
    };
    const entries = (updated[1] ?? '')
      .split('\n')
      .map((l) => /^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$/.exec(l))
      .filter((x): x is RegExpExecArray => x !== null)
      .map((x) => [squash(x[1] ?? ''), x[2]]);
    expect(entries.map((e) => e[0])).toEqual([
      '一、第一部分',
      '（一）第一部分第一节',
      '（二）第一部分第二节',
      '二、第二部分',
      '（一）第二部分第一节',
      '（二）第二部分第二节',
      '三、第三部分',
      '（一）第三部分第一节',
      '（二）第三部分第二节',
    ]);
    for (const [heading, page] of entries) expect(page, heading).toBe(pageOf(heading ?? ''));
    expect(new Set(entries.map((e) => e[1])).size).toBeGreaterThan(2);
  }, 120_000);
});

describe('GB/T 9704 tables, images and signature in LibreOffice', () => {
  let pages: string[];
  let words: PdfWord[];
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await docxToPdf(await renderDocx(longTableModel()));
    pages = await pdfPages(pdf);
    words = await pdfWords(pdf);
  }, 120_000);

  it('repeats both header rows at the top of the next page and centres the merged cells', () => {
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of [1, 2]) {
      // 序号 and 单位 span both header rows: their line sits between 任务 (row 1) and 总数 (row 2).
      const at = (t: string) => words.find((w) => w.page === page && w.text === t);
      const task = at('任务');
      const total = at('总数');
      const no = at('序号');
      if (!task || !total || !no) throw new Error(`header words missing on page ${page}`);
      expect(no.yMin).toBeGreaterThan(task.yMin);
      expect(no.yMin).toBeLessThan(total.yMin);
      expect(Math.abs((no.yMin + no.yMax) / 2 - (task.yMin + total.yMax) / 2)).toBeLessThan(2);
      // 任务 spans the last two columns: centred over 总数 and 已办结.
      const done = at('已办结');
      if (!done) throw new Error('已办结 missing');
      expect(Math.abs((task.xMin + task.xMax) / 2 - (total.xMin + done.xMax) / 2)).toBeLessThan(25);
    }
    // Page 2 starts with the header, then continues the rows.
    const second = lines(words, 2).map((l) => squash(l.text));
    expect(second[0]).toBe('任务');
    expect(second[1]).toMatch(/^序号单位/);
  });

  it('scales the chart to the 156 mm text width', async () => {
    const images = await pdfImages(pdf);
    const chart = images.find((i) => i.width === 960);
    if (!chart) throw new Error('chart not in the PDF');
    expect(Math.abs((chart.width / chart.xPpi) * 25.4 - 156)).toBeLessThan(1);
    expect(squash(pages.join(''))).toContain('图1近八周任务办结率');
  });

  it('sets the organisation 右空二字 and the date 2027年3月31日 centred under it', () => {
    const last = words.filter((w) => w.page === pages.length);
    const org = last.find((w) => w.text === '琼海市社会信用体系建设领导小组办公室');
    const dateWords = lines(last, pages.length).find((l) => squash(l.text) === '2027年3月31日');
    if (!org || !dateWords) throw new Error('signature not found');
    expect(Math.abs(org.xMax - (RIGHT - 2 * 15.8))).toBeLessThan(3);
    expect(Math.abs((dateWords.xMin + dateWords.xMax) / 2 - (org.xMin + org.xMax) / 2)).toBeLessThan(1.5);
    expect(dateWords.yMin).toBeGreaterThan(org.yMin);
  });
});

describe('每周工作调度报告 sample', () => {
  it('renders to PDF and PNG (test-results/documents/) with title, headings, table and signature', async () => {
    const pdf = await docxToPdf(await renderDocx(weeklyReportModel()));
    const pages = await pdfPages(pdf);
    const text = squash(pages.join(''));
    for (const s of [
      '琼海市社会信用体系建设',
      '每周工作调度报告（第12周）',
      '一、总体进展',
      '（一）各单位完成情况',
      '表1各单位任务完成情况',
      '单位任务数已办结逾期办结率',
      '合计',
      '1.部分任务进度滞后。',
      '附件：各单位任务完成情况明细表',
      '琼海市社会信用体系建设领导小组办公室',
      '2027年3月31日',
    ]) {
      expect(text).toContain(s);
    }
    const dir = path.join(REPO_ROOT, 'test-results', 'documents');
    fs.mkdirSync(dir, { recursive: true });
    for (let page = 1; page <= pages.length; page++) {
      const png = await pdfPagePng(pdf, page);
      expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
      fs.writeFileSync(path.join(dir, `weekly-report-p${page}.png`), png);
    }
  }, 120_000);
});
