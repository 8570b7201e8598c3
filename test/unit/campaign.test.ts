/**
 * dashboard.campaign: the campaign half of the dashboard equals what the indicator, monitoring
 * and metrics commands give; the trend is the 12 calendar months ending with the latest result;
 * the weak-point figure counts only undecided proposals.
 */
import { describe, expect, it } from 'vitest';
import { fakeClock, noon } from '../helpers/clock';
import { call, coreWithWorkspace } from '../helpers/core';
import { dims } from '../helpers/monitoring';

describe('dashboard.campaign', () => {
  it('is empty but complete before any result', async () => {
    const { core } = await coreWithWorkspace({ clock: fakeClock(noon('2027-03-12')).now });
    const c = await call(core, 'dashboard.campaign', {});
    expect(c.monitoring.latest).toBeNull();
    expect(c.monitoring.trend).toEqual([]);
    expect(c.monitoring.weakPoints).toBe(0);
    expect(c.readiness).toEqual(await call(core, 'indicators.readiness', {}));
    expect(c.metrics).toEqual(await call(core, 'metrics.list', {}));
  });

  it('equals the monitoring, readiness and metrics figures; trend of the last 12 months', async () => {
    const { core } = await coreWithWorkspace({ clock: fakeClock(noon('2027-05-12')).now });
    // 14 months, 2026-03 … 2027-04, with a gap in 2026-09; culture falls twice at the end
    const months = [
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
      '2027-04',
    ];
    for (const [i, month] of months.entries()) {
      const culture = i < months.length - 2 ? 80 + i * 0.2 : 82 - (i - months.length + 3) * 1.5;
      await call(core, 'monitoring.save', {
        month,
        score: 84 + i * 0.2,
        rank: 120 - i * 6,
        total: 380,
        dims: dims(85 + i * 0.1, 86, culture, 81 + i * 0.1, 84),
      });
    }
    await call(core, 'metrics.set', { metric: 'compliance_rate', month: '2027-04', value: 98.5 });
    const inds = await call(core, 'indicators.list', {});
    await call(core, 'indicators.update', {
      id: inds.find((i) => i.kind === 'basic')!.id,
      patch: { status: 'met' },
    });

    const c = await call(core, 'dashboard.campaign', {});
    const overview = await call(core, 'monitoring.overview', {});
    expect(c.monitoring.latest).toEqual(overview.latest);
    expect(c.monitoring.latest!.month).toBe('2027-04');
    // 2026-05 … 2027-04: 12 calendar months, 11 results (2026-09 missing), oldest first
    expect(c.monitoring.trend.map((r) => r.month)).toEqual(months.slice(2));
    expect(c.monitoring.trend).toEqual(overview.results.filter((r) => r.month >= '2026-05'));
    expect(c.monitoring.streak).toEqual(overview.streak);
    expect(c.readiness).toEqual(await call(core, 'indicators.readiness', {}));
    expect(c.readiness.basic.met).toBe(1);
    expect(c.metrics).toEqual(await call(core, 'metrics.list', {}));

    const undecided = overview.weakPoints.filter((w) => w.decision === null);
    expect(undecided.length).toBeGreaterThan(0);
    expect(c.monitoring.weakPoints).toBe(undecided.length);
    const w = undecided[0]!;
    await call(core, 'monitoring.dismissWeakPoint', {
      month: w.month,
      dimension: w.dimension,
      note: '已知原因',
    });
    expect((await call(core, 'dashboard.campaign', {})).monitoring.weakPoints).toBe(undecided.length - 1);
  });
});
