import fs from 'node:fs';
import path from 'node:path';
import { backupFileName } from '../../core/workspace/backup';
import { CommandError } from '../errors';
import { formatBytes, formatFields } from '../io';
import { defineCommand } from '../registry';
import { countsText } from './workspace';

const isDir = (p: string) => fs.existsSync(p) && fs.statSync(p).isDirectory();

export const backupCommand = defineCommand({
  name: 'backup',
  summary: '把工作区（数据库和附件）备份为一个 .cwbak 文件',
  description: '备份时工作区可照常使用。未指定 --out 时，备份写入数据文件夹下的 backups/。',
  options: {
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
    out: {
      type: 'string',
      value: '<文件>',
      description: '备份文件路径；给出已存在的文件夹时，在其中按“名称-日期时间.cwbak”命名',
    },
    force: { type: 'boolean', description: '覆盖已存在的备份文件' },
  },
  examples: ['backup --dir ./琼海创建', 'backup --dir ./琼海创建 --out ./备份/琼海-月末.cwbak'],
  async run(ctx, o) {
    const summary = await ctx.openWorkspace(o.dir);
    let file: string | undefined;
    if (o.out !== undefined) {
      file = ctx.resolvePath(o.out);
      if (isDir(file)) file = path.join(file, backupFileName(summary.name, new Date()));
      else if (fs.existsSync(file) && !o.force) {
        throw new CommandError(`文件「${file}」已存在。如需覆盖，请加 --force。`, 'CONFLICT');
      }
    }
    const result = await ctx.withProgress(() =>
      ctx.call('workspace.backup', file === undefined ? {} : { file }),
    );
    ctx.result(result, (r) =>
      [
        `已备份工作区「${summary.name}」\n`,
        formatFields(
          [
            ['备份文件', r.file],
            ['大小', `${formatBytes(r.bytes)}（${r.bytes} 字节）`],
            ['附件', `${r.blobs} 个`],
            ['数据库版本', String(r.schemaVersion)],
          ],
          '  ',
        ),
      ].join(''),
    );
  },
});

function preRestoreFolders(dir: string): Set<string> {
  try {
    return new Set(fs.readdirSync(dir).filter((n) => n.startsWith('.pre-restore-')));
  } catch {
    return new Set();
  }
}

export const restoreCommand = defineCommand({
  name: 'restore',
  summary: '从备份文件恢复工作区：替换文件夹中已有的工作区，或恢复到空文件夹',
  description:
    '先完整校验备份（格式、数据库完整性、附件校验值），通过后才写入；备份损坏或不是本工作台的备份时，原工作区不受影响。\n' +
    '文件夹中已有工作区时，原内容移到该文件夹的 .pre-restore-<时间>/ 中保留；文件夹不存在或没有工作区时，在其中恢复出工作区。',
  options: {
    file: { type: 'string', required: true, value: '<备份文件>', description: '.cwbak 备份文件' },
    dir: { type: 'string', required: true, value: '<文件夹>', description: '恢复到的工作区文件夹' },
  },
  examples: [
    'restore --file ./备份/琼海-月末.cwbak --dir ./琼海创建',
    'restore --file ./备份/琼海-月末.cwbak --dir ./新电脑上的工作区',
  ],
  async run(ctx, o) {
    const file = ctx.resolvePath(o.file);
    const dir = ctx.resolvePath(o.dir);
    if (!fs.existsSync(file)) throw new CommandError(`找不到备份文件「${file}」。`, 'NOT_FOUND');
    if (isDir(file)) throw new CommandError(`「${file}」是文件夹，不是备份文件。`, 'BAD_INPUT');
    if (fs.existsSync(dir) && !isDir(dir))
      throw new CommandError(`「${dir}」是文件，不是文件夹。`, 'BAD_INPUT');

    // A workspace in the folder: open it and replace its content (the core keeps the old one aside).
    // None there: the core restores the backup as a new workspace in that folder.
    const open = await ctx.core().invoke('workspace.open', { dir });
    if (!open.ok && open.error.code !== 'NOT_FOUND') {
      throw new CommandError(
        `${open.error.message}（文件夹中的工作区无法打开，因此没有恢复。可把该文件夹改名后，恢复到一个新文件夹。）`,
        open.error.code,
      );
    }
    const replacing = open.ok;
    const before = preRestoreFolders(dir);
    const restored = await ctx.withProgress(() =>
      replacing ? ctx.call('workspace.restore', { file }) : ctx.call('workspace.importBackup', { file, dir }),
    );
    const kept = [...preRestoreFolders(dir)].filter((n) => !before.has(n)).sort();
    const keptDir = kept.length > 0 ? path.join(dir, kept[kept.length - 1] ?? '') : null;
    ctx.result({ ...restored, replaced: replacing, previousContentDir: keptDir }, (s) =>
      [
        `已从备份恢复工作区「${s.name}」\n`,
        formatFields(
          [
            ['文件夹', s.dir],
            ['备份文件', file],
            ['原有内容', s.previousContentDir ? `已移到 ${s.previousContentDir}` : '无（新恢复的工作区）'],
            ['内容', countsText(s)],
          ],
          '  ',
        ),
      ].join(''),
    );
  },
});
