import { DeleteOutlined, EditOutlined, ExportOutlined, ImportOutlined } from '@ant-design/icons';
import { Alert, App, Button, Popconfirm, Skeleton, Switch, Table, Tag, Tooltip, Upload } from 'antd';
import { useState } from 'react';
import type { RuleSetSummary } from '../../../../main/core/contract/compliance';
import { call, errorMessage, useCommandQuery } from '../../api';
import { useExport } from '../../components/useExport';
import { uploadFile } from '../task/upload';
import { CATEGORY_COLOR, COMPLIANCE_CATEGORY_LABELS, fmtTime } from './kit';
import { RuleSetDrawer } from './RuleSetDrawer';

/**
 * 规则集: the rule sets the checks use (双公示, five categories, six kinds), current versions first;
 * view/edit one (saved as a new version), import a province's .json, export one to share it.
 */
export function RuleSetsPanel() {
  const { message } = App.useApp();
  const runExport = useExport();
  const [all, setAll] = useState(false);
  const q = useCommandQuery('compliance.ruleSets', { all });
  const [open, setOpen] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [importError, setImportError] = useState<{ name: string; message: string } | null>(null);

  const importFile = async (file: File) => {
    setImporting(true);
    setImportError(null);
    try {
      const ref = await uploadFile(file);
      const rs = await call('compliance.importRuleSet', { file: ref });
      message.success(`已导入规则集「${rs.name}」${rs.version} 版`);
    } catch (e) {
      setImportError({ name: file.name, message: errorMessage(e) });
    } finally {
      setImporting(false);
    }
  };

  const remove = async (r: RuleSetSummary) => {
    try {
      await call('compliance.removeRuleSet', { id: r.id });
      message.success(`已删除「${r.name}」${r.version} 版`);
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  return (
    <section className="panel" data-testid="rulesets-panel">
      <div className="cmp-toolbar cmp-toolbar-between">
        <span className="page-sub">
          规则集按省份要求可修改：修改后保存为新版本，新的检查使用最新版本，已有检查记录保留当时的版本。
        </span>
        <span className="cmp-toolbar">
          <Switch size="small" checked={all} onChange={setAll} data-testid="rulesets-all" />
          <span>显示历史版本</span>
          <Upload
            accept=".json"
            showUploadList={false}
            beforeUpload={(f) => {
              void importFile(f);
              return Upload.LIST_IGNORE;
            }}
          >
            <Button icon={<ImportOutlined />} loading={importing} data-testid="rulesets-import">
              导入规则集
            </Button>
          </Upload>
        </span>
      </div>
      {importError && (
        <Alert
          type="error"
          showIcon
          closable={{ onClose: () => setImportError(null) }}
          className="cmp-alert"
          title={`无法导入「${importError.name}」`}
          description={<span style={{ whiteSpace: 'pre-line' }}>{importError.message}</span>}
        />
      )}
      {q.isPending ? (
        <Skeleton active />
      ) : q.isError ? (
        <Alert type="error" showIcon title="规则集加载失败" description={q.error.message} />
      ) : (
        <Table<RuleSetSummary>
          size="small"
          rowKey="id"
          dataSource={q.data}
          pagination={false}
          data-testid="rulesets-table"
          columns={[
            {
              title: '类别',
              dataIndex: 'category',
              width: 150,
              render: (c: RuleSetSummary['category']) => (
                <Tag color={CATEGORY_COLOR[c]}>{COMPLIANCE_CATEGORY_LABELS[c]}</Tag>
              ),
            },
            {
              title: '名称',
              dataIndex: 'name',
              ellipsis: { showTitle: false },
              render: (v: string, r) => (
                <div>
                  <a onClick={() => setOpen(r.id)}>{v}</a>
                  {r.description && (
                    <Tooltip title={r.description}>
                      <div className="cmp-rs-desc">{r.description}</div>
                    </Tooltip>
                  )}
                </div>
              ),
            },
            {
              title: '代码',
              dataIndex: 'code',
              width: 116,
              render: (v: string) => <code className="cmp-nowrap">{v}</code>,
            },
            { title: '版本', dataIndex: 'version', width: 90 },
            { title: '字段', dataIndex: 'fieldCount', width: 56, align: 'right' },
            { title: '必填', dataIndex: 'requiredCount', width: 56, align: 'right' },
            {
              title: '来源',
              dataIndex: 'builtin',
              width: 64,
              render: (b: boolean) => (b ? <Tag>内置</Tag> : <Tag color="blue">自定义</Tag>),
            },
            {
              title: '状态',
              dataIndex: 'current',
              width: 72,
              render: (c: boolean) =>
                c ? <Tag color="green">当前</Tag> : <span className="muted">历史版本</span>,
            },
            {
              title: '更新时间',
              dataIndex: 'updatedAt',
              width: 136,
              render: (v: string) => <span className="num">{fmtTime(v)}</span>,
            },
            {
              title: '',
              key: 'ops',
              width: 110,
              render: (_: unknown, r) => (
                <span className="cmp-ops">
                  <Button
                    size="small"
                    type="text"
                    icon={<EditOutlined />}
                    title="查看 / 修改"
                    onClick={() => setOpen(r.id)}
                  />
                  <Tooltip title="导出为 .json，可在其他工作区导入">
                    <Button
                      size="small"
                      type="text"
                      icon={<ExportOutlined />}
                      onClick={() =>
                        void runExport({
                          defaultName: `规则集-${r.name}-${r.version}.json`,
                          filters: [{ name: '规则集', extensions: ['json'] }],
                          run: (file) => call('compliance.exportRuleSet', { id: r.id, file }),
                        })
                      }
                    />
                  </Tooltip>
                  <Popconfirm
                    title={`删除「${r.name}」${r.version} 版？`}
                    description={r.current ? '删除后新的检查将使用上一个版本。' : '已有检查记录不受影响。'}
                    okText="删除"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() => remove(r)}
                  >
                    <Button size="small" type="text" danger icon={<DeleteOutlined />} title="删除" />
                  </Popconfirm>
                </span>
              ),
            },
          ]}
        />
      )}
      <RuleSetDrawer id={open} onClose={() => setOpen(null)} />
    </section>
  );
}
