import { CheckCircleFilled, WarningFilled } from '@ant-design/icons';
import { Alert, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, type ReactNode } from 'react';
import type {
  FileCheckResult,
  Finding,
  RuleCount,
  WorstRow,
} from '../../../../main/core/contract/compliance';
import {
  CATEGORY_COLOR,
  CATEGORY_SHORT,
  encodingLabel,
  fmtDuration,
  fmtInt,
  fmtRate,
  rateColor,
  SEVERITY_COLOR,
  SEVERITY_LABELS,
} from './kit';
import { tipText } from './TipText';

/** Rule id → its Chinese name (from the counts the core sends with the result). */
function useRuleNames(byRule: RuleCount[]): Map<string, string> {
  return useMemo(() => new Map(byRule.map((r) => [r.rule, r.name])), [byRule]);
}

function findingColumns(ruleNames: Map<string, string>, withRow: boolean): ColumnsType<Finding> {
  const cols: ColumnsType<Finding> = [
    {
      title: '字段',
      dataIndex: 'field',
      width: 150,
      ellipsis: { showTitle: false },
      render: tipText('整行'),
    },
    {
      title: '规则',
      dataIndex: 'rule',
      width: 210,
      ellipsis: { showTitle: false },
      render: (v: string) => (
        <Tooltip title={v}>
          <span>{ruleNames.get(v) ?? v}</span>
        </Tooltip>
      ),
    },
    {
      title: '级别',
      dataIndex: 'severity',
      width: 64,
      render: (s: Finding['severity']) => (
        <Tag color={SEVERITY_COLOR[s]} className="cmp-sev">
          {SEVERITY_LABELS[s]}
        </Tag>
      ),
    },
    {
      title: '值',
      dataIndex: 'value',
      width: 170,
      ellipsis: { showTitle: false },
      render: (v: string | null) =>
        v === null || v === '' ? (
          <span className="muted">（空）</span>
        ) : (
          <Tooltip title={v}>
            <code className="cmp-value">{v}</code>
          </Tooltip>
        ),
    },
    { title: '说明', dataIndex: 'message', render: (v: string) => <span className="cmp-msg">{v}</span> },
  ];
  if (withRow)
    cols.unshift({
      title: '行号',
      dataIndex: 'row',
      width: 72,
      align: 'right',
      render: (v: number) => <span className="num">{v}</span>,
    });
  return cols;
}

function Figure({
  label,
  value,
  tone,
  sub,
  testId,
}: {
  label: string;
  value: ReactNode;
  tone?: 'danger' | 'warn' | 'ok';
  sub?: ReactNode;
  testId: string;
}) {
  return (
    <div className={`cmp-figure${tone ? ` cmp-${tone}` : ''}`} data-testid={testId}>
      <div className="cmp-figure-label">{label}</div>
      <div className="cmp-figure-value" data-testid={`${testId}-value`}>
        {value}
      </div>
      {sub && <div className="cmp-figure-sub">{sub}</div>}
    </div>
  );
}

/** The rate and counts of one checked file, big enough to read across the room. */
export function ResultHeadline({ result }: { result: FileCheckResult }) {
  const ok = result.rate >= 100;
  return (
    <div className="cmp-headline" data-testid="result-headline">
      <div className="cmp-rate" style={{ color: rateColor(result.rate) }}>
        <div className="cmp-rate-label">合规率</div>
        <div className="cmp-rate-value" data-testid="result-rate">
          {fmtRate(result.rate)}
          <span className="cmp-rate-unit">%</span>
        </div>
        <div className="cmp-rate-sub">
          {ok ? (
            <span style={{ color: '#2e9d5b' }}>
              <CheckCircleFilled /> 没有错误，可以报送
            </span>
          ) : (
            <span style={{ color: '#d64541' }}>
              <WarningFilled /> {fmtInt(result.errorRows)} 行有错误，请修改后再报送
            </span>
          )}
        </div>
      </div>
      <div className="cmp-figures">
        <Figure label="数据行" value={fmtInt(result.rows)} testId="result-rows" />
        <Figure
          label="错误行"
          value={fmtInt(result.errorRows)}
          tone={result.errorRows > 0 ? 'danger' : 'ok'}
          sub={`错误 ${fmtInt(result.errors)} 处`}
          testId="result-error-rows"
        />
        <Figure
          label="警告行"
          value={fmtInt(result.warningRows)}
          tone={result.warningRows > 0 ? 'warn' : undefined}
          sub={`警告 ${fmtInt(result.warnings)} 处`}
          testId="result-warning-rows"
        />
        <Figure
          label="错误代码"
          value={fmtInt(result.wrongCodes)}
          tone={result.wrongCodes > 0 ? 'danger' : 'ok'}
          sub="代码校验不通过，目标为 0"
          testId="result-wrong-codes"
        />
      </div>
    </div>
  );
}

function FileLine({ result }: { result: FileCheckResult }) {
  const enc = encodingLabel(result.encoding);
  return (
    <div className="cmp-fileline" data-testid="result-file">
      <Tag color={CATEGORY_COLOR[result.ruleSet.category]}>{CATEGORY_SHORT[result.ruleSet.category]}</Tag>
      <b>{result.ruleSet.name}</b>
      <span className="muted">（{result.ruleSet.version}）</span>
      <span className="cmp-sep">·</span>
      <span className="cmp-filename" title={result.fileName}>
        {result.fileName}
      </span>
      {enc && <Tag>{enc}</Tag>}
      {result.sheetName && <Tag>工作表「{result.sheetName}」</Tag>}
      <span className="muted">
        表头在第 {result.headerRow} 行 · 用时 {fmtDuration(result.durationMs)}
      </span>
    </div>
  );
}

