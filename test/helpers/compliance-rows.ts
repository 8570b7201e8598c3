/**
 * Generated 双公示 rows for the compliance tests and benches: valid rows of the builtin 行政处罚
 * (xzcf) and 行政许可 (xzxk) rule sets, and a defect injector that returns exactly which
 * findings the engine must report.
 *
 * Rows are `string[]` in the column order of PENALTY_COLUMNS / LICENCE_COLUMNS (field keys);
 * the standard header texts are PENALTY_HEADERS / LICENCE_HEADERS. Every generated date lies in
 * 2023-06-01 … 2026-01-10, so the rows are valid for any check day (`today`) from 2026-02-01.
 * Deterministic: the same `rand` sequence gives the same rows.
 */
import { BUILTIN_RULE_SETS } from '../../main/core/compliance/builtin';
import { USCC_CHARS, idCheckChar, orgCodeCheckChar, usccCheckChar } from '../../main/core/compliance/codes';
import { addDays, addMonths, ymdToIso } from '../../main/core/compliance/publicity';
import { rng } from '../bench/text';

export { rng };
export type Rand = () => number;

/** The 21 columns of the penalty fixtures (all 14 required fields + the common optional ones). */
export const PENALTY_COLUMNS = [
  'CF_XDR_MC',
  'CF_XDR_LB',
  'CF_XDR_SHXYM',
  'CF_XDR_ZZJG',
  'CF_FRDB',
  'CF_XDR_ZJLX',
  'CF_XDR_ZJHM',
  'CF_WSH',
  'CF_WFXW',
  'CF_SY',
  'CF_YJ',
  'CF_CFLB',
  'CF_NR',
  'CF_NR_FK',
  'CF_JDRQ',
  'CF_YXQ',
  'CF_GSJZQ',
  'CF_CFJG',
  'CF_CFJGDM',
  'CF_SJLY',
  'CF_SJLYDM',
] as const;

/** The 20 columns of the licence fixtures. */
export const LICENCE_COLUMNS = [
  'XK_XDR_MC',
  'XK_XDR_LB',
  'XK_XDR_SHXYM',
  'XK_XDR_ZZJG',
  'XK_FRDB',
  'XK_XDR_ZJLX',
  'XK_XDR_ZJHM',
  'XK_XKWS',
  'XK_WSH',
  'XK_XKLB',
  'XK_XKBH',
  'XK_NR',
  'XK_JDRQ',
  'XK_YXQZ',
  'XK_YXQZI',
  'XK_XKJG',
  'XK_XKJGDM',
  'XK_ZT',
  'XK_LYDW',
  'XK_LYDWDM',
] as const;

function namesOf(code: string, keys: readonly string[]): string[] {
  const def = BUILTIN_RULE_SETS.find((s) => s.code === code)!;
  return keys.map((k) => def.fields.find((x) => x.key === k)!.name);
}

/** Standard header texts (field names) of PENALTY_COLUMNS. */
export const PENALTY_HEADERS: readonly string[] = namesOf('xzcf', PENALTY_COLUMNS);
/** Standard header texts of LICENCE_COLUMNS. */
export const LICENCE_HEADERS: readonly string[] = namesOf('xzxk', LICENCE_COLUMNS);

/**
 * The same penalty header as departments write it: half-width brackets, spaces inside names,
 * 「*」 required markers, 「（必填）」, short and old names. Maps to the same fields.
 */
export const PENALTY_HEADERS_VARIANT: readonly string[] = [
  '*相对人名称',
  '行政相对人类别（必填）',
  '行政相对人代码_1(统一社会信用代码)',
  '行政相对人代码_3 (组织机构代码)',
  '法定代表人',
  '证件类型(自然人)',
  '证件号码（自然人）',
  '处罚决定书文号',
  '违法行为类型',
  '违法 事实',
  '处罚依据',
  '处罚类别',
  '处罚内容',
  '罚款金额(万元)',
  '作出处罚决定日期',
  '处罚有效期',
  '公示截止期',
  '处罚机关',
  '处罚机关统一社会信用代码',
  '数据来源单位',
  '数据来源单位统一社会信用代码',
];

const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** A valid USCC: `prefix` (2 chars) + area + random org-code body with its check + mod-31 check. */
export function randomUscc(rand: Rand, prefix = '91', area = '469002'): string {
  let body = '';
  for (let i = 0; i < 8; i++) body += USCC_CHARS[Math.floor(rand() * 31)]!;
  const first17 = prefix + area + body + orgCodeCheckChar(body);
  return first17 + usccCheckChar(first17);
}

