/**
 * #/materials?id=… : one material in the editor. The document is a Yjs document loaded from the
 * core and saved back as updates (editor/sync.ts); the page around it carries the title, type,
 * status and its workflow, the save state, versions, links, evidence and the audit trail.
 */
import {
  ArrowLeftOutlined,
  CheckCircleFilled,
  DeleteOutlined,
  ExclamationCircleFilled,
  FileWordOutlined,
  HistoryOutlined,
  LoadingOutlined,
  MoreOutlined,
  SaveOutlined,
} from '@ant-design/icons';
import type { Editor } from '@tiptap/core';
import { EditorContent, useEditor } from '@tiptap/react';
import {
  Alert,
  App,
  Button,
  Dropdown,
  Form,
  Input,
  Modal,
  Result,
  Space,
  Spin,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState, type MouseEvent } from 'react';
import type { DocVersion, Material } from '../../../../main/core/contract/materials';
import { call, errorMessage, useCommand, useCommandQuery } from '../../api';
import { AttachmentList } from '../../components/AttachmentList';
import { useExport } from '../../components/useExport';
import { base64ToBytes } from '../../components/AttachmentList';
import { editorExtensions } from '../../editor/extensions';
import { insertImages } from '../../editor/image';
import { cleanPastedHtml, cleanPastedText } from '../../editor/paste';
import { DocSync, type SaveStatus } from '../../editor/sync';
import {
  MATERIAL_ACTION_LABEL,
  MATERIAL_STATUS_LABEL,
  MATERIAL_TRANSITIONS,
  MATERIAL_TYPE_LABEL,
} from '../../labels';
import { navigate } from '../../route';
import {
  MATERIAL_FLOW,
  MATERIAL_STATUS_COLOR,
  MATERIAL_TYPE_COLOR,
  pagesOf,
  type MaterialAction,
} from './kit';
import { LinksPanel } from './LinksPanel';
import { MaterialAudit } from './MaterialAudit';
import { Toolbar } from './Toolbar';
import { VersionsPanel } from './VersionsPanel';
import '../../editor/editor.css';
import '../supervision.css';
import './materials.css';

export { warmUpEditor } from '../../editor/warmup';

type Loaded = { sync: DocSync; problems: string[] } | { error: string };

export function MaterialEditorPage({ id }: { id: string }) {
  const material = useCommandQuery('materials.get', { id });
  const [doc, setDoc] = useState<Loaded | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const sync = new DocSync(id);
    let alive = true;
    performance.mark('cwb-doc-load');
    sync.load().then(
      (problems) => {
        performance.mark('cwb-doc-loaded'); // for test/bench/editor-open.ts
        if (alive) setDoc({ sync, problems });
      },
      (e: unknown) => {
        if (alive) setDoc({ error: errorMessage(e) });
      },
    );
    return () => {
      alive = false;
      sync.close();
    };
  }, [id, attempt]);

  if (material.isError) {
    return (
      <Result
        status="warning"
        title="无法打开这份材料"
        subTitle={material.error.message}
        extra={<Button onClick={() => navigate('materials')}>返回材料库</Button>}
      />
    );
  }
  if (doc && 'error' in doc) {
    return (
      <Result
        status="error"
        title="文档没有打开"
        subTitle={doc.error}
        extra={
          <Space>
            <Button onClick={() => navigate('materials')}>返回材料库</Button>
            <Button
              type="primary"
              onClick={() => {
                setDoc(null);
                setAttempt((n) => n + 1);
              }}
            >
              重试
            </Button>
          </Space>
        }
      />
    );
  }
  if (!material.data || !doc) {
    return (
      <div className="coming">
        <Spin size="large" />
      </div>
    );
  }
  return <MaterialWorkspace key={attempt} material={material.data} sync={doc.sync} problems={doc.problems} />;
}

