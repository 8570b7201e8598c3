/**
 * The indicator system: list fields (owners, evidence, rectifications), the drawer's detail,
 * editing with owners and the self-score limit, the evidence checklist, readiness with fixture
 * data, versions (list, switch) and the bundled 2021 template (basic + 100 scored + 10 bonus).
 */
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import { call, callError, coreWithWorkspace, countRows, isChinese, writeCounts } from '../helpers/core';
import { importBook, systemWorkbook, type SystemRow as Row } from '../helpers/indicators';

const FIXTURE: Row[] = [
  { 编号: 'J-1', 名称: '基础一', 类型: '基础指标', 责任单位: '市发改委' },
  { 编号: 'J-2', 名称: '基础二', 类型: '基础指标' },
  { 编号: 'C', 名称: '信用监管', 类型: '类别', 分值: 10 },
  { 编号: 'C.1', 名称: '承诺制', 类型: '评分指标', 上级编号: 'C', 分值: 6, 佐证材料: '承诺书\n核查记录' },
  { 编号: 'C.2', 名称: '分级分类', 类型: '评分指标', 上级编号: 'C', 分值: 4 },
  { 编号: 'F', 名称: '附加项', 类型: '类别', 分值: 2 },
  { 编号: 'F.1', 名称: '创新', 类型: '加分项', 上级编号: 'F', 分值: 2 },
];

async function fixtureCore() {
  const t = await coreWithWorkspace();
  await importBook(
    t.core,
    await systemWorkbook({ version: 'T', name: '测试体系', scoredTotal: 10, bonusTotal: 2 }, FIXTURE),
  );
  const inds = await call(t.core, 'indicators.list', {});
  const by = (code: string) => inds.find((i) => i.code === code)!;
  return { ...t, by };
}

describe('readiness', () => {
  it('lists unmet basic indicators in order, sums scored leaves and bonus separately', async () => {
    const { core, by } = await fixtureCore();
    let r = await call(core, 'indicators.readiness', {});
    expect(r.version).toBe('T');
    expect(r.basic).toMatchObject({ total: 2, met: 0 });
    expect(r.basic.unmet.map((u) => u.code)).toEqual(['J-1', 'J-2']);
    expect(r.allBasicMet).toBe(false);
    // categories (which carry points too) are not leaves: 6 + 4, not 10 + 6 + 4
    expect(r.scored).toEqual({ count: 2, possible: 10, achieved: 0, met: 0 });
    expect(r.bonus).toEqual({ count: 1, possible: 2, achieved: 0 });
    expect(r.evidence).toEqual({ total: 2, satisfied: 0 });
    // 5 indicators besides the two categories, all 推进中 by default
    expect(r.byStatus).toEqual({ not_met: 0, in_progress: 5, met: 0 });

    await call(core, 'indicators.update', { id: by('J-1').id, patch: { status: 'met' } });
    await call(core, 'indicators.update', { id: by('C.1').id, patch: { status: 'met', selfScore: 5.5 } });
    await call(core, 'indicators.update', { id: by('C.2').id, patch: { selfScore: 3 } });
    await call(core, 'indicators.update', { id: by('F.1').id, patch: { selfScore: 1 } });
    r = await call(core, 'indicators.readiness', {});
    expect(r.basic.unmet.map((u) => u.code)).toEqual(['J-2']);
    expect(r.allBasicMet).toBe(false);
    expect(r.scored).toEqual({ count: 2, possible: 10, achieved: 8.5, met: 1 });
    expect(r.bonus).toEqual({ count: 1, possible: 2, achieved: 1 });
    expect(r.byStatus).toEqual({ not_met: 0, in_progress: 3, met: 2 });

    await call(core, 'indicators.update', { id: by('J-2').id, patch: { status: 'met' } });
    r = await call(core, 'indicators.readiness', {});
    expect(r.allBasicMet).toBe(true);
    expect(r.basic).toEqual({ total: 2, met: 2, unmet: [] });
  });

  it('counts an evidence item satisfied by an attachment or a linked material', async () => {
    const { core, by } = await fixtureCore();
    const d = await call(core, 'indicators.get', { id: by('C.1').id });
    const [a, b] = d.evidence;
    const up = await call(core, 'attachments.upload', {
      uploadId: null,
      data: Buffer.from('x').toString('base64'),
    });
    await call(core, 'attachments.add', {
      ownerType: 'evidence',
      ownerId: a!.id,
      file: { uploadId: up.uploadId, name: '承诺书.pdf' },
    });
    expect((await call(core, 'indicators.readiness', {})).evidence).toEqual({ total: 2, satisfied: 1 });
    const mat = await call(core, 'materials.create', { title: '核查记录', type: 'other', templateId: null });
    await call(core, 'evidence.update', { id: b!.id, patch: { materialIds: [mat.id] } });
    expect((await call(core, 'indicators.readiness', {})).evidence).toEqual({ total: 2, satisfied: 2 });
    expect((await call(core, 'indicators.list', {})).find((i) => i.code === 'C.1')).toMatchObject({
      evidenceTotal: 2,
      evidenceSatisfied: 2,
    });
    // a deleted material no longer satisfies the item
    await call(core, 'materials.delete', { id: mat.id });
    expect((await call(core, 'indicators.readiness', {})).evidence.satisfied).toBe(1);
  });
});

