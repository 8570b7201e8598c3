/**
 * Rule sets and check runs in the workspace; per-department monthly rates; the five-category
 * rate fed to the compliance_rate metric.
 *
 * Rule sets: one row per code + version, id = stableId(code, version), so laptops that save (or
 * seed) the same version agree on one record. The CURRENT version of a code — the one new checks
 * use — is the highest version in natural order (「2026.2」 > 「2026.1」, 「2026.10」 > 「2026.9」,
 * 「2026.1-琼海」 > 「2026.1」), ties by the later save. Saving a NEW version lower than the
 * current one is refused (it would never be used); saving an existing code + version replaces
 * it. Bundled sets are written on first use; a user's edit of a bundled version is never
 * overwritten, and a removed bundled version stays removed (its deleted row is the tombstone
 * that keeps the seeding from bringing it back). A newer bundled version shipped later is added
 * and, being higher, becomes current.
 *
 * Runs: one row per checked file with the FileCheckResult as JSON and the error workbook as its
 * attachment. A month's rate per department sums the LATEST run per (department, rule set code):
 * re-checking a corrected file replaces the earlier result.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import {
  COMPLIANCE_CATEGORIES,
  COMPLIANCE_CATEGORY_LABELS,
  FIELD_FORMAT_LABELS,
  FileCheckResult,
  RuleSetDefinition,
  SEVERITY_LABELS,
  type ColumnMapping,
  type ComplianceCategory,
  type ComplianceOverview,
  type ComplianceRun,
  type ComplianceRunSummary,
  type DeptComplianceRow,
  type Finding,
  type RuleSet,
  type RuleSetDefinitionInput,
  type RuleSetSummary,
} from '../contract/compliance';
import { blobPath, mimeOf, putFile } from '../blobs/blobs';
import { createDeptMatcher, type DeptRef } from '../departments/match';
import { metricId, readMetricValue, writeMetricValue } from '../monitoring/metrics';
import type { Tx } from '../records/writer';
import { AppError } from '../util/errors';
import { stableId, uuidv7 } from '../util/ids';
import type { Workspace } from '../workspace/workspace';
import { BUILTIN_RULE_SETS } from './builtin';
import type { StoredRuleSet } from './types';

// ---------- rule sets ----------

export const ruleSetId = (code: string, version: string): string =>
  stableId(`compliance-rule-set:${code}:${version}`);

const versionCollator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

/** Natural order of versions: negative when a is older than b. */
export function compareVersions(a: string, b: string): number {
  return versionCollator.compare(a, b);
}

interface RuleSetRow {
  id: string;
  code: string;
  name: string;
  category: string;
  version: string;
  definition: string;
  builtin: number;
  updated_at: string;
  deleted: number;
}

const seeded = new WeakSet<Workspace>();

/**
 * Writes the bundled rule sets that this workspace has never had (by id: a deleted row counts as
 * had). Once per workspace and process; cheap afterwards.
 */
export function ensureBuiltinRuleSets(ws: Workspace): void {
  if (seeded.has(ws)) return;
  const defs = BUILTIN_RULE_SETS.map((d) => RuleSetDefinition.parse(d));
  const have = new Set(
    (ws.db.prepare('SELECT id FROM compliance_rule_sets').all() as { id: string }[]).map((r) => r.id),
  );
  const missing = defs.filter((d) => !have.has(ruleSetId(d.code, d.version)));
  if (missing.length > 0) {
    ws.writer.transact(ws.actor(), (tx) => {
      for (const d of missing) {
        tx.insert(
          'compliance_rule_set',
          {
            code: d.code,
            name: d.name,
            category: d.category,
            version: d.version,
            definition: d,
            builtin: true,
          },
          ruleSetId(d.code, d.version),
        );
      }
    });
  }
  seeded.add(ws);
}

interface ParsedRow {
  row: RuleSetRow;
  def: RuleSetDefinition;
}

/** Every stored, not deleted rule set whose definition parses (rows from a newer app are skipped). */
function loadRows(ws: Workspace): ParsedRow[] {
  const rows = ws.db
    .prepare('SELECT * FROM compliance_rule_sets WHERE deleted = 0 ORDER BY code, updated_at')
    .all() as RuleSetRow[];
  const out: ParsedRow[] = [];
  for (const row of rows) {
    let raw: unknown;
    try {
      raw = JSON.parse(row.definition);
    } catch {
      continue;
    }
    const parsed = RuleSetDefinition.safeParse(raw);
    if (parsed.success) out.push({ row, def: parsed.data });
  }
  return out;
}

/** Ids of the current version of each code. */
function currentIds(rows: ParsedRow[]): Set<string> {
  const best = new Map<string, ParsedRow>();
  for (const r of rows) {
    const b = best.get(r.row.code);
    if (
      !b ||
      compareVersions(r.row.version, b.row.version) > 0 ||
      (compareVersions(r.row.version, b.row.version) === 0 && r.row.updated_at > b.row.updated_at)
    )
      best.set(r.row.code, r);
  }
  return new Set([...best.values()].map((r) => r.row.id));
}

