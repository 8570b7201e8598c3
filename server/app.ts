/**
 * The reference central-platform sync API (Fastify 5 + embedded SQLite). `createServer` builds it
 * in-process (tests start it on an ephemeral port); server/index.ts runs it as a process.
 * Routes, bodies and error codes: main/core/sync/protocol.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import rateLimit from '@fastify/rate-limit';
import Fastify, {
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { z } from 'zod';
import {
  CreateWorkspace,
  DEFAULT_MAX_BLOB_BYTES,
  DocSyncBody,
  MAX_PULL_PAGE,
  PROTOCOL_HEADER,
  PROTOCOL_VERSION,
  PULL_FORMAT_COMPACT,
  PULL_PAGE,
  PushBody,
  type DocSyncResult,
  type Health,
  type Me,
  type PullResult,
  type PushResult,
} from '../main/core/sync/protocol';
import { authenticate, createWorkspace, getWorkspace, roleOf, workspacesOf, type Role } from './accounts';
import { BlobStore } from './blobs';
import { pullChanges, pullChangesCompact, pushChanges } from './changes';
import { openServerDb, type ServerDb } from './db';
import { listDocs, syncDoc } from './docs';
import { formatBytes, HttpError, parseWith } from './errors';
import { buildOpenApi } from './openapi';

export const DEFAULT_MAX_JSON_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_CHUNK_BYTES = 8 * 1024 * 1024;
/** How long close() lets requests in flight finish before cutting connections. */
const CLOSE_GRACE_MS = 1500;
export const DEFAULT_RATE_LIMIT = { max: 1200, timeWindowMs: 60_000 };

export interface ServerOptions {
  /** Folder of server.db, blobs/ and uploads/ (created if missing). */
  dataDir: string;
  /** Largest blob accepted (default DEFAULT_MAX_BLOB_BYTES). */
  maxBlobBytes?: number;
  /** Body limit of JSON routes (default 16 MB). */
  maxJsonBytes?: number;
  /** Body limit of one blob PUT (default 8 MB). */
  maxChunkBytes?: number;
  /** Requests per window per token (or per IP without one); false turns it off. */
  rateLimit?: { max: number; timeWindowMs: number } | false;
  /** Fastify's pino logger: false (default, quiet) or true / options (JSON lines). */
  logger?: boolean | { level?: string };
  /** Server clock (tests). */
  now?: () => number;
}

export interface SyncServer {
  app: FastifyInstance;
  db: ServerDb;
  /** Listens on host:port (port 0 = any free port); resolves with the chosen port. */
  listen(port: number, host?: string): Promise<{ port: number; url: string }>;
  /** Stops accepting requests, finishes in-flight ones, closes the database. */
  close(): Promise<void>;
  /** Every route registered (method, Fastify path), for tests and the OpenAPI check. */
  routeTable: { method: string; url: string }[];
}

export const routes = {
  health: '/v1/health',
  openapi: '/v1/openapi.json',
  me: '/v1/me',
  workspaces: '/v1/workspaces',
  changes: '/v1/workspaces/:ws/changes',
  docs: '/v1/workspaces/:ws/docs',
  docSync: '/v1/workspaces/:ws/docs/:docId/sync',
  blob: '/v1/workspaces/:ws/blobs/:sha256',
} as const;

const OPEN_ROUTES = new Set<string>([routes.health, routes.openapi]);

interface Caller {
  user: { id: string; name: string };
  /** Role in the route's workspace (routes with :ws only). */
  role: Role | null;
}

const callers = new WeakMap<FastifyRequest, Caller>();

function caller(req: FastifyRequest): Caller {
  const c = callers.get(req);
  if (!c) throw new HttpError(401, 'UNAUTHORIZED', '缺少访问令牌，请在设置中登录中心平台。');
  return c;
}

export function serverVersion(): string {
  const pkg = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'package.json');
  const parsed = JSON.parse(fs.readFileSync(pkg, 'utf8')) as { version?: string };
  return parsed.version ?? '0.0.0';
}

const unauthorized: Record<string, string> = {
  missing: '缺少访问令牌。请在“设置 → 同步”中填写服务器地址并登录。',
  unknown: '访问令牌无效或已被吊销，请在设置中重新登录（向管理员索取新的令牌）。',
  revoked: '访问令牌已被吊销，请在设置中重新登录（向管理员索取新的令牌）。',
  expired: '访问令牌已过期，请向管理员索取新的令牌后在设置中重新登录。',
  disabled: '您的账号已被停用，请联系中心平台管理员。',
};