/** A valid 18-digit 身份证 number (Hainan area, born 1950–2003); `wantX` forces check X. */
export function randomIdNumber(rand: Rand, birth?: string, wantX = false): string {
  for (;;) {
    const b =
      birth ??
      String(
        (1950 + Math.floor(rand() * 53)) * 10000 +
          (1 + Math.floor(rand() * 12)) * 100 +
          1 +
          Math.floor(rand() * 28),
      );
    const seq = String(Math.floor(rand() * 1000)).padStart(3, '0');
    const first17 = '469002' + b + seq;
    const check = idCheckChar(first17);
    if (!wantX || check === 'X') return first17 + check;
  }
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '符', '林', '冯', '蔡'];
const GIVEN = ['明', '华', '伟', '芳', '海', '丽', '军', '强', '敏', '静', '磊', '洋', '琼', '春'];
const WORDS = [
  '椰林',
  '万泉河',
  '博鳌',
  '嘉积',
  '潭门',
  '南海',
  '椰风',
  '海韵',
  '热带',
  '绿源',
  '金海',
  '兴隆',
];
const TRADES = [
  '贸易',
  '餐饮',
  '建筑工程',
  '物业管理',
  '旅游开发',
  '食品',
  '农业开发',
  '运输',
  '酒店管理',
  '科技',
];

function personName(rand: Rand): string {
  return pick(rand, SURNAMES) + pick(rand, GIVEN) + (rand() < 0.6 ? pick(rand, GIVEN) : '');
}
function companyName(rand: Rand, i: number): string {
  return `琼海市${pick(rand, WORDS)}${pick(rand, TRADES)}有限公司${i % 7 === 0 ? '嘉积分公司' : ''}`;
}

/** A few agencies with fixed valid codes (11 = 机构编制/机关). */
const AGENCIES: { name: string; code: string; abbr: string }[] = (() => {
  const r = rng(20260101);
  return [
    ['琼海市市场监督管理局', '市监'],
    ['琼海市综合行政执法局', '综执'],
    ['琼海市生态环境局', '环'],
    ['琼海市交通运输局', '交'],
    ['琼海市卫生健康委员会', '卫'],
    ['琼海市应急管理局', '应急'],
  ].map(([name, abbr]) => ({ name: name!, abbr: abbr!, code: randomUscc(r, '11') }));
})();

const VIOLATIONS = [
  ['未按规定公示年度报告', '《企业信息公示暂行条例》第八条', '《企业信息公示暂行条例》第十八条'],
  ['占道经营', '《城市市容和环境卫生管理条例》第十四条', '《城市市容和环境卫生管理条例》第三十六条'],
  [
    '超标排放大气污染物',
    '《中华人民共和国大气污染防治法》第十八条',
    '《中华人民共和国大气污染防治法》第九十九条',
  ],
  [
    '经营超过保质期的食品',
    '《中华人民共和国食品安全法》第三十四条',
    '《中华人民共和国食品安全法》第一百二十四条',
  ],
  ['未取得道路运输经营许可擅自从事经营', '《道路运输条例》第十条', '《道路运输条例》第六十三条'],
] as const;
const PENALTY_KINDS = [
  '罚款',
  '警告',
  '警告;罚款',
  '通报批评',
  '罚款、没收违法所得',
  '责令停产停业',
] as const;

/** A date in 2023-06-01 … 2025-12-31 as YYYYMMDD. */
function randomDecision(rand: Rand): number {
  return addDays(20230601, Math.floor(rand() * 944));
}

/** Subject block (名称, 类别, 代码, 组织机构代码, 法定代表人, 证件类型, 证件号码) of a valid row. */
function subject(rand: Rand, i: number): string[] {
  const r = rand();
  if (r < 0.7) {
    const code = randomUscc(rand, '91');
    return [companyName(rand, i), '法人及非法人组织', code, code.slice(8, 17), personName(rand), '', ''];
  }
  if (r < 0.85) {
    const code = randomUscc(rand, '92');
    return [
      `琼海市嘉积镇${pick(rand, WORDS)}${pick(rand, TRADES)}店`,
      '个体工商户',
      code,
      '',
      personName(rand),
      '',
      '',
    ];
  }
  return [personName(rand), '自然人', '', '', '', '身份证', randomIdNumber(rand)];
}

/**
 * A valid 行政处罚 row (21 cells, PENALTY_COLUMNS order) for data row `i` (0-based; the
 * decision number 〔year〕i+1号 makes 行政处罚决定书文号 unique across rows).
 */
