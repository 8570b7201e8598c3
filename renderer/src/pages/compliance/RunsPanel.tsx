import { DeleteOutlined, EyeOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Empty, Popconfirm, Skeleton, Table, Tooltip } from 'antd';
import { useState } from 'react';
import type { ComplianceRunSummary } from '../../../../main/core/contract/compliance';
import { call, errorMessage, useCommandQuery } from '../../api';
import { ExportErrorsButton } from './ExportErrorsButton';
import { COMPLIANCE_CATEGORY_LABELS, fmtInt, fmtRate, fmtTime, monthLabel, rateColor } from './kit';
import { ResultView } from './ResultView';
import { tipText } from './TipText';

function RunDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const q = useCommandQuery('compliance.run', { id: id ?? '' }, { enabled: !!id });
  const run = q.data;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={1100}
      title={run ? `检查结果 · ${run.fileName}` : '检查结果'}
      destroyOnHidden
      data-testid="run-drawer"
    >
      {q.isPending ? (
        <Skeleton active />
      ) : q.isError ? (
        <Alert type="error" showIcon title="无法打开检查记录" description={q.error.message} />
      ) : (
        <>
          <div className="cmp-run-meta">
            <span>
              报送单位：<b>{q.data.deptName ?? '未指定单位'}</b>
            </span>
            <span>
              统计月份：<b>{monthLabel(q.data.month)}</b>
            </span>
            <span>
              检查时间：<b>{fmtTime(q.data.checkedAt)}</b>
            </span>
          </div>
          <ResultView result={q.data.result} actions={<ExportErrorsButton run={q.data} />} />
        </>
      )}
    </Drawer>
  );
}

/** 检查记录: every stored check, newest first, with its result, error workbook and 删除. */
export function RunsPanel() {
  const { message } = App.useApp();
  const q = useCommandQuery('compliance.runs', { limit: 500 });
  const [open, setOpen] = useState<string | null>(null);

  const remove = async (r: ComplianceRunSummary) => {
    try {
      await call('compliance.removeRun', { id: r.id });
      message.success(`已删除「${r.fileName}」的检查记录，部门合规率已重新计算`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  if (q.isPending) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (q.isError)
    return <Alert type="error" showIcon title="检查记录加载失败" description={q.error.message} />;

  return (
    <section className="panel" data-testid="runs-panel">
      {q.data.length === 0 ? (
        <Empty
          description="还没有检查记录。在「检查文件」中检查的每个文件都会记录在这里。"
          data-testid="runs-empty"
        />
      ) : (
        <Table<ComplianceRunSummary>
          size="small"
          rowKey="id"
          dataSource={q.data}
          pagination={q.data.length > 20 ? { pageSize: 20, size: 'small', showSizeChanger: false } : false}
          scroll={{ x: 1100 }}
          data-testid="runs-table"
          columns={[
            {
              title: '检查时间',
              dataIndex: 'checkedAt',
              width: 140,
              render: (v: string) => <span className="num">{fmtTime(v)}</span>,
            },
            {
              title: '文件',
              dataIndex: 'fileName',
              ellipsis: { showTitle: false },
              render: (v: string, r) => (
                <Tooltip title={v}>
                  <a onClick={() => setOpen(r.id)}>{v}</a>
                </Tooltip>
              ),
            },
            {
              title: '报送单位',
              dataIndex: 'deptName',
              width: 180,
              ellipsis: { showTitle: false },
              render: tipText('未指定'),
            },
            {
              title: '月份',
              dataIndex: 'month',
              width: 100,
              className: 'cmp-nowrap',
              render: (m: string) => monthLabel(m),
            },
            {
              title: '规则集',
              key: 'ruleSet',
              width: 160,
              ellipsis: { showTitle: false },
              render: (_: unknown, r) => (
                <Tooltip
                  title={`${COMPLIANCE_CATEGORY_LABELS[r.category]} · ${r.ruleSetName}（${r.ruleSetVersion}）`}
                >
                  <span>
                    {r.ruleSetName}
                    <span className="muted"> {r.ruleSetVersion}</span>
                  </span>
                </Tooltip>
              ),
            },
            {
              title: '数据行',
              dataIndex: 'rows',
              width: 70,
              align: 'right',
              render: (v: number) => <span className="num">{fmtInt(v)}</span>,
            },
            {
              title: '合规率',
              dataIndex: 'rate',
              width: 80,
              align: 'right',
              render: (v: number) => (
                <b className="num" style={{ color: rateColor(v) }} data-testid="run-rate">
                  {fmtRate(v)}%
                </b>
              ),
            },
            {
              title: '错误',
              dataIndex: 'errors',
              width: 56,
              align: 'right',
              render: (v: number) => (
                <span className={`num${v > 0 ? ' cmp-text-danger' : ''}`}>{fmtInt(v)}</span>
              ),
            },
            {
              title: '警告',
              dataIndex: 'warnings',
              width: 56,
              align: 'right',
              render: (v: number) => <span className="num">{fmtInt(v)}</span>,
            },
            {
              title: '',
              key: 'ops',
              width: 100,
              fixed: 'right',
              render: (_: unknown, r) => (
                <span className="cmp-ops">
                  <Tooltip title="查看结果">
                    <Button
                      size="small"
                      type="text"
                      icon={<EyeOutlined />}
                      onClick={() => setOpen(r.id)}
                      data-testid="run-view"
                    />
                  </Tooltip>
                  <ExportErrorsButton run={r} size="small" type="text" iconOnly />
                  <Popconfirm
                    title="删除这条检查记录？"
                    description="删除后该单位当月的合规率会按其余记录重新计算。"
                    okText="删除"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() => remove(r)}
                  >
                    <Button
                      size="small"
                      type="text"
                      danger
                      icon={<DeleteOutlined />}
                      title="删除"
                      data-testid="run-delete"
                    />
                  </Popconfirm>
                </span>
              ),
            },
          ]}
        />
      )}
      <RunDrawer id={open} onClose={() => setOpen(null)} />
    </section>
  );
}
