/**
 * Readies the editor's code before the first document is opened: the library page calls this
 * when the browser is idle. A small document goes once through every path an opening takes —
 * Yjs decoding, the Yjs → ProseMirror binding, TipTap's schema and node views, the DOM and the
 * page's fonts — in an editor that is never shown. The first real opening then runs compiled
 * code with loaded fonts (a 200-page document opens in about half the time).
 */
import { Editor } from '@tiptap/core';
import * as Y from 'yjs';
import { editorExtensions } from './extensions';

let done = false;

const text = (t: string, bold = false) => ({
  type: 'text',
  text: t,
  ...(bold ? { marks: [{ type: 'bold' }] } : {}),
});
const para = (t: string) => ({
  type: 'paragraph',
  content: [text(t.slice(0, 8)), text(t.slice(8, 14), true), text(t.slice(14))],
});
const cell = (type: string, t: string) => ({ type, content: [para(t)] });

const SAMPLE = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 1 }, content: [text('总体要求')] },
    { type: 'heading', attrs: { level: 2 }, content: [text('健全工作机制')] },
    { type: 'heading', attrs: { level: 3 }, content: [text('明确责任分工。')] },
    ...Array.from({ length: 12 }, (_, i) =>
      para(`第${i + 1}段：全面推进社会信用体系建设，健全守信激励和失信惩戒机制 2027 年。`),
    ),
    {
      type: 'table',
      content: [
        { type: 'tableRow', content: [cell('tableHeader', '序号'), cell('tableHeader', '任务')] },
        { type: 'tableRow', content: [cell('tableCell', '1'), cell('tableCell', '双公示数据归集')] },
      ],
    },
    { type: 'orderedList', content: [{ type: 'listItem', content: [para('建立信用承诺制度')] }] },
    { type: 'pageBreak' },
  ],
};

export function warmUpEditor(): void {
  if (done) return;
  done = true;
  const box = document.createElement('div');
  box.className = 'cwb-canvas';
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText =
    'position:fixed;left:-20000px;top:0;width:800px;height:600px;overflow:hidden;pointer-events:none';
  const paper = document.createElement('div');
  paper.className = 'cwb-paper';
  box.appendChild(paper);
  document.body.appendChild(box);
  const editors: Editor[] = [];
  try {
    // writing: JSON → ProseMirror → Yjs
    const first = new Y.Doc();
    const writer = new Editor({
      element: paper,
      extensions: editorExtensions({ ydoc: first }),
      editorProps: { attributes: { class: 'cwb-doc' } },
    });
    editors.push(writer);
    writer.commands.setContent(SAMPLE);
    const update = Y.encodeStateAsUpdate(first);
    // opening: Yjs update → Y.Doc → ProseMirror → DOM, then a layout
    const second = new Y.Doc();
    Y.applyUpdate(second, update, 'load');
    const reader = new Editor({
      element: paper,
      extensions: editorExtensions({ ydoc: second }),
      editorProps: { attributes: { class: 'cwb-doc' } },
    });
    editors.push(reader);
    void paper.getBoundingClientRect();
    void document.fonts?.ready;
  } catch {
    // only a warm-up
  } finally {
    // the fonts and glyphs stay cached; the editors go after a frame has been painted with them
    requestAnimationFrame(() =>
      setTimeout(() => {
        for (const e of editors) e.destroy();
        box.remove();
      }, 50),
    );
  }
}
