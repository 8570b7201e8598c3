/**
 * Writer.applyRemote: per-field last-writer-wins of pulled changes, in one transaction, through the
 * write path (it owns the change rows). Stamps include node ids and compare as strings.
 */
import { describe, expect, it } from 'vitest';
import type { RemoteChange } from '../../main/core/records/writer';
import { format } from '../../main/core/util/hlc';
import { call, callError, coreWithEmptyWorkspace, wsOf } from '../helpers/core';

function remote(
  partial: Partial<RemoteChange> & Pick<RemoteChange, 'entityId' | 'field' | 'value' | 'stamp'>,
): RemoteChange {
  return {
    txId: `tx-${partial.stamp}`,
    entity: 'task',
    op: 'update',
    at: '2027-03-01T00:00:00.000Z',
    actorId: null,
    actorName: '王芳',
    ...partial,
  };
}

const stampAt = (ms: number, node = 'remote1', counter = 0) => format(ms, counter, node);

async function setup() {
  const t = await coreWithEmptyWorkspace();
  const task = await call(t.core, 'tasks.create', { title: '原标题', dueDate: '2027-06-30' });
  const ws = wsOf(t.core);
  const stampOf = (field: string) =>
    (
      ws.db
        .prepare('SELECT MAX(stamp) AS s FROM changes WHERE entity_id = ? AND field = ? AND applied = 1')
        .get(task.id, field) as { s: string }
    ).s;
  return { ...t, ws, task, stampOf };
}

