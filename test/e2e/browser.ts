import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright';

export const RENDERER_DIR = path.resolve('out/renderer');
export const ARTIFACTS = path.resolve('test-results/e2e');

/** Debian's Chromium (never a downloaded browser), with the flags this closed network needs. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => !!p,
  );
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('找不到 Chromium：请先 apt-get install -y chromium（或设置 CHROMIUM_PATH）。');
  return found;
}

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) {
    throw new Error('界面尚未构建：请先运行 npm run build。');
  }
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
      '--lang=zh-CN',
    ],
  });
}