function toSummary(r: ParsedRow, current: boolean): RuleSetSummary {
  return {
    id: r.row.id,
    code: r.def.code,
    name: r.def.name,
    category: r.def.category,
    version: r.def.version,
    description: r.def.description,
    fieldCount: r.def.fields.length,
    requiredCount: r.def.fields.filter((f) => f.required).length,
    builtin: r.row.builtin === 1,
    current,
    updatedAt: r.row.updated_at,
  };
}

const CATEGORY_ORDER = new Map<string, number>(COMPLIANCE_CATEGORIES.map((c, i) => [c, i]));

/** Current versions first (by category, then name), then older versions (newest first). */
export function listRuleSets(ws: Workspace, all = false): RuleSetSummary[] {
  ensureBuiltinRuleSets(ws);
  const rows = loadRows(ws);
  const cur = currentIds(rows);
  const out = rows.filter((r) => all || cur.has(r.row.id)).map((r) => toSummary(r, cur.has(r.row.id)));
  return out.sort(
    (a, b) =>
      Number(b.current) - Number(a.current) ||
      (CATEGORY_ORDER.get(a.category) ?? 9) - (CATEGORY_ORDER.get(b.category) ?? 9) ||
      a.code.localeCompare(b.code) ||
      compareVersions(b.version, a.version),
  );
}

/** The current version of every code, as the engine chooses among them. */
export function currentRuleSets(ws: Workspace): StoredRuleSet[] {
  ensureBuiltinRuleSets(ws);
  const rows = loadRows(ws);
  const cur = currentIds(rows);
  return rows.filter((r) => cur.has(r.row.id)).map((r) => ({ id: r.row.id, definition: r.def }));
}

export function getRuleSet(ws: Workspace, id: string): RuleSet {
  ensureBuiltinRuleSets(ws);
  const rows = loadRows(ws);
  const r = rows.find((x) => x.row.id === id);
  if (!r) throw new AppError('NOT_FOUND', '该规则集不存在或已被删除。');
  return { ...toSummary(r, currentIds(rows).has(id)), definition: r.def };
}

/** The current rule set of a code (CLI --rules), or null. */
export function findRuleSetByCode(ws: Workspace, code: string): RuleSet | null {
  const s = listRuleSets(ws).find((x) => x.code === code);
  return s ? getRuleSet(ws, s.id) : null;
}

// ---------- validation with messages naming the field ----------

const PROP_LABELS: Record<string, string> = {
  code: '规则集代码',
  name: '名称',
  category: '类别',
  version: '版本',
  description: '说明',
  fields: '字段',
  rules: '跨字段规则',
  publicity: '公示期表',
  options: '选项',
  key: '字段代码',
  aliases: '别名',
  required: '必填',
  requiredWhen: '必填条件',
  format: '格式',
  codeList: '代码表',
  codePrefixes: '代码前缀',
  multiSeparators: '多值分隔符',
  maxLength: '最大长度',
  unique: '不可重复',
  idTypeField: '证件类型字段',
  note: '说明',
  field: '字段',
  op: '条件',
  values: '取值',
  kind: '规则类型',
  from: '起始',
  to: '截止',
  categoryField: '类别字段',
  codeField: '代码字段',
  whenField: '条件字段',
  words: '关键词',
  decisionDateField: '决定日期字段',
  deadlineField: '公示截止期字段',
  domainFields: '领域字段',
  id: '编号',
  minMonths: '最短月数',
  maxMonths: '最长月数',
  domains: '领域',
  keywords: '关键词',
  checkDigitSeverity: '校验位错误的级别',
  whitespaceSeverity: '空格和全角字符的级别',
  futureDateSeverity: '未来日期的级别',
  dateFormats: '日期格式',
  openEndValues: '表示长期有效的值',
};

const RULE_KIND_LABELS: Record<string, string> = {
  dateOrder: '日期先后',
  subjectPrefix: '相对人类别与代码一致',
  requiredIfContains: '按内容必填',
  publicity: '公示期',
};

function valueLabel(prop: string, v: unknown): string {
  const s = String(v);
  if (prop === 'format') return `${s}（${FIELD_FORMAT_LABELS[s as keyof typeof FIELD_FORMAT_LABELS] ?? s}）`;
  if (prop === 'category') return `${s}（${COMPLIANCE_CATEGORY_LABELS[s as ComplianceCategory] ?? s}）`;
  if (/Severity$/.test(prop)) return `${s}（${SEVERITY_LABELS[s as 'error' | 'warning'] ?? s}）`;
  if (prop === 'kind') return `${s}（${RULE_KIND_LABELS[s] ?? s}）`;
  return s;
}

function at(raw: unknown, key: PropertyKey): unknown {
  if (raw && typeof raw === 'object') return (raw as Record<PropertyKey, unknown>)[key];
  return undefined;
}

