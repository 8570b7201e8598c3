/**
 * Client sync against the reference server in process: sign in, push and pull records, a second
 * and third laptop joining the workspace, last-writer-wins conflicts kept and listed, an edit
 * after a delete bringing the record back, the mass-deletion guard, concurrent document edits of
 * three laptops, attachments uploaded and downloaded lazily, and the errors a user sees.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docToJson, plainText, replaceDocContent } from '../../main/core/docs/pm';
import { call, callError, coreWithWorkspace, isChinese, tempDir, wsOf, type TestCore } from '../helpers/core';
import { joinCore, startSyncServer, type TestServer } from '../helpers/sync';
import type { Core } from '../../main/core/core';

let srv: TestServer;
beforeAll(async () => {
  srv = await startSyncServer(fs.mkdtempSync(path.join(tempDirRoot(), 'cwb-srv-')));
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(srv.dataDir, { recursive: true, force: true });
});

function tempDirRoot(): string {
  return fs.realpathSync(process.env.TMPDIR ?? '/tmp');
}

let users = 0;
async function firstLaptop(name = `李明${++users}`): Promise<{ t: TestCore; token: string; userId: string }> {
  const u = srv.user(name);
  const t = await coreWithWorkspace();
  await call(t.core, 'sync.configure', { serverUrl: srv.url, token: u.token });
  await call(t.core, 'sync.now', {});
  return { t, token: u.token, userId: u.id };
}

async function taskTitle(core: Core, id: string): Promise<string> {
  return (await call(core, 'tasks.get', { id })).title;
}

async function docText(core: Core, docId: string): Promise<string> {
  const { json } = await call(core, 'docs.json', { docId });
  return plainText(json);
}

/** Types `text` at the end of the document, as the editor would (one Yjs update). */
async function appendParagraph(core: Core, docId: string, text: string): Promise<void> {
  const loaded = await call(core, 'docs.load', { docId });
  const d = new Y.Doc();
  Y.applyUpdate(d, Buffer.from(loaded.update, 'base64'));
  const json = docToJson(d);
  const before = Y.encodeStateVector(d);
  replaceDocContent(d, {
    ...json,
    content: [...(json.content ?? []), { type: 'paragraph', content: [{ type: 'text', text }] }],
  });
  const update = Y.encodeStateAsUpdate(d, before);
  d.destroy();
  await call(core, 'docs.push', { docId, update: Buffer.from(update).toString('base64') });
}

