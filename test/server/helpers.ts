/**
 * Starts the sync server in-process in a temp data folder (released after the test), with users
 * and tokens made through the same account functions the admin commands use.
 */
import { onTestFinished } from 'vitest';
import { addMember, createUser, issueToken } from '../../server/accounts';
import { createServer, type ServerOptions, type SyncServer } from '../../server/app';
import { ErrorBody, type Change } from '../../main/core/sync/protocol';
import { tempDir } from '../helpers/core';

export interface TestServer {
  server: SyncServer;
  dataDir: string;
  /** Creates a user with a fresh token. */
  user(name: string): { id: string; token: string };
  /** Adds a user to a workspace (created as a placeholder if new). */
  member(userId: string, ws: string, role?: 'owner' | 'member'): void;
  request(opts: {
    method: 'GET' | 'POST' | 'PUT' | 'HEAD' | 'DELETE';
    url: string;
    token?: string | null;
    json?: unknown;
    body?: Buffer | string;
    headers?: Record<string, string>;
  }): Promise<{
    status: number;
    headers: Record<string, string | string[] | number | undefined>;
    body: string;
    raw: Buffer;
    json: () => unknown;
  }>;
}

export async function startServer(opts: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dataDir = opts.dataDir ?? tempDir('cwb-server-');
  const server = await createServer({ rateLimit: false, ...opts, dataDir });
  onTestFinished(async () => {
    await server.close();
  });
  const t: TestServer = {
    server,
    dataDir,
    user(name) {
      const u = createUser(server.db, name);
      return { id: u.id, token: issueToken(server.db, u.id, { name: 'test', days: 30 }).token };
    },
    member(userId, ws, role = 'member') {
      addMember(server.db, ws, userId, role);
    },
    async request({ method, url, token, json, body, headers = {} }) {
      const h: Record<string, string> = { ...headers };
      if (token) h.authorization = `Bearer ${token}`;
      let payload: string | Buffer | undefined = body;
      if (json !== undefined) {
        payload = JSON.stringify(json);
        h['content-type'] ??= 'application/json';
      } else if (Buffer.isBuffer(body)) h['content-type'] ??= 'application/octet-stream';
      const res = await server.app.inject({
        method,
        url,
        headers: h,
        ...(payload !== undefined ? { payload } : {}),
      });
      return {
        status: res.statusCode,
        headers: res.headers,
        body: res.body,
        raw: res.rawPayload,
        json: () => JSON.parse(res.body) as unknown,
      };
    },
  };
  return t;
}

/** Parses an error response and returns its code and message. */
export function errorOf(res: { body: string }): { code: string; message: string } {
  return ErrorBody.parse(JSON.parse(res.body)).error;
}

let txCounter = 0;

/** A change as a laptop would push it. `ms` defaults to now. */
export function change(
  entityId: string,
  field: string,
  value: unknown,
  opts: { txId?: string; ms?: number; counter?: number; node?: string; entity?: string } = {},
): Change {
  const ms = opts.ms ?? Date.now();
  const counter = (opts.counter ?? 0).toString(16).padStart(4, '0');
  return {
    txId: opts.txId ?? `tx-${++txCounter}`,
    entity: opts.entity ?? 'task',
    entityId,
    field,
    value: value === undefined ? null : JSON.stringify(value),
    stamp: `${String(ms).padStart(13, '0')}-${counter}-${opts.node ?? 'nodeA'}`,
    op: field === 'deleted' ? (value === true ? 'delete' : 'restore') : 'update',
    at: new Date(ms).toISOString(),
    actorId: null,
    actorName: '李明',
  };
}
