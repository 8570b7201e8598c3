/**
 * 监测排名 and 汇报PPT in the real renderer (Debian Chromium over the web host), the issue's
 * acceptance test: three months of national monitoring results are entered through the form (one
 * dimension falls two months in a row), the page shows the trend chart and the status of
 * "连续三个月前 50 名"; a rank larger than the number of cities is refused at the field; the
 * proposed weak point is accepted with a task, and the rectification item appears on 整改清单 with
 * the source 监测薄弱指标; an xlsx with a month twice is refused naming the rows and nothing
 * changes; a tracked metric is entered; the briefing deck is exported from 汇报PPT and unzipped
 * (slides, native chart parts, notes; the rank series equals what was entered); the quarterly
 * ranking analysis report and the 指标提升方案 are produced from the page.
 *
 * The months are the two before the current month and the current month (the browser and the
 * host share this machine's clock), so the deck's default period (the last three months) holds them.
 */
import fs from 'node:fs';
import path from 'node:path';
import dayjs from 'dayjs';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import type { Browser, Page } from 'playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringOverview } from '../../main/core/contract/indicators';
import type { Host } from '../../main/host/server';
import { call, tempDir } from '../helpers/core';
import { findAll, parseXml, readDocx, wText, type XmlNode } from '../helpers/docx';
import { ARTIFACTS, closeSessionAfterAll, openWorkspaceSession } from './browser';

let browser: Browser;
let host: Host;
let page: Page;
const dataDir = tempDir('cwb-e2e-monitoring-');
const pageErrors: string[] = [];

const NOW = dayjs();
const MONTHS = [NOW.subtract(2, 'month'), NOW.subtract(1, 'month'), NOW].map((d) => d.format('YYYY-MM'));
const label = (m: string) => `${m.slice(0, 4)}年${Number(m.slice(5, 7))}月`;
const quarterOf = (m: string) => `${m.slice(0, 4)}-Q${Math.ceil(Number(m.slice(5, 7)) / 3)}`;

/**
 * What the team reads off the monthly notices: the rank climbs into the top 50 in the second
 * month; 守信激励和失信治理 falls two months in a row (84.1 → 83.2 → 82.6), the others rise.
 */
const ENTRIES = [
  {
    month: MONTHS[0]!,
    score: 85.2,
    rank: 62,
    total: 380,
    dims: { incentive: 84.1, system: 86, culture: 83.5, service: 82, environment: 85.5 },
  },
  {
    month: MONTHS[1]!,
    score: 86.1,
    rank: 48,
    total: 381,
    dims: { incentive: 83.2, system: 86.4, culture: 84, service: 82.5, environment: 86 },
  },
  {
    month: MONTHS[2]!,
    score: 86.9,
    rank: 45,
    total: 382,
    dims: { incentive: 82.6, system: 87.1, culture: 84.6, service: 83.4, environment: 86.8 },
  },
];
const DIM_LABELS = {
  incentive: '守信激励和失信治理',
  system: '信用制度和基础建设',
  culture: '诚信文化和诚信建设',
  service: '信用服务和信用创新',
  environment: '信用环境和营商环境',
} as const;

function poll<T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: 10_000, ...opts });
}