describe('sync with the central platform', () => {
  it('signs in, pushes the workspace, and a new laptop joins it with every record', async () => {
    const { t: a, token } = await firstLaptop();
    const st = await call(a.core, 'sync.status', {});
    expect(st.state).toBe('idle');
    expect(st.user?.name).toMatch(/^李明/);
    expect(st.pending.changes).toBe(0);
    expect(st.lastSyncAt).not.toBeNull();

    const b = await joinCore(srv.url, token, wsOf(a.core).id);
    const tables = ['tasks', 'departments', 'indicators', 'staff', 'task_departments', 'indicator_evidence'];
    for (const table of tables) {
      const rows = (core: Core) =>
        wsOf(core).db.prepare(`SELECT * FROM ${table} ORDER BY id`).all() as Record<string, unknown>[];
      const strip = (r: Record<string, unknown>) => ({ ...r, created_at: 0, updated_at: 0 });
      expect(rows(b.core).map(strip), table).toEqual(rows(a.core).map(strip));
    }
    expect((await call(b.core, 'workspace.settings', {})).name).toBe('测试工作区');

    // B edits, A creates; both sync: each sees the other's work
    const tasks = await call(a.core, 'tasks.list', {});
    const t0 = tasks.rows[0]!;
    await call(b.core, 'tasks.update', { id: t0.id, patch: { title: '笔记本B改的标题' } });
    const created = await call(a.core, 'tasks.create', { title: '笔记本A新建的任务', dueDate: '2027-09-30' });
    await call(b.core, 'sync.now', {});
    const ra = await call(a.core, 'sync.now', {});
    expect(ra.pushed).toBeGreaterThan(0);
    expect(ra.pulled).toBeGreaterThan(0);
    await call(b.core, 'sync.now', {});
    expect(await taskTitle(a.core, t0.id)).toBe('笔记本B改的标题');
    expect(await taskTitle(b.core, created.id)).toBe('笔记本A新建的任务');
    // the pulled change is in the audit trail with the author on the other laptop
    const remote = wsOf(a.core)
      .db.prepare(
        "SELECT origin, applied FROM changes WHERE entity_id = ? AND field = 'title' ORDER BY id DESC",
      )
      .get(t0.id) as { origin: string; applied: number };
    expect(remote).toEqual({ origin: 'remote', applied: 1 });

    // re-pulling everything again applies nothing twice
    wsOf(a.core).db.prepare('UPDATE sync_state SET pull_cursor = 0').run();
    const before = (wsOf(a.core).db.prepare('SELECT COUNT(*) n FROM changes').get() as { n: number }).n;
    const again = await call(a.core, 'sync.now', {});
    expect(again.pulled).toBeGreaterThan(0);
    expect((wsOf(a.core).db.prepare('SELECT COUNT(*) n FROM changes').get() as { n: number }).n).toBe(before);
  });

  it('concurrent edits of one field: the later stamp wins everywhere, the other value is kept and listed', async () => {
    const { t: a, token } = await firstLaptop();
    const b = await joinCore(srv.url, token, wsOf(a.core).id);
    const id = (await call(a.core, 'tasks.list', {})).rows[0]!.id;
    await call(a.core, 'tasks.update', { id, patch: { title: '甲的标题' } });
    await new Promise((r) => setTimeout(r, 5));
    await call(b.core, 'tasks.update', { id, patch: { title: '乙的标题（较晚）' } });
    await call(a.core, 'sync.now', {});
    await call(b.core, 'sync.now', {});
    const ra = await call(a.core, 'sync.now', {});
    expect(ra.pulled).toBeGreaterThan(0);
    expect(await taskTitle(a.core, id)).toBe('乙的标题（较晚）');
    expect(await taskTitle(b.core, id)).toBe('乙的标题（较晚）');
    // A's value lost on both laptops and stays visible
    for (const core of [a.core, b.core]) {
      const conflicts = await call(core, 'sync.conflicts', {});
      const c = conflicts.find((x) => x.entityId === id && x.field === 'title');
      expect(c, JSON.stringify(conflicts)).toBeDefined();
      expect(c).toMatchObject({
        entityLabel: '任务',
        fieldLabel: '任务名称',
        lost: '甲的标题',
        won: '乙的标题（较晚）',
      });
      // named by its code and current title, not by an id
      expect(c!.entityName).toMatch(/^RW-\d+ 乙的标题（较晚）$/);
    }
  });

  it('a run can be cancelled: it stops with CANCELLED, nothing is marked failed, the next run finishes', async () => {
    const { t: a } = await firstLaptop();
    expect(await call(a.core, 'sync.cancel', {})).toEqual({ cancelled: false });
    const id = (await call(a.core, 'tasks.list', {})).rows[0]!.id;
    await call(a.core, 'tasks.update', { id, patch: { progress: 64 } });
    const events: string[] = [];
    const off = a.core.on('job.progress', (p) => {
      if (p.kind === 'sync') events.push(p.state);
    });
    const run = a.core.invoke('sync.now', {});
    expect(await call(a.core, 'sync.cancel', {})).toEqual({ cancelled: true });
    const r = await run;
    off();
    expect(r.ok ? 'finished' : r.error.code).toBe('CANCELLED');
    expect(r.ok ? '' : r.error.message).toMatch(/已取消同步/);
    expect(events.at(-1)).toBe('cancelled');
    const st = await call(a.core, 'sync.status', {});
    expect(st.error).toBeNull();
    expect(st.pending.changes).toBeGreaterThan(0);
    const again = await call(a.core, 'sync.now', {});
    expect(again.pushed).toBeGreaterThan(0);
    expect(again.status.pending.changes).toBe(0);
  });

  it('an edit after a delete brings the record back on both laptops (revived)', async () => {
    const { t: a, token } = await firstLaptop();
    const b = await joinCore(srv.url, token, wsOf(a.core).id);
    const id = (await call(a.core, 'tasks.list', {})).rows[1]!.id;
    await call(a.core, 'tasks.delete', { id });
    await new Promise((r) => setTimeout(r, 5));
    await call(b.core, 'tasks.update', { id, patch: { title: '删除之后的修改' } });
    await call(a.core, 'sync.now', {});
    await call(b.core, 'sync.now', {});
    const ra = await call(a.core, 'sync.now', {});
    expect(ra.revived).toBe(1);
    for (const core of [a.core, b.core]) expect(await taskTitle(core, id)).toBe('删除之后的修改');

    // a later delete wins: removed on both
    await call(b.core, 'tasks.delete', { id });
    await call(b.core, 'sync.now', {});
    await call(a.core, 'sync.now', {});
    for (const core of [a.core, b.core]) await callError(core, 'tasks.get', { id }, 'NOT_FOUND');
  });

  it('a pull deleting most of the workspace stops before writing until confirmed', async () => {
    const { t: a, token } = await firstLaptop();
    const b = await joinCore(srv.url, token, wsOf(a.core).id);
    const ids = (await call(b.core, 'tasks.list', {})).rows.map((t) => t.id);
    const wb = wsOf(b.core);
    // B deletes every task and department (a script gone wrong)
    wb.writer.transact(wb.actor(), (tx) => {
      for (const id of ids) tx.remove('task', id);
      for (const r of wb.db.prepare('SELECT id FROM departments').all() as { id: string }[])
        tx.remove('department', r.id);
      for (const r of wb.db.prepare('SELECT id FROM task_departments').all() as { id: string }[])
        tx.remove('task_department', r.id);
      for (const r of wb.db.prepare('SELECT id FROM indicator_evidence').all() as { id: string }[])
        tx.remove('indicator_evidence', r.id);
    });
    await call(b.core, 'sync.now', {});
    const live = (await call(a.core, 'tasks.list', {})).total;
    const e = await callError(a.core, 'sync.now', {}, 'CONFLICT');
    expect(isChinese(e.message)).toBe(true);
    expect(e.message).toMatch(/超过一半/);
    const st = await call(a.core, 'sync.status', {});
    expect(st.massDelete?.deletes).toBeGreaterThan(20);
    expect(st.state).toBe('error');
    expect((await call(a.core, 'tasks.list', {})).total).toBe(live);
    const ok = await call(a.core, 'sync.now', { allowMassDelete: true });
    expect(ok.status.massDelete).toBeNull();
    expect((await call(a.core, 'tasks.list', {})).total).toBe(0);
  });

  it('three laptops edit the same material offline: every edit survives', async () => {
    const { t: a, token } = await firstLaptop();
    const m = await call(a.core, 'materials.create', {
      title: '实施方案',
      type: 'implementation_plan',
      templateId: null,
      tags: [],
      indicatorIds: [],
      taskIds: [],
    });
    await appendParagraph(a.core, m.id, '共同的开头。');
    await call(a.core, 'sync.now', {});
    const b = await joinCore(srv.url, token, wsOf(a.core).id);
    const c = await joinCore(srv.url, token, wsOf(a.core).id);
    expect(await docText(b.core, m.id)).toContain('共同的开头。');
    await appendParagraph(a.core, m.id, '甲写的一段。');
    await appendParagraph(b.core, m.id, '乙写的一段。');
    await appendParagraph(c.core, m.id, '丙写的一段。');
    for (let round = 0; round < 2; round++)
      for (const core of [a.core, b.core, c.core]) await call(core, 'sync.now', {});
    const texts = await Promise.all([a, b, c].map((x) => docText(x.core, m.id)));
    for (const text of texts) {
      for (const s of ['共同的开头。', '甲写的一段。', '乙写的一段。', '丙写的一段。'])
        expect(text).toContain(s);
    }
    expect(texts[1]).toBe(texts[0]);
    expect(texts[2]).toBe(texts[0]);
    expect((await call(a.core, 'sync.status', {})).pending.docs).toBe(0);
  });

  it('attachments upload on their own queue and download when opened, hash checked', async () => {
    const { t: a, token } = await firstLaptop();
    const task = (await call(a.core, 'tasks.list', {})).rows[0]!;
    const file = path.join(tempDir(), '佐证材料.pdf');
    const content = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(300_000, 7)]);
    fs.writeFileSync(file, content);
    const att = await call(a.core, 'attachments.add', {
      ownerType: 'task',
      ownerId: task.id,
      file: { path: file, name: '佐证材料.pdf' },
    });
    expect((await call(a.core, 'sync.status', {})).pending.blobs).toBeGreaterThan(0);
    const r = await call(a.core, 'sync.now', {});
    expect(r.blobsUp).toBeGreaterThan(0);
    expect(r.status.pending.blobs).toBe(0);

    const b = await joinCore(srv.url, token, wsOf(a.core).id);
    const read = await call(b.core, 'attachments.read', { id: att.id });
    expect(Buffer.from(read.base64, 'base64').equals(content)).toBe(true);
  });

  it('wrong token, a user without access, an unreachable server: clear Chinese errors, nothing lost', async () => {
    const t = await coreWithWorkspace();
    const e1 = await callError(
      t.core,
      'sync.configure',
      { serverUrl: srv.url, token: 'cwb_wrong-token-123' },
      'UNAUTHORIZED',
    );
    expect(e1.message).toMatch(/令牌/);
    // said once: the server's words, not a second copy of ours
    expect(e1.message.match(/重新登录/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect((await call(t.core, 'sync.status', {})).state).toBe('unconfigured');

    // a member of another workspace signing in on A's laptop: A's workspace is not theirs
    const { t: a } = await firstLaptop();
    const other = srv.user('外人');
    const e2 = await callError(
      a.core,
      'sync.configure',
      { serverUrl: srv.url, token: other.token },
      'UNAUTHORIZED',
    );
    expect(e2.message).toMatch(/没有该工作区的权限/);

    // A's server goes away: the run fails as offline, the local change stays pending
    const id = (await call(a.core, 'tasks.list', {})).rows[0]!.id;
    await call(a.core, 'tasks.update', { id, patch: { progress: 42 } });
    wsOf(a.core).db.prepare("UPDATE sync_state SET server_url = 'http://127.0.0.1:9'").run();
    const e3 = await callError(a.core, 'sync.now', {}, 'IO_ERROR');
    expect(e3.message).toMatch(/保持离线/);
    const st = await call(a.core, 'sync.status', {});
    expect(st.state).toBe('offline');
    expect(st.pending.changes).toBeGreaterThan(0);
    expect(st.error?.message).toMatch(/稍后自动重试/);

    // a server speaking another protocol version
    const http = await import('node:http');
    const fake = http.createServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, version: '9.0.0', protocol: 99, time: Date.now() }));
    });
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const port = (fake.address() as { port: number }).port;
    try {
      const e4 = await callError(
        t.core,
        'sync.configure',
        { serverUrl: `http://127.0.0.1:${port}`, token: 'cwb_some-token-123' },
        'UNSUPPORTED',
      );
      expect(e4.message).toMatch(/服务器版本不兼容/);
    } finally {
      fake.close();
    }
  });
});
