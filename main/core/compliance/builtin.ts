/**
 * The bundled starting rule sets (DOMAIN.md §3 and §7.1), as plain data the engine interprets.
 *
 * - 双公示: 行政处罚 `xzcf` (30 fields, §3.3) and 行政许可 `xzxk` (28 fields, §3.4), with the
 *   名称 variants departments use (short names, old 2016 CF_* names, Shaanxi data-element codes).
 * - 五类行政管理信息: 行政强制 `xzqz`, 行政奖励 `xzjl`, 行政确认 `xzqr`, 行政裁决 `xzcj`,
 *   行政检查 `xzjc` — modelled on the 双公示 pattern (§3.6: no official field list found).
 * - 六类特定信用信息: 纳税 `tdxx_ns`, 水费 `tdxx_water`, 电费 `tdxx_power`, 燃气费 `tdxx_gas`,
 *   不动产 `tdxx_bdc`, 科技研发 `tdxx_kjyf` — also unconfirmed starting sets.
 *
 * Choices the standard leaves open (documented in each field's note):
 * - 统一社会信用代码 of the 相对人 is required for 法人及非法人组织 only; a 个体工商户 without one
 *   is accepted (DOMAIN says "that hold one"), but a code given for one must start with 92
 *   (cross rule subjectPrefix).
 * - Date fields that are the later end of a dateOrder rule (有效期至, 处罚有效期, 公示截止期) may lie
 *   in the future and accept options.openEndValues (长期, 2099-12-31); other dates may not.
 */
import type { z } from 'zod';
import type {
  CrossRule,
  FieldCondition,
  PublicityVersion,
  RuleField,
  RuleSetDefinitionInput,
} from '../contract/compliance';

type FieldIn = z.input<typeof RuleField>;

export const BUILTIN_VERSION = '2026.1';

/** 行政相对人类别 (DOMAIN.md §3.5). */
export const SUBJECT_CATEGORIES = ['法人及非法人组织', '自然人', '个体工商户'];
/** 证件类型 of 自然人 and 法定代表人 (plus 「其他-」 prefixes). */
export const ID_TYPES = [
  '身份证',
  '护照号',
  '港澳居民来往内地通行证',
  '台湾居民来往大陆通行证',
  '外国人永久居留身份证',
];
/** 处罚类别 after the 2021 《行政处罚法》 (Art. 9) … */
export const PENALTY_KINDS_2021 = [
  '警告',
  '通报批评',
  '罚款',
  '没收违法所得',
  '没收非法财物',
  '暂扣许可证件',
  '降低资质等级',
  '吊销许可证件',
  '限制开展生产经营活动',
  '责令停产停业',
  '责令关闭',
  '限制从业',
  '行政拘留',
];
/** … and the pre-2021 list still found in older data. */
export const PENALTY_KINDS_OLD = ['暂扣或者吊销许可证', '暂扣或者吊销执照'];
export const LICENCE_KINDS = ['普通', '特许', '认可', '核准', '登记'];
const MULTI = ';；,，、';
const OTHER_PREFIX = ['其他-', '其他－', '其它-'];

const STARTING_NOTE = '依据双公示模式拟定的起始规则集，请按省级平台模板核对后修改。';

const isOneOf = (field: string, ...values: string[]): z.input<typeof FieldCondition> => ({
  field,
  op: 'in',
  values,
});

function f(key: string, name: string, extra: Partial<FieldIn> = {}): FieldIn {
  return { key, name, ...extra };
}

/**
 * The 行政相对人 block (DOMAIN.md §3.3 rows 1–13) with keys `${p}_XDR_MC`, `${p}_FRDB`,
 * `${p}_FR_ZJLX` …; `extraAliases` adds set-specific names per short key (MC, ZZJG, FRDB …).
 */
