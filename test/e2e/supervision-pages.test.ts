/**
 * The supervision pages in the real renderer (Debian Chromium over the web host): 驾驶舱,
 * 部门排行, 每周调度 and 整改清单 on a workspace with three and a half months of realistic
 * history, made through the core with a fake clock (tasks issued in January, most done on
 * time, some late, some stuck; feedback; a frozen week; rectification items). The figures on
 * screen are compared with the core's own answers; exports are downloaded and checked; a
 * rectification item is created in the drawer, gets a PNG and a PDF as evidence (both
 * previewed) and goes through its workflow.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import type { Task, TaskStatus } from '../../main/core/contract/records';
import { startHost, type Host } from '../../main/host/server';
import { fakeClock, noon } from '../helpers/clock';
import { call, tempDir } from '../helpers/core';
import { ARTIFACTS, launchBrowser, RENDERER_DIR } from './browser';

const TODAY = '2027-04-14'; // a Wednesday in ISO week 2027-W15
const clock = fakeClock(noon('2027-01-04'));
const dataDir = tempDir('cwb-e2e-sup-');

let browser: Browser;
let host: Host;
let page: Page;
const pageErrors: string[] = [];
/** Export commands whose core handler is not there yet (being finished elsewhere). */
const unfinished: string[] = [];

/** expect.poll with room for the core's work (its default of 1 s is short for freezing a week). */
function poll<T>(fn: () => T | Promise<T>, opts: { timeout?: number } = {}) {
  return expect.poll(fn, { timeout: 10_000, ...opts });
}

/** Closes the "导出完成" notifications (they sit over the top-right of the page). */
async function dismissNotices(): Promise<void> {
  const notices = page.locator('.ant-notification-notice');
  if ((await notices.count()) === 0) return;
  // antd pauses a notice's timer while hovered: move away, close what can be closed, let the rest expire
  await page.mouse.move(5, 890);
  for (const close of await page.locator('.ant-notification-notice-close').all())
    await close.click({ timeout: 500 }).catch(() => undefined);
  await notices
    .first()
    .waitFor({ state: 'detached', timeout: 8_000 })
    .catch(() => undefined);
}

/** A screenshot once spinners, fades and notifications have settled. */
async function shot(name: string): Promise<void> {
  await dismissNotices();
  await poll(() => page.locator('.ant-spin-spinning').count(), { timeout: 10_000 }).toBe(0);
  await page.waitForTimeout(700);
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
}

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A stable 0..99 per task code, to spread outcomes without randomness. */
function bucket(code: string): number {
  let h = 7;
  for (const c of code) h = (h * 31 + c.charCodeAt(0)) % 1_000_003;
  return h % 100;
}

const ORDER: TaskStatus[] = ['draft', 'issued', 'signed', 'handling', 'feedback', 'done'];
const NEXT = { issued: 'sign', signed: 'start', handling: 'report', feedback: 'approve' } as const;

/** Moves tasks forward along the workflow until each reaches `target` (bulk, step by step). */
async function bringTo(core: Core, tasks: Pick<Task, 'id' | 'status'>[], target: TaskStatus): Promise<void> {
  const todo = tasks.map((t) => ({ id: t.id, status: t.status }));
  for (const from of ['issued', 'signed', 'handling', 'feedback'] as const) {
    const ids = todo
      .filter((t) => t.status === from && ORDER.indexOf(t.status) < ORDER.indexOf(target))
      .map((t) => t.id);
    if (ids.length === 0) continue;
    await call(core, 'tasks.transition', {
      ids,
      action: NEXT[from],
      note: from === 'handling' ? '已按要求完成，佐证材料见附件' : undefined,
    });
    for (const t of todo) if (ids.includes(t.id)) t.status = ORDER[ORDER.indexOf(from) + 1] ?? t.status;
  }
}

/** A workspace from the bundled template: 59 tasks, all still 待下发. */
async function createWorkspace(core: Core): Promise<void> {
  clock.set(noon('2027-01-04'));
  await call(core, 'workspace.create', {
    name: '琼海市信用示范区创建工作台',
    templateId: 'qionghai',
    startMonth: '2027-01',
    me: { name: '李明', role: '项目负责人' },
    colleagues: [{ name: '王芳', role: '驻场顾问' }],
  });
}

