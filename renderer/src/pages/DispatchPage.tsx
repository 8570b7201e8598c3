import { CameraOutlined, FileWordOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Empty,
  Input,
  Modal,
  Progress,
  Skeleton,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import type { Light, TaskStatus } from '../../../main/core/contract/records';
import type { DispatchWeek, WeekComparison } from '../../../main/core/contract/supervision';
import { call, errorMessage, useCommand, useCommandQuery } from '../api';
import { LightTag } from '../components/LightTag';
import { useExport } from '../components/useExport';
import { LIGHT_COLOR, LIGHT_LABEL, STATUS_COLOR, STATUS_LABEL } from '../labels';
import { openTask, pct } from './supervisionKit';
import './supervision.css';

type SnapshotTask = WeekComparison['stalled'][number];
type DeptSummary = DispatchWeek['summary']['depts'][number];

/** ISO week key (2027-W05) of a day, the same numbering as the core's weekly periods. */
export function isoWeekKey(d: Dayjs): string {
  const day = d.startOf('day');
  const thursday = day.add(3 - ((day.day() + 6) % 7), 'day');
  const year = thursday.year();
  const jan4 = dayjs(new Date(year, 0, 4));
  const week1 = jan4.subtract((jan4.day() + 6) % 7, 'day');
  const week = Math.floor(thursday.diff(week1, 'day') / 7) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

const isStatus = (s: string): s is TaskStatus => s in STATUS_LABEL;
const isLight = (s: string): s is Light => s in LIGHT_LABEL;
const fmtTime = (iso: string) => dayjs(iso).format('YYYY-MM-DD HH:mm');

const taskColumns = (short: Map<string, string>): ColumnsType<SnapshotTask> => [
  {
    title: '编号',
    dataIndex: 'code',
    width: 150,
    render: (v: string) => <span style={{ whiteSpace: 'nowrap' }}>{v}</span>,
  },
  {
    title: '任务名称',
    dataIndex: 'title',
    ellipsis: { showTitle: false },
    render: (v: string, t) => (
      <Tooltip title={v} placement="topLeft">
        <Typography.Link onClick={() => openTask(t.id)}>{v}</Typography.Link>
      </Tooltip>
    ),
  },
  {
    title: '牵头单位',
    dataIndex: 'deptName',
    width: 150,
    ellipsis: { showTitle: false },
    render: (v: string | null, t) =>
      v ? (
        <Tooltip title={v} placement="topLeft">
          <span>{(t.deptId && short.get(t.deptId)) ?? v}</span>
        </Tooltip>
      ) : (
        <span className="muted">未指定</span>
      ),
  },
  {
    title: '状态',
    dataIndex: 'status',
    width: 90,
    render: (s: string) => (isStatus(s) ? <Tag color={STATUS_COLOR[s]}>{STATUS_LABEL[s]}</Tag> : s),
  },
  {
    title: '亮灯',
    dataIndex: 'light',
    width: 130,
    render: (l: string, t) =>
      isLight(l) ? (
        <LightTag light={l} reason={t.lightReason} showText />
      ) : (
        <span className="muted">{l}</span>
      ),
  },
  {
    title: '截止日期',
    dataIndex: 'dueDate',
    width: 110,
    sorter: (a, b) => (a.dueDate ?? '9999').localeCompare(b.dueDate ?? '9999'),
    render: (v: string | null) => v ?? <span className="muted">—</span>,
  },
];

/** A figure of the week and its change since the previous frozen week (green when better). */
function Stat({
  label,
  value,
  delta,
  color,
  better = 'up',
}: {
  label: string;
  value: string | number;
  delta?: number | null;
  color?: string;
  better?: 'up' | 'down' | 'none';
}) {
  const good = better === 'none' || !delta ? null : delta > 0 === (better === 'up');
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value" style={color ? { color } : undefined}>
        {value}
        {delta !== undefined && delta !== null && delta !== 0 && (
          <Tooltip title="与上一次冻结相比">
            <span
              className="stat-delta"
              style={{ color: good === null ? '#6b7280' : good ? LIGHT_COLOR.green : LIGHT_COLOR.red }}
            >
              {delta > 0 ? `↑${delta}` : `↓${-delta}`}
            </span>
          </Tooltip>
        )}
      </div>
    </div>
  );
}

function FreezeModal({
  open,
  onClose,
  existing,
  onFrozen,
}: {
  open: boolean;
  onClose: () => void;
  existing: DispatchWeek | undefined;
  onFrozen: (w: DispatchWeek) => void;
}) {
  const { message } = App.useApp();
  const [note, setNote] = useState('');
  const freeze = useCommand('dispatch.freeze');
  const submit = async () => {
    try {
      const w = await freeze.mutateAsync({ note: note.trim() || null });
      message.success(`已冻结${w.label}的调度快照`);
      setNote('');
      onFrozen(w);
      onClose();
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Modal
      open={open}
      title={existing ? '重新冻结本周快照' : '冻结本周快照'}
      okText={existing ? '重新冻结' : '冻结'}
      okButtonProps={{ danger: !!existing }}
      cancelText="取消"
      onOk={() => void submit()}
      onCancel={onClose}
      confirmLoading={freeze.isPending}
      destroyOnHidden
    >
      <Space orientation="vertical" style={{ width: '100%' }} size={12}>
        {existing ? (
          <Alert
            type="warning"
            showIcon
            title="重新冻结将替换本周快照"
            description={`本周已于 ${fmtTime(existing.frozenAt)} 由 ${existing.frozenBy} 冻结。重新冻结会用现在的任务状态替换它（原快照保留在操作留痕中）。`}
          />
        ) : (
          <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
            记录此刻全部督办任务的状态、亮灯和进度，作为本周调度的依据，并与上一次冻结的快照比较。
          </Typography.Paragraph>
        )}
        <Input.TextArea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          placeholder="备注（可选），例如：第 15 周调度会前冻结"
          autoSize={{ minRows: 2, maxRows: 5 }}
          maxLength={2000}
          data-testid="freeze-note"
        />
      </Space>
    </Modal>
  );
}

function WeekDetail({ week }: { week: string }) {
  const cmp = useCommandQuery('dispatch.compare', { week });
  const depts = useCommandQuery('departments.list', { includeArchived: true });
  const shortNames = useMemo(
    () => new Map((depts.data ?? []).filter((d) => d.shortName).map((d) => [d.id, d.shortName ?? d.name])),
    [depts.data],
  );
  const runExport = useExport();
  const [busy, setBusy] = useState<string | null>(null);

  const exportReport = async () => {
    setBusy('report');
    try {
      await runExport({
        defaultName: `每周工作调度报告-${week}.docx`,
        filters: [{ name: 'Word 文档', extensions: ['docx'] }],
        run: (file) => call('dispatch.report', { week, file }),
      });
    } finally {
      setBusy(null);
    }
  };
  const exportDept = async (d: DeptSummary) => {
    setBusy(d.deptId);
    try {
      await runExport({
        defaultName: `整改分析报告-${d.deptName}-${week}.docx`,
        filters: [{ name: 'Word 文档', extensions: ['docx'] }],
        run: (file) => call('dispatch.deptReport', { week, deptId: d.deptId, file }),
      });
    } finally {
      setBusy(null);
    }
  };

  if (cmp.isPending)
    return (
      <div className="panel">
        <Skeleton active paragraph={{ rows: 8 }} />
      </div>
    );
  if (cmp.isError)
    return <Alert type="error" showIcon title="调度比较加载失败" description={cmp.error.message} />;

  const c = cmp.data;
  const s = c.week.summary;
  const p = c.previous?.summary;
  const deptColumns: ColumnsType<DeptSummary> = [
    {
      title: '单位',
      dataIndex: 'deptName',
      ellipsis: { showTitle: false },
      render: (v: string, d) => (
        <Tooltip title={v} placement="topLeft">
          <span>{shortNames.get(d.deptId) ?? v}</span>
        </Tooltip>
      ),
    },
    { title: '任务数', dataIndex: 'total', width: 76, align: 'right', sorter: (a, b) => a.total - b.total },
    { title: '已办结', dataIndex: 'done', width: 76, align: 'right', sorter: (a, b) => a.done - b.done },
    {
      title: '完成率',
      key: 'rate',
      width: 150,
      sorter: (a, b) => (a.total ? a.done / a.total : -1) - (b.total ? b.done / b.total : -1),
      render: (_: unknown, d) =>
        d.total ? (
          <Progress
            percent={Math.round((d.done / d.total) * 1000) / 10}
            size="small"
            status="normal"
            format={() => pct(d.done / d.total)}
          />
        ) : (
          <span className="muted">—</span>
        ),
    },
    {
      title: '逾期',
      dataIndex: 'overdue',
      width: 68,
      align: 'right',
      sorter: (a, b) => a.overdue - b.overdue,
      render: (v: number) => <span className={v ? 'row-overdue' : undefined}>{v}</span>,
    },
    { title: '红灯', dataIndex: 'red', width: 68, align: 'right', sorter: (a, b) => a.red - b.red },
    { title: '黄灯', dataIndex: 'yellow', width: 68, align: 'right', sorter: (a, b) => a.yellow - b.yellow },
    {
      title: '操作',
      key: 'actions',
      width: 140,
      render: (_: unknown, d) => (
        <Button
          size="small"
          type="link"
          icon={<FileWordOutlined />}
          loading={busy === d.deptId}
          onClick={() => void exportDept(d)}
          data-testid="dept-report"
        >
          整改分析报告
        </Button>
      ),
    },
  ];

  const table = (rows: SnapshotTask[], empty: string, testId: string) => (
    <Table<SnapshotTask>
      rowKey="id"
      size="small"
      columns={taskColumns(shortNames)}
      dataSource={rows}
      pagination={rows.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
      locale={{ emptyText: empty }}
      data-testid={testId}
    />
  );

  return (
    <>
      <div className="panel">
        <div className="page-header" style={{ alignItems: 'flex-start' }}>
          <div>
            <Typography.Title level={5} style={{ margin: 0 }} data-testid="week-title">
              {c.week.label}
            </Typography.Title>
            <div className="page-sub">
              {fmtTime(c.week.frozenAt)} 由 {c.week.frozenBy} 冻结
              {c.previous ? ` · 与${c.previous.label}比较` : ''}
              {c.week.note ? ` · 备注：${c.week.note}` : ''}
            </div>
          </div>
          <Button
            type="primary"
            ghost
            icon={<FileWordOutlined />}
            loading={busy === 'report'}
            onClick={() => void exportReport()}
            data-testid="weekly-report"
          >
            导出每周工作调度报告（Word）
          </Button>
        </div>
        <div className="stat-strip" style={{ marginTop: 12 }}>
          <Stat label="督办任务" value={s.total} delta={p ? s.total - p.total : null} better="none" />
          <Stat label="已办结" value={s.done} delta={p ? s.done - p.done : null} color={LIGHT_COLOR.green} />
          <Stat label="完成率" value={pct(s.completionRate)} />
          <Stat
            label="逾期"
            value={s.overdue}
            delta={p ? s.overdue - p.overdue : null}
            better="down"
            color={s.overdue ? LIGHT_COLOR.red : undefined}
          />
          <Stat
            label="红灯"
            value={s.byLight.red ?? 0}
            delta={p ? (s.byLight.red ?? 0) - (p.byLight.red ?? 0) : null}
            better="down"
          />
          <Stat
            label="黄灯"
            value={s.byLight.yellow ?? 0}
            delta={p ? (s.byLight.yellow ?? 0) - (p.byLight.yellow ?? 0) : null}
            better="down"
          />
        </div>
      </div>
      {!c.previous && (
        <Alert
          type="info"
          showIcon
          title="这是最早冻结的一周，没有上一周的快照可比"
          description="“本周新办结”“本周新逾期”按本周内发生的变化判断；“停滞未动”指本周以来没有任何进展的未办结任务。"
        />
      )}
      <div className="panel" style={{ paddingTop: 4 }}>
        <Tabs
          data-testid="week-tabs"
          items={[
            {
              key: 'done',
              label: `本周新办结（${c.newlyDone.length}）`,
              children: table(c.newlyDone, '本周没有新办结的任务', 'tab-done'),
            },
            {
              key: 'overdue',
              label: `本周新逾期（${c.newlyOverdue.length}）`,
              children: table(c.newlyOverdue, '本周没有新逾期的任务', 'tab-overdue'),
            },
            {
              key: 'stalled',
              label: `停滞未动（${c.stalled.length}）`,
              children: table(c.stalled, '没有停滞的任务', 'tab-stalled'),
            },
            {
              key: 'added',
              label: `新增任务（${c.added.length}）`,
              children: table(
                c.added,
                c.previous ? '与上周相比没有新增任务' : '没有上一周快照，无法判断新增任务',
                'tab-added',
              ),
            },
            {
              key: 'depts',
              label: `分单位情况（${s.depts.length}）`,
              children: (
                <Table<DeptSummary>
                  rowKey="deptId"
                  size="small"
                  columns={deptColumns}
                  dataSource={s.depts}
                  pagination={false}
                  locale={{ emptyText: '本周快照中没有单位的任务' }}
                  data-testid="dept-summary"
                />
              ),
            },
          ]}
        />
      </div>
    </>
  );
}

export function DispatchPage() {
  const weeks = useCommandQuery('dispatch.weeks', {});
  const [selected, setSelected] = useState<string | null>(null);
  const [freezing, setFreezing] = useState(false);
  const thisWeek = isoWeekKey(dayjs());
  const list = useMemo(() => weeks.data ?? [], [weeks.data]);
  const current = list.find((w) => w.week === thisWeek);
  const week = selected && list.some((w) => w.week === selected) ? selected : (list[0]?.week ?? null);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>每周调度</h2>
          <div className="page-sub">
            每周冻结一次全部督办任务的状态快照，与上一次比较：本周新办结、新逾期、停滞未动，并生成调度报告
          </div>
        </div>
        <Button
          type="primary"
          icon={<CameraOutlined />}
          onClick={() => setFreezing(true)}
          data-testid="freeze-week"
        >
          {current ? '重新冻结本周快照' : '冻结本周快照'}
        </Button>
      </div>
      {weeks.isError && <Alert type="error" showIcon title={weeks.error.message} />}
      {weeks.isPending ? (
        <div className="panel">
          <Skeleton active />
        </div>
      ) : list.length === 0 ? (
        <div className="panel fill" style={{ display: 'grid', placeItems: 'center' }}>
          <Empty description="还没有冻结过调度快照。每周调度会前冻结一次，系统会与上一周比较并生成报告。">
            <Button type="primary" icon={<CameraOutlined />} onClick={() => setFreezing(true)}>
              冻结本周快照
            </Button>
          </Empty>
        </div>
      ) : (
        <div className="dispatch">
          <div className="panel week-list" data-testid="week-list">
            {list.map((w) => (
              <div
                key={w.id}
                className={`week-item${w.week === week ? ' active' : ''}`}
                onClick={() => setSelected(w.week)}
                role="button"
                tabIndex={0}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') setSelected(w.week);
                }}
              >
                <div className="week-item-label">
                  {w.label.replace(/（.*$/, '')}
                  {w.week === thisWeek && (
                    <Tag color="blue" style={{ marginLeft: 8 }}>
                      本周
                    </Tag>
                  )}
                </div>
                <div className="week-item-meta">
                  {w.weekStart} 至 {w.weekEnd}
                </div>
                <Progress
                  percent={
                    w.summary.completionRate === null ? 0 : Math.round(w.summary.completionRate * 1000) / 10
                  }
                  size="small"
                  format={() => pct(w.summary.completionRate)}
                  style={{ margin: '4px 0 2px' }}
                />
                <div className="week-item-meta">
                  任务 {w.summary.total} · 办结 {w.summary.done} ·{' '}
                  <span style={{ color: w.summary.overdue ? LIGHT_COLOR.red : undefined }}>
                    逾期 {w.summary.overdue}
                  </span>
                </div>
                <div className="week-item-meta">
                  {fmtTime(w.frozenAt)} · {w.frozenBy}
                </div>
              </div>
            ))}
          </div>
          <div className="week-detail">{week && <WeekDetail key={week} week={week} />}</div>
        </div>
      )}
      <FreezeModal
        open={freezing}
        onClose={() => setFreezing(false)}
        existing={current}
        onFrozen={(w) => setSelected(w.week)}
      />
    </div>
  );
}
