/**
 * The compliance store: bundled rule sets seeded once with stable ids (a user's edit kept, a
 * removed one not brought back), versions (same code + version replaces, a new higher version
 * becomes current, a lower one refused), validation messages naming the field, .json import and
 * export; runs recorded in one transaction with their error workbook; the month's overview
 * (latest run per department and rule set, categories, history, worst first); the
 * compliance_rate metric fed from five-category runs (auto value set, updated and removed; a
 * hand-entered value kept until a computed one replaces it); the department suggestion.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Core } from '../../main/core/core';
import type {
  ComplianceCategory,
  FileCheckResult,
  RuleSetDefinitionInput,
} from '../../main/core/contract/compliance';
import { BUILTIN_RULE_SETS } from '../../main/core/compliance/builtin';
import {
  AUTO_NOTE_PREFIX,
  compareVersions,
  complianceOverview,
  currentRuleSets,
  exportRuleSet,
  exportRunErrors,
  getRuleSet,
  importRuleSet,
  listRuleSets,
  listRuns,
  monthsBack,
  rateOf,
  recordRun,
  refreshComplianceMetric,
  removeRuleSet,
  removeRun,
  ruleSetId,
  saveRuleSet,
  suggestDepartment,
  validateRuleSet,
} from '../../main/core/compliance/store';
import { readMetricValue } from '../../main/core/monitoring/metrics';
import { AppError } from '../../main/core/util/errors';
import type { Workspace } from '../../main/core/workspace/workspace';
import { call, coreWithEmptyWorkspace, coreWithWorkspace, countRows, tempDir, wsOf } from '../helpers/core';

const NOW = new Date('2027-03-15T04:00:00Z');

function appError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

async function reopen(core: Core): Promise<Workspace> {
  const dir = wsOf(core).dir;
  await call(core, 'workspace.close', {});
  await call(core, 'workspace.open', { dir });
  return wsOf(core);
}

/** A small valid definition of our own. */
function ownDef(over: Partial<RuleSetDefinitionInput> = {}): RuleSetDefinitionInput {
  return {
    code: 'test_set',
    name: '测试规则集',
    category: 'five',
    version: '1.0',
    fields: [
      { key: 'XDR_MC', name: '行政相对人名称', required: true },
      { key: 'XDR_LB', name: '行政相对人类别', format: 'code', codeList: ['法人及非法人组织', '自然人'] },
      {
        key: 'ZJHM',
        name: '证件号码',
        format: 'id_number',
        requiredWhen: { field: 'XDR_LB', op: 'eq', values: ['自然人'] },
      },
    ],
    ...over,
  };
}

/** A hand-made check result (what checkTable returns for a file). */
function result(
  code: string,
  category: ComplianceCategory,
  rows: number,
  errorRows: number,
  wrongCodes = 0,
): FileCheckResult {
  const rate = rows === 0 ? 100 : ((rows - errorRows) / rows) * 100;
  return {
    fileName: `${code}.xlsx`,
    format: 'xlsx',
    encoding: null,
    sheetName: 'Sheet1',
    ruleSet: { code, name: `规则集${code}`, version: '2026.1', category },
    headerRow: 1,
    columns: [{ index: 0, header: '行政相对人名称', field: 'XDR_MC', fieldName: '行政相对人名称' }],
    missingFields: [],
    rows,
    errorRows,
    warningRows: 0,
    errors: errorRows,
    warnings: 0,
    rate,
    wrongCodes,
    byRule: errorRows ? [{ rule: 'required', name: '必填', severity: 'error', count: errorRows }] : [],
    byField: [],
    worstRows: [],
    sample: errorRows
      ? [
          {
            row: 2,
            column: 0,
            field: '行政相对人名称',
            rule: 'required',
            severity: 'error',
            message: '行政相对人名称为必填项，请补充。',
            value: '',
          },
        ]
      : [],
    sampleTruncated: false,
    durationMs: 5,
  };
}

function deptId(ws: Workspace, name: string): string {
  const r = ws.db.prepare('SELECT id FROM departments WHERE name = ?').get(name) as
    { id: string } | undefined;
  if (!r) throw new Error(`no department ${name}`);
  return r.id;
}

const txCount = (ws: Workspace) =>
  (ws.db.prepare('SELECT COUNT(DISTINCT tx_id) AS n FROM changes').get() as { n: number }).n;

