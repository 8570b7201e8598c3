/** Handlers of task supervision commands (workflow, feedback, attachments, lights, league, dashboard, dispatch, rectification). */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandName } from './contract/index';
import type { CoreContext } from './core';
import { ensureBlob } from './sync/lazy';
import type { Handlers } from './handlers';
import {
  appendUpload,
  attachFile,
  exportAttachmentCopy,
  getAttachment,
  listAttachments,
  readAttachment,
  removeAttachment,
  uploadFile,
} from './blobs/attachments';
import {
  createRectification,
  deleteRectification,
  getRectification,
  listRectifications,
  transitionRectification,
  updateRectification,
} from './rectification/rectifications';
import { dashboardSummary } from './supervision/dashboard';
import { compareWeek, freezeWeek, listWeeks } from './supervision/dispatch';
import { leagueTable } from './supervision/league';
import { addFeedback, listFeedback } from './tasks/feedback';
import { LightRules, readLightRules } from './tasks/lights';
import { generateInstances } from './tasks/recurrence';
import { checkRefs, getTask, insertTask, localToday } from './tasks/tasks';
import { listSteps, transitionTasks } from './tasks/workflow';
import { AppError } from './util/errors';

type SupervisionCommand = Extract<
  CommandName,
  | `${'tasks.transition' | 'tasks.dispatch' | 'tasks.steps'}`
  | `${'feedback' | 'attachments' | 'lights' | 'league' | 'dashboard' | 'dispatch' | 'rect' | 'exports'}.${string}`
>;

/** Files this app writes without a chosen path go to <data folder>/exports/. */
export function exportsDir(ctx: CoreContext): string {
  return path.join(ctx.dataDir, 'exports');
}

/** Only files under exports/ may be read back through the contract (browser download). */
function exportedFile(ctx: CoreContext, file: string): string {
  const root = path.resolve(exportsDir(ctx));
  const abs = path.resolve(file);
  if (!abs.startsWith(root + path.sep)) throw new AppError('BAD_INPUT', '只能读取本程序导出的文件。');
  if (!fs.existsSync(abs))
    throw new AppError('NOT_FOUND', `找不到文件「${path.basename(abs)}」，可能已被移动或删除。`);
  return abs;
}

export function buildSupervisionHandlers(
  ctx: CoreContext,
): Omit<
  Pick<Handlers, SupervisionCommand>,
  `${'tasks.export' | 'league.export' | 'dispatch.report' | 'dispatch.deptReport' | 'rect.export' | 'rect.clarificationReport' | 'dashboard.campaign'}`
