/**
 * Handlers of the data-compliance checks: rule sets (list, save a version, remove, import and
 * export as .json), preview and check of a file in a worker thread (job.progress events of kind
 * 'compliance', cancellable), the stored runs, their error workbooks and the monthly overview.
 *
 * A previewed file is kept for an hour under its previewId: a path on this machine is only
 * referenced; an upload is MOVED (never read into memory) to <dataDir>/tmp/compliance/<previewId>/.
 * A check that fails (bad file, cancelled) writes nothing to the workspace.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { uploadFile } from './blobs/attachments';
import {
  baseName,
  complianceOverview,
  currentRuleSets,
  exportRuleSet,
  exportRunErrors,
  getRuleSet,
  getRun,
  importRuleSet,
  listRuleSets,
  listRuns,
  recordRun,
  removeRuleSet,
  refreshAllComplianceMetrics,
  removeRun,
  runWorkbook,
  saveRuleSet,
  suggestDepartment,
} from './compliance/store';
import { writeExport } from './handlers-output';
import { runJob } from './jobs/jobs';
import { localToday } from './tasks/tasks';
import { AppError } from './util/errors';
import { fileTimestamp } from './util/names';

type ComplianceCommand = Extract<keyof Handlers, `compliance.${string}`>;

export const PREVIEW_TTL_MS = 60 * 60 * 1000;

interface HeldPreview {
  path: string;
  fileName: string;
  wsId: string;
  at: number;
  /** The folder the upload was moved into (removed with the preview); null for a path. */
  dir: string | null;
}

