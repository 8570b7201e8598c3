import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright';
import { launchChromium } from '../helpers/chromium';

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