describe('applying pulled changes (last-writer-wins per field)', () => {
  it('a newer remote value is written and logged with its remote stamp; the local value stays in history', async () => {
    const { core, ws, task, stampOf } = await setup();
    const local = stampOf('title');
    const newer = stampAt(Date.now() + 60_000);
    const r = ws.writer.applyRemote([
      remote({ entityId: task.id, field: 'title', value: '"远端标题"', stamp: newer }),
    ]);
    expect(r).toMatchObject({ applied: 1, lost: 0, overwritten: 1, entities: ['task'] });
    expect((await call(core, 'tasks.get', { id: task.id })).title).toBe('远端标题');
    const rows = ws.db
      .prepare(
        "SELECT origin, applied, stamp, old_value, new_value FROM changes WHERE entity_id = ? AND field = 'title' ORDER BY id",
      )
      .all(task.id);
    expect(rows).toEqual([
      { origin: 'local', applied: 0, stamp: local, old_value: null, new_value: '"原标题"' },
      { origin: 'remote', applied: 1, stamp: newer, old_value: '"原标题"', new_value: '"远端标题"' },
    ]);
    // the clock moved past the remote stamp: the next local write is newer still
    await call(core, 'tasks.update', { id: task.id, patch: { title: '本机再改' } });
    expect(stampOf('title') > newer).toBe(true);
    // the overwritten local value is listed with the value that won
    const listed = await call(core, 'sync.conflicts', {});
    expect(listed[0]).toMatchObject({
      entityLabel: '任务',
      fieldLabel: '任务名称',
      lost: '原标题',
      won: '本机再改',
    });
  });

  it('an older remote value is kept with applied = 0, listed as a conflict, and the row is unchanged', async () => {
    const { core, ws, task } = await setup();
    const older = stampAt(Date.now() - 3_600_000);
    const r = ws.writer.applyRemote([
      remote({ entityId: task.id, field: 'title', value: '"旧的远端标题"', stamp: older }),
    ]);
    expect(r).toMatchObject({ applied: 0, lost: 1 });
    expect((await call(core, 'tasks.get', { id: task.id })).title).toBe('原标题');
    const c = await call(core, 'sync.conflicts', {});
    expect(c).toHaveLength(1);
    expect(c[0]).toMatchObject({
      entity: 'task',
      field: 'title',
      lost: '旧的远端标题',
      won: '原标题',
      lostBy: '王芳',
    });
  });

  it('the same page pulled twice changes nothing the second time', async () => {
    const { ws, task } = await setup();
    const page = [
      remote({ entityId: task.id, field: 'title', value: '"甲"', stamp: stampAt(Date.now() + 1000) }),
      remote({
        entityId: task.id,
        field: 'progress',
        value: '30',
        stamp: stampAt(Date.now() + 1000, 'remote1', 1),
      }),
    ];
    ws.writer.applyRemote(page);
    const count = () => (ws.db.prepare('SELECT COUNT(*) AS n FROM changes').get() as { n: number }).n;
    const n = count();
    const again = ws.writer.applyRemote(page);
    expect(again).toMatchObject({ applied: 0, lost: 0, duplicates: 2 });
    expect(count()).toBe(n);
  });

  it('equal milliseconds are ordered by counter and node id (as strings); no two stamps are equal', async () => {
    const { core, ws, task } = await setup();
    const ms = Date.now() + 5000;
    ws.writer.applyRemote([
      remote({ entityId: task.id, field: 'title', value: '"节点b"', stamp: stampAt(ms, 'bbbb') }),
      remote({ entityId: task.id, field: 'title', value: '"节点a"', stamp: stampAt(ms, 'aaaa') }),
    ]);
    expect((await call(core, 'tasks.get', { id: task.id })).title).toBe('节点b');
  });

  it('delete versus a later edit: the record comes back (revived); a later delete removes it', async () => {
    const { core, ws, task } = await setup();
    await call(core, 'tasks.delete', { id: task.id });
    const r = ws.writer.applyRemote([
      remote({
        entityId: task.id,
        field: 'title',
        value: '"删除后的修改"',
        stamp: stampAt(Date.now() + 10_000),
      }),
    ]);
    expect(r.revived).toBe(1);
    expect((await call(core, 'tasks.get', { id: task.id })).title).toBe('删除后的修改');

    // a delete older than that edit does not take effect (the same on every laptop)
    const r2 = ws.writer.applyRemote([
      remote({
        entityId: task.id,
        field: 'deleted',
        value: 'true',
        op: 'delete',
        stamp: stampAt(Date.now() + 5_000, 'z'),
      }),
    ]);
    expect(r2.deleted).toBe(0);
    await call(core, 'tasks.get', { id: task.id });

    const r3 = ws.writer.applyRemote([
      remote({
        entityId: task.id,
        field: 'deleted',
        value: 'true',
        op: 'delete',
        stamp: stampAt(Date.now() + 20_000),
      }),
    ]);
    expect(r3.deleted).toBe(1);
    await callError(core, 'tasks.get', { id: task.id }, 'NOT_FOUND');
  });

  it('a record created elsewhere is inserted with all its fields, references in any order', async () => {
    const { core, ws } = await setup();
    const dept = (await call(core, 'departments.create', { name: '市发改委', kind: 'department' })).id;
    const s = (i: number) => stampAt(Date.now() + 1000, 'n2', i);
    const taskId = '01900000-0000-7000-8000-000000000001';
    const linkId = '01900000-0000-7000-8000-000000000002';
    const tx = { txId: 'tx-new', op: 'create' as const };
    const r = ws.writer.applyRemote([
      // the link row first: foreign keys are checked at commit
      remote({
        ...tx,
        entity: 'task_department',
        entityId: linkId,
        field: 'task_id',
        value: JSON.stringify(taskId),
        stamp: s(1),
      }),
      remote({
        ...tx,
        entity: 'task_department',
        entityId: linkId,
        field: 'dept_id',
        value: JSON.stringify(dept),
        stamp: s(2),
      }),
      remote({ ...tx, entityId: taskId, field: 'title', value: '"远端新任务"', stamp: s(3) }),
      remote({ ...tx, entityId: taskId, field: 'code', value: '"R-1"', stamp: s(9) }),
      remote({ ...tx, entityId: taskId, field: 'status', value: '"draft"', stamp: s(4) }),
      remote({ ...tx, entityId: taskId, field: 'priority', value: '"normal"', stamp: s(5) }),
      remote({ ...tx, entityId: taskId, field: 'kind', value: '"task"', stamp: s(6) }),
      remote({ ...tx, entityId: taskId, field: 'progress', value: '0', stamp: s(7) }),
      remote({ ...tx, entityId: taskId, field: 'recurrence', value: '"none"', stamp: s(8) }),
    ]);
    expect(r.applied).toBe(9);
    const got = await call(core, 'tasks.get', { id: taskId });
    expect(got.title).toBe('远端新任务');
    expect(
      ws.db.prepare('SELECT task_id, dept_id, deleted FROM task_departments WHERE id = ?').get(linkId),
    ).toEqual({
      task_id: taskId,
      dept_id: dept,
      deleted: 0,
    });
  });

  it('a stamp more than 30 minutes ahead is refused with a message, and nothing of the page is written', async () => {
    const { core, ws, task } = await setup();
    const count = () => (ws.db.prepare('SELECT COUNT(*) AS n FROM changes').get() as { n: number }).n;
    const n = count();
    expect(() =>
      ws.writer.applyRemote([
        remote({ entityId: task.id, field: 'progress', value: '10', stamp: stampAt(Date.now() + 1000) }),
        remote({
          entityId: task.id,
          field: 'title',
          value: '"未来"',
          stamp: stampAt(Date.now() + 45 * 60_000),
        }),
      ]),
    ).toThrow(/系统时间/);
    expect(count()).toBe(n);
    expect((await call(core, 'tasks.get', { id: task.id })).progress).toBe(0);
  });
});