async function shot(name: string): Promise<void> {
  await page.mouse.move(5, 890);
  await page.waitForTimeout(600);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

/** The "导出完成" notices sit over the top-right of the page: close them. */
async function dismissNotices(): Promise<void> {
  const notices = page.locator('.ant-notification-notice');
  if ((await notices.count()) === 0) return;
  await page.mouse.move(5, 890);
  for (const close of await page.locator('.ant-notification-notice-close').all())
    await close.click({ timeout: 500 }).catch(() => undefined);
  await notices
    .first()
    .waitFor({ state: 'detached', timeout: 8_000 })
    .catch(() => undefined);
}

/** Clicks and waits for the browser download; returns its name and bytes. */
async function download(click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  await dismissNotices();
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

const overview = (): Promise<MonitoringOverview> => call(host.core, 'monitoring.overview', {});

async function openPage(menu: string, heading: string): Promise<void> {
  await page.getByRole('menuitem', { name: menu }).click();
  await poll(() => page.locator('.page-header h2').textContent()).toBe(heading);
}

/** Types a month into the (month) date picker of a form and confirms it. */
async function pickMonth(scope: ReturnType<Page['getByTestId']>, month: string): Promise<void> {
  const input = scope.locator('.ant-picker input').first();
  await input.click();
  await input.fill(label(month));
  await input.press('Enter');
  await poll(() => input.inputValue()).toBe(label(month));
}

async function fillResult(e: (typeof ENTRIES)[number], rank = e.rank): Promise<void> {
  const form = page.getByTestId('result-form');
  await pickMonth(form, e.month);
  await form.getByLabel('综合得分').fill(String(e.score));
  await form.getByLabel('排名', { exact: true }).fill(String(rank));
  await form.getByLabel('参评城市数').fill(String(e.total));
  for (const [d, v] of Object.entries(e.dims)) {
    await form.getByLabel(DIM_LABELS[d as keyof typeof DIM_LABELS]).fill(String(v));
  }
}

const modalOf = (title: string) => page.locator('.ant-modal').filter({ hasText: title });

/** The values of every chart series in a pptx, by series name. */
function chartSeries(files: Record<string, Uint8Array>): { part: string; name: string; values: number[] }[] {
  const out: { part: string; name: string; values: number[] }[] = [];
  for (const part of Object.keys(files).filter((f) => /^ppt\/charts\/chart\d+\.xml$/.test(f))) {
    const xml = parseXml(strFromU8(files[part]!));
    for (const ser of findAll(xml, 'c:ser')) {
      const tx = findAll(ser, 'c:tx')[0];
      const name = tx ? findAll(tx, 'c:v').map(textOf).join('') : '';
      const val = findAll(ser, 'c:val')[0];
      const pts = val ? findAll(val, 'c:pt') : [];
      const values = pts
        .map((p) => ({ idx: Number(p.attrs.idx), v: Number(findAll(p, 'c:v').map(textOf).join('')) }))
        .sort((a, b) => a.idx - b.idx)
        .map((p) => p.v);
      out.push({ part, name, values });
    }
  }
  return out;
}

function textOf(n: XmlNode): string {
  return n.text + n.children.map(textOf).join('');
}

describe('monitoring rank, weak points and the briefing deck in the browser', () => {
  beforeAll(async () => {
    ({ browser, host, page } = await openWorkspaceSession(dataDir, pageErrors, MONTHS[0]!));
    await page.goto(host.openUrl);
    await page.getByTestId('workspace-name').filter({ hasText: '琼海市' }).waitFor({ timeout: 20_000 });
  });

  closeSessionAfterAll(() => ({ browser, host, page }), 'monitoring');

  it('starts with an inviting empty state offering entry and import', async () => {
    await openPage('监测排名', '监测排名');
    const empty = page.getByTestId('monitoring-empty');
    await poll(() => empty.textContent()).toContain('还没有监测结果');
    await expect(empty.getByRole('button', { name: /录入月度结果/ }).count()).resolves.toBe(1);
    await expect(empty.getByRole('button', { name: /从 Excel 导入/ }).count()).resolves.toBe(1);
    await shot('monitoring-empty');
  });

  it('enters three months through the form; a rank larger than the cities is refused at the field', async () => {
    for (const [i, e] of ENTRIES.entries()) {
      await page.getByTestId('add-result').first().click();
      const modal = modalOf('录入月度监测结果');
      await poll(() => modal.isVisible()).toBe(true);
      if (i === 2) {
        // bad entry first: rank 400 of 382 cities
        await fillResult(e, 400);
        await modal.getByRole('button', { name: '保存' }).click();
        const rankItem = modal
          .locator('.ant-form-item')
          .filter({ has: page.getByLabel('排名', { exact: true }) });
        await poll(() => rankItem.locator('.ant-form-item-explain-error').textContent()).toContain(
          '排名不能大于参评城市数',
        );
        await shot('monitoring-bad-entry');
        // nothing was written for that month
        expect((await overview()).results.map((r) => r.month)).toEqual(MONTHS.slice(0, 2));
        await modal.getByLabel('排名', { exact: true }).fill(String(e.rank));
      } else {
        await fillResult(e);
      }
      if (i === 0) await shot('monitoring-form');
      await modal.getByRole('button', { name: '保存' }).click();
      await poll(() => modal.isVisible()).toBe(false);
      await poll(async () => (await overview()).results.length).toBe(i + 1);
    }
    const o = await overview();
    expect(o.results.map((r) => [r.month, r.score, r.rank, r.total])).toEqual(
      ENTRIES.map((e) => [e.month, e.score, e.rank, e.total]),
    );
    expect(o.results.map((r) => r.dims)).toEqual(ENTRIES.map((e) => e.dims));
  });

  it('shows the headline, the trend charts and the streak status', async () => {
    const o = await overview();
    await poll(() => page.getByTestId('kpi-rank-value').textContent()).toContain('第 45 名');
    expect(await page.getByTestId('kpi-rank').textContent()).toContain('382 个城市');
    expect(await page.getByTestId('kpi-rank').textContent()).toContain('上升 3 位');
    expect(await page.getByTestId('kpi-score-value').textContent()).toBe('86.9');
    // the target comes from the workspace settings (前 50 名): two months in, one to go
    expect(o.streak.target).toBe(50);
    expect(o.streak.current).toBe(2);
    expect(await page.getByTestId('kpi-streak-value').textContent()).toBe('连续 2 个月');
    expect(await page.getByTestId('kpi-streak').textContent()).toContain('再保持 1 个月');
    expect(await page.getByTestId('streak-explanation').textContent()).toBe(o.streak.explanation);
    expect(o.streak.explanation).toContain('已连续2个月进入前50名');
    expect(await page.getByTestId('kpi-basic-value').textContent()).toBe('符合');
    // the charts are drawn (canvas) and describe what they show
    for (const id of ['rank-chart', 'score-chart']) {
      const chart = page.getByTestId(id);
      await poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
      const box = await chart.boundingBox();
      expect(box?.height ?? 0).toBeGreaterThan(200);
    }
    expect(await page.getByTestId('rank-chart').getAttribute('aria-label')).toBe(
      `排名趋势：${ENTRIES.map((e) => `${label(e.month)}第${e.rank}名`).join('，')}`,
    );
    // the table lists the months newest first
    const rows = page.locator('[data-testid="results-table"] .ant-table-row');
    await poll(() => rows.count()).toBe(3);
    expect(await rows.first().textContent()).toContain(label(MONTHS[2]!));
    await shot('monitoring-overview');
    await page.getByTestId('results-table').scrollIntoViewIfNeeded();
    await shot('monitoring-table');
    await page.getByTestId('monitoring-headline').scrollIntoViewIfNeeded();
  });

  it('proposes the falling dimension as a weak point and accepts it with a task', async () => {
    const o = await overview();
    expect(o.weakPoints.map((w) => w.dimension)).toEqual(['incentive']);
    const wp = o.weakPoints[0]!;
    expect(wp.reasons).toContain('falling');
    const card = page.locator('[data-testid="weak-point"][data-dimension="incentive"]');
    await card.scrollIntoViewIfNeeded();
    await poll(() => card.textContent()).toContain('连续两个月下降');
    expect(await card.textContent()).toContain(wp.explanation);
    expect(await page.locator('[data-testid="weak-point"]').count()).toBe(1);
    await shot('monitoring-weak-point');

    await card.getByTestId('weak-accept').click();
    const modal = modalOf('采纳薄弱环节整改建议');
    await poll(() => modal.isVisible()).toBe(true);
    // the form carries the proposal, editable
    expect(await modal.getByLabel('问题描述').inputValue()).toBe(wp.proposal.problem);
    expect(await modal.getByLabel('任务名称').inputValue()).toBe(wp.proposal.taskTitle);
    expect(await modal.getByLabel('完成标准').inputValue()).toBe(wp.proposal.taskStandard);
    expect(await modal.getByTestId('accept-with-task').getAttribute('aria-checked')).toBe('true');
    const problem = `${wp.proposal.problem}（经专班研究确认）`;
    await modal.getByLabel('问题描述').fill(problem);
    await shot('monitoring-accept');
    await modal.getByRole('button', { name: '采纳并创建' }).click();
    await poll(() => modal.isVisible()).toBe(false);
    await poll(() => card.getByTestId('weak-accepted').count()).toBe(1);

    const accepted = (await overview()).weakPoints[0]!;
    expect(accepted.decision).toBe('accepted');
    expect(accepted.rectId).not.toBeNull();
    expect(accepted.taskId).not.toBeNull();
    const task = await call(host.core, 'tasks.get', { id: accepted.taskId! });
    expect(task.title).toBe(wp.proposal.taskTitle);
    await shot('monitoring-accepted');

    // the item is on 整改清单 with the source 监测薄弱指标
    await card.getByTestId('weak-rect-link').click();
    await poll(() => page.locator('.page-header h2').textContent()).toBe('整改清单');
    const rects = await call(host.core, 'rect.list', { sources: ['weak_indicator'] });
    expect(rects.map((r) => r.id)).toEqual([accepted.rectId]);
    expect(rects[0]!.problem).toBe(problem);
    const row = page.locator('.ant-table-row').filter({ hasText: rects[0]!.code });
    await poll(() => row.textContent()).toContain('监测薄弱指标');
    await poll(() => page.locator('.ant-drawer-open').textContent()).toContain(rects[0]!.code);
    await shot('monitoring-rectification');
    await page.keyboard.press('Escape');
  });

  it('refuses an xlsx with a month twice, naming the rows, and changes nothing', async () => {
    const before = await overview();
    const earlier = NOW.subtract(4, 'month').format('YYYY-MM');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('监测结果');
    ws.addRow(['月份', '综合得分', '排名', '参评城市数', '守信激励和失信治理', '备注']);
    ws.addRow([label(earlier), 84.3, 71, 379, 84.0, '']);
    ws.addRow([earlier, 84.5, 69, 379, 84.2, '更正']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());

    await openPage('监测排名', '监测排名');
    await page.getByTestId('import-results').click();
    const modal = page.getByTestId('monitoring-import');
    await poll(() => modal.isVisible()).toBe(true);
    await modal.locator('input[type="file"]').setInputFiles({
      name: '监测结果.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: bytes,
    });
    const err = page.getByTestId('import-error');
    await poll(() => err.textContent()).toContain('出现了两次');
    const text = (await err.textContent()) ?? '';
    expect(text).toContain('第3行');
    expect(text).toContain('第2行');
    expect(text).toContain('未导入任何监测结果');
    await shot('monitoring-import-refused');
    const after = await overview();
    expect(after.results).toEqual(before.results);
    await page.locator('.ant-modal').filter({ hasText: '从 Excel 导入' }).locator('.ant-modal-close').click();
  });

  it('enters a tracked metric and shows it against its target', async () => {
    await page.getByRole('tab', { name: '跟踪指标' }).click();
    const row = page.getByTestId('metric-commitments');
    await poll(() => row.isVisible()).toBe(true);
    await row.getByTestId('metric-commitments-add').click();
    const form = page.getByTestId('metric-form');
    await poll(() => form.isVisible()).toBe(true);
    await pickMonth(form, MONTHS[2]!);
    await form.getByLabel('信用承诺数').fill('9500');
    await form.getByLabel('企业总数').fill('10000');
    await page.locator('.ant-modal').filter({ has: form }).getByRole('button', { name: '保存' }).click();
    await poll(() => page.getByTestId('metric-commitments-rate').textContent()).toBe('95%');
    const m = (await call(host.core, 'metrics.list', {})).find((x) => x.key === 'commitments')!;
    expect(m.latest).toMatchObject({ month: MONTHS[2], value: 9500, base: 10000 });
    expect(m.onTarget).toBe(false);
    await shot('monitoring-metrics');
    await page.getByRole('tab', { name: '监测排名' }).click();
  });

  it('downloads the quarterly ranking analysis report and creates the improvement plan', async () => {
    const quarter = quarterOf(MONTHS[2]!);
    await poll(() => page.getByTestId('ranking-quarter').textContent()).toContain(
      `${quarter.slice(0, 4)}年第`,
    );
    const report = await download(() => page.getByTestId('ranking-report').click());
    expect(report.name).toMatch(new RegExp(`^预警监测排名分析报告-${quarter}.*\\.docx$`));
    const docx = readDocx(report.bytes);
    const body = wText(docx.xml('word/document.xml'));
    const inQuarter = ENTRIES.filter((e) => quarterOf(e.month) === quarter);
    for (const e of inQuarter) expect(body).toContain(`${e.rank}`);
    expect(body).toContain('排名');

    // the same report is offered on 报告输出
    await openPage('报告输出', '报告输出');
    const onReports = await download(() => page.getByTestId('ranking-report').click());
    expect(onReports.name).toMatch(new RegExp(`^预警监测排名分析报告-${quarter}.*\\.docx$`));
    await shot('reports-ranking-analysis');
    await openPage('监测排名', '监测排名');

    await dismissNotices();
    await page.getByTestId('improvement-plan').click();
    await poll(() => page.url()).toContain('#/materials?id=');
    const id = new URLSearchParams(page.url().split('?')[1] ?? '').get('id') ?? '';
    const material = await call(host.core, 'materials.get', { id });
    expect(material.type).toBe('improvement_plan');
    await poll(() => page.getByTestId('material-title').textContent()).toBe(material.title);
    await shot('monitoring-improvement-plan');
  });

  it('exports the briefing deck with native charts whose rank series is what was entered', async () => {
    await openPage('汇报PPT', '汇报PPT');
    // all sections on by default, the last three months as the period
    const boxes = page.getByTestId('briefing-sections').locator('input[type="checkbox"]');
    await poll(() => boxes.count()).toBe(8);
    for (const b of await boxes.all()) expect(await b.isChecked()).toBe(true);
    await poll(() => page.getByTestId('briefing-figures').textContent()).toContain('第 45 名');
    await shot('briefing-form');

    const deck = await download(() => page.getByTestId('briefing-generate').click());
    expect(deck.name).toMatch(/\.pptx$/);
    const result = page.getByTestId('briefing-result');
    await poll(() => result.isVisible(), { timeout: 30_000 }).toBe(true);
    const slidesShown = Number(await page.getByTestId('briefing-slides').textContent());
    const chartsShown = Number(await page.getByTestId('briefing-charts').textContent());

    const files = unzipSync(deck.bytes);
    const names = Object.keys(files);
    const slides = names.filter((n) => /^ppt\/slides\/slide\d+\.xml$/.test(n));
    const charts = names.filter((n) => /^ppt\/charts\/chart\d+\.xml$/.test(n));
    const notes = names.filter((n) => /^ppt\/notesSlides\/notesSlide\d+\.xml$/.test(n));
    expect(slides.length).toBe(slidesShown);
    expect(charts.length).toBe(chartsShown);
    expect(charts.length).toBeGreaterThanOrEqual(3);
    expect(notes.length).toBeGreaterThan(0);
    // native charts: the slides reference chart parts (graphic frames), not pictures of charts
    const slideXml = slides.map((s) => strFromU8(files[s]!)).join('');
    expect(slideXml).toContain('http://schemas.openxmlformats.org/drawingml/2006/chart');
    // the ranking trend: the rank series equals the ranks entered, oldest first
    const rank = chartSeries(files).find((s) => s.name.includes('排名'));
    expect(rank, JSON.stringify(chartSeries(files).map((s) => s.name))).toBeDefined();
    expect(rank!.values).toEqual(ENTRIES.map((e) => e.rank));
    // the notes carry the figures
    const notesText = notes.map((n) => strFromU8(files[n]!)).join('');
    expect(notesText).toContain('第45名');
    await shot('briefing-done');
    expect(pageErrors).toEqual([]);
  });
});
