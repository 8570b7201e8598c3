/**
 * The Electron shell: the ONLY runtime code that imports 'electron'. Thin on purpose: the
 * application is the core (main/core, plain Node); everything here that can be tested
 * without Electron lives in the pure modules next to this file (window-options, security,
 * paths, native, menu, channels) and has unit tests.
 *
 *   single-instance lock → enableSandbox → ready → native binding check → createCore
 *   → security handlers → one ipcMain.handle('app:invoke') → menu → hardened window.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  session,
  shell,
  type IpcMainInvokeEvent,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from 'electron';
import { APP_VERSION, createCore, type Core, type PlatformServices } from '../core/core';
import type { CommandName, Input, PickPathInput, Result } from '../core/contract/index';
import { AppError } from '../core/util/errors';
import { EVENT_CHANNEL, EVENT_NAMES, INVOKE_CHANNEL } from './channels';
import { buildMenuTemplate } from './menu';
import { electronSecretStore } from './secrets';
import { missingNativeMessage, nativeBindingPath } from './native';
import { DATA_DIR_ENV, resolveDataDir, resourcesDirFor } from './paths';
import {
  installSecurityHandlers,
  isSafeToOpenPath,
  isTrustedIpcEvent,
  resolveDevServerUrl,
} from './security';
import {
  CONTENT_SECURITY_POLICY,
  createWindowOptions,
  devContentSecurityPolicy,
  WINDOW_TITLE,
} from './window-options';

/** out/main (this file is bundled to out/main/index.js). */
const here = path.dirname(fileURLToPath(import.meta.url));
const isDev = !app.isPackaged;

let mainWindow: BrowserWindow | null = null;
let core: Core | null = null;

function log(message: string): void {
  console.log(`[shell] ${message}`);
}

function fail(title: string, message: string): void {
  console.error(`[shell] ${title}: ${message}`);
  try {
    dialog.showErrorBox(title, message);
  } finally {
    app.exit(1);
  }
}

function liveWindow(): BrowserWindow | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
}

function focusMainWindow(): void {
  const win = liveWindow();
  if (!win) return;
  if (win.isMinimized()) win.restore();
  if (!win.isVisible()) win.show();
  win.focus();
}

function closeCore(): void {
  const c = core;
  core = null;
  try {
    c?.close();
  } catch (e) {
    console.error('[shell] 关闭数据库时出错：', e);
  }
}

