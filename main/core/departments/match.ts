/**
 * Department-name matching for imports (task workbooks now, data-compliance sheets later).
 *
 * Pure functions over a department list passed in by the caller; no database access. A name is
 * accepted automatically only when it equals a department's name, short name or alias either
 * literally or after normalisation (city prefix, brackets, 人民政府 …) and abbreviation
 * expansion, and only when exactly one department has that form. Anything else gets ranked
 * suggestions and stays unmatched: a fuzzy match is never auto-accepted.
 */

export interface DeptRef {
  id: string;
  name: string;
  shortName: string | null;
  aliases: readonly string[];
  /** Optional: lets importers expand group words such as 「各镇（区）」 to every town. */
  kind?: string;
}

export interface DeptSuggestion {
  id: string;
  name: string;
  /** Similarity in [0, 1], two decimals. */
  score: number;
}

export interface DeptMatch {
  kind: 'exact' | 'normalized' | 'none';
  deptId?: string;
  /** Empty for exact/normalized matches; up to three candidates otherwise, best first. */
  suggestions: DeptSuggestion[];
}

export interface DeptMatcher {
  match(raw: string): DeptMatch;
}

/**
 * Abbreviation → full form, applied (longest first) to normalised names on both sides before
 * comparing, so 「琼海市监局」 and 「琼海市市场监督管理局」 meet at 「市场监督管理局」. Keep entries
 * unambiguous: an expansion that equals a department's expanded name is accepted automatically.
 */
export const DEPT_ABBREVIATIONS: readonly (readonly [abbr: string, full: string])[] = [
  ['发改委', '发展和改革委员会'],
  ['发改局', '发展和改革局'],
  ['市监局', '市场监督管理局'],
  ['市场监管局', '市场监督管理局'],
  ['住建局', '住房和城乡建设局'],
  ['人社局', '人力资源和社会保障局'],
  ['卫健委', '卫生健康委员会'],
  ['卫健局', '卫生健康局'],
  ['科工信局', '科学技术和工业信息化局'],
  ['工信局', '工业和信息化局'],
  ['科技局', '科学技术局'],
  ['自规局', '自然资源和规划局'],
  ['自然资源规划局', '自然资源和规划局'],
  ['旅文局', '旅游和文化广电体育局'],
  ['文旅局', '文化和旅游局'],
  ['医保局', '医疗保障局'],
  ['综合执法局', '综合行政执法局'],
  ['应急局', '应急管理局'],
  ['网信办', '网络安全和信息化委员会办公室'],
  ['编办', '机构编制委员会办公室'],
  ['政府办', '政府办公室'],
  ['交通局', '交通运输局'],
  ['环保局', '生态环境局'],
  ['退役军人局', '退役军人事务局'],
  ['国资委', '国有资产监督管理委员会'],
  ['大数据局', '大数据管理局'],
  ['城管局', '城市管理局'],
  ['农业局', '农业农村局'],
  ['工商联', '工商业联合会'],
  ['消防大队', '消防救援大队'],
  ['政务中心', '政务服务中心'],
  ['不动产中心', '不动产登记中心'],
];

