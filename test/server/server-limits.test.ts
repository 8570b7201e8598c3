import { describe, expect, it } from 'vitest';
import { paths } from '../../main/core/sync/protocol';
import { change, errorOf, startServer } from './helpers';

async function setup(opts: Parameters<typeof startServer>[0] = {}) {
  const t = await startServer(opts);
  const li = t.user('李明');
  t.member(li.id, 'ws', 'owner');
  return { t, token: li.token };
}

describe('sync server: limits and bad input', () => {
  it('a JSON body above the limit is refused with 413 and nothing is stored', async () => {
    const { t, token } = await setup({ maxJsonBytes: 4096 });
    const changes = Array.from({ length: 40 }, (_, i) => change(`e${i}`, 'title', '很长的标题'.repeat(5)));
    const r = await t.request({
      method: 'POST',
      url: paths.changes('ws'),
      token,
      json: { node: 'n', changes },
    });
    expect(r.status).toBe(413);
    expect(errorOf(r).code).toBe('PAYLOAD_TOO_LARGE');
    expect(errorOf(r).message).toContain('超过服务器上限 4 KB');
    expect(t.server.db.prepare('SELECT COUNT(*) AS n FROM changes').get()).toEqual({ n: 0 });
  });

  it('malformed JSON, an empty body and a wrong content type are 400/415 with a Chinese message', async () => {
    const { t, token } = await setup();
    const bad = await t.request({
      method: 'POST',
      url: paths.changes('ws'),
      token,
      body: '{"node": "n", "changes": [',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(errorOf(bad)).toEqual({
      code: 'BAD_REQUEST',
      message: expect.stringContaining('不是有效的 JSON'),
    });
    const empty = await t.request({
      method: 'POST',
      url: paths.workspaces,
      token,
      body: '',
      headers: { 'content-type': 'application/json' },
    });
    expect(empty.status).toBe(400);
    expect(errorOf(empty).code).toBe('BAD_REQUEST');
    const xml = await t.request({
      method: 'POST',
      url: paths.workspaces,
      token,
      body: '<ws/>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(errorOf(xml).message).toContain('application/json');
  });

  it('a body not matching the schema is 400 naming the field; nothing of the push is stored', async () => {
    const { t, token } = await setup();
    const good = change('e1', 'title', '一');
    const r = await t.request({
      method: 'POST',
      url: paths.changes('ws'),
      token,
      json: { node: 'n', changes: [good, { ...good, entityId: 'e2', stamp: 'yesterday' }] },
    });
    expect(r.status).toBe(400);
    expect(errorOf(r).code).toBe('BAD_REQUEST');
    expect(errorOf(r).message).toContain('「changes.1.stamp」');
    expect(errorOf(r).message).toContain('修改时间戳格式不正确');
    const noNode = await t.request({
      method: 'POST',
      url: paths.changes('ws'),
      token,
      json: { changes: [] },
    });
    expect(errorOf(noNode).message).toContain('「node」');
    const op = await t.request({
      method: 'POST',
      url: paths.changes('ws'),
      token,
      json: { node: 'n', changes: [{ ...good, op: 'explode' }] },
    });
    expect(errorOf(op).message).toContain('「changes.0.op」');
    const q = await t.request({ method: 'GET', url: `${paths.changes('ws')}?limit=0`, token });
    expect(q.status).toBe(400);
    expect(errorOf(q).message).toContain('「limit」');
    expect(t.server.db.prepare('SELECT COUNT(*) AS n FROM changes').get()).toEqual({ n: 0 });
  });

  it('rate limiting answers 429 in Chinese with retry-after once the configured limit is used up', async () => {
    const { t, token } = await setup({ rateLimit: { max: 3, timeWindowMs: 60_000 } });
    for (let i = 0; i < 3; i++)
      expect((await t.request({ method: 'GET', url: paths.me, token })).status).toBe(200);
    const r = await t.request({ method: 'GET', url: paths.me, token });
    expect(r.status).toBe(429);
    expect(errorOf(r).code).toBe('RATE_LIMITED');
    expect(errorOf(r).message).toMatch(/请求过于频繁.*秒后再试/);
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    // Another token has its own allowance.
    const wang = t.user('王芳');
    expect((await t.request({ method: 'GET', url: paths.me, token: wang.token })).status).toBe(200);
  });

  it('unknown routes are 404 and internal errors are 500 without internals or a stack trace', async () => {
    const { t, token } = await setup();
    const nf = await t.request({ method: 'GET', url: '/v1/nothing', token });
    expect(nf.status).toBe(404);
    expect(errorOf(nf).code).toBe('NOT_FOUND');
    t.server.db.close(); // the database goes away under the server
    const r = await t.request({ method: 'GET', url: paths.me, token });
    expect(r.status).toBe(500);
    expect(errorOf(r).code).toBe('INTERNAL');
    expect(errorOf(r).message).toMatch(/服务器内部错误.*稍后重试/);
    expect(r.body).not.toMatch(/database|at |\.ts|stack/i);
  });
});
