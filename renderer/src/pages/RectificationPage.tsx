import {
  FileExcelOutlined,
  FileWordOutlined,
  PaperClipOutlined,
  PlusOutlined,
  ReloadOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import { Alert, Button, Input, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { Rectification } from '../../../main/core/contract/supervision';
import { call, useCommandQuery } from '../api';
import { useExport } from '../components/useExport';
import { LabelFilter } from '../components/filters';
import { RECT_SOURCE_LABEL, RECT_STATUS_COLOR, RECT_STATUS_LABEL } from '../labels';
import { navigate } from '../route';
import { RectificationDrawer, type RectSource, type RectStatus } from './RectificationDrawer';
import { todayStr, useDebounced, useHeight } from './supervisionKit';
import './supervision.css';

const SOURCE_COLOR: Record<RectSource, string> = {
  inspection: 'blue',
  weak_indicator: 'gold',
  review_panel: 'magenta',
  other: 'default',
};

export function RectificationPage({ params }: { params: URLSearchParams }) {
  const [statuses, setStatuses] = useState<RectStatus[]>([]);
  const [sources, setSources] = useState<RectSource[]>([]);
  const [deptId, setDeptId] = useState<string | undefined>(undefined);
  const [overdue, setOverdue] = useState(false);
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 250);
  const [selected, setSelected] = useState<string[]>([]);
  const [boxRef, boxHeight] = useHeight<HTMLDivElement>();
  const runExport = useExport();
  const [busy, setBusy] = useState<'excel' | 'word' | null>(null);

  // #/rectification?id=… opens that item (also when the page is already showing)
  const paramId = params.get('id');
  const [open, setOpen] = useState<string | 'new' | null>(paramId);
  const [seenParam, setSeenParam] = useState(paramId);
  if (seenParam !== paramId) {
    setSeenParam(paramId);
    if (paramId) setOpen(paramId);
  }
  const close = () => {
    setOpen(null);
    if (paramId) navigate('rectification');
  };

  const depts = useCommandQuery('departments.list', { includeArchived: true });
  const indicators = useCommandQuery('indicators.list', {});
  const filter = {
    statuses: statuses.length ? statuses : undefined,
    sources: sources.length ? sources : undefined,
    deptId,
    overdue: overdue || undefined,
    search: search || undefined,
  };
  const list = useCommandQuery('rect.list', filter, { placeholderData: (p) => p });
  const rows = useMemo(() => list.data ?? [], [list.data]);
  const byId = useMemo(() => new Map(rows.map((r) => [r.id, r])), [rows]);
  const chosen = selected.map((id) => byId.get(id)).filter((r): r is Rectification => !!r);
  const allReview = chosen.length > 0 && chosen.every((r) => r.source === 'review_panel');

  const counts = useMemo(() => {
    const c: Partial<Record<RectStatus, number>> = {};
    let late = 0;
    for (const r of rows) {
      c[r.status] = (c[r.status] ?? 0) + 1;
      if (r.overdue) late++;
    }
    return { c, late };
  }, [rows]);

  const exportExcel = async () => {
    setBusy('excel');
    try {
      await runExport({
        defaultName: `整改清单-${todayStr()}.xlsx`,
        filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
        run: (file) => call('rect.export', { filter, file }),
      });
    } finally {
      setBusy(null);
    }
  };
  const exportClarification = async () => {
    setBusy('word');
    try {
      await runExport({
        defaultName: `澄清报告-${todayStr()}.docx`,
        filters: [{ name: 'Word 文档', extensions: ['docx'] }],
        run: (file) => call('rect.clarificationReport', { ids: chosen.map((r) => r.id), file }),
      });
    } finally {
      setBusy(null);
    }
  };

  const reset = () => {
    setStatuses([]);
    setSources([]);
    setDeptId(undefined);
    setOverdue(false);
    setSearchText('');
  };

  const columns: ColumnsType<Rectification> = [
    { title: '编号', dataIndex: 'code', width: 100, sorter: (a, b) => a.code.localeCompare(b.code) },
    {
      title: '来源',
      dataIndex: 'source',
      width: 120,
      render: (s: RectSource) => <Tag color={SOURCE_COLOR[s]}>{RECT_SOURCE_LABEL[s]}</Tag>,
    },
    {
      title: '问题',
      dataIndex: 'problem',
      ellipsis: { showTitle: false },
      render: (v: string, r) => (
        <Tooltip title={v} placement="topLeft" styles={{ root: { maxWidth: 520 } }}>
          <Typography.Link onClick={() => setOpen(r.id)}>{v}</Typography.Link>
        </Tooltip>
      ),
    },
    {
      title: '责任单位',
      dataIndex: 'deptName',
      width: 180,
      ellipsis: true,
      render: (v: string | null) => v ?? <span className="muted">未指定</span>,
    },
    {
      title: '整改时限',
      dataIndex: 'deadline',
      width: 110,
      sorter: (a, b) => (a.deadline ?? '9999').localeCompare(b.deadline ?? '9999'),
      render: (d: string | null, r) =>
        d ? (
          <Tooltip title={r.overdue ? '已超过整改时限' : undefined}>
            <span className={r.overdue ? 'row-overdue' : undefined}>{d}</span>
          </Tooltip>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (s: RectStatus) => <Tag color={RECT_STATUS_COLOR[s]}>{RECT_STATUS_LABEL[s]}</Tag>,
    },
    {
      title: '证据',
      dataIndex: 'attachmentCount',
      width: 70,
      align: 'center',
      sorter: (a, b) => a.attachmentCount - b.attachmentCount,
      render: (n: number) =>
        n > 0 ? (
          <span>
            <PaperClipOutlined /> {n}
          </span>
        ) : (
          <span className="muted">0</span>
        ),
    },
  ];

  const clarifyHint =
    chosen.length === 0
      ? '先在表格中勾选“国家评审反馈”来源的整改事项'
      : allReview
        ? `为选中的 ${chosen.length} 项生成澄清报告`
        : '澄清报告只针对“国家评审反馈”来源的事项，请只勾选这一来源的事项';

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>整改清单</h2>
          <div className="page-sub" data-testid="rect-summary">
            共 {rows.length} 项
            {(Object.keys(RECT_STATUS_LABEL) as RectStatus[])
              .filter((s) => counts.c[s])
              .map((s) => ` · ${RECT_STATUS_LABEL[s]} ${counts.c[s]}`)
              .join('')}
            {counts.late > 0 && <span className="row-overdue"> · 超期 {counts.late}</span>}
          </div>
        </div>
        <Space>
          <Tooltip title={clarifyHint}>
            <Button
              icon={<FileWordOutlined />}
              disabled={!allReview}
              loading={busy === 'word'}
              onClick={() => void exportClarification()}
              data-testid="rect-clarify"
            >
              生成澄清报告（Word）
            </Button>
          </Tooltip>
          <Button
            icon={<FileExcelOutlined />}
            loading={busy === 'excel'}
            onClick={() => void exportExcel()}
            data-testid="rect-export"
          >
            导出 Excel
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setOpen('new')}
            data-testid="new-rect"
          >
            新增整改事项
          </Button>
        </Space>
      </div>
      <div className="panel">
        <Space wrap size={[8, 8]}>
          <LabelFilter
            labels={RECT_STATUS_LABEL}
            placeholder="状态"
            value={statuses}
            onChange={setStatuses}
            minWidth={150}
            testId="rect-filter-status"
          />
          <LabelFilter
            labels={RECT_SOURCE_LABEL}
            placeholder="来源"
            value={sources}
            onChange={setSources}
            minWidth={170}
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="责任单位"
            style={{ width: 220 }}
            value={deptId}
            onChange={setDeptId}
            options={(depts.data ?? []).map((d) => ({ value: d.id, label: d.shortName ?? d.name }))}
          />
          <Space size={6}>
            <Switch size="small" checked={overdue} onChange={setOverdue} />
            只看超期
          </Space>
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="搜索编号、问题、措施"
            style={{ width: 240 }}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
          />
          <Button icon={<ReloadOutlined />} onClick={reset}>
            重置
          </Button>
          {chosen.length > 0 && (
            <Typography.Text type="secondary">
              已选 {chosen.length} 项 <Typography.Link onClick={() => setSelected([])}>清除</Typography.Link>
            </Typography.Text>
          )}
        </Space>
      </div>
      {list.isError && <Alert type="error" showIcon title={list.error.message} />}
      <div className="panel fill" ref={boxRef} style={{ padding: 0, overflow: 'hidden' }}>
        <Table<Rectification>
          rowKey="id"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={list.isPending}
          pagination={false}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
          scroll={{ x: 980, y: Math.max(200, boxHeight - 42) }}
          onRow={(r) => ({ onDoubleClick: () => setOpen(r.id) })}
          locale={{
            emptyText: list.isPending
              ? '加载中…'
              : filter.statuses || filter.sources || filter.deptId || filter.overdue || filter.search
                ? '没有符合条件的整改事项'
                : '还没有整改事项。巡查、监测或评审发现问题后，点“新增整改事项”登记。',
          }}
          data-testid="rect-table"
        />
      </div>
      <RectificationDrawer
        rectId={open}
        onClose={close}
        onCreated={(id) => setOpen(id)}
        departments={depts.data ?? []}
        indicators={indicators.data ?? []}
      />
    </div>
  );
}
