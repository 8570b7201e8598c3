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
import { readImportFile, type ImportFile } from './import/file';
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
  | 'tasks.importCommit'
  | 'materials.export'
  | 'reports.selfAssessment'
  | 'reports.compile';

const PREVIEW_TTL_MS = 60 * 60 * 1000;

/** Why a file could not be written, in words a user can act on. */
export function writeFailure(target: string, e: NodeJS.ErrnoException): string {
  const name = path.basename(target);
  const dir = path.dirname(target);
  switch (e.code) {
    case 'EBUSY':
      return `无法写入「${name}」：文件正在 Excel/WPS 中打开，请关闭后重试。`;
    case 'EPERM':
    case 'EACCES':
    case 'EROFS':
      return process.platform === 'win32' && e.code === 'EPERM'
        ? `无法写入「${name}」：文件可能正在 Excel/WPS 中打开，或没有写入权限，请关闭文件或换一个文件夹后重试。`
        : `无法写入「${name}」：没有写入文件夹「${dir}」的权限（或该位置只读），请换一个文件夹。`;
    case 'ENOTDIR':
    case 'EEXIST':
      return `无法写入「${name}」：路径「${dir}」中有一项是文件而不是文件夹，请换一个保存位置。`;
    case 'EISDIR':
      return `无法写入「${target}」：这是一个文件夹，请给出文件名。`;
    case 'ENOSPC':
      return `无法写入「${name}」：磁盘空间不足，请清理磁盘或换一个位置。`;
    case 'ENAMETOOLONG':
      return `无法写入「${name}」：文件路径过长，请换一个较短的文件名或位置。`;
    default:
      return `无法写入「${target}」：${e.message}`;
  }
}

/**
 * Writes to the chosen path, or to <data folder>/exports/<name>: into a temporary file beside the
 * target, then renamed over it, so a failure (no permission, disk full, the target open in
 * Word/WPS) leaves neither a partial target nor the temporary file, nor folders made for it.
 */
export function writeExport(
  ctx: CoreContext,
  file: string | undefined,
  defaultName: string,
  data: Buffer,
): { file: string; bytes: number } {
  const target = path.resolve(file ?? path.join(exportsDir(ctx), defaultName));
  let tmp: string | null = null;
  let madeDir: string | undefined;
  try {
    madeDir = fs.mkdirSync(path.dirname(target), { recursive: true });
    tmp = `${target}.${randomBytes(4).toString('hex')}.part`;
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
  } catch (e) {
    for (const leftover of [tmp, madeDir]) {
      try {
        if (leftover) fs.rmSync(leftover, { recursive: true, force: true });
      } catch {
        // nothing was created under a name the system refuses; other failures: best effort
      }
    }
    throw new AppError('IO_ERROR', writeFailure(target, e as NodeJS.ErrnoException), { file: target });
  }
  return { file: target, bytes: data.length };
}

/**
 * Reads an import file given as a path on this machine or as an upload (attachments.upload),
 * checked by readImportFile (size, format, zip sanity). An upload gets its real name so every
 * message names the user's file.
 */
export async function readImportSource(
  ctx: CoreContext,
  filePath: string | undefined,
  uploadId: string | undefined,
  fileName: string | undefined,
  defaultName: string,
): Promise<ImportFile> {
  let src = filePath ?? '';
  let tmpDir: string | null = null;
  if (uploadId) {
    const up = uploadFile(ctx.dataDir, uploadId);
    if (!fs.existsSync(up)) throw new AppError('NOT_FOUND', '上传的文件已过期，请重新选择。');
    fs.mkdirSync(path.join(ctx.dataDir, 'tmp'), { recursive: true });
    tmpDir = fs.mkdtempSync(path.join(ctx.dataDir, 'tmp', 'import-'));
    const name = path.basename((fileName ?? defaultName).replace(/\\/g, '/')).replace(/[:*?"<>|]/g, '_');
    src = path.join(tmpDir, name || defaultName);
    fs.renameSync(up, src);
  }
  try {
    return await readImportFile(src);
  } finally {
    if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

export function buildOutputHandlers(ctx: CoreContext): Pick<Handlers, OutputCommand> {
  const now = () => ctx.clock();
  const previews = new Map<string, { preview: TaskImportPreview; wsId: string; at: number }>();

  const write = (file: string | undefined, defaultName: string, data: Buffer) =>
    writeExport(ctx, file, defaultName, data);
  const stamp = () => fileTimestamp(now());
  const docx = async (model: DocModel) => (await import('./documents/docx')).renderDocx(model);
  const xlsx = () => import('./supervision/exports');
  const fromEditor = () => import('./documents/from-prosemirror');
  const materialReports = () => import('./materials/reports');
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

    'materials.export': async (input) => {
      const ws = ctx.requireWs();
      const model = (await fromEditor()).materialToDocx(ws, input.id, now());
      return write(input.file, `${safeFileName(model.meta.title)}.docx`, await docx(model));
    },
    'reports.selfAssessment': async (input) => {
      const ws = ctx.requireWs();
      const model = (await materialReports()).selfAssessmentModel(ws, now());
      return write(input.file, `自评报告-${localToday(now())}.docx`, await docx(model));
    },
    'reports.compile': async (input) => {
      const ws = ctx.requireWs();
      const model = (await materialReports()).compiledMaterialsModel(ws, now(), {
        ...(input.indicatorIds ? { indicatorIds: input.indicatorIds } : {}),
      });
      return write(input.file, `评审材料汇编-${localToday(now())}.docx`, await docx(model));
    },

    'tasks.importPreview': async (input) => {
      const ws = ctx.requireWs();
      const file = await readImportSource(ctx, input.path, input.uploadId, input.fileName, '任务清单.xlsx');
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
