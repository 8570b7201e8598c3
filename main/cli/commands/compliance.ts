/**
 * Data-compliance checks on the command line.
 *
 * `compliance check <文件|文件夹>`: one .xlsx/.csv file, or every .xlsx/.csv directly in a folder
 * (sorted by name; not recursive; our own 「*.错误明细.xlsx」 and Excel's 「~$*」 lock files are
 * skipped). The rule set is `--rules <代码>` or detected per file from its header. The check runs
 * in this process (checkTable; the command line has no UI thread to keep free), with a progress
 * line on stderr. Per file: rule set, rows, error rows, warning rows, rate, wrong codes and the
 * error workbook, written next to the file as 「<名称>.错误明细.xlsx」 or into --out (a stale one
 * from an earlier check is removed when the file is now clean). With --dir the results are also
 * recorded in the workspace (store.recordRun: the same code as the desktop app's check).
 *
 * --json writes ONE JSON document to stdout, streamed so that a file with millions of findings
 * is never held in memory: { "findings": [ {file, row, field, rule, severity, message, value} …
 * every finding in file order, row = spreadsheet row number (header on the first row = 1) ],
 * "files": [ per-file summary ], "exitCode": n }.
 *
 * Exit codes: 0 every file compliant (warnings allowed); 1 a file has errors; 2 unusable input
 * (unreadable file, no header, no rule set recognised, unknown rule set, bad arguments). When
 * both 1 and 2 happen, 2.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  COMPLIANCE_CATEGORY_LABELS,
  RuleSetDefinition,
  type ComplianceOverview,
  type FileCheckResult,
  type Finding,
  type RuleSetSummary,
} from '../../core/contract/index';
import { BUILTIN_RULE_SETS } from '../../core/compliance/builtin';
import {
  baseName,
  currentRuleSets,
  rateOf,
  recordRun,
  ruleSetId,
  suggestDepartment,
} from '../../core/compliance/store';
import type { StoredRuleSet } from '../../core/compliance/types';
import { createDeptMatcher } from '../../core/departments/match';
import { localToday } from '../../core/tasks/tasks';
import { AppError } from '../../core/util/errors';
import type { Workspace } from '../../core/workspace/workspace';
import { ProgressLine, type CommandContext } from '../context';
import { CommandError, UsageError } from '../errors';
import { formatTable } from '../io';
import { FORCE_OPTION, writtenLine } from '../output';
import { defineCommand } from '../registry';

export const EXIT_COMPLIANT = 0;
export const EXIT_ERRORS = 1;
export const EXIT_UNUSABLE = 2;

const WORKBOOK_SUFFIX = '.错误明细.xlsx';
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

const DIR_OPTIONAL = {
  type: 'string',
  value: '<文件夹>',
  description: '工作区所在文件夹：使用工作区中的规则集（含自己修改和导入的版本）；不给出时使用内置规则集',
} as const;

const pct = (r: number | null) => (r === null ? '—' : `${r.toFixed(2)}%`);
const int = (n: number) => n.toLocaleString('en-US');

function builtinSets(): StoredRuleSet[] {
  return BUILTIN_RULE_SETS.map((d) => {
    const def = RuleSetDefinition.parse(d);
    return { id: ruleSetId(def.code, def.version), definition: def };
  });
}

/** The files to check: the file itself, or the folder's .xlsx/.csv files sorted by name. */
function filesOf(target: string): string[] {
  let st: fs.Stats;
  try {
    st = fs.statSync(target);
  } catch {
    throw new UsageError(`找不到「${target}」。请给出要检查的 .xlsx/.csv 文件或文件夹。`, 'compliance check');
  }
  if (!st.isDirectory()) return [target];
  return fs
    .readdirSync(target, { withFileTypes: true })
    .filter(
      (e) =>
        e.isFile() &&
        /\.(xlsx|csv)$/i.test(e.name) &&
        !e.name.endsWith(WORKBOOK_SUFFIX) &&
        !e.name.startsWith('~$'),
    )
    .map((e) => e.name)
    .sort((a, b) => a.localeCompare(b, 'zh'))
    .map((n) => path.join(target, n));
}

