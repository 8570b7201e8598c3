/** `sync`: sign in to the central platform, sync once (scripted field sync), status, join a workspace. */
import type { SyncStatus } from '../../core/contract/index';
import { cloneWorkspace } from '../../core/sync/clone';
import { fileSecretStore } from '../../core/sync/secrets';
import { AppError } from '../../core/util/errors';
import { CommandError } from '../errors';
import { defineCommand } from '../registry';

const DIR = { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' } as const;
const SERVER = {
  type: 'string',
  required: true,
  value: '<地址>',
  description: '同步服务器地址，例如 https://credit.example.gov.cn',
} as const;
const TOKEN = {
  type: 'string',
  required: true,
  value: '<令牌>',
  description: '管理员发放的访问令牌',
} as const;

const STATE_LABEL: Record<SyncStatus['state'], string> = {
  unconfigured: '未设置同步',
  idle: '已同步',
  syncing: '正在同步',
  offline: '离线',
  error: '同步出错',
};

function statusText(s: SyncStatus): string {
  const lines = [
    `状态：${STATE_LABEL[s.state]}`,
    `服务器：${s.serverUrl ?? '（未设置）'}${s.user ? `，登录为 ${s.user.name}` : ''}`,
    `上次同步：${s.lastSyncAt ?? '从未同步'}`,
    `待上传：${s.pending.changes} 条修改，${s.pending.docs} 篇文档，${s.pending.blobs} 个附件`,
  ];
  if (s.error) lines.push(`错误：${s.error.message}`);
  if (s.massDelete)
    lines.push(
      `待确认：服务器上的修改将删除 ${s.massDelete.live} 条记录中的 ${s.massDelete.deletes} 条，确认后用 sync run --allow-mass-delete。`,
    );
  return `${lines.join('\n')}\n`;
}

export const syncLoginCommand = defineCommand({
  name: 'sync login',
  summary: '登录中心平台的同步服务器（检查服务器和令牌，登记工作区）',
  description:
    '检查服务器的同步协议版本和访问令牌，把本工作区登记到服务器（首次同步的电脑成为其所有者），保存服务器地址；令牌保存在数据文件夹中仅本用户可读的文件里。',
  options: { dir: DIR, server: SERVER, token: TOKEN },
  examples: ['sync login --dir ./琼海创建 --server https://credit.example.gov.cn --token cwb_xxxxxxxx'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const s = await ctx.call('sync.configure', { serverUrl: o.server, token: o.token });
    ctx.result(s, (v) => `已登录同步服务器。\n${statusText(v)}`);
  },
});

export const syncRunCommand = defineCommand({
  name: 'sync run',
  summary: '同步一次：上传本机修改，接收其他电脑的修改、文档和附件',
  description: [
    '依次上传本机的修改、接收服务器上的修改（逐字段以较晚的修改为准，被覆盖的值保留在历史中）、同步文档、上传和下载附件。',
    '接收的修改若会删除本工作区一半以上的记录，同步会暂停且不删除任何内容；核实后加 --allow-mass-delete 再运行。',
    '成功时退出码为 0，失败时为 1 并说明原因和处理办法。',
  ].join('\n'),
  options: {
    dir: DIR,
    'allow-mass-delete': { type: 'boolean', description: '确认接收会删除大量记录的修改' },
  },
  examples: ['sync run --dir ./琼海创建', 'sync run --dir ./琼海创建 --allow-mass-delete --json'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const r = await ctx.withProgress(() => ctx.call('sync.now', { allowMassDelete: o['allow-mass-delete'] }));
    ctx.result(
      r,
      (v) =>
        [
          `同步完成：上传 ${v.pushed} 条修改，接收 ${v.pulled} 条修改，同步 ${v.docs} 篇文档，上传 ${v.blobsUp} 个、下载 ${v.blobsDown} 个附件。`,
          v.conflicts ? `有 ${v.conflicts} 个接收的值比本机的修改早，未采用（保留在历史中）。` : '',
          v.revived ? `有 ${v.revived} 条本机已删除的记录因其他电脑较晚的修改而恢复。` : '',
          v.status.error ? `附件同步未完成：${v.status.error.message}` : '',
        ]
          .filter(Boolean)
          .join('\n') + '\n',
    );
  },
});

export const syncStatusCommand = defineCommand({
  name: 'sync status',
  summary: '查看同步状态（服务器、上次同步、待上传、错误）',
  options: { dir: DIR },
  examples: ['sync status --dir ./琼海创建'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    ctx.result(await ctx.call('sync.status', {}), statusText);
  },
});

export const syncCloneCommand = defineCommand({
  name: 'sync clone',
  summary: '在新电脑上从服务器取得一个工作区（新建文件夹并接收全部数据）',
  description:
    '用于第二、第三台电脑加入已在服务器上的工作区：在新文件夹中建立工作区，接收全部记录和文档（附件在打开时或后台同步时下载），并保存登录信息，之后用 sync run 同步。',
  options: {
    server: SERVER,
    token: TOKEN,
    workspace: { type: 'string', required: true, value: '<工作区ID>', description: '服务器上的工作区标识' },
    dir: { ...DIR, description: '新工作区的文件夹（须为空或不存在）' },
  },
  examples: [
    'sync clone --server https://credit.example.gov.cn --token cwb_xxxxxxxx --workspace 0190… --dir ./琼海创建',
  ],
  async run(ctx, o) {
    const dir = ctx.resolvePath(o.dir);
    let cloned: { records: number; docs: number };
    try {
      const r = await cloneWorkspace({
        dir,
        serverUrl: o.server,
        token: o.token,
        workspaceId: o.workspace,
        secrets: fileSecretStore(ctx.dataDir),
        onProgress: (m) => {
          if (!ctx.json) ctx.note(m);
        },
      });
      cloned = { records: r.records, docs: r.docs };
      r.workspace.close();
    } catch (e) {
      if (e instanceof AppError) throw new CommandError(e.message, e.code);
      throw e;
    }
    const summary = await ctx.openWorkspace(dir);
    ctx.result(
      { workspace: summary, ...cloned },
      (v) =>
        [
          `已从服务器取得工作区「${v.workspace.name}」：${v.records} 条修改，${v.docs} 篇文档。`,
          `任务 ${v.workspace.counts.tasks} 项，部门单位 ${v.workspace.counts.departments} 个，指标 ${v.workspace.counts.indicators} 个。`,
          `位置：${v.workspace.dir}`,
        ].join('\n') + '\n',
    );
  },
});
