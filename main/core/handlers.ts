/** One handler per contract command. Inputs arrive validated (see core.ts invoke). */
import fs from 'node:fs';
import path from 'node:path';
import dayjs from 'dayjs';
import type { CommandName, Output, ParsedInput } from './contract/index';
import type { CoreContext } from './core';
import { listAudit } from './audit/audit';
import { LATEST_VERSION } from './db/open';
import {
  archiveDepartment,
  createDepartment,
  listDepartments,
  updateDepartment,
} from './departments/departments';
import type { EntityName } from './records/entities';
import { createStaff, listStaff, setMe, updateStaff } from './staff/staff';
import { buildComplianceHandlers } from './handlers-compliance';
import { buildIndicatorHandlers } from './handlers-indicators';
import { buildMaterialHandlers } from './handlers-materials';
import { buildMonitoringHandlers } from './handlers-monitoring';
import { buildSyncHandlers } from './handlers-sync';
import { buildSyncJoinHandlers } from './handlers-sync-join';
import { buildOutputHandlers } from './handlers-output';
import { buildSupervisionHandlers } from './handlers-supervision';
import { generateInstances } from './tasks/recurrence';
import { createTask, deleteTask, getTask, listTasks, localToday, updateTask } from './tasks/tasks';
import { AppError } from './util/errors';
import { uuidv7 } from './util/ids';
import { safeFileName, uniqueDir } from './util/names';
import { APP_VERSION } from './version';
import {
  backupFileName,
  backupWorkspace,
  type BackupManifest,
  extractBackup,
  swapInRestored,
  undoSwap,
} from './workspace/backup';
import { getSettings, updateSettings } from './workspace/settings';
import { listTemplates, loadTemplate } from './workspace/templates';
import { Workspace } from './workspace/workspace';

export type Handlers = {
  [N in CommandName]: (input: ParsedInput<N>) => Output<N> | Promise<Output<N>>;
};

const ALL_ENTITIES: EntityName[] = [
  'workspace',
  'staff',
  'department',
  'indicator',
  'task',
  'task_department',
  'task_indicator',
];

