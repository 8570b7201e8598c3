import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright';
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
