/**
 * The indicator system as the 指标体系 table shows it: one group per kind (基础指标 / 评分指标 /
 * 加分项), categories as parent rows inside their group, indicators as leaves, with the sums of
 * points, self-scores, evidence and met indicators on every parent row; filtered by status, kind
 * and a search text (a parent stays when one of its indicators matches).
 */
import type { Indicator } from '../../../../main/core/contract/records';

export type Leaf = Exclude<Indicator['kind'], 'category'>;
export type Status = Indicator['status'];

export const GROUP_LABEL: Record<Leaf, string> = {
  basic: '基础指标（一票否决）',
  scored: '评分指标',
  bonus: '加分项',
};
const GROUP_ORDER: Leaf[] = ['basic', 'scored', 'bonus'];

export interface TreeRow {
  key: string;
  /** The indicator or category; null for a kind group. */
  ind: Indicator | null;
  /** The group of a kind group row. */
  group: Leaf | null;
  children?: TreeRow[];
  /** Leaves below (or 1 for an indicator). */
  leaves: number;
  met: number;
  /** Points and self-scores: the indicator's own, or the sum over its leaves (null when none). */
  points: number | null;
  score: number | null;
  evidenceTotal: number;
  evidenceSatisfied: number;
  taskCount: number;
  rectCount: number;
  openRectCount: number;
}

export interface TreeFilter {
  statuses: Status[];
  kinds: Leaf[];
  search: string;
}

const add = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

function leafRow(i: Indicator): TreeRow {
  return {
    key: i.id,
    ind: i,
    group: null,
    leaves: 1,
    met: i.status === 'met' ? 1 : 0,
    points: i.points,
    score: i.selfScore,
    evidenceTotal: i.evidenceTotal,
    evidenceSatisfied: i.evidenceSatisfied,
    taskCount: i.taskCount,
    rectCount: i.rectCount,
    openRectCount: i.openRectCount,
  };
}

function parentRow(key: string, ind: Indicator | null, group: Leaf | null, children: TreeRow[]): TreeRow {
  const r: TreeRow = {
    key,
    ind,
    group,
    children,
    leaves: 0,
    met: 0,
    points: null,
    score: null,
    evidenceTotal: 0,
    evidenceSatisfied: 0,
    taskCount: 0,
    rectCount: 0,
    openRectCount: 0,
  };
  for (const c of children) {
    r.leaves += c.leaves;
    r.met += c.met;
    r.points = add(r.points, c.points);
    r.score = add(r.score, c.score);
    r.evidenceTotal += c.evidenceTotal;
    r.evidenceSatisfied += c.evidenceSatisfied;
    r.taskCount += c.taskCount;
    r.rectCount += c.rectCount;
    r.openRectCount += c.openRectCount;
  }
  if (ind) {
    // a category's own points (declared in the file) win over the sum of its indicators
    if (ind.points !== null) r.points = ind.points;
  }
  return r;
}

function matches(i: Indicator, f: TreeFilter): boolean {
  if (i.kind === 'category') return false;
  if (f.statuses.length && !f.statuses.includes(i.status)) return false;
  if (f.kinds.length && !f.kinds.includes(i.kind)) return false;
  const q = f.search.trim();
  if (!q) return true;
  const text = `${i.code} ${i.title} ${i.standard ?? ''} ${i.ownerDeptNames.join(' ')}`.toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .every((w) => text.includes(w));
}

export const filterActive = (f: TreeFilter) =>
  f.statuses.length > 0 || f.kinds.length > 0 || !!f.search.trim();

/** The grouped, filtered tree of the indicators of one version (as indicators.list returns them). */
export function buildTree(list: Indicator[], f: TreeFilter): TreeRow[] {
  const ids = new Set(list.map((i) => i.id));
  const byParent = new Map<string | null, Indicator[]>();
  for (const i of list) {
    const p = i.parentId && ids.has(i.parentId) ? i.parentId : null;
    const arr = byParent.get(p);
    if (arr) arr.push(i);
    else byParent.set(p, [i]);
  }
  for (const arr of byParent.values()) arr.sort((a, b) => a.sort - b.sort || a.code.localeCompare(b.code));
  const active = filterActive(f);

  const build = (i: Indicator): TreeRow | null => {
    if (i.kind !== 'category') return matches(i, f) ? leafRow(i) : null;
    const children = (byParent.get(i.id) ?? []).map(build).filter((r): r is TreeRow => r !== null);
    if (active && children.length === 0) return null;
    return parentRow(i.id, i, null, children);
  };

  /** The group of a top-level node: its own kind, or for a category that of its first indicator. */
  const groupOf = (i: Indicator): Leaf => {
    if (i.kind !== 'category') return i.kind;
    const stack = [...(byParent.get(i.id) ?? [])];
    while (stack.length) {
      const n = stack.shift()!;
      if (n.kind !== 'category') return n.kind;
      stack.unshift(...(byParent.get(n.id) ?? []));
    }
    return 'scored';
  };

  const groups = new Map<Leaf, TreeRow[]>();
  for (const top of byParent.get(null) ?? []) {
    const row = build(top);
    if (!row) continue;
    const g = groupOf(top);
    const arr = groups.get(g);
    if (arr) arr.push(row);
    else groups.set(g, [row]);
  }
  return GROUP_ORDER.filter((g) => groups.has(g)).map((g) =>
    parentRow(`group:${g}`, null, g, groups.get(g)!),
  );
}

/** Keys of every row with children (to expand them all). */
export function parentKeys(rows: TreeRow[]): string[] {
  const out: string[] = [];
  const walk = (rs: TreeRow[]) => {
    for (const r of rs)
      if (r.children) {
        out.push(r.key);
        walk(r.children);
      }
  };
  walk(rows);
  return out;
}

/** 12.5 → "12.5", 3 → "3". */
export const fmtNum = (n: number) => (Number.isInteger(n) ? String(n) : String(Math.round(n * 10) / 10));
