/**
 * Where the workbench keeps its per-machine data (app state, backups, new workspaces).
 * THE one rule, shared by the desktop shell, the web host and the CLI:
 *
 *   1. CWB_DATA_DIR, if set and not blank → path.resolve(CWB_DATA_DIR)
 *   2. else <appData>/credit-workbench, <appData> being what Electron's app.getPath('appData') gives:
 *        Windows  %APPDATA% (else ~\AppData\Roaming)
 *        macOS    ~/Library/Application Support
 *        Linux    $XDG_CONFIG_HOME if absolute, else ~/.config
 * A command-line --data-dir option comes before both.
 */
import os from 'node:os';
import path from 'node:path';

export const DATA_FOLDER_NAME = 'credit-workbench';
export const DATA_DIR_ENV = 'CWB_DATA_DIR';

export type Env = Readonly<Record<string, string | undefined>>;

/** Electron's app.getPath('appData') for a platform, computed without Electron. */
export function appDataDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  if (platform === 'win32') return env.APPDATA?.trim() || path.win32.join(home, 'AppData', 'Roaming');
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support');
  const xdg = env.XDG_CONFIG_HOME?.trim();
  return xdg && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config');
}

/** The desktop app's default data folder (ignores CWB_DATA_DIR). Pure: no file system access. */
export function defaultDataDir(
  env: Env = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir(),
): string {
  const base = appDataDir(env, platform, home);
  return platform === 'win32'
    ? path.win32.join(base, DATA_FOLDER_NAME)
    : path.posix.join(base, DATA_FOLDER_NAME);
}

/** --data-dir, else $CWB_DATA_DIR, else the desktop app's default. Relative paths resolve against cwd. */
export function resolveDataDir(
  option: string | undefined,
  env: Env = process.env,
  cwd: string = process.cwd(),
): string {
  if (option !== undefined && option.trim() !== '') return path.resolve(cwd, option);
  const override = env[DATA_DIR_ENV]?.trim();
  return override ? path.resolve(cwd, override) : defaultDataDir(env);
}
