import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { afterAll, afterEach } from 'vitest';
import { startHost, type Host } from '../../main/host/server';
import { launchChromium } from '../helpers/chromium';
import { call } from '../helpers/core';

export const RENDERER_DIR = path.resolve('out/renderer');
export const ARTIFACTS = path.resolve('test-results/e2e');

/** The built interface must exist; test screenshots go to ARTIFACTS. */
export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('界面尚未构建：请先运行 npm run build。');
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return launchChromium();
}

/** A real PNG drawn by the browser: a small chart-like 320 px wide picture of "evidence". */
export async function drawPng(page: Page, height: number): Promise<Buffer> {
  const b64 = await page.evaluate((h) => {
    const c = document.createElement('canvas');
    c.width = 320;
    c.height = h;
    const g = c.getContext('2d')!;
    g.fillStyle = '#f3f5f9';
    g.fillRect(0, 0, 320, h);
    g.fillStyle = '#1f5fbf';
    g.fillRect(20, 20, 280, 36);
    g.fillStyle = '#fff';
    g.font = '20px sans-serif';
    g.fillText('信用承诺书公示截图', 40, 45);
    g.fillStyle = '#2e9d5b';
    [50, 90, 70, 110].forEach((v, i) => g.fillRect(40 + i * 64, h - 10 - v, 40, v));
    return c.toDataURL('image/png').split(',')[1]!;
  }, height);
  return Buffer.from(b64, 'base64');
}

export interface WorkspaceSession {
  browser: Browser;
  host: Host;
  page: Page;
}

/**
 * The browser, the web host on `dataDir` with a workspace from the bundled template (李明 the
 * project lead, 王芳 a consultant) and a 1440×900 zh-CN page whose errors go to `pageErrors`
 * (and the console).
 */
export async function openWorkspaceSession(
  dataDir: string,
  pageErrors: string[],
  startMonth = '2027-01',
): Promise<WorkspaceSession> {
  const browser = await launchBrowser();
  let host: Host | undefined;
  try {
    host = await startHost({ dataDir, rendererDir: RENDERER_DIR });
    await call(host.core, 'workspace.create', {
      name: '琼海市信用示范区创建工作台',
      templateId: 'qionghai',
      startMonth,
      me: { name: '李明', role: '项目负责人' },
      colleagues: [{ name: '王芳', role: '驻场顾问' }],
    });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' });
    page.on('pageerror', (e) => {
      pageErrors.push(e.message);
      console.error('[pageerror]', e.message);
    });
    return { browser, host, page };
  } catch (e) {
    await browser.close();
    await host?.close();
    throw e;
  }
}

/**
 * Registers in the current describe: a screenshot `<name>-failed-<test>.png` in ARTIFACTS after a
 * failed test, and closing the browser and the host after all tests. `session` gives what
 * beforeAll opened (any of it missing when beforeAll failed).
 */
export function closeSessionAfterAll(session: () => Partial<WorkspaceSession>, name: string): void {
  afterAll(async () => {
    const { browser, host } = session();
    await browser?.close();
    await host?.close();
  });

  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail') {
      await session().page?.screenshot({
        path: path.join(ARTIFACTS, `${name}-failed-${ctx.task.name.slice(0, 24)}.png`),
      });
    }
  });
}