/** Streams the --json document: findings as they come, then the files, then the exit code. */
class JsonOut {
  private buf = '';
  private first = true;
  constructor(private readonly ctx: CommandContext) {
    this.buf = '{\n"findings": [';
  }
  finding(file: string, f: Finding): void {
    const item = {
      file,
      row: f.row,
      field: f.field,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      value: f.value,
    };
    this.buf += `${this.first ? '\n' : ',\n'}${JSON.stringify(item)}`;
    this.first = false;
    if (this.buf.length > 1 << 16) this.flush();
  }
  end(files: unknown[], exitCode: number): void {
    this.buf += `${this.first ? '' : '\n'}],\n"files": ${JSON.stringify(files, null, 2)},\n"exitCode": ${exitCode}\n}\n`;
    this.flush();
  }
  private flush(): void {
    this.ctx.io.stdout.write(this.buf);
    this.buf = '';
  }
}

interface FileSummary {
  file: string;
  path: string;
  status: 'compliant' | 'errors' | 'unusable';
  /** Why the file could not be checked (status unusable). */
  error: string | null;
  ruleSet: { code: string; name: string; version: string } | null;
  format: FileCheckResult['format'] | null;
  encoding: string | null;
  sheetName: string | null;
  headerRow: number | null;
  missingFields: string[];
  rows: number;
  errorRows: number;
  warningRows: number;
  errors: number;
  warnings: number;
  /** Percent, two decimals (never 100 while a row has an error). */
  rate: number | null;
  wrongCodes: number;
  byRule: FileCheckResult['byRule'];
  errorWorkbook: string | null;
  /** The run recorded in the workspace (--dir). */
  runId: string | null;
}

function unusable(
  file: string,
  p: string,
  message: string,
  ruleSet: FileSummary['ruleSet'] = null,
): FileSummary {
  return {
    file,
    path: p,
    status: 'unusable',
    error: message,
    ruleSet,
    format: null,
    encoding: null,
    sheetName: null,
    headerRow: null,
    missingFields: [],
    rows: 0,
    errorRows: 0,
    warningRows: 0,
    errors: 0,
    warnings: 0,
    rate: null,
    wrongCodes: 0,
    byRule: [],
    errorWorkbook: null,
    runId: null,
  };
}

const ENCODING_LABEL: Record<string, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8（带 BOM）',
  gbk: 'GBK',
  gb18030: 'GB18030',
};

function fileText(s: FileSummary): string {
  if (s.status === 'unusable') return `${s.file}\n  无法检查：${s.error ?? ''}\n`;
  const lines = [`${s.file}`];
  const where =
    s.format === 'csv'
      ? `CSV，${ENCODING_LABEL[s.encoding ?? ''] ?? s.encoding ?? ''}编码`
      : `工作表「${s.sheetName ?? ''}」`;
  lines.push(
    `  规则集：${s.ruleSet?.name ?? ''}（${s.ruleSet?.code ?? ''} ${s.ruleSet?.version ?? ''}）  ${where}  表头在第 ${s.headerRow ?? ''} 行`,
  );
  lines.push(
    `  行数 ${int(s.rows)}  错误行 ${int(s.errorRows)}  警告行 ${int(s.warningRows)}  合规率 ${pct(s.rate)}  错误信用代码 ${int(s.wrongCodes)}`,
  );
  if (s.missingFields.length > 0) lines.push(`  缺少必填列：${s.missingFields.join('、')}`);
  const top = s.byRule
    .slice(0, 5)
    .map((r) => `${r.name}${r.severity === 'warning' ? '（警告）' : ''} ${int(r.count)}`);
  if (top.length > 0) lines.push(`  主要问题：${top.join('，')}`);
  if (s.errorWorkbook) lines.push(`  错误明细：${s.errorWorkbook}`);
  return `${lines.join('\n')}\n`;
}

