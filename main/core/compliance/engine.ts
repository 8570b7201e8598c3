/**
 * The check engine: header matching (name variants, 全角/半角 brackets, spaces, 「*」 and
 * 「（必填）」 markers, old names), rule-set detection and the compiled row checker.
 *
 * `compileChecker` turns a rule set + header match into one check function per mapped column
 * plus the cross-field rules, ONCE per file. On a valid row nothing is allocated: values are
 * tested with char-code loops and precomputed Sets; a Finding is created only when something
 * is wrong. Choices the rule-set data does not express:
 * - Empty = '' or whitespace only. A field without a column is skipped (the run reports missing
 *   required columns once, from HeaderMatch.missingFields); a condition on a field without a
 *   column never holds.
 * - Codes (统一社会信用代码, 组织机构代码, 证件号码, 日期, 金额, 代码表) are trimmed and full-width
 *   letters/digits folded before they are checked: stray spaces / full-width characters are
 *   reported as `whitespace` / `full_width` (options.whitespaceSeverity) and the cleaned value
 *   is then checked as usual. Lower-case letters in a 统一社会信用代码 are a charset error.
 * - Date fields that are the later end of a dateOrder rule or the publicity deadline may lie in
 *   the future and accept options.openEndValues (长期); all other dates may not be after `today`.
 * - 身份证 numbers are checked when the 证件类型 cell says 身份证/居民身份证, when no type field
 *   is configured, or when the type is empty and the value looks like an ID (15/18 characters).
 * - amount_unit: amounts of 10,000 万元 (1 亿元) or more are a warning (probably entered in 元).
 * - subjectPrefix: 自然人 with a 统一社会信用代码 → error; 个体工商户 whose code does not start
 *   with 92 → error; 法人及非法人组织 with a 92 code → warning (older data filed 个体户 as 法人).
 * - Duplicates: values of `unique` fields are kept as 64-bit hashes (two 32-bit string hashes)
 *   → first row (FirstRowTable), so the reader's strings are not retained across a million rows.
 */
import type {
  ColumnMapping,
  FieldCondition,
  Finding,
  RuleField,
  RuleSetDefinition,
  Severity,
} from '../contract/compliance';
import { normalizeHeader } from '../import/headers';
import {
  USCC_AUTHORITIES,
  checkIdNumber,
  checkOrgCode,
  checkUscc,
  isValidYmd,
  type CharProblem,
} from './codes';
import {
  addMonths,
  compilePublicity,
  domainMinMonths,
  isoToYmd,
  monthsText,
  publicityVersionFor,
  ymdToIso,
} from './publicity';
import type { CheckerOptions, HeaderMatch, RawRow, RowChecker, StoredRuleSet } from './types';

/** Every rule id a finding can carry, with its Chinese name. */
export const RULES: Record<string, { name: string }> = {
  required: { name: '必填项为空' },
  required_when: { name: '条件必填项为空' },
  code_list: { name: '不在代码表中' },
  uscc_length: { name: '统一社会信用代码位数错误' },
  uscc_charset: { name: '统一社会信用代码含非法字符' },
  uscc_check: { name: '统一社会信用代码校验位错误' },
  org_code_check: { name: '组织机构代码校验位错误' },
  uscc_authority: { name: '登记管理部门或机构类别代码无效' },
  org_code: { name: '组织机构代码格式错误' },
  id_number: { name: '证件号码格式错误' },
  id_check: { name: '身份证号码校验位错误' },
  id_lowercase: { name: '身份证号码末位应为大写 X' },
  id_birth: { name: '身份证号码出生日期无效' },
  date_format: { name: '日期格式错误或日期不存在' },
  date_future: { name: '日期晚于检查日' },
  date_order: { name: '日期先后顺序错误' },
  amount_format: { name: '金额不是数字' },
  amount_negative: { name: '金额为负数' },
  amount_unit: { name: '金额疑似按元填写' },
  publicity_period: { name: '公示截止期不符合公示期限' },
  subject_prefix: { name: '相对人类别与统一社会信用代码不符' },
  duplicate: { name: '文书号重复' },
  whitespace: { name: '多余空格' },
  full_width: { name: '全角字符' },
  max_length: { name: '内容超长' },
  sci_notation: { name: '代码被显示为科学计数法' },
};

/** Rules meaning "a wrong 统一社会信用代码 / 组织机构代码" (FileCheckResult.wrongCodes counts their cells). */
export const WRONG_CODE_RULES: ReadonlySet<string> = new Set([
  'uscc_length',
  'uscc_charset',
  'uscc_check',
  'org_code_check',
  'uscc_authority',
  'org_code',
]);

/** Amounts (万元) from this value on are reported as probably entered in 元. */
export const AMOUNT_UNIT_THRESHOLD = 10000;

// ---------- header matching ----------

const HEADER_SCAN_ROWS = 30;
const MARKER_RE = /[*＊※★☆]/g;
const SPACE_RE = /[\s\u200b-\u200d\ufeff]+/g;
const REQUIRED_NOTE_RE = /[(（[【](?:必填|必填项|选填|选填项|非必填|可选|可不填)[)）\]】]/g;

/** Exact form: NFKC, no spaces or markers, upper-case Latin. 「*罚款金额（万元）」 → 「罚款金额(万元)」 */
function foldHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(SPACE_RE, '')
    .replace(MARKER_RE, '')
    .replace(REQUIRED_NOTE_RE, '')
    .toUpperCase();
}
/** Loose form: also without bracketed notes. 「罚款金额（万元）」 → 「罚款金额」 */
function looseHeader(text: string): string {
  return normalizeHeader(text.replace(REQUIRED_NOTE_RE, '')).toUpperCase();
}

interface HeaderLookup {
  exact: Map<string, string>;
  loose: Map<string, string>;
}
const lookups = new WeakMap<RuleSetDefinition, HeaderLookup>();

