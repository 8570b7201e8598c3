import { describe, expect, test } from 'vitest';
import {
  RuleSetDefinition,
  type Finding,
  type RuleSetDefinitionInput,
} from '../../main/core/contract/compliance';
import { BUILTIN_RULE_SETS } from '../../main/core/compliance/builtin';
import {
  RULES,
  WRONG_CODE_RULES,
  compileChecker,
  detectRuleSet,
  matchHeader,
} from '../../main/core/compliance/engine';
import type { HeaderMatch, StoredRuleSet } from '../../main/core/compliance/types';
import {
  DEFECT_KINDS,
  LICENCE_COLUMNS,
  LICENCE_HEADERS,
  PENALTY_COLUMNS,
  PENALTY_HEADERS,
  PENALTY_HEADERS_VARIANT,
  injectDefects,
  randomIdNumber,
  randomUscc,
  rng,
  validLicenceRow,
  validPenaltyRow,
} from '../helpers/compliance-rows';

const TODAY = '2026-11-29';
const builtin = (code: string, patch: Partial<RuleSetDefinitionInput> = {}) =>
  RuleSetDefinition.parse({ ...BUILTIN_RULE_SETS.find((s) => s.code === code)!, ...patch });
const PENALTY = builtin('xzcf');
const LICENCE = builtin('xzxk');
const headerRow = (cells: readonly string[], n = 1) => ({ n, cells: [...cells] });

function penaltyMatch(def = PENALTY): HeaderMatch {
  const m = matchHeader([headerRow(PENALTY_HEADERS)], def);
  if (!m) throw new Error('no header');
  return m;
}

/** Checks rows (data row i is spreadsheet row i + 2) and returns the findings. */
function run(rows: string[][], def = PENALTY, match = penaltyMatch(def), today = TODAY): Finding[] {
  const checker = compileChecker(def, match, { today });
  const out: Finding[] = [];
  rows.forEach((cells, i) => checker.check(cells, i + 2, out));
  return out;
}

const pcol = (key: (typeof PENALTY_COLUMNS)[number]) => PENALTY_COLUMNS.indexOf(key);
const lcol = (key: (typeof LICENCE_COLUMNS)[number]) => LICENCE_COLUMNS.indexOf(key);

/** A valid penalty row of the wanted subject category (deterministic). */
function penaltyRow(
  category: '法人及非法人组织' | '自然人' | '个体工商户' = '法人及非法人组织',
  seed = 7,
): string[] {
  const r = rng(seed);
  for (let i = 0; ; i++) {
    const row = validPenaltyRow(r, i);
    if (row[pcol('CF_XDR_LB')] === category) return row;
  }
}

/** Findings of one modified row as [column key, rule, severity]. */
function findingsOf(
  edit: (row: string[]) => void,
  category?: Parameters<typeof penaltyRow>[0],
  def = PENALTY,
) {
  const row = penaltyRow(category);
  edit(row);
  return run([row], def).map((f) => [PENALTY_COLUMNS[f.column!], f.rule, f.severity]);
}