/** --dept: a department name, short name or alias of the workspace (normalised like imports). */
function resolveDept(ws: Workspace, name: string): string {
  const depts = (
    ws.db.prepare('SELECT id, name, short_name, aliases FROM departments WHERE deleted = 0').all() as {
      id: string;
      name: string;
      short_name: string | null;
      aliases: string;
    }[]
  ).map((d) => ({
    id: d.id,
    name: d.name,
    shortName: d.short_name,
    aliases: JSON.parse(d.aliases) as string[],
  }));
  const city = (ws.db.prepare('SELECT city FROM workspace WHERE id = ?').get(ws.id) as { city: string }).city;
  const m = createDeptMatcher(depts, city).match(name);
  if (m.deptId) return m.deptId;
  const hint =
    m.suggestions.length > 0 ? `，是否指「${m.suggestions.map((s) => s.name).join('」或「')}」？` : '。';
  throw new UsageError(`工作区中没有单位「${name}」${hint}`, 'compliance check');
}

export const complianceCheckCommand = defineCommand({
  name: 'compliance check',
  summary: '检查报送的信用数据文件（.xlsx/.csv）：合规率、错误明细工作簿',
  description: [
    '检查一个文件，或文件夹中所有 .xlsx/.csv 文件（按文件名排序，不含子文件夹）。CSV 的编码（UTF-8、带 BOM 的 UTF-8、GBK、GB18030）自动识别，表头所在行和列名的不同写法自动匹配。',
    '规则集用 --rules 指定（代码见 compliance rules），否则按每个文件的表头自动识别；识别不出时该文件无法检查。',
    '每个文件输出：规则集、行数、错误行、警告行、合规率（无错误的行/总行数）、错误的统一社会信用代码数和错误明细工作簿（有问题时写在原文件旁，名为「<文件名>.错误明细.xlsx」，或写入 --out 文件夹；文件已没有问题时删除旧的错误明细）。',
    '加 --dir 时结果同时记入工作区（报送单位 --dept，统计月份 --month，默认本月），与桌面版的检查记录相同，并更新五类数据合规率。',
    '--json：标准输出为一个 JSON 文档 { findings: [每个问题 {file, row, field, rule, severity, message, value}，row 为电子表格行号（表头在第一行时为 1）], files: [每个文件的结果], exitCode }。',
    '退出码：0 所有文件合规（可以有警告）；1 有文件存在错误；2 输入无法使用（文件无法读取、没有表头、识别不出规则集、规则集不存在、参数错误）；同时出现 1 和 2 时为 2。',
  ].join('\n'),
  options: {
    target: {
      type: 'string',
      positional: true,
      required: true,
      value: '<文件或文件夹>',
      description: '要检查的 .xlsx/.csv 文件，或包含这些文件的文件夹',
    },
    rules: {
      type: 'string',
      value: '<规则集代码>',
      description: '使用的规则集，例如 xzcf（行政处罚）、xzxk（行政许可）',
    },
    out: { type: 'string', value: '<文件夹>', description: '错误明细工作簿写入的文件夹（默认写在原文件旁）' },
    dir: { ...DIR_OPTIONAL, description: `${DIR_OPTIONAL.description}；同时把检查结果记入该工作区` },
    dept: {
      type: 'string',
      value: '<单位>',
      description: '报送单位（与 --dir 一起使用；不给出时按文件名和数据来源单位推断）',
    },
    month: {
      type: 'string',
      value: '<YYYY-MM>',
      description: '结果计入的统计月份（与 --dir 一起使用；默认本月）',
      check: (v) => (MONTH.test(v) ? null : '月份格式应为 2027-03'),
    },
  },
  examples: [
    'compliance check ./行政处罚.xlsx',
    'compliance check ./报送数据 --out ./错误明细',
    'compliance check ./市监局-行政处罚.csv --rules xzcf --json',
    'compliance check ./报送数据 --dir ./琼海创建 --dept 市场监管局 --month 2027-03',
  ],
  async run(ctx, o) {
    if ((o.dept || o.month) && !o.dir)
      throw new UsageError(
        '--dept 和 --month 需要与 --dir 一起使用（把结果记入工作区）。',
        'compliance check',
      );
    const target = ctx.resolvePath(o.target);
    const files = filesOf(target);
    // the readers and the engine load only for this command, not with every command-line start
    const { checkTable, previewTable } = await import('../../core/compliance/run');
    let ws: Workspace | null = null;
    if (o.dir) {
      try {
        await ctx.openWorkspace(o.dir);
      } catch (e) {
        throw new UsageError(e instanceof Error ? e.message : String(e), 'compliance check');
      }
      ws = ctx.core().workspace;
    }
    const sets = ws ? currentRuleSets(ws) : builtinSets();
    let fixed: StoredRuleSet | null = null;
    if (o.rules) {
      fixed = sets.find((s) => s.definition.code === o.rules) ?? null;
      if (!fixed)
        throw new UsageError(
          `没有规则集「${o.rules}」。可用的规则集：${sets.map((s) => `${s.definition.code}（${s.definition.name}）`).join('、')}`,
          'compliance check',
        );
    }
    const deptId = ws && o.dept ? resolveDept(ws, o.dept) : null;
    const now = new Date();
    const month = o.month ?? localToday(now).slice(0, 7);
    const outDir = o.out ? ctx.resolvePath(o.out) : null;
    if (outDir) fs.mkdirSync(outDir, { recursive: true });

    const json = ctx.json ? new JsonOut(ctx) : null;
    const summaries: FileSummary[] = [];
    if (files.length === 0) {
      const msg = `文件夹「${target}」中没有 .xlsx 或 .csv 文件。`;
      if (json) {
        ctx.note(`错误：${msg}`);
        json.end([], EXIT_UNUSABLE);
      } else ctx.io.stderr.write(`错误：${msg}\n`);
      return EXIT_UNUSABLE;
    }

    for (const file of files) {
      const name = path.basename(file);
      let set = fixed;
      let suggested: string | null = null;
      try {
        if (!set || (ws && !deptId)) {
          const preview = await previewTable(file, name, set ? [set] : sets);
          if (ws && !deptId) suggested = suggestDepartment(ws, name, preview.columns, preview.rows);
          if (!set) {
            set = sets.find((s) => s.id === preview.ruleSetId) ?? null;
            if (!set) {
              summaries.push(
                unusable(
                  name,
                  file,
                  preview.headerRow === null && preview.candidates.length === 0
                    ? `「${name}」的前 30 行中没有找到任何规则集的表头，识别不出是哪类数据。请确认表头，或用 --rules 指定规则集。`
                    : `「${name}」的表头与规则集都不够吻合，识别不出是哪类数据。请用 --rules 指定规则集。`,
                ),
              );
              continue;
            }
          }
        }
        const def = set.definition;
        const workbook = path.join(outDir ?? path.dirname(file), `${baseName(name)}${WORKBOOK_SUFFIX}`);
        const bar = json ? null : new ProgressLine(ctx.io.stderr);
        let result: FileCheckResult & { errorWorkbookWritten: boolean };
        try {
          result = await checkTable(file, name, def, {
            today: localToday(now),
            errorWorkbookPath: workbook,
            onFinding: json ? (f) => json.finding(name, f) : undefined,
            onProgress: bar
              ? (p) =>
                  bar.update({
                    jobId: 'cli',
                    kind: 'compliance',
                    done: p.done,
                    total: p.total,
                    message: `${name}：${p.message}`,
                    state: 'running',
                  })
              : undefined,
          });
        } finally {
          bar?.end();
        }
        if (!result.errorWorkbookWritten) fs.rmSync(workbook, { force: true });
        let runId: string | null = null;
        if (ws) {
          runId = recordRun(
            ws,
            {
              result,
              fileName: name,
              deptId: deptId ?? suggested,
              month,
              errorWorkbookPath: result.errorWorkbookWritten ? workbook : null,
            },
            new Date(),
          ).id;
        }
        summaries.push({
          file: name,
          path: file,
          status: result.errorRows > 0 ? 'errors' : 'compliant',
          error: null,
          ruleSet: { code: def.code, name: def.name, version: def.version },
          format: result.format,
          encoding: result.encoding,
          sheetName: result.sheetName,
          headerRow: result.headerRow,
          missingFields: result.missingFields,
          rows: result.rows,
          errorRows: result.errorRows,
          warningRows: result.warningRows,
          errors: result.errors,
          warnings: result.warnings,
          rate: rateOf(result.rows, result.errorRows, 1),
          wrongCodes: result.wrongCodes,
          byRule: result.byRule,
          errorWorkbook: result.errorWorkbookWritten ? workbook : null,
          runId,
        });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        if (e.code === 'IO_ERROR' || e.code === 'INTERNAL') throw new CommandError(e.message, e.code);
        summaries.push(
          unusable(
            name,
            file,
            e.message,
            set
              ? { code: set.definition.code, name: set.definition.name, version: set.definition.version }
              : null,
          ),
        );
      }
      if (!json) ctx.io.stdout.write(fileText(summaries[summaries.length - 1]!));
    }

    const bad = summaries.filter((s) => s.status === 'unusable').length;
    const withErrors = summaries.filter((s) => s.status === 'errors').length;
    const code = bad > 0 ? EXIT_UNUSABLE : withErrors > 0 ? EXIT_ERRORS : EXIT_COMPLIANT;
    if (json) json.end(summaries, code);
    else {
      const ok = summaries.length - bad - withErrors;
      ctx.io.stdout.write(
        `\n共 ${summaries.length} 个文件：${ok} 个合规，${withErrors} 个有错误，${bad} 个无法检查。${
          ws ? `结果已记入工作区（${month}）。` : ''
        }\n`,
      );
    }
    return code;
  },
});

