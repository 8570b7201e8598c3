/**
 * Long work in worker_threads: the caller gets a promise, progress callbacks and cancellation.
 * STUB — see /tmp/prompts/run.md.
 */
import type { RuleSetDefinition } from '../contract/compliance';
import type { CheckTableOptions, PreviewData } from '../compliance/run';
import type { ProgressFn, StoredRuleSet } from '../compliance/types';
import type { FileCheckResult } from '../contract/compliance';

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
    };
    output: FileCheckResult & { errorWorkbookWritten: boolean };
  };
}
export type JobKind = keyof JobSpecs;

/**
 * Runs a job in a worker thread. Rejects with AppError CANCELLED when `signal` aborts (the
 * worker is stopped), with the job's AppError (code and Chinese message kept) when it fails.
 */
export async function runJob<K extends JobKind>(
  kind: K,
  input: JobSpecs[K]['input'],
  opts: { onProgress?: ProgressFn; signal?: AbortSignal } = {},
): Promise<JobSpecs[K]['output']> {
  void kind;
  void input;
  void opts;
  throw new Error('runJob: not implemented yet');
}
