import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocList, DocSyncResult, paths } from '../../main/core/sync/protocol';
import { errorOf, startServer, type TestServer } from './helpers';

const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'base64'));

/** A laptop's copy of one document and what it has not sent yet. */
class Laptop {
  readonly doc = new Y.Doc();
  private unsent: Uint8Array[] = [];

  constructor() {
    this.doc.on('update', (u: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') this.unsent.push(u);
    });
  }

  async sync(t: TestServer, token: string, ws: string, docId: string) {
    const update = this.unsent.length ? b64(Y.mergeUpdates(this.unsent)) : null;
    const r = await t.request({
      method: 'POST',
      url: paths.docSync(ws, docId),
      token,
      json: { stateVector: b64(Y.encodeStateVector(this.doc)), update },
    });
    if (r.status !== 200) throw new Error(`sync ${r.status} ${r.body}`);
    const res = DocSyncResult.parse(r.json());
    this.unsent = [];
    Y.applyUpdate(this.doc, unb64(res.update), 'remote');
    return { ...res, updateBytes: unb64(res.update).length };
  }
}

async function setup() {
  const t = await startServer();
  const li = t.user('李明');
  t.member(li.id, 'ws', 'owner');
  return { t, token: li.token };
}

describe('sync server: Yjs documents', () => {
  it('three laptops edit the same document offline; after syncing all hold every edit', async () => {
    const { t, token } = await setup();
    const [a, b, c] = [new Laptop(), new Laptop(), new Laptop()];
    a.doc.getText('body').insert(0, '一、总体要求');
    await a.sync(t, token, 'ws', 'doc-1');
    await b.sync(t, token, 'ws', 'doc-1');
    await c.sync(t, token, 'ws', 'doc-1');
    expect(b.doc.getText('body').toString()).toBe('一、总体要求');
    // Concurrent offline edits.
    a.doc.getText('body').insert(0, '【李明】');
    b.doc.getText('body').insert(b.doc.getText('body').length, '【王芳】');
    c.doc.getMap('meta').set('reviewer', '张伟');
    c.doc.getText('body').delete(0, 2);
    const ra = await a.sync(t, token, 'ws', 'doc-1');
    const rb = await b.sync(t, token, 'ws', 'doc-1');
    const rc = await c.sync(t, token, 'ws', 'doc-1');
    expect(rb.seq).toBeGreaterThan(ra.seq);
    expect(rc.seq).toBeGreaterThan(rb.seq);
    await a.sync(t, token, 'ws', 'doc-1');
    await b.sync(t, token, 'ws', 'doc-1');
    const texts = [a, b, c].map((l) => l.doc.getText('body').toString());
    expect(new Set(texts).size).toBe(1);
    expect(texts[0]).toContain('【李明】');
    expect(texts[0]).toContain('【王芳】');
    expect(texts[0]).toContain('总体要求');
    expect(texts[0]).not.toContain('一、');
    expect(a.doc.getMap('meta').get('reviewer')).toBe('张伟');
    // The server state vector equals every laptop's.
    const final = await c.sync(t, token, 'ws', 'doc-1');
    expect(Buffer.from(unb64(final.stateVector))).toEqual(Buffer.from(Y.encodeStateVector(a.doc)));
  });

  it('the answer is only what the client lacks, and a retried update does not bump the document', async () => {
    const { t, token } = await setup();
    const a = new Laptop();
    a.doc.getText('body').insert(0, '长'.repeat(20_000));
    const first = await a.sync(t, token, 'ws', 'doc-2');
    // The client already has everything: the answer is (near) empty.
    expect(first.updateBytes).toBeLessThan(10);
    const fresh = new Laptop();
    const full = await fresh.sync(t, token, 'ws', 'doc-2');
    expect(full.updateBytes).toBeGreaterThan(20_000);
    expect(fresh.doc.getText('body').length).toBe(20_000);
    // The same update again (a retry after a lost answer) changes nothing.
    const update = b64(Y.encodeStateAsUpdate(a.doc));
    const r = await t.request({
      method: 'POST',
      url: paths.docSync('ws', 'doc-2'),
      token,
      json: { stateVector: b64(Y.encodeStateVector(a.doc)), update },
    });
    expect(DocSyncResult.parse(r.json()).seq).toBe(first.seq);
    // An empty client receives the document with update null.
    const list = DocList.parse(
      (await t.request({ method: 'GET', url: `${paths.docs('ws')}?since=0`, token })).json(),
    );
    expect(list.docs).toEqual([{ docId: 'doc-2', seq: first.seq }]);
    expect(list.next).toBe(first.seq);
  });

  it('lists documents changed after a sequence number', async () => {
    const { t, token } = await setup();
    const a = new Laptop();
    a.doc.getText('body').insert(0, '甲');
    const s1 = await a.sync(t, token, 'ws', 'd1');
    const b = new Laptop();
    b.doc.getText('body').insert(0, '乙');
    const s2 = await b.sync(t, token, 'ws', 'd2');
    const all = DocList.parse((await t.request({ method: 'GET', url: paths.docs('ws'), token })).json());
    expect(all.docs.map((d) => d.docId)).toEqual(['d1', 'd2']);
    const after = DocList.parse(
      (await t.request({ method: 'GET', url: `${paths.docs('ws')}?since=${s1.seq}`, token })).json(),
    );
    expect(after).toEqual({ docs: [{ docId: 'd2', seq: s2.seq }], next: s2.seq });
    a.doc.getText('body').insert(1, '丙');
    const s3 = await a.sync(t, token, 'ws', 'd1');
    const later = DocList.parse(
      (await t.request({ method: 'GET', url: `${paths.docs('ws')}?since=${s2.seq}`, token })).json(),
    );
    expect(later).toEqual({ docs: [{ docId: 'd1', seq: s3.seq }], next: s3.seq });
  });

  it('a corrupt update or state vector is refused with 400 and the stored document is unchanged', async () => {
    const { t, token } = await setup();
    const a = new Laptop();
    a.doc.getText('body').insert(0, '原文');
    const ok = await a.sync(t, token, 'ws', 'doc-3');
    const good = Y.encodeStateAsUpdate(a.doc);
    for (const bad of [
      good.slice(0, good.length - 3),
      new Uint8Array(64).fill(255),
      new TextEncoder().encode('hello world garbage'),
    ]) {
      const r = await t.request({
        method: 'POST',
        url: paths.docSync('ws', 'doc-3'),
        token,
        json: { stateVector: b64(Y.encodeStateVector(new Y.Doc())), update: b64(bad) },
      });
      expect(r.status).toBe(400);
      expect(errorOf(r).code).toBe('BAD_REQUEST');
      expect(errorOf(r).message).toMatch(/doc-3.*已损坏|无法与服务器上的版本合并/);
    }
    const badSv = await t.request({
      method: 'POST',
      url: paths.docSync('ws', 'doc-3'),
      token,
      json: { stateVector: b64(new Uint8Array([255, 255])), update: null },
    });
    expect(badSv.status).toBe(400);
    const notB64 = await t.request({
      method: 'POST',
      url: paths.docSync('ws', 'doc-3'),
      token,
      json: { stateVector: '***', update: null },
    });
    expect(notB64.status).toBe(400);
    expect(errorOf(notB64).message).toContain('stateVector');
    const fresh = new Laptop();
    const after = await fresh.sync(t, token, 'ws', 'doc-3');
    expect(after.seq).toBe(ok.seq);
    expect(fresh.doc.getText('body').toString()).toBe('原文');
  });
});
