/**
 * 指标体系: the demonstration-zone indicator system of the current version as a tree (基础指标 /
 * 评分指标 by category / 加分项) with each indicator's owners, self-assessment, evidence, tasks
 * and rectifications; the readiness summary on top; versions switched, imported and exported.
 * Clicking an indicator opens its drawer (自评 with 责任单位, 佐证清单, 关联).
 */
import {
  CheckCircleFilled,
  FileExcelOutlined,
  ImportOutlined,
  ReloadOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Input, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import type { Indicator } from '../../../main/core/contract/records';
import { call, errorMessage, useCommand, useCommandQuery } from '../api';
import { LabelFilter } from '../components/filters';
import { useExport } from '../components/useExport';
import { INDICATOR_KIND_LABEL, INDICATOR_STATUS_COLOR, INDICATOR_STATUS_LABEL } from '../labels';
import { navigate } from '../route';
import { EvidencePanel } from './indicators/EvidencePanel';
import { ImportSystemModal } from './indicators/ImportSystemModal';
import { IndicatorLinks } from './indicators/IndicatorLinks';
import { ReadinessStrip } from './indicators/ReadinessStrip';
import {
  buildTree,
  filterActive,
  fmtNum,
  GROUP_LABEL,
  parentKeys,
  type Leaf,
  type Status,
  type TreeRow,
} from './indicators/tree';
import { AssessmentDrawer } from './reports/AssessmentDrawer';
import { openTasks, todayStr, useHeight } from './supervisionKit';
import './indicators/indicators.css';
import './reports/reports.css';
import './supervision.css';

const KIND_LABELS: Record<Leaf, string> = {
  basic: INDICATOR_KIND_LABEL.basic,
  scored: INDICATOR_KIND_LABEL.scored,
  bonus: INDICATOR_KIND_LABEL.bonus,
};
const KIND_COLOR: Record<Indicator['kind'], string> = {
  category: 'default',
  basic: 'blue',
  scored: 'purple',
  bonus: 'gold',
};

function VersionSwitch() {
  const { modal, message } = App.useApp();
  const systems = useCommandQuery('indicators.systems', {});
  const use = useCommand('indicators.useSystem');
  const list = systems.data ?? [];
  const current = list.find((s) => s.current);
  if (list.length <= 1) return null;
  return (
    <Select
      style={{ width: 260 }}
      value={current?.version}
      loading={systems.isPending || use.isPending}
      options={list.map((s) => ({ value: s.version, label: `${s.version} 版 · ${s.name}` }))}
      onChange={(version: string) => {
        const target = list.find((s) => s.version === version);
        modal.confirm({
          title: `切换到“${target?.name ?? version}”（${version} 版）？`,
          content:
            '指标体系页、自评报告、评审材料汇编和驾驶舱都将按该版本显示。各版本的自评、责任单位和佐证清单分别保存，可随时切换回来。',
          okText: '切换',
          cancelText: '取消',
          onOk: async () => {
            try {
              await use.mutateAsync({ version });
              message.success(`已切换到 ${version} 版指标体系`);
            } catch (e) {
              message.error(errorMessage(e));
            }
          },
        });
      }}
      data-testid="system-version"
    />
  );
}

export function IndicatorsPage({ params }: { params: URLSearchParams }) {
  const indicators = useCommandQuery('indicators.list', {});
  const readiness = useCommandQuery('indicators.readiness', {});
  const systems = useCommandQuery('indicators.systems', {});
  const depts = useCommandQuery('departments.list', { includeArchived: true });
  const runExport = useExport();
  const [importing, setImporting] = useState(false);
  const [exporting, setExporting] = useState(false);
  const [statuses, setStatuses] = useState<Status[]>([]);
  const [kinds, setKinds] = useState<Leaf[]>([]);
  const [search, setSearch] = useState('');
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());
  const [boxRef, boxHeight] = useHeight<HTMLDivElement>();

  // #/indicators?id=… (from the dashboard) opens that indicator
  const paramId = params.get('id');
  const [openId, setOpenId] = useState<string | null>(paramId);
  const [seenParam, setSeenParam] = useState(paramId);
  if (seenParam !== paramId) {
    setSeenParam(paramId);
    if (paramId) setOpenId(paramId);
  }
  const close = () => {
    setOpenId(null);
    if (paramId) navigate('indicators');
  };

  const list = useMemo(() => indicators.data ?? [], [indicators.data]);
  const filter = useMemo(() => ({ statuses, kinds, search }), [statuses, kinds, search]);
  const tree = useMemo(() => buildTree(list, filter), [list, filter]);
  const expanded = useMemo(() => parentKeys(tree).filter((k) => !collapsed.has(k)), [tree, collapsed]);
  const open = openId ? (list.find((i) => i.id === openId) ?? null) : null;
  const detail = useCommandQuery('indicators.get', { id: openId ?? '' }, { enabled: !!open });
  const system = systems.data?.find((s) => s.current);

  const exportSystem = async () => {
    setExporting(true);
    try {
      await runExport({
        defaultName: `指标体系-${system?.version ?? todayStr()}.xlsx`,
        filters: [{ name: 'Excel 工作簿', extensions: ['xlsx'] }],
        run: (file) => call('indicators.exportSystem', { file }),
      });
    } finally {
      setExporting(false);
    }
  };

  const leafCount = list.filter((i) => i.kind !== 'category').length;

  const columns: ColumnsType<TreeRow> = [
    {
      title: '编号',
      key: 'code',
      width: 150,
      render: (_: unknown, r) =>
        r.group ? null : (
          <span className={r.ind?.kind === 'category' ? 'ind-cat-code' : 'muted'}>{r.ind?.code}</span>
        ),
    },
    {
      title: '名称',
      key: 'title',
      ellipsis: { showTitle: false },
      render: (_: unknown, r) => {
        if (r.group)
          return (
            <span className="ind-group" data-testid={`group-${r.group}`}>
              {GROUP_LABEL[r.group]}
              <span className="muted"> · {r.leaves} 项</span>
            </span>
          );
        const i = r.ind;
        if (!i) return null;
        if (i.kind === 'category') return <b title={i.title}>{i.title}</b>;
        return (
          <Tooltip
            title={i.standard ? `评分标准：${i.standard}` : undefined}
            placement="topLeft"
            styles={{ root: { maxWidth: 560 } }}
          >
            <Typography.Link data-testid="indicator-row-title">{i.title}</Typography.Link>
          </Tooltip>
        );
      },
    },
    {
      title: '类型',
      key: 'kind',
      width: 90,
      render: (_: unknown, r) =>
        r.ind && r.ind.kind !== 'category' ? (
          <Tag color={KIND_COLOR[r.ind.kind]}>{INDICATOR_KIND_LABEL[r.ind.kind]}</Tag>
        ) : null,
    },
    {
      title: '分值',
      key: 'points',
      width: 72,
      align: 'right',
      render: (_: unknown, r) =>
        r.points === null ? (
          <span className="muted">—</span>
        ) : (
          <span className="num">{fmtNum(r.points)}</span>
        ),
    },
    {
      title: '自评分',
      key: 'score',
      width: 80,
      align: 'right',
      render: (_: unknown, r) => {
        if (r.ind?.kind === 'basic' || r.group === 'basic') return <span className="muted">—</span>;
        if (r.score === null) return <span className="muted">未评</span>;
        return <span className="num">{fmtNum(r.score)}</span>;
      },
    },
    {
      title: '状态',
      key: 'status',
      width: 104,
      render: (_: unknown, r) => {
        const i = r.ind;
        if (i && i.kind !== 'category')
          return (
            <Tag color={INDICATOR_STATUS_COLOR[i.status]} data-testid="indicator-status">
              {INDICATOR_STATUS_LABEL[i.status]}
            </Tag>
          );
        return (
          <span className={r.met === r.leaves && r.leaves > 0 ? 'ind-allmet' : 'muted'}>
            {r.met === r.leaves && r.leaves > 0 && <CheckCircleFilled />} 达标 {r.met}/{r.leaves}
          </span>
        );
      },
    },
    {
      title: '责任单位',
      key: 'owners',
      width: 190,
      ellipsis: { showTitle: false },
      render: (_: unknown, r) => {
        const i = r.ind;
        if (!i || i.kind === 'category') return null;
        if (i.ownerDeptNames.length === 0) return <span className="muted">未指定</span>;
        const names = i.ownerDeptNames.join('、');
        return (
          <Tooltip title={names} placement="topLeft">
            <span data-testid="indicator-owners">{names}</span>
          </Tooltip>
        );
      },
    },
    {
      title: '佐证',
      key: 'evidence',
      width: 72,
      align: 'center',
      render: (_: unknown, r) => {
        if (r.evidenceTotal === 0) return <span className="muted">—</span>;
        const all = r.evidenceSatisfied === r.evidenceTotal;
        return (
          <Tooltip title={`已提供 ${r.evidenceSatisfied} 项，共 ${r.evidenceTotal} 项`}>
            <span className={`num ${all ? 'ind-allmet' : 'ind-missing'}`} data-testid="indicator-evidence">
              {r.evidenceSatisfied}/{r.evidenceTotal}
            </span>
          </Tooltip>
        );
      },
    },
    {
      title: '任务',
      key: 'tasks',
      width: 60,
      align: 'right',
      render: (_: unknown, r) => {
        const i = r.ind;
        if (!i || i.kind === 'category')
          return r.taskCount ? <span className="num muted">{r.taskCount}</span> : null;
        if (i.taskCount === 0) return <span className="muted num">0</span>;
        return (
          <Tooltip title="在任务督办中查看关联本指标的任务">
            <Typography.Link
              className="num"
              onClick={(e) => {
                e.stopPropagation();
                openTasks({ indicatorId: i.id });
              }}
            >
              {i.taskCount}
            </Typography.Link>
          </Tooltip>
        );
      },
    },
    {
      title: '整改',
      key: 'rect',
      width: 76,
      align: 'right',
      render: (_: unknown, r) => {
        if (r.rectCount === 0)
          return <span className="muted num">{r.ind?.kind === 'category' || r.group ? '' : '0'}</span>;
        return (
          <Tooltip title={`关联整改事项 ${r.rectCount} 项，未销号 ${r.openRectCount} 项`}>
            <span className="num">
              {r.rectCount}
              {r.openRectCount > 0 && <span className="ind-missing">（{r.openRectCount}）</span>}
            </span>
          </Tooltip>
        );
      },
    },
  ];

  const active = filterActive(filter);
  const detailError = detail.isError ? (
    <Alert
      type="error"
      showIcon
      title="指标详情加载失败"
      description={detail.error.message}
      action={<Button onClick={() => void detail.refetch()}>重试</Button>}
    />
  ) : null;
  const departments = depts.data ?? [];

  return (
    <div className="page" data-testid="indicators-page">
      <div className="page-header">
        <div>
          <h2>指标体系</h2>
          <div className="page-sub" data-testid="system-summary">
            {system ? (
              <>
                {system.name}（{system.version} 版）· 基础指标 {system.counts.basic} 项
                {system.counts.scored > 0 &&
                  ` · 评分指标 ${system.counts.scored} 项 ${fmtNum(system.scoredPoints)} 分`}
                {system.counts.category > 0 && `（${system.counts.category} 个类别）`}
                {system.counts.bonus > 0 &&
                  ` · 加分项 ${system.counts.bonus} 项 ${fmtNum(system.bonusPoints)} 分`}
              </>
            ) : systems.isError ? (
              <span className="row-overdue">{systems.error.message}</span>
            ) : (
              '示范区评审指标：基础指标、评分指标和加分项'
            )}
          </div>
        </div>
        <Space>
          <VersionSwitch />
          <Button
            icon={<ImportOutlined />}
            onClick={() => setImporting(true)}
            data-testid="import-system-open"
          >
            导入指标体系
          </Button>
          <Button
            icon={<FileExcelOutlined />}
            loading={exporting}
            onClick={() => void exportSystem()}
            data-testid="export-system"
          >
            导出
          </Button>
        </Space>
      </div>

      <ReadinessStrip
        data={readiness.data}
        loading={readiness.isPending}
        error={readiness.isError ? readiness.error.message : null}
        onOpen={setOpenId}
      />

      {indicators.isError && (
        <Alert
          type="error"
          showIcon
          title="指标加载失败"
          description={indicators.error.message}
          action={<Button onClick={() => void indicators.refetch()}>重试</Button>}
        />
      )}

      <div className="panel fill ind-table" ref={boxRef}>
        <div className="ind-filters">
          <LabelFilter
            labels={INDICATOR_STATUS_LABEL}
            placeholder="状态"
            value={statuses}
            onChange={setStatuses}
            minWidth={150}
            testId="filter-status"
          />
          <LabelFilter
            labels={KIND_LABELS}
            placeholder="类型"
            value={kinds}
            onChange={setKinds}
            minWidth={150}
            testId="filter-kind"
          />
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder="搜索编号、名称、评分标准、责任单位"
            style={{ width: 300 }}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            data-testid="indicator-search"
          />
          {active && (
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                setStatuses([]);
                setKinds([]);
                setSearch('');
              }}
            >
              重置
            </Button>
          )}
          <span className="muted ind-filter-hint">
            点击指标查看评分标准、填写自评、指定责任单位和整理佐证材料
          </span>
        </div>
        <Table<TreeRow>
          size="small"
          rowKey="key"
          columns={columns}
          dataSource={tree}
          loading={indicators.isPending}
          pagination={false}
          expandable={{
            expandedRowKeys: expanded,
            onExpand: (isOpen, r) =>
              setCollapsed((c) => {
                const n = new Set(c);
                if (isOpen) n.delete(r.key);
                else n.add(r.key);
                return n;
              }),
          }}
          rowClassName={(r) =>
            r.group ? 'ind-group-row' : r.ind?.kind === 'category' ? 'ind-cat-row' : 'ind-leaf-row'
          }
          onRow={(r) => ({
            onClick: () => {
              if (r.ind && r.ind.kind !== 'category') setOpenId(r.ind.id);
            },
            'data-testid': r.ind && r.ind.kind !== 'category' ? `indicator-${r.ind.code}` : undefined,
          })}
          scroll={{ y: Math.max(200, boxHeight - 96) }}
          locale={{
            emptyText: indicators.isPending
              ? '加载中…'
              : active
                ? '没有符合条件的指标'
                : leafCount === 0
                  ? '当前指标体系为空：点“导入指标体系”导入评审指标表'
                  : '没有指标',
          }}
          data-testid="indicator-tree"
        />
      </div>

      <AssessmentDrawer
        indicator={open}
        onClose={close}
        departments={departments}
        headerExtra={
          open ? (
            <Tag color={INDICATOR_STATUS_COLOR[open.status]} data-testid="drawer-status">
              {INDICATOR_STATUS_LABEL[open.status]}
            </Tag>
          ) : null
        }
        tabs={(i) => [
          {
            key: 'evidence',
            label: `佐证清单 ${i.evidenceSatisfied}/${i.evidenceTotal}`,
            children: detailError ?? (
              <EvidencePanel
                indicatorId={i.id}
                items={detail.data?.evidence ?? []}
                loading={detail.isPending}
              />
            ),
          },
          {
            key: 'links',
            label: `关联（任务 ${i.taskCount} · 整改 ${i.rectCount} · 材料 ${i.materialCount}）`,
            children: detailError ?? (
              <IndicatorLinks indicator={i} detail={detail.data} departments={departments} />
            ),
          },
        ]}
      />
      <ImportSystemModal
        open={importing}
        onClose={() => setImporting(false)}
        onExportTemplate={() => void exportSystem()}
      />
    </div>
  );
}
