/**
 * A new laptop joins through the contract (what the welcome page's 从中心平台下载工作区 calls):
 * sync.remoteWorkspaces lists what the token may download; sync.join downloads it into a new
 * folder, opens it with "me" set (the team member of that name, or a new member), keeps the
 * token so the next sync needs no sign-in, and a refused join (wrong token, not a member) says
 * why in Chinese and leaves no folder behind.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, coreWithWorkspace, isChinese, makeCore, wsOf } from '../helpers/core';
import { startSyncServer, type TestServer } from '../helpers/sync';

let srv: TestServer;
beforeAll(async () => {
  srv = await startSyncServer(fs.mkdtempSync(path.join(fs.realpathSync('/tmp'), 'cwb-srv-join-')));
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(srv.dataDir, { recursive: true, force: true });
});

let owners = 0;
async function laptopA() {
  const owner = srv.user(`李明${++owners}`);
  const a = await coreWithWorkspace();
  await call(a.core, 'sync.configure', { serverUrl: srv.url, token: owner.token });
  await call(a.core, 'sync.now', {});
  return { a, wsId: wsOf(a.core).id };
}

describe('sync.join: a new laptop downloads a workspace from the central platform', () => {
  it('lists the workspaces of the token, downloads one, opens it as me, and syncs on', async () => {
    const { a, wsId } = await laptopA();
    const wang = srv.user('王芳');
    const b = makeCore();
    // not a member yet: nothing to download
    expect(
      (await call(b.core, 'sync.remoteWorkspaces', { serverUrl: srv.url, token: wang.token })).workspaces,
    ).toEqual([]);
    srv.addMember(wsId, wang.id);
    const remote = await call(b.core, 'sync.remoteWorkspaces', {
      serverUrl: `${srv.url}/`,
      token: wang.token,
    });
    expect(remote.user.name).toBe('王芳');
    expect(remote.workspaces).toEqual([{ id: wsId, name: '测试工作区', role: 'member' }]);

    const summary = await call(b.core, 'sync.join', {
      serverUrl: srv.url,
      token: wang.token,
      workspaceId: wsId,
      me: { name: '王芳', role: '驻场顾问' },
    });
    // a new folder under the data folder, opened, with 王芳 (already on the team) as me
    expect(summary.dir.startsWith(path.join(b.dataDir, 'workspaces'))).toBe(true);
    expect(wsOf(b.core).id).toBe(wsId);
    expect(summary.me?.name).toBe('王芳');
    const staffA = await call(a.core, 'staff.list', {});
    const staffB = await call(b.core, 'staff.list', {});
    expect(staffB.staff.map((s) => s.name).sort()).toEqual(staffA.staff.map((s) => s.name).sort());
    // everything arrived
    const tasksA = await call(a.core, 'tasks.list', {});
    const tasksB = await call(b.core, 'tasks.list', {});
    expect(tasksB.total).toBe(tasksA.total);
    expect(tasksB.total).toBeGreaterThan(0);

    // signed in already: B's next edit goes up with sync.now, no second sign-in
    const st = await call(b.core, 'sync.status', {});
    expect(st.state).not.toBe('unconfigured');
    expect(st.user?.name).toBe('王芳');
    const task = tasksB.rows[0]!;
    await call(b.core, 'tasks.update', { id: task.id, patch: { title: '王芳在新电脑上改的标题' } });
    await call(b.core, 'sync.now', {});
    await call(a.core, 'sync.now', {});
    expect((await call(a.core, 'tasks.get', { id: task.id })).title).toBe('王芳在新电脑上改的标题');
    // the workspace is remembered like any other
    expect((await call(b.core, 'workspace.recent', {})).map((r) => r.dir)).toContain(summary.dir);
  });

  it('adds me to the team when the workspace has nobody of that name', async () => {
    const { wsId } = await laptopA();
    const zhao = srv.user('赵磊');
    srv.addMember(wsId, zhao.id);
    const b = makeCore();
    const dir = path.join(b.dataDir, '指定文件夹');
    const summary = await call(b.core, 'sync.join', {
      serverUrl: srv.url,
      token: zhao.token,
      workspaceId: wsId,
      me: { name: '赵磊', role: '数据专员' },
      dir,
    });
    expect(summary.dir).toBe(dir);
    expect(summary.me).toMatchObject({ name: '赵磊', role: '数据专员' });
    const names = (await call(b.core, 'staff.list', {})).staff.map((s) => s.name);
    expect(names.filter((n) => n === '赵磊')).toHaveLength(1);
  });

  it('refuses a wrong token and a workspace the user is not in, in words, leaving nothing behind', async () => {
    const { wsId } = await laptopA();
    const b = makeCore();
    const wrong = await callError(
      b.core,
      'sync.remoteWorkspaces',
      { serverUrl: srv.url, token: 'not-a-real-token-000' },
      'UNAUTHORIZED',
    );
    expect(isChinese(wrong.message)).toBe(true);
    expect(wrong.message).toMatch(/令牌/);

    const stranger = srv.user('外单位');
    const dir = path.join(b.dataDir, 'never');
    const refused = await callError(
      b.core,
      'sync.join',
      {
        serverUrl: srv.url,
        token: stranger.token,
        workspaceId: wsId,
        me: { name: '外单位', role: '驻场顾问' },
        dir,
      },
      'NOT_FOUND',
    );
    expect(refused.message).toContain('联系管理员');
    expect(fs.existsSync(dir)).toBe(false);
    expect(b.core.workspace).toBeNull();

    const bad = await callError(
      b.core,
      'sync.join',
      {
        serverUrl: 'ftp://x',
        token: stranger.token,
        workspaceId: wsId,
        me: { name: '外单位', role: '驻场顾问' },
      },
      'BAD_INPUT',
    );
    expect(bad.message).toContain('http');
  });
});
