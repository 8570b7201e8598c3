/**
 * The job worker (a worker_threads entry; built as out/main/job-worker.js). Runs ONE job given
 * in workerData, posts progress, then its output or its error as { code, message, details }.
 * A { type: 'cancel' } message aborts the job. Imports stay minimal: the compliance pipeline
 * only (no database, no core).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { checkPart, checkTable, previewTable } from '../compliance/run';
import type { JobProgress } from '../compliance/types';
import type { AppErrorShape } from '../contract/errors';
import { isAppError } from '../util/errors';
import type { JobSpecs } from './jobs';
import type { FromWorker, JobStart, ToWorker } from './protocol';

const port = parentPort;
if (!port) throw new Error('job worker: no parentPort (run it as a worker thread)');

const controller = new AbortController();
port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') controller.abort();
});

const post = (m: FromWorker) => port.postMessage(m);
const onProgress = (progress: FromWorker & { type: 'progress' }) => post(progress);

async function run(start: JobStart): Promise<unknown> {
  const { signal } = controller;
  const progress = (p: JobProgress) => onProgress({ type: 'progress', progress: p });
  switch (start.kind) {
    case 'compliance.preview': {
      const input = start.input as JobSpecs['compliance.preview']['input'];
      return previewTable(input.path, input.fileName, input.sets, { rowsLimit: input.rowsLimit, signal });
    }
    case 'compliance.check': {
      const input = start.input as JobSpecs['compliance.check']['input'];
      return checkTable(input.path, input.fileName, input.def, {
        today: input.today,
        errorWorkbookPath: input.errorWorkbookPath,
        checkedAt: input.checkedAt,
        onProgress: progress,
        signal,
      });
    }
    case 'compliance.checkPart': {
      const input = start.input as JobSpecs['compliance.checkPart']['input'];
      return checkPart(input, { signal, onProgress: progress });
    }
    default:
      throw new Error(`unknown job kind ${start.kind}`);
  }
}

function toShape(e: unknown): AppErrorShape {
  if (isAppError(e)) return e.toShape();
  const msg = e instanceof Error ? e.message : String(e);
  return {
    code: 'INTERNAL',
    message: `处理文件时出错：${msg}`,
    details: { stack: e instanceof Error ? e.stack : undefined },
  };
}

run(workerData as JobStart).then(
  (output) => {
    post({ type: 'done', output });
    port.close();
  },
  (e: unknown) => {
    post({ type: 'failed', error: toShape(e) });
    port.close();
  },
);