export function validPenaltyRow(rand: Rand, i: number): string[] {
  const agency = pick(rand, AGENCIES);
  const [wfxw, clause, basis] = pick(rand, VIOLATIONS);
  const kind = pick(rand, PENALTY_KINDS);
  const fine = kind.includes('罚款') ? (0.05 + Math.floor(rand() * 500) / 100).toFixed(2) : '';
  const decision = randomDecision(rand);
  const until = ymdToIso(addMonths(decision, 12));
  const year = Math.floor(decision / 10000);
  return [
    ...subject(rand, i),
    `琼${agency.abbr}罚〔${year}〕${i + 1}号`,
    wfxw,
    `经查，当事人${wfxw}，违反了${clause}的规定。`,
    basis,
    kind,
    fine ? `罚款人民币${Math.round(Number(fine) * 10000)}元` : `${kind}`,
    fine,
    ymdToIso(decision),
    until,
    until,
    agency.name,
    agency.code,
    agency.name,
    agency.code,
  ];
}

const LICENCES = [
  ['食品经营许可证', '食品经营许可', '普通'],
  ['道路运输经营许可证', '道路货物运输经营许可', '普通'],
  ['建筑工程施工许可证', '建筑工程施工许可', '核准'],
  ['排污许可证', '排污许可', '普通'],
  ['烟草专卖零售许可证', '烟草专卖零售许可', '特许'],
] as const;

/** A valid 行政许可 row (20 cells, LICENCE_COLUMNS order) for data row `i` (0-based). */
export function validLicenceRow(rand: Rand, i: number): string[] {
  const agency = pick(rand, AGENCIES);
  const [cert, what, kind] = pick(rand, LICENCES);
  const decision = randomDecision(rand);
  const year = Math.floor(decision / 10000);
  const until = rand() < 0.1 ? '长期' : ymdToIso(addDays(addMonths(decision, rand() < 0.5 ? 36 : 60), -1));
  return [
    ...subject(rand, i),
    `关于准予${what}的决定`,
    `琼${agency.abbr}许〔${year}〕${i + 1}号`,
    rand() < 0.9 ? kind : '其他-备案',
    `JY${String(46900200000000 + i)}`,
    `准予${what}，许可证书：${cert}`,
    ymdToIso(decision),
    ymdToIso(decision),
    until,
    agency.name,
    agency.code,
    '1',
    agency.name,
    agency.code,
  ];
}

// ---------- defects ----------

export const DEFECT_KINDS = [
  'required',
  'required_when_person',
  'required_when_fine',
  'code_list',
  'uscc_length',
  'uscc_charset',
  'uscc_check',
  'uscc_authority',
  'org_code',
  'org_code_check',
  'id_number',
  'id_check',
  'id_birth',
  'id_lowercase',
  'sci_notation',
  'date_format',
  'date_future',
  'date_order',
  'publicity_period',
  'amount_format',
  'amount_negative',
  'amount_unit',
  'duplicate',
  'whitespace',
  'full_width',
  'subject_prefix',
  'max_length',
] as const;
export type DefectKind = (typeof DEFECT_KINDS)[number];

/** Defects that only make sense for 行政处罚 rows. */
const PENALTY_ONLY: ReadonlySet<DefectKind> = new Set([
  'required_when_fine',
  'publicity_period',
  'amount_format',
  'amount_negative',
  'amount_unit',
]);

/** One finding the engine must report: 0-based data-row index, column, standard field name, rule. */
export interface InjectedDefect {
  /** 0-based index into the rows passed (data rows; spreadsheet row = header row + 1 + index). */
  index: number;
  /** 0-based column of the finding. */
  column: number;
  /** The field's standard name (Finding.field). */
  field: string;
  rule: string;
  severity: 'error' | 'warning';
  kind: DefectKind;
}

export interface InjectOptions {
  /** Which rows: 'xzcf' (default; PENALTY_COLUMNS) or 'xzxk' (LICENCE_COLUMNS). */
  set?: 'xzcf' | 'xzxk';
  /** Defect kinds to inject (default: every kind that applies to the set). */
  kinds?: readonly DefectKind[];
  /** How many rows get each kind (default 1). */
  perKind?: number;
}

/**
 * Injects defects into distinct rows of `rows` (mutated in place; valid rows from
 * validPenaltyRow / validLicenceRow) and returns the findings the engine must report with the
 * builtin rule set and default options — exactly these and nothing else. Rows are chosen at
 * random (never row 0, so a duplicate can copy an earlier number); each defect row gets ONE
 * defect. Needs rows.length > kinds × perKind.
 */