/** Three and a half months of supervision, week by week, by the fake clock. */
async function seed(core: Core): Promise<void> {
  clock.set(noon('2027-01-04'));
  const drafts = await call(core, 'tasks.list', { statuses: ['draft'] });
  await call(core, 'tasks.transition', { ids: drafts.rows.map((t) => t.id), action: 'issue' });

  const fed = new Set<string>();
  // every Friday from the first week of January to the week before "today"
  for (let friday = '2027-01-08'; friday < TODAY; friday = addDays(friday, 7)) {
    clock.set(noon(friday));
    const open = (await call(core, 'tasks.list', { supervisedOnly: true })).rows.filter(
      (t) => t.status !== 'done' && t.dueDate,
    );
    const done: Task[] = [];
    const handling: Task[] = [];
    const signed: Task[] = [];
    for (const t of open) {
      const due = t.dueDate ?? '9999-12-31';
      const b = bucket(t.code);
      if (b < 52) {
        if (friday >= addDays(due, -9)) done.push(t); // on time
      } else if (b < 66) {
        if (friday >= addDays(due, 10)) done.push(t); // late
      } else if (b < 86) {
        if (friday >= addDays(due, -24)) handling.push(t); // slow: in hand, never finished
      } else if (friday >= addDays(due, -14)) signed.push(t); // stuck after signing
      // far-off tasks: a few finished early, the rest signed
      if (due > '2027-05-31' && friday === '2027-03-05') (b < 15 ? done : signed).push(t);
    }
    await bringTo(core, done, 'done');
    await bringTo(core, handling, 'handling');
    await bringTo(core, signed, 'signed');
    for (const t of handling) {
      if (fed.has(t.id)) continue;
      fed.add(t.id);
      await call(core, 'feedback.add', {
        taskId: t.id,
        text: '已制定工作方案，正在收集佐证材料，预计按期完成。',
        progress: 30 + (bucket(t.code) % 5) * 10,
      });
    }
    if (friday >= '2027-03-26') {
      // most departments report progress on their open tasks every couple of weeks
      const reporting = (await call(core, 'tasks.list', { supervisedOnly: true })).rows.filter(
        (t) => t.status !== 'done' && t.status !== 'issued' && bucket(t.code) % 3 !== 0,
      );
      for (const t of reporting)
        await call(core, 'feedback.add', {
          taskId: t.id,
          text: '本周已召开推进会，材料正在整理。',
          progress: Math.min(90, t.progress + 10),
        });
    }
    if (friday === '2027-04-09') {
      clock.set(noon('2027-04-10'));
      await call(core, 'dispatch.freeze', { note: '第14周调度会前冻结' });
    }
  }

  // this week so far: a few more finished (the "本周新办结" of week 15)
  clock.set(noon('2027-04-13'));
  const inHand = (await call(core, 'tasks.list', { statuses: ['handling', 'feedback'] })).rows;
  await bringTo(core, inHand.slice(0, 3), 'done');

  // the rectification list
  const depts = await call(core, 'departments.list', {});
  const dept = (part: string) => {
    const d = depts.find((x) => x.name.includes(part));
    if (!d) throw new Error(`no department ${part}`);
    return d.id;
  };
  const indicators = await call(core, 'indicators.list', {});
  const leaf = indicators.filter((i) => i.kind !== 'category');
  const someTasks = (await call(core, 'tasks.list', { search: 'RW-00' })).rows;
  const items = [
    {
      source: 'inspection' as const,
      problem: '信用门户网站“双公示”栏目部分行政处罚信息超过 7 个工作日才公示',
      deptId: dept('市场监督'),
      measures: '建立双公示日报送制度，专人每日核对，超期信息逐条说明原因',
      deadline: '2027-04-10',
      act: ['start'],
    },
    {
      source: 'weak_indicator' as const,
      problem: '3 月城市信用监测“信用承诺”维度得分低于全省平均',
      deptId: dept('发展和改革'),
      measures: '梳理承诺事项清单，推动各部门在审批环节全面推行告知承诺制',
      deadline: '2027-04-30',
      act: [],
    },
    {
      source: 'review_panel' as const,
      problem: '评审专家指出：守信激励措施案例数量偏少，典型案例未公开',
      deptId: dept('发展和改革'),
      measures: '补充整理守信激励案例 20 个，在信用门户网站专栏公开',
      deadline: '2027-05-15',
      clarification: '我市已在行政审批、公共资源交易等 6 个领域实施守信激励，累计 126 例，详见附件清单。',
      act: ['start', 'submit'],
    },
    {
      source: 'review_panel' as const,
      problem: '评审专家指出：信用修复“一网通办”办理时限说明不清',
      deptId: dept('政务服务'),
      measures: '在政务服务网公布信用修复办事指南，明确办理时限',
      deadline: '2027-03-31',
      clarification: '信用修复已纳入政务服务事项清单，承诺时限 3 个工作日，办事指南已公开。',
      act: ['start', 'submit', 'accept'],
    },
    {
      source: 'inspection' as const,
      problem: '部分镇（区）未按要求报送信用联络员名册',
      deptId: dept('嘉积'),
      measures: null,
      deadline: '2027-04-08',
      act: [],
    },
    {
      source: 'other' as const,
      problem: '信用宣传月活动影像资料归档不完整',
      deptId: null,
      measures: '补齐活动照片和签到表，统一归档',
      deadline: null,
      act: ['start'],
    },
  ];
  for (const [i, it] of items.entries()) {
    const r = await call(core, 'rect.create', {
      source: it.source,
      problem: it.problem,
      deptId: it.deptId,
      measures: it.measures,
      deadline: it.deadline,
      clarification: 'clarification' in it ? it.clarification : null,
      taskIds: someTasks.slice(i, i + 1).map((t) => t.id),
      indicatorIds: leaf.slice(i, i + 1).map((x) => x.id),
    });
    for (const action of it.act) {
      await call(core, 'rect.transition', {
        id: r.id,
        action: action as 'start' | 'submit' | 'accept',
        note: action === 'accept' ? '办事指南已公开，材料齐全，同意销号' : null,
      });
    }
  }

  clock.set(noon(TODAY));
}

