/**
 * Contract schemas of the data-compliance checks: rule sets as data (versioned, editable,
 * importable), file preview (encoding, header row, column mapping), check runs with their
 * findings summary, per-department monthly rates and the error workbook.
 *
 * A rule set is plain data so provinces' variants can be imported and edited; the engine in
 * main/core/compliance compiles it once per file into fast row checks.
 */
import { z } from 'zod';
import { DateStr, Id, MonthStr, NonEmpty } from './common';
import {
  COMPLIANCE_CATEGORIES,
  COMPLIANCE_CATEGORY_LABELS,
  FIELD_FORMAT_LABELS,
  FIELD_FORMATS,
  SEVERITIES,
  SEVERITY_LABELS,
} from './labels';
import { ExportResult, ExportTarget, FileRef } from './supervision';

// The label constants live in ./labels (the renderer may import that file at runtime); they are
// re-exported here for the core's convenience.
export {
  COMPLIANCE_CATEGORIES,
  COMPLIANCE_CATEGORY_LABELS,
  FIELD_FORMAT_LABELS,
  FIELD_FORMATS,
  SEVERITY_LABELS,
};

// ---------- rule sets ----------

/** 双公示 (行政许可/行政处罚), the five 行政管理信息 categories, the six 特定信用信息 kinds. */
export const ComplianceCategory = z.enum(COMPLIANCE_CATEGORIES);
export type ComplianceCategory = z.infer<typeof ComplianceCategory>;

export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

/**
 * What a field's values must look like.
 * - text: free text (whitespace/full-width and maxLength checks only)
 * - uscc: 统一社会信用代码 (GB 32100: charset, mod-31 check, mod-11 organisation-code check)
 * - org_code: 组织机构代码 (GB 11714, 9 characters with check)
 * - id_number: a certificate number; validated as 身份证 (GB 11643, 18 or legacy 15 digits)
 *   when the field named by `idTypeField` says 身份证 (or always when idTypeField is absent)
 * - date: a calendar date in an accepted format, not in the future
 * - amount: a non-negative number in 万元
 * - code: one of codeList (or starting with one of codePrefixes)
 * - doc_no: a decision document number (text; uniqueness via `unique`)
 */
export const FieldFormat = z.enum(FIELD_FORMATS);
export type FieldFormat = z.infer<typeof FieldFormat>;

/** A condition on another field of the same row (by field key). */
export const FieldCondition = z.object({
  field: z.string().min(1).max(100),
  op: z.enum(['eq', 'ne', 'in', 'notIn', 'contains', 'notEmpty', 'empty']),
  values: z.array(z.string().max(200)).max(200).default([]),
});
export type FieldCondition = z.infer<typeof FieldCondition>;

export const RuleField = z.object({
  /** Stable key, e.g. CF_XDR_MC; also accepted as a header. */
  key: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/, '字段代码只能包含字母、数字和下划线，且以字母开头'),
  /** The standard's column name, e.g. 行政相对人名称. */
  name: NonEmpty('字段名称', 100),
  /** Other names seen in departments' files (old standard names, abbreviations). */
  aliases: z.array(z.string().trim().min(1).max(100)).max(50).default([]),
  required: z.boolean().default(false),
  /** Required only when this holds (e.g. 证件号码 when 行政相对人类别 = 自然人). */
  requiredWhen: FieldCondition.nullable().default(null),
  format: FieldFormat.default('text'),
  /** Allowed values for format 'code'. */
  codeList: z.array(z.string().trim().min(1).max(100)).max(500).default([]),
  /** Also allowed: values starting with one of these (e.g. 「其他-」). */
  codePrefixes: z.array(z.string().trim().min(1).max(50)).max(20).default([]),
  /** Several code values in one cell, split by any of these characters (e.g. 「,，;；、」). */
  multiSeparators: z.string().max(20).default(''),
  maxLength: z.number().int().min(1).max(10000).nullable().default(null),
  /** A value may appear only once in the file (e.g. 决定书文号). */
  unique: z.boolean().default(false),
  /** For id_number: key of the 证件类型 field deciding how the number is checked. */
  idTypeField: z.string().max(100).nullable().default(null),
  note: z.string().max(1000).default(''),
});
export type RuleField = z.infer<typeof RuleField>;