> {
  const now = () => ctx.clock();
  const today = () => localToday(ctx.clock());
  return {
    'tasks.transition': (input) => {
      const ws = ctx.requireWs();
      transitionTasks(ws, input.ids, input.action, input.note);
      if (input.action === 'issue') generateInstances(ws, today());
      return { tasks: input.ids.map((id) => getTask(ws, id, now())) };
    },
    'tasks.dispatch': (input) => {
      const ws = ctx.requireWs();
      const src = getTask(ws, input.id, now());
      if (src.kind !== 'task')
        throw new AppError('BAD_INPUT', '只有一次性任务可以分发到多个单位；周期任务请直接设置牵头单位。');
      checkRefs(ws, { coopDeptIds: input.deptIds });
      const { value: ids } = ws.writer.transact(ws.actor(), (tx) =>
        input.deptIds.map((deptId, i) => {
          const id = insertTask(
            ws,
            tx,
            {
              title: src.title,
              description: src.description,
              standard: src.standard,
              leadDeptId: deptId,
              coopDeptIds: [],
              indicatorIds: src.indicatorIds,
              dueDate: src.dueDate,
              priority: src.priority,
              recurrence: 'none',
              recurStart: null,
              recurEnd: null,
              progress: 0,
              issue: true,
              code: null,
            },
            `${src.code}-${String(i + 1).padStart(2, '0')}`,
            today(),
          );
          tx.update('task', id, { parent_id: src.id });
          return id;
        }),
      );
      return { tasks: ids.map((id) => getTask(ws, id, now())) };
    },
    'tasks.steps': (input) => listSteps(ctx.requireWs(), input.taskId),

    'feedback.list': (input) => listFeedback(ctx.requireWs(), input.taskId),
    'feedback.add': (input) =>
      addFeedback(ctx.requireWs(), ctx.dataDir, input.taskId, {
        text: input.text,
        progress: input.progress,
        files: input.files,
      }),

    'attachments.list': (input) => listAttachments(ctx.requireWs(), input.ownerType, [input.ownerId]),
    'attachments.upload': (input) => appendUpload(ctx.dataDir, input.uploadId, input.data),
    'attachments.add': (input) => {
      const ws = ctx.requireWs();
      const src = input.file.uploadId
        ? uploadFile(ctx.dataDir, input.file.uploadId)
        : (input.file.path ?? '');
      if (input.file.uploadId && !fs.existsSync(src))
        throw new AppError('NOT_FOUND', '上传的文件已过期，请重新选择。');
      const a = attachFile(ws, input.ownerType, input.ownerId, src, input.file.name);
      if (input.file.uploadId) fs.rmSync(src, { force: true });
      if (input.ownerType === 'task') {
        ws.writer.transact(ws.actor(), (tx) => tx.update('task', input.ownerId, { last_activity_at: tx.at }));
      }
      return a;
    },
    'attachments.read': async (input) => {
      const ws = ctx.requireWs();
      await ensureBlob(ctx, ws, getAttachment(ws, input.id).sha256);
      const r = readAttachment(ws, input.id);
      return { name: r.name, mime: r.mime, size: r.size, base64: r.data.toString('base64') };
    },
    'attachments.open': async (input) => {
      const ws = ctx.requireWs();
      if (!ctx.platform.openPath)
        throw new AppError('UNSUPPORTED', '网页版不能调用系统程序打开文件，请使用“下载”。');
      await ensureBlob(ctx, ws, getAttachment(ws, input.id).sha256);
      const copy = exportAttachmentCopy(ws, input.id, path.join(ctx.dataDir, 'tmp', 'open'));
      await ctx.platform.openPath(copy);
      return { ok: true as const };
    },
    'attachments.remove': (input) => {
      removeAttachment(ctx.requireWs(), input.id);
      return { ok: true as const };
    },

    'lights.rules': () => readLightRules(ctx.requireWs()),
    'lights.updateRules': (input) => {
      const ws = ctx.requireWs();
      const rules = LightRules.parse(input);
      ws.writer.transact(ws.actor(), (tx) => tx.update('workspace', ws.id, { light_rules: rules }));
      return readLightRules(ws);
    },

    'league.table': (input) => leagueTable(ctx.requireWs(), input, now()),
    'dashboard.summary': () => dashboardSummary(ctx.requireWs(), now()),

    'dispatch.weeks': () => listWeeks(ctx.requireWs()),
    'dispatch.freeze': (input) => freezeWeek(ctx.requireWs(), now(), input.week, input.note),
    'dispatch.compare': (input) => {
      const c = compareWeek(ctx.requireWs(), input.week);
      return {
        week: c.week,
        previous: c.previous,
        newlyDone: c.newlyDone,
        newlyOverdue: c.newlyOverdue,
        stalled: c.stalled,
        added: c.added,
      };
    },

    'rect.list': (input) => listRectifications(ctx.requireWs(), input, today()),
    'rect.get': (input) => getRectification(ctx.requireWs(), input.id, today()),
    'rect.create': (input) => createRectification(ctx.requireWs(), input, today()),
    'rect.update': (input) => updateRectification(ctx.requireWs(), input.id, input.patch, today()),
    'rect.transition': (input) =>
      transitionRectification(ctx.requireWs(), input.id, input.action, input.note, today()),
    'rect.delete': (input) => {
      deleteRectification(ctx.requireWs(), input.id, today());
      return { ok: true as const };
    },

    'exports.read': (input) => {
      const file = exportedFile(ctx, input.file);
      return { name: path.basename(file), base64: fs.readFileSync(file).toString('base64') };
    },
    'exports.open': async (input) => {
      if (!ctx.platform.openPath)
        throw new AppError('UNSUPPORTED', '网页版不能调用系统程序打开文件，请使用“下载”。');
      await ctx.platform.openPath(path.resolve(input.file));
      return { ok: true as const };
    },
  };
}
