/** Indicator-system versions: list, switch, import and export as .xlsx (the schema names the bad row). */
import type { z } from 'zod';
import type { IndicatorSystem, SystemImportResult } from '../contract/indicators';
import type { ImportFile } from '../import/file';
import { AppError } from '../util/errors';
import type { Workspace } from '../workspace/workspace';

const TODO = (): never => {
  throw new AppError('UNSUPPORTED', '尚未实现');
};
export function listSystems(_ws: Workspace): IndicatorSystem[] {
  return TODO();
}
export function useSystem(_ws: Workspace, _version: string): void {
  TODO();
}
export async function importSystem(
  _ws: Workspace,
  _file: ImportFile,
  _makeCurrent: boolean,
): Promise<z.output<typeof SystemImportResult>> {
  return TODO();
}
export async function exportSystem(_ws: Workspace, _version: string): Promise<Buffer> {
  return TODO();
}
