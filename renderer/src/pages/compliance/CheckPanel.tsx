import { FileExcelOutlined, PlayCircleOutlined, ReloadOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, DatePicker, Form, Progress, Select, Spin, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useRef, useState } from 'react';
import type {
  ColumnMapping,
  ComplianceRun,
  FilePreview,
  RuleSetSummary,
} from '../../../../main/core/contract/compliance';
import type { EventPayload } from '../../../../main/core/contract/index';
import { ApiError, call, errorMessage, useCommandQuery } from '../../api';
import { ExcelDrop } from '../../components/ExcelDrop';
import { uploadFile } from '../task/upload';
import { ExportErrorsButton } from './ExportErrorsButton';
import { CATEGORY_COLOR, CATEGORY_SHORT, encodingLabel, fmtBytes, fmtInt, fmtRate, monthLabel } from './kit';
import { ResultView } from './ResultView';

/** Spreadsheet column letters: 0 → A, 26 → AA. */
function colLetter(i: number): string {
  let s = '';
  let n = i + 1;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function newJobId(): string {
  return `cmp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** Progress of the running check (job.progress of kind 'compliance' and this job's id). */
function useCheckProgress(jobId: string | null): EventPayload<'job.progress'> | null {
  const [p, setP] = useState<EventPayload<'job.progress'> | null>(null);
  useEffect(
    () =>
      window.app.on('job.progress', (e) => {
        if (e.kind === 'compliance') setP(e);
      }),
    [],
  );
  return p && p.jobId === jobId ? p : null;
}

function MappingTable({ preview }: { preview: FilePreview }) {
  const unmapped = preview.columns.filter((c) => !c.field).length;
  return (
    <div className="cmp-mapping">
      <div className="cmp-box-title">
        列对应
        <span className="cmp-box-sub">
          {preview.columns.length} 列，识别 {preview.columns.length - unmapped} 列
          {unmapped > 0 && `，${unmapped} 列未识别（不检查）`}
        </span>
      </div>
      <Table<ColumnMapping>
        size="small"
        rowKey="index"
        dataSource={preview.columns}
        pagination={false}
        scroll={{ y: 300 }}
        data-testid="preview-mapping"
        columns={[
          {
            title: '列',
            dataIndex: 'index',
            width: 44,
            render: (i: number) => <span className="muted num">{colLetter(i)}</span>,
          },
          { title: '文件中的列名', dataIndex: 'header', ellipsis: true },
          {
            title: '标准字段',
            dataIndex: 'fieldName',
            ellipsis: true,
            render: (v: string | null) => (v ? <span>{v}</span> : <Tag className="cmp-unmapped">未识别</Tag>),
          },
        ]}
      />
    </div>
  );
}

/** Width of a preview column from its header and first values (CJK counts double), 90–280 px. */
function columnWidth(preview: FilePreview, c: ColumnMapping): number {
  let units = 0;
  const measure = (t: string) => {
    let u = 0;
    for (const ch of t) u += ch.charCodeAt(0) > 0x2e80 ? 2 : 1.1;
    if (u > units) units = u;
  };
  measure(c.header);
  for (const r of preview.rows) measure(r.cells[c.index] ?? '');
  return Math.max(90, Math.min(280, Math.round(units * 7 + 24)));
}

function PreviewRows({ preview }: { preview: FilePreview }) {
  const widths = useMemo(() => preview.columns.map((c) => columnWidth(preview, c)), [preview]);
  const columns = useMemo<ColumnsType<FilePreview['rows'][number]>>(
    () => [
      {
        title: '行号',
        dataIndex: 'row',
        width: 60,
        fixed: 'left',
        render: (v: number) => <span className="muted num">{v}</span>,
      },
      ...preview.columns.map((c) => ({
        key: String(c.index),
        title: (
          <Tooltip title={c.fieldName && c.fieldName !== c.header ? `标准字段：${c.fieldName}` : undefined}>
            <span className={c.field ? undefined : 'muted'}>{c.header || colLetter(c.index)}</span>
          </Tooltip>
        ),
        width: widths[c.index] ?? 150,
        ellipsis: true,
        render: (_: unknown, r: FilePreview['rows'][number]) => r.cells[c.index] ?? '',
      })),
    ],
    [preview.columns, widths],
  );
  return (
    <section className="cmp-box">
      <div className="cmp-box-title">
        前 {preview.rows.length} 行数据<span className="cmp-box-sub">灰色列名为未识别的列</span>
      </div>
      <Table
        size="small"
        rowKey="row"
        columns={columns}
        dataSource={preview.rows}
        pagination={false}
        scroll={{ x: widths.reduce((a, b) => a + b, 60) }}
        data-testid="preview-rows"
      />
    </section>
  );
}

interface Settings {
  ruleSetId: string;
  deptId: string | null;
  month: Dayjs;
}

/**
 * 检查文件: choose a file → preview (encoding, sheet, header row, rule set, column mapping, first
 * rows) → choose 报送单位 and 统计月份 → check in a worker with progress and 取消 → the result,
 * stored as a run, with its error workbook.
 */
export function CheckPanel() {
  const { message } = App.useApp();
  const [form] = Form.useForm<Settings>();
  const ruleSets = useCommandQuery('compliance.ruleSets', {});
  const depts = useCommandQuery('departments.list', { includeArchived: false });
  const [busy, setBusy] = useState<string | null>(null);
  const [fileError, setFileError] = useState<{ name: string; message: string } | null>(null);
  const [preview, setPreview] = useState<FilePreview | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [run, setRun] = useState<ComplianceRun | null>(null);
  const [checkError, setCheckError] = useState<string | null>(null);
  const cancelled = useRef(false);
  const resultRef = useRef<HTMLElement>(null);
  const progress = useCheckProgress(jobId);
  const selectedRuleSet = Form.useWatch('ruleSetId', form);

  const reset = () => {
    setPreview(null);
    setRun(null);
    setFileError(null);
    setCheckError(null);
  };

  const choose = async (file: File) => {
    reset();
    setBusy(`正在上传「${file.name}」…`);
    try {
      const ref = await uploadFile(file, (sent, total) =>
        setBusy(
          total > 4 * 1048576
            ? `正在上传「${file.name}」（${fmtBytes(sent)} / ${fmtBytes(total)}）…`
            : `正在上传「${file.name}」…`,
        ),
      );
      setBusy(`正在读取「${file.name}」的表头…`);
      const p = await call('compliance.preview', { file: ref });
      setPreview(p);
      form.setFieldsValue({
        ruleSetId: p.ruleSetId ?? undefined,
        deptId: p.deptId,
        month: form.getFieldValue('month') ?? dayjs(),
      });
    } catch (e) {
      setFileError({ name: file.name, message: errorMessage(e) });
    } finally {
      setBusy(null);
    }
  };

  const start = async () => {
    if (!preview) return;
    let v: Settings;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const id = newJobId();
    cancelled.current = false;
    setJobId(id);
    setCheckError(null);
    setRun(null);
    try {
      const r = await call('compliance.check', {
        previewId: preview.previewId,
        ruleSetId: v.ruleSetId,
        deptId: v.deptId ?? null,
        month: v.month.format('YYYY-MM'),
        jobId: id,
      });
      setRun(r);
      message.success(
        `「${r.fileName}」检查完成：合规率 ${fmtRate(r.rate)}%，已记入${monthLabel(r.month)}${r.deptName ? `「${r.deptName}」` : ''}的检查记录`,
      );
      requestAnimationFrame(() => resultRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' }));
    } catch (e) {
      if (cancelled.current || (e instanceof ApiError && e.code === 'CANCELLED'))
        message.info('已取消检查，没有记录结果');
      else setCheckError(errorMessage(e));
    } finally {
      setJobId(null);
    }
  };

  const cancel = async () => {
    if (!jobId) return;
    cancelled.current = true;
    try {
      await call('compliance.cancel', { jobId });
    } catch (e) {
      message.error(errorMessage(e));
    }
  };

  const ruleSetOptions = useMemo(() => {
    const all: RuleSetSummary[] = ruleSets.data ?? [];
    const cand = new Map((preview?.candidates ?? []).map((c) => [c.ruleSetId, c]));
    const label = (r: RuleSetSummary) => (
      <span>
        <Tag color={CATEGORY_COLOR[r.category]} className="cmp-opt-tag">
          {CATEGORY_SHORT[r.category]}
        </Tag>
        {r.name}
        <span className="muted">（{r.version}）</span>
      </span>
    );
    const matched = all
      .filter((r) => cand.has(r.id))
      .sort((a, b) => (cand.get(b.id)?.matched ?? 0) - (cand.get(a.id)?.matched ?? 0));
    const others = all.filter((r) => !cand.has(r.id));
    const opt = (r: RuleSetSummary) => ({
      value: r.id,
      label: label(r),
      search: `${r.name} ${r.code} ${r.version}`,
      title: r.name,
    });
    return [
      ...(matched.length ? [{ label: '与表头相符', title: '与表头相符', options: matched.map(opt) }] : []),
      { label: matched.length ? '其他规则集' : '规则集', title: '其他规则集', options: others.map(opt) },
    ];
  }, [ruleSets.data, preview?.candidates]);

  const deptOptions = useMemo(
    () => (depts.data ?? []).map((d) => ({ value: d.id, label: d.name })),
    [depts.data],
  );

  const candidate = preview?.candidates.find((c) => c.ruleSetId === selectedRuleSet);
  const selectedOther = !!preview && !!selectedRuleSet && selectedRuleSet !== preview.ruleSetId;
  const missing = selectedOther ? (candidate?.missing ?? null) : (preview?.missingFields ?? []);
  const running = jobId !== null;
  const pct =
    progress?.total && progress.total > 0
      ? Math.min(99, Math.round((progress.done / progress.total) * 100))
      : null;

  const enc = encodingLabel(preview?.encoding ?? null);

  return (
    <div className="cmp-body" data-testid="check-panel">
      {!preview && (
        <section className="panel cmp-drop-panel">
          <div className="cmp-intro">
            选择部门报送的双公示、五类行政管理信息或六类特定信用信息文件（.xlsx 或 .csv；CSV 的
            UTF-8、GBK、GB18030
            编码自动识别），先看表头与列对应，再开始检查。检查在后台进行，几十万行的文件也不会卡住界面。
          </div>
          {fileError && (
            <Alert
              type="error"
              showIcon
              className="cmp-alert"
              title={`无法读取「${fileError.name}」`}
              description={
                <div data-testid="check-file-error" style={{ whiteSpace: 'pre-line' }}>
                  {fileError.message}
                </div>
              }
            />
          )}
          <Spin spinning={!!busy} description={busy ?? undefined}>
            <div data-testid="check-drop">
              <ExcelDrop
                onFile={(f) => void choose(f)}
                retry={!!fileError}
                disabled={!!busy}
                accept=".xlsx,.csv"
                what="Excel 或 CSV 文件"
                hint="支持 .xlsx 和 .csv；旧版 .xls 或 WPS 的 .et 请先另存为 .xlsx。文件只在本机检查，不会上传到任何平台。"
              />
            </div>
          </Spin>
        </section>
      )}

      {preview && (
        <section className="panel cmp-preview" data-testid="check-preview">
          <header className="cmp-preview-head">
            <div className="cmp-preview-file">
              <FileExcelOutlined className="cmp-file-icon" />
              <div>
                <div className="cmp-preview-name" data-testid="preview-file" title={preview.fileName}>
                  {preview.fileName}
                </div>
                <div className="cmp-preview-meta" data-testid="preview-meta">
                  <span>{fmtBytes(preview.size)}</span>
                  <Tag>{preview.format === 'csv' ? 'CSV' : 'Excel 工作簿'}</Tag>
                  {enc && (
                    <Tag color="geekblue" data-testid="preview-encoding">
                      {enc}
                    </Tag>
                  )}
                  {preview.sheetName && <Tag>工作表「{preview.sheetName}」</Tag>}
                  {preview.headerRow !== null ? (
                    <span data-testid="preview-header-row">表头在第 {preview.headerRow} 行</span>
                  ) : (
                    <span className="cmp-text-danger">未找到表头</span>
                  )}
                </div>
              </div>
            </div>
            <Button icon={<ReloadOutlined />} onClick={reset} disabled={running} data-testid="check-another">
              换一个文件
            </Button>
          </header>

          <div className={`cmp-preview-grid${run ? ' cmp-compact' : ''}`}>
            {!run && <MappingTable preview={preview} />}
            <div className="cmp-settings">
              <Form<Settings>
                form={form}
                layout={run ? 'inline' : 'vertical'}
                disabled={running}
                data-testid="check-form"
              >
                <Form.Item
                  label="规则集"
                  name="ruleSetId"
                  rules={[{ required: true, message: '请选择规则集' }]}
                  extra={
                    run
                      ? undefined
                      : preview.ruleSetId
                        ? selectedOther
                          ? '已改用其他规则集；列对应按检测到的规则集显示'
                          : '按表头自动识别，可改选'
                        : '没有规则集与表头相符，请手动选择'
                  }
                >
                  <Select
                    options={ruleSetOptions}
                    showSearch={{ optionFilterProp: 'search' }}
                    placeholder="选择规则集"
                    loading={ruleSets.isPending}
                    data-testid="check-ruleset"
                  />
                </Form.Item>
                <Form.Item
                  label="报送单位"
                  name="deptId"
                  extra={
                    run
                      ? undefined
                      : preview.deptId
                        ? '按文件名或数据来源单位识别，可改选'
                        : '合规率按单位统计，请选择报送单位'
                  }
                >
                  <Select
                    options={deptOptions}
                    showSearch={{ optionFilterProp: 'label' }}
                    allowClear
                    placeholder="选择报送单位"
                    loading={depts.isPending}
                    data-testid="check-dept"
                  />
                </Form.Item>
                <Form.Item
                  label="统计月份"
                  name="month"
                  rules={[{ required: true, message: '请选择统计月份' }]}
                >
                  <DatePicker
                    picker="month"
                    format="YYYY年M月"
                    allowClear={false}
                    data-testid="check-month"
                  />
                </Form.Item>
              </Form>
              {missing && missing.length > 0 && (
                <Alert
                  type="error"
                  showIcon
                  className="cmp-alert"
                  data-testid="preview-missing"
                  title={`缺少 ${missing.length} 个必填字段的列`}
                  description={`${missing.join('、')}。可以继续检查，缺少的字段在每一行都会记为错误。`}
                />
              )}
              {checkError && (
                <Alert
                  type="error"
                  showIcon
                  className="cmp-alert"
                  title="检查未完成"
                  description={<span data-testid="check-error">{checkError}</span>}
                />
              )}
              {running ? (
                <div className="cmp-progress" data-testid="check-progress">
                  <Progress percent={pct ?? 100} status="active" showInfo={pct !== null} size="small" />
                  <div className="cmp-progress-line">
                    <span>
                      {progress ? progress.message || `已检查 ${fmtInt(progress.done)} 行` : '正在启动检查…'}
                    </span>
                    <Button
                      size="small"
                      icon={<StopOutlined />}
                      onClick={() => void cancel()}
                      data-testid="check-cancel"
                    >
                      取消
                    </Button>
                  </div>
                </div>
              ) : (
                <Button
                  type="primary"
                  size={run ? 'middle' : 'large'}
                  icon={<PlayCircleOutlined />}
                  onClick={() => void start()}
                  block={!run}
                  data-testid="check-start"
                >
                  {run ? '重新检查' : '开始检查'}
                </Button>
              )}
            </div>
          </div>
          {!run && <PreviewRows preview={preview} />}
        </section>
      )}

      {run && (
        <section className="panel" ref={resultRef}>
          <ResultView result={run.result} actions={<ExportErrorsButton run={run} />} />
        </section>
      )}
    </div>
  );
}
