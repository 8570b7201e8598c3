/**
 * Issue 5 ("Speed"): the quarterly 预警监测排名分析报告 docx — 'reports.rankingAnalysis' in process
 * (the core, as the app calls it: the model from SQLite, the weak points of each month, then the
 * GB/T 9704 docx writer) for a workspace with 24 months of results (2026-01 … 2027-12) whose
 * dimensions rise and fall so every quarter has weak points, several accepted (rectification item
 * + task) and dismissed. Median of 10 runs after 3 warm-ups; target < 1 s.
 *
 * Alone: npx tsx test/bench/ranking-bench.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { addMonths } from '../../main/core/monitoring/rules';
import type { BenchRow } from './materials-bench';
import { benchCore, reportRow, runStandalone, timeRuns, wave, wavingDims } from './timing';

export const RANKING_TARGET_MS = 1000;
const RUNS = 10;
const MONTHS = 24;

export async function rankingReportRow(log: (s?: string) => void): Promise<BenchRow> {
  const name = '(j) ranking analysis docx, 24 months';
  const { root, must, close } = benchCore('cwb-bench-ranking-', () => new Date('2028-01-10T02:00:00Z'));
  try {
    log('Ranking analysis: seeding 24 months of monitoring results with weak points…');
    await must('workspace.create', {
      name: '排名分析基准',
      templateId: 'qionghai',
      startMonth: '2026-01',
      me: { name: '李明', role: '项目负责人' },
    });
    let accepted = 0;
    let dismissed = 0;
    for (let i = 0; i < MONTHS; i++) {
      const month = addMonths('2026-01', i);
      await must('monitoring.save', {
        month,
        score: 84 + wave(i, 7, 1.5),
        rank: Math.max(1, Math.round(55 + wave(i, 9, 15))),
        total: 400,
        dims: wavingDims(i),
      });
      const o = await must('monitoring.overview', {});
      for (const [k, w] of o.weakPoints.entries()) {
        if (k % 2 === 0) {
          await must('monitoring.acceptWeakPoint', {
            month: w.month,
            dimension: w.dimension,
            problem: w.proposal.problem,
            measures: w.proposal.measures,
            deptId: w.proposal.deptId,
            deadline: w.proposal.deadline,
            task: {
              title: w.proposal.taskTitle,
              standard: w.proposal.taskStandard,
              leadDeptId: w.proposal.deptId,
            },
          });
          accepted++;
        } else {
          await must('monitoring.dismissWeakPoint', { month: w.month, dimension: w.dimension });
          dismissed++;
        }
      }
    }
    const file = path.join(root, 'ranking.docx');
    const once = () => must('reports.rankingAnalysis', { quarter: '2027-Q4', file });
    const timing = await timeRuns(once, RUNS);
    const bytes = fs.statSync(file).size;
    return reportRow(log, {
      name,
      label: 'reports.rankingAnalysis 2027-Q4',
      timing,
      detail: `${MONTHS} months, ${accepted} weak points accepted, ${dismissed} dismissed; ${(bytes / 1024).toFixed(0)} KB`,
      target: RANKING_TARGET_MS,
      note: `${MONTHS} months; ${accepted} accepted + ${dismissed} dismissed weak points; ${(bytes / 1024).toFixed(0)} KB`,
    });
  } finally {
    close();
  }
}

// standalone: npx tsx test/bench/ranking-bench.ts
runStandalone(import.meta.url, rankingReportRow);
