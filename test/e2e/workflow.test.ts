/**
 * A supervisor takes a task through the whole workflow in the real renderer, with a fixed
 * clock so the lights are deterministic: create (due in 2 days) → 下发 (yellow) → 签收 → 办理
 * → progress feedback with a PNG as evidence → 反馈完成 → 退回 with a reason → the due date
 * passes (red) → 反馈完成 again → 复核通过 (已办结). Also: a monthly series and its instances,
 * a dashboard-style filter link, and the 亮灯规则 settings.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Locator, Page } from 'playwright';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../main/host/server';
import { fakeClock, noon } from '../helpers/clock';
import { call, tempDir } from '../helpers/core';
import { ARTIFACTS, drawPng, launchBrowser, RENDERER_DIR } from './browser';

let browser: Browser;
let host: Host;
let page: Page;
const clock = fakeClock(noon('2027-03-10'));
const dataDir = tempDir('cwb-e2e-workflow-');
const TITLE = '督办演示：在信用网站公示信用承诺书';

/** Moves the core's clock on by some hours (steps get distinct, realistic times). */
function later(hours: number): void {
  clock.set(new Date(clock.now().getTime() + hours * 3_600_000).toISOString());
}

/** A screenshot once drawers and modals have finished their opening animation. */
async function shot(name: string): Promise<void> {
  await page.waitForTimeout(400);
  await page.screenshot({ path: path.join(ARTIFACTS, name) });
}

