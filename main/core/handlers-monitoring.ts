/**
 * Handlers of the monthly monitoring results, weak points, tracked metrics, the campaign half of
 * the dashboard, the quarterly ranking analysis (.docx) and the briefing deck (.pptx). The
 * writers load on first use.
 */
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { readImportSource, writeExport } from './handlers-output';
import { campaignSummary } from './monitoring/campaign';
import { listMetrics, removeMetric, setMetric, setMetricTarget } from './monitoring/metrics';
import {
  acceptWeakPoint,
  dismissWeakPoint,
  importResults,
  monitoringOverview,
  removeResult,
  saveResult,
} from './monitoring/monitoring';
import { createImprovementPlan } from './monitoring/plan';
import { fileTimestamp } from './util/names';

type MonitoringCommand =
  | 'metrics.list'
  | 'metrics.set'
  | 'metrics.remove'
  | 'metrics.setTarget'
  | 'monitoring.overview'
  | 'monitoring.save'
  | 'monitoring.remove'
  | 'monitoring.import'
  | 'monitoring.acceptWeakPoint'
  | 'monitoring.dismissWeakPoint'
  | 'monitoring.improvementPlan'
  | 'reports.rankingAnalysis'
  | 'dashboard.campaign'
  | 'briefing.export';

export function buildMonitoringHandlers(ctx: CoreContext): Pick<Handlers, MonitoringCommand> {
  const now = () => ctx.clock();
  let jobSeq = 0;
  return {
    'metrics.list': () => listMetrics(ctx.requireWs()),
    'metrics.set': (input) => setMetric(ctx.requireWs(), input),
    'metrics.remove': (input) => {
      removeMetric(ctx.requireWs(), input.metric, input.month);
      return { ok: true as const };
    },
    'metrics.setTarget': (input) => setMetricTarget(ctx.requireWs(), input.metric, input.target),

    'monitoring.overview': () => monitoringOverview(ctx.requireWs(), now()),
    'monitoring.save': (input) => saveResult(ctx.requireWs(), input),
    'monitoring.remove': (input) => {
      removeResult(ctx.requireWs(), input.month);
      return { ok: true as const };
    },
    'monitoring.import': async (input) => {
      const ws = ctx.requireWs();
      const file = await readImportSource(
        ctx,
        input.file.path,
        input.file.uploadId,
        input.file.name,
        '监测结果.xlsx',
      );
      return importResults(ws, file, input.replace);
    },
    'monitoring.acceptWeakPoint': (input) => acceptWeakPoint(ctx.requireWs(), input, now()),
    'monitoring.dismissWeakPoint': (input) => {
      dismissWeakPoint(ctx.requireWs(), input.month, input.dimension, input.note);
      return { ok: true as const };
    },
    'monitoring.improvementPlan': (input) => createImprovementPlan(ctx.requireWs(), input.month, now()),
    'reports.rankingAnalysis': async (input) => {
      const ws = ctx.requireWs();
      const { rankingAnalysisModel } = await import('./monitoring/ranking-report');
      const { renderDocx } = await import('./documents/docx');
      const data = await renderDocx(rankingAnalysisModel(ws, input.quarter, now()));
      return writeExport(ctx, input.file, `预警监测排名分析报告-${input.quarter}.docx`, data);
    },

    'dashboard.campaign': () => campaignSummary(ctx.requireWs(), now()),

    'briefing.export': async (input) => {
      const ws = ctx.requireWs();
      const jobId = `briefing-${++jobSeq}`;
      const emit = (
        done: number,
        total: number | null,
        message: string,
        state: 'running' | 'done' | 'failed',
      ) => ctx.emit('job.progress', { jobId, kind: 'briefing', done, total, message, state });
      try {
        const { renderBriefing } = await import('./briefing/deck');
        const deck = await renderBriefing(ws, input, now(), (done, total, message) =>
          emit(done, total, message, 'running'),
        );
        const written = writeExport(
          ctx,
          input.file,
          `汇报PPT-${input.from}至${input.to}-${fileTimestamp(now())}.pptx`,
          deck.data,
        );
        emit(1, 1, '汇报PPT已生成', 'done');
        return { ...written, slides: deck.slides, charts: deck.charts };
      } catch (e) {
        emit(0, null, '汇报PPT生成失败', 'failed');
        throw e;
      }
    },
  };
}
