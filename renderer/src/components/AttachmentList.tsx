/**
 * Evidence files of a record (task, feedback entry, rectification item): list, upload (button
 * or drag-and-drop; sent to the core in 4 MB base64 chunks), preview of images and PDFs,
 * download, "open with the system program" where the shell can, and removal.
 */
import {
  CloseOutlined,
  DeleteOutlined,
  DownloadOutlined,
  EyeOutlined,
  FileExcelOutlined,
  FileImageOutlined,
  FileOutlined,
  FilePdfOutlined,
  FileWordOutlined,
  ExportOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  App,
  Button,
  Empty,
  Image,
  Modal,
  Popconfirm,
  Progress,
  Space,
  Spin,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useRef, useState, type DragEvent } from 'react';
import type { Attachment, OwnerType } from '../../../main/core/contract/supervision';
import { call, errorMessage, useCommand, useCommandQuery } from '../api';
import { PdfPages } from './PdfPages';

/** The core's attachment limit (blobs.ts MAX_ATTACHMENT_BYTES). */
const MAX_ATTACHMENT_MB = 200;

interface Props {
  ownerType: OwnerType;
  ownerId: string;
  readOnly?: boolean;
}

/** The core takes at most 4 MB of file data per upload call. */
export const CHUNK_BYTES = 4 * 1024 * 1024;

/** Base64 of bytes, encoded in slices (btoa needs a binary string; a slice a multiple of 3 bytes long). */
export function bytesToBase64(bytes: Uint8Array): string {
  const step = 3 * 8192;
  let out = '';
  for (let i = 0; i < bytes.length; i += step) {
    out += btoa(String.fromCharCode(...bytes.subarray(i, i + step)));
  }
  return out;
}

export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** File names the core accepts (at most 200 characters), keeping the extension. */
function fileName(name: string): string {
  const n = name.trim() || '未命名文件';
  if (n.length <= 200) return n;
  const dot = n.lastIndexOf('.');
  const ext = dot > 0 && n.length - dot <= 12 ? n.slice(dot) : '';
  return n.slice(0, 200 - ext.length) + ext;
}

const PREVIEW_IMAGES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/bmp',
  'image/svg+xml',
]);
const isImage = (a: { mime: string }) => PREVIEW_IMAGES.has(a.mime);
const isPdf = (a: { mime: string; name: string }) =>
  a.mime === 'application/pdf' || a.name.toLowerCase().endsWith('.pdf');

function FileIcon({ a }: { a: Attachment }) {
  const n = a.name.toLowerCase();
  if (isImage(a)) return <FileImageOutlined style={{ color: '#2e9d5b' }} />;
  if (isPdf(a)) return <FilePdfOutlined style={{ color: '#d64541' }} />;
  if (/\.(docx?|wps)$/.test(n)) return <FileWordOutlined style={{ color: '#1f5fbf' }} />;
  if (/\.(xlsx?|et|csv)$/.test(n)) return <FileExcelOutlined style={{ color: '#2e9d5b' }} />;
  return <FileOutlined style={{ color: '#6b7280' }} />;
}

interface Pending {
  key: string;
  name: string;
  size: number;
  sent: number;
  error?: string;
}

type Preview = { kind: 'image'; name: string; url: string } | { kind: 'pdf'; name: string; data: Uint8Array };