function subjectBlock(p: string, extraAliases: Record<string, string[]> = {}): FieldIn[] {
  const a = (k: string, base: string[]) => [...base, ...(extraAliases[k] ?? [])];
  const cat = `${p}_XDR_LB`;
  return [
    f(`${p}_XDR_MC`, '行政相对人名称', {
      required: true,
      maxLength: 200,
      aliases: a('MC', [
        '相对人名称',
        '行政相对人',
        '当事人名称',
        '当事人',
        '主体名称',
        '企业名称',
        '单位名称',
      ]),
    }),
    f(cat, '行政相对人类别', {
      required: true,
      format: 'code',
      codeList: SUBJECT_CATEGORIES,
      aliases: a('LB', ['相对人类别', '行政相对人类型', '相对人类型', '主体类别']),
    }),
    f(`${p}_XDR_SHXYM`, '统一社会信用代码', {
      requiredWhen: isOneOf(cat, '法人及非法人组织'),
      format: 'uscc',
      aliases: a('SHXYM', [
        '行政相对人代码_1（统一社会信用代码）',
        '行政相对人代码_1',
        '行政相对人代码1',
        '相对人统一社会信用代码',
        '行政相对人统一社会信用代码',
        '社会信用代码',
        '信用代码',
      ]),
      note: '法人及非法人组织必填；个体工商户有代码时填写（以 92 开头），自然人不填。',
    }),
    f(`${p}_XDR_GSZC`, '工商注册号', {
      maxLength: 50,
      aliases: a('GSZC', ['行政相对人代码_2（工商注册号）', '行政相对人代码_2', '行政相对人代码2', '注册号']),
    }),
    f(`${p}_XDR_ZZJG`, '组织机构代码', {
      format: 'org_code',
      aliases: a('ZZJG', ['行政相对人代码_3（组织机构代码）', '行政相对人代码_3', '行政相对人代码3']),
    }),
    f(`${p}_XDR_SWDJ`, '税务登记号', {
      maxLength: 50,
      aliases: a('SWDJ', ['行政相对人代码_4（税务登记号）', '行政相对人代码_4', '行政相对人代码4']),
    }),
    f(`${p}_XDR_SYDW`, '事业单位证书号', {
      maxLength: 50,
      aliases: a('SYDW', ['行政相对人代码_5（事业单位证书号）', '行政相对人代码_5', '行政相对人代码5']),
    }),
    f(`${p}_XDR_SHZZ`, '社会组织登记证号', {
      maxLength: 50,
      aliases: a('SHZZ', ['行政相对人代码_6（社会组织登记证号）', '行政相对人代码_6', '行政相对人代码6']),
    }),
    f(`${p}_FRDB`, '法定代表人', {
      requiredWhen: isOneOf(cat, '法人及非法人组织'),
      maxLength: 50,
      aliases: a('FRDB', [
        '法定代表人姓名',
        '法定代表人（负责人）',
        '负责人',
        '法人代表',
        '法定代表人或负责人',
      ]),
      note: '法人及非法人组织必填。',
    }),
    f(`${p}_FR_ZJLX`, '法定代表人证件类型', {
      format: 'code',
      codeList: ID_TYPES,
      codePrefixes: OTHER_PREFIX,
      aliases: a('FR_ZJLX', ['法人证件类型', '法定代表人身份证件类型']),
    }),
    f(`${p}_FR_ZJHM`, '法定代表人证件号码', {
      format: 'id_number',
      idTypeField: `${p}_FR_ZJLX`,
      aliases: a('FR_ZJHM', [
        '法人证件号码',
        '法定代表人身份证号',
        '法定代表人身份证号码',
        '法定代表人身份证件号码',
      ]),
    }),
    f(`${p}_XDR_ZJLX`, '证件类型', {
      requiredWhen: isOneOf(cat, '自然人'),
      format: 'code',
      codeList: ID_TYPES,
      codePrefixes: OTHER_PREFIX,
      aliases: a('ZJLX', ['证件类型（自然人）', '相对人证件类型', '自然人证件类型']),
      note: '行政相对人类别为自然人时必填。',
    }),
    f(`${p}_XDR_ZJHM`, '证件号码', {
      requiredWhen: isOneOf(cat, '自然人'),
      format: 'id_number',
      idTypeField: `${p}_XDR_ZJLX`,
      aliases: a('ZJHM', [
        '证件号码（自然人）',
        '相对人证件号码',
        '自然人证件号码',
        '身份证号',
        '身份证号码',
        '居民身份证号',
      ]),
      note: '行政相对人类别为自然人时必填；证件类型为身份证时按 GB 11643 校验。',
    }),
  ];
}

