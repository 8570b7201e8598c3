/**
 * THE write path (records/writer.ts): row + one `changes` row per field (audit and clock stamp),
 * in one transaction.
 */
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import type { Actor } from '../../main/core/records/writer';
import { AppError } from '../../main/core/util/errors';
import { parse } from '../../main/core/util/hlc';
import { call, coreWithEmptyWorkspace, coreWithWorkspace, countRows, wsOf } from '../helpers/core';

interface ChangeRow {
  id: number;
  tx_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string;
  entity: string;
  entity_id: string;
  op: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  stamp: string;
  origin: string;
  applied: number;
}

const ACTOR: Actor = { id: 'actor-1', name: '测试员' };
const FIXED = new Date('2027-03-04T05:06:07.089Z');

function changesOf(core: Core, entityId?: string): ChangeRow[] {
  const db = wsOf(core).db;
  return (
    entityId
      ? db.prepare('SELECT * FROM changes WHERE entity_id = ? ORDER BY id').all(entityId)
      : db.prepare('SELECT * FROM changes ORDER BY id').all()
  ) as ChangeRow[];
}

function maxChangeId(core: Core): number {
  return (wsOf(core).db.prepare('SELECT COALESCE(MAX(id), 0) AS m FROM changes').get() as { m: number }).m;
}

function changesAfter(core: Core, id: number): ChangeRow[] {
  return wsOf(core).db.prepare('SELECT * FROM changes WHERE id > ? ORDER BY id').all(id) as ChangeRow[];
}

function taskRow(core: Core, id: string): Record<string, unknown> | undefined {
  return wsOf(core).db.prepare('SELECT * FROM tasks WHERE id = ?').get(id) as
    Record<string, unknown> | undefined;
}

function insertTask(core: Core, values: Record<string, unknown> = {}): string {
  return wsOf(core).writer.transact(ACTOR, (tx) =>
    tx.insert('task', {
      code: 'T-1',
      title: '原名称',
      status: 'draft',
      progress: 10,
      description: null,
      ...values,
    }),
  ).value;
}

describe('insert', () => {
  it('writes the row and one changes row per field: actor, tx id, op create, old null → new', async () => {
    const { core } = await coreWithEmptyWorkspace({ clock: () => FIXED });
    const start = maxChangeId(core);
    const {
      value: id,
      entities,
      txId,
    } = wsOf(core).writer.transact(ACTOR, (tx) =>
      tx.insert('task', {
        code: 'T-1',
        title: '原名称',
        status: 'draft',
        progress: 10,
        description: null,
        standard: undefined,
      }),
    );
    expect(entities).toEqual(['task']);
    expect(taskRow(core, id)).toMatchObject({
      code: 'T-1',
      title: '原名称',
      status: 'draft',
      progress: 10,
      description: null,
      standard: null,
      deleted: 0,
      created_at: FIXED.toISOString(),
      updated_at: FIXED.toISOString(),
    });
    const rows = changesAfter(core, start);
    // undefined fields are not written; null ones are
    expect(rows.map((r) => r.field)).toEqual(['code', 'title', 'status', 'progress', 'description']);
    for (const r of rows) {
      expect(r).toMatchObject({
        tx_id: txId,
        at: FIXED.toISOString(),
        actor_id: 'actor-1',
        actor_name: '测试员',
        entity: 'task',
        entity_id: id,
        op: 'create',
        old_value: null,
        origin: 'local',
        applied: 1,
      });
    }
    expect(rows.map((r) => r.new_value)).toEqual(['"T-1"', '"原名称"', '"draft"', '10', 'null']);
  });

  it('stores booleans as 0/1 and JSON fields as JSON, and logs their JS values', async () => {
    const { core } = await coreWithEmptyWorkspace();
    const start = maxChangeId(core);
    const { value: id } = wsOf(core).writer.transact(ACTOR, (tx) =>
      tx.insert('department', {
        name: '市发展和改革委员会',
        aliases: ['发改委', '市发改委'],
        archived: true,
      }),
    );
    expect(wsOf(core).db.prepare('SELECT aliases, archived FROM departments WHERE id = ?').get(id)).toEqual({
      aliases: '["发改委","市发改委"]',
      archived: 1,
    });
    const byField = Object.fromEntries(changesAfter(core, start).map((r) => [r.field, r.new_value]));
    expect(byField).toEqual({
      name: '"市发展和改革委员会"',
      aliases: '["发改委","市发改委"]',
      archived: 'true',
    });
  });

  it('uses a UUIDv7 id unless one is given', async () => {
    const { core } = await coreWithEmptyWorkspace();
    const id = insertTask(core);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const given = '01900000-0000-7000-8000-0000000000aa';
    expect(
      wsOf(core).writer.transact(ACTOR, (tx) => tx.insert('task', { code: 'x', title: 'y' }, given)).value,
    ).toBe(given);
    expect(taskRow(core, given)).toBeDefined();
  });
});

