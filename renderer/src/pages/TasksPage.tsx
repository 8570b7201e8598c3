import { PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  DatePicker,
  Input,
  Progress,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Task, TaskStatus } from '../../../main/core/contract/records';
import { useCommandQuery } from '../api';
import { PRIORITY_COLOR, PRIORITY_LABEL, STATUS_COLOR, STATUS_LABEL, options } from '../labels';
import { deptLabel, TaskDrawer } from './TaskDrawer';

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/** Height available to an element (for the virtual table's fixed scroll height). */
function useHeight<T extends HTMLElement>(): [React.RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [h, setH] = useState(400);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setH(el.clientHeight));
    ro.observe(el);
    setH(el.clientHeight);
    return () => ro.disconnect();
  }, []);
  return [ref, h];
}

export function TasksPage({ params }: { params: URLSearchParams }) {
  const initialDept = params.get('dept');
  const [deptIds, setDeptIds] = useState<string[]>(initialDept ? [initialDept] : []);
  const [statuses, setStatuses] = useState<TaskStatus[]>([]);
  const [indicatorId, setIndicatorId] = useState<string | undefined>(params.get('indicator') ?? undefined);
  const [due, setDue] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [searchText, setSearchText] = useState('');
  const search = useDebounced(searchText.trim(), 250);
  const [open, setOpen] = useState<string | 'new' | null>(null);
  const [boxRef, boxHeight] = useHeight<HTMLDivElement>();

  const depts = useCommandQuery('departments.list', { includeArchived: true });
  const indicators = useCommandQuery('indicators.list', {});
  const filter = {
    deptIds: deptIds.length ? deptIds : undefined,
    statuses: statuses.length ? statuses : undefined,
    indicatorId,
    dueFrom: due?.[0]?.format('YYYY-MM-DD'),
    dueTo: due?.[1]?.format('YYYY-MM-DD'),
    search: search || undefined,
  };
  const tasks = useCommandQuery('tasks.list', filter, { placeholderData: (prev) => prev });

  const deptMap = useMemo(() => new Map((depts.data ?? []).map((d) => [d.id, d])), [depts.data]);
  const indMap = useMemo(() => new Map((indicators.data ?? []).map((i) => [i.id, i])), [indicators.data]);
  const today = dayjs().format('YYYY-MM-DD');

  const counts = useMemo(() => {
    const c: Partial<Record<TaskStatus, number>> = {};
    for (const t of tasks.data?.rows ?? []) c[t.status] = (c[t.status] ?? 0) + 1;
    return c;
  }, [tasks.data]);

  const columns: ColumnsType<Task> = [
    { title: '编号', dataIndex: 'code', width: 90, fixed: 'left' },
    {
      title: '任务名称',
      dataIndex: 'title',
      width: 310,
      ellipsis: { showTitle: false },
      render: (v: string, t) => (
        <Space size={4}>
          {t.priority !== 'normal' && (
            <Tag color={PRIORITY_COLOR[t.priority]}>{PRIORITY_LABEL[t.priority]}</Tag>
          )}
          <Tooltip title={t.standard ? `完成标准：${t.standard}` : v} placement="topLeft">
            <Typography.Link onClick={() => setOpen(t.id)}>{v}</Typography.Link>
          </Tooltip>
        </Space>
      ),
    },
    {
      title: '牵头单位',
      dataIndex: 'leadDeptId',
      width: 130,
      ellipsis: true,
      render: (id: string | null) => {
        const d = id ? deptMap.get(id) : undefined;
        return d ? (d.shortName ?? d.name) : <span className="muted">未指定</span>;
      },
    },
    {
      title: '配合单位',
      dataIndex: 'coopDeptIds',
      width: 150,
      ellipsis: { showTitle: false },
      render: (ids: string[]) => {
        if (ids.length === 0) return <span className="muted">—</span>;
        const names = ids
          .map((id) => deptMap.get(id)?.shortName ?? deptMap.get(id)?.name ?? '')
          .filter(Boolean);
        return (
          <Tooltip title={names.join('、')}>
            <span>{names.join('、')}</span>
          </Tooltip>
        );
      },
    },
    {
      title: '关联指标',
      dataIndex: 'indicatorIds',
      width: 140,
      render: (ids: string[]) =>
        ids.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <Tooltip
            title={ids.map((id) => `${indMap.get(id)?.code ?? ''} ${indMap.get(id)?.title ?? ''}`).join('\n')}
          >
            <Space size={2} wrap={false}>
              {ids.slice(0, 2).map((id) => (
                <Tag key={id} style={{ marginInlineEnd: 2 }}>
                  {indMap.get(id)?.code ?? '?'}
                </Tag>
              ))}
              {ids.length > 2 && <Tag>+{ids.length - 2}</Tag>}
            </Space>
          </Tooltip>
        ),
    },
    {
      title: '截止日期',
      dataIndex: 'dueDate',
      width: 104,
      render: (d: string | null, t) =>
        d ? (
          <span className={d < today && t.status !== 'done' ? 'row-overdue' : undefined}>{d}</span>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 84,
      render: (s: TaskStatus) => <Tag color={STATUS_COLOR[s]}>{STATUS_LABEL[s]}</Tag>,
    },
    {
      title: '进度',
      dataIndex: 'progress',
      width: 110,
      render: (p: number) => <Progress percent={p} size="small" />,
    },
    {
      title: '更新时间',
      dataIndex: 'updatedAt',
      width: 100,
      render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
    },
  ];

  const singleDept = deptIds.length === 1 ? deptIds[0] : undefined;
  const newDefaults = useMemo(() => (singleDept ? { leadDeptId: singleDept } : undefined), [singleDept]);

  const reset = () => {
    setDeptIds([]);
    setStatuses([]);
    setIndicatorId(undefined);
    setDue(null);
    setSearchText('');
  };

  const total = tasks.data?.total ?? 0;

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>任务督办</h2>
          <div className="page-sub">
            共 {total} 项
            {Object.entries(counts).length > 0 &&
              ' · ' +
                (Object.keys(STATUS_LABEL) as TaskStatus[])
                  .filter((s) => counts[s])
                  .map((s) => `${STATUS_LABEL[s]} ${counts[s]}`)
                  .join(' · ')}
          </div>
        </div>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setOpen('new')} data-testid="new-task">
          新建任务
        </Button>
      </div>
      <div className="panel">
        <Space wrap size={[8, 8]}>
          <Select
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="部门单位"
            style={{ minWidth: 220, maxWidth: 360 }}
            maxTagCount="responsive"
            value={deptIds}
            onChange={setDeptIds}
            options={(depts.data ?? []).map((d) => ({ value: d.id, label: deptLabel(d) }))}
            data-testid="filter-dept"
          />
          <Select
            mode="multiple"
            allowClear
            placeholder="状态"
            style={{ minWidth: 160 }}
            maxTagCount="responsive"
            value={statuses}
            onChange={setStatuses}
            options={options(STATUS_LABEL)}
            data-testid="filter-status"
          />
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="关联指标"
            style={{ width: 240 }}
            value={indicatorId}
            onChange={setIndicatorId}
            options={(indicators.data ?? []).map((i) => ({ value: i.id, label: `${i.code} ${i.title}` }))}
          />
          <DatePicker.RangePicker
            placeholder={['截止日期从', '到']}
            value={due}
            onChange={(v) => setDue(v ? [v[0], v[1]] : null)}
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="搜索名称、编号、完成标准、单位"
            style={{ width: 260 }}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            data-testid="task-search"
          />
          <Button icon={<ReloadOutlined />} onClick={reset}>
            重置
          </Button>
        </Space>
      </div>
      {tasks.isError && <Alert type="error" showIcon title={tasks.error.message} />}
      {tasks.data?.truncated && (
        <Alert
          type="info"
          showIcon
          title={`符合条件的任务共 ${total} 项，仅显示前 ${tasks.data.rows.length} 项，请缩小筛选范围。`}
        />
      )}
      <div
        className="panel fill"
        ref={boxRef}
        style={{ padding: 0, overflow: 'hidden' }}
        data-testid="task-table"
      >
        <Table<Task>
          rowKey="id"
          size="small"
          virtual
          columns={columns}
          dataSource={tasks.data?.rows ?? []}
          loading={tasks.isPending}
          pagination={false}
          scroll={{ x: 1218, y: Math.max(200, boxHeight - 40) }}
          onRow={(t) => ({ onDoubleClick: () => setOpen(t.id) })}
          locale={{ emptyText: tasks.isPending ? '加载中…' : '没有符合条件的任务' }}
        />
      </div>
      <TaskDrawer
        taskId={open}
        onClose={() => setOpen(null)}
        departments={depts.data ?? []}
        indicators={indicators.data ?? []}
        defaults={newDefaults}
      />
    </div>
  );
}
