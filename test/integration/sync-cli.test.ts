/**
 * The `sync` CLI against the reference server: login, run, status, clone on a second "laptop"
 * (its own data folder), and exit code 1 with the Chinese reason when the server is unreachable.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncRunResult, SyncStatus, WorkspaceSummary } from '../../main/core/contract/index';
import { cliHarness, cliWorkspace } from '../helpers/cli';
import { call } from '../helpers/core';
import { startSyncServer, type TestServer } from '../helpers/sync';
import type { z } from 'zod';

const w = cliWorkspace('cwb-sync-cli-', '琼海创建', { me: '李明' });
let srv: TestServer;
beforeAll(async () => {
  srv = await startSyncServer(path.join(w.root, 'server'));
});
afterAll(async () => {
  await srv.close();
});

describe('sync on the command line', () => {
  it("login, run, status; a second laptop clones the workspace and sees the first one's edits", async () => {
    const u = srv.user('李明');
    const login = await w.cliJson<SyncStatus>(
      'sync',
      'login',
      '--dir',
      w.ws,
      '--server',
      srv.url,
      '--token',
      u.token,
    );
    expect(login.user?.name).toBe('李明');
    expect(login.pending.changes).toBeGreaterThan(0);
    const run = await w.cliJson<z.output<typeof SyncRunResult>>('sync', 'run', '--dir', w.ws);
    expect(run.pushed).toBe(login.pending.changes);
    const text = await w.cli('sync', 'status', '--dir', w.ws);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/状态：已同步/);
    expect(text.stdout).toMatch(/待上传：0 条修改/);

    const wsId = await w.withCore(async (core) => (await call(core, 'workspace.settings', {})).id as string);
    const laptop2 = cliHarness(w.root, path.join(w.root, 'data2'));
    const dir2 = path.join(w.root, '第二台电脑');
    const cloned = await laptop2.cliJson<{ workspace: WorkspaceSummary; records: number }>(
      'sync',
      'clone',
      '--server',
      srv.url,
      '--token',
      u.token,
      '--workspace',
      wsId,
      '--dir',
      dir2,
    );
    expect(cloned.workspace.id).toBe(wsId);
    expect(cloned.workspace.counts.tasks).toBeGreaterThan(50);
    expect(cloned.records).toBe(run.pushed);

    // an edit on the first laptop reaches the second one through `sync run`
    await w.withCore(async (core) => {
      const task = (await call(core, 'tasks.list', {})).rows[0]!;
      await call(core, 'tasks.update', { id: task.id, patch: { title: '命令行同步过来的标题' } });
    });
    await w.cliJson('sync', 'run', '--dir', w.ws);
    const r2 = await laptop2.cliJson<z.output<typeof SyncRunResult>>('sync', 'run', '--dir', dir2);
    expect(r2.pulled).toBeGreaterThan(0);
    const list = await laptop2.cli('tasks', 'list', '--dir', dir2, '--json');
    expect(list.stdout).toContain('命令行同步过来的标题');
  });

  it('an unreachable server: exit code 1 and the reason in Chinese', async () => {
    const laptop3 = cliHarness(w.root, path.join(w.root, 'data3'));
    const r = await laptop3.cli(
      'sync',
      'login',
      '--dir',
      w.ws,
      '--server',
      'http://127.0.0.1:9',
      '--token',
      'cwb_xxxxxxxxxxxx',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/无法连接同步服务器/);
  });
});
