/**
 * A new user's first session, in the real renderer (Debian Chromium) over the web host:
 * create a workspace from the template, see departments and tasks, add and edit a task,
 * move it on with a workflow button, restart the host, and find the task still there.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../main/host/server';
import { tempDir } from '../helpers/core';
import { ARTIFACTS, launchBrowser, RENDERER_DIR } from './browser';

let browser: Browser;
let host: Host;
let page: Page;
const dataDir = tempDir('cwb-e2e-');

async function start(): Promise<Host> {
  return startHost({ dataDir, rendererDir: RENDERER_DIR });
}

/** Opens an antd Select in a form item, optionally types a search, and picks the option containing `text`. */
async function pickOption(page: Page, formItemLabel: string, text: string, search = false): Promise<void> {
  const item = page
    .locator('.ant-form-item')
    .filter({ has: page.locator(`label:text-is("${formItemLabel}")`) });
  await item.locator('.ant-select').click();
  if (search) await page.keyboard.type(text);
  await page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text })
    .first()
    .click();
}

/** Waits until the task drawer has finished opening (a click during antd's motion can be lost). */
async function drawerSettled(page: Page): Promise<void> {
  const panel = page.locator('.ant-drawer-open .ant-drawer-content-wrapper');
  await expect.poll(() => panel.count()).toBe(1);
  await expect
    .poll(() => panel.evaluate((el) => /-(appear|enter|leave)(\s|$)/.test(el.className)))
    .toBe(false);
}

async function rowByTitle(page: Page, title: string) {
  return page.locator('[data-testid="task-table"] .ant-table-row').filter({ hasText: title });
}

