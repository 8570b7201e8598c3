import { EditOutlined, SaveOutlined } from '@ant-design/icons';
import { Alert, App, Button, Drawer, Input, Radio, Skeleton, Table, Tag, Tooltip } from 'antd';
import { useMemo, useState } from 'react';
import type {
  CrossRule,
  PublicityVersion,
  RuleField,
  RuleSet,
  RuleSetDefinition,
  Severity,
} from '../../../../main/core/contract/compliance';
import { FIELD_FORMAT_LABELS } from '../../../../main/core/contract/labels';
import { ApiError, call, errorMessage, useCommandQuery } from '../../api';
import { CATEGORY_COLOR, COMPLIANCE_CATEGORY_LABELS, conditionText, SEVERITY_LABELS } from './kit';
import { FieldModal } from './FieldModal';

function ruleText(r: CrossRule, fields: RuleField[]): string {
  const n = (k: string) => fields.find((f) => f.key === k)?.name ?? k;
  switch (r.kind) {
    case 'dateOrder':
      return `${n(r.from)} 不晚于 ${n(r.to)}`;
    case 'subjectPrefix':
      return `${n(r.categoryField)} 与 ${n(r.codeField)} 的前两位一致（如 92 开头为个体工商户）`;
    case 'requiredIfContains':
      return `${n(r.whenField)} 含「${r.words.join('」或「')}」时，${n(r.field)} 必填`;
    case 'publicity':
      return `${n(r.deadlineField)} 按公示期限表核对（以 ${n(r.decisionDateField)} 确定适用的规定）`;
  }
}

/**
 * Puts the core's refusal on what it names: `字段「definition.fields.3.codeList」：…` on field 4's
 * row, `…version` on the version input; the rest is returned for an Alert.
 */
function placeErrors(e: unknown): {
  rows: Map<number, string[]>;
  version: string | null;
  rest: string | null;
} {
  const text = errorMessage(e);
  const rows = new Map<number, string[]>();
  let version: string | null = null;
  const rest: string[] = [];
  if (!(e instanceof ApiError) || e.code !== 'BAD_INPUT') return { rows, version, rest: text };
  const detailField = typeof e.details?.field === 'string' ? e.details.field : null;
  for (const part of text.split('；')) {
    const m = /^字段「([^」]+)」：(.*)$/.exec(part);
    const path = m?.[1] ?? detailField ?? '';
    const msg = m?.[2] ?? part;
    const fm = /(?:^|\.)fields\.(\d+)(?:\.|$)/.exec(path);
    if (fm) rows.set(Number(fm[1]), [...(rows.get(Number(fm[1])) ?? []), msg]);
    else if (/(?:^|\.)version$/.test(path)) version = msg;
    else rest.push(part);
  }
  return { rows, version, rest: rest.length ? rest.join('；') : null };
}

/** Aliases shown as tags before 「+n」 (the rest in its tooltip). */
const ALIASES_SHOWN = 4;

const SEVERITY_OPTIONS = (['error', 'warning'] as Severity[]).map((s) => ({
  value: s,
  label: SEVERITY_LABELS[s],
}));

type SeverityOption = 'checkDigitSeverity' | 'whitespaceSeverity' | 'futureDateSeverity';

/** The rule set's severity options, as shown in 检查选项. */
const SEVERITY_SETTINGS: { key: SeverityOption; label: string; hint?: string }[] = [
  {
    key: 'checkDigitSeverity',
    label: '校验码不符（统一社会信用代码、身份证号）记为',
    hint: '部分历史代码确实存在校验码不符，需要时可先记为警告',
  },
  { key: 'whitespaceSeverity', label: '多余空格、全角字符记为' },
  { key: 'futureDateSeverity', label: '晚于检查当天的日期记为' },
];

/** View and edit one rule set version; 保存为新版本 writes a new version through the core. */
export function RuleSetDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const q = useCommandQuery('compliance.ruleSet', { id: id ?? '' }, { enabled: !!id });
  const rs: RuleSet | undefined = q.data;
  return (
    <Drawer
      open={!!id}
      onClose={onClose}
      size={1080}
      destroyOnHidden
      title={rs ? `${rs.name} · ${rs.version}` : '规则集'}
      data-testid="ruleset-drawer"
    >
      {q.isPending && id ? (
        <Skeleton active />
      ) : q.isError ? (
        <Alert type="error" showIcon title="无法打开规则集" description={q.error.message} />
      ) : rs ? (
        <RuleSetEditor key={`${rs.id}:${rs.updatedAt}`} rs={rs} onSaved={onClose} />
      ) : null}
    </Drawer>
  );
}

