/**
 * 佐证清单 of one indicator: the items the review panel expects to see; each is satisfied by
 * an uploaded file or a linked material. Items are added, renamed, annotated and removed here;
 * every change is saved at once.
 */
import {
  CheckCircleFilled,
  CloseCircleFilled,
  DeleteOutlined,
  FileTextOutlined,
  PaperClipOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { App, Button, Collapse, Empty, Input, Popconfirm, Select, Space, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import type { EvidenceItem } from '../../../../main/core/contract/indicators';
import { errorMessage, useCommand, useCommandQuery } from '../../api';
import { AttachmentList } from '../../components/AttachmentList';
import { MATERIAL_STATUS_LABEL } from '../../labels';
import { navigate } from '../../route';

function ItemBody({ item }: { item: EvidenceItem }) {
  const { message } = App.useApp();
  const update = useCommand('evidence.update');
  const materials = useCommandQuery('materials.list', {});
  const save = async (patch: { note?: string | null; materialIds?: string[] }, ok: string) => {
    try {
      await update.mutateAsync({ id: item.id, patch });
      message.success(ok);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const known = new Set((materials.data ?? []).map((m) => m.id));
  // a linked material the list does not return (deleted since) still shows by its title
  const extra = item.materialIds
    .map((id, k) => ({ id, title: item.materialTitles[k] ?? id }))
    .filter((m) => !known.has(m.id));
  return (
    <div className="evidence-body">
      <div className="evidence-field">
        <span className="evidence-label">说明</span>
        <Typography.Paragraph
          className="evidence-note"
          editable={{
            tooltip: '编辑说明',
            maxLength: 2000,
            onChange: (v) => {
              const note = v.trim() || null;
              if (note !== item.note) void save({ note }, '已保存说明');
            },
          }}
          type={item.note ? undefined : 'secondary'}
        >
          {item.note ?? ''}
        </Typography.Paragraph>
      </div>
      <div className="evidence-field">
        <span className="evidence-label">关联材料</span>
        <div style={{ flex: 1, minWidth: 0 }}>
          <Select
            mode="multiple"
            allowClear
            style={{ width: '100%' }}
            placeholder="从材料文档中选择（例如已定稿的制度文件、工作方案）"
            value={item.materialIds}
            loading={materials.isPending || update.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            options={[
              ...(materials.data ?? []).map((m) => ({
                value: m.id,
                label: `${m.title}（${MATERIAL_STATUS_LABEL[m.status]}）`,
              })),
              ...extra.map((m) => ({ value: m.id, label: m.title })),
            ]}
            onChange={(ids: string[]) => void save({ materialIds: ids }, '已更新关联材料')}
            notFoundContent="没有匹配的材料"
            data-testid="evidence-materials"
          />
          {item.materialIds.length > 0 && (
            <div className="evidence-material-links">
              {item.materialIds.map((id, k) => (
                <Typography.Link key={id} onClick={() => navigate('materials', { id })}>
                  <FileTextOutlined /> {item.materialTitles[k] ?? '材料'}
                </Typography.Link>
              ))}
            </div>
          )}
        </div>
      </div>
      <div className="evidence-field">
        <span className="evidence-label">附件</span>
        <div style={{ flex: 1, minWidth: 0 }}>
          <AttachmentList ownerType="evidence" ownerId={item.id} />
        </div>
      </div>
    </div>
  );
}

export function EvidencePanel({
  indicatorId,
  items,
  loading,
}: {
  indicatorId: string;
  items: EvidenceItem[];
  loading: boolean;
}) {
  const { message } = App.useApp();
  const add = useCommand('evidence.add');
  const update = useCommand('evidence.update');
  const remove = useCommand('evidence.remove');
  const [title, setTitle] = useState('');
  const [open, setOpen] = useState<string[]>([]);

  const doAdd = async () => {
    const t = title.trim();
    if (!t) return;
    try {
      const item = await add.mutateAsync({ indicatorId, title: t, note: null, materialIds: [] });
      setTitle('');
      setOpen((o) => [...o, item.id]);
      message.success(`已添加佐证项「${item.title}」，请上传文件或关联材料`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const rename = async (item: EvidenceItem, v: string) => {
    const t = v.trim();
    if (!t) {
      message.error('佐证材料名称不能为空');
      return;
    }
    if (t === item.title) return;
    try {
      await update.mutateAsync({ id: item.id, patch: { title: t } });
      message.success('已重命名');
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const doRemove = async (item: EvidenceItem) => {
    try {
      await remove.mutateAsync({ id: item.id });
      message.success(`已删除佐证项「${item.title}」`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const satisfied = items.filter((i) => i.satisfied).length;

  return (
    <div className="evidence" data-testid="evidence-panel">
      <div className="evidence-head">
        <span>
          评审时需要提供的佐证材料，每项上传文件或关联一份材料即视为已提供。
          {items.length > 0 && (
            <b data-testid="evidence-count">
              {' '}
              已提供 {satisfied} / {items.length}
            </b>
          )}
        </span>
      </div>
      {items.length === 0 && !loading ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description="还没有佐证清单：在下方填写评审需要的佐证材料名称"
          style={{ margin: '12px 0' }}
        />
      ) : (
        <Collapse
          activeKey={open}
          onChange={(keys) => setOpen(Array.isArray(keys) ? keys.map(String) : [String(keys)])}
          items={items.map((item) => ({
            key: item.id,
            label: (
              <span className="evidence-title" data-testid="evidence-item" data-satisfied={item.satisfied}>
                {item.satisfied ? (
                  <Tooltip title="已提供">
                    <CheckCircleFilled className="evidence-ok" aria-label="已提供" />
                  </Tooltip>
                ) : (
                  <Tooltip title="尚未提供：上传文件或关联材料">
                    <CloseCircleFilled className="evidence-missing" aria-label="未提供" />
                  </Tooltip>
                )}
                <span onClick={(e) => e.stopPropagation()}>
                  <Typography.Text
                    editable={{
                      tooltip: '重命名',
                      maxLength: 200,
                      onChange: (v) => void rename(item, v),
                    }}
                  >
                    {item.title}
                  </Typography.Text>
                </span>
              </span>
            ),
            extra: (
              <Space size={12} onClick={(e) => e.stopPropagation()}>
                <span className="muted evidence-counts">
                  <PaperClipOutlined /> {item.attachmentCount} · <FileTextOutlined />{' '}
                  {item.materialIds.length}
                </span>
                <Popconfirm
                  title={`删除佐证项「${item.title}」？`}
                  description="删除后不再列入佐证清单（操作留痕中仍可查到），关联的材料本身不受影响。"
                  okText="删除"
                  okButtonProps={{ danger: true }}
                  cancelText="取消"
                  onConfirm={() => void doRemove(item)}
                >
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} aria-label="删除佐证项" />
                </Popconfirm>
              </Space>
            ),
            children: <ItemBody item={item} />,
          }))}
        />
      )}
      <Space.Compact style={{ width: '100%', marginTop: 12 }}>
        <Input
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          onPressEnter={() => void doAdd()}
          maxLength={200}
          placeholder="佐证材料名称，例如：信用承诺书公示截图"
          data-testid="evidence-new-title"
        />
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => void doAdd()}
          loading={add.isPending}
          disabled={!title.trim()}
          data-testid="evidence-add"
        >
          添加佐证项
        </Button>
      </Space.Compact>
    </div>
  );
}
