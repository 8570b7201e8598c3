/** Handlers of the indicator system: list, detail, self-assessment and owners, evidence, readiness, versions. */
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { readImportSource, writeExport } from './handlers-output';
import {
  addEvidence,
  getIndicatorDetail,
  listIndicators,
  readiness,
  removeEvidence,
  updateEvidence,
  updateIndicator,
} from './indicators/indicators';
import { exportSystem, importSystem, listSystems, useSystem } from './indicators/systems';
import { getSettings } from './workspace/settings';

type IndicatorCommand =
  | 'indicators.list'
  | 'indicators.get'
  | 'indicators.update'
  | 'indicators.readiness'
  | 'indicators.systems'
  | 'indicators.useSystem'
  | 'indicators.importSystem'
  | 'indicators.exportSystem'
  | 'evidence.add'
  | 'evidence.update'
  | 'evidence.remove';

export function buildIndicatorHandlers(ctx: CoreContext): Pick<Handlers, IndicatorCommand> {
  return {
    'indicators.list': () => listIndicators(ctx.requireWs()),
    'indicators.get': (input) => getIndicatorDetail(ctx.requireWs(), input.id),
    'indicators.update': (input) => updateIndicator(ctx.requireWs(), input.id, input.patch),
    'indicators.readiness': () => readiness(ctx.requireWs()),
    'indicators.systems': () => listSystems(ctx.requireWs()),
    'indicators.useSystem': (input) => {
      useSystem(ctx.requireWs(), input.version);
      return { ok: true as const };
    },
    'indicators.importSystem': async (input) => {
      const ws = ctx.requireWs();
      const file = await readImportSource(
        ctx,
        input.file.path,
        input.file.uploadId,
        input.file.name,
        '指标体系.xlsx',
      );
      return importSystem(ws, file, input.makeCurrent);
    },
    'indicators.exportSystem': async (input) => {
      const ws = ctx.requireWs();
      const version = input.version ?? getSettings(ws).indicatorVersion;
      return writeExport(ctx, input.file, `指标体系-${version}.xlsx`, await exportSystem(ws, version));
    },
    'evidence.add': (input) => addEvidence(ctx.requireWs(), input),
    'evidence.update': (input) => updateEvidence(ctx.requireWs(), input.id, input.patch),
    'evidence.remove': (input) => {
      removeEvidence(ctx.requireWs(), input.id);
      return { ok: true as const };
    },
  };
}