describe('rule sets', () => {
  it('seeds the bundled sets once, with ids every laptop computes alike', async () => {
    const { core } = await coreWithEmptyWorkspace();
    let ws = wsOf(core);
    const sets = listRuleSets(ws);
    expect(BUILTIN_RULE_SETS.length).toBeGreaterThan(2);
    expect(sets.map((s) => s.code).sort()).toEqual([...new Set(BUILTIN_RULE_SETS.map((d) => d.code))].sort());
    for (const s of sets) {
      expect(s.id).toBe(ruleSetId(s.code, s.version));
      expect(s.builtin).toBe(true);
      expect(s.current).toBe(true);
    }
    const xzcf = sets.find((s) => s.code === 'xzcf')!;
    expect(xzcf.category).toBe('double');
    expect(xzcf.fieldCount).toBeGreaterThan(20);
    const rows = countRows(core, 'compliance_rule_sets');
    const changes = countRows(core, 'changes');
    ws = await reopen(core);
    expect(listRuleSets(ws).map((s) => s.id)).toEqual(sets.map((s) => s.id));
    expect(countRows(core, 'compliance_rule_sets')).toBe(rows);
    expect(countRows(core, 'changes')).toBe(changes);
    // current sets are what the engine chooses among
    expect(
      currentRuleSets(ws)
        .map((s) => s.id)
        .sort(),
    ).toEqual(sets.map((s) => s.id).sort());
  });

  it("keeps a user's edit of a bundled version and does not bring back a removed one", async () => {
    const { core } = await coreWithEmptyWorkspace();
    let ws = wsOf(core);
    const xzcf = getRuleSet(ws, ruleSetId('xzcf', '2026.1'));
    const edited = saveRuleSet(ws, { ...xzcf.definition, name: '行政处罚（本省）' });
    expect(edited.id).toBe(xzcf.id);
    expect(edited.builtin).toBe(false);
    const xzxk = listRuleSets(ws).find((s) => s.code === 'xzxk')!;
    removeRuleSet(ws, xzxk.id);
    ws = await reopen(core);
    expect(getRuleSet(ws, xzcf.id).name).toBe('行政处罚（本省）');
    expect(listRuleSets(ws, true).some((s) => s.code === 'xzxk')).toBe(false);
    expect(appError(() => getRuleSet(ws, xzxk.id)).code).toBe('NOT_FOUND');
    // saving that version again brings it back
    const back = saveRuleSet(
      ws,
      BUILTIN_RULE_SETS.find((d) => d.code === 'xzxk')!,
    );
    expect(back.id).toBe(xzxk.id);
    expect(listRuleSets(ws).some((s) => s.code === 'xzxk')).toBe(true);
  });

  it('replaces the same code and version; a new higher version becomes current; a lower one is refused', async () => {
    const { core } = await coreWithEmptyWorkspace();
    const ws = wsOf(core);
    const v1 = saveRuleSet(ws, ownDef());
    expect(v1.current).toBe(true);
    expect(v1.definition.fields[2]!.requiredWhen).toEqual({ field: 'XDR_LB', op: 'eq', values: ['自然人'] });
    const again = saveRuleSet(ws, ownDef({ description: '改过' }));
    expect(again.id).toBe(v1.id);
    expect(listRuleSets(ws, true).filter((s) => s.code === 'test_set')).toHaveLength(1);
    const v2 = saveRuleSet(ws, ownDef({ version: '1.10' }));
    expect(v2.id).not.toBe(v1.id);
    const all = listRuleSets(ws, true).filter((s) => s.code === 'test_set');
    expect(all.map((s) => [s.version, s.current])).toEqual([
      ['1.10', true],
      ['1.0', false],
    ]);
    expect(
      listRuleSets(ws)
        .filter((s) => s.code === 'test_set')
        .map((s) => s.version),
    ).toEqual(['1.10']);
    const low = appError(() => saveRuleSet(ws, ownDef({ version: '1.9' })));
    expect(low.code).toBe('BAD_INPUT');
    expect(low.message).toContain('已有更高的版本「1.10」');
    // an older version can still be corrected in place
    expect(saveRuleSet(ws, ownDef({ description: '旧版更正' })).current).toBe(false);
    expect(compareVersions('2026.10', '2026.9')).toBeGreaterThan(0);
    expect(compareVersions('2026.1-琼海', '2026.1')).toBeGreaterThan(0);
  });

  it('refuses a bad definition with a message naming the field', () => {
    const msg = (raw: unknown) => appError(() => validateRuleSet(raw)).message;
    const base = ownDef();
    const fields = base.fields!;
    expect(msg({ ...base, fields: [fields[0], fields[1], { ...fields[2], format: '身份证' }] })).toContain(
      '第 3 个字段「证件号码」的「格式」：只能是 text（文本）、uscc（统一社会信用代码）',
    );
    expect(msg({ ...base, fields: [fields[0], { ...fields[0], name: '名称二' }] })).toContain(
      '第 2 个字段「名称二」的字段代码「XDR_MC」与第 1 个字段重复',
    );
    expect(
      msg({ ...base, fields: [fields[0], { ...fields[1], key: 'B', name: '行政相对人名称' }] }),
    ).toContain('第 2 个字段「行政相对人名称」与第 1 个字段同名');
    expect(
      msg({
        ...base,
        fields: [
          fields[0],
          fields[1],
          { ...fields[2], requiredWhen: { field: 'NOPE', op: 'eq', values: ['x'] } },
        ],
      }),
    ).toContain('第 3 个字段「证件号码」：必填条件引用的字段「NOPE」不存在');
    expect(msg({ ...base, fields: [fields[0], { ...fields[1], codeList: [] }] })).toContain(
      '第 2 个字段「行政相对人类别」：格式为「代码表」时需要填写代码表',
    );
    expect(msg({ ...base, rules: [{ kind: 'dateOrder', from: 'XDR_MC', to: 'JDRQ' }] })).toContain(
      '第 1 条跨字段规则（日期先后）：截止日期引用的字段「JDRQ」不存在',
    );
    expect(msg({ ...base, code: 'Bad Code' })).toContain('「规则集代码」：规则集代码只能包含小写字母');
    expect(msg({ ...base, fields: [] })).toContain('规则集至少需要一个字段');
  });

  it('exports pretty JSON that imports back unchanged; a bad file is refused in words', async () => {
    const { core } = await coreWithEmptyWorkspace();
    const ws = wsOf(core);
    const saved = saveRuleSet(ws, ownDef());
    const { fileName, data } = exportRuleSet(ws, saved.id);
    expect(fileName).toBe('规则集-测试规则集-1.0.json');
    expect(data.toString('utf8')).toContain('\n  "code": "test_set",\n');
    const dir = tempDir();
    const file = path.join(dir, fileName);
    fs.writeFileSync(file, data);

    const other = await coreWithEmptyWorkspace();
    const imported = importRuleSet(wsOf(other.core), file);
    expect(imported.id).toBe(saved.id);
    expect(imported.definition).toEqual(saved.definition);

    const bad = path.join(dir, '坏的.json');
    fs.writeFileSync(
      bad,
      JSON.stringify({ ...ownDef(), fields: [{ key: 'A', name: '名称', format: 'nope' }] }),
    );
    const e = appError(() => importRuleSet(wsOf(other.core), bad));
    expect(e.code).toBe('BAD_INPUT');
    expect(e.message).toContain('规则集文件「坏的.json」有误：第 1 个字段「名称」的「格式」：只能是');
    fs.writeFileSync(bad, '{ not json');
    expect(appError(() => importRuleSet(wsOf(other.core), bad)).message).toContain(
      '「坏的.json」不是有效的 JSON 文件',
    );
  });
});