export function injectDefects(rows: string[][], rand: Rand, opts: InjectOptions = {}): InjectedDefect[] {
  const set = opts.set ?? 'xzcf';
  const columns: readonly string[] = set === 'xzcf' ? PENALTY_COLUMNS : LICENCE_COLUMNS;
  const headers = set === 'xzcf' ? PENALTY_HEADERS : LICENCE_HEADERS;
  const p = set === 'xzcf' ? 'CF' : 'XK';
  const kinds = (opts.kinds ?? DEFECT_KINDS).filter((k) => set === 'xzcf' || !PENALTY_ONLY.has(k));
  const perKind = opts.perKind ?? 1;
  const need = kinds.length * perKind;
  if (rows.length <= need) throw new Error(`injectDefects: need more than ${need} rows`);
  const free = new Set<number>();
  while (free.size < need) free.add(1 + Math.floor(rand() * (rows.length - 1)));
  const indexes = [...free].sort((a, b) => a - b);
  // Shuffle kinds over the chosen rows.
  const plan: DefectKind[] = [];
  for (const k of kinds) for (let n = 0; n < perKind; n++) plan.push(k);
  for (let i = plan.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [plan[i], plan[j]] = [plan[j]!, plan[i]!];
  }

  const col = (key: string) => {
    const c = columns.indexOf(key);
    if (c < 0) throw new Error(`injectDefects: no column ${key}`);
    return c;
  };
  const K = {
    MC: col(`${p}_XDR_MC`),
    LB: col(`${p}_XDR_LB`),
    SHXYM: col(`${p}_XDR_SHXYM`),
    ZZJG: col(`${p}_XDR_ZZJG`),
    FRDB: col(`${p}_FRDB`),
    ZJLX: col(`${p}_XDR_ZJLX`),
    ZJHM: col(`${p}_XDR_ZJHM`),
    WSH: col(`${p}_WSH`),
    JDRQ: col(`${p}_JDRQ`),
  };
  const out: InjectedDefect[] = [];
  const expect = (
    index: number,
    column: number,
    rule: string,
    kind: DefectKind,
    severity: 'error' | 'warning' = 'error',
  ) => out.push({ index, column, field: headers[column]!, rule, severity, kind });

  const makeLegal = (row: string[], prefix = '91') => {
    const code = randomUscc(rand, prefix);
    row[K.LB] = '法人及非法人组织';
    row[K.SHXYM] = code;
    row[K.ZZJG] = code.slice(8, 17);
    row[K.FRDB] = personName(rand);
    row[K.ZJLX] = '';
    row[K.ZJHM] = '';
  };
  const makePerson = (row: string[]) => {
    row[K.MC] = personName(rand);
    row[K.LB] = '自然人';
    row[K.SHXYM] = '';
    row[K.ZZJG] = '';
    row[K.FRDB] = '';
    row[K.ZJLX] = '身份证';
    row[K.ZJHM] = randomIdNumber(rand);
  };
  const otherChar = (ch: string, pool: string) =>
    pool[(pool.indexOf(ch) + 1 + Math.floor(rand() * (pool.length - 1))) % pool.length]!;
  const setFine = (row: string[], value: string) => {
    row[col('CF_CFLB')] = '罚款';
    row[col('CF_NR_FK')] = value;
  };

  plan.forEach((kind, n) => {
    const i = indexes[n]!;
    const row = rows[i]!;
    switch (kind) {
      case 'required':
        row[K.MC] = '';
        return expect(i, K.MC, 'required', kind);
      case 'required_when_person':
        makePerson(row);
        row[K.ZJHM] = '';
        return expect(i, K.ZJHM, 'required_when', kind);
      case 'required_when_fine':
        setFine(row, '');
        return expect(i, col('CF_NR_FK'), 'required_when', kind);
      case 'code_list': {
        const c = set === 'xzcf' ? col('CF_CFLB') : col('XK_XKLB');
        row[c] = set === 'xzcf' ? '处分' : '审批';
        return expect(i, c, 'code_list', kind);
      }
      case 'uscc_length':
        makeLegal(row);
        row[K.SHXYM] = row[K.SHXYM]!.slice(0, 17);
        return expect(i, K.SHXYM, 'uscc_length', kind);
      case 'uscc_charset': {
        makeLegal(row);
        const v = row[K.SHXYM]!;
        row[K.SHXYM] = v.slice(0, 9) + 'O' + v.slice(10);
        return expect(i, K.SHXYM, 'uscc_charset', kind);
      }
      case 'uscc_check': {
        makeLegal(row);
        const v = row[K.SHXYM]!;
        row[K.SHXYM] = v.slice(0, 17) + otherChar(v[17]!, USCC_CHARS);
        return expect(i, K.SHXYM, 'uscc_check', kind);
      }
      case 'uscc_authority':
        makeLegal(row, '99');
        return expect(i, K.SHXYM, 'uscc_authority', kind);
      case 'org_code':
        makeLegal(row);
        row[K.ZZJG] = row[K.ZZJG]!.slice(0, 6);
        return expect(i, K.ZZJG, 'org_code', kind);
      case 'org_code_check': {
        makeLegal(row);
        const v = row[K.ZZJG]!;
        row[K.ZZJG] = v.slice(0, 8) + otherChar(v[8]!, '0123456789X');
        return expect(i, K.ZZJG, 'org_code_check', kind);
      }
      case 'id_number':
        makePerson(row);
        row[K.ZJHM] = row[K.ZJHM]!.slice(0, 16);
        return expect(i, K.ZJHM, 'id_number', kind);
      case 'id_check': {
        makePerson(row);
        const v = row[K.ZJHM]!;
        row[K.ZJHM] = v.slice(0, 17) + otherChar(v[17]!, '0123456789X');
        return expect(i, K.ZJHM, 'id_check', kind);
      }
      case 'id_birth':
        makePerson(row);
        row[K.ZJHM] = randomIdNumber(rand, '19990230');
        return expect(i, K.ZJHM, 'id_birth', kind);
      case 'id_lowercase':
        makePerson(row);
        row[K.ZJHM] = randomIdNumber(rand, undefined, true).toLowerCase();
        return expect(i, K.ZJHM, 'id_lowercase', kind, 'warning');
      case 'sci_notation':
        makePerson(row);
        row[K.ZJHM] = '4.69002E+17';
        return expect(i, K.ZJHM, 'sci_notation', kind);
      case 'date_format':
        row[K.JDRQ] = '2024-02-30';
        return expect(i, K.JDRQ, 'date_format', kind);
      case 'date_future':
        row[K.JDRQ] = '2099-03-01';
        if (set === 'xzcf') {
          row[col('CF_YXQ')] = '2100-03-01';
          row[col('CF_GSJZQ')] = '2100-03-01';
        } else {
          row[col('XK_YXQZ')] = '2025-01-01';
          row[col('XK_YXQZI')] = '长期';
        }
        return expect(i, K.JDRQ, 'date_future', kind);
      case 'date_order': {
        if (set === 'xzcf') {
          const d = Number(row[K.JDRQ]!.replace(/-/g, ''));
          row[col('CF_YXQ')] = ymdToIso(addDays(d, -1));
          return expect(i, col('CF_YXQ'), 'date_order', kind);
        }
        const d = Number(row[K.JDRQ]!.replace(/-/g, ''));
        row[col('XK_YXQZ')] = ymdToIso(addDays(d, 10));
        row[col('XK_YXQZI')] = ymdToIso(addDays(d, 5));
        return expect(i, col('XK_YXQZI'), 'date_order', kind);
      }
      case 'publicity_period': {
        const d = Number(row[K.JDRQ]!.replace(/-/g, ''));
        row[col('CF_GSJZQ')] = ymdToIso(addMonths(d, 40));
        return expect(i, col('CF_GSJZQ'), 'publicity_period', kind);
      }
      case 'amount_format':
        setFine(row, '2,000');
        return expect(i, col('CF_NR_FK'), 'amount_format', kind);
      case 'amount_negative':
        setFine(row, '-0.5');
        return expect(i, col('CF_NR_FK'), 'amount_negative', kind);
      case 'amount_unit':
        setFine(row, '20000');
        return expect(i, col('CF_NR_FK'), 'amount_unit', kind, 'warning');
      case 'duplicate':
        row[K.WSH] = rows[i - 1]![K.WSH]!;
        return expect(i, K.WSH, 'duplicate', kind);
      case 'whitespace':
        row[K.MC] = row[K.MC] + ' ';
        return expect(i, K.MC, 'whitespace', kind, 'warning');
      case 'full_width':
        makeLegal(row);
        row[K.SHXYM] = '９' + row[K.SHXYM]!.slice(1);
        return expect(i, K.SHXYM, 'full_width', kind, 'warning');
      case 'subject_prefix':
        makeLegal(row);
        row[K.LB] = '个体工商户';
        return expect(i, K.LB, 'subject_prefix', kind);
      case 'max_length':
        row[K.MC] = '琼'.repeat(201);
        return expect(i, K.MC, 'max_length', kind);
    }
  });
  return out.sort((a, b) => a.index - b.index || a.column - b.column);
}
