/**
 * 指标体系 and the campaign cards of the 驾驶舱 in the real renderer (Debian Chromium over the
 * web host), on a workspace from the bundled template (12 basic indicators, a scored skeleton in
 * categories, bonus items): the tree and the readiness strip agree with the core; an indicator
 * gets an owner department, a new evidence item with a file (shown satisfied) and the status
 * 已达标 (the readiness count moves); the system is exported, edited with exceljs and imported
 * back (the new title shows; a broken file is refused naming its row, nothing written); the
 * dashboard shows readiness, the monitoring rank with its trend and the tracked metrics.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Host } from '../../main/host/server';
import { call, tempDir } from '../helpers/core';
import { ARTIFACTS, closeSessionAfterAll, drawPng, openWorkspaceSession } from './browser';

let browser: Browser;
let host: Host;
let page: Page;
const dataDir = tempDir('cwb-e2e-indicators-');
const pageErrors: string[] = [];
const CODE = '基础-02';
const NEW_EVIDENCE = '信用承诺书公示截图';
const NEW_TITLE = '行政许可、行政处罚信息 100%上报（2027年修订）';

function poll<T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: 10_000, ...opts });
}

/** Closes the "导出完成" notifications and lets fades settle, then takes a screenshot. */
async function shot(name: string): Promise<void> {
  await page.mouse.move(5, 890);
  for (const close of await page.locator('.ant-notification-notice-close').all())
    await close.click({ timeout: 500 }).catch(() => undefined);
  await poll(() => page.locator('.ant-spin-spinning').count()).toBe(0);
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

/** Waits until the drawer has finished opening (a click during antd's motion can be lost). */
async function drawerSettled(): Promise<void> {
  const panel = page.locator('.ant-drawer-open .ant-drawer-content-wrapper');
  await poll(() => panel.count()).toBe(1);
  await poll(() => panel.evaluate((el) => /-(appear|enter|leave)(\s|$)/.test(el.className))).toBe(false);
}

const drawer = () => page.locator('.ant-drawer-open .ant-drawer-section');
const row = (code: string) => page.getByTestId(`indicator-${code}`);

async function indicator(code: string) {
  const list = await call(host.core, 'indicators.list', {});
  const found = list.find((i) => i.code === code);
  if (!found) throw new Error(`no indicator ${code}`);
  return found;
}

describe('指标体系 page and the campaign cards', () => {
  beforeAll(async () => {
    ({ browser, host, page } = await openWorkspaceSession(dataDir, pageErrors));
  });

  closeSessionAfterAll(() => ({ browser, host, page }), 'indicators');

  it('shows the 12 basic indicators, the scored skeleton and the readiness strip', async () => {
    await page.goto(host.openUrl);
    await poll(() => page.getByTestId('workspace-name').textContent(), { timeout: 20_000 }).toContain(
      '琼海市',
    );
    await page.getByRole('menuitem', { name: '指标体系' }).click();
    await poll(() => page.locator('.page-header h2').textContent()).toBe('指标体系');

    const list = await call(host.core, 'indicators.list', {});
    const basic = list.filter((i) => i.kind === 'basic');
    expect(basic).toHaveLength(12);
    await poll(() => page.locator('[data-testid^="indicator-基础-"]').count()).toBe(12);
    for (const i of basic) await expect(row(i.code).textContent()).resolves.toContain(i.title);
    // the scored indicators sit under their categories, the bonus items in their own group
    const scored = list.filter((i) => i.kind === 'scored');
    expect(scored.length).toBeGreaterThan(0);
    await expect(row(scored[0]!.code).textContent()).resolves.toContain(scored[0]!.title);
    await expect(page.getByTestId('group-basic').textContent()).resolves.toContain('12 项');
    await expect(page.getByTestId('group-scored').isVisible()).resolves.toBe(true);

    const r = await call(host.core, 'indicators.readiness', {});
    await poll(() => page.getByTestId('readiness-basic').textContent()).toBe(
      `${r.basic.met} / ${r.basic.total}`,
    );
    await expect(page.getByTestId('readiness-evidence').textContent()).resolves.toBe(
      `${r.evidence.satisfied} / ${r.evidence.total}`,
    );
    await expect(page.getByTestId('readiness-unmet').textContent()).resolves.toContain(
      `（${r.basic.unmet.length} 项）`,
    );
    const sys = (await call(host.core, 'indicators.systems', {})).find((s) => s.current);
    await expect(page.getByTestId('system-summary').textContent()).resolves.toContain(sys!.name);

    // filters: 已达标 shows nothing yet; the search finds one indicator by its title
    await page.getByTestId('indicator-search').fill('政务服务大厅');
    await poll(() => page.locator('[data-testid^="indicator-基础-"]').count()).toBe(1);
    await page.getByTestId('indicator-search').fill('');
    await poll(() => page.locator('[data-testid^="indicator-基础-"]').count()).toBe(12);
    await shot('indicators-page');
  });

  it('opens an indicator, adds an owner department, an evidence item with a file (satisfied)', async () => {
    const before = await indicator(CODE);
    await row(CODE).click();
    await drawerSettled();
    await poll(() => drawer().textContent()).toContain(before.title);
    await poll(() => drawer().textContent()).toContain('评价标准');
    await shot('indicator-drawer-assess');

    // 责任单位: the template's owners are there; add 市财政局
    for (const name of before.ownerDeptNames)
      await expect(page.getByTestId('assessment-owners').textContent()).resolves.toContain(name);
    await page.getByTestId('assessment-owners').click();
    await page.keyboard.type('财政');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '市财政局' })
      .first()
      .click();
    await page.keyboard.press('Escape');
    await drawer().getByTestId('assessment-save').click();
    await poll(async () => (await indicator(CODE)).ownerDeptNames.some((n) => n.includes('财政局'))).toBe(
      true,
    );
    expect((await indicator(CODE)).ownerDeptIds).toHaveLength(before.ownerDeptIds.length + 1);
    await poll(() => row(CODE).getByTestId('indicator-owners').textContent()).toContain('财政局');

    // 佐证清单: a new item is not satisfied until a file is attached
    await drawer()
      .getByRole('tab', { name: /佐证清单/ })
      .click();
    await poll(() => page.getByTestId('evidence-item').count()).toBe(before.evidenceTotal);
    await page.getByTestId('evidence-new-title').fill(NEW_EVIDENCE);
    await page.getByTestId('evidence-add').click();
    const item = page.getByTestId('evidence-item').filter({ hasText: NEW_EVIDENCE });
    await poll(() => item.getAttribute('data-satisfied')).toBe('false');
    const detail = await call(host.core, 'indicators.get', { id: before.id });
    const added = detail.evidence.find((e) => e.title === NEW_EVIDENCE);
    expect(added?.satisfied).toBe(false);

    // the new item is open: attach a picture to it
    const panel = page.locator('.ant-collapse-item').filter({ has: item });
    const png = await drawPng(page, 200);
    await panel.getByTestId('attachment-input').setInputFiles({
      name: '承诺书公示截图.png',
      mimeType: 'image/png',
      buffer: png,
    });
    await poll(() => panel.getByTestId('attachment-row').count()).toBe(1);
    await poll(() => item.getAttribute('data-satisfied')).toBe('true');
    const after = await call(host.core, 'indicators.get', { id: before.id });
    const sat = after.evidence.find((e) => e.title === NEW_EVIDENCE);
    expect(sat).toMatchObject({ satisfied: true, attachmentCount: 1 });
    const r = await call(host.core, 'indicators.readiness', {});
    await poll(() => page.getByTestId('readiness-evidence').textContent()).toBe(
      `${r.evidence.satisfied} / ${r.evidence.total}`,
    );
    await poll(() => page.getByTestId('evidence-count').textContent()).toContain(
      `${after.evidence.filter((e) => e.satisfied).length} / ${after.evidence.length}`,
    );
    await shot('indicator-drawer-evidence');
  });

  it('sets the status 已达标 and the readiness count moves', async () => {
    const r0 = await call(host.core, 'indicators.readiness', {});
    await drawer().getByRole('tab', { name: '自评' }).click();
    await drawer().getByTestId('assessment-status').getByText('已达标').click();
    await drawer().getByTestId('assessment-save').click();
    await poll(async () => (await indicator(CODE)).status).toBe('met');
    const r1 = await call(host.core, 'indicators.readiness', {});
    expect(r1.basic.met).toBe(r0.basic.met + 1);
    await poll(() => page.getByTestId('readiness-basic').textContent()).toBe(
      `${r1.basic.met} / ${r1.basic.total}`,
    );
    await poll(() => row(CODE).getByTestId('indicator-status').textContent()).toBe('已达标');
    expect(await page.getByTestId('readiness-unmet').textContent()).not.toContain(CODE);

    // linked records: a rectification item is created for the indicator
    await drawer().getByRole('tab', { name: /关联/ }).click();
    await page.getByTestId('indicator-add-rect').click();
    const modal = page.locator('.ant-modal:visible');
    await modal.getByLabel('问题描述').fill('部分镇便民服务中心未留存信用查询记录');
    await modal.getByRole('button', { name: '登记' }).click();
    await poll(() => page.getByTestId('indicator-links').textContent()).toContain('部分镇便民服务中心未留存');
    const rects = await call(host.core, 'rect.list', {});
    expect(rects.find((x) => x.problem.startsWith('部分镇便民'))?.indicatorIds).toEqual([
      (await indicator(CODE)).id,
    ]);
    await shot('indicator-drawer-links');
    await drawer().locator('.ant-drawer-extra').getByRole('button', { name: '关闭' }).click();
    await poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
  });

  it('exports the system, imports an edited copy back (and refuses a broken one)', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByTestId('export-system').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = fs.readFileSync(await download.path());

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('指标体系');
    expect(sheet).toBeTruthy();
    const header = (sheet!.getRow(1).values as unknown[]).map((v) => String(v ?? ''));
    const codeCol = header.indexOf('编号');
    const titleCol = header.indexOf('名称');
    let target = 0;
    sheet!.eachRow((r, n) => {
      if (String(r.getCell(codeCol).value) === '基础-03') target = n;
    });
    expect(target).toBeGreaterThan(1);
    // what the page shows for 基础-02 (owners, evidence) went into the file
    const exported02 = sheet!
      .getRows(2, sheet!.rowCount - 1)!
      .find((r) => String(r.getCell(codeCol).value) === CODE);
    expect(String(exported02?.getCell(header.indexOf('责任单位')).value)).toContain('财政局');
    expect(String(exported02?.getCell(header.indexOf('佐证材料')).value)).toContain(NEW_EVIDENCE);
    sheet!.getRow(target).getCell(titleCol).value = NEW_TITLE;
    const edited = Buffer.from(await wb.xlsx.writeBuffer());

    // a broken copy first: 基础-04 twice — refused naming the row, nothing written
    const broken = new ExcelJS.Workbook();
    await broken.xlsx.load(edited as unknown as ArrayBuffer);
    const bs = broken.getWorksheet('指标体系')!;
    let row04 = 0;
    bs.eachRow((r, n) => {
      if (String(r.getCell(codeCol).value) === '基础-04') row04 = n;
    });
    bs.getRow(row04 + 1).getCell(codeCol).value = '基础-04';
    const brokenBytes = Buffer.from(await broken.xlsx.writeBuffer());

    await page.getByTestId('import-system-open').click();
    const modal = page.locator('.ant-modal:visible');
    await modal.locator('input[type=file]').setInputFiles({
      name: '指标体系-重复编号.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: brokenBytes,
    });
    const error = page.getByTestId('import-system-error');
    await poll(() => error.count()).toBe(1);
    await expect(error.textContent()).resolves.toContain(`第 ${row04 + 1} 行`);
    await expect(error.textContent()).resolves.toContain('基础-04');
    expect((await indicator('基础-03')).title).not.toBe(NEW_TITLE);
    await shot('indicator-import-error');

    await modal.locator('input[type=file]').setInputFiles({
      name: '指标体系-修订.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: edited,
    });
    const result = page.getByTestId('import-system-result');
    await poll(() => result.count(), { timeout: 20_000 }).toBe(1);
    await expect(result.textContent()).resolves.toContain('新增 0 项，更新 1 项，删除 0 项');
    await shot('indicator-import-result');
    await page.getByTestId('import-system-done').click();

    expect((await indicator('基础-03')).title).toBe(NEW_TITLE);
    await poll(() => row('基础-03').textContent()).toContain(NEW_TITLE);
    // the self-assessment, owners and evidence of 基础-02 survived the round trip
    const kept = await indicator(CODE);
    expect(kept.status).toBe('met');
    expect(kept.ownerDeptNames.some((n) => n.includes('财政局'))).toBe(true);
    expect(kept.evidenceSatisfied).toBeGreaterThanOrEqual(1);
  });

  it('imports a new version and switches between the versions', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 30_000 }),
      page.getByTestId('export-system').click(),
    ]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync(await download.path()) as unknown as ArrayBuffer);
    const info = wb.getWorksheet('版本信息')!;
    info.eachRow((r) => {
      const k = String(r.getCell(1).value);
      if (k === '版本') r.getCell(2).value = '2027试行';
      if (k === '名称') r.getCell(2).value = '示范区评审指标（2027 试行稿）';
    });
    await page.getByTestId('import-system-open').click();
    await page.locator('.ant-modal:visible input[type=file]').setInputFiles({
      name: '指标体系-2027试行.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      buffer: Buffer.from(await wb.xlsx.writeBuffer()),
    });
    const result = page.getByTestId('import-system-result');
    await poll(() => result.count(), { timeout: 20_000 }).toBe(1);
    const systems = await call(host.core, 'indicators.systems', {});
    const created = systems.find((x) => x.version === '2027试行');
    expect(created?.current).toBe(true);
    await expect(result.textContent()).resolves.toContain(
      `新增 ${created!.counts.basic + created!.counts.scored + created!.counts.bonus + created!.counts.category} 项`,
    );
    await page.getByTestId('import-system-done').click();
    await poll(() => page.getByTestId('system-summary').textContent()).toContain('2027 试行稿');

    // the strip follows the current version
    const r = await call(host.core, 'indicators.readiness', {});
    expect(r.version).toBe('2027试行');
    await poll(() => page.getByTestId('readiness-basic').textContent()).toBe(
      `${r.basic.met} / ${r.basic.total}`,
    );
    await page.getByTestId('system-version').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '2021 版' })
      .first()
      .click();
    await page.locator('.ant-modal-confirm').getByRole('button', { name: '切换' }).click();
    await poll(
      async () => (await call(host.core, 'indicators.systems', {})).find((x) => x.current)?.version,
    ).toBe('2021');
    await poll(() => page.getByTestId('readiness-basic').textContent()).toBe('1 / 12');
    await poll(() => row('基础-03').textContent()).toContain(NEW_TITLE);
  });

  it('shows readiness, monitoring rank and tracked metrics on the dashboard', async () => {
    // three months of monitoring results and metric values, entered through the core
    const months = [
      { month: '2027-01', rank: 63, score: 81.2 },
      { month: '2027-02', rank: 48, score: 83.5 },
      { month: '2027-03', rank: 41, score: 84.9 },
    ];
    for (const m of months)
      await call(host.core, 'monitoring.save', {
        month: m.month,
        score: m.score,
        rank: m.rank,
        total: 261,
        dims: { incentive: 17.1, system: 16.8, culture: 16.2, service: 17.0, environment: m.score - 67.1 },
        note: null,
      });
    for (const [k, v] of [
      ['2027-01', 92.1],
      ['2027-02', 95.4],
      ['2027-03', 98.6],
    ] as const)
      await call(host.core, 'metrics.set', {
        metric: 'compliance_rate',
        month: k,
        value: v,
        base: null,
        note: null,
      });
    await call(host.core, 'metrics.set', {
      metric: 'commitments',
      month: '2027-03',
      value: 10850,
      base: 11200,
      note: null,
    });

    await page.getByRole('menuitem', { name: '驾驶舱' }).click();
    const c = await call(host.core, 'dashboard.campaign', {});
    const card = page.getByTestId('campaign-readiness');
    await poll(() => page.getByTestId('campaign-basic').textContent(), { timeout: 15_000 }).toBe(
      `${c.readiness.basic.met} / ${c.readiness.basic.total}`,
    );
    expect(c.readiness.basic.met).toBeGreaterThanOrEqual(1);
    const firstUnmet = c.readiness.basic.unmet[0];
    if (firstUnmet) await expect(card.textContent()).resolves.toContain(firstUnmet.title);
    await expect(page.getByTestId('campaign-rank').textContent()).resolves.toBe('第41名');
    await expect(page.getByTestId('campaign-streak').textContent()).resolves.toContain(
      `连续 ${c.monitoring.streak.current} 个月前 ${c.monitoring.streak.target}`,
    );
    await expect(page.getByTestId('campaign-metric-compliance_rate').textContent()).resolves.toContain(
      '98.6%',
    );
    await expect(page.getByTestId('campaign-rank-chart').getAttribute('aria-label')).resolves.toContain(
      '3月第41名',
    );
    await shot('dashboard-campaign');

    // an unmet indicator on the card opens it on the 指标体系 page
    if (firstUnmet) {
      await card.locator('.campaign-tag').first().click();
      await poll(() => page.locator('.page-header h2').textContent()).toBe('指标体系');
      await drawerSettled();
      await poll(() => drawer().textContent()).toContain(firstUnmet.title);
      await drawer().locator('.ant-drawer-extra').getByRole('button', { name: '关闭' }).click();
      await poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
    }

    // with supervised tasks the cards sit between the task figures and the supervision panels
    const drafts = await call(host.core, 'tasks.list', { statuses: ['draft'] });
    await call(host.core, 'tasks.transition', { ids: drafts.rows.map((t) => t.id), action: 'issue' });
    await page.getByRole('menuitem', { name: '驾驶舱' }).click();
    const summary = await call(host.core, 'dashboard.summary', {});
    expect(summary.totals.supervised.value).toBeGreaterThan(0);
    await poll(() => page.getByTestId('kpi-supervised-value').textContent()).toBe(
      String(summary.totals.supervised.value),
    );
    await poll(() => page.getByTestId('campaign-basic').textContent()).toBe(
      `${c.readiness.basic.met} / ${c.readiness.basic.total}`,
    );
    await shot('dashboard-campaign-full');
    expect(pageErrors).toEqual([]);
  });
});
