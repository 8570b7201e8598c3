/**
 * Yjs documents of materials: concurrent offline edits merge with nothing lost; the local store
 * appends updates, compacts them into a snapshot, never writes on open, reopens to exactly the
 * same content and survives corrupt updates; versions restore as a new change; the core's
 * ProseMirror ⇄ Yjs conversion equals the editor binding's.
 */
import { prosemirrorJSONToYXmlFragment, yXmlFragmentToProsemirrorJSON } from '@tiptap/y-tiptap';
import { getSchema } from '@tiptap/core';
import StarterKit from '@tiptap/starter-kit';
import { TableKit } from '@tiptap/extension-table';
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import {
  FRAGMENT,
  docToJson,
  jsonToFragment,
  jsonToUpdate,
  plainText,
  type PmNode,
} from '../../main/core/docs/pm';
import { COMPACT_UPDATES, appendUpdate, docState, loadDoc } from '../../main/core/docs/store';
import { call, callError, coreWithWorkspace, countRows, wsOf } from '../helpers/core';

const SAMPLE: PmNode = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [{ type: 'text', text: '指导思想' }] },
    {
      type: 'paragraph',
      content: [
        { type: 'text', text: '坚持' },
        { type: 'text', text: '依法依规', marks: [{ type: 'bold' }] },
        { type: 'text', text: '推进信用体系建设。' },
      ],
    },
    {
      type: 'table',
      content: [
        {
          type: 'tableRow',
          content: [
            {
              type: 'tableHeader',
              attrs: { colspan: 1, rowspan: 1, colwidth: null },
              content: [{ type: 'paragraph', content: [{ type: 'text', text: '任务' }] }],
            },
          ],
        },
        {
          type: 'tableRow',
          content: [
            {
              type: 'tableCell',
              attrs: { colspan: 1, rowspan: 1, colwidth: null },
              content: [{ type: 'paragraph', content: [{ type: 'text', text: '双公示' }] }],
            },
          ],
        },
      ],
    },
  ],
};

function paragraphText(doc: Y.Doc, index: number): string {
  const json = docToJson(doc);
  const p = json.content?.[index];
  return (p?.content ?? []).map((t) => t.text ?? '').join('');
}

/** Types into the XmlText of the n-th block at `pos`, like the editor would. */
function typeInto(doc: Y.Doc, block: number, pos: number, text: string): void {
  // one transaction = one update, as one keystroke in the editor
  doc.transact(() => {
    const el = doc.getXmlFragment(FRAGMENT).get(block) as Y.XmlElement;
    let t = el.get(0) as Y.XmlText | undefined;
    if (!t) {
      // an empty paragraph has no text yet (as in the editor)
      el.insert(0, [new Y.XmlText()]);
      t = el.get(0) as Y.XmlText;
    }
    t.insert(pos, text);
  });
}

describe('concurrent offline edits', () => {
  it('two laptops edit the same paragraph offline; after exchanging updates both edits are kept', () => {
    const base = jsonToUpdate({
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: '加快推进信用体系建设。' }] }],
    });
    const a = new Y.Doc();
    const b = new Y.Doc();
    Y.applyUpdate(a, base);
    Y.applyUpdate(b, base);
    const fromA: Uint8Array[] = [];
    const fromB: Uint8Array[] = [];
    a.on('update', (u: Uint8Array) => fromA.push(u));
    b.on('update', (u: Uint8Array) => fromB.push(u));
    typeInto(a, 0, 0, '全面');
    typeInto(b, 0, 10, '（李明补充：年底前完成）');
    // exchange, in either order, even twice (idempotent)
    for (const u of fromB) Y.applyUpdate(a, u);
    for (const u of fromA) Y.applyUpdate(b, u);
    for (const u of fromA) Y.applyUpdate(b, u);
    expect(paragraphText(a, 0)).toBe(paragraphText(b, 0));
    expect(paragraphText(a, 0)).toContain('全面加快推进');
    expect(paragraphText(a, 0)).toContain('（李明补充：年底前完成）');
  });

  it('three editors, deletions and insertions in the same sentence, converge without loss', () => {
    const base = jsonToUpdate(SAMPLE);
    const docs = [new Y.Doc(), new Y.Doc(), new Y.Doc()];
    for (const d of docs) Y.applyUpdate(d, base);
    const logs: Uint8Array[][] = docs.map(() => []);
    docs.forEach((d, i) => d.on('update', (u: Uint8Array) => logs[i]!.push(u)));
    typeInto(docs[0]!, 0, 4, '和基本原则');
    (docs[1]!.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    ((docs[1]!.getXmlFragment(FRAGMENT).get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 2);
    docs[2]!.getXmlFragment(FRAGMENT).insert(1, [new Y.XmlElement('paragraph')]);
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 3; j++) if (i !== j) for (const u of logs[j]!) Y.applyUpdate(docs[i]!, u);
    const [j0, j1, j2] = docs.map((d) => JSON.stringify(docToJson(d)));
    expect(j0).toBe(j1);
    expect(j1).toBe(j2);
    expect(paragraphText(docs[0]!, 0)).toBe('思想和基本原则');
    expect(docToJson(docs[0]!).content).toHaveLength(4);
  });
});

