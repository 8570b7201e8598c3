import {
  CloseOutlined,
  FileExcelOutlined,
  PlusOutlined,
  ReloadOutlined,
  SearchOutlined,
  SendOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
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
import type { Light, Task, TaskStatus } from '../../../main/core/contract/records';
import { call, useCommand, useCommandQuery } from '../api';
import { LightTag } from '../components/LightTag';
import { useExport } from '../components/useExport';
import { IndicatorFilter, LabelFilter } from '../components/filters';
import {
  LIGHT_LABEL,
  PRIORITY_COLOR,
  PRIORITY_LABEL,
  RECURRENCE_LABEL,
  STATUS_COLOR,
  STATUS_LABEL,
  TASK_KIND_LABEL,
  lightReasonText,
} from '../labels';
import { deptLabel } from './task/deptLabel';
import { parseFilterParam, toTaskFilter, type Kind, type ListFilter } from './task/filter';
import { ImportTasksModal } from './ImportTasksModal';
import { LazyTooltip } from './task/LazyTooltip';
import { TaskDrawer } from './TaskDrawer';

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

/** The light filter's options in the order a supervisor reads them. */
const LIGHT_ORDER: Light[] = ['green', 'yellow', 'red', 'done', 'none'];

/** The initial filter: `filter` (JSON TaskFilter from the dashboard etc.), `dept`, `indicator`. */
function initialFilter(params: URLSearchParams): ListFilter {
  const f = parseFilterParam(params.get('filter'));
  const dept = params.get('dept');
  if (dept && !f.deptIds?.includes(dept)) f.deptIds = [...(f.deptIds ?? []), dept];
  const ind = params.get('indicator');
  if (ind && !f.indicatorId) f.indicatorId = ind;
  return f;
}

/** "2027年第12周（3月15日—3月21日）" → "第12周", "2027年3月" → "3月", "2027年第一季度" → "第一季度". */
function shortPeriod(label: string): string {
  return label.replace(/（.*）$/, '').replace(/^\d{4}年/, '');
}

/** 亮灯 cell: the light (tooltip: why) or, for a recurring series, its cycle and whether it runs. */
function LightCell({ t }: { t: Task }) {
  if (t.kind === 'series') {
    const active = t.status === 'issued';
    return (
      <span style={{ whiteSpace: 'nowrap' }} data-testid="series-cell">
        <Tag color="geekblue" style={{ marginInlineEnd: 4, paddingInline: 4 }}>
          周期
        </Tag>
        {RECURRENCE_LABEL[t.recurrence]}
        <span style={{ color: active ? '#2e9d5b' : '#9ca3af', marginInlineStart: 4 }}>
          {active ? '已启用' : '未启用'}
        </span>
      </span>
    );
  }
  const why = lightReasonText(t.lightReason);
  const tip = [
    why ? `${LIGHT_LABEL[t.light]}：${why}` : LIGHT_LABEL[t.light],
    t.kind === 'instance' && t.periodLabel ? `本期：${t.periodLabel}` : '',
  ]
    .filter(Boolean)
    .join('；');
  return (
    <LazyTooltip title={tip}>
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6, whiteSpace: 'nowrap' }}>
        <LightTag light={t.light} />
        <span style={{ color: t.light === 'none' ? '#9ca3af' : undefined }}>{LIGHT_LABEL[t.light]}</span>
        {t.kind === 'instance' && t.periodLabel && (
          <span className="muted" style={{ fontSize: 12 }} data-testid="period-label">
            {shortPeriod(t.periodLabel)}
          </span>
        )}
      </span>
    </LazyTooltip>
  );
}