describe('runs, overview and the metric feed', () => {
  it('records a run with its workbook in one transaction; latest run per department and rule set wins', async () => {
    const { core } = await coreWithWorkspace();
    const ws = wsOf(core);
    const scj = deptId(ws, '琼海市市场监督管理局');
    const fgw = deptId(ws, '琼海市发展和改革委员会');
    const wb = path.join(tempDir(), 'wb.xlsx');
    fs.writeFileSync(wb, 'workbook bytes');

    const before = txCount(ws);
    const first = recordRun(
      ws,
      {
        result: result('xzcf', 'double', 100, 10, 3),
        fileName: '市监局-处罚.xlsx',
        deptId: scj,
        month: '2027-03',
        errorWorkbookPath: wb,
      },
      NOW,
    );
    expect(txCount(ws)).toBe(before + 1);
    expect(first).toMatchObject({
      deptName: '琼海市市场监督管理局',
      rows: 100,
      errorRows: 10,
      rate: 90,
      month: '2027-03',
    });
    expect(first.workbookId).not.toBeNull();
    expect(first.result.sample).toHaveLength(1);
    expect(exportRunErrors(ws, first.id).data.toString()).toBe('workbook bytes');

    // the corrected file replaces the first result in the month's rate
    const later = new Date(NOW.getTime() + 60_000);
    const second = recordRun(
      ws,
      {
        result: result('xzcf', 'double', 100, 0),
        fileName: '市监局-处罚-改.xlsx',
        deptId: scj,
        month: '2027-03',
        errorWorkbookPath: null,
      },
      later,
    );
    expect(second.workbookId).toBeNull();
    const noWb = appError(() => exportRunErrors(ws, second.id));
    expect(noWb.code).toBe('NOT_FOUND');
    expect(noWb.message).toContain('没有发现问题');
    recordRun(
      ws,
      {
        result: result('xzxk', 'double', 50, 5),
        fileName: '许可.xlsx',
        deptId: scj,
        month: '2027-03',
        errorWorkbookPath: null,
      },
      later,
    );
    recordRun(
      ws,
      {
        result: result('xzqz', 'five', 200, 20, 2),
        fileName: '发改委强制.csv',
        deptId: fgw,
        month: '2027-03',
        errorWorkbookPath: null,
      },
      later,
    );
    recordRun(
      ws,
      {
        result: result('xzjl', 'five', 10, 0),
        fileName: '奖励.csv',
        deptId: null,
        month: '2027-03',
        errorWorkbookPath: null,
      },
      later,
    );
    recordRun(
      ws,
      {
        result: result('xzqz', 'five', 100, 50),
        fileName: '发改委一月.csv',
        deptId: fgw,
        month: '2027-01',
        errorWorkbookPath: null,
      },
      later,
    );

    expect(listRuns(ws, { month: '2027-03' })).toHaveLength(5);
    expect(listRuns(ws, { deptId: null })).toHaveLength(1);
    // newest check first (the January file was checked last)
    expect(listRuns(ws, { deptId: fgw }).map((r) => r.month)).toEqual(['2027-01', '2027-03']);

    const o = complianceOverview(ws, { months: 3 }, NOW);
    expect(o.month).toBe('2027-03');
    expect(o.months).toEqual(['2027-03', '2027-01']);
    expect(o.categories).toEqual([
      { category: 'double', rows: 150, errorRows: 5, rate: rateOf(150, 5, 2) },
      { category: 'five', rows: 210, errorRows: 20, rate: rateOf(210, 20, 2) },
      { category: 'six', rows: 0, errorRows: 0, rate: null },
    ]);
    expect(o.fiveCategoryRate).toBe(90.47);
    expect(o.wrongCodes).toBe(2);
    expect(o.departments.map((d) => [d.deptName, d.rate, d.files])).toEqual([
      ['琼海市发展和改革委员会', 90, 1],
      ['琼海市市场监督管理局', 96.66, 2],
      ['未指定单位', 100, 1],
    ]);
    expect(o.departments[0]!.history).toEqual([
      { month: '2027-01', rate: 50 },
      { month: '2027-02', rate: null },
      { month: '2027-03', rate: 90 },
    ]);
    // an earlier month on request
    const jan = complianceOverview(ws, { month: '2027-01', months: 12 }, NOW);
    expect(jan.departments.map((d) => d.deptName)).toEqual(['琼海市发展和改革委员会']);
    expect(jan.departments[0]!.history).toHaveLength(12);
  });

  it('feeds compliance_rate from five-category runs; keeps a hand-entered value until a computed one arrives', async () => {
    const { core } = await coreWithWorkspace();
    const ws = wsOf(core);
    const fgw = deptId(ws, '琼海市发展和改革委员会');
    await call(core, 'metrics.set', {
      metric: 'compliance_rate',
      month: '2027-03',
      value: 98.5,
      note: '平台通报',
    });
    // a 双公示 run does not touch it
    recordRun(
      ws,
      {
        result: result('xzcf', 'double', 100, 40),
        fileName: 'a.xlsx',
        deptId: fgw,
        month: '2027-03',
        errorWorkbookPath: null,
      },
      NOW,
    );
    expect(readMetricValue(ws, 'compliance_rate', '2027-03')).toMatchObject({
      value: 98.5,
      note: '平台通报',
    });

    const five = recordRun(
      ws,
      {
        result: result('xzqz', 'five', 1000, 3),
        fileName: 'b.csv',
        deptId: fgw,
        month: '2027-03',
        errorWorkbookPath: null,
      },
      NOW,
    );
    let m = readMetricValue(ws, 'compliance_rate', '2027-03')!;
    expect(m.value).toBe(99.7);
    expect(m.note).toBe(`${AUTO_NOTE_PREFIX}（1 个文件，1000 行）；替换了手工填写的 98.5%（备注：平台通报）`);
    const listed = (await call(core, 'metrics.list', {})).find((x) => x.key === 'compliance_rate')!;
    expect(listed.values).toContainEqual(expect.objectContaining({ month: '2027-03', value: 99.7 }));

    const later = new Date(NOW.getTime() + 1000);
    recordRun(
      ws,
      {
        result: result('xzjc', 'five', 1000, 0),
        fileName: 'c.csv',
        deptId: null,
        month: '2027-03',
        errorWorkbookPath: null,
      },
      later,
    );
    m = readMetricValue(ws, 'compliance_rate', '2027-03')!;
    expect(m.value).toBe(99.85);
    expect(m.note).toMatch(/^由数据合规检查自动计算（2 个文件，2000 行）；替换了手工填写的 98.5%/);
    // a value rounding to 100 while a row is wrong stays below it
    expect(rateOf(100000, 1, 1)).toBe(99.99);
    expect(rateOf(5, 0, 1)).toBe(100);

    const runs = listRuns(ws, { month: '2027-03' }).filter((r) => r.category === 'five');
    removeRun(ws, five.id);
    expect(readMetricValue(ws, 'compliance_rate', '2027-03')!.value).toBe(100);
    removeRun(ws, runs.find((r) => r.id !== five.id)!.id);
    // no five-category run left: the computed value goes
    expect(readMetricValue(ws, 'compliance_rate', '2027-03')).toBeNull();
    expect(appError(() => removeRun(ws, five.id)).code).toBe('NOT_FOUND');

    // an automatic value only: refreshing a month without runs removes it; a manual one stays
    await call(core, 'metrics.set', { metric: 'compliance_rate', month: '2027-02', value: 97 });
    refreshComplianceMetric(ws, '2027-02');
    expect(readMetricValue(ws, 'compliance_rate', '2027-02')!.value).toBe(97);
  });

  it('removing a run removes its workbook attachment and the run from the overview', async () => {
    const { core } = await coreWithWorkspace();
    const ws = wsOf(core);
    const wb = path.join(tempDir(), 'wb.xlsx');
    fs.writeFileSync(wb, 'x');
    const run = recordRun(
      ws,
      {
        result: result('xzqz', 'five', 10, 1),
        fileName: 'f.csv',
        deptId: null,
        month: '2027-03',
        errorWorkbookPath: wb,
      },
      NOW,
    );
    expect(countRows(core, 'attachments', "owner_type = 'compliance_run' AND deleted = 0")).toBe(1);
    removeRun(ws, run.id);
    expect(countRows(core, 'attachments', "owner_type = 'compliance_run' AND deleted = 0")).toBe(0);
    const o = complianceOverview(ws, {}, NOW);
    expect(o.departments).toEqual([]);
    expect(o.month).toBe('2027-03');
    expect(o.fiveCategoryRate).toBeNull();
  });

  it('months back across a year', () => {
    expect(monthsBack('2027-02', 4)).toEqual(['2026-11', '2026-12', '2027-01', '2027-02']);
  });
});