/** Publicity periods (DOMAIN.md §7.1), one entry per rule version, chosen by decision date. */
export const PublicityVersion = z.object({
  /** e.g. 527号, 过渡期, 58号令, 36号令 */
  id: z.string().min(1).max(50),
  name: z.string().min(1).max(200),
  /** Applies to decisions on or after this date (until the next version's start). */
  from: DateStr,
  /** Shortest and longest publicity, in months, over all severity classes. */
  minMonths: z.number().int().min(0).max(120),
  maxMonths: z.number().int().min(0).max(240),
  /** Longer shortest periods for some domains (食品、药品、特种设备、安全生产、消防). */
  domains: z
    .array(
      z.object({
        keywords: z.array(z.string().min(1).max(20)).min(1),
        minMonths: z.number().int().min(0).max(240),
      }),
    )
    .default([]),
  note: z.string().max(1000).default(''),
});
export type PublicityVersion = z.infer<typeof PublicityVersion>;

/** Rules across fields of one row. */
export const CrossRule = z.discriminatedUnion('kind', [
  /** from ≤ to (e.g. 有效期自 ≤ 有效期至, 决定日期 ≤ 公示截止期). */
  z.object({ kind: z.literal('dateOrder'), from: z.string(), to: z.string() }),
  /** 行政相对人类别 consistent with the 统一社会信用代码 prefix (92 → 个体工商户, 自然人 has none). */
  z.object({ kind: z.literal('subjectPrefix'), categoryField: z.string(), codeField: z.string() }),
  /** A field is required when another field's value contains a word (e.g. 罚款金额 when 处罚类别 contains 罚款). */
  z.object({
    kind: z.literal('requiredIfContains'),
    field: z.string(),
    whenField: z.string(),
    words: z.array(z.string().min(1)).min(1),
  }),
  /** 公示截止期 against the publicity-period table, keyed by the decision date. */
  z.object({
    kind: z.literal('publicity'),
    decisionDateField: z.string(),
    deadlineField: z.string(),
    /** Fields whose text decides a domain's longer period (e.g. 违法行为类型, 处罚机关). */
    domainFields: z.array(z.string()).default([]),
  }),
]);
export type CrossRule = z.infer<typeof CrossRule>;

export const RuleSetOptions = z.object({
  /** A failed USCC / 身份证 check character: error or warning (DOMAIN.md §1.4: real codes can fail). */
  checkDigitSeverity: Severity.default('error'),
  /** Leading/trailing/doubled spaces and full-width letters/digits in codes. */
  whitespaceSeverity: Severity.default('warning'),
  /** Dates after the check day. */
  futureDateSeverity: Severity.default('error'),
  /** Accepted date formats besides YYYY-MM-DD: YYYY/MM/DD, YYYYMMDD, YYYY年M月D日, Excel date cells. */
  dateFormats: z
    .array(z.enum(['YYYY-MM-DD', 'YYYY/MM/DD', 'YYYYMMDD', 'YYYY年M月D日', 'YYYY.MM.DD']))
    .default(['YYYY-MM-DD', 'YYYY/MM/DD', 'YYYYMMDD', 'YYYY年M月D日']),
  /** Values meaning "no end date" in 有效期至 (e.g. 长期, 2099-12-31). */
  openEndValues: z.array(z.string()).default(['长期', '2099-12-31', '2099/12/31', '20991231']),
});
export type RuleSetOptions = z.infer<typeof RuleSetOptions>;

export const RuleSetDefinition = z.object({
  /** Stable code, e.g. xzcf (行政处罚); versions of one code are one rule set's history. */
  code: z
    .string()
    .min(1)
    .max(50)
    .regex(/^[a-z][a-z0-9_-]*$/, '规则集代码只能包含小写字母、数字、下划线和连字符'),
  name: NonEmpty('规则集名称', 100),
  category: ComplianceCategory,
  version: NonEmpty('版本', 50),
  description: z.string().max(2000).default(''),
  fields: z.array(RuleField).min(1, '规则集至少需要一个字段').max(200),
  rules: z.array(CrossRule).max(100).default([]),
  publicity: z.array(PublicityVersion).max(20).default([]),
  options: RuleSetOptions.default(RuleSetOptions.parse({})),
});
export type RuleSetDefinition = z.infer<typeof RuleSetDefinition>;
export type RuleSetDefinitionInput = z.input<typeof RuleSetDefinition>;

export const RuleSetSummary = z.object({
  id: Id,
  code: z.string(),
  name: z.string(),
  category: ComplianceCategory,
  version: z.string(),
  description: z.string(),
  fieldCount: z.number(),
  requiredCount: z.number(),
  builtin: z.boolean(),
  /** The version used for new checks of this code (the latest saved). */
  current: z.boolean(),
  updatedAt: z.string(),
});
export type RuleSetSummary = z.infer<typeof RuleSetSummary>;