/** City-level words that a leading 市 (or 县/区) must not be stripped from. */
const KEEP_AFTER_LEVEL = new Set(['委', '场', '直', '监', '属']);
const CITY_LEVELS = ['自治县', '自治州', '市', '县', '区', '州', '盟', '旗'];
const OPEN = /[([{【〔［｛〈《]/g;
const CLOSE = /[)\]}】〕］｝〉》]/g;
const EDGE_PUNCT = /^[\s"'“”‘’「」『』·•.,。、，;；:：\-—_*※]+|[\s"'“”‘’「」『』·•.,。、，;；:：\-—_*※]+$/g;
const ROLE_NOTE = /\((?:牵头|配合|责任|主责|协办|协助|参与|负责|主办|协同)[^()]*\)/g;

/** The city without its level suffix: 琼海市 → 琼海, 琼中黎族苗族自治县 → 琼中. */
function cityShortForm(city: string): { short: string; level: string } {
  const c = city.normalize('NFKC').replace(/\s+/g, '');
  for (const level of CITY_LEVELS) {
    if (c.length > level.length + 1 && c.endsWith(level)) {
      let short = c.slice(0, -level.length);
      const ethnic = short.indexOf('族');
      if (level.startsWith('自治') && ethnic > 2) short = short.slice(0, 2);
      return { short, level: level.slice(-1) };
    }
  }
  return { short: c, level: '市' };
}

/** Width-folded, bracket-unified, whitespace-free text; the first normalisation step. */
export function foldText(raw: string): string {
  return raw
    .normalize('NFKC')
    .replace(OPEN, '(')
    .replace(CLOSE, ')')
    .replace(/[\s\u200b-\u200d\ufeff]+/g, '')
    .replace(EDGE_PUNCT, '');
}

/**
 * Canonical form of a department name for comparison: 「 琼海市 人民政府办公室 」 → 「政府办公室」,
 * 「中共琼海市委宣传部」 → 「市委宣传部」, 「琼海市嘉积镇人民政府」 → 「嘉积镇」,
 * 「市市场监管局（牵头）」 → 「市场监管局」. 市委/市场/市直 are kept so that party and
 * government bodies stay distinct. Never returns an empty string for a non-blank input.
 */
export function normalizeDeptName(raw: string, city: string): string {
  const folded = foldText(raw);
  let s = folded.replace(ROLE_NOTE, '').replace(/等(?:相关|有关)?(?:单位|部门)?$/, '');
  s = s.replace(/^(?:中国共产党|中共)/, '');
  const { short, level } = cityShortForm(city);
  if (short) {
    const province = /^[\u4e00-\u9fa5]{2,3}省/.exec(s);
    if (province && s.slice(province[0].length).startsWith(short)) s = s.slice(province[0].length);
    if (s.startsWith(short) && s.length > short.length) s = s.slice(short.length);
  }
  // One generic level prefix: 市发改委 → 发改委, 市市场监管局 → 市场监管局, but 市委宣传部 stays.
  if (s.startsWith(level) && s.length > 2 && !KEEP_AFTER_LEVEL.has(s.charAt(1))) s = s.slice(1);
  else if (s.startsWith(level + level)) s = s.slice(1);
  s = s
    .replace(/人民政府/g, '政府')
    .replace(/人民(法院|检察院)/g, '$1')
    .replace(/管理委员会/g, '管委会')
    .replace(/(镇|乡|街道|经济区|开发区|区)政府$/, '$1')
    .replace(/街道(?:办事处|办)$/, '街道');
  return s || folded;
}

/** normalizeDeptName followed by abbreviation expansion. */
function canonical(normalized: string, abbreviations: readonly (readonly [string, string])[]): string {
  let s = normalized;
  for (const [abbr, full] of abbreviations) {
    if (!s.includes(full) && s.includes(abbr)) s = s.replace(abbr, full);
  }
  return s;
}

const ORG_SUFFIX =
  /(?:局|委|办|院|中心|部|镇|乡|队|会|司|所|处|室|行|厅|站|馆|社|团|区|政府|公司|分局|支局|街道)$/;
const ENUMERATOR = /^(?:\d{1,2}[.、．)）]|[(（]\d{1,2}[)）]|[①-⑳])/;

/**
 * Splits a cell that lists several departments: separators 、,，;；/ | and line breaks at bracket
 * depth 0, and spaces only when every space-separated part looks like a full unit name
 * (「市发改委 市财政局」 splits, 「琼海市 发展和改革委员会」 does not). Leading list numbers
 * (1. ① (1)) are dropped; duplicates are removed, order kept.
 */
export function splitDeptList(raw: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of raw) {
    if ('(（[【〔'.includes(ch)) depth++;
    else if (')）]】〕'.includes(ch)) depth = Math.max(0, depth - 1);
    if (depth === 0 && /[、,，;；/／|｜\n\r]/.test(ch)) {
      parts.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  parts.push(cur);
  const out: string[] = [];
  for (const part of parts) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const words = trimmed.split(/[\s\u3000]+/);
    const pieces =
      words.length > 1 && words.every((w) => w.length >= 2 && ORG_SUFFIX.test(w.normalize('NFKC')))
        ? words
        : [trimmed];
    for (const p of pieces) {
      const tidy = tidyName(p.replace(ENUMERATOR, ''));
      if (tidy && !out.includes(tidy)) out.push(tidy);
    }
  }
  return out;
}

/** Collapses whitespace and drops it entirely next to CJK characters. */
function tidyName(s: string): string {
  return s
    .replace(/[\s\u3000]+/g, ' ')
    .trim()
    .replace(/ (?=[\u0080-\uffff])|(?<=[\u0080-\uffff]) /g, '');
}

// ---------- similarity ----------

function bigrams(s: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < s.length - 1; i++) out.push(s.slice(i, i + 2));
  return out;
}

/** Sørensen–Dice coefficient over character bigrams (multiset). */
export function bigramDice(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length < 2 || b.length < 2) return 0;
  const ba = bigrams(a);
  const bb = bigrams(b);
  const counts = new Map<string, number>();
  for (const g of ba) counts.set(g, (counts.get(g) ?? 0) + 1);
  let shared = 0;
  for (const g of bb) {
    const n = counts.get(g) ?? 0;
    if (n > 0) {
      shared++;
      counts.set(g, n - 1);
    }
  }
  return (2 * shared) / (ba.length + bb.length);
}

function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charAt(i - 1) === b.charAt(j - 1) ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? Math.max(a.length, b.length);
}

/**
 * Similarity of two canonical names in [0, 1]: the best of bigram Dice, containment (「财政」
 * in 「财政局」) and edit distance (one wrong character in a short name such as 「人设局」).
 */
export function nameSimilarity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  const contain =
    shorter.length >= 2 && longer.includes(shorter) ? 0.5 + 0.45 * (shorter.length / longer.length) : 0;
  const edit = 0.9 * (1 - levenshtein(a, b) / longer.length);
  return Math.max(bigramDice(a, b), contain, edit);
}

