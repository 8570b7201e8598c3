import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Health, Me, PROTOCOL_HEADER, PROTOCOL_VERSION, paths } from '../../main/core/sync/protocol';
import { issueToken, revokeToken } from '../../server/accounts';
import { routes } from '../../server/app';
import { REPO_ROOT } from '../helpers/core';
import { change, errorOf, startServer, type TestServer } from './helpers';

const SHA = 'a'.repeat(64);

interface Probe {
  method: 'GET' | 'POST' | 'PUT' | 'HEAD';
  route: string;
  url: (ws: string) => string;
  json?: unknown;
  body?: Buffer;
}

function docUpdate(text: string): string {
  const d = new Y.Doc();
  d.getText('t').insert(0, text);
  return Buffer.from(Y.encodeStateAsUpdate(d)).toString('base64');
}

/** One valid request per authenticated route (the test checks this covers every route). */
const probes: Probe[] = [
  { method: 'GET', route: routes.me, url: () => paths.me },
  {
    method: 'POST',
    route: routes.workspaces,
    url: () => paths.workspaces,
    json: { id: 'ws-new', name: '新工作区' },
  },
  {
    method: 'POST',
    route: routes.changes,
    url: (ws) => paths.changes(ws),
    json: { node: 'n1', changes: [change('e1', 'title', '一')] },
  },
  { method: 'GET', route: routes.changes, url: (ws) => paths.changes(ws) },
  { method: 'GET', route: routes.docs, url: (ws) => paths.docs(ws) },
  {
    method: 'POST',
    route: routes.docSync,
    url: (ws) => paths.docSync(ws, 'doc-1'),
    json: {
      stateVector: Buffer.from(Y.encodeStateVector(new Y.Doc())).toString('base64'),
      update: docUpdate('正文'),
    },
  },
  { method: 'HEAD', route: routes.blob, url: (ws) => paths.blob(ws, SHA) },
  {
    method: 'PUT',
    route: routes.blob,
    url: (ws) => `${paths.blob(ws, SHA)}?offset=0&size=3`,
    body: Buffer.from('abc'),
  },
  { method: 'GET', route: routes.blob, url: (ws) => paths.blob(ws, SHA) },
];

async function send(
  t: TestServer,
  p: Probe,
  ws: string,
  token: string | null,
  headers: Record<string, string> = {},
) {
  return t.request({
    method: p.method,
    url: p.url(ws),
    token,
    headers,
    ...(p.json !== undefined ? { json: p.json } : {}),
    ...(p.body ? { body: p.body } : {}),
  });
}