/** 已保存 / 保存中… / 保存失败（重试） */
function SaveIndicator({ sync }: { sync: DocSync }) {
  const [s, setS] = useState<SaveStatus>(sync.status);
  useEffect(() => sync.subscribe(setS), [sync]);
  if (s.state === 'error') {
    return (
      <Tooltip title={s.error ? `${s.error}（修改已保留在本机，正在自动重试）` : undefined}>
        <Typography.Link
          type="danger"
          onClick={() => void sync.flush()}
          data-testid="save-state"
          data-state="error"
        >
          <ExclamationCircleFilled /> 保存失败（重试）
        </Typography.Link>
      </Tooltip>
    );
  }
  return (
    <span className="mat-save-state" data-testid="save-state" data-state={s.state}>
      {s.state === 'saving' ? (
        <>
          <LoadingOutlined /> 保存中…
        </>
      ) : (
        <>
          <CheckCircleFilled style={{ color: '#2e9d5b' }} /> 已保存
        </>
      )}
    </span>
  );
}

/** Characters (without white space) of the document, recounted shortly after each change. */
function useCharCount(editor: Editor): number {
  const [n, setN] = useState(0);
  useEffect(() => {
    let t: ReturnType<typeof setTimeout> | null = null;
    const count = () => {
      t = null;
      const d = editor.state.doc;
      setN(d.textBetween(0, d.content.size, '', '').replace(/\s/g, '').length);
    };
    const later = () => {
      if (!t) t = setTimeout(count, 300);
    };
    count();
    editor.on('update', later);
    return () => {
      editor.off('update', later);
      if (t) clearTimeout(t);
    };
  }, [editor]);
  return n;
}