/** 实施机关 + 数据来源单位 and their codes, required. */
function agencyBlock(
  p: string,
  agency: { key: string; name: string; aliases: string[] },
  agencyCode: { key: string; name: string; aliases: string[] },
  source: { key: string; codeKey: string },
): FieldIn[] {
  return [
    f(agency.key, agency.name, { required: true, maxLength: 200, aliases: agency.aliases }),
    f(agencyCode.key, agencyCode.name, { required: true, format: 'uscc', aliases: agencyCode.aliases }),
    f(source.key, '数据来源单位', {
      required: true,
      maxLength: 200,
      aliases: ['来源单位', '数据提供单位', '报送单位'],
    }),
    f(source.codeKey, '数据来源单位统一社会信用代码', {
      required: true,
      format: 'uscc',
      aliases: ['来源单位统一社会信用代码', '数据来源单位代码', '来源单位代码', '报送单位统一社会信用代码'],
    }),
  ];
}

const remark = (): FieldIn => f('BZ', '备注', { maxLength: 1000, aliases: ['说明', '备注说明'] });

const subjectRule = (p: string): z.input<typeof CrossRule> => ({
  kind: 'subjectPrefix',
  categoryField: `${p}_XDR_LB`,
  codeField: `${p}_XDR_SHXYM`,
});

const DOMAINS_58 = [{ keywords: ['食品', '药品', '特种设备', '安全生产', '消防'], minMonths: 12 }];

/** Publicity periods of administrative penalties (DOMAIN.md §7.1), by decision date. */
export const PENALTY_PUBLICITY: z.input<typeof PublicityVersion>[] = [
  {
    id: '527号',
    name: '发改办财金〔2019〕527号',
    from: '2019-07-01',
    minMonths: 3,
    maxMonths: 36,
    note: '一般失信行为最短 3 个月、最长 1 年；严重失信行为最短 6 个月、最长 3 年。自处罚决定之日起算；此处按全部类别的最短与最长期限校验。',
  },
  {
    id: '过渡期',
    name: '2021 年公示期限规定（过渡期）',
    from: '2021-01-01',
    minMonths: 3,
    maxMonths: 36,
    domains: [{ keywords: ['特种设备', '安全生产', '消防'], minMonths: 12 }],
    note: '最短 3 个月、最长 3 年，特种设备、安全生产、消防领域最短 1 年。发布文件与起始日期未找到原文（推测为 2021—2022 年），2021-01-01 为假定值，请核对后修改。',
  },
  {
    id: '58号令',
    name: '国家发展改革委令第58号',
    from: '2023-05-01',
    minMonths: 3,
    maxMonths: 36,
    domains: DOMAINS_58,
    note: '《失信行为纠正后的信用信息修复管理办法（试行）》，2023-05-01 施行：最短 3 个月、最长 3 年；食品、药品、特种设备、安全生产、消防领域最短 1 年。',
  },
  {
    id: '36号令',
    name: '国家发展改革委令第36号',
    from: '2026-04-01',
    minMonths: 0,
    maxMonths: 36,
    domains: DOMAINS_58,
    note: '《信用修复管理办法》，2026-04-01 施行，废止 58 号令：轻微失信原则上不公示（确需公示的不超过 3 个月），一般失信最短 3 个月、最长 1 年，严重失信最短 1 年、最长 3 年。表中无失信程度，故按 0—36 个月校验；领域最短 1 年沿用 58 号令（未确认）。',
  },
];

