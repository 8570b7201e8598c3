/** Monthly national credit-monitoring results: entry, import, the top-N streak rule and weak points. */
import type { z } from 'zod';
import type {
  AcceptWeakPointInput,
  Dimension,
  MonitoringImportResult,
  MonitoringInput,
  MonitoringOverview,
  MonitoringResult,
} from '../contract/indicators';
import type { ImportFile } from '../import/file';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

const TODO = (): never => {
  throw new AppError('UNSUPPORTED', '尚未实现');
};
export function monitoringOverview(_ws: Workspace, _now: Date): MonitoringOverview {
  return TODO();
}
export function saveResult(_ws: Workspace, _input: z.output<typeof MonitoringInput>): MonitoringResult {
  return TODO();
}
export function removeResult(_ws: Workspace, _month: string): void {
  TODO();
}
export async function importResults(
  _ws: Workspace,
  _file: ImportFile,
  _replace: boolean,
): Promise<z.output<typeof MonitoringImportResult>> {
  return TODO();
}
export function acceptWeakPoint(
  _ws: Workspace,
  _input: z.output<typeof AcceptWeakPointInput>,
  _now: Date,
): { rectId: string; taskId: string | null } {
  return TODO();
}
export function dismissWeakPoint(
  _ws: Workspace,
  _month: string,
  _dimension: Dimension,
  _note: string | null,
): void {
  TODO();
}
