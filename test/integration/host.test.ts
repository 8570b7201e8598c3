/**
 * The web host: token on every API call and on the event stream, body limits, malformed
 * requests, host-header check, static files without path traversal, bridge injection.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, startHost, type Host } from '../../main/host/server';
import { tempDir } from '../helpers/core';

let host: Host;
let rendererDir: string;
const dataDir = tempDir('cwb-host-');

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request (fetch cannot send a wrong Host header). */
function request(opts: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: host.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: `127.0.0.1:${host.port}`, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          chunks.push(c);
          // event streams never end: stop after the first chunk
          if (String(res.headers['content-type']).startsWith('text/event-stream')) {
            res.destroy();
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString(),
            });
          }
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

const invoke = (name: string, input: unknown, token: string | null = host.token) =>
  request({
    method: 'POST',
    path: '/api/invoke',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ name, input }),
  });

const envelope = (r: Reply) =>
  JSON.parse(r.body) as { ok: boolean; value?: unknown; error?: { code: string; message: string } };

describe('web host', () => {
  beforeAll(async () => {
    rendererDir = tempDir('cwb-host-renderer-');
    fs.writeFileSync(
      path.join(rendererDir, 'index.html'),
      '<!doctype html><html><head><title>t</title></head><body><div id="root"></div></body></html>',
    );
    fs.mkdirSync(path.join(rendererDir, 'assets'));
    fs.writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(dataDir, 'secret.txt'), 'do not serve');
    host = await startHost({ dataDir, rendererDir });
  });

  afterAll(async () => {
    await host.close();
  });

  it('listens on 127.0.0.1 only and prints a URL carrying a 64-hex token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.openUrl).toBe(`${host.url}?token=${host.token}`);
    expect(host.token).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses invoke without a token or with a wrong one, and writes nothing', async () => {
    const none = await invoke(
      'workspace.create',
      { name: 'x', templateId: 'qionghai', me: { name: '甲', role: '驻场顾问' } },
      null,
    );
    expect(none.status).toBe(401);
    expect(envelope(none).error?.code).toBe('UNAUTHORIZED');
    const wrong = await invoke('app.info', {}, 'f'.repeat(64));
    expect(wrong.status).toBe(401);
    expect(envelope(wrong).error?.message).toMatch(/令牌/);
    expect(fs.existsSync(path.join(dataDir, 'workspaces'))).toBe(false);
  });

  it('answers a valid call with the core envelope', async () => {
    const r = await invoke('app.info', {});
    expect(r.status).toBe(200);
    const body = envelope(r);
    expect(body.ok).toBe(true);
    expect((body.value as { runtime: string }).runtime).toBe('web');
  });

  it('passes contract errors through as envelopes', async () => {
    const unknown = envelope(await invoke('tasks.drop', {}));
    expect(unknown.error?.code).toBe('UNKNOWN_COMMAND');
    const bad = envelope(await invoke('tasks.create', { title: 123 }));
    expect(bad.ok).toBe(false);
    expect(['BAD_INPUT', 'NO_WORKSPACE']).toContain(bad.error?.code);
  });

  it('refuses malformed JSON, a missing command name and other methods', async () => {
    const auth = { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' };
    const broken = await request({
      method: 'POST',
      path: '/api/invoke',
      headers: auth,
      body: '{"name": "app.info",',
    });
    expect(broken.status).toBe(400);
    expect(envelope(broken).error?.message).toMatch(/JSON/);
    const noName = await request({
      method: 'POST',
      path: '/api/invoke',
      headers: auth,
      body: '{"input": {}}',
    });
    expect(noName.status).toBe(400);
    expect(envelope(noName).error?.code).toBe('BAD_INPUT');
    const get = await request({ method: 'GET', path: '/api/invoke', headers: auth });
    expect(get.status).toBe(405);
  });

  it('refuses an oversized body with 413 before parsing it', async () => {
    const big = Buffer.alloc(MAX_BODY_BYTES + 1024, 0x61);
    const r = await request({
      method: 'POST',
      path: '/api/invoke',
      headers: { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' },
      body: big,
    });
    expect(r.status).toBe(413);
    expect(envelope(r).error?.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await request({ path: '/', headers: { host: 'evil.example:80' } });
    expect(r.status).toBe(403);
  });

  it('opens the event stream only with the token', async () => {
    expect((await request({ path: '/api/events' })).status).toBe(401);
    const ok = await request({ path: `/api/events?token=${host.token}` });
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toMatch(/text\/event-stream/);
  });

  it('serves index.html with the bridge injected first and a strict CSP', async () => {
    const r = await request({ path: '/' });
    expect(r.status).toBe(200);
    expect(r.body.indexOf('<script src="/__bridge.js"></script>')).toBeLessThan(r.body.indexOf('<title>'));
    expect(r.headers['content-security-policy']).toContain("script-src 'self'");
    expect(r.headers['content-security-policy']).not.toContain('unsafe-eval');
    const bridge = await request({ path: '/__bridge.js' });
    expect(bridge.body).toContain("Object.defineProperty(window, 'app'");
  });

  it('serves built files but never files outside the renderer folder', async () => {
    const asset = await request({ path: '/assets/app.js' });
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['content-type']).toMatch(/javascript/);
    for (const p of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/..%5csecret.txt',
    ]) {
      const r = await request({ path: p });
      expect(r.body, p).not.toContain('do not serve');
    }
  });
});
