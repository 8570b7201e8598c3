/**
 * 从 Excel 导入任务: a three-step wizard over the core's task workbook import.
 * 1 选择文件: the workbook is sent to the core in 4 MB base64 chunks (attachments.upload), then
 *   tasks.importPreview reads it; nothing is written. The core's messages name the problem.
 * 2 预览与核对: per-row problems, unmatched unit names mapped to departments (or ignored), and a
 *   local recount of what would be imported (mirrors applyDeptMapping, conservatively; the core
 *   decides at commit).
 * 3 完成: tasks.importCommit creates every importable row in one transaction.
 */
import {
  CheckCircleFilled,
  CloseCircleFilled,
  ExclamationCircleFilled,
  FileExcelOutlined,
} from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Checkbox,
  Modal,
  Progress,
  Radio,
  Result,
  Select,
  Space,
  Spin,
  Steps,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Department, Indicator } from '../../../main/core/contract/records';
import type { TaskImportPreview } from '../../../main/core/contract/supervision';
import { ApiError, call, errorMessage, useCommand, useCommandQuery } from '../api';
import { RECURRENCE_LABEL } from '../labels';
import { ExcelDrop } from '../components/ExcelDrop';

type Preview = TaskImportPreview;
type PreviewRow = Preview['rows'][number];
type Problem = PreviewRow['problems'][number];
type DeptRef = PreviewRow['depts'][number];
/** Unmatched unit name → department id, or null to ignore the name (tasks.importCommit's deptMapping). */
type Mapping = Record<string, string | null>;

/** The core takes at most 4 MB of file data per upload call. */
const CHUNK_BYTES = 4 * 1024 * 1024;
const IGNORE = '__ignore__';
const ROW_LIST_MAX = 12;
const PROBLEM_MIN_WIDTH = 320;
/** Height of the small table's header row (the virtual body gets the rest of the box). */
const TABLE_HEADER_HEIGHT = 40;

class Cancelled extends Error {}

/** Base64 of bytes, in slices (a multiple of 3 bytes long, so the pieces concatenate). */
function toBase64(bytes: Uint8Array): string {
  const step = 3 * 8192;
  let out = '';
  for (let i = 0; i < bytes.length; i += step)
    out += btoa(String.fromCharCode(...bytes.subarray(i, i + step)));
  return out;
}

/** Sends a file to the core chunk by chunk; resolves to the upload id. */
async function uploadInChunks(
  file: File,
  onProgress: (sent: number) => void,
  cancelled: () => boolean,
): Promise<string> {
  let uploadId: string | null = null;
  let offset = 0;
  // at least one call, so an empty file is uploaded too (and the core names the problem)
  do {
    if (cancelled()) throw new Cancelled();
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await file.slice(offset, offset + CHUNK_BYTES).arrayBuffer());
    } catch {
      throw new Error(`无法读取文件「${file.name}」，请确认文件仍在原处且未被其他程序占用。`);
    }
    const sent: { uploadId: string } = await call('attachments.upload', { uploadId, data: toBase64(bytes) });
    uploadId = sent.uploadId;
    offset += bytes.length;
    onProgress(offset);
    if (bytes.length === 0) break;
  } while (offset < file.size);
  if (cancelled()) throw new Cancelled();
  return uploadId;
}

/** The name the core gets (at most 200 characters, keeping the extension). */
function uploadName(name: string): string {
  const n = name.trim() || '任务清单.xlsx';
  if (n.length <= 200) return n;
  const dot = n.lastIndexOf('.');
  const ext = dot > 0 && n.length - dot <= 12 ? n.slice(dot) : '';
  return n.slice(0, 200 - ext.length) + ext;
}

const has = (m: Mapping, name: string) => Object.prototype.hasOwnProperty.call(m, name);
const deptShort = (d: Department) => d.shortName ?? d.name;
const deptLong = (d: Department) => (d.shortName ? `${d.shortName}（${d.name}）` : d.name);

function rowList(rows: readonly number[]): string {
  const shown = rows.slice(0, ROW_LIST_MAX).join('、');
  return rows.length > ROW_LIST_MAX ? `第 ${shown} 等 ${rows.length} 行` : `第 ${shown} 行`;
}

/** Size of an element, kept up to date (the virtual table needs numbers). */
function useBox<T extends HTMLElement>(): [React.RefObject<T | null>, { width: number; height: number }] {
  const ref = useRef<T>(null);
  const [size, setSize] = useState({ width: 1000, height: 360 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () =>
      setSize((s) =>
        s.width === el.clientWidth && s.height === el.clientHeight
          ? s
          : { width: el.clientWidth, height: el.clientHeight },
      );
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    measure();
    return () => ro.disconnect();
  }, []);
  return [ref, size];
}

