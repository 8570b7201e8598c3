import { EyeOutlined, HistoryOutlined, RollbackOutlined } from '@ant-design/icons';
import { EditorContent, useEditor } from '@tiptap/react';
import { Alert, App, Button, Empty, Modal, Space, Spin, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import type { DocVersion, PmNodeJson } from '../../../../main/core/contract/materials';
import { useCommandQuery } from '../../api';
import { editorExtensions } from '../../editor/extensions';

/** A document on a read-only page (a second editor, not bound to the Yjs document). */
function PreviewDoc({ json }: { json: PmNodeJson }) {
  const extensions = useMemo(() => editorExtensions(), []);
  const editor = useEditor(
    {
      extensions,
      content: json,
      editable: false,
      shouldRerenderOnTransaction: false,
      editorProps: { attributes: { class: 'cwb-doc', 'data-testid': 'version-preview' } },
    },
    [json],
  );
  return (
    <div className="cwb-paper">
      <EditorContent editor={editor} />
    </div>
  );
}

function VersionPreview({
  version,
  onClose,
  onRestore,
  canRestore,
}: {
  version: DocVersion;
  onClose: () => void;
  onRestore: (v: DocVersion) => void;
  canRestore: boolean;
}) {
  const q = useCommandQuery('docs.versionJson', { versionId: version.id });
  return (
    <Modal
      open
      onCancel={onClose}
      width={900}
      title={
        <span>
          版本「{version.name}」
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginLeft: 8, fontSize: 13 }}>
            {version.author} · {dayjs(version.createdAt).format('YYYY-MM-DD HH:mm')} · {version.chars} 字 ·
            只读
          </Typography.Text>
        </span>
      }
      footer={
        <Space>
          <Button onClick={onClose}>关闭</Button>
          {canRestore && (
            <Button type="primary" icon={<RollbackOutlined />} onClick={() => onRestore(version)}>
              恢复此版本
            </Button>
          )}
        </Space>
      }
      styles={{ body: { padding: 0 } }}
    >
      {q.isError && <Alert type="error" showIcon title={q.error.message} />}
      <div className="cwb-canvas" style={{ maxHeight: '70vh' }}>
        {q.isPending ? (
          <div style={{ textAlign: 'center', padding: 24 }}>
            <Spin />
          </div>
        ) : q.data ? (
          <PreviewDoc json={q.data.json} />
        ) : null}
      </div>
    </Modal>
  );
}

/** 版本: named versions of the document, to view and to restore (restoring is a new change). */
export function VersionsPanel({
  docId,
  readOnly,
  onSave,
  onRestore,
}: {
  docId: string;
  readOnly: boolean;
  onSave: () => void;
  onRestore: (v: DocVersion) => Promise<boolean>;
}) {
  const { modal } = App.useApp();
  const versions = useCommandQuery('docs.versions', { docId });
  const [viewing, setViewing] = useState<DocVersion | null>(null);

  const confirmRestore = (v: DocVersion) =>
    modal.confirm({
      title: `恢复到版本「${v.name}」？`,
      content: '恢复后当前内容会先自动保存为一个版本，需要时可以再恢复回来。',
      okText: '恢复',
      cancelText: '取消',
      onOk: async () => {
        if (await onRestore(v)) setViewing(null);
      },
    });

  return (
    <div className="mat-versions" data-testid="versions-panel">
      <Button icon={<HistoryOutlined />} block onClick={onSave} style={{ marginBottom: 12 }}>
        保存当前内容为版本
      </Button>
      {versions.isError && <Alert type="error" showIcon title={versions.error.message} />}
      {versions.isPending ? (
        <Spin />
      ) : (versions.data ?? []).length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="还没有版本。重要节点（送审、定稿前）可以保存一个版本，随时查看和恢复。"
        />
      ) : (
        (versions.data ?? []).map((v) => (
          <div className="mat-version" key={v.id} data-testid="version-row">
            <div className="mat-version-name" title={v.name}>
              {v.name}
            </div>
            <div className="mat-version-meta">
              {v.author} · {dayjs(v.createdAt).format('MM-DD HH:mm')} · {v.chars.toLocaleString('zh-CN')} 字
            </div>
            <Space size={4} className="mat-version-actions">
              <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => setViewing(v)}>
                查看
              </Button>
              <Tooltip title={readOnly ? '定稿的材料需先“重新编辑”才能恢复版本' : undefined}>
                <Button
                  size="small"
                  type="link"
                  icon={<RollbackOutlined />}
                  disabled={readOnly}
                  onClick={() => confirmRestore(v)}
                  data-testid="version-restore"
                >
                  恢复
                </Button>
              </Tooltip>
            </Space>
          </div>
        ))
      )}
      {viewing && (
        <VersionPreview
          version={viewing}
          onClose={() => setViewing(null)}
          onRestore={confirmRestore}
          canRestore={!readOnly}
        />
      )}
    </div>
  );
}