const Params = z.object({
  ws: z.string().min(1).max(64),
  docId: z.string().min(1).max(128).optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, 'sha256 应为 64 位小写十六进制')
    .optional(),
});
const PullQuery = z.object({
  since: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_PAGE).default(PULL_PAGE),
  exclude: z.string().min(1).max(64).optional(),
  format: z.literal(PULL_FORMAT_COMPACT).optional(),
});
const DocsQuery = z.object({ since: z.coerce.number().int().min(0).default(0) });
const PutQuery = z.object({
  offset: z.coerce.number().int().min(0),
  size: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
const Base64 = /^[A-Za-z0-9+/]*={0,2}$/;

function decodeB64(s: string, field: string): Uint8Array {
  if (s.length % 4 !== 0 || !Base64.test(s)) {
    throw new HttpError(
      400,
      'BAD_REQUEST',
      `文档同步请求的字段「${field}」不是有效的 base64 编码。请更新客户端后重试。`,
    );
  }
  return new Uint8Array(Buffer.from(s, 'base64'));
}

const b64 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString('base64');

export async function createServer(opts: ServerOptions): Promise<SyncServer> {
  const now = opts.now ?? Date.now;
  const maxJson = opts.maxJsonBytes ?? DEFAULT_MAX_JSON_BYTES;
  const maxChunk = opts.maxChunkBytes ?? DEFAULT_MAX_CHUNK_BYTES;
  const db = openServerDb(opts.dataDir);
  const blobs = new BlobStore(db, opts.dataDir, opts.maxBlobBytes ?? DEFAULT_MAX_BLOB_BYTES);
  const version = serverVersion();
  const openapi = buildOpenApi(version);

  const logger =
    opts.logger === true
      ? { level: 'info', redact: ['req.headers.authorization'] }
      : opts.logger
        ? { level: opts.logger.level ?? 'info', redact: ['req.headers.authorization'] }
        : false;
  const app = Fastify({ logger, bodyLimit: maxJson, return503OnClosing: true, exposeHeadRoutes: false });

  const routeTable: { method: string; url: string }[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of Array.isArray(r.method) ? r.method : [r.method])
      routeTable.push({ method, url: r.url });
  });

  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer' }, (_req, body, done) => {
    done(null, body);
  });

  // ---------- errors ----------
  app.setNotFoundHandler((req, reply) => {
    void reply
      .code(404)
      .send(
        new HttpError(
          404,
          'NOT_FOUND',
          `服务器没有这个接口：${req.method} ${req.url.split('?')[0]}。请确认服务器地址和客户端版本。`,
        ).body(),
      );
  });
  app.setErrorHandler((error: FastifyError | HttpError | Error, req: FastifyRequest, reply: FastifyReply) => {
    let e: HttpError;
    if (error instanceof HttpError) e = error;
    else {
      const fe = error as FastifyError;
      const status = fe.statusCode ?? 500;
      if (fe.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || status === 413) {
        const limit = req.routeOptions.url === routes.blob ? maxChunk : maxJson;
        e = new HttpError(
          413,
          'PAYLOAD_TOO_LARGE',
          req.routeOptions.url === routes.blob
            ? `一次上传的数据块超过 ${formatBytes(limit)}，未保存。请把附件分块上传（每块不超过 ${formatBytes(limit)}）。`
            : `请求内容超过服务器上限 ${formatBytes(limit)}，未保存。请分批同步（客户端会自动拆分），如仍失败请联系管理员。`,
        );
      } else if (fe.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || status === 415) {
        e = new HttpError(
          415,
          'BAD_REQUEST',
          `不支持的内容类型「${req.headers['content-type'] ?? '（无）'}」：JSON 接口请用 application/json，附件上传请用 application/octet-stream。`,
        );
      } else if (fe.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
        e = new HttpError(400, 'BAD_REQUEST', '请求内容为空，应为 JSON。请更新客户端后重试。');
      } else if (error instanceof SyntaxError || fe.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
        e = new HttpError(
          400,
          'BAD_REQUEST',
          '请求内容不是有效的 JSON，服务器没有保存任何内容。请更新客户端后重试。',
        );
      } else if (status >= 400 && status < 500) {
        e = new HttpError(
          status,
          'BAD_REQUEST',
          `请求无效（${fe.code ?? status}），服务器没有保存任何内容。请更新客户端后重试。`,
        );
      } else {
        req.log.error({ err: error }, 'request failed');
        e = new HttpError(
          500,
          'INTERNAL',
          '中心平台服务器内部错误，本次同步未完成（本机数据不受影响）。请稍后重试；如持续出现请联系管理员查看服务器日志。',
        );
      }
    }
    if (e.statusCode >= 400 && e.statusCode < 500)
      req.log.info({ code: e.code, status: e.statusCode }, e.message);
    for (const [k, v] of Object.entries(e.headers)) void reply.header(k, v);
    void reply.code(e.statusCode).send(e.body());
  });

  // ---------- rate limit, protocol version, authentication, membership ----------
  await app.register(rateLimit, { global: false });
  const limits = opts.rateLimit === undefined ? DEFAULT_RATE_LIMIT : opts.rateLimit;
  const checkRate = limits
    ? app.createRateLimit({
        max: limits.max,
        timeWindow: limits.timeWindowMs,
        keyGenerator: (req) => {
          const auth = req.headers.authorization;
          return auth ? `t:${auth.slice(-24)}` : `ip:${req.ip}`;
        },
      })
    : null;

  app.addHook('onRequest', async (req) => {
    const route = req.routeOptions.url;
    if (route === undefined) return;
    if (checkRate) {
      const r = await checkRate(req);
      if (!r.isAllowed && r.isExceeded) {
        throw new HttpError(
          429,
          'RATE_LIMITED',
          `请求过于频繁（每 ${Math.round(r.timeWindow / 1000)} 秒最多 ${r.max} 次），请 ${r.ttlInSeconds} 秒后再试；自动同步会稍后重试。`,
          { 'retry-after': String(r.ttlInSeconds) },
        );
      }
    }
    if (OPEN_ROUTES.has(route)) return;
    const proto = req.headers[PROTOCOL_HEADER];
    if (proto !== undefined && String(proto).trim() !== String(PROTOCOL_VERSION)) {
      throw new HttpError(
        426,
        'VERSION_MISMATCH',
        `客户端使用同步协议第 ${String(proto)} 版，中心平台服务器只支持第 ${PROTOCOL_VERSION} 版。请把工作台和服务器升级到相互兼容的版本后再同步。`,
      );
    }
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const auth = authenticate(db, m ? (m[1] ?? null) : null, now());
    if (!auth.ok)
      throw new HttpError(401, 'UNAUTHORIZED', unauthorized[auth.reason] ?? unauthorized.unknown ?? '');
    let role: Role | null = null;
    const params = req.params as Record<string, string | undefined>;
    if (params.ws !== undefined) {
      const p = parseWith(Params, params, '请求路径');
      role = roleOf(db, p.ws, auth.user.id);
      if (!role) {
        throw new HttpError(
          403,
          'FORBIDDEN',
          `您（${auth.user.name}）不是工作区「${p.ws}」的成员，无权读写它。请让该工作区的负责人或管理员把您加入（admin add-member）后再同步。`,
        );
      }
    }
    callers.set(req, { user: auth.user, role });
  });

  // ---------- open routes ----------
  app.get(routes.health, async (): Promise<Health> => ({
    ok: true,
    version,
    protocol: PROTOCOL_VERSION,
    time: now(),
  }));
  app.get(routes.openapi, async () => openapi);

  // ---------- identity and workspaces ----------
  app.get(routes.me, async (req): Promise<Me> => {
    const { user } = caller(req);
    return { user, workspaces: workspacesOf(db, user.id) };
  });

  app.post(routes.workspaces, async (req, reply) => {
    const { user } = caller(req);
    const body = parseWith(CreateWorkspace, req.body, '登记工作区的请求');
    const existing = getWorkspace(db, body.id);
    if (!existing) {
      createWorkspace(db, body, user.id, now());
      return reply.code(201).send({ id: body.id, name: body.name, role: 'owner' });
    }
    const role = roleOf(db, body.id, user.id);
    if (!role) {
      throw new HttpError(
        403,
        'FORBIDDEN',
        `工作区「${existing.name}」已由他人登记在服务器上，您（${user.name}）不是它的成员。请让它的负责人或管理员把您加入（admin add-member）后再同步。`,
      );
    }
    // A workspace an administrator created by adding members has its id as a placeholder name.
    let name = existing.name;
    if (name === existing.id && body.name !== name) {
      db.prepare('UPDATE workspaces SET name = ? WHERE id = ?').run(body.name, body.id);
      name = body.name;
    }
    return reply.code(200).send({ id: body.id, name, role });
  });

  // ---------- records ----------
  app.post(routes.changes, async (req): Promise<z.infer<typeof PushResult>> => {
    const { ws } = parseWith(Params, req.params, '请求路径');
    const body = parseWith(PushBody, req.body, '上传修改的请求');
    return pushChanges(db, ws, body.node, body.changes, now());
  });

  app.get(routes.changes, async (req, reply): Promise<z.infer<typeof PullResult> | string> => {
    const { ws } = parseWith(Params, req.params, '请求路径');
    const q = parseWith(PullQuery, req.query, '拉取修改的参数');
    if (q.format === PULL_FORMAT_COMPACT) {
      // JSON text built from the rows (PullResultCompact): no object per change, no stringify pass
      void reply.type('application/json; charset=utf-8');
      return pullChangesCompact(db, ws, q.since, q.limit, q.exclude ?? null);
    }
    return pullChanges(db, ws, q.since, q.limit, q.exclude ?? null);
  });

  // ---------- documents ----------
  app.get(routes.docs, async (req) => {
    const { ws } = parseWith(Params, req.params, '请求路径');
    const q = parseWith(DocsQuery, req.query, '文档列表的参数');
    return listDocs(db, ws, q.since);
  });

  app.post(routes.docSync, async (req): Promise<z.infer<typeof DocSyncResult>> => {
    const p = parseWith(Params, req.params, '请求路径');
    const body = parseWith(DocSyncBody, req.body, '文档同步的请求');
    const sv = decodeB64(body.stateVector, 'stateVector');
    const update = body.update === null ? null : decodeB64(body.update, 'update');
    const r = syncDoc(db, p.ws, p.docId ?? '', sv, update, now());
    return { update: b64(r.update), stateVector: b64(r.stateVector), seq: r.seq };
  });

  // ---------- blobs ----------
  const blobParams = (req: FastifyRequest): { ws: string; sha256: string } => {
    const p = parseWith(Params, req.params, '请求路径');
    return { ws: p.ws, sha256: p.sha256 ?? '' };
  };

  app.head(routes.blob, async (req, reply) => {
    const { ws, sha256 } = blobParams(req);
    const s = blobs.state(ws, sha256);
    if (s.size !== null) {
      return reply
        .code(200)
        .header('content-length', String(s.size))
        .header('content-type', 'application/octet-stream')
        .send();
    }
    return reply.code(404).header('upload-offset', String(s.offset)).send();
  });

  app.put(routes.blob, { bodyLimit: maxChunk }, async (req) => {
    const { ws, sha256 } = blobParams(req);
    const q = parseWith(PutQuery, req.query, '附件上传的参数');
    const chunk = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (req.body !== undefined && req.body !== null && !Buffer.isBuffer(req.body)) {
      throw new HttpError(415, 'BAD_REQUEST', '附件上传的内容类型应为 application/octet-stream。');
    }
    return blobs.put(ws, sha256, q.offset, q.size, chunk, now());
  });

  app.get(routes.blob, async (req, reply) => {
    const { ws, sha256 } = blobParams(req);
    const found = blobs.readable(ws, sha256);
    if (!found)
      throw new HttpError(
        404,
        'NOT_FOUND',
        `服务器上没有这个附件（${sha256.slice(0, 12)}…）。上传它的电脑同步后即可下载。`,
      );
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', String(found.size))
      .send(fs.createReadStream(found.file));
  });

  app.addHook('onClose', async () => {
    db.close();
  });
  await app.ready();

  return {
    app,
    db,
    routeTable,
    async listen(port: number, host = '127.0.0.1') {
      await app.listen({ port, host });
      const addr = app.server.address();
      const chosen = typeof addr === 'object' && addr ? addr.port : port;
      const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
      return { port: chosen, url: `http://${shownHost}:${chosen}` };
    },
    async close() {
      // In-flight requests may finish; keep-alive sockets a client leaves open must not hold
      // the shutdown (Fastify closes idle ones, but not all clients let go of theirs).
      const force = setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS);
      try {
        await app.close();
      } finally {
        clearTimeout(force);
      }
    },
  };
}