// ---------- the local recount (display only; the core decides at commit) ----------

interface UnitView {
  raw: string;
  state: 'matched' | 'group' | 'mapped' | 'ignored' | 'unmatched';
  deptId: string | null;
  /** How many departments a group name (各镇（区）) stands for. */
  count: number;
}

interface ProblemView {
  p: Problem;
  /** Set when a unit error is settled by the mapping: 已对应为「…」 / 已忽略. */
  settled?: string;
}

interface RowView {
  row: PreviewRow;
  lead: UnitView[];
  coop: UnitView[];
  problems: ProblemView[];
  errors: number;
  warnings: number;
  ready: boolean;
}

const REMAPPABLE = new Set<DeptRef['match']>(['none', 'mapped', 'ignored']);

function unitViews(refs: readonly DeptRef[], mapping: Mapping): UnitView[] {
  const out: UnitView[] = [];
  for (const d of refs) {
    let state: UnitView['state'];
    let deptId = d.deptId;
    if (REMAPPABLE.has(d.match) && has(mapping, d.raw)) {
      deptId = mapping[d.raw] ?? null;
      state = deptId ? 'mapped' : 'ignored';
    } else if (d.match === 'exact' || d.match === 'normalized') state = 'matched';
    else if (d.match === 'none') state = 'unmatched';
    else state = d.match;
    const same = out.find((u) => u.raw === d.raw && u.state === state);
    if (same) same.count++;
    else out.push({ raw: d.raw, state, deptId, count: 1 });
  }
  return out;
}

function viewRow(
  row: PreviewRow,
  mapping: Mapping,
  leadColumn: { column: string; header: string } | undefined,
  nameOf: (id: string) => string,
): RowView {
  const lead = unitViews(
    row.depts.filter((d) => d.source === 'lead'),
    mapping,
  );
  const coop = unitViews(
    row.depts.filter((d) => d.source === 'coop'),
    mapping,
  );
  const problems: ProblemView[] = row.problems.map((p) => {
    if (p.kind !== 'dept_unmatched' || p.value === undefined || !has(mapping, p.value)) return { p };
    const id = mapping[p.value];
    return { p, settled: id ? `「${p.value}」已对应为「${nameOf(id)}」` : `「${p.value}」已忽略` };
  });
  // the core adds this warning when every lead unit of a row ends up ignored
  if (
    leadColumn &&
    lead.length > 0 &&
    lead.every((u) => u.state === 'ignored') &&
    !row.problems.some((p) => p.kind === 'lead_missing')
  ) {
    problems.push({
      p: {
        kind: 'lead_missing',
        column: leadColumn.column,
        header: leadColumn.header,
        severity: 'warning',
        message: '牵头单位已忽略，导入后该任务没有牵头单位，请在导入后指定。',
      },
    });
  }
  const open = problems.filter((v) => !v.settled);
  const errors = open.filter((v) => v.p.severity === 'error').length;
  const warnings = open.filter((v) => v.p.severity === 'warning').length;
  return { row, lead, coop, problems, errors, warnings, ready: errors === 0 };
}

// ---------- cells ----------

function Units({ units, nameOf }: { units: UnitView[]; nameOf: (id: string) => string }) {
  if (units.length === 0) return <span className="muted">—</span>;
  return (
    <span style={{ wordBreak: 'break-all' }}>
      {units.map((u, i) => {
        const sep = i > 0 ? '、' : '';
        if (u.state === 'unmatched')
          return (
            <span key={i}>
              {sep}
              <Tooltip title="不在部门单位名单中，请在上方“未匹配的单位”中选择对应单位">
                <span style={{ color: '#d64541' }}>{u.raw}</span>
              </Tooltip>
            </span>
          );
        if (u.state === 'ignored')
          return (
            <span key={i}>
              {sep}
              <Tooltip title="已忽略，不作为该任务的单位">
                <span className="muted" style={{ textDecoration: 'line-through' }}>
                  {u.raw}
                </span>
              </Tooltip>
            </span>
          );
        if (u.state === 'group')
          return (
            <span key={i}>
              {sep}
              <Tooltip title={`展开为 ${u.count} 个单位`}>
                {u.raw}
                <span className="muted">（{u.count} 个）</span>
              </Tooltip>
            </span>
          );
        const name = u.deptId ? nameOf(u.deptId) : u.raw;
        return (
          <span key={i}>
            {sep}
            <Tooltip title={name !== u.raw ? `表格中写作「${u.raw}」` : undefined}>
              <span style={u.state === 'mapped' ? { color: '#1f5fbf' } : undefined}>{name}</span>
            </Tooltip>
          </span>
        );
      })}
    </span>
  );
}