describe('builtin rule sets', () => {
  test('every builtin definition parses, with unique codes, keys and names and valid references', () => {
    const codes = new Set<string>();
    expect(BUILTIN_RULE_SETS.length).toBe(13);
    for (const input of BUILTIN_RULE_SETS) {
      const def = RuleSetDefinition.parse(input);
      expect(codes.has(def.code), def.code).toBe(false);
      codes.add(def.code);
      expect(def.version).toBe('2026.1');
      const keys = new Set(def.fields.map((f) => f.key));
      expect(keys.size, def.code).toBe(def.fields.length);
      expect(new Set(def.fields.map((f) => f.name)).size, def.code).toBe(def.fields.length);
      expect(def.fields.some((f) => f.required)).toBe(true);
      for (const f of def.fields) {
        if (f.requiredWhen) expect(keys.has(f.requiredWhen.field), `${def.code} ${f.key}`).toBe(true);
        if (f.idTypeField) expect(keys.has(f.idTypeField), `${def.code} ${f.key}`).toBe(true);
        if (f.format === 'code') expect(f.codeList.length, `${def.code} ${f.key}`).toBeGreaterThan(0);
      }
      for (const r of def.rules) {
        const refs =
          r.kind === 'dateOrder'
            ? [r.from, r.to]
            : r.kind === 'subjectPrefix'
              ? [r.categoryField, r.codeField]
              : r.kind === 'requiredIfContains'
                ? [r.field, r.whenField]
                : [r.decisionDateField, r.deadlineField, ...r.domainFields];
        for (const k of refs) expect(keys.has(k), `${def.code} ${r.kind} ${k}`).toBe(true);
      }
      if (def.category !== 'double') expect(def.description).toContain('依据双公示模式拟定的起始规则集');
    }
    expect(PENALTY.fields).toHaveLength(30);
    expect(LICENCE.fields).toHaveLength(28);
    expect(PENALTY.publicity.map((p) => p.id)).toEqual(['527号', '过渡期', '58号令', '36号令']);
    expect(PENALTY.publicity[1]!.note).toContain('假定');
    expect(
      [...codes].filter((c) => BUILTIN_RULE_SETS.find((s) => s.code === c)!.category === 'five'),
    ).toEqual(['xzqz', 'xzjl', 'xzqr', 'xzcj', 'xzjc']);
    expect(BUILTIN_RULE_SETS.filter((s) => s.category === 'six')).toHaveLength(6);
  });

  test('RULES names every rule, and the wrong-code rules are among them', () => {
    for (const r of WRONG_CODE_RULES) expect(RULES[r], r).toBeDefined();
    for (const r of Object.values(RULES)) expect(r.name).toMatch(/\p{Script=Han}/u);
  });
});

describe('header matching', () => {
  test('standard names map every column', () => {
    const m = matchHeader([headerRow(PENALTY_HEADERS)], PENALTY)!;
    expect(m.headerRow).toBe(1);
    expect(m.matched).toBe(21);
    expect(m.missingFields).toEqual([]);
    PENALTY_COLUMNS.forEach((k, i) => expect(m.fieldIndex[k]).toBe(i));
    expect(m.columns[14]).toEqual({
      index: 14,
      header: '处罚决定日期',
      field: 'CF_JDRQ',
      fieldName: '处罚决定日期',
    });
  });

  test('variants: half-width brackets, spaces, * and （必填） markers, short names; header on row 3 after a title', () => {
    const rows = [
      { n: 1, cells: ['琼海市综合行政执法局 2026 年 10 月行政处罚信息'] },
      { n: 2, cells: [] },
      headerRow(PENALTY_HEADERS_VARIANT, 3),
      { n: 4, cells: validPenaltyRow(rng(3), 0) },
    ];
    const m = matchHeader(rows, PENALTY)!;
    expect(m.headerRow).toBe(3);
    expect(m.matched).toBe(21);
    PENALTY_COLUMNS.forEach((k, i) => expect(m.fieldIndex[k], k).toBe(i));
    expect(m.columns[0]!.header).toBe('*相对人名称');
  });

  test('other column order, unknown extra columns, field keys and old names as headers', () => {
    const headers = [
      '序号',
      'cf_wsh',
      '处罚事由',
      '行政相对人名称',
      '内部编号',
      'CF_CFLB1',
      '处罚决定日期',
      '处罚机关',
      '备 注',
    ];
    const m = matchHeader([headerRow(headers)], PENALTY)!;
    expect(m.fieldIndex).toEqual({
      CF_WSH: 1,
      CF_SY: 2,
      CF_XDR_MC: 3,
      CF_CFLB: 5,
      CF_JDRQ: 6,
      CF_CFJG: 7,
      BZ: 8,
    });
    expect(m.columns[0]).toEqual({ index: 0, header: '序号', field: null, fieldName: null });
    expect(m.missingFields).toContain('行政相对人类别');
    expect(m.missingFields).not.toContain('行政相对人名称');
  });

  test('a field named twice: the first column wins', () => {
    const m = matchHeader(
      [headerRow(['行政相对人名称', '相对人名称', '处罚决定书文号', '处罚类别', '处罚决定日期', '处罚机关'])],
      PENALTY,
    )!;
    expect(m.fieldIndex.CF_XDR_MC).toBe(0);
    expect(m.columns[1]!.field).toBeNull();
  });

  test('no header: too few fields, or under 30% of the required ones', () => {
    expect(matchHeader([headerRow(['姓名', '电话', '地址'])], PENALTY)).toBeNull();
    expect(matchHeader([headerRow(['行政相对人名称'])], PENALTY)).toBeNull();
    expect(matchHeader([headerRow(['行政相对人名称', '备注', '法定代表人'])], PENALTY)).toBeNull();
    expect(matchHeader([], PENALTY)).toBeNull();
  });

  test('detectRuleSet picks 行政处罚 or 行政许可 and lists the other plausible sets', () => {
    const sets: StoredRuleSet[] = BUILTIN_RULE_SETS.map((s, i) => ({
      id: `id-${i}`,
      definition: RuleSetDefinition.parse(s),
    }));
    const p = detectRuleSet([headerRow(PENALTY_HEADERS_VARIANT)], sets);
    expect(p.best!.set.definition.code).toBe('xzcf');
    const l = detectRuleSet([{ n: 1, cells: ['标题'] }, headerRow(LICENCE_HEADERS, 2)], sets);
    expect(l.best!.set.definition.code).toBe('xzxk');
    expect(l.best!.match.headerRow).toBe(2);
    expect(l.candidates.map((c) => c.set.definition.code)).not.toContain('xzxk');
    expect(detectRuleSet([headerRow(['a', 'b'])], sets)).toEqual({ best: null, candidates: [] });
    const tax = detectRuleSet(
      [headerRow(['纳税人名称', '统一社会信用代码', '纳税信用等级', '评价年度', '数据来源单位'])],
      sets,
    );
    expect(tax.best!.set.definition.code).toBe('tdxx_ns');
    // Every builtin set is recognised from its own standard names.
    for (const s of sets) {
      const names = s.definition.fields.map((f) => f.name);
      expect(detectRuleSet([headerRow(names)], sets).best!.set.definition.code, s.definition.code).toBe(
        s.definition.code,
      );
    }
  });
});