function ruleSetsText(list: readonly RuleSetSummary[]): string {
  return formatTable(
    ['代码', '名称', '类别', '版本', '字段', '必填', '来源', '状态'],
    list.map((s) => [
      s.code,
      s.name,
      COMPLIANCE_CATEGORY_LABELS[s.category],
      s.version,
      String(s.fieldCount),
      String(s.requiredCount),
      s.builtin ? '内置' : '自定义',
      s.current ? '当前' : '旧版本',
    ]),
  );
}

export const complianceRulesCommand = defineCommand({
  name: 'compliance rules',
  summary: '列出数据合规检查的规则集（代码用于 compliance check --rules）',
  description:
    '给出 --dir 时列出工作区中的规则集（含自己修改和导入的版本；--all 也列出旧版本），否则列出内置规则集。',
  options: {
    dir: DIR_OPTIONAL,
    all: { type: 'boolean', description: '也列出各规则集的旧版本（与 --dir 一起使用）' },
  },
  examples: ['compliance rules', 'compliance rules --dir ./琼海创建 --all'],
  async run(ctx, o) {
    let list: RuleSetSummary[];
    if (o.dir) {
      await ctx.openWorkspace(o.dir);
      list = await ctx.call('compliance.ruleSets', { all: o.all });
    } else {
      list = builtinSets().map(({ id, definition: d }) => ({
        id,
        code: d.code,
        name: d.name,
        category: d.category,
        version: d.version,
        description: d.description,
        fieldCount: d.fields.length,
        requiredCount: d.fields.filter((f) => f.required).length,
        builtin: true,
        current: true,
        updatedAt: '',
      }));
    }
    ctx.result(list, ruleSetsText);
  },
});

