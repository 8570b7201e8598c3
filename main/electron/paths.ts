/**
 * Where the desktop app keeps things. PURE: no electron import, so the rules can be unit
 * tested and mirrored exactly by the web host and the CLI.
 *
 * THE data-folder rule (the web host and the CLI must use the same one):
 *   1. if the environment variable CWB_DATA_DIR is set (non-blank) → path.resolve(CWB_DATA_DIR);
 *   2. otherwise → <appData>/credit-workbench, where <appData> is Electron's
 *      app.getPath('appData'):  Windows  %APPDATA%  (…\AppData\Roaming)
 *                               macOS    ~/Library/Application Support
 *                               Linux    $XDG_CONFIG_HOME (if absolute) or ~/.config
 *      (see appDataDirFor() which computes the same thing without Electron).
 */
import path from 'node:path';

import { appDataDir, DATA_DIR_ENV, DATA_FOLDER_NAME } from '../core/app/paths';

export { DATA_DIR_ENV, DATA_FOLDER_NAME };

/** <appData>/credit-workbench */
export function defaultDataDir(appDataDirPath: string): string {
  return path.join(appDataDirPath, DATA_FOLDER_NAME);
}

/** CWB_DATA_DIR if set (resolved to an absolute path), else defaultDataDir(appDataDir). */
export function resolveDataDir(
  env: Readonly<Record<string, string | undefined>>,
  appDataDirPath: string,
): string {
  const override = env[DATA_DIR_ENV]?.trim();
  return override ? path.resolve(override) : defaultDataDir(appDataDirPath);
}

/** What Electron's app.getPath('appData') returns, computed without Electron (shared rule in core/app/paths.ts). */
export function appDataDirFor(
  platform: NodeJS.Platform,
  env: Readonly<Record<string, string | undefined>>,
  homeDir: string,
): string {
  return appDataDir(env, platform, homeDir);
}

/** Folder holding templates/ etc.: <resources>/resources when packaged, <app>/resources otherwise. */
export function resourcesDirFor(opts: {
  isPackaged: boolean;
  resourcesPath: string;
  appPath: string;
}): string {
  return opts.isPackaged ? path.join(opts.resourcesPath, 'resources') : path.join(opts.appPath, 'resources');
}
