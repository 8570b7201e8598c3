/**
 * Identifier checks used by the compliance engine, as pure char-code loops (no regex per call):
 * - 统一社会信用代码 (GB 32100-2015, DOMAIN.md §1): length, charset, area digits, registration
 *   authority / organisation type, the mod-31 check character and the mod-11 organisation-code
 *   check of positions 9–17;
 * - 组织机构代码 (GB 11714-1997) on its own, with or without the hyphen;
 * - 公民身份号码 (GB 11643-1999, DOMAIN.md §2): 18 digits with the MOD 11-2 check, birth date,
 *   province prefix; legacy 15-digit numbers and their conversion to 18 digits.
 * A valid value returns a shared constant result (no allocation on the valid path).
 */

// ---------- 统一社会信用代码 ----------

/** The 31 characters of GB 32100 in value order (no I, O, Z, S, V). */
export const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** 3^(i−1) mod 31 for positions 1–17. */
export const USCC_WEIGHTS: readonly number[] = [
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
/** GB 11714 weights of the 8 body characters. */
export const ORG_WEIGHTS: readonly number[] = [3, 7, 9, 10, 5, 8, 4, 2];

/** char code → USCC value (0–30), −1 when not allowed. */
const USCC_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < USCC_CHARS.length; i++) USCC_VALUE[USCC_CHARS.charCodeAt(i)] = i;

/** char code → GB 11714 value (0–9, A=10 … Z=35), −1 otherwise. */
const ORG_VALUE = new Int8Array(128).fill(-1);
for (let c = 48; c <= 57; c++) ORG_VALUE[c] = c - 48;
for (let c = 65; c <= 90; c++) ORG_VALUE[c] = c - 55;

/** Position 1 (登记管理部门) → its name and the allowed position-2 values (机构类别). DOMAIN.md §1.6. */
export const USCC_AUTHORITIES: Readonly<
  Record<string, { name: string; types: Readonly<Record<string, string>> }>
> = {
  '1': {
    name: '机构编制',
    types: { '1': '机关', '2': '事业单位', '3': '中央编办直接管理机构编制的群众团体', '9': '其他' },
  },
  '2': { name: '外交', types: { '1': '外国常住新闻机构', '9': '其他' } },
  '3': {
    name: '司法行政',
    types: {
      '1': '律师执业机构',
      '2': '公证处',
      '3': '基层法律服务所',
      '4': '司法鉴定机构',
      '5': '仲裁委员会',
      '9': '其他',
    },
  },
  '4': { name: '文化', types: { '1': '外国在华文化中心', '9': '其他' } },
  '5': { name: '民政', types: { '1': '社会团体', '2': '民办非企业单位', '3': '基金会', '9': '其他' } },
  '6': {
    name: '旅游',
    types: {
      '1': '外国旅游部门常驻代表机构',
      '2': '港澳台地区旅游部门常驻内地（大陆）代表机构',
      '9': '其他',
    },
  },
  '7': { name: '宗教', types: { '1': '宗教活动场所', '2': '宗教院校', '9': '其他' } },
  '8': { name: '工会', types: { '1': '基层工会', '9': '其他' } },
  '9': { name: '工商（市场监管）', types: { '1': '企业', '2': '个体工商户', '3': '农民专业合作社' } },
  A: { name: '中央军委改革和编制办公室', types: { '1': '军队事业单位', '9': '其他' } },
  N: {
    name: '农业',
    types: { '1': '组级集体经济组织', '2': '村级集体经济组织', '3': '乡镇级集体经济组织', '9': '其他' },
  },
  Y: { name: '其他', types: { '1': '其他' } },
};

/** Allowed (pos1, pos2) pairs as a 128×128 bit table for a lookup without allocation. */
const AUTHORITY_PAIR = new Uint8Array(128 * 128);
for (const [a, { types }] of Object.entries(USCC_AUTHORITIES)) {
  for (const t of Object.keys(types)) AUTHORITY_PAIR[a.charCodeAt(0) * 128 + t.charCodeAt(0)] = 1;
}

export type UsccFailure = 'length' | 'charset' | 'area' | 'authority' | 'check' | 'org_check';

/** Why a character is not allowed (for the message). */
export type CharProblem = 'lower_case' | 'full_width' | 'excluded_letter' | 'not_digit' | 'other';