export const RuleSet = RuleSetSummary.extend({ definition: RuleSetDefinition });
export type RuleSet = z.infer<typeof RuleSet>;

// ---------- findings and runs ----------

export const Finding = z.object({
  /** Spreadsheet row number (the header row of a file whose header is on top is 1). */
  row: z.number(),
  /** 0-based index of the file's column, null for a row-level finding. */
  column: z.number().nullable(),
  /** The field's standard name (or the file's header when unmapped), null for the row. */
  field: z.string().nullable(),
  /** Rule id, e.g. required, uscc_check, date_future (see compliance/engine RULES). */
  rule: z.string(),
  severity: Severity,
  /** Chinese explanation with the fix. */
  message: z.string(),
  /** The offending value (truncated to 200 characters). */
  value: z.string().nullable(),
});
export type Finding = z.infer<typeof Finding>;

export const RuleCount = z.object({
  rule: z.string(),
  name: z.string(),
  severity: Severity,
  count: z.number(),
});
export type RuleCount = z.infer<typeof RuleCount>;

export const WorstRow = z.object({
  row: z.number(),
  errors: z.number(),
  warnings: z.number(),
  findings: z.array(Finding),
});
export type WorstRow = z.infer<typeof WorstRow>;

export const ColumnMapping = z.object({
  index: z.number(),
  header: z.string(),
  /** Field key, null when the column is not in the rule set. */
  field: z.string().nullable(),
  fieldName: z.string().nullable(),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;

/** The counts of a checked file, in its result and in the run's summary. */
const CHECK_COUNTS = {
  rows: z.number(),
  errorRows: z.number(),
  warningRows: z.number(),
  errors: z.number(),
  warnings: z.number(),
  /** (rows − errorRows) / rows × 100, 100 for an empty file. */
  rate: z.number(),
};

/** What checking one file produced (also what the CLI prints per file). */
export const FileCheckResult = z.object({
  fileName: z.string(),
  format: z.enum(['xlsx', 'csv']),
  /** csv: utf-8, utf-8-bom, gbk, gb18030; xlsx: null */
  encoding: z.string().nullable(),
  sheetName: z.string().nullable(),
  ruleSet: z.object({
    code: z.string(),
    name: z.string(),
    version: z.string(),
    category: ComplianceCategory,
  }),
  headerRow: z.number(),
  columns: z.array(ColumnMapping),
  /** Required fields of the rule set with no column in the file. */
  missingFields: z.array(z.string()),
  ...CHECK_COUNTS,
  /** Cells of uscc/org_code fields that failed (charset, length or check character): target zero. */
  wrongCodes: z.number(),
  byRule: z.array(RuleCount),
  byField: z.array(z.object({ field: z.string(), errors: z.number(), warnings: z.number() })),
  worstRows: z.array(WorstRow),
  /** The first findings in file order (at most 2,000). */
  sample: z.array(Finding),
  sampleTruncated: z.boolean(),
  durationMs: z.number(),
});
export type FileCheckResult = z.infer<typeof FileCheckResult>;

export const ComplianceRunSummary = z.object({
  id: Id,
  fileName: z.string(),
  ruleSetCode: z.string(),
  ruleSetName: z.string(),
  ruleSetVersion: z.string(),
  category: ComplianceCategory,
  deptId: Id.nullable(),
  deptName: z.string().nullable(),
  month: MonthStr,
  ...CHECK_COUNTS,
  checkedAt: z.string(),
  /** The error workbook is stored with the run (attachment id), null when the file had no findings. */
  workbookId: Id.nullable(),
});
export type ComplianceRunSummary = z.infer<typeof ComplianceRunSummary>;

export const ComplianceRun = ComplianceRunSummary.extend({ result: FileCheckResult });
export type ComplianceRun = z.infer<typeof ComplianceRun>;

// ---------- preview ----------

export const FilePreview = z.object({
  /** Keeps the file for compliance.check (expires after an hour). */
  previewId: z.string(),
  fileName: z.string(),
  size: z.number(),
  format: z.enum(['xlsx', 'csv']),
  encoding: z.string().nullable(),
  sheetName: z.string().nullable(),
  /** Detected rule set (best header match) and the others that also match. */
  ruleSetId: Id.nullable(),
  candidates: z.array(
    z.object({ ruleSetId: Id, name: z.string(), matched: z.number(), missing: z.array(z.string()) }),
  ),
  headerRow: z.number().nullable(),
  columns: z.array(ColumnMapping),
  missingFields: z.array(z.string()),
  /** The first rows after the header, as text. */
  rows: z.array(z.object({ row: z.number(), cells: z.array(z.string()) })),
  /** Suggested department (matched in the file name or 数据来源单位). */
  deptId: Id.nullable(),
});
export type FilePreview = z.infer<typeof FilePreview>;

export const CheckInput = z.object({
  previewId: z.string().regex(/^[0-9a-f]{32}$/),
  ruleSetId: Id,
  deptId: Id.nullable().default(null),
  month: MonthStr,
  /** Client-chosen id so the check can be cancelled while it runs. */
  jobId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
});

// ---------- overview ----------

export const DeptComplianceRow = z.object({
  deptId: Id.nullable(),
  deptName: z.string(),
  /** Latest run per rule set in the month, summed. */
  rows: z.number(),
  errorRows: z.number(),
  rate: z.number().nullable(),
  files: z.number(),
  /** Rate per month, oldest first (null when nothing was checked that month). */
  history: z.array(z.object({ month: MonthStr, rate: z.number().nullable() })),
});
export type DeptComplianceRow = z.infer<typeof DeptComplianceRow>;

export const ComplianceOverview = z.object({
  month: MonthStr,
  /** Months that have checks, newest first (to choose a month). */
  months: z.array(MonthStr),
  /** Per category in the month: rows, error rows, rate. */
  categories: z.array(
    z.object({
      category: ComplianceCategory,
      rows: z.number(),
      errorRows: z.number(),
      rate: z.number().nullable(),
    }),
  ),
  departments: z.array(DeptComplianceRow),
  /** The five-category rate fed to the compliance_rate metric for the month (null: no such checks). */
  fiveCategoryRate: z.number().nullable(),
  /** Wrong 统一社会信用代码 found in the month (target: zero). */
  wrongCodes: z.number(),
});
export type ComplianceOverview = z.infer<typeof ComplianceOverview>;

// ---------- commands (spread into contract/index.ts) ----------

const cmd = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O) => ({ input, output });

export const complianceCommands = {
  /** Rule sets, current versions first; `all` lists older versions too. */
  'compliance.ruleSets': cmd(z.object({ all: z.boolean().default(false) }), z.array(RuleSetSummary)),
  'compliance.ruleSet': cmd(z.object({ id: Id }), RuleSet),
  /** Saves a rule set version (same code + version replaces it; a new version becomes current). */
  'compliance.saveRuleSet': cmd(z.object({ definition: RuleSetDefinition }), RuleSet),
  'compliance.removeRuleSet': cmd(z.object({ id: Id }), z.object({ ok: z.literal(true) })),
  /** Imports a rule set file (.json as written by compliance.exportRuleSet). */
  'compliance.importRuleSet': cmd(z.object({ file: FileRef }), RuleSet),
  'compliance.exportRuleSet': cmd(z.object({ id: Id, file: ExportTarget.shape.file }), ExportResult),
  /** Reads a file's first rows (in a worker): encoding, header row, rule set, column mapping. */
  'compliance.preview': cmd(z.object({ file: FileRef }), FilePreview),
  /** Checks the previewed file in a worker (job.progress, kind 'compliance'), stores the run. */
  'compliance.check': cmd(CheckInput, ComplianceRun),
  /** Cancels a running check (by jobId, or every running check). */
  'compliance.cancel': cmd(
    z.object({ jobId: z.string().max(64).optional() }),
    z.object({ cancelled: z.number() }),
  ),
  'compliance.runs': cmd(
    z.object({
      deptId: Id.nullable().optional(),
      month: MonthStr.optional(),
      limit: z.number().int().min(1).max(1000).default(200),
    }),
    z.array(ComplianceRunSummary),
  ),
  'compliance.run': cmd(z.object({ id: Id }), ComplianceRun),
  'compliance.removeRun': cmd(z.object({ id: Id }), z.object({ ok: z.literal(true) })),
  /** Writes the run's error workbook (.xlsx) to a chosen path or the exports folder. */
  'compliance.exportErrors': cmd(z.object({ id: Id, file: ExportTarget.shape.file }), ExportResult),
  'compliance.overview': cmd(
    z.object({ month: MonthStr.optional(), months: z.number().int().min(1).max(36).default(12) }),
    ComplianceOverview,
  ),
} as const;
