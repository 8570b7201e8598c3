import {
  BoldOutlined,
  BorderHorizontalOutlined,
  DownOutlined,
  ItalicOutlined,
  LoadingOutlined,
  MenuFoldOutlined,
  MenuUnfoldOutlined,
  OrderedListOutlined,
  PictureOutlined,
  RedoOutlined,
  TableOutlined,
  UnderlineOutlined,
  UndoOutlined,
  UnorderedListOutlined,
} from '@ant-design/icons';
import type { Editor } from '@tiptap/core';
import { useEditorState } from '@tiptap/react';
import { Button, Divider, Dropdown, Select, Tooltip, type MenuProps } from 'antd';
import { useRef, useState, type ReactNode } from 'react';
import { insertImages } from '../../editor/image';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);
const MOD = isMac ? '⌘' : 'Ctrl';

const BLOCK_OPTIONS = [
  { value: 'p', label: '正文' },
  { value: 'h1', label: '标题1（一、）' },
  { value: 'h2', label: '标题2（（一））' },
  { value: 'h3', label: '标题3（1.）' },
  { value: 'h4', label: '标题4（（1））' },
];

function ToolButton({
  title,
  icon,
  active,
  disabled,
  onClick,
  testId,
  children,
}: {
  title: string;
  icon?: ReactNode;
  active?: boolean;
  disabled?: boolean;
  onClick: () => void;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <Tooltip title={title} mouseEnterDelay={0.4}>
      <Button
        type={active ? 'primary' : 'text'}
        ghost={active}
        size="small"
        icon={icon}
        disabled={disabled}
        aria-label={title.replace(/（.*）$/, '')}
        aria-pressed={active}
        // keep the selection in the editor
        onMouseDown={(e) => e.preventDefault()}
        onClick={onClick}
        data-testid={testId}
      >
        {children}
      </Button>
    </Tooltip>
  );
}

