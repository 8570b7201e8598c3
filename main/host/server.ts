/**
 * The web host: serves the built renderer and exposes core.invoke over HTTP on 127.0.0.1 with a
 * random per-run token; core events go out as Server-Sent Events. The end-to-end tests drive the
 * real renderer in Chromium through it, and `npm run start:web` lets anyone use the app in a
 * browser when Electron is not available. Same core, same renderer as the desktop app.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../core/app/csp';
import { createCore, type Core, type CoreOptions } from '../core/core';
import { events as contractEvents, type CommandName, type EventName } from '../core/contract/index';
import { BRIDGE_SCRIPT } from './bridge-script';
import { hostSecretStore } from './secrets';

export const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface HostOptions extends Omit<CoreOptions, 'runtime'> {
  /** Folder with the built renderer (index.html). */
  rendererDir: string;
  port?: number;
  /** Fixed token (tests); default: 32 random bytes, hex. */
  token?: string;
}

export interface Host {
  url: string;
  /** URL including the token, to open in a browser. */
  openUrl: string;
  token: string;
  port: number;
  core: Core;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
};

const CSP = CONTENT_SECURITY_POLICY;

function sameToken(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

function errorEnvelope(code: string, message: string) {
  return { ok: false, error: { code, message } };
}

function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      resolve(null);
      req.resume();
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooBig = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) tooBig = true;
      else if (!tooBig) chunks.push(c);
    });
    req.on('end', () => resolve(tooBig ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export async function startHost(opts: HostOptions): Promise<Host> {
  const token = opts.token ?? randomBytes(32).toString('hex');
  // The sync token lives in the data folder, readable only by this user (never in the page).
  const platform = { ...opts.platform, secrets: opts.platform?.secrets ?? hostSecretStore(opts.dataDir) };
  const core = createCore({ ...opts, platform, runtime: 'web' });
  const rendererDir = path.resolve(opts.rendererDir);
  const indexFile = path.join(rendererDir, 'index.html');
  const sseClients = new Set<http.ServerResponse>();
  let port = opts.port ?? 0;

  const unsubscribers = (Object.keys(contractEvents) as EventName[]).map((name) =>
    core.on(name, (payload) => {
      const data = `event: app\ndata: ${JSON.stringify({ name, payload })}\n\n`;
      for (const res of sseClients) res.write(data);
    }),
  );

  const allowedHosts = () => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);

  const serveIndex = (res: http.ServerResponse) => {
    if (!fs.existsSync(indexFile)) {
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('界面尚未构建：请先运行 npm run build（或 npm run start:web）。');
      return;
    }
    // The bridge must define window.app before the renderer's module script runs.
    const html = fs
      .readFileSync(indexFile, 'utf8')
      .replace('<head>', '<head>\n    <script src="/__bridge.js"></script>');
    res.writeHead(200, {
      'content-type': MIME['.html'],
      'content-security-policy': CSP,
      'cache-control': 'no-store',
    });
    res.end(html);
  };

  const serveStatic = (res: http.ServerResponse, urlPath: string) => {
    let rel: string;
    try {
      rel = decodeURIComponent(urlPath);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const file = path.resolve(rendererDir, `.${rel}`);
    if (!file.startsWith(rendererDir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      serveIndex(res); // client-side routes fall back to the app
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CSP,
      'x-content-type-options': 'nosniff',
    });
    fs.createReadStream(file).pipe(res);
  };

  const server = http.createServer(async (req, res) => {
    try {
      if (!allowedHosts().has(req.headers.host ?? '')) {
        sendJson(res, 403, errorEnvelope('UNAUTHORIZED', '拒绝访问：主机名不正确。'));
        return;
      }
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
      if (url.pathname === '/api/invoke') {
        if (req.method !== 'POST') {
          sendJson(res, 405, errorEnvelope('BAD_INPUT', '只接受 POST 请求。'));
          return;
        }
        const auth = req.headers.authorization;
        if (!sameToken(auth?.startsWith('Bearer ') ? auth.slice(7) : null, token)) {
          sendJson(
            res,
            401,
            errorEnvelope('UNAUTHORIZED', '缺少或错误的访问令牌，请使用启动时打印的地址打开。'),
          );
          return;
        }
        const body = await readBody(req, MAX_BODY_BYTES);
        if (body === null) {
          sendJson(res, 413, errorEnvelope('PAYLOAD_TOO_LARGE', '请求过大（上限 10 MB）。'));
          return;
        }
        let msg: { name?: unknown; input?: unknown };
        try {
          msg = JSON.parse(body.toString('utf8')) as { name?: unknown; input?: unknown };
        } catch {
          sendJson(res, 400, errorEnvelope('BAD_INPUT', '请求不是有效的 JSON。'));
          return;
        }
        if (typeof msg !== 'object' || msg === null || typeof msg.name !== 'string') {
          sendJson(res, 400, errorEnvelope('BAD_INPUT', '请求缺少命令名称。'));
          return;
        }
        const result = await core.invoke(msg.name as CommandName, msg.input as never);
        sendJson(res, 200, result);
        return;
      }
      if (url.pathname === '/api/events') {
        if (!sameToken(url.searchParams.get('token'), token)) {
          sendJson(res, 401, errorEnvelope('UNAUTHORIZED', '缺少或错误的访问令牌。'));
          return;
        }
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
        });
        res.write(': connected\n\n');
        sseClients.add(res);
        req.on('close', () => sseClients.delete(res));
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405).end();
        return;
      }
      if (url.pathname === '/__bridge.js') {
        res.writeHead(200, { 'content-type': MIME['.js'], 'cache-control': 'no-store' });
        res.end(BRIDGE_SCRIPT);
        return;
      }
      if (url.pathname === '/' || url.pathname === '/index.html') {
        serveIndex(res);
        return;
      }
      serveStatic(res, url.pathname);
    } catch (e) {
      if (!res.headersSent)
        sendJson(res, 500, errorEnvelope('INTERNAL', `内部错误：${(e as Error).message}`));
      else res.end();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  port = typeof addr === 'object' && addr ? addr.port : port;
  const url = `http://127.0.0.1:${port}/`;
  const heartbeat = setInterval(() => {
    for (const res of sseClients) res.write(': ping\n\n');
  }, 15000);
  heartbeat.unref();

  return {
    url,
    openUrl: `${url}?token=${token}`,
    token,
    port,
    core,
    close: async () => {
      clearInterval(heartbeat);
      for (const u of unsubscribers) u();
      for (const res of sseClients) res.end();
      sseClients.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      core.close();
    },
  };
}