const penalty: RuleSetDefinitionInput = {
  code: 'xzcf',
  name: '行政处罚',
  category: 'double',
  version: BUILTIN_VERSION,
  description:
    '双公示行政处罚信息（信用中国归集字段 CF_*）。必填标记来自公开代码，未见官方模板原文，请按省级平台模板核对。',
  fields: [
    ...subjectBlock('CF', {
      MC: ['被处罚单位名称', '被处罚人', '被处罚对象', 'xy010101'],
      GSZC: ['CF_XDR_GSDJ', '工商登记码'],
      ZZJG: ['CF_XDR_ZDM'],
      FRDB: ['CF_FR'],
      FR_ZJHM: ['CF_SFZ'],
    }),
    f('CF_WSH', '行政处罚决定书文号', {
      required: true,
      format: 'doc_no',
      unique: true,
      maxLength: 200,
      aliases: [
        '处罚决定书文号',
        '决定文书号',
        '行政处罚决定文书号',
        '决定书文号',
        '处罚文书号',
        '文书号',
        'xy020102',
      ],
    }),
    f('CF_WFXW', '违法行为类型', {
      required: true,
      maxLength: 2000,
      aliases: ['违法行为', '违法类型', '案件名称', 'CF_AJMC'],
    }),
    f('CF_SY', '违法事实', {
      required: true,
      maxLength: 5000,
      aliases: ['处罚事由', '主要违法事实', '违法事实描述'],
    }),
    f('CF_YJ', '处罚依据', { required: true, maxLength: 2000, aliases: ['处罚依据条款', '法律依据'] }),
    f('CF_CFLB', '处罚类别', {
      required: true,
      format: 'code',
      codeList: [...PENALTY_KINDS_2021, ...PENALTY_KINDS_OLD],
      codePrefixes: OTHER_PREFIX,
      multiSeparators: MULTI,
      aliases: ['处罚类型', '处罚种类', '处罚类别1', 'CF_CFLB1', 'xy020103'],
      note: '2021 年《行政处罚法》第九条的类别，也接受 2021 年前的旧类别；多个类别用分号或顿号分隔；「其他」须写明具体类别，如「其他-责令改正」。',
    }),
    f('CF_NR', '处罚内容', {
      required: true,
      maxLength: 4000,
      aliases: ['处罚结果', '处罚决定内容', 'CF_JG'],
    }),
    f('CF_NR_FK', '罚款金额（万元）', {
      format: 'amount',
      aliases: ['罚款金额', '罚款金额(万元)', '罚款数额', 'xy020116'],
      note: '处罚类别含「罚款」时必填，单位万元（罚款 2000 元填 0.2）。',
    }),
    f('CF_NR_WFFF', '没收违法所得、没收非法财物的金额（万元）', {
      format: 'amount',
      aliases: [
        '没收违法所得、没收非法财物的金额',
        '没收金额',
        '没收金额（万元）',
        '没收违法所得金额',
        '没收违法所得金额（万元）',
      ],
      note: '处罚类别含「没收」时必填，单位万元。',
    }),
    f('CF_NR_ZKDX', '暂扣或吊销证照名称及编号', {
      maxLength: 500,
      aliases: ['暂扣或吊销证照名称', '吊销证照名称及编号'],
    }),
    f('CF_JDRQ', '处罚决定日期', {
      required: true,
      format: 'date',
      aliases: ['作出处罚决定日期', '决定日期', '处罚日期', '作出行政处罚决定日期', 'xy020107'],
    }),
    f('CF_YXQ', '处罚有效期', { required: true, format: 'date', aliases: ['有效期', '处罚期限'] }),
    f('CF_GSJZQ', '公示截止期', {
      format: 'date',
      aliases: ['公示截止日期', '公示期限', '公示截止时间', 'xy020133'],
      note: '按处罚决定日期适用的公示期限规定校验（见公示期限表）。',
    }),
    ...agencyBlock(
      'CF',
      {
        key: 'CF_CFJG',
        name: '处罚机关',
        aliases: ['作出处罚决定机关', '处罚单位', '执法机关', '决定机关', 'CF_XZJG'],
      },
      {
        key: 'CF_CFJGDM',
        name: '处罚机关统一社会信用代码',
        aliases: ['处罚机关代码', '处罚单位统一社会信用代码', '执法机关统一社会信用代码', 'xy020134'],
      },
      { key: 'CF_SJLY', codeKey: 'CF_SJLYDM' },
    ).map((x) =>
      x.key === 'CF_SJLY'
        ? { ...x, aliases: [...(x.aliases ?? []), 'xy020135'] }
        : x.key === 'CF_SJLYDM'
          ? { ...x, aliases: [...(x.aliases ?? []), 'xy020136'] }
          : x,
    ),
    remark(),
  ],
  rules: [
    { kind: 'requiredIfContains', field: 'CF_NR_FK', whenField: 'CF_CFLB', words: ['罚款'] },
    { kind: 'requiredIfContains', field: 'CF_NR_WFFF', whenField: 'CF_CFLB', words: ['没收'] },
    { kind: 'dateOrder', from: 'CF_JDRQ', to: 'CF_YXQ' },
    { kind: 'dateOrder', from: 'CF_JDRQ', to: 'CF_GSJZQ' },
    subjectRule('CF'),
    {
      kind: 'publicity',
      decisionDateField: 'CF_JDRQ',
      deadlineField: 'CF_GSJZQ',
      domainFields: ['CF_WFXW', 'CF_YJ', 'CF_CFJG'],
    },
  ],
  publicity: PENALTY_PUBLICITY,
};

