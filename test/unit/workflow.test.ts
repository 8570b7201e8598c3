/** Supervision workflow, recurrence, traffic lights and feedback — with a fake clock. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TASK_STATUSES } from '../../main/core/contract/labels';
import type { Task, TaskStatus } from '../../main/core/contract/index';
import { TRANSITIONS, type TaskAction } from '../../main/core/tasks/workflow';
import { periodOf, periodsBetween, periodFromKey } from '../../main/core/tasks/periods';
import { fakeClock, noon, type FakeClock } from '../helpers/clock';
import { call, callError, countRows, makeCore, tempDir, wsOf } from '../helpers/core';
import type { Core } from '../../main/core/core';

async function setup(
  start = '2027-03-10',
): Promise<{ core: Core; clock: FakeClock; deptId: string; dept2: string }> {
  const clock = fakeClock(noon(start));
  const { core } = makeCore({ clock: clock.now });
  await call(core, 'workspace.create', {
    name: '督办测试',
    templateId: 'qionghai',
    startMonth: start.slice(0, 7),
    me: { name: '李明', role: '项目负责人' },
  });
  const depts = await call(core, 'departments.list', {});
  return { core, clock, deptId: depts[0]!.id, dept2: depts[1]!.id };
}

async function newTask(
  core: Core,
  deptId: string,
  extra: Partial<Parameters<typeof call<'tasks.create'>>[2]> = {},
): Promise<Task> {
  return call(core, 'tasks.create', {
    title: '测试任务',
    leadDeptId: deptId,
    dueDate: '2027-03-31',
    ...extra,
  });
}

const walk: [TaskAction, TaskStatus][] = [
  ['issue', 'issued'],
  ['sign', 'signed'],
  ['start', 'handling'],
  ['report', 'feedback'],
  ['approve', 'done'],
];

describe('workflow', () => {
  it('takes a task 下发 → 签收 → 办理 → 反馈 → 复核 → 办结, recording who and when', async () => {
    const { core, clock, deptId } = await setup();
    const t = await newTask(core, deptId);
    expect(t.status).toBe('draft');
    for (const [action, status] of walk) {
      clock.advanceDays(1);
      const r = await call(core, 'tasks.transition', {
        ids: [t.id],
        action,
        note: action === 'report' ? '已完成并报送' : undefined,
      });
      expect(r.tasks[0]!.status).toBe(status);
    }
    const done = await call(core, 'tasks.get', { id: t.id });
    expect(done.progress).toBe(100);
    expect(done.doneAt).toBe(clock.now().toISOString());
    const steps = await call(core, 'tasks.steps', { taskId: t.id });
    expect(steps.map((s) => [s.action, s.fromStatus, s.toStatus])).toEqual([
      ['issue', 'draft', 'issued'],
      ['sign', 'issued', 'signed'],
      ['start', 'signed', 'handling'],
      ['report', 'handling', 'feedback'],
      ['approve', 'feedback', 'done'],
    ]);
    expect(new Set(steps.map((s) => s.actorName))).toEqual(new Set(['李明']));
    expect(steps[0]!.at < steps[4]!.at).toBe(true);
    // 反馈 with a note left a feedback entry
    expect((await call(core, 'feedback.list', { taskId: t.id })).map((f) => f.text)).toEqual([
      '已完成并报送',
    ]);
    // the audit trail has the status changes
    const audit = await call(core, 'audit.list', { entityId: t.id });
    expect(audit.filter((a) => a.entity === 'task' && a.field === 'status' && a.op === 'update').length).toBe(
      5,
    );
  });

  it('退回 needs a reason and sends the task back to 办理', async () => {
    const { core, deptId } = await setup();
    const t = await newTask(core, deptId);
    for (const [action] of walk.slice(0, 4)) await call(core, 'tasks.transition', { ids: [t.id], action });
    const e = await callError(core, 'tasks.transition', { ids: [t.id], action: 'return' }, 'BAD_INPUT');
    expect(e.message).toContain('原因');
    expect((await call(core, 'tasks.get', { id: t.id })).status).toBe('feedback');
    const r = await call(core, 'tasks.transition', {
      ids: [t.id],
      action: 'return',
      note: '佐证材料不全，缺签到表',
    });
    expect(r.tasks[0]!.status).toBe('handling');
    const steps = await call(core, 'tasks.steps', { taskId: t.id });
    expect(steps.at(-1)).toMatchObject({ action: 'return', note: '佐证材料不全，缺签到表' });
  });

  it('refuses every transition not in the table, with a Chinese message, writing nothing', async () => {
    const { core, deptId } = await setup();
    const byStatus = new Map<TaskStatus, Task>();
    // one task in each status
    for (let i = 0; i < TASK_STATUSES.length; i++) {
      const t = await newTask(core, deptId, { title: `状态${i}` });
      for (const [action] of walk.slice(0, i)) await call(core, 'tasks.transition', { ids: [t.id], action });
      byStatus.set(TASK_STATUSES[i]!, await call(core, 'tasks.get', { id: t.id }));
    }
    let refused = 0;
    for (const [status, task] of byStatus) {
      for (const action of Object.keys(TRANSITIONS) as TaskAction[]) {
        if (TRANSITIONS[action].from.includes(status)) continue;
        const before = countRows(core, 'changes');
        const e = await callError(
          core,
          'tasks.transition',
          { ids: [task.id], action, note: '原因' },
          'CONFLICT',
        );
        expect(e.message).toMatch(/当前为「.+」，不能/);
        expect(countRows(core, 'changes')).toBe(before);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(25);
  });

  it('bulk 下发 issues many tasks in one transaction, or none if one cannot be issued', async () => {
    const { core, deptId, dept2 } = await setup();
    const a = await newTask(core, deptId, { title: '甲' });
    const b = await newTask(core, dept2, { title: '乙' });
    const c = await newTask(core, dept2, { title: '丙', issue: true });
    const before = countRows(core, 'changes');
    const e = await callError(
      core,
      'tasks.transition',
      { ids: [a.id, b.id, c.id], action: 'issue' },
      'CONFLICT',
    );
    expect(e.message).toContain(c.code);
    expect(countRows(core, 'changes')).toBe(before);
    const r = await call(core, 'tasks.transition', { ids: [a.id, b.id], action: 'issue' });
    expect(r.tasks.map((t) => t.status)).toEqual(['issued', 'issued']);
    const txs = new Set(
      wsOf(core)
        .db.prepare("SELECT tx_id FROM changes WHERE entity = 'task_step'")
        .all()
        .map((x) => (x as { tx_id: string }).tx_id),
    );
    expect(txs.size).toBe(2); // c's issue at create + one for the bulk
  });

  it('dispatches one task to several departments, one issued copy each', async () => {
    const { core, deptId, dept2 } = await setup();
    const t = await newTask(core, deptId, { title: '开展诚信宣传' });
    const r = await call(core, 'tasks.dispatch', { id: t.id, deptIds: [deptId, dept2] });
    expect(r.tasks).toHaveLength(2);
    expect(r.tasks.map((x) => [x.leadDeptId, x.status, x.parentId, x.title])).toEqual([
      [deptId, 'issued', t.id, '开展诚信宣传'],
      [dept2, 'issued', t.id, '开展诚信宣传'],
    ]);
    expect(r.tasks.map((x) => x.code)).toEqual([`${t.code}-01`, `${t.code}-02`]);
  });

  it('the status cannot be changed by a plain update', async () => {
    const { core, deptId } = await setup();
    const t = await newTask(core, deptId);
    const r = await core.invoke('tasks.update', { id: t.id, patch: { status: 'done' } as never });
    // unknown keys are dropped by the schema: the status stays
    expect(r.ok).toBe(true);
    expect((await call(core, 'tasks.get', { id: t.id })).status).toBe('draft');
  });
});

describe('periods', () => {
  it('computes weeks, months and quarters across year ends and leap years', () => {
    expect(periodOf('weekly', '2027-01-01')).toMatchObject({
      key: '2026-W53',
      start: '2026-12-28',
      end: '2027-01-03',
      due: '2027-01-01',
    });
    expect(periodOf('weekly', '2027-01-04').key).toBe('2027-W01');
    expect(periodOf('monthly', '2028-02-15')).toMatchObject({
      key: '2028-02',
      end: '2028-02-29',
      label: '2028年2月',
    });
    expect(periodOf('monthly', '2027-02-15').end).toBe('2027-02-28');
    expect(periodOf('monthly', '2100-02-01').end).toBe('2100-02-28'); // not a leap year
    expect(periodOf('quarterly', '2027-11-30')).toMatchObject({
      key: '2027-Q4',
      start: '2027-10-01',
      end: '2027-12-31',
      label: '2027年第四季度',
    });
    expect(periodsBetween('monthly', '2027-01-31', '2027-04-01').map((p) => p.due)).toEqual([
      '2027-01-31',
      '2027-02-28',
      '2027-03-31',
      '2027-04-30',
    ]);
    expect(periodFromKey('2027-W05')?.start).toBe('2027-02-01');
    expect(periodFromKey('2027-W54')).toBeNull();
    expect(periodFromKey('2027-13')).toBeNull();
    // every ISO week of 2020–2030 has 7 days and weeks are contiguous
    const weeks = periodsBetween('weekly', '2020-01-01', '2030-12-31');
    for (let i = 1; i < weeks.length; i++) expect(weeks[i]!.start > weeks[i - 1]!.end).toBe(true);
    expect(weeks.filter((w) => w.key.endsWith('W53')).map((w) => w.key)).toEqual(['2020-W53', '2026-W53']);
  });
});

describe('recurrence', () => {
  it('a monthly series produces one instance per month, across month ends and a leap February', async () => {
    const { core, clock, deptId } = await setup('2027-11-15');
    const s = await call(core, 'tasks.create', {
      title: '双公示数据报送',
      leadDeptId: deptId,
      recurrence: 'monthly',
      recurStart: '2027-11-01',
      issue: true,
    });
    expect(s.kind).toBe('series');
    const inst = async () =>
      (await call(core, 'tasks.list', { seriesId: s.id })).rows.map((t) => [t.period, t.dueDate, t.status]);
    expect(await inst()).toEqual([['2027-11', '2027-11-30', 'issued']]);
    clock.set(noon('2028-03-01'));
    expect(await inst()).toEqual([
      ['2027-11', '2027-11-30', 'issued'],
      ['2027-12', '2027-12-31', 'issued'],
      ['2028-01', '2028-01-31', 'issued'],
      ['2028-02', '2028-02-29', 'issued'],
      ['2028-03', '2028-03-31', 'issued'],
    ]);
    // each instance has its own status
    const feb = (await call(core, 'tasks.list', { seriesId: s.id })).rows.find(
      (t) => t.period === '2028-02',
    )!;
    await call(core, 'tasks.transition', { ids: [feb.id], action: 'sign' });
    expect(
      (await call(core, 'tasks.list', { seriesId: s.id })).rows.filter((t) => t.status === 'signed'),
    ).toHaveLength(1);
    expect(feb.title).toBe('双公示数据报送（2028年2月）');
  });

  it('weekly and quarterly series, an end date, and instances identical across laptops', async () => {
    const { core, clock, deptId } = await setup('2027-12-20');
    const w = await call(core, 'tasks.create', {
      title: '每周调度',
      leadDeptId: deptId,
      recurrence: 'weekly',
      recurStart: '2027-12-20',
      recurEnd: '2028-01-09',
      issue: true,
    });
    const q = await call(core, 'tasks.create', {
      title: '预警监测排名分析报告',
      leadDeptId: deptId,
      recurrence: 'quarterly',
      issue: true,
    });
    clock.set(noon('2028-04-02'));
    const weekly = (await call(core, 'tasks.list', { seriesId: w.id })).rows;
    expect(weekly.map((t) => [t.period, t.dueDate])).toEqual([
      ['2027-W51', '2027-12-24'],
      ['2027-W52', '2027-12-31'],
      ['2028-W01', '2028-01-07'],
    ]);
    const quarterly = (await call(core, 'tasks.list', { seriesId: q.id })).rows;
    expect(quarterly.map((t) => [t.period, t.dueDate])).toEqual([
      ['2027-Q4', '2027-12-31'],
      ['2028-Q1', '2028-03-31'],
      ['2028-Q2', '2028-06-30'],
    ]);
    // generating again creates nothing new; ids are derived from series + period
    const { instanceId } = await import('../../main/core/tasks/recurrence');
    expect(weekly[0]!.id).toBe(instanceId(w.id, '2027-W51'));
    const { generateInstances } = await import('../../main/core/tasks/recurrence');
    expect(generateInstances(wsOf(core), clock.today())).toBe(0);
  });

  it('a series that is not issued generates nothing; a deleted instance stays deleted', async () => {
    const { core, clock, deptId } = await setup('2027-03-10');
    const s = await call(core, 'tasks.create', {
      title: '月度自查',
      leadDeptId: deptId,
      recurrence: 'monthly',
    });
    clock.advanceDays(70);
    expect((await call(core, 'tasks.list', { seriesId: s.id })).total).toBe(0);
    await call(core, 'tasks.transition', { ids: [s.id], action: 'issue' });
    const rows = (await call(core, 'tasks.list', { seriesId: s.id })).rows;
    expect(rows.map((r) => r.period)).toEqual(['2027-05']); // from the month it was issued
    await call(core, 'tasks.delete', { id: rows[0]!.id });
    clock.advanceDays(1);
    expect((await call(core, 'tasks.list', { seriesId: s.id })).total).toBe(0);
    // series actions are refused on the series itself
    const e = await callError(core, 'tasks.transition', { ids: [s.id], action: 'sign' }, 'CONFLICT');
    expect(e.message).toContain('周期任务');
  });
});

describe('traffic lights', () => {
  it('green → yellow within 3 days → red when overdue; done is done; rules are configurable', async () => {
    const { core, clock, deptId } = await setup('2027-03-10');
    const t = await newTask(core, deptId, { dueDate: '2027-03-20', issue: true });
    const light = async () => {
      const x = await call(core, 'tasks.get', { id: t.id });
      return [x.light, x.lightReason];
    };
    expect(await light()).toEqual(['green', null]);
    clock.set(noon('2027-03-17'));
    expect(await light()).toEqual(['yellow', 'due_soon:3']);
    clock.set(noon('2027-03-20'));
    expect(await light()).toEqual(['yellow', 'due_soon:0']);
    clock.set(noon('2027-03-21'));
    expect(await light()).toEqual(['red', 'overdue:1']);
    // the same light in the list, the counts and the filter
    expect((await call(core, 'tasks.list', { lights: ['red'] })).rows.map((x) => x.id)).toContain(t.id);
    await call(core, 'lights.updateRules', { yellowDays: 7, staleDays: 30 });
    clock.set(noon('2027-03-14'));
    expect(await light()).toEqual(['yellow', 'due_soon:6']);
    for (const action of ['sign', 'start', 'report', 'approve'] as const) {
      await call(core, 'tasks.transition', { ids: [t.id], action });
    }
    clock.set(noon('2027-05-01'));
    expect(await light()).toEqual(['done', null]);
  });

  it('red when nothing has happened for 14 days; a feedback turns it green again', async () => {
    const { core, clock, deptId } = await setup('2027-03-01');
    const t = await newTask(core, deptId, { dueDate: '2027-06-30', issue: true });
    clock.set(noon('2027-03-14'));
    expect((await call(core, 'tasks.get', { id: t.id })).light).toBe('green');
    clock.set(noon('2027-03-15'));
    const stale = await call(core, 'tasks.get', { id: t.id });
    expect([stale.light, stale.lightReason]).toEqual(['red', 'stale:14']);
    await call(core, 'feedback.add', { taskId: t.id, text: '已召开部署会', progress: 30 });
    const after = await call(core, 'tasks.get', { id: t.id });
    expect([after.light, after.progress]).toEqual(['green', 30]);
    // a task waiting for review is not "stale"
    await call(core, 'tasks.transition', { ids: [t.id], action: 'sign' });
    await call(core, 'tasks.transition', { ids: [t.id], action: 'start' });
    await call(core, 'tasks.transition', { ids: [t.id], action: 'report' });
    clock.advanceDays(30);
    expect((await call(core, 'tasks.get', { id: t.id })).light).toBe('green');
  });

  it('draft tasks and series have no light', async () => {
    const { core, deptId } = await setup();
    const t = await newTask(core, deptId);
    const s = await call(core, 'tasks.create', {
      title: '周期',
      leadDeptId: deptId,
      recurrence: 'weekly',
      issue: true,
    });
    expect((await call(core, 'tasks.get', { id: t.id })).light).toBe('none');
    expect((await call(core, 'tasks.get', { id: s.id })).light).toBe('none');
  });
});

describe('feedback and evidence', () => {
  it('stores evidence by sha256, once, and counts it in backups', async () => {
    const { core, deptId } = await setup();
    const t = await newTask(core, deptId, { issue: true });
    const dir = tempDir();
    const photo = path.join(dir, '培训签到表.png');
    fs.writeFileSync(photo, Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    const copy = path.join(dir, '签到表-副本.png');
    fs.copyFileSync(photo, copy);
    const f = await call(core, 'feedback.add', {
      taskId: t.id,
      text: '培训已完成',
      progress: 80,
      files: [{ path: photo }, { path: copy }],
    });
    expect(f.attachments.map((a) => a.name)).toEqual(['培训签到表.png', '签到表-副本.png']);
    expect(f.attachments[0]!.sha256).toBe(f.attachments[1]!.sha256);
    expect(f.attachments[0]!.mime).toBe('image/png');
    const blobs = fs.readdirSync(path.join(wsOf(core).dir, 'blobs', f.attachments[0]!.sha256.slice(0, 2)));
    expect(blobs).toEqual([f.attachments[0]!.sha256]);
    const read = await call(core, 'attachments.read', { id: f.attachments[0]!.id });
    expect(Buffer.from(read.base64, 'base64')).toEqual(fs.readFileSync(photo));
    expect((await call(core, 'tasks.get', { id: t.id })).attachmentCount).toBe(2);
    const b = await call(core, 'workspace.backup', { file: path.join(dir, 'b.cwbak') });
    expect(b.blobs).toBe(1);
  });

  it('chunked uploads become attachments; an unreadable file gives a clear error and writes nothing', async () => {
    const { core, deptId } = await setup();
    const t = await newTask(core, deptId, { issue: true });
    const data = Buffer.alloc(5 * 1024 * 1024 + 17, 7);
    let up = await call(core, 'attachments.upload', {
      uploadId: null,
      data: data.subarray(0, 4 * 1024 * 1024).toString('base64'),
    });
    up = await call(core, 'attachments.upload', {
      uploadId: up.uploadId,
      data: data.subarray(4 * 1024 * 1024).toString('base64'),
    });
    expect(up.size).toBe(data.length);
    const a = await call(core, 'attachments.add', {
      ownerType: 'task',
      ownerId: t.id,
      file: { uploadId: up.uploadId, name: '整改报告.pdf' },
    });
    expect([a.name, a.size, a.mime]).toEqual(['整改报告.pdf', data.length, 'application/pdf']);
    const before = countRows(core, 'changes');
    const e = await callError(
      core,
      'feedback.add',
      { taskId: t.id, text: 'x', files: [{ path: path.join(tempDir(), '不存在.pdf') }] },
      'NOT_FOUND',
    );
    expect(e.message).toContain('不存在.pdf');
    expect(countRows(core, 'changes')).toBe(before);
    // feedback is refused on tasks not issued or done
    const draft = await newTask(core, deptId);
    await callError(core, 'feedback.add', { taskId: draft.id, text: 'x' }, 'CONFLICT');
  });
});