/** A small PNG (solid bands of the app's colours), made here so the test needs no fixture. */
function makePng(w = 96, h = 64): Buffer {
  const rows: number[] = [];
  for (let y = 0; y < h; y++) {
    rows.push(0);
    for (let x = 0; x < w; x++) {
      const band = Math.floor((x / w) * 3);
      const [r, g, b] = band === 0 ? [46, 157, 91] : band === 1 ? [224, 168, 0] : [214, 69, 65];
      rows.push(r, g, b);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.from(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/**
 * A one-page PDF with a Latin line (Helvetica) and a Chinese line in the non-embedded
 * STSong-Light font with the UniGB-UCS2-H CMap, so the preview needs the bundled CMaps.
 */
function makePdf(): Buffer {
  const cn = Buffer.from('整改证据：培训签到表', 'utf16le').swap16().toString('hex').toUpperCase();
  const content = `BT /F1 28 Tf 72 740 Td (Rectification evidence) Tj ET\nBT /F2 28 Tf 72 690 Td <${cn}> Tj ET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content)} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [7 0 R] >>',
    '<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor 8 0 R >>',
    '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [0 -200 1000 900] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out);
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** The task filter the task list was opened with (#/tasks?filter=…). */
function hashFilter(url: string): unknown {
  const hash = new URL(url).hash;
  const q = new URLSearchParams(hash.slice(hash.indexOf('?') + 1));
  const f = q.get('filter');
  return f ? (JSON.parse(f) as unknown) : null;
}

async function go(menu: string, title: string): Promise<void> {
  await dismissNotices();
  await page.getByRole('menuitem', { name: menu }).click();
  await poll(() => page.locator('.page-header h2').first().textContent()).toBe(title);
}

/** Whether an export command has its core handler (others are finishing them right now). */
async function exportWorks(name: string, run: () => ReturnType<Core['invoke']>): Promise<boolean> {
  const r = await run();
  if (r.ok) return true;
  unfinished.push(`${name}: ${r.error.code} ${r.error.message}`);
  console.warn(`[e2e] ${name} 尚不可用（${r.error.code}）：${r.error.message}`);
  return false;
}

/** Clicks and waits for the browser download; returns its bytes. */
async function expectDownload(click: () => Promise<void>, nameLike: RegExp): Promise<Buffer> {
  // the previous export's notification sits over the page's top-right buttons
  await dismissNotices();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), click()]);
  expect(download.suggestedFilename()).toMatch(nameLike);
  return fs.readFileSync(await download.path());
}

/** Clicks and waits for the browser download; checks it is an Office (zip) file. */
async function expectZipDownload(click: () => Promise<void>, nameLike: RegExp): Promise<void> {
  const bytes = await expectDownload(click, nameLike);
  expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
}

describe('supervision pages in the browser', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    host = await startHost({ dataDir, rendererDir: RENDERER_DIR, clock: clock.now });
    await createWorkspace(host.core);
    clock.set(noon(TODAY));
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') console.warn(`[console.${m.type()}]`, m.text());
    });
    page.on('pageerror', (e) => {
      pageErrors.push(e.message);
      console.error('[pageerror]', e.message);
    });
    // the renderer's "today" (league presets, this week) must be the core's
    await page.clock.install({ time: new Date(noon(TODAY)) });
    await page.goto(host.openUrl);
    await page.getByTestId('workspace-name').waitFor({ timeout: 20_000 });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (unfinished.length) console.warn(`[e2e] 未完成的导出命令：\n${unfinished.join('\n')}`);
  });

  it('shows clear empty states before anything is issued', async () => {
    await go('驾驶舱', '驾驶舱');
    await poll(() => page.locator('.page').textContent()).toContain('还没有下发的督办任务');
    await shot('empty-dashboard');
    await go('部门排行', '部门排行');
    await poll(() => page.locator('.page').textContent()).toContain('所选期间内没有到期的督办任务');
    await go('每周调度', '每周调度');
    await poll(() => page.locator('.page').textContent()).toContain('还没有冻结过调度快照');
    await shot('empty-dispatch');
    await go('整改清单', '整改清单');
    await poll(() => page.locator('.page').textContent()).toContain('还没有整改事项');
    await shot('empty-rectification');

    // now three and a half months happen (the open page follows the core's change events)
    await seed(host.core);
    await poll(() => page.locator('[data-testid="rect-table"] .ant-table-row').count(), {
      timeout: 15_000,
    }).toBe(6);
  });

  it('驾驶舱 shows the core figures and opens the tasks behind them', async () => {
    await go('驾驶舱', '驾驶舱');
    const overdue = await call(host.core, 'tasks.list', { overdue: true });
    const supervised = await call(host.core, 'tasks.list', { supervisedOnly: true });
    const done = await call(host.core, 'tasks.list', { supervisedOnly: true, statuses: ['done'] });
    const red = await call(host.core, 'tasks.list', { lights: ['red'] });
    expect(overdue.total).toBeGreaterThan(0);
    await poll(() => page.getByTestId('kpi-overdue-value').textContent()).toBe(String(overdue.total));
    expect(await page.getByTestId('kpi-supervised-value').textContent()).toBe(String(supervised.total));
    expect(await page.getByTestId('kpi-done-value').textContent()).toBe(String(done.total));
    expect(await page.getByTestId('kpi-rate-value').textContent()).toBe(
      `${((done.total / supervised.total) * 100).toFixed(1)}%`,
    );
    await poll(() => page.getByTestId('light-red').textContent()).toContain(String(red.total));
    // lists: the overdue list shows the first overdue tasks with their reason
    const first = overdue.rows[0];
    expect(first).toBeDefined();
    await poll(() => page.getByTestId('overdue-list').textContent()).toContain(first?.code ?? '?');
    await poll(() => page.getByTestId('overdue-list').textContent()).toMatch(/逾期 \d+ 天/);
    // charts are drawn
    await poll(() => page.locator('[data-testid="trend-chart"] canvas').count()).toBe(1);
    await poll(() => page.locator('[data-testid="league-top"] canvas').count()).toBe(1);
    await page.waitForTimeout(800); // chart animations
    await shot('dashboard');

    await page.getByTestId('kpi-overdue').click();
    await poll(() => page.url()).toContain('#/tasks?filter=');
    expect(hashFilter(page.url())).toEqual({ overdue: true });
    // the task list applies the filter: the same number of tasks as the figure
    await poll(() => page.locator('.page-sub').first().textContent(), { timeout: 10_000 }).toContain(
      `共 ${overdue.total} 项`,
    );
    await shot('tasks-from-dashboard');

    await go('驾驶舱', '驾驶舱');
    await page.getByTestId('light-red').click();
    await poll(() => page.url()).toContain('filter=');
    expect(hashFilter(page.url())).toEqual({ lights: ['red'] });

    await go('驾驶舱', '驾驶舱');
    await page.getByTestId('overdue-all').click();
    await poll(() => page.url()).toContain('filter=');
    expect(hashFilter(page.url())).toEqual({ overdue: true });

    // a league bar opens that department's tasks over the league's period
    await go('驾驶舱', '驾驶舱');
    const summary = await call(host.core, 'dashboard.summary', {});
    const top = summary.league.top[0];
    expect(top).toBeDefined();
    const box = await page.getByTestId('league-top').boundingBox();
    if (!box) throw new Error('league chart not visible');
    // the first bar: right of the labels, in the first of five rows
    await page.mouse.click(box.x + box.width * 0.62, box.y + 2 + (box.height - 4) / 10);
    await poll(() => page.url()).toContain('filter=');
    expect(hashFilter(page.url())).toEqual({
      deptIds: [top?.deptId],
      leadOnly: true,
      dueFrom: summary.league.from,
      dueTo: summary.league.to,
      supervisedOnly: true,
    });
  });

  it('部门排行 matches the core, sorts, and exports xlsx', async () => {
    await go('部门排行', '部门排行');
    const settings = await call(host.core, 'workspace.settings', {});
    const league = await call(host.core, 'league.table', { from: settings.periodStart, to: TODAY });
    const rows = page.locator('[data-testid="league-table"] .ant-table-row');
    await poll(() => rows.count()).toBe(league.length);
    const first = league[0];
    await poll(() => rows.first().locator('td').nth(1).textContent()).toBe(
      first?.shortName ?? first?.deptName,
    );
    await poll(() => page.getByTestId('league-summary').textContent()).toContain(settings.periodStart);
    await shot('league');

    // sort by 逾期数: ascending, then descending
    const header = page.locator('[data-testid="league-table"] th').filter({ hasText: '逾期数' });
    const overdueCol = async () =>
      (await rows.locator('td:nth-child(7)').allTextContents()).map((s) => Number(s.trim()));
    await header.click();
    await poll(async () => {
      const v = await overdueCol();
      return v.every((x, i) => i === 0 || (v[i - 1] ?? 0) <= x);
    }).toBe(true);
    await header.click();
    await poll(async () => {
      const v = await overdueCol();
      return v.every((x, i) => i === 0 || (v[i - 1] ?? 0) >= x);
    }).toBe(true);
    const most = Math.max(...league.map((r) => r.overdue));
    expect((await overdueCol())[0]).toBe(most);
    await shot('league-sorted');

    // presets
    await page.getByTestId('league-preset').getByText('本月').click();
    await poll(() => page.getByTestId('league-summary').textContent()).toContain('2027-04-01 至 2027-04-30');
    const month = await call(host.core, 'league.table', { from: '2027-04-01', to: '2027-04-30' });
    await poll(() => rows.count()).toBe(Math.max(month.length, 1));

    // a department opens its tasks over the period
    if (month.length > 0) {
      const name = month[0]?.shortName ?? month[0]?.deptName ?? '';
      await rows.first().getByTestId('league-dept').click();
      await poll(() => page.url()).toContain('filter=');
      expect(hashFilter(page.url())).toEqual({
        deptIds: [month[0]?.deptId],
        leadOnly: true,
        dueFrom: '2027-04-01',
        dueTo: '2027-04-30',
        supervisedOnly: true,
      });
      expect(name).not.toBe('');
      await go('部门排行', '部门排行');
    }

    // export (the web host downloads the file)
    const query = { from: settings.periodStart, to: TODAY };
    if (await exportWorks('league.export', () => host.core.invoke('league.export', { query }))) {
      await expectZipDownload(() => page.getByTestId('league-export').click(), /^部门排行-.*\.xlsx$/);
    } else {
      await page.getByTestId('league-export').click();
      await poll(() => page.locator('.ant-message-error').count()).toBeGreaterThan(0);
    }
  });

  it('每周调度 freezes this week, compares with last week and exports the report', async () => {
    await go('每周调度', '每周调度');
    const items = page.locator('[data-testid="week-list"] .week-item');
    await poll(() => items.count()).toBe(1);
    await page.getByTestId('freeze-week').click();
    const dialog = page.getByRole('dialog').filter({ hasText: '冻结本周快照' });
    await dialog.getByTestId('freeze-note').fill('第15周调度会');
    await dialog.getByRole('button', { name: '冻结', exact: true }).click();
    await poll(() => items.count()).toBe(2);
    await poll(() => page.getByTestId('week-title').textContent()).toContain('2027年第15周');

    const cmp = await call(host.core, 'dispatch.compare', { week: '2027-W15' });
    expect(cmp.previous?.week).toBe('2027-W14');
    const tabs = page.getByTestId('week-tabs');
    await poll(() => tabs.textContent()).toContain(`本周新办结（${cmp.newlyDone.length}）`);
    expect(await tabs.textContent()).toContain(`停滞未动（${cmp.stalled.length}）`);
    expect(await tabs.textContent()).toContain(`本周新逾期（${cmp.newlyOverdue.length}）`);
    expect(cmp.newlyDone.length).toBeGreaterThan(0);
    await poll(() => page.locator('[data-testid="tab-done"] .ant-table-row').count()).toBe(
      cmp.newlyDone.length,
    );
    await shot('dispatch');

    await page.getByRole('tab', { name: /分单位情况/ }).click();
    await poll(() => page.locator('[data-testid="dept-summary"] .ant-table-row').count()).toBe(
      cmp.week.summary.depts.length,
    );
    await shot('dispatch-depts');

    // freezing again asks first
    await page.getByTestId('freeze-week').click();
    const again = page.getByRole('dialog').filter({ hasText: '重新冻结将替换本周快照' });
    await poll(() => again.count()).toBe(1);
    await again.getByRole('button', { name: '取消' }).click();
    await poll(() => again.isVisible()).toBe(false);

    if (
      await exportWorks('dispatch.report', () => host.core.invoke('dispatch.report', { week: '2027-W15' }))
    ) {
      await expectZipDownload(
        () => page.getByTestId('weekly-report').click(),
        /^每周工作调度报告-2027-W15\.docx$/,
      );
    } else {
      await page.getByTestId('weekly-report').click();
      await poll(() => page.locator('.ant-message-error').count()).toBeGreaterThan(0);
    }
    const dept = cmp.week.summary.depts[0];
    if (
      dept &&
      (await exportWorks('dispatch.deptReport', () =>
        host.core.invoke('dispatch.deptReport', { week: '2027-W15', deptId: dept.deptId }),
      ))
    ) {
      await expectZipDownload(
        () => page.getByTestId('dept-report').first().click(),
        /整改分析报告-2027-W15\.docx$/,
      );
    }
  });

  it('整改清单: create an item in the drawer, add evidence, preview it, move it along', async () => {
    await go('整改清单', '整改清单');
    const all = await call(host.core, 'rect.list', {});
    const rows = page.locator('[data-testid="rect-table"] .ant-table-row');
    await poll(() => rows.count()).toBe(all.length);
    const overdueRows = all.filter((r) => r.overdue).length;
    expect(overdueRows).toBeGreaterThan(0);
    await poll(() => page.locator('[data-testid="rect-table"] .row-overdue').count()).toBe(overdueRows);
    await shot('rectification');

    await page.getByTestId('new-rect').click();
    const drawer = page.locator('.ant-drawer-section').filter({ hasText: '新增整改事项' });
    await poll(() => drawer.count()).toBe(1);
    const item = (label: string) =>
      page.locator('.ant-drawer .ant-form-item').filter({ has: page.locator(`label:text-is("${label}")`) });
    await item('来源').locator('.ant-select').click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '国家评审反馈' })
      .click();
    await poll(() => item('澄清说明').count()).toBe(1);
    await item('问题描述').locator('textarea').fill('评审专家指出：信用承诺履约情况未纳入信用记录');
    await item('澄清说明')
      .locator('textarea')
      .fill('已将 2027 年以来 3,210 份信用承诺的履约情况归集至市信用信息共享平台。');
    await item('责任单位').locator('.ant-select').click();
    await page.keyboard.type('市场监督');
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: '市场监督' })
      .first()
      .click();
    await item('整改时限').locator('input').click();
    await page.keyboard.type('2027-05-31');
    await page.keyboard.press('Enter');
    await item('关联任务').locator('.ant-select').click();
    await page.keyboard.type('RW-002');
    // the search runs in the core: wait until the list shows its answer (only RW-002…)
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option');
    await poll(async () => (await options.allTextContents()).every((t) => t.startsWith('RW-002')), {
      timeout: 10_000,
    }).toBe(true);
    await options.filter({ hasText: 'RW-002' }).first().click();
    await poll(() => item('关联任务').locator('.ant-select-selection-item').allTextContents()).toEqual([
      expect.stringContaining('RW-002'),
    ]);
    await page.keyboard.press('Escape');
    await shot('rect-new');
    await page.getByTestId('rect-save').click();

    // the drawer stays on the new item, on its evidence tab
    const open = page.locator('.ant-drawer-section').filter({ hasText: '整改事项' });
    await poll(() => open.locator('.ant-drawer-title').textContent()).toMatch(/整改事项/);
    await poll(() => open.locator('.ant-drawer-title').textContent()).toContain('待整改');
    const created = (await call(host.core, 'rect.list', { search: '信用承诺履约' }))[0];
    expect(created?.source).toBe('review_panel');
    expect(created?.taskIds.length).toBe(1);
    expect(created?.deadline).toBe('2027-05-31');
    expect(created?.clarification).toContain('3,210');

    // evidence: a PNG through the hidden file input
    await page.getByTestId('attachment-input').setInputFiles({
      name: '整改现场照片.png',
      mimeType: 'image/png',
      buffer: makePng(),
    });
    const attRows = page.locator('[data-testid="attachment-row"]');
    await poll(() => attRows.count(), { timeout: 15_000 }).toBe(1);
    await poll(() => attRows.first().textContent()).toContain('整改现场照片.png');
    await attRows.first().getByText('整改现场照片.png').click();
    const img = page.locator('.ant-image-preview img');
    await poll(() => img.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await img.first().getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await page.waitForTimeout(400);
    await shot('rect-image-preview');
    // Esc closes the preview only; the drawer stays
    await page.keyboard.press('Escape');
    await poll(() => page.locator('.ant-image-preview').isVisible()).toBe(false);
    await page.waitForTimeout(300);
    expect(await page.locator('.ant-drawer-open').count()).toBe(1);

    // download gives back the same bytes
    const png = await expectDownload(
      () => attRows.first().getByRole('button', { name: '下载' }).click(),
      /^整改现场照片\.png$/,
    );
    expect(png.equals(makePng())).toBe(true);

    // and a PDF, drawn by pdf.js in its worker
    await page.getByTestId('attachment-input').setInputFiles({
      name: '培训签到表.pdf',
      mimeType: 'application/pdf',
      buffer: makePdf(),
    });
    await poll(() => attRows.count(), { timeout: 15_000 }).toBe(2);
    await attRows.filter({ hasText: '培训签到表.pdf' }).getByText('培训签到表.pdf').click();
    const canvas = page.locator('[data-testid="pdf-pages"] canvas');
    await poll(() => canvas.count(), { timeout: 20_000 }).toBe(1);
    await poll(() => page.getByRole('dialog').filter({ hasText: '共 1 页' }).count()).toBe(1);
    expect(page.workers().some((w) => w.url().includes('pdf.worker'))).toBe(true);
    // something was drawn: the canvas is not blank white
    const inked = () =>
      canvas.first().evaluate((c: HTMLCanvasElement) => {
        const ctx = c.getContext('2d');
        if (!ctx) return 0;
        const d = ctx.getImageData(0, 0, c.width, Math.floor(c.height / 4)).data;
        let dark = 0;
        for (let i = 0; i < d.length; i += 4) if ((d[i] ?? 255) < 128) dark++;
        return dark;
      });
    await poll(inked, { timeout: 10_000 }).toBeGreaterThan(200);
    await shot('rect-pdf-preview');
    await page
      .getByRole('dialog')
      .filter({ hasText: '共 1 页' })
      .getByRole('button', { name: /Close|关闭/ })
      .click();

    // workflow: 开始整改 → 整改中
    await page.getByTestId('rect-action-start').click();
    await poll(() => open.locator('.ant-drawer-title').textContent()).toContain('整改中');
    expect((await call(host.core, 'rect.get', { id: created?.id ?? '' })).status).toBe('in_progress');
    await poll(() => page.getByRole('tab', { name: /整改证据（2）/ }).count()).toBe(1);
    await shot('rect-drawer');

    // 提交验收, then 验收不通过 asks for the reason
    await page.getByTestId('rect-action-submit').click();
    await poll(() => open.locator('.ant-drawer-title').textContent()).toContain('待验收');
    await page.getByTestId('rect-action-reject').click();
    const ask = page.getByRole('dialog').filter({ hasText: '不通过原因' });
    await poll(() => ask.count()).toBe(1);
    expect(await ask.getByRole('button', { name: '验收不通过' }).isDisabled()).toBe(true);
    await ask.getByTestId('rect-note').fill('缺少平台归集截图，请补充后重新提交');
    await ask.getByRole('button', { name: '验收不通过' }).click();
    await poll(() => open.locator('.ant-drawer-title').textContent()).toContain('整改中');
    await poll(() => open.textContent()).toContain('缺少平台归集截图');

    await page.getByRole('tab', { name: '操作留痕' }).click();
    await poll(() => open.locator('.ant-timeline').textContent()).toContain('李明');
    await shot('rect-history');
    await page.keyboard.press('Escape');
    await poll(() => page.locator('.ant-drawer-open').count()).toBe(0);

    // the list shows the evidence count
    const newRow = rows.filter({ hasText: '信用承诺履约' });
    await poll(() => newRow.locator('td').last().textContent()).toContain('2');

    // 澄清报告: only for 国家评审反馈 items
    const clarify = page.getByTestId('rect-clarify');
    expect(await clarify.isDisabled()).toBe(true);
    await newRow.locator('.ant-checkbox-input').check();
    await poll(() => clarify.isDisabled()).toBe(false);
    const inspection = rows.filter({ hasText: '每周巡查' }).first();
    await inspection.locator('.ant-checkbox-input').check();
    await poll(() => clarify.isDisabled()).toBe(true);
    await inspection.locator('.ant-checkbox-input').uncheck();
    await poll(() => clarify.isDisabled()).toBe(false);
    if (
      await exportWorks('rect.clarificationReport', () =>
        host.core.invoke('rect.clarificationReport', { ids: [created?.id ?? ''] }),
      )
    ) {
      await expectZipDownload(() => clarify.click(), /澄清报告.*\.docx$/);
    }
    if (await exportWorks('rect.export', () => host.core.invoke('rect.export', { filter: {} }))) {
      await expectZipDownload(() => page.getByTestId('rect-export').click(), /整改清单.*\.xlsx$/);
    }

    // #/rectification?id=… opens that item
    const closed = all.find((r) => r.status === 'closed');
    await page.evaluate((id) => (window.location.hash = `#/rectification?id=${id}`), closed?.id ?? '');
    await poll(() => page.locator('.ant-drawer-open .ant-drawer-title').textContent()).toContain('已销号');
    await poll(() => page.locator('.ant-drawer-open').textContent()).toContain('同意销号');
    await shot('rect-closed');
    await page.keyboard.press('Escape');
  });

  it('raised no page errors', () => {
    expect(pageErrors).toEqual([]);
  });
});