const licence: RuleSetDefinitionInput = {
  code: 'xzxk',
  name: '行政许可',
  category: 'double',
  version: BUILTIN_VERSION,
  description:
    '双公示行政许可信息（信用中国归集字段 XK_*）。必填标记部分来自公开代码，请按省级平台模板核对。',
  fields: [
    ...subjectBlock('XK'),
    f('XK_XKWS', '行政许可决定文书名称', {
      required: true,
      maxLength: 500,
      aliases: ['许可决定文书名称', '决定文书名称', '许可文书名称', '文书名称'],
    }),
    f('XK_WSH', '行政许可决定文书号', {
      required: true,
      format: 'doc_no',
      unique: true,
      maxLength: 200,
      aliases: ['许可决定文书号', '决定文书号', '许可文书号', '文书号', '行政许可决定书文号'],
      note: '无决定文书编号的填写许可编号。',
    }),
    f('XK_XKLB', '许可类别', {
      required: true,
      format: 'code',
      codeList: LICENCE_KINDS,
      codePrefixes: OTHER_PREFIX,
      aliases: ['许可类型', '行政许可类别'],
      note: '普通、特许、认可、核准、登记；其他须注明具体类别，如「其他-备案」。',
    }),
    f('XK_XKZS', '许可证书名称', { maxLength: 200, aliases: ['证书名称', '许可证名称'] }),
    f('XK_XKBH', '许可编号', { maxLength: 200, aliases: ['许可证编号', '证书编号', '许可证号'] }),
    f('XK_NR', '许可内容', {
      required: true,
      maxLength: 4000,
      aliases: ['许可决定内容', '许可事项', '许可范围'],
    }),
    f('XK_JDRQ', '许可决定日期', {
      required: true,
      format: 'date',
      aliases: ['决定日期', '许可日期', '发证日期'],
    }),
    f('XK_YXQZ', '有效期自', {
      required: true,
      format: 'date',
      aliases: ['有效期起', '有效期开始日期', '有效期起始日期', '有效起始日期'],
    }),
    f('XK_YXQZI', '有效期至', {
      required: true,
      format: 'date',
      aliases: ['有效期止', '有效期截止日期', '有效期结束日期', '有效截止日期'],
      note: '长期有效的填写「长期」或 2099-12-31。',
    }),
    ...agencyBlock(
      'XK',
      { key: 'XK_XKJG', name: '许可机关', aliases: ['许可机关名称', '许可单位', '发证机关', '审批机关'] },
      {
        key: 'XK_XKJGDM',
        name: '许可机关统一社会信用代码',
        aliases: ['许可机关代码', '发证机关统一社会信用代码'],
      },
      { key: 'XK_LYDW', codeKey: 'XK_LYDWDM' },
    ),
    f('XK_ZT', '当前状态', {
      format: 'code',
      codeList: ['1', '2', '有效', '无效'],
      aliases: ['状态', '许可状态'],
      note: '1 有效、2 无效（也接受「有效」「无效」）。',
    }),
    remark(),
  ],
  rules: [
    { kind: 'dateOrder', from: 'XK_YXQZ', to: 'XK_YXQZI' },
    { kind: 'dateOrder', from: 'XK_JDRQ', to: 'XK_YXQZI' },
    subjectRule('XK'),
  ],
};