function ProblemTags({ problems }: { problems: ProblemView[] }) {
  if (problems.length === 0) return <span style={{ color: '#2e9d5b' }}>无</span>;
  return (
    <div style={{ display: 'flex', flexDirection: 'column', gap: 4, alignItems: 'flex-start' }}>
      {problems.map(({ p, settled }, i) => {
        const where = p.column ? `${p.column} 列（${p.header}）：` : `${p.header}：`;
        return (
          <Tag
            key={i}
            color={settled ? 'success' : p.severity === 'error' ? 'error' : 'warning'}
            style={{ whiteSpace: 'normal', marginInlineEnd: 0, lineHeight: '20px' }}
            data-severity={settled ? 'settled' : p.severity}
          >
            {where}
            {settled ?? p.message}
          </Tag>
        );
      })}
    </div>
  );
}

// ---------- step 1: choose a file ----------

type Loading = { fileName: string; size: number; sent: number; phase: 'upload' | 'read' };

function ChooseFile({
  loading,
  error,
  onFile,
  onCancel,
}: {
  loading: Loading | null;
  error: { fileName: string; message: string } | null;
  onFile: (f: File) => void;
  onCancel: () => void;
}) {
  if (loading) {
    const pct = loading.size > 0 ? Math.floor((loading.sent / loading.size) * 100) : 100;
    return (
      <div style={{ padding: '40px 24px', textAlign: 'center' }} data-testid="import-loading">
        <FileExcelOutlined style={{ fontSize: 40, color: '#2e9d5b' }} />
        <div style={{ margin: '12px 0 4px', fontWeight: 500 }}>{loading.fileName}</div>
        {loading.phase === 'upload' ? (
          <>
            <div className="muted">正在上传…</div>
            <Progress percent={pct} style={{ maxWidth: 420, margin: '12px auto' }} />
          </>
        ) : (
          <div style={{ margin: '16px 0' }}>
            <Spin /> <span className="muted">正在识别表头、合并单元格和日期…</span>
          </div>
        )}
        <Button onClick={onCancel}>取消</Button>
      </div>
    );
  }
  return (
    <div>
      {error && (
        <div data-testid="import-error">
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            title={`无法导入「${error.fileName}」`}
            description={
              <>
                <div>{error.message}</div>
                <div className="muted" style={{ marginTop: 4 }}>
                  处理后可以重新选择文件。
                </div>
              </>
            }
          />
        </div>
      )}
      <div data-testid="import-drop">
        <ExcelDrop
          onFile={onFile}
          retry={!!error}
          // every dropped file reaches the core, which names what is wrong with it (.xls, PDF, CSV …)
          accept=".xlsx,.xlsm,.xls"
          hint={
            <>
              支持各部门报送的原始表格：表头上方的标题行、合并单元格、各种日期写法都能识别。
              <br />
              文件格式为 .xlsx；旧版 .xls 请先在 Excel/WPS 中另存为 .xlsx。导入前会先预览，确认后才写入。
            </>
          }
        />
      </div>
    </div>
  );
}

// ---------- step 2: preview ----------

type RowFilter = 'all' | 'errors' | 'warnings';

