/**
 * Handlers that produce files (xlsx lists, docx reports) and the task workbook import. The
 * writers and the workbook reader (docx, exceljs) load on first use, so they cost nothing at
 * start-up.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { uploadFile } from './blobs/attachments';
import type { DocModel } from './documents/model';
import { readImportFile } from './import/file';
import type { TaskImportPreview } from './import/task-workbook';
import { exportsDir } from './handlers-supervision';
import { clarificationReportModel, deptReportModel, weeklyReportModel } from './supervision/reports';
import { insertTask, localToday } from './tasks/tasks';
import { AppError } from './util/errors';
import { fileTimestamp, safeFileName } from './util/names';
import { getSettings } from './workspace/settings';

type OutputCommand =
  | 'tasks.export'
  | 'league.export'
  | 'rect.export'
  | 'departments.export'
  | 'dispatch.report'
  | 'dispatch.deptReport'
  | 'rect.clarificationReport'
  | 'tasks.importPreview'
  | 'tasks.importCommit';

const PREVIEW_TTL_MS = 60 * 60 * 1000;

export function buildOutputHandlers(ctx: CoreContext): Pick<Handlers, OutputCommand> {
  const now = () => ctx.clock();
  const previews = new Map<string, { preview: TaskImportPreview; wsId: string; at: number }>();

  /** Writes to the chosen path, or to <data folder>/exports/<name>; never leaves a partial file. */
  const write = (file: string | undefined, defaultName: string, data: Buffer) => {
    const target = path.resolve(file ?? path.join(exportsDir(ctx), defaultName));
    try {
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomBytes(4).toString('hex')}.part`;
      fs.writeFileSync(tmp, data);
      fs.renameSync(tmp, target);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new AppError(
        'IO_ERROR',
        code === 'EBUSY' || code === 'EPERM'
          ? `无法写入「${path.basename(target)}」：文件可能正在 Excel/WPS 中打开，请关闭后重试。`
          : `无法写入「${target}」：${(e as Error).message}`,
      );
    }
    return { file: target, bytes: data.length };
  };
  const stamp = () => fileTimestamp(now());
  const docx = async (model: DocModel) => (await import('./documents/docx')).renderDocx(model);
  const xlsx = () => import('./supervision/exports');
  const workbook = () => import('./import/task-workbook');

  return {
    'tasks.export': async (input) => {
      const ws = ctx.requireWs();
      return write(
        input.file,
        `任务清单-${stamp()}.xlsx`,
        await (await xlsx()).exportTasks(ws, input.filter, now()),
      );
    },
    'league.export': async (input) => {
      const ws = ctx.requireWs();
      const q = input.query;
      return write(
        input.file,
        `部门排行-${q.from}至${q.to}.xlsx`,
        await (await xlsx()).exportLeague(ws, q, now()),
      );
    },
    'departments.export': async (input) => {
      const ws = ctx.requireWs();
      return write(
        input.file,
        `部门单位-${stamp()}.xlsx`,
        await (await xlsx()).exportDepartments(ws, input.includeArchived, now()),
      );
    },
    'rect.export': async (input) => {
      const ws = ctx.requireWs();
      return write(
        input.file,
        `整改清单-${stamp()}.xlsx`,
        await (await xlsx()).exportRectifications(ws, input.filter, now()),
      );
    },
    'dispatch.report': async (input) => {
      const ws = ctx.requireWs();
      const model = weeklyReportModel(ws, input.week, now());
      return write(input.file, `每周工作调度报告-${input.week}.docx`, await docx(model));
    },
    'dispatch.deptReport': async (input) => {
      const ws = ctx.requireWs();
      const model = deptReportModel(ws, input.week, input.deptId, now());
      const name = ws.db.prepare('SELECT name FROM departments WHERE id = ?').get(input.deptId) as {
        name: string;
      };
      return write(
        input.file,
        `${safeFileName(name.name)}整改分析报告-${input.week}.docx`,
        await docx(model),
      );
    },
    'rect.clarificationReport': async (input) => {
      const ws = ctx.requireWs();
      const model = clarificationReportModel(ws, input.ids, now());
      return write(input.file, `评审反馈问题澄清报告-${localToday(now())}.docx`, await docx(model));
    },

    'tasks.importPreview': async (input) => {
      const ws = ctx.requireWs();
      let src = input.path ?? '';
      let tmpDir: string | null = null;
      if (input.uploadId) {
        // give the upload its real name so every message names the user's file
        const up = uploadFile(ctx.dataDir, input.uploadId);
        if (!fs.existsSync(up)) throw new AppError('NOT_FOUND', '上传的文件已过期，请重新选择。');
        tmpDir = fs.mkdtempSync(path.join(ctx.dataDir, 'tmp', 'import-'));
        const name = path
          .basename((input.fileName ?? '任务清单.xlsx').replace(/\\/g, '/'))
          .replace(/[:*?"<>|]/g, '_');
        src = path.join(tmpDir, name || '任务清单.xlsx');
        fs.renameSync(up, src);
      }
      let file: Awaited<ReturnType<typeof readImportFile>>;
      try {
        file = await readImportFile(src);
      } finally {
        if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
      }
      const s = getSettings(ws);
      const departments = (
        ws.db
          .prepare(
            'SELECT id, name, short_name, aliases, kind FROM departments WHERE deleted = 0 AND archived = 0',
          )
          .all() as {
          id: string;
          name: string;
          short_name: string | null;
          aliases: string;
          kind: string;
        }[]
      ).map((d) => ({
        id: d.id,
        name: d.name,
        shortName: d.short_name,
        aliases: JSON.parse(d.aliases) as string[],
        kind: d.kind,
      }));
      const indicators = ws.db.prepare('SELECT id, code, title FROM indicators WHERE deleted = 0').all() as {
        id: string;
        code: string;
        title: string;
      }[];
      const preview = await (
        await workbook()
      ).previewTaskWorkbook(file, {
        city: s.city,
        departments,
        indicators,
        today: now(),
      });
      const token = randomBytes(16).toString('hex');
      const t = Date.now();
      for (const [k, v] of previews) if (t - v.at > PREVIEW_TTL_MS) previews.delete(k);
      previews.set(token, { preview, wsId: ws.id, at: t });
      return { token, ...preview };
    },

    'tasks.importCommit': async (input) => {
      const ws = ctx.requireWs();
      const held = previews.get(input.token);
      if (!held || held.wsId !== ws.id)
        throw new AppError('NOT_FOUND', '导入预览已过期，请重新选择文件预览。');
      const mapped = (await workbook()).applyDeptMapping(held.preview, input.deptMapping);
      const ready = mapped.rows.filter((r) => r.importable);
      if (ready.length === 0)
        throw new AppError('BAD_INPUT', '没有可以导入的行：请先处理预览中标为错误的问题。');
      const today = localToday(now());
      const usedCodes = new Set(
        (ws.db.prepare('SELECT code FROM tasks WHERE deleted = 0').all() as { code: string }[]).map(
          (r) => r.code,
        ),
      );
      let next = Number(
        (
          ws.db
            .prepare(
              "SELECT MAX(CAST(substr(code, 4) AS INTEGER)) AS m FROM tasks WHERE code GLOB 'RW-[0-9]*'",
            )
            .get() as {
            m: number | null;
          }
        ).m ?? 0,
      );
      const { value: taskIds } = ws.writer.transact(ws.actor(), (tx) =>
        ready.map((r) => {
          let code = r.task.code && !usedCodes.has(r.task.code) ? r.task.code : null;
          if (!code) code = `RW-${String(++next).padStart(3, '0')}`;
          usedCodes.add(code);
          const series = r.task.recurrence !== 'none';
          return insertTask(
            ws,
            tx,
            {
              ...r.task,
              code,
              coopDeptIds: r.task.coopDeptIds.filter((d) => d !== r.task.leadDeptId),
              progress: 0,
              issue: input.issue,
              dueDate: series ? null : r.task.dueDate,
              recurStart: series ? (r.task.dueDate ?? today) : null,
              recurEnd: null,
            },
            code,
            today,
          );
        }),
      );
      previews.delete(input.token);
      return { created: taskIds.length, skipped: mapped.rows.length - ready.length, taskIds };
    },
  };
}