function RuleSetEditor({ rs, onSaved }: { rs: RuleSet; onSaved: () => void }) {
  const { message } = App.useApp();
  const [draft, setDraft] = useState<RuleSetDefinition>(() => structuredClone(rs.definition));
  const [editing, setEditing] = useState<number | null>(null);
  const [version, setVersion] = useState('');
  const [versionError, setVersionError] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<Map<number, string[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const dirty = useMemo(() => JSON.stringify(rs.definition) !== JSON.stringify(draft), [rs, draft]);

  const save = async () => {
    const v = version.trim();
    if (!v) return setVersionError('请填写新版本号');
    if (v === rs.version) return setVersionError(`新版本号不能与当前版本「${rs.version}」相同`);
    setSaving(true);
    setError(null);
    setVersionError(null);
    setRowErrors(new Map());
    try {
      const saved = await call('compliance.saveRuleSet', { definition: { ...draft, version: v } });
      message.success(`已保存「${saved.name}」${saved.version} 版，新的检查将使用这个版本`);
      onSaved();
    } catch (e) {
      const placed = placeErrors(e);
      setRowErrors(placed.rows);
      setVersionError(placed.version);
      setError(placed.rest ?? (placed.rows.size ? '有字段不符合要求，见字段表中标红的行' : null));
    } finally {
      setSaving(false);
    }
  };

  const fields = draft.fields;
  const setOption = (k: SeverityOption, s: Severity) =>
    setDraft({ ...draft, options: { ...draft.options, [k]: s } });

  return (
    <div className="cmp-rs">
      <div className="cmp-rs-bar">
        <div className="cmp-rs-meta">
          <Tag color={CATEGORY_COLOR[rs.category]}>{COMPLIANCE_CATEGORY_LABELS[rs.category]}</Tag>
          <span>
            代码 <code>{rs.code}</code>
          </span>
          <span>{rs.builtin ? '内置规则集' : '自定义规则集'}</span>
          {rs.current && <Tag color="green">当前版本</Tag>}
          {dirty && <Tag color="orange">有未保存的修改</Tag>}
        </div>
        <div className="cmp-save">
          <Tooltip title={versionError} open={!!versionError} color="#d64541" placement="bottom">
            <Input
              value={version}
              onChange={(e) => {
                setVersion(e.target.value);
                setVersionError(null);
              }}
              status={versionError ? 'error' : undefined}
              placeholder="新版本号，如 2027.1"
              style={{ width: 190 }}
              maxLength={50}
              data-testid="ruleset-version"
            />
          </Tooltip>
          <Button
            type="primary"
            icon={<SaveOutlined />}
            loading={saving}
            onClick={() => void save()}
            data-testid="ruleset-save"
          >
            保存为新版本
          </Button>
        </div>
      </div>
      {rs.description && <div className="page-sub">{rs.description}</div>}
      {error && (
        <Alert type="error" showIcon title="未能保存" description={error} data-testid="ruleset-error" />
      )}

      <div className="cmp-box-title">
        字段
        <span className="cmp-box-sub">
          共 {fields.length} 个，必填 {fields.filter((f) => f.required).length} 个
        </span>
      </div>
      <Table<RuleField>
        size="small"
        rowKey="key"
        dataSource={fields}
        pagination={false}
        scroll={{ x: 1000 }}
        data-testid="ruleset-fields"
        rowClassName={(_, i) => (rowErrors.has(i) ? 'cmp-row-error' : '')}
        columns={[
          {
            title: '字段',
            key: 'name',
            width: 170,
            render: (_: unknown, f, i) => (
              <div>
                <div className="cmp-field-name">{f.name}</div>
                <code className="muted">{f.key}</code>
                {rowErrors.get(i)?.map((m) => (
                  <div key={m} className="cmp-text-danger cmp-field-err">
                    {m}
                  </div>
                ))}
              </div>
            ),
          },
          {
            title: '别名',
            dataIndex: 'aliases',
            render: (v: string[]) =>
              v.length ? (
                <div className="cmp-tags">
                  {v.slice(0, ALIASES_SHOWN).map((a) => (
                    <Tag key={a}>{a}</Tag>
                  ))}
                  {v.length > ALIASES_SHOWN && (
                    <Tooltip title={v.slice(ALIASES_SHOWN).join('、')}>
                      <Tag className="cmp-more">+{v.length - ALIASES_SHOWN}</Tag>
                    </Tooltip>
                  )}
                </div>
              ) : (
                <span className="muted">—</span>
              ),
          },
          {
            title: '必填',
            key: 'required',
            width: 150,
            render: (_: unknown, f) =>
              f.required ? (
                <Tag color="red">必填</Tag>
              ) : f.requiredWhen ? (
                <span className="cmp-cond">{conditionText(f.requiredWhen, fields)}</span>
              ) : (
                <span className="muted">选填</span>
              ),
          },
          {
            title: '格式',
            key: 'format',
            width: 130,
            render: (_: unknown, f) => (
              <span>
                {FIELD_FORMAT_LABELS[f.format]}
                {f.maxLength !== null && <span className="muted">，≤ {f.maxLength} 字</span>}
                {f.unique && <span className="muted">，不重复</span>}
              </span>
            ),
          },
          {
            title: '代码表',
            dataIndex: 'codeList',
            width: 180,
            render: (v: string[], f) =>
              v.length || f.codePrefixes.length ? (
                <Tooltip title={[...v, ...f.codePrefixes.map((p) => `${p}…`)].join('、')}>
                  <span className="cmp-codes">
                    {[...v, ...f.codePrefixes.map((p) => `${p}…`)].join('、')}
                  </span>
                </Tooltip>
              ) : (
                <span className="muted">—</span>
              ),
          },
          {
            title: '',
            key: 'ops',
            width: 48,
            fixed: 'right',
            render: (_: unknown, _f, i) => (
              <Button
                size="small"
                type="text"
                icon={<EditOutlined />}
                title="修改"
                onClick={() => setEditing(i)}
                data-testid="field-edit"
              />
            ),
          },
        ]}
      />

      <div className="cmp-box-title">检查选项</div>
      <div className="cmp-options" data-testid="ruleset-options">
        {SEVERITY_SETTINGS.map(({ key, label, hint }) => (
          <div key={key}>
            <div className="cmp-option-label">{label}</div>
            <Radio.Group
              optionType="button"
              size="small"
              options={SEVERITY_OPTIONS}
              value={draft.options[key]}
              onChange={(e) => setOption(key, e.target.value as Severity)}
            />
            {hint && <div className="page-sub">{hint}</div>}
          </div>
        ))}
        <div>
          <div className="cmp-option-label">接受的日期格式</div>
          <div className="cmp-tags">
            {draft.options.dateFormats.map((f) => (
              <Tag key={f}>{f}</Tag>
            ))}
          </div>
        </div>
      </div>

      {draft.rules.length > 0 && (
        <>
          <div className="cmp-box-title">跨字段规则</div>
          <ul className="cmp-rules">
            {draft.rules.map((r, i) => (
              <li key={i}>{ruleText(r, fields)}</li>
            ))}
          </ul>
        </>
      )}

      {draft.publicity.length > 0 && (
        <>
          <div className="cmp-box-title">
            公示期限<span className="cmp-box-sub">按决定日期选用对应规定（只读）</span>
          </div>
          <Table<PublicityVersion>
            size="small"
            rowKey="id"
            dataSource={draft.publicity}
            pagination={false}
            data-testid="ruleset-publicity"
            columns={[
              { title: '规定', dataIndex: 'name', ellipsis: true },
              { title: '适用于决定日期', dataIndex: 'from', width: 150, render: (v: string) => `${v} 起` },
              {
                title: '公示期限',
                key: 'months',
                width: 150,
                render: (_: unknown, p) => `${p.minMonths} – ${p.maxMonths} 个月`,
              },
              {
                title: '特定领域',
                dataIndex: 'domains',
                render: (v: PublicityVersion['domains']) =>
                  v.length
                    ? v.map((d) => `${d.keywords.join('、')}：不少于 ${d.minMonths} 个月`).join('；')
                    : '—',
              },
            ]}
          />
        </>
      )}
      <FieldModal
        field={editing === null ? null : (fields[editing] ?? null)}
        onClose={() => setEditing(null)}
        onSave={(f) => {
          if (editing === null) return;
          setDraft({ ...draft, fields: fields.map((x, i) => (i === editing ? f : x)) });
          setRowErrors((m) => {
            const n = new Map(m);
            n.delete(editing);
            return n;
          });
          setEditing(null);
        }}
      />
    </div>
  );
}
