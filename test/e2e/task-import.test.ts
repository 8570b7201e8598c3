/**
 * Excel import of a department's task list, as departments actually send it, in the real renderer
 * over the web host: a title row merged across the columns above a header on row 3, category rows,
 * a 牵头单位 cell merged down over two tasks, due dates written 2027年3月31日 / 2027.3.31 / as an
 * Excel serial number, one unit that is not in the department list and one impossible date.
 *
 * The workbook is made here with exceljs. The core's reading of it is checked first (always);
 * then the wizard is driven from the 任务督办 page's “导入 Excel” button: a .xls is refused with
 * the core's message, the workbook is previewed, the unknown unit is mapped to 市发改委, an
 * expired preview is previewed again, and the commit creates the tasks (checked with tasks.list).
 * If the page has no “导入 Excel” button yet (TasksPage not wired to ImportTasksModal), the
 * browser part is skipped with a note.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page, Route } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../main/host/server';
import { fakeClock, noon } from '../helpers/clock';
import { call, tempDir } from '../helpers/core';
import { ARTIFACTS, launchBrowser, RENDERER_DIR } from './browser';

let browser: Browser;
let host: Host;
let page: Page;
let workbook: Buffer;
/** Set once the 任务督办 page is known to have the “导入 Excel” button. */
let wired = false;
const clock = fakeClock(noon('2027-01-10'));
const dataDir = tempDir('cwb-e2e-import-');

const FILE = '各单位任务清单（2027年第一批）.xlsx';
const UNKNOWN = '市信用体系建设专班';
/** A typo of 人社局: not matched, but 市人社局 is suggested. */
const TYPO = '人设局';
const T = {
  tax: '端到端导入：归集纳税信用信息',
  taxList: '端到端导入：公示纳税信用A级纳税人名单',
  month: '端到端导入：开展诚信宣传月活动',
  street: '端到端导入：建设信用示范街区',
  data: '端到端导入：修复信用平台数据',
};
/** 2027-04-30 as an Excel serial date (days since 1899-12-30). */
const SERIAL_2027_04_30 = 46507;

async function messyWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('任务清单');
  ws.addRow(['琼海市社会信用体系建设示范区创建任务清单（市直单位报送）']);
  ws.mergeCells('A1:G1');
  ws.addRow(['填报单位：市信用办', '', '', '填报日期：2027年1月5日']);
  ws.addRow(['序号', '任务名称', '牵头单位', '配合单位', '完成时限', '关联指标', '备注']);
  ws.addRow(['一、信用信息归集']); // 4
  ws.mergeCells('A4:G4');
  ws.addRow([1, T.tax, '市税务局', '市财政局', '2027年3月31日', '基础-01', '']); // 5
  ws.addRow([2, T.taxList, '', TYPO, '2027.3.31', '', '']); // 6
  ws.mergeCells('C5:C6'); // one 牵头单位 for both tasks
  ws.addRow(['二、信用宣传与应用']); // 7
  ws.mergeCells('A7:G7');
  ws.addRow([3, T.month, '宣传部', '各镇（区）', SERIAL_2027_04_30, '', '']); // 8
  ws.addRow([4, T.street, UNKNOWN, '市住建局', '2027年6月底', '', '']); // 9
  ws.addRow([5, T.data, '市信息中心', '', '2027年2月30日', '', '']); // 10
  ws.getColumn(2).width = 36;
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, name) });
const wizard = () => page.getByTestId('import-wizard');
const summary = () => page.getByTestId('import-summary').textContent();
const tableRow = (text: string) =>
  page.locator('[data-testid="import-table"] .ant-table-row').filter({ hasText: text });

/** A file chosen in the wizard's drop zone. */
async function choose(name: string, buffer: Buffer, mimeType: string): Promise<void> {
  await page
    .getByTestId('import-drop')
    .locator('input[type="file"]')
    .setInputFiles({ name, mimeType, buffer });
}

async function commitWithConfirm(ready: number, skipped: number): Promise<void> {
  await page.getByTestId('import-commit').click();
  const confirm = page.locator('.ant-modal-confirm');
  await expect.poll(() => confirm.textContent()).toContain(`导入 ${ready} 项任务，跳过 ${skipped} 行？`);
  await confirm.getByRole('button', { name: `导入 ${ready} 项` }).click();
}

