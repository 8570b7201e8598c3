import fs from 'node:fs';

/** A workspace or document name made safe as one file or folder name on Windows, macOS and Linux. */
export function safeFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex -- control characters are invalid in file names
    .replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .slice(0, 40);
  return cleaned || '工作区';
}

/** Local time as YYYYMMDD-HHmmss, for file names. */
export function fileTimestamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `base`, or `base-2`, `base-3` … : the first that does not exist yet (a new workspace folder). */
export function uniqueDir(base: string): string {
  let dir = base;
  for (let i = 2; fs.existsSync(dir); i++) dir = `${base}-${i}`;
  return dir;
}