/** A file name safe to create in our own folder (an upload's name comes from the renderer). */
function uploadName(name: string | undefined): string {
  const base = path
    .basename((name ?? '').replace(/\\/g, '/'))
    // eslint-disable-next-line no-control-regex -- control characters are invalid in file names
    .replace(/[:*?"<>|\u0000-\u001f]/g, '_')
    .replace(/^\.+/, '')
    .slice(0, 150);
  return base || '数据文件.xlsx';
}

export function buildComplianceHandlers(ctx: CoreContext): Pick<Handlers, ComplianceCommand> {
  const previews = new Map<string, HeldPreview>();
  const running = new Map<string, AbortController>();
  const tmpRoot = () => path.join(ctx.dataDir, 'tmp', 'compliance');

  const dropPreview = (id: string) => {
    const p = previews.get(id);
    previews.delete(id);
    if (p?.dir) fs.rmSync(p.dir, { recursive: true, force: true });
  };

  /** Expired previews, and folders left by an earlier run of the app, are removed. */
  const cleanPreviews = () => {
    const t = Date.now();
    for (const [id, p] of previews) if (t - p.at > PREVIEW_TTL_MS) dropPreview(id);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(tmpRoot(), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (previews.has(e.name)) continue;
      const full = path.join(tmpRoot(), e.name);
      try {
        if (t - fs.statSync(full).mtimeMs > PREVIEW_TTL_MS) fs.rmSync(full, { recursive: true, force: true });
      } catch {
        // gone already
      }
    }
  };

  // Runs pulled from another laptop change a month's rate: recompute compliance_rate after any
  // commit that touched runs (a local check already did, so that pass writes nothing).
  (ctx.hooks as CoreContext['hooks'] | undefined)?.commit.add((entities) => {
    if (!entities.includes('compliance_run') || !ctx.ws) return;
    refreshAllComplianceMetrics(ctx.ws);
  });

  /** Registered on first use: closing the core stops running checks and removes held files. */
  let closeHooked = false;
  const hookClose = () => {
    if (closeHooked) return;
    closeHooked = true;
    ctx.hooks.close.add(() => {
      for (const ac of running.values()) ac.abort();
      for (const id of [...previews.keys()]) dropPreview(id);
    });
  };

  const emitProgress = (
    jobId: string,
    done: number,
    total: number | null,
    message: string,
    state: 'running' | 'done' | 'failed' | 'cancelled',
  ) => ctx.emit('job.progress', { jobId, kind: 'compliance', done, total, message, state });

  return {
    'compliance.ruleSets': (input) => listRuleSets(ctx.requireWs(), input.all),
    'compliance.ruleSet': (input) => getRuleSet(ctx.requireWs(), input.id),
    'compliance.saveRuleSet': (input) => saveRuleSet(ctx.requireWs(), input.definition),
    'compliance.removeRuleSet': (input) => {
      removeRuleSet(ctx.requireWs(), input.id);
      return { ok: true as const };
    },
    'compliance.importRuleSet': (input) => {
      const ws = ctx.requireWs();
      const { path: p, uploadId, name } = input.file;
      if (uploadId) {
        const up = uploadFile(ctx.dataDir, uploadId);
        if (!fs.existsSync(up)) throw new AppError('NOT_FOUND', '上传的文件已过期，请重新选择。');
        try {
          return importRuleSet(ws, up, uploadName(name ?? '规则集.json'));
        } finally {
          fs.rmSync(up, { force: true });
        }
      }
      if (!p) throw new AppError('BAD_INPUT', '请选择要导入的规则集文件（.json）。', { field: 'file' });
      return importRuleSet(ws, path.resolve(p), name);
    },
    'compliance.exportRuleSet': (input) => {
      const { fileName, data } = exportRuleSet(ctx.requireWs(), input.id);
      return writeExport(ctx, input.file, fileName, data);
    },

    'compliance.preview': async (input) => {
      const ws = ctx.requireWs();
      const { path: p, uploadId, name } = input.file;
      hookClose();
      cleanPreviews();
      const previewId = randomBytes(16).toString('hex');
      let src: string;
      let fileName: string;
      let dir: string | null = null;
      if (uploadId) {
        const up = uploadFile(ctx.dataDir, uploadId);
        if (!fs.existsSync(up)) throw new AppError('NOT_FOUND', '上传的文件已过期，请重新选择。');
        fileName = uploadName(name);
        dir = path.join(tmpRoot(), previewId);
        fs.mkdirSync(dir, { recursive: true });
        src = path.join(dir, fileName);
        fs.renameSync(up, src);
      } else {
        if (!p) throw new AppError('BAD_INPUT', '请选择要检查的文件（.xlsx 或 .csv）。', { field: 'file' });
        src = path.resolve(p);
        fileName = name ?? path.basename(src);
        let st: fs.Stats;
        try {
          st = fs.statSync(src);
        } catch {
          throw new AppError('NOT_FOUND', `找不到文件「${src}」。`, { file: src });
        }
        if (!st.isFile())
          throw new AppError('BAD_INPUT', `「${fileName}」是文件夹，请选择一个 .xlsx 或 .csv 文件。`, {
            file: src,
          });
      }
      try {
        const sets = currentRuleSets(ws);
        const data = await runJob('compliance.preview', { path: src, fileName, sets });
        const deptId = suggestDepartment(ws, fileName, data.columns, data.rows);
        previews.set(previewId, { path: src, fileName, wsId: ws.id, at: Date.now(), dir });
        return {
          previewId,
          fileName: data.fileName,
          size: data.size,
          format: data.format,
          encoding: data.encoding,
          sheetName: data.sheetName,
          ruleSetId: data.ruleSetId,
          candidates: data.candidates,
          headerRow: data.headerRow,
          columns: data.columns,
          missingFields: data.missingFields,
          rows: data.rows.map((r) => ({ row: r.n, cells: r.cells })),
          deptId,
        };
      } catch (e) {
        if (dir) fs.rmSync(dir, { recursive: true, force: true });
        throw e;
      }
    },

    'compliance.check': async (input) => {
      const ws = ctx.requireWs();
      const held = previews.get(input.previewId);
      if (
        !held ||
        held.wsId !== ws.id ||
        Date.now() - held.at > PREVIEW_TTL_MS ||
        !fs.existsSync(held.path)
      ) {
        if (held) dropPreview(input.previewId);
        throw new AppError('NOT_FOUND', '预览已过期，请重新选择文件。');
      }
      const set = getRuleSet(ws, input.ruleSetId);
      if (input.deptId) {
        const d = ws.db.prepare('SELECT 1 FROM departments WHERE id = ? AND deleted = 0').get(input.deptId);
        if (!d)
          throw new AppError('NOT_FOUND', '所选报送单位不存在或已被删除，请重新选择。', { field: 'deptId' });
      }
      const jobId = input.jobId ?? `compliance-${randomBytes(8).toString('hex')}`;
      if (running.has(jobId)) throw new AppError('CONFLICT', '这个检查正在进行中。');
      const ac = new AbortController();
      running.set(jobId, ac);
      fs.mkdirSync(tmpRoot(), { recursive: true });
      const workbook = path.join(tmpRoot(), `${jobId}-${randomBytes(4).toString('hex')}.xlsx`);
      const now = ctx.clock();
      emitProgress(jobId, 0, null, `正在检查「${held.fileName}」`, 'running');
      try {
        const result = await runJob(
          'compliance.check',
          {
            path: held.path,
            fileName: held.fileName,
            def: set.definition,
            today: localToday(now),
            errorWorkbookPath: workbook,
          },
          {
            signal: ac.signal,
            onProgress: (p) => emitProgress(jobId, p.done, p.total, p.message, 'running'),
          },
        );
        if (ctx.ws !== ws)
          throw new AppError('CONFLICT', '检查期间切换了工作区，本次结果没有保存，请重新检查。');
        const run = recordRun(
          ws,
          {
            result,
            fileName: held.fileName,
            deptId: input.deptId,
            month: input.month,
            errorWorkbookPath: result.errorWorkbookWritten ? workbook : null,
          },
          ctx.clock(),
        );
        emitProgress(jobId, 1, 1, `「${held.fileName}」检查完成：合规率 ${run.rate.toFixed(2)}%`, 'done');
        return run;
      } catch (e) {
        const cancelled = e instanceof AppError && e.code === 'CANCELLED';
        emitProgress(
          jobId,
          0,
          null,
          cancelled ? '检查已取消' : `检查失败：${e instanceof Error ? e.message : String(e)}`,
          cancelled ? 'cancelled' : 'failed',
        );
        throw e;
      } finally {
        running.delete(jobId);
        fs.rmSync(workbook, { force: true });
      }
    },

    'compliance.cancel': (input) => {
      let cancelled = 0;
      for (const [id, ac] of running) {
        if (input.jobId !== undefined && id !== input.jobId) continue;
        if (!ac.signal.aborted) {
          ac.abort();
          cancelled++;
        }
      }
      return { cancelled };
    },

    'compliance.runs': (input) => listRuns(ctx.requireWs(), input),
    'compliance.run': (input) => getRun(ctx.requireWs(), input.id),
    'compliance.removeRun': (input) => {
      removeRun(ctx.requireWs(), input.id);
      return { ok: true as const };
    },
    'compliance.exportErrors': async (input) => {
      const ws = ctx.requireWs();
      const wb = runWorkbook(ws, input.id);
      // made on another laptop: fetch the file from the sync server when signed in
      if (!wb.available && ctx.fetchBlob) await ctx.fetchBlob(ws, wb.sha256).catch(() => false);
      const { fileName, data } = exportRunErrors(ws, input.id);
      return writeExport(
        ctx,
        input.file,
        `错误明细-${baseName(fileName)}-${fileTimestamp(ctx.clock())}.xlsx`,
        data,
      );
    },
    'compliance.overview': (input) =>
      complianceOverview(ctx.requireWs(), { month: input.month, months: input.months }, ctx.clock()),
  };
}
