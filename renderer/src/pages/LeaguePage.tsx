import { FileExcelOutlined, QuestionCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  DatePicker,
  Progress,
  Segmented,
  Space,
  Switch,
  Table,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { SortOrder } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import type { LeagueRow } from '../../../main/core/contract/supervision';
import { call, useCommandQuery } from '../api';
import { useExport } from '../components/useExport';
import { LIGHT_COLOR } from '../labels';
import { openTasks, pct, useHeight } from './supervisionKit';
import './supervision.css';

type Preset = 'week' | 'month' | 'quarter' | 'all' | 'custom';

const PRESETS: { value: Preset; label: string }[] = [
  { value: 'week', label: '本周' },
  { value: 'month', label: '本月' },
  { value: 'quarter', label: '本季度' },
  { value: 'all', label: '创建以来' },
  { value: 'custom', label: '自定义' },
];

/** What each measure means; the same definitions as the core's league table (league.ts). */
const MEASURES: Record<string, string> = {
  rank: '按完成率排名；完成率相同时依次比较按时办结率、逾期数（少者在前）、任务数（多者在前）。期间内没有任务的单位不排名。',
  total: '截止日期在所选期间内、已下发的督办任务，按牵头单位统计（不含周期任务的定义本身，只计每期任务）。',
  done: '其中已办结的任务数。',
  completionRate: '完成率 = 已办结 ÷ 任务数。',
  onTimeRate: '按时办结率 = 在截止日期当天或之前办结的任务 ÷ 任务数。',
  overdue: '未办结且截止日期早于今天的任务数。',
  avgDelayDays:
    '延误任务的平均延误天数：已办结的按办结日晚于截止日期的天数计，未办结的按截至今天已逾期的天数计。',
  lights: '当前亮红灯、黄灯的任务数。红灯：已逾期或长期无进展反馈；黄灯：临近截止日期仍未办结。',
};

function Measure({ label, k }: { label: string; k: keyof typeof MEASURES }) {
  return (
    <Tooltip title={MEASURES[k]}>
      <span>
        {label}
        <QuestionCircleOutlined className="measure-help" />
      </span>
    </Tooltip>
  );
}

const D = 'YYYY-MM-DD';

function presetRange(
  p: Exclude<Preset, 'custom'>,
  today: Dayjs,
  periodStart: string | undefined,
): [Dayjs, Dayjs] {
  if (p === 'week') {
    const monday = today.subtract((today.day() + 6) % 7, 'day');
    return [monday, monday.add(6, 'day')];
  }
  if (p === 'month') return [today.startOf('month'), today.endOf('month')];
  if (p === 'quarter') {
    const start = today.month(Math.floor(today.month() / 3) * 3).startOf('month');
    return [start, start.add(2, 'month').endOf('month')];
  }
  const start = periodStart ? dayjs(periodStart) : today.startOf('year');
  return [start.isAfter(today) ? today : start, today];
}

/** Sorts numbers with "nothing to measure" (null) always last, whichever the direction. */
function nullsLast(a: number | null, b: number | null, order: SortOrder | undefined): number {
  if (a === null && b === null) return 0;
  if (a === null) return order === 'descend' ? -1 : 1;
  if (b === null) return order === 'descend' ? 1 : -1;
  return a - b;
}

export function LeaguePage() {
  const settings = useCommandQuery('workspace.settings', {});
  const [preset, setPreset] = useState<Preset>('all');
  const [custom, setCustom] = useState<[Dayjs, Dayjs] | null>(null);
  const [includeEmpty, setIncludeEmpty] = useState(false);
  const [boxRef, boxHeight] = useHeight<HTMLDivElement>();
  const runExport = useExport();
  const [exporting, setExporting] = useState(false);

  const range = useMemo<[Dayjs, Dayjs]>(() => {
    if (preset === 'custom' && custom) return custom;
    return presetRange(preset === 'custom' ? 'all' : preset, dayjs(), settings.data?.periodStart);
  }, [preset, custom, settings.data?.periodStart]);
  const from = range[0].format(D);
  const to = range[1].format(D);
  const query = { from, to, includeEmpty };
  // "创建以来" needs the workspace's start date first
  const ready = preset !== 'all' || !!settings.data;
  const league = useCommandQuery('league.table', query, { enabled: ready, placeholderData: (p) => p });
  const rows = useMemo(() => league.data ?? [], [league.data]);

  const sums = useMemo(() => {
    const s = { total: 0, done: 0, overdue: 0, ranked: 0 };
    for (const r of rows) {
      s.total += r.total;
      s.done += r.done;
      s.overdue += r.overdue;
      if (r.total > 0) s.ranked++;
    }
    return s;
  }, [rows]);

  const openDept = (r: LeagueRow) =>
    openTasks({ deptIds: [r.deptId], leadOnly: true, dueFrom: from, dueTo: to, supervisedOnly: true });

  const doExport = async () => {
    setExporting(true);
    try {
      await runExport({
        defaultName: `部门排行-${from}至${to}.xlsx`,
        filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
        run: (file) => call('league.export', { query, file }),
      });
    } finally {
      setExporting(false);
    }
  };

  const columns: ColumnsType<LeagueRow> = [
    {
      title: <Measure label="名次" k="rank" />,
      dataIndex: 'rank',
      width: 84,
      align: 'center',
      defaultSortOrder: 'ascend',
      sorter: (a, b, o) => nullsLast(a.rank || null, b.rank || null, o),
      render: (v: number) =>
        v === 0 ? (
          <span className="muted">—</span>
        ) : (
          <span className="num" style={{ fontWeight: v <= 3 ? 600 : undefined }}>
            {v}
          </span>
        ),
    },
    {
      title: '单位',
      dataIndex: 'deptName',
      ellipsis: { showTitle: false },
      sorter: (a, b) => (a.shortName ?? a.deptName).localeCompare(b.shortName ?? b.deptName, 'zh-CN'),
      render: (_: string, r) => (
        <Tooltip title={`${r.deptName} · 点击查看该单位牵头、在本期间到期的任务`} placement="topLeft">
          <Typography.Link onClick={() => openDept(r)} data-testid="league-dept">
            {r.shortName ?? r.deptName}
          </Typography.Link>
        </Tooltip>
      ),
    },
    {
      title: <Measure label="任务数" k="total" />,
      dataIndex: 'total',
      width: 100,
      align: 'right',
      sorter: (a, b) => a.total - b.total,
      render: (v: number) => <span className="num">{v}</span>,
    },
    {
      title: <Measure label="已办结" k="done" />,
      dataIndex: 'done',
      width: 100,
      align: 'right',
      sorter: (a, b) => a.done - b.done,
      render: (v: number) => <span className="num">{v}</span>,
    },
    {
      title: <Measure label="完成率" k="completionRate" />,
      dataIndex: 'completionRate',
      width: 190,
      sorter: (a, b, o) => nullsLast(a.completionRate, b.completionRate, o),
      render: (v: number | null) =>
        v === null ? (
          <span className="muted">—</span>
        ) : (
          <Progress
            percent={Math.round(v * 1000) / 10}
            size="small"
            strokeColor={v >= 0.8 ? LIGHT_COLOR.green : v >= 0.5 ? LIGHT_COLOR.yellow : LIGHT_COLOR.red}
            status="normal"
            format={() => pct(v)}
            style={{ margin: 0 }}
          />
        ),
    },
    {
      title: <Measure label="按时办结率" k="onTimeRate" />,
      dataIndex: 'onTimeRate',
      width: 124,
      align: 'right',
      sorter: (a, b, o) => nullsLast(a.onTimeRate, b.onTimeRate, o),
      render: (v: number | null) => <span className="num">{pct(v)}</span>,
    },
    {
      title: <Measure label="逾期数" k="overdue" />,
      dataIndex: 'overdue',
      width: 100,
      align: 'right',
      sorter: (a, b) => a.overdue - b.overdue,
      render: (v: number) => <span className={v > 0 ? 'row-overdue num' : 'num'}>{v}</span>,
    },
    {
      title: <Measure label="平均延误天数" k="avgDelayDays" />,
      dataIndex: 'avgDelayDays',
      width: 136,
      align: 'right',
      sorter: (a, b, o) => nullsLast(a.avgDelayDays, b.avgDelayDays, o),
      render: (v: number | null) =>
        v === null ? <span className="muted">—</span> : <span className="num">{v.toFixed(1)}</span>,
    },
    {
      title: <Measure label="红 / 黄灯" k="lights" />,
      key: 'lights',
      width: 124,
      sorter: (a, b) => a.red - b.red || a.yellow - b.yellow,
      render: (_: unknown, r) => (
        <Space size={10} className="num">
          <span style={{ color: r.red ? LIGHT_COLOR.red : '#c0c6d0' }}>
            <span className="dot" style={{ background: LIGHT_COLOR.red, marginRight: 4 }} />
            {r.red}
          </span>
          <span style={{ color: r.yellow ? '#a87d00' : '#c0c6d0' }}>
            <span className="dot" style={{ background: LIGHT_COLOR.yellow, marginRight: 4 }} />
            {r.yellow}
          </span>
        </Space>
      ),
    },
  ];

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>部门排行</h2>
          <div className="page-sub" data-testid="league-summary">
            {from} 至 {to} · 参与排名 {sums.ranked} 个单位 · 任务 {sums.total} 项，已办结 {sums.done}{' '}
            项，完成率 {pct(sums.total ? sums.done / sums.total : null)}，逾期 {sums.overdue} 项
          </div>
        </div>
        <Button
          icon={<FileExcelOutlined />}
          onClick={() => void doExport()}
          loading={exporting}
          disabled={!ready}
          data-testid="league-export"
        >
          导出 Excel
        </Button>
      </div>
      <div className="panel">
        <Space wrap size={[16, 8]}>
          <Segmented<Preset>
            options={PRESETS}
            value={preset}
            onChange={(v) => {
              if (v === 'custom' && !custom) setCustom(range);
              setPreset(v);
            }}
            data-testid="league-preset"
          />
          <DatePicker.RangePicker
            allowClear={false}
            value={range}
            onChange={(v) => {
              if (v?.[0] && v[1]) {
                setCustom([v[0], v[1]]);
                setPreset('custom');
              }
            }}
            placeholder={['截止日期从', '到']}
          />
          <Space size={6}>
            <Switch size="small" checked={includeEmpty} onChange={setIncludeEmpty} />
            显示期间内没有任务的单位
          </Space>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            统计截止日期在期间内的已下发任务，按牵头单位；列标题旁的 <QuestionCircleOutlined /> 说明口径
          </Typography.Text>
        </Space>
      </div>
      {league.isError && <Alert type="error" showIcon title={league.error.message} />}
      {settings.isError && <Alert type="error" showIcon title={settings.error.message} />}
      <div className="panel fill" ref={boxRef} style={{ padding: 0, overflow: 'hidden' }}>
        <Table<LeagueRow>
          rowKey="deptId"
          size="small"
          columns={columns}
          dataSource={rows}
          loading={league.isFetching}
          pagination={false}
          showSorterTooltip={{ target: 'sorter-icon' }}
          scroll={{ x: 1100, y: Math.max(200, boxHeight - 42) }}
          locale={{
            emptyText: league.isPending
              ? '加载中…'
              : includeEmpty
                ? '没有部门单位'
                : '所选期间内没有到期的督办任务。可换一个期间，或打开“显示期间内没有任务的单位”。',
          }}
          data-testid="league-table"
        />
      </div>
    </div>
  );
}