/** The formatting toolbar of the editor page. */
export function Toolbar({
  editor,
  readOnly,
  sideOpen,
  onToggleSide,
  onImageError,
}: {
  editor: Editor;
  readOnly: boolean;
  sideOpen: boolean;
  onToggleSide: () => void;
  onImageError: (message: string) => void;
}) {
  const fileInput = useRef<HTMLInputElement>(null);
  const [uploading, setUploading] = useState(false);
  const s = useEditorState({
    editor,
    selector: ({ editor: e }) => {
      const level = ([1, 2, 3, 4] as const).find((l) => e.isActive('heading', { level: l }));
      return {
        block: level ? `h${level}` : e.isActive('paragraph') ? 'p' : '',
        bold: e.isActive('bold'),
        italic: e.isActive('italic'),
        underline: e.isActive('underline'),
        bullet: e.isActive('bulletList'),
        ordered: e.isActive('orderedList'),
        inTable: e.isActive('table'),
        canUndo: e.can().undo(),
        canRedo: e.can().redo(),
        canMerge: e.can().mergeCells(),
        canSplit: e.can().splitCell(),
      };
    },
  });
  const off = readOnly;
  const chain = () => editor.chain().focus();

  const setBlock = (v: string) => {
    if (v === 'p') chain().setParagraph().run();
    else
      chain()
        .setHeading({ level: Number(v.slice(1)) as 1 | 2 | 3 | 4 })
        .run();
  };

  const tableItems: MenuProps['items'] = [
    { key: 'insert', label: '插入表格（3×3，含表头行）', disabled: s.inTable },
    { type: 'divider' },
    { key: 'rowBefore', label: '在上方插入行', disabled: !s.inTable },
    { key: 'rowAfter', label: '在下方插入行', disabled: !s.inTable },
    { key: 'colBefore', label: '在左侧插入列', disabled: !s.inTable },
    { key: 'colAfter', label: '在右侧插入列', disabled: !s.inTable },
    { type: 'divider' },
    { key: 'deleteRow', label: '删除行', disabled: !s.inTable },
    { key: 'deleteCol', label: '删除列', disabled: !s.inTable },
    { type: 'divider' },
    { key: 'merge', label: '合并单元格', disabled: !s.canMerge },
    { key: 'split', label: '拆分单元格', disabled: !s.canSplit },
    { key: 'header', label: '切换表头行', disabled: !s.inTable },
    { type: 'divider' },
    { key: 'deleteTable', label: '删除表格', danger: true, disabled: !s.inTable },
  ];
  const onTable: MenuProps['onClick'] = ({ key }) => {
    const c = chain();
    if (key === 'insert') c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run();
    else if (key === 'rowBefore') c.addRowBefore().run();
    else if (key === 'rowAfter') c.addRowAfter().run();
    else if (key === 'colBefore') c.addColumnBefore().run();
    else if (key === 'colAfter') c.addColumnAfter().run();
    else if (key === 'deleteRow') c.deleteRow().run();
    else if (key === 'deleteCol') c.deleteColumn().run();
    else if (key === 'merge') c.mergeCells().run();
    else if (key === 'split') c.splitCell().run();
    else if (key === 'header') c.toggleHeaderRow().run();
    else if (key === 'deleteTable') c.deleteTable().run();
  };

  return (
    <div className="mat-toolbar" role="toolbar" aria-label="格式" data-testid="editor-toolbar">
      <Select
        size="small"
        value={s.block || undefined}
        placeholder="样式"
        options={BLOCK_OPTIONS}
        onChange={setBlock}
        disabled={off}
        style={{ width: 136 }}
        popupMatchSelectWidth={false}
        aria-label="段落样式"
        data-testid="block-style"
      />
      <Divider orientation="vertical" />
      <ToolButton
        title={`加粗（${MOD}+B）`}
        icon={<BoldOutlined />}
        active={s.bold}
        disabled={off}
        onClick={() => chain().toggleBold().run()}
        testId="tb-bold"
      />
      <ToolButton
        title={`斜体（${MOD}+I）`}
        icon={<ItalicOutlined />}
        active={s.italic}
        disabled={off}
        onClick={() => chain().toggleItalic().run()}
        testId="tb-italic"
      />
      <ToolButton
        title={`下划线（${MOD}+U）`}
        icon={<UnderlineOutlined />}
        active={s.underline}
        disabled={off}
        onClick={() => chain().toggleUnderline().run()}
        testId="tb-underline"
      />
      <Divider orientation="vertical" />
      <ToolButton
        title={`有序列表（${MOD}+Shift+7）`}
        icon={<OrderedListOutlined />}
        active={s.ordered}
        disabled={off}
        onClick={() => chain().toggleOrderedList().run()}
        testId="tb-ordered"
      />
      <ToolButton
        title={`无序列表（${MOD}+Shift+8）`}
        icon={<UnorderedListOutlined />}
        active={s.bullet}
        disabled={off}
        onClick={() => chain().toggleBulletList().run()}
        testId="tb-bullet"
      />
      <Divider orientation="vertical" />
      <Dropdown menu={{ items: tableItems, onClick: onTable }} trigger={['click']} disabled={off}>
        <Button
          type={s.inTable ? 'primary' : 'text'}
          ghost={s.inTable}
          size="small"
          icon={<TableOutlined />}
          onMouseDown={(e) => e.preventDefault()}
          data-testid="tb-table"
        >
          表格 <DownOutlined style={{ fontSize: 10 }} />
        </Button>
      </Dropdown>
      <ToolButton
        title="插入图片（也可以直接粘贴或拖入图片）"
        icon={uploading ? <LoadingOutlined /> : <PictureOutlined />}
        disabled={off || uploading}
        onClick={() => fileInput.current?.click()}
        testId="tb-image"
      >
        图片
      </ToolButton>
      <ToolButton
        title={`分页符（${MOD}+Enter）`}
        icon={<BorderHorizontalOutlined />}
        disabled={off}
        onClick={() => chain().setPageBreak().run()}
        testId="tb-pagebreak"
      >
        分页符
      </ToolButton>
      <Divider orientation="vertical" />
      <ToolButton
        title={`撤销（${MOD}+Z）`}
        icon={<UndoOutlined />}
        disabled={off || !s.canUndo}
        onClick={() => chain().undo().run()}
        testId="tb-undo"
      />
      <ToolButton
        title={`重做（${MOD}+Y）`}
        icon={<RedoOutlined />}
        disabled={off || !s.canRedo}
        onClick={() => chain().redo().run()}
        testId="tb-redo"
      />
      <span style={{ flex: 1 }} />
      <ToolButton
        title={sideOpen ? '收起侧栏' : '展开侧栏（版本、关联、证据材料、留痕）'}
        icon={sideOpen ? <MenuUnfoldOutlined /> : <MenuFoldOutlined />}
        onClick={onToggleSide}
        testId="tb-side"
      />
      <input
        ref={fileInput}
        type="file"
        accept="image/*"
        multiple
        hidden
        data-testid="image-input"
        onChange={(e) => {
          const files = Array.from(e.target.files ?? []);
          e.target.value = '';
          void insertImages(editor.view, files, editor.state.selection.from, onImageError, setUploading);
        }}
      />
    </div>
  );
}
