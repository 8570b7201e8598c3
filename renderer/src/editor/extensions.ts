/**
 * The editor's schema and behaviour, shared by the collaborative editor and the read-only
 * version preview. The node and mark names are the document convention the core's docx writer
 * reads (main/core/docs/pm.ts): doc, paragraph, heading (level 1–4), text, hardBreak,
 * bulletList, orderedList (start), listItem, blockquote, horizontalRule, table, tableRow,
 * tableHeader, tableCell (colspan, rowspan, colwidth), image (src cwb-blob:<sha>, alt, title,
 * width, height), pageBreak; marks bold, italic, underline, strike, link. No code or code blocks
 * (not used in official documents).
 */
import type { AnyExtension } from '@tiptap/core';
import { Collaboration } from '@tiptap/extension-collaboration';
import { TableKit } from '@tiptap/extension-table';
import { StarterKit } from '@tiptap/starter-kit';
import type * as Y from 'yjs';
import { CwbImage } from './image';
import { PageBreak, PageBreakKeymap } from './pageBreak';

export interface ExtensionOptions {
  /** The document to bind to (collaborative editing); none for a read-only preview. */
  ydoc?: Y.Doc;
  /** Shown to the user when a picture cannot be inserted. */
  onImageError?: (message: string) => void;
}

export function editorExtensions({ ydoc, onImageError }: ExtensionOptions = {}): AnyExtension[] {
  const list: AnyExtension[] = [
    StarterKit.configure({
      code: false,
      codeBlock: false,
      // undo / redo come from the Yjs binding (Collaboration), which tracks only local changes
      undoRedo: false,
      // a trailing paragraph would be a change made just by opening a document
      trailingNode: false,
      heading: { levels: [1, 2, 3, 4] },
      link: { openOnClick: false, autolink: false, protocols: ['http', 'https', 'mailto'] },
      dropcursor: { color: '#1f5fbf', width: 2 },
    }),
    TableKit.configure({
      table: { resizable: true, cellMinWidth: 40, lastColumnResizable: false, allowTableNodeSelection: true },
    }),
    CwbImage.configure({ onError: onImageError ?? (() => undefined) }),
    PageBreak,
    PageBreakKeymap,
  ];
  if (ydoc) list.push(Collaboration.configure({ document: ydoc, field: 'default' }));
  return list;
}