describe('sync server: authentication and access', () => {
  it('the probes cover every registered route, and the OpenAPI document describes exactly those routes', async () => {
    const t = await startServer();
    const registered = t.server.routeTable.map((r) => `${r.method} ${r.url}`).sort();
    const open = [`GET ${routes.health}`, `GET ${routes.openapi}`];
    const probed = [...probes.map((p) => `${p.method} ${p.route}`), ...open].sort();
    expect(probed).toEqual(registered);
    const doc = (await t.request({ method: 'GET', url: paths.openapi })).json() as {
      paths: Record<string, Record<string, unknown>>;
    };
    const documented = Object.entries(doc.paths)
      .flatMap(([p, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
      )
      .sort();
    expect(documented).toEqual(registered);
  });

  it('health and the OpenAPI document need no token; the served document equals server/openapi.json', async () => {
    const t = await startServer();
    const h = await t.request({ method: 'GET', url: paths.health });
    expect(h.status).toBe(200);
    const health = Health.parse(h.json());
    expect(health.protocol).toBe(PROTOCOL_VERSION);
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    expect(health.version).toBe(pkg.version);
    expect(Math.abs(health.time - Date.now())).toBeLessThan(60_000);
    const o = await t.request({ method: 'GET', url: paths.openapi });
    expect(o.status).toBe(200);
    const committed = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, 'server', 'openapi.json'), 'utf8'),
    ) as unknown;
    // Regenerate with: npm run server -- openapi > server/openapi.json && npx prettier --write server/openapi.json
    expect(o.json()).toEqual(committed);
    expect((o.json() as { openapi: string }).openapi).toBe('3.1.0');
  });

  it('every other route answers 401 without a token, with an unknown, a revoked or an expired token', async () => {
    const DAY = 86_400_000;
    let clock = Date.now();
    const t = await startServer({ now: () => clock });
    const li = t.user('李明');
    t.member(li.id, 'ws-a', 'owner');
    const revoked = issueToken(t.server.db, li.id, { days: 30 });
    revokeToken(t.server.db, { token: revoked.token });
    const shortLived = issueToken(t.server.db, li.id, { days: 1 });

    for (const p of probes) {
      const what = `${p.method} ${p.route}`;
      const none = await send(t, p, 'ws-a', null);
      expect(none.status, what).toBe(401);
      if (p.method !== 'HEAD') {
        expect(errorOf(none).code, what).toBe('UNAUTHORIZED');
        expect(errorOf(none).message, what).toMatch(/令牌/);
      }
      const bad = await send(t, p, 'ws-a', 'cwb_not-a-real-token');
      expect(bad.status, what).toBe(401);
      if (p.method !== 'HEAD') expect(errorOf(bad).message).toMatch(/无效或已被吊销/);
      const rev = await send(t, p, 'ws-a', revoked.token);
      expect(rev.status, what).toBe(401);
      if (p.method !== 'HEAD') expect(errorOf(rev).message).toMatch(/吊销/);
      // The short-lived token works today …
      clock = Date.now();
      const okNow = await send(t, p, 'ws-a', shortLived.token);
      expect([401, 403], what).not.toContain(okNow.status);
      // … and not two days later.
      clock = Date.now() + 2 * DAY;
      const expired = await send(t, p, 'ws-a', shortLived.token);
      expect(expired.status, what).toBe(401);
      if (p.method !== 'HEAD') expect(errorOf(expired).message).toMatch(/过期/);
      clock = Date.now();
    }
    // A malformed Authorization header is no token either.
    const basic = await t.request({ method: 'GET', url: paths.me, headers: { authorization: 'Basic abc' } });
    expect(basic.status).toBe(401);
  });

  it('a member of workspace A can neither read nor write workspace B (push, pull, docs, blobs)', async () => {
    const t = await startServer();
    const li = t.user('李明');
    const wang = t.user('王芳');
    t.member(li.id, 'ws-a', 'owner');
    t.member(wang.id, 'ws-b', 'owner');
    // B holds data of its own.
    const bBlob = Buffer.from('B 的附件');
    const { createHash } = await import('node:crypto');
    const bSha = createHash('sha256').update(bBlob).digest('hex');
    expect(
      (
        await t.request({
          method: 'PUT',
          url: `${paths.blob('ws-b', bSha)}?offset=0&size=${bBlob.length}`,
          token: wang.token,
          body: bBlob,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await t.request({
          method: 'POST',
          url: paths.changes('ws-b'),
          token: wang.token,
          json: { node: 'nb', changes: [change('b1', 'title', 'B')] },
        })
      ).status,
    ).toBe(200);
    const before = t.server.db.prepare("SELECT COUNT(*) AS n FROM changes WHERE workspace_id = 'ws-b'").get();

    const wsProbes = probes.filter((p) => p.route.includes(':ws'));
    expect(wsProbes.length).toBe(7);
    for (const p of wsProbes) {
      const r = await send(t, p, 'ws-b', li.token);
      expect(r.status, `${p.method} ${p.route}`).toBe(403);
      if (p.method !== 'HEAD') {
        expect(errorOf(r).code).toBe('FORBIDDEN');
        expect(errorOf(r).message).toMatch(/不是工作区「ws-b」的成员/);
      }
      // The same request on the caller's own workspace is allowed.
      const own = await send(t, p, 'ws-a', li.token);
      expect(own.status, `${p.method} ${p.route} own`).not.toBe(403);
    }
    expect((await t.request({ method: 'GET', url: paths.blob('ws-b', bSha), token: li.token })).status).toBe(
      403,
    );
    expect(
      t.server.db.prepare("SELECT COUNT(*) AS n FROM changes WHERE workspace_id = 'ws-b'").get(),
    ).toEqual(before);
    expect(t.server.db.prepare("SELECT COUNT(*) AS n FROM docs WHERE workspace_id = 'ws-b'").get()).toEqual({
      n: 0,
    });

    // Registering B's id is refused; registering a new id makes the caller its owner; again is idempotent.
    const reg = await t.request({
      method: 'POST',
      url: paths.workspaces,
      token: li.token,
      json: { id: 'ws-b', name: '冒名' },
    });
    expect(reg.status).toBe(403);
    expect(errorOf(reg).code).toBe('FORBIDDEN');
    const created = await t.request({
      method: 'POST',
      url: paths.workspaces,
      token: li.token,
      json: { id: 'ws-c', name: '琼海' },
    });
    expect(created.status).toBe(201);
    expect(created.json()).toEqual({ id: 'ws-c', name: '琼海', role: 'owner' });
    const again = await t.request({
      method: 'POST',
      url: paths.workspaces,
      token: li.token,
      json: { id: 'ws-c', name: '琼海' },
    });
    expect(again.status).toBe(200);
    expect(
      (
        await t.request({
          method: 'POST',
          url: paths.workspaces,
          token: wang.token,
          json: { id: 'ws-c', name: '琼海' },
        })
      ).status,
    ).toBe(403);

    // /v1/me lists only the caller's workspaces.
    const me = Me.parse((await t.request({ method: 'GET', url: paths.me, token: li.token })).json());
    expect(me.user.name).toBe('李明');
    expect(me.workspaces.map((w) => w.id).sort()).toEqual(['ws-a', 'ws-c']);
  });

  it('a client of another protocol version gets 426 saying which versions; the same version passes', async () => {
    const t = await startServer();
    const li = t.user('李明');
    const r = await t.request({
      method: 'GET',
      url: paths.me,
      token: li.token,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION + 1) },
    });
    expect(r.status).toBe(426);
    expect(errorOf(r).code).toBe('VERSION_MISMATCH');
    expect(errorOf(r).message).toContain(`第 ${PROTOCOL_VERSION + 1} 版`);
    expect(errorOf(r).message).toContain(`只支持第 ${PROTOCOL_VERSION} 版`);
    const ok = await t.request({
      method: 'GET',
      url: paths.me,
      token: li.token,
      headers: { [PROTOCOL_HEADER]: String(PROTOCOL_VERSION) },
    });
    expect(ok.status).toBe(200);
    // Health stays open to any version, so a client can tell the user what the server speaks.
    const h = await t.request({ method: 'GET', url: paths.health, headers: { [PROTOCOL_HEADER]: '99' } });
    expect(h.status).toBe(200);
  });
});