// ---------- matcher ----------

export interface DeptMatcherOptions {
  /** Replaces DEPT_ABBREVIATIONS (e.g. a city's own table). */
  abbreviations?: readonly (readonly [string, string])[];
  /** Suggestions below this score are dropped. Default 0.34. */
  minScore?: number;
  /** Default 3. */
  maxSuggestions?: number;
}

interface Key {
  deptIndex: number;
  forms: readonly string[];
}

function addTo(map: Map<string, Set<number>>, key: string, index: number): void {
  if (!key) return;
  const set = map.get(key);
  if (set) set.add(index);
  else map.set(key, new Set([index]));
}

export function createDeptMatcher(
  depts: readonly DeptRef[],
  city: string,
  options: DeptMatcherOptions = {},
): DeptMatcher {
  const abbreviations = [...(options.abbreviations ?? DEPT_ABBREVIATIONS)].sort(
    (x, y) => y[0].length - x[0].length,
  );
  const minScore = options.minScore ?? 0.34;
  const maxSuggestions = options.maxSuggestions ?? 3;
  const exact = new Map<string, Set<number>>();
  const normalized = new Map<string, Set<number>>();
  const canonicalMap = new Map<string, Set<number>>();
  const keys: Key[] = [];

  depts.forEach((d, i) => {
    const names = [d.name, d.shortName ?? '', ...d.aliases].filter((n) => n.trim() !== '');
    for (const n of names) {
      addTo(exact, n.trim(), i);
      const norm = normalizeDeptName(n, city);
      const canon = canonical(norm, abbreviations);
      addTo(normalized, norm, i);
      addTo(canonicalMap, canon, i);
      keys.push({ deptIndex: i, forms: norm === canon ? [norm] : [norm, canon] });
    }
  });

  const suggest = (forms: readonly string[], boost: ReadonlySet<number>): DeptSuggestion[] => {
    const best = new Map<number, number>();
    for (const k of keys) {
      let score = boost.has(k.deptIndex) ? 1 : 0;
      for (const c of forms) {
        for (const f of k.forms) score = Math.max(score, nameSimilarity(c, f));
      }
      if (score > (best.get(k.deptIndex) ?? 0)) best.set(k.deptIndex, score);
    }
    return [...best.entries()]
      .filter(([, score]) => score >= minScore)
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, maxSuggestions)
      .map(([i, score]) => {
        const d = depts[i] as DeptRef;
        return { id: d.id, name: d.name, score: Math.round(score * 100) / 100 };
      });
  };

  const lookup = (norm: string): Set<number> | undefined => {
    const hit = normalized.get(norm);
    if (hit && hit.size > 0) return hit;
    return canonicalMap.get(canonical(norm, abbreviations));
  };

  const only = (set: ReadonlySet<number> | undefined): string | undefined => {
    if (set?.size !== 1) return undefined;
    const [i] = set;
    return i === undefined ? undefined : depts[i]?.id;
  };

  const compute = (raw: string): DeptMatch => {
    const trimmed = raw.trim();
    if (!trimmed) return { kind: 'none', suggestions: [] };
    const lit = exact.get(trimmed);
    const exactId = only(lit);
    if (exactId) return { kind: 'exact', deptId: exactId, suggestions: [] };
    const ambiguous = new Set<number>(lit ?? []);

    const norm = normalizeDeptName(trimmed, city);
    const hit = lookup(norm);
    const normId = only(hit);
    if (normId && ambiguous.size === 0) return { kind: 'normalized', deptId: normId, suggestions: [] };
    for (const i of hit ?? []) ambiguous.add(i);

    // 「市发改委（市信用办）」: the part outside the brackets decides, unless the part inside
    // names a different department.
    const variants = [norm];
    const paren = /^(.*?)\(([^()]+)\)(.*)$/.exec(foldText(trimmed).replace(ROLE_NOTE, ''));
    if (paren && ambiguous.size === 0) {
      const outside = normalizeDeptName(`${paren[1] ?? ''}${paren[3] ?? ''}`, city);
      const inside = normalizeDeptName(paren[2] ?? '', city);
      const outsideId = outside ? only(lookup(outside)) : undefined;
      const insideHit = inside ? lookup(inside) : undefined;
      if (outsideId && (!insideHit || insideHit.size === 0 || only(insideHit) === outsideId)) {
        return { kind: 'normalized', deptId: outsideId, suggestions: [] };
      }
      variants.push(outside, inside);
    }
    const forms = new Set<string>();
    for (const v of variants) {
      if (!v) continue;
      forms.add(v);
      forms.add(canonical(v, abbreviations));
    }
    return { kind: 'none', suggestions: suggest([...forms], ambiguous) };
  };

  const cache = new Map<string, DeptMatch>();
  return {
    match(raw: string): DeptMatch {
      const cached = cache.get(raw);
      if (cached) return { ...cached, suggestions: [...cached.suggestions] };
      const result = compute(raw);
      cache.set(raw, result);
      return { ...result, suggestions: [...result.suggestions] };
    },
  };
}