/** A modal asking for one or two texts (版本名称; 模板名称 and 说明). */
function NameModal({
  open,
  title,
  label,
  initial,
  withDescription,
  onCancel,
  onOk,
}: {
  open: boolean;
  title: string;
  label: string;
  initial: string;
  withDescription?: boolean;
  onCancel: () => void;
  onOk: (name: string, description: string | null) => Promise<boolean>;
}) {
  const [form] = Form.useForm<{ name: string; description?: string }>();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={open}
      title={title}
      okText="保存"
      cancelText="取消"
      confirmLoading={busy}
      onCancel={onCancel}
      destroyOnHidden
      onOk={async () => {
        let v: { name: string; description?: string };
        try {
          v = await form.validateFields();
        } catch {
          return;
        }
        setBusy(true);
        try {
          if (await onOk(v.name.trim(), v.description?.trim() || null)) onCancel();
        } finally {
          setBusy(false);
        }
      }}
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ name: initial, description: '' }}>
        <Form.Item
          label={label}
          name="name"
          rules={[{ required: true, whitespace: true, message: `请填写${label}` }]}
        >
          <Input maxLength={80} autoFocus data-testid="name-input" />
        </Form.Item>
        {withDescription && (
          <Form.Item label="说明" name="description">
            <Input.TextArea
              maxLength={500}
              autoSize={{ minRows: 2, maxRows: 5 }}
              placeholder="适用场合、使用提示"
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

function MaterialWorkspace({
  material: m,
  sync,
  problems,
}: {
  material: Material;
  sync: DocSync;
  problems: string[];
}) {
  const { message, modal } = App.useApp();
  const readOnly = m.status === 'final';
  const [sideOpen, setSideOpen] = useState(true);
  const [tab, setTab] = useState('versions');
  const [asking, setAsking] = useState<'version' | 'template' | null>(null);
  const [exporting, setExporting] = useState(false);
  const [editingTitle, setEditingTitle] = useState(false);
  const update = useCommand('materials.update');
  const transition = useCommand('materials.transition');
  const remove = useCommand('materials.delete');
  const saveVersion = useCommand('docs.saveVersion');
  const saveTemplate = useCommand('materials.saveTemplate');
  const restore = useCommand('docs.restoreVersion');
  const runExport = useExport();

  const onImageError = (msg: string) => void message.error(msg);
  const extensions = useMemo(
    () => editorExtensions({ ydoc: sync.ydoc, onImageError: (msg) => void message.error(msg) }),
    [sync, message],
  );
  const editor = useEditor(
    {
      extensions,
      editable: !readOnly,
      immediatelyRender: true,
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: { class: 'cwb-doc', spellcheck: 'false', 'data-testid': 'material-editor' },
        transformPastedHTML: (html) => {
          const r = cleanPastedHtml(html);
          if (r.droppedImages > 0) {
            void message.warning(
              `粘贴内容中有 ${r.droppedImages} 张图片无法读取（Word 的本机临时图片），请另存图片后用“图片”按钮插入。`,
            );
          }
          return r.html;
        },
        transformPastedText: (text) => cleanPastedText(text),
        handlePaste: (view, event) => {
          const files = Array.from(event.clipboardData?.files ?? []);
          if (files.length === 0) return false;
          // Word and Excel also put a picture of the copied part on the clipboard: their text wins
          const html = event.clipboardData?.getData('text/html') ?? '';
          const text = html.replace(/<img[^>]*>/gi, '').replace(/<[^>]+>|&nbsp;|\s/gi, '');
          if (html && text) return false;
          void insertImages(view, files, view.state.selection.from, (msg) => void message.error(msg));
          return true;
        },
        handleDrop: (view, event, _slice, moved) => {
          const files = Array.from(event.dataTransfer?.files ?? []);
          if (moved || files.length === 0) return false;
          event.preventDefault();
          const pos =
            view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos ?? view.state.selection.from;
          void insertImages(view, files, pos, (msg) => void message.error(msg));
          return true;
        },
        handleKeyDown: (_view, event) => {
          if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 's') {
            event.preventDefault();
            void sync.flush().then((ok) => ok && message.success('已保存', 1));
            return true;
          }
          return false;
        },
      },
      onBlur: () => void sync.flush(),
    },
    [extensions],
  );
  const chars = useCharCount(editor);
  useEffect(() => {
    performance.mark('cwb-editor-mounted'); // for test/bench/editor-open.ts
  }, [editor]);

  useEffect(() => {
    if (editor.isEditable !== !readOnly) editor.setEditable(!readOnly, false);
  }, [editor, readOnly]);

  // leaving the page or the app: push what is buffered (the crash journal keeps it otherwise)
  useEffect(() => {
    const flush = () => void sync.flush();
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 's') {
        e.preventDefault();
        void sync.flush().then((ok) => ok && message.success('已保存', 1));
      }
    };
    window.addEventListener('beforeunload', flush);
    window.addEventListener('pagehide', flush);
    window.addEventListener('hashchange', flush);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('beforeunload', flush);
      window.removeEventListener('pagehide', flush);
      window.removeEventListener('hashchange', flush);
      window.removeEventListener('keydown', onKey);
    };
  }, [sync, message]);

  /** Everything typed is in the core (before versions, templates, exports, status changes). */
  const saved = async (): Promise<boolean> => {
    if (await sync.flush()) return true;
    message.error(`修改还没有保存成功：${sync.status.error ?? '请稍后重试'}`);
    return false;
  };

  const rename = async (title: string) => {
    const t = title.trim();
    if (!t || t === m.title) return;
    try {
      await update.mutateAsync({ id: m.id, patch: { title: t } });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const run = async (action: MaterialAction) => {
    if (!(await saved())) return;
    try {
      const r = await transition.mutateAsync({ id: m.id, action });
      message.success(
        `${MATERIAL_ACTION_LABEL[action]}：「${r.title}」现为“${MATERIAL_STATUS_LABEL[r.status]}”`,
      );
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const ask = (action: MaterialAction) => {
    if (action !== 'approve') return void run(action);
    modal.confirm({
      title: '审定为定稿？',
      content: '定稿后文档为只读，如需修改可点“重新编辑”。建议先保存一个版本。',
      okText: MATERIAL_ACTION_LABEL.approve,
      cancelText: '取消',
      onOk: () => run(action),
    });
  };

  const doSaveVersion = async (name: string) => {
    if (!(await saved())) return false;
    try {
      const v = await saveVersion.mutateAsync({ docId: m.id, name });
      message.success(`已保存版本「${v.name}」`);
      setSideOpen(true);
      setTab('versions');
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  };

  const doSaveTemplate = async (name: string, description: string | null) => {
    if (!(await saved())) return false;
    try {
      const t = await saveTemplate.mutateAsync({ materialId: m.id, name, description });
      message.success(`已另存为模板「${t.name}」，新建材料时可在“我的模板”中选用`);
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  };

  const doRestore = async (v: DocVersion): Promise<boolean> => {
    if (!(await saved())) return false;
    try {
      const r = await restore.mutateAsync({ versionId: v.id });
      sync.applyRemote(base64ToBytes(r.update));
      message.success(`已恢复到版本「${v.name}」；恢复前的内容已保存为版本「${r.backup.name}」`);
      return true;
    } catch (e) {
      message.error(errorMessage(e));
      return false;
    }
  };

  const exportWord = async () => {
    setExporting(true);
    try {
      if (!(await saved())) return;
      await runExport({
        defaultName: `${m.title.replace(/[\\/:*?"<>|]/g, '_')}.docx`,
        filters: [{ name: 'Word 文档', extensions: ['docx'] }],
        run: (file) => call('materials.export', { id: m.id, file }),
      });
    } finally {
      setExporting(false);
    }
  };

  const doDelete = () =>
    modal.confirm({
      title: `删除「${m.title}」？`,
      content: '删除后不再出现在材料库中，操作留痕中仍可查到。',
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        try {
          await saved();
          await remove.mutateAsync({ id: m.id });
          message.success('材料已删除');
          navigate('materials');
        } catch (e) {
          message.error(errorMessage(e));
        }
      },
    });

  /**
   * A click on the sheet below the text (or on the grey around it) goes on writing at the end; when
   * the document ends with a table or a picture, a new paragraph is started after it.
   */
  const clickBelow = (e: MouseEvent<HTMLDivElement>) => {
    const dom = editor.view.dom;
    if (dom.contains(e.target as Node)) return;
    // the printed title opens the title editor in the header; focusing the text would close it
    if (e.target instanceof Element && e.target.closest('.cwb-doc-title')) return;
    e.preventDefault();
    const last = dom.lastElementChild?.getBoundingClientRect();
    const { doc } = editor.state;
    if (!readOnly && last && e.clientY > last.bottom && doc.lastChild?.type.name !== 'paragraph') {
      editor.chain().insertContentAt(doc.content.size, { type: 'paragraph' }).focus('end').run();
    } else editor.commands.focus(e.clientY < dom.getBoundingClientRect().top ? 'start' : 'end');
  };

  const actions = MATERIAL_FLOW[m.status];

  return (
    <div className="mat-editor" data-testid="material-page">
      <div className="mat-header">
        <Tooltip title="返回材料库">
          <Button
            type="text"
            icon={<ArrowLeftOutlined />}
            onClick={() => navigate('materials')}
            aria-label="返回材料库"
            data-testid="back-to-library"
          />
        </Tooltip>
        <div className="mat-header-title">
          <Typography.Title
            level={4}
            className="mat-title"
            editable={
              readOnly
                ? false
                : {
                    editing: editingTitle,
                    onStart: () => setEditingTitle(true),
                    onChange: (t) => {
                      setEditingTitle(false);
                      void rename(t);
                    },
                    onCancel: () => setEditingTitle(false),
                    maxLength: 200,
                    tooltip: '修改标题',
                    triggerType: ['icon'],
                  }
            }
            data-testid="material-title"
          >
            {m.title}
          </Typography.Title>
          <Tag color={MATERIAL_TYPE_COLOR[m.type]}>{MATERIAL_TYPE_LABEL[m.type]}</Tag>
          <Tag color={MATERIAL_STATUS_COLOR[m.status]} data-testid="material-status">
            {MATERIAL_STATUS_LABEL[m.status]}
          </Tag>
          <SaveIndicator sync={sync} />
        </div>
        <Space size={6} wrap={false}>
          {actions.map((a) => (
            <Button
              key={a}
              type={a === 'submit' || a === 'approve' ? 'primary' : 'default'}
              danger={a === 'reject'}
              loading={transition.isPending && transition.variables?.action === a}
              onClick={() => ask(a)}
              title={`${MATERIAL_STATUS_LABEL[m.status]} → ${MATERIAL_STATUS_LABEL[MATERIAL_TRANSITIONS[a].to]}`}
              data-testid={`material-action-${a}`}
            >
              {MATERIAL_ACTION_LABEL[a]}
            </Button>
          ))}
          <Button icon={<HistoryOutlined />} onClick={() => setAsking('version')} data-testid="save-version">
            保存版本
          </Button>
          <Button
            icon={<FileWordOutlined />}
            loading={exporting}
            onClick={() => void exportWord()}
            data-testid="export-word"
          >
            导出 Word
          </Button>
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'template', icon: <SaveOutlined />, label: '另存为模板' },
                { type: 'divider' },
                { key: 'delete', icon: <DeleteOutlined />, label: '删除材料', danger: true },
              ],
              onClick: ({ key }) => (key === 'template' ? setAsking('template') : doDelete()),
            }}
          >
            <Button icon={<MoreOutlined />} aria-label="更多" data-testid="material-more" />
          </Dropdown>
        </Space>
      </div>
      {problems.length > 0 && (
        <Alert
          type="warning"
          showIcon
          closable
          className="mat-alert"
          title="已跳过损坏的修改记录，文档显示的是其余内容"
          description={problems.join(' ')}
          data-testid="doc-problems"
        />
      )}
      {readOnly && (
        <Alert
          type="info"
          showIcon
          className="mat-alert"
          title="本材料已定稿，正文为只读。如需修改，请点“重新编辑”。"
        />
      )}
      <div className="mat-body">
        <div className="mat-main">
          <Toolbar
            editor={editor}
            readOnly={readOnly}
            sideOpen={sideOpen}
            onToggleSide={() => setSideOpen((o) => !o)}
            onImageError={onImageError}
          />
          <div className="cwb-canvas mat-canvas" onMouseDown={clickBelow} data-testid="editor-canvas">
            <div className="cwb-paper">
              {/* the title as printed (2号 小标宋, centred); it is the material's title, not part of the text */}
              <div
                className="cwb-doc-title"
                title={readOnly ? undefined : '点击修改标题'}
                onClick={() => !readOnly && setEditingTitle(true)}
                data-testid="paper-title"
              >
                {m.title}
              </div>
              <EditorContent editor={editor} />
            </div>
          </div>
          <div className="mat-statusbar" data-testid="status-bar">
            <span data-testid="char-count">字数 {chars.toLocaleString('zh-CN')}</span>
            <span>约 {pagesOf(chars)} 页（按每页 22 行、每行 28 字估算）</span>
            <span className="mat-statusbar-hint">
              Ctrl+S 立即保存 · Ctrl+Enter 分页符 · 标题编号（一、（一）1.（1））自动生成
            </span>
          </div>
        </div>
        {sideOpen && (
          <div className="mat-side" data-testid="side-panel">
            <Tabs
              activeKey={tab}
              onChange={setTab}
              size="small"
              items={[
                {
                  key: 'versions',
                  label: `版本（${m.versionCount}）`,
                  children: (
                    <VersionsPanel
                      docId={m.id}
                      readOnly={readOnly}
                      onSave={() => setAsking('version')}
                      onRestore={doRestore}
                    />
                  ),
                },
                { key: 'links', label: '关联', children: <LinksPanel material={m} /> },
                {
                  key: 'evidence',
                  label: `证据材料（${m.attachmentCount}）`,
                  children: <AttachmentList ownerType="material" ownerId={m.id} />,
                },
                { key: 'audit', label: '留痕', children: <MaterialAudit materialId={m.id} /> },
              ]}
            />
          </div>
        )}
      </div>
      <NameModal
        open={asking === 'version'}
        title="保存版本"
        label="版本名称"
        initial={`${dayjs().format('M月D日 HH:mm')}（${MATERIAL_STATUS_LABEL[m.status]}）`}
        onCancel={() => setAsking(null)}
        onOk={(name) => doSaveVersion(name)}
      />
      <NameModal
        open={asking === 'template'}
        title="另存为模板"
        label="模板名称"
        initial={m.title}
        withDescription
        onCancel={() => setAsking(null)}
        onOk={doSaveTemplate}
      />
    </div>
  );
}