/** 「第 3 个字段「证件号码」的「格式」」 for the path ['fields', 2, 'format']. */
function describePath(raw: unknown, p: readonly PropertyKey[]): string {
  const parts: string[] = [];
  let node = raw;
  for (let i = 0; i < p.length; i++) {
    const k = p[i]!;
    const next = p[i + 1];
    if (typeof next === 'number' && (k === 'fields' || k === 'rules' || k === 'publicity')) {
      const item = at(at(node, k), next);
      const n = next + 1;
      if (k === 'fields') {
        const name = at(item, 'name');
        parts.push(`第 ${n} 个字段${typeof name === 'string' && name.trim() ? `「${name.trim()}」` : ''}`);
      } else if (k === 'rules') {
        const kind = at(item, 'kind');
        parts.push(
          `第 ${n} 条跨字段规则${typeof kind === 'string' && RULE_KIND_LABELS[kind] ? `（${RULE_KIND_LABELS[kind]}）` : ''}`,
        );
      } else {
        const id = at(item, 'id');
        parts.push(`公示期表第 ${n} 项${typeof id === 'string' ? `（${id}）` : ''}`);
      }
      node = item;
      i++;
      continue;
    }
    if (typeof k === 'number') {
      parts.push(`第 ${k + 1} 项`);
    } else {
      parts.push(`「${PROP_LABELS[String(k)] ?? String(k)}」`);
    }
    node = at(node, k);
  }
  return parts.join('的');
}

type Issue = z.core.$ZodIssue;

function issueText(raw: unknown, issue: Issue): string {
  const where = describePath(raw, issue.path);
  const last = issue.path[issue.path.length - 1];
  const prop = typeof last === 'string' ? last : '';
  let what = issue.message;
  if (issue.code === 'invalid_value' && issue.values.length > 0) {
    what = `只能是 ${issue.values.map((v) => valueLabel(prop, v)).join('、')}`;
  } else if (issue.code === 'invalid_union' && prop === '' && issue.path.length >= 2) {
    what = `规则类型只能是 ${Object.entries(RULE_KIND_LABELS)
      .map(([k, l]) => `${k}（${l}）`)
      .join('、')}，且需要该类型的全部字段`;
  } else if (issue.code === 'invalid_type' && issue.input === undefined) {
    what = '不能为空';
  }
  return where ? `${where}：${what}` : what;
}

/** Cross-field checks a schema cannot express: unique keys and names, references, code lists. */
function crossCheck(def: RuleSetDefinition): string[] {
  const problems: string[] = [];
  const keys = new Map<string, number>();
  const names = new Map<string, number>();
  def.fields.forEach((f, i) => {
    const k = keys.get(f.key);
    if (k !== undefined)
      problems.push(`第 ${i + 1} 个字段「${f.name}」的字段代码「${f.key}」与第 ${k + 1} 个字段重复`);
    else keys.set(f.key, i);
    const n = names.get(f.name);
    if (n !== undefined) problems.push(`第 ${i + 1} 个字段「${f.name}」与第 ${n + 1} 个字段同名`);
    else names.set(f.name, i);
  });
  const ref = (where: string, what: string, key: string) => {
    if (!keys.has(key))
      problems.push(`${where}：${what}引用的字段「${key}」不存在，请填写本规则集中的字段代码`);
  };
  def.fields.forEach((f, i) => {
    const where = `第 ${i + 1} 个字段「${f.name}」`;
    if (f.requiredWhen) ref(where, '必填条件', f.requiredWhen.field);
    if (f.idTypeField) ref(where, '证件类型字段', f.idTypeField);
    if (f.format === 'code' && f.codeList.length === 0)
      problems.push(`${where}：格式为「代码表」时需要填写代码表（允许的取值）`);
    if (f.requiredWhen && ['eq', 'ne', 'in', 'notIn', 'contains'].includes(f.requiredWhen.op)) {
      if (f.requiredWhen.values.length === 0) problems.push(`${where}：必填条件需要填写比较的取值`);
    }
  });
  def.rules.forEach((r, i) => {
    const where = `第 ${i + 1} 条跨字段规则（${RULE_KIND_LABELS[r.kind] ?? r.kind}）`;
    switch (r.kind) {
      case 'dateOrder':
        ref(where, '起始日期', r.from);
        ref(where, '截止日期', r.to);
        break;
      case 'subjectPrefix':
        ref(where, '类别字段', r.categoryField);
        ref(where, '代码字段', r.codeField);
        break;
      case 'requiredIfContains':
        ref(where, '必填字段', r.field);
        ref(where, '条件字段', r.whenField);
        break;
      case 'publicity':
        ref(where, '决定日期字段', r.decisionDateField);
        ref(where, '公示截止期字段', r.deadlineField);
        for (const d of r.domainFields) ref(where, '领域字段', d);
        if (def.publicity.length === 0) problems.push(`${where}：需要公示期表，请至少填写一个版本`);
        break;
    }
  });
  def.publicity.forEach((p, i) => {
    if (p.minMonths > p.maxMonths)
      problems.push(
        `公示期表第 ${i + 1} 项（${p.id}）：最短月数（${p.minMonths}）不能大于最长月数（${p.maxMonths}）`,
      );
  });
  return problems;
}

