/**
 * Handlers of joining a workspace that lives on the central platform (a new laptop): list what
 * the token may download, then download one as a new local workspace and open it. The download
 * itself is the sync engine's clone (main/core/sync/clone.ts).
 */
import path from 'node:path';
import type { CoreContext } from './core';
import type { Handlers } from './handlers';
import { createStaff, listStaff, setMe } from './staff/staff';
import { cloneWorkspace } from './sync/clone';
import { checkServer } from './sync/engine';
import { fileSecretStore } from './sync/secrets';
import { AppError } from './util/errors';
import { safeFileName, uniqueDir } from './util/names';

type JoinCommand = 'sync.remoteWorkspaces' | 'sync.join';

const trimUrl = (url: string) => url.trim().replace(/\/+$/, '');

export function buildSyncJoinHandlers(ctx: CoreContext): Pick<Handlers, JoinCommand> {
  let jobSeq = 0;
  return {
    'sync.remoteWorkspaces': async (input) => {
      const { me } = await checkServer(trimUrl(input.serverUrl), input.token);
      return { user: me.user, workspaces: me.workspaces };
    },

    'sync.join': async (input) => {
      const serverUrl = trimUrl(input.serverUrl);
      const jobId = `sync-join-${++jobSeq}`;
      const report = (message: string, state: 'running' | 'done' | 'failed' = 'running') =>
        ctx.emit('job.progress', { jobId, kind: 'sync', done: 0, total: null, message, state });
      report('正在连接中心平台…');
      try {
        const { me } = await checkServer(serverUrl, input.token);
        const ref = me.workspaces.find((w) => w.id === input.workspaceId);
        if (!ref) {
          throw new AppError(
            'NOT_FOUND',
            `账号「${me.user.name}」不能下载这个工作区，请联系管理员把你加入工作区后再试。`,
          );
        }
        const dir = path.resolve(
          input.dir ?? uniqueDir(path.join(ctx.dataDir, 'workspaces', safeFileName(ref.name))),
        );
        const cloned = await cloneWorkspace({
          dir,
          serverUrl,
          token: input.token,
          workspaceId: ref.id,
          secrets: ctx.platform.secrets ?? fileSecretStore(ctx.dataDir),
          nativeBinding: ctx.nativeBinding,
          clock: ctx.clock,
          onProgress: (m) => report(m),
        });
        // reopen the way every workspace is opened (change events, automatic sync after edits)
        cloned.workspace.close();
        const ws = ctx.openWorkspace(dir);
        try {
          // who uses this laptop: the member of that name, or a new member of the team
          const name = input.me.name.trim();
          const existing = listStaff(ws).staff.find((s) => s.name === name);
          const staff =
            existing ??
            createStaff(ws, { name, role: input.me.role, phone: null, email: null, active: true });
          setMe(ws, staff.id);
        } catch (e) {
          ws.close();
          throw e;
        }
        ctx.lastError = null;
        ctx.setWorkspace(ws);
        report(`已下载工作区「${ref.name}」：${cloned.records} 条修改、${cloned.docs} 篇文档`, 'done');
        return ws.summary();
      } catch (e) {
        report(e instanceof Error ? e.message : String(e), 'failed');
        throw e;
      }
    },
  };
}