describe('injected defects: every one found, nothing else', () => {
  for (const set of ['xzcf', 'xzxk'] as const) {
    test(set, () => {
      const def = set === 'xzcf' ? PENALTY : LICENCE;
      const headers = set === 'xzcf' ? PENALTY_HEADERS : LICENCE_HEADERS;
      const r = rng(set === 'xzcf' ? 11 : 12);
      const rows = Array.from({ length: 4000 }, (_, i) =>
        set === 'xzcf' ? validPenaltyRow(r, i) : validLicenceRow(r, i),
      );
      const match = matchHeader([headerRow(headers)], def)!;
      expect(run(rows, def, match)).toEqual([]);
      const expected = injectDefects(rows, r, { set, perKind: 3 });
      const found = run(rows, def, match);
      const key = (
        row: number,
        column: number | null,
        field: string | null,
        rule: string,
        severity: string,
      ) => `${row}|${column}|${field}|${rule}|${severity}`;
      expect(found.map((f) => key(f.row, f.column, f.field, f.rule, f.severity)).sort()).toEqual(
        expected.map((d) => key(d.index + 2, d.column, d.field, d.rule, d.severity)).sort(),
      );
      const kinds = new Set(expected.map((d) => d.kind));
      expect(kinds.size).toBe(set === 'xzcf' ? DEFECT_KINDS.length : DEFECT_KINDS.length - 5);
      for (const f of found) {
        expect(RULES[f.rule], f.rule).toBeDefined();
        expect(f.message).toContain(f.field!);
        expect(f.value!.length).toBeLessThanOrEqual(200);
      }
    });
  }
});