function headerLookup(def: RuleSetDefinition): HeaderLookup {
  let lk = lookups.get(def);
  if (lk) return lk;
  lk = { exact: new Map(), loose: new Map() };
  // Keys and names of every field first, then aliases: an alias never takes another field's name.
  const put = (m: Map<string, string>, text: string, key: string) => {
    if (text && !m.has(text)) m.set(text, key);
  };
  for (const f of def.fields) {
    put(lk.exact, foldHeader(f.key), f.key);
    put(lk.exact, foldHeader(f.name), f.key);
  }
  for (const f of def.fields) for (const a of f.aliases) put(lk.exact, foldHeader(a), f.key);
  for (const f of def.fields) put(lk.loose, looseHeader(f.name), f.key);
  for (const f of def.fields) for (const a of f.aliases) put(lk.loose, looseHeader(a), f.key);
  lookups.set(def, lk);
  return lk;
}

function fieldOfHeader(lk: HeaderLookup, cell: string | undefined): string | null {
  if (!cell) return null;
  const exact = lk.exact.get(foldHeader(cell));
  if (exact) return exact;
  const loose = looseHeader(cell);
  return lk.exact.get(loose) ?? lk.loose.get(loose) ?? null;
}

/** Best header row among `rows` (the file's first rows) for this rule set, or null. */
export function matchHeader(rows: RawRow[], def: RuleSetDefinition): HeaderMatch | null {
  const lk = headerLookup(def);
  let best: RawRow | null = null;
  let bestCount = 0;
  for (const r of rows.slice(0, HEADER_SCAN_ROWS)) {
    const seen = new Set<string>();
    for (const c of r.cells) {
      const k = fieldOfHeader(lk, c);
      if (k) seen.add(k);
    }
    if (seen.size > bestCount) {
      best = r;
      bestCount = seen.size;
    }
  }
  if (!best || bestCount < 2) return null;
  const byKey = new Map(def.fields.map((f) => [f.key, f]));
  const fieldIndex: Record<string, number> = {};
  const columns: ColumnMapping[] = best.cells.map((cell, index) => {
    const k = fieldOfHeader(lk, cell);
    const header = (cell ?? '').trim();
    if (k && fieldIndex[k] === undefined) {
      fieldIndex[k] = index;
      return { index, header, field: k, fieldName: byKey.get(k)!.name };
    }
    return { index, header, field: null, fieldName: null };
  });
  const required = def.fields.filter((f) => f.required);
  const matchedRequired = required.filter((f) => fieldIndex[f.key] !== undefined).length;
  if (required.length > 0 && matchedRequired < 0.3 * required.length) return null;
  return {
    headerRow: best.n,
    columns,
    fieldIndex,
    matched: Object.keys(fieldIndex).length,
    missingFields: required.filter((f) => fieldIndex[f.key] === undefined).map((f) => f.name),
  };
}

function matchScore(def: RuleSetDefinition, m: HeaderMatch): number {
  let requiredMatched = 0;
  for (const f of def.fields) if (f.required && m.fieldIndex[f.key] !== undefined) requiredMatched++;
  // Matched fields, required ones counted twice; the share of the set matched breaks ties.
  return m.matched + requiredMatched + m.matched / def.fields.length;
}

/** The rule set whose fields best match the file's header, with the other plausible ones. */
export function detectRuleSet(
  rows: RawRow[],
  sets: StoredRuleSet[],
): {
  best: { set: StoredRuleSet; match: HeaderMatch } | null;
  candidates: { set: StoredRuleSet; match: HeaderMatch }[];
} {
  const scored: { set: StoredRuleSet; match: HeaderMatch; score: number }[] = [];
  for (const set of sets) {
    const match = matchHeader(rows, set.definition);
    if (match) scored.push({ set, match, score: matchScore(set.definition, match) });
  }
  scored.sort((a, b) => b.score - a.score);
  const [first, ...rest] = scored;
  return {
    best: first ? { set: first.set, match: first.match } : null,
    candidates: rest.map(({ set, match }) => ({ set, match })),
  };
}

// ---------- value helpers (char-code loops, no allocation) ----------

function isWs(c: number): boolean {
  return (
    c === 32 || c === 9 || c === 10 || c === 13 || c === 0x3000 || c === 0xa0 || c === 0xfeff || c === 0x200b
  );
}

function isBlank(v: string): boolean {
  const n = v.length;
  if (n === 0) return true;
  const c = v.charCodeAt(0);
  if (c > 32 && c !== 0x3000 && c !== 0xa0 && c !== 0xfeff && c !== 0x200b) return false;
  for (let i = 0; i < n; i++) if (!isWs(v.charCodeAt(i))) return false;
  return true;
}

/** Leading or trailing whitespace. */
function hasEdgeWs(v: string): boolean {
  return isWs(v.charCodeAt(0)) || isWs(v.charCodeAt(v.length - 1));
}

/** True when every char is printable ASCII without spaces (fast path of code values). */
function isPlainAscii(v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c <= 32 || c >= 127) return false;
  }
  return true;
}

interface Cleaned {
  value: string;
  ws: boolean;
  fw: boolean;
}

/**
 * Removes whitespace (all of it when `inner`, else only at the ends) and folds full-width
 * ASCII (U+FF01–FF5E; only letters and digits when `alnumOnly`, so 「；」 stays) to half-width.
 * Slow path only.
 */
function cleanValue(v: string, inner: boolean, alnumOnly = false): Cleaned {
  let start = 0;
  let end = v.length;
  while (start < end && isWs(v.charCodeAt(start))) start++;
  while (end > start && isWs(v.charCodeAt(end - 1))) end--;
  let ws = start > 0 || end < v.length;
  let fw = false;
  let out = '';
  for (let i = start; i < end; i++) {
    const c = v.charCodeAt(i);
    if (inner && isWs(c)) {
      ws = true;
      continue;
    }
    if (c >= 0xff01 && c <= 0xff5e && (!alnumOnly || isFullWidthAlnum(c))) {
      fw = true;
      out += String.fromCharCode(c - 0xfee0);
    } else out += v[i];
  }
  return { value: out, ws, fw };
}

function isFullWidthAlnum(c: number): boolean {
  return (c >= 0xff10 && c <= 0xff19) || (c >= 0xff21 && c <= 0xff3a) || (c >= 0xff41 && c <= 0xff5a);
}

const SCI_RE = /^[+-]?\d+(?:\.\d+)?[eE][+-]?\d+$/;

