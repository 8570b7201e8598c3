/** Workspaces through the core: create, settings, rename, staff and "me", reopen on start. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  call,
  callError,
  coreWithEmptyWorkspace,
  coreWithWorkspace,
  isChinese,
  makeCore,
  tempDir,
  writeCounts,
} from '../helpers/core';

describe('workspace.create', () => {
  it('from the template: summary with me, colleagues and counts; recorded as recent and last', async () => {
    const { core, dataDir } = await coreWithWorkspace();
    const info = await call(core, 'app.info', {});
    expect(info.runtime).toBe('test');
    expect(info.lastError).toBeNull();
    const s = info.workspace!;
    expect(s).toMatchObject({
      name: '测试工作区',
      city: '琼海市',
      me: { name: '李明', role: '项目负责人', active: true },
    });
    expect(s.dir).toBe(path.join(dataDir, 'workspaces', '测试工作区'));
    expect(fs.existsSync(path.join(s.dir, 'workspace.sqlite'))).toBe(true);
    expect(fs.existsSync(path.join(s.dir, 'blobs'))).toBe(true);
    const staff = await call(core, 'staff.list', {});
    expect(staff.staff.map((x) => `${x.name}/${x.role}`)).toEqual([
      '李明/项目负责人',
      '王芳/驻场顾问',
      '陈晨/数据专员',
    ]);
    expect(staff.meId).toBe(s.me!.id);
    const recent = await call(core, 'workspace.recent', {});
    expect(recent).toEqual([
      expect.objectContaining({ dir: s.dir, name: '测试工作区', city: '琼海市', exists: true }),
    ]);
    const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'app-state.json'), 'utf8')) as {
      last: string;
    };
    expect(state.last).toBe(s.dir);
  });

  it('without a template: the city is required; the workspace is empty apart from me', async () => {
    const { core } = makeCore();
    const me = { name: '李明', role: '项目负责人' as const };
    const e = await callError(core, 'workspace.create', { name: '空白', templateId: null, me }, 'BAD_INPUT');
    expect(e.message).toContain('城市');
    const s = await call(core, 'workspace.create', {
      name: '空白',
      templateId: null,
      city: '三亚市',
      adminCode: '460200',
      me,
    });
    expect(s.counts).toEqual({ departments: 0, tasks: 0, indicators: 0, staff: 1 });
    expect((await call(core, 'workspace.settings', {})).adminCode).toBe('460200');
  });

  it('two workspaces with the same name get separate folders; a folder with a workspace is refused', async () => {
    const { core } = makeCore();
    const me = { name: '李明', role: '项目负责人' as const };
    const a = await call(core, 'workspace.create', { name: '同名', templateId: null, city: '甲市', me });
    const b = await call(core, 'workspace.create', { name: '同名', templateId: null, city: '乙市', me });
    expect(b.dir).not.toBe(a.dir);
    expect(b.dir).toBe(`${a.dir}-2`);
    const e = await callError(
      core,
      'workspace.create',
      { name: '再来', templateId: null, city: '丙市', me, dir: a.dir },
      'CONFLICT',
    );
    expect(e.message).toContain('已经有一个工作区');
    // the existing workspace was not harmed
    await call(core, 'workspace.open', { dir: a.dir });
    expect((await call(core, 'workspace.settings', {})).city).toBe('甲市');
  });

  it('folder names are made safe from the workspace name', async () => {
    const { core, dataDir } = makeCore();
    const s = await call(core, 'workspace.create', {
      name: '../琼海:2027*?',
      templateId: null,
      city: '琼海市',
      me: { name: '李明', role: '项目负责人' },
    });
    expect(path.dirname(s.dir)).toBe(path.join(dataDir, 'workspaces'));
    expect(path.basename(s.dir)).not.toMatch(/[/\\:*?]/);
  });
});

describe('settings and rename', () => {
  it('workspace.updateSettings changes the given fields only and records them in the audit trail', async () => {
    const { core } = await coreWithWorkspace();
    const before = await call(core, 'workspace.settings', {});
    const after = await call(core, 'workspace.updateSettings', {
      city: '琼海市（测试）',
      adminCode: '469003',
      rankingTarget: 30,
      periodStart: '2027-02-01',
      periodEnd: '2028-01-31',
      indicatorVersion: '2021',
    });
    expect(after).toEqual({
      ...before,
      city: '琼海市（测试）',
      adminCode: '469003',
      rankingTarget: 30,
      periodStart: '2027-02-01',
      periodEnd: '2028-01-31',
    });
    expect(await call(core, 'workspace.settings', {})).toEqual(after);
    const audit = await call(core, 'audit.list', { entityId: before.id });
    const fields = audit.filter((a) => a.op === 'update').map((a) => a.fieldLabel);
    expect(fields.sort()).toEqual(['城市', '开始日期', '排名目标', '结束日期', '行政区划代码'].sort());
    expect(audit.find((a) => a.field === 'ranking_target' && a.op === 'update')).toMatchObject({
      oldValue: 50,
      newValue: 30,
      actorName: '李明',
    });
  });

  it('a period whose start is after its end is refused, whether both or one date is given', async () => {
    const { core } = await coreWithWorkspace();
    const before = await call(core, 'workspace.settings', {});
    const counts = writeCounts(core);
    const e1 = await callError(
      core,
      'workspace.updateSettings',
      { periodStart: '2028-01-01', periodEnd: '2027-01-01' },
      'BAD_INPUT',
    );
    expect(e1.message).toContain('开始日期不能晚于结束日期');
    // only the start, later than the stored end
    const e2 = await callError(core, 'workspace.updateSettings', { periodStart: '2030-01-01' }, 'BAD_INPUT');
    expect(e2.message).toContain('开始日期不能晚于结束日期');
    // only the end, earlier than the stored start
    await callError(core, 'workspace.updateSettings', { periodEnd: '2026-01-01' }, 'BAD_INPUT');
    await callError(core, 'workspace.updateSettings', { adminCode: '12345' }, 'BAD_INPUT');
    await callError(core, 'workspace.updateSettings', { rankingTarget: 0 }, 'BAD_INPUT');
    await callError(core, 'workspace.updateSettings', { name: '  ' }, 'BAD_INPUT');
    expect(await call(core, 'workspace.settings', {})).toEqual(before);
    expect(writeCounts(core)).toEqual(counts);
  });

  it('workspace.rename renames, updates recent, emits workspace.changed; an empty name is refused', async () => {
    const { core } = await coreWithWorkspace();
    const seen: (string | undefined)[] = [];
    core.on('workspace.changed', (p) => seen.push(p.workspace?.name));
    const s = await call(core, 'workspace.rename', { name: '  琼海创建2027  ' });
    expect(s.name).toBe('琼海创建2027');
    expect((await call(core, 'workspace.settings', {})).name).toBe('琼海创建2027');
    expect((await call(core, 'workspace.recent', {}))[0]!.name).toBe('琼海创建2027');
    expect(seen).toEqual(['琼海创建2027']);
    const e = await callError(core, 'workspace.rename', { name: '' }, 'BAD_INPUT');
    expect(e.message).toContain('请填写工作区名称');
    // the folder keeps its name: renaming is about the display name
    expect(path.basename(s.dir)).toBe('测试工作区');
  });
});

describe('staff and me', () => {
  it('create, update, list', async () => {
    const { core } = await coreWithWorkspace();
    const st = await call(core, 'staff.create', { name: '赵六', role: '协作顾问', phone: '13800000000' });
    expect(st).toMatchObject({
      name: '赵六',
      role: '协作顾问',
      phone: '13800000000',
      email: null,
      active: true,
    });
    const up = await call(core, 'staff.update', { id: st.id, patch: { role: '数据专员', active: false } });
    expect(up).toMatchObject({ name: '赵六', role: '数据专员', phone: '13800000000', active: false });
    expect((await call(core, 'staff.list', {})).staff.map((x) => x.name)).toContain('赵六');
    const e = await callError(core, 'staff.create', { name: '钱七', role: '老板' as never }, 'BAD_INPUT');
    expect(e.message).toContain('角色应为');
    await callError(
      core,
      'staff.update',
      { id: '01900000-0000-7000-8000-000000000000', patch: { name: 'x' } },
      'NOT_FOUND',
    );
  });

  it('setMe changes who "me" is, and the audit actor follows it', async () => {
    const { core } = await coreWithWorkspace();
    const { staff } = await call(core, 'staff.list', {});
    const wang = staff.find((x) => x.name === '王芳')!;
    const task = (await call(core, 'tasks.list', { limit: 1 })).rows[0]!;

    await call(core, 'tasks.update', { id: task.id, patch: { progress: 10 } });
    expect(await call(core, 'staff.setMe', { id: wang.id })).toEqual({ ok: true });
    expect((await call(core, 'staff.list', {})).meId).toBe(wang.id);
    expect((await call(core, 'app.info', {})).workspace!.me?.name).toBe('王芳');
    await call(core, 'tasks.update', { id: task.id, patch: { progress: 20 } });

    const audit = await call(core, 'audit.list', { entityId: task.id });
    const progress = audit.filter((a) => a.field === 'progress' && a.op === 'update');
    expect(progress.map((a) => [a.newValue, a.actorName])).toEqual([
      [20, '王芳'],
      [10, '李明'],
    ]);
    const actorIds = core
      .workspace!.db.prepare(
        "SELECT actor_id FROM changes WHERE entity_id = ? AND field = 'progress' ORDER BY id",
      )
      .all(task.id) as { actor_id: string }[];
    expect(actorIds.map((r) => r.actor_id).slice(-2)).toEqual([
      staff.find((x) => x.name === '李明')!.id,
      wang.id,
    ]);

    // renaming the staff member shows in later audit entries
    await call(core, 'staff.update', { id: wang.id, patch: { name: '王芳芳' } });
    await call(core, 'tasks.update', { id: task.id, patch: { progress: 30 } });
    expect((await call(core, 'audit.list', { entityId: task.id }))[0]!.actorName).toBe('王芳芳');

    await callError(core, 'staff.setMe', { id: '01900000-0000-7000-8000-000000000000' }, 'NOT_FOUND');
    expect((await call(core, 'staff.list', {})).meId).toBe(wang.id);
  });

  it('"me" is per laptop (meta) and survives reopening', async () => {
    const { core, dataDir } = await coreWithWorkspace();
    const wang = (await call(core, 'staff.list', {})).staff.find((x) => x.name === '王芳')!;
    await call(core, 'staff.setMe', { id: wang.id });
    core.close();
    const again = makeCore({ dataDir });
    expect((await call(again.core, 'app.info', {})).workspace!.me?.name).toBe('王芳');
  });
});

describe('reopening', () => {
  it('a new core on the same data folder reopens the last workspace, with its data', async () => {
    const { core, dataDir } = await coreWithWorkspace();
    const dept = await call(core, 'departments.create', { name: '新加的单位' });
    const task = await call(core, 'tasks.create', {
      title: '关闭前新增的任务',
      leadDeptId: dept.id,
      dueDate: '2027-08-31',
    });
    const id = core.workspace!.id;
    const dir = core.workspace!.dir;
    core.close();
    expect(core.workspace).toBeNull();
    // closing checkpoints: everything is in the database file itself
    const wal = path.join(dir, 'workspace.sqlite-wal');
    expect(fs.existsSync(wal) ? fs.statSync(wal).size : 0).toBe(0);

    const again = makeCore({ dataDir });
    expect(again.core.workspace?.id).toBe(id);
    const info = await call(again.core, 'app.info', {});
    expect(info.workspace?.id).toBe(id);
    expect(info.lastError).toBeNull();
    const got = await call(again.core, 'tasks.get', { id: task.id });
    expect(got).toMatchObject({
      title: '关闭前新增的任务',
      leadDeptName: '新加的单位',
      dueDate: '2027-08-31',
    });
  });

  it('openLast: false starts without a workspace', async () => {
    const { core, dataDir } = await coreWithWorkspace();
    core.close();
    const again = makeCore({ dataDir, openLast: false });
    expect(again.core.workspace).toBeNull();
    expect((await call(again.core, 'app.info', {})).workspace).toBeNull();
    expect((await call(again.core, 'workspace.recent', {})).length).toBe(1);
  });

  it('after workspace.close, the next start opens nothing', async () => {
    const { core, dataDir } = await coreWithWorkspace();
    await call(core, 'workspace.close', {});
    core.close();
    const again = makeCore({ dataDir });
    expect(again.core.workspace).toBeNull();
    expect((await call(again.core, 'workspace.recent', {})).length).toBe(1);
  });

  it('a last workspace deleted from disk: app.info has a Chinese lastError, no crash, recent says it is gone', async () => {
    const { core, dataDir } = await coreWithWorkspace();
    const dir = core.workspace!.dir;
    core.close();
    fs.rmSync(dir, { recursive: true });

    const again = makeCore({ dataDir });
    expect(again.core.workspace).toBeNull();
    const info = await call(again.core, 'app.info', {});
    expect(info.workspace).toBeNull();
    expect(info.lastError).toContain('上次使用的工作区未能打开');
    expect(isChinese(info.lastError!)).toBe(true);
    expect(await call(again.core, 'workspace.recent', {})).toEqual([
      expect.objectContaining({ dir, exists: false }),
    ]);
    await callError(again.core, 'tasks.list', {}, 'NO_WORKSPACE');
    // forgetting it and creating a new one works, and clears the error
    await call(again.core, 'workspace.forget', { dir });
    expect(await call(again.core, 'workspace.recent', {})).toEqual([]);
    await call(again.core, 'workspace.create', {
      name: '新的',
      templateId: null,
      city: '某市',
      me: { name: '李明', role: '项目负责人' },
    });
    expect((await call(again.core, 'app.info', {})).lastError).toBeNull();
  });

  it('a last workspace replaced by garbage: lastError, no crash', async () => {
    const { core, dataDir } = await coreWithEmptyWorkspace();
    const dir = core.workspace!.dir;
    core.close();
    for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true });
    fs.writeFileSync(path.join(dir, 'workspace.sqlite'), 'garbage');
    const again = makeCore({ dataDir });
    const info = await call(again.core, 'app.info', {});
    expect(info.workspace).toBeNull();
    expect(info.lastError).toMatch(/上次使用的工作区未能打开.*不是工作区数据库/);
  });

  it('a corrupt app-state.json is ignored (starts fresh), the workspaces are untouched', async () => {
    const { core, dataDir } = await coreWithEmptyWorkspace();
    const dir = core.workspace!.dir;
    core.close();
    fs.writeFileSync(path.join(dataDir, 'app-state.json'), '{ not json');
    const again = makeCore({ dataDir });
    expect(again.core.workspace).toBeNull();
    expect((await call(again.core, 'app.info', {})).lastError).toBeNull();
    expect((await call(again.core, 'workspace.open', { dir })).name).toBe('空白工作区');
  });

  it('opening the workspace that is already open returns it without reopening', async () => {
    const { core } = await coreWithWorkspace();
    const ws = core.workspace!;
    await call(core, 'workspace.open', { dir: ws.dir });
    expect(core.workspace).toBe(ws);
    expect(ws.isClosed).toBe(false);
  });

  it('switching workspaces closes the previous one', async () => {
    const { core } = await coreWithWorkspace();
    const first = core.workspace!;
    const other = path.join(tempDir(), 'other');
    await call(core, 'workspace.create', {
      name: '另一个',
      templateId: null,
      city: '某市',
      me: { name: '李明', role: '项目负责人' },
      dir: other,
    });
    expect(first.isClosed).toBe(true);
    expect(core.workspace!.dir).toBe(other);
    await call(core, 'workspace.open', { dir: first.dir });
    expect((await call(core, 'workspace.recent', {})).map((r) => r.dir)).toEqual([first.dir, other]);
  });
});