export function TasksPage({ params }: { params: URLSearchParams }) {
  const { message, modal } = App.useApp();
  const [init] = useState(() => initialFilter(params));
  const [deptIds, setDeptIds] = useState<string[]>(init.deptIds ?? []);
  const [statuses, setStatuses] = useState<TaskStatus[]>(init.statuses ?? []);
  const [lights, setLights] = useState<Light[]>(init.lights ?? []);
  const [kinds, setKinds] = useState<Kind[]>(init.kinds ?? []);
  const [indicatorId, setIndicatorId] = useState<string | undefined>(init.indicatorId);
  const [due, setDue] = useState<[Dayjs | null, Dayjs | null] | null>(
    init.dueFrom || init.dueTo
      ? [init.dueFrom ? dayjs(init.dueFrom) : null, init.dueTo ? dayjs(init.dueTo) : null]
      : null,
  );
  // filters without a control of their own (from the dashboard or a link): shown as tags
  const [overdue, setOverdue] = useState(init.overdue ?? false);
  const [supervisedOnly, setSupervisedOnly] = useState(init.supervisedOnly ?? false);
  const [leadOnly, setLeadOnly] = useState(init.leadOnly ?? false);
  const [done, setDone] = useState<{ from?: string; to?: string } | undefined>(
    init.doneFrom || init.doneTo ? { from: init.doneFrom, to: init.doneTo } : undefined,
  );
  const [seriesId, setSeriesId] = useState<string | undefined>(init.seriesId);
  const [ids, setIds] = useState<string[] | undefined>(init.ids);
  const [searchText, setSearchText] = useState(init.search ?? '');
  const search = useDebounced(searchText.trim(), 250);
  // a link to exactly one task (驾驶舱 → 任务) opens it
  const [open, setOpen] = useState<string | 'new' | null>(init.ids?.length === 1 ? init.ids[0]! : null);
  const [selected, setSelected] = useState<React.Key[]>([]);
  const [importing, setImporting] = useState(false);
  const [boxRef, boxHeight] = useHeight<HTMLDivElement>();
  const doExport = useExport();
  const transition = useCommand('tasks.transition');

  const depts = useCommandQuery('departments.list', { includeArchived: true });
  const indicators = useCommandQuery('indicators.list', {});
  const filter = toTaskFilter({
    deptIds,
    statuses,
    lights,
    kinds,
    indicatorId,
    dueFrom: due?.[0]?.format('YYYY-MM-DD'),
    dueTo: due?.[1]?.format('YYYY-MM-DD'),
    search: search || undefined,
    overdue,
    supervisedOnly,
    leadOnly,
    doneFrom: done?.from,
    doneTo: done?.to,
    seriesId,
    ids,
  });
  const tasks = useCommandQuery('tasks.list', filter, { placeholderData: (prev) => prev });
  const series = useCommandQuery('tasks.get', { id: seriesId ?? '' }, { enabled: !!seriesId });

  const deptMap = useMemo(() => new Map((depts.data ?? []).map((d) => [d.id, d])), [depts.data]);
  const indMap = useMemo(() => new Map((indicators.data ?? []).map((i) => [i.id, i])), [indicators.data]);
  const rows = useMemo(() => tasks.data?.rows ?? [], [tasks.data]);
  const rowMap = useMemo(() => new Map(rows.map((t) => [t.id, t])), [rows]);

  const counts = useMemo(() => {
    const s: Partial<Record<TaskStatus, number>> = {};
    const l: Partial<Record<Light, number>> = {};
    let series = 0;
    for (const t of rows) {
      // a series is a definition, not a task in the workflow: counted apart
      if (t.kind === 'series') {
        series++;
        continue;
      }
      s[t.status] = (s[t.status] ?? 0) + 1;
      l[t.light] = (l[t.light] ?? 0) + 1;
    }
    return { s, l, series };
  }, [rows]);

  // only rows still in the list count as selected
  const selectedTasks = selected.map((k) => rowMap.get(String(k))).filter((t): t is Task => !!t);
  const drafts = selectedTasks.filter((t) => t.status === 'draft');

  const columns: ColumnsType<Task> = [
    { title: '编号', dataIndex: 'code', width: 108, fixed: 'left', ellipsis: true },
    {
      title: '亮灯',
      key: 'light',
      width: 120,
      render: (_: unknown, t) => <LightCell t={t} />,
    },
    {
      title: '任务名称',
      dataIndex: 'title',
      width: 250,
      render: (v: string, t) => (
        <div style={{ display: 'flex', alignItems: 'center', gap: 4, minWidth: 0 }}>
          {t.priority !== 'normal' && (
            <Tag color={PRIORITY_COLOR[t.priority]} style={{ marginInlineEnd: 0, flexShrink: 0 }}>
              {PRIORITY_LABEL[t.priority]}
            </Tag>
          )}
          {/* a native tooltip: the link must stay the same element under the pointer */}
          <Typography.Link
            onClick={() => setOpen(t.id)}
            title={t.standard ? `${v}\n完成标准：${t.standard}` : v}
            style={{ overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap', minWidth: 0 }}
          >
            {v}
          </Typography.Link>
        </div>
      ),
    },
    {
      title: '牵头单位',
      dataIndex: 'leadDeptId',
      width: 108,
      ellipsis: true,
      render: (id: string | null) => {
        const d = id ? deptMap.get(id) : undefined;
        return d ? (d.shortName ?? d.name) : <span className="muted">未指定</span>;
      },
    },
    {
      title: '配合单位',
      dataIndex: 'coopDeptIds',
      width: 108,
      ellipsis: { showTitle: false },
      render: (list: string[]) => {
        if (list.length === 0) return <span className="muted">—</span>;
        const names = list
          .map((id) => deptMap.get(id)?.shortName ?? deptMap.get(id)?.name ?? '')
          .filter(Boolean);
        return <LazyTooltip title={names.join('、')}>{names.join('、')}</LazyTooltip>;
      },
    },
    {
      title: '关联指标',
      dataIndex: 'indicatorIds',
      width: 104,
      render: (list: string[]) =>
        list.length === 0 ? (
          <span className="muted">—</span>
        ) : (
          <LazyTooltip
            title={list
              .map((id) => `${indMap.get(id)?.code ?? ''} ${indMap.get(id)?.title ?? ''}`)
              .join('\n')}
          >
            <Space size={2} wrap={false}>
              {list.slice(0, 1).map((id) => (
                <Tag key={id} style={{ marginInlineEnd: 2 }}>
                  {indMap.get(id)?.code ?? '?'}
                </Tag>
              ))}
              {list.length > 1 && <Tag style={{ marginInlineEnd: 0 }}>+{list.length - 1}</Tag>}
            </Space>
          </LazyTooltip>
        ),
    },
    {
      title: '截止日期',
      dataIndex: 'dueDate',
      width: 98,
      render: (d: string | null, t) =>
        d ? (
          // overdue by the core's light (its clock), not this computer's date
          <span className={t.lightReason?.startsWith('overdue:') ? 'row-overdue' : undefined}>{d}</span>
        ) : t.kind === 'series' ? (
          <LazyTooltip title={`每期各有截止日期；周期 ${t.recurStart ?? ''} 至 ${t.recurEnd ?? '长期'}`}>
            <span className="muted">每期</span>
          </LazyTooltip>
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 78,
      render: (s: TaskStatus, t) =>
        t.kind === 'series' ? (
          <span className="muted">—</span>
        ) : (
          <Tag color={STATUS_COLOR[s]}>{STATUS_LABEL[s]}</Tag>
        ),
    },
    {
      title: '进度',
      dataIndex: 'progress',
      width: 100,
      render: (p: number, t) =>
        t.kind === 'series' ? <span className="muted">—</span> : <Progress percent={p} size="small" />,
    },
    {
      title: '更新时间',
      dataIndex: 'updatedAt',
      width: 90,
      render: (v: string) => dayjs(v).format('MM-DD HH:mm'),
    },
  ];
  const tableWidth = 32 + columns.reduce((n, c) => n + (typeof c.width === 'number' ? c.width : 0), 0);

  const singleDept = deptIds.length === 1 ? deptIds[0] : undefined;
  const newDefaults = useMemo(() => (singleDept ? { leadDeptId: singleDept } : undefined), [singleDept]);

  const reset = () => {
    setDeptIds([]);
    setStatuses([]);
    setLights([]);
    setKinds([]);
    setIndicatorId(undefined);
    setDue(null);
    setSearchText('');
    setOverdue(false);
    setSupervisedOnly(false);
    setSeriesId(undefined);
    setIds(undefined);
  };

  const bulkIssue = () => {
    if (drafts.length === 0) return;
    const others = selectedTasks.length - drafts.length;
    modal.confirm({
      title: `下发 ${drafts.length} 项任务？`,
      content: (
        <div>
          <p>下发后各牵头单位即可签收办理，任务开始亮灯。</p>
          {others > 0 && (
            <p style={{ color: '#ad6800' }}>所选的另外 {others} 项不是“待下发”状态，不在本次下发之列。</p>
          )}
        </div>
      ),
      okText: `下发 ${drafts.length} 项`,
      cancelText: '取消',
      onOk: async () => {
        try {
          await transition.mutateAsync({ ids: drafts.map((t) => t.id), action: 'issue' });
          message.success(`已下发 ${drafts.length} 项任务`);
          setSelected([]);
        } catch (e) {
          // the core refuses the whole batch and names the tasks that could not be issued
          modal.error({ title: '未下发', content: e instanceof Error ? e.message : String(e) });
        }
      },
    });
  };

  const exportExcel = () =>
    void doExport({
      defaultName: `任务清单-${dayjs().format('YYYY-MM-DD')}.xlsx`,
      filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
      run: (file) => call('tasks.export', { filter, file }),
    });

  const total = tasks.data?.total ?? 0;
  const origin: { key: string; label: string; clear: () => void }[] = [];
  if (overdue) origin.push({ key: 'overdue', label: '逾期任务', clear: () => setOverdue(false) });
  if (supervisedOnly)
    origin.push({
      key: 'supervised',
      label: '已下发的督办任务',
      clear: () => setSupervisedOnly(false),
    });
  if (leadOnly && deptIds.length > 0)
    origin.push({ key: 'lead', label: '只看牵头任务（不含配合）', clear: () => setLeadOnly(false) });
  if (done)
    origin.push({
      key: 'done',
      label: `办结于 ${done.from ?? '…'} 至 ${done.to ?? '…'}`,
      clear: () => setDone(undefined),
    });
  if (seriesId)
    origin.push({
      key: 'series',
      label: `周期任务的各期：${series.data ? `${series.data.code} ${series.data.title}` : '…'}`,
      clear: () => setSeriesId(undefined),
    });
  if (ids)
    origin.push({
      key: 'ids',
      label: ids.length === 1 ? '指定的 1 项任务' : `指定的 ${ids.length} 项任务`,
      clear: () => setIds(undefined),
    });

  const lightSummary = LIGHT_ORDER.filter((l) => l !== 'none' && l !== 'done' && counts.l[l])
    .map((l) => `${LIGHT_LABEL[l]} ${counts.l[l]}`)
    .join(' · ');

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>任务督办</h2>
          <div className="page-sub">
            共 {total} 项
            {[
              ...(Object.keys(STATUS_LABEL) as TaskStatus[])
                .filter((s) => counts.s[s])
                .map((s) => `${STATUS_LABEL[s]} ${counts.s[s]}`),
              ...(counts.series ? [`周期任务 ${counts.series}`] : []),
            ]
              .map((x) => ` · ${x}`)
              .join('')}
            {lightSummary && <span style={{ marginInlineStart: 12 }}>（{lightSummary}）</span>}
          </div>
        </div>
        <Space>
          <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="import-tasks">
            导入 Excel
          </Button>
          <Button icon={<FileExcelOutlined />} onClick={exportExcel} data-testid="export-tasks">
            导出 Excel
          </Button>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => setOpen('new')}
            data-testid="new-task"
          >
            新建任务
          </Button>
        </Space>
      </div>
      <div className="panel">
        <Space wrap size={[8, 8]}>
          <Select
            mode="multiple"
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            placeholder="部门单位"
            style={{ minWidth: 200, maxWidth: 340 }}
            maxTagCount="responsive"
            value={deptIds}
            onChange={setDeptIds}
            options={(depts.data ?? []).map((d) => ({ value: d.id, label: deptLabel(d) }))}
            data-testid="filter-dept"
          />
          <Select
            mode="multiple"
            allowClear
            placeholder="亮灯"
            style={{ minWidth: 130 }}
            maxTagCount="responsive"
            value={lights}
            onChange={setLights}
            options={LIGHT_ORDER.map((l) => ({
              value: l,
              label: (
                <span style={{ display: 'inline-flex', alignItems: 'center', gap: 6 }}>
                  <LightTag light={l} />
                  {LIGHT_LABEL[l]}
                </span>
              ),
            }))}
            data-testid="filter-light"
          />
          <LabelFilter
            labels={STATUS_LABEL}
            placeholder="状态"
            value={statuses}
            onChange={setStatuses}
            minWidth={140}
            testId="filter-status"
          />
          <LabelFilter
            labels={TASK_KIND_LABEL}
            placeholder="类型"
            value={kinds}
            onChange={setKinds}
            minWidth={130}
            testId="filter-kind"
          />
          <IndicatorFilter
            indicators={indicators.data}
            value={indicatorId}
            onChange={setIndicatorId}
            width={200}
          />
          <DatePicker.RangePicker
            placeholder={['截止日期从', '到']}
            allowEmpty={[true, true]}
            value={due}
            onChange={(v) => setDue(v && (v[0] || v[1]) ? [v[0], v[1]] : null)}
            style={{ width: 240 }}
            data-testid="filter-due"
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="搜索名称、编号、完成标准、单位"
            style={{ width: 240 }}
            value={searchText}
            onChange={(e) => setSearchText(e.target.value)}
            data-testid="task-search"
          />
          <Button icon={<ReloadOutlined />} onClick={reset}>
            重置
          </Button>
        </Space>
        {origin.length > 0 && (
          <div style={{ marginTop: 8 }} data-testid="origin-tags">
            {origin.map((o) => (
              <Tag
                key={o.key}
                color="blue"
                closable
                closeIcon={<CloseOutlined />}
                onClose={(e) => {
                  e.preventDefault();
                  o.clear();
                }}
              >
                {o.label}
              </Tag>
            ))}
          </div>
        )}
      </div>
      {selectedTasks.length > 0 && (
        <div
          className="panel"
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            padding: '8px 16px',
            background: '#eef4ff',
          }}
          data-testid="bulk-bar"
        >
          <span>
            已选 <b>{selectedTasks.length}</b> 项
            {drafts.length !== selectedTasks.length && `（其中待下发 ${drafts.length} 项）`}
          </span>
          <Tooltip title={drafts.length === 0 ? '所选任务中没有“待下发”的任务' : undefined}>
            <Button
              type="primary"
              icon={<SendOutlined />}
              disabled={drafts.length === 0}
              loading={transition.isPending}
              onClick={bulkIssue}
              data-testid="bulk-issue"
            >
              批量下发{drafts.length > 0 ? ` ${drafts.length} 项` : ''}
            </Button>
          </Tooltip>
          <Button onClick={() => setSelected([])}>取消选择</Button>
        </div>
      )}
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
          dataSource={rows}
          loading={tasks.isPending}
          pagination={false}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: setSelected,
            columnWidth: 32,
            fixed: true,
          }}
          scroll={{ x: tableWidth, y: Math.max(200, boxHeight - 40) }}
          onRow={(t) => ({ onDoubleClick: () => setOpen(t.id) })}
          locale={{ emptyText: tasks.isPending ? '加载中…' : '没有符合条件的任务' }}
        />
      </div>
      <ImportTasksModal open={importing} onClose={() => setImporting(false)} />
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
