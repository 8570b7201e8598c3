/**
 * Header recognition for task workbooks: a data-driven synonym table and the assignment of
 * columns to fields. Pure; the sheet reading lives in sheet.ts.
 */

export const TASK_FIELDS = [
  'seq',
  'code',
  'category',
  'title',
  'description',
  'standard',
  'lead',
  'coop',
  'dueDate',
  'indicators',
  'priority',
  'recurrence',
  'remark',
] as const;
export type TaskField = (typeof TASK_FIELDS)[number];

export const TASK_FIELD_LABEL: Record<TaskField, string> = {
  seq: '序号',
  code: '编号',
  category: '类别',
  title: '任务名称',
  description: '任务描述',
  standard: '完成标准',
  lead: '牵头单位',
  coop: '配合单位',
  dueDate: '完成时限',
  indicators: '关联指标',
  priority: '优先级',
  recurrence: '周期',
  remark: '备注',
};

export interface HeaderSynonym {
  /** Preferred field first; a later one is used when an earlier column already took it. */
  fields: readonly TaskField[];
  names: readonly string[];
}

/**
 * Header texts as departments write them (after removing spaces, 「*」 and bracketed notes).
 * 「任务内容」 is the title unless a 「任务名称」 column exists, then it is the description;
 * 「责任单位」 is the lead unless a 「牵头单位」 column exists, then it is the cooperating units.
 */
export const TASK_HEADER_SYNONYMS: readonly HeaderSynonym[] = [
  { fields: ['seq'], names: ['序号', '序', '序列号'] },
  { fields: ['code'], names: ['编号', '任务编号', '任务编码', '编码', '任务代码', '代码'] },
  {
    fields: ['category'],
    names: [
      '类别',
      '分类',
      '任务类别',
      '任务分类',
      '类型',
      '任务类型',
      '所属类别',
      '板块',
      '领域',
      '工作类别',
    ],
  },
  {
    fields: ['title'],
    names: ['任务名称', '具体任务', '工作事项', '任务事项', '事项名称', '事项', '任务', '工作名称'],
  },
  { fields: ['title', 'description'], names: ['工作任务', '重点任务', '任务内容', '工作内容', '主要任务'] },
  {
    fields: ['description'],
    names: [
      '任务描述',
      '具体内容',
      '工作措施',
      '主要措施',
      '具体措施',
      '推进措施',
      '工作举措',
      '任务说明',
      '内容描述',
      '主要内容',
    ],
  },
  {
    fields: ['standard', 'description'],
    names: [
      '完成标准',
      '工作标准',
      '目标要求',
      '完成标志',
      '验收标准',
      '工作目标',
      '工作要求',
      '目标任务',
      '预期成果',
      '成果形式',
      '标准要求',
      '完成要求',
    ],
  },
  {
    fields: ['lead'],
    names: [
      '牵头单位',
      '牵头部门',
      '牵头',
      '主责单位',
      '主责部门',
      '主办单位',
      '牵头责任单位',
      '负责单位',
      '承办单位',
    ],
  },
  { fields: ['lead', 'coop'], names: ['责任单位', '责任部门', '责任主体', '责任单位部门'] },
  {
    fields: ['coop'],
    names: [
      '配合单位',
      '协办单位',
      '参与单位',
      '配合部门',
      '协办部门',
      '参与部门',
      '配合',
      '协同单位',
      '协助单位',
      '配合责任单位',
    ],
  },
  {
    fields: ['dueDate'],
    names: [
      '完成时限',
      '完成时间',
      '截止时间',
      '时间节点',
      '办结时限',
      '时限',
      '完成期限',
      '截止日期',
      '时间要求',
      '计划完成时间',
      '时间安排',
      '办理时限',
      '完成日期',
      '时限要求',
    ],
  },
  {
    fields: ['indicators'],
    names: [
      '关联指标',
      '对应指标',
      '指标',
      '指标名称',
      '涉及指标',
      '对应评审指标',
      '评审指标',
      '指标编号',
      '相关指标',
    ],
  },
  { fields: ['priority'], names: ['优先级', '紧急程度', '重要程度', '优先等级'] },
  {
    fields: ['recurrence'],
    names: ['周期', '频次', '工作频次', '报送频次', '更新频次', '调度频次', '频率', '工作周期'],
  },
  { fields: ['remark'], names: ['备注', '说明', '备注说明'] },
];

/** Person, phone and progress columns that merely start like a field (牵头领导, 责任人). */
const NOT_A_FIELD = /(?:领导|人|电话|手机|方式|邮箱|情况|进展|进度|得分|分值)$/;

const exact = new Map<string, readonly TaskField[]>();
const prefixes: { name: string; fields: readonly TaskField[] }[] = [];
for (const s of TASK_HEADER_SYNONYMS) {
  for (const n of s.names) {
    exact.set(n, s.fields);
    if (n.length >= 3) prefixes.push({ name: n, fields: s.fields });
  }
}
prefixes.sort((a, b) => b.name.length - a.name.length);

/** Header text without spaces, required-markers and bracketed notes: 「*完成时限（年月日）」 → 「完成时限」. */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\s\u200b-\u200d\ufeff]+/g, '')
    .replace(/[*※★☆]/g, '')
    .replace(/[(（[【][^)）\]】]*[)）\]】]/g, '')
    .replace(/[:：]+$/, '');
}

/** The candidate fields of one header cell, preferred first; null when it is not a known header. */
export function matchHeader(text: string): readonly TaskField[] | null {
  const folded = text.normalize('NFKC').replace(/\s+/g, '');
  const h = normalizeHeader(text);
  if (!h || NOT_A_FIELD.test(h)) return null;
  let fields = exact.get(h);
  if (!fields) {
    const p = prefixes.find((x) => h.startsWith(x.name) && h.length - x.name.length <= 6);
    fields = p?.fields;
  }
  if (!fields) return null;
  // 「责任单位（牵头）」 / 「责任单位（配合）」
  if (fields.includes('lead') || fields.includes('coop')) {
    if (/[(（](?:牵头|主责|主办)/.test(folded)) return ['lead', 'coop'];
    if (/[(（](?:配合|协办|参与|协同)/.test(folded)) return ['coop'];
  }
  return fields;
}

export interface ColumnHeader {
  col: number;
  /** Text shown for the column (the sub-header of a two-row header). */
  header: string;
  candidates: readonly TaskField[];
}

/**
 * Assigns fields to columns: single-meaning headers first (the leftmost wins), then headers
 * with several meanings take their first field still free, left to right.
 */
export function assignFields(columns: readonly ColumnHeader[]): Map<TaskField, ColumnHeader> {
  const out = new Map<TaskField, ColumnHeader>();
  for (const c of columns) {
    const only = c.candidates.length === 1 ? c.candidates[0] : undefined;
    if (only && !out.has(only)) out.set(only, c);
  }
  const taken = new Set([...out.values()].map((c) => c.col));
  for (const c of columns) {
    if (c.candidates.length < 2 || taken.has(c.col)) continue;
    const free = c.candidates.find((f) => !out.has(f));
    if (free) {
      out.set(free, c);
      taken.add(c.col);
    }
  }
  return out;
}

/** A header row must name the task and either its lead unit or its deadline. */
export function isUsableHeader(fields: ReadonlyMap<TaskField, unknown>): boolean {
  return fields.has('title') && (fields.has('lead') || fields.has('dueDate'));
}