export interface UsccResult {
  ok: boolean;
  /** The first part that failed, null when ok. */
  failure: UsccFailure | null;
  /** 1-based position of the offending character (charset, area, check: 18, org_check: 17). */
  position: number;
  /** The offending character ('' when not applicable). */
  char: string;
  charProblem: CharProblem | null;
  /** For check / org_check: the character that position should have. */
  expected: string;
  /** The mod-31 check passed (meaningful once length/charset/area passed). */
  checkOk: boolean;
  /** The mod-11 organisation-code check of positions 9–17 passed. */
  orgCheckOk: boolean;
}

const USCC_OK: UsccResult = Object.freeze({
  ok: true,
  failure: null,
  position: 0,
  char: '',
  charProblem: null,
  expected: '',
  checkOk: true,
  orgCheckOk: true,
});

function charProblem(code: number, digitsOnly: boolean): CharProblem {
  if (code >= 0xff01 && code <= 0xff5e) return 'full_width';
  if (code === 0x3000) return 'full_width';
  if (digitsOnly) return 'not_digit';
  if (code >= 97 && code <= 122) return 'lower_case';
  if (code === 73 || code === 79 || code === 90 || code === 83 || code === 86) return 'excluded_letter';
  return 'other';
}

function fail(
  failure: UsccFailure,
  position: number,
  char: string,
  problem: CharProblem | null,
  expected = '',
  checkOk = false,
  orgCheckOk = false,
): UsccResult {
  return { ok: false, failure, position, char, charProblem: problem, expected, checkOk, orgCheckOk };
}

/** The mod-31 check character for the first 17 characters (assumed in the USCC charset). */
export function usccCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_VALUE[first17.charCodeAt(i)]! * USCC_WEIGHTS[i]!;
  const r = sum % 31;
  return USCC_CHARS[r === 0 ? 0 : 31 - r]!;
}

/** The GB 11714 check character for an 8-character organisation-code body ('' when a char is invalid). */
export function orgCodeCheckChar(body: string, offset = 0): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = body.charCodeAt(offset + i);
    const v = c < 128 ? ORG_VALUE[c]! : -1;
    if (v < 0) return '';
    sum += v * ORG_WEIGHTS[i]!;
  }
  const c9 = 11 - (sum % 11);
  return c9 === 10 ? 'X' : c9 === 11 ? '0' : String.fromCharCode(48 + c9);
}

/**
 * Checks a 统一社会信用代码 exactly as given (no trimming or case folding). Order of the checks:
 * length, charset (positions 1–2 and 9–18), area digits (3–8), authority/type pair, mod-31
 * check character, organisation-code check. The result tells which part failed first.
 */
export function checkUscc(value: string): UsccResult {
  return isValidUsccFast(value) ? USCC_OK : checkUsccDetail(value);
}

const ORG_W_AT = new Int8Array(18);
for (let i = 0; i < 8; i++) ORG_W_AT[8 + i] = ORG_WEIGHTS[i]!;

/** One pass over the 18 characters: charset, area digits, both check characters, authority. */
function isValidUsccFast(value: string): boolean {
  if (value.length !== 18) return false;
  let sum = 0;
  let org = 0;
  for (let i = 0; i < 17; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128) return false;
    const v = USCC_VALUE[c]!;
    if (v < 0 || (i >= 2 && i <= 7 && v > 9)) return false;
    sum += v * USCC_WEIGHTS[i]!;
    if (i >= 8 && i < 16) org += ORG_VALUE[c]! * ORG_W_AT[i]!;
  }
  const r = sum % 31;
  if (USCC_CHARS.charCodeAt(r === 0 ? 0 : 31 - r) !== value.charCodeAt(17)) return false;
  const o = 11 - (org % 11);
  if ((o === 10 ? 88 : o === 11 ? 48 : 48 + o) !== value.charCodeAt(16)) return false;
  return AUTHORITY_PAIR[value.charCodeAt(0) * 128 + value.charCodeAt(1)] === 1;
}