async function pickOption(formItemLabel: string, text: string, search = false): Promise<void> {
  const item = page
    .locator('.ant-drawer .ant-form-item')
    .filter({ has: page.locator(`label:text-is("${formItemLabel}")`) });
  await item.locator('.ant-select').click();
  if (search) await page.keyboard.type(text);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

function row(title = TITLE): Locator {
  return page.locator('[data-testid="task-table"] .ant-table-row').filter({ hasText: title });
}

const rowLight = (title = TITLE) => row(title).locator('[data-light]').first().getAttribute('data-light');
const drawerLight = () => page.getByTestId('drawer-light').getAttribute('data-light');
const stepsText = () => page.getByTestId('workflow-steps').textContent();

/**
 * Waits until a drawer or modal has finished its opening animation: a click while antd's
 * motion classes are still on can be lost.
 */
async function settled(loc: Locator): Promise<void> {
  await expect
    .poll(() => loc.evaluate((el) => /-(appear|enter|leave)(\s|$)/.test(el.className)), { timeout: 5000 })
    .toBe(false);
}

async function openTask(title = TITLE): Promise<void> {
  await row(title).getByText(title).click();
  await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(1);
  await settled(page.locator('.ant-drawer-open .ant-drawer-content-wrapper'));
}

async function openTab(name: string | RegExp): Promise<void> {
  const tab = page.getByRole('tab', { name });
  await tab.click();
  await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
}

async function closeDrawer(): Promise<void> {
  await page.locator('.ant-drawer-open .ant-drawer-close').click();
  await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
}

/** Clicks a workflow button that asks for a note, fills it and confirms. */
async function actWithNote(action: string, dialogTitle: string, note: string): Promise<void> {
  await page.getByTestId(`action-${action}`).click();
  const dlg = page.getByRole('dialog', { name: dialogTitle });
  await settled(dlg);
  await dlg.getByRole('textbox').fill(note);
  await dlg.locator('.ant-modal-footer .ant-btn-primary').click();
  await expect.poll(() => dlg.isVisible()).toBe(false);
}

describe('workflow: a supervisor takes a task from 下发 to 办结', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    host = await startHost({ dataDir, rendererDir: RENDERER_DIR, clock: clock.now });
    await call(host.core, 'workspace.create', {
      name: '督办演示',
      templateId: 'qionghai',
      startMonth: '2027-03',
      me: { name: '李明', role: '项目负责人' },
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => console.error('[pageerror]', e.message, e.stack));
    page.on('console', (m) => {
      if (m.type() === 'error') console.error('[console]', m.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      await page.screenshot({
        path: path.join(ARTIFACTS, `workflow-failed-${ctx.task.name.slice(0, 20)}.png`),
      });
    }
  });

  it('opens the task list', async () => {
    await page.goto(host.openUrl);
    await expect
      .poll(() => page.getByTestId('workspace-name').textContent(), { timeout: 20_000 })
      .toContain('督办演示');
    await page.getByRole('menuitem', { name: '任务督办' }).click();
    await expect.poll(() => page.locator('.page-header h2').textContent()).toBe('任务督办');
  });

  it('creates a task due in 2 days and issues it from the list: no light → yellow', async () => {
    await page.getByTestId('new-task').click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('任务名称').fill(TITLE);
    await drawer.getByLabel('完成标准').fill('信用网站“信用承诺”栏目公示全部承诺书，提供栏目截图');
    await pickOption('牵头单位', '市场监督', true);
    await drawer.getByLabel('截止日期').click();
    await page.keyboard.type('2027-03-12');
    await page.keyboard.press('Enter');
    await shot('workflow-new.png');
    await page.getByTestId('save-task').click();
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

    await page.getByTestId('task-search').fill('督办演示');
    await expect.poll(() => row().count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row().textContent()).toContain('待下发');
    expect(await rowLight()).toBe('none');

    // select it and use 批量下发
    await row().locator('.ant-checkbox-input').check();
    await expect.poll(() => page.getByTestId('bulk-bar').textContent()).toContain('已选 1 项');
    await page.getByTestId('bulk-issue').click();
    const confirm = page.locator('.ant-modal-confirm');
    await expect.poll(() => confirm.textContent()).toContain('下发 1 项任务？');
    await settled(confirm);
    await confirm.getByRole('button', { name: '下发 1 项' }).click();
    await expect.poll(() => row().textContent()).toContain('待签收');
    await expect.poll(() => rowLight()).toBe('yellow');
    await expect.poll(() => page.getByTestId('bulk-bar').count()).toBe(0);
    // the reason is in the tooltip
    await row().locator('[data-light]').first().hover();
    await expect.poll(() => page.locator('.ant-tooltip:visible').textContent()).toContain('2 天后到期');
    await shot('workflow-list-yellow.png');
  });

  it('signs, starts and adds progress feedback with a PNG as evidence', async () => {
    await openTask();
    await expect.poll(drawerLight).toBe('yellow');
    await expect.poll(() => page.getByTestId('drawer-light').textContent()).toContain('2 天后到期');
    await expect.poll(stepsText).toContain('待签收');
    await shot('workflow-drawer-issued.png');

    later(1);
    await page.getByTestId('action-sign').click();
    await expect.poll(stepsText).toContain('已签收');
    later(1);
    await page.getByTestId('action-start').click();
    await expect.poll(stepsText).toContain('办理中');
    await expect.poll(drawerLight).toBe('yellow');

    later(3);
    await openTab(/进展反馈/);
    const form = page.getByTestId('feedback-form');
    await form.getByRole('textbox').fill('已在信用网站开设“信用承诺”栏目，公示承诺书 326 份。');
    // 60 %: a click on the slider's rail (the slider moves in steps of 5)
    const rail = await form.locator('.ant-slider-rail').boundingBox();
    await page.mouse.click(rail!.x + rail!.width * 0.6, rail!.y + rail!.height / 2);
    await form.locator('input[type="file"]').setInputFiles({
      name: '承诺书公示截图.png',
      mimeType: 'image/png',
      buffer: await drawPng(page, 200),
    });
    await expect.poll(() => form.textContent()).toContain('承诺书公示截图.png');
    await page.getByTestId('add-feedback').click();
    const entry = page.getByTestId('feedback-entry').first();
    await expect.poll(() => entry.textContent(), { timeout: 10_000 }).toContain('公示承诺书 326 份');
    await expect.poll(() => entry.textContent()).toContain('进度 60%');
    await expect
      .poll(() => entry.getByTestId('attachment-row').textContent())
      .toContain('承诺书公示截图.png');
    await expect.poll(() => page.getByRole('tab', { name: /进展反馈/ }).textContent()).toContain('（1）');
    await shot('workflow-feedback.png');

    // the evidence previews
    await entry.getByTestId('attachment-row').getByText('承诺书公示截图.png').click();
    await expect.poll(() => page.locator('.ant-image-preview img').count()).toBe(1);
    await shot('workflow-evidence-preview.png');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-image-preview').isVisible()).toBe(false);
  });

  it('reports completion, is returned with a reason, and the reason is in 办理记录', async () => {
    later(2);
    await actWithNote('report', '反馈完成', '栏目已上线，全部承诺书已公示，截图见进展反馈。');
    await expect.poll(stepsText).toContain('待复核');
    await expect.poll(drawerLight).toBe('yellow');

    // 退回 refuses an empty reason
    later(1);
    await page.getByTestId('action-return').click();
    const dlg = page.getByRole('dialog', { name: '退回重新办理' });
    await settled(dlg);
    await dlg.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => dlg.textContent()).toContain('请填写退回原因');
    await dlg.getByRole('textbox').fill('截图看不到栏目网址，请补充带网址的截图和承诺书清单。');
    await dlg.locator('.ant-modal-footer .ant-btn-primary').click();
    await expect.poll(() => dlg.isVisible()).toBe(false);
    await expect.poll(stepsText).toContain('办理中');
    await expect.poll(() => page.getByTestId('returned-alert').textContent()).toContain('截图看不到栏目网址');

    await openTab('办理记录');
    const timeline = page.getByTestId('steps-timeline');
    await expect
      .poll(() => timeline.textContent())
      .toContain('退回原因：截图看不到栏目网址，请补充带网址的截图和承诺书清单。');
    await expect.poll(() => timeline.textContent()).toContain('完成情况：栏目已上线');
    await expect.poll(() => timeline.textContent()).toContain('李明');
    await shot('workflow-returned.png');
    await closeDrawer();
  });

  it('turns red once the due date has passed, and the dashboard-style link finds it', async () => {
    clock.set(noon('2027-03-13'));
    await page.reload();
    await expect
      .poll(() => page.locator('.page-header h2').textContent(), { timeout: 20_000 })
      .toBe('任务督办');
    await page.getByTestId('task-search').fill('督办演示');
    await expect.poll(() => rowLight(), { timeout: 10_000 }).toBe('red');
    await expect.poll(() => row().locator('.row-overdue').count()).toBe(1);

    // the dashboard links to the list with a TaskFilter in the address
    await page.evaluate(() => {
      window.location.hash = `#/tasks?filter=${encodeURIComponent(
        JSON.stringify({ overdue: true, lights: ['red'], bogus: 1, statuses: ['nope', 'handling'] }),
      )}`;
    });
    const origin = page.getByTestId('origin-tags');
    await expect.poll(() => origin.textContent()).toContain('逾期任务');
    await expect.poll(() => page.getByTestId('filter-light').textContent()).toContain('红灯');
    await expect.poll(() => page.getByTestId('filter-status').textContent()).toContain('办理中');
    await expect.poll(() => row().count(), { timeout: 10_000 }).toBe(1);
    await shot('workflow-overdue-link.png');
    // removing the tag widens the list
    await origin.locator('.ant-tag-close-icon').click();
    await expect.poll(() => page.getByTestId('origin-tags').count()).toBe(0);
    await page.getByRole('button', { name: '重置' }).click();
    await expect.poll(() => page.getByTestId('filter-light').textContent()).not.toContain('红灯');
    await page.getByTestId('task-search').fill('督办演示');
    await expect.poll(() => row().count(), { timeout: 10_000 }).toBe(1);

    await openTask();
    await expect.poll(drawerLight).toBe('red');
    await expect.poll(() => page.getByTestId('drawer-light').textContent()).toContain('逾期 1 天');
    await shot('workflow-drawer-red.png');
  });

  it('reports again and is approved: 已办结', async () => {
    later(1);
    await actWithNote('report', '反馈完成', '已补充带网址的截图和承诺书清单。');
    await expect.poll(stepsText).toContain('待复核');
    later(2);
    await actWithNote('approve', '复核通过', '材料齐全，同意办结。');
    await expect.poll(drawerLight).toBe('done');
    await expect.poll(() => page.getByTestId('drawer-light').textContent()).toContain('已办结');
    await expect.poll(() => page.getByTestId('workflow-bar').textContent()).toContain('任务已办结');
    expect(await page.getByTestId('workflow-bar').locator('button[data-testid^="action-"]').count()).toBe(0);
    // the report note became a feedback entry too
    await openTab(/进展反馈/);
    await expect.poll(() => page.getByTestId('feedback-list').textContent()).toContain('已补充带网址的截图');
    await expect.poll(() => page.getByTestId('feedback-panel').textContent()).toContain('任务已办结');
    await openTab('办理记录');
    await expect.poll(() => page.getByTestId('steps-timeline').textContent()).toContain('复核意见：材料齐全');
    await shot('workflow-done.png');
    await closeDrawer();
    await expect.poll(() => rowLight()).toBe('done');
    await expect.poll(() => row().textContent()).toContain('已办结');
    await expect.poll(() => row().locator('.ant-progress-status-success').count()).toBe(1);

    // the core agrees: steps in order, by 李明
    const t = (await call(host.core, 'tasks.list', { search: '督办演示' })).rows[0]!;
    const steps = await call(host.core, 'tasks.steps', { taskId: t.id });
    expect(steps.map((s) => s.action)).toEqual([
      'issue',
      'sign',
      'start',
      'report',
      'return',
      'report',
      'approve',
    ]);
    expect(new Set(steps.map((s) => s.actorName))).toEqual(new Set(['李明']));
  });

  it('exports the filtered list to Excel', async () => {
    await expect.poll(() => row().count()).toBe(1);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-tasks').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^任务清单-.*\.xlsx$/);
    const file = path.join(dataDir, 'downloaded.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const cells: string[] = [];
    wb.eachSheet((sheet) => sheet.eachRow((r) => r.eachCell((c) => cells.push(String(c.text ?? '')))));
    // the current filter (search 督办演示) travelled with the export
    expect(cells.some((c) => c.includes(TITLE))).toBe(true);
    expect(cells.some((c) => c.includes('双公示数据') || c.includes('调整充实'))).toBe(false);
    await expect.poll(() => page.locator('.ant-notification-notice').textContent()).toContain('导出完成');
    await shot('workflow-export.png');
    await page.locator('.ant-notification-notice-close').click();
    await expect.poll(() => page.locator('.ant-notification-notice').count()).toBe(0);
  });

  it('dispatches a draft task to several units, one issued copy each', async () => {
    await page.getByTestId('task-search').fill('RW-001');
    const source = page
      .locator('[data-testid="task-table"] .ant-table-row')
      .filter({ hasText: 'RW-001' })
      .first();
    await expect.poll(() => source.textContent(), { timeout: 10_000 }).toContain('待下发');
    await source.locator('a').first().click();
    await settled(page.locator('.ant-drawer-open .ant-drawer-content-wrapper'));
    await page.getByTestId('dispatch-task').click();
    const dlg = page.getByRole('dialog', { name: '分发到多个单位' });
    await settled(dlg);
    await expect.poll(() => dlg.textContent()).toContain('每个单位各得一份独立的任务');
    for (const name of ['市场监督', '税务']) {
      await dlg.getByTestId('dispatch-depts').click();
      await page.keyboard.type(name);
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: name })
        .first()
        .click();
    }
    await page.keyboard.press('Escape'); // closes the dropdown, not the dialog
    await expect.poll(() => dlg.locator('.ant-btn-primary').textContent()).toContain('2 个单位');
    await shot('workflow-dispatch.png');
    await dlg.locator('.ant-btn-primary').click();
    await expect.poll(() => dlg.isVisible()).toBe(false);
    await closeDrawer();
    await page.getByTestId('task-search').fill('RW-001-0');
    const copies = page.locator('[data-testid="task-table"] .ant-table-row');
    await expect.poll(() => copies.count(), { timeout: 10_000 }).toBe(2);
    const texts = await copies.allTextContents();
    expect(texts.every((t) => t.includes('待签收'))).toBe(true);
    expect(texts.some((t) => t.includes('市场监管'))).toBe(true);
    expect(texts.some((t) => t.includes('税务'))).toBe(true);
  });

  it('creates a monthly series, enables it and lists its instances', async () => {
    await page.getByTestId('task-search').fill('');
    await page.getByTestId('new-task').click();
    const drawer = page.locator('.ant-drawer');
    await drawer.getByLabel('任务名称').fill('督办演示：每月报送双公示数据');
    await pickOption('牵头单位', '市场监督', true);
    await pickOption('周期', '每月');
    // recurring: start and end dates instead of a due date
    await expect.poll(() => drawer.getByLabel('开始日期').count()).toBe(1);
    expect(await drawer.getByLabel('截止日期').count()).toBe(0);
    await drawer.getByLabel('开始日期').click();
    await page.keyboard.type('2027-03-01');
    await page.keyboard.press('Enter');
    await drawer.getByLabel('结束日期').click();
    await page.keyboard.type('2027-12-31');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('save-issue-task').textContent()).toContain('保存并启用');
    await shot('workflow-series-new.png');
    await page.getByTestId('save-issue-task').click();
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

    await page.getByTestId('task-search').fill('每月报送双公示');
    const series = page
      .locator('[data-testid="task-table"] .ant-table-row')
      .filter({ has: page.getByTestId('series-cell') });
    await expect.poll(() => series.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => series.textContent()).toContain('每月');
    await expect.poll(() => series.textContent()).toContain('已启用');
    // this month's instance, with its period
    const instance = row('每月报送双公示数据（2027年3月）');
    await expect.poll(() => instance.count()).toBe(1);
    await expect.poll(() => instance.getByTestId('period-label').textContent()).toBe('3月');
    await shot('workflow-series-list.png');

    await series.getByText('督办演示：每月报送双公示数据').click();
    await expect.poll(() => page.getByTestId('workflow-bar').textContent()).toContain('已启用');
    await expect.poll(() => page.getByTestId('action-recall').textContent()).toContain('停用');
    await shot('workflow-series-drawer.png');
    await page.getByTestId('show-instances').click();
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
    await expect.poll(() => page.getByTestId('origin-tags').textContent()).toContain('周期任务的各期');
    await expect.poll(() => page.locator('[data-testid="task-table"] .ant-table-row').count()).toBe(1);
  });

  it('shows the 亮灯规则 in the settings', async () => {
    await page.getByRole('menuitem', { name: '设置' }).click();
    await openTab('亮灯规则');
    const text = page.getByTestId('light-rules-text');
    await expect.poll(() => text.textContent()).toContain('连续 14 天');
    await expect.poll(() => text.textContent()).toContain('3 天之内');
    const yellow = page.getByTestId('light-rules-form').getByLabel('黄灯：到期前 N 天内');
    await yellow.fill('5');
    await expect.poll(() => text.textContent()).toContain('5 天之内');
    await page.getByTestId('light-rules-form').getByRole('button', { name: '保存规则' }).click();
    await expect.poll(async () => (await call(host.core, 'lights.rules', {})).yellowDays).toBe(5);
    await shot('workflow-light-rules.png');
  });
});
