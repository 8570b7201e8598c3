/**
 * ProseMirror JSON ⇄ Yjs XML, the way the editor's binding (y-prosemirror / @tiptap/y-tiptap)
 * stores a document: an element per node (nodeName = node type, attributes = node attrs), a
 * Y.XmlText per run of inline content whose formatting attributes are the marks
 * ({ bold: {} , link: { href } }). The core uses this to export, index and seed documents
 * without loading ProseMirror; a unit test keeps it equal to the editor's own conversion.
 */
import * as Y from 'yjs';

import type { PmMarkJson, PmNodeJson } from '../contract/materials';

export type PmMark = PmMarkJson;
export type PmNode = PmNodeJson;

/** The fragment TipTap's Collaboration extension binds to. */
export const FRAGMENT = 'default';

function markName(key: string): string {
  // y-prosemirror gives overlapping marks of one type a suffix: comment--<hash>
  const i = key.indexOf('--');
  return i >= 0 ? key.slice(0, i) : key;
}

function textNodes(text: Y.XmlText): PmNode[] {
  const out: PmNode[] = [];
  for (const op of text.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    const node: PmNode = { type: 'text', text: op.insert };
    const attrs = op.attributes ?? {};
    // as the editor binding does: every mark carries its attrs (possibly {})
    const marks = Object.keys(attrs).map((k) => {
      const a = attrs[k];
      return { type: markName(k), attrs: (a && typeof a === 'object' ? a : {}) as Record<string, unknown> };
    });
    if (marks.length) node.marks = marks;
    out.push(node);
  }
  return out;
}

function elementToJson(el: Y.XmlElement): PmNode {
  const node: PmNode = { type: el.nodeName };
  const attrs = el.getAttributes() as Record<string, unknown>;
  if (Object.keys(attrs).length) node.attrs = attrs;
  const content = childrenToJson(el);
  if (content.length) node.content = content;
  return node;
}

function childrenToJson(parent: Y.XmlElement | Y.XmlFragment): PmNode[] {
  const out: PmNode[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlElement) out.push(elementToJson(child));
    else if (child instanceof Y.XmlText) out.push(...textNodes(child));
  }
  return out;
}

/** The document as ProseMirror JSON ({ type: 'doc', content }). */
export function fragmentToJson(fragment: Y.XmlFragment): PmNode {
  return { type: 'doc', content: childrenToJson(fragment) };
}

export function docToJson(doc: Y.Doc): PmNode {
  return fragmentToJson(doc.getXmlFragment(FRAGMENT));
}

function appendChildren(parent: Y.XmlElement | Y.XmlFragment, nodes: readonly PmNode[], at: number): void {
  const items: (Y.XmlElement | Y.XmlText)[] = [];
  let text: Y.XmlText | null = null;
  const pendingRuns: { text: Y.XmlText; runs: PmNode[] }[] = [];
  for (const n of nodes) {
    if (n.type === 'text') {
      if (!text) {
        text = new Y.XmlText();
        items.push(text);
        pendingRuns.push({ text, runs: [] });
      }
      pendingRuns[pendingRuns.length - 1]?.runs.push(n);
      continue;
    }
    text = null;
    const el = new Y.XmlElement(n.type);
    items.push(el);
    for (const [k, v] of Object.entries(n.attrs ?? {})) {
      if (v !== null && v !== undefined) el.setAttribute(k, v as string);
    }
    if (n.content?.length) appendChildren(el, n.content, 0); // a new element: empty, not yet in a document
  }
  parent.insert(at, items);
  for (const { text: t, runs } of pendingRuns) {
    let pos = 0;
    for (const r of runs) {
      const s = r.text ?? '';
      const attrs: Record<string, unknown> = {};
      for (const m of r.marks ?? []) attrs[m.type] = m.attrs ?? {};
      t.insert(pos, s, attrs);
      pos += s.length;
    }
  }
}

/** Writes ProseMirror JSON into an empty fragment (one transaction when called inside one). */
export function jsonToFragment(json: PmNode, fragment: Y.XmlFragment): void {
  appendChildren(fragment, json.content ?? [], fragment.length);
}

/** Replaces the whole content of `doc` with `json` in one transaction; returns that change as an update. */
export function replaceDocContent(doc: Y.Doc, json: PmNode): Uint8Array {
  const before = Y.encodeStateVector(doc);
  doc.transact(() => {
    const f = doc.getXmlFragment(FRAGMENT);
    f.delete(0, f.length);
    jsonToFragment(json, f);
  });
  return Y.encodeStateAsUpdate(doc, before);
}

/** A new document holding `json`, as one Yjs update. */
export function jsonToUpdate(json: PmNode): Uint8Array {
  const doc = new Y.Doc();
  doc.transact(() => jsonToFragment(json, doc.getXmlFragment(FRAGMENT)));
  return Y.encodeStateAsUpdate(doc);
}

/** Plain text of a document: blocks separated by new lines (for search and counting). */
export function plainText(json: PmNode): string {
  const out: string[] = [];
  const walk = (n: PmNode, sink: string[]) => {
    if (n.type === 'text') {
      sink.push(n.text ?? '');
      return;
    }
    if (n.type === 'hardBreak') {
      sink.push('\n');
      return;
    }
    const inner: string[] = [];
    for (const c of n.content ?? []) walk(c, inner);
    const text = inner.join('');
    const block = ['paragraph', 'heading', 'tableCell', 'tableHeader', 'listItem'].includes(n.type);
    sink.push(block ? `${text}\n` : text);
  };
  for (const c of json.content ?? []) walk(c, out);
  return out
    .join('')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