/** A rule set definition from anywhere (form, file): parsed and cross-checked, or BAD_INPUT in words. */
export function validateRuleSet(raw: unknown, source = '规则集'): RuleSetDefinition {
  const parsed = RuleSetDefinition.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 5).map((i) => issueText(raw, i));
    const more = parsed.error.issues.length > 5 ? `等 ${parsed.error.issues.length} 处问题` : '';
    throw new AppError('BAD_INPUT', `${source}有误${more}：${lines.join('；')}`, {
      issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), message: issueText(raw, i) })),
    });
  }
  const problems = crossCheck(parsed.data);
  if (problems.length > 0) {
    throw new AppError(
      'BAD_INPUT',
      `${source}有误：${problems.slice(0, 5).join('；')}${problems.length > 5 ? `（共 ${problems.length} 处）` : ''}`,
      { problems },
    );
  }
  return parsed.data;
}

/**
 * Saves a version: the same code + version replaces it (restoring it if it was removed); a new
 * version must be higher than the code's current one and becomes current.
 */
export function saveRuleSet(ws: Workspace, input: RuleSetDefinitionInput | RuleSetDefinition): RuleSet {
  ensureBuiltinRuleSets(ws);
  const def = validateRuleSet(input);
  const id = ruleSetId(def.code, def.version);
  const existing = ws.db.prepare('SELECT id FROM compliance_rule_sets WHERE id = ?').get(id);
  if (!existing) {
    const current = listRuleSets(ws).find((s) => s.code === def.code);
    if (current && compareVersions(def.version, current.version) < 0)
      throw new AppError(
        'BAD_INPUT',
        `规则集「${current.name}」（${def.code}）已有更高的版本「${current.version}」。新保存的版本号应高于它（例如「${current.version}-1」），否则新的检查不会使用它。`,
        { field: 'version' },
      );
  }
  const values = {
    code: def.code,
    name: def.name,
    category: def.category,
    version: def.version,
    definition: def,
    builtin: false,
  };
  ws.writer.transact(ws.actor(), (tx) => {
    const row = tx.get('compliance_rule_set', id);
    if (!row) tx.insert('compliance_rule_set', values, id);
    else {
      if (row.deleted === 1) tx.restore('compliance_rule_set', id);
      // an unchanged bundled definition stays marked bundled
      const same = row.definition === JSON.stringify(def);
      tx.update('compliance_rule_set', id, same ? { ...values, builtin: row.builtin === 1 } : values);
    }
  });
  return getRuleSet(ws, id);
}

/** Removes a version (a bundled one stays removed: its row is kept as deleted). */
export function removeRuleSet(ws: Workspace, id: string): void {
  const row = ws.db.prepare('SELECT id FROM compliance_rule_sets WHERE id = ? AND deleted = 0').get(id);
  if (!row) throw new AppError('NOT_FOUND', '该规则集不存在或已被删除。');
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('compliance_rule_set', id);
  });
}

const MAX_RULE_FILE_BYTES = 2 * 1024 * 1024;

/** Imports a .json rule set (the definition, as exportRuleSet writes it, or { definition }). */
export function importRuleSet(ws: Workspace, file: string, displayName?: string): RuleSet {
  const name = displayName ?? path.basename(file);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new AppError('NOT_FOUND', `找不到文件「${file}」。`, { file });
  }
  if (!st.isFile()) throw new AppError('BAD_INPUT', `「${name}」不是文件。`, { file });
  if (st.size > MAX_RULE_FILE_BYTES)
    throw new AppError('BAD_INPUT', `「${name}」超过 2 MB，不像规则集文件（.json）。`, { file });
  const text = fs.readFileSync(file, 'utf8').replace(/^\ufeff/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new AppError(
      'BAD_INPUT',
      `「${name}」不是有效的 JSON 文件（${(e as Error).message}）。请选择由“导出规则集”得到的 .json 文件。`,
      { file },
    );
  }
  if (raw && typeof raw === 'object' && !Array.isArray(raw) && 'definition' in raw && !('fields' in raw))
    raw = (raw as { definition: unknown }).definition;
  return saveRuleSet(ws, validateRuleSet(raw, `规则集文件「${name}」`));
}

