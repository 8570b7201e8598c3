/** Tasks and departments through invoke: CRUD, filters, patch semantics, links. */
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import type { Department, Task } from '../../main/core/contract/index';
import {
  advanceTo,
  call,
  callError,
  coreWithEmptyWorkspace,
  coreWithWorkspace,
  countRows,
  writeCounts,
} from '../helpers/core';

const MISSING_ID = '01900000-0000-7000-8000-000000000000';

/** A small, fully known workspace: three departments, two indicators (none: empty workspace), five tasks. */
async function smallWorkspace() {
  const t = await coreWithEmptyWorkspace();
  const { core } = t;
  const fgw = await call(core, 'departments.create', {
    name: '市发展和改革委员会',
    shortName: '市发改委',
    role: 'lead',
  });
  const scj = await call(core, 'departments.create', {
    name: '市市场监督管理局',
    shortName: '市场监管局',
    aliases: ['市监局'],
  });
  const town = await call(core, 'departments.create', {
    name: '嘉积镇人民政府',
    kind: 'town',
    role: 'cooperating',
  });
  const mk = async (title: string, extra: Record<string, unknown> = {}) => {
    const { status, ...rest } = extra as { status?: 'issued' | 'handling' | 'done' };
    const t = await call(core, 'tasks.create', { title, ...rest });
    if (status) await advanceTo(core, t.id, status);
    return call(core, 'tasks.get', { id: t.id });
  };
  const tasks = {
    a: await mk('编制社会信用体系建设工作要点', {
      leadDeptId: fgw.id,
      dueDate: '2027-01-31',
      status: 'issued',
      code: 'RW-001',
    }),
    b: await mk('双公示数据7个工作日内上报', {
      leadDeptId: scj.id,
      coopDeptIds: [fgw.id],
      dueDate: '2027-03-31',
      status: 'handling',
      standard: '上报及时率100%',
    }),
    c: await mk('镇级信用信息归集', {
      leadDeptId: town.id,
      dueDate: '2027-06-30',
      status: 'done',
      description: '按月归集',
    }),
    d: await mk('信用承诺书签订', {
      leadDeptId: scj.id,
      coopDeptIds: [town.id],
      dueDate: null,
      standard: '覆盖全部新设立企业',
    }),
    e: await mk('无牵头单位的任务', { code: 'X-9' }),
  };
  return { ...t, depts: { fgw, scj, town }, tasks };
}

const titles = (r: { rows: Task[] }) => r.rows.map((t) => t.title).sort();