describe('the local store', () => {
  it('appends updates, reopens to exactly the same content, and never writes on open', async () => {
    const { core } = await coreWithWorkspace();
    const m = await call(core, 'materials.create', { title: '工作要点', type: 'work_points' });
    const ws = wsOf(core);
    const editor = new Y.Doc();
    Y.applyUpdate(editor, Buffer.from((await call(core, 'docs.load', { docId: m.id })).update, 'base64'));
    const sent: Uint8Array[] = [];
    editor.on('update', (u: Uint8Array) => sent.push(u));
    editor.transact(() => {
      const f = editor.getXmlFragment(FRAGMENT);
      f.delete(0, f.length);
      jsonToFragment(SAMPLE, f);
    });
    typeInto(editor, 1, 2, '全面');
    for (const u of sent)
      await call(core, 'docs.push', { docId: m.id, update: Buffer.from(u).toString('base64') });
    const before = countRows(core, 'doc_updates') + countRows(core, 'doc_snapshots');
    const changesBefore = countRows(core, 'changes');
    const loaded = await call(core, 'docs.load', { docId: m.id });
    const again = new Y.Doc();
    Y.applyUpdate(again, Buffer.from(loaded.update, 'base64'));
    expect(docToJson(again)).toEqual(docToJson(editor));
    expect(loaded.problems).toEqual([]);
    expect(countRows(core, 'doc_updates') + countRows(core, 'doc_snapshots')).toBe(before);
    expect(countRows(core, 'changes')).toBe(changesBefore);
    // full-text search finds a two-character word of the content
    const found = await call(core, 'materials.list', { search: '公示' });
    expect(found.map((x) => x.id)).toEqual([m.id]);
    expect(found[0]!.excerpt).toContain('双公示');
    expect(plainText(docToJson(ws.db ? again : again))).toContain('坚持全面依法依规');
  });

  it('compacts past the threshold into the snapshot, in one transaction, content unchanged', async () => {
    const { core } = await coreWithWorkspace();
    const m = await call(core, 'materials.create', { title: '会议纪要', type: 'meeting_minutes' });
    const ws = wsOf(core);
    const editor = new Y.Doc();
    Y.applyUpdate(editor, docState(ws, m.id).update);
    const sent: Uint8Array[] = [];
    editor.on('update', (u: Uint8Array) => sent.push(u));
    for (let i = 0; i < COMPACT_UPDATES + 5; i++) {
      editor
        .getXmlFragment(FRAGMENT)
        .insert(editor.getXmlFragment(FRAGMENT).length, [new Y.XmlElement('paragraph')]);
    }
    for (const u of sent) appendUpdate(ws, m.id, u, new Date().toISOString(), null);
    expect(countRows(core, 'doc_updates', `doc_id = '${m.id}'`)).toBeLessThan(10);
    const snap = ws.db.prepare('SELECT merged FROM doc_snapshots WHERE doc_id = ?').get(m.id) as {
      merged: number;
    };
    expect(snap.merged).toBeGreaterThanOrEqual(COMPACT_UPDATES);
    const reopened = new Y.Doc();
    Y.applyUpdate(reopened, docState(ws, m.id).update);
    expect(docToJson(reopened)).toEqual(docToJson(editor));
  });

  it('a corrupt update is skipped on load with a message; a corrupt push is refused', async () => {
    const { core } = await coreWithWorkspace();
    const m = await call(core, 'materials.create', { title: '制度文件', type: 'regulation' });
    const ws = wsOf(core);
    const editor = new Y.Doc();
    Y.applyUpdate(editor, docState(ws, m.id).update);
    const sent: Uint8Array[] = [];
    editor.on('update', (u: Uint8Array) => sent.push(u));
    typeInto(editor, 0, 0, '第一条');
    await call(core, 'docs.push', { docId: m.id, update: Buffer.from(sent[0]!).toString('base64') });
    // a corrupt row lands in the log (e.g. a damaged disk sector)
    ws.db
      .prepare("INSERT INTO doc_updates (doc_id, data, at) VALUES (?, ?, '2027-01-01T00:00:00.000Z')")
      .run(m.id, Buffer.from([0x01, 0xff, 0xff, 0xff, 0x0f, 0x07, 0x99]));
    const loaded = loadDoc(ws, m.id);
    expect(loaded.problems.join('')).toMatch(/跳过/);
    expect(plainText(docToJson(loaded.doc))).toBe('第一条');
    const r = await call(core, 'docs.load', { docId: m.id });
    expect(r.problems.length).toBe(1);
    const e = await callError(
      core,
      'docs.push',
      { docId: m.id, update: Buffer.from([9, 9, 9, 9]).toString('base64') },
      'BAD_INPUT',
    );
    expect(e.message).toMatch(/损坏/);
  });
});