function checkUsccDetail(value: string): UsccResult {
  if (value.length !== 18) return fail('length', 0, '', null);
  for (let i = 0; i < 18; i++) {
    const c = value.charCodeAt(i);
    if (i >= 2 && i <= 7) {
      if (c < 48 || c > 57) return fail('area', i + 1, value[i]!, charProblem(c, true));
    } else if (c >= 128 || USCC_VALUE[c]! < 0) {
      if (i === 17) {
        // A check character outside the charset is a wrong check character: say which one is due.
        const expected = usccCheckChar(value);
        const orgExpected = orgCodeCheckChar(value, 8);
        const orgOk = orgExpected !== '' && orgExpected.charCodeAt(0) === value.charCodeAt(16);
        return fail('check', 18, value[17]!, charProblem(c, false), expected, false, orgOk);
      }
      return fail('charset', i + 1, value[i]!, charProblem(c, false));
    }
  }
  // Check characters first: a wrong character anywhere shows up as a wrong check character,
  // while an unknown authority/type pair is a narrower finding.
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_VALUE[value.charCodeAt(i)]! * USCC_WEIGHTS[i]!;
  const r = sum % 31;
  const expected = USCC_CHARS.charCodeAt(r === 0 ? 0 : 31 - r);
  const checkOk = expected === value.charCodeAt(17);
  const orgExpected = orgCodeCheckChar(value, 8);
  const orgCheckOk = orgExpected !== '' && orgExpected.charCodeAt(0) === value.charCodeAt(16);
  if (!checkOk) return fail('check', 18, value[17]!, null, String.fromCharCode(expected), false, orgCheckOk);
  if (!orgCheckOk) return fail('org_check', 17, value[16]!, null, orgExpected, true, false);
  if (AUTHORITY_PAIR[value.charCodeAt(0) * 128 + value.charCodeAt(1)] !== 1) {
    return fail('authority', 1, value.slice(0, 2), null, '', true, true);
  }
  return USCC_OK;
}

/** True when the code passes every USCC check. */
export function isValidUscc(value: string): boolean {
  return checkUscc(value).ok;
}

// ---------- 组织机构代码 ----------

export type OrgCodeFailure = 'length' | 'charset' | 'check';

export interface OrgCodeResult {
  ok: boolean;
  failure: OrgCodeFailure | null;
  position: number;
  char: string;
  charProblem: CharProblem | null;
  expected: string;
}

const ORG_OK: OrgCodeResult = Object.freeze({
  ok: true,
  failure: null,
  position: 0,
  char: '',
  charProblem: null,
  expected: '',
});

/** Checks a 组织机构代码: 9 characters, or 10 with a hyphen before the check character. */
export function checkOrgCode(value: string): OrgCodeResult {
  let body = value;
  if (value.length === 10 && value.charCodeAt(8) === 45) body = value.slice(0, 8) + value[9]!;
  else if (value.length !== 9)
    return { ok: false, failure: 'length', position: 0, char: '', charProblem: null, expected: '' };
  for (let i = 0; i < 9; i++) {
    const c = body.charCodeAt(i);
    const okChar = i < 8 ? c < 128 && ORG_VALUE[c]! >= 0 : (c >= 48 && c <= 57) || c === 88;
    if (!okChar) {
      const problem =
        c >= 97 && c <= 122 ? 'lower_case' : charProblem(c, false) === 'full_width' ? 'full_width' : 'other';
      return {
        ok: false,
        failure: 'charset',
        position: i + 1,
        char: body[i]!,
        charProblem: problem,
        expected: '',
      };
    }
  }
  const expected = orgCodeCheckChar(body, 0);
  if (expected.charCodeAt(0) !== body.charCodeAt(8)) {
    return { ok: false, failure: 'check', position: 9, char: body[8]!, charProblem: null, expected };
  }
  return ORG_OK;
}

// ---------- 公民身份号码 ----------

/** GB/T 2260 province-level prefixes (plus 71 台湾, 81 香港, 82 澳门, 83 台湾, 91 国外 as in Hutool). */
export const ID_PROVINCES: Readonly<Record<string, string>> = {
  '11': '北京',
  '12': '天津',
  '13': '河北',
  '14': '山西',
  '15': '内蒙古',
  '21': '辽宁',
  '22': '吉林',
  '23': '黑龙江',
  '31': '上海',
  '32': '江苏',
  '33': '浙江',
  '34': '安徽',
  '35': '福建',
  '36': '江西',
  '37': '山东',
  '41': '河南',
  '42': '湖北',
  '43': '湖南',
  '44': '广东',
  '45': '广西',
  '46': '海南',
  '50': '重庆',
  '51': '四川',
  '52': '贵州',
  '53': '云南',
  '54': '西藏',
  '61': '陕西',
  '62': '甘肃',
  '63': '青海',
  '64': '宁夏',
  '65': '新疆',
  '71': '台湾',
  '81': '香港',
  '82': '澳门',
  '83': '台湾',
  '91': '国外',
};
const PROVINCE = new Uint8Array(100);
for (const p of Object.keys(ID_PROVINCES)) PROVINCE[Number(p)] = 1;