describe('update', () => {
  it('writes only the fields that changed, with old → new, and bumps updated_at', async () => {
    let now = new Date('2027-01-01T00:00:00.000Z');
    const { core } = await coreWithEmptyWorkspace({ clock: () => now });
    const id = insertTask(core);
    const start = maxChangeId(core);
    now = new Date('2027-01-02T00:00:00.000Z');
    const { value: changed, txId } = wsOf(core).writer.transact(ACTOR, (tx) =>
      tx.update('task', id, { title: '新名称', status: 'draft', progress: 40, code: undefined }),
    );
    expect(changed).toEqual(['title', 'progress']);
    const rows = changesAfter(core, start);
    expect(rows.map((r) => [r.op, r.field, r.old_value, r.new_value, r.tx_id])).toEqual([
      ['update', 'title', '"原名称"', '"新名称"', txId],
      ['update', 'progress', '10', '40', txId],
    ]);
    expect(taskRow(core, id)).toMatchObject({
      title: '新名称',
      progress: 40,
      code: 'T-1',
      created_at: '2027-01-01T00:00:00.000Z',
      updated_at: '2027-01-02T00:00:00.000Z',
    });
  });

  it('setting a value to null records old → null', async () => {
    const { core } = await coreWithEmptyWorkspace();
    const id = insertTask(core, { description: '说明' });
    const start = maxChangeId(core);
    wsOf(core).writer.transact(ACTOR, (tx) => tx.update('task', id, { description: null }));
    expect(changesAfter(core, start).map((r) => [r.field, r.old_value, r.new_value])).toEqual([
      ['description', '"说明"', 'null'],
    ]);
    expect(taskRow(core, id)!.description).toBeNull();
  });

  it('a no-op update writes nothing: no changes row, same updated_at, no commit event', async () => {
    let now = new Date('2027-01-01T00:00:00.000Z');
    const { core } = await coreWithEmptyWorkspace({ clock: () => now });
    const id = insertTask(core);
    const events: unknown[] = [];
    core.on('records.changed', (p) => events.push(p));
    const start = maxChangeId(core);
    now = new Date('2027-05-05T00:00:00.000Z');
    const r = wsOf(core).writer.transact(ACTOR, (tx) =>
      tx.update('task', id, { title: '原名称', progress: 10, status: 'draft' }),
    );
    expect(r.value).toEqual([]);
    expect(r.entities).toEqual([]);
    expect(changesAfter(core, start)).toEqual([]);
    expect(taskRow(core, id)!.updated_at).toBe('2027-01-01T00:00:00.000Z');
    expect(events).toEqual([]);
  });

  it('refuses unknown fields and direct changes of deleted, writing nothing', async () => {
    const { core } = await coreWithEmptyWorkspace();
    const id = insertTask(core);
    const start = maxChangeId(core);
    const w = wsOf(core).writer;
    expect(() => w.transact(ACTOR, (tx) => tx.update('task', id, { title: 'x', bogus: 1 } as never))).toThrow(
      /unknown field task.bogus/,
    );
    expect(() => w.transact(ACTOR, (tx) => tx.update('task', id, { deleted: true } as never))).toThrow(
      /remove\/restore/,
    );
    expect(() => w.transact(ACTOR, (tx) => tx.insert('task', { title: 'x', id: 'y' } as never))).toThrow(
      /unknown field/,
    );
    expect(changesAfter(core, start)).toEqual([]);
    expect(taskRow(core, id)!.title).toBe('原名称');
  });

  it('updating a missing record throws NOT_FOUND with a Chinese message', async () => {
    const { core } = await coreWithEmptyWorkspace();
    let err: unknown;
    try {
      wsOf(core).writer.transact(ACTOR, (tx) => tx.update('task', 'missing', { title: 'x' }));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe('NOT_FOUND');
    expect((err as AppError).message).toContain('任务不存在');
  });
});

describe('remove and restore', () => {
  it('write the deleted field (op delete / restore); repeating is a no-op', async () => {
    const { core } = await coreWithEmptyWorkspace();
    const id = insertTask(core);
    const w = wsOf(core).writer;
    const start = maxChangeId(core);
    expect(w.transact(ACTOR, (tx) => tx.remove('task', id)).value).toBe(true);
    expect(taskRow(core, id)!.deleted).toBe(1);
    expect(w.transact(ACTOR, (tx) => tx.remove('task', id)).value).toBe(false);
    expect(w.transact(ACTOR, (tx) => tx.restore('task', id)).value).toBe(true);
    expect(taskRow(core, id)!.deleted).toBe(0);
    expect(w.transact(ACTOR, (tx) => tx.restore('task', id)).value).toBe(false);
    expect(changesAfter(core, start).map((r) => [r.op, r.field, r.old_value, r.new_value])).toEqual([
      ['delete', 'deleted', 'false', 'true'],
      ['restore', 'deleted', 'true', 'false'],
    ]);
  });
});

describe('clock stamps', () => {
  it('every changes row has a stamp of this node, strictly increasing in write order', async () => {
    const { core } = await coreWithWorkspace();
    const ws = wsOf(core);
    const node = (ws.db.prepare("SELECT value FROM meta WHERE key = 'node_id'").get() as { value: string })
      .value;
    for (let i = 0; i < 20; i++) {
      const id = insertTask(core, { title: `任务${i}` });
      ws.writer.transact(ACTOR, (tx) => {
        tx.update('task', id, { progress: 50 });
        tx.remove('task', id);
      });
    }
    const rows = changesOf(core);
    expect(rows.length).toBeGreaterThan(500);
    for (let i = 1; i < rows.length; i++) {
      if (!(rows[i]!.stamp > rows[i - 1]!.stamp))
        throw new Error(`stamp not increasing at ${rows[i]!.id}: ${rows[i - 1]!.stamp} → ${rows[i]!.stamp}`);
    }
    for (const r of rows) expect(parse(r.stamp).node).toBe(node);
    expect(new Set(rows.map((r) => r.stamp)).size).toBe(rows.length);
  });
});

describe('atomicity', () => {
  it('a transaction that throws after some writes leaves neither the rows nor any changes row', async () => {
    const { core } = await coreWithWorkspace();
    const ws = wsOf(core);
    const dept = (await call(core, 'departments.list', {}))[0]!;
    const before = {
      tasks: countRows(core, 'tasks'),
      links: countRows(core, 'task_departments'),
      changes: countRows(core, 'changes'),
    };
    const events: unknown[] = [];
    core.on('records.changed', (p) => events.push(p));
    let taskId = '';
    expect(() =>
      ws.writer.transact(ACTOR, (tx) => {
        taskId = tx.insert('task', { code: 'X-1', title: '半途失败' });
        tx.insert('task_department', { task_id: taskId, dept_id: dept.id });
        tx.update('department', dept.id, { contact: '张三' });
        throw new Error('failed midway');
      }),
    ).toThrow('failed midway');
    expect(taskId).not.toBe('');
    expect(taskRow(core, taskId)).toBeUndefined();
    expect({
      tasks: countRows(core, 'tasks'),
      links: countRows(core, 'task_departments'),
      changes: countRows(core, 'changes'),
    }).toEqual(before);
    expect(changesOf(core, taskId)).toEqual([]);
    expect((await call(core, 'departments.list', {}))[0]!.contact).toBeNull();
    expect(events).toEqual([]);
    // and the writer still works afterwards
    expect(taskRow(core, insertTask(core))).toBeDefined();
  });

  it('an update that fails midway leaves the record as it was', async () => {
    const { core } = await coreWithEmptyWorkspace();
    const id = insertTask(core);
    const start = maxChangeId(core);
    expect(() =>
      wsOf(core).writer.transact(ACTOR, (tx) => {
        tx.update('task', id, { title: '改了一半' });
        tx.update('task', 'no-such-task', { title: 'x' });
      }),
    ).toThrow(AppError);
    expect(taskRow(core, id)!.title).toBe('原名称');
    expect(changesAfter(core, start)).toEqual([]);
  });

  it('a core command that fails midway (tasks.create, link insert fails) writes nothing', async () => {
    const { core } = await coreWithWorkspace();
    const ws = wsOf(core);
    const ind = (await call(core, 'indicators.list', {}))[0]!;
    const dept = (await call(core, 'departments.list', {}))[0]!;
    const before = {
      tasks: countRows(core, 'tasks'),
      changes: countRows(core, 'changes'),
      links: countRows(core, 'task_departments'),
    };
    // make the last step of the command (the indicator link) fail, after the task row,
    // the department link and their changes rows were written
    ws.db.exec(
      "CREATE TEMP TRIGGER fail_link BEFORE INSERT ON task_indicators BEGIN SELECT RAISE(ABORT, 'disk on fire'); END",
    );
    try {
      const r = await core.invoke('tasks.create', {
        title: '会失败的任务',
        leadDeptId: null,
        coopDeptIds: [dept.id],
        indicatorIds: [ind.id],
      });
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.message).toContain('disk on fire');
      expect({
        tasks: countRows(core, 'tasks'),
        changes: countRows(core, 'changes'),
        links: countRows(core, 'task_departments'),
      }).toEqual(before);
      expect(countRows(core, 'tasks', "title = '会失败的任务'")).toBe(0);

      // and the same for an update: the title change is rolled back with the failed link
      const task = (await call(core, 'tasks.list', {})).rows.find((t) => !t.indicatorIds.includes(ind.id))!;
      const r2 = await core.invoke('tasks.update', {
        id: task.id,
        patch: { title: '不应保存', indicatorIds: [...task.indicatorIds, ind.id] },
      });
      expect(r2.ok).toBe(false);
      expect((await call(core, 'tasks.get', { id: task.id })).title).toBe(task.title);
      expect(countRows(core, 'changes')).toBe(before.changes);
    } finally {
      ws.db.exec('DROP TRIGGER fail_link');
    }
    // with the fault gone, the same command works
    const ok = await call(core, 'tasks.create', {
      title: '会失败的任务',
      coopDeptIds: [dept.id],
      indicatorIds: [ind.id],
    });
    expect(ok.indicatorIds).toEqual([ind.id]);
  });
});