describe('department suggestion', () => {
  it('reads the 数据来源单位 column, else the file name', async () => {
    const { core } = await coreWithWorkspace();
    const ws = wsOf(core);
    const scj = deptId(ws, '琼海市市场监督管理局');
    const fgw = deptId(ws, '琼海市发展和改革委员会');
    const columns = [
      { index: 0, header: '行政相对人名称', field: 'A', fieldName: '行政相对人名称' },
      { index: 1, header: '数据来源单位', field: 'B', fieldName: '数据来源单位' },
      {
        index: 2,
        header: '数据来源单位统一社会信用代码',
        field: 'C',
        fieldName: '数据来源单位统一社会信用代码',
      },
    ];
    const rows = [
      { cells: ['某公司', '琼海市市场监督管理局', '11469002MB0000000X'] },
      { cells: ['某公司', '市场监管局', '11469002MB0000000X'] },
    ];
    expect(suggestDepartment(ws, '数据.xlsx', columns, rows)).toBe(scj);
    expect(suggestDepartment(ws, '市发改委-行政强制-2027年3月.csv', columns.slice(0, 1), rows)).toBe(fgw);
    expect(suggestDepartment(ws, '琼海市发展和改革委员会行政强制.csv', [], [])).toBe(fgw);
    expect(suggestDepartment(ws, '行政处罚数据.xlsx', [], [])).toBeNull();
  });
});
