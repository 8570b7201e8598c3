/**
 * Long work in worker_threads: the caller gets a promise, progress callbacks and cancellation.
 * One worker per job (jobs are long; a worker starts in ~100 ms from source, less when built).
 *
 * Where the worker's code is, in every way the core runs:
 * - built (out/main/*.js and out/main/chunks/*.js): out/main/job-worker.js, found by walking up
 *   from this chunk's directory; inside an Electron asar the unpacked copy is preferred
 *   (electron-builder.yml unpacks it and the chunks it imports);
 * - source (vitest, tsx, `npm run cli`): main/core/jobs/worker.ts, loaded through tsx's ESM API
 *   registered inside the worker (a `--import tsx` flag is not enough when the parent itself
 *   runs under tsx).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CheckTableOptions, PartInput, PartOutput, PreviewData } from '../compliance/run';
import type { ProgressFn, StoredRuleSet } from '../compliance/types';
import type { FileCheckResult, RuleSetDefinition } from '../contract/compliance';
import { ERROR_CODES, type ErrorCode } from '../contract/errors';
import { AppError } from '../util/errors';
import type { FromWorker, JobStart, ToWorker } from './protocol';

export interface JobSpecs {
  'compliance.preview': {
    input: { path: string; fileName: string; sets: StoredRuleSet[]; rowsLimit?: number };
    output: PreviewData;
  };
  'compliance.check': {
    input: {
      path: string;
      fileName: string;
      def: RuleSetDefinition;
      today: CheckTableOptions['today'];
      errorWorkbookPath: string | null;
      /** Shown in the workbook's 汇总 (default: now in the worker's local time). */
      checkedAt?: string;
    };
    output: FileCheckResult & { errorWorkbookWritten: boolean };
  };
  /** The second half of a CSV checked by two threads (started by checkTable itself). */
  'compliance.checkPart': {
    input: PartInput;
    output: PartOutput;
  };
}
export type JobKind = keyof JobSpecs;

/** After a cancel message, how long the worker gets to stop by itself before it is terminated. */
export const CANCEL_GRACE_MS = 1000;
const BUILT_WORKER = 'job-worker.js';

interface WorkerSpec {
  /** A file to run, or source code with eval. */
  target: string | URL;
  eval: boolean;
}

let cachedSpec: WorkerSpec | null = null;

/** Where the worker is for the way this module runs (see the file comment). */
export function resolveWorker(): WorkerSpec {
  if (cachedSpec) return cachedSpec;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const source = path.join(here, 'worker.ts');
  if (fs.existsSync(source) && import.meta.url.endsWith('.ts')) {
    const req = createRequire(import.meta.url);
    const cjsApi = req.resolve('tsx/esm/api');
    const mjsApi = cjsApi.replace(/\.cjs$/, '.mjs');
    const api = pathToFileURL(fs.existsSync(mjsApi) ? mjsApi : cjsApi).href;
    const entry = pathToFileURL(source).href;
    cachedSpec = {
      target: `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`,
      eval: true,
    };
    return cachedSpec;
  }
  // built: this chunk is out/main/<entry>.js or out/main/chunks/<chunk>.js
  let dir = here;
  for (let i = 0; i < 3; i++) {
    const candidate = path.join(dir, BUILT_WORKER);
    const unpacked = candidate.replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
    if (unpacked !== candidate && fs.existsSync(unpacked)) {
      cachedSpec = { target: unpacked, eval: false };
      return cachedSpec;
    }
    if (fs.existsSync(candidate)) {
      cachedSpec = { target: candidate, eval: false };
      return cachedSpec;
    }
    dir = path.dirname(dir);
  }
  throw new AppError('INTERNAL', '找不到后台任务程序（job-worker.js），请重新安装应用');
}

function toAppError(e: { code: string; message: string; details?: Record<string, unknown> }): AppError {
  const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(e.code)
    ? (e.code as ErrorCode)
    : 'INTERNAL';
  return new AppError(code, e.message, e.details);
}

/**
 * Runs a job in a worker thread. Rejects with AppError CANCELLED when `signal` aborts (the
 * worker is stopped), with the job's AppError (code and Chinese message kept) when it fails.
 */
export async function runJob<K extends JobKind>(
  kind: K,
  input: JobSpecs[K]['input'],
  opts: { onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<JobSpecs[K]['output']> {
  const { signal, onProgress } = opts;
  if (signal?.aborted) throw new AppError('CANCELLED', '已取消');
  const spec = resolveWorker();
  const start: JobStart = { kind, input };
  const worker = new Worker(spec.target, { eval: spec.eval, workerData: start });

  return new Promise<JobSpecs[K]['output']>((resolve, reject) => {
    let settled = false;
    let killTimer: NodeJS.Timeout | null = null;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = () => {
      if (settled) return;
      worker.postMessage({ type: 'cancel' } satisfies ToWorker);
      killTimer = setTimeout(() => {
        void worker.terminate();
        finish(() => reject(new AppError('CANCELLED', '已取消')));
      }, CANCEL_GRACE_MS);
      killTimer.unref();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'progress':
          if (!settled && onProgress) onProgress(m.progress);
          break;
        case 'done':
          finish(() => resolve(m.output as JobSpecs[K]['output']));
          break;
        case 'failed':
          finish(() => reject(signal?.aborted ? new AppError('CANCELLED', '已取消') : toAppError(m.error)));
          break;
      }
    });
    worker.on('error', (e) => {
      finish(() => reject(new AppError('INTERNAL', `后台任务出错：${e.message}`)));
    });
    worker.on('exit', (code) => {
      if (killTimer) clearTimeout(killTimer);
      finish(() =>
        reject(
          signal?.aborted
            ? new AppError('CANCELLED', '已取消')
            : new AppError('INTERNAL', `后台任务意外结束（退出码 ${code}）`),
        ),
      );
    });
  });
}
