import {
  AlertOutlined,
  BookOutlined,
  CalendarOutlined,
  EditOutlined,
  FileTextOutlined,
  FileWordOutlined,
  LineChartOutlined,
  TrophyOutlined,
} from '@ant-design/icons';
import { Button, Input, Select, Table, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { useMemo, useState } from 'react';
import type { Indicator } from '../../../main/core/contract/records';
import { call, useCommandQuery } from '../api';
import { useExport } from '../components/useExport';
import { INDICATOR_KIND_LABEL, INDICATOR_STATUS_COLOR, INDICATOR_STATUS_LABEL } from '../labels';
import { navigate } from '../route';
import { RankingReport } from './monitoring/RankingReport';
import { AssessmentDrawer } from './reports/AssessmentDrawer';
import { useHeight } from './supervisionKit';
import './reports/reports.css';

type Kind = Indicator['kind'];
const KIND_COLOR: Record<Kind, string> = {
  category: 'default',
  basic: 'blue',
  scored: 'purple',
  bonus: 'gold',
};

interface Row extends Indicator {
  children?: Row[];
}

/** Indicators as a tree (categories hold their indicators), in the order of the indicator system. */
function toTree(list: Indicator[]): Row[] {
  const byParent = new Map<string | null, Indicator[]>();
  const ids = new Set(list.map((i) => i.id));
  for (const i of list) {
    const p = i.parentId && ids.has(i.parentId) ? i.parentId : null;
    byParent.set(p, [...(byParent.get(p) ?? []), i]);
  }
  const build = (p: string | null): Row[] =>
    (byParent.get(p) ?? [])
      .sort((a, b) => a.sort - b.sort)
      .map((i) => {
        const children = build(i.id);
        return children.length ? { ...i, children } : { ...i };
      });
  return build(null);
}

/** The figures the 自评报告 will carry, computed from the same indicators the report reads. */
function assessmentSummary(list: Indicator[]) {
  const basic = list.filter((i) => i.kind === 'basic');
  const scored = list.filter((i) => i.kind === 'scored' || i.kind === 'bonus');
  const leaves = list.filter((i) => i.kind !== 'category');
  return {
    basicTotal: basic.length,
    basicMet: basic.filter((i) => i.status === 'met').length,
    basicProgress: basic.filter((i) => i.status === 'in_progress').length,
    basicNotMet: basic.filter((i) => i.status === 'not_met').length,
    scoredTotal: scored.length,
    scoredEntered: scored.filter((i) => i.selfScore !== null).length,
    selfScore: scored.reduce((s, i) => s + (i.selfScore ?? 0), 0),
    points: scored.reduce((s, i) => s + (i.points ?? 0), 0),
    narratives: leaves.filter((i) => (i.narrative ?? '').trim()).length,
    leaves: leaves.length,
    materials: leaves.reduce((s, i) => s + i.materialCount, 0),
  };
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * 报告输出: the 自评报告 and the 评审材料汇编, generated from the current data each time, with the
 * indicator self-assessment (达标情况, 自评分, 自评说明) they are written from, and the way to the
 * reports produced on other pages.
 */
export function ReportsPage() {
  const indicators = useCommandQuery('indicators.list', {});
  const list = useMemo(() => indicators.data ?? [], [indicators.data]);
  const tree = useMemo(() => toTree(list), [list]);
  const sum = useMemo(() => assessmentSummary(list), [list]);
  const leaves = useMemo(() => list.filter((i) => i.kind !== 'category'), [list]);
  const runExport = useExport();
  const [busy, setBusy] = useState<'self' | 'compile' | null>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [boxRef, boxHeight] = useHeight<HTMLDivElement>();
  const today = dayjs().format('YYYY-MM-DD');

  const shown = useMemo(() => {
    const q = search.trim();
    if (!q) return tree;
    const keep = (rows: Row[]): Row[] =>
      rows.flatMap((r): Row[] => {
        const children = r.children ? keep(r.children) : undefined;
        const hit = `${r.code} ${r.title} ${r.narrative ?? ''}`.includes(q);
        if (children?.length) return [{ ...r, children }];
        return hit ? [{ ...r, children: undefined }] : [];
      });
    return keep(tree);
  }, [tree, search]);

  const exportSelf = async () => {
    setBusy('self');
    try {
      await runExport({
        defaultName: `自评报告-${today}.docx`,
        filters: [{ name: 'Word 文档', extensions: ['docx'] }],
        run: (file) => call('reports.selfAssessment', { file }),
      });
    } finally {
      setBusy(null);
    }
  };
  const exportCompiled = async () => {
    setBusy('compile');
    try {
      await runExport({
        defaultName: `评审材料汇编-${today}.docx`,
        filters: [{ name: 'Word 文档', extensions: ['docx'] }],
        run: (file) => call('reports.compile', { file, indicatorIds: chosen.length ? chosen : undefined }),
      });
    } finally {
      setBusy(null);
    }
  };

  const columns: ColumnsType<Row> = [
    {
      title: '指标',
      key: 'title',
      render: (_: unknown, r) =>
        r.kind === 'category' ? (
          <b>
            {r.code} {r.title}
          </b>
        ) : (
          <Tooltip title={r.standard ? `评价标准：${r.standard}` : undefined} placement="topLeft">
            <Typography.Link onClick={() => setEditing(r.id)} data-testid="indicator-open">
              <span className="muted">{r.code}</span> {r.title}
            </Typography.Link>
          </Tooltip>
        ),
    },
    {
      title: '类型',
      dataIndex: 'kind',
      width: 96,
      render: (k: Kind) => <Tag color={KIND_COLOR[k]}>{INDICATOR_KIND_LABEL[k]}</Tag>,
    },
    {
      title: '达标情况',
      dataIndex: 'status',
      width: 104,
      render: (s: Indicator['status'], r) =>
        r.kind === 'category' ? null : (
          <Tag color={INDICATOR_STATUS_COLOR[s]} data-testid="indicator-status">
            {INDICATOR_STATUS_LABEL[s]}
          </Tag>
        ),
    },
    {
      title: '分值 / 自评分',
      key: 'score',
      width: 124,
      align: 'right',
      render: (_: unknown, r) =>
        r.kind === 'scored' || r.kind === 'bonus' ? (
          <span className="num">
            {r.selfScore === null ? <span className="muted">未评</span> : fmt(r.selfScore)}
            <span className="muted"> / {r.points === null ? '—' : fmt(r.points)}</span>
          </span>
        ) : null,
    },
    {
      title: '自评说明',
      key: 'narrative',
      width: 140,
      render: (_: unknown, r) => {
        if (r.kind === 'category') return null;
        const n = (r.narrative ?? '').trim().length;
        return n ? (
          <span className="num">{n.toLocaleString('zh-CN')} 字</span>
        ) : (
          <span className="report-missing">待补充</span>
        );
      },
    },
    {
      title: '关联任务',
      dataIndex: 'taskCount',
      width: 92,
      align: 'right',
      render: (v: number, r) => (r.kind === 'category' ? null : <span className="num">{v}</span>),
    },
    {
      title: '佐证材料',
      dataIndex: 'materialCount',
      width: 92,
      align: 'right',
      render: (v: number, r) =>
        r.kind === 'category' ? null : v > 0 ? (
          <Tooltip title="在材料文档中查看与此指标关联的材料">
            <Typography.Link className="num" onClick={() => navigate('materials', { indicator: r.id })}>
              {v}
            </Typography.Link>
          </Tooltip>
        ) : (
          <span className="muted num">0</span>
        ),
    },
    {
      title: '',
      key: 'edit',
      width: 76,
      render: (_: unknown, r) =>
        r.kind === 'category' ? null : (
          <Button size="small" type="link" icon={<EditOutlined />} onClick={() => setEditing(r.id)}>
            自评
          </Button>
        ),
    },
  ];

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h2>报告输出</h2>
          <div className="page-sub">
            报告每次都按当前数据重新生成，格式符合 GB/T 9704 公文格式（A4、仿宋三号、每页 22 行 × 每行 28
            字、页码“— n —”）。
          </div>
        </div>
      </div>

      <div className="report-cards">
        <div className="panel report-card" data-testid="card-self-assessment">
          <div className="report-card-head">
            <FileTextOutlined className="report-card-icon" />
            <div>
              <div className="report-card-title">自评报告</div>
              <div className="page-sub">
                总体情况、基础指标达标情况、评分指标自评、存在问题和下一步工作、自评得分汇总表
              </div>
            </div>
          </div>
          <div className="stat-strip" data-testid="self-summary">
            <div className="stat">
              <div className="stat-label">基础指标已达标</div>
              <div className="stat-value">
                {sum.basicMet}
                <span className="muted"> / {sum.basicTotal}</span>
              </div>
            </div>
            <div className="stat">
              <div className="stat-label">推进中 / 未达标</div>
              <div className="stat-value">
                {sum.basicProgress}
                <span className="muted"> / </span>
                <span className={sum.basicNotMet ? 'row-overdue' : undefined}>{sum.basicNotMet}</span>
              </div>
            </div>
            {sum.scoredTotal > 0 && (
              <div className="stat">
                <div className="stat-label">评分指标自评分</div>
                <div className="stat-value">
                  {fmt(sum.selfScore)}
                  <span className="muted"> / {fmt(sum.points)}</span>
                </div>
              </div>
            )}
            <div className="stat">
              <div className="stat-label">自评说明已填写</div>
              <div className="stat-value">
                {sum.narratives}
                <span className="muted"> / {sum.leaves}</span>
              </div>
            </div>
          </div>
          <div className="report-card-foot">
            <span className="page-sub">
              {sum.narratives < sum.leaves
                ? `还有 ${sum.leaves - sum.narratives} 项指标没有自评说明，报告中会标注“（待补充自评说明）”。`
                : '所有指标都已填写自评说明。'}
            </span>
            <Button
              type="primary"
              icon={<FileWordOutlined />}
              loading={busy === 'self'}
              disabled={busy !== null || !indicators.data}
              onClick={() => void exportSelf()}
              data-testid="export-self-assessment"
            >
              生成自评报告
            </Button>
          </div>
        </div>

        <div className="panel report-card" data-testid="card-compile">
          <div className="report-card-head">
            <BookOutlined className="report-card-icon" />
            <div>
              <div className="report-card-title">评审材料汇编</div>
              <div className="page-sub">
                封面、目录（Word/WPS 打开时更新页码）、按指标顺序编排的关联材料、佐证材料索引和图片佐证
              </div>
            </div>
          </div>
          <Select
            mode="multiple"
            allowClear
            value={chosen}
            onChange={setChosen}
            placeholder="全部指标（可只选部分指标）"
            maxTagCount="responsive"
            optionFilterProp="label"
            options={leaves.map((i) => ({
              value: i.id,
              label: `${i.code} ${i.title}`,
            }))}
            style={{ width: '100%' }}
            data-testid="compile-indicators"
          />
          <div className="report-card-foot">
            <span className="page-sub">
              {chosen.length ? `已选 ${chosen.length} 项指标` : `全部 ${leaves.length} 项指标`}，关联材料{' '}
              {(chosen.length ? leaves.filter((i) => chosen.includes(i.id)) : leaves).reduce(
                (s, i) => s + i.materialCount,
                0,
              )}{' '}
              份
            </span>
            <Button
              type="primary"
              icon={<FileWordOutlined />}
              loading={busy === 'compile'}
              disabled={busy !== null || !indicators.data}
              onClick={() => void exportCompiled()}
              data-testid="export-compiled"
            >
              生成材料汇编
            </Button>
          </div>
        </div>

        <div className="panel report-card report-card-narrow">
          <div className="report-card-title">其他报告</div>
          <div className="report-links">
            <Typography.Link onClick={() => navigate('dispatch')}>
              <CalendarOutlined /> 每周工作调度报告、部门整改分析报告
            </Typography.Link>
            <span className="page-sub">在“每周调度”中选择一周后生成</span>
            <Typography.Link onClick={() => navigate('rectification')}>
              <AlertOutlined /> 澄清报告
            </Typography.Link>
            <span className="page-sub">在“整改清单”中勾选评审组反馈的问题后生成</span>
            <Typography.Link onClick={() => navigate('league')}>
              <TrophyOutlined /> 部门排行表
            </Typography.Link>
            <span className="page-sub">在“部门排行”中导出 Excel</span>
            <Typography.Link onClick={() => navigate('monitoring')}>
              <LineChartOutlined /> 预警监测排名分析报告
            </Typography.Link>
            <span className="page-sub">选择季度后生成（按“监测排名”中录入的月度结果）</span>
            <RankingReport size="small" label="生成报告" block />
          </div>
        </div>
      </div>

      <div className="panel fill report-table" ref={boxRef}>
        <div className="report-table-head">
          <div className="report-card-title">指标自评</div>
          <span className="page-sub">点击指标填写达标情况、自评分和自评说明，自评报告按这里的内容生成</span>
          <Input.Search
            allowClear
            placeholder="搜索指标编号、名称或说明"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            style={{ width: 260, marginLeft: 'auto' }}
            data-testid="indicator-search"
          />
        </div>
        <Table<Row>
          size="small"
          rowKey="id"
          columns={columns}
          dataSource={shown}
          loading={indicators.isPending}
          pagination={false}
          expandable={{ defaultExpandAllRows: true }}
          scroll={{ y: Math.max(200, boxHeight - 100) }}
          locale={{ emptyText: search ? '没有符合条件的指标' : '指标体系为空' }}
          data-testid="indicator-table"
        />
      </div>

      <AssessmentDrawer
        indicator={editing ? (list.find((i) => i.id === editing) ?? null) : null}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}