export const complianceRulesExportCommand = defineCommand({
  name: 'compliance rules-export',
  summary: '把规则集导出为 .json 文件（可编辑后用 rules-import 导入）',
  options: {
    code: {
      type: 'string',
      positional: true,
      required: true,
      value: '<规则集代码>',
      description: '规则集代码，例如 xzcf',
    },
    out: {
      type: 'string',
      required: true,
      value: '<文件.json>',
      description: '写入的文件',
      check: (v) => (v.toLowerCase().endsWith('.json') ? null : '文件名应以 .json 结尾'),
    },
    dir: DIR_OPTIONAL,
    force: FORCE_OPTION,
  },
  examples: [
    'compliance rules-export xzcf --out ./行政处罚规则集.json',
    'compliance rules-export xzcf --dir ./琼海创建 --out ./行政处罚.json',
  ],
  async run(ctx, o) {
    const file = ctx.resolvePath(o.out);
    if (fs.existsSync(file) && !o.force)
      throw new CommandError(`文件「${file}」已存在。如需覆盖，请加 --force。`, 'CONFLICT');
    if (o.dir) {
      await ctx.openWorkspace(o.dir);
      const s = (await ctx.call('compliance.ruleSets', {})).find((x) => x.code === o.code);
      if (!s) throw new UsageError(`工作区中没有规则集「${o.code}」。`, 'compliance rules-export');
      ctx.result(await ctx.call('compliance.exportRuleSet', { id: s.id, file }), writtenLine);
      return;
    }
    const s = builtinSets().find((x) => x.definition.code === o.code);
    if (!s) throw new UsageError(`没有内置规则集「${o.code}」。`, 'compliance rules-export');
    const data = Buffer.from(`${JSON.stringify(s.definition, null, 2)}\n`, 'utf8');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
    ctx.result({ file, bytes: data.length }, writtenLine);
  },
});