// ---------- five categories ----------

interface FiveSpec {
  code: string;
  name: string;
  p: string;
  /** e.g. 行政强制 → 强制 (for 「强制决定文书号」-style aliases) */
  short: string;
  kind: { name: string; codeList: string[]; note?: string } | null;
  agency: string;
  extra?: FieldIn[];
}

function fiveCategory(s: FiveSpec): RuleSetDefinitionInput {
  const { p } = s;
  const fields: FieldIn[] = [
    ...subjectBlock(p),
    f(`${p}_WSMC`, `${s.name}决定文书名称`, {
      required: true,
      maxLength: 500,
      aliases: ['决定文书名称', '文书名称', `${s.short}决定文书名称`],
    }),
    f(`${p}_WSH`, `${s.name}决定文书号`, {
      required: true,
      format: 'doc_no',
      unique: true,
      maxLength: 200,
      aliases: ['决定文书号', '文书号', `${s.short}决定文书号`, `${s.name}决定书文号`],
    }),
  ];
  if (s.kind) {
    fields.push(
      f(`${p}_LB`, s.kind.name, {
        required: true,
        format: 'code',
        codeList: s.kind.codeList,
        codePrefixes: OTHER_PREFIX,
        multiSeparators: MULTI,
        aliases: [`${s.name}类别`, `${s.short}类别`, '类别', '类型'],
        note: s.kind.note ?? '',
      }),
    );
  }
  fields.push(
    f(`${p}_NR`, `${s.name}内容`, {
      required: true,
      maxLength: 4000,
      aliases: ['内容', `${s.short}内容`, '决定内容'],
    }),
    ...(s.extra ?? []),
    f(`${p}_JDRQ`, `${s.name}决定日期`, {
      required: true,
      format: 'date',
      aliases: ['决定日期', `${s.short}日期`, `${s.short}决定日期`, '作出决定日期'],
    }),
    ...agencyBlock(
      p,
      {
        key: `${p}_SSJG`,
        name: s.agency,
        aliases: ['实施机关', '决定机关', '作出决定机关', `${s.short}机关`],
      },
      {
        key: `${p}_SSJGDM`,
        name: `${s.agency}统一社会信用代码`,
        aliases: ['实施机关统一社会信用代码', '决定机关统一社会信用代码', `${s.short}机关统一社会信用代码`],
      },
      { key: `${p}_SJLY`, codeKey: `${p}_SJLYDM` },
    ),
    remark(),
  );
  return {
    code: s.code,
    name: s.name,
    category: 'five',
    version: BUILTIN_VERSION,
    description: `${s.name}信息。${STARTING_NOTE}（未找到国家层面的官方字段清单。）`,
    fields,
    rules: [subjectRule(p)],
  };
}