function RuleCounts({ byRule }: { byRule: RuleCount[] }) {
  const rows = useMemo(() => [...byRule].sort((a, b) => b.count - a.count), [byRule]);
  return (
    <Table<RuleCount>
      size="small"
      rowKey={(r) => `${r.rule}:${r.severity}`}
      dataSource={rows}
      pagination={rows.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      data-testid="result-by-rule"
      columns={[
        { title: '规则', dataIndex: 'name', ellipsis: true },
        {
          title: '级别',
          dataIndex: 'severity',
          width: 64,
          render: (s: RuleCount['severity']) => (
            <Tag color={SEVERITY_COLOR[s]} className="cmp-sev">
              {SEVERITY_LABELS[s]}
            </Tag>
          ),
        },
        {
          title: '处数',
          dataIndex: 'count',
          width: 90,
          align: 'right',
          render: (v: number) => <span className="num">{fmtInt(v)}</span>,
        },
      ]}
    />
  );
}

function WorstRows({ rows, ruleNames }: { rows: WorstRow[]; ruleNames: Map<string, string> }) {
  const inner = useMemo(() => findingColumns(ruleNames, false), [ruleNames]);
  return (
    <Table<WorstRow>
      size="small"
      rowKey="row"
      dataSource={rows}
      pagination={rows.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      data-testid="result-worst-rows"
      expandable={{
        expandRowByClick: true,
        expandedRowRender: (r) => (
          <Table<Finding>
            size="small"
            rowKey={(f, i) => `${f.column ?? 'row'}:${f.rule}:${i ?? 0}`}
            dataSource={r.findings}
            columns={inner}
            pagination={false}
            className="cmp-inner"
          />
        ),
      }}
      columns={[
        {
          title: '行号',
          dataIndex: 'row',
          width: 80,
          render: (v: number) => <span className="num">第 {v} 行</span>,
        },
        {
          title: '错误',
          dataIndex: 'errors',
          width: 64,
          align: 'right',
          render: (v: number) => <span className={`num${v > 0 ? ' cmp-text-danger' : ''}`}>{v}</span>,
        },
        {
          title: '警告',
          dataIndex: 'warnings',
          width: 64,
          align: 'right',
          render: (v: number) => <span className="num">{v}</span>,
        },
        {
          title: '问题字段',
          key: 'fields',
          ellipsis: true,
          render: (_: unknown, r) => [...new Set(r.findings.map((f) => f.field ?? '整行'))].join('、'),
        },
      ]}
    />
  );
}

/**
 * What checking one file found: the rate and counts, the file line, missing columns, counts per
 * rule, the worst rows (expand for their findings) and the first findings in file order.
 * `actions` sits beside the title (导出错误明细).
 */
export function ResultView({ result, actions }: { result: FileCheckResult; actions?: ReactNode }) {
  const ruleNames = useRuleNames(result.byRule);
  const cols = useMemo(() => findingColumns(ruleNames, true), [ruleNames]);
  const findings = result.errors + result.warnings;
  return (
    <div className="cmp-result" data-testid="check-result">
      <div className="cmp-result-head">
        <FileLine result={result} />
        {actions}
      </div>
      <ResultHeadline result={result} />
      {result.missingFields.length > 0 && (
        <Alert
          type="error"
          showIcon
          title={`文件缺少 ${result.missingFields.length} 个必填字段的列`}
          description={`${result.missingFields.join('、')}。缺少的列在每一行都记为错误；请在文件中补上这些列（列名可用标准名称或常见别名）。`}
          data-testid="result-missing"
        />
      )}
      {findings === 0 ? (
        <Alert type="success" showIcon title="全部数据行均符合规则集要求，没有发现错误或警告。" />
      ) : (
        <>
          <div className="cmp-two">
            <section className="cmp-box">
              <div className="cmp-box-title">按规则统计</div>
              <RuleCounts byRule={result.byRule} />
            </section>
            <section className="cmp-box">
              <div className="cmp-box-title">
                问题最多的行<span className="cmp-box-sub">点击一行查看明细</span>
              </div>
              <WorstRows rows={result.worstRows} ruleNames={ruleNames} />
            </section>
          </div>
          <section className="cmp-box">
            <div className="cmp-box-title">
              问题明细
              <span className="cmp-box-sub">
                {result.sampleTruncated
                  ? `共 ${fmtInt(findings)} 处，这里列出文件中的前 ${fmtInt(result.sample.length)} 处；全部明细见错误明细表`
                  : `共 ${fmtInt(findings)} 处，按文件顺序`}
              </span>
            </div>
            <Table<Finding>
              size="small"
              rowKey={(f, i) => `${f.row}:${f.column ?? 'row'}:${f.rule}:${i ?? 0}`}
              dataSource={result.sample}
              columns={cols}
              pagination={{
                pageSize: 20,
                size: 'small',
                showSizeChanger: false,
                showTotal: (t) => `${fmtInt(t)} 处`,
              }}
              data-testid="result-findings"
            />
          </section>
        </>
      )}
    </div>
  );
}