export const complianceRulesImportCommand = defineCommand({
  name: 'compliance rules-import',
  summary: '把规则集 .json 文件导入工作区（同代码同版本则替换，新版本成为当前版本）',
  options: {
    file: {
      type: 'string',
      positional: true,
      required: true,
      value: '<文件.json>',
      description: '规则集文件',
    },
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
  },
  examples: ['compliance rules-import ./行政处罚-本省.json --dir ./琼海创建'],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const r = await ctx.call('compliance.importRuleSet', { file: { path: ctx.resolvePath(o.file) } });
    ctx.result(
      r,
      (x) => `已导入规则集「${x.name}」（${x.code} ${x.version}）${x.current ? '，为当前版本' : ''}。\n`,
    );
  },
});

function reportText(o: ComplianceOverview): string {
  const m = `${o.month.slice(0, 4)}年${Number(o.month.slice(5))}月`;
  if (o.departments.length === 0)
    return `${m}还没有数据合规检查记录。可用 compliance check --dir 检查并记入。\n`;
  const lines = [`${m}数据合规情况`];
  lines.push(
    o.categories
      .map(
        (c) =>
          `${COMPLIANCE_CATEGORY_LABELS[c.category]} ${pct(c.rate)}（${int(c.rows)} 行，错误 ${int(c.errorRows)} 行）`,
      )
      .join('；'),
  );
  lines.push(
    `五类数据合规率：${pct(o.fiveCategoryRate)}；错误的统一社会信用代码：${int(o.wrongCodes)} 个（目标为 0）\n`,
  );
  return (
    lines.join('\n') +
    '\n' +
    formatTable(
      ['单位', '文件', '行数', '错误行', '合规率'],
      o.departments.map((d) => [d.deptName, String(d.files), int(d.rows), int(d.errorRows), pct(d.rate)]),
    )
  );
}

export const complianceReportCommand = defineCommand({
  name: 'compliance report',
  summary: '各单位某月的数据合规率（最差的在前）',
  description:
    '每个单位取该月每个规则集的最近一次检查（更正后重新检查会替换之前的结果）汇总；同时给出双公示、五类、六类的合规率和错误的统一社会信用代码数。默认为最近有检查记录的月份。--json 输出完整概况（含各单位近 12 个月的合规率）。',
  options: {
    dir: { type: 'string', required: true, value: '<文件夹>', description: '工作区所在文件夹' },
    month: {
      type: 'string',
      value: '<YYYY-MM>',
      description: '统计月份',
      check: (v) => (MONTH.test(v) ? null : '月份格式应为 2027-03'),
    },
  },
  examples: [
    'compliance report --dir ./琼海创建',
    'compliance report --dir ./琼海创建 --month 2027-03 --json',
  ],
  async run(ctx, o) {
    await ctx.openWorkspace(o.dir);
    const overview = await ctx.call('compliance.overview', o.month ? { month: o.month } : {});
    ctx.result(overview, reportText);
  },
});
