/**
 * Sync tests: the reference server (server/app.ts) in process on a free loopback port, users and
 * tokens made through its account functions, and cores that join a server workspace as a new
 * laptop would (cloneWorkspace, then workspace.open).
 */
import path from 'node:path';
import { addMember, createUser, issueToken } from '../../server/accounts';
import { createServer, type SyncServer } from '../../server/app';
import type { CoreOptions } from '../../main/core/core';
import { cloneWorkspace } from '../../main/core/sync/clone';
import { fileSecretStore } from '../../main/core/sync/secrets';
import { call, makeCore, tempDir, type TestCore } from './core';

export interface TestServer {
  server: SyncServer;
  url: string;
  dataDir: string;
  /** A new user and a token of theirs. */
  user(name: string): { id: string; token: string };
  addMember(workspaceId: string, userId: string): void;
  close(): Promise<void>;
}

export async function startSyncServer(dataDir = tempDir('cwb-server-')): Promise<TestServer> {
  const server = await createServer({ dataDir, rateLimit: false });
  const { url } = await server.listen(0);
  return {
    server,
    url,
    dataDir,
    user(name) {
      const u = createUser(server.db, name);
      return { id: u.id, token: issueToken(server.db, u.id).token };
    },
    addMember(workspaceId, userId) {
      addMember(server.db, workspaceId, userId, 'member');
    },
    close: () => server.close(),
  };
}

/** A new laptop (its own data folder) joining the server workspace `workspaceId`. */
export async function joinCore(
  serverUrl: string,
  token: string,
  workspaceId: string,
  opts: Partial<CoreOptions> = {},
): Promise<TestCore> {
  const t = makeCore(opts);
  const dir = path.join(t.dataDir, 'workspaces', 'joined');
  const { workspace } = await cloneWorkspace({
    dir,
    serverUrl,
    token,
    workspaceId,
    secrets: fileSecretStore(t.dataDir),
    clock: opts.clock,
  });
  workspace.close();
  await call(t.core, 'workspace.open', { dir });
  return t;
}