describe('rules, one by one', () => {
  test('required / required_when (自然人 → 证件, 罚款 → 罚款金额, 没收 → 没收金额)', () => {
    expect(findingsOf((r) => (r[pcol('CF_WSH')] = ' \u3000 '))).toEqual([['CF_WSH', 'required', 'error']]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_ZJLX')] = ''), '自然人')).toEqual([
      ['CF_XDR_ZJLX', 'required_when', 'error'],
    ]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_SHXYM')] = ''))).toEqual([
      ['CF_XDR_SHXYM', 'required_when', 'error'],
    ]);
    expect(findingsOf((r) => (r[pcol('CF_FRDB')] = ''))).toEqual([['CF_FRDB', 'required_when', 'error']]);
    // 个体工商户 without a code is accepted; 自然人 needs no 法定代表人.
    expect(findingsOf((r) => (r[pcol('CF_XDR_SHXYM')] = ''), '个体工商户')).toEqual([]);
    expect(findingsOf(() => undefined, '自然人')).toEqual([]);
    const fine = findingsOf((r) => {
      r[pcol('CF_CFLB')] = '警告;罚款';
      r[pcol('CF_NR_FK')] = '';
    });
    expect(fine).toEqual([['CF_NR_FK', 'required_when', 'error']]);
    expect(findingsOf((r) => ((r[pcol('CF_CFLB')] = '警告'), (r[pcol('CF_NR_FK')] = '')))).toEqual([]);
    // 没收 → 没收金额, when the file has that column.
    const headers = [...PENALTY_HEADERS, '没收违法所得、没收非法财物的金额（万元）'];
    const m = matchHeader([headerRow(headers)], PENALTY)!;
    const row = [...penaltyRow(), ''];
    row[pcol('CF_CFLB')] = '没收违法所得';
    row[pcol('CF_NR_FK')] = '';
    const f = run([row], PENALTY, m);
    expect(f.map((x) => [x.column, x.rule])).toEqual([[21, 'required_when']]);
    expect(f[0]!.message).toBe(
      '「处罚类别」含「没收」时，「没收违法所得、没收非法财物的金额（万元）」必须填写，请补充',
    );
  });

  test('code lists: multi-valued with separators, old categories, 其他-, bare 其他', () => {
    for (const ok of [
      '警告；罚款',
      '罚款、没收违法所得',
      '暂扣或者吊销执照',
      '其他-责令改正',
      '警告,罚款,',
    ]) {
      expect(
        findingsOf((r) => ((r[pcol('CF_CFLB')] = ok), (r[pcol('CF_NR_FK')] = '0.2'))),
        ok,
      ).toEqual([]);
    }
    const bad = penaltyRow();
    bad[pcol('CF_CFLB')] = '警告、处分';
    const [f] = run([bad]);
    expect(f).toMatchObject({ rule: 'code_list', value: '警告、处分' });
    expect(f!.message).toContain('「处分」不在代码表中');
    const other = penaltyRow();
    other[pcol('CF_CFLB')] = '其他';
    expect(run([other])[0]!.message).toBe('「处罚类别」填写「其他」时须写明具体类别，如「其他-具体类别」');
    expect(findingsOf((r) => (r[pcol('CF_XDR_LB')] = '企业'))).toEqual([['CF_XDR_LB', 'code_list', 'error']]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_ZJLX')] = '其他-军官证'), '自然人')).toEqual([]);
  });

  test('统一社会信用代码: check character message, severity option, folded spaces and full-width', () => {
    const row = penaltyRow();
    row[pcol('CF_CFJGDM')] = '91350100M000100Y4Z';
    const [f] = run([row]);
    expect(f).toMatchObject({ rule: 'uscc_check', severity: 'error', field: '处罚机关统一社会信用代码' });
    expect(f!.message).toBe(
      '「处罚机关统一社会信用代码」校验位错误：第 18 位应为 3（当前为 Z），请核对原始证照',
    );
    const lenient = builtin('xzcf', { options: { checkDigitSeverity: 'warning' } });
    expect(run([row], lenient, penaltyMatch(lenient))[0]).toMatchObject({
      rule: 'uscc_check',
      severity: 'warning',
    });
    expect(findingsOf((r) => (r[pcol('CF_SJLYDM')] = '91350203M0001QAY9B'))).toEqual([
      ['CF_SJLYDM', 'uscc_check', 'error'],
    ]);
    expect(findingsOf((r) => (r[pcol('CF_SJLYDM')] = ' 91350100M000100Y43'))).toEqual([
      ['CF_SJLYDM', 'whitespace', 'warning'],
    ]);
    expect(findingsOf((r) => (r[pcol('CF_SJLYDM')] = '9135 0100M000100Y43'))).toEqual([
      ['CF_SJLYDM', 'whitespace', 'warning'],
    ]);
    expect(findingsOf((r) => (r[pcol('CF_SJLYDM')] = '91350100m000100Y43'))).toEqual([
      ['CF_SJLYDM', 'uscc_charset', 'error'],
    ]);
    const strictWs = builtin('xzcf', { options: { whitespaceSeverity: 'error' } });
    expect(findingsOf((r) => (r[pcol('CF_SJLYDM')] = '９1350100M000100Y43'), undefined, strictWs)).toEqual([
      ['CF_SJLYDM', 'full_width', 'error'],
    ]);
    const area = penaltyRow();
    area[pcol('CF_SJLYDM')] = '9135A100M000100Y43';
    expect(run([area])[0]!.message).toContain('第 3—8 位应为行政区划代码');
  });

  test('组织机构代码 and 证件号码 (身份证 by 证件类型; other types not checked as 身份证)', () => {
    expect(findingsOf((r) => (r[pcol('CF_XDR_ZZJG')] = 'M000100Y-4'))).toEqual([]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_ZZJG')] = 'M000100Y-5'))).toEqual([
      ['CF_XDR_ZZJG', 'org_code_check', 'error'],
    ]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_ZJHM')] = '11010519491231002X'), '自然人')).toEqual([]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_ZJHM')] = '110105491231002'), '自然人')).toEqual([]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_ZJHM')] = '110105194912310021'), '自然人')).toEqual([
      ['CF_XDR_ZJHM', 'id_check', 'error'],
    ]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_ZJHM')] = '11010519491231002x'), '自然人')).toEqual([
      ['CF_XDR_ZJHM', 'id_lowercase', 'warning'],
    ]);
    expect(
      findingsOf(
        (r) => ((r[pcol('CF_XDR_ZJLX')] = '护照号'), (r[pcol('CF_XDR_ZJHM')] = 'E12345678')),
        '自然人',
      ),
    ).toEqual([]);
    // No type given: a value that looks like a 身份证 number is still checked.
    const noType = penaltyRow('自然人');
    noType[pcol('CF_XDR_ZJLX')] = '';
    noType[pcol('CF_XDR_ZJHM')] = '110105194912310021';
    expect(run([noType]).map((f) => f.rule)).toEqual(['required_when', 'id_check']);
    const future = penaltyRow('自然人');
    future[pcol('CF_XDR_ZJHM')] = randomIdNumber(rng(1), '20270101');
    expect(run([future])[0]).toMatchObject({ rule: 'id_birth' });
    const sci = penaltyRow('自然人');
    sci[pcol('CF_XDR_ZJHM')] = '1.10105E+17';
    expect(run([sci])[0]!.message).toContain('请将单元格格式设为文本后重新录入');
  });

  test('dates: accepted formats, Excel time part, invalid days, serial numbers, the future', () => {
    for (const ok of ['2024/3/5', '20240305', '2024年3月5日', '2024-03-05 00:00:00', '2024-3-5']) {
      expect(
        findingsOf((r) => (r[pcol('CF_JDRQ')] = ok)),
        ok,
      ).toEqual([]);
    }
    for (const bad of ['2024.03.05', '2024-13-01', '24-03-05', '2024-03-05 abc', '2024年3月5']) {
      expect(
        findingsOf((r) => (r[pcol('CF_JDRQ')] = bad)),
        bad,
      ).toEqual([['CF_JDRQ', 'date_format', 'error']]);
    }
    const dotted = builtin('xzcf', { options: { dateFormats: ['YYYY-MM-DD', 'YYYY.MM.DD'] } });
    expect(findingsOf((r) => (r[pcol('CF_JDRQ')] = '2024.03.05'), undefined, dotted)).toEqual([]);
    expect(findingsOf((r) => (r[pcol('CF_JDRQ')] = '2024/03/05'), undefined, dotted)).toEqual([
      ['CF_JDRQ', 'date_format', 'error'],
    ]);
    const serial = penaltyRow();
    serial[pcol('CF_JDRQ')] = '45356';
    expect(run([serial])[0]!.message).toContain('Excel 日期序号');
    const leap = penaltyRow();
    leap[pcol('CF_JDRQ')] = '2023-02-29';
    expect(run([leap])[0]!.message).toBe('「处罚决定日期」的日期「2023-02-29」不存在，请核对');
    const fut = penaltyRow();
    fut[pcol('CF_JDRQ')] = '2026-11-30';
    fut[pcol('CF_YXQ')] = '2027-11-30';
    fut[pcol('CF_GSJZQ')] = '2027-11-30';
    expect(run([fut]).map((f) => [f.rule, f.severity])).toEqual([['date_future', 'error']]);
    expect(run([fut], PENALTY, penaltyMatch(), '2026-11-30')).toEqual([]);
    const soft = builtin('xzcf', { options: { futureDateSeverity: 'warning' } });
    expect(run([fut], soft, penaltyMatch(soft))[0]!.severity).toBe('warning');
  });

  test('date order and open-ended 有效期至 (licence)', () => {
    const r = rng(5);
    const row = validLicenceRow(r, 0);
    const m = matchHeader([headerRow(LICENCE_HEADERS)], LICENCE)!;
    row[lcol('XK_JDRQ')] = '2024-01-10';
    row[lcol('XK_YXQZ')] = '2024-01-10';
    for (const ok of ['长期', '2099-12-31', '2029-01-09']) {
      row[lcol('XK_YXQZI')] = ok;
      expect(run([row], LICENCE, m), ok).toEqual([]);
    }
    row[lcol('XK_YXQZI')] = '2023-12-31';
    const f = run([row], LICENCE, m);
    expect(f.map((x) => [LICENCE_COLUMNS[x.column!], x.rule])).toEqual([
      ['XK_YXQZI', 'date_order'],
      ['XK_YXQZI', 'date_order'],
    ]);
    expect(f[0]!.message).toBe('「有效期至」（2023-12-31）早于「有效期自」（2024-01-10），请核对两个日期');
    row[lcol('XK_YXQZI')] = '长久';
    expect(run([row], LICENCE, m).map((x) => x.rule)).toEqual(['date_format']);
    row[lcol('XK_YXQZI')] = '2029-01-09';
    row[lcol('XK_ZT')] = '有效';
    expect(run([row], LICENCE, m)).toEqual([]);
    row[lcol('XK_ZT')] = '3';
    expect(run([row], LICENCE, m).map((x) => x.rule)).toEqual(['code_list']);
  });

  test('amounts in 万元', () => {
    const set = (v: string) => (r: string[]) => ((r[pcol('CF_CFLB')] = '罚款'), (r[pcol('CF_NR_FK')] = v));
    for (const ok of ['0.2', '0', '12', '9999.99']) expect(findingsOf(set(ok)), ok).toEqual([]);
    expect(findingsOf(set('2000元'))).toEqual([['CF_NR_FK', 'amount_format', 'error']]);
    expect(findingsOf(set('1,000'))).toEqual([['CF_NR_FK', 'amount_format', 'error']]);
    expect(findingsOf(set('1.'))).toEqual([['CF_NR_FK', 'amount_format', 'error']]);
    expect(findingsOf(set('-1'))).toEqual([['CF_NR_FK', 'amount_negative', 'error']]);
    expect(findingsOf(set('10000'))).toEqual([['CF_NR_FK', 'amount_unit', 'warning']]);
    const row = penaltyRow();
    set('2000元')(row);
    expect(run([row])[0]!.message).toContain('按万元只填写数字');
  });

  test('publicity periods by decision date, with domain minimums and the version in the message', () => {
    const check = (decision: string, deadline: string, wfxw = '占道经营') => {
      const row = penaltyRow();
      row[pcol('CF_JDRQ')] = decision;
      row[pcol('CF_YXQ')] = deadline;
      row[pcol('CF_GSJZQ')] = deadline;
      row[pcol('CF_WFXW')] = wfxw;
      row[pcol('CF_YJ')] = '《城市市容和环境卫生管理条例》第三十六条';
      row[pcol('CF_CFJG')] = '琼海市综合行政执法局';
      return run([row]).filter((f) => f.rule === 'publicity_period');
    };
    // Before the first version: not checked.
    expect(check('2019-06-30', '2019-07-15')).toEqual([]);
    // 527号: 3–36 months.
    expect(check('2020-01-10', '2020-03-10')[0]!.message).toContain(
      '按发改办财金〔2019〕527号，公示期最短 3 个月、最长 3 年',
    );
    expect(check('2020-01-10', '2020-04-10')).toEqual([]);
    // 58号令: message names the version and the window.
    const [f] = check('2024-01-10', '2027-02-10');
    expect(f!.message).toBe(
      '按国家发展改革委令第58号，公示期最短 3 个月、最长 3 年：「公示截止期」应在 2024-04-10 至 2027-01-10 之间（处罚决定日期 2024-01-10），当前为 2027-02-10，请核对',
    );
    expect(check('2024-01-10', '2027-01-10')).toEqual([]);
    // 食品 domain under 58号令: at least 1 year.
    const food = check('2024-01-10', '2024-07-10', '经营超过保质期的食品');
    expect(food[0]!.message).toContain('食品领域的处罚公示期最短 1 年');
    expect(check('2024-01-10', '2025-01-10', '经营超过保质期的食品')).toEqual([]);
    // 过渡期: 特种设备 at least 1 year, 食品 not yet.
    expect(check('2022-03-01', '2022-09-01', '特种设备未经检验')[0]!.message).toContain(
      '2021 年公示期限规定',
    );
    expect(check('2022-03-01', '2022-09-01', '经营超过保质期的食品')).toEqual([]);
    // 36号令: no shortest period.
    expect(check('2026-05-01', '2026-06-01')).toEqual([]);
    expect(check('2026-05-01', '2029-06-01')[0]!.message).toContain(
      '公示期最长 3 年：「公示截止期」应不晚于 2029-05-01',
    );
    // A deadline before the decision is reported once, as date_order.
    const row = penaltyRow();
    row[pcol('CF_JDRQ')] = '2024-01-10';
    row[pcol('CF_GSJZQ')] = '2023-01-10';
    expect(run([row]).map((x) => x.rule)).toEqual(['date_order']);
  });

  test('subject category vs code prefix', () => {
    expect(findingsOf((r) => (r[pcol('CF_XDR_SHXYM')] = randomUscc(rng(2), '92')))).toEqual([
      ['CF_XDR_LB', 'subject_prefix', 'warning'],
    ]);
    expect(findingsOf((r) => (r[pcol('CF_XDR_LB')] = '个体工商户'))).toEqual([
      ['CF_XDR_LB', 'subject_prefix', 'error'],
    ]);
    const person = penaltyRow('自然人');
    person[pcol('CF_XDR_SHXYM')] = randomUscc(rng(2), '92');
    const [f] = run([person]);
    expect(f).toMatchObject({ rule: 'subject_prefix', severity: 'error' });
    expect(f!.message).toContain('请将类别改为「个体工商户」');
  });

  test('duplicates name the first row; whitespace; max length; findings in column order', () => {
    const r = rng(9);
    const rows = [validPenaltyRow(r, 0), validPenaltyRow(r, 1), validPenaltyRow(r, 2)];
    rows[2]![pcol('CF_WSH')] = ` ${rows[0]![pcol('CF_WSH')]}`;
    const f = run(rows);
    expect(f.map((x) => [x.row, x.rule])).toEqual([
      [4, 'whitespace'],
      [4, 'duplicate'],
    ]);
    expect(f[1]!.message).toContain('与第 2 行重复');
    expect(findingsOf((row) => (row[pcol('CF_SY')] = '经查，  当事人'))).toEqual([
      ['CF_SY', 'whitespace', 'warning'],
    ]);
    const long = penaltyRow();
    long[pcol('CF_XDR_MC')] = '琼'.repeat(300);
    const [m] = run([long]);
    expect(m).toMatchObject({ rule: 'max_length' });
    expect(m!.value).toHaveLength(200);
    // Several findings in one row come out in column order, cross-field ones included.
    const many = penaltyRow();
    many[pcol('CF_XDR_LB')] = '个体工商户';
    many[pcol('CF_SJLYDM')] = '91350100M000100Y4Z';
    many[pcol('CF_YXQ')] = '2000-01-01';
    many[pcol('CF_XDR_MC')] = '';
    expect(run([many]).map((x) => [x.column, x.rule])).toEqual([
      [pcol('CF_XDR_MC'), 'required'],
      [pcol('CF_XDR_LB'), 'subject_prefix'],
      [pcol('CF_YXQ'), 'date_order'],
      [pcol('CF_SJLYDM'), 'uscc_check'],
    ]);
  });

  test('fields without a column are skipped; short rows count as empty cells', () => {
    const m = matchHeader(
      [
        headerRow([
          '行政相对人名称',
          '行政相对人类别',
          '处罚决定书文号',
          '处罚类别',
          '处罚决定日期',
          '处罚机关',
        ]),
      ],
      PENALTY,
    )!;
    expect(m.missingFields).toContain('违法事实');
    expect(
      run(
        [
          [
            '琼海市某公司',
            '法人及非法人组织',
            '琼罚〔2024〕1号',
            '警告',
            '2024-01-01',
            '琼海市市场监督管理局',
          ],
        ],
        PENALTY,
        m,
      ),
    ).toEqual([]);
    expect(run([['琼海市某公司']], PENALTY, m).map((f) => f.rule)).toEqual([
      'required',
      'required',
      'required',
      'required',
      'required',
    ]);
  });
});