describe('versions', () => {
  it('saves named versions and restores one as a new change, keeping the content before it', async () => {
    const { core } = await coreWithWorkspace();
    const m = await call(core, 'materials.create', { title: '实施方案', type: 'implementation_plan' });
    const ws = wsOf(core);
    const editor = new Y.Doc();
    Y.applyUpdate(editor, docState(ws, m.id).update);
    const push = async (f: () => void) => {
      const sent: Uint8Array[] = [];
      const h = (u: Uint8Array) => sent.push(u);
      editor.on('update', h);
      f();
      editor.off('update', h);
      await call(core, 'docs.push', {
        docId: m.id,
        update: Buffer.from(Y.mergeUpdates(sent)).toString('base64'),
      });
    };
    await push(() => typeInto(editor, 0, 0, '初稿内容'));
    const v1 = await call(core, 'docs.saveVersion', { docId: m.id, name: '初稿' });
    await push(() => typeInto(editor, 0, 4, '，修改后'));
    const view = await call(core, 'docs.versionJson', { versionId: v1.id });
    expect(plainText(view.json)).toBe('初稿内容');
    const r = await call(core, 'docs.restoreVersion', { versionId: v1.id });
    Y.applyUpdate(editor, Buffer.from(r.update, 'base64'), 'remote');
    expect(plainText(docToJson(editor))).toBe('初稿内容');
    expect(plainText((await call(core, 'docs.json', { docId: m.id })).json)).toBe('初稿内容');
    const versions = await call(core, 'docs.versions', { docId: m.id });
    expect(versions.map((v) => v.name)).toEqual(['恢复「初稿」之前的内容', '初稿']);
    expect(plainText((await call(core, 'docs.versionJson', { versionId: versions[0]!.id })).json)).toBe(
      '初稿内容，修改后',
    );
    expect(versions[0]!.author).toBe('李明');
  });
});

describe('ProseMirror ⇄ Yjs conversion equals the editor binding', () => {
  const schema = getSchema([StarterKit, TableKit]);

  it('the core reads what the editor wrote', () => {
    const doc = new Y.Doc();
    prosemirrorJSONToYXmlFragment(schema, SAMPLE, doc.getXmlFragment(FRAGMENT));
    expect(docToJson(doc)).toEqual(yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(FRAGMENT)));
    expect(plainText(docToJson(doc))).toContain('坚持依法依规推进信用体系建设。');
  });

  it('the editor reads what the core wrote', () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, jsonToUpdate(SAMPLE));
    const json = yXmlFragmentToProsemirrorJSON(doc.getXmlFragment(FRAGMENT)) as PmNode;
    // the binding fills every attribute the schema defines; compare the meaningful part
    const node = schema.nodeFromJSON(json);
    expect(node.textContent).toBe('指导思想坚持依法依规推进信用体系建设。任务双公示');
    expect(json.content?.[1]?.content?.[1]?.marks).toEqual([{ type: 'bold', attrs: {} }]);
    expect(json.content?.[0]?.attrs?.level).toBe(1);
  });
});