describe('audit through the core', () => {
  it('tasks.update records audit rows visible via audit.list, with Chinese labels and the actor 李明', async () => {
    const { core } = await coreWithWorkspace();
    const task = (await call(core, 'tasks.list', { limit: 1 })).rows[0]!;
    const depts = await call(core, 'departments.list', {});
    const newCoop = depts.find((d) => d.id !== task.leadDeptId && !task.coopDeptIds.includes(d.id))!;
    await call(core, 'tasks.update', {
      id: task.id,
      patch: { title: '调整后的任务名称', progress: 30, coopDeptIds: [...task.coopDeptIds, newCoop.id] },
    });
    const audit = await call(core, 'audit.list', { entityId: task.id });
    const title = audit.find((a) => a.field === 'title' && a.op === 'update')!;
    expect(title).toMatchObject({
      entity: 'task',
      entityLabel: '任务',
      entityId: task.id,
      fieldLabel: '任务名称',
      actorName: '李明',
      oldValue: task.title,
      newValue: '调整后的任务名称',
    });
    const progress = audit.find((a) => a.field === 'progress' && a.op === 'update')!;
    expect(progress).toMatchObject({ fieldLabel: '进度', oldValue: 0, newValue: 30, txId: title.txId });
    // the new cooperating-department link belongs to the task's history too
    const link = audit.find(
      (a) => a.entity === 'task_department' && a.field === 'dept_id' && a.newValue === newCoop.id,
    )!;
    expect(link).toMatchObject({
      entityLabel: '任务配合单位',
      fieldLabel: '配合单位',
      actorName: '李明',
      txId: title.txId,
    });
    // newest first; the creation from the template is there as well
    expect(audit[0]!.id).toBeGreaterThan(audit[audit.length - 1]!.id);
    expect(audit.some((a) => a.entityId === task.id && a.op === 'create' && a.field === 'title')).toBe(true);
    // nothing else in the list
    const linkIds = new Set(
      wsOf(core)
        .db.prepare(
          'SELECT id FROM task_departments WHERE task_id = ? UNION SELECT id FROM task_indicators WHERE task_id = ?',
        )
        .all(task.id, task.id)
        .map((r) => (r as { id: string }).id),
    );
    for (const a of audit) expect(a.entityId === task.id || linkIds.has(a.entityId)).toBe(true);
  });

  it('audit.list pages with beforeId and filters by entity', async () => {
    const { core } = await coreWithWorkspace();
    const first = await call(core, 'audit.list', { limit: 5 });
    expect(first).toHaveLength(5);
    const next = await call(core, 'audit.list', { limit: 5, beforeId: first[4]!.id });
    expect(next[0]!.id).toBe(first[4]!.id - 1);
    const ws = await call(core, 'audit.list', { entity: 'workspace', limit: 100 });
    expect(ws.length).toBeGreaterThan(0);
    expect(ws.every((a) => a.entity === 'workspace' && a.entityLabel === '工作区')).toBe(true);
  });
});