describe('tasks: create, get, update, delete', () => {
  it('creates with defaults and a generated code, gets it back, updates, deletes', async () => {
    const { core } = await coreWithWorkspace();
    const depts = await call(core, 'departments.list', {});
    const before = (await call(core, 'tasks.list', {})).total;
    const created = await call(core, 'tasks.create', { title: '  新增的任务  ', leadDeptId: depts[0]!.id });
    expect(created).toMatchObject({
      title: '新增的任务',
      status: 'draft',
      priority: 'normal',
      recurrence: 'none',
      progress: 0,
      dueDate: null,
      description: null,
      standard: null,
      leadDeptId: depts[0]!.id,
      leadDeptName: depts[0]!.name,
      coopDeptIds: [],
      indicatorIds: [],
    });
    // the template has RW-001…RW-0NN: the next free number follows
    expect(created.code).toBe(`RW-${String(before + 1).padStart(3, '0')}`);
    expect(await call(core, 'tasks.get', { id: created.id })).toEqual(created);
    expect((await call(core, 'tasks.list', {})).total).toBe(before + 1);

    const updated = await call(core, 'tasks.update', {
      id: created.id,
      patch: {
        title: '改名后的任务',
        dueDate: '2027-09-30',
        progress: 20,
        standard: '提供文件',
      },
    });
    expect(updated).toMatchObject({
      title: '改名后的任务',
      dueDate: '2027-09-30',
      status: 'draft',
      progress: 20,
      standard: '提供文件',
    });
    expect(await call(core, 'tasks.get', { id: created.id })).toEqual(updated);

    expect(await call(core, 'tasks.delete', { id: created.id })).toEqual({ ok: true });
    await callError(core, 'tasks.get', { id: created.id }, 'NOT_FOUND');
    expect((await call(core, 'tasks.list', {})).total).toBe(before);
    // deleted is a field: the row stays for sync and history
    expect(countRows(core, 'tasks', `id = '${created.id}' AND deleted = 1`)).toBe(1);
    // deleting or updating it again: NOT_FOUND, nothing written
    const counts = writeCounts(core);
    await callError(core, 'tasks.delete', { id: created.id }, 'NOT_FOUND');
    await callError(core, 'tasks.update', { id: created.id, patch: { title: 'x' } }, 'NOT_FOUND');
    expect(writeCounts(core)).toEqual(counts);
  });

  it('a partial patch leaves every other field as it was', async () => {
    const { core, tasks, depts } = await smallWorkspace();
    const b = tasks.b;
    const after = await call(core, 'tasks.update', { id: b.id, patch: { title: '只改名称' } });
    expect(after).toEqual({ ...b, title: '只改名称', updatedAt: after.updatedAt });
    expect(after.status).toBe('handling');
    expect(after.coopDeptIds).toEqual([depts.fgw.id]);
    // an empty patch changes nothing at all
    const counts = writeCounts(core);
    expect(await call(core, 'tasks.update', { id: b.id, patch: {} })).toEqual(after);
    expect(writeCounts(core)).toEqual(counts);
    // clearing an optional text with null or ''
    const cleared = await call(core, 'tasks.update', { id: b.id, patch: { standard: '', dueDate: null } });
    expect(cleared.standard).toBeNull();
    expect(cleared.dueDate).toBeNull();
    expect(cleared.status).toBe('handling');
  });

  it('refuses an unknown lead, cooperating department or indicator with BAD_INPUT, writing nothing', async () => {
    const { core, tasks } = await smallWorkspace();
    const counts = writeCounts(core);
    const e1 = await callError(core, 'tasks.create', { title: 'x', leadDeptId: MISSING_ID }, 'BAD_INPUT');
    expect(e1.message).toContain('牵头单位不存在');
    expect(e1.details).toEqual({ field: 'leadDeptId' });
    await callError(core, 'tasks.create', { title: 'x', coopDeptIds: [MISSING_ID] }, 'BAD_INPUT');
    await callError(core, 'tasks.create', { title: 'x', indicatorIds: [MISSING_ID] }, 'BAD_INPUT');
    await callError(
      core,
      'tasks.update',
      { id: tasks.a.id, patch: { leadDeptId: MISSING_ID, title: 'y' } },
      'BAD_INPUT',
    );
    expect(writeCounts(core)).toEqual(counts);
    expect((await call(core, 'tasks.get', { id: tasks.a.id })).title).toBe(tasks.a.title);
  });
});