const FIVE: RuleSetDefinitionInput[] = [
  fiveCategory({
    code: 'xzqz',
    name: '行政强制',
    short: '强制',
    p: 'QZ',
    kind: {
      name: '行政强制类别',
      codeList: [
        '行政强制措施',
        '行政强制执行',
        '查封场所、设施或者财物',
        '扣押财物',
        '冻结存款、汇款',
        '限制公民人身自由',
      ],
      note: '行政强制措施或行政强制执行（也接受具体措施名称）。',
    },
    agency: '实施机关',
  }),
  fiveCategory({
    code: 'xzjl',
    name: '行政奖励',
    short: '奖励',
    p: 'JL',
    kind: {
      name: '奖励类别',
      codeList: ['通报表扬', '记功', '嘉奖', '授予荣誉称号', '颁发奖金', '颁发奖品', '物质奖励', '精神奖励'],
    },
    agency: '奖励机关',
    extra: [f('JL_JE', '奖励金额（万元）', { format: 'amount', aliases: ['奖励金额', '奖金金额'] })],
  }),
  fiveCategory({
    code: 'xzqr',
    name: '行政确认',
    short: '确认',
    p: 'QR',
    kind: { name: '确认类别', codeList: ['认定', '确认', '鉴定', '证明', '登记', '批准', '鉴证'] },
    agency: '确认机关',
  }),
  fiveCategory({
    code: 'xzcj',
    name: '行政裁决',
    short: '裁决',
    p: 'CJ',
    kind: {
      name: '裁决类别',
      codeList: [
        '权属纠纷裁决',
        '侵权纠纷裁决',
        '损害赔偿纠纷裁决',
        '补偿纠纷裁决',
        '知识产权纠纷裁决',
        '政府采购纠纷裁决',
      ],
    },
    agency: '裁决机关',
  }),
  fiveCategory({
    code: 'xzjc',
    name: '行政检查',
    short: '检查',
    p: 'JC',
    kind: {
      name: '检查结果',
      codeList: ['未发现问题', '发现问题已责令整改', '发现问题已立案查处', '合格', '不合格', '责令整改'],
      note: '检查结果按代码表填写。',
    },
    agency: '检查机关',
    extra: [
      f('JC_JCLX', '检查类型', {
        format: 'code',
        codeList: ['日常检查', '专项检查', '双随机抽查', '重点检查', '投诉举报核查'],
        codePrefixes: OTHER_PREFIX,
        aliases: ['检查方式'],
      }),
    ],
  }),
];

// ---------- six kinds ----------

interface SixSpec {
  code: string;
  name: string;
  p: string;
  fields: FieldIn[];
  rules?: z.input<typeof CrossRule>[];
}

function sixKind(s: SixSpec): RuleSetDefinitionInput {
  const { p } = s;
  return {
    code: s.code,
    name: s.name,
    category: 'six',
    version: BUILTIN_VERSION,
    description: `${s.name}（特定信用信息）。${STARTING_NOTE}（「六类特定信用信息」的范围与字段均为地方归集口径，未经官方模板确认。）`,
    fields: [
      f(`${p}_MC`, '主体名称', {
        required: true,
        maxLength: 200,
        aliases: ['企业名称', '单位名称', '市场主体名称', '行政相对人名称', '纳税人名称', '用户名称', '户名'],
      }),
      f(`${p}_TYDM`, '统一社会信用代码', {
        required: true,
        format: 'uscc',
        aliases: ['社会信用代码', '信用代码', '纳税人识别号（统一社会信用代码）'],
      }),
      ...s.fields,
      f(`${p}_SJLY`, '数据来源单位', {
        required: true,
        maxLength: 200,
        aliases: ['来源单位', '数据提供单位', '报送单位'],
      }),
      f(`${p}_SJLYDM`, '数据来源单位统一社会信用代码', {
        required: true,
        format: 'uscc',
        aliases: ['来源单位统一社会信用代码', '数据来源单位代码', '来源单位代码'],
      }),
      remark(),
    ],
    rules: s.rules ?? [],
  };
}

const PAY_STATE = ['正常', '欠费', '已结清', '停用'];