export function buildHandlers(ctx: CoreContext, onCommit: (entities: EntityName[]) => void): Handlers {
  const templatesDir = path.join(ctx.resourcesDir, 'templates');
  let jobSeq = 0;

  const progress = (jobId: string, kind: string) => ({
    running: (done: number, total: number | null, message: string) =>
      ctx.emit('job.progress', { jobId, kind, done, total, message, state: 'running' }),
    done: (message: string) =>
      ctx.emit('job.progress', { jobId, kind, done: 1, total: 1, message, state: 'done' }),
    failed: (message: string) =>
      ctx.emit('job.progress', { jobId, kind, done: 0, total: null, message, state: 'failed' }),
  });

  /**
   * First half of every restore: extract and validate a backup into a staging folder (nothing
   * else is touched). `finish` opens the swapped-in workspace, gives it a new sync identity and
   * makes it current; if it cannot be opened, the swap is undone and `reopenPrevious` runs.
   */
  const extractForRestore = async (fileInput: string) => {
    const file = path.resolve(fileInput);
    const staging = path.join(ctx.dataDir, 'tmp', `restore-${uuidv7()}`);
    const job = progress(`restore-${++jobSeq}`, 'restore');
    let manifest: BackupManifest;
    try {
      manifest = await extractBackup(file, staging, {
        nativeBinding: ctx.nativeBinding,
        progress: job.running,
      });
    } catch (e) {
      fs.rmSync(staging, { recursive: true, force: true });
      job.failed('恢复失败');
      throw e;
    }
    const finish = (dir: string, keep: string | null, reopenPrevious: () => void) => {
      let ws: Workspace;
      try {
        ws = ctx.openWorkspace(dir);
        ws.resetNodeId();
      } catch (e) {
        undoSwap(dir, keep);
        reopenPrevious();
        job.failed('恢复失败');
        throw e;
      }
      ctx.lastError = null;
      ctx.setWorkspace(ws);
      onCommit(ALL_ENTITIES);
      job.done('恢复完成');
      return ws.summary();
    };
    return { staging, manifest, finish, failed: () => job.failed('恢复失败') };
  };

  return {
    'app.info': () => ({
      version: APP_VERSION,
      dataDir: ctx.dataDir,
      schemaVersion: LATEST_VERSION,
      runtime: ctx.runtime,
      capabilities: { pickPath: !!ctx.platform.pickPath, openPath: !!ctx.platform.openPath },
      workspace: ctx.ws ? ctx.ws.summary() : null,
      lastError: ctx.lastError,
    }),

    'system.pickPath': async (input) => {
      if (!ctx.platform.pickPath)
        throw new AppError('UNSUPPORTED', '当前运行方式不支持系统文件对话框，请直接输入路径。');
      return { path: await ctx.platform.pickPath(input) };
    },

    'workspace.templates': () => listTemplates(templatesDir),

    'workspace.recent': () => ctx.appState.recent.map((r) => ({ ...r, exists: Workspace.exists(r.dir) })),

    'workspace.create': (input) => {
      // A template id is a folder name under templates/ (never a path), checked before loading.
      if (
        input.templateId &&
        (!/^[\w-]+$/.test(input.templateId) || !fs.existsSync(path.join(templatesDir, input.templateId)))
      ) {
        throw new AppError('NOT_FOUND', `找不到模板「${input.templateId}」。`);
      }
      const template = input.templateId ? loadTemplate(path.join(templatesDir, input.templateId)) : null;
      const city = input.city ?? template?.meta.city;
      if (!city) throw new AppError('BAD_INPUT', '不使用模板时请填写城市名称。', { field: 'city' });
      const dir = path.resolve(
        input.dir ?? uniqueDir(path.join(ctx.dataDir, 'workspaces', safeFileName(input.name))),
      );
      if (Workspace.exists(dir))
        throw new AppError('CONFLICT', `文件夹「${dir}」中已经有一个工作区，请换一个文件夹或直接打开它。`);
      const createdDir = !fs.existsSync(dir);
      const start = input.startMonth ? dayjs(`${input.startMonth}-01`) : dayjs(ctx.clock()).startOf('month');
      const months = template?.meta.periodMonths ?? 12;
      let ws: Workspace;
      try {
        ws = Workspace.create(
          dir,
          {
            name: input.name,
            city,
            adminCode: input.adminCode ?? template?.meta.adminCode ?? '000000',
            campaignName: template?.meta.campaignName ?? input.name,
            periodStart: start.format('YYYY-MM-DD'),
            periodEnd: start
              .add(months - 1, 'month')
              .endOf('month')
              .format('YYYY-MM-DD'),
            rankingTarget: template?.meta.rankingTarget ?? 50,
            indicatorVersion: template?.indicators.version ?? template?.meta.indicatorVersion ?? '2021',
            templateId: template?.meta.id ?? null,
            me: input.me,
            colleagues: input.colleagues,
          },
          template,
          { nativeBinding: ctx.nativeBinding, onCommit, clock: ctx.clock },
        );
      } catch (e) {
        if (createdDir) fs.rmSync(dir, { recursive: true, force: true });
        else if (!(e instanceof AppError && e.code === 'CONFLICT')) {
          for (const f of ['workspace.sqlite', 'workspace.sqlite-wal', 'workspace.sqlite-shm']) {
            fs.rmSync(path.join(dir, f), { force: true });
          }
        }
        throw e;
      }
      ctx.lastError = null;
      ctx.setWorkspace(ws);
      return ws.summary();
    },

    'workspace.open': (input) => {
      const dir = path.resolve(input.dir);
      if (ctx.ws && path.resolve(ctx.ws.dir) === dir) return ctx.ws.summary();
      const ws = ctx.openWorkspace(dir);
      ctx.lastError = null;
      ctx.setWorkspace(ws);
      return ws.summary();
    },

    'workspace.close': () => {
      ctx.setWorkspace(null);
      ctx.appState.clearLast();
      return { ok: true as const };
    },

    'workspace.forget': (input) => {
      ctx.appState.forget(input.dir);
      return { ok: true as const };
    },

    'workspace.rename': (input) => {
      const ws = ctx.requireWs();
      updateSettings(ws, { name: input.name });
      const s = ws.summary();
      ctx.appState.touch({ dir: ws.dir, name: s.name, city: s.city }, ctx.clock());
      ctx.emit('workspace.changed', { workspace: s });
      return s;
    },

    'workspace.settings': () => getSettings(ctx.requireWs()),

    'workspace.updateSettings': (input) => {
      const ws = ctx.requireWs();
      const result = updateSettings(ws, input);
      ctx.emit('workspace.changed', { workspace: ws.summary() });
      return result;
    },

    'workspace.backup': async (input) => {
      const ws = ctx.requireWs();
      const now = ctx.clock();
      const s = ws.summary();
      const file = path.resolve(input.file ?? path.join(ctx.dataDir, 'backups', backupFileName(s.name, now)));
      const job = progress(`backup-${++jobSeq}`, 'backup');
      let r: Awaited<ReturnType<typeof backupWorkspace>>;
      try {
        r = await backupWorkspace(ws, file, APP_VERSION, job.running);
      } catch (e) {
        job.failed('备份失败');
        throw e;
      }
      job.done('备份完成');
      return { file, bytes: r.bytes, blobs: r.blobs, schemaVersion: r.schemaVersion, createdAt: r.createdAt };
    },

    'workspace.restore': async (input) => {
      const dir = ctx.requireWs().dir;
      const { staging, finish, failed } = await extractForRestore(input.file);
      // Validated: now swap. The previous content is kept in dir/.pre-restore-*/.
      ctx.setWorkspace(null);
      let keep: string | null;
      try {
        keep = swapInRestored(dir, staging);
      } catch (e) {
        // swapInRestored put the previous content back: reopen it rather than leave none open
        fs.rmSync(staging, { recursive: true, force: true });
        ctx.setWorkspace(ctx.openWorkspace(dir));
        failed();
        throw e;
      }
      return finish(dir, keep, () => ctx.setWorkspace(ctx.openWorkspace(dir)));
    },

    'workspace.importBackup': async (input) => {
      const { staging, manifest, finish, failed } = await extractForRestore(input.file);
      const dir = path.resolve(
        input.dir ?? uniqueDir(path.join(ctx.dataDir, 'workspaces', safeFileName(manifest.workspaceName))),
      );
      if (Workspace.exists(dir)) {
        fs.rmSync(staging, { recursive: true, force: true });
        failed();
        throw new AppError(
          'CONFLICT',
          `文件夹「${dir}」中已经有一个工作区；如要用备份替换它，请先打开它再选择“从备份恢复”。`,
        );
      }
      return finish(dir, swapInRestored(dir, staging), () => {});
    },

    'staff.list': () => listStaff(ctx.requireWs()),
    'staff.create': (input) => createStaff(ctx.requireWs(), input),
    'staff.update': (input) => updateStaff(ctx.requireWs(), input.id, input.patch),
    'staff.setMe': (input) => {
      const ws = ctx.requireWs();
      setMe(ws, input.id);
      ctx.emit('workspace.changed', { workspace: ws.summary() });
      return { ok: true as const };
    },

    'departments.list': (input) => listDepartments(ctx.requireWs(), input),
    'departments.create': (input) => createDepartment(ctx.requireWs(), input),
    'departments.update': (input) => updateDepartment(ctx.requireWs(), input.id, input.patch),
    'departments.archive': (input) => archiveDepartment(ctx.requireWs(), input.id, input.archived),

    'tasks.list': (input) => listTasks(ctx.requireWs(), input, ctx.clock()),
    'tasks.get': (input) => getTask(ctx.requireWs(), input.id, ctx.clock()),
    'tasks.create': (input) => {
      const ws = ctx.requireWs();
      const task = createTask(ws, input, ctx.clock());
      if (task.kind === 'series' && task.status === 'issued') {
        generateInstances(ws, localToday(ctx.clock()));
      }
      return task;
    },
    'tasks.update': (input) => updateTask(ctx.requireWs(), input.id, input.patch, ctx.clock()),
    'tasks.delete': (input) => {
      deleteTask(ctx.requireWs(), input.id, ctx.clock());
      return { ok: true as const };
    },

    ...buildSupervisionHandlers(ctx),
    ...buildOutputHandlers(ctx),
    ...buildMaterialHandlers(ctx),
    ...buildIndicatorHandlers(ctx),
    ...buildMonitoringHandlers(ctx),
    ...buildSyncHandlers(ctx),
    ...buildSyncJoinHandlers(ctx),
    ...buildComplianceHandlers(ctx),

    'audit.list': (input) => listAudit(ctx.requireWs(), input),
  };
}