describe('tasks.list filters', () => {
  it('deptIds matches the lead OR a cooperating department', async () => {
    const { core, depts } = await smallWorkspace();
    expect(titles(await call(core, 'tasks.list', { deptIds: [depts.fgw.id] }))).toEqual(
      ['编制社会信用体系建设工作要点', '双公示数据7个工作日内上报'].sort(),
    );
    expect(titles(await call(core, 'tasks.list', { deptIds: [depts.town.id] }))).toEqual(
      ['信用承诺书签订', '镇级信用信息归集'].sort(),
    );
    expect((await call(core, 'tasks.list', { deptIds: [depts.fgw.id, depts.town.id] })).total).toBe(4);
    expect((await call(core, 'tasks.list', { deptIds: [] })).total).toBe(5);
    expect((await call(core, 'tasks.list', { deptIds: [MISSING_ID] })).total).toBe(0);
  });

  it('statuses, due range and their combination with departments', async () => {
    const { core, depts } = await smallWorkspace();
    expect(titles(await call(core, 'tasks.list', { statuses: ['done', 'issued'] }))).toEqual(
      ['编制社会信用体系建设工作要点', '镇级信用信息归集'].sort(),
    );
    expect(titles(await call(core, 'tasks.list', { dueFrom: '2027-02-01', dueTo: '2027-06-30' }))).toEqual(
      ['双公示数据7个工作日内上报', '镇级信用信息归集'].sort(),
    );
    // a due range never matches tasks without a due date
    expect(titles(await call(core, 'tasks.list', { dueFrom: '2000-01-01' }))).not.toContain('信用承诺书签订');
    expect(titles(await call(core, 'tasks.list', { dueTo: '2027-01-31' }))).toEqual([
      '编制社会信用体系建设工作要点',
    ]);
    expect(
      titles(await call(core, 'tasks.list', { deptIds: [depts.scj.id], statuses: ['handling'] })),
    ).toEqual(['双公示数据7个工作日内上报']);
  });

  it('search covers title, code, standard, description and department names', async () => {
    const { core } = await smallWorkspace();
    const search = async (s: string) => titles(await call(core, 'tasks.list', { search: s }));
    expect(await search('双公')).toEqual(['双公示数据7个工作日内上报']);
    expect(await search('RW-001')).toEqual(['编制社会信用体系建设工作要点']);
    expect(await search('X-9')).toEqual(['无牵头单位的任务']);
    expect(await search('新设立企业')).toEqual(['信用承诺书签订']); // standard
    expect(await search('按月')).toEqual(['镇级信用信息归集']); // description
    expect(await search('市场监督管理局')).toEqual(['信用承诺书签订', '双公示数据7个工作日内上报'].sort()); // lead name
    expect(await search('市发改委')).toEqual(['编制社会信用体系建设工作要点']); // lead short name
    expect(await search('嘉积')).toEqual(['镇级信用信息归集']);
    expect(await search('不存在的词')).toEqual([]);
  });

  it('search treats % and _ literally', async () => {
    const { core } = await smallWorkspace();
    // only task b has a % (in its standard "上报及时率100%"); unescaped, % and _ would match all five
    expect(titles(await call(core, 'tasks.list', { search: '%' }))).toEqual(['双公示数据7个工作日内上报']);
    expect((await call(core, 'tasks.list', { search: '_' })).total).toBe(0);
    await call(core, 'tasks.create', { title: '完成率100%的任务' });
    await call(core, 'tasks.create', { title: '完成率1000的任务' });
    expect(titles(await call(core, 'tasks.list', { search: '100%的' }))).toEqual(['完成率100%的任务']);
    await call(core, 'tasks.create', { title: 'snake_case' });
    await call(core, 'tasks.create', { title: 'snakeXcase' });
    expect(titles(await call(core, 'tasks.list', { search: 'e_c' }))).toEqual(['snake_case']);
  });

  it('indicatorId, and the two-character search 双公 on the template', async () => {
    const { core } = await coreWithWorkspace();
    const inds = await call(core, 'indicators.list', {});
    const b03 = inds.find((i) => i.code === '基础-03')!;
    const byInd = await call(core, 'tasks.list', { indicatorId: b03.id });
    expect(byInd.total).toBe(b03.taskCount);
    expect(byInd.total).toBeGreaterThan(0);
    expect(byInd.rows.every((t) => t.indicatorIds.includes(b03.id))).toBe(true);

    const shuang = await call(core, 'tasks.list', { search: '双公' });
    expect(shuang.total).toBeGreaterThanOrEqual(2);
    for (const t of shuang.rows) {
      expect(`${t.title}${t.code}${t.standard ?? ''}${t.description ?? ''}${t.leadDeptName ?? ''}`).toContain(
        '双公',
      );
    }
    const all = await call(core, 'tasks.list', {});
    const expected = all.rows.filter((t) =>
      `${t.title}${t.code}${t.standard ?? ''}${t.description ?? ''}`.includes('双公'),
    );
    expect(shuang.rows.map((t) => t.id).sort()).toEqual(expected.map((t) => t.id).sort());
  });

  it('results are ordered by due date (none last), and limit truncates with the right total', async () => {
    const { core } = await smallWorkspace();
    const all = await call(core, 'tasks.list', {});
    const dues = all.rows.map((t) => t.dueDate);
    expect(dues).toEqual(['2027-01-31', '2027-03-31', '2027-06-30', null, null]);
    const two = await call(core, 'tasks.list', { limit: 2 });
    expect(two).toMatchObject({ total: 5, truncated: true });
    expect(two.rows.map((t) => t.id)).toEqual(all.rows.slice(0, 2).map((t) => t.id));
    expect(await call(core, 'tasks.list', { limit: 5 })).toMatchObject({ total: 5, truncated: false });
  });

  it('deleted tasks are not listed', async () => {
    const { core, tasks } = await smallWorkspace();
    await call(core, 'tasks.delete', { id: tasks.b.id });
    expect(titles(await call(core, 'tasks.list', { search: '双公' }))).toEqual([]);
    expect((await call(core, 'tasks.list', {})).total).toBe(4);
  });
});