/** The definition as pretty JSON (what importRuleSet reads back). */
export function exportRuleSet(ws: Workspace, id: string): { fileName: string; data: Buffer } {
  const r = getRuleSet(ws, id);
  const fileName = `规则集-${r.name}-${r.version}.json`.replace(/[\\/:*?"<>|]/g, '_');
  return { fileName, data: Buffer.from(`${JSON.stringify(r.definition, null, 2)}\n`, 'utf8') };
}

// ---------- runs ----------

interface RunRow {
  id: string;
  file_name: string;
  rule_set_code: string;
  rule_set_name: string;
  rule_set_version: string;
  category: ComplianceCategory;
  dept_id: string | null;
  dept_name: string | null;
  month: string;
  rows: number;
  error_rows: number;
  warning_rows: number;
  errors: number;
  warnings: number;
  rate: number;
  wrong_codes: number;
  checked_at: string;
  workbook_id: string | null;
}

const RUN_SELECT = `
  SELECT r.id, r.file_name, r.rule_set_code, r.rule_set_name, r.rule_set_version, r.category, r.dept_id,
    d.name AS dept_name, r.month, r.rows, r.error_rows, r.warning_rows, r.errors, r.warnings, r.rate,
    r.wrong_codes, r.checked_at,
    (SELECT a.id FROM attachments a WHERE a.owner_type = 'compliance_run' AND a.owner_id = r.id
       AND a.deleted = 0 ORDER BY a.created_at, a.id LIMIT 1) AS workbook_id
  FROM compliance_runs r LEFT JOIN departments d ON d.id = r.dept_id`;

function toRunSummary(r: RunRow): ComplianceRunSummary {
  return {
    id: r.id,
    fileName: r.file_name,
    ruleSetCode: r.rule_set_code,
    ruleSetName: r.rule_set_name,
    ruleSetVersion: r.rule_set_version,
    category: r.category,
    deptId: r.dept_id,
    deptName: r.dept_name,
    month: r.month,
    rows: r.rows,
    errorRows: r.error_rows,
    warningRows: r.warning_rows,
    errors: r.errors,
    warnings: r.warnings,
    rate: r.rate,
    checkedAt: r.checked_at,
    workbookId: r.workbook_id,
  };
}

export interface RecordRunInput {
  result: FileCheckResult;
  fileName: string;
  deptId: string | null;
  month: string;
  /** The written error workbook (copied into the workspace's files), null when none. */
  errorWorkbookPath: string | null;
}

/** The file name without its extension (「行政处罚.xlsx」 → 「行政处罚」). */
export function baseName(fileName: string): string {
  const b = path.basename(fileName.replace(/\\/g, '/'));
  const ext = path.extname(b);
  return ext && ext.length < b.length ? b.slice(0, -ext.length) : b;
}

/**
 * Largest stored result (JSON characters). The result is one synced field, and the sync protocol
 * takes at most 1 MB per value: a file full of long values could otherwise give a result no
 * laptop can push. The error workbook (an attachment) always has every finding.
 */
export const MAX_RESULT_CHARS = 512 * 1024;

/** The result, its first findings and the worst rows' findings shortened until it fits. */
export function fitForSync(result: FileCheckResult): FileCheckResult {
  let out = result;
  for (let guard = 0; guard < 20 && JSON.stringify(out).length > MAX_RESULT_CHARS; guard++) {
    if (out.sample.length > 20) {
      out = { ...out, sample: out.sample.slice(0, Math.floor(out.sample.length / 2)), sampleTruncated: true };
    } else if (out.worstRows.some((w) => w.findings.length > 3)) {
      out = { ...out, worstRows: out.worstRows.map((w) => ({ ...w, findings: w.findings.slice(0, 3) })) };
    } else {
      const shorten = (f: Finding): Finding => ({
        ...f,
        value: f.value === null ? null : f.value.slice(0, 40),
      });
      out = {
        ...out,
        sample: out.sample.map(shorten),
        worstRows: out.worstRows.map((w) => ({ ...w, findings: w.findings.map(shorten) })),
      };
      break;
    }
  }
  return out;
}

/**
 * Stores a checked file in ONE transaction: the run, its error workbook as an attachment, and
 * the month's compliance_rate metric recomputed.
 */
export function recordRun(ws: Workspace, input: RecordRunInput, now: Date): ComplianceRun {
  if (input.deptId) {
    const d = ws.db.prepare('SELECT 1 FROM departments WHERE id = ? AND deleted = 0').get(input.deptId);
    if (!d)
      throw new AppError('NOT_FOUND', '所选报送单位不存在或已被删除，请重新选择。', { field: 'deptId' });
  }
  // strip what is not part of the contract's FileCheckResult (e.g. errorWorkbookWritten)
  const result = fitForSync(FileCheckResult.parse(input.result));
  // the blob store is content-addressed: a file stored here and then not referenced is harmless
  const stored =
    input.errorWorkbookPath && fs.existsSync(input.errorWorkbookPath)
      ? putFile(ws.dir, input.errorWorkbookPath)
      : null;
  const wbName = `错误明细-${baseName(input.fileName)}.xlsx`.slice(0, 200);
  const { value: id } = ws.writer.transact(ws.actor(), (tx) => {
    const runId = tx.insert(
      'compliance_run',
      {
        file_name: input.fileName,
        rule_set_code: result.ruleSet.code,
        rule_set_name: result.ruleSet.name,
        rule_set_version: result.ruleSet.version,
        category: result.ruleSet.category,
        dept_id: input.deptId,
        month: input.month,
        rows: result.rows,
        error_rows: result.errorRows,
        warning_rows: result.warningRows,
        errors: result.errors,
        warnings: result.warnings,
        // two decimals, never rounded up to 100 while a row has an error (as every rate shown)
        rate: rateOf(result.rows, result.errorRows, 1) ?? 100,
        wrong_codes: result.wrongCodes,
        result,
        checked_at: now.toISOString(),
      },
      uuidv7(now.getTime()),
    );
    if (stored) {
      tx.insert('attachment', {
        owner_type: 'compliance_run',
        owner_id: runId,
        sha256: stored.sha256,
        name: wbName,
        size: stored.size,
        mime: mimeOf(wbName),
      });
    }
    refreshComplianceMetricTx(ws, tx, input.month);
    return runId;
  });
  return getRun(ws, id);
}

export function listRuns(
  ws: Workspace,
  q: { deptId?: string | null; month?: string; limit?: number } = {},
): ComplianceRunSummary[] {
  const where = ['r.deleted = 0'];
  const params: unknown[] = [];
  if (q.deptId !== undefined) {
    if (q.deptId === null) where.push('r.dept_id IS NULL');
    else {
      where.push('r.dept_id = ?');
      params.push(q.deptId);
    }
  }
  if (q.month) {
    where.push('r.month = ?');
    params.push(q.month);
  }
  const rows = ws.db
    .prepare(`${RUN_SELECT} WHERE ${where.join(' AND ')} ORDER BY r.checked_at DESC, r.id DESC LIMIT ?`)
    .all(...params, q.limit ?? 200) as RunRow[];
  return rows.map(toRunSummary);
}

export function getRun(ws: Workspace, id: string): ComplianceRun {
  const r = ws.db.prepare(`${RUN_SELECT} WHERE r.id = ? AND r.deleted = 0`).get(id) as RunRow | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该检查记录不存在或已被删除。');
  const raw = ws.db.prepare('SELECT result FROM compliance_runs WHERE id = ?').get(id) as { result: string };
  return { ...toRunSummary(r), result: FileCheckResult.parse(JSON.parse(raw.result)) };
}

/** Removes a run (and its workbook) and recomputes its month's metric, in one transaction. */
export function removeRun(ws: Workspace, id: string): void {
  const r = ws.db.prepare('SELECT month FROM compliance_runs WHERE id = ? AND deleted = 0').get(id) as
    { month: string } | undefined;
  if (!r) throw new AppError('NOT_FOUND', '该检查记录不存在或已被删除。');
  const atts = ws.db
    .prepare(
      "SELECT id FROM attachments WHERE owner_type = 'compliance_run' AND owner_id = ? AND deleted = 0",
    )
    .all(id) as { id: string }[];
  ws.writer.transact(ws.actor(), (tx) => {
    tx.remove('compliance_run', id);
    for (const a of atts) tx.remove('attachment', a.id);
    refreshComplianceMetricTx(ws, tx, r.month);
  });
}

/** Where a run's error workbook is on this laptop. */
export interface RunWorkbook {
  runFileName: string;
  name: string;
  sha256: string;
  /** The blob's path; exists only when `available`. */
  path: string;
  available: boolean;
}

/** The run's error workbook, or NOT_FOUND in words (no findings, or removed). */
export function runWorkbook(ws: Workspace, id: string): RunWorkbook {
  const run = ws.db.prepare('SELECT file_name FROM compliance_runs WHERE id = ? AND deleted = 0').get(id) as
    { file_name: string } | undefined;
  if (!run) throw new AppError('NOT_FOUND', '该检查记录不存在或已被删除。');
  const a = ws.db
    .prepare(
      "SELECT name, sha256 FROM attachments WHERE owner_type = 'compliance_run' AND owner_id = ? AND deleted = 0 ORDER BY created_at, id LIMIT 1",
    )
    .get(id) as { name: string; sha256: string } | undefined;
  if (!a) throw new AppError('NOT_FOUND', `「${run.file_name}」检查时没有发现问题，没有错误明细可以导出。`);
  const p = blobPath(ws.dir, a.sha256);
  return { runFileName: run.file_name, name: a.name, sha256: a.sha256, path: p, available: fs.existsSync(p) };
}

/** The error workbook's bytes; NOT_FOUND when the run had no findings or the file is not here yet. */
export function exportRunErrors(ws: Workspace, id: string): { fileName: string; data: Buffer } {
  const wb = runWorkbook(ws, id);
  if (!wb.available)
    throw new AppError(
      'NOT_FOUND',
      `「${wb.runFileName}」的错误明细还不在这台电脑上（检查是在另一台电脑上做的，文件尚未同步过来）。请联网同步后重试，或重新检查该文件。`,
    );
  return { fileName: wb.runFileName, data: fs.readFileSync(wb.path) };
}

// ---------- rates, overview and the metric feed ----------

/**
 * (rows − errorRows) / rows × 100 to two decimals, never rounded up to 100 while a row has an
 * error (99.996 shows as 99.99, not as the target); 100 for checked files without rows; null
 * when nothing was checked.
 */
export function rateOf(rows: number, errorRows: number, files: number): number | null {
  if (files === 0) return null;
  if (rows <= 0) return 100;
  if (errorRows <= 0) return 100;
  const r = Math.floor(((rows - errorRows) * 10000) / rows) / 100;
  return Math.min(r, 99.99);
}

interface LatestRun {
  id: string;
  dept_id: string | null;
  month: string;
  rule_set_code: string;
  category: ComplianceCategory;
  rows: number;
  error_rows: number;
  wrong_codes: number;
}

/** The latest run per (month, department, rule set code) for months in [from, to]. */
function latestRuns(ws: Workspace, from: string, to: string): LatestRun[] {
  const rows = ws.db
    .prepare(
      `SELECT id, dept_id, month, rule_set_code, category, rows, error_rows, wrong_codes
       FROM compliance_runs WHERE deleted = 0 AND month >= ? AND month <= ?
       ORDER BY checked_at, id`,
    )
    .all(from, to) as LatestRun[];
  const latest = new Map<string, LatestRun>();
  for (const r of rows) latest.set(`${r.month}|${r.dept_id ?? ''}|${r.rule_set_code}`, r);
  return [...latest.values()];
}

interface Sum {
  rows: number;
  errorRows: number;
  files: number;
  wrongCodes: number;
}
const emptySum = (): Sum => ({ rows: 0, errorRows: 0, files: 0, wrongCodes: 0 });
function add(s: Sum, r: LatestRun): void {
  s.rows += r.rows;
  s.errorRows += r.error_rows;
  s.files += 1;
  s.wrongCodes += r.wrong_codes;
}

export const AUTO_NOTE_PREFIX = '由数据合规检查自动计算';

/** Months from `to` back, oldest first: monthsBack('2027-03', 3) → 2027-01, 2027-02, 2027-03. */
export function monthsBack(to: string, n: number): string[] {
  const y = Number(to.slice(0, 4));
  const m = Number(to.slice(5, 7));
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const t = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}

function localMonth(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
}

/**
 * Sets the month's compliance_rate to the five-category rate of its latest runs, inside `tx`.
 * A value computed earlier is updated or (no five-category run left) removed; a hand-entered
 * value is replaced only by a computed one, and the note says so.
 */
function refreshComplianceMetricTx(ws: Workspace, tx: Tx, month: string): void {
  const sum = emptySum();
  for (const r of latestRuns(ws, month, month)) if (r.category === 'five') add(sum, r);
  const existing = readMetricValue(ws, 'compliance_rate', month);
  const auto = existing !== null && (existing.note ?? '').startsWith(AUTO_NOTE_PREFIX);
  if (sum.files === 0) {
    if (existing && auto) tx.remove('metric_value', metricId('compliance_rate', month));
    return;
  }
  const value = rateOf(sum.rows, sum.errorRows, sum.files) ?? 100;
  let note = `${AUTO_NOTE_PREFIX}（${sum.files} 个文件，${sum.rows} 行）`;
  if (existing && !auto) {
    note += `；替换了手工填写的 ${existing.value}%${existing.note ? `（备注：${existing.note.slice(0, 100)}）` : ''}`;
  } else if (existing && auto) {
    // keep the record of a replaced hand-entered value
    const replaced = /；替换了手工填写的.*$/.exec(existing.note ?? '');
    if (replaced) note += replaced[0];
  }
  writeMetricValue(tx, { metric: 'compliance_rate', month, value, base: null, note });
}

/** refreshComplianceMetric in its own transaction (after runs arrived from another laptop). */
export function refreshComplianceMetric(ws: Workspace, month: string): void {
  ws.writer.transact(ws.actor(), (tx) => refreshComplianceMetricTx(ws, tx, month));
}

/**
 * Recomputes compliance_rate for every month with runs (also removed ones) or an automatic value,
 * in one transaction: after runs arrive from another laptop (the sync pull commits them without
 * going through recordRun). Nothing is written when every value is already right.
 */
export function refreshAllComplianceMetrics(ws: Workspace): void {
  const months = new Set(
    (ws.db.prepare('SELECT DISTINCT month FROM compliance_runs').all() as { month: string }[]).map(
      (r) => r.month,
    ),
  );
  for (const r of ws.db
    .prepare(
      "SELECT month FROM metric_values WHERE metric = 'compliance_rate' AND deleted = 0 AND note LIKE ?",
    )
    .all(`${AUTO_NOTE_PREFIX}%`) as { month: string }[])
    months.add(r.month);
  if (months.size === 0) return;
  ws.writer.transact(ws.actor(), (tx) => {
    for (const m of months) refreshComplianceMetricTx(ws, tx, m);
  });
}

/**
 * The month's rates: per category, per department (「未指定单位」 for runs without one; the
 * latest run per rule set code, summed; worst first, departments without a check that month
 * last) with each department's history over `monthsCount` months, the five-category rate and
 * the wrong codes. Default month: the latest with runs, else the current month.
 */
export function complianceOverview(
  ws: Workspace,
  opts: { month?: string; months?: number },
  now: Date,
): ComplianceOverview {
  const withRuns = (
    ws.db
      .prepare('SELECT DISTINCT month FROM compliance_runs WHERE deleted = 0 ORDER BY month DESC')
      .all() as { month: string }[]
  ).map((r) => r.month);
  const month = opts.month ?? withRuns[0] ?? localMonth(now);
  const window = monthsBack(month, opts.months ?? 12);
  const runs = latestRuns(ws, window[0]!, month);

  const categories = new Map<ComplianceCategory, Sum>(COMPLIANCE_CATEGORIES.map((c) => [c, emptySum()]));
  const total = emptySum();
  const perDept = new Map<string, Map<string, Sum>>();
  for (const r of runs) {
    const key = r.dept_id ?? '';
    let months = perDept.get(key);
    if (!months) perDept.set(key, (months = new Map()));
    let s = months.get(r.month);
    if (!s) months.set(r.month, (s = emptySum()));
    add(s, r);
    if (r.month === month) {
      add(categories.get(r.category) ?? emptySum(), r);
      add(total, r);
    }
  }
  const names = new Map(
    (ws.db.prepare('SELECT id, name FROM departments').all() as { id: string; name: string }[]).map((d) => [
      d.id,
      d.name,
    ]),
  );
  const departments: DeptComplianceRow[] = [...perDept.entries()].map(([key, months]) => {
    const cur = months.get(month) ?? emptySum();
    return {
      deptId: key || null,
      deptName: key ? (names.get(key) ?? '（已删除的单位）') : '未指定单位',
      rows: cur.rows,
      errorRows: cur.errorRows,
      rate: rateOf(cur.rows, cur.errorRows, cur.files),
      files: cur.files,
      history: window.map((m) => {
        const s = months.get(m);
        return { month: m, rate: s ? rateOf(s.rows, s.errorRows, s.files) : null };
      }),
    };
  });
  departments.sort(
    (a, b) =>
      (a.rate === null ? 1 : 0) - (b.rate === null ? 1 : 0) ||
      (a.rate ?? 0) - (b.rate ?? 0) ||
      b.errorRows - a.errorRows ||
      a.deptName.localeCompare(b.deptName, 'zh'),
  );
  const five = categories.get('five') ?? emptySum();
  return {
    month,
    months: withRuns,
    categories: COMPLIANCE_CATEGORIES.map((c) => {
      const s = categories.get(c) ?? emptySum();
      return {
        category: c,
        rows: s.rows,
        errorRows: s.errorRows,
        rate: rateOf(s.rows, s.errorRows, s.files),
      };
    }),
    departments,
    fiveCategoryRate: rateOf(five.rows, five.errorRows, five.files),
    wrongCodes: total.wrongCodes,
  };
}

// ---------- department suggestion ----------

const UNIT_HEADER = /数据来源单位|实施机关|处罚机关|许可机关|决定机关|认定机关|实施部门|报送单位/;

/**
 * The department a file comes from: the unit named in the first rows' 数据来源单位 / 实施机关 /
 * 处罚机关 … column (the most frequent exact or normalised match), else a department named in
 * the file name (a part between separators matched like an import, else the longest name, short
 * name or alias contained in it, when only one department has it). Null when unsure.
 */
export function suggestDepartment(
  ws: Workspace,
  fileName: string,
  columns: readonly ColumnMapping[],
  rows: readonly { cells: readonly string[] }[],
): string | null {
  const depts: DeptRef[] = (
    ws.db
      .prepare('SELECT id, name, short_name, aliases FROM departments WHERE deleted = 0 AND archived = 0')
      .all() as { id: string; name: string; short_name: string | null; aliases: string }[]
  ).map((d) => {
    let aliases: string[] = [];
    try {
      const a: unknown = JSON.parse(d.aliases);
      if (Array.isArray(a)) aliases = a.filter((x): x is string => typeof x === 'string');
    } catch {
      // no aliases
    }
    return { id: d.id, name: d.name, shortName: d.short_name, aliases };
  });
  if (depts.length === 0) return null;
  const city =
    (ws.db.prepare('SELECT city FROM workspace WHERE id = ?').get(ws.id) as { city: string } | undefined)
      ?.city ?? '';
  const matcher = createDeptMatcher(depts, city);

  const unitCols = columns
    .filter((c) => {
      const label = c.fieldName ?? c.header;
      return UNIT_HEADER.test(label) && !/代码|编码/.test(label);
    })
    .map((c) => c.index);
  if (unitCols.length > 0) {
    const votes = new Map<string, number>();
    for (const r of rows.slice(0, 50)) {
      for (const i of unitCols) {
        const v = r.cells[i]?.trim();
        if (!v) continue;
        const m = matcher.match(v);
        if (m.deptId) votes.set(m.deptId, (votes.get(m.deptId) ?? 0) + 1);
      }
    }
    const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
    if (ranked[0] && (ranked.length === 1 || ranked[0][1] > (ranked[1]?.[1] ?? 0))) return ranked[0][0];
  }

  const base = baseName(fileName).normalize('NFKC');
  const parts = base.split(/[-_—\s、，,（）()【】[\]《》]+/).filter((p) => p.length >= 2);
  const byPart = new Set<string>();
  for (const p of parts) {
    const m = matcher.match(p);
    if (m.deptId) byPart.add(m.deptId);
  }
  if (byPart.size === 1) return [...byPart][0] ?? null;
  if (byPart.size > 1) return null;
  let best: { id: string; len: number } | null = null;
  let tie = false;
  for (const d of depts) {
    for (const form of [d.name, d.shortName ?? '', ...d.aliases]) {
      const f = form.normalize('NFKC').trim();
      if (f.length < 2 || !base.includes(f)) continue;
      if (!best || f.length > best.len) {
        best = { id: d.id, len: f.length };
        tie = false;
      } else if (f.length === best.len && best.id !== d.id) tie = true;
    }
  }
  return best && !tie ? best.id : null;
}
