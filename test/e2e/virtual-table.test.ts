/**
 * The task table is virtualized: with 10,000 tasks only the visible rows are in the DOM, the
 * last task can be scrolled to, and scrolling keeps frames short.
 */
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHost, type Host } from '../../main/host/server';
import { seedTasks } from '../bench/seed';
import { call, tempDir } from '../helpers/core';
import { ARTIFACTS, launchBrowser, RENDERER_DIR } from './browser';

let browser: Browser;
let host: Host;
let page: Page;

describe('task table with 10,000 tasks', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    host = await startHost({ dataDir: tempDir('cwb-e2e-virtual-'), rendererDir: RENDERER_DIR });
    await call(host.core, 'workspace.create', {
      name: '万条任务',
      templateId: 'qionghai',
      startMonth: '2027-01',
      me: { name: '李明', role: '项目负责人' },
    });
    const ws = host.core.workspace!;
    const depts = await call(host.core, 'departments.list', {});
    const inds = await call(host.core, 'indicators.list', {});
    seedTasks(ws, depts, inds, 10_000 - 59);
    page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
  });

  afterAll(async () => {
    await browser?.close();
    await host?.close();
  });

  it('renders only the visible rows and scrolls to the end smoothly', async () => {
    await page.goto(host.openUrl);
    await page.getByRole('menuitem', { name: '任务督办' }).click();
    await expect
      .poll(() => page.locator('.page-sub').first().textContent(), { timeout: 30_000 })
      .toContain('共 10000 项');
    const rows = page.locator('[data-testid="task-table"] .ant-table-row');
    await expect.poll(() => rows.count()).toBeGreaterThan(10);
    expect(await rows.count()).toBeLessThan(120); // not 10,000

    const holder = page.locator('[data-testid="task-table"] .ant-table-tbody-virtual-holder');
    await expect.poll(() => holder.count()).toBe(1);
    // scroll down in wheel-sized steps while counting animation frames
    const stats = await page.evaluate(async () => {
      const el = document.querySelector(
        '[data-testid="task-table"] .ant-table-tbody-virtual-holder',
      ) as HTMLElement;
      const frames: number[] = [];
      let last = performance.now();
      let running = true;
      const tick = (t: number) => {
        frames.push(t - last);
        last = t;
        if (running) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      for (let i = 0; i < 60; i++) {
        el.scrollTop += 1200;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      el.scrollTop = el.scrollHeight;
      await new Promise((r) => setTimeout(r, 300));
      running = false;
      frames.sort((a, b) => a - b);
      return { median: frames[Math.floor(frames.length / 2)] ?? 0, count: frames.length };
    });
    console.log(
      `[virtual-table] ${stats.count} frames while scrolling, median ${stats.median.toFixed(1)} ms`,
    );
    expect(stats.median).toBeLessThan(50);
    expect(await rows.count()).toBeLessThan(120);
    // the last task of the list is reachable
    const all = await call(host.core, 'tasks.list', {});
    const lastCode = all.rows[all.rows.length - 1]!.code;
    await expect
      .poll(
        async () => {
          // keep asking the list to be at its end: under load the virtual list may lag a frame
          await holder.evaluate((el) => (el.scrollTop = el.scrollHeight));
          return (await rows.last().textContent()) ?? '';
        },
        { timeout: 15_000, interval: 300 },
      )
      .toContain(lastCode);
    await page.screenshot({ path: path.join(ARTIFACTS, 'tasks-10000.png') });
  });
});