describe('task links', () => {
  async function linkRows(core: Core, table: 'task_departments' | 'task_indicators', taskId: string) {
    return core.workspace!.db.prepare(`SELECT * FROM ${table} WHERE task_id = ? ORDER BY id`).all(taskId) as {
      id: string;
      deleted: number;
    }[];
  }

  it('coopDeptIds are replaced, removed and re-added (reviving the same link row)', async () => {
    const { core, tasks, depts } = await smallWorkspace();
    const id = tasks.b.id; // lead scj, coop [fgw]
    let t = await call(core, 'tasks.update', { id, patch: { coopDeptIds: [depts.town.id] } });
    expect(t.coopDeptIds).toEqual([depts.town.id]);
    t = await call(core, 'tasks.update', { id, patch: { coopDeptIds: [] } });
    expect(t.coopDeptIds).toEqual([]);
    t = await call(core, 'tasks.update', { id, patch: { coopDeptIds: [depts.fgw.id, depts.town.id] } });
    expect([...t.coopDeptIds].sort()).toEqual([depts.fgw.id, depts.town.id].sort());
    // two link rows in all, both alive: re-adding revived them instead of inserting duplicates
    const rows = await linkRows(core, 'task_departments', id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.deleted === 0)).toBe(true);
    const audit = await call(core, 'audit.list', { entityId: id });
    expect(audit.filter((a) => a.entity === 'task_department').map((a) => a.op)).toEqual(
      expect.arrayContaining(['create', 'delete', 'restore']),
    );
    // the department filter follows the links
    expect((await call(core, 'tasks.list', { deptIds: [depts.town.id] })).rows.map((x) => x.id)).toContain(
      id,
    );
  });

  it('the lead department is never also a cooperating one', async () => {
    const { core, depts } = await smallWorkspace();
    const t = await call(core, 'tasks.create', {
      title: 'x',
      leadDeptId: depts.fgw.id,
      coopDeptIds: [depts.fgw.id, depts.scj.id],
    });
    expect(t.coopDeptIds).toEqual([depts.scj.id]);
    // making a cooperating department the lead drops it from the cooperating list
    const u = await call(core, 'tasks.update', { id: t.id, patch: { leadDeptId: depts.scj.id } });
    expect(u.leadDeptId).toBe(depts.scj.id);
    expect(u.coopDeptIds).toEqual([]);
  });

  it('indicatorIds are replaced, removed and re-added', async () => {
    const { core } = await coreWithWorkspace();
    const inds = await call(core, 'indicators.list', {});
    const [i1, i2, i3] = [inds[0]!.id, inds[1]!.id, inds[2]!.id];
    const t = await call(core, 'tasks.create', { title: '关联指标', indicatorIds: [i1, i2] });
    expect([...t.indicatorIds].sort()).toEqual([i1, i2].sort());
    expect(
      (await call(core, 'tasks.update', { id: t.id, patch: { indicatorIds: [i3] } })).indicatorIds,
    ).toEqual([i3]);
    expect(
      (await call(core, 'tasks.update', { id: t.id, patch: { indicatorIds: [] } })).indicatorIds,
    ).toEqual([]);
    const back = await call(core, 'tasks.update', { id: t.id, patch: { indicatorIds: [i1, i3] } });
    expect([...back.indicatorIds].sort()).toEqual([i1, i3].sort());
    expect(await linkRows(core, 'task_indicators', t.id)).toHaveLength(3);
    expect((await call(core, 'tasks.list', { indicatorId: i2 })).rows.map((x) => x.id)).not.toContain(t.id);
    expect((await call(core, 'tasks.list', { indicatorId: i3 })).rows.map((x) => x.id)).toContain(t.id);
    // a patch without link fields leaves the links alone
    const same = await call(core, 'tasks.update', { id: t.id, patch: { title: '只改名' } });
    expect([...same.indicatorIds].sort()).toEqual([i1, i3].sort());
  });
});

