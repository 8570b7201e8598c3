/**
 * 数据合规 in the real renderer (Debian Chromium over the web host), the acceptance test:
 * a PDF named .xlsx is refused with a Chinese message and nothing is recorded; a GBK CSV of
 * 行政处罚 rows with known defects (four error rows, one warning-only row) is previewed (GBK, the
 * 行政处罚 rule set, the column mapping), checked for 琼海市市场监督管理局 and this month, and the
 * page shows the rate (rows − error rows) / rows; 部门合规率 shows the department's rate; the error
 * workbook is downloaded and opened with exceljs: every defect row is there with its bad cell
 * filled and 错误字段 / 规则 / 说明 filled; 检查记录 and 规则集 list the run and the rule sets;
 * the dashboard card names the department among the worst. Screenshots of every tab go to
 * /tmp/compliance-*.png (and test-results/e2e).
 */
import fs from 'node:fs';
import path from 'node:path';
import dayjs from 'dayjs';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright';
import { beforeAll, describe, expect, it } from 'vitest';
import { ERROR_FILL } from '../../main/core/compliance/error-workbook';
import type { ComplianceRunSummary } from '../../main/core/contract/compliance';
import type { Host } from '../../main/host/server';
import { writeCsv, writePdf } from '../helpers/compliance-files';
import {
  injectDefects,
  PENALTY_COLUMNS,
  PENALTY_HEADERS,
  rng,
  validPenaltyRow,
  type InjectedDefect,
} from '../helpers/compliance-rows';
import { call, tempDir } from '../helpers/core';
import { ARTIFACTS, closeSessionAfterAll, openWorkspaceSession } from './browser';

let browser: Browser;
let host: Host;
let page: Page;
const dataDir = tempDir('cwb-e2e-compliance-');
const filesDir = tempDir('cwb-e2e-compliance-files-');
const pageErrors: string[] = [];

const DEPT = '琼海市市场监督管理局';
const MONTH = dayjs().format('YYYY-MM');
const monthText = `${MONTH.slice(0, 4)}年${Number(MONTH.slice(5, 7))}月`;
const ROWS = 40;

/** 40 valid penalty rows with four error defects and one warning-only defect. */
function penaltyFile(): { file: string; rows: string[][]; defects: InjectedDefect[] } {
  const rand = rng(7001);
  const rows = Array.from({ length: ROWS }, (_, i) => validPenaltyRow(rand, i));
  const defects = injectDefects(rows, rand, {
    kinds: ['required', 'uscc_check', 'date_format', 'code_list', 'whitespace'],
  });
  const file = path.join(filesDir, `${DEPT}-行政处罚-${MONTH}.csv`);
  writeCsv(file, [[...PENALTY_HEADERS], ...rows], { encoding: 'gbk' });
  return { file, rows, defects };
}

/** The page's rate text: at most two decimals, cut (not rounded) so 99.996 never reads 100. */
function rateText(rate: number): string {
  if (rate >= 100) return '100';
  const r = Math.floor(rate * 100) / 100;
  return Number.isInteger(r) ? String(r) : r.toFixed(2).replace(/0$/, '');
}

function poll<T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: 15_000, ...opts });
}

/** A screenshot in ARTIFACTS and in /tmp/compliance-<name>.png (looked at while building the page). */
async function shot(name: string): Promise<void> {
  await page.mouse.move(5, 890);
  await page.waitForTimeout(500);
  const file = path.join(ARTIFACTS, `compliance-${name}.png`);
  await page.screenshot({ path: file });
  fs.copyFileSync(file, `/tmp/compliance-${name}.png`);
}

async function dismissNotices(): Promise<void> {
  for (const close of await page.locator('.ant-notification-notice-close').all())
    await close.click({ timeout: 500 }).catch(() => undefined);
  await page
    .locator('.ant-notification-notice')
    .first()
    .waitFor({ state: 'detached', timeout: 8_000 })
    .catch(() => undefined);
}

