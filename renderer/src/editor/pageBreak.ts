import { Extension, mergeAttributes, Node } from '@tiptap/core';
import { NodeSelection, TextSelection } from '@tiptap/pm/state';

declare module '@tiptap/core' {
  interface Commands<ReturnType> {
    pageBreak: {
      /** Inserts a page break (分页符) at the selection. */
      setPageBreak: () => ReturnType;
    };
  }
}

/**
 * 分页符: an atom block node named exactly 'pageBreak' (the docx writer starts a new page there).
 * Shown as a dashed line with its name across the sheet.
 */
export const PageBreak = Node.create({
  name: 'pageBreak',
  group: 'block',
  atom: true,
  selectable: true,
  draggable: false,

  parseHTML() {
    return [{ tag: 'div[data-page-break]' }];
  },

  renderHTML({ HTMLAttributes }) {
    return [
      'div',
      mergeAttributes(HTMLAttributes, {
        'data-page-break': '',
        class: 'cwb-page-break',
        contenteditable: 'false',
      }),
      ['span', {}, '分页符'],
    ];
  },

  addCommands() {
    return {
      setPageBreak:
        () =>
        ({ chain, state }) => {
          const { selection } = state;
          const { $from } = selection;
          // at the end of a non-empty paragraph or heading, Word goes on in a new empty paragraph
          // on the next page rather than jumping into whatever block follows
          const atBlockEnd =
            selection.empty &&
            $from.parent.isTextblock &&
            $from.parent.content.size > 0 &&
            $from.parentOffset === $from.parent.content.size;
          const c = chain();
          if (selection instanceof NodeSelection) c.insertContentAt(selection.$to.pos, { type: this.name });
          else if (atBlockEnd) c.insertContentAt($from.after(), { type: this.name });
          else c.insertContent({ type: this.name });
          return c
            .command(({ tr, dispatch }) => {
              if (!dispatch) return true;
              const paragraph = state.schema.nodes.paragraph;
              if (atBlockEnd && paragraph) {
                // the break sits right after the block the cursor was in
                const breakEnd = tr.mapping.map($from.after(), 1);
                tr.insert(breakEnd, paragraph.create());
                tr.setSelection(TextSelection.create(tr.doc, breakEnd + 1));
                tr.scrollIntoView();
                return true;
              }
              const { $to } = tr.selection;
              const after = $to.nodeAfter;
              if (after?.isTextblock) tr.setSelection(TextSelection.create(tr.doc, $to.pos + 1));
              else if (!after) {
                // the end of the document (or of a cell): a paragraph to go on writing in
                const p = paragraph?.create();
                if (p) {
                  tr.insert($to.end(), p);
                  tr.setSelection(TextSelection.create(tr.doc, $to.end() + 1));
                }
              }
              tr.scrollIntoView();
              return true;
            })
            .run();
        },
    };
  },
});

/**
 * Ctrl+Enter inserts a page break, as in Word and WPS. An extension of its own, ahead of the hard
 * break's Mod-Enter: a node's priority would also move it first in the schema (and make it the
 * default block).
 */
export const PageBreakKeymap = Extension.create({
  name: 'pageBreakKeymap',
  priority: 1000,
  addKeyboardShortcuts() {
    return { 'Mod-Enter': () => this.editor.commands.setPageBreak() };
  },
});
