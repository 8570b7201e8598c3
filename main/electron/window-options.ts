/**
 * The hardened BrowserWindow options and the Content-Security-Policy. PURE: only a type
 * import from electron, so test/unit/electron-window.test.ts asserts the real object.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

export const WINDOW_TITLE = '信用创建工作台';
export const WINDOW_BACKGROUND = '#f5f5f5';

export interface WindowOptionsInput {
  /** Absolute path of the built preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Window icon (Linux task bars use it; Windows uses the exe's icon). */
  iconPath?: string;
}

export function createWindowOptions({
  preloadPath,
  iconPath,
}: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 1100,
    minHeight: 700,
    title: WINDOW_TITLE,
    show: false, // shown on 'ready-to-show', no white flash
    backgroundColor: WINDOW_BACKGROUND,
    ...(iconPath ? { icon: iconPath } : {}),
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false, // also keeps Chromium from downloading dictionaries
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      enableWebSQL: false,
      safeDialogs: true,
    },
  };
}

/**
 * The renderer's policy. Everything is bundled by Vite into out/renderer, so 'self' covers
 * scripts, styles, fonts and images; 'unsafe-inline' is allowed for STYLES only because antd
 * injects CSS-in-JS <style> tags. No 'unsafe-eval', no remote origins.
 */
import { CONTENT_SECURITY_POLICY } from '../core/app/csp';

export { CONTENT_SECURITY_POLICY };

/**
 * Development only (`npm run dev`, page served by the Vite dev server at ELECTRON_RENDERER_URL):
 * @vitejs/plugin-react injects an inline React-refresh preamble and Vite's HMR talks over a
 * WebSocket to the same host, so the dev policy allows exactly those two things more.
 */
export function devContentSecurityPolicy(devServerUrl: string): string {
  const u = new URL(devServerUrl);
  const ws = `${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}`;
  return CONTENT_SECURITY_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'").replace(
    "connect-src 'self'",
    `connect-src 'self' ${ws}`,
  );
}