describe('foundation: first session in the browser', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    host = await start();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('refuses API calls without the per-run token', async () => {
    const res = await fetch(`${host.url}api/invoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'app.info', input: {} }),
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { ok: boolean; error: { code: string; message: string } };
    expect(body.ok).toBe(false);
    expect(body.error.code).toBe('UNAUTHORIZED');
    expect(body.error.message).toMatch(/令牌/);
  });

  it('creates a workspace from the bundled template', async () => {
    await page.goto(host.openUrl);
    await expect.poll(() => page.locator('h1').textContent()).toBe('信用创建工作台');
    // the token is removed from the address bar
    expect(page.url()).not.toContain('token=');
    const form = page.getByTestId('create-workspace-form');
    await form.getByLabel('我的姓名').fill('李明');
    await form.getByRole('button', { name: '添加驻场同事' }).click();
    await form.getByPlaceholder('同事姓名').fill('王芳');
    await page.screenshot({ path: path.join(ARTIFACTS, 'welcome.png') });
    await form.getByRole('button', { name: '从模板创建' }).click();
    await expect
      .poll(() => page.getByTestId('workspace-name').textContent(), { timeout: 20_000 })
      .toContain('琼海市');
    // a new workspace opens on the dashboard (驾驶舱); the supervision work is in 任务督办
    await expect.poll(() => page.locator('.page-header h2').first().textContent()).toBe('驾驶舱');
    await page.getByRole('menuitem', { name: '任务督办' }).click();
    await expect.poll(() => page.locator('.page-header h2').textContent()).toBe('任务督办');
  });

  it('shows the template departments and tasks', async () => {
    const rows = page.locator('[data-testid="task-table"] .ant-table-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThan(10);
    await expect.poll(() => page.locator('.page-sub').first().textContent()).toMatch(/共 \d{2,} 项/);

    await page.getByRole('menuitem', { name: '部门单位' }).click();
    await expect.poll(() => page.locator('.page-header h2').textContent()).toBe('部门单位');
    await expect.poll(() => page.getByText('琼海市发展和改革委员会').count()).toBeGreaterThan(0);
    await expect
      .poll(() => page.locator('[data-testid="dept-table"] .ant-table-row').count())
      .toBeGreaterThanOrEqual(35);
    await page.screenshot({ path: path.join(ARTIFACTS, 'departments.png') });

    // a page not built yet says so (no fake data)
    await page.getByRole('menuitem', { name: '会议培训' }).click();
    await expect.poll(() => page.getByText('建设中').count()).toBeGreaterThan(0);
    await page.getByRole('menuitem', { name: '任务督办' }).click();
  });

  it('filters tasks by text search (two Chinese characters)', async () => {
    const rows = page.locator('[data-testid="task-table"] .ant-table-row');
    const before = await rows.count();
    await page.getByTestId('task-search').fill('双公');
    await expect
      .poll(async () => {
        const n = await rows.count();
        return n > 0 && n < before;
      })
      .toBe(true);
    const texts = await rows.allTextContents();
    expect(texts.length).toBeGreaterThan(0);
    await page.getByTestId('task-search').fill('');
    await expect.poll(() => rows.count()).toBe(before);
  });

  it('adds a task and edits it in the drawer', async () => {
    await page.getByTestId('new-task').click();
    const drawer = page.getByRole('dialog');
    await drawer.getByLabel('任务名称').fill('端到端测试：组织信用修复专题培训');
    await drawer.getByLabel('完成标准').fill('培训覆盖全部失信主体，提供签到表和照片');
    await pickOption(page, '牵头单位', '市场监督', true);
    await drawer.getByLabel('截止日期').click();
    await page.keyboard.type('2027-06-30');
    await page.keyboard.press('Enter');
    await page.getByTestId('save-task').click();
    await expect.poll(() => drawer.count()).toBe(0);
    // the table is virtualized: rows far down are not in the DOM, so find it by search
    await page.getByTestId('task-search').fill('端到端测试');
    await expect
      .poll(async () => (await rowByTitle(page, '端到端测试：组织信用修复专题培训')).count(), {
        timeout: 10_000,
      })
      .toBe(1);

    // a new task is 待下发 and has no light yet
    const created = await rowByTitle(page, '端到端测试：组织信用修复专题培训');
    await expect.poll(() => created.locator('[data-light]').getAttribute('data-light')).toBe('none');
    await expect.poll(() => created.textContent()).toContain('待下发');

    // edit: open the drawer from the row, change title and priority (the status is not a field)
    await created.getByText('端到端测试：组织信用修复专题培训').click();
    await drawerSettled(page);
    await expect
      .poll(() => drawer.getByLabel('任务名称').inputValue())
      .toBe('端到端测试：组织信用修复专题培训');
    expect(await drawer.locator('label:text-is("状态")').count()).toBe(0);
    await drawer.getByLabel('任务名称').fill('端到端测试：组织信用修复专题培训（已调整）');
    await pickOption(page, '优先级', '紧急');
    await page.getByTestId('save-task').click();
    const row = await rowByTitle(page, '（已调整）');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row.textContent()).toContain('紧急');
    await expect.poll(() => row.textContent()).toContain('2027-06-30');
    await expect.poll(() => row.textContent()).toContain('待下发');

    // move it on with a workflow button: 下发 → 待签收, and it gets a light
    await row.getByText('端到端测试').click();
    await drawerSettled(page);
    await expect.poll(() => page.getByTestId('workflow-steps').textContent()).toContain('待下发');
    await page.getByTestId('action-issue').click();
    await expect.poll(() => page.getByTestId('workflow-steps').textContent()).toContain('待签收');
    await expect.poll(() => page.getByTestId('action-sign').count()).toBe(1);
    await expect.poll(() => row.textContent()).toContain('待签收');
    await expect.poll(() => row.locator('[data-light]').getAttribute('data-light')).not.toBe('none');

    // the audit trail in the drawer shows who changed what
    await page.getByRole('tab', { name: '操作留痕' }).click();
    const audit = page.locator('.ant-drawer').locator('.ant-timeline');
    await expect.poll(() => audit.textContent()).toContain('待下发 → 待签收');
    await expect.poll(() => audit.textContent()).toContain('一般 → 紧急');
    await expect.poll(() => audit.textContent()).toContain('李明');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
    await page.getByTestId('task-search').fill('');
    await expect
      .poll(async () => (await page.locator('[data-testid="task-table"] .ant-table-row').count()) > 10)
      .toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, 'tasks.png') });
    await page.getByTestId('task-search').fill('端到端测试');
  });

  it('keeps the task after the host restarts', async () => {
    await host.close();
    host = await start();
    await page.goto(host.openUrl);
    await expect
      .poll(() => page.getByTestId('workspace-name').textContent(), { timeout: 20_000 })
      .toContain('琼海市');
    await page.getByRole('menuitem', { name: '任务督办' }).click();
    await page.getByTestId('task-search').fill('已调整');
    const row = await rowByTitle(page, '端到端测试：组织信用修复专题培训（已调整）');
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => row.textContent()).toContain('待签收');
  });

  it('deletes a task after confirmation', async () => {
    const row = await rowByTitle(page, '（已调整）');
    await row.getByText('端到端测试').click();
    await drawerSettled(page);
    await page.getByTestId('delete-task').click();
    await page.locator('.ant-popover').getByRole('button', { name: '删除' }).click();
    await expect.poll(() => row.count(), { timeout: 10_000 }).toBe(0);
  });
});
