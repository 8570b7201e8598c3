/**
 * Navigation, window, permission, request and IPC-sender lockdown for the shell.
 * PURE: electron is imported for types only, the side effects (shell.openExternal) are
 * passed in, so every rule is unit tested with stubs (test/unit/electron-security.test.ts).
 */
import path from 'node:path';
import type { App, Session, WebContents } from 'electron';

const MAX_EXTERNAL_URL_LENGTH = 2048;

function parseUrl(value: unknown): URL | null {
  if (typeof value !== 'string' || value.length === 0) return null;
  try {
    return new URL(value);
  } catch {
    return null;
  }
}

/**
 * A link we may hand to the system browser: a valid absolute http(s) URL with a host, no
 * embedded credentials, no control characters, of reasonable length. Everything else
 * (file:, javascript:, data:, custom schemes that could launch programs, …) is refused.
 */
export function isSafeExternalUrl(url: unknown): boolean {
  if (typeof url !== 'string' || url.length > MAX_EXTERNAL_URL_LENGTH) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\s]/.test(url)) return false;
  const u = parseUrl(url);
  if (!u) return false;
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (u.username !== '' || u.password !== '') return false;
  return u.hostname !== '';
}

function filePathOf(u: URL): string {
  let p: string;
  try {
    p = decodeURIComponent(u.pathname);
  } catch {
    p = u.pathname;
  }
  // Windows drive letters and paths are case-insensitive: file:///C:/… vs file:///c:/…
  return /^\/[A-Za-z]:\//.test(p) ? p.toLowerCase() : p;
}

/**
 * Is `url` the app's own page? Production: the same file (out/renderer/index.html; query and
 * hash ignored, so hash routes count). Development: the same origin as the Vite dev server.
 */
export function isAppUrl(url: unknown, appUrl: string): boolean {
  const u = parseUrl(url);
  const app = parseUrl(appUrl);
  if (!u || !app) return false;
  if (app.protocol === 'file:') {
    return (
      u.protocol === 'file:' &&
      u.host.toLowerCase() === app.host.toLowerCase() &&
      filePathOf(u) === filePathOf(app)
    );
  }
  if (app.protocol === 'http:' || app.protocol === 'https:') {
    return u.origin === app.origin;
  }
  return false;
}

/** The IPC sender frame's URL must be the app's page (see isAppUrl). */
export function isTrustedSender(frameUrl: unknown, appUrl: string): boolean {
  return isAppUrl(frameUrl, appUrl);
}

/** The parts of an IpcMainInvokeEvent the check needs (real events satisfy it structurally). */
export interface IpcSenderInfo {
  sender: { mainFrame: unknown };
  senderFrame: { url: string } | null;
}

/**
 * Full sender check for ipcMain: the frame still exists, it is the TOP frame of its
 * webContents (no iframe may call the core), and its URL is the app's page.
 */
export function isTrustedIpcEvent(event: IpcSenderInfo, appUrl: string): boolean {
  let frame: { url: string } | null;
  try {
    frame = event.senderFrame;
  } catch {
    return false;
  }
  if (!frame || frame !== event.sender.mainFrame) return false;
  return isTrustedSender(frame.url, appUrl);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * ELECTRON_RENDERER_URL (set by `electron-vite dev`) is honoured only in an unpackaged app and
 * only for an http(s) loopback address, so an environment variable can never point the
 * installed app at remote content.
 */
export function resolveDevServerUrl(value: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !value) return null;
  const u = parseUrl(value.trim());
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:')) return null;
  if (!LOOPBACK_HOSTS.has(u.hostname)) return null;
  return u.href;
}

const NETWORK_PROTOCOLS = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:']);

/**
 * No remote content: any network request from the app's pages is cancelled, except to the
 * dev server's own origin in development. (file:, data:, blob:, devtools: are not network.)
 * This covers Chromium requests only; the core's own sync client runs in Node and is not affected.
 */
export function isBlockedRequest(url: string, appUrl: string): boolean {
  const u = parseUrl(url);
  if (!u) return true;
  if (!NETWORK_PROTOCOLS.has(u.protocol)) return false;
  const app = parseUrl(appUrl);
  if (app && (app.protocol === 'http:' || app.protocol === 'https:')) {
    if (u.origin === app.origin) return false;
    // Vite's HMR socket: same host and port as the dev server.
    if ((u.protocol === 'ws:' || u.protocol === 'wss:') && u.host === app.host) return false;
  }
  return true;
}

