/** Helpers of the commands that write a file (xlsx lists, docx reports). */
import fs from 'node:fs';
import { periodFromKey } from '../core/tasks/periods';
import { localToday } from '../core/tasks/tasks';
import type { CommandContext } from './context';
import { CommandError } from './errors';
import { formatBytes } from './io';
import type { OptionSpec } from './registry';

/** The --out option of a command writing a `.ext` file. */
export function outOption(
  ext: 'xlsx' | 'docx' | 'pptx',
  example: string,
): OptionSpec & { type: 'string'; required: true } {
  return {
    type: 'string',
    required: true,
    value: `<文件.${ext}>`,
    description: `写入的文件，例如 ${example}；文件夹不存在时自动创建`,
    check: (v) => (v.toLowerCase().endsWith(`.${ext}`) ? null : `文件名应以 .${ext} 结尾`),
  };
}

export const FORCE_OPTION = {
  type: 'boolean',
  description: '覆盖已存在的文件',
} as const satisfies OptionSpec;

/** The --out path resolved against the working directory; an existing file needs --force. */
export function outputFile(ctx: CommandContext, out: string, force: boolean): string {
  const file = ctx.resolvePath(out);
  if (fs.existsSync(file)) {
    if (fs.statSync(file).isDirectory())
      throw new CommandError(`「${file}」是文件夹，请在 --out 中给出文件名。`, 'BAD_INPUT');
    if (!force) throw new CommandError(`文件「${file}」已存在。如需覆盖，请加 --force。`, 'CONFLICT');
  }
  return file;
}

export function writtenLine(r: { file: string; bytes: number }): string {
  return `已写入 ${r.file}（${formatBytes(r.bytes)}）\n`;
}

/** 0.853 → "85.3%"; null → "—". */
export function rateText(r: number | null): string {
  return r === null ? '—' : `${(r * 100).toFixed(1)}%`;
}

/** Today's local date (YYYY-MM-DD), the same rule the core uses. */
export function todayText(now: Date = new Date()): string {
  return localToday(now);
}

const WEEK = /^\d{4}-[Ww]\d{2}$/;

/** Option --week: an ISO week such as 2027-W10 (a lower-case w is accepted; see weekKeyOf). */
export function weekOption<R extends boolean>(
  description: string,
  required: R,
): OptionSpec & { type: 'string'; required: R } {
  return {
    type: 'string',
    required,
    value: '<YYYY-Www>',
    description,
    check: (v) => {
      if (!WEEK.test(v)) return '周次格式应为 2027-W10（ISO 周，周一至周日）';
      return periodFromKey(weekKeyOf(v)) ? null : `${v.slice(0, 4)} 年没有第 ${v.slice(6)} 周`;
    },
  };
}

export function weekKeyOf(v: string): string {
  return v.toUpperCase();
}