describe('indicator list, detail and editing', () => {
  it('fills owners, evidence and rectification counts, and the detail', async () => {
    const { core } = await coreWithWorkspace();
    const inds = await call(core, 'indicators.list', {});
    const b03 = inds.find((i) => i.code === '基础-03')!;
    expect(b03.ownerDeptNames).toEqual(['市发改委', '市市场监管局', '市综合执法局']);
    expect(b03.evidenceTotal).toBe(3);
    expect(b03.evidenceSatisfied).toBe(0);
    const rect = await call(core, 'rect.create', {
      source: 'review_panel',
      problem: '双公示迟报',
      indicatorIds: [b03.id],
    });
    const closed = await call(core, 'rect.create', {
      source: 'review_panel',
      problem: '已整改',
      indicatorIds: [b03.id],
    });
    wsOfClose(core, closed.id);
    const after = (await call(core, 'indicators.list', {})).find((i) => i.id === b03.id)!;
    expect(after).toMatchObject({ rectCount: 2, openRectCount: 1 });

    const d = await call(core, 'indicators.get', { id: b03.id });
    expect(d.evidence.map((e) => e.title)).toEqual([
      '双公示数据上报统计表',
      '信用中国网站公示截图',
      '双公示数据合规率、及时率监测报告',
    ]);
    expect(d.rectifications.map((r) => r.id).sort()).toEqual([rect.id, closed.id].sort());
    expect(d.tasks.length).toBe(b03.taskCount);
    expect(d.path).toEqual([]);
    const leaf = inds.find((i) => i.code === '评分-3.1')!;
    expect((await call(core, 'indicators.get', { id: leaf.id })).path).toEqual(['信用监管']);
  });

  it('updates owners and description in one transaction, keeps fields left out, refuses bad input', async () => {
    const { core } = await coreWithWorkspace();
    const inds = await call(core, 'indicators.list', {});
    const depts = await call(core, 'departments.list', {});
    const leaf = inds.find((i) => i.code === '评分-1.1')!;
    await call(core, 'indicators.update', {
      id: leaf.id,
      patch: { narrative: '已建立领导小组。', scoreNote: '机制健全' },
    });
    const czj = depts.find((d) => d.name === '琼海市财政局')!;
    const u = await call(core, 'indicators.update', {
      id: leaf.id,
      patch: { status: 'met', ownerDeptIds: [czj.id], points: 5, standard: '新标准' },
    });
    expect(u).toMatchObject({
      status: 'met',
      points: 5,
      standard: '新标准',
      ownerDeptIds: [czj.id],
      ownerDeptNames: ['市财政局'],
    });
    // fields not in the patch are unchanged
    expect(u.narrative).toBe('已建立领导小组。');
    expect(u.scoreNote).toBe('机制健全');

    const before = writeCounts(core);
    const tooHigh = await callError(
      core,
      'indicators.update',
      { id: leaf.id, patch: { selfScore: 6 } },
      'BAD_INPUT',
    );
    expect(tooHigh.message).toContain('评分-1.1');
    expect(tooHigh.message).toContain('5 分');
    const unknown = await callError(
      core,
      'indicators.update',
      { id: leaf.id, patch: { ownerDeptIds: ['01900000-0000-7000-8000-000000000000'], title: '改名' } },
      'BAD_INPUT',
    );
    expect(isChinese(unknown.message)).toBe(true);
    expect(unknown.message).toContain('责任单位');
    expect(writeCounts(core)).toEqual(before);
    expect((await call(core, 'indicators.list', {})).find((i) => i.id === leaf.id)!.title).toBe(
      '信用建设工作机制',
    );
    // removing owners
    expect(
      (await call(core, 'indicators.update', { id: leaf.id, patch: { ownerDeptIds: [] } })).ownerDeptIds,
    ).toEqual([]);
  });

  it('adds, edits and removes evidence items, checking material references', async () => {
    const { core } = await coreWithWorkspace();
    const ind = (await call(core, 'indicators.list', {}))[0]!;
    const item = await call(core, 'evidence.add', {
      indicatorId: ind.id,
      title: '会议纪要',
      note: null,
      materialIds: [],
    });
    expect(item).toMatchObject({ title: '会议纪要', satisfied: false, attachmentCount: 0 });
    const dup = await callError(
      core,
      'evidence.add',
      { indicatorId: ind.id, title: '会议纪要', note: null, materialIds: [] },
      'CONFLICT',
    );
    expect(dup.message).toContain('会议纪要');
    await callError(
      core,
      'evidence.update',
      { id: item.id, patch: { materialIds: ['01900000-0000-7000-8000-000000000000'] } },
      'BAD_INPUT',
    );
    const mat = await call(core, 'materials.create', {
      title: '第一次会议纪要',
      type: 'other',
      templateId: null,
    });
    const e = await call(core, 'evidence.update', {
      id: item.id,
      patch: { materialIds: [mat.id], note: '领导小组会议' },
    });
    expect(e).toMatchObject({
      satisfied: true,
      materialTitles: ['第一次会议纪要'],
      note: '领导小组会议',
      title: '会议纪要',
    });
    const listed = (await call(core, 'indicators.get', { id: ind.id })).evidence;
    expect(listed.at(-1)?.id).toBe(item.id);
    await call(core, 'evidence.remove', { id: item.id });
    expect((await call(core, 'indicators.get', { id: ind.id })).evidence.some((x) => x.id === item.id)).toBe(
      false,
    );
    await callError(core, 'evidence.remove', { id: item.id }, 'NOT_FOUND');
  });
});

