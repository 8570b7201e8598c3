import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlobPutResult, paths } from '../../main/core/sync/protocol';
import { errorOf, startServer, type TestServer } from './helpers';

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function setup(opts: Parameters<typeof startServer>[0] = {}) {
  const t = await startServer(opts);
  const li = t.user('李明');
  t.member(li.id, 'ws', 'owner');
  return { t, token: li.token, userId: li.id };
}

function put(
  t: TestServer,
  token: string,
  ws: string,
  hash: string,
  offset: number,
  size: number,
  chunk: Buffer,
) {
  return t.request({
    method: 'PUT',
    url: `${paths.blob(ws, hash)}?offset=${offset}&size=${size}`,
    token,
    body: chunk,
  });
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name);
}

describe('sync server: blobs', () => {
  it('uploads in two chunks with an interruption: HEAD reports the offset, a wrong offset is refused, resume completes', async () => {
    const { t, token } = await setup();
    const data = randomBytes(300_000);
    const h = sha(data);
    const head0 = await t.request({ method: 'HEAD', url: paths.blob('ws', h), token });
    expect(head0.status).toBe(404);
    expect(head0.headers['upload-offset']).toBe('0');

    const r1 = await put(t, token, 'ws', h, 0, data.length, data.subarray(0, 120_000));
    expect(r1.status).toBe(200);
    expect(BlobPutResult.parse(r1.json())).toEqual({ sha256: h, offset: 120_000, complete: false });
    // "Interruption": the client lost the answer and asks where to resume.
    const head1 = await t.request({ method: 'HEAD', url: paths.blob('ws', h), token });
    expect(head1.status).toBe(404);
    expect(head1.headers['upload-offset']).toBe('120000');
    // Not complete yet, so not downloadable.
    expect((await t.request({ method: 'GET', url: paths.blob('ws', h), token })).status).toBe(404);
    // Resending the first chunk (offset 0) is refused with the current offset.
    const wrong = await put(t, token, 'ws', h, 0, data.length, data.subarray(0, 120_000));
    expect(wrong.status).toBe(409);
    expect(wrong.headers['upload-offset']).toBe('120000');
    expect(errorOf(wrong).message).toContain('120000');
    // A different declared size in mid-upload, or a chunk running past the size, is refused.
    const otherSize = await put(t, token, 'ws', h, 120_000, 200_000, data.subarray(120_000));
    expect(otherSize.status).toBe(409);
    expect(otherSize.headers['upload-offset']).toBe('120000');
    const past = await put(
      t,
      token,
      'ws',
      h,
      120_000,
      data.length,
      Buffer.concat([data.subarray(120_000), Buffer.from('x')]),
    );
    expect(past.status).toBe(400);
    expect(errorOf(past).message).toContain('超出了声明的附件大小');

    const r2 = await put(t, token, 'ws', h, 120_000, data.length, data.subarray(120_000));
    expect(BlobPutResult.parse(r2.json())).toEqual({ sha256: h, offset: data.length, complete: true });
    const head2 = await t.request({ method: 'HEAD', url: paths.blob('ws', h), token });
    expect(head2.status).toBe(200);
    expect(head2.headers['content-length']).toBe(String(data.length));
    const got = await t.request({ method: 'GET', url: paths.blob('ws', h), token });
    expect(got.status).toBe(200);
    expect(got.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.compare(got.raw, data)).toBe(0);
    // Uploading again is a no-op that reports completion.
    const again = await put(t, token, 'ws', h, 0, data.length, data.subarray(0, 10));
    expect(BlobPutResult.parse(again.json()).complete).toBe(true);
    expect(filesUnder(path.join(t.dataDir, 'uploads'))).toEqual([]);
    expect(filesUnder(path.join(t.dataDir, 'blobs'))).toEqual([h]);
  });

  it('a blob whose content does not match its hash is refused with 422 and nothing is stored', async () => {
    const { t, token } = await setup();
    const data = Buffer.from('整改报告扫描件');
    const claimed = sha(Buffer.from('别的内容'));
    const half = Math.floor(data.length / 2);
    expect((await put(t, token, 'ws', claimed, 0, data.length, data.subarray(0, half))).status).toBe(200);
    const r = await put(t, token, 'ws', claimed, half, data.length, data.subarray(half));
    expect(r.status).toBe(422);
    expect(errorOf(r).code).toBe('HASH_MISMATCH');
    expect(errorOf(r).message).toMatch(/校验值不符.*重新上传/);
    const head = await t.request({ method: 'HEAD', url: paths.blob('ws', claimed), token });
    expect(head.status).toBe(404);
    expect(head.headers['upload-offset']).toBe('0');
    expect(filesUnder(path.join(t.dataDir, 'uploads'))).toEqual([]);
    expect(filesUnder(path.join(t.dataDir, 'blobs'))).toEqual([]);
    expect(t.server.db.prepare('SELECT COUNT(*) AS n FROM blobs').get()).toEqual({ n: 0 });
  });

  it('refuses a blob above the size limit (413) and a chunk above the chunk limit (413)', async () => {
    const { t, token } = await setup({ maxBlobBytes: 1000, maxChunkBytes: 400 });
    const big = randomBytes(1001);
    const r = await put(t, token, 'ws', sha(big), 0, big.length, big.subarray(0, 100));
    expect(r.status).toBe(413);
    expect(errorOf(r).code).toBe('PAYLOAD_TOO_LARGE');
    expect(errorOf(r).message).toMatch(/超过服务器上限/);
    const ok = randomBytes(900);
    const chunk = await put(t, token, 'ws', sha(ok), 0, ok.length, ok.subarray(0, 500));
    expect(chunk.status).toBe(413);
    expect(errorOf(chunk).message).toMatch(/数据块超过/);
    // In chunks within the limit it goes through.
    await put(t, token, 'ws', sha(ok), 0, ok.length, ok.subarray(0, 400));
    await put(t, token, 'ws', sha(ok), 400, ok.length, ok.subarray(400, 800));
    const last = await put(t, token, 'ws', sha(ok), 800, ok.length, ok.subarray(800));
    expect(BlobPutResult.parse(last.json()).complete).toBe(true);
  });

  it('an empty file uploads; a workspace reads only blobs uploaded to it; GET streams over real HTTP', async () => {
    const { t, token, userId } = await setup();
    const empty = Buffer.alloc(0);
    const r = await t.request({
      method: 'PUT',
      url: `${paths.blob('ws', sha(empty))}?offset=0&size=0`,
      token,
    });
    expect(BlobPutResult.parse(r.json())).toEqual({ sha256: sha(empty), offset: 0, complete: true });

    const data = randomBytes(2 * 1024 * 1024 + 17);
    const h = sha(data);
    await put(t, token, 'ws', h, 0, data.length, data);
    // The same user is also in another workspace: the blob is not readable there until uploaded there.
    t.member(userId, 'ws-2', 'member');
    expect((await t.request({ method: 'HEAD', url: paths.blob('ws-2', h), token })).status).toBe(404);
    expect((await t.request({ method: 'GET', url: paths.blob('ws-2', h), token })).status).toBe(404);
    await put(t, token, 'ws-2', h, 0, data.length, data);
    expect((await t.request({ method: 'HEAD', url: paths.blob('ws-2', h), token })).status).toBe(200);

    const { url } = await t.server.listen(0);
    const res = await fetch(`${url}${paths.blob('ws', h)}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe(String(data.length));
    expect(Buffer.compare(Buffer.from(await res.arrayBuffer()), data)).toBe(0);
  });

  it('rejects a malformed hash, missing offset and a wrong content type', async () => {
    const { t, token } = await setup();
    const bad = await t.request({ method: 'GET', url: paths.blob('ws', 'ABC'), token });
    expect(bad.status).toBe(400);
    expect(errorOf(bad).message).toContain('sha256');
    const noOffset = await t.request({
      method: 'PUT',
      url: paths.blob('ws', 'a'.repeat(64)),
      token,
      body: Buffer.from('x'),
    });
    expect(noOffset.status).toBe(400);
    expect(errorOf(noOffset).message).toContain('offset');
    const text = await t.request({
      method: 'PUT',
      url: `${paths.blob('ws', 'a'.repeat(64))}?offset=0&size=1`,
      token,
      body: 'x',
      headers: { 'content-type': 'image/png' },
    });
    expect(text.status).toBe(415);
    expect(errorOf(text).message).toContain('application/octet-stream');
  });
});
