import { PaperClipOutlined, PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import type { Material } from '../../../main/core/contract/materials';
import { useCommandQuery } from '../api';
import { IndicatorFilter, LabelFilter } from '../components/filters';
import { MATERIAL_STATUS_LABEL, MATERIAL_TYPE_LABEL } from '../labels';
import { navigate } from '../route';
import {
  highlight,
  MATERIAL_STATUS_COLOR,
  MATERIAL_TYPE_COLOR,
  type MaterialStatus,
  type MaterialType,
} from './material/kit';
import { NewMaterialModal } from './material/NewMaterialModal';
import { preloadEditor } from './material/route';
import { useDebounced, useHeight } from './supervisionKit';
import './material/materials.css';

/** 材料文档: the library of the team's documents, with full-text search; a row opens the editor. */
export function MaterialsPage({ params }: { params?: URLSearchParams }) {
  const [types, setTypes] = useState<MaterialType[]>([]);
  const [statuses, setStatuses] = useState<MaterialStatus[]>([]);
  // #/materials?indicator=… (from 报告输出) opens the library filtered to that indicator
  const paramIndicator = params?.get('indicator') ?? undefined;
  const [indicatorId, setIndicatorId] = useState<string | undefined>(paramIndicator);
  const [seenIndicator, setSeenIndicator] = useState(paramIndicator);
  if (seenIndicator !== paramIndicator) {
    setSeenIndicator(paramIndicator);
    setIndicatorId(paramIndicator);
  }
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 250);
  const [creating, setCreating] = useState(false);
  const [boxRef, boxHeight] = useHeight<HTMLDivElement>();

  // the editor is a separate chunk: fetch it while the user looks at the list
  useEffect(() => preloadEditor(), []);

  const indicators = useCommandQuery('indicators.list', {});
  const indMap = useMemo(() => new Map((indicators.data ?? []).map((i) => [i.id, i])), [indicators.data]);
  const filter = {
    types: types.length ? types : undefined,
    statuses: statuses.length ? statuses : undefined,
    indicatorId,
    search: search || undefined,
  };
  const list = useCommandQuery('materials.list', filter, { placeholderData: (p) => p });
  const rows = useMemo(() => list.data ?? [], [list.data]);
  const counts = useMemo(() => {
    const c: Partial<Record<MaterialStatus, number>> = {};
    for (const m of rows) c[m.status] = (c[m.status] ?? 0) + 1;
    return c;
  }, [rows]);
  const filtered = !!(filter.types || filter.statuses || filter.indicatorId || filter.search);

  const reset = () => {
    setTypes([]);
    setStatuses([]);
    setIndicatorId(undefined);
    setSearchText('');
  };

  const columns: ColumnsType<Material> = [
    {
      title: '标题',
      dataIndex: 'title',
      render: (title: string, m) => (
        <div className="mat-title-cell">
          <Typography.Link onClick={() => navigate('materials', { id: m.id })} className="mat-title-link">
            {highlight(title, search)}
          </Typography.Link>
          {m.tags.length > 0 && (
            <span className="mat-tags">
              {m.tags.map((t) => (
                <Tag key={t} bordered={false}>
                  {highlight(t, search)}
                </Tag>
              ))}
            </span>
          )}
          {search && m.excerpt && (
            <div className="mat-excerpt" data-testid="material-excerpt">
              {highlight(m.excerpt, search)}
            </div>
          )}
        </div>
      ),
    },
    {
      title: '类型',
      dataIndex: 'type',
      width: 120,
      render: (t: MaterialType) => <Tag color={MATERIAL_TYPE_COLOR[t]}>{MATERIAL_TYPE_LABEL[t]}</Tag>,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 80,
      render: (s: MaterialStatus) => <Tag color={MATERIAL_STATUS_COLOR[s]}>{MATERIAL_STATUS_LABEL[s]}</Tag>,
    },
    {
      title: '负责人',
      dataIndex: 'ownerName',
      width: 90,
      render: (v: string | null) => v ?? <span className="muted">—</span>,
    },
    {
      title: '关联指标',
      dataIndex: 'indicatorIds',
      width: 90,
      align: 'center',
      render: (ids: string[]) =>
        ids.length === 0 ? (
          <span className="muted">0</span>
        ) : (
          <Tooltip
            title={ids.map((id) => `${indMap.get(id)?.code ?? ''} ${indMap.get(id)?.title ?? ''}`).join('\n')}
            styles={{ root: { whiteSpace: 'pre-line', maxWidth: 420 } }}
          >
            <span className="figure-link">{ids.length}</span>
          </Tooltip>
        ),
    },
    {
      title: '证据',
      dataIndex: 'attachmentCount',
      width: 64,
      align: 'center',
      render: (n: number) =>
        n > 0 ? (
          <span>
            <PaperClipOutlined /> {n}
          </span>
        ) : (
          <span className="muted">0</span>
        ),
    },
    {
      title: '字数',
      dataIndex: 'chars',
      width: 80,
      align: 'right',
      sorter: (a, b) => a.chars - b.chars,
      render: (n: number) => n.toLocaleString('zh-CN'),
    },
    {
      title: '更新时间',
      dataIndex: 'updatedAt',
      width: 130,
      defaultSortOrder: undefined,
      sorter: (a, b) => a.updatedAt.localeCompare(b.updatedAt),
      render: (v: string) => dayjs(v).format('YYYY-MM-DD HH:mm'),
    },
  ];

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>材料文档</h2>
          <div className="page-sub" data-testid="material-summary">
            共 {rows.length} 份
            {(Object.keys(MATERIAL_STATUS_LABEL) as MaterialStatus[])
              .filter((s) => counts[s])
              .map((s) => ` · ${MATERIAL_STATUS_LABEL[s]} ${counts[s]}`)
              .join('')}
          </div>
        </div>
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setCreating(true)}
          data-testid="new-material"
        >
          新建材料
        </Button>
      </div>
      <div className="panel">
        <Space wrap size={[8, 8]}>
          <LabelFilter
            labels={MATERIAL_TYPE_LABEL}
            placeholder="类型"
            value={types}
            onChange={setTypes}
            minWidth={160}
            testId="material-filter-type"
          />
          <LabelFilter
            labels={MATERIAL_STATUS_LABEL}
            placeholder="状态"
            value={statuses}
            onChange={setStatuses}
            minWidth={130}
            testId="material-filter-status"
          />
          <IndicatorFilter
            indicators={indicators.data}
            value={indicatorId}
            onChange={setIndicatorId}
            width={240}
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="搜索标题、标签和全文"
            style={{ width: 260 }}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            data-testid="material-search"
          />
          <Button icon={<ReloadOutlined />} onClick={reset}>
            重置
          </Button>
        </Space>
      </div>
      {list.isError && <Alert type="error" showIcon title={list.error.message} />}
      <div className="panel fill" ref={boxRef} style={{ padding: 0, overflow: 'hidden' }}>
        <Table<Material>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={false}
          scroll={{ y: Math.max(200, boxHeight - 42) }}
          onRow={(m) => ({
            onClick: (e) => {
              // a click on a link or a tag's text still opens the material; selections of text do not
              if (window.getSelection()?.toString()) return;
              if ((e.target as HTMLElement).closest('a')) return;
              navigate('materials', { id: m.id });
            },
            style: { cursor: 'pointer' },
          })}
          locale={{
            emptyText: list.isPending
              ? '加载中…'
              : filtered
                ? '没有符合条件的材料'
                : '还没有材料。点“新建材料”，从模板开始写工作要点、实施方案、会议纪要等。',
          }}
          data-testid="material-table"
        />
      </div>
      <NewMaterialModal open={creating} onClose={() => setCreating(false)} />
    </div>
  );
}
