import fs from 'node:fs';
import { chromium, type Browser } from 'playwright';

/** Debian's Chromium (never a downloaded browser), with the flags this closed network needs. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (p): p is string => !!p,
  );
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error('找不到 Chromium：请先 apt-get install -y chromium（或设置 CHROMIUM_PATH）。');
  return found;
}

/** Debian's Chromium, headless, with the flags this closed network needs (tests and benches). */
export function launchChromium(): Promise<Browser> {
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
