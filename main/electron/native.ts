/**
 * Where the Electron-ABI build of better-sqlite3 lives. PURE (no electron import).
 *
 * node_modules/better-sqlite3 always keeps the NODE build (tests, CLI, web host); the
 * Electron shell loads its own copy through better-sqlite3's `nativeBinding` option, so the
 * two never overwrite each other (scripts/ensure-native.mjs builds it; electron-builder.yml
 * ships it as <resources>/native/better_sqlite3.node).
 */
import path from 'node:path';

export const NATIVE_FILE = 'better_sqlite3.node';

/** `.native/electron-<version>-<platform>-<arch>`, the folder name ensure-native.mjs writes. */
export function electronNativeDirName(electronVersion: string, platform: string, arch: string): string {
  return `electron-${electronVersion}-${platform}-${arch}`;
}

export interface NativeBindingContext {
  isPackaged: boolean;
  /** process.resourcesPath */
  resourcesPath: string;
  /** app.getAppPath() */
  appPath: string;
  /** process.versions.electron */
  electronVersion: string;
  platform: string;
  arch: string;
}

/**
 * Packaged: <resources>/native/better_sqlite3.node.
 * Development (`npm start` / `npm run dev`, Playwright): <app>/.native/electron-<v>-<platform>-<arch>/better_sqlite3.node.
 */
export function nativeBindingPath(ctx: NativeBindingContext): string {
  if (ctx.isPackaged) return path.join(ctx.resourcesPath, 'native', NATIVE_FILE);
  return path.join(
    ctx.appPath,
    '.native',
    electronNativeDirName(ctx.electronVersion, ctx.platform, ctx.arch),
    NATIVE_FILE,
  );
}

/** The Chinese message shown (dialog.showErrorBox) when the binding is missing. */
export function missingNativeMessage(file: string, isPackaged: boolean): string {
  if (isPackaged) {
    return `找不到数据库组件：\n${file}\n\n安装包不完整，请重新安装「信用创建工作台」。`;
  }
  return (
    `找不到为 Electron 编译的数据库组件（better-sqlite3）：\n${file}\n\n` +
    '请在项目目录运行 npm start（它会自动下载或编译该组件后再启动）。\n' +
    '如果仍然失败，请检查网络，或安装 python3、make 和 C++ 编译器后重试。'
  );
}
