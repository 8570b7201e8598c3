/**
 * Issue 5 ("Speed"): the briefing deck (汇报PPT) — 'briefing.export' in process (the figures from
 * the dashboard, league table, indicators, monitoring, metrics and rectification queries, the
 * pptxgenjs slides with native charts and notes, the re-zipped package written to disk) for a
 * workspace with 2,000 seeded tasks over the 54 departments of the sample campaign, 12 months of
 * monitoring results, metrics and 90 rectification items (about half overdue): all sections, about
 * 20 slides with at least 8 charts. Median of 10 runs after 3 warm-ups; target < 1 s.
 *
 * Alone: npx tsx test/bench/briefing-bench.ts
 */
import fs from 'node:fs';
import path from 'node:path';
import { BRIEFING_SECTIONS, RECT_SOURCES } from '../../main/core/contract/labels';
import { addMonths } from '../../main/core/monitoring/rules';
import { readDocx } from '../helpers/docx';
import type { BenchRow } from './materials-bench';
import { seedTasks } from './seed';
import { benchCore, reportRow, runStandalone, timeRuns, wave, wavingDims } from './timing';

export const BRIEFING_TARGET_MS = 1000;
const RUNS = 10;
const TASKS = 2000;
// enough overdue items that the risk and rectification lists continue over extra slides (≈ 20 in all)
const RECTS = 90;

export async function briefingDeckRow(log: (s?: string) => void): Promise<BenchRow> {
  const name = '(k) briefing deck pptx, all sections';
  let now = new Date(2027, 0, 10, 12, 0, 0);
  const { root, core, must, close } = benchCore('cwb-bench-briefing-', () => now);
  try {
    log(
      `Briefing deck: seeding ${TASKS.toLocaleString('en-US')} tasks, 12 months of results, metrics, rectifications…`,
    );
    await must('workspace.create', {
      name: '汇报PPT基准',
      templateId: 'qionghai',
      startMonth: '2027-01',
      me: { name: '李明', role: '项目负责人' },
    });
    const ws = core.workspace;
    if (!ws) throw new Error('no open workspace');
    const depts = await must('departments.list', {});
    const inds = await must('indicators.list', {});
    seedTasks(ws, depts, inds, TASKS, undefined, { today: '2027-09-20', seed: 77 });
    const basic = inds.filter((i) => i.kind === 'basic');
    for (const [k, i] of basic.entries())
      if (k % 3 === 0) await must('indicators.update', { id: i.id, patch: { status: 'met' } });
    // rectification items over the year, about two dozen of them overdue by September
    for (let k = 0; k < RECTS; k++) {
      now = new Date(2027, k % 8, 5 + (k % 20), 12, 0, 0);
      const r = await must('rect.create', {
        source: RECT_SOURCES[k % RECT_SOURCES.length]!,
        problem: `第${k + 1}项问题：行业主管部门行政处罚信息未按“双公示”要求在七个工作日内上报信用平台`,
        deptId: depts[k % depts.length]!.id,
        deadline: `2027-0${1 + (k % 9)}-28`,
      });
      if (k % 4 === 0) {
        now = new Date(2027, Math.min(8, (k % 8) + 1), 10, 12, 0, 0);
        for (const action of ['start', 'submit', 'accept'] as const)
          await must('rect.transition', { id: r.id, action, note: action === 'accept' ? '已核验' : null });
      }
    }
    for (let i = 0; i < 12; i++) {
      const month = addMonths('2026-10', i);
      await must('monitoring.save', {
        month,
        score: 84 + i * 0.2 + wave(i, 5, 0.5),
        rank: Math.max(1, Math.round(90 - i * 5 + wave(i, 4, 6))),
        total: 390,
        dims: wavingDims(i),
      });
      if (month >= '2027-01') {
        await must('metrics.set', { metric: 'compliance_rate', month, value: 95 + i * 0.4 });
        await must('metrics.set', { metric: 'commitments', month, value: 8000 + i * 250, base: 10_400 });
        await must('metrics.set', { metric: 'repair_rate', month, value: 85 + i * 0.6 });
      }
    }
    now = new Date(2027, 8, 20, 12, 0, 0);

    const input = { from: '2027-07', to: '2027-09', sections: [...BRIEFING_SECTIONS] };
    let n = 0;
    let last = { file: '', bytes: 0, slides: 0, charts: 0 };
    const once = async () => {
      last = await must('briefing.export', { ...input, file: path.join(root, `deck-${n++}.pptx`) });
    };
    const timing = await timeRuns(once, RUNS);
    // the counts the command reports are the parts in the package
    const deck = readDocx(fs.readFileSync(last.file));
    const files = deck.files;
    const slides = Object.keys(files).filter((f) => /^ppt\/slides\/slide\d+\.xml$/.test(f)).length;
    const charts = Object.keys(files).filter((f) => /^ppt\/charts\/chart\d+\.xml$/.test(f)).length;
    if (slides !== last.slides || charts !== last.charts)
      throw new Error(
        `deck says ${last.slides} slides / ${last.charts} charts, package has ${slides} / ${charts}`,
      );
    if (charts < 8) throw new Error(`only ${charts} charts`);
    if (!deck.text('ppt/slides/slide1.xml').includes('创建工作汇报'))
      throw new Error('the cover lacks its title');
    return reportRow(log, {
      name,
      label: 'briefing.export 2027-07…09, all sections',
      timing,
      detail: `${slides} slides, ${charts} native charts, ${(last.bytes / 1024).toFixed(0)} KB`,
      target: BRIEFING_TARGET_MS,
      note: `${slides} slides, ${charts} native charts; ${TASKS.toLocaleString('en-US')} tasks; ${(last.bytes / 1024).toFixed(0)} KB`,
    });
  } finally {
    close();
  }
}

// standalone: npx tsx test/bench/briefing-bench.ts
runStandalone(import.meta.url, briefingDeckRow);