async function download(click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  await dismissNotices();
  const [d] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), click()]);
  return { name: d.suggestedFilename(), bytes: fs.readFileSync(await d.path()) };
}

const runs = (): Promise<ComplianceRunSummary[]> => call(host.core, 'compliance.runs', {});

async function openTab(testId: string): Promise<void> {
  await page.getByTestId(testId).click();
}

async function chooseFile(file: string): Promise<void> {
  await page.getByTestId('check-drop').locator('input[type=file]').setInputFiles(file);
}

/** Picks an option of an antd Select inside the form item labelled `label`. */
async function pickOption(label: string, text: string): Promise<void> {
  const item = page.getByTestId('check-form').locator('.ant-form-item').filter({ hasText: label });
  await item.locator('.ant-select').click();
  await page.keyboard.type(text);
  const option = page
    .locator('.ant-select-dropdown:visible .ant-select-item-option')
    .filter({ hasText: text });
  await option.first().click();
  await poll(() => item.locator('.ant-select').textContent()).toContain(text);
}

describe('data compliance checks in the browser', () => {
  beforeAll(async () => {
    ({ browser, host, page } = await openWorkspaceSession(dataDir, pageErrors));
    await page.goto(host.openUrl);
    await page.getByTestId('workspace-name').filter({ hasText: '琼海市' }).waitFor({ timeout: 20_000 });
  });

  closeSessionAfterAll(() => ({ browser, host, page }), 'compliance');

  it('refuses a file that is not a spreadsheet with a Chinese message and records nothing', async () => {
    await page.getByRole('menuitem', { name: '数据合规' }).click();
    await poll(() => page.locator('.page-header h2').textContent()).toBe('数据合规');
    await shot('check-empty');

    const pdf = path.join(filesDir, '行政处罚（扫描件）.xlsx');
    writePdf(pdf);
    await chooseFile(pdf);
    const err = page.getByTestId('check-file-error');
    await poll(() => err.textContent()).toMatch(/PDF/);
    expect(await err.textContent()).toMatch(/[\u4e00-\u9fa5]/);
    expect(await page.locator('.ant-alert').filter({ hasText: '行政处罚（扫描件）.xlsx' }).count()).toBe(1);
    await shot('check-bad-file');
    // the page stays usable: the drop zone invites another file
    expect(await page.getByTestId('check-drop').textContent()).toContain('重新选择文件');
    expect(await runs()).toEqual([]);
    await openTab('tab-runs');
    await poll(() => page.getByTestId('runs-empty').count()).toBe(1);
    await openTab('tab-check');
  });

  it('previews a GBK CSV, checks it for a department and shows the rate', async () => {
    const { file, defects } = penaltyFile();
    const errorRows = new Set(defects.filter((d) => d.severity === 'error').map((d) => d.index)).size;
    expect(errorRows).toBe(4);
    const expectedRate = ((ROWS - errorRows) / ROWS) * 100;

    await chooseFile(file);
    const preview = page.getByTestId('check-preview');
    await poll(() => preview.isVisible()).toBe(true);
    expect(await page.getByTestId('preview-file').textContent()).toBe(path.basename(file));
    expect(await page.getByTestId('preview-encoding').textContent()).toBe('GBK 编码');
    expect(await page.getByTestId('preview-header-row').textContent()).toBe('表头在第 1 行');
    const ruleSet = page.getByTestId('check-form').locator('.ant-form-item').filter({ hasText: '规则集' });
    await poll(() => ruleSet.locator('.ant-select').textContent()).toContain('行政处罚');
    // every column of the file is mapped to its standard field
    const mapping = page.locator('[data-testid="preview-mapping"] .ant-table-row');
    await poll(() => mapping.count()).toBe(PENALTY_COLUMNS.length);
    expect(await page.getByTestId('preview-mapping').getByText('未识别').count()).toBe(0);
    expect(await page.getByTestId('preview-missing').count()).toBe(0);
    expect(await page.locator('[data-testid="preview-rows"] .ant-table-row').count()).toBeGreaterThan(3);

    await pickOption('报送单位', DEPT);
    const month = page.getByTestId('check-form').locator('.ant-picker input');
    await month.click();
    await month.fill(monthText);
    await month.press('Enter');
    await poll(() => month.inputValue()).toBe(monthText);
    await shot('check-preview');

    await page.getByTestId('check-start').click();
    const result = page.getByTestId('check-result');
    await poll(() => result.isVisible(), { timeout: 60_000 }).toBe(true);
    expect(await page.getByTestId('result-rate').textContent()).toBe(`${rateText(expectedRate)}%`);
    expect(await page.getByTestId('result-rows-value').textContent()).toBe(String(ROWS));
    expect(await page.getByTestId('result-error-rows-value').textContent()).toBe(String(errorRows));
    expect(await page.getByTestId('result-warning-rows-value').textContent()).toBe('1');
    expect(await page.getByTestId('result-wrong-codes-value').textContent()).toBe('1');
    // the first findings name the file's rows (header row = 1) and fields
    const findings = page.locator('[data-testid="result-findings"] .ant-table-row');
    await poll(() => findings.count()).toBe(defects.length);
    const first = defects[0]!;
    expect(await findings.first().textContent()).toContain(String(first.index + 2));
    expect(await findings.first().textContent()).toContain(first.field);
    await dismissNotices();
    await shot('check-result');
    await page.getByTestId('result-findings').scrollIntoViewIfNeeded();
    await shot('check-result-findings');
    await page.getByTestId('check-preview').scrollIntoViewIfNeeded();

    const stored = await runs();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      deptName: DEPT,
      month: MONTH,
      rows: ROWS,
      errorRows,
      ruleSetCode: 'xzcf',
    });
    expect(stored[0]!.rate).toBeCloseTo(expectedRate, 6);
  });

  it('exports the error workbook: the defect rows with highlighted cells and explanations', async () => {
    const { rows, defects } = penaltyFile();
    const { name, bytes } = await download(() =>
      page.getByTestId('check-result').getByTestId('export-errors').click(),
    );
    expect(name).toMatch(/\.xlsx$/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('错误明细');
    expect(ws).toBeDefined();
    const header = (ws!.getRow(1).values as unknown[]).slice(1).map(String);
    expect(header[0]).toBe('原行号');
    expect(header.slice(1, 1 + PENALTY_HEADERS.length)).toEqual([...PENALTY_HEADERS]);
    expect(header.slice(-3)).toEqual(['错误字段', '规则', '说明']);
    const fieldCol = header.length - 2;
    const byRow = new Map<number, number>();
    ws!.eachRow((r, n) => {
      if (n > 1) byRow.set(Number(r.getCell(1).value), n);
    });
    expect([...byRow.keys()].sort((a, b) => a - b)).toEqual(
      [...new Set(defects.map((d) => d.index + 2))].sort((a, b) => a - b),
    );
    for (const d of defects) {
      const r = ws!.getRow(byRow.get(d.index + 2)!);
      // the file's own values are there
      expect(String(r.getCell(2).value ?? '')).toBe(rows[d.index]![0]!);
      const bad = r.getCell(d.column + 2);
      const fill = bad.fill as ExcelJS.FillPattern;
      if (d.severity === 'error') {
        expect(fill?.pattern).toBe('solid');
        expect(fill?.fgColor?.argb).toBe(`FF${ERROR_FILL}`);
      } else expect(fill?.pattern).toBe('solid');
      expect(String(r.getCell(fieldCol).value)).toContain(d.field);
      expect(String(r.getCell(fieldCol + 1).value ?? '').length).toBeGreaterThan(0);
      expect(String(r.getCell(fieldCol + 2).value ?? '')).toMatch(/[\u4e00-\u9fa5]/);
    }
  });

  it('shows the department rate on 部门合规率, the run on 检查记录 and the rule sets', async () => {
    const [run] = await runs();
    await dismissNotices();
    await openTab('tab-overview');
    const row = page.locator('[data-testid="overview-depts"] .ant-table-row').filter({ hasText: DEPT });
    await poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('dept-rate').textContent()).toBe(`${rateText(run!.rate)}%`);
    expect(await page.getByTestId('overview-cat-double-value').textContent()).toBe(`${rateText(run!.rate)}%`);
    await poll(() => page.getByTestId('history-chart').locator('canvas').count()).toBeGreaterThan(0);
    await shot('overview');

    await openTab('tab-runs');
    const runRow = page.locator('[data-testid="runs-table"] .ant-table-row').filter({ hasText: DEPT });
    await poll(() => runRow.count()).toBe(1);
    expect(await runRow.getByTestId('run-rate').textContent()).toBe(`${rateText(run!.rate)}%`);
    await shot('runs');
    await runRow.getByTestId('run-view').click();
    const drawer = page.getByTestId('run-drawer');
    await poll(() => drawer.getByTestId('result-rate').textContent()).toBe(`${rateText(run!.rate)}%`);
    await shot('run-drawer');
    await page.keyboard.press('Escape');
    await poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

    await openTab('tab-rules');
    const rules = page.locator('[data-testid="rulesets-table"] .ant-table-row');
    await poll(() => rules.count()).toBeGreaterThanOrEqual(13);
    expect(await page.getByTestId('rulesets-table').textContent()).toContain('行政处罚');
    await shot('rulesets');
    await rules.filter({ hasText: '行政处罚' }).first().locator('a').first().click();
    const rsDrawer = page.getByTestId('ruleset-drawer');
    await poll(() =>
      rsDrawer.locator('[data-testid="ruleset-fields"] .ant-table-row').count(),
    ).toBeGreaterThan(20);
    expect(await rsDrawer.textContent()).toContain('当 行政相对人类别');
    await shot('ruleset-drawer');

    // a department's old column name becomes an alias of 行政相对人名称, saved as a new version
    await rsDrawer.getByTestId('field-edit').first().click();
    const fieldForm = page.getByTestId('field-form');
    await poll(() => fieldForm.isVisible()).toBe(true);
    const aliases = fieldForm.locator('.ant-form-item').filter({ hasText: '别名' }).locator('.ant-select');
    await aliases.click();
    await page.keyboard.type('处罚对象全称');
    await page.keyboard.press('Enter');
    await page
      .locator('.ant-modal')
      .filter({ hasText: '修改字段' })
      .getByRole('button', { name: '确定' })
      .click();
    await poll(() => rsDrawer.textContent()).toContain('有未保存的修改');
    await rsDrawer.getByTestId('ruleset-save').click();
    await poll(() => page.locator('.ant-tooltip:visible').textContent()).toContain('请填写新版本号');
    await rsDrawer.getByTestId('ruleset-version').fill('2026.1-琼海');
    await rsDrawer.getByTestId('ruleset-save').click();
    await poll(() => page.locator('.ant-drawer-open').count()).toBe(0);
    const current = (await call(host.core, 'compliance.ruleSets', {})).find((r) => r.code === 'xzcf')!;
    expect(current.version).toBe('2026.1-琼海');
    const saved = await call(host.core, 'compliance.ruleSet', { id: current.id });
    expect(saved.definition.fields[0]!.aliases).toContain('处罚对象全称');
    await poll(() => page.getByTestId('rulesets-table').textContent()).toContain('2026.1-琼海');
  });

  it('shows the month on the dashboard compliance card', async () => {
    const [run] = await runs();
    await page.getByRole('menuitem', { name: '驾驶舱' }).click();
    const card = page.getByTestId('campaign-compliance');
    await poll(() => card.getByTestId('campaign-compliance-dept').count()).toBe(1);
    expect(await card.getByTestId('campaign-compliance-dept').textContent()).toContain(DEPT);
    expect(await card.getByTestId('campaign-compliance-dept').textContent()).toContain(
      `${rateText(run!.rate)}%`,
    );
    expect(await card.getByTestId('campaign-compliance-codes').textContent()).toBe('1');
    await shot('dashboard');
    expect(pageErrors).toEqual([]);
  });
});