/** Closes a rectification directly (its workflow is not what this test is about). */
function wsOfClose(core: Core, id: string): void {
  core.workspace!.db.prepare("UPDATE rectifications SET status = 'closed' WHERE id = ?").run(id);
}

describe('versions', () => {
  it('the bundled 2021 system: 12 basic, 100 scored points, 10 bonus points, owners and evidence', async () => {
    const { core } = await coreWithWorkspace();
    const [sys] = await call(core, 'indicators.systems', {});
    expect(sys).toMatchObject({
      version: '2021',
      scoredTotal: 100,
      bonusTotal: 10,
      scoredPoints: 100,
      bonusPoints: 10,
      current: true,
    });
    expect(sys!.counts.basic).toBe(12);
    expect(sys!.counts.category).toBeGreaterThanOrEqual(6);
    const inds = await call(core, 'indicators.list', {});
    for (const b of inds.filter((i) => i.kind === 'basic')) {
      expect(b.ownerDeptIds.length, b.code).toBeGreaterThan(0);
      expect(b.evidenceTotal, b.code).toBeGreaterThanOrEqual(2);
    }
    const r = await call(core, 'indicators.readiness', {});
    expect(r.scored.possible).toBe(100);
    expect(r.bonus.possible).toBe(10);
  });

  it('switches versions and refuses an unknown one', async () => {
    const { core } = await coreWithWorkspace();
    const before = writeCounts(core);
    const err = await callError(core, 'indicators.useSystem', { version: '2099' }, 'NOT_FOUND');
    expect(err.message).toContain('2099');
    expect(err.message).toContain('2021');
    expect(writeCounts(core)).toEqual(before);
    await importBook(core, await systemWorkbook({ version: 'T', name: '测试体系' }, FIXTURE), false);
    expect((await call(core, 'workspace.settings', {})).indicatorVersion).toBe('2021');
    await call(core, 'indicators.useSystem', { version: 'T' });
    expect((await call(core, 'indicators.list', {})).map((i) => i.code)).toEqual(
      FIXTURE.map((r) => r['编号']),
    );
    const systems = await call(core, 'indicators.systems', {});
    expect(systems.map((s) => [s.version, s.current])).toEqual([
      ['2021', false],
      ['T', true],
    ]);
    expect(countRows(core, 'indicator_systems', "version = 'T'")).toBe(1);
  });
});
