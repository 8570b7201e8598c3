/**
 * Messages between runJob (main thread) and the job worker. Plain data only (structured clone).
 */
import type { AppErrorShape } from '../contract/errors';
import type { JobProgress } from '../compliance/types';

/** workerData of a job worker. */
export interface JobStart {
  kind: string;
  input: unknown;
}

/** main → worker */
export type ToWorker = { type: 'cancel' };

/** worker → main */
export type FromWorker =
  | { type: 'progress'; progress: JobProgress }
  | { type: 'done'; output: unknown }
  | { type: 'failed'; error: AppErrorShape };