function UnmatchedSection({
  preview,
  mapping,
  setMapping,
  departments,
}: {
  preview: Preview;
  mapping: Mapping;
  setMapping: (m: Mapping) => void;
  departments: Department[];
}) {
  const byId = useMemo(() => new Map(departments.map((d) => [d.id, d])), [departments]);
  const list = preview.unmatchedDepartments;
  if (list.length === 0) return null;
  const open = list.filter((u) => !has(mapping, u.name));
  const withSuggestion = open.filter((u) => u.suggestions.length > 0);
  const option = (d: Department, recommended: boolean) => ({
    value: d.id,
    label: (
      <span>
        {recommended && (
          <Tag color="green" style={{ marginInlineEnd: 6 }}>
            推荐
          </Tag>
        )}
        {deptLong(d)}
      </span>
    ),
    search: `${d.shortName ?? ''} ${d.name} ${d.aliases.join(' ')}`,
  });
  return (
    <div
      style={{ border: '1px solid #f0d0d0', borderRadius: 8, padding: '10px 14px', marginBottom: 12 }}
      data-testid="import-unmatched"
    >
      <div style={{ display: 'flex', alignItems: 'baseline', gap: 12, flexWrap: 'wrap' }}>
        <Typography.Text strong>未匹配的单位</Typography.Text>
        <span className="muted">
          共 {list.length} 个{open.length > 0 ? `，未处理 ${open.length} 个` : '，已全部处理'}
          。为每个名称选择对应的部门单位，或选择“忽略此单位”（该名称不作为任务的单位）。
        </span>
        {withSuggestion.length > 0 && (
          <Button
            type="link"
            size="small"
            style={{ padding: 0 }}
            onClick={() => {
              const next = { ...mapping };
              for (const u of withSuggestion) next[u.name] = u.suggestions[0]?.id ?? null;
              setMapping(next);
            }}
          >
            未处理的都采用第一个推荐
          </Button>
        )}
      </div>
      <div style={{ maxHeight: 'min(232px, 22vh)', overflowY: 'auto', marginTop: 8 }}>
        {list.map((u) => {
          const settled = has(mapping, u.name);
          const value = settled ? (mapping[u.name] ?? IGNORE) : undefined;
          const suggested = new Set(u.suggestions.map((s) => s.id));
          const recommended = u.suggestions
            .map((s) => byId.get(s.id))
            .filter((d): d is Department => !!d)
            .map((d) => option(d, true));
          const options = [
            ...(recommended.length > 0 ? [{ label: '推荐', options: recommended }] : []),
            {
              label: '全部单位',
              options: departments.filter((d) => !suggested.has(d.id)).map((d) => option(d, false)),
            },
            {
              label: '不导入该单位',
              options: [{ value: IGNORE, label: '忽略此单位', search: '忽略此单位 不导入' }],
            },
          ];
          return (
            <div
              key={u.name}
              style={{ display: 'flex', alignItems: 'center', gap: 12, padding: '4px 0' }}
              data-testid="unmatched-unit"
              data-name={u.name}
            >
              <div style={{ flex: '1 1 0', minWidth: 0 }}>
                {settled ? (
                  <CheckCircleFilled style={{ color: '#2e9d5b', marginInlineEnd: 6 }} />
                ) : (
                  <ExclamationCircleFilled style={{ color: '#d64541', marginInlineEnd: 6 }} />
                )}
                <Typography.Text strong style={{ color: settled ? undefined : '#d64541' }}>
                  {u.name}
                </Typography.Text>
                <span className="muted" style={{ marginInlineStart: 8 }}>
                  出现在{rowList(u.rows)}
                </span>
              </div>
              <Select<string>
                style={{ width: 340, flexShrink: 0 }}
                popupMatchSelectWidth={440}
                placeholder={u.suggestions.length > 0 ? '选择对应单位（有推荐）' : '选择对应单位'}
                status={settled ? undefined : 'warning'}
                allowClear
                showSearch={{ optionFilterProp: 'search' }}
                value={value}
                options={options}
                labelRender={({ value: v }) => {
                  if (v === IGNORE) return <span className="muted">忽略此单位</span>;
                  const d = byId.get(String(v));
                  return d ? deptLong(d) : String(v);
                }}
                onChange={(v?: string) => {
                  const next = { ...mapping };
                  if (v === undefined) delete next[u.name];
                  else next[u.name] = v === IGNORE ? null : v;
                  setMapping(next);
                }}
                aria-label={`「${u.name}」对应的单位`}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}

function PreviewStep({
  preview,
  views,
  mapping,
  setMapping,
  departments,
  indicators,
  nameOf,
}: {
  preview: Preview;
  views: RowView[];
  mapping: Mapping;
  setMapping: (m: Mapping) => void;
  departments: Department[];
  indicators: Indicator[];
  nameOf: (id: string) => string;
}) {
  const [filter, setFilter] = useState<RowFilter>('all');
  const [boxRef, box] = useBox<HTMLDivElement>();
  const indMap = useMemo(() => new Map(indicators.map((i) => [i.id, i])), [indicators]);
  const ready = views.filter((v) => v.ready).length;
  const withErrors = views.length - ready;
  const withWarnings = views.filter((v) => v.warnings > 0).length;
  const shown = useMemo(
    () =>
      filter === 'errors'
        ? views.filter((v) => !v.ready)
        : filter === 'warnings'
          ? views.filter((v) => v.warnings > 0)
          : views,
    [views, filter],
  );
  const header =
    preview.headerRows > 1
      ? `第 ${preview.headerRow}–${preview.headerRow + preview.headerRows - 1} 行`
      : `第 ${preview.headerRow} 行`;
  // the summary line already says which sheet and where the header is
  const notices = preview.notices.filter(
    (n) => !/^(导入工作表「|表头位于)/.test(n) && !/^已跳过 \d+ 个分类行。$/.test(n),
  );
  const skipped = preview.skipped;
  const SKIP_REASON = { category: '分类行', total: '合计行', header: '重复表头' } as const;

  const columns: ColumnsType<RowView> = [
    {
      title: '行号',
      key: 'row',
      width: 70,
      fixed: 'left',
      render: (_: unknown, v) => (
        <span style={{ whiteSpace: 'nowrap' }}>
          {v.ready ? (
            <Tooltip title="可导入">
              <CheckCircleFilled style={{ color: '#2e9d5b', marginInlineEnd: 6 }} />
            </Tooltip>
          ) : (
            <Tooltip title="有错误，不导入">
              <CloseCircleFilled style={{ color: '#d64541', marginInlineEnd: 6 }} />
            </Tooltip>
          )}
          {v.row.rowNumber}
        </span>
      ),
    },
    {
      title: '任务名称',
      key: 'title',
      width: 250,
      render: (_: unknown, v) => {
        const t = v.row.task;
        const tip = [
          v.row.category ? `分类：${v.row.category}` : '',
          t.description ? `任务描述：${t.description}` : '',
          t.standard ? `完成标准：${t.standard}` : '',
        ]
          .filter(Boolean)
          .join('\n');
        return (
          <Tooltip title={tip ? <div style={{ whiteSpace: 'pre-wrap' }}>{tip}</div> : undefined}>
            <div>
              {t.title || <span style={{ color: '#d64541' }}>（缺少任务名称）</span>}
              {t.recurrence !== 'none' && (
                <Tag color="geekblue" style={{ marginInlineStart: 6 }}>
                  {RECURRENCE_LABEL[t.recurrence]}
                </Tag>
              )}
            </div>
          </Tooltip>
        );
      },
    },
    {
      title: '牵头单位',
      key: 'lead',
      width: 140,
      render: (_: unknown, v) => <Units units={v.lead} nameOf={nameOf} />,
    },
    {
      title: '配合单位',
      key: 'coop',
      width: 150,
      render: (_: unknown, v) => <Units units={v.coop} nameOf={nameOf} />,
    },
    {
      title: '完成时限',
      key: 'due',
      width: 120,
      render: (_: unknown, v) => {
        const raw = v.row.cells.dueDate;
        const due = v.row.task.dueDate;
        if (!due) {
          if (!raw) return <span className="muted">—</span>;
          const bad = v.row.problems.some((p) => p.kind === 'date_invalid');
          return <span style={bad ? { color: '#d64541' } : undefined}>{raw}</span>;
        }
        return (
          <Tooltip title={raw && raw !== due ? `表格中写作「${raw}」` : undefined}>
            <span style={{ whiteSpace: 'nowrap' }}>{due}</span>
          </Tooltip>
        );
      },
    },
    {
      title: '关联指标',
      key: 'indicators',
      width: 120,
      render: (_: unknown, v) => {
        const ids = v.row.task.indicatorIds;
        if (ids.length === 0)
          return v.row.cells.indicators ? (
            <span className="muted">{v.row.cells.indicators}</span>
          ) : (
            <span className="muted">—</span>
          );
        return (
          <Tooltip
            title={ids.map((id) => `${indMap.get(id)?.code ?? ''} ${indMap.get(id)?.title ?? ''}`).join('\n')}
          >
            <Space size={2} wrap>
              {ids.map((id) => (
                <Tag key={id} style={{ marginInlineEnd: 0 }}>
                  {indMap.get(id)?.code ?? '?'}
                </Tag>
              ))}
            </Space>
          </Tooltip>
        );
      },
    },
    {
      title: '问题',
      key: 'problems',
      width: 420,
      render: (_: unknown, v) => <ProblemTags problems={v.problems} />,
    },
  ];
  // 问题 takes the width the others leave; the table fills the height the sections above leave
  const fixed = columns.reduce(
    (n, c) => n + (c.key !== 'problems' && typeof c.width === 'number' ? c.width : 0),
    0,
  );
  const last = columns[columns.length - 1];
  if (last) last.width = Math.max(PROBLEM_MIN_WIDTH, box.width - fixed - 2);
  const width = columns.reduce((n, c) => n + (typeof c.width === 'number' ? c.width : 0), 0);

  return (
    <div
      style={{
        display: 'flex',
        flexDirection: 'column',
        height: 'calc(100vh - 240px)',
        minHeight: 460,
      }}
    >
      <Typography.Paragraph style={{ marginBottom: 8 }} data-testid="import-summary">
        <FileExcelOutlined style={{ color: '#2e9d5b', marginInlineEnd: 6 }} />
        <Typography.Text strong>{preview.fileName}</Typography.Text>：工作表「{preview.sheet}」{header}
        为表头；共 {views.length} 行，可导入 <b style={{ color: '#2e9d5b' }}>{ready}</b> 行，有错误{' '}
        <b style={{ color: withErrors ? '#d64541' : undefined }}>{withErrors}</b> 行，有提醒{' '}
        <b style={{ color: withWarnings ? '#d48806' : undefined }}>{withWarnings}</b> 行；跳过的标题/分类行{' '}
        {skipped.length > 0 ? (
          <Tooltip
            title={
              <div>
                {skipped.slice(0, 30).map((s) => (
                  <div key={s.rowNumber}>
                    第 {s.rowNumber} 行（{SKIP_REASON[s.reason]}）：{s.text}
                  </div>
                ))}
                {skipped.length > 30 && <div>……</div>}
              </div>
            }
          >
            <Typography.Text underline style={{ cursor: 'help' }}>
              {skipped.length}
            </Typography.Text>
          </Tooltip>
        ) : (
          0
        )}{' '}
        行。
      </Typography.Paragraph>
      {notices.length > 0 && (
        <div data-testid="import-notices">
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12, padding: '6px 12px' }}
            title={
              notices.length === 1 ? (
                notices[0]
              ) : (
                <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                  {notices.map((n, i) => (
                    <li key={i}>{n}</li>
                  ))}
                </ul>
              )
            }
          />
        </div>
      )}
      <UnmatchedSection
        preview={preview}
        mapping={mapping}
        setMapping={setMapping}
        departments={departments}
      />
      <div
        style={{ display: 'flex', alignItems: 'center', gap: 12, marginBottom: 8 }}
        data-testid="import-filter"
      >
        <Radio.Group
          optionType="button"
          buttonStyle="solid"
          size="small"
          value={filter}
          onChange={(e) => setFilter(e.target.value as RowFilter)}
          options={[
            { value: 'all', label: `全部 ${views.length}` },
            { value: 'errors', label: `有错误 ${withErrors}` },
            { value: 'warnings', label: `有提醒 ${withWarnings}` },
          ]}
        />
        <span className="muted" style={{ fontSize: 12 }}>
          <Tag color="error">红色</Tag>为错误，该行不导入；<Tag color="warning">橙色</Tag>为提醒，仍会导入；
          <Tag color="success">绿色</Tag>为已处理。
        </span>
      </div>
      <div
        data-testid="import-table"
        ref={boxRef}
        style={{ flex: '1 1 0', minHeight: 200, overflow: 'hidden' }}
      >
        <Table<RowView>
          rowKey={(v) => v.row.rowNumber}
          size="small"
          bordered
          virtual
          columns={columns}
          dataSource={shown}
          pagination={false}
          scroll={{ x: width, y: Math.max(140, box.height - TABLE_HEADER_HEIGHT) }}
          locale={{
            emptyText: filter === 'errors' ? '没有错误的行' : filter === 'warnings' ? '没有提醒' : '没有数据',
          }}
        />
      </div>
    </div>
  );
}

// ---------- step 3: done ----------

type Committed =
  | { state: 'running' }
  | { state: 'done'; created: number; skipped: number; issued: boolean }
  | { state: 'expired' }
  | { state: 'failed'; message: string };

// ---------- the wizard ----------

interface WizardStatus {
  created?: number;
  /** A preview is shown and not imported yet: closing loses the user's checking. */
  unsaved: boolean;
  /** The commit is running: closing is refused. */
  busy: boolean;
}

function Wizard({
  onStatus,
  onClose,
}: {
  onStatus: (s: WizardStatus) => void;
  onClose: (result?: { created: number }) => void;
}) {
  const { modal } = App.useApp();
  const depts = useCommandQuery('departments.list', {});
  const indicators = useCommandQuery('indicators.list', {});
  const commit = useCommand('tasks.importCommit');
  const [step, setStep] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [loading, setLoading] = useState<Loading | null>(null);
  const [loadError, setLoadError] = useState<{ fileName: string; message: string } | null>(null);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [mapping, setMapping] = useState<Mapping>({});
  const [issue, setIssue] = useState(false);
  const [committed, setCommitted] = useState<Committed | null>(null);
  // each load gets a number; a cancelled or superseded load stops at its next chunk
  const run = useRef(0);

  useEffect(() => {
    const r = run;
    return () => {
      r.current++;
    };
  }, []);

  useEffect(() => {
    onStatus({
      created: committed?.state === 'done' ? committed.created : undefined,
      unsaved: step === 1 || (step === 2 && committed?.state !== 'done'),
      busy: committed?.state === 'running',
    });
  }, [step, committed, onStatus]);

  const departments = useMemo(() => depts.data ?? [], [depts.data]);
  const deptMap = useMemo(() => new Map(departments.map((d) => [d.id, d])), [departments]);
  const nameOf = useMemo(
    () => (id: string) => {
      const d = deptMap.get(id);
      return d ? deptShort(d) : '未知单位';
    },
    [deptMap],
  );
  const views = useMemo(() => {
    if (!preview) return [];
    const lead = preview.columns.find((c) => c.field === 'lead');
    return preview.rows.map((r) => viewRow(r, mapping, lead, nameOf));
  }, [preview, mapping, nameOf]);

  const load = async (f: File, keep: Mapping = {}) => {
    const id = ++run.current;
    const stale = () => run.current !== id;
    setFile(f);
    setLoadError(null);
    setCommitted(null);
    setStep(0);
    setLoading({ fileName: f.name, size: f.size, sent: 0, phase: 'upload' });
    try {
      const uploadId = await uploadInChunks(
        f,
        (sent) => {
          if (!stale()) setLoading((l) => (l ? { ...l, sent } : l));
        },
        stale,
      );
      setLoading((l) => (l ? { ...l, phase: 'read' } : l));
      const p = await call('tasks.importPreview', { uploadId, fileName: uploadName(f.name) });
      if (stale()) return;
      const names = new Set(p.unmatchedDepartments.map((u) => u.name));
      setMapping(Object.fromEntries(Object.entries(keep).filter(([n]) => names.has(n))));
      setPreview(p);
      setLoading(null);
      setStep(1);
    } catch (e) {
      if (e instanceof Cancelled || stale()) return;
      setLoading(null);
      setPreview(null);
      setLoadError({ fileName: f.name, message: errorMessage(e) });
    }
  };

  const cancelLoad = () => {
    run.current++;
    setLoading(null);
  };

  const ready = views.filter((v) => v.ready).length;
  const notReady = views.length - ready;
  const openUnits = preview ? preview.unmatchedDepartments.filter((u) => !has(mapping, u.name)) : [];

  const doCommit = async () => {
    if (!preview) return;
    setStep(2);
    setCommitted({ state: 'running' });
    try {
      const r = await commit.mutateAsync({ token: preview.token, deptMapping: mapping, issue });
      setCommitted({ state: 'done', created: r.created, skipped: r.skipped, issued: issue });
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOT_FOUND') setCommitted({ state: 'expired' });
      else setCommitted({ state: 'failed', message: errorMessage(e) });
    }
  };

  const askCommit = () => {
    if (notReady === 0) {
      void doCommit();
      return;
    }
    modal.confirm({
      title: `导入 ${ready} 项任务，跳过 ${notReady} 行？`,
      content: (
        <div>
          <p>
            有错误的 {notReady} 行不会导入{openUnits.length > 0 ? '' : '，请修改表格后单独导入这些行'}。
          </p>
          {openUnits.length > 0 && (
            <p style={{ color: '#ad6800' }}>
              还有 {openUnits.length} 个单位未处理（
              {openUnits
                .slice(0, 5)
                .map((u) => `「${u.name}」`)
                .join('')}
              {openUnits.length > 5 ? '等' : ''}）。为它们选择对应单位或“忽略此单位”后，相关的行也可以导入。
            </p>
          )}
        </div>
      ),
      okText: `导入 ${ready} 项`,
      cancelText: '返回核对',
      onOk: () => void doCommit(),
    });
  };

  const footer = (() => {
    if (step === 1 && preview)
      return (
        <>
          <Button onClick={() => setStep(0)}>重新选择文件</Button>
          <div style={{ flex: 1 }} />
          <Tooltip title="下发后各牵头单位即可签收办理，任务开始亮灯；不勾选则导入为“待下发”，可稍后在任务列表中批量下发。">
            <Checkbox checked={issue} onChange={(e) => setIssue(e.target.checked)}>
              导入后立即下发
            </Checkbox>
          </Tooltip>
          <Button type="primary" disabled={ready === 0} onClick={askCommit} data-testid="import-commit">
            {ready === 0 ? '没有可导入的行' : `导入 ${ready} 项任务`}
          </Button>
        </>
      );
    return null;
  })();

  let body: React.ReactNode;
  let bodyId = 'import-choose';
  if (step === 0) {
    body = (
      <>
        {preview && !loading && !loadError && (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={`当前预览：「${preview.fileName}」。选择新文件将替换它。`}
            action={
              <Button size="small" onClick={() => setStep(1)}>
                返回预览
              </Button>
            }
          />
        )}
        <ChooseFile loading={loading} error={loadError} onFile={(f) => void load(f)} onCancel={cancelLoad} />
      </>
    );
  } else if (step === 1 && preview) {
    bodyId = 'import-preview';
    body = (
      <PreviewStep
        preview={preview}
        views={views}
        mapping={mapping}
        setMapping={setMapping}
        departments={departments}
        indicators={indicators.data ?? []}
        nameOf={nameOf}
      />
    );
  } else if (committed?.state === 'running') {
    bodyId = 'import-running';
    body = (
      <div style={{ padding: 48, textAlign: 'center' }}>
        <Spin size="large" />
        <div className="muted" style={{ marginTop: 12 }}>
          正在导入 {ready} 项任务…
        </div>
      </div>
    );
  } else if (committed?.state === 'done') {
    bodyId = 'import-result';
    body = (
      <Result
        status="success"
        title={`已导入 ${committed.created} 项任务，跳过 ${committed.skipped} 行`}
        subTitle={
          committed.issued
            ? '任务已下发，各牵头单位可以签收办理。'
            : '任务状态为“待下发”，可在任务列表中勾选后批量下发。'
        }
        extra={
          <Button
            type="primary"
            onClick={() => onClose({ created: committed.created })}
            data-testid="import-done"
          >
            完成
          </Button>
        }
      />
    );
  } else if (committed?.state === 'expired') {
    bodyId = 'import-expired';
    body = (
      <Result
        status="warning"
        title="导入预览已过期，请重新预览"
        subTitle={
          file
            ? `预览只保留一小时，应用重启后也会失效。点“重新预览”将再次读取「${file.name}」，已选的单位对应关系会保留。`
            : '预览只保留一小时，应用重启后也会失效。请重新选择文件预览。'
        }
        extra={
          <Space>
            {file && (
              <Button type="primary" onClick={() => void load(file, mapping)} data-testid="import-repreview">
                重新预览「{file.name}」
              </Button>
            )}
            <Button
              onClick={() => {
                setCommitted(null);
                setPreview(null);
                setStep(0);
              }}
            >
              选择其他文件
            </Button>
          </Space>
        }
      />
    );
  } else if (committed?.state === 'failed') {
    bodyId = 'import-failed';
    body = (
      <Result
        status="error"
        title="未导入"
        subTitle={`${committed.message}（没有写入任何任务）`}
        extra={
          <Button
            type="primary"
            onClick={() => {
              setCommitted(null);
              setStep(1);
            }}
          >
            返回预览
          </Button>
        }
      />
    );
  }

  return (
    <div data-testid="import-wizard">
      <Steps
        size="small"
        current={step}
        status={
          committed?.state === 'done'
            ? 'finish'
            : committed?.state === 'failed' || committed?.state === 'expired'
              ? 'error'
              : undefined
        }
        items={[{ title: '选择文件' }, { title: '预览与核对' }, { title: '完成' }]}
        style={{ marginBottom: 20 }}
      />
      <div data-testid={bodyId}>{body}</div>
      {footer && (
        <div
          style={{
            display: 'flex',
            alignItems: 'center',
            gap: 12,
            marginTop: 16,
            paddingTop: 12,
            borderTop: '1px solid #f0f0f0',
          }}
        >
          {footer}
        </div>
      )}
    </div>
  );
}

/** 从 Excel 导入任务. onClose gets { created } after a successful import. */
export function ImportTasksModal({
  open,
  onClose,
}: {
  open: boolean;
  onClose: (result?: { created: number }) => void;
}) {
  const { modal, message } = App.useApp();
  const status = useRef<WizardStatus>({ unsaved: false, busy: false });
  const onStatus = useCallback((s: WizardStatus) => {
    status.current = s;
  }, []);

  const requestClose = () => {
    const s = status.current;
    if (s.busy) {
      message.info('正在导入，请稍候。');
      return;
    }
    if (s.created !== undefined) {
      onClose({ created: s.created });
      return;
    }
    if (s.unsaved) {
      modal.confirm({
        title: '放弃本次导入？',
        content: '还没有导入任何任务，关闭后需要重新选择文件。',
        okText: '放弃',
        cancelText: '继续核对',
        onOk: () => onClose(),
      });
      return;
    }
    onClose();
  };

  return (
    <Modal
      open={open}
      title="从 Excel 导入任务"
      width="min(1280px, 96vw)"
      style={{ top: 24 }}
      footer={null}
      mask={{ closable: false }}
      destroyOnHidden
      onCancel={requestClose}
    >
      <Wizard
        onStatus={onStatus}
        onClose={(r) => {
          status.current = { unsaved: false, busy: false };
          onClose(r);
        }}
      />
    </Modal>
  );
}