const ID_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export type IdFailure = 'length' | 'charset' | 'province' | 'birth' | 'birth_future' | 'check';

export interface IdResult {
  ok: boolean;
  failure: IdFailure | null;
  /** ok, but the check character is a lower-case x (should be X). */
  lowerX: boolean;
  /** 15 or 18 (0 when the length is wrong). */
  digits: number;
  position: number;
  char: string;
  charProblem: CharProblem | null;
  /** The expected check character for 'check'. */
  expected: string;
  /** The birth date read, YYYYMMDD (0 when unreadable). */
  birth: number;
}

const ID_OK_18: IdResult = Object.freeze({
  ok: true,
  failure: null,
  lowerX: false,
  digits: 18,
  position: 0,
  char: '',
  charProblem: null,
  expected: '',
  birth: 0,
});
const ID_OK_15: IdResult = Object.freeze({ ...ID_OK_18, digits: 15 });
const ID_OK_LOWER_X: IdResult = Object.freeze({ ...ID_OK_18, lowerX: true });

/** Days in month m (1–12) of year y (proleptic Gregorian). */
export function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** True when y-m-d is a real calendar date (years 1000–9999). */
export function isValidYmd(y: number, m: number, d: number): boolean {
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function digitsAt(s: string, from: number, n: number): number {
  let v = 0;
  for (let i = from; i < from + n; i++) v = v * 10 + (s.charCodeAt(i) - 48);
  return v;
}

/** The MOD 11-2 check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11]!;
}

function idFail(
  failure: IdFailure,
  digits: number,
  position: number,
  char: string,
  problem: CharProblem | null,
  expected = '',
  birth = 0,
): IdResult {
  return { ok: false, failure, lowerX: false, digits, position, char, charProblem: problem, expected, birth };
}

/**
 * Checks a 公民身份号码 as given (no trimming). `today` (YYYYMMDD as a number, 0: no check)
 * rejects birth dates in the future. 18 digits: 17 digits + check (0–9 or X; x is accepted with
 * lowerX = true); 15 digits: legacy number with birth date 19YYMMDD and no check character.
 */
export function checkIdNumber(value: string, today = 0): IdResult {
  const len = value.length;
  if (len !== 18 && len !== 15) return idFail('length', 0, 0, '', null);
  const bodyLen = len === 18 ? 17 : 15;
  for (let i = 0; i < bodyLen; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return idFail('charset', len, i + 1, value[i]!, charProblem(c, true));
  }
  if (len === 18) {
    const c = value.charCodeAt(17);
    if (!((c >= 48 && c <= 57) || c === 88 || c === 120)) {
      return idFail('charset', 18, 18, value[17]!, charProblem(c, true));
    }
  }
  if (PROVINCE[digitsAt(value, 0, 2)] !== 1) return idFail('province', len, 1, value.slice(0, 2), null);
  let y: number;
  let m: number;
  let d: number;
  if (len === 18) {
    y = digitsAt(value, 6, 4);
    m = digitsAt(value, 10, 2);
    d = digitsAt(value, 12, 2);
  } else {
    y = 1900 + digitsAt(value, 6, 2);
    m = digitsAt(value, 8, 2);
    d = digitsAt(value, 10, 2);
  }
  const birth = y * 10000 + m * 100 + d;
  if (y < 1800 || !isValidYmd(y, m, d)) return idFail('birth', len, 7, '', null, '', birth);
  if (today > 0 && birth > today) return idFail('birth_future', len, 7, '', null, '', birth);
  if (len === 15) return ID_OK_15;
  const expected = idCheckChar(value);
  const actual = value.charCodeAt(17);
  if (actual === expected.charCodeAt(0)) return ID_OK_18;
  if (actual === 120 && expected === 'X') return ID_OK_LOWER_X;
  return idFail('check', 18, 18, value[17]!, null, expected, birth);
}

/** 15-digit legacy number → 18 digits (insert 19, append the check); null when not a valid 15-digit number. */
export function convert15To18(id15: string): string | null {
  if (id15.length !== 15 || !checkIdNumber(id15).ok) return null;
  const first17 = id15.slice(0, 6) + '19' + id15.slice(6);
  return first17 + idCheckChar(first17);
}