/** Extensions shell.openPath must never open: they would RUN something rather than show it. */
const EXECUTABLE_EXTENSIONS = new Set(
  (
    'exe com bat cmd msi msp msc scr pif cpl ps1 psm1 vbs vbe js jse mjs cjs wsf wsh hta lnk url reg inf ' +
    'jar sh bash zsh csh ksh fish run bin out appimage desktop deb rpm app command py pyw pl rb php'
  ).split(' '),
);

/** An absolute path whose extension is not an executable/script type (folders are fine). */
export function isSafeToOpenPath(file: unknown): boolean {
  if (typeof file !== 'string' || file.length === 0 || file.includes('\0')) return false;
  if (!path.isAbsolute(file) && !path.win32.isAbsolute(file)) return false;
  const ext = path
    .extname(file.replace(/[\\/]+$/, ''))
    .slice(1)
    .toLowerCase();
  return !EXECUTABLE_EXTENSIONS.has(ext);
}

export interface SecurityOptions {
  /** The app page URL: file URL of out/renderer/index.html, or the dev server URL. */
  appUrl: string;
  /** Policy sent as the Content-Security-Policy header for the app's documents. */
  csp: string;
  /** shell.openExternal, injected so this module stays free of runtime electron imports. */
  openExternal(url: string): Promise<void> | void;
  log?(message: string): void;
}

function openSafely(url: string, opts: SecurityOptions): void {
  if (!isSafeExternalUrl(url)) {
    opts.log?.(`[security] 拒绝打开外部链接：${url.slice(0, 200)}`);
    return;
  }
  try {
    Promise.resolve(opts.openExternal(url)).catch((e: unknown) =>
      opts.log?.(`[security] 打开外部链接失败：${String(e)}`),
    );
  } catch (e) {
    opts.log?.(`[security] 打开外部链接失败：${String(e)}`);
  }
}

/** Per-webContents lockdown: navigation, redirects, new windows, <webview>. */
export function hardenWebContents(contents: WebContents, opts: SecurityOptions): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url, opts.appUrl)) return;
    event.preventDefault();
    opts.log?.(`[security] 已阻止页面跳转：${String(event.url).slice(0, 200)}`);
    // A plain <a href="https://…"> click: show it in the system browser instead.
    if (isSafeExternalUrl(event.url)) openSafely(event.url, opts);
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url, opts.appUrl)) return;
    event.preventDefault();
    opts.log?.(`[security] 已阻止重定向：${String(event.url).slice(0, 200)}`);
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isSafeExternalUrl(url)) openSafely(url, opts);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    opts.log?.('[security] 已阻止 <webview>');
  });
}

function withCsp(headers: Record<string, string[]> | undefined, csp: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (k.toLowerCase() !== 'content-security-policy') out[k] = v;
  }
  out['Content-Security-Policy'] = [csp];
  return out;
}

/** Session lockdown: permissions denied, remote requests cancelled, CSP header on app pages. */
export function hardenSession(session: Session, opts: SecurityOptions): void {
  session.setPermissionRequestHandler((_webContents, permission, callback) => {
    opts.log?.(`[security] 已拒绝权限请求：${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onBeforeRequest((details, callback) => {
    const cancel = isBlockedRequest(details.url, opts.appUrl);
    if (cancel) opts.log?.(`[security] 已阻止网络请求：${details.url.slice(0, 200)}`);
    callback({ cancel });
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    const isDocument = details.resourceType === 'mainFrame' || details.resourceType === 'subFrame';
    if (isDocument && isAppUrl(details.url, opts.appUrl)) {
      callback({ responseHeaders: withCsp(details.responseHeaders, opts.csp) });
    } else {
      callback({});
    }
  });
}

export interface InstallSecurityOptions extends SecurityOptions {
  app: App;
  session: Session;
}

/**
 * Installs everything: every webContents created from now on (windows, devtools excluded by
 * Electron) is hardened via 'web-contents-created', and the session is locked down.
 * Call after app 'ready' and BEFORE creating the window.
 */
export function installSecurityHandlers({ app, session, ...opts }: InstallSecurityOptions): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, opts));
  hardenSession(session, opts);
}