describe('departments', () => {
  it('create, update, list with task counts and search', async () => {
    const { core, depts, tasks } = await smallWorkspace();
    const list = await call(core, 'departments.list', {});
    expect(list.map((d) => d.name)).toEqual(['市发展和改革委员会', '市市场监督管理局', '嘉积镇人民政府']);
    const scj = list.find((d) => d.id === depts.scj.id)!;
    expect(scj).toMatchObject({
      shortName: '市场监管局',
      aliases: ['市监局'],
      kind: 'department',
      role: 'responsible',
      taskCount: 2,
      openTaskCount: 2,
    });
    expect(list.find((d) => d.id === depts.town.id)).toMatchObject({
      kind: 'town',
      role: 'cooperating',
      taskCount: 1,
      openTaskCount: 0,
    });
    void tasks;

    const updated = await call(core, 'departments.update', {
      id: depts.town.id,
      patch: { contact: '王五', phone: '0898-12345678' },
    });
    expect(updated).toMatchObject({
      name: '嘉积镇人民政府',
      contact: '王五',
      phone: '0898-12345678',
      kind: 'town',
    });
    expect((await call(core, 'departments.list', { search: '市监局' })).map((d) => d.id)).toEqual([
      depts.scj.id,
    ]);
    expect((await call(core, 'departments.list', { search: '嘉积' })).map((d) => d.id)).toEqual([
      depts.town.id,
    ]);
    await callError(core, 'departments.update', { id: MISSING_ID, patch: { contact: 'x' } }, 'NOT_FOUND');
  });

  it('a duplicate name is refused with CONFLICT (create and rename), nothing written', async () => {
    const { core, depts } = await smallWorkspace();
    const counts = writeCounts(core);
    const e = await callError(core, 'departments.create', { name: '市发展和改革委员会' }, 'CONFLICT');
    expect(e.message).toContain('已有名为「市发展和改革委员会」的单位');
    await callError(core, 'departments.create', { name: '  市发展和改革委员会 ' }, 'CONFLICT');
    await callError(
      core,
      'departments.update',
      { id: depts.scj.id, patch: { name: '市发展和改革委员会' } },
      'CONFLICT',
    );
    expect(writeCounts(core)).toEqual(counts);
    // renaming to its own name is fine
    expect(
      (await call(core, 'departments.update', { id: depts.fgw.id, patch: { name: '市发展和改革委员会' } }))
        .name,
    ).toBe('市发展和改革委员会');
  });

  it('archive hides from the default list, unarchive brings back; tasks keep their lead', async () => {
    const { core, depts, tasks } = await smallWorkspace();
    const archived = await call(core, 'departments.archive', { id: depts.town.id, archived: true });
    expect(archived.archived).toBe(true);
    expect((await call(core, 'departments.list', {})).map((d) => d.id)).not.toContain(depts.town.id);
    const withArchived = await call(core, 'departments.list', { includeArchived: true });
    expect(withArchived.map((d) => d.id)).toContain(depts.town.id);
    expect(withArchived[withArchived.length - 1]!.id).toBe(depts.town.id); // archived ones last
    expect((await call(core, 'tasks.get', { id: tasks.c.id })).leadDeptName).toBe('嘉积镇人民政府');
    const summary = (await call(core, 'app.info', {})).workspace!;
    expect(summary.counts.departments).toBe(2);
    // an archived unit cannot be newly chosen, but a task that already has it can still be edited
    const refused = await callError(
      core,
      'tasks.create',
      { title: '新任务', leadDeptId: depts.town.id },
      'BAD_INPUT',
    );
    expect(refused.message).toContain('已归档');
    await callError(
      core,
      'tasks.update',
      { id: tasks.a.id, patch: { coopDeptIds: [depts.town.id] } },
      'BAD_INPUT',
    );
    expect(
      (
        await call(core, 'tasks.update', {
          id: tasks.c.id,
          patch: { leadDeptId: depts.town.id, title: '改名' },
        })
      ).title,
    ).toBe('改名');

    const back = await call(core, 'departments.archive', { id: depts.town.id, archived: false });
    expect(back.archived).toBe(false);
    expect((await call(core, 'departments.list', {})).map((d) => d.id)).toContain(depts.town.id);
    const audit = await call(core, 'audit.list', { entityId: depts.town.id });
    expect(audit.filter((a) => a.field === 'archived').map((a) => [a.oldValue, a.newValue])).toEqual([
      [true, false],
      [false, true],
      [null, false],
    ]);
    expect(audit.find((a) => a.field === 'archived')!.fieldLabel).toBe('已归档');
  });
});

it('the template workspace: the filter by one department returns lead and cooperating tasks', async () => {
  const { core } = await coreWithWorkspace();
  const depts: Department[] = await call(core, 'departments.list', {});
  const all = (await call(core, 'tasks.list', {})).rows;
  for (const d of depts.slice(0, 10)) {
    const got = (await call(core, 'tasks.list', { deptIds: [d.id] })).rows.map((t) => t.id).sort();
    const want = all
      .filter((t) => t.leadDeptId === d.id || t.coopDeptIds.includes(d.id))
      .map((t) => t.id)
      .sort();
    expect(got, d.name).toEqual(want);
  }
});