export function AttachmentList({ ownerType, ownerId, readOnly = false }: Props) {
  const { message } = App.useApp();
  const list = useCommandQuery('attachments.list', { ownerType, ownerId });
  const info = useCommandQuery('app.info', {});
  const canOpen = !!info.data?.capabilities.openPath;
  const add = useCommand('attachments.add');
  const remove = useCommand('attachments.remove');
  const input = useRef<HTMLInputElement>(null);
  const [pending, setPending] = useState<Pending[]>([]);
  const [dragging, setDragging] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [loadingId, setLoadingId] = useState<string | null>(null);

  const patch = (key: string, p: Partial<Pending>) =>
    setPending((all) => all.map((x) => (x.key === key ? { ...x, ...p } : x)));

  const uploadOne = async (file: File, key: string) => {
    let uploadId: string | null = null;
    let offset = 0;
    // at least one call, so an empty file is an (empty) upload too
    do {
      let bytes: Uint8Array;
      try {
        bytes = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
      } catch {
        throw new Error(`无法读取文件「${file.name}」，请确认文件仍在原处且未被其他程序占用。`);
      }
      const sent: { uploadId: string } = await call('attachments.upload', {
        uploadId,
        data: bytesToBase64(bytes),
      });
      uploadId = sent.uploadId;
      offset += bytes.length;
      patch(key, { sent: offset });
      if (bytes.length === 0) break;
    } while (offset < file.size);
    if (!uploadId) throw new Error('上传没有完成，请重试。');
    await add.mutateAsync({ ownerType, ownerId, file: { uploadId, name: fileName(file.name) } });
  };

  const upload = async (files: File[]) => {
    // refused before sending: the core would refuse it only after the whole upload
    if (files.length === 0) return;
    const batch = files.map((f, i) => ({
      file: f,
      key: `${Date.now()}-${i}-${f.name}`,
    }));
    setPending((all) => [
      ...all,
      ...batch.map((b) => ({ key: b.key, name: b.file.name, size: b.file.size, sent: 0 })),
    ]);
    let ok = 0;
    for (const b of batch) {
      try {
        if (b.file.size > MAX_ATTACHMENT_MB * 1048576)
          throw new Error(
            `「${b.file.name}」有 ${(b.file.size / 1048576).toFixed(0)} MB，超过附件上限 ${MAX_ATTACHMENT_MB} MB。`,
          );
        await uploadOne(b.file, b.key);
        ok++;
        setPending((all) => all.filter((x) => x.key !== b.key));
      } catch (e) {
        patch(b.key, { error: errorMessage(e) });
      }
    }
    if (ok > 0)
      message.success(
        ok === 1
          ? `已上传「${batch.length === 1 ? batch[0]?.file.name : '1 个文件'}」`
          : `已上传 ${ok} 个文件`,
      );
  };

  const read = async (a: Attachment) => {
    setLoadingId(a.id);
    try {
      return await call('attachments.read', { id: a.id });
    } finally {
      setLoadingId(null);
    }
  };

  const showPreview = async (a: Attachment) => {
    try {
      const r = await read(a);
      if (isImage(a)) setPreview({ kind: 'image', name: a.name, url: `data:${r.mime};base64,${r.base64}` });
      else setPreview({ kind: 'pdf', name: a.name, data: base64ToBytes(r.base64) });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const download = async (a: Attachment) => {
    try {
      const r = await read(a);
      const url = URL.createObjectURL(new Blob([base64ToBytes(r.base64)], { type: r.mime }));
      const link = document.createElement('a');
      link.href = url;
      link.download = r.name;
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const open = async (a: Attachment) => {
    try {
      await call('attachments.open', { id: a.id });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const doRemove = async (a: Attachment) => {
    try {
      await remove.mutateAsync({ id: a.id });
      message.success(`已移除「${a.name}」`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const onDrop = (e: DragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setDragging(false);
    if (readOnly) return;
    void upload(Array.from(e.dataTransfer.files));
  };

  const rows = list.data ?? [];

  return (
    <div
      className={`att-drop${dragging ? ' dragging' : ''}`}
      onDragOver={(e) => {
        if (readOnly) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-testid="attachment-list"
    >
      {!readOnly && (
        <div
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            marginBottom: rows.length || pending.length ? 8 : 0,
          }}
        >
          <Button
            icon={<UploadOutlined />}
            onClick={() => input.current?.click()}
            data-testid="attachment-upload"
          >
            上传文件
          </Button>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            可一次选择多个文件，也可把文件拖到这里；单个文件不超过 200 MB
          </Typography.Text>
          <input
            ref={input}
            type="file"
            multiple
            hidden
            data-testid="attachment-input"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = '';
              void upload(files);
            }}
          />
        </div>
      )}
      {list.isError && <Typography.Text type="danger">{list.error.message}</Typography.Text>}
      {list.isPending ? (
        <Spin size="small" />
      ) : rows.length === 0 && pending.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={readOnly ? '没有附件' : '还没有附件'}
          style={{ margin: '8px 0' }}
        />
      ) : null}
      {rows.map((a) => {
        const canPreview = a.available && (isImage(a) || isPdf(a));
        return (
          <div className="att-row" key={a.id} data-testid="attachment-row">
            <FileIcon a={a} />
            <span className="att-name">
              {canPreview ? (
                <Typography.Link onClick={() => void showPreview(a)} title={a.name}>
                  {a.name}
                </Typography.Link>
              ) : (
                <span title={a.name}>{a.name}</span>
              )}
              {!a.available && (
                <Tooltip title="文件还在其他电脑上，同步后可查看">
                  <Tag color="warning" style={{ marginLeft: 6 }}>
                    不在本机
                  </Tag>
                </Tooltip>
              )}
            </span>
            <span className="att-meta">{formatSize(a.size)}</span>
            <span className="att-meta">{dayjs(a.createdAt).format('YYYY-MM-DD HH:mm')}</span>
            <Space size={0}>
              {canPreview && (
                <Tooltip title="预览">
                  <Button
                    type="text"
                    size="small"
                    icon={<EyeOutlined />}
                    loading={loadingId === a.id}
                    onClick={() => void showPreview(a)}
                    aria-label="预览"
                  />
                </Tooltip>
              )}
              {canOpen && a.available && (
                <Tooltip title="用系统程序打开">
                  <Button
                    type="text"
                    size="small"
                    icon={<ExportOutlined />}
                    onClick={() => void open(a)}
                    aria-label="打开"
                  />
                </Tooltip>
              )}
              {a.available && (
                <Tooltip title="下载">
                  <Button
                    type="text"
                    size="small"
                    icon={<DownloadOutlined />}
                    onClick={() => void download(a)}
                    aria-label="下载"
                  />
                </Tooltip>
              )}
              {!readOnly && (
                <Popconfirm
                  title={`移除「${a.name}」？`}
                  description="移除后不再作为证据显示，操作留痕中仍可查到。"
                  okText="移除"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => void doRemove(a)}
                >
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label="移除" />
                </Popconfirm>
              )}
            </Space>
          </div>
        );
      })}
      {pending.map((p) => (
        <div className="att-row" key={p.key} data-testid="attachment-pending">
          <UploadOutlined style={{ color: p.error ? '#d64541' : '#1f5fbf' }} />
          <span className="att-name">
            {p.name}
            {p.error && (
              <Typography.Text type="danger" style={{ display: 'block', fontSize: 12, whiteSpace: 'normal' }}>
                上传失败：{p.error}
              </Typography.Text>
            )}
          </span>
          <span className="att-meta">{formatSize(p.size)}</span>
          <span>
            <Progress
              percent={p.size ? Math.min(100, Math.round((p.sent / p.size) * 100)) : 100}
              size="small"
              status={p.error ? 'exception' : 'active'}
              showInfo={false}
            />
          </span>
          {p.error ? (
            <Button
              type="text"
              size="small"
              icon={<CloseOutlined />}
              aria-label="关闭"
              onClick={() => setPending((all) => all.filter((x) => x.key !== p.key))}
            />
          ) : (
            <span className="att-meta">上传中</span>
          )}
        </div>
      ))}
      {preview?.kind === 'image' && (
        <Image
          src={preview.url}
          alt={preview.name}
          style={{ display: 'none' }}
          preview={{
            open: true,
            src: preview.url,
            onOpenChange: (o) => {
              if (!o) setPreview(null);
            },
          }}
        />
      )}
      <Modal
        open={preview?.kind === 'pdf'}
        title={preview?.name}
        footer={null}
        width={860}
        onCancel={() => setPreview(null)}
        destroyOnHidden
      >
        {preview?.kind === 'pdf' && <PdfPages data={preview.data} />}
      </Modal>
    </div>
  );
}