function errorResult(code: 'UNAUTHORIZED' | 'UNKNOWN_COMMAND' | 'INTERNAL', message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** Dialogs and the OS file opener, offered to the core as platform services. */
function platformServices(): PlatformServices {
  return {
    async pickPath(input: PickPathInput): Promise<string | null> {
      const win = liveWindow();
      const filters = input.filters?.length ? input.filters : undefined;
      if (input.mode === 'save-file') {
        const options: SaveDialogOptions = {
          title: input.title,
          defaultPath: input.defaultPath,
          filters,
          properties: ['createDirectory', 'showOverwriteConfirmation'],
        };
        const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
        return r.canceled || !r.filePath ? null : r.filePath;
      }
      const options: OpenDialogOptions = {
        title: input.title,
        defaultPath: input.defaultPath,
        filters: input.mode === 'open-file' ? filters : undefined,
        properties: input.mode === 'open-dir' ? ['openDirectory', 'createDirectory'] : ['openFile'],
      };
      const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return r.canceled ? null : (r.filePaths[0] ?? null);
    },
    async openPath(file: string): Promise<void> {
      if (!isSafeToOpenPath(file)) {
        throw new AppError('BAD_INPUT', `出于安全考虑，不能从工作台直接打开此类文件：${path.basename(file)}`);
      }
      if (!fs.existsSync(file)) throw new AppError('NOT_FOUND', `找不到文件：${file}`);
      const error = await shell.openPath(file);
      if (error) throw new AppError('IO_ERROR', `无法打开「${file}」：${error}`);
    },
    // the sync access token, encrypted by the OS keychain (refused where there is none)
    secrets: electronSecretStore(app.getPath('userData')),
  };
}

function showAbout(dataDir: string): void {
  const options = {
    type: 'info' as const,
    title: '关于',
    message: WINDOW_TITLE,
    detail:
      `版本 ${APP_VERSION}\n` +
      `Electron ${process.versions.electron} · Chromium ${process.versions.chrome} · Node ${process.versions.node}\n` +
      `数据文件夹：${dataDir}`,
    buttons: ['确定'],
  };
  const win = liveWindow();
  void (win ? dialog.showMessageBox(win, options) : dialog.showMessageBox(options));
}

function createWindow(
  page: { devUrl: string | null; indexHtml: string },
  resourcesDir: string,
): BrowserWindow {
  const icon = path.join(resourcesDir, 'icons', 'icon.png');
  const win = new BrowserWindow(
    createWindowOptions({
      preloadPath: path.join(here, '../preload/index.cjs'),
      iconPath: fs.existsSync(icon) ? icon : undefined,
    }),
  );
  mainWindow = win;
  win.once('ready-to-show', () => win.show());
  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  win.webContents.on('did-fail-load', (_event, code, description, url, isMainFrame) => {
    if (!isMainFrame) return;
    console.error(`[shell] 页面加载失败 ${code} ${description}: ${url}`);
    if (!win.isDestroyed() && !win.isVisible()) win.show();
  });
  win.webContents.on('render-process-gone', (_event, details) => {
    console.error(`[shell] 渲染进程退出：${details.reason} (${details.exitCode})`);
  });
  const loading = page.devUrl ? win.loadURL(page.devUrl) : win.loadFile(page.indexHtml);
  loading.catch((e: unknown) => console.error('[shell] 页面加载失败：', e));
  return win;
}

function start(dataDir: string): void {
  const appPath = app.getAppPath();

  // better-sqlite3 built for Electron's ABI (never the Node build in node_modules).
  const nativeBinding = nativeBindingPath({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath,
    electronVersion: process.versions.electron,
    platform: process.platform,
    arch: process.arch,
  });
  if (!fs.existsSync(nativeBinding)) {
    fail('信用创建工作台无法启动', missingNativeMessage(nativeBinding, app.isPackaged));
    return;
  }

  const resourcesDir = resourcesDirFor({
    isPackaged: app.isPackaged,
    resourcesPath: process.resourcesPath,
    appPath,
  });
  const devUrl = resolveDevServerUrl(process.env.ELECTRON_RENDERER_URL, app.isPackaged);
  const indexHtml = path.join(here, '../renderer/index.html');
  if (!devUrl && !fs.existsSync(indexHtml)) {
    fail(
      '信用创建工作台无法启动',
      `界面文件缺失：\n${indexHtml}\n\n请在项目目录运行 npm start（会先构建界面）。`,
    );
    return;
  }
  const appUrl = devUrl ?? pathToFileURL(indexHtml).href;

  try {
    core = createCore({
      dataDir,
      resourcesDir,
      nativeBinding,
      runtime: 'electron',
      platform: platformServices(),
      // sync with the central platform on its own when signed in
      autoSync: true,
    });
  } catch (e) {
    fail(
      '信用创建工作台无法启动',
      `数据文件夹无法使用：\n${dataDir}\n\n${e instanceof Error ? e.message : String(e)}`,
    );
    return;
  }
  log(`数据文件夹：${dataDir}`);

  installSecurityHandlers({
    app,
    session: session.defaultSession,
    appUrl,
    csp: devUrl ? devContentSecurityPolicy(devUrl) : CONTENT_SECURITY_POLICY,
    openExternal: (url) => shell.openExternal(url),
    log,
  });

  // The ONE entry point from the renderer: validate the sender frame, forward to the core.
  ipcMain.handle(INVOKE_CHANNEL, async (event: IpcMainInvokeEvent, name: unknown, input: unknown) => {
    if (!isTrustedIpcEvent(event, appUrl)) {
      log(`拒绝了来自不可信页面的调用：${event.senderFrame?.url ?? '(已关闭的页面)'}`);
      return errorResult('UNAUTHORIZED', '请求来自不受信任的页面，已拒绝。');
    }
    if (!core) return errorResult('INTERNAL', '应用正在关闭，请稍后重试。');
    if (typeof name !== 'string') return errorResult('UNKNOWN_COMMAND', '命令名称无效。');
    try {
      // The core validates the name and the input against the contract and never throws.
      return await core.invoke(name as CommandName, input as Input<CommandName>);
    } catch (e) {
      return errorResult('INTERNAL', `内部错误：${e instanceof Error ? e.message : String(e)}`);
    }
  });

  // Core events → the window (the preload re-dispatches them to window.app.on listeners).
  for (const name of EVENT_NAMES) {
    core.on(name, (payload) => {
      const win = liveWindow();
      if (win && !win.webContents.isDestroyed()) win.webContents.send(EVENT_CHANNEL, name, payload);
    });
  }

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({ isDev, isMac: process.platform === 'darwin', onAbout: () => showAbout(dataDir) }),
    ),
  );

  createWindow({ devUrl, indexHtml }, resourcesDir);
  app.on('activate', () => {
    if (!liveWindow()) createWindow({ devUrl, indexHtml }, resourcesDir);
  });
}

function main(): void {
  const dataDir = resolveDataDir(process.env, app.getPath('appData'));
  // With an explicit data folder (tests, portable use) keep Chromium's profile — and with it
  // the single-instance lock — inside it too, so such a run never collides with the
  // user's normal instance. Must happen before the lock and before 'ready'.
  if (process.env[DATA_DIR_ENV]?.trim()) app.setPath('userData', path.join(dataDir, 'electron-profile'));

  app.enableSandbox();

  if (!app.requestSingleInstanceLock()) {
    // Another instance is running: it gets 'second-instance' and focuses its window.
    app.quit();
    return;
  }
  app.on('second-instance', focusMainWindow);
  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', closeCore);

  app
    .whenReady()
    .then(() => start(dataDir))
    .catch((e: unknown) =>
      fail('信用创建工作台无法启动', e instanceof Error ? (e.stack ?? e.message) : String(e)),
    );
}

main();
