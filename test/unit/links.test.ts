/**
 * Link rows (records/links.ts), shared by tasks, materials and rectifications: one row per pair
 * with an id derived from owner|ref, removed by the `deleted` field and revived (same id) when
 * the link is chosen again; unknown indicators or tasks are refused naming the field.
 */
import { describe, expect, it } from 'vitest';
import { call, callError, coreWithWorkspace, wsOf } from '../helpers/core';

describe('link rows', () => {
  it('removes a link by its deleted field and revives the same row when it is chosen again', async () => {
    const { core } = await coreWithWorkspace();
    const [a, b] = await call(core, 'indicators.list', {});
    if (!a || !b) throw new Error('the template has indicators');
    const m = await call(core, 'materials.create', {
      title: '联动奖惩制度',
      type: 'regulation',
      indicatorIds: [a.id, b.id],
    });
    const rows = () =>
      wsOf(core)
        .db.prepare(
          'SELECT id, indicator_id AS ref, deleted FROM material_indicators WHERE material_id = ? ORDER BY ref',
        )
        .all(m.id) as { id: string; ref: string; deleted: number }[];
    const first = rows();
    expect(first.map((r) => r.deleted)).toEqual([0, 0]);

    await call(core, 'materials.update', { id: m.id, patch: { indicatorIds: [b.id] } });
    expect(rows().find((r) => r.ref === a.id)?.deleted).toBe(1);
    expect((await call(core, 'materials.get', { id: m.id })).indicatorIds).toEqual([b.id]);

    await call(core, 'materials.update', { id: m.id, patch: { indicatorIds: [a.id, b.id] } });
    const again = rows();
    expect(again).toEqual(first); // same ids, both live: two laptops doing this agree
  });

  it('refuses an unknown task or indicator and names the field', async () => {
    const { core } = await coreWithWorkspace();
    const missing = '0190a1b2-0000-7000-8000-000000000000';
    const t = await callError(
      core,
      'materials.create',
      {
        title: '会议纪要',
        type: 'meeting_minutes',
        taskIds: [missing],
      },
      'BAD_INPUT',
    );
    expect(t.details).toEqual({ field: 'taskIds' });
    expect(t.message).toContain('关联任务');
    const r = await callError(
      core,
      'rect.create',
      {
        source: 'inspection',
        problem: '双公示数据上报不及时',
        indicatorIds: [missing],
      },
      'BAD_INPUT',
    );
    expect(r.details).toEqual({ field: 'indicatorIds' });
  });
});