/**
 * At most 200 characters, as a string of its own: the readers' cells are slices of a whole
 * decoded chunk (about 2 MB), and a finding kept for the sample or the worst rows would keep
 * that chunk alive — over a large file, hundreds of MB.
 */
function truncate(v: string): string {
  const s = v.length > 200 ? v.slice(0, 200) : v;
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function charText(ch: string, problem: CharProblem | null): string {
  switch (problem) {
    case 'lower_case':
      return `「${ch}」是小写字母，应为大写`;
    case 'full_width':
      return `「${ch}」是全角字符，应为半角`;
    case 'excluded_letter':
      return `「${ch}」不在代码字符集中（不使用 I、O、Z、S、V）`;
    case 'not_digit':
      return `「${ch}」不是数字`;
    default:
      return `「${ch}」不是允许的字符`;
  }
}

/**
 * First row of each value of a `unique` field, keyed by two independent 32-bit hashes of the
 * value (64 bits: a false duplicate is practically impossible) in an open-addressing table of
 * typed arrays: no allocation per row, and the reader's strings are not retained. Exported for
 * the parallel check (main/core/compliance/parallel.ts), which looks the second half's values
 * up in the first half's table.
 */
export class FirstRowTable {
  /** Slots of [h1, h2, row] (row 0 = free), interleaved so one probe touches one cache line. */
  private slots = new Int32Array(3 * 1024);
  private mask = 1023;
  private size = 0;

  /** The first row seen with v[start, end), or 0 after recording `row` for it (row ≥ 1). */
  firstOrAdd(v: string, start: number, end: number, row: number): number {
    let a = 0x811c9dc5;
    let b = 0x1234567;
    for (let i = start; i < end; i++) {
      const c = v.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b + c, 0x5bd1e995) ^ (b >>> 15);
    }
    b = Math.imul(b ^ (b >>> 13), 0x5bd1e995) ^ (end - start);
    const slots = this.slots;
    let i = (a ^ (b >>> 7)) & this.mask;
    for (;;) {
      const k = i * 3;
      const r = slots[k + 2]!;
      if (r === 0) {
        slots[k] = a;
        slots[k + 1] = b;
        slots[k + 2] = row;
        if (++this.size * 2 > this.mask) this.grow();
        return 0;
      }
      if (slots[k] === a && slots[k + 1] === b) return r;
      i = (i + 1) & this.mask;
    }
  }

  /** The first row recorded for the hash pair (a, b), or 0 (nothing is recorded). */
  findHash(a: number, b: number): number {
    const slots = this.slots;
    let i = (a ^ (b >>> 7)) & this.mask;
    for (;;) {
      const k = i * 3;
      const r = slots[k + 2]!;
      if (r === 0) return 0;
      if (slots[k] === a && slots[k + 1] === b) return r;
      i = (i + 1) & this.mask;
    }
  }

  /**
   * The first row recorded for cell value `v` as the checker keys it (surrounding whitespace
   * trimmed), or 0; blank values are never recorded. Nothing is recorded.
   */
  find(v: string): number {
    let s = 0;
    let e = v.length;
    while (s < e && isWs(v.charCodeAt(s))) s++;
    while (e > s && isWs(v.charCodeAt(e - 1))) e--;
    if (s === e) return 0;
    let a = 0x811c9dc5;
    let b = 0x1234567;
    for (let i = s; i < e; i++) {
      const c = v.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b + c, 0x5bd1e995) ^ (b >>> 15);
    }
    b = Math.imul(b ^ (b >>> 13), 0x5bd1e995) ^ (e - s);
    return this.findHash(a, b);
  }

  /** The table's slots ([h1, h2, row] triples, row 0 = free): plain data for another thread. */
  get entries(): Int32Array {
    return this.slots;
  }

  private grow(): void {
    const old = this.slots;
    const cap = (this.mask + 1) * 2;
    const slots = new Int32Array(3 * cap);
    const mask = cap - 1;
    for (let k = 0; k < old.length; k += 3) {
      if (old[k + 2] === 0) continue;
      let i = (old[k]! ^ (old[k + 1]! >>> 7)) & mask;
      while (slots[i * 3 + 2] !== 0) i = (i + 1) & mask;
      slots[i * 3] = old[k]!;
      slots[i * 3 + 1] = old[k + 1]!;
      slots[i * 3 + 2] = old[k + 2]!;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

// ---------- dates ----------

const DATE_FORMAT = -1;
const DATE_INVALID = -2;
const OPEN_END = 99991231;

interface DateFlags {
  dash: boolean;
  slash: boolean;
  compact: boolean;
  cjk: boolean;
  dot: boolean;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * YYYYMMDD from an accepted date text, DATE_FORMAT when no accepted format fits, DATE_INVALID
 * for a day that does not exist (2023-02-30). Month and day may have 1 or 2 digits after a
 * separator; a time part (「 12:30:00」, 「T12:30」) after the date is ignored (Excel cells).
 */
function parseDate(s: string, fl: DateFlags): number {
  const n = s.length;
  if (n < 8) return DATE_FORMAT;
  for (let i = 0; i < 4; i++) if (!isDigit(s.charCodeAt(i))) return DATE_FORMAT;
  const y =
    (s.charCodeAt(0) - 48) * 1000 +
    (s.charCodeAt(1) - 48) * 100 +
    (s.charCodeAt(2) - 48) * 10 +
    (s.charCodeAt(3) - 48);
  const sep = s.charCodeAt(4);
  let m = 0;
  let d = 0;
  let pos: number;
  if (isDigit(sep)) {
    if (!fl.compact || n !== 8) return DATE_FORMAT;
    for (let i = 4; i < 8; i++) if (!isDigit(s.charCodeAt(i))) return DATE_FORMAT;
    m = (s.charCodeAt(4) - 48) * 10 + (s.charCodeAt(5) - 48);
    d = (s.charCodeAt(6) - 48) * 10 + (s.charCodeAt(7) - 48);
    pos = 8;
  } else {
    const cjk = sep === 0x5e74; // 年
    if (cjk ? !fl.cjk : sep === 45 ? !fl.dash : sep === 47 ? !fl.slash : sep === 46 ? !fl.dot : true)
      return DATE_FORMAT;
    pos = 5;
    let digits = 0;
    while (pos < n && digits < 2 && isDigit(s.charCodeAt(pos))) {
      m = m * 10 + (s.charCodeAt(pos++) - 48);
      digits++;
    }
    if (digits === 0 || pos >= n || s.charCodeAt(pos) !== (cjk ? 0x6708 : sep)) return DATE_FORMAT; // 月
    pos++;
    digits = 0;
    while (pos < n && digits < 2 && isDigit(s.charCodeAt(pos))) {
      d = d * 10 + (s.charCodeAt(pos++) - 48);
      digits++;
    }
    if (digits === 0) return DATE_FORMAT;
    if (cjk) {
      if (pos < n && (s.charCodeAt(pos) === 0x65e5 || s.charCodeAt(pos) === 0x53f7))
        pos++; // 日 / 号
      else return DATE_FORMAT;
    }
  }
  if (pos < n) {
    // A time part: 「 HH:mm[:ss[.fff]]」 or 「THH:mm…」.
    const c = s.charCodeAt(pos);
    if (c !== 32 && c !== 84) return DATE_FORMAT;
    let colon = false;
    for (let i = pos + 1; i < n; i++) {
      const t = s.charCodeAt(i);
      if (t === 58) colon = true;
      else if (!isDigit(t) && t !== 46) return DATE_FORMAT;
    }
    if (!colon) return DATE_FORMAT;
  }
  if (!isValidYmd(y, m, d)) return DATE_INVALID;
  return y * 10000 + m * 100 + d;
}

function dateFlags(formats: readonly string[]): DateFlags {
  return {
    dash: formats.includes('YYYY-MM-DD'),
    slash: formats.includes('YYYY/MM/DD'),
    compact: formats.includes('YYYYMMDD'),
    cjk: formats.includes('YYYY年M月D日'),
    dot: formats.includes('YYYY.MM.DD'),
  };
}

// ---------- the compiled checker ----------

type CellCheck = (cells: string[], row: number, out: Finding[]) => void;

interface Cond {
  test: (cells: string[]) => boolean;
  message: string;
}

function listText(values: readonly string[], max = 12): string {
  const shown = values.slice(0, max).join('、');
  return values.length > max ? `${shown} 等` : shown;
}

function conditionText(c: FieldCondition, name: string): string {
  const vs = c.values.map((v) => `「${v}」`).join('或');
  switch (c.op) {
    case 'eq':
    case 'in':
      return `「${name}」为${vs}时`;
    case 'ne':
    case 'notIn':
      return `「${name}」不是${vs}时`;
    case 'contains':
      return `「${name}」含${vs}时`;
    case 'notEmpty':
      return `填写了「${name}」时`;
    case 'empty':
      return `「${name}」为空时`;
  }
}

function trimFast(v: string): string {
  return v.length > 0 && hasEdgeWs(v) ? v.trim() : v;
}

function compileCondition(c: FieldCondition, col: number): (cells: string[]) => boolean {
  const values = c.values;
  const set = new Set(values);
  const first = values[0] ?? '';
  switch (c.op) {
    case 'eq':
      return (cells) => trimFast(cells[col] ?? '') === first;
    case 'ne':
      return (cells) => trimFast(cells[col] ?? '') !== first;
    case 'in':
      if (values.length === 1) return (cells) => trimFast(cells[col] ?? '') === first;
      return (cells) => set.has(trimFast(cells[col] ?? ''));
    case 'notIn':
      return (cells) => !set.has(trimFast(cells[col] ?? ''));
    case 'contains':
      return (cells) => {
        const v = cells[col] ?? '';
        for (const w of values) if (v.includes(w)) return true;
        return false;
      };
    case 'notEmpty':
      return (cells) => !isBlank(cells[col] ?? '');
    case 'empty':
      return (cells) => isBlank(cells[col] ?? '');
  }
}

/**
 * Compiles the rule set against one file's header. The checker keeps state across rows (the
 * first row of each 文书号 for `duplicate`): use one checker per file, rows in file order.
 */
/** A compiled checker with its duplicate tables (one per mapped `unique` field, in column order). */
export interface CompiledChecker extends RowChecker {
  readonly unique: readonly { column: number; table: FirstRowTable }[];
}

export function compileChecker(
  def: RuleSetDefinition,
  match: HeaderMatch,
  opts: CheckerOptions,
): CompiledChecker {
  const o = def.options;
  const today = isoToYmd(opts.today);
  const flags = dateFlags(o.dateFormats);
  const openEnd = new Set(o.openEndValues.map((v) => v.trim()));
  const fieldsByKey = new Map<string, RuleField>(def.fields.map((f) => [f.key, f]));
  const colOf = (key: string): number => match.fieldIndex[key] ?? -1;

  // Date slots: each date field with a column gets one; filled per row by its column check.
  const dateSlot = new Map<string, number>();
  for (const f of def.fields)
    if (f.format === 'date' && colOf(f.key) >= 0) dateSlot.set(f.key, dateSlot.size);
  const dates = new Int32Array(Math.max(1, dateSlot.size));
  // Later ends of date ranges: may be in the future and accept open-end values.
  const laterEnds = new Set<string>();
  for (const r of def.rules) {
    if (r.kind === 'dateOrder') laterEnds.add(r.to);
    if (r.kind === 'publicity') laterEnds.add(r.deadlineField);
  }

  // Conditions making a field required (requiredWhen + requiredIfContains rules).
  const conds = new Map<string, Cond[]>();
  const addCond = (key: string, c: Cond) => {
    const list = conds.get(key);
    if (list) list.push(c);
    else conds.set(key, [c]);
  };
  for (const f of def.fields) {
    const w = f.requiredWhen;
    if (!w) continue;
    const col = colOf(w.field);
    if (col < 0) continue;
    const whenName = fieldsByKey.get(w.field)?.name ?? w.field;
    addCond(f.key, {
      test: compileCondition(w, col),
      message: `${conditionText(w, whenName)}，「${f.name}」必须填写，请补充`,
    });
  }
  for (const r of def.rules) {
    if (r.kind !== 'requiredIfContains') continue;
    const col = colOf(r.whenField);
    const target = fieldsByKey.get(r.field);
    if (col < 0 || !target) continue;
    const whenName = fieldsByKey.get(r.whenField)?.name ?? r.whenField;
    const c: FieldCondition = { field: r.whenField, op: 'contains', values: r.words };
    addCond(r.field, {
      test: compileCondition(c, col),
      message: `${conditionText(c, whenName)}，「${r.field === target.key ? target.name : r.field}」必须填写，请补充`,
    });
  }

  const uniqueTables: { column: number; table: FirstRowTable }[] = [];
  const checks: CellCheck[] = [];
  const sorted = def.fields
    .map((f) => ({ f, col: colOf(f.key) }))
    .filter((x) => x.col >= 0)
    .sort((a, b) => a.col - b.col);
  for (const { f, col } of sorted) {
    checks.push(compileField(f, col));
  }
  const cross: CellCheck[] = [];
  for (const r of def.rules) {
    const c = compileCross(r);
    if (c) cross.push(c);
  }

  function finding(
    row: number,
    col: number,
    name: string,
    rule: string,
    severity: Severity,
    message: string,
    value: string | null,
  ): Finding {
    return {
      row,
      column: col,
      field: name,
      rule,
      severity,
      message,
      value: value === null ? null : truncate(value),
    };
  }

  function compileField(f: RuleField, col: number): CellCheck {
    const name = f.name;
    /** Pushes a finding on this field's column. */
    const report = (
      out: Finding[],
      row: number,
      rule: string,
      severity: Severity,
      message: string,
      value: string | null,
    ): void => {
      out.push(finding(row, col, name, rule, severity, message, value));
    };
    const required = f.required;
    const fconds = conds.get(f.key) ?? null;
    const maxLength = f.maxLength;
    const slot = dateSlot.get(f.key) ?? -1;
    const fmt = compileFormat(f, col, slot);
    const unique = f.unique ? new FirstRowTable() : null;
    if (unique !== null) uniqueTables.push({ column: col, table: unique });
    const wsSev = o.whitespaceSeverity;
    const requiredMsg = `「${name}」为必填项，当前为空，请补充`;

    return (cells, row, out) => {
      const v = cells[col] ?? '';
      const c0 = v.length === 0 ? 0 : v.charCodeAt(0);
      if (
        c0 === 0 ||
        ((c0 <= 32 || c0 === 0x3000 || c0 === 0xa0 || c0 === 0xfeff || c0 === 0x200b) && isBlank(v))
      ) {
        if (slot >= 0) dates[slot] = 0;
        if (required) report(out, row, 'required', 'error', requiredMsg, v);
        else if (fconds !== null) {
          for (let i = 0; i < fconds.length; i++) {
            if (fconds[i]!.test(cells)) {
              report(out, row, 'required_when', 'error', fconds[i]!.message, v);
              break;
            }
          }
        }
        return;
      }
      if (maxLength !== null && v.length > maxLength) {
        report(
          out,
          row,
          'max_length',
          'error',
          `「${name}」最多 ${maxLength} 个字，当前 ${v.length} 个字，请精简`,
          v,
        );
      }
      if (fmt !== null) fmt(v, row, out, cells);
      else if (hasEdgeWs(v) || v.indexOf('  ') >= 0) {
        report(out, row, 'whitespace', wsSev, `「${name}」首尾或中间有多余空格，请删除`, v);
      }
      if (unique !== null) {
        let s = 0;
        let e = v.length;
        while (s < e && isWs(v.charCodeAt(s))) s++;
        while (e > s && isWs(v.charCodeAt(e - 1))) e--;
        const first = unique.firstOrAdd(v, s, e, row);
        if (first !== 0) {
          report(
            out,
            row,
            'duplicate',
            'error',
            `「${name}」与第 ${first} 行重复，同一文书号只能出现一次：同一决定请合并为一条，否则请核对文号`,
            v,
          );
        }
      }
    };
  }

  type FormatCheck = (v: string, row: number, out: Finding[], cells: string[]) => void;

  /** The value check of a non-empty cell (null: only the whitespace check of free text). */
  function compileFormat(f: RuleField, col: number, slot: number): FormatCheck | null {
    const name = f.name;
    /** Pushes a finding on this field's column. */
    const report = (
      out: Finding[],
      row: number,
      rule: string,
      severity: Severity,
      message: string,
      value: string | null,
    ): void => {
      out.push(finding(row, col, name, rule, severity, message, value));
    };
    const wsSev = o.whitespaceSeverity;
    const cdSev = o.checkDigitSeverity;

    /** Reports stray spaces / full-width characters of a cleaned value. */
    const cleanFindings = (c: Cleaned, v: string, row: number, out: Finding[]) => {
      if (c.ws) report(out, row, 'whitespace', wsSev, `「${name}」含多余空格，请删除空格`, v);
      if (c.fw) {
        report(
          out,
          row,
          'full_width',
          wsSev,
          `「${name}」含全角字母或数字，请改为半角（应为「${c.value}」）`,
          v,
        );
      }
    };
    /** Checks a plain ASCII value as is; otherwise reports stray spaces / full-width characters and checks the cleaned value. */
    const cleanedThen =
      (check: (value: string, raw: string, row: number, out: Finding[]) => void): FormatCheck =>
      (v, row, out) => {
        if (isPlainAscii(v)) return check(v, v, row, out);
        const c = cleanValue(v, true);
        cleanFindings(c, v, row, out);
        check(c.value, v, row, out);
      };
    const sci = (v: string, row: number, out: Finding[]): boolean => {
      if (!SCI_RE.test(v)) return false;
      report(
        out,
        row,
        'sci_notation',
        'error',
        `「${name}」被 Excel 显示为科学计数法（${v}），原号码已丢失：请将单元格格式设为文本后重新录入`,
        v,
      );
      return true;
    };

    switch (f.format) {
      case 'text':
        return null;
      case 'doc_no':
        return null;
      case 'uscc': {
        const check = (value: string, raw: string, row: number, out: Finding[]) => {
          const r = checkUscc(value);
          if (r.ok) return;
          if (sci(value, row, out)) return;
          const p = `「${name}」`;
          switch (r.failure) {
            case 'length':
              report(
                out,
                row,
                'uscc_length',
                'error',
                `${p}应为 18 位，当前 ${value.length} 位，请核对原始证照`,
                raw,
              );
              return;
            case 'charset':
              report(
                out,
                row,
                'uscc_charset',
                'error',
                `${p}第 ${r.position} 位${charText(r.char, r.charProblem)}，请核对原始证照`,
                raw,
              );
              return;
            case 'area':
              report(
                out,
                row,
                'uscc_charset',
                'error',
                `${p}第 3—8 位应为行政区划代码（数字），第 ${r.position} 位${charText(r.char, r.charProblem)}，请核对原始证照`,
                raw,
              );
              return;
            case 'check':
              report(
                out,
                row,
                'uscc_check',
                cdSev,
                `${p}校验位错误：第 18 位应为 ${r.expected}（当前为 ${r.char}），请核对原始证照`,
                raw,
              );
              return;
            case 'org_check':
              report(
                out,
                row,
                'org_code_check',
                cdSev,
                `${p}第 9—17 位（组织机构代码）校验位错误：第 17 位应为 ${r.expected}（当前为 ${r.char}），请核对原始证照`,
                raw,
              );
              return;
            case 'authority': {
              const a = USCC_AUTHORITIES[value[0]!];
              const why = a
                ? `登记管理部门「${a.name}」没有机构类别「${value[1]}」（可用：${Object.keys(a.types).join('、')}）`
                : `第 1 位「${value[0]}」不是有效的登记管理部门代码`;
              report(out, row, 'uscc_authority', 'error', `${p}前两位无效：${why}，请核对原始证照`, raw);
              return;
            }
          }
        };
        // Agency codes repeat on every row of a department's file: remember the last valid one.
        let lastValid = '';
        return (v, row, out) => {
          if (v === lastValid) return;
          if (checkUscc(v).ok) {
            lastValid = v;
            return;
          }
          if (isPlainAscii(v)) return check(v, v, row, out);
          const c = cleanValue(v, true);
          cleanFindings(c, v, row, out);
          check(c.value, v, row, out);
        };
      }
      case 'org_code': {
        const check = (value: string, raw: string, row: number, out: Finding[]) => {
          const r = checkOrgCode(value);
          if (r.ok) return;
          if (sci(value, row, out)) return;
          const p = `「${name}」`;
          if (r.failure === 'check') {
            report(
              out,
              row,
              'org_code_check',
              cdSev,
              `${p}校验位错误：第 9 位应为 ${r.expected}（当前为 ${r.char}），请核对原始证照`,
              raw,
            );
          } else if (r.failure === 'length') {
            report(
              out,
              row,
              'org_code',
              'error',
              `${p}应为 9 位（如 12345678-9 或 123456789），当前 ${value.length} 位`,
              raw,
            );
          } else {
            report(
              out,
              row,
              'org_code',
              'error',
              `${p}第 ${r.position} 位${charText(r.char, r.charProblem)}`,
              raw,
            );
          }
        };
        return cleanedThen(check);
      }
      case 'id_number': {
        const typeCol = f.idTypeField ? colOf(f.idTypeField) : -1;
        const typeConfigured = f.idTypeField !== null;
        const check = (value: string, raw: string, row: number, out: Finding[]) => {
          const r = checkIdNumber(value, today);
          if (r.ok) {
            if (r.lowerX) {
              report(out, row, 'id_lowercase', 'warning', `「${name}」末位校验码应为大写 X，请改为大写`, raw);
            }
            return;
          }
          if (sci(value, row, out)) return;
          const p = `「${name}」`;
          switch (r.failure) {
            case 'length':
              report(
                out,
                row,
                'id_number',
                'error',
                `${p}身份证号码应为 18 位（或 15 位旧号码），当前 ${value.length} 位，请核对`,
                raw,
              );
              return;
            case 'charset':
              report(
                out,
                row,
                'id_number',
                'error',
                `${p}第 ${r.position} 位${charText(r.char, r.charProblem)}，请核对`,
                raw,
              );
              return;
            case 'province':
              report(
                out,
                row,
                'id_number',
                'error',
                `${p}前两位「${r.char}」不是有效的省级行政区划代码，请核对`,
                raw,
              );
              return;
            case 'birth': {
              const b = r.birth;
              report(
                out,
                row,
                'id_birth',
                'error',
                `${p}中的出生日期「${Math.floor(b / 10000)}-${String(Math.floor(b / 100) % 100).padStart(2, '0')}-${String(b % 100).padStart(2, '0')}」不存在，请核对`,
                raw,
              );
              return;
            }
            case 'birth_future':
              report(
                out,
                row,
                'id_birth',
                'error',
                `${p}中的出生日期 ${ymdToIso(r.birth)} 晚于检查日，请核对`,
                raw,
              );
              return;
            case 'check':
              report(
                out,
                row,
                'id_check',
                cdSev,
                `${p}校验位错误：第 18 位应为 ${r.expected}（当前为 ${r.char}），请核对`,
                raw,
              );
              return;
          }
        };
        const looksLikeId = (v: string) => {
          const n = v.length;
          if (n !== 15 && n !== 18) return false;
          for (let i = 0; i < 15; i++) if (!isDigit(v.charCodeAt(i))) return false;
          return true;
        };
        return (v, row, out, cells) => {
          let mode: 'id' | 'guess' | 'other' = 'id';
          if (typeConfigured) {
            if (typeCol < 0) mode = 'guess';
            else {
              const t = trimFast(cells[typeCol] ?? '');
              mode = t === '身份证' || t === '居民身份证' ? 'id' : t.length === 0 ? 'guess' : 'other';
            }
          }
          if (mode === 'other') {
            if (hasEdgeWs(v)) report(out, row, 'whitespace', wsSev, `「${name}」首尾有多余空格，请删除`, v);
            return;
          }
          if (isPlainAscii(v)) {
            if (mode === 'guess' && !looksLikeId(v)) return;
            return check(v, v, row, out);
          }
          const c = cleanValue(v, true);
          if (mode === 'guess' && !looksLikeId(c.value)) {
            if (c.ws) report(out, row, 'whitespace', wsSev, `「${name}」含多余空格，请删除空格`, v);
            return;
          }
          cleanFindings(c, v, row, out);
          check(c.value, v, row, out);
        };
      }
      case 'date': {
        const later = laterEnds.has(f.key);
        const futSev = o.futureDateSeverity;
        const accepted = o.dateFormats.join('、');
        // open-end values that are dates themselves (2099-12-31) are found by their number,
        // without hashing every cell's text
        const openEndDays = new Set<number>();
        for (const x of openEnd) {
          const d = parseDate(x, flags);
          if (d > 0) openEndDays.add(d);
        }
        const check = (value: string, raw: string, row: number, out: Finding[]) => {
          const d = parseDate(value, flags);
          if (later && (d > 0 ? openEndDays.has(d) : openEnd.has(value))) {
            if (slot >= 0) dates[slot] = OPEN_END;
            return;
          }
          if (d < 0) {
            if (slot >= 0) dates[slot] = 0;
            let msg: string;
            if (d === DATE_INVALID) msg = `「${name}」的日期「${value}」不存在，请核对`;
            else if (/^\d{5}(?:\.\d+)?$/.test(value)) {
              msg = `「${name}」是 Excel 日期序号（${value}），请把单元格设为日期格式或填写为 YYYY-MM-DD（如 2024-03-15）`;
            } else
              msg = `「${name}」的值「${value}」不是可识别的日期，请填写为 YYYY-MM-DD（如 2024-03-15；可用格式：${accepted}）`;
            report(out, row, 'date_format', 'error', msg, raw);
            return;
          }
          if (slot >= 0) dates[slot] = d;
          if (!later && d > today) {
            report(
              out,
              row,
              'date_future',
              futSev,
              `「${name}」${ymdToIso(d)} 晚于检查日 ${opts.today}，请核对`,
              raw,
            );
          }
        };
        // Dates repeat (a day's decisions): remember the last one that passed.
        let lastText = '';
        let lastYmd = 0;
        return (v, row, out) => {
          if (v === lastText) {
            if (slot >= 0) dates[slot] = lastYmd;
            return;
          }
          if (!hasEdgeWs(v)) {
            const before = out.length;
            check(v, v, row, out);
            if (out.length === before) {
              lastText = v;
              lastYmd = slot >= 0 ? dates[slot]! : 0;
            }
            return;
          }
          const c = cleanValue(v, false);
          cleanFindings(c, v, row, out);
          check(c.value, v, row, out);
        };
      }
      case 'amount': {
        const check = (value: string, raw: string, row: number, out: Finding[]) => {
          const n = value.length;
          let i = 0;
          let neg = false;
          if (value.charCodeAt(0) === 45) {
            neg = true;
            i = 1;
          }
          let intPart = 0;
          let digits = 0;
          let ok = i < n;
          while (i < n && isDigit(value.charCodeAt(i))) {
            intPart = intPart * 10 + (value.charCodeAt(i) - 48);
            i++;
            digits++;
          }
          if (i < n && value.charCodeAt(i) === 46) {
            i++;
            let frac = 0;
            while (i < n && isDigit(value.charCodeAt(i))) {
              i++;
              frac++;
            }
            if (frac === 0) ok = false;
          }
          if (digits === 0 || i !== n) ok = false;
          if (!ok) {
            let how = '只填写数字（单位万元，如罚款 2000 元填 0.2）';
            if (value.includes(',') || value.includes('，'))
              how = '去掉千位分隔符「,」，只填写数字（单位万元）';
            else if (value.endsWith('元')) how = '去掉单位，按万元只填写数字（如 2000 元填 0.2）';
            report(out, row, 'amount_format', 'error', `「${name}」的值「${value}」不是数字，请${how}`, raw);
            return;
          }
          if (neg) {
            report(out, row, 'amount_negative', 'error', `「${name}」不能为负数，请核对`, raw);
            return;
          }
          if (intPart >= AMOUNT_UNIT_THRESHOLD) {
            report(
              out,
              row,
              'amount_unit',
              'warning',
              `「${name}」为 ${value} 万元（即 ${Number(value) / 10000} 亿元），可能按元填写：单位应为万元，请核对`,
              raw,
            );
          }
        };
        return cleanedThen(check);
      }
      case 'code': {
        const list = new Set(f.codeList);
        const prefixes = f.codePrefixes;
        const seps = f.multiSeparators;
        const otherPrefix = prefixes.find((x) => x.startsWith('其他')) ?? null;
        const allowed = `${listText(f.codeList)}${prefixes.length ? `，或以「${prefixes[0]}」开头写明具体类别` : ''}`;
        const okPart = (p: string) => {
          if (list.has(p)) return true;
          for (const x of prefixes) if (p.length > x.length && p.startsWith(x)) return true;
          return false;
        };
        const okValue = (value: string): string | null => {
          if (okPart(value)) return null;
          if (seps.length === 0) return value;
          let start = 0;
          let parts = 0;
          for (let i = 0; i <= value.length; i++) {
            if (i === value.length || seps.includes(value[i]!)) {
              const part = value.slice(start, i).trim();
              start = i + 1;
              if (!part) continue;
              parts++;
              if (!okPart(part)) return part;
            }
          }
          return parts > 0 ? null : value;
        };
        return (v, row, out) => {
          if (list.has(v)) return;
          let value = v;
          if (hasEdgeWs(v) || !isPlainAscii(v)) {
            const c = cleanValue(v, false, true);
            if (c.ws || c.fw) {
              cleanFindings(c, v, row, out);
              value = c.value;
            }
          }
          const bad = okValue(value);
          if (bad === null) return;
          const msg =
            bad === '其他' && otherPrefix
              ? `「${name}」填写「其他」时须写明具体类别，如「${otherPrefix}具体类别」`
              : `「${name}」的值「${bad}」不在代码表中，应为：${allowed}`;
          report(out, row, 'code_list', 'error', msg, v);
        };
      }
    }
  }

  function compileCross(r: RuleSetDefinition['rules'][number]): CellCheck | null {
    switch (r.kind) {
      case 'requiredIfContains':
        return null; // folded into the field's conditions above
      case 'dateOrder': {
        const a = dateSlot.get(r.from);
        const b = dateSlot.get(r.to);
        if (a === undefined || b === undefined) return null;
        const col = colOf(r.to);
        const fromName = fieldsByKey.get(r.from)?.name ?? r.from;
        const toName = fieldsByKey.get(r.to)?.name ?? r.to;
        return (cells, row, out) => {
          const x = dates[a]!;
          const y = dates[b]!;
          if (x > 0 && y > 0 && x > y) {
            out.push(
              finding(
                row,
                col,
                toName,
                'date_order',
                'error',
                `「${toName}」（${ymdToIso(y)}）早于「${fromName}」（${ymdToIso(x)}），请核对两个日期`,
                cells[col] ?? '',
              ),
            );
          }
        };
      }
      case 'subjectPrefix': {
        const catCol = colOf(r.categoryField);
        const codeCol = colOf(r.codeField);
        if (catCol < 0 || codeCol < 0) return null;
        const catName = fieldsByKey.get(r.categoryField)?.name ?? r.categoryField;
        const codeName = fieldsByKey.get(r.codeField)?.name ?? r.codeField;
        /** First two code characters (whitespace skipped, full-width digits folded) as c1*65536+c2. */
        const prefixOf = (v: string): number => {
          let a = -1;
          for (let i = 0; i < v.length; i++) {
            let c = v.charCodeAt(i);
            if (isWs(c)) continue;
            if (c >= 0xff01 && c <= 0xff5e) c -= 0xfee0;
            if (a < 0) a = c;
            else return a * 65536 + c;
          }
          return -1;
        };
        const P92 = 57 * 65536 + 50;
        return (cells, row, out) => {
          const code = cells[codeCol] ?? '';
          if (isBlank(code)) return;
          const cat = trimFast(cells[catCol] ?? '');
          const p = prefixOf(code);
          const v = cells[catCol] ?? '';
          if (cat === '自然人') {
            out.push(
              finding(
                row,
                catCol,
                catName,
                'subject_prefix',
                'error',
                p === P92
                  ? `「${catName}」为自然人，但填写了以 92 开头的「${codeName}」（个体工商户）：请将类别改为「个体工商户」，或删除代码`
                  : `「${catName}」为自然人，但填写了「${codeName}」：自然人不填统一社会信用代码，如为单位请将类别改为「法人及非法人组织」`,
                v,
              ),
            );
          } else if (cat === '个体工商户') {
            if (p !== P92) {
              out.push(
                finding(
                  row,
                  catCol,
                  catName,
                  'subject_prefix',
                  'error',
                  `「${catName}」为个体工商户，但「${codeName}」不以 92 开头（个体工商户的代码以 92 开头）：请核对类别或代码`,
                  v,
                ),
              );
            }
          } else if (cat === '法人及非法人组织' && p === P92) {
            out.push(
              finding(
                row,
                catCol,
                catName,
                'subject_prefix',
                'warning',
                `「${codeName}」以 92 开头，属于个体工商户：请将「${catName}」改为「个体工商户」`,
                v,
              ),
            );
          }
        };
      }
      case 'publicity': {
        const a = dateSlot.get(r.decisionDateField);
        const b = dateSlot.get(r.deadlineField);
        if (a === undefined || b === undefined || def.publicity.length === 0) return null;
        const table = compilePublicity(def.publicity);
        const col = colOf(r.deadlineField);
        const name = fieldsByKey.get(r.deadlineField)?.name ?? r.deadlineField;
        const decisionName = fieldsByKey.get(r.decisionDateField)?.name ?? r.decisionDateField;
        const domainCols = r.domainFields.map(colOf).filter((c) => c >= 0);
        const ordered = def.rules.some(
          (x) => x.kind === 'dateOrder' && x.from === r.decisionDateField && x.to === r.deadlineField,
        );
        return (cells, row, out) => {
          const decision = dates[a]!;
          const deadline = dates[b]!;
          if (decision <= 0 || deadline <= 0) return;
          if (ordered && deadline < decision) return; // reported by date_order
          const v = publicityVersionFor(table, decision);
          if (!v) return;
          let minMonths = v.minMonths;
          let keyword: string | null = null;
          let min = addMonths(decision, minMonths);
          const max = addMonths(decision, v.maxMonths);
          if (
            deadline >= min &&
            deadline <= max &&
            v.domains.length > 0 &&
            deadline < addMonths(decision, v.domains[0]!.minMonths)
          ) {
            let text = '';
            for (const c of domainCols) text += (cells[c] ?? '') + '\n';
            const dm = domainMinMonths(v, text);
            if (dm.keyword) {
              minMonths = dm.minMonths;
              keyword = dm.keyword;
              min = addMonths(decision, minMonths);
            }
          }
          if (deadline >= min && deadline <= max) return;
          const shown = deadline === OPEN_END ? (cells[col] ?? '').trim() : ymdToIso(deadline);
          const span =
            minMonths > 0
              ? `公示期最短 ${monthsText(minMonths)}、最长 ${monthsText(v.maxMonths)}：「${name}」应在 ${ymdToIso(min)} 至 ${ymdToIso(max)} 之间`
              : `公示期最长 ${monthsText(v.maxMonths)}：「${name}」应不晚于 ${ymdToIso(max)}`;
          const who = keyword ? `${keyword}领域的处罚` : '';
          out.push(
            finding(
              row,
              col,
              name,
              'publicity_period',
              'error',
              `按${v.name}，${who}${span}（${decisionName} ${ymdToIso(decision)}），当前为 ${shown}，请核对`,
              cells[col] ?? '',
            ),
          );
        };
      }
    }
  }

  const nChecks = checks.length;
  const nCross = cross.length;
  return {
    unique: uniqueTables,
    check(cells: string[], row: number, out: Finding[]): void {
      const rowStart = out.length;
      for (let i = 0; i < nChecks; i++) checks[i]!(cells, row, out);
      if (nCross === 0) return;
      const crossStart = out.length;
      for (let i = 0; i < nCross; i++) cross[i]!(cells, row, out);
      // Keep this row's findings in column order (cross-field findings may land on earlier columns).
      if (out.length > crossStart && crossStart > rowStart) sortTail(out, rowStart);
    },
  };
}

/** Stable-sorts out[from..] by column. */
function sortTail(out: Finding[], from: number): void {
  const tail = out.slice(from).sort((a, b) => (a.column ?? -1) - (b.column ?? -1));
  for (let i = 0; i < tail.length; i++) out[from + i] = tail[i]!;
}