describe('task import: a messy department workbook through the wizard', () => {
  beforeAll(async () => {
    workbook = await messyWorkbook();
    browser = await launchBrowser();
    host = await startHost({ dataDir, rendererDir: RENDERER_DIR, clock: clock.now });
    await call(host.core, 'workspace.create', {
      name: '导入演示',
      templateId: 'qionghai',
      startMonth: '2027-01',
      me: { name: '李明', role: '项目负责人' },
    });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('the core reads the generated workbook the way the wizard will show it', async () => {
    // the same path as the renderer: one upload chunk, then a preview by upload id
    const up = await call(host.core, 'attachments.upload', {
      uploadId: null,
      data: workbook.toString('base64'),
    });
    const p = await call(host.core, 'tasks.importPreview', { uploadId: up.uploadId, fileName: FILE });
    expect(p.fileName).toBe(FILE);
    expect(p.sheet).toBe('任务清单');
    expect(p.headerRow).toBe(3);
    expect(p.rows.map((r) => r.rowNumber)).toEqual([5, 6, 8, 9, 10]);
    expect(p.skipped.map((s) => s.reason)).toEqual(['category', 'category']);
    expect(p.rows.map((r) => r.task.dueDate)).toEqual([
      '2027-03-31',
      '2027-03-31',
      '2027-04-30',
      '2027-06-30',
      null,
    ]);
    // the merged 牵头单位 reaches row 6
    expect(p.rows[1]!.task.leadDeptId).toBe(p.rows[0]!.task.leadDeptId);
    expect(p.rows[0]!.task.leadDeptId).not.toBeNull();
    expect(p.unmatchedDepartments.map((u) => [u.name, u.rows])).toEqual([
      [TYPO, [6]],
      [UNKNOWN, [9]],
    ]);
    const rsj = (await call(host.core, 'departments.list', {})).find((d) => d.shortName === '市人社局');
    expect(p.unmatchedDepartments[0]!.suggestions[0]?.id).toBe(rsj?.id);
    expect(p.counts).toMatchObject({ rows: 5, ready: 2, withErrors: 3, skipped: 2 });
    const dateError = p.rows[4]!.problems.find((x) => x.severity === 'error');
    expect(dateError).toMatchObject({ column: 'E', header: '完成时限' });
  });

  it('opens the import wizard from 任务督办 (if the page has the button)', async (ctx) => {
    await page.goto(host.openUrl);
    await expect
      .poll(() => page.getByTestId('workspace-name').textContent(), { timeout: 20_000 })
      .toContain('导入演示');
    await page.getByRole('menuitem', { name: '任务督办' }).click();
    await expect.poll(() => page.locator('.page-header h2').textContent()).toBe('任务督办');
    await expect
      .poll(() => page.locator('[data-testid="task-table"] .ant-table-row').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    const button = page.getByRole('button', { name: '导入 Excel' });
    if ((await button.count()) === 0) {
      console.warn(
        '[task-import] 任务督办页面上还没有“导入 Excel”按钮（TasksPage 尚未接入 ImportTasksModal），' +
          '跳过界面部分；核心部分已测试。',
      );
      ctx.skip();
      return;
    }
    wired = true;
    await button.click();
    const dialog = page.getByRole('dialog', { name: '从 Excel 导入任务' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await expect.poll(() => wizard().textContent()).toContain('选择文件');
    await expect.poll(() => wizard().textContent()).toContain('预览与核对');
    await expect
      .poll(() => page.getByTestId('import-drop').textContent())
      .toContain('支持各部门报送的原始表格：表头上方的标题行、合并单元格、各种日期写法都能识别');
  });

  it('refuses a .xls with the core message and lets the user choose another file', async (ctx) => {
    if (!wired) return ctx.skip();
    const ole2 = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(2048),
    ]);
    await choose('老表格.xls', ole2, 'application/vnd.ms-excel');
    const error = page.getByTestId('import-error');
    await expect.poll(() => error.textContent(), { timeout: 15_000 }).toContain('无法导入「老表格.xls」');
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('旧版 Excel 97-2003 格式');
    expect(text).toContain('另存为');
    // the drop zone is still there for another file
    await expect.poll(() => page.getByTestId('import-drop').textContent()).toContain('重新选择文件');
    await shot('import-error.png');
  });

  it('previews the workbook: summary, per-row problems, unmatched unit, filters', async (ctx) => {
    if (!wired) return ctx.skip();
    await choose(FILE, workbook, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    await expect.poll(() => page.getByTestId('import-summary').count(), { timeout: 20_000 }).toBe(1);
    const s = (await summary()) ?? '';
    expect(s).toContain(FILE);
    expect(s).toMatch(/工作表「任务清单」第 3 行为表头；共 5 行，可导入 2 行，有错误 3 行，有提醒 \d+ 行；/);
    expect(s).toContain('跳过的标题/分类行 2 行');

    const unit = page.locator(`[data-testid="unmatched-unit"][data-name="${UNKNOWN}"]`);
    await expect.poll(() => unit.textContent()).toContain('出现在第 9 行');

    const rows = page.locator('[data-testid="import-table"] .ant-table-row');
    await expect.poll(() => rows.count()).toBe(5);
    // the vertically merged 牵头单位 is shown on both rows; the dates are read
    await expect.poll(() => tableRow(T.taxList).textContent()).toContain('市税务局');
    await expect.poll(() => tableRow(T.taxList).textContent()).toContain('2027-03-31');
    await expect.poll(() => tableRow(T.month).textContent()).toContain('2027-04-30');
    await expect.poll(() => tableRow(T.tax).textContent()).toContain('基础-01');
    // problems name column and header
    const street = tableRow(T.street);
    await expect
      .poll(() => street.locator('[data-severity="error"]').textContent())
      .toContain(`C 列（牵头单位）：「${UNKNOWN}」不在部门单位名单中`);
    await expect
      .poll(() => tableRow(T.data).locator('[data-severity="error"]').textContent())
      .toContain('E 列（完成时限）：');

    await page.getByTestId('import-filter').getByText('有错误').click();
    await expect.poll(() => rows.count()).toBe(3);
    await page.getByTestId('import-filter').getByText('有提醒').click();
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    await expect.poll(() => tableRow(T.month).count()).toBe(1); // 各镇（区） expanded to all towns
    await page.getByTestId('import-filter').getByText('全部').click();
    await expect.poll(() => rows.count()).toBe(5);
    await page.mouse.move(1, 1);
    await page.waitForTimeout(400); // let the filter buttons finish their transition
    await shot('import-preview.png');
  });

  it('maps the unknown unit to 市发改委 and takes the suggestion for a typo', async (ctx) => {
    if (!wired) return ctx.skip();
    const unit = (name: string) => page.locator(`[data-testid="unmatched-unit"][data-name="${name}"]`);
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    const closed = () => page.locator('.ant-select-dropdown:visible').count();

    await unit(UNKNOWN).locator('.ant-select').click();
    await page.keyboard.type('市发改委');
    await options.filter({ hasText: '市发改委' }).first().click();
    await expect.poll(closed).toBe(0);
    await expect.poll(summary).toMatch(/共 5 行，可导入 3 行，有错误 2 行/);
    await expect.poll(() => tableRow(T.street).locator('[data-severity="error"]').count()).toBe(0);
    await expect
      .poll(() => tableRow(T.street).locator('[data-severity="settled"]').textContent())
      .toContain(`「${UNKNOWN}」已对应为「市发改委」`);
    await expect.poll(() => tableRow(T.street).textContent()).toContain('市发改委');

    // the suggestion comes first, marked 推荐
    await unit(TYPO).locator('.ant-select').click();
    await expect.poll(() => options.first().textContent()).toContain('市人社局');
    await expect.poll(() => options.first().textContent()).toContain('推荐');
    await page.waitForTimeout(400); // let the dropdown finish opening
    await shot('import-suggestion.png');
    await options.first().click();
    await expect.poll(closed).toBe(0);
    await expect.poll(summary).toMatch(/共 5 行，可导入 4 行，有错误 1 行/);
    await expect.poll(() => tableRow(T.taxList).textContent()).toContain('市人社局');
    await expect.poll(() => page.getByTestId('import-unmatched').textContent()).toContain('已全部处理');

    const issue = page.getByRole('checkbox', { name: '导入后立即下发' });
    await issue.check();
    await expect.poll(() => issue.isChecked()).toBe(true);
    await expect.poll(() => page.getByTestId('import-commit').textContent()).toContain('导入 4 项任务');
    await page.mouse.move(1, 1);
    await page.waitForTimeout(400);
    await shot('import-preview-mapped.png');
  });

  it('an expired preview is previewed again with the mapping kept', async (ctx) => {
    if (!wired) return ctx.skip();
    // the core forgets previews after an hour (or a restart): answer the first commit as it would then
    let answered = false;
    const expire = async (route: Route) => {
      const body = route.request().postDataJSON() as { name?: string };
      if (body.name === 'tasks.importCommit' && !answered) {
        answered = true;
        await route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({
            ok: false,
            error: { code: 'NOT_FOUND', message: '导入预览已过期，请重新选择文件预览。' },
          }),
        });
        return;
      }
      await route.continue();
    };
    await page.route('**/api/invoke', expire);
    try {
      await commitWithConfirm(4, 1);
      await expect.poll(() => page.getByTestId('import-expired').textContent()).toContain('请重新预览');
      expect(answered).toBe(true);
      await expect.poll(() => page.locator('.ant-modal-confirm').count()).toBe(0);
      await shot('import-expired.png');
      const before = await call(host.core, 'tasks.list', { search: '端到端导入' });
      expect(before.total).toBe(0);
    } finally {
      await page.unroute('**/api/invoke', expire);
    }
    await page.getByTestId('import-repreview').click();
    await expect.poll(summary, { timeout: 20_000 }).toMatch(/共 5 行，可导入 4 行，有错误 1 行/);
  });

  it('imports in one go and the tasks are in the core', async (ctx) => {
    if (!wired) return ctx.skip();
    await expect.poll(() => page.getByRole('checkbox', { name: '导入后立即下发' }).isChecked()).toBe(true);
    await commitWithConfirm(4, 1);
    await expect
      .poll(() => page.getByTestId('import-result').textContent(), { timeout: 20_000 })
      .toContain('已导入 4 项任务，跳过 1 行');
    await shot('import-done.png');
    await page.getByTestId('import-done').click();
    await expect.poll(() => page.getByRole('dialog', { name: '从 Excel 导入任务' }).count()).toBe(0);

    const depts = await call(host.core, 'departments.list', {});
    const id = (short: string) => depts.find((d) => d.shortName === short)?.id;
    const list = await call(host.core, 'tasks.list', { search: '端到端导入' });
    const byTitle = new Map(list.rows.map((t) => [t.title, t]));
    expect([...byTitle.keys()].sort()).toEqual([T.tax, T.taxList, T.month, T.street].sort());
    expect(byTitle.has(T.data)).toBe(false);
    expect(list.rows.every((t) => t.status === 'issued')).toBe(true);
    expect(byTitle.get(T.street)).toMatchObject({ leadDeptId: id('市发改委'), dueDate: '2027-06-30' });
    expect(byTitle.get(T.street)!.coopDeptIds).toEqual([id('市住建局')]);
    expect(byTitle.get(T.tax)).toMatchObject({ leadDeptId: id('市税务局'), dueDate: '2027-03-31' });
    expect(byTitle.get(T.taxList)).toMatchObject({ leadDeptId: id('市税务局'), dueDate: '2027-03-31' });
    expect(byTitle.get(T.taxList)!.coopDeptIds).toEqual([id('市人社局')]);
    expect(byTitle.get(T.month)).toMatchObject({ leadDeptId: id('市委宣传部'), dueDate: '2027-04-30' });
    expect(byTitle.get(T.month)!.coopDeptIds.length).toBeGreaterThan(5);
    expect(byTitle.get(T.tax)!.indicatorIds).toHaveLength(1);

    // and the list on the page shows them
    await page.getByTestId('task-search').fill('端到端导入');
    await expect
      .poll(() => page.locator('[data-testid="task-table"] .ant-table-row').count(), { timeout: 10_000 })
      .toBe(4);
  });
});