function utility(code: string, name: string, p: string, what: string): RuleSetDefinitionInput {
  return sixKind({
    code,
    name,
    p,
    fields: [
      f(`${p}_HH`, `用${what}户号`, {
        required: true,
        maxLength: 50,
        aliases: ['户号', '用户编号', '用户号', `${what}户号`, `${what}费户号`, '账户号'],
      }),
      f(`${p}_TJQ`, '统计期', {
        required: true,
        format: 'date',
        aliases: ['统计日期', '统计截止日期', '账期'],
      }),
      f(`${p}_QFJE`, `欠缴${what}费金额（万元）`, {
        format: 'amount',
        aliases: ['欠费金额（万元）', '欠费金额', `欠缴${what}费`, `欠缴${what}费金额`, '欠缴金额'],
      }),
      f(`${p}_JFZT`, '缴费状态', {
        required: true,
        format: 'code',
        codeList: PAY_STATE,
        aliases: ['缴费情况', '状态'],
      }),
    ],
  });
}

const SIX: RuleSetDefinitionInput[] = [
  sixKind({
    code: 'tdxx_ns',
    name: '纳税信息',
    p: 'NS',
    fields: [
      f('NS_DJ', '纳税信用等级', {
        required: true,
        format: 'code',
        codeList: ['A', 'B', 'M', 'C', 'D'],
        aliases: ['信用等级', '纳税信用级别', '评价结果'],
      }),
      f('NS_ND', '评价年度', {
        required: true,
        format: 'code',
        codeList: yearList(),
        aliases: ['年度', '评定年度'],
      }),
      f('NS_PJRQ', '评价日期', { format: 'date', aliases: ['评定日期', '发布日期'] }),
    ],
  }),
  utility('tdxx_water', '水费缴纳信息', 'SF', '水'),
  utility('tdxx_power', '电费缴纳信息', 'DF', '电'),
  utility('tdxx_gas', '燃气费缴纳信息', 'QF', '气'),
  sixKind({
    code: 'tdxx_bdc',
    name: '不动产登记信息',
    p: 'BDC',
    fields: [
      f('BDC_ZH', '不动产权证号', {
        required: true,
        format: 'doc_no',
        unique: true,
        maxLength: 100,
        aliases: ['不动产权证书号', '权证号', '证书号'],
      }),
      f('BDC_DJLX', '登记类型', {
        format: 'code',
        codeList: [
          '首次登记',
          '转移登记',
          '变更登记',
          '注销登记',
          '抵押登记',
          '预告登记',
          '更正登记',
          '异议登记',
          '查封登记',
        ],
        codePrefixes: OTHER_PREFIX,
        aliases: ['登记类别'],
      }),
      f('BDC_DJRQ', '登记日期', { required: true, format: 'date', aliases: ['登簿日期', '登记时间'] }),
      f('BDC_ZL', '坐落', { maxLength: 500, aliases: ['不动产坐落', '地址'] }),
    ],
  }),
  sixKind({
    code: 'tdxx_kjyf',
    name: '科技研发信息',
    p: 'KJ',
    fields: [
      f('KJ_RDLX', '认定类型', {
        required: true,
        format: 'code',
        codeList: [
          '高新技术企业',
          '科技型中小企业',
          '专精特新中小企业',
          '专精特新“小巨人”企业',
          '技术先进型服务企业',
          '研发机构',
        ],
        codePrefixes: OTHER_PREFIX,
        aliases: ['认定类别', '资质类型'],
      }),
      f('KJ_ZSBH', '证书编号', { maxLength: 100, aliases: ['认定证书编号', '证书号'] }),
      f('KJ_RDRQ', '认定日期', { required: true, format: 'date', aliases: ['认定时间', '发证日期'] }),
      f('KJ_YXQZ', '有效期至', { format: 'date', aliases: ['有效期止', '有效期截止日期'] }),
      f('KJ_YFTR', '研发投入（万元）', {
        format: 'amount',
        aliases: ['研发投入', '研发经费投入', '研发费用'],
      }),
    ],
    rules: [{ kind: 'dateOrder', from: 'KJ_RDRQ', to: 'KJ_YXQZ' }],
  }),
];

function yearList(): string[] {
  const out: string[] = [];
  for (let y = 2014; y <= 2040; y++) out.push(String(y));
  return out;
}

export const BUILTIN_RULE_SETS: RuleSetDefinitionInput[] = [penalty, licence, ...FIVE, ...SIX];
